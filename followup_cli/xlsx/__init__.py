"""The .xlsx package at the level of its parts: refs (cell references), package (reading the zip and
workbook parts), cells and scan (cell XML, streaming), surgery and plan (rewriting only the parts
that change: append and update make the rows' XML, tables the table parts and the ranges that
grow), safety (text that must stay text)."""
