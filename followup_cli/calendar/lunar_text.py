"""Lunar birthday text as clerks write it (农历八月十五, 腊月初八, 1990-08-15（农历）)."""

from __future__ import annotations

import re

from followup_cli.calendar.lunar import CalendarError
from followup_cli.text.messages import msg

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
                raise CalendarError(
                    msg(
                        f"“{text}”标了农历，但不是农历的月和日",
                        f"'{text}' is marked lunar but is not a lunar month and day",
                    ),
                    msg("请写成 农历八月十五 或 农历08-15", "write it like 农历八月十五 or 农历08-15"),
                )
            return None
        month, day = int(m.group("month")), int(m.group("day"))
    if not (1 <= month <= 12 and 1 <= day <= 30):
        raise CalendarError(
            msg(f"“{text}”：没有农历 {month} 月 {day} 日", f"'{text}': lunar month {month} day {day} does not exist"),
            msg("农历月份是 1-12，日是 1-30", "lunar months are 1-12 and days 1-30"),
        )
    return month, day, bool(m.group("leap"))
