"""Who a staff or owner cell names: the one staff resolver every command uses.

A cell (a customer's 负责人, a visit's 回访人, an issue's owner, a --staff option) is matched to
the staff sheet the same way everywhere: trimmed, full-width folded to half-width (NFKC), spaces
inside a Chinese name dropped (孙 丽 = 孙丽) and case-folded, by staff id first, then by name. So `s01`, `S01` and `Ｓ０１` are one person, and
`check`, `due`, `sheet`, `record`, `assign`, `kpi` and `audit` agree on whether that person is
active, has left, is ambiguous (a name several staff share) or is unknown.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from followup_cli.archive.records import Archive

# The state of a cell naming a person.
NONE, ACTIVE, LEFT, UNKNOWN, AMBIGUOUS = "none", "active", "left", "unknown", "ambiguous"


_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_SPACES = re.compile(r"\s+")


def tidy(text: object) -> str:
    """A name as it should be written: full-width folded to half-width (NFKC), trimmed, no space
    inside a Chinese name (孙 丽 is 孙丽), runs of spaces as one (Ann  Lee is Ann Lee)."""
    if text is None:
        return ""
    return _SPACES.sub(" ", _CJK_GAP.sub("", unicodedata.normalize("NFKC", str(text)).strip()))


def fold(text: object) -> str:
    """The form in which two spellings of one id, name or store compare equal: tidy, case-folded."""
    if text is None:
        return ""
    return tidy(text).casefold()


def natural_key(text: object) -> tuple:
    """'S2' before 'S10'; text compared case-insensitively."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", fold(text)) if p)


@dataclass(eq=False)
class Person:
    key: str  # unique: the staff id, or the name when there is no id
    name: str
    staff_id: str
    store: str
    region: str
    role: str
    capacity: Fraction
    active: bool
    record: object = field(default=None, repr=False)
    # Set by assign.Team: whether the role may own customers, and the capacity as an integer weight.
    owns: bool = True
    weight: int = 0

    @property
    def can_receive(self) -> bool:
        return self.active and self.owns and self.capacity > 0

    @property
    def status(self) -> str:
        if not self.active:
            return "left"
        return "active" if self.owns else "not_owner"

    @functools.cached_property
    def sort_key(self) -> tuple:
        return (natural_key(self.staff_id or self.name), natural_key(self.name))

    def label(self) -> str:
        return f"{self.name} ({self.staff_id})" if self.staff_id and self.staff_id != self.name else self.name


@dataclass(frozen=True)
class Match:
    state: str  # NONE, ACTIVE, LEFT, UNKNOWN or AMBIGUOUS
    person: Person | None = None
    matched_by: str = ""  # "id", "name" or ""


@dataclass(frozen=True)
class StaffNote:
    """Something about the staff sheet itself a user should hear (a duplicated id, a bad capacity)."""

    code: str  # "duplicate_staff" or "bad_capacity"
    params: dict = field(default_factory=dict, hash=False, compare=False)


def left_on_of(person: object) -> str:
    """When a person who left did so, as the staff sheet says: the date, or '' when only a status
    or 在职 = 否 says it (the date is unknown)."""
    left_on = getattr(person.record, "left_on", None) if person is not None else None
    return left_on.isoformat()[:10] if isinstance(left_on, (dt.date, dt.datetime)) else ""


def has_left(record: object, as_of: dt.date) -> bool:
    """The staff sheet says this person has left by `as_of` (在职 = 否, or 离职日期 on or before it)."""
    left_on = getattr(record, "left_on", None)
    if isinstance(left_on, dt.datetime):
        left_on = left_on.date()
    return getattr(record, "active", None) is False or (isinstance(left_on, dt.date) and left_on <= as_of)


