"""Where a visit's values go when the shop's visit sheet cannot be given a column for them.

`record` adds missing columns to the visit book's header (xlsx/header.py). When that cannot
be done safely (a table that ends before the sheet's last column, cells without references
...), the values are not dropped: they go into a companion workbook the tool owns, beside
the book, `<book>-回访补充.xlsx` (sheet 回访补充 / Visit details), one row per visit with its
customer, date, kind, staff and task id, so each row can be matched with the book's own.
The same row is not added twice (a sheet recorded again adds nothing here either).
The companion is not read as part of the archive (its rows are the book's visits again);
it is the clerk's record of what the book has no room for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from followup_cli.archive.schema import field_by_name
from followup_cli.text.messages import pick
from followup_cli.text.record import COMPANION_SHEET

if TYPE_CHECKING:
    from followup_cli.writeback.outcome import WriteResult

KEY_FIELDS = ["customer_id", "date", "kind", "staff", "task_id"]


@dataclass
class CompanionPlan:
    path: Path
    sheet: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)  # the fields kept here, beyond the key


def companion_path(book: Path) -> Path:
    return book.with_name(f"{book.stem}-回访补充.xlsx")


def _header(fname: str, lang: str) -> str:
    f = field_by_name("visits", fname)
    return pick((f.zh, f.en), lang)


def plan_companion(book: Path, lang: str, missing: list[str], values: list[dict]) -> CompanionPlan:
    """Rows for the values the book has no column for (`values`: visit_values of each visit).

    The layout is fixed (the key, then every field a book may lack), so rows of later runs
    line up with earlier ones; only the fields the book lacks are filled in."""
    from followup_cli.writeback.visit_rows import EXTENDABLE_FIELDS

    columns = KEY_FIELDS + [f for f in EXTENDABLE_FIELDS if f not in KEY_FIELDS]
    plan = CompanionPlan(
        companion_path(book), pick(COMPANION_SHEET, lang), [_header(f, lang) for f in columns], fields=list(missing)
    )
    keep = set(KEY_FIELDS) | set(missing)
    seen = _rows_there(plan.path, len(columns))
    for v in values:
        row = [v.get(f) if f in keep else None for f in columns]
        key = _key(row)
        if key in seen:
            continue
        seen.add(key)
        plan.rows.append(row)
    return plan


def _key(row: list) -> tuple:
    def norm(x):
        if hasattr(x, "date") and callable(x.date):
            x = x.date()
        if isinstance(x, float) and x.is_integer():
            x = int(x)
        return "" if x is None else str(x)

    return tuple(norm(x) for x in row)


def _rows_there(path: Path, width: int) -> set:
    if not path.exists():
        return set()
    from followup_cli.archive.files import open_book

    book = open_book(path)
    rows = book.sheets[0].rows()[1:] if book.sheets else []
    return {_key((list(r) + [None] * width)[:width]) for r in rows}


def write_companion(plan: CompanionPlan, command: str, force: bool) -> WriteResult | None:
    """Append the rows (creating the workbook first); the caller holds the book's lock."""
    from followup_cli.writeback import locks
    from followup_cli.writeback.transaction import append_rows
    from followup_cli.writeback.visits import create_log_workbook

    if not plan.rows:
        return None
    with locks.hold(plan.path):
        if not plan.path.exists():
            create_log_workbook(plan.path, plan.sheet, plan.headers, {1})
        return append_rows(plan.path, plan.sheet, plan.rows, command=command, force=force, header_row=1)
