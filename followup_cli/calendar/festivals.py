"""Festivals: the 18 a shop greets on, their names in both languages, and their dates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from borax.calendars.lunardate import TermUtils

from followup_cli.calendar.lunar import (
    MAX_YEAR,
    CalendarError,
    check_year,
    lunar_day_zh,
    lunar_month_zh,
    lunar_to_solar,
)
from followup_cli.errors import ConfigError
from followup_cli.text.messages import msg


@dataclass(frozen=True)
class Festival:
    id: str
    zh: str
    en: str
    rule: str  # English description of the date rule
    rule_zh: str = ""
    kind: str = "solar"  # solar | lunar | lunar_eve | term | nth_weekday
    month: int = 0
    day: int = 0  # day of month; for nth_weekday: which occurrence (1 = first)
    weekday: int = 0  # for nth_weekday: 0 Monday .. 6 Sunday
    aliases: tuple[str, ...] = ()


def _lunar_rule(month: int, day: int) -> tuple[str, str]:
    return f"lunar {month}/{day}", f"农历{lunar_month_zh(month)}{lunar_day_zh(day)}"


FESTIVALS: list[Festival] = [
    Festival(
        "new_year",
        "元旦",
        "New Year's Day",
        "January 1",
        "1月1日",
        "solar",
        1,
        1,
        aliases=("元旦节", "新年", "New Year"),
    ),
    Festival(
        "laba",
        "腊八节",
        "Laba Festival",
        "lunar 12/8, before that year's Spring Festival",
        "农历腊月初八（当年春节前）",
        "lunar",
        12,
        8,
        aliases=("腊八",),
    ),
    Festival(
        "new_years_eve",
        "除夕",
        "Chinese New Year's Eve",
        "last day of the lunar year (12/29 or 12/30)",
        "农历年的最后一天（腊月廿九或三十）",
        "lunar_eve",
        aliases=("大年三十", "年三十", "除夕夜", "Lunar New Year's Eve", "Spring Festival Eve"),
    ),
    Festival(
        "spring_festival",
        "春节",
        "Spring Festival",
        *_lunar_rule(1, 1),
        "lunar",
        1,
        1,
        aliases=("新春", "大年初一", "过年", "Chinese New Year", "Lunar New Year"),
    ),
    Festival(
        "valentines_day",
        "情人节",
        "Valentine's Day",
        "February 14",
        "2月14日",
        "solar",
        2,
        14,
        aliases=("西方情人节", "Valentine", "Valentines"),
    ),
    Festival(
        "lantern_festival",
        "元宵节",
        "Lantern Festival",
        *_lunar_rule(1, 15),
        "lunar",
        1,
        15,
        aliases=("元宵", "正月十五", "Lantern"),
    ),
    Festival(
        "womens_day",
        "妇女节",
        "International Women's Day",
        "March 8",
        "3月8日",
        "solar",
        3,
        8,
        aliases=("三八", "三八节", "三八妇女节", "女神节", "Women's Day"),
    ),
    Festival(
        "qingming",
        "清明节",
        "Qingming Festival",
        "the Qingming solar term (April 4-6)",
        "清明节气（4月4-6日）",
        "term",
        aliases=("清明", "Tomb-sweeping Day", "Tomb Sweeping Day"),
    ),
    Festival(
        "labour_day",
        "劳动节",
        "Labour Day",
        "May 1",
        "5月1日",
        "solar",
        5,
        1,
        aliases=("五一", "五一劳动节", "国际劳动节", "Labor Day", "May Day"),
    ),
    Festival(
        "mothers_day",
        "母亲节",
        "Mother's Day",
        "the second Sunday of May",
        "5月第二个星期日",
        "nth_weekday",
        5,
        2,
        6,
        aliases=("Mothers Day",),
    ),
    Festival(
        "dragon_boat",
        "端午节",
        "Dragon Boat Festival",
        *_lunar_rule(5, 5),
        "lunar",
        5,
        5,
        aliases=("端午", "端阳", "端阳节", "Dragon Boat", "Duanwu"),
    ),
    Festival(
        "fathers_day",
        "父亲节",
        "Father's Day",
        "the third Sunday of June",
        "6月第三个星期日",
        "nth_weekday",
        6,
        3,
        6,
        aliases=("Fathers Day",),
    ),
    Festival(
        "qixi",
        "七夕",
        "Qixi Festival",
        *_lunar_rule(7, 7),
        "lunar",
        7,
        7,
        aliases=("七夕节", "乞巧节", "中国情人节", "Chinese Valentine's Day", "Double Seventh"),
    ),
    Festival(
        "mid_autumn",
        "中秋节",
        "Mid-Autumn Festival",
        *_lunar_rule(8, 15),
        "lunar",
        8,
        15,
        aliases=("中秋", "八月十五", "Mid-autumn", "Moon Festival"),
    ),
    Festival(
        "double_ninth",
        "重阳节",
        "Double Ninth Festival",
        *_lunar_rule(9, 9),
        "lunar",
        9,
        9,
        aliases=("重阳", "老人节", "敬老节", "Double Ninth", "Chongyang"),
    ),
    Festival(
        "national_day",
        "国庆节",
        "National Day",
        "October 1",
        "10月1日",
        "solar",
        10,
        1,
        aliases=("国庆", "十一", "十一国庆"),
    ),
    Festival(
        "singles_day",
        "双十一",
        "Singles' Day",
        "November 11",
        "11月11日",
        "solar",
        11,
        11,
        aliases=("双11", "光棍节", "11.11", "Double 11", "Double Eleven", "Singles Day"),
    ),
    Festival(
        "christmas",
        "圣诞节",
        "Christmas",
        "December 25",
        "12月25日",
        "solar",
        12,
        25,
        aliases=("圣诞", "Christmas Day", "Xmas"),
    ),
]


def _norm_name(text: str) -> str:
    return re.sub(r"[\s_\-'’.·]+", "", str(text)).lower()


@lru_cache(maxsize=1)
def _festival_index() -> dict[str, Festival]:
    index: dict[str, Festival] = {}
    for f in FESTIVALS:
        for key in (f.id, f.zh, f.en, *f.aliases):
            k = _norm_name(key)
            if k in index and index[k] is not f:  # a typo in the table above, not a user error
                raise AssertionError(f"festival name {key!r} is ambiguous")
            index[k] = f
    return index


def find_festival(name: str | Festival) -> Festival:
    """A festival by id, Chinese or English name or a common short form, case-insensitive."""
    if isinstance(name, Festival):
        return name
    index = _festival_index()
    key = _norm_name(name)
    found = index.get(key)
    if found is None and key.endswith("节"):
        found = index.get(key[:-1])
    if found is None:
        known = ", ".join(f"{f.zh} ({f.id})" for f in FESTIVALS)
        raise ConfigError(
            msg(f"不认识的节日“{name}”", f"unknown festival '{name}'"),
            msg(f"认识的节日：{known}", f"known festivals: {known}"),
        )
    return found


def festival_date(festival_or_name: str | Festival, year: int) -> dt.date:
    """The festival's date in `year` (1901-2099).

    腊八 and 除夕 belong to the Spring Festival season they lead into: 除夕 of 2025 is
    2025-01-28, and 腊八 of year Y is lunar 12/8 of lunar year Y-1, which in about one year
    in ten falls on 29-31 December of Y-1 (腊八 of 2023 was 2022-12-30). Every festival
    therefore has exactly one date per year.
    """
    f = find_festival(festival_or_name)
    check_year(year)
    return _festival_date(f, year)


@cache
def _festival_date(f: Festival, year: int) -> dt.date:
    if f.kind == "solar":
        return dt.date(year, f.month, f.day)
    if f.kind == "lunar":
        lunar_year = year - 1 if f.month == 12 else year
        return lunar_to_solar(lunar_year, f.month, f.day)
    if f.kind == "lunar_eve":
        return lunar_to_solar(year, 1, 1) - dt.timedelta(days=1)
    if f.kind == "term":
        return TermUtils.nth_term_day(year, term_name="清明")
    if f.kind == "nth_weekday":
        first = dt.date(year, f.month, 1)
        offset = (f.weekday - first.weekday()) % 7
        return first + dt.timedelta(days=offset + 7 * (f.day - 1))
    raise AssertionError(f"unknown festival kind {f.kind}")


def festivals_in_year(year: int) -> list[tuple[Festival, dt.date]]:
    """Every festival with its date in `year`, sorted by date (腊八 may lie in late December of year-1)."""
    check_year(year)
    return sorted(((f, _festival_date(f, year)) for f in FESTIVALS), key=lambda pair: pair[1])


def next_festival_date(festival_or_name: str | Festival, on_or_after: dt.date) -> dt.date:
    """The first date of the festival on or after a date."""
    f = find_festival(festival_or_name)
    check_year(on_or_after.year, "date year")
    for year in (on_or_after.year, on_or_after.year + 1):
        if year > MAX_YEAR:
            break
        d = _festival_date(f, year)
        if d >= on_or_after:
            return d
    raise CalendarError(
        msg(f"{on_or_after} 之后到 2099 年没有{f.zh}", f"no {f.en} on or after {on_or_after} within 1901-2099")
    )
