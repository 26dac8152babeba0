"""Reading a shop's workbooks: files (the raw cells of .xlsx/.xls/.ods/.csv; raw the RawBook and
RawSheet every reader returns, text_files delimited text), schema (roles, fields,
header vocabulary), cells (one cell to a typed value), reading (sheets, header rows, columns and
records), records (the record classes and Archive), staff (the one staff resolver), check
(cross-record problems), create (new, empty archives: layouts their sheets and
columns per preset, from layouts.toml; dropdowns the values offered in coded columns)."""
