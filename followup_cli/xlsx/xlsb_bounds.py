"""The extent of an .xlsb worksheet part, checked before python-calamine fills it.

calamine reads a binary sheet as a stream of records (calamine/src/xlsb/cells_reader.rs): a
row header (type 0) sets the row, every value record (types 2 to 11) is a cell at that row and
the column its payload starts with, a 32-bit number nothing bounds. A hostile part with one
cell at column 4,000,000,000 made calamine allocate rows x columns and abort the process.
Every record is read here the same way (a record shorter than a cell's eight bytes would be
read by calamine from the previous record's bytes: refused), and the sheet is refused past
xlsx/bounds.py's limits, with its messages. The records outside the sheet's data are counted
too, and the end of the data is not trusted: the count can only be larger.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

from followup_cli.text.messages import msg
from followup_cli.xlsx import bounds

_VALUES = frozenset(range(2, 12))


def check_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str | Path) -> None:
    rows, cols = extent(bounds.inflate(zf, info, path), path, info.filename)
    bounds.refuse_past_bounds(path, info, info.filename, rows, cols)


def extent(chunks: Iterable[bytes], path: str | Path, part: str) -> tuple[int, int]:
    """(rows, columns) from A1 to the furthest value record."""
    data = b""
    pos = row = 0
    max_row = max_col = -1
    for chunk in chunks:
        data = data[pos:] + chunk
        pos = 0
        while True:
            head = _header(data, pos)
            if head is None or head[1] + head[2] > len(data):
                break  # the record goes on in the next chunk
            typ, start, size = head
            if typ == 0 or typ in _VALUES:
                if size < 8:
                    raise bounds.damaged(path, part, msg("有一条记录太短", "a record is too short"))
                first = int.from_bytes(data[start : start + 4], "little")
                if typ == 0:
                    row = first
                else:
                    max_row, max_col = max(max_row, row), max(max_col, first)
            pos = start + size
        if len(data) - pos > bounds.MAX_PART_BYTES:  # pragma: no cover - inflate stops first
            raise bounds.damaged(path, part, msg("记录太长", "a record is too long"))
    return max_row + 1, max_col + 1


def _header(data: bytes, pos: int) -> tuple[int, int, int] | None:
    """(type, payload start, payload size) of the record at `pos`, or None when cut short."""
    n = len(data)
    if pos >= n:
        return None
    typ = data[pos] & 0x7F
    if data[pos] & 0x80:
        if pos + 1 >= n:
            return None
        typ |= (data[pos + 1] & 0x7F) << 7
        pos += 1
    pos += 1
    size = shift = 0
    for _ in range(4):
        if pos >= n:
            return None
        b = data[pos]
        pos += 1
        size |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            break
    return typ, pos, size
