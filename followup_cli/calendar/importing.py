"""`followup calendar import`: a parsed notice into followup.toml's [calendar.imported.YEAR].

The edit is surgical: tomlkit parses the file keeping its text, the year's table is added (or
replaced when the year was imported before) and everything else stays as it was, comments and
order included. The new text is checked by parsing it back before it is written, atomically
(temp file + replace).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from followup_cli.calendar.notice import Notice
from followup_cli.calendar.schedules import official_schedule
from followup_cli.calendar.settings import IMPORTED_MARK, imported_schedules
from followup_cli.errors import ConfigError, UnreadableFile
from followup_cli.text.calendar import NOTICE_KINDS, WEEKDAYS
from followup_cli.text.messages import Msg, msg, pick


@dataclass
class ImportPlan:
    notice: Notice
    path: Path
    created: bool  # followup.toml did not exist
    replaces: bool  # the year had been imported before
    old_text: str
    new_text: str
    notes: list[Msg]  # totals, sentences not imported, how it compares with the library, a replacement


def prepare_import(
    notice_path: str, target: Path, year: int | None = None, stdin_text: str | None = None, today: dt.date | None = None
) -> ImportPlan:
    """Read and parse the notice (a file, or '-' with `stdin_text`) and plan writing it into
    `target`: the one call before the user is asked; `write_plan` is the one after."""
    from followup_cli.calendar.notice import parse_notice

    text = read_notice_text(notice_path, stdin_text)
    notice = parse_notice(text, year=year, source="stdin" if notice_path == "-" else notice_path)
    return plan_import(notice, target, today)


def read_notice_text(path: str, stdin_text: str | None = None) -> str:
    """The notice's text: UTF-8 (with or without BOM), else GB18030 as Chinese Windows saves it."""
    if path == "-":
        return stdin_text or ""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UnreadableFile(path, msg(f"读不了（{exc.strerror}）", f"cannot be read ({exc.strerror})")) from exc
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(
        path,
        msg("不是 UTF-8 或 GB18030 文本", "is not UTF-8 or GB18030 text"),
        msg("把通知另存为 UTF-8 文本", "save the notice as UTF-8 text"),
    )


def _ranges(days: dict) -> list[tuple[dt.date, dt.date, str]]:
    out: list[list] = []
    for d in sorted(days):
        name = days[d][0]
        if out and (d - out[-1][1]).days == 1 and out[-1][2] == name:
            out[-1][1] = d
        else:
            out.append([d, d, name])
    return [tuple(r) for r in out]


def _year_table(notice: Notice, today: dt.date):
    import tomlkit

    schedule = notice.schedule()
    table = tomlkit.table()
    table.add(
        tomlkit.comment("written by `followup calendar import` from the State Council notice; import again to replace")
    )
    table.add("source", IMPORTED_MARK)
    table.add("notice", notice.title)
    table.add("imported_on", today)
    holidays = tomlkit.array()
    for start, end, name in _ranges(schedule.holidays):
        entry = tomlkit.inline_table()
        entry.update({"start": start, "end": end, "name": name})
        holidays.append(entry)
    holidays.multiline(True)
    table.add("holidays", holidays)
    workdays = tomlkit.array()
    for d, (name, _en) in schedule.workdays.items():
        entry = tomlkit.inline_table()
        entry.update({"date": d, "name": name})
        workdays.append(entry)
    workdays.multiline(True)
    table.add("workdays", workdays)
    table.add(tomlkit.nl())
    return table


