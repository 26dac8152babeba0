"""Bilingual text for messages: a Msg is its English text (so it works anywhere a str does)
and carries its Chinese twin; `text(m, lang)` picks one. Build whole sentences with `msg`,
since joining a Msg to a plain str keeps only the English. Label tables in text/ hold
(zh, en) pairs; `pick(pair, lang)` reads one. These are the only places that choose between
Chinese and English text (tests/test_bilingual.py keeps it so).
"""

from __future__ import annotations

import locale
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence


class Msg(str):
    zh: str

    def __new__(cls, en: str, zh: str | None = None):
        obj = super().__new__(cls, en)
        obj.zh = zh if zh is not None else en
        return obj

    def text(self, lang: str | None) -> str:
        return self.zh if lang == "zh" else str(self)


def msg(zh: str, en: str) -> Msg:
    return Msg(en, zh)


def at(where: object, message: Msg) -> Msg:
    """`message` after the place it is about ("followup.toml: ...", "calls.xlsx: sheet 'Visits': ...");
    `where` may itself be a Msg."""
    return msg(f"{text(where, 'zh')}：{message.zh}", f"{where}: {message}")


def pick(pair: Sequence[str], lang: str | None) -> str:
    """The `lang` half of a (zh, en) pair from a label table."""
    return pair[0] if lang == "zh" else pair[1]


def text(value: object, lang: str | None) -> str:
    if isinstance(value, Msg):
        return value.text(lang)
    return "" if value is None else str(value)


def user_lang(explicit: str | None = None) -> str:
    """The language for messages outside any workbook: option, FOLLOWUP_LANG, then the system locale."""
    if explicit in ("zh", "en"):
        return explicit
    env = os.environ.get("FOLLOWUP_LANG")
    if env in ("zh", "en"):
        return env
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "zh" if loc.lower().startswith(("zh", "chinese")) else "en"
