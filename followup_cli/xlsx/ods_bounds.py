"""The extent of each table of an OpenDocument spreadsheet, checked before python-calamine fills it.

An .ods says a row or a cell is repeated N times (table:number-rows-repeated,
number-columns-repeated) and calamine makes every copy. xlsx/bounds.check_ods_repeats bounds
each N; here the copies are added up, so a row of 90 cells repeated a million times (each
repeat within bounds, 90,000,000 cells in all) is refused instead of aborting the process in
calamine's allocation. Only cells that may hold a value count: LibreOffice ends every table
with empty rows and cells repeated to the last row and column (self-closed, with no value
type), which calamine does not keep. Every cell tag is counted wherever it appears (a comment,
a quoted value): the count can only be larger.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from followup_cli.xlsx import bounds

_TAG_RE = re.compile(
    rb"<(/?)(?:[^\s/>:]+:)?(table-row|table-cell|covered-table-cell|table)(?=[\s/>])"
    rb"((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
)
_REPEAT_RE = re.compile(rb"""number-(?:rows|columns)-repeated\s*=\s*["']\s*(\d+)""")
_VALUE_TYPE_RE = re.compile(rb"value-type\s*=")


def check_content(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str | Path) -> None:
    for name, rows, cols in tables(bounds._chunks_with_carry(zf, info, path)):
        bounds.refuse_past_bounds(path, info, name, rows, cols)


def tables(chunks: Iterable[bytes]) -> list[tuple[str, int, int]]:
    """(table name, rows, columns) from A1 to the furthest cell that may hold a value."""
    out: list[tuple[str, int, int]] = []
    name, row, rows, cols = "", 0, 0, 0
    row_rep = col = row_cols = 0
    for data in chunks:
        for m in _TAG_RE.finditer(data):
            end, what, attrs = m.group(1) == b"/", m.group(2), m.group(3)
            if what == b"table":
                if end:
                    out.append((name, rows, cols))
                    name, row, rows, cols = "", 0, 0, 0
                else:
                    found = re.search(rb"""name\s*=\s*["']([^"']*)""", attrs)
                    name = found.group(1).decode("utf-8", "replace") if found else ""
                    row = rows = cols = 0
                continue
            rep = _REPEAT_RE.search(attrs)
            n = max(int(rep.group(1)), 1) if rep else 1
            if what == b"table-row":
                if end:
                    if row_cols:
                        rows, cols = max(rows, row + row_rep), max(cols, row_cols)
                    row += row_rep
                    row_rep = 0
                else:
                    row_rep, col, row_cols = n, 0, 0
                    if attrs.endswith(b"/"):  # a row with no cells
                        row += n
                continue
            if end:
                continue
            col += n
            if not attrs.endswith(b"/") or _VALUE_TYPE_RE.search(attrs):
                row_cols = col
    if rows or cols:
        out.append((name, rows, cols))
    return out
