"""Columns that hold a part of a date, told by their cells: a day number beside a birth month
(出生月 | 出生日), a time of day beside a date (回访日期 | 回访时间). Read once per sheet, on a sample."""

from __future__ import annotations

import datetime as dt
import re

from followup_cli.archive import sniff
from followup_cli.text.messages import msg


def birthday_day(rows: list, start: int, uses: list, columns: dict) -> None:
    """出生月 | 出生日: beside a birth-month column, a "birthday" column of day numbers (1-31) is the
    day of the birthday, not a date (a day number read as a date is a day in January 1900)."""
    if "birth_month" not in columns or "birth_day" in columns or "birthday" not in columns:
        return
    cells = sniff.sample(rows, start, columns["birthday"])
    if not cells or not all(day_number(v) for v in cells):
        return
    use = next(u for u in uses if u.col == columns["birthday"])
    use.field = "birth_day"
    use.note = msg("日期的“日”：旁边有生日月份列", "the day of the birthday: beside a birth month column")
    columns["birth_day"] = columns.pop("birthday")


def day_number(v: object) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, (int, float)):
        return float(v).is_integer() and 1 <= v <= 31
    return isinstance(v, str) and bool(re.fullmatch(r"\s*([1-9]|[12]\d|3[01])\s*[日号]?\s*", v))


def times_of_day(rows: list, start: int, col: int) -> bool:
    """Whether a column's cells are times of day (10:05, 15:30:00) and nothing else."""
    cells = sniff.sample(rows, start, col)
    return bool(cells) and all(
        isinstance(v, dt.time) or (isinstance(v, str) and _CLOCK.fullmatch(v.strip())) for v in cells
    )


_CLOCK = re.compile(
    r"(?:[01]?\d|2[0-3])\s*[:：]\s*[0-5]\d(?:\s*[:：]\s*[0-5]\d)?|(?:上午|下午|晚上)?\d{1,2}\s*点(?:\d{1,2}分?|半)?"
)
