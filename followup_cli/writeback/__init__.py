"""Writing into a shop's workbooks without losing a row: transaction (temp file, fsync, replace,
backups, lock, journal), changes (what a write is asked to do, checked and grouped per sheet),
outcome (what a write did: WriteResult, SheetResult, the audit line's fields), visits (a filled
call sheet validated into visit rows), visit_index (the natural key that recognises a call again),
visit_rows (a visit's fields and values as a row of the book), issues (问题跟踪)."""
