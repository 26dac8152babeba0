"""What the tool hands a person or a script: rows (the one output path: table, csv, json, xlsx),
due_list (the due list and its reasons), kpi_tables (the KPI result as the screen's tables),
call_sheet and audit_sheet (workbooks to fill in), report (the KPI report workbook: summary,
trend, breakdowns; report_staff the staff ranking, report_feedback complaints, issues and
seasonal feedback, report_cells their cell formats), presets (the policies in words)."""
