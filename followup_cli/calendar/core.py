"""The Chinese calendar every rule uses: festivals, lunar birthdays, statutory holidays and
make-up workdays (调休).

Sources:
- lunar conversion and solar terms: borax (MIT). Where independent lunar tables disagree
  (six months between 1901 and 2099, see docs/calendar.md) this module follows borax.
- official holiday schedules: chinesecalendar (the State Council notices it carries,
  2004-2026 in version 1.11). A year it does not carry falls back to the statutory
  holidays computed from the 2025 rule, without make-up workdays, and is marked "computed".
- followup.toml's [calendar] table adds or corrects a schedule ("override").

Plain functions and classes: no click, no printing. Per-year tables are cached, so the
scheduler can call `next_birthday` and `WorkCalendar.add_workdays` for every customer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, NamedTuple

from borax.calendars.lunardate import LCalendars, LunarDate, TermUtils

from followup_cli.errors import ConfigError, FollowupError

MIN_YEAR = 1901
MAX_YEAR = 2099
# borax's lunar table covers lunar years 1900-2100; birthdays near the edges of the public
# range look one lunar year either side.
_MIN_LUNAR_YEAR = 1900
_MAX_LUNAR_YEAR = 2100

SOURCES = ("official", "override", "computed")


class CalendarError(FollowupError, ValueError):
    """A date the calendar cannot work with (out of range, a lunar day that does not exist)."""


def _check_year(year: int, what: str = "year") -> None:
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarError(f"{what} {year!r} is outside {MIN_YEAR}-{MAX_YEAR}", "the calendar covers 1901-2099")


# ---------------------------------------------------------------------------------------
# Lunar tables


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
    if lang == "en":
        return f"lunar {'leap ' if leap else ''}{month}/{day}"
    return f"农历{lunar_month_zh(month, leap)}{lunar_day_zh(day)}"


@lru_cache(maxsize=None)
def _lunar_year_table(lunar_year: int) -> dict[tuple[int, bool], tuple[int, int]]:
    """(month, leap) → (ordinal of the month's first solar day, days in the month)."""
    if not _MIN_LUNAR_YEAR <= lunar_year <= _MAX_LUNAR_YEAR:
        raise CalendarError(
            f"lunar year {lunar_year} is outside {_MIN_LUNAR_YEAR}-{_MAX_LUNAR_YEAR}",
            "the calendar covers 1901-2099",
        )
    ordinal = LunarDate(lunar_year, 1, 1).to_solar_date().toordinal()
    table = {}
    for month, ndays, leap in LCalendars.iter_year_month(lunar_year):
        table[(month, bool(leap))] = (ordinal, ndays)
        ordinal += ndays
    return table


def lunar_month_days(lunar_year: int, month: int, leap: bool = False) -> int:
    """Days (29 or 30) of a lunar month; raises CalendarError when that (leap) month does not exist."""
    entry = _lunar_year_table(lunar_year).get((month, bool(leap)))
    if entry is None:
        raise CalendarError(f"lunar year {lunar_year} has no {'leap ' if leap else ''}month {month}")
    return entry[1]


def leap_month(lunar_year: int) -> int:
    """The leap month of a lunar year, 0 when it has none."""
    for month, leap in _lunar_year_table(lunar_year):
        if leap:
            return month
    return 0


def lunar_to_solar(lunar_year: int, month: int, day: int, leap: bool = False) -> dt.date:
    """The solar date of an existing lunar date (strict: no birthday rules applied)."""
    entry = _lunar_year_table(lunar_year).get((month, bool(leap)))
    if entry is None:
        raise CalendarError(f"lunar year {lunar_year} has no {'leap ' if leap else ''}month {month}")
    first, ndays = entry
    if not 1 <= day <= ndays:
        raise CalendarError(
            f"lunar {lunar_year} {lunar_month_zh(month, leap)} has {ndays} days, not {day}"
        )
    return dt.date.fromordinal(first + day - 1)


def solar_to_lunar(d: dt.date) -> tuple[int, int, int, bool]:
    """(lunar_year, month, day, leap) of a solar date."""
    ld = LunarDate.from_solar(d)
    return ld.year, ld.month, ld.day, bool(ld.leap)


# ---------------------------------------------------------------------------------------
# Festivals


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
    Festival("new_year", "元旦", "New Year's Day", "January 1", "1月1日", "solar", 1, 1,
             aliases=("元旦节", "新年", "New Year")),
    Festival("laba", "腊八节", "Laba Festival",
             "lunar 12/8, before that year's Spring Festival", "农历腊月初八（当年春节前）",
             "lunar", 12, 8, aliases=("腊八",)),
    Festival("new_years_eve", "除夕", "Chinese New Year's Eve",
             "last day of the lunar year (12/29 or 12/30)", "农历年的最后一天（腊月廿九或三十）", "lunar_eve",
             aliases=("大年三十", "年三十", "除夕夜", "Lunar New Year's Eve", "Spring Festival Eve")),
    Festival("spring_festival", "春节", "Spring Festival", *_lunar_rule(1, 1), "lunar", 1, 1,
             aliases=("新春", "大年初一", "过年", "Chinese New Year", "Lunar New Year")),
    Festival("valentines_day", "情人节", "Valentine's Day", "February 14", "2月14日", "solar", 2, 14,
             aliases=("西方情人节", "Valentine", "Valentines")),
    Festival("lantern_festival", "元宵节", "Lantern Festival", *_lunar_rule(1, 15), "lunar", 1, 15,
             aliases=("元宵", "正月十五", "Lantern")),
    Festival("womens_day", "妇女节", "International Women's Day", "March 8", "3月8日", "solar", 3, 8,
             aliases=("三八", "三八节", "三八妇女节", "女神节", "Women's Day")),
    Festival("qingming", "清明节", "Qingming Festival", "the Qingming solar term (April 4-6)",
             "清明节气（4月4-6日）", "term", aliases=("清明", "Tomb-sweeping Day", "Tomb Sweeping Day")),
    Festival("labour_day", "劳动节", "Labour Day", "May 1", "5月1日", "solar", 5, 1,
             aliases=("五一", "五一劳动节", "国际劳动节", "Labor Day", "May Day")),
    Festival("mothers_day", "母亲节", "Mother's Day", "the second Sunday of May", "5月第二个星期日",
             "nth_weekday", 5, 2, 6, aliases=("Mothers Day",)),
    Festival("dragon_boat", "端午节", "Dragon Boat Festival", *_lunar_rule(5, 5), "lunar", 5, 5,
             aliases=("端午", "端阳", "端阳节", "Dragon Boat", "Duanwu")),
    Festival("fathers_day", "父亲节", "Father's Day", "the third Sunday of June", "6月第三个星期日",
             "nth_weekday", 6, 3, 6, aliases=("Fathers Day",)),
    Festival("qixi", "七夕", "Qixi Festival", *_lunar_rule(7, 7), "lunar", 7, 7,
             aliases=("七夕节", "乞巧节", "中国情人节", "Chinese Valentine's Day", "Double Seventh")),
    Festival("mid_autumn", "中秋节", "Mid-Autumn Festival", *_lunar_rule(8, 15), "lunar", 8, 15,
             aliases=("中秋", "八月十五", "Mid-autumn", "Moon Festival")),
    Festival("double_ninth", "重阳节", "Double Ninth Festival", *_lunar_rule(9, 9), "lunar", 9, 9,
             aliases=("重阳", "老人节", "敬老节", "Double Ninth", "Chongyang")),
    Festival("national_day", "国庆节", "National Day", "October 1", "10月1日", "solar", 10, 1,
             aliases=("国庆", "十一", "十一国庆")),
    Festival("singles_day", "双十一", "Singles' Day", "November 11", "11月11日", "solar", 11, 11,
             aliases=("双11", "光棍节", "11.11", "Double 11", "Double Eleven", "Singles Day")),
    Festival("christmas", "圣诞节", "Christmas", "December 25", "12月25日", "solar", 12, 25,
             aliases=("圣诞", "Christmas Day", "Xmas")),
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
        raise ConfigError(f"unknown festival '{name}'", f"known festivals: {known}")
    return found


def festival_date(festival_or_name: str | Festival, year: int) -> dt.date:
    """The festival's date in `year` (1901-2099).

    腊八 and 除夕 belong to the Spring Festival season they lead into: 除夕 of 2025 is
    2025-01-28, and 腊八 of year Y is lunar 12/8 of lunar year Y-1, which in about one year
    in ten falls on 29-31 December of Y-1 (腊八 of 2023 was 2022-12-30). Every festival
    therefore has exactly one date per year.
    """
    f = find_festival(festival_or_name)
    _check_year(year)
    return _festival_date(f, year)


@lru_cache(maxsize=None)
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
    _check_year(year)
    return sorted(((f, _festival_date(f, year)) for f in FESTIVALS), key=lambda pair: pair[1])


def next_festival_date(festival_or_name: str | Festival, on_or_after: dt.date) -> dt.date:
    """The first date of the festival on or after a date."""
    f = find_festival(festival_or_name)
    _check_year(on_or_after.year, "date year")
    for year in (on_or_after.year, on_or_after.year + 1):
        if year > MAX_YEAR:
            break
        d = _festival_date(f, year)
        if d >= on_or_after:
            return d
    raise CalendarError(f"no {f.en} on or after {on_or_after} within 1901-2099")


# ---------------------------------------------------------------------------------------
# Birthdays


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
                    f"birthday policy {name} = '{value}' is not one of {', '.join(allowed)}",
                    "fix [calendar.birthday] in followup.toml",
                )


