"""Working days: which days are worked under a year's holiday schedule, and the n-th working
day after a date. A year's schedule comes, first found: from a notice imported into
followup.toml, from the library (official), or computed (schedules.py); the hand-written
days of followup.toml's [calendar] ("override") correct it day by day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from followup_cli.calendar.festivals import find_festival
from followup_cli.calendar.lunar import MAX_YEAR, MIN_YEAR, CalendarError, check_year
from followup_cli.calendar.schedules import (
    YearSchedule,
    computed_schedule,
    official_schedule,
)
from followup_cli.errors import ConfigError
from followup_cli.text.messages import Msg, msg, pick, text

SOURCES = ("official", "imported", "override", "computed")


class HolidayRange(NamedTuple):
    start: dt.date
    end: dt.date
    name_zh: str
    name_en: str
    source: str  # official | imported | override | computed


@dataclass(frozen=True)
class CalendarWarning:
    year: int
    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        return pick((self.zh, self.en), lang)

    def __str__(self) -> str:
        return self.en


@dataclass
class _YearTable:
    source: str
    basis: YearSchedule | None
    holidays: dict  # date → (name_zh, name_en, source)
    workdays: dict  # date → (name_zh, name_en, source)
    flags: dict  # date → True (make-up workday) / False (holiday); other days follow the weekday
    in_lieu: frozenset


def festival_names_of(name: str) -> tuple[str, str]:
    """(zh, en) of a holiday name as written; "国庆节、中秋节" names both."""
    en = []
    for part in str(name).split("、"):
        try:
            en.append(find_festival(part).en)
        except ConfigError:
            en.append(part)
    return str(name), ", ".join(en)


def holiday_days(holidays: Iterable, what: Msg) -> dict[dt.date, tuple[str, str]]:
    """(start, end, name) ranges → {day: (name_zh, name_en)}, checked."""
    days: dict[dt.date, tuple[str, str]] = {}
    for i, item in enumerate(holidays or (), start=1):
        try:
            start, end, name = item
        except (TypeError, ValueError):
            raise ConfigError(
                msg(
                    f"{what.zh}第 {i} 项应为（开始, 结束, 名称），实为 {item!r}",
                    f"{what} #{i}: expected (start, end, name), got {item!r}",
                )
            ) from None
        start = as_date(start, msg(f"{what.zh}第 {i} 项开始", f"{what} #{i} start"))
        end = as_date(end, msg(f"{what.zh}第 {i} 项结束", f"{what} #{i} end"))
        if end < start:
            raise ConfigError(
                msg(
                    f"{what.zh}第 {i} 项“{name}”：结束 {end} 早于开始 {start}",
                    f"{what} #{i} '{name}': end {end} is before start {start}",
                )
            )
        if (end - start).days > 31:
            raise ConfigError(
                msg(
                    f"{what.zh}第 {i} 项“{name}”：{start} 至 {end} 超过一个月",
                    f"{what} #{i} '{name}': {start} to {end} is longer than a month",
                ),
                msg("请检查日期是否写错", "check the dates for a typo"),
            )
        names = festival_names_of(name)
        d = start
        while d <= end:
            days[d] = names
            d += dt.timedelta(days=1)
    return days


class WorkCalendar:
    """Working days under the statutory holiday schedule.

    `imported` maps a year to the schedule of a notice imported into followup.toml
    (`followup calendar import`): it replaces the library's or the computed schedule of that
    year. `holidays` is a list of (start, end, name) ranges and `workdays` a list of make-up
    workdays, as followup.toml's hand-written [calendar] gives them ("override"). They win
    day by day. A computed year that the overrides touch takes its schedule from the overrides
    alone (the computed guess is dropped); an official or imported year keeps its days and
    takes the overrides as corrections. Either way the year's source is "override".
    """

    def __init__(
        self,
        holidays: Iterable | None = None,
        workdays: Iterable | None = None,
        imported: dict[int, YearSchedule] | None = None,
    ):
        self._imported = dict(imported or {})
        self._over_holidays = holiday_days(holidays, msg("日历假日", "calendar holiday"))
        self._over_workdays: set[dt.date] = set()
        for i, item in enumerate(workdays or (), start=1):
            d = as_date(item, msg(f"调休上班日第 {i} 项", f"workday #{i}"))
            if d in self._over_holidays:
                raise ConfigError(
                    msg(
                        f"日历：{d} 既写成假日又写成调休上班日",
                        f"calendar: {d} is given both as a holiday and as a make-up workday",
                    )
                )
            self._over_workdays.add(d)
        self._over_years = {d.year for d in self._over_holidays} | {d.year for d in self._over_workdays}
        self._tables: dict[int, _YearTable] = {}

    def _table(self, year: int) -> _YearTable:
        table = self._tables.get(year)
        if table is None:
            table = self._tables[year] = self._build(year)
        return table

    def _build(self, year: int) -> _YearTable:
        check_year(year)
        basis = self._imported.get(year) or official_schedule(year) or computed_schedule(year)
        source = basis.source
        holidays = {d: (*n, source) for d, n in basis.holidays.items()}
        workdays = {d: (*n, source) for d, n in basis.workdays.items()}
        in_lieu = basis.in_lieu
        overridden = year in self._over_years
        if overridden and source == "computed":
            holidays, basis, in_lieu = {}, None, frozenset()
        following = self._imported.get(year + 1)
        if following is not None:  # the next year's notice may begin in this December
            for days, kind in ((following.holidays, holidays), (following.workdays, workdays)):
                for d, n in days.items():
                    if d.year == year:
                        holidays.pop(d, None)
                        workdays.pop(d, None)
                        kind[d] = (*n, "imported")
        if overridden:
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
        return _YearTable(source, basis, holidays, workdays, flags, in_lieu)

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
            raise CalendarError(
                msg(f"工作日天数必须是 0 或更多，不是 {n!r}", f"number of working days must be 0 or more, not {n!r}")
            )
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
        """ "official", "imported", "override" or "computed"."""
        return self._table(year).source

    def schedule_basis(self, year: int) -> YearSchedule | None:
        """The schedule under the year's overrides (official, imported or computed); None when
        overrides replaced a computed year."""
        return self._table(year).basis

    def in_lieu_days(self, year: int) -> frozenset:
        """The computed 补假 days of the year (empty unless the year is computed)."""
        return self._table(year).in_lieu

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
                warnings.append(
                    CalendarWarning(
                        year,
                        f"{year} 年没有官方放假安排数据，工作日按《全国年节及纪念日放假办法》推算（法定假日，"
                        f"逢周末在工作日补假；不含调休上班日）；国务院公布安排后，请用 "
                        f"followup calendar import 导入通知。",
                        f"No official holiday schedule for {year} in the data: working days are "
                        f"computed from the statutory holidays (a weekday off for each one on a weekend, "
                        f"no make-up workdays); once the State Council publishes the schedule, load it "
                        f"with `followup calendar import`.",
                    )
                )
        return warnings


def as_date(value: object, what: Msg | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        d = value
    else:
        try:
            d = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ConfigError(
                msg(f"日历 {text(what, 'zh')}：“{value}”不是日期", f"calendar {what}: '{value}' is not a date"),
                msg("日期请写成 YYYY-MM-DD", "write dates as YYYY-MM-DD"),
            ) from None
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise ConfigError(
            msg(
                f"日历 {text(what, 'zh')}：{d} 不在 {MIN_YEAR}-{MAX_YEAR} 之内",
                f"calendar {what}: {d} is outside {MIN_YEAR}-{MAX_YEAR}",
            )
        )
    return d
