"""How a sheet calamine read becomes rows, and how big a sheet is before it is read.

`sheet_rows` gives a sheet's rows as to_python(skip_empty_area=False) gives them, with its
repeated texts and dates one object each; `cells_of` is the size archive/reading.py orders the
sheets by (the biggest read first). Both are about memory at scale (issue 16): a sheet's cells
are most of what reading costs while it is read.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from itertools import islice
from typing import TYPE_CHECKING

from followup_cli.xlsx.refs import col_index

if TYPE_CHECKING:
    from python_calamine import CalamineSheet

# The classes of cell value shared between equal cells: equal values of these are the same
# value whatever the cell (a number is not: 1, 1.0 and True are equal keys of a dict).
_SHAREABLE = frozenset({str, dt.date, dt.datetime})
_SEED_ROWS = 1000  # rows whose values seed the shared ones, at the start and every _RESEED rows
_RESEED = 50_000


def sheet_rows(sheet: CalamineSheet) -> list[list]:
    """A calamine sheet's rows, row 0 = Excel's row 1 and column 0 column A, leading empty rows
    and columns kept (as to_python(skip_empty_area=False) gives them), so cell references stay
    right. A repeated text or date is one object in every row it is in: calamine makes an object
    per cell, and a big sheet repeats its kinds, stores, staff names and days on every row (the
    rows of a 600,000-row visit log take half the memory so). The values seeding that sharing
    are those of the first rows and of a block every _RESEED rows; the other cells are looked up
    alone, in C (map over dict.get), so a sheet is read about as fast as to_python reads it."""
    start = sheet.start
    if start is None:
        return []
    top, left = start
    it = sheet.iter_rows()
    shared: dict = {}
    get = shared.get
    rows: list = []
    while True:
        seed = list(islice(it, _SEED_ROWS))
        if not seed:
            break
        for row in seed:
            for v in row:
                if v.__class__ in _SHAREABLE:
                    shared.setdefault(v, v)
        rows += [list(map(get, r, r)) for r in seed]
        rows += [list(map(get, r, r)) for r in islice(it, _RESEED - _SEED_ROWS)]
    lead = top + sheet.height - len(rows)  # the leading empty rows iter_rows did not give
    if lead not in (0, top):  # not what this version of python-calamine was seen to do
        return sheet.to_python(skip_empty_area=False)
    if left:
        pad = [""] * left
        rows = [pad + r for r in rows]
    if lead:
        rows[:0] = [[""] * (left + sheet.width) for _ in range(lead)]
    return rows


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?[A-Za-z]{1,3}\$?\d{1,7}(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?"')
_BYTES_PER_CELL = 40  # <c r="B2" s="3" t="s"><v>17</v></c>: a part without <dimension>


def cells_of(zf: zipfile.ZipFile, part: str) -> int:
    """How many cells an .xlsx worksheet part spans, A1 to the end of its <dimension>, else its
    bytes over _BYTES_PER_CELL; 0 when the part cannot be read (said when the sheet is read)."""
    try:
        info = zf.getinfo(part)
        with zf.open(info) as fh:
            head = fh.read(4096)
    except Exception:  # a damaged part: said when the sheet is read
        return 0
    m = _DIMENSION.search(head)
    if m is None:
        return info.file_size // _BYTES_PER_CELL
    return col_index(m[1]) * int(m[2]) if m[1] else 1
