"""What a clerk writes around a date that is not the date itself.

- The day of the week (2026/11/16 星期一, 2026-11-16(周一), Mon 2026-11-16): set aside, and checked.
  A weekday that is not the date's (2026/11/16 星期三: the 16th is a Monday) means one of the two
  was mistyped; the date as written is read and `check` warns at the cell, naming both days.
- A month and day without a year (11-23, 11/23, 11.23, 11月23日, 11月23日(周一)), as a hand-kept
  visit book writes the days of the current year. The year is taken from the dates of the same
  column (the nearest written with a year, the row above first: a book is kept in order), the year
  nearest to that date, else from the sheet's name (2026年11月, 2026.11, 2026回访); a weekday written
  beside it picks among those years. One warning per column says which year was taken and from
  where; with no year to be had the cell stays an error saying how to write it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from followup_cli.archive.problems import WARNING, Problem
from followup_cli.text.messages import Msg, msg
from followup_cli.xlsx.refs import cell_ref

if TYPE_CHECKING:
    from followup_cli.archive.records import SheetSource

WEEKDAY_RE = re.compile(
    r"[(（]?\s*(?:星期|周|礼拜)([一二三四五六日天])\s*[)）]?"
    r"|\b(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\b\.?,?",
    re.IGNORECASE,
)
_ZH_DAYS = "一二三四五六日"
_EN_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ZH_NAMES = tuple(f"星期{d}" for d in _ZH_DAYS)
_EN_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def weekday_of(match: re.Match) -> int:
    """0 (Monday) … 6 (Sunday) for a WEEKDAY_RE match."""
    if match.group(1):
        return _ZH_DAYS.index(match.group(1).replace("天", "日"))
    return _EN_DAYS.index(match.group(2).lower()[:3])


def contradiction(text: str, day: dt.datetime, written: int) -> Msg:
    return msg(
        f"“{text}”写的是{_ZH_NAMES[written]}，但 {day:%Y-%m-%d} 是{_ZH_NAMES[day.weekday()]}：按 {day:%Y-%m-%d} 读取；"
        "请核对日期和星期，改正写错的一个",
        f"'{text}' says {_EN_NAMES[written]}, but {day:%Y-%m-%d} is a {_EN_NAMES[day.weekday()]}: read as "
        f"{day:%Y-%m-%d}; check which of the two is right and correct the other",
    )


# A time of day in words after a date (2026年11月23日上午10点, 下午3点半, 15点20分): the clock it means.
_CLOCK_RE = re.compile(r"(?<=[\d日号\s])(\d{1,2})\s*[点時时](?:\s*(半|\d{1,2})\s*分?)?(?!\d)")


def clock_words(text: str) -> str:
    """The date text with a time of day in words written as hh:mm (上午 / 下午 are set aside before)."""
    if "点" not in text and "时" not in text and "時" not in text:
        return text
    return _CLOCK_RE.sub(lambda m: f" {int(m[1])}:{'30' if m[2] == '半' else (m[2] or '0').zfill(2)}", text)


# 11-23, 11/23, 11.23, 11月23日 (号), maybe with a time of day: a day of some year
_MONTH_DAY_RE = re.compile(
    r"^(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*[日号]?(?:[ T]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?$"
)


class NoYear(Msg):
    """The problem of a month and day written without a year; carries them for `resolve`."""

    month: int
    day: int
    time: tuple[int, int, int]
    weekday: int | None


def month_day(text: str, date_order: str, weekday: int | None, shown: str) -> NoYear | None:
    """A NoYear for text that is a real month and day (any year) and nothing else, else None;
    `shown` is the cell as written (with its weekday)."""
    m = _MONTH_DAY_RE.match(text)
    if not m:
        return None
    if "." in text and len(m[2]) < 2:
        return None  # 3.5 is as likely a number as the 5th of March; 11.23 and 3.05 are days
    a, b = int(m[1]), int(m[2])
    month, day = (b, a) if date_order == "dmy" and "月" not in text else (a, b)
    try:
        dt.date(2000, month, day)  # a leap year: 2月29日 is a day of some year
        when = dt.time(int(m[3] or 0), int(m[4] or 0), int(m[5] or 0))
    except ValueError:
        return None
    out = NoYear(
        f"'{shown}' has no year; type the whole date (2026-{month:02d}-{day:02d}), or put the year in the "
        "sheet's name (2026年11月)",
        f"“{shown}”没有年份；请写完整日期（2026-{month:02d}-{day:02d}），或在工作表名中写上年份（如 2026年11月）",
    )
    out.month, out.day, out.time, out.weekday = month, day, (when.hour, when.minute, when.second), weekday
    return out


_SHEET_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月?|[-._/](\d{1,2})(?!\d))?")


def _sheet_year(sheet: str) -> tuple[dt.date, str] | None:
    """The middle of the month (or of the year) a sheet's name names: 2026年11月 → 2026-11-15."""
    m = _SHEET_YEAR_RE.search(sheet)
    if not m:
        return None
    month = int(m[2] or m[3] or 0)
    if 1 <= month <= 12:
        return dt.date(int(m[1]), month, 15), m.group(0)
    return dt.date(int(m[1]), 7, 1), m[1]


