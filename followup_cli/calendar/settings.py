"""followup.toml's [calendar] table: hand-written holidays and make-up workdays ("override"),
imported notices ([calendar.imported.YEAR], written by `followup calendar import`) and the
birthday policy ([calendar.birthday])."""

from __future__ import annotations

from followup_cli.calendar.birthdays import BirthdayPolicy
from followup_cli.calendar.schedules import YearSchedule
from followup_cli.calendar.workdays import (
    WorkCalendar,
    as_date,
    festival_names_of,
    holiday_days,
)
from followup_cli.errors import ConfigError
from followup_cli.text.messages import msg

IMPORTED_MARK = "official (imported)"

_CALENDAR_KEYS = ("holidays", "workdays", "imported", "birthday")
_HOLIDAY_KEYS = ("start", "end", "name")
_IMPORTED_KEYS = ("source", "notice", "imported_on", "holidays", "workdays")
_FORMAT_HINT = msg("格式见 docs/calendar.md", "see docs/calendar.md for the format")


def _unknown(where: str, keys, allowed) -> None:
    unknown = sorted(set(keys) - set(allowed))
    if unknown:
        raise ConfigError(
            msg(f"{where}：不认识的键 {'、'.join(unknown)}", f"{where}: unknown key {', '.join(unknown)}"),
            msg(f"可用的键：{'、'.join(allowed)}", f"keys are: {', '.join(allowed)}"),
        )


def _holiday_list(raw, where: str) -> list[tuple]:
    if not isinstance(raw, list):
        raise ConfigError(
            msg(f"{where} 的 holidays 必须是表的列表", f"{where} holidays must be a list of tables"), _FORMAT_HINT
        )
    holidays = []
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise ConfigError(
                msg(
                    f"{where} 假日第 {i} 项应是含 start、end、name 的表",
                    f"{where} holiday #{i}: expected a table with start, end, name",
                )
            )
        _unknown(f"{where} holiday #{i}", item, _HOLIDAY_KEYS)
        if "start" not in item or not item.get("name"):
            raise ConfigError(
                msg(
                    f"{where} 假日第 {i} 项：start 和 name 必须填写",
                    f"{where} holiday #{i}: start and name are required",
                )
            )
        start = as_date(item["start"], msg(f"{where} 假日第 {i} 项 start", f"{where} #{i} start"))
        end = as_date(item.get("end", start), msg(f"{where} 假日第 {i} 项 end", f"{where} #{i} end"))
        holidays.append((start, end, str(item["name"])))
    return holidays


def _workday_list(raw, where: str) -> list:
    if not isinstance(raw, list):
        raise ConfigError(
            msg(
                f'{where} 的 workdays 必须是日期列表，如 ["2027-02-20"]',
                f'{where} workdays must be a list of dates, e.g. ["2027-02-20"]',
            )
        )
    return [
        as_date(v, msg(f"{where} 调休上班日第 {i} 项", f"{where} workdays #{i}")) for i, v in enumerate(raw, start=1)
    ]


def imported_schedules(section: dict) -> dict[int, YearSchedule]:
    """[calendar.imported.YEAR] tables → {year: YearSchedule(source="imported")}."""
    raw = section.get("imported", {})
    if not isinstance(raw, dict):
        raise ConfigError(msg("[calendar.imported] 必须是表", "[calendar.imported] must be a table"), _FORMAT_HINT)
    schedules = {}
    for key, table in raw.items():
        where = f"[calendar.imported.{key}]"
        if not (str(key).isdigit() and isinstance(table, dict)):
            raise ConfigError(
                msg(f"{where}：应是一个年份的表", f"{where}: expected a table named by a year"), _FORMAT_HINT
            )
        _unknown(where, table, _IMPORTED_KEYS)
        year = int(key)
        days = holiday_days(_holiday_list(table.get("holidays", []), where), msg(where, where))
        if table.get("source", IMPORTED_MARK) != IMPORTED_MARK:
            raise ConfigError(
                msg(f'{where}：source 应为 "{IMPORTED_MARK}"', f'{where}: source must be "{IMPORTED_MARK}"')
            )
        workdays = {}
        raw_workdays = table.get("workdays", [])
        named = {}
        if isinstance(raw_workdays, list):
            plain = []
            for i, entry in enumerate(raw_workdays, start=1):
                if isinstance(entry, dict):  # {date = 2027-02-20, name = "春节"}
                    _unknown(f"{where} workday #{i}", entry, ("date", "name"))
                    d = as_date(entry.get("date"), msg(f"{where} 调休上班日第 {i} 项", f"{where} workdays #{i}"))
                    named[d] = str(entry.get("name", ""))
                    entry = d
                plain.append(entry)
            raw_workdays = plain
        for d in _workday_list(raw_workdays, where):
            if d in days:
                raise ConfigError(
                    msg(f"{where}：{d} 既是假日又是调休上班日", f"{where}: {d} is both a holiday and a make-up workday")
                )
            workdays[d] = festival_names_of(named[d]) if named.get(d) else _holiday_for(d, days)
        stray = sorted(d for d in (*days, *workdays) if d.year != year and not (d.year == year - 1 and d.month == 12))
        if stray:
            raise ConfigError(
                msg(
                    f"{where}：{stray[0]} 不属于 {year} 年的安排",
                    f"{where}: {stray[0]} is not part of {year}'s schedule",
                )
            )
        schedules[year] = YearSchedule(year, "imported", days, workdays, notice=str(table.get("notice", "")))
    return schedules


def _holiday_for(d, days: dict) -> tuple[str, str]:
    """A make-up workday is named for the nearest holiday of the notice."""
    if not days:
        return "", ""
    nearest = min(days, key=lambda h: abs((h - d).days))
    return days[nearest]


def workcalendar_from_config(cfg: dict | None) -> WorkCalendar:
    """A WorkCalendar from an already parsed followup.toml (its [calendar] table)."""
    section = (cfg or {}).get("calendar") or {}
    if not isinstance(section, dict):
        raise ConfigError(msg("[calendar] 必须是表", "[calendar] must be a table"), _FORMAT_HINT)
    _unknown("[calendar]", section, _CALENDAR_KEYS)
    holidays = _holiday_list(section.get("holidays", []), "[[calendar.holidays]]")
    workdays = _workday_list(section.get("workdays", []), "[calendar]")
    imported = imported_schedules(section)
    return WorkCalendar(holidays=holidays, workdays=workdays, imported=imported)


def birthday_policy_from_config(cfg: dict | None) -> BirthdayPolicy:
    """The BirthdayPolicy from followup.toml's [calendar.birthday] table (defaults when absent)."""
    section = ((cfg or {}).get("calendar") or {}).get("birthday") or {}
    allowed = ("lunar_day30", "lunar_leap_month", "solar_feb29")
    _unknown("[calendar.birthday]", section, allowed)
    return BirthdayPolicy(**{k: str(v) for k, v in section.items()})
