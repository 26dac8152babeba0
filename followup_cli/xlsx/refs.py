"""Cell references: letters and numbers of Excel's columns, A1 references and ranges.

One convention: a column number is Excel's, 1 for A. The readers hold a sheet as a grid
of lists counted from 0; `cell_ref` is the one place a grid position becomes a reference.
"""

from __future__ import annotations

import re


def col_letters(col: int) -> str:
    """1 → A, 26 → Z, 27 → AA."""
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: str | bytes) -> int:
    """A → 1, XFD → 16384."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def cell_ref(row: int, col: int) -> str:
    """A grid position (row 0, column 0 = A1) → 'D17'."""
    return f"{col_letters(col + 1)}{row + 1}"


_REF_RE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def parse_cell_ref(ref: str) -> tuple[int, int]:
    """'B7' -> (row 7, col 2)."""
    m = _REF_RE.match(ref.strip())
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(m.group(2)), col_index(m.group(1))


def parse_range(ref: str) -> tuple[int, int, int, int]:
    """'A1:L20' -> (top row, left col, bottom row, right col); 'A1' is a 1-cell range."""
    first, _, last = ref.strip().partition(":")
    r1, c1 = parse_cell_ref(first)
    r2, c2 = parse_cell_ref(last) if last else (r1, c1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def format_range(top: int, left: int, bottom: int, right: int) -> str:
    a = f"{col_letters(left)}{top}"
    b = f"{col_letters(right)}{bottom}"
    return a if a == b else f"{a}:{b}"
