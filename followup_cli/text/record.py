"""What `followup record` writes into a shop's books, in Chinese and English: the names of the
sheets it may add, yes/no in a visit's cells, and the columns of the rejects workbook."""

from __future__ import annotations

VISIT_LOG_SHEET = ("回访记录", "Visits")  # a visit log the archive did not have
COMPANION_SHEET = ("回访补充", "Visit details")  # values a book has no column for (writeback/companion.py)
AUDIT_LOG_SHEET = ("抽查记录", "Audits")  # spot-check verdicts, when the archive has no audit sheet

REJECT_COLUMNS = {
    "row": ("行", "Row"),
    "where": ("位置", "Where"),
    "value": ("值", "Value"),
    "message": ("原因", "Reason"),
}
