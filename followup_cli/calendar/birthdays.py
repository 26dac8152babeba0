"""Birthdays, solar and lunar: the occurrence in a year, the next and the previous one, and
the rules for a birthday that does not exist in a year (BirthdayPolicy)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from followup_cli.calendar.lunar import CalendarError, check_year, lunar_year_table
from followup_cli.errors import ConfigError
from followup_cli.text.messages import msg


@dataclass(frozen=True)
class BirthdayPolicy:
    """How a birthday that does not exist in a year is kept. The defaults are the documented rules.

    lunar_day30: a lunar 30th in a month of 29 days: "last_day" (the 29th) or "next_day"
        (the 1st of the following month).
    lunar_leap_month: a birthday in a leap month: "ordinary" (always the ordinary month of
        the same number) or "leap" (the leap month in a year that has that leap month,
        else the ordinary month).
    solar_feb29: a 29 February birthday in a common year: "feb28" or "mar1".
    """

    lunar_day30: str = "last_day"
    lunar_leap_month: str = "ordinary"
    solar_feb29: str = "feb28"

    def __post_init__(self):
        choices = {
            "lunar_day30": ("last_day", "next_day"),
            "lunar_leap_month": ("ordinary", "leap"),
            "solar_feb29": ("feb28", "mar1"),
        }
        for name, allowed in choices.items():
            value = getattr(self, name)
            if value not in allowed:
                raise ConfigError(
                    msg(
                        f"生日规则 {name} = '{value}' 不是 {'、'.join(allowed)} 之一",
                        f"birthday policy {name} = '{value}' is not one of {', '.join(allowed)}",
                    ),
                    msg("请改正 followup.toml 的 [calendar.birthday]", "fix [calendar.birthday] in followup.toml"),
                )


DEFAULT_POLICY = BirthdayPolicy()

_SOLAR_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # in a leap year


def _check_birthday(month: int, day: int, lunar: bool, leap: bool) -> None:
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise CalendarError(msg(f"生日月份 {month!r} 不是 1-12", f"birthday month {month!r} is not 1-12"))
    if lunar:
        if not isinstance(day, int) or not 1 <= day <= 30:
            raise CalendarError(msg(f"农历生日的日 {day!r} 不是 1-30", f"lunar birthday day {day!r} is not 1-30"))
    else:
        if leap:
            raise CalendarError(msg("闰月只用于农历生日", "leap=True only makes sense for a lunar birthday"))
        if not isinstance(day, int) or not 1 <= day <= _SOLAR_MONTH_DAYS[month - 1]:
            raise CalendarError(msg(f"生日 {month}月{day}日 不是日期", f"birthday {month}/{day} is not a date"))


def _solar_occurrence(month: int, day: int, year: int, policy: BirthdayPolicy) -> dt.date:
    if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return dt.date(year, 3, 1) if policy.solar_feb29 == "mar1" else dt.date(year, 2, 28)
    return dt.date(year, month, day)


@lru_cache(maxsize=200_000)
def _lunar_occurrence(month: int, day: int, lunar_year: int, leap: bool, policy: BirthdayPolicy) -> dt.date:
    table = lunar_year_table(lunar_year)
    entry = None
    if leap and policy.lunar_leap_month == "leap":
        entry = table.get((month, True))
    if entry is None:
        entry = table[(month, False)]
    first, ndays = entry
    if day > ndays:  # only a 30th in a month of 29 days
        day = ndays + 1 if policy.lunar_day30 == "next_day" else ndays
    return dt.date.fromordinal(first + day - 1)


def birthday_in_year(
    month: int, day: int, year: int, lunar: bool = False, leap: bool = False, policy: BirthdayPolicy | None = None
) -> dt.date:
    """The solar date of the birthday's occurrence belonging to `year`.

    Solar: the date in solar year `year`. Lunar: the month/day in lunar year `year` (the
    lunar year whose 正月初一 falls in solar `year`), so a birthday in the 11th or 12th
    lunar month can fall in January or February of `year` + 1. Each year has exactly one
    occurrence and occurrences increase with the year, which is what `next_birthday` and
    `previous_birthday` rely on.
    """
    check_year(year)
    _check_birthday(month, day, lunar, leap)
    policy = policy or DEFAULT_POLICY
    if lunar:
        return _lunar_occurrence(month, day, year, bool(leap), policy)
    return _solar_occurrence(month, day, year, policy)


def next_birthday(
    month: int,
    day: int,
    on_or_after: dt.date,
    lunar: bool = False,
    leap: bool = False,
    policy: BirthdayPolicy | None = None,
) -> dt.date:
    """The first occurrence of the birthday on or after a date."""
    if isinstance(on_or_after, dt.datetime):
        on_or_after = on_or_after.date()
    _check_birthday(month, day, lunar, leap)
    policy = policy or DEFAULT_POLICY
    year = on_or_after.year
    check_year(year, "date year")
    if lunar:
        for lunar_year in (year - 1, year, year + 1):
            d = _lunar_occurrence(month, day, lunar_year, bool(leap), policy)
            if d >= on_or_after:
                return d
        raise AssertionError("unreachable: lunar year + 1 always falls after the date")
    d = _solar_occurrence(month, day, year, policy)
    return d if d >= on_or_after else _solar_occurrence(month, day, year + 1, policy)


def previous_birthday(
    month: int,
    day: int,
    on_or_before: dt.date,
    lunar: bool = False,
    leap: bool = False,
    policy: BirthdayPolicy | None = None,
) -> dt.date:
    """The last occurrence of the birthday on or before a date."""
    if isinstance(on_or_before, dt.datetime):
        on_or_before = on_or_before.date()
    _check_birthday(month, day, lunar, leap)
    policy = policy or DEFAULT_POLICY
    year = on_or_before.year
    check_year(year, "date year")
    if lunar:
        for lunar_year in (year, year - 1, year - 2):
            d = _lunar_occurrence(month, day, lunar_year, bool(leap), policy)
            if d <= on_or_before:
                return d
        raise AssertionError("unreachable: lunar year - 2 always falls before the date")
    d = _solar_occurrence(month, day, year, policy)
    return d if d <= on_or_before else _solar_occurrence(month, day, year - 1, policy)
