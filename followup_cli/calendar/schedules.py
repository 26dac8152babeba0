"""A year's holiday schedule (days off and make-up workdays) from the library, or computed from
the statutory rule when no schedule has been published.

- official: chinesecalendar's data (the State Council notices it carries), with the entries
  of corrections.SCHEDULE_DAYS applied.
- computed: 《全国年节及纪念日放假办法》 as revised in 2024 (in force from 2025): the 13
  statutory days of article 2, plus, under article 6, a weekday off (补假) for each of them
  that falls on a Saturday or Sunday. No make-up workdays: those only a notice can give.
An imported notice (followup.toml) is read in settings.py and takes the same shape.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache, lru_cache

from followup_cli.calendar.corrections import SCHEDULE_DAYS
from followup_cli.calendar.festivals import festival_date, find_festival

ONE_DAY = dt.timedelta(days=1)


@dataclass
class YearSchedule:
    """One year's days off and make-up workdays, each date → (name_zh, name_en)."""

    year: int
    source: str  # official | imported | computed
    holidays: dict[dt.date, tuple[str, str]] = field(default_factory=dict)
    workdays: dict[dt.date, tuple[str, str]] = field(default_factory=dict)
    in_lieu: frozenset = frozenset()  # computed 补假 days (article 6)
    notice: str = ""  # the notice's title, for an imported year


def festival_names(fid: str) -> tuple[str, str]:
    f = find_festival(fid)
    return f.zh, f.en


# chinesecalendar's holiday names → our festival ids (so names read the same everywhere)
_CC_HOLIDAY_FESTIVAL = {
    "new_years_day": "new_year",
    "spring_festival": "spring_festival",
    "tomb_sweeping_day": "qingming",
    "labour_day": "labour_day",
    "dragon_boat_festival": "dragon_boat",
    "national_day": "national_day",
    "mid_autumn_festival": "mid_autumn",
}


@lru_cache(maxsize=1)
def _official_data() -> tuple[range, dict[int, dict], dict[int, dict]]:
    """chinesecalendar's schedules, corrected: (years covered, year → {day off: names},
    year → {make-up workday: names})."""
    from chinese_calendar import constants

    names = {}
    for h in constants.Holiday:
        fid = _CC_HOLIDAY_FESTIVAL.get(h.name)
        names[h.value] = festival_names(fid) if fid else (h.chinese, h.value)
    holidays: dict[int, dict] = {}
    workdays: dict[int, dict] = {}
    for d, value in constants.holidays.items():
        holidays.setdefault(d.year, {})[d] = names.get(value, (value, value))
    for d, value in constants.workdays.items():
        workdays.setdefault(d.year, {})[d] = names.get(value, (value, value))
    years = range(min(holidays), max(holidays) + 1)
    for d, correction in SCHEDULE_DAYS.items():
        is_workday, fid = correction.value
        holidays.setdefault(d.year, {}).pop(d, None)
        workdays.setdefault(d.year, {}).pop(d, None)
        (workdays if is_workday else holidays)[d.year][d] = festival_names(fid)
    return years, holidays, workdays


def official_years() -> range:
    """The years chinesecalendar carries an official schedule for."""
    return _official_data()[0]


def library_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chinesecalendar")
    except PackageNotFoundError:  # run from a source tree without metadata
        return "?"


def official_schedule(year: int) -> YearSchedule | None:
    """The library's schedule for `year`, None when it carries none."""
    years, holidays, workdays = _official_data()
    if year not in years:
        return None
    return YearSchedule(year, "official", dict(holidays.get(year, {})), dict(workdays.get(year, {})))


def statutory_days(year: int) -> list[tuple[str, list[dt.date]]]:
    """Article 2 of the 2025 rule, 13 days: (festival id, its days) in date order."""
    eve = festival_date("new_years_eve", year)
    blocks = [
        ("new_year", [dt.date(year, 1, 1)]),
        ("spring_festival", [eve + ONE_DAY * i for i in range(4)]),  # 除夕 and 正月初一 to 初三
        ("qingming", [festival_date("qingming", year)]),
        ("labour_day", [dt.date(year, 5, 1), dt.date(year, 5, 2)]),
        ("dragon_boat", [festival_date("dragon_boat", year)]),
        ("mid_autumn", [festival_date("mid_autumn", year)]),
        ("national_day", [dt.date(year, 10, day) for day in (1, 2, 3)]),
    ]
    return sorted(blocks, key=lambda block: block[1][0])


@cache
def computed_schedule(year: int) -> YearSchedule:
    """The statutory days off and their 补假 (article 6), without make-up workdays.

    Each statutory day on a Saturday or Sunday gives the first weekday after its holiday that
    is neither a statutory day nor already given as 补假. Two statutory holidays on the same
    day (中秋 on 1-3 October) count once: the rule does not say otherwise.
    """
    blocks = statutory_days(year)
    statutory = {d for _, days in blocks for d in days}
    holidays: dict[dt.date, tuple[str, str]] = {}
    in_lieu: set[dt.date] = set()
    for fid, days in blocks:
        own = [d for d in days if d not in holidays]  # a day two holidays share counts once
        for d in own:
            holidays[d] = festival_names(fid)
        owed = sum(1 for d in own if d.weekday() >= 5)
        d = days[-1]
        while owed:
            d += ONE_DAY
            if d.weekday() < 5 and d not in statutory and d not in in_lieu:
                holidays[d] = festival_names(fid)
                in_lieu.add(d)
                owed -= 1
    return YearSchedule(year, "computed", dict(sorted(holidays.items())), {}, frozenset(in_lieu))
