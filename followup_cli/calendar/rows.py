"""Rows for `followup calendar YEAR`, and where a year's schedule comes from, in both languages."""

from __future__ import annotations

import datetime as dt

from followup_cli.calendar.festivals import festivals_in_year
from followup_cli.calendar.lunar import check_year
from followup_cli.calendar.schedules import library_version
from followup_cli.calendar.workdays import WorkCalendar
from followup_cli.errors import ConfigError
from followup_cli.text.calendar import COLUMNS, SOURCE_LABELS, TYPE_LABELS, WEEKDAYS
from followup_cli.text.messages import Msg, msg, pick


def calendar_columns(lang: str = "zh") -> list[tuple[str, str]]:
    return list(COLUMNS[_lang(lang)])


def _lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise ConfigError(msg(f"语言“{lang}”不是 zh 或 en", f"language '{lang}' is not zh or en"))
    return lang


def calendar_rows(year: int, workcal: WorkCalendar | None = None, lang: str = "zh") -> list[dict]:
    """The year's festivals, holiday ranges and make-up workdays, sorted by date.

    Keys: date, end, days, weekday, type, name, source, note. `type` and `source` are
    labels in `lang` (in English they equal the ids: festival/holiday/workday and
    official/imported/override/computed). A holiday range with computed 补假 days says so in
    `note`. Festivals have no source: their dates follow the rule in `note`.
    """
    lang = _lang(lang)
    check_year(year)
    workcal = workcal or WorkCalendar()
    wd = WEEKDAYS[lang]
    types = TYPE_LABELS[lang]
    sources = SOURCE_LABELS[lang]
    rows = []
    for f, d in festivals_in_year(year):
        note = pick((f.rule_zh, f.rule), lang)
        rows.append(
            {
                "date": d,
                "end": d,
                "days": 1,
                "weekday": wd[d.weekday()],
                "type": types["festival"],
                "name": pick((f.zh, f.en), lang),
                "source": None,
                "note": note,
                "_order": 2,
            }
        )
    in_lieu = workcal.in_lieu_days(year)
    for r in workcal.holidays_in_year(year):
        days = (r.end - r.start).days + 1
        lieu = sorted(d for d in in_lieu if r.start <= d <= r.end)
        weekday = wd[r.start.weekday()] if days == 1 else f"{wd[r.start.weekday()]}–{wd[r.end.weekday()]}"
        rows.append(
            {
                "date": r.start,
                "end": r.end,
                "days": days,
                "weekday": weekday,
                "type": types["holiday"],
                "name": pick((r.name_zh, r.name_en), lang),
                "source": sources[r.source],
                "note": _in_lieu_note(lieu).text(lang) if lieu else None,
                "_order": 0,
            }
        )
    for d, for_zh, for_en, source in workcal.makeup_workday_info(year):
        named = msg(f"{for_zh}调休上班", f"make-up workday for {for_en}").text(lang)
        name = named if pick((for_zh, for_en), lang) else types["workday"]
        rows.append(
            {
                "date": d,
                "end": d,
                "days": 1,
                "weekday": wd[d.weekday()],
                "type": types["workday"],
                "name": name,
                "source": sources[source],
                "note": None,
                "_order": 1,
            }
        )
    rows.sort(key=lambda r: (r["date"], r["_order"]))
    for r in rows:
        del r["_order"]
    return rows


def _in_lieu_note(days: list[dt.date]) -> Msg:
    listed_zh = "、".join(f"{d.month}月{d.day}日" for d in days)
    listed_en = ", ".join(d.strftime("%m-%d") for d in days)
    return msg(
        f"含补假 {len(days)} 天：{listed_zh}（《全国年节及纪念日放假办法》第六条：法定假日逢周末，在工作日补假）",
        f"includes {len(days)} weekday(s) off in lieu: {listed_en} (the holiday rule, article 6: "
        f"a statutory holiday on a weekend gives a weekday off)",
    )


def _basis_text(schedule) -> Msg:
    if schedule.source == "official":
        version = library_version()
        return msg(
            f"官方（chinesecalendar {version} 所载的国务院办公厅放假安排通知）",
            f"official (the State Council notice as carried by chinesecalendar {version})",
        )
    if schedule.source == "imported":
        notice = schedule.notice or "?"
        return msg(f"官方（导入的通知：{notice}）", f"official, imported (the notice: {notice})")
    return msg(
        "推算（暂无官方安排：法定假日，逢周末补假，没有调休上班日）",
        "computed (no official schedule yet: the statutory holidays with their weekday off in lieu, "
        "no make-up workdays)",
    )


def schedule_origin(year: int, workcal: WorkCalendar) -> Msg:
    """One sentence: where `year`'s days off and make-up workdays come from."""
    source = workcal.schedule_source(year)
    basis = workcal.schedule_basis(year)
    if source != "override":
        what = _basis_text(basis)
        return msg(f"{year} 年放假安排来源：{what.zh}", f"schedule for {year}: {what}")
    if basis is None:
        return msg(
            f"{year} 年放假安排来源：自定义（followup.toml 的 [calendar]，整年按其所写）",
            f"schedule for {year}: override (followup.toml's [calendar], the whole year as written there)",
        )
    what = _basis_text(basis)
    return msg(
        f"{year} 年放假安排来源：{what.zh}，并按 followup.toml 的 [calendar] 自定义逐日修正",
        f"schedule for {year}: {what}, corrected day by day by followup.toml's [calendar] (override)",
    )
