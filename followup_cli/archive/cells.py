"""Turning one cell's value into a typed value, or a reason it cannot be.

Every parser takes what the reader returned (str, float, int, bool, date, datetime or
'') and returns `(value, problem)`: `problem` is None or a short sentence saying what was
expected. Parsers never raise for a user's data.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from followup_cli.archive import written_dates
from followup_cli.text.messages import Msg, msg

if TYPE_CHECKING:
    from followup_cli.text.messages import Msg

EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_EPOCH_1904 = dt.date(1904, 1, 1)
DATE_ORDERS = ("ymd", "dmy", "mdy")

# Plausible range for a date typed into a shop's archive.
MIN_YEAR, MAX_YEAR = 1900, 2100


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# What stands for "nothing entered" in a date, birthday, phone or number cell of an export or a
# hand-kept sheet (无, —, /): an empty cell there (a text column keeps it; a yes/no cell asks).
EMPTY_MARKS = frozenset(
    {
        "-",
        "--",
        "—",
        "——",
        "–",
        "－",
        "/",
        "／",
        "\\",
        "无",
        "暂无",
        "空",
        "未填",
        "未填写",
        "不详",
        "未知",
        "n/a",
        "na",
    }
    | {"null", "none", "nil", "#"}
)


def is_unfilled(value: object) -> bool:
    """A text cell holding only a mark for "nothing entered" (无, —, /, N/A)."""
    return value.__class__ is str and value.strip().lstrip("'").strip().lower() in EMPTY_MARKS


def serial_to_date(serial: float, date1904: bool = False) -> dt.datetime | None:
    if serial < 1 or serial > 2958465:  # 9999-12-31
        return None
    base = EXCEL_EPOCH_1904 if date1904 else EXCEL_EPOCH
    days = int(serial)
    frac = serial - days
    d = dt.datetime.combine(base + dt.timedelta(days=days), dt.time())
    if frac:
        d += dt.timedelta(seconds=round(frac * 86400))
    return d


_TIME = r"(?:[ T]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?(?:\.\d+)?)?"
# A UTC offset after the time (Shopify's 2026-11-18 12:00:00 -0500, ISO's T12:00:00+08:00, Z) is
# set aside: the date is the local one the export wrote, not shifted to another zone.
_OFFSET = r"(?:\s*(?:Z|(?:UTC|GMT)?\s*[+-]\d{2}(?::?\d{2})?|UTC|GMT))?"
_YMD_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?" + _TIME + _OFFSET + r"\s*$")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_XYZ_RE = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4}|\d{2})" + _TIME + r"\s*$")
_ZH_AMPM = {"上午": 0, "下午": 12, "晚上": 12}
# The day of the week a form or an export writes after the date (2026/11/23 星期一, 2026-11-23(周一),
# Mon 2026-11-23): set aside, the date alone is read, and a weekday that is not the date's is said.
_WEEKDAY_RE = written_dates.WEEKDAY_RE


def ambiguous_msg(zh: str, en: str) -> Msg:
    """A problem that is an ambiguity, not an error of the clerk's: flagged as such everywhere."""
    m = msg(zh, en)
    m.ambiguous = True
    return m


@dataclass
class DateResult:
    value: dt.datetime | None
    problem: str | None = None
    ambiguous: bool = False