class StaffDirectory:
    """The staff sheet as of a date, and the matching of cells to people."""

    def __init__(self, staff_records, as_of: dt.date):
        self.as_of = as_of
        self.people: list[Person] = []
        self.notes: list[StaffNote] = []
        self.by_id: dict[str, Person] = {}
        self.by_name: dict[str, list[Person]] = defaultdict(list)
        for s in staff_records:
            name = str(s.name).strip() if s.name is not None else ""
            sid = str(s.staff_id).strip() if s.staff_id else ""
            if not name and not sid:
                continue
            if sid and fold(sid) in self.by_id:
                self.notes.append(StaffNote("duplicate_staff", {"id": sid}))
                continue
            cap = 1 if getattr(s, "capacity", None) is None else s.capacity
            if not math.isfinite(cap) or cap < 0:  # a NaN or an infinity is as wrong as a negative
                self.notes.append(StaffNote("bad_capacity", {"name": name or sid, "value": cap}))
                cap = 0
            p = Person(
                key=sid or name,
                name=name or sid,
                staff_id=sid,
                store=str(s.store or "").strip(),
                region=str(getattr(s, "region", None) or "").strip(),
                role=str(s.role or "").strip(),
                capacity=Fraction(cap).limit_denominator(10**6),
                active=not has_left(s, as_of),
                record=s,
            )
            if not sid and any(q.key == p.key for q in self.people):
                continue  # the same name twice without ids: one person
            self.people.append(p)
            if sid:
                self.by_id[fold(sid)] = p
            if name:
                self.by_name[fold(name)].append(p)
        self.people.sort(key=lambda p: p.sort_key)
        self._cache: dict = {}  # folded text → Match
        self._cells: dict = {}  # a cell's text as written → Match

    def resolve(self, cell: object) -> Match:
        """What a cell naming a person refers to: by staff id first, then by name."""
        if cell.__class__ is str:  # the same few names on every row: folded once each
            found = self._cells.get(cell)
            if found is None:
                found = self._cells[cell] = self._resolve_cell(cell)
            return found
        return self._resolve_cell(cell)

    def _resolve_cell(self, cell: object) -> Match:
        text = fold(cell)
        if not text:
            return Match(NONE)
        found = self._cache.get(text)
        if found is None:
            found = self._cache[text] = self._resolve(text)
        return found

    def _resolve(self, text: str) -> Match:
        p = self.by_id.get(text)
        if p is not None:
            return Match(ACTIVE if p.active else LEFT, p, "id")
        named = self.by_name.get(text, [])
        if len(named) == 1:
            p = named[0]
            return Match(ACTIVE if p.active else LEFT, p, "name")
        if named:
            # Several people share the name: only when every one of them has left is it clearly vacant.
            return Match(AMBIGUOUS if any(q.active for q in named) else LEFT, None, "name")
        return Match(UNKNOWN)

    def find(self, who: object) -> list[Person]:
        """Everyone a --staff/--handover value could mean (one, several namesakes, or nobody)."""
        text = fold(who)
        if text in self.by_id:
            return [self.by_id[text]]
        return list(self.by_name.get(text, []))

    def display(self, cell: object) -> str | None:
        """How a person is shown in lists and KPIs: the staff sheet's name when the cell names
        one person, else the cell tidied (an unknown or ambiguous name stays visible; 孙 丽 and
        孙丽 are still one name)."""
        if cell is None or not str(cell).strip():
            return None
        m = self.resolve(cell)
        return m.person.name if m.person is not None else tidy(cell)

    def active_name(self, cell: object) -> str | None:
        """The person to give a task to: the name of an active person the cell names; a cell the
        staff sheet does not know is kept as written (it may be a sheet without a staff list);
        nobody when the person has left or the name is ambiguous."""
        m = self.resolve(cell)
        if m.state == ACTIVE:
            return m.person.name
        if m.state == UNKNOWN:
            return tidy(cell)
        return None

    def shares_name(self, p: Person) -> bool:
        return len(self.by_name.get(fold(p.name), [])) > 1


def staff_directory(archive: Archive, as_of: dt.date) -> StaffDirectory:
    """The archive's staff directory as of a date, built once per archive and date."""
    found = archive.staff_directories.get(as_of)
    if found is None:
        found = archive.staff_directories[as_of] = StaffDirectory(archive.staff, as_of)
    return found
