"""Report periods: a month, a quarter, a year, an ISO week or a custom range."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from followup_cli.errors import UsageProblem
from followup_cli.text.messages import msg

DAY = dt.timedelta(days=1)
SEASON_MONTHS = (3, 5, 9, 12)
DIMENSIONS = ("staff", "store", "kind", "week", "month", "quarter")
SATISFIED = ("very_satisfied", "satisfied")

# ---- periods ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str
    unit: str  # week | month | quarter | year | range

    @property
    def months(self) -> list[str]:
        out, d = [], self.start.replace(day=1)
        while d <= self.end:
            out.append(month_key(d))
            d += relativedelta(months=1)
        return out

    @property
    def season_month(self) -> bool:
        """A single calendar month that is one of the seasonal feedback months."""
        return self.unit == "month" and self.start.month in SEASON_MONTHS


def month_key(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def week_key(d: dt.date) -> str:
    """The ISO week: 2026-W47 (Monday to Sunday; week 1 holds the year's first Thursday)."""
    year, week, _ = d.isocalendar()
    return f"{year:04d}-W{week:02d}"


def quarter_key(d: dt.date) -> str:
    return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"


_PERIOD_FORMS = (
    (re.compile(r"^(\d{4})\s*[-/.]?\s*[Ww](\d{1,2})$"), "week"),
    (re.compile(r"^(\d{4})\s*年\s*第?\s*(\d{1,2})\s*周$"), "week"),
    (re.compile(r"^(\d{4})\s*[-/.]?\s*[Qq]([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})\s*年\s*第?\s*([1-4一二三四])\s*季度?$"), "quarter"),
    (re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月$"), "month"),
    (re.compile(r"^(\d{4})(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})\s*年?$"), "year"),
)
_ZH_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


def parse_period(text: str) -> Period:
    """'2026-W47' (an ISO week, Monday to Sunday), '2026-11' (a month), '2026-Q4' (a quarter),
    '2026' (a year); also 2026年第47周, 2026年11月, 2026年第4季度."""
    s = str(text).strip()
    for pattern, unit in _PERIOD_FORMS:
        m = pattern.match(s)
        if not m:
            continue
        year = int(m.group(1))
        if not 1900 <= year <= 2100:  # past 9999 the date arithmetic would overflow; no shop reports there
            raise UsageProblem(
                msg(
                    f"时段 {text} 的年份 {year} 不在 1900-2100 之内",
                    f"the period {text}: year {year} is outside 1900-2100",
                ),
                msg("请写出真实的年份，例如 2026-11", "write a real year, e.g. 2026-11"),
            )
        if unit == "year":
            return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year:04d}", "year")
        n = m.group(2)
        n = _ZH_DIGITS.get(n) or int(n)
        if unit == "week":
            try:
                start = dt.date.fromisocalendar(year, n, 1)
            except ValueError:
                raise UsageProblem(
                    msg(f"{year} 年没有第 {n} 周", f"'{text}': {year} has no ISO week {n}"),
                    msg(
                        f"{year} 年的周为 W01 至 W{dt.date(year, 12, 28).isocalendar()[1]:02d}",
                        f"the weeks of {year} are W01 to W{dt.date(year, 12, 28).isocalendar()[1]:02d}",
                    ),
                ) from None
            return Period(start, start + 6 * DAY, f"{year:04d}-W{n:02d}", "week")
        if unit == "quarter":
            start = dt.date(year, 3 * n - 2, 1)
            return Period(start, start + relativedelta(months=3) - DAY, f"{year:04d}-Q{n}", "quarter")
        if not 1 <= n <= 12:
            break
        start = dt.date(year, n, 1)
        return Period(start, start + relativedelta(months=1) - DAY, month_key(start), "month")
    raise UsageProblem(
        msg(f"“{text}”不是一个期间", f"'{text}' is not a period"),
        msg(
            "请写一周（2026-W47）、一个月（2026-11）、一个季度（2026-Q4）或一年（2026），或用 --from 和 --to",
            "write a week (2026-W47), a month (2026-11), a quarter (2026-Q4) or a year (2026), or use --from and --to",
        ),
    )


def period_between(start: dt.date, end: dt.date) -> Period:
    if end < start:
        raise UsageProblem(
            msg(f"时期的结束日（{end}）早于开始日（{start}）", f"the period ends ({end}) before it starts ({start})"),
            msg("请把 --from 和 --to 对调", "swap --from and --to"),
        )
    return Period(start, end, f"{start.isoformat()}..{end.isoformat()}", "range")


def trend_period(period: Period, months: int = 6) -> Period:
    """The months a trend chart shows: the period's own months, or the `months` ending with a
    one-month period (a trend of one point says nothing)."""
    if len(period.months) >= 2:
        return period
    first = period.start.replace(day=1) - relativedelta(months=months - 1)
    return Period(first, period.end, f"{month_key(first)}..{month_key(period.end)}", "range")
