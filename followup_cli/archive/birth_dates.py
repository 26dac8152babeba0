"""A birthday where the customer sheet has no birthday column but says it otherwise.

- Month and day in two columns (生日月份 | 生日日, 出生月 | 出生日, Birth month | Birthday day), as
  member systems that never ask the year export them: the birthday without a year.
- A mainland ID-card number (身份证号, 18 digits, or the old 15): digits 7-14 (7-12 of the old
  ones, 19yy) are the holder's solar birth date. It is a guess about who is called on what day,
  so `check` says it (archive/coverage.py); a number whose date is not a real one is named at its
  cell and gives no birthday. A birthday column, when there is one, always wins: the ID number is
  then named as not used.

An age (年龄, 岁数) is not a birthday and is never turned into one: `check` names it when the
birthday rule cannot run.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from followup_cli.archive import cells as parse
from followup_cli.archive.cells import Birthday
from followup_cli.archive.problems import ERROR, NOTE, WARNING, Problem
from followup_cli.text.messages import msg, text
from followup_cli.xlsx.refs import cell_ref

if TYPE_CHECKING:
    from followup_cli.archive.records import SheetSource

_PART = re.compile(r"^\s*(\d{1,2})(?:\.0+)?\s*[月日号]?\s*$")
_ID18 = re.compile(r"^\d{6}(\d{4})(\d{2})(\d{2})\d{3}[\dXx]$")
_ID15 = re.compile(r"^\d{6}(\d{2})(\d{2})(\d{2})\d{3}$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def fill(src: SheetSource, columns: list, order: dict, data: list, kept: list, problems: list) -> None:
    """With no birthday column, the birthdays from month and day columns, else from an ID number."""
    if "birthday" in src.columns:
        _unused_id_cards(src, columns[order["birthday"]], data, kept, problems)
        return
    month_col, day_col = src.columns.get("birth_month"), src.columns.get("birth_day")
    if month_col is not None and day_col is not None:
        columns[order["birthday"]] = [
            _from_parts(src, row, month_col, day_col, kept[k], problems) for k, row in enumerate(data)
        ]
        src.stand_ins["birthday"] = "birth_month"
        return
    id_col = src.columns.get("id_card")
    if id_col is not None:
        columns[order["birthday"]] = [_from_id(src, row, id_col, kept[k], problems) for k, row in enumerate(data)]
        src.stand_ins["birthday"] = "id_card"


def _unused_id_cards(src, births, data, kept, problems) -> None:
    """A birthday column with empty cells beside ID numbers that hold a birth date: the shop's own
    column is what counts, but the rows are named, not passed over in silence."""
    id_col = src.columns.get("id_card")
    if id_col is None or not isinstance(births, list):
        return
    rows = [kept[k] + 1 for k, row in enumerate(data) if births[k] is None and birth_date_of_id(_cell(row, id_col))]
    if not rows:
        return
    bday_h, id_h = src.headers[src.columns["birthday"]], src.headers[id_col]
    shown = ", ".join(map(str, rows[:10])) + (" …" if len(rows) > 10 else "")
    problems.append(
        Problem.of_sheet(
            NOTE,
            src,
            msg(
                f"{len(rows)} 行“{bday_h}”为空而“{id_h}”含出生日期（第 {shown.replace(', ', '、')} 行）：生日以“{bday_h}”为准，"
                "这些客户没有生日回访；如需要，请把生日填上",
                f"{len(rows)} row(s) with an empty {bday_h} have a birth date in {id_h} (row {shown}): the "
                f"{bday_h} column is what counts, so they get no birthday greeting; fill their birthday in if they should",
            ),
            "birthday-empty-id-card",
        )
    )


def _cell(row: list, col: int):
    return row[col] if col < len(row) else None


def _number(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    m = _PART.match(str(value)) if isinstance(value, str) else None
    return int(m[1]) if m else None


def _from_parts(src, row, month_col, day_col, row_index, problems) -> Birthday | None:
    month, day = _cell(row, month_col), _cell(row, day_col)
    if parse.is_blank(month) and parse.is_blank(day):
        return None
    m, d = _number(month), _number(day)
    lunar = _lunar(src, row)
    b, problem = (None, None) if m is None or d is None else parse._md(m, d, lunar, f"{m}月{d}日")
    if b is None:
        shown = f"{_shown(month)} / {_shown(day)}"
        month_h, day_h = src.headers[month_col], src.headers[day_col]
        problems.append(
            Problem(
                ERROR,
                str(src.file),
                src.sheet,
                cell_ref(row_index, month_col),
                shown,
                msg(
                    f"{month_h}/{day_h}：“{shown}”不是月和日（月份写 1-12，日写 1-31）"
                    + (f"（{text(problem, 'zh')}）" if problem else ""),
                    f"{month_h}/{day_h}: '{shown}' is not a month and a day (month 1-12, day 1-31)"
                    + (f" ({problem})" if problem else ""),
                ),
                "bad-birthday",
            )
        )
    return b


def _shown(value) -> str:
    if parse.is_blank(value):
        return ""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()


def _lunar(src, row) -> bool:
    col = src.columns.get("birthday_type")
    if col is None or parse.is_blank(_cell(row, col)):
        return bool(src.lunar)
    marker = _cell(row, col)
    codes = src.codes.get("birthday_type") or {}
    marker = codes.get(str(marker).strip().removesuffix(".0"), marker)
    return parse.is_lunar_marker(marker)


def birth_date_of_id(value: object) -> dt.date | None:
    """The birth date an 18- or 15-digit ID-card number holds, None when it holds none (its check
    digit wrong, or the date not a real one)."""
    s = str(value).strip().replace(" ", "")
    if isinstance(value, float) and value.is_integer():
        s = str(int(value))  # 15 digits fit a float exactly; 18 do not, and fail the check digit
    m = _ID18.match(s)
    if m:
        total = sum(int(c) * w for c, w in zip(s[:17], _ID_WEIGHTS))
        if _ID_CHECK[total % 11] != s[17].upper():
            return None
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _ID15.match(s)
        if not m:
            return None
        y, mo, d = 1900 + int(m[1]), int(m[2]), int(m[3])
    try:
        born = dt.date(y, mo, d)
    except ValueError:
        return None
    return born if 1900 <= y <= latest_birth_year() else None


def latest_birth_year() -> int:
    """The last year an ID number's birth date may fall in: this year. Reading a sheet thus
    depends on the year it is read in (cache/sheets.py keys its records on it)."""
    return dt.date.today().year


def _from_id(src, row, id_col, row_index, problems) -> Birthday | None:
    value = _cell(row, id_col)
    if parse.is_blank(value):
        return None
    born = birth_date_of_id(value)
    if born is None:
        header = src.headers[id_col]
        problems.append(
            Problem(
                WARNING,
                str(src.file),
                src.sheet,
                cell_ref(row_index, id_col),
                None,  # an ID number is not repeated in a report
                msg(
                    f"{header}：这个号码不是有效的身份证号（位数、出生日期或校验位不对），没有取得生日",
                    f"{header}: not a valid ID-card number (its length, birth date or check digit is wrong): "
                    "no birthday taken from it",
                ),
                "bad-id-card",
            )
        )
        return None
    return Birthday(born.month, born.day, False, False, born.year)