DEFAULT_POLICY = BirthdayPolicy()

_SOLAR_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # in a leap year


def _check_birthday(month: int, day: int, lunar: bool, leap: bool) -> None:
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise CalendarError(f"birthday month {month!r} is not 1-12")
    if lunar:
        if not isinstance(day, int) or not 1 <= day <= 30:
            raise CalendarError(f"lunar birthday day {day!r} is not 1-30")
    else:
        if leap:
            raise CalendarError("leap=True only makes sense for a lunar birthday")
        if not isinstance(day, int) or not 1 <= day <= _SOLAR_MONTH_DAYS[month - 1]:
            raise CalendarError(f"birthday {month}/{day} is not a date")


def _solar_occurrence(month: int, day: int, year: int, policy: BirthdayPolicy) -> dt.date:
    if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return dt.date(year, 3, 1) if policy.solar_feb29 == "mar1" else dt.date(year, 2, 28)
    return dt.date(year, month, day)


@lru_cache(maxsize=200_000)
def _lunar_occurrence(month: int, day: int, lunar_year: int, leap: bool, policy: BirthdayPolicy) -> dt.date:
    table = _lunar_year_table(lunar_year)
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
    _check_year(year)
    _check_birthday(month, day, lunar, leap)
    policy = policy or DEFAULT_POLICY
    if lunar:
        return _lunar_occurrence(month, day, year, bool(leap), policy)
    return _solar_occurrence(month, day, year, policy)


