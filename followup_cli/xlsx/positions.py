"""Where python-calamine places the cells of a worksheet part that is not written the plain way.

xlsx/extent.py counts a sheet's extent from its `<c r="D7">` references, which is exact only
when every cell is written so. calamine also reads what no spreadsheet program writes but a
hostile file may: a cell without r= (placed after the previous one, in the row that the last
`<row r=..>` or `</row>` left), r= in single quotes or with spaces around '=', lowercase
letters, a second r= in the same tag (the last one wins), a prefixed `<x:c>`, a '/' or '>'
inside an attribute's value. A part holding any of these (extent.kind says ODD) is read here
tag by tag, following calamine's cell reader (calamine/src/xlsx/cells_reader.rs, next_cell):
the same positions, and every cell not closed on itself counted as holding a value (calamine
drops the empty ones: the count can only be larger). Slower than the searches, and only for
such parts. tests/test_odd_cells.py checks the count against calamine's own on generated sheets.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from followup_cli.text.messages import msg

# One markup item, as quick-xml splits the text: group 1 is a start tag's text between '<' and
# '>' (quotes respected: a '>' inside a value does not end it), group 2 an end tag's (ended by
# the first '>'), group 3 a declaration's (<!DOCTYPE ...>). A bare '<' is an item that does not
# end in the text read so far (a comment, CDATA or tag cut by the end of a chunk).
_ITEM_RE = re.compile(
    rb"<(?:!--.*?-->|!\[CDATA\[.*?\]\]>|\?.*?\?>|(?=!--|!\[CDATA\[|\?)"
    rb"|!([^>]*)>|/([^>]*)>|((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>|)",
    re.S,
)
_NAME_RE = re.compile(rb"[^ \t\r\n]*")  # quick-xml: a tag's name runs to the first white space
# Every r= calamine could take, however spelled (and some it would not: those only add).
_REF_RE = re.compile(rb"(?:^|[\s\"'])r\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_CELL_REF_RE = re.compile(rb"([A-Za-z]*)(\d+)")
MAX_TAG = 1 << 20  # a tag (or CDATA) longer than this is no worksheet's: a cell holds 32,767 characters


class Damaged(Exception):
    """The part is not one calamine reads as a sheet the same way every time; refused."""


class Beyond(Exception):
    """A reference past Excel's last row or column (args[0]: it, as written)."""


def _local(name: bytes) -> bytes:
    return name.split(b":", 1)[-1]


def _refs(attrs: bytes) -> list[tuple[int, int | None]]:
    """(row, column) of every r= in a tag, 0-based (column None for a row number alone);
    a value calamine cannot read makes it fail, and is left out here."""
    out = []
    for m in _REF_RE.finditer(attrs):
        ref = m.group(1) if m.group(1) is not None else m.group(2)
        cm = _CELL_REF_RE.fullmatch(ref)
        if cm is None or int(cm.group(2)) == 0:
            continue
        col = 0
        for ch in cm.group(1).upper():
            col = col * 26 + ch - 64
        if len(cm.group(2)) > 7 or len(cm.group(1)) > 3:  # as extent.BEYOND_RE: past Excel, value or not
            raise Beyond(ref.decode("ascii", "replace"))
        out.append((int(cm.group(2)) - 1, col - 1 if col else None))
    return out


def extent(chunks: Iterable[bytes]) -> tuple[int, int]:
    """(rows, columns) from A1 to the furthest cell calamine would place with a value."""
    max_row = max_col = -1
    row = col = 0
    in_cell = False  # between a cell's start and its end
    skipping: bytes | None = None  # inside a cell's <v>, <f> or <is>: until its end
    carry = b""
    done = False
    for chunk in itertools.chain(chunks, [None]):
        final = chunk is None
        buf = carry + (chunk or b"")
        carry = b""
        for m in _ITEM_RE.finditer(buf):
            if done:
                break
            whole = m.group(0)
            if whole == b"<":
                if not final:
                    carry = buf[m.start() :]
                    if len(carry) > MAX_TAG:
                        raise Damaged(msg("有一个标签长于 1 MB", "a tag is longer than 1 MB"))
                    break
                continue
            if m.group(1) is not None:  # quick-xml and this reader may end it at different places
                if b'"' in m.group(1) or b"'" in m.group(1) or b"[" in m.group(1):
                    raise Damaged(msg("工作表里有 DOCTYPE 声明", "a DOCTYPE declaration inside the sheet"))
                continue
            end = m.group(2) is not None
            text = m.group(2) if end else m.group(3)
            if text is None:
                continue  # a comment, CDATA, a processing instruction
            if end and (b'"' in text or b"'" in text):  # '>' in quotes: where does it end?
                raise Damaged(msg("结束标签里有引号", "quotes in an end tag"))
            closed = not end and text.endswith(b"/")  # <x/>: calamine reads it as a start and an end
            if closed:
                text = text[:-1]
            name = _NAME_RE.match(text).group(0)
            attrs = text[len(name) :]
            local = _local(name)
            if skipping is not None:
                if name == skipping:
                    if end:
                        skipping = None
                    else:  # the same tag within itself: calamine and this reader could part ways
                        raise Damaged(msg(f"<{name.decode('latin-1')}> 嵌套", f"<{name.decode('latin-1')}> nested"))
                continue
            if in_cell:
                if end and local == b"c":
                    in_cell = False
                    col += 1
                elif not end and local in (b"v", b"f", b"is"):
                    if not closed:
                        skipping = name
                elif not end:
                    return _result(max_row, max_col)  # calamine stops here with an error: nothing is built
                continue
            if local == b"row" and not end:
                refs = _refs(attrs)
                if refs:
                    row = max(r for r, _ in refs)
                if closed:
                    row, col = row + 1, 0
            elif local == b"row":
                row, col = row + 1, 0
            elif local == b"c" and not end:
                refs = [(r, c) for r, c in _refs(attrs) if c is not None]
                if refs:
                    r, c = max(r for r, _ in refs), max(c for _, c in refs)
                    col = c
                else:
                    r, c = row, col
                if closed:
                    col += 1
                else:
                    max_row, max_col = max(max_row, r), max(max_col, c)
                    in_cell = True
            elif local == b"sheetData" and end:
                done = True
        if done:
            break
    return _result(max_row, max_col)


def _result(max_row: int, max_col: int) -> tuple[int, int]:
    return max_row + 1, max_col + 1
