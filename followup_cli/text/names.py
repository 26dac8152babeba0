"""People's names as a script says them: the Chinese surname (compound ones too), a Chinese
name in English in its usual form (李娜 → Li Na, surname first; "Dear Ms Li"), and a
greeting that never guesses a gender it does not know (尊敬的贵宾, as the seeds write).
"""

from __future__ import annotations

import functools

COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
    "端木",
    "西门",
    "南宫",
    "独孤",
    "申屠",
    "万俟",
)
# Surnames read differently from the character's everyday reading (pypinyin reads words).
SURNAME_READINGS = {
    "单": "Shan",
    "曾": "Zeng",
    "解": "Xie",
    "仇": "Qiu",
    "朴": "Piao",
    "查": "Zha",
    "区": "Ou",
    "盖": "Ge",
    "乐": "Yue",
    "繁": "Po",
    "员": "Yun",
    "覃": "Qin",
    "翟": "Zhai",
    "缪": "Miao",
    "任": "Ren",
    "华": "Hua",
    "种": "Chong",
    "秘": "Bi",
    "尉迟": "Yuchi",
    "万俟": "Moqi",
}
# Pinyin surnames that lead a romanised Chinese name ("Li Na", "Ouyang Ming").
PINYIN_SURNAMES = {
    "li",
    "wang",
    "zhang",
    "liu",
    "chen",
    "yang",
    "huang",
    "zhao",
    "wu",
    "zhou",
    "xu",
    "sun",
    "ma",
    "zhu",
    "hu",
    "guo",
    "he",
    "gao",
    "lin",
    "luo",
    "zheng",
    "liang",
    "xie",
    "song",
    "tang",
    "han",
    "feng",
    "deng",
    "cao",
    "peng",
    "zeng",
    "xiao",
    "tian",
    "dong",
    "yuan",
    "pan",
    "yu",
    "jiang",
    "cai",
    "jia",
    "ding",
    "wei",
    "xue",
    "ye",
    "yan",
    "du",
    "dai",
    "xia",
    "zhong",
    "fu",
    "shen",
    "lu",
    "cui",
    "qin",
    "fan",
    "jin",
    "shi",
    "kong",
    "bai",
    "ren",
    "qiu",
    "mo",
    "meng",
    "liao",
    "gong",
    "wan",
    "qian",
    "tan",
    "zou",
    "duan",
    "lei",
    "hou",
    "long",
    "shao",
    "yao",
    "hao",
    "kang",
    "wen",
    "qi",
    "yin",
    "chang",
    "mao",
    "niu",
    "ouyang",
    "situ",
    "zhuge",
    "shangguan",
    "sima",
    "murong",
    "dongfang",
    "gu",
    "fang",
    "lai",
    "chu",
    "cheng",
}
MALE = ("男", "m", "male", "先生", "男士", "man")
FEMALE = ("女", "f", "female", "女士", "小姐", "woman")


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text or "")


def split_chinese(name: str) -> tuple[str, str]:
    """(surname, given name) of a name written in Chinese characters."""
    name = name.strip()
    for s in COMPOUND_SURNAMES:
        if name.startswith(s) and len(name) > len(s):
            return s, name[len(s) :]
    return name[:1], name[1:]


@functools.lru_cache(maxsize=4096)
def romanise(name: str) -> str:
    """李娜 → 'Li Na', 欧阳明 → 'Ouyang Ming': surname first, as Chinese names are written in English.
    A name already in Latin letters is kept."""
    name = (name or "").strip()
    if not has_cjk(name):
        return name
    from pypinyin import lazy_pinyin

    surname, given = split_chinese(name)
    sur = SURNAME_READINGS.get(surname) or "".join(lazy_pinyin(surname)).capitalize()
    giv = "".join(lazy_pinyin(given)).capitalize() if given else ""
    return f"{sur} {giv}".strip()


def english_surname(name: str) -> str:
    """The surname of a name as English speakers address it."""
    name = (name or "").strip()
    if has_cjk(name):
        return romanise(name).split()[0]
    parts = name.replace(",", " ").split()
    if not parts:
        return ""
    if len(parts) >= 2 and parts[0].lower() in PINYIN_SURNAMES and parts[-1].lower() not in PINYIN_SURNAMES:
        return parts[0]  # "Li Na": a romanised Chinese name, surname first
    return parts[-1]


@functools.lru_cache(maxsize=4096)  # a customer's tasks ask one after another
def salutation(name: str | None, gender: str | None, lang: str) -> str:
    """'王先生您好' / '尊敬的贵宾' / 'Dear Ms Li' / 'Dear valued customer'."""
    name = (name or "").strip()
    g = (gender or "").strip().lower()
    male, female = g in MALE, g in FEMALE
    if lang == "zh":
        if not name or not (male or female):
            return "尊敬的贵宾"
        surname = split_chinese(name)[0] if has_cjk(name) else english_surname(name)
        return f"{surname}{'先生' if male else '女士'}您好"
    if not name or not (male or female):
        return "Dear valued customer"
    return f"Dear {'Mr' if male else 'Ms'} {english_surname(name)}"
