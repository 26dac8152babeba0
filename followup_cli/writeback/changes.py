"""What a write is asked to do, and the checks a caller's request passes before a byte is read.

`Append` (rows below a sheet's last real row), `Update` (cells in place) and `ExtendHeader`
(new header columns at a sheet's right end) are the changes `transaction.apply_changes`
takes. `check_changes` copies them, every value and key checked (a caller's bug is a TypeError
before anything is written); `group_by_sheet` merges them into one piece of work per sheet
part, refusing contradictions (the same cell given two values, two header rows).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from followup_cli.xlsx.cells import check_value_type
from followup_cli.xlsx.limits import MAX_COL, MAX_ROW
from followup_cli.xlsx.package import PackageInfo, SheetEntry
from followup_cli.xlsx.refs import col_letters

if TYPE_CHECKING:
    from collections.abc import Iterable


@dataclass
class Append:
    """Rows to append below the last real row of `sheet` (see `append_rows`)."""

    sheet: str
    rows: list[list]
    header_row: int | None = None


@dataclass
class Update:
    """Cells to rewrite in place on `sheet`: {(row, col): value}, 1-based (see `update_cells`)."""

    sheet: str
    updates: dict[tuple[int, int], object]


@dataclass
class ExtendHeader:
    """New columns at the right end of `sheet`'s header: {column: header text}, 1-based.

    The columns must come right after the last column the sheet uses (`sheet_width`);
    a table or autofilter that ends there on the header row grows with them
    (xlsx/header.py). Values for them go in the same write's `Append` rows.
    """

    sheet: str
    header_row: int
    columns: dict[int, str]


def check_changes(changes: Iterable[Append | Update | ExtendHeader]) -> list[Append | Update]:
    """Copies of the changes, every value and key checked: a caller's bug is a TypeError here."""
    if isinstance(changes, (Append, Update)):
        raise TypeError("changes is a list of Append and Update, not a single change")
    out: list[Append | Update] = []
    for ch in changes:
        if not isinstance(ch, (Append, Update, ExtendHeader)):
            raise TypeError(f"a change is an Append, an Update or an ExtendHeader, got {ch!r}")
        if not isinstance(ch.sheet, str):
            raise TypeError(f"a sheet name is a str, got {ch.sheet!r}")
        if isinstance(ch, ExtendHeader):
            if not all(isinstance(c, int) and isinstance(n, str) and n for c, n in ch.columns.items()):
                raise TypeError(f"header columns are {{column: text}}, got {ch.columns!r}")
            out.append(ExtendHeader(ch.sheet, ch.header_row, dict(ch.columns)))
            continue
        if isinstance(ch, Append):
            if ch.header_row is not None and (isinstance(ch.header_row, bool) or not isinstance(ch.header_row, int)):
                raise TypeError(f"header_row is a row number, got {ch.header_row!r}")
            rows = [list(r) for r in ch.rows]
            for r in rows:
                for v in r:
                    check_value_type(v)
            out.append(Append(ch.sheet, rows, ch.header_row))
        else:
            updates = dict(ch.updates)
            for key, v in updates.items():
                if not (isinstance(key, tuple) and len(key) == 2 and all(isinstance(x, int) for x in key)):
                    raise TypeError(f"cell keys are (row, col) integers, got {key!r}")
                r, c = key
                if not (1 <= r <= MAX_ROW and 1 <= c <= MAX_COL):
                    raise ValueError(f"cell ({r}, {c}) is outside a worksheet")
                check_value_type(v)
            out.append(Update(ch.sheet, updates))
    return out


@dataclass
class SheetWork:
    entry: SheetEntry
    rows: list[list] = field(default_factory=list)
    header_row: int | None = None
    updates: dict[tuple[int, int], object] = field(default_factory=dict)
    header: dict[int, str] = field(default_factory=dict)


def _same_value(a, b) -> bool:
    return type(a) is type(b) and a == b


def group_by_sheet(info: PackageInfo, changes: list[Append | Update], where: str) -> list[SheetWork]:
    """One piece of work per sheet part, in the order the changes first name each sheet."""
    work: dict[str, SheetWork] = {}
    for ch in changes:
        entry = info.sheet(ch.sheet, where)
        w = work.setdefault(entry.part, SheetWork(entry))
        if isinstance(ch, ExtendHeader):
            if w.header_row is not None and w.header_row != ch.header_row:
                raise TypeError(f"sheet '{entry.name}': the header extension and an append give different header rows")
            w.header_row = ch.header_row
            w.header.update(ch.columns)
        elif isinstance(ch, Append):
            if ch.header_row is not None:
                if w.header_row is not None and w.header_row != ch.header_row:
                    raise TypeError(
                        f"sheet '{entry.name}': two appends give different header rows ({w.header_row}, {ch.header_row})"
                    )
                w.header_row = ch.header_row
            w.rows += ch.rows
        else:
            for key, v in ch.updates.items():
                if key in w.updates and not _same_value(w.updates[key], v):
                    raise TypeError(
                        f"sheet '{entry.name}': cell {col_letters(key[1])}{key[0]} is updated twice, "
                        f"to {w.updates[key]!r} and to {v!r}"
                    )
                w.updates[key] = v
    return list(work.values())
