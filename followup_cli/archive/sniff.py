"""What a column's cells hold, from a sample: mobiles, dates, yes/no flags, amounts, codes.

Values decide where a header cannot: a column headed `Col7` full of 11-digit mobiles is the
phone, a 性别 column of 0/1/2 is a code set. Only a sample is looked at (the first
SAMPLE_CELLS non-empty cells within SAMPLE_ROWS rows), so a million-row sheet costs no more
than a small one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from followup_cli.archive import cells

if TYPE_CHECKING:
    from collections.abc import Iterable

SAMPLE_CELLS = 200
SAMPLE_ROWS = 5000
SURE = 0.9  # this share of the sample must agree before the values decide

MOBILE, DATE, FLAG, AMOUNT, NUMBER, CODES, TEXT, EMPTY = (
    "mobile",
    "date",
    "flag",
    "amount",
    "number",
    "codes",
    "text",
    "empty",
)

_MOBILE_RE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
_FLAG_WORDS = {
    "是",
    "否",
    "y",
    "n",
    "yes",
    "no",
    "true",
    "false",
    "√",
    "×",
    "✓",
    "✗",
    "✔",
    "✘",
    "t",
    "f",
    "有",
    "无",
    "☑",
    "☐",
}
_DATE_TEXT = re.compile(r"^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")


@dataclass
class Sample:
    values: list
    kind: str = EMPTY
    share: float = 0.0  # of the sample that agrees with `kind`
    distinct: list = field(default_factory=list)  # for codes and flags: the values seen


def sample(rows: list, start: int, col: int) -> list:
    out = []
    for row in rows[start : start + SAMPLE_ROWS]:
        if col < len(row):
            v = row[col]
            if v is not None and v != "" and not (v.__class__ is str and not v.strip()):
                out.append(v[1:] if v.__class__ is str and v[:1] == "'" else v)  # '13800138000 is a number
                if len(out) >= SAMPLE_CELLS:
                    break
    return out


def _is_mobile(v) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, float):
        if not v.is_integer():
            return False
        v = int(v)
    return bool(_MOBILE_RE.match(re.sub(r"[\s\-]", "", str(v))))


def _is_date(v) -> bool:
    if isinstance(v, (dt.date, dt.datetime)):
        return True
    return isinstance(v, str) and bool(_DATE_TEXT.match(v.strip()))


def _is_flag(v) -> bool:
    if isinstance(v, bool):
        return True
    return isinstance(v, str) and v.strip().lower() in _FLAG_WORDS


def _is_amount(v) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, (int, float)):
        return True
    if isinstance(v, str):
        value, problem = cells.parse_number(v)
        return problem is None and value is not None
    return False


def classify(values: list) -> Sample:
    """The kind most of the sample agrees on."""
    s = Sample(values)
    n = len(values)
    if not n:
        return s
    for kind, test in ((MOBILE, _is_mobile), (DATE, _is_date), (FLAG, _is_flag)):
        hits = sum(1 for v in values if test(v))
        if hits / n >= SURE:
            s.kind, s.share = kind, hits / n
            if kind == FLAG:
                s.distinct = sorted({str(v).strip() for v in values})
            return s
    numbers = [v for v in values if _is_amount(v)]
    if len(numbers) / n >= SURE:
        whole = [cells.parse_number(v)[0] for v in numbers]
        distinct = sorted({x for x in whole if x is not None})
        if len(distinct) <= 4 and all(float(x).is_integer() and 0 <= x <= 9 for x in distinct):
            s.kind, s.share, s.distinct = CODES, len(numbers) / n, [int(x) for x in distinct]
            return s
        money = any(isinstance(v, float) and not v.is_integer() for v in numbers) or any(
            isinstance(v, str) and re.search(r"[¥￥$元.]", v) for v in numbers
        )
        s.kind, s.share = (AMOUNT if money else NUMBER), len(numbers) / n
        return s
    s.kind, s.share = TEXT, 1.0
    return s


# What each kind of values can stand for, per field type of schema.py.
FITS = {
    "phone": {MOBILE},
    "date": {DATE},
    "datetime": {DATE},
    "birthday": {DATE, TEXT},
    "money": {AMOUNT, NUMBER, CODES},
    "number": {AMOUNT, NUMBER, CODES},
    "int": {NUMBER, CODES},
    "bool": {FLAG, CODES},
}


def contradicts(ftype: str, s: Sample) -> bool:
    """The values plainly are not what the field holds (a 'phone' column of dates)."""
    allowed = FITS.get(ftype)
    return bool(allowed) and s.kind not in (EMPTY,) and s.kind not in allowed


# ---- numeric codes ----------------------------------------------------------------------------

_CODE_PAIR = re.compile(r"(\d+)\s*[:=：\-为是]?\s*([^\d,，;；/、\s=:：]+)")

# What POS and member systems export when a header says nothing more.
GENDER_CODES = {"0": "女", "1": "男", "2": "保密"}
BIRTHDAY_TYPE_CODES = {"0": "农历", "1": "公历"}
DEFAULT_CODES = {"gender": GENDER_CODES, "birthday_type": BIRTHDAY_TYPE_CODES}


def codes_in_notes(notes: Iterable[str]) -> dict[str, str] | None:
    """A code set spelled in a header's brackets: 性别(0女1男2保密), 生日类型（0=农历,1=公历）."""
    for note in notes:
        pairs = _CODE_PAIR.findall(note)
        if len(pairs) >= 2:
            return {k: v for k, v in pairs}
    return None


def code_key(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip().isdigit():
        return value.strip()
    return None
