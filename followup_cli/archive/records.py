"""The archive's records, typed, each knowing the sheet and row it came from.

One record class per sheet role, with exactly the fields schema.py declares for it, plus
`src` (the SheetSource: file, sheet, column of each field) and `row` (Excel's 1-based row),
so any message can point at the cell a value came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, make_dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from followup_cli.archive.schema import ROLES
from followup_cli.xlsx.refs import cell_ref

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable


@dataclass
class SheetSource:
    """Where one role's records were read from."""

    role: str
    file: Path
    sheet: str
    header_row: int  # 1-based
    columns: dict[str, int]  # field name → 0-based column
    headers: list[str]  # the header row as found, for writing back in the sheet's own order
    extra_columns: dict[str, int] = field(default_factory=dict)  # unknown header → column
    lang: str = "zh"
    role_how: str = ""  # how the role was decided (followup.toml, sheet name, headers ...)
    uses: list = field(default_factory=list)  # sheetmap.ColumnUse per column: what it became, how, how sure
    consent: list = field(default_factory=list)  # (column, field, channels) folded into do_not_contact
    codes: dict = field(default_factory=dict)  # field → {code: label} read from numeric codes
    lunar: bool | None = None  # the birthday header says every birthday is lunar (True) or solar
    store: str = ""  # the store this sheet's name gives, used when there is no store column
    stand_ins: dict[str, str] = field(default_factory=dict)  # 'id' → 'phone': a field read from another
    skipped: list = field(default_factory=list)  # (row, kind) of totals and footer rows passed over
    links: dict = field(default_factory=dict)  # how rows found their customer: {'id': n, 'phone': n, ...}
    refusals: dict = field(default_factory=dict)  # Excel row → {'header', 'words'}: a refusal in a tags/notes cell
    hidden: bool = False  # the workbook hides the sheet: read all the same, and said (archive/coverage.py)
    struck: frozenset = frozenset()  # 0-based rows struck through (archive/row_marks.py)
    said: dict = field(default_factory=dict)  # visit row → a refusal in its words (archive/said_in_visits.py)

    def cell(self, field_name: str, row: int) -> str:
        col = self.columns.get(field_name)
        if col is None and field_name in self.stand_ins:
            col = self.columns.get(self.stand_ins[field_name])
        if col is None:
            return f"{row}"
        return cell_ref(row - 1, col)

    def where(self, field_name: str, row: int) -> str:
        return f"{self.file.name} {self.sheet}!{self.cell(field_name, row)}"


_CLASS_NAMES = {
    "customers": "Customer",
    "purchases": "Purchase",
    "visits": "Visit",
    "tickets": "Ticket",
    "projects": "Project",
    "staff": "Staff",
    "milestones": "Milestone",
    "issues": "Issue",
    "audits": "Audit",
    "blocklist": "Blocked",
}


def _record_class(role: str):
    fields = [(f.name, object, field(default=None)) for f in ROLES[role]["fields"]]
    fields += [
        ("src", object, field(default=None, repr=False)),
        ("row", int, field(default=0)),
        ("extra", object, field(default=None, repr=False)),
    ]
    return make_dataclass(_CLASS_NAMES[role], fields, slots=True)


Customer = _record_class("customers")
Purchase = _record_class("purchases")
Visit = _record_class("visits")
Ticket = _record_class("tickets")
Project = _record_class("projects")
Staff = _record_class("staff")
Milestone = _record_class("milestones")
Issue = _record_class("issues")
Audit = _record_class("audits")
Blocked = _record_class("blocklist")

RECORD_CLASSES = {
    "customers": Customer,
    "purchases": Purchase,
    "visits": Visit,
    "tickets": Ticket,
    "projects": Project,
    "staff": Staff,
    "milestones": Milestone,
    "issues": Issue,
    "audits": Audit,
    "blocklist": Blocked,
}


@dataclass
class Archive:
    """Everything read from a shop's workbooks."""

    paths: list[Path]
    customers: list = field(default_factory=list)
    purchases: list = field(default_factory=list)
    visits: list = field(default_factory=list)
    tickets: list = field(default_factory=list)
    projects: list = field(default_factory=list)
    staff: list = field(default_factory=list)
    milestones: list = field(default_factory=list)
    issues: list = field(default_factory=list)
    audits: list = field(default_factory=list)
    blocklist: list = field(default_factory=list)  # customers a 黑名单 sheet says not to contact
    sources: list[SheetSource] = field(default_factory=list)
    unused_sheets: list = field(default_factory=list)  # sheetmap.UnusedSheet: named, never dropped silently
    problems: list = field(default_factory=list)
    # customer key -> the customer rows sharing it (archive/duplicates.py): never scheduled
    duplicates: dict = field(default_factory=dict)
    lang: str = "zh"
    date1904: bool = False
    # as-of date → archive.staff.StaffDirectory, built on first use
    staff_directories: dict = field(default_factory=dict, repr=False, compare=False)

    def records(self, role: str) -> list:
        return getattr(self, role)

    def source(self, role: str) -> SheetSource | None:
        for s in self.sources:
            if s.role == role:
                return s
        return None


def row_in_sheet_order(values: dict, columns: dict[str, int], width: int = 0) -> list:
    """A row to append to a sheet: each value under its field's column, the rest empty."""
    row = [None] * max(width, (max(columns.values()) + 1) if columns else 0)
    for name, col in columns.items():
        if name in values:
            row[col] = values[name]
    return row


_NUMBERED = re.compile(r"(.*?)(\d+)")


def id_counter(existing: Iterable[object], prefix: str, width: int) -> Callable[[], str]:
    """Next ids in the pattern the sheet already uses (V00421 → V00422), else prefix + number."""
    best = (prefix, 0, width)
    match = _NUMBERED.fullmatch  # once: a visit log has hundreds of thousands of ids
    for value in existing:
        m = match(str(value or ""))
        if m and int(m[2]) >= best[1]:
            best = (m[1], int(m[2]), len(m[2]))
    prefix, number, width = best
    state = {"n": number}

    def nxt() -> str:
        state["n"] += 1
        return f"{prefix}{state['n']:0{width}d}"

    return nxt
