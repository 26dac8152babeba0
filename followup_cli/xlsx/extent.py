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
the plain count (tests/test_extent.py checks the two agree on generated sheets). The widest
one-letter column, which a sheet of more than 769,230 rows needs, is followed in the same
search, so no sheet is inflated twice.
"""

from __future__ import annotations

import functools
import re

# A cell that holds something: <c r="D7" ...> not closed on itself (<c r="D7" s="1"/> is formatting only;
# a tag that holds a '/' or '>' elsewhere, or its attributes spelled otherwise, counts as holding a value).
VALUE_ROW_RE = re.compile(rb' r="[A-Z]{1,3}(\d+)"(?!(?: [\w:.-]+="[^"<>/]*")*\s*/>)')
WIDE_CELL_RE = re.compile(rb' r="([A-Z]{2,3})\d+"(?!(?: [\w:.-]+="[^"<>/]*")*\s*/>)')
NARROW_CELL_RE = re.compile(rb' r="([A-Z])\d+"(?!(?: [\w:.-]+="[^"<>/]*")*\s*/>)')
# Any reference past Excel's last row or column (8+ digits, 4+ letters), value or not.
BEYOND_RE = re.compile(rb' r="(?:[A-Z]{4,}\d+|[A-Z]{1,3}\d{8,})"')
ROW_TAG_RE = re.compile(rb'<(?:[\w.-]+:)?row\b[^>]*? r="(\d{8,})"')

# What a chunk's cells are written as (`kind`). The searches here read `<c r="D7" ...>` only,
# and calamine reads more (xlsx/positions.py): a cell without r=, r= spelled otherwise (single
# quotes, spaces around '=', a tab before it, lowercase), a second r= in one tag (the last one
# wins). PLAIN: every cell start is `<c r="LETTERS DIGITS"` (prefixed or not) and no tag holds
# a second r=, so `scan` counts what calamine places. INSIDE: PLAIN, and every reference within
# T999999, inside every bound (20 x 999,999 cells < MAX_SHEET_CELLS): xlsx/bounds.py need not
# count the chunk (a row tag alone places no cell when every cell has its own r=). ODD: the
# part is read by xlsx/positions.py.
INSIDE, PLAIN, ODD = "inside", "plain", "odd"
_NOT_INSIDE_RE = re.compile(rb'<c(?! r="[A-T]\d{1,6}")[\s>/]')
_NOT_PLAIN_RE = re.compile(rb'<c(?! r="[A-Z]+\d+")[\s>/]')
_PREFIXED_RE = re.compile(rb":c[\s>/]")
_NOT_INSIDE_PREFIXED_RE = re.compile(rb'<(?!/)[^\s<>:]+:c(?! r="[A-T]\d{1,6}")[\s>/]')
_NOT_PLAIN_PREFIXED_RE = re.compile(rb'<(?!/)[^\s<>:]+:c(?! r="[A-Z]+\d+")[\s>/]')
# an r= after the first attribute of a tag (a row's does not matter: see INSIDE)
_SECOND_REF_RE = re.compile(rb"""r(?=\s*=)(?<=[\s"']r)(?<!<c r)(?<!:c r)(?<!row r)""")
INSIDE_ROWS, INSIDE_COL = 999_999, b"T"

TAIL = 4096  # bytes at a chunk's end whose cells give the first guess of its extent
MAX_MOVES = 16  # the extent moved this often in one chunk: count that chunk the plain way


def wider(a: bytes, b: bytes) -> bytes:
    """The wider of two column names (AB is wider than Z, AC than AB)."""
    return a if (len(a), a) >= (len(b), b) else b


def beyond(data: bytes) -> re.Match[bytes] | None:
    """The first reference past Excel's last row or column in `data` (a match), or None."""
    return BEYOND_RE.search(data) or ROW_TAG_RE.search(data)


def kind(data: bytes, quick: bool = True) -> str:
    """INSIDE, PLAIN or ODD (see above); INSIDE only with `quick`."""
    if _SECOND_REF_RE.search(data):
        return ODD
    prefixed = _PREFIXED_RE.search(data) is not None
    if quick and _NOT_INSIDE_RE.search(data) is None:
        if not prefixed or _NOT_INSIDE_PREFIXED_RE.search(data) is None:
            return INSIDE
    if _NOT_PLAIN_RE.search(data) is None:
        if not prefixed or _NOT_PLAIN_PREFIXED_RE.search(data) is None:
            return PLAIN
    return ODD


def inside(data: bytes) -> bool:
    """True when `data` is INSIDE."""
    return kind(data) == INSIDE


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


def scan(data: bytes, max_row: int, widest: bytes, narrow: bytes = b"") -> tuple[int, bytes, bytes] | None:
    """(max_row, widest, narrow) after this chunk, the same as `by_findall` and `NARROW_CELL_RE`
    give, in one search when the chunk's cells are in order. `narrow` is the widest one-letter
    column of a value cell, followed only while no value cell is wider than Z (`widest` empty):
    a sheet of more than MAX_SHEET_CELLS / 26 rows needs it, and a second pass over the part
    would cost a second inflate. None when the chunk refers beyond Excel's last row or column."""
    for size in (TAIL, 64 * TAIL):  # the last cells (a chunk may end in a long trailer)
        tail = data[-size:]
        rows = VALUE_ROW_RE.findall(tail)
        if rows:
            max_row = max(max_row, max(map(int, rows)))
            break
    wide = WIDE_CELL_RE.findall(tail)
    if wide:
        widest = max([widest] + wide, key=lambda c: (len(c), c))
    if not widest:
        found = NARROW_CELL_RE.findall(tail)
        if found:
            narrow = max([narrow] + found)
    pos = moves = misses = 0
    while True:
        # While no value cell is wider than Z the quick search looks, and the exact one judges
        # what it cannot tell (a reference of two letters or more, a longer row number).
        quick = not widest and misses <= MAX_MOVES and max_row < 10_000_000  # (past Excel: the exact one)
        m = (_quick(max_row, narrow) if quick else _scanner(max_row, widest, narrow)).search(data, pos)
        if m is None:
            return max_row, widest, narrow
        kind = m.lastgroup
        if kind in _JUDGE:
            found = _scanner(max_row, widest, narrow).match(data, m.start())
            if found is None:  # formatting only, or not wider
                pos = m.end()
                misses += 1
                continue
            m, kind = found, found.lastgroup
        if kind == "beyond" or kind == "beyond8":
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
            elif letters > narrow:
                narrow = letters
        pos = m.end()
        moves += 1
        if moves > MAX_MOVES:
            found = by_findall(data, max_row, widest)
            if found is None:
                return None
            return (*found, max([narrow] + NARROW_CELL_RE.findall(data)))


@functools.lru_cache(maxsize=256)
def _scanner(max_row: int, widest: bytes, narrow: bytes = b"") -> re.Pattern:
    """The exact search: a reference beyond Excel ('beyond', 'beyond8'), a row tag numbered
    past it ('rowtag', to be checked), a value cell in a row past `max_row` ('row'), in a
    column wider than `widest` ('col') or, while `widest` is empty, in a one-letter column past
    `narrow` ('narrow')."""
    narrow_part = b""  # `narrow` matters only while `widest` is empty
    if not widest and narrow < b"Z":
        narrow_part = rb"|(?P<narrow>" + _letter_above(narrow) + rb')\d+"(?!(?: [\w:.-]+="[^"<>/]*")*\s*/>)'
    return re.compile(
        rb' r="(?:(?P<beyond>[A-Z]{4,}\d+")|(?P<beyond8>[A-Z]{1,3}\d{8,}")|(?P<rowtag>\d{8,}")'
        + rb"|[A-Z]{1,3}(?P<row>"
        + _digits_above(max_row)
        + rb')"(?!(?: [\w:.-]+="[^"<>/]*")*\s*/>)|(?P<col>'
        + _letters_above(widest)
        + rb')\d+"(?!(?: [\w:.-]+="[^"<>/]*")*\s*/>)'
        + narrow_part
        + rb")"
    )


@functools.lru_cache(maxsize=256)
def _quick(max_row: int, narrow: bytes) -> re.Pattern:
    """The search while no value cell is wider than Z. It stops at a value cell in a row past
    `max_row` ('row') or in a one-letter column past `narrow` ('narrow'), and for `_scanner`
    to judge at every reference of two letters or more, with a longer row number than
    `max_row`'s or none (a row tag): 'more', 'longer', 'tag'. Built so that the common
    reference, one letter and a row number no greater than `max_row`, fails after a few
    steps: a shorter row number is passed over by a look-ahead, and one as long is compared
    digit by digit. (`_scanner` alone reads every row number twice and tries every case in
    turn, at about twice the cost; tests/test_extent.py checks the two stop at the same
    references.)"""
    k = _digits(max_row)
    narrow_part = b""
    if narrow < b"Z":
        narrow_part = rb"(?P<narrow>" + _letter_above(narrow) + rb')\d{1,7}"(?!(?: [\w:.-]+="[^"<>/]*")*\s*/>)|'
    return re.compile(
        rb' r="(?:'
        + narrow_part
        + rb"[A-Z](?:(?=\d{%d})(?:(?P<row>" % k
        + _same_length_above(str(max_row).zfill(k).encode())
        + rb')"(?!(?: [\w:.-]+="[^"<>/]*")*\s*/>)|\d{%d}(?P<longer>))|[A-Z](?P<more>))|\d{8}(?P<tag>))' % (k + 1)
    )


_JUDGE = frozenset(("more", "longer", "tag"))


def _same_length_above(s: bytes) -> bytes:
    """A pattern for the digit strings as long as `s` and greater, shaped as a tree so that a
    string that is not fails at its first differing digit."""
    head, rest = s[:1], s[1:]
    alts = []
    if head < b"9":
        alts.append(b"[" + bytes([head[0] + 1]) + b"-9]" + (rb"\d{%d}" % len(rest) if rest else b""))
    if rest:
        below = _same_length_above(rest)
        if below != rb"(?!)":
            alts.append(head + b"(?:" + below + b")")
    return b"|".join(alts) or rb"(?!)"


def _letter_above(narrow: bytes) -> bytes:
    """A pattern for one letter after `narrow` (b'': any)."""
    return b"[A-Z]" if not narrow else b"[" + bytes([narrow[0] + 1]) + b"-Z]"


def _digits(n: int) -> int:
    """How many digits a number above `n` has at least."""
    return len(str(n)) if n > 0 else 1


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
