"""Extending a sheet's header with new columns at its right end, surgically.

A shop's visit sheet may have no column for something a call sheet carries (the outcome,
notes, a score ...). `record` then adds those columns after the last column the sheet
uses: header cells in the header row (styled like the header's last cell) and, when a
table (`<tableParts>`) or the sheet's autofilter ends at that last column on the header
row, the table's `ref`, its autofilter and its `<tableColumns>` grow to cover them (Excel
insists that a table's column names and its header cells agree). Nothing else changes:
widths, data validations, conditional formats and every other part stay as they are.

What cannot be extended safely is refused with the reason (the caller then keeps the
values elsewhere): cells without a reference (the used width cannot be known without
parsing every row), a table that covers the header row but does not end at the sheet's
last column, a table built from a query, or more columns than Excel's 16,384.
"""

from __future__ import annotations

import re
from typing import BinaryIO

from followup_cli.errors import WriteRefused
from followup_cli.text.messages import at, msg
from followup_cli.xlsx import limits
from followup_cli.xlsx.cells import xml_escape
from followup_cli.xlsx.limits import MAX_COL
from followup_cli.xlsx.refs import col_index, format_range, parse_range
from followup_cli.xlsx.tables import apply_edits

_CELL_RE = re.compile(rb"<(?:[\w.-]+:)?c(?=[\s/>])([^>]*)>")
_CELL_R_RE = re.compile(rb"""\sr\s*=\s*["']([A-Z]{1,3})\d+["']""")


class CannotExtend(WriteRefused):
    """The header cannot be extended safely; the message says why."""


def _cannot(where: object, zh: str, en: str) -> CannotExtend:
    return CannotExtend(at(where, msg(zh, en)))


def used_width(stream: BinaryIO, where: str) -> int:
    """The last column any cell of the sheet part uses (0 for an empty sheet), streamed."""
    best = 0
    carry = b""
    while True:
        chunk = stream.read(limits.CHUNK)
        buf = carry + chunk
        # Keep an unfinished tag for the next round.
        cut = buf.rfind(b"<") if chunk else len(buf)
        if cut < 0:
            cut = len(buf)
        for m in _CELL_RE.finditer(buf, 0, cut):
            attrs = m.group(1)
            r = _CELL_R_RE.search(attrs)
            if r is None:
                raise _cannot(
                    where,
                    "有单元格没有写引用地址，无法得知工作表用到了哪一列",
                    "cells without a reference; the sheet's used width is not known",
                )
            col = col_index(r.group(1).decode())
            if col > best:
                best = col
        carry = buf[cut:]
        if not chunk:
            return best


_TABLE_TAG_RE = re.compile(rb"<(?:[\w.-]+:)?table\b[^>]*>")
_AUTOFILTER_RE = re.compile(rb"<(?:[\w.-]+:)?autoFilter\b[^>]*>")
_REF_RE = re.compile(rb"""\sref\s*=\s*["']([^"']*)["']""")
_COLUMNS_RE = re.compile(rb"<((?:[\w.-]+:)?)tableColumns\b([^>]*)>")
_COLUMNS_END_RE = re.compile(rb"</(?:[\w.-]+:)?tableColumns\s*>")
_COLUMN_ID_RE = re.compile(rb"""<(?:[\w.-]+:)?tableColumn\b[^>]*?\sid\s*=\s*["'](\d+)["']""")
_COLUMN_NAME_RE = re.compile(rb"""<(?:[\w.-]+:)?tableColumn\b[^>]*?\sname\s*=\s*["']([^"']*)["']""")
_COUNT_RE = re.compile(rb"""(\scount\s*=\s*["'])(\d+)(["'])""")


def _widen(xml: bytes, tag_re, header_row: int, last_col: int, new_right: int) -> list[tuple[int, int, bytes]]:
    edits = []
    for tm in tag_re.finditer(xml):
        rm = _REF_RE.search(xml, tm.start(), tm.end())
        if not rm:
            continue
        top, left, bottom, right = parse_range(rm.group(1).decode())
        if top == header_row and right == last_col:
            edits.append((rm.start(1), rm.end(1), format_range(top, left, bottom, new_right).encode()))
    return edits


def widen_autofilter(tail: bytes, header_row: int, last_col: int, new_right: int) -> list[tuple[int, int, bytes]]:
    """Edits (offsets in `tail`) widening the sheet's autofilter when it ends at the header's last column."""
    return _widen(tail, _AUTOFILTER_RE, header_row, last_col, new_right)


def extend_table(
    xml: bytes, name: str, ref: tuple[int, int, int, int], header_row: int, first_col: int, names: list[str], where: str
) -> bytes | None:
    """The table part with the new columns added, None when the table is not on the header row,
    or CannotExtend when it is but cannot grow to the new columns."""
    top, left, bottom, right = ref
    if not (top <= header_row <= bottom) or right < left:
        return None
    if top != header_row:
        raise _cannot(
            where,
            f"表头行落在表格“{name}”的中间（该表格的表头是第 {top} 行）",
            f"the header row is inside table '{name}' (its header is row {top})",
        )
    if right != first_col - 1:
        raise _cannot(
            where,
            f"表格“{name}”在第 {right} 列结束，不是工作表用到的最后一列",
            f"table '{name}' ends at column {right}, not at the sheet's last column",
        )
    if re.search(rb"""\stableType\s*=\s*["']queryTable""", xml):
        raise _cannot(where, f"表格“{name}”的内容来自查询", f"table '{name}' is filled by a query")
    cm, cend = _COLUMNS_RE.search(xml), _COLUMNS_END_RE.search(xml)
    if cm is None or cend is None:
        raise _cannot(where, f"表格“{name}”没有列清单", f"table '{name}' has no list of columns")
    taken = {m.group(1).decode().casefold() for m in _COLUMN_NAME_RE.finditer(xml)}
    for n in names:
        if xml_escape(n).casefold() in taken:
            raise _cannot(where, f"表格“{name}”已经有一列叫“{n}”", f"table '{name}' already has a column named '{n}'")
    new_right = first_col + len(names) - 1
    next_id = max((int(m.group(1)) for m in _COLUMN_ID_RE.finditer(xml)), default=0) + 1
    prefix = cm.group(1).decode()
    added = "".join(f'<{prefix}tableColumn id="{next_id + i}" name="{xml_escape(n)}"/>' for i, n in enumerate(names))
    edits = _widen(xml, _TABLE_TAG_RE, header_row, right, new_right)
    edits += _widen(xml, _AUTOFILTER_RE, header_row, right, new_right)
    count = _COUNT_RE.search(xml, cm.start(), cm.end())
    if count:
        edits.append((count.start(2), count.end(2), str(int(count.group(2)) + len(names)).encode()))
    edits.append((cend.start(), cend.start(), added.encode()))
    return apply_edits(xml, edits)


def check_columns(header: dict[int, str], width: int, where: str) -> tuple[int, int]:
    """(first, last) of the new columns: contiguous, just right of the used width, within Excel."""
    cols = sorted(header)
    first, last = cols[0], cols[-1]
    if cols != list(range(first, last + 1)):
        raise TypeError(f"{where}: new header columns must be contiguous, got {cols}")
    if first <= width:
        raise _cannot(
            where,
            f"第 {first} 列已被使用（工作表用到了 {width} 列）",
            f"column {first} is already in use (the sheet uses {width} columns)",
        )
    if last > MAX_COL:
        raise _cannot(
            where,
            f"新列会超出 Excel 的最后一列（{MAX_COL}）",
            f"the new columns would pass Excel's last column ({MAX_COL})",
        )
    return first, last
