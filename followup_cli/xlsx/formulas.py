"""Formulas a new row keeps: those of a prepared row it takes the place of.

A shop that fills a formula column down ahead of its visits (序号 =IF(B9="","",ROW()-1) to
row 1000) has rows that show nothing: the scan counts them as prepared, not real (xlsx/scan.py),
so a new visit goes right below the last one, into such a row. The row's formulas stay in it,
in every column the visit leaves empty, without their cached (empty) result so that a
spreadsheet program calculates them; a shared formula keeps its group, its cell being where
it was.
"""

from __future__ import annotations

import re

from followup_cli.xlsx.cells import row_cells
from followup_cli.xlsx.refs import col_letters


def prepared_formulas(row_xml: bytes, prefix: str, row: int, where: str) -> dict[int, bytes]:
    """{column: the cell's new XML} for each cell of a prepared row that holds a formula."""
    pb = re.escape(prefix.encode())
    formula_re = re.compile(rb"<" + pb + rb"f\b[^>]*?(?:/>|>.*?</" + pb + rb"f>)", re.S)
    _tag, cells = row_cells(row_xml, prefix, where)
    kept = {}
    for cell in cells:
        fm = formula_re.search(cell.xml)
        if fm is None:
            continue
        style = f' s="{cell.attrs["s"]}"' if "s" in cell.attrs else ""
        ref = f"{col_letters(cell.col)}{row}"
        kept[cell.col] = f'<{prefix}c r="{ref}"{style}>'.encode() + fm.group(0) + f"</{prefix}c>".encode()
    return kept
