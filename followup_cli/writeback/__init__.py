"""Writing into a shop's workbooks without losing a row: transaction (temp file, fsync, replace,
backups, lock, journal), changes (what a write is asked to do, checked and grouped per sheet),
outcome (what a write did: WriteResult, SheetResult, the audit line's fields), visits (a filled
call sheet validated into visit rows), issues (问题跟踪)."""
