"""What `followup columns` shows, in Chinese and English: its columns, and the words for how
a sheet's role and a column's field were found (archive/mapping.py builds the rows)."""

from __future__ import annotations

COLUMNS = {
    "file": ("文件", "File"),
    "sheet": ("工作表", "Sheet"),
    "role": ("用途", "Role"),
    "role_how": ("依据", "Role from"),
    "header_row": ("表头行", "Header row"),
    "column": ("列", "Col"),
    "header": ("表头", "Header"),
    "field": ("字段", "Field"),
    "how": ("方式", "How"),
    "confidence": ("把握", "Sure"),
    "note": ("说明", "Note"),
}

# how a column's field was found
HOW = {
    "followup.toml": ("followup.toml", "followup.toml"),
    "exact": ("原名", "exact"),
    "vocabulary": ("同义词", "vocabulary"),
    "normalised": ("规范化后", "normalised"),
    "fuzzy": ("相似", "fuzzy"),
    "values": ("单元格内容", "values"),
    "": ("未使用", "not used"),
}

# how a sheet's role was found
ROLE_HOW = {
    "followup.toml": ("followup.toml", "followup.toml"),
    "sheet name": ("工作表名", "sheet name"),
    "word in sheet name": ("工作表名中的词", "word in sheet name"),
    "headers": ("表头", "headers"),
}