def next_birthday(
    month: int, day: int, on_or_after: dt.date, lunar: bool = False, leap: bool = False,
    policy: BirthdayPolicy | None = None,
) -> dt.date:
    """The first occurrence of the birthday on or after a date."""
    if isinstance(on_or_after, dt.datetime):
        on_or_after = on_or_after.date()
    _check_birthday(month, day, lunar, leap)
    policy = policy or DEFAULT_POLICY
    year = on_or_after.year
    _check_year(year, "date year")
    if lunar:
        for lunar_year in (year - 1, year, year + 1):
            d = _lunar_occurrence(month, day, lunar_year, bool(leap), policy)
            if d >= on_or_after:
                return d
        raise AssertionError("unreachable: lunar year + 1 always falls after the date")
    d = _solar_occurrence(month, day, year, policy)
    return d if d >= on_or_after else _solar_occurrence(month, day, year + 1, policy)


def previous_birthday(
    month: int, day: int, on_or_before: dt.date, lunar: bool = False, leap: bool = False,
    policy: BirthdayPolicy | None = None,
) -> dt.date:
    """The last occurrence of the birthday on or before a date."""
    if isinstance(on_or_before, dt.datetime):
        on_or_before = on_or_before.date()
    _check_birthday(month, day, lunar, leap)
    policy = policy or DEFAULT_POLICY
    year = on_or_before.year
    _check_year(year, "date year")
    if lunar:
        for lunar_year in (year, year - 1, year - 2):
            d = _lunar_occurrence(month, day, lunar_year, bool(leap), policy)
            if d <= on_or_before:
                return d
        raise AssertionError("unreachable: lunar year - 2 always falls before the date")
    d = _solar_occurrence(month, day, year, policy)
    return d if d <= on_or_before else _solar_occurrence(month, day, year - 1, policy)


