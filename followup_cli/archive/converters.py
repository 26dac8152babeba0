"""One column's cells turned into typed values: a fast pass over the commonest cell forms
of the whole column (a list comprehension, no call per cell), the per-cell parsers of
cells.py for what it leaves, and equal values of a column that repeats them made one object.
tests/test_column_parsing.py checks the fast pass against the per-cell parsers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from sys import intern

from followup_cli.archive import cells as parse
from followup_cli.archive.phones import parse_phone
from followup_cli.archive.schema import BIRTHDAY, BOOL, DATE, DATETIME, ID, INT, MONEY, NUMBER, PHONE, TEXT


class BadCell(Exception):
    """A cell that cannot be read: raised by a converter, rare, so the common path stays fast."""

    def __init__(self, problem, ambiguous=False):
        self.problem, self.ambiguous = problem, ambiguous


def converter(ftype: str, date_order: str, date1904: bool) -> Callable:
    """value → typed value, raising BadCell, for the cells `_first_pass` left over. A text cell
    reads as `parse_column` reads it: an export's leading apostrophe ('1200) is no part of it, and
    what stands for nothing entered (无, —, a lone ') is None."""
    conv = _converter(ftype, date_order, date1904)
    if ftype == ID:

        def id_conv(v):
            if v.__class__ is str:
                v = v.strip().lstrip("'")
                if not v:
                    return None
            return conv(v)

        return id_conv
    if ftype not in _MARKED_EMPTY:
        return conv

    def marked(v):
        if v.__class__ is str:
            if v[:1] == "'":
                v = v[1:]
            if not v.strip() or v.strip().lower() in parse.EMPTY_MARKS:
                return None
        return conv(v)

    return marked


def _converter(ftype: str, date_order: str, date1904: bool) -> Callable:
    if ftype in (DATE, DATETIME):
        want_date = ftype == DATE

        def date_conv(v):
            r = parse.parse_datetime(v, date_order, date1904)
            if r.value is None:
                if r.problem is None:
                    return None  # 无, —: nothing entered
                raise BadCell(r.problem, r.ambiguous)
            value = r.value.date() if want_date else r.value
            if r.problem is not None:  # 2026/11/16 星期三: read as written, and said
                raise Kept(r.problem, value)
            return value

        return date_conv
    if ftype == PHONE:

        def phone_conv(v):
            value, problem = parse_phone(v)
            if problem:
                raise PhoneWarning(problem, value)
            return value

        return phone_conv
    if ftype == BIRTHDAY:

        def birthday_conv(v):
            value, problem = parse.parse_birthday(v, False, date_order, date1904)
            if isinstance(problem, parse.Placeholder):
                raise Unfilled(problem)
            if problem:
                raise BadCell(problem, getattr(problem, "ambiguous", False))
            return value

        return birthday_conv
    parser = {
        TEXT: parse.parse_text,
        ID: parse.parse_id,
        BOOL: parse.parse_bool,
        MONEY: parse.parse_number,
        NUMBER: parse.parse_number,
        INT: parse.parse_number,
    }[ftype]

    def conv(v):
        value, problem = parser(v)
        if problem:
            raise BadCell(problem)
        return value

    return conv


class Unfilled(BadCell):
    """A stand-in for a value nobody entered (a birthday of 1900-01-01): no value, and a warning."""


class Kept(BadCell):
    """A cell read as written and warned about: a date whose written weekday is another day's."""

    def __init__(self, problem, value):
        super().__init__(problem)
        self.value = value


class PhoneWarning(Kept):
    """A phone that looks wrong is kept (and warned about): the clerk may still dial it."""


_BOOL_FAST = {
    "是": True,
    "否": False,
    "Y": True,
    "N": False,
    "y": True,
    "n": False,
    "√": True,
    "×": False,
    "1": True,
    "0": False,
    "Yes": True,
    "No": False,
    "yes": True,
    "no": False,
}


def _first_pass(ftype: str, raw: list) -> tuple[list, list]:
    """The commonest cell forms of a whole column at once (a list comprehension is several
    times faster than a call per cell): (values, the positions left for the converter)."""
    if ftype == ID:
        # '00123: the apostrophe an export puts before digits so Excel keeps them as text is no part of the id
        values = [(v.strip().lstrip("'") or None) if v.__class__ is str else v for v in raw]
        return values, [k for k, v in enumerate(values) if v is not None and v.__class__ is not str]
    if ftype == TEXT:
        values = [v.strip() or None if v.__class__ is str else v for v in raw]
        return values, [k for k, v in enumerate(values) if v is not None and v.__class__ is not str]
    if ftype == DATE:
        values = [v.date() if v.__class__ is dt.datetime and v.year <= _MAX_YEAR else v for v in raw]
        return values, [
            k for k, v in enumerate(values) if v is not None and (v.__class__ is not dt.date or v.year > _MAX_YEAR)
        ]
    if ftype == DATETIME:
        # a date cell with no time of day is midnight, as parse_datetime makes it
        values = [
            dt.datetime(v.year, v.month, v.day) if v.__class__ is dt.date and v.year <= _MAX_YEAR else v for v in raw
        ]
        return values, [
            k for k, v in enumerate(values) if v is not None and (v.__class__ is not dt.datetime or v.year > _MAX_YEAR)
        ]
    if ftype == PHONE:
        # a mobile as 11 digits, as text or as a number: what parse_phone gives it back as
        values = [str(int(v)) if v.__class__ is float and 1e10 <= v < 2e10 and v.is_integer() else v for v in raw]
        return values, [
            k
            for k, v in enumerate(values)
            if v is not None
            and not (v.__class__ is str and len(v) == 11 and v[0] == "1" and v.isascii() and v.isdigit())
        ]
    if ftype == BOOL:
        values = [_BOOL_FAST.get(v, v) if v.__class__ is str else v for v in raw]
        return values, [k for k, v in enumerate(values) if v is not None and v is not True and v is not False]
    if ftype in (MONEY, NUMBER, INT):
        values = [float(v) if v.__class__ is int else v for v in raw]
        return values, [k for k, v in enumerate(values) if v is not None and v.__class__ is not float]
    if ftype == BIRTHDAY:
        Birthday = parse.Birthday
        values = [
            Birthday(v.month, v.day, False, False, v.year)
            if v.__class__ in _DATES and parse.PLACEHOLDER_BEFORE <= v.year <= _MAX_YEAR
            else v
            for v in raw
        ]
        return values, [k for k, v in enumerate(values) if v is not None and v.__class__ is not Birthday]
    return list(raw), [k for k, v in enumerate(raw) if v is not None]


_DATES = (dt.date, dt.datetime)
_MAX_YEAR = parse.MAX_YEAR


def parse_column(ftype: str, raw: list, date_order: str, date1904: bool) -> tuple[list, list]:
    """One column's cells → (values, [(position, BadCell)] for the cells that could not be read:
    their value is None, or the phone as written for a phone that looks wrong)."""
    values, todo = _first_pass(ftype, raw)
    bad = []
    conv = None
    # A text cell's value depends on its text alone, and a column repeats its texts (a birthday
    # typed 3月5日, a day typed 2025/6/3 on hundreds of rows): each text is parsed once.
    # Only what was read is remembered; a cell that cannot be read is told about each time.
    seen: dict[str, object] = {}
    marks = ftype in _MARKED_EMPTY
    for k in todo:
        r = raw[k]
        if r == "" or r is None:
            values[k] = None
            continue
        text = r.__class__ is str
        if marks and text:
            if r[:1] == "'":  # '1200, '2026-11-16: an export's mark that keeps Excel from converting the cell
                r = r[1:]
            if r.strip().lower() in parse.EMPTY_MARKS:
                values[k] = None  # 无, —, /: what an export or a clerk writes where nothing was entered
                continue
        if text:
            found = seen.get(r, _UNREAD)
            if found is not _UNREAD:
                values[k] = found
                continue
        conv = conv or converter(ftype, date_order, date1904)
        try:
            values[k] = value = conv(r)
        except BadCell as exc:
            bad.append((k, exc))
            values[k] = exc.value if isinstance(exc, Kept) else None
            continue
        if text:
            seen[r] = value
    return values, bad


_UNREAD = object()

_MARKED_EMPTY = frozenset({DATE, DATETIME, BIRTHDAY, PHONE, MONEY, NUMBER, INT})


_SAMPLE = 2000  # cells looked at to tell whether a column repeats its values


def shared_values(values: list, ftype: str, name: str) -> list:
    """The column with equal values made one object: a log repeats a kind, a staff name, a store,
    a day thousands of times, and each cell read is an object of its own (tens of bytes each).
    Ids are interned, so a purchase's customer id is the customer record's own string."""
    if ftype == ID and name in ("id", "customer_id"):
        return [intern(v) if v.__class__ is str else v for v in values]
    if ftype not in (TEXT, ID, DATE, DATETIME, PHONE):
        return values
    sample = values[:_SAMPLE]
    if len(set(sample)) * 2 > len(sample):
        return values  # mostly different values (names, notes): nothing to share
    seen: dict = {}
    get = seen.setdefault
    return [get(v, v) for v in values]
