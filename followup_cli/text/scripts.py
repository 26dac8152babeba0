"""A script as it is said: the staff member always named (the shop's service desk when no
one is), a title said once (李医生, not 李医生医生), a greeting that is late saying so.

The presets' templates stay simple ("{salutation}，我是{shop}的{staff}。"); what a filled-in
template gets wrong is put right here, in one place, for every preset.
"""

from __future__ import annotations

import datetime as dt
import re

TITLES_ZH = ("医生", "大夫", "客服", "顾问", "置业顾问", "经理", "老师", "专员", "主管", "店长")
TITLES_EN = ("Dr", "Mr", "Ms", "Mrs")
NO_STAFF = {"zh": "客服", "en": "the customer service team"}
GREETINGS = ("birthday", "festival")


def staff_for_script(staff: str | None, lang: str) -> str:
    """Who speaks: the staff member's name (in English, a Chinese name romanised), or the
    service desk when nobody is assigned."""
    staff = (staff or "").strip()
    if not staff:
        return NO_STAFF[lang]
    if lang == "en":
        from followup_cli.text.names import romanise

        return romanise(staff)
    return staff


_DOUBLED_ZH = [(title, re.compile(f"(?:{title}){{2,}}")) for title in sorted(TITLES_ZH, key=len, reverse=True)]
_DOUBLED_EN = [(title, re.compile(rf"\b{title}\.? +{title}\b\.?")) for title in TITLES_EN]
_BEFORE_DESK = re.compile(r"\b(?:Dr|Mr|Ms)\.? (?=the customer service team)")
_SPACES = re.compile(r"[ \t]{2,}")


def polish(text: str, lang: str) -> str:
    """A title never doubled ("客服客服", "李医生医生", "Dr Dr"), no empty clause left behind.

    Each pattern is tried only where it can match (a call sheet polishes every script: the
    regular expressions were a tenth of writing one)."""
    if lang == "zh":
        for title, doubled in _DOUBLED_ZH:
            if text.count(title) > 1:  # a doubled title holds it twice
                text = doubled.sub(title, text)
        text = text.replace("客服the customer service team", "客服")
    else:
        for title, doubled in _DOUBLED_EN:
            if text.count(title) > 1:
                text = doubled.sub(title, text)
        if "the customer service team" in text:
            text = _BEFORE_DESK.sub("", text)
    if "  " in text or "\t" in text:  # two blanks in a row hold one of these
        text = _SPACES.sub(" ", text)
    return text.strip()


def late(text: str, kind: str, due: dt.date, as_of: dt.date | None, lang: str, festival: str = "") -> str:
    """A birthday or festival greeting sent after its day says it is late."""
    if kind not in GREETINGS or as_of is None or as_of <= due:
        return text
    if lang == "zh":
        day = f"{due.month}月{due.day}日"
        what = f"您的生日（{day}）刚过" if kind == "birthday" else f"{festival or '节日'}（{day}）刚过"
        text = text.replace("今天是您的生日，", "").replace("今天是您的生日", "")
        text = re.sub(rf"({re.escape(festival)}到了，)" if festival else r"(?!)", "", text)
        head, sep, rest = text.partition("，")
        if sep and len(head) <= 12:  # after the salutation
            return f"{head}，{what}，迟到的祝福送给您：{rest}"
        return f"{what}，迟到的祝福送给您：{text}"
    day = due.strftime("%d %B").lstrip("0")
    text = re.sub(r"\b[Hh]appy birthday\b", "a belated happy birthday", text, count=1)
    text = re.sub(r"\b[Hh]appy (?=\S)", "a belated happy ", text, count=1) if kind == "festival" else text
    if "belated" not in text:
        text = f"{text} (A belated greeting: the day was {day}.)"
    return text
