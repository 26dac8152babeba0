"""A worksheet part's extent (last row, widest column of a cell holding a value), found in
one regular-expression scan of each inflated chunk instead of a list of every reference.

xlsx/bounds.py must know how far a sheet reaches before calamine fills it from A1, and it
trusts neither <dimension> nor the order of the rows, so every cell reference counts. Making
a list of every row number (millions at 100,000 customers) cost about as much as calamine's
whole read. Here a chunk's likely extent is taken from its last cells, then one search looks
for anything past it: a reference beyond Excel, a value cell in a later row, or in a wider
column. A file whose rows are in order (every writer's) gives no match at all; any match
moves the extent and the search goes on from there. A chunk that keeps moving it (rows in
reverse order, say) is counted the plain way, so the result is always that of `by_findall`,
the plain count (tests/test_extent.py checks the two agree on generated sheets).
"""

from __future__ import annotations

import functools
import re

# A cell that holds something: <c r="D7" ...> not closed on itself (<c r="D7" s="1"/> is formatting only).
VALUE_ROW_RE = re.compile(rb' r="[A-Z]{1,3}(\d+)"[^>/]*>')
WIDE_CELL_RE = re.compile(rb' r="([A-Z]{2,3})\d+"[^>/]*>')
NARROW_CELL_RE = re.compile(rb' r="([A-Z])\d+"[^>/]*>')
# Any reference past Excel's last row or column (8+ digits, 4+ letters), value or not.
BEYOND_RE = re.compile(rb' r="(?:[A-Z]{4,}\d+|[A-Z]{1,3}\d{8,})"')
ROW_TAG_RE = re.compile(rb'<(?:[\w.-]+:)?row\b[^>]*? r="(\d{8,})"')

TAIL = 4096  # bytes at a chunk's end whose cells give the first guess of its extent
MAX_MOVES = 16  # the extent moved this often in one chunk: count that chunk the plain way


def wider(a: bytes, b: bytes) -> bytes:
    """The wider of two column names (AB is wider than Z, AC than AB)."""
    return a if (len(a), a) >= (len(b), b) else b


def beyond(data: bytes) -> re.Match[bytes] | None:
    """The first reference past Excel's last row or column in `data` (a match), or None."""
    return BEYOND_RE.search(data) or ROW_TAG_RE.search(data)


def by_findall(data: bytes, max_row: int, widest: bytes) -> tuple[int, bytes] | None:
    """The plain count: every value cell's row and every wide column of the chunk.
    None when the chunk refers beyond Excel's last row or column."""
    if beyond(data):
        return None
    rows = VALUE_ROW_RE.findall(data)
    if rows:
        max_row = max(max_row, max(map(int, rows)))
    wide = WIDE_CELL_RE.findall(data)
    if wide:
        widest = max([widest] + wide, key=lambda c: (len(c), c))
    return max_row, widest


def scan(data: bytes, max_row: int, widest: bytes) -> tuple[int, bytes] | None:
    """(max_row, widest) after this chunk, the same as `by_findall` gives, in one search when
    the chunk's cells are in order. None when it refers beyond Excel's last row or column."""
    for size in (TAIL, 64 * TAIL):  # the last cells (a chunk may end in a long trailer)
        tail = data[-size:]
        rows = VALUE_ROW_RE.findall(tail)
        if rows:
            max_row = max(max_row, max(map(int, rows)))
            break
    wide = WIDE_CELL_RE.findall(tail)
    if wide:
        widest = max([widest] + wide, key=lambda c: (len(c), c))
    pos = moves = 0
    while True:
        m = _scanner(max_row, widest).search(data, pos)
        if m is None:
            return max_row, widest
        kind = m.lastgroup
        if kind == "beyond":
            return None
        if kind == "rowtag":
            start = data.rfind(b">", 0, m.start()) + 1  # a tag cannot hold '>': its '<' is after the last one
            if ROW_TAG_RE.search(data, start, m.end()):
                return None
        else:  # a value cell past the extent in its row, its column or both
            ref = m.group(0)[4:].split(b'"', 1)[0]
            digits = ref.lstrip(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            max_row = max(max_row, int(digits))
            letters = ref[: len(ref) - len(digits)]
            if len(letters) > 1:
                widest = wider(widest, letters)
        pos = m.end()
        moves += 1
        if moves > MAX_MOVES:
            return by_findall(data, max_row, widest)


def narrowest_pass(data: bytes, narrow: bytes) -> bytes:
    """The widest single-letter column of a value cell, given `narrow` so far."""
    tail = NARROW_CELL_RE.findall(data[-TAIL:])
    if tail:
        narrow = max([narrow] + tail)
    moves = 0
    pos = 0
    while narrow < b"Z":
        first = b"A" if not narrow else bytes([narrow[0] + 1])
        m = _narrow_scanner(first).search(data, pos)
        if m is None:
            break
        narrow, pos = max(narrow, m.group(1)), m.end()
        moves += 1
        if moves > MAX_MOVES:
            found = NARROW_CELL_RE.findall(data)
            return max([narrow] + found)
    return narrow


@functools.lru_cache(maxsize=256)
def _scanner(max_row: int, widest: bytes) -> re.Pattern:
    """A reference beyond Excel (group 'beyond'), a row tag numbered past it ('rowtag', to be
    checked), a value cell in a row past `max_row` ('row') or a column wider than `widest` ('col')."""
    return re.compile(
        rb' r="(?:(?P<beyond>[A-Z]{4,}\d+"|[A-Z]{1,3}\d{8,}")|(?P<rowtag>\d{8,}")'
        rb"|[A-Z]{1,3}(?P<row>" + _digits_above(max_row) + rb')"[^>/]*>'
        rb"|(?P<col>" + _letters_above(widest) + rb')\d+"[^>/]*>)'
    )


@functools.lru_cache(maxsize=32)
def _narrow_scanner(first: bytes) -> re.Pattern:
    return re.compile(rb' r="([' + first + rb'-Z])\d+"[^>/]*>')


def _digits_above(n: int) -> bytes:
    """A pattern for every digit string whose number is above `n` (and some with leading zeros
    that are not: those only cost a look)."""
    if n <= 0:
        return rb"\d+"
    s = str(n).encode()
    k = len(s)
    alts = [rb"\d{%d,}" % (k + 1)]
    for i in range(k):
        c = s[i] - 48
        if c < 9:
            rest = rb"\d{%d}" % (k - i - 1) if k - i - 1 else b""
            alts.append(s[:i] + b"[%d-9]" % (c + 1) + rest)
    return b"|".join(alts)


def _letters_above(widest: bytes) -> bytes:
    """A pattern for every two- or three-letter column wider than `widest` (b'': any)."""
    if len(widest) < 2:
        return rb"[A-Z]{2,3}"
    alts = [] if len(widest) == 3 else [rb"[A-Z]{3}"]
    k = len(widest)
    for i in range(k):
        c = widest[i]
        if c < ord("Z"):
            rest = rb"[A-Z]{%d}" % (k - i - 1) if k - i - 1 else b""
            alts.append(widest[:i] + b"[" + bytes([c + 1]) + b"-Z]" + rest)
    return b"|".join(alts) if alts else rb"(?!)"
