"""Lunar months: lunar ⇄ solar conversion and how lunar dates are written.

The month tables come from borax (MIT), corrected where borax stands alone against the
observatory tables (corrections.LUNAR_MONTH_STARTS, with their sources). Solar terms
(清明) come from borax too.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from borax.calendars.lunardate import LCalendars, LunarDate

from followup_cli.calendar.corrections import LUNAR_MONTH_STARTS
from followup_cli.errors import FollowupError
from followup_cli.text.messages import msg

MIN_YEAR = 1901
MAX_YEAR = 2099
# borax's lunar table covers lunar years 1900-2100; birthdays near the edges of the public
# range look one lunar year either side.
_MIN_LUNAR_YEAR = 1900
_MAX_LUNAR_YEAR = 2100

_RANGE_HINT = msg("日历覆盖 1901-2099 年", "the calendar covers 1901-2099")


class CalendarError(FollowupError, ValueError):
    """A date the calendar cannot work with (out of range, a lunar day that does not exist)."""


def check_year(year: int, what: str = "year") -> None:
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarError(
            msg(f"年份 {year!r} 不在 {MIN_YEAR}-{MAX_YEAR} 之内", f"{what} {year!r} is outside {MIN_YEAR}-{MAX_YEAR}"),
            _RANGE_HINT,
        )


_LUNAR_MONTH_ZH = ["正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊"]
_DIGITS_ZH = "〇一二三四五六七八九"


def lunar_month_zh(month: int, leap: bool = False) -> str:
    return ("闰" if leap else "") + _LUNAR_MONTH_ZH[month - 1] + "月"


def lunar_day_zh(day: int) -> str:
    if day <= 10:
        return "初" + ("十" if day == 10 else _DIGITS_ZH[day])
    if day < 20:
        return "十" + _DIGITS_ZH[day - 10]
    if day == 20:
        return "二十"
    if day < 30:
        return "廿" + _DIGITS_ZH[day - 20]
    return "三十"


def lunar_md_text(month: int, day: int, leap: bool = False, lang: str = "zh") -> str:
    """A lunar month and day as people write it: 农历闰四月初五 / lunar leap 4/5."""
    return msg(
        f"农历{lunar_month_zh(month, leap)}{lunar_day_zh(day)}", f"lunar {'leap ' if leap else ''}{month}/{day}"
    ).text(lang)


@cache
def lunar_year_table(lunar_year: int) -> dict[tuple[int, bool], tuple[int, int]]:
    """(month, leap) → (ordinal of the month's first solar day, days in the month), in month order."""
    if not _MIN_LUNAR_YEAR <= lunar_year <= _MAX_LUNAR_YEAR:
        raise CalendarError(
            msg(
                f"农历年 {lunar_year} 不在 {_MIN_LUNAR_YEAR}-{_MAX_LUNAR_YEAR} 之内",
                f"lunar year {lunar_year} is outside {_MIN_LUNAR_YEAR}-{_MAX_LUNAR_YEAR}",
            ),
            _RANGE_HINT,
        )
    ordinal = LunarDate(lunar_year, 1, 1).to_solar_date().toordinal()
    months = []
    for month, ndays, leap in LCalendars.iter_year_month(lunar_year):
        months.append([(month, bool(leap)), ordinal, ndays])
        ordinal += ndays
    for i, (key, first, ndays) in enumerate(months):
        correction = LUNAR_MONTH_STARTS.get((lunar_year, *key))
        if correction is not None and i > 0:
            fixed = correction.value
            shift = fixed.toordinal() - first
            months[i - 1][2] += shift
            months[i][1] = fixed.toordinal()
            months[i][2] -= shift
    return {key: (first, ndays) for key, first, ndays in months}


def _no_month(lunar_year: int, month: int, leap: bool) -> CalendarError:
    return CalendarError(
        msg(
            f"农历 {lunar_year} 年没有{lunar_month_zh(month, leap)}",
            f"lunar year {lunar_year} has no {'leap ' if leap else ''}month {month}",
        )
    )


def lunar_month_days(lunar_year: int, month: int, leap: bool = False) -> int:
    """Days (29 or 30) of a lunar month; raises CalendarError when that (leap) month does not exist."""
    entry = lunar_year_table(lunar_year).get((month, bool(leap)))
    if entry is None:
        raise _no_month(lunar_year, month, leap)
    return entry[1]


def leap_month(lunar_year: int) -> int:
    """The leap month of a lunar year, 0 when it has none."""
    for month, leap in lunar_year_table(lunar_year):
        if leap:
            return month
    return 0


def lunar_to_solar(lunar_year: int, month: int, day: int, leap: bool = False) -> dt.date:
    """The solar date of an existing lunar date (strict: no birthday rules applied)."""
    entry = lunar_year_table(lunar_year).get((month, bool(leap)))
    if entry is None:
        raise _no_month(lunar_year, month, leap)
    first, ndays = entry
    if not 1 <= day <= ndays:
        raise CalendarError(
            msg(
                f"农历 {lunar_year} 年{lunar_month_zh(month, leap)}只有 {ndays} 天，没有第 {day} 天",
                f"lunar {lunar_year} {lunar_month_zh(month, leap)} has {ndays} days, not {day}",
            )
        )
    return dt.date.fromordinal(first + day - 1)


def solar_to_lunar(d: dt.date) -> tuple[int, int, int, bool]:
    """(lunar_year, month, day, leap) of a solar date."""
    # borax gives the lunar year (the corrections move no year boundary); the month and day
    # come from the corrected table.
    lunar_year = LunarDate.from_solar(d).year
    ordinal = d.toordinal()
    for (month, leap), (first, ndays) in lunar_year_table(lunar_year).items():
        if first <= ordinal < first + ndays:
            return lunar_year, month, ordinal - first + 1, leap
    raise AssertionError(f"{d} is in no month of lunar {lunar_year}")