def parse_datetime(value: object, date_order: str = "ymd", date1904: bool = False) -> DateResult:
    """A date or date-time cell → datetime (midnight when the cell has no time)."""
    if isinstance(value, dt.date):
        if value.year > MAX_YEAR:  # 9999-12-31 and the like: a placeholder, and past any date arithmetic
            return DateResult(
                None,
                msg(
                    f"日期 {value:%Y-%m-%d} 晚于 {MAX_YEAR} 年，不是合理的日期",
                    f"{value:%Y-%m-%d} is after {MAX_YEAR}, not a plausible date",
                ),
            )
        if isinstance(value, dt.datetime):
            return DateResult(value)
        return DateResult(dt.datetime(value.year, value.month, value.day))
    if isinstance(value, dt.time):
        return DateResult(None, msg("只有时间，没有日期", "a time of day without a date"))
    if isinstance(value, bool):
        return DateResult(None, msg("应为日期", "expected a date"))
    if isinstance(value, (int, float)):
        if float(value).is_integer() and 19000101 <= value <= 21001231:
            # 20261116 typed as a number (a POS export's yyyymmdd): far past any date serial (2958465)
            n = int(value)
            d = _mk(n // 10000, n // 100 % 100, n % 100)
            if d is not None:
                return DateResult(d)
        d = serial_to_date(float(value), date1904)
        if d is None or not MIN_YEAR <= d.year <= MAX_YEAR:
            return DateResult(None, msg("数字不是日期", "a number that is not a date"))
        return DateResult(d)
    text = str(value).strip().lstrip("'")  # '2026-11-16: an export's mark that keeps it text
    if not text or text.lower() in EMPTY_MARKS:
        return DateResult(None)
    return _parse_date_text(text, date_order)


def _mk(y, m, d, hh=None, mm=None, ss=None) -> dt.datetime | None:
    try:
        if not MIN_YEAR <= y <= MAX_YEAR:
            return None
        return dt.datetime(y, m, d, int(hh or 0), int(mm or 0), int(ss or 0))
    except ValueError:
        return None


def _parse_date_text(text: str, date_order: str) -> DateResult:
    t = text.replace("／", "/").replace("－", "-").replace("　", " ")
    ampm_shift = 0
    for word, shift in _ZH_AMPM.items():
        if word in t:
            t = t.replace(word, " ")
            ampm_shift = shift
    t = written_dates.clock_words(t)  # 上午10点, 下午3点半
    weekday = None
    m = _WEEKDAY_RE.search(t)
    if m:
        weekday = written_dates.weekday_of(m)
        t = _WEEKDAY_RE.sub(" ", t)
    t = re.sub(r"\s+", " ", t).strip()
    r = _parse_date_words(text, t, date_order, ampm_shift)
    if r.value is not None and weekday is not None and r.value.weekday() != weekday:
        return DateResult(r.value, written_dates.contradiction(text, r.value, weekday))
    if r.value is None and not r.ambiguous:
        no_year = written_dates.month_day(t, date_order, weekday, text)
        if no_year is not None:
            return DateResult(None, no_year)
    return r


def _parse_date_words(text: str, t: str, date_order: str, ampm_shift: int) -> DateResult:
    m = _YMD_RE.match(t)
    if m:
        y, mo, d, hh, mi, ss = m.groups()
        if hh is not None and ampm_shift and int(hh) < 12:
            hh = int(hh) + ampm_shift
        r = _mk(int(y), int(mo), int(d), hh, mi, ss)
        return DateResult(r, None if r else msg(f"“{text}”不是有效日期", f"'{text}' is not a real date"))
    m = _COMPACT_RE.match(t)
    if m:
        r = _mk(int(m[1]), int(m[2]), int(m[3]))
        return DateResult(r, None if r else msg(f"“{text}”不是有效日期", f"'{text}' is not a real date"))
    m = _XYZ_RE.match(t)
    if m:
        a, b, y, hh, mi, ss = m.groups()
        a, b, y = int(a), int(b), int(y)
        if y < 100:
            y += 2000 if y < 70 else 1900
        dmy = _mk(y, b, a, hh, mi, ss)
        mdy = _mk(y, a, b, hh, mi, ss)
        if date_order == "dmy":
            return DateResult(
                dmy,
                None if dmy else msg(f"“{text}”按日/月/年不是有效日期", f"'{text}' is not a real day/month/year date"),
            )
        if date_order == "mdy":
            return DateResult(
                mdy,
                None if mdy else msg(f"“{text}”按月/日/年不是有效日期", f"'{text}' is not a real month/day/year date"),
            )
        # Year-month-day is the default order; a year-last date is read only when just one
        # reading exists, and never guessed when both do. Three two-digit parts (26.11.16) may
        # also be year first, the way many Chinese books abbreviate 2026.11.16.
        ymd = None
        if len(m.group(3)) == 2 and len(m.group(1)) == 2:
            ymd = _mk(a + (2000 if a < 70 else 1900), b, y % 100, hh, mi, ss)
        if ymd and (dmy or mdy) and ymd not in (dmy, mdy):
            other = dmy or mdy
            first = "日在前" if dmy else "月在前"
            return DateResult(
                None,
                ambiguous_msg(
                    f"“{text}”可能是 {ymd:%Y-%m-%d}（年在前）也可能是 {other:%Y-%m-%d}（{first}）；"
                    "请改写为四位年份的 YYYY-MM-DD，"
                    '或在 followup.toml 中设置 date_order = "dmy" 或 "mdy"',
                    f"'{text}' could be {ymd:%Y-%m-%d} (year first) or {other:%Y-%m-%d} "
                    f"({'day' if dmy else 'month'} first); type it as YYYY-MM-DD with a four-digit year, "
                    'or set date_order = "dmy" or "mdy" in followup.toml',
                ),
                ambiguous=True,
            )
        if dmy and mdy and dmy != mdy:
            return DateResult(
                None,
                ambiguous_msg(
                    f"“{text}”可能是 {dmy:%Y-%m-%d}（日在前）也可能是 {mdy:%Y-%m-%d}（月在前）；"
                    '请在 followup.toml 中设置 date_order = "dmy" 或 "mdy"，或改写为 YYYY-MM-DD',
                    f"'{text}' could be {dmy:%Y-%m-%d} (day first) or {mdy:%Y-%m-%d} (month first); "
                    'set date_order = "dmy" or "mdy" in followup.toml, or type it as YYYY-MM-DD',
                ),
                ambiguous=True,
            )
        r = dmy or mdy or ymd
        return DateResult(r, None if r else msg(f"“{text}”不是有效日期", f"'{text}' is not a real date"))
    return _parse_with_dateutil(text, date_order)


def _parse_with_dateutil(text: str, date_order: str) -> DateResult:
    """English month names ('5 Mar 2024', 'March 5, 2024') and ISO forms dateutil knows."""
    if len(text) == 5 and text.isascii() and text.isdigit():
        serial = serial_to_date(float(text))
        if serial is not None and MIN_YEAR <= serial.year <= MAX_YEAR:
            # an Excel date serial stored as text (an export, a column set to 文本): not guessed, but
            # the date it would be is named, so the fix is one look away
            return DateResult(
                None,
                msg(
                    f"“{text}”像写成文字的 Excel 日期序号（{serial:%Y-%m-%d}）；请把该列设为日期格式，"
                    f"或写成 {serial:%Y-%m-%d}",
                    f"'{text}' looks like an Excel date serial stored as text ({serial:%Y-%m-%d}); format the column "
                    f"as dates, or type {serial:%Y-%m-%d}",
                ),
            )
    if not re.search(r"[A-Za-z]{3}", text):
        return DateResult(
            None,
            msg(f"“{text}”不是日期（应写成 2024-03-05 这样）", f"'{text}' is not a date (expected e.g. 2024-03-05)"),
        )
    from dateutil import parser as du

    # Two different defaults: a component missing from the text would show up as a difference.
    try:
        a = du.parse(text, default=dt.datetime(2001, 1, 1), dayfirst=date_order == "dmy")
        b = du.parse(text, default=dt.datetime(2002, 2, 2), dayfirst=date_order == "dmy")
    except (ValueError, OverflowError):
        return DateResult(
            None,
            msg(f"“{text}”不是日期（应写成 2024-03-05 这样）", f"'{text}' is not a date (expected e.g. 2024-03-05)"),
        )
    if a != b or not MIN_YEAR <= a.year <= MAX_YEAR:
        return DateResult(
            None,
            msg(
                f"“{text}”不是完整日期（应写成 2024-03-05 这样）",
                f"'{text}' is not a complete date (expected e.g. 2024-03-05)",
            ),
        )
    return DateResult(a.replace(tzinfo=None))


# ---- birthdays ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Birthday:
    month: int
    day: int
    lunar: bool = False
    leap: bool = False
    year: int | None = None

    def describe(self, lang: str = "zh") -> str:
        if self.lunar:
            from followup_cli.calendar import lunar_md_text

            return lunar_md_text(self.month, self.day, self.leap)
        solar = dt.date(2000, self.month, self.day)  # a leap year, so 2月29日 is a date
        return msg(f"{self.month}月{self.day}日", solar.strftime("%b %d").replace(" 0", " ")).text(lang)


_MD_ZH_RE = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
# A member system with no year (or no birthday at all) writes 0000-11-23 (0000-00-00); one that
# must write a date writes Excel's first days, 1900-01-01 or 1899-12-30/31: no one is born then.
_NO_YEAR_RE = re.compile(r"^0{2,4}\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:\s+0{1,2}:0{2}(?::0{2})?)?$")
PLACEHOLDER_BEFORE = 1901
_SERIAL_1910 = 3653  # the date serial of 1910-01-01


class Placeholder(Msg):
    """What a cell says when it holds a stand-in for a value nobody entered (0000-00-00, 1900-01-01)."""


def _placeholder(value) -> Placeholder:
    return Placeholder(
        f"'{value}' is a placeholder, not a birthday (a system writes it when none was entered): no birthday greeting",
        f"“{value}”是占位值，不是生日（没有填写生日时系统写入的）：不安排生日回访",
    )


_MD_RE = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})$")
# 出生年月 as a member form asks it: 1990-11, 1990.11, 1990年11月, 199011. No day, so no birthday.
_YEAR_MONTH_RE = re.compile(r"^((?:19|20)\d{2})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))$")