def _make(ny: NoYear, year: int) -> dt.datetime | None:
    try:
        return dt.datetime(year, ny.month, ny.day, *ny.time)
    except ValueError:  # 2月29日 of a year that has none
        return None


def _nearest(ny: NoYear, ref: dt.date) -> dt.datetime | None:
    """The day of year ref.year - 1, ref.year or ref.year + 1 nearest ref (12-30 beside 2027-01-02 is
    2026-12-30) and, when a weekday is written, falling on it (looked for within six years)."""
    years = [ref.year, ref.year - 1, ref.year + 1]
    if ny.weekday is not None:
        years += [y for k in range(2, 7) for y in (ref.year - k, ref.year + k)]
    days = [d for d in map(lambda y: _make(ny, y), years) if d is not None]
    if ny.weekday is not None:
        days = [d for d in days if d.weekday() == ny.weekday]
    return min(days, key=lambda d: abs(d.date() - ref), default=None)


def resolve(
    src: SheetSource, values: list, bad: list, kept: list, col: int, label: Msg, problems: list, want_date: bool
) -> list:
    """Give the year-less cells of one date column (`bad` entries whose problem is a NoYear) their
    year where one can be had; returns what is left of `bad`. One warning names the cells so read."""
    if not any(isinstance(exc.problem, NoYear) for _, exc in bad):
        return bad
    full = [(k, v) for k, v in enumerate(values) if v is not None]
    from_sheet = _sheet_year(src.sheet)
    left, read = [], []  # read: (position, the day, from where)
    j = 0  # full[j] is the first dated cell after position k
    for k, exc in bad:
        ny = exc.problem
        if not isinstance(ny, NoYear):
            left.append((k, exc))
            continue
        while j < len(full) and full[j][0] < k:
            j += 1
        near = full[j - 1] if j > 0 else full[j] if j < len(full) else None
        if near is not None:
            ref = near[1] if near[1].__class__ is dt.date else near[1].date()
            day, why = _nearest(ny, ref), cell_ref(kept[near[0]], col)
        elif from_sheet is not None:
            day, why = _nearest(ny, from_sheet[0]), from_sheet[1]
        else:
            day = None
        if day is None:
            left.append((k, exc))
            continue
        values[k] = day.date() if want_date else day
        read.append((k, day, why))
    if read:
        cells = ", ".join(f"{cell_ref(kept[k], col)} → {d:%Y-%m-%d}" for k, d, _ in read[:5])
        more = f" … (+{len(read) - 5})" if len(read) > 5 else ""
        whence = read[0][2]
        sheet_said = from_sheet is not None and whence == from_sheet[1]
        zh_from = f"工作表名“{src.sheet}”" if sheet_said else f"同列中写了年份的日期（如 {whence}）"
        en_from = (
            f"the sheet's name '{src.sheet}'" if sheet_said else f"the dates of the column written with one ({whence})"
        )
        problems.append(
            Problem(
                WARNING,
                str(src.file),
                src.sheet,
                cell_ref(src.header_row - 1, col),
                None,
                msg(
                    f"{label.zh}：{len(read)} 个日期没有写年份，年份取自{zh_from}：{cells}{more}；"
                    "如有不对，请写上完整日期",
                    f"{label}: {len(read)} date(s) written without a year, the year taken from {en_from}: "
                    f"{cells}{more}; type the whole date where that is wrong",
                ),
                "date-without-year",
            )
        )
    return left