def plan_import(notice: Notice, path: Path, today: dt.date | None = None) -> ImportPlan:
    """What writing the notice into `path` would change; nothing is written."""
    import tomlkit
    import tomlkit.items
    from tomlkit.exceptions import TOMLKitError

    from followup_cli.config import read_toml_text

    created = not path.exists()
    old_text = ""
    if not created:
        old_text = read_toml_text(path)
    try:
        doc = tomlkit.parse(old_text)
    except TOMLKitError as exc:
        raise ConfigError(
            msg(f"{path}：不是有效的 TOML（{exc}）", f"{path}: not valid TOML ({exc})"),
            msg("先改正它说的那一行", "fix the line it names first"),
        ) from exc
    section = doc.get("calendar")
    if isinstance(section, tomlkit.items.InlineTable) or (section is not None and not isinstance(section, dict)):
        raise ConfigError(
            msg(
                f"{path}：calendar 写成了一行（calendar = {{…}}），无法在其中加入导入的通知",
                f"{path}: calendar is written inline (calendar = {{…}}): the notice cannot go into it",
            ),
            msg("把它改写成 [calendar] 表", "write it as a [calendar] table"),
        )
    if section is None:
        section = tomlkit.table(is_super_table=True)
        doc["calendar"] = section
    imported = section.get("imported")
    if imported is None:
        imported = tomlkit.table(is_super_table=True)
        section["imported"] = imported
    if not isinstance(imported, dict):
        raise ConfigError(msg(f"{path}：[calendar] 的 imported 不是表", f"{path}: [calendar] imported is not a table"))
    key = str(notice.year)
    replaces = key in imported
    imported[key] = _year_table(notice, today or dt.date.today())  # in place when it was there
    new_text = tomlkit.dumps(doc)
    # the text written must read back as exactly the notice's schedule
    back = imported_schedules(tomllib.loads(new_text).get("calendar", {}))[notice.year]
    expected = notice.schedule()
    if back.holidays.keys() != expected.holidays.keys() or back.workdays.keys() != expected.workdays.keys():
        raise AssertionError("the [calendar.imported] table does not read back as the notice")
    days_off, workdays = len(expected.holidays), len(expected.workdays)
    notes = [
        msg(
            f"{notice.title}：{notice.year} 年放假 {days_off} 天，调休上班 {workdays} 天",
            f"{notice.title}: {notice.year}, {days_off} days off, {workdays} make-up workdays",
        ),
        *notice.notes,
        *compare_with_library(notice),
    ]
    if replaces:
        notes.append(
            msg(
                f"{path} 里已导入过 {notice.year} 年的通知，将被替换",
                f"{path} already has a notice imported for {notice.year}: it will be replaced",
            )
        )
    return ImportPlan(notice, path, created, replaces, old_text, new_text, notes)


def compare_with_library(notice: Notice) -> list[Msg]:
    """How the notice differs from chinesecalendar's schedule of that year, day by day: the days
    one has off and the other as a workday. (Whether a weekend day inside a holiday is listed
    is presentation: the 2024 notice gives 元旦 as "1月1日放假，与周末连休", the library also
    lists 2023-12-30 and 31.)"""
    library = official_schedule(notice.year)
    if library is None:
        return []
    before = official_schedule(notice.year - 1) or library  # for days of the December before
    mine = notice.schedule()

    def works(d, schedule) -> bool:
        return d in schedule.workdays or (d.weekday() < 5 and d not in schedule.holidays)

    days = {d for d in (*mine.holidays, *mine.workdays) if d.year != notice.year}
    d = dt.date(notice.year, 1, 1)
    while d.year == notice.year:
        days.add(d)
        d += dt.timedelta(days=1)
    off_here = sorted(d for d in days if not works(d, mine) and works(d, library if d.year == notice.year else before))
    work_here = sorted(d for d in days if works(d, mine) and not works(d, library if d.year == notice.year else before))

    def differing(days_apart: list[dt.date], zh: str, en: str) -> Msg:
        listed = ", ".join(map(str, days_apart))
        return msg(f"{zh}：{listed}", f"{en}: {listed}")

    notes = [
        differing(days_apart, zh, en)
        for days_apart, zh, en in (
            (
                off_here,
                "通知里放假、chinesecalendar 里上班的日子",
                "days off in the notice that chinesecalendar has as workdays",
            ),
            (
                work_here,
                "通知里上班、chinesecalendar 里放假的日子",
                "workdays in the notice that chinesecalendar has as days off",
            ),
        )
        if days_apart
    ]
    if not notes:
        notes.append(
            msg(
                f"与 chinesecalendar 所载的 {notice.year} 年安排逐日一致",
                f"the same, day by day, as chinesecalendar's schedule for {notice.year}",
            )
        )
    return notes


def write_plan(plan: ImportPlan) -> None:
    """Write the new followup.toml atomically."""
    path = plan.path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(plan.new_text)
            out.flush()
            os.fsync(out.fileno())
        if not plan.created:
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise UnreadableFile(path, msg(f"写不了（{exc.strerror}）", f"cannot be written ({exc.strerror})")) from exc


def notice_rows(notice: Notice, lang: str = "zh") -> list[dict]:
    """Every day off and every make-up workday the notice gives, by date, with its line."""
    weekdays = WEEKDAYS[lang]
    kinds = NOTICE_KINDS[lang]
    rows = []
    for item in notice.items:
        name = pick(item.names, lang)
        for kind, days in ((kinds[0], item.holidays), (kinds[1], item.workdays)):
            for d in days:
                weekday = weekdays[d.weekday()]
                rows.append({"date": d, "weekday": weekday, "type": kind, "name": name, "line": item.line_no})
    rows.sort(key=lambda r: r["date"])
    return rows
