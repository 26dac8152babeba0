"""The .xlsx package at the level of its parts: refs (cell references), package (reading the zip and
workbook parts), cells and scan (cell XML, streaming), surgery and plan (rewriting only the parts
that change), safety (text that must stay text)."""