def _year_month(value) -> Placeholder:
    return Placeholder(
        f"'{value}' gives the year and month of birth but no day: no birthday greeting; type the whole date "
        "(1990-11-23) or the month and day (11-23)",
        f"“{value}”只有出生的年和月，没有日：不安排生日回访；请写完整日期（1990-11-23）或月日（11-23）",
    )


def parse_birthday(
    value: object, lunar_hint: bool = False, date_order: str = "ymd", date1904: bool = False
) -> tuple[Birthday | None, str | None]:
    """A birthday: a full date, a month and day without a year, or lunar text."""
    if is_blank(value) or is_unfilled(value):
        return None, None
    if isinstance(value, str):
        text = value.strip().lstrip("'")
        from followup_cli.calendar import CalendarError, parse_lunar

        try:
            lunar = parse_lunar(text)
        except CalendarError as exc:
            return None, msg(f"“{value}”不是有效的农历生日（{exc}）", f"'{value}' is not a real lunar birthday ({exc})")
        if lunar is not None:
            month, day, leap = lunar
            ym = re.search(r"(\d{4})\s*年", text)
            return Birthday(month, day, True, leap, int(ym[1]) if ym else None), None
        for prefix in ("公历", "阳历", "新历"):
            text = text.removeprefix(prefix).strip()
        m = _NO_YEAR_RE.match(text)
        if m:
            if int(m[1]) == 0 and int(m[2]) == 0:
                return None, _placeholder(value)
            return _md(int(m[1]), int(m[2]), lunar_hint, text)
        m = _MD_ZH_RE.match(text)
        if m:
            return _md(int(m[1]), int(m[2]), lunar_hint, text)
        m = _MD_RE.match(text)
        if m:
            a, b = int(m[1]), int(m[2])
            month, day = (b, a) if date_order == "dmy" else (a, b)
            return _md(month, day, lunar_hint, text)
        m = _YEAR_MONTH_RE.match(text)
        if m and 1 <= int(m[2] or m[3]) <= 12:
            return None, _year_month(value)
        value = text
    if isinstance(value, float) and not value.is_integer() and 1900 < value < 2100:
        # 1990.11 typed as a number (a year and month): as a date serial it would be a day in 1905
        return None, _year_month(f"{value:g}")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        if 101 <= value <= 1231 and 1 <= value % 100 <= 31:
            # 1123 typed as a number: 11月23日 (as a date serial it would be a day in 1903)
            return _md(int(value) // 100, int(value) % 100, lunar_hint, str(int(value)))
        if value == 0:
            return None, _placeholder(0)
        if 0 < value < _SERIAL_1910:  # a date serial before 1910: nobody's birthday
            return None, msg(
                f"“{int(value)}”不是生日（可写 1985-03-05、3月5日、1123 或 19851123）",
                f"'{int(value)}' is not a birthday (expected e.g. 1985-03-05, 3月5日, 1123 or 19851123)",
            )
    r = parse_datetime(value, date_order, date1904)
    if r.value is None:
        if r.ambiguous:
            return None, r.problem  # an AmbiguousDate: reading codes it 'ambiguous-date'
        return None, r.problem or msg(
            f"“{value}”不是生日（可写 1985-03-05、3月5日 或 农历八月十五）",
            f"'{value}' is not a birthday (expected e.g. 1985-03-05, 3月5日 or 农历八月十五)",
        )
    d = r.value
    if d.year < PLACEHOLDER_BEFORE:
        return None, _placeholder(d.date().isoformat() if isinstance(d, dt.datetime) else value)
    if lunar_hint:
        if d.day > 30:
            return None, msg(f"“{value}”：农历每月最多 30 天", f"'{value}': a lunar month has at most 30 days")
        return Birthday(d.month, d.day, True, False, d.year), None
    return Birthday(d.month, d.day, False, False, d.year), None


def _md(month: int, day: int, lunar: bool, text: str):
    limit = 30 if lunar else 31
    if not (1 <= month <= 12 and 1 <= day <= limit):
        return None, msg(f"“{text}”不是月和日", f"'{text}' is not a month and day")
    if not lunar:
        try:
            dt.date(2000, month, day)
        except ValueError:
            return None, msg(f"“{text}”不是一年中真实存在的日子", f"'{text}' is not a real day of the year")
    return Birthday(month, day, lunar), None


def is_lunar_marker(value: object) -> bool:
    """A 生日类型 cell saying the birthday is lunar."""
    if is_blank(value):
        return False
    return str(value).strip().lower() in {"农历", "阴历", "旧历", "lunar", "l", "农"}


# ---- other types -------------------------------------------------------------------------

# ☑ / ☐: a checkbox as WPS and Excel's symbol fonts write one (☒ is left unsaid: ticked or struck out)
_YES = {"是", "y", "yes", "true", "√", "✓", "✔", "1", "有", "对", "t", "是的", "已", "已解决", "ok", "☑", "✅"}
_NO = {"否", "n", "no", "false", "×", "✗", "✘", "0", "无", "不", "f", "没有", "未", "未解决", "-", "☐", "□"}


def parse_bool(value: object) -> tuple[bool | None, str | None]:
    if is_blank(value):
        return None, None
    if isinstance(value, bool):
        return value, None
    if isinstance(value, (int, float)):
        if value in (0, 1):
            return bool(value), None
        return None, msg(
            f"“{value}”不是是/否（请用 是/否、Y/N、√ 或 1/0）", f"'{value}' is not yes/no (use 是/否, Y/N, √ or 1/0)"
        )
    t = str(value).strip().lower()
    if t in _YES:
        return True, None
    if t in _NO:
        return False, None
    return None, msg(
        f"“{value}”不是是/否（请用 是/否、Y/N、√ 或 1/0）", f"'{value}' is not yes/no (use 是/否, Y/N, √ or 1/0)"
    )


_MONEY_STRIP = re.compile(r"[¥￥$,，\s]|rmb|cny|元|人民币", re.I)


def parse_number(value: object) -> tuple[float | None, str | None]:
    if is_blank(value) or is_unfilled(value):
        return None, None
    if isinstance(value, bool):
        return None, msg("应为数字", "expected a number")
    if isinstance(value, (int, float)):
        return float(value), None
    text = _MONEY_STRIP.sub("", str(value).strip().lstrip("'"))
    if text.endswith("万"):
        mult, text = 10000, text[:-1]
    else:
        mult = 1
    try:
        return float(Decimal(text)) * mult, None
    except (InvalidOperation, ValueError):
        return None, msg(f"“{value}”不是数字", f"'{value}' is not a number")


def parse_text(value: object) -> tuple[str | None, str | None]:
    if is_blank(value):
        return None, None
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), None
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10] if not isinstance(
            value, dt.datetime
        ) or value.time() == dt.time() else value.isoformat(sep=" "), None
    return str(value).strip(), None


def fold_width(text: str) -> str:
    """Full-width letters, digits and signs (Ｆ０１, １３８…, ＋８６) as the ASCII ones a clerk meant:
    an IME left in full-width mode types them, and Ｆ０１ must be the customer F01."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def parse_id(value: object) -> tuple[str | None, str | None]:
    """An id keeps its text exactly (leading zeros, full-width forms: a reference finds it folded,
    archive/linking.py); a whole number read as 12.0 becomes '12'."""
    return parse_text(value)