# ---------------------------------------------------------------------------------------
# Lunar birthday text

_MARKERS = ("农历", "阴历", "旧历", "夏历")
_CN_NUM = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_NUM["零"] = 0
_MONTH_WORDS = {"正": 1, "冬": 11, "腊": 12, "十一": 11, "十二": 12, "十": 10}
_MONTH_WORDS.update({c: i for c, i in _CN_NUM.items() if i})
_MONTH_RE = r"(?P<month>正|冬|腊|十[一二]|[一二三四五六七八九十]|1[0-2]|0?[1-9])月"
_DAY_RE = (
    r"(?P<day>初[一二三四五六七八九十]|二十[一二三四五六七八九]?|廿[一二三四五六七八九]|三十|卅"
    r"|十[一二三四五六七八九]?|[一二三四五六七八九]|30|[12][0-9]|0?[1-9])(?:日|号)?"
)
_YEAR_RE = r"(?:(?:\d{4}|[〇零一二三四五六七八九]{4})(?:年|[-/.]))?"
_WORD_FORM = re.compile(rf"^{_YEAR_RE}(?P<leap>闰)?{_MONTH_RE}{_DAY_RE}$")
_DIGIT_FORM = re.compile(r"^(?:\d{4}[-/.年])?(?P<leap>闰)?(?P<month>\d{1,2})[-/.](?P<day>\d{1,2})$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９－／．（）", "0123456789-/.()")


