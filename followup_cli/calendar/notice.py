"""Reading the State Council's holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知) as
published: its numbered lines, in simplified or traditional characters, with or without the
full-width punctuation, e.g.

    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。

Every sentence of a numbered line must be understood, or the notice is refused naming the
line: a schedule with one holiday left out would be wrong on every day it touches. The
weekdays the notice gives in brackets are checked against the year, and "共N天" against the
range, so a wrong year or a garbled date cannot pass. Unnumbered lines (title, preamble,
closing, date) are read for the year only; one that names a date with 放假 or 上班 is refused
as well, since it would be left out. A sentence of encouragement (鼓励…) is not a day off:
it is reported as not imported. Days of the December before belong to the notice (元旦
2023 was 2022年12月31日至2023年1月2日).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from followup_cli.calendar.lunar import MAX_YEAR, MIN_YEAR
from followup_cli.calendar.schedules import YearSchedule
from followup_cli.errors import UsageProblem
from followup_cli.text.messages import msg


class NoticeError(UsageProblem):
    """A notice that cannot be read fully (exit 2); nothing is written."""


@dataclass
class NoticeItem:
    line_no: int
    text: str  # the line as given (after traditional → simplified)
    names: tuple[str, str]  # (zh, en), e.g. ("国庆节、中秋节", "National Day, Mid-Autumn Festival")
    holidays: list[dt.date] = field(default_factory=list)
    workdays: list[dt.date] = field(default_factory=list)


@dataclass
class Notice:
    year: int
    title: str
    items: list[NoticeItem]
    notes: list = field(default_factory=list)  # Msg: sentences read but not imported (鼓励…)

    def schedule(self) -> YearSchedule:
        holidays = {d: item.names for item in self.items for d in item.holidays}
        workdays = {d: item.names for item in self.items for d in item.workdays}
        return YearSchedule(
            self.year, "imported", dict(sorted(holidays.items())), dict(sorted(workdays.items())), notice=self.title
        )


_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_WEEKDAY_CHARS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_NUMBERED = re.compile(r"^(?P<num>[一二三四五六七八九十]+)[、.,](?P<names>[^:]+?):(?P<body>.*)$")
_DATE = re.compile(r"(?:(?P<y>\d{4})年)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日(?:\((?P<note>[^)]*)\))?")
_TOKEN = "§"
_RANGE = re.compile(
    rf"^{_TOKEN}(?P<a>\d+){_TOKEN}(?:(?:至|到|-|~|—|–){_TOKEN}(?P<b>\d+){_TOKEN})?"
    r"(?:放假调休|放假公休|放假|调休放假|休息|休假|与周末连休)(?:共?(?P<n>\d+|[一二三四五六七八九十]+)天)?$"
)
_WORK = re.compile(rf"^(?P<dates>(?:{_TOKEN}\d+{_TOKEN}[、,和及]?)+)(?:上班|补班|照常上班)$")
_COUNT = re.compile(r"^共(?P<n>\d+|[一二三四五六七八九十]+)天$")
_NO_OP = ("不调休", "与周末连休", "不补休")
_TITLE_YEAR = (
    re.compile(r"关于(\d{4})年(?:部分)?节假日"),
    re.compile(r"(\d{4})年(?:部分)?节假日安排"),
    re.compile(r"现将(\d{4})年"),
)
_LOOSE_DAY = re.compile(r"\d{1,2}月\d{1,2}日")


def _cn_int(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS[text[1]]
    if text.endswith("十"):
        return _CN_DIGITS[text[0]] * 10
    if "十" in text:
        tens, ones = text.split("十")
        return _CN_DIGITS[tens] * 10 + _CN_DIGITS[ones]
    return _CN_DIGITS[text]


def _simplified(text: str) -> str:
    from opencc import OpenCC

    return OpenCC("t2s").convert(text)


def _normal(line: str) -> str:
    """Full-width forms to ASCII (（→(, ：→:, ，→,, １→1), no spaces, 。/; as sentence ends."""
    s = unicodedata.normalize("NFKC", line)
    s = re.sub(r"\s+", "", s)
    return s.replace("〔", "[").replace("〕", "]")


def _names(text: str) -> tuple[str, str]:
    from followup_cli.calendar.festivals import find_festival
    from followup_cli.errors import ConfigError

    parts = [p for p in re.split(r"[、,和]", text) if p]
    en = []
    for p in parts:
        try:
            en.append(find_festival(p).en)
        except ConfigError:
            en.append(p)
    return "、".join(parts), ", ".join(en)


def _join_wrapped(lines: list[str]) -> list[tuple[int, str]]:
    """(line number, text) with a numbered line's wrapped continuation lines joined to it."""
    out: list[tuple[int, str]] = []
    open_item = False
    for no, raw in enumerate(lines, start=1):
        s = _normal(raw)
        if not s:
            open_item = False
            continue
        if open_item and not _NUMBERED.match(s) and not out[-1][1].endswith(("。", ".")):
            out[-1] = (out[-1][0], out[-1][1] + s)
            continue
        out.append((no, s))
        open_item = bool(_NUMBERED.match(s))
    return out


def _find_year(lines: list[tuple[int, str]]) -> tuple[int | None, str]:
    years, title = set(), ""
    for _no, s in lines:
        if _NUMBERED.match(s):
            continue
        for pattern in _TITLE_YEAR:
            for m in pattern.finditer(s):
                years.add(int(m.group(1)))
                if not title and "通知" in s:
                    title = s
    if len(years) > 1:
        raise NoticeError(
            msg(
                f"通知里写了不止一个年份：{'、'.join(map(str, sorted(years)))}",
                f"the notice names more than one year: {', '.join(map(str, sorted(years)))}",
            ),
            msg("用 --year 指定年份", "give the year with --year"),
        )
    return (years.pop() if years else None), title


def parse_notice(text: str, year: int | None = None, source: str = "NOTICE") -> Notice:
    """The notice's schedule. `year`: the year when the text does not say it (or to check it)."""
    lines = _join_wrapped(_simplified(text).splitlines())
    found, title = _find_year(lines)
    if year is not None and found is not None and year != found:
        raise NoticeError(
            msg(
                f"{source}：通知是 {found} 年的，--year 却是 {year}",
                f"{source}: the notice is for {found}, but --year says {year}",
            ),
            msg("去掉 --year，或换成正确的通知", "drop --year or use the right notice"),
        )
    year = year if year is not None else found
    if year is None:
        raise NoticeError(
            msg(
                f"{source}：找不到通知的年份（标题“国务院办公厅关于YYYY年部分节假日安排的通知”）",
                f"{source}: the notice's year is not in the text (title '…关于YYYY年部分节假日安排的通知')",
            ),
            msg("用 --year 指定年份", "give the year with --year"),
        )
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise NoticeError(
            msg(
                f"{source}：{year} 年不在 {MIN_YEAR}-{MAX_YEAR} 之内",
                f"{source}: {year} is outside {MIN_YEAR}-{MAX_YEAR}",
            )
        )
    items: list[NoticeItem] = []
    notes: list = []
    for no, s in lines:
        m = _NUMBERED.match(s)
        if m is None:
            if _LOOSE_DAY.search(s) and re.search(r"放假|上班|调休", s):
                raise _line_error(
                    source,
                    no,
                    s,
                    msg(
                        "这一行写了放假或上班的日期，但不是编号的一项（如“一、元旦：……”）",
                        "this line gives a day off or a workday but is not a numbered item (like '一、元旦：…')",
                    ),
                )
            continue
        items.append(_parse_item(no, m, year, source, notes))
    if not items:
        raise NoticeError(
            msg(
                f"{source}：没有找到编号的放假安排（如“一、元旦：1月1日放假……”）",
                f"{source}: no numbered lines like '一、元旦：1月1日放假…' found",
            ),
            msg("请给出通知的全文", "give the notice's full text"),
        )
    seen: dict[dt.date, int] = {}
    for item in items:
        for d in (*item.holidays, *item.workdays):
            if d in seen:
                raise _line_error(
                    source,
                    item.line_no,
                    item.text,
                    msg(f"{d} 已在第 {seen[d]} 行出现", f"{d} is already given on line {seen[d]}"),
                )
            seen[d] = item.line_no
    return Notice(year, title or f"{year}", items, notes)


def _line_error(source: str, no: int, line: str, why) -> NoticeError:
    return NoticeError(
        msg(f"{source} 第 {no} 行读不懂：“{line}”：{why.zh}", f"{source} line {no} cannot be read: '{line}': {why}"),
        msg(
            "请对照国务院通知原文改正这一行；什么都没有写入",
            "correct the line against the published notice; nothing was written",
        ),
    )


def _parse_item(no: int, m: re.Match, year: int, source: str, notes: list) -> NoticeItem:
    line = m.group(0)
    item = NoticeItem(no, line, _names(m.group("names")))
    dates: list[tuple[dt.date, str | None, str]] = []
    last_month = None

    def take(dm: re.Match) -> str:
        nonlocal last_month
        month = int(dm.group("m")) if dm.group("m") else last_month
        if month is None:
            raise _line_error(source, no, line, msg(f"“{dm.group(0)}”没有月份", f"'{dm.group(0)}' has no month"))
        y = int(dm.group("y")) if dm.group("y") else year
        if not dm.group("y") and month == 12 and new_year_item:
            y = year - 1  # 元旦's days before it: 12月31日（星期六）上班 in the 2006 notice
        try:
            d = dt.date(y, month, int(dm.group("d")))
        except ValueError:
            why = msg(f"“{dm.group(0)}”不是日期", f"'{dm.group(0)}' is not a date")
            raise _line_error(source, no, line, why) from None
        last_month = month
        dates.append((d, dm.group("note"), dm.group(0)))
        return f"{_TOKEN}{len(dates) - 1}{_TOKEN}"

    # a December day belongs to the December before only in a 元旦 item that also names January
    months = {int(dm.group("m")) for dm in _DATE.finditer(m.group("body")) if dm.group("m")}
    new_year_item = "元旦" in item.names[0] and 1 in months
    body = _DATE.sub(take, m.group("body"))
    for d, note, written in dates:
        _check_date(d, note, written, year, source, no, line)
    last_range: list[dt.date] | None = None
    pending = ""
    for sentence in re.split(r"[。.;]", body):
        if sentence.startswith("鼓励"):
            # an encouragement (鼓励各单位…安排职工在除夕（2月9日）休息), not a day off: said, not imported
            shown = re.sub(rf"{_TOKEN}(\d+){_TOKEN}", lambda t: dates[int(t.group(1))][2], sentence)
            notes.append(
                msg(
                    f"第 {no} 行“{shown}”是倡议，不是放假安排：没有导入",
                    f"line {no}: '{shown}' is an encouragement, not a day off: not imported",
                )
            )
            continue
        for clause in sentence.split(","):
            if not clause:
                continue
            clause = pending + clause
            pending = ""
            if _RANGE.match(clause):
                r = _RANGE.match(clause)
                start = dates[int(r.group("a"))][0]
                end = dates[int(r.group("b"))][0] if r.group("b") else start
                if end < start or (end - start).days > 31:
                    raise _line_error(
                        source, no, line, msg(f"{start} 至 {end} 不是一段假期", f"{start} to {end} is not a holiday")
                    )
                last_range = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
                item.holidays.extend(last_range)
                if r.group("n"):
                    _check_count(r.group("n"), last_range, source, no, line)
            elif _COUNT.match(clause) and last_range is not None:
                _check_count(_COUNT.match(clause).group("n"), last_range, source, no, line)
            elif _WORK.match(clause):
                for k in re.findall(rf"{_TOKEN}(\d+){_TOKEN}", clause):
                    item.workdays.append(dates[int(k)][0])
            elif clause in _NO_OP:
                pass
            elif re.fullmatch(rf"(?:{_TOKEN}\d+{_TOKEN}[、和及]?)+", clause):
                pending = clause + ","  # a list of workdays split by a half-width comma
            else:
                shown = re.sub(rf"{_TOKEN}(\d+){_TOKEN}", lambda t: dates[int(t.group(1))][2], clause)
                raise _line_error(source, no, line, msg(f"不明白“{shown}”", f"'{shown}' is not understood"))
    if pending:
        raise _line_error(source, no, line, msg("日期后面没有写放假还是上班", "dates without 放假 or 上班 after them"))
    if not item.holidays:
        raise _line_error(source, no, line, msg("这一项没有放假日期", "the item gives no day off"))
    return item


def _check_date(d: dt.date, note, written: str, year: int, source: str, no: int, line: str) -> None:
    if d.year != year and not (d.year == year - 1 and d.month == 12):
        raise _line_error(
            source,
            no,
            line,
            msg(
                f"{written} 是 {d.year} 年的日子，不属于 {year} 年的安排（只有上一年 12 月的日子可以属于）",
                f"{written} is a day of {d.year}, not of {year}'s schedule (only days of the December before can be)",
            ),
        )
    if note:
        m = re.search(r"(?:周|星期|礼拜)([一二三四五六日天])", note)
        if m and _WEEKDAY_CHARS[m.group(1)] != d.weekday():
            actual = "一二三四五六日"[d.weekday()]
            raise _line_error(
                source,
                no,
                line,
                msg(
                    f"{written}：{d} 是周{actual}，通知却写周{m.group(1)}（年份对吗？）",
                    f"{written}: {d} is a {d.strftime('%A')}, the notice says 周{m.group(1)} (is the year right?)",
                ),
            )


def _check_count(n: str, days: list[dt.date], source: str, no: int, line: str) -> None:
    if _cn_int(n) != len(days):
        raise _line_error(
            source,
            no,
            line,
            msg(
                f"“共{n}天”，但 {days[0]} 至 {days[-1]} 是 {len(days)} 天",
                f"'共{n}天' but {days[0]} to {days[-1]} is {len(days)} days",
            ),
        )
