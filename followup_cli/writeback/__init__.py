"""Writing into a shop's workbooks without losing a row: transaction (temp file, fsync, replace,
backups, lock, journal), visits (a filled call sheet validated into visit rows), issues (问题跟踪)."""