def _cn_day(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "卅":
        return 30
    if text.startswith("初"):
        return 10 if text[1] == "十" else _CN_NUM[text[1]]
    if text.startswith("廿"):
        return 20 + _CN_NUM[text[1]]
    if text.startswith("二十"):
        return 20 + (_CN_NUM[text[2]] if len(text) > 2 else 0)
    if text.startswith("三十"):
        return 30
    if text.startswith("十"):
        return 10 + (_CN_NUM[text[1]] if len(text) > 1 else 0)
    return _CN_NUM[text]


def parse_lunar(text: str) -> tuple[int, int, bool] | None:
    """(month, day, leap) when `text` writes a lunar birthday, None when it is not lunar.

    Lunar text carries a marker (农历, 阴历, 旧历, 夏历: before the date, after the year, or
    after the date, in brackets or not), or names the month or day the lunar way without a
    marker (正月, 冬月, 腊月; 初一-初十, 廿一-廿九, 卅). A year in the text is ignored: a
    birthday repeats by month and day. Plain "八月十五" or "08-15" without a marker are not
    taken as lunar. Text that is marked lunar but names an impossible month or day raises
    CalendarError, so the reader can report the cell instead of trying it as a solar date.
    """
    if text is None:
        return None
    s = re.sub(r"\s+", "", str(text).translate(_FULLWIDTH))
    if not s:
        return None
    marked = False
    for marker in _MARKERS:
        for form in (f"({marker})", f"[{marker}]", f"【{marker}】", marker):
            if form in s:
                s = s.replace(form, "", 1)
                marked = True
                break
        if marked:
            break
    s = s.strip(":：,，")
    m = _WORD_FORM.match(s)
    if m:
        month_text, day_text = m.group("month"), m.group("day")
        lunar_words = month_text in ("正", "冬", "腊") or day_text[0] in "初廿卅"
        if not (marked or lunar_words):
            return None
        month = int(month_text) if month_text.isdigit() else _MONTH_WORDS[month_text]
        day = _cn_day(day_text)
    else:
        m = _DIGIT_FORM.match(s)
        if not m or not marked:
            if marked:
                raise CalendarError(f"'{text}' is marked lunar but is not a lunar month and day",
                                    "write it like 农历八月十五 or 农历08-15")
            return None
        month, day = int(m.group("month")), int(m.group("day"))
    if not (1 <= month <= 12 and 1 <= day <= 30):
        raise CalendarError(f"'{text}': lunar month {month} day {day} does not exist",
                            "lunar months are 1-12 and days 1-30")
    return month, day, bool(m.group("leap"))


# ---------------------------------------------------------------------------------------
# Working days


class HolidayRange(NamedTuple):
    start: dt.date
    end: dt.date
    name_zh: str
    name_en: str
    source: str  # official | override | computed


@dataclass(frozen=True)
class CalendarWarning:
    year: int
    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def __str__(self) -> str:
        return self.en


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
def _official_data() -> tuple[range, dict[int, dict[dt.date, tuple[str, str]]], dict[int, dict[dt.date, tuple[str, str]]]]:
    """chinesecalendar's schedules: (years covered, year → {holiday: names}, year → {make-up day: names})."""
    from chinese_calendar import constants

    names = {}
    for h in constants.Holiday:
        fid = _CC_HOLIDAY_FESTIVAL.get(h.name)
        if fid:
            f = find_festival(fid)
            names[h.value] = (f.zh, f.en)
        else:
            names[h.value] = (h.chinese, h.value)
    holidays: dict[int, dict] = {}
    workdays: dict[int, dict] = {}
    for d, value in constants.holidays.items():
        holidays.setdefault(d.year, {})[d] = names.get(value, (value, value))
    for d, value in constants.workdays.items():
        workdays.setdefault(d.year, {})[d] = names.get(value, (value, value))
    years = range(min(holidays), max(holidays) + 1)
    return years, holidays, workdays


def official_years() -> range:
    """The years chinesecalendar carries an official schedule for."""
    return _official_data()[0]


def _computed_holidays(year: int) -> dict[dt.date, tuple[str, str]]:
    """The statutory days off under the 2025 rule (13 days), no bridging and no make-up days."""
    def names(fid):
        f = find_festival(fid)
        return f.zh, f.en

    days: dict[dt.date, tuple[str, str]] = {}
    days[dt.date(year, 1, 1)] = names("new_year")
    eve = _festival_date(find_festival("new_years_eve"), year)
    for i in range(4):  # 除夕 and 正月初一 to 初三
        days[eve + dt.timedelta(days=i)] = names("spring_festival")
    days[_festival_date(find_festival("qingming"), year)] = names("qingming")
    days[dt.date(year, 5, 1)] = names("labour_day")
    days[dt.date(year, 5, 2)] = names("labour_day")
    days[_festival_date(find_festival("dragon_boat"), year)] = names("dragon_boat")
    days[_festival_date(find_festival("mid_autumn"), year)] = names("mid_autumn")
    for day in (1, 2, 3):
        days[dt.date(year, 10, day)] = names("national_day")
    return days


@dataclass
class _YearTable:
    source: str
    holidays: dict  # date → (name_zh, name_en, source)
    workdays: dict  # date → (name_zh, name_en, source)
    flags: dict  # date → True (make-up workday) / False (holiday); other days follow the weekday


class WorkCalendar:
    """Working days under the statutory holiday schedule.

    `holidays` is a list of (start, end, name) ranges and `workdays` a list of make-up
    workdays, as followup.toml gives them. They win over the library's data day by day. A
    year with no official schedule that the overrides touch takes its schedule from the
    overrides alone (the computed guess is dropped); an official year keeps its official
    days and takes the overrides as corrections. Either way the year's source is "override".
    """

    def __init__(self, holidays: Iterable | None = None, workdays: Iterable | None = None):
        self._over_holidays: dict[dt.date, tuple[str, str]] = {}
        self._over_workdays: set[dt.date] = set()
        for i, item in enumerate(holidays or (), start=1):
            try:
                start, end, name = item
            except (TypeError, ValueError):
                raise ConfigError(f"calendar holiday #{i}: expected (start, end, name), got {item!r}") from None
            start, end = _as_date(start, f"holiday #{i} start"), _as_date(end, f"holiday #{i} end")
            if end < start:
                raise ConfigError(f"calendar holiday #{i} '{name}': end {end} is before start {start}")
            if (end - start).days > 31:
                raise ConfigError(f"calendar holiday #{i} '{name}': {start} to {end} is longer than a month",
                                  "check the dates for a typo")
            try:
                f = find_festival(name)
                names = (str(name), f.en)
            except ConfigError:
                names = (str(name), str(name))
            d = start
            while d <= end:
                self._over_holidays[d] = names
                d += dt.timedelta(days=1)
        for i, item in enumerate(workdays or (), start=1):
            d = _as_date(item, f"workday #{i}")
            if d in self._over_holidays:
                raise ConfigError(f"calendar: {d} is given both as a holiday and as a make-up workday")
            self._over_workdays.add(d)
        self._over_years = {d.year for d in self._over_holidays} | {d.year for d in self._over_workdays}
        self._tables: dict[int, _YearTable] = {}

    def _table(self, year: int) -> _YearTable:
        table = self._tables.get(year)
        if table is None:
            table = self._tables[year] = self._build(year)
        return table

    def _build(self, year: int) -> _YearTable:
        _check_year(year)
        years, off_holidays, off_workdays = _official_data()
        if year in years:
            source = "official"
            holidays = {d: (*n, "official") for d, n in off_holidays.get(year, {}).items()}
            workdays = {d: (*n, "official") for d, n in off_workdays.get(year, {}).items()}
        else:
            source = "computed"
            holidays = {d: (*n, "computed") for d, n in _computed_holidays(year).items()}
            workdays = {}
        if year in self._over_years:
            if source == "computed":
                holidays = {}
            source = "override"
            for d, n in self._over_holidays.items():
                if d.year == year:
                    holidays[d] = (*n, "override")
                    workdays.pop(d, None)
            for d in self._over_workdays:
                if d.year == year:
                    workdays[d] = ("", "", "override")
                    holidays.pop(d, None)
        flags = {d: False for d in holidays}
        flags.update({d: True for d in workdays})
        return _YearTable(source, holidays, workdays, flags)

    def is_workday(self, d: dt.date) -> bool:
        if isinstance(d, dt.datetime):
            d = d.date()
        table = self._tables.get(d.year) or self._table(d.year)
        flag = table.flags.get(d)
        if flag is not None:
            return flag
        return d.weekday() < 5

    def add_workdays(self, d: dt.date, n: int) -> dt.date:
        """The n-th working day after `d`; n=0 is `d` itself when it is a workday, else the next one.

        Days are counted strictly after `d`: 1 working day after a Saturday is the Monday.
        """
        if isinstance(d, dt.datetime):
            d = d.date()
        if not isinstance(n, int) or n < 0:
            raise CalendarError(f"number of working days must be 0 or more, not {n!r}")
        one = dt.timedelta(days=1)
        tables = self._tables
        if n == 0:
            while not self.is_workday(d):
                d += one
            return d
        year = None
        flags = None
        while n:
            d += one
            if d.year != year:
                year = d.year
                flags = (tables.get(year) or self._table(year)).flags
            flag = flags.get(d)
            if flag is None:
                flag = d.weekday() < 5
            if flag:
                n -= 1
        return d

    def schedule_source(self, year: int) -> str:
        """"official", "override" or "computed"."""
        return self._table(year).source

    def holidays_in_year(self, year: int) -> list[HolidayRange]:
        """The year's days off as ranges of consecutive days, each with its names and source."""
        table = self._table(year)
        ranges: list[HolidayRange] = []
        run: list[tuple[dt.date, tuple]] = []

        def close():
            if not run:
                return
            zh: list[str] = []
            en: list[str] = []
            for _, (n_zh, n_en, _src) in run:
                if n_zh not in zh:
                    zh.append(n_zh)
                if n_en not in en:
                    en.append(n_en)
            ranges.append(HolidayRange(run[0][0], run[-1][0], "、".join(zh), ", ".join(en), run[0][1][2]))
            run.clear()

        for d in sorted(table.holidays):
            info = table.holidays[d]
            if run and (d - run[-1][0]).days == 1 and run[-1][1][2] == info[2]:
                run.append((d, info))
            else:
                close()
                run.append((d, info))
        close()
        return ranges

    def makeup_workdays(self, year: int) -> list[dt.date]:
        """The weekend days that are workdays in the year's schedule (调休上班)."""
        return sorted(self._table(year).workdays)

    def makeup_workday_info(self, year: int) -> list[tuple[dt.date, str, str, str]]:
        """(date, for holiday zh, for holiday en, source) of each make-up workday."""
        table = self._table(year)
        return [(d, *table.workdays[d]) for d in sorted(table.workdays)]

    def warnings_for(self, dates: Iterable[dt.date]) -> list[CalendarWarning]:
        """One warning per computed year spanned by the dates (min to max)."""
        dates = [d.date() if isinstance(d, dt.datetime) else d for d in dates if d is not None]
        if not dates:
            return []
        warnings = []
        for year in range(min(dates).year, max(dates).year + 1):
            if self._table(year).source == "computed":
                warnings.append(CalendarWarning(
                    year,
                    f"{year} 年没有官方放假安排数据，工作日按法定节假日推算（不含调休上班日）；"
                    f"国务院公布安排后，请在 followup.toml 的 [calendar] 中补充。",
                    f"No official holiday schedule for {year} in the data: working days are "
                    f"computed from the statutory holidays, without make-up workdays; add the "
                    f"schedule to [calendar] in followup.toml once the State Council announces it.",
                ))
        return warnings


def _as_date(value, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        d = dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ConfigError(f"calendar {what}: '{value}' is not a date", "write dates as YYYY-MM-DD") from None
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise ConfigError(f"calendar {what}: {d} is outside {MIN_YEAR}-{MAX_YEAR}")
    return d


# ---------------------------------------------------------------------------------------
# followup.toml


_CALENDAR_KEYS = ("holidays", "workdays", "birthday")
_HOLIDAY_KEYS = ("start", "end", "name")


def workcalendar_from_config(cfg: dict | None) -> WorkCalendar:
    """A WorkCalendar from an already parsed followup.toml (its [calendar] table)."""
    section = (cfg or {}).get("calendar") or {}
    if not isinstance(section, dict):
        raise ConfigError("[calendar] must be a table", "see docs/calendar.md for the format")
    unknown = sorted(set(section) - set(_CALENDAR_KEYS))
    if unknown:
        raise ConfigError(f"[calendar]: unknown key {', '.join(unknown)}",
                          f"keys are: {', '.join(_CALENDAR_KEYS)}")
    raw_holidays = section.get("holidays", [])
    if not isinstance(raw_holidays, list):
        raise ConfigError("[calendar] holidays must be a list of [[calendar.holidays]] tables")
    holidays = []
    for i, item in enumerate(raw_holidays, start=1):
        if not isinstance(item, dict):
            raise ConfigError(f"[[calendar.holidays]] #{i}: expected a table with start, end, name")
        extra = sorted(set(item) - set(_HOLIDAY_KEYS))
        if extra:
            raise ConfigError(f"[[calendar.holidays]] #{i}: unknown key {', '.join(extra)}",
                              f"keys are: {', '.join(_HOLIDAY_KEYS)}")
        if "start" not in item or not item.get("name"):
            raise ConfigError(f"[[calendar.holidays]] #{i}: start and name are required")
        start = _as_date(item["start"], f"[[calendar.holidays]] #{i} start")
        end = _as_date(item.get("end", start), f"[[calendar.holidays]] #{i} end")
        holidays.append((start, end, str(item["name"])))
    raw_workdays = section.get("workdays", [])
    if not isinstance(raw_workdays, list):
        raise ConfigError("[calendar] workdays must be a list of dates, e.g. [\"2027-02-20\"]")
    workdays = [_as_date(v, f"workdays #{i}") for i, v in enumerate(raw_workdays, start=1)]
    return WorkCalendar(holidays=holidays, workdays=workdays)


def birthday_policy_from_config(cfg: dict | None) -> BirthdayPolicy:
    """The BirthdayPolicy from followup.toml's [calendar.birthday] table (defaults when absent)."""
    section = ((cfg or {}).get("calendar") or {}).get("birthday") or {}
    allowed = ("lunar_day30", "lunar_leap_month", "solar_feb29")
    unknown = sorted(set(section) - set(allowed))
    if unknown:
        raise ConfigError(f"[calendar.birthday]: unknown key {', '.join(unknown)}",
                          f"keys are: {', '.join(allowed)}")
    return BirthdayPolicy(**{k: str(v) for k, v in section.items()})


# ---------------------------------------------------------------------------------------
# Rows for `followup calendar`

_WEEKDAYS = {
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_TYPE_LABELS = {
    "zh": {"festival": "节日", "holiday": "放假", "workday": "调休上班"},
    "en": {"festival": "festival", "holiday": "holiday", "workday": "make-up workday"},
}
_SOURCE_LABELS = {
    "zh": {"official": "官方", "override": "自定义", "computed": "推算"},
    "en": {"official": "official", "override": "override", "computed": "computed"},
}
_COLUMNS = {
    "zh": [("date", "日期"), ("end", "至"), ("days", "天数"), ("weekday", "星期"), ("type", "类型"),
           ("name", "名称"), ("source", "来源"), ("note", "说明")],
    "en": [("date", "date"), ("end", "end"), ("days", "days"), ("weekday", "weekday"), ("type", "type"),
           ("name", "name"), ("source", "source"), ("note", "note")],
}


def calendar_columns(lang: str = "zh") -> list[tuple[str, str]]:
    return list(_COLUMNS[_lang(lang)])


def _lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise ConfigError(f"language '{lang}' is not zh or en")
    return lang


def calendar_rows(year: int, workcal: WorkCalendar | None = None, lang: str = "zh") -> list[dict]:
    """The year's festivals, holiday ranges and make-up workdays, sorted by date.

    Keys: date, end, days, weekday, type, name, source, note. `type` and `source` are
    labels in `lang` (in English they equal the ids: festival/holiday/workday and
    official/override/computed). Festivals have no source: their dates follow the rule in `note`.
    """
    lang = _lang(lang)
    _check_year(year)
    workcal = workcal or WorkCalendar()
    wd = _WEEKDAYS[lang]
    types = _TYPE_LABELS[lang]
    sources = _SOURCE_LABELS[lang]
    rows = []
    for f, d in festivals_in_year(year):
        note = f.rule_zh if lang == "zh" else f.rule
        rows.append({
            "date": d, "end": d, "days": 1, "weekday": wd[d.weekday()], "type": types["festival"],
            "name": f.zh if lang == "zh" else f.en, "source": None, "note": note, "_order": 2,
        })
    for r in workcal.holidays_in_year(year):
        days = (r.end - r.start).days + 1
        weekday = wd[r.start.weekday()] if days == 1 else f"{wd[r.start.weekday()]}–{wd[r.end.weekday()]}"
        rows.append({
            "date": r.start, "end": r.end, "days": days, "weekday": weekday, "type": types["holiday"],
            "name": r.name_zh if lang == "zh" else r.name_en, "source": sources[r.source], "note": None,
            "_order": 0,
        })
    for d, for_zh, for_en, source in workcal.makeup_workday_info(year):
        if lang == "zh":
            name = f"{for_zh}调休上班" if for_zh else types["workday"]
        else:
            name = f"make-up workday for {for_en}" if for_en else types["workday"]
        rows.append({
            "date": d, "end": d, "days": 1, "weekday": wd[d.weekday()], "type": types["workday"],
            "name": name, "source": sources[source], "note": None, "_order": 1,
        })
    rows.sort(key=lambda r: (r["date"], r["_order"]))
    for r in rows:
        del r["_order"]
    return rows
