"""Formulas a new row gets: those of a prepared row it takes the place of, and a formula
column's formula.

A shop that fills a formula column down ahead of its visits (序号 =IF(B9="","",ROW()-1) to
row 1000) has rows that show nothing: the scan counts them as prepared, not real (xlsx/scan.py),
so a new visit goes right below the last one, into such a row. The row's formulas stay in it,
in every column the visit leaves empty, without their cached (empty) result so that a
spreadsheet program calculates them; a shared formula keeps its group, its cell being where
it was.

A formula column (序号 =ROW()-1, 月份 =TEXT(B2,"yyyy-mm"), a table's calculated column) gets
its formula in each new row, moved to that row, as Excel fills it down (`FillDown`). Only the
sheet's own formulas are written as formulas, never a value: text starting with = stays text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import BinaryIO

from openpyxl.formula.translate import Translator

from followup_cli.xlsx import limits
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


# -- a formula column: the new rows get its formula ------------------------------------------

_F_ATTRS = re.compile(rb"""([\w:]+)\s*=\s*["']([^"']*)["']""")


def _formula_of(cell_xml: bytes, prefix: str) -> tuple[dict[str, str], str | None] | None:
    """The attributes and text (None for a shared formula's follower) of a cell's formula."""
    pb = re.escape(prefix.encode())
    fm = re.search(rb"<" + pb + rb"f\b([^>]*?)(/?)>", cell_xml)
    if fm is None:
        return None
    attrs = {k.decode(): v.decode() for k, v in _F_ATTRS.findall(fm.group(1))}
    if fm.group(2):
        return attrs, None
    close = cell_xml.find(b"</" + prefix.encode() + b"f>", fm.end())
    return attrs, html.unescape(cell_xml[fm.end() : close].decode("utf-8")) if close >= 0 else None


def _translate(text: str, origin: str, dest: str) -> str | None:
    try:
        return Translator("=" + text, origin=origin).translate_formula(dest)[1:]
    except Exception:  # a formula the translator cannot parse is not copied
        return None


class FillDown:
    """The formulas of a sheet's formula columns, for the rows appended below its last real row.

    A column is a formula column when the last two real rows hold the same formula there
    (relative references moved by a row, as Excel fills a formula down; a shared formula of
    one group counts), or when a table the new rows join has a calculated column there. Array
    and data-table formulas are never copied. `shared_text(si)` finds a shared formula's text
    and the cell it is written for (a second pass over the part, only when needed).
    """

    def __init__(self, last, prev, prefix: str, where: str, calculated: dict[int, str], shared_text):
        self.by_col: dict[int, tuple[str, str]] = {}  # column -> (formula text, origin cell)
        self.calculated = calculated
        if last is None or prev is None:
            return
        _t, last_cells = row_cells(last.xml, prefix, where)
        _t, prev_cells = row_cells(prev.xml, prefix, where)
        above = {c.col: c for c in prev_cells}
        for cell in last_cells:
            mine, theirs = _formula_of(cell.xml, prefix), None
            if mine is None or cell.col not in above:
                continue
            theirs = _formula_of(above[cell.col].xml, prefix)
            if theirs is None or mine[0].get("t", "normal") not in ("normal", "shared"):
                continue
            here = f"{col_letters(cell.col)}{last.number}"
            if (
                mine[0].get("t") == "shared"
                and theirs[0].get("t") == "shared"
                and mine[0].get("si") == theirs[0].get("si")
            ):
                found = shared_text(mine[0].get("si")) if mine[1] is None else (mine[1], here)
                if found is not None:
                    self.by_col[cell.col] = found
                continue
            if mine[1] is None or theirs[1] is None or "t" in theirs[0] and theirs[0]["t"] != "normal":
                continue
            if _translate(theirs[1], f"{col_letters(cell.col)}{prev.number}", here) == mine[1]:
                self.by_col[cell.col] = (mine[1], here)

    def formula(self, col: int, row: int) -> str | None:
        if col in self.calculated:
            return self.calculated[col]
        if col not in self.by_col:
            return None
        text, origin = self.by_col[col]
        return _translate(text, origin, f"{col_letters(col)}{row}")


def calculated_columns(table_xml: bytes, left: int) -> dict[int, str]:
    """{sheet column: formula} of a table's calculated columns (structured references, which
    need no moving: [#This Row] is the row the cell is in)."""
    out = {}
    for i, m in enumerate(
        re.finditer(rb"<(?:[\w.-]+:)?tableColumn\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?tableColumn>)", table_xml, re.S)
    ):
        body = m.group(1) or b""
        fm = re.search(rb"<(?:[\w.-]+:)?calculatedColumnFormula\b([^>]*)>(.*?)</", body, re.S)
        if fm and b"array" not in fm.group(1):
            out[left + i] = html.unescape(fm.group(2).decode("utf-8"))
    return out


def shared_formula_finder(
    open_part: Callable[[], BinaryIO], prefix: str
) -> Callable[[str | None], tuple[str, str] | None]:
    """A function si -> (text, origin cell) of a shared formula's master, read from the part."""
    pb = re.escape(prefix.encode())
    master = re.compile(rb"<" + pb + rb"f\b([^>]*\bt\s*=\s*[\"']shared[\"'][^>]*)>([^<]*)</" + pb + rb"f>")
    seen: dict[str, tuple[str, str] | None] = {}

    def find(si: str | None):
        if si is None:
            return None
        if si not in seen:
            seen[si] = None
            carry = b""
            with open_part() as stream:
                while chunk := stream.read(limits.CHUNK):
                    buf = carry + chunk
                    for m in master.finditer(buf):
                        attrs = {k.decode(): v.decode() for k, v in _F_ATTRS.findall(m.group(1))}
                        if attrs.get("si") == si and attrs.get("ref"):
                            origin = attrs["ref"].split(":")[0]
                            seen[si] = (html.unescape(m.group(2).decode("utf-8")), origin)
                            return seen[si]
                    carry = buf[-(64 * 1024) :]
        return seen[si]

    return find
