"""The KPIs a supervisor is judged by, for one period: plain data in, plain data out.

Every rate is kept as a Measure with its numerator and denominator, so a supervisor can
check it by hand. The definitions (docs/kpi.md has the long form):

- completion: the tasks whose due date falls in the period and has come by the cut-off day
  (`period_tasks`); a task counts as done when the visit log closes it. Per customer: a
  customer due in the period counts as followed up when every one of their due tasks is done.
- satisfaction: (非常满意 + 满意) / reached visits of the period that carry a satisfaction
  answer. A reached visit without an answer (an SMS greeting, say) is not a dissatisfied
  customer; how many answers are missing is its own KPI (rated share).
- average score (0-5) and would-recommend rate over the period's visits that record them.
- resolution: issues raised in the period (the 问题跟踪 sheet when the archive has one, else
  visits with an issue text or category) that are resolved by the report day; the median days
  from raised to resolved.
- record accuracy: spot-check verdicts (抽查记录) on the period's visits, accurate / checked.
- tickets: repair and complaint tickets closed in the period with a follow-up visit
  (after-sales or complaint kind, a closing outcome) within 72 hours of closing; major
  complaints opened in the period escalated within 24 hours of opening.
- projects completed in the period: project visits per project, share with at least 3.
- customer value: VIP spend and spend per buying customer against the same dates a year
  earlier; customers dormant 60 and 90 days at the cut-off; customers won back (a purchase
  within 30 days of a reached dormant follow-up); the top 20% of buyers' share of revenue.

Two days matter. The cut-off is min(period end, report day): what happened in the period.
The report day (--as-of, default today) is when the period's work is judged: a task due on
the 30th and done on the 1st of the next month, inside its window, counts as done for its
month when the report is made after the 1st; an issue raised in the period counts as
resolved when it is resolved by the report day. Nothing after the report day is ever seen,
so every figure is reproducible for a given report day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from followup_cli.errors import ConfigError, UsageProblem
from followup_cli.policy.vocabulary import (
    CLOSING_OUTCOMES, ISSUE_CATEGORIES, KINDS, SATISFACTION, SEVERITIES, TICKET_TYPES, VERDICTS,
    visit_outcome,
)
from followup_cli.archive.records import Archive
from followup_cli.archive.staff import staff_directory
from followup_cli.schedule.engine import period_tasks

DAY = dt.timedelta(days=1)
SEASON_MONTHS = (3, 5, 9, 12)
DIMENSIONS = ("staff", "store", "kind", "month", "quarter")
SATISFIED = ("very_satisfied", "satisfied")

# ---- periods ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str
    unit: str  # month | quarter | year | range

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


def quarter_key(d: dt.date) -> str:
    return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"


_PERIOD_FORMS = (
    (re.compile(r"^(\d{4})\s*[-/.]?\s*[Qq]([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})\s*年\s*第?\s*([1-4一二三四])\s*季度?$"), "quarter"),
    (re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月$"), "month"),
    (re.compile(r"^(\d{4})(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})\s*年?$"), "year"),
)
_ZH_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


def parse_period(text: str) -> Period:
    """'2026-11' (a month), '2026-Q4' (a quarter), '2026' (a year); also 2026年11月, 2026年第4季度."""
    s = str(text).strip()
    for pattern, unit in _PERIOD_FORMS:
        m = pattern.match(s)
        if not m:
            continue
        year = int(m.group(1))
        if unit == "year":
            return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year:04d}", "year")
        n = m.group(2)
        n = _ZH_DIGITS.get(n) or int(n)
        if unit == "quarter":
            start = dt.date(year, 3 * n - 2, 1)
            return Period(start, start + relativedelta(months=3) - DAY, f"{year:04d}-Q{n}", "quarter")
        if not 1 <= n <= 12:
            break
        start = dt.date(year, n, 1)
        return Period(start, start + relativedelta(months=1) - DAY, month_key(start), "month")
    raise UsageProblem(f"'{text}' is not a period",
                       "write a month (2026-11), a quarter (2026-Q4) or a year (2026), or use --from and --to")


def period_between(start: dt.date, end: dt.date) -> Period:
    if end < start:
        raise UsageProblem(f"the period ends ({end}) before it starts ({start})", "swap --from and --to")
    return Period(start, end, f"{start.isoformat()}..{end.isoformat()}", "range")


def trend_period(period: Period, months: int = 6) -> Period:
    """The months a trend chart shows: the period's own months, or the `months` ending with a
    one-month period (a trend of one point says nothing)."""
    if len(period.months) >= 2:
        return period
    first = period.start.replace(day=1) - relativedelta(months=months - 1)
    return Period(first, period.end, f"{month_key(first)}..{month_key(period.end)}", "range")


# ---- settings (followup.toml [kpi]) ------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """A bonus band on the satisfaction rate: `over` is strictly above, `min` at least."""

    id: str
    threshold: float
    strict: bool
    zh: str
    en: str

    def fits(self, pct: float) -> bool:
        return pct > self.threshold if self.strict else pct >= self.threshold

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


DEFAULT_BANDS = (
    Band("bonus", 90, True, "优秀：发放质量奖金", "above 90%: quality bonus"),
    Band("standard", 70, False, "合格", "70-90%: on target"),
    Band("warning", 50, False, "批评教育，酌减奖金", "50-70%: warning, reduced bonus"),
    Band("no_bonus", 0, False, "不发奖金，考虑调岗", "below 50%: no bonus, review placement"),
)


@dataclass(frozen=True)
class KpiSettings:
    bands: tuple[Band, ...] = DEFAULT_BANDS
    vip_tiers: tuple[str, ...] = ("vip", "金卡", "钻石卡", "白金卡", "贵宾")
    win_back_days: int = 30
    top_share: float = 20.0  # per cent of buyers
    ticket_followup_hours: int = 72
    escalation_hours: int = 24
    project_min_visits: int = 3


def settings_from_config(raw: dict, where: str = "followup.toml") -> KpiSettings:
    """[kpi] of followup.toml: bands, vip_tiers, win_back_days, top_share,
    ticket_followup_hours, escalation_hours, project_min_visits."""
    section = raw.get("kpi", {}) if isinstance(raw, dict) else {}
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: [kpi] must be a table")
    known = {f.name for f in dataclasses.fields(KpiSettings)}
    unknown = set(section) - known
    if unknown:
        raise ConfigError(f"{where}: [kpi] {', '.join(sorted(unknown))}: unknown setting",
                          f"settings are: {', '.join(sorted(known))}")
    values: dict = {}
    if "bands" in section:
        values["bands"] = _bands(section["bands"], where)
    if "vip_tiers" in section:
        values["vip_tiers"] = tuple(str(t).strip().lower() for t in _list(section["vip_tiers"], "vip_tiers", where))
    for name in ("win_back_days", "ticket_followup_hours", "escalation_hours", "project_min_visits"):
        if name in section:
            values[name] = _int(section[name], name, where)
    if "top_share" in section:
        v = section["top_share"]
        if not isinstance(v, (int, float)) or not 0 < v <= 100:
            raise ConfigError(f"{where}: [kpi] top_share = {v!r}: give a per cent between 0 and 100, e.g. 20")
        values["top_share"] = float(v)
    return KpiSettings(**values)


def _list(v, name, where):
    if not isinstance(v, list) or not v:
        raise ConfigError(f"{where}: [kpi] {name} must be a non-empty list")
    return v


def _int(v, name, where):
    if not isinstance(v, int) or isinstance(v, bool) or v < 0:
        raise ConfigError(f"{where}: [kpi] {name} = {v!r}: give a whole number ≥ 0")
    return v


def _bands(items, where) -> tuple[Band, ...]:
    example = '{ over = 90, zh = "优秀", en = "bonus" }, { min = 70, zh = "合格", en = "on target" }, ...'
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{where}: [kpi] bands must be a list of tables", f"e.g. bands = [{example}]")
    out = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict) or (("over" in item) == ("min" in item)):
            raise ConfigError(f"{where}: [kpi] bands, entry {i}: give exactly one of over (strictly above) "
                              "or min (at least), in per cent", f"e.g. bands = [{example}]")
        strict = "over" in item
        threshold = item["over" if strict else "min"]
        if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or not 0 <= threshold <= 100:
            raise ConfigError(f"{where}: [kpi] bands, entry {i}: {threshold!r} is not a per cent between 0 and 100")
        label = str(item.get("label", ""))
        zh = str(item.get("zh", label or f"{'>' if strict else '≥'}{threshold}%"))
        en = str(item.get("en", label or zh))
        out.append(Band(str(item.get("id", f"band{i}")), float(threshold), strict, zh, en))
    if any(b.threshold > a.threshold for a, b in zip(out, out[1:])):
        raise ConfigError(f"{where}: [kpi] bands must go from the highest threshold down")
    return tuple(out)


def band_for(pct: float | None, bands) -> Band | None:
    if pct is None:
        return None
    for b in bands:
        if b.fits(pct):
            return b
    return None


# ---- measures --------------------------------------------------------------------------------


@dataclass
class Measure:
    """One KPI figure: value, and the numerator and denominator it came from."""

    value: float | None
    numerator: float | None
    denominator: float | None
    unit: str  # "%" | "score" | "days" | "per" | "growth"

    def as_dict(self) -> dict:
        return {"value": self.value, "numerator": self.numerator, "denominator": self.denominator,
                "unit": self.unit}


def rate(num, den) -> Measure:
    return Measure(round(100.0 * num / den, 2) if den else None, num, den, "%")


def mean(total, n, unit="score") -> Measure:
    return Measure(round(total / n, 2) if n else None, round(total, 2), n, unit)


def growth(cur, prev) -> Measure:
    value = round(100.0 * (cur - prev) / prev, 2) if prev else None
    return Measure(value, round(cur, 2), round(prev, 2), "growth")


# KPI ids in display order, with their section, label and short definition (zh, en).
KPIS: dict[str, dict] = {
    "completion_customers": {
        "section": "completion", "zh": "回访完成率（客户）", "en": "Completion rate (customers)",
        "def_zh": "应访任务全部完成的客户 / 本期有应访任务的客户",
        "def_en": "customers whose due tasks are all done / customers with tasks due in the period"},
    "completion_tasks": {
        "section": "completion", "zh": "回访完成率（任务）", "en": "Completion rate (tasks)",
        "def_zh": "已完成任务 / 本期到期任务", "def_en": "tasks done / tasks due in the period"},
    "satisfaction": {
        "section": "satisfaction", "zh": "客户满意度", "en": "Satisfaction rate",
        "def_zh": "（非常满意 + 满意）/ 有满意度评价的已接通回访",
        "def_en": "(very satisfied + satisfied) / reached visits with a satisfaction answer"},
    "rated_share": {
        "section": "satisfaction", "zh": "满意度填写率", "en": "Satisfaction recorded",
        "def_zh": "有满意度评价的已接通回访 / 已接通回访",
        "def_en": "reached visits with a satisfaction answer / reached visits"},
    "avg_score": {
        "section": "satisfaction", "zh": "平均评分（0-5）", "en": "Average score (0-5)",
        "def_zh": "评分合计 / 有评分的回访", "def_en": "sum of scores / visits with a score"},
    "recommend": {
        "section": "satisfaction", "zh": "愿意推荐率", "en": "Would-recommend rate",
        "def_zh": "愿意推荐 / 回答了推荐问题的回访", "def_en": "would recommend / visits that asked"},
    "resolution": {
        "section": "issues", "zh": "问题解决率", "en": "Resolution rate",
        "def_zh": "本期提出且已解决的问题 / 本期提出的问题",
        "def_en": "issues raised in the period and resolved / issues raised in the period"},
    "median_days": {
        "section": "issues", "zh": "解决用时中位数（天）", "en": "Median days to resolve",
        "def_zh": "已解决问题从提出到解决的天数中位数（分母为有日期的已解决问题）",
        "def_en": "median days from raised to resolved (denominator: resolved issues with both dates)"},
    "accuracy": {
        "section": "accuracy", "zh": "回访记录准确率", "en": "Record accuracy",
        "def_zh": "抽查核实准确的记录 / 抽查的记录", "def_en": "records verified accurate / records checked"},
    "ticket_followup": {
        "section": "tickets", "zh": "报修投诉 72 小时回访率", "en": "Repairs/complaints followed up in 72 h",
        "def_zh": "结案后 72 小时内有售后或投诉回访的报修、投诉工单 / 本期结案的报修、投诉工单",
        "def_en": "repair and complaint tickets with a follow-up visit within 72 h of closing / those closed in the period"},
    "escalation": {
        "section": "tickets", "zh": "重大投诉 24 小时上报率", "en": "Major complaints escalated in 24 h",
        "def_zh": "受理后 24 小时内上报的重大投诉 / 本期受理的重大投诉",
        "def_en": "major complaints escalated within 24 h of opening / major complaints opened in the period"},
    "project_visits": {
        "section": "projects", "zh": "每个工程回访次数", "en": "Visits per project",
        "def_zh": "本期竣工工程的工程回访次数 / 本期竣工工程数",
        "def_en": "project visits of the projects completed in the period / those projects"},
    "project_min_visits": {
        "section": "projects", "zh": "回访达 3 次的工程占比", "en": "Projects with at least 3 visits",
        "def_zh": "回访不少于 3 次的竣工工程 / 本期竣工工程",
        "def_en": "completed projects with at least 3 visits / projects completed in the period"},
    "vip_spend": {
        "section": "value", "zh": "VIP 消费额同比", "en": "VIP spend, year on year",
        "def_zh": "增长率；分子为本期 VIP 消费额，分母为去年同期",
        "def_en": "growth; numerator this period's VIP spend, denominator the same dates a year earlier"},
    "spend_per_customer": {
        "section": "value", "zh": "人均消费额同比", "en": "Spend per customer, year on year",
        "def_zh": "增长率；分子为本期消费额 / 消费客户数，分母为去年同期",
        "def_en": "growth; numerator this period's spend per buying customer, denominator a year earlier"},
    "dormant_60": {
        "section": "value", "zh": "60 天未消费客户", "en": "Dormant 60+ days",
        "def_zh": "截至期末 60 天以上未消费的客户 / 有消费或建档日期的客户",
        "def_en": "customers with no purchase for 60+ days at the cut-off / customers with a purchase or archive date"},
    "dormant_90": {
        "section": "value", "zh": "90 天未消费客户", "en": "Dormant 90+ days",
        "def_zh": "截至期末 90 天以上未消费的客户 / 有消费或建档日期的客户",
        "def_en": "customers with no purchase for 90+ days at the cut-off / customers with a purchase or archive date"},
    "won_back": {
        "section": "value", "zh": "沉睡客户唤醒率", "en": "Dormant customers won back",
        "def_zh": "沉睡唤醒回访后 30 天内再次消费的客户 / 本期接通沉睡唤醒回访的客户",
        "def_en": "customers who bought within 30 days of a reached dormant follow-up / customers reached by one"},
    "top_share": {
        "section": "value", "zh": "前 20% 客户消费占比", "en": "Revenue share of the top 20%",
        "def_zh": "消费额前 20% 客户的消费额 / 本期总消费额",
        "def_en": "spend of the top 20% of buyers / total spend in the period"},
}

SECTIONS = {
    "completion": ("回访完成", "Completion"),
    "satisfaction": ("满意度", "Satisfaction"),
    "issues": ("问题解决", "Issues"),
    "accuracy": ("记录准确性", "Record accuracy"),
    "tickets": ("售后与投诉", "Tickets"),
    "projects": ("工程回访", "Projects"),
    "value": ("客户价值", "Customer value"),
}

# The KPIs that break down by staff, store, kind, month or quarter (the others are shop-wide).
GROUP_KPIS = ("completion_customers", "completion_tasks", "satisfaction", "avg_score", "recommend",
              "resolution", "median_days", "accuracy", "ticket_followup", "escalation")


def kpi_label(kpi: str, lang: str, settings: KpiSettings | None = None) -> str:
    text = KPIS[kpi]["zh" if lang == "zh" else "en"]
    return _settle_numbers(kpi, text, settings)


def kpi_definition(kpi: str, lang: str, settings: KpiSettings | None = None) -> str:
    text = KPIS[kpi]["def_zh" if lang == "zh" else "def_en"]
    return _settle_numbers(kpi, text, settings)


def _settle_numbers(kpi: str, text: str, settings: KpiSettings | None) -> str:
    """Labels name the default thresholds; say the configured ones instead."""
    s = settings or KpiSettings()
    swaps = {
        "ticket_followup": (("72", str(s.ticket_followup_hours)),),
        "escalation": (("24", str(s.escalation_hours)),),
        "project_min_visits": (("3", str(s.project_min_visits)),),
        "won_back": (("30", str(s.win_back_days)),),
        "top_share": (("20", f"{s.top_share:g}"),),
    }.get(kpi, ())
    for old, new in swaps:
        text = text.replace(old, new)
    return text


# ---- facts: one small tuple per task, visit, issue, check, ticket -----------------------------
# The first four fields of every fact are the grouping keys: staff, store, kind, date.


@dataclass
class _Facts:
    tasks: list = field(default_factory=list)  # (staff, store, kind, due, customer_id, done)
    visits: list = field(default_factory=list)  # (staff, store, kind, date, reached, level, score, recommend)
    issues: list = field(default_factory=list)  # (staff, store, kind, raised, resolved, days)
    audits: list = field(default_factory=list)  # (staff, store, kind, date, accurate)
    tickets: list = field(default_factory=list)  # (staff, store, kind, closed, followed_up)
    escalations: list = field(default_factory=list)  # (staff, store, kind, opened, in_time)


def _key_fn(dim: str):
    if dim == "staff":
        return lambda f: f[0]
    if dim == "store":
        return lambda f: f[1]
    if dim == "kind":
        return lambda f: f[2]
    if dim == "month":
        return lambda f: month_key(f[3])
    if dim == "quarter":
        return lambda f: quarter_key(f[3])
    raise UsageProblem(f"--by {dim}: not a dimension", f"choose one of {', '.join(DIMENSIONS)}")


def _split(facts: _Facts, dim: str) -> dict:
    key = _key_fn(dim)
    out: dict = defaultdict(_Facts)
    for name in ("tasks", "visits", "issues", "audits", "tickets", "escalations"):
        for f in getattr(facts, name):
            getattr(out[key(f)], name).append(f)
    return out


def _group_measures(f: _Facts) -> dict[str, Measure]:
    m: dict[str, Measure] = {}
    customers: dict[str, bool] = {}
    done = 0
    for t in f.tasks:
        done += t[5]
        customers[t[4]] = customers.get(t[4], True) and t[5]
    m["completion_customers"] = rate(sum(customers.values()), len(customers))
    m["completion_tasks"] = rate(done, len(f.tasks))
    reached = [v for v in f.visits if v[4]]
    rated = [v for v in reached if v[5]]
    m["satisfaction"] = rate(sum(1 for v in rated if v[5] in SATISFIED), len(rated))
    m["rated_share"] = rate(len(rated), len(reached))
    scores = [v[6] for v in f.visits if v[6] is not None]
    m["avg_score"] = mean(sum(scores), len(scores))
    answers = [v[7] for v in f.visits if v[7] is not None]
    m["recommend"] = rate(sum(1 for a in answers if a), len(answers))
    m["resolution"] = rate(sum(1 for i in f.issues if i[4]), len(f.issues))
    days = [i[5] for i in f.issues if i[4] and i[5] is not None]
    m["median_days"] = Measure(float(statistics.median(days)) if days else None, None, len(days), "days")
    m["accuracy"] = rate(sum(1 for a in f.audits if a[4]), len(f.audits))
    m["ticket_followup"] = rate(sum(1 for t in f.tickets if t[4]), len(f.tickets))
    m["escalation"] = rate(sum(1 for t in f.escalations if t[4]), len(f.escalations))
    return m


def empty_measures() -> dict[str, Measure]:
    """The grouped KPIs of a group without any data."""
    return _group_measures(_Facts())


# ---- the result ---------------------------------------------------------------------------------


@dataclass
class KpiResult:
    period: Period
    cutoff: dt.date  # min(period end, report day): what happened in the period
    report_day: dt.date  # when the period's work is judged
    measures: dict[str, Measure]  # shop-wide, every KPI
    groups: dict[str, list[tuple[str | None, dict[str, Measure]]]]  # dim → [(key, measures)]
    ranking: list[dict]  # staff, rank, band and their measures (when grouped by staff)
    task_counts: dict[str, int]  # done, done_after_period, open, missed, unreachable, upcoming
    satisfaction_counts: dict[str, int]  # level id → reached visits, in SATISFACTION order
    issues: list[dict]  # every issue raised in the period
    issue_counts: dict[str, int]  # category id (or 'uncategorised') → count
    suggestions: list[dict]  # the customers' own words: date, customer_id, kind, category, text
    season: bool
    issue_source: str  # 'sheet' (问题跟踪) or 'visits'
    notes: list[tuple[str, str]]  # (zh, en) things the reader should know


def compute_kpis(archive: Archive, policy, period: Period, report_day: dt.date, *, workcal=None,
                 birthday_policy=None, by=(), settings: KpiSettings | None = None,
                 season: bool | None = None) -> KpiResult:
    """Every KPI of `period`, shop-wide and grouped by each dimension in `by`."""
    if report_day < period.start:
        raise UsageProblem(f"the period {period.label} starts after the as-of date {report_day}",
                           "choose an earlier period or a later --as-of")
    settings = settings or KpiSettings()
    by = tuple(by or ())
    for dim in by:
        _key_fn(dim)
    cutoff = min(period.end, report_day)
    ctx = _Ctx(archive, period, cutoff, report_day, settings)
    facts = _Facts()
    task_counts = _task_facts(ctx, policy, workcal, birthday_policy, facts)
    sat_counts = _visit_facts(ctx, facts)
    issues, issue_source = _issue_facts(ctx, facts)
    _audit_facts(ctx, facts)
    _ticket_facts(ctx, facts)

    measures = _group_measures(facts)
    measures.update(_project_measures(ctx))
    measures.update(_value_measures(ctx))
    measures = {k: measures[k] for k in KPIS}

    groups = {}
    for dim in by:
        split = _split(facts, dim)
        keys = sorted(split, key=lambda k: (k is None, str(k)))
        groups[dim] = [(k, _group_measures(split[k])) for k in keys]
    ranking = rank_staff(groups["staff"], settings.bands) if "staff" in groups else []

    counts: dict[str, int] = defaultdict(int)
    for i in issues:
        counts[i["category"] or "uncategorised"] += 1
    issue_counts = {c: counts[c] for c in [*ISSUE_CATEGORIES.ids(), "uncategorised"] if counts.get(c)}
    issue_counts.update({c: n for c, n in counts.items() if c not in issue_counts})
    is_season = period.season_month if season is None else season
    return KpiResult(period, cutoff, report_day, measures, groups, ranking, task_counts, sat_counts, issues,
                     issue_counts, _suggestions(ctx, issues) if is_season else [], is_season, issue_source,
                     ctx.notes)


def rank_staff(groups, bands) -> list[dict]:
    """Staff ordered by satisfaction, then task completion, then reached visits; with their band."""
    rows = []
    for key, m in groups:
        if key is None:
            continue  # unassigned work is shown in the breakdown, not ranked
        rows.append({"staff": key, "measures": m})

    def order(r):
        m = r["measures"]
        sat, comp = m["satisfaction"].value, m["completion_tasks"].value
        return (sat is None, -(sat or 0), comp is None, -(comp or 0), -(m["satisfaction"].denominator or 0),
                str(r["staff"]))

    rows.sort(key=order)
    prev, rank = None, 0
    for i, r in enumerate(rows, start=1):
        m = r["measures"]
        this = (m["satisfaction"].value, m["completion_tasks"].value)
        if this != prev:
            rank = i
        prev = this
        r["rank"] = rank
        band = band_for(m["satisfaction"].value, bands)
        r["band"] = band.id if band else None
        r["band_zh"] = band.zh if band else ""
        r["band_en"] = band.en if band else ""
    return rows


# ---- computing the facts -------------------------------------------------------------------------


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def _as_datetime(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return None


def _within(start, end, hours: int) -> bool:
    """end - start within [0, hours]; on whole days when either side has no time of day."""
    a, b = _as_datetime(start), _as_datetime(end)
    if a is None or b is None:
        return False
    if a.time() == dt.time(0) or b.time() == dt.time(0):
        days = (b.date() - a.date()).days
        return 0 <= days <= math.ceil(hours / 24)
    return dt.timedelta(0) <= b - a <= dt.timedelta(hours=hours)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


class _Ctx:
    def __init__(self, archive: Archive, period: Period, cutoff: dt.date, report_day: dt.date,
                 settings: KpiSettings):
        self.archive = archive
        self.period = period
        self.start = period.start
        self.cutoff = cutoff
        self.report_day = report_day
        self.settings = settings
        self.notes: list[tuple[str, str]] = []
        self.customers = {c.id: c for c in archive.customers if c.id}
        self._staff = staff_directory(archive, report_day)
        # Visits up to the report day, each once: (date, kind, outcome, visit). A log holds few
        # distinct kind and outcome texts: each is matched once.
        self.visits: list[tuple] = []
        self.visits_by_customer: dict[str, list[tuple]] = defaultdict(list)
        kinds, outcomes = {}, {}
        for v in archive.visits:
            d = _as_date(v.date)
            if d is None or d > report_day:
                continue
            if v.outcome not in outcomes:
                outcomes[v.outcome] = visit_outcome(v.outcome)
            if v.kind not in kinds:
                kinds[v.kind] = KINDS.match(v.kind)
            item = (d, kinds[v.kind], outcomes[v.outcome], v)
            self.visits.append(item)
            if v.customer_id:
                self.visits_by_customer[v.customer_id].append(item)
        for items in self.visits_by_customer.values():
            items.sort(key=lambda t: t[0])

    def staff(self, name) -> str | None:
        return self._staff.display(name)

    def store(self, customer_id) -> str | None:
        c = self.customers.get(customer_id)
        return (_text(c.store) or None) if c is not None else None

    def owner(self, customer_id) -> str | None:
        c = self.customers.get(customer_id)
        return self.staff(c.owner) if c is not None else None

    def in_period(self, d: dt.date | None) -> bool:
        return d is not None and self.start <= d <= self.cutoff


def _task_facts(ctx: _Ctx, policy, workcal, birthday_policy, facts: _Facts) -> dict[str, int]:
    """Pass 1 takes the period's tasks as of the cut-off; tasks still open then are looked up
    again as of the report day (pass 2, their customers only), matched by their stable id."""
    archive = ctx.archive
    tasks = period_tasks(archive, policy, ctx.start, ctx.period.end, ctx.cutoff, workcal, birthday_policy)
    counts = dict.fromkeys(("done", "done_after_period", "open", "missed", "unreachable", "upcoming"), 0)
    due = [t for t in tasks if t.due_date <= ctx.cutoff]
    counts["upcoming"] = len(tasks) - len(due)
    final: dict[str, tuple[str, dt.date | None]] = {}
    open_tasks = [t for t in due if t.status in ("due", "overdue")]
    if open_tasks and ctx.report_day > ctx.cutoff:
        ids = {t.customer.id for t in open_tasks}
        view = dataclasses.replace(archive, customers=[c for c in archive.customers if c.id in ids])
        for t in period_tasks(view, policy, ctx.start, ctx.period.end, ctx.report_day, workcal, birthday_policy):
            final[t.task_id] = (t.status, t.done_on)
    for t in due:
        status, done_on = t.status, t.done_on
        if status in ("due", "overdue") and t.task_id in final:
            status, done_on = final[t.task_id]
        if status == "done":
            counts["done"] += 1
            if done_on and done_on > ctx.period.end:
                counts["done_after_period"] += 1
        elif status in ("missed", "unreachable"):
            counts[status] += 1
        else:
            counts["open"] += 1
        c = t.customer
        facts.tasks.append((ctx.staff(t.staff), _text(c.store) or None, t.kind, t.due_date, c.id, status == "done"))
    return counts


def _visit_facts(ctx: _Ctx, facts: _Facts) -> dict[str, int]:
    levels = dict.fromkeys(SATISFACTION.ids(), 0)
    for d, kind, outcome, v in ctx.visits:
        if not ctx.in_period(d):
            continue
        reached = outcome == "reached"
        level = SATISFACTION.match(v.satisfaction) if reached and _text(v.satisfaction) else None
        if level:
            levels[level] += 1
        # Answers only count from a call that reached the customer.
        score = v.score if reached and isinstance(v.score, (int, float)) and 0 <= v.score <= 5 else None
        recommend = v.recommend if reached and isinstance(v.recommend, bool) else None
        facts.visits.append((ctx.staff(v.staff), ctx.store(v.customer_id), kind, d, reached, level,
                             float(score) if score is not None else None, recommend))
    return levels


def _resolution(ctx: _Ctx, raised: dt.date, resolved, resolved_on) -> tuple[bool, dt.date | None]:
    on = _as_date(resolved_on)
    if on is not None:
        return on <= ctx.report_day, on
    return resolved is True, None


def _issue_facts(ctx: _Ctx, facts: _Facts) -> tuple[list[dict], str]:
    archive = ctx.archive
    out: list[dict] = []
    if archive.source("issues") is not None:
        by_visit_id = {_text(v.visit_id): (d, k, v) for d, k, _, v in ctx.visits if _text(v.visit_id)}
        by_task_id = {}
        for d, k, _, v in ctx.visits:
            for tid in re.split(r"[\s,，;；]+", _text(v.task_id)):
                if tid:
                    by_task_id[tid] = (d, k, v)
        for i in archive.issues:
            raised = _as_date(i.raised_on)
            if not ctx.in_period(raised):
                continue
            link = by_visit_id.get(_text(i.visit_id)) or by_task_id.get(_text(i.task_id))
            visit = link[2] if link else None
            kind = link[1] if link else None
            staff = ctx.staff(i.staff) or (ctx.staff(visit.staff) if visit else None) or ctx.owner(i.customer_id)
            out.append(_issue_row(ctx, i.customer_id, raised, kind, staff, i.category, i.text, i.resolved,
                                  i.resolved_on, i.src, i.row, _text(i.issue_id)))
        source = "sheet"
        ctx.notes.append(("问题取自“问题跟踪”表", "issues are taken from the issue-tracking sheet (问题跟踪)"))
    else:
        for d, kind, _, v in ctx.visits:
            if not ctx.in_period(d) or not (_text(v.issue) or _text(v.issue_category)):
                continue
            out.append(_issue_row(ctx, v.customer_id, d, kind, ctx.staff(v.staff), v.issue_category, v.issue,
                                  v.resolved, v.resolved_on, v.src, v.row, _text(v.visit_id)))
        source = "visits"
    out.sort(key=lambda r: (r["raised_on"], str(r["customer_id"]), r["row"]))
    for r in out:
        facts.issues.append((r["staff"], r["store"], r["kind"], r["raised_on"], r["resolved"], r["days"]))
    return out, source


def _issue_row(ctx, customer_id, raised, kind, staff, category, text, resolved, resolved_on, src, row, ref):
    ok, on = _resolution(ctx, raised, resolved, resolved_on)
    days = (on - raised).days if ok and on is not None and on >= raised else None
    cat_text = _text(category)
    return {
        "raised_on": raised, "customer_id": customer_id, "staff": staff, "store": ctx.store(customer_id),
        "kind": kind, "category": ISSUE_CATEGORIES.match(cat_text) or (cat_text or None),
        "text": _text(text), "resolved": ok, "resolved_on": on if ok else None, "days": days,
        "ref": ref, "sheet": src.sheet if src else "", "row": row,
    }


def _audit_facts(ctx: _Ctx, facts: _Facts) -> None:
    audits = ctx.archive.audits
    if not audits:
        return
    by_id, by_row = {}, {}
    for item in ctx.visits:
        v = item[3]
        if _text(v.visit_id):
            by_id.setdefault(_text(v.visit_id), item)
        by_row.setdefault(v.row, item)
    latest: dict = {}
    unreadable = 0
    for a in audits:
        verdict = VERDICTS.match(a.verdict)
        checked = _as_date(a.checked_on)
        if verdict is None:
            unreadable += 1 if _text(a.verdict) else 0
            continue
        if checked is not None and checked > ctx.report_day:
            continue
        item = by_id.get(_text(a.visit_id)) if _text(a.visit_id) else None
        if item is None and not _text(a.visit_id) and isinstance(a.visit_row, (int, float)):
            item = by_row.get(int(a.visit_row))
        if item is not None:
            if not ctx.in_period(item[0]):
                continue
            key = ("visit", id(item[3]))
        else:
            if not ctx.in_period(checked):
                continue  # a check of a visit we cannot find counts in the period it was made
            key = ("row", a.src.file if a.src else "", a.row)
        stamp = (checked or dt.date.min, a.row)
        if key not in latest or stamp >= latest[key][0]:
            latest[key] = (stamp, item, verdict, a)
    for _, item, verdict, a in latest.values():
        if item is not None:
            d, kind, _, v = item
            fact = (ctx.staff(v.staff), ctx.store(v.customer_id), kind, d, verdict == "accurate")
        else:
            fact = (None, ctx.store(a.customer_id), None, _as_date(a.checked_on), verdict == "accurate")
        facts.audits.append(fact)
    if unreadable:
        ctx.notes.append((f"{unreadable} 条抽查结果无法识别（应为 准确/不准确），未计入",
                          f"{unreadable} spot-check verdict(s) are not 准确/不准确 (accurate/inaccurate) and were left out"))


def ticket_type(value) -> str | None:
    """repair | complaint | return, from what a clerk typed (also inside a longer text)."""
    text = _text(value)
    if not text:
        return None
    found = TICKET_TYPES.match(text)
    if found:
        return found
    low = text.lower()
    if "投诉" in low or "complain" in low:
        return "complaint"
    if "修" in low or "repair" in low:
        return "repair"
    if "退" in low or "换" in low or "return" in low or "exchange" in low or "refund" in low:
        return "return"
    return None


def _ticket_facts(ctx: _Ctx, facts: _Facts) -> None:
    s = ctx.settings
    sources = [src for src in ctx.archive.sources if src.role == "tickets"]
    # Without an escalation column nobody recorded escalations: no data, not 0%.
    escalation_kept = any("escalated_at" in src.columns for src in sources)
    if sources and not escalation_kept:
        ctx.notes.append(("工单表没有“上报时间”列，无法计算重大投诉 24 小时上报率",
                          "the ticket sheet has no 上报时间 (escalated at) column: escalation within 24 h is not measured"))
    for t in ctx.archive.tickets:
        kind = ticket_type(t.type)
        if kind not in ("repair", "complaint"):
            continue
        staff, store = ctx.owner(t.customer_id), ctx.store(t.customer_id)
        follow_kind = "complaint" if kind == "complaint" else "after_sales"
        closed = _as_date(t.closed_at)
        if ctx.in_period(closed):
            ok = False
            for d, vkind, outcome, v in ctx.visits_by_customer.get(t.customer_id, ()):
                if vkind in ("after_sales", "complaint") and outcome in CLOSING_OUTCOMES and \
                        _within(t.closed_at, v.date, s.ticket_followup_hours):
                    ok = True
                    staff = ctx.staff(v.staff) or staff
                    break
            facts.tickets.append((staff, store, follow_kind, closed, ok))
        opened = _as_date(t.opened_at)
        if escalation_kept and kind == "complaint" and SEVERITIES.match(t.severity) == "major" \
                and ctx.in_period(opened):
            esc = _as_datetime(t.escalated_at)
            ok = esc is not None and _as_date(esc) <= ctx.report_day and \
                _within(t.opened_at, t.escalated_at, s.escalation_hours)
            facts.escalations.append((ctx.owner(t.customer_id), store, "complaint", opened, ok))


def _project_measures(ctx: _Ctx) -> dict[str, Measure]:
    by_customer: dict[str, list] = defaultdict(list)
    for p in ctx.archive.projects:
        if p.customer_id:
            by_customer[p.customer_id].append(p)
    counted, total, enough = 0, 0, 0
    for cid, projects in by_customer.items():
        projects.sort(key=lambda p: _as_date(p.started_on) or dt.date.min)
        for i, p in enumerate(projects):
            if not ctx.in_period(_as_date(p.completed_on)):
                continue
            lo = _as_date(p.started_on) or dt.date.min
            nxt = _as_date(projects[i + 1].started_on) if i + 1 < len(projects) else None
            n = sum(1 for d, kind, outcome, _ in ctx.visits_by_customer.get(cid, ())
                    if kind == "project" and outcome in CLOSING_OUTCOMES and lo <= d and (nxt is None or d < nxt))
            counted += 1
            total += n
            enough += n >= ctx.settings.project_min_visits
    return {"project_visits": mean(total, counted, "per"), "project_min_visits": rate(enough, counted)}


def _is_vip(customer, tiers) -> bool:
    tier = _text(customer.tier).lower()
    return bool(tier) and any(t in tier for t in tiers)


def _value_measures(ctx: _Ctx) -> dict[str, Measure]:
    s = ctx.settings
    prev_lo, prev_hi = ctx.start - relativedelta(years=1), ctx.cutoff - relativedelta(years=1)
    spend: dict[str, float] = defaultdict(float)
    prev_spend: dict[str, float] = defaultdict(float)
    last: dict[str, dt.date] = {}
    purchase_days: dict[str, list[dt.date]] = defaultdict(list)
    for p in ctx.archive.purchases:
        d = _as_date(p.date)
        if d is None or not p.customer_id:
            continue
        cid = p.customer_id
        if d <= ctx.report_day:
            purchase_days[cid].append(d)
        if d <= ctx.cutoff and (cid not in last or d > last[cid]):
            last[cid] = d
        amount = p.amount if isinstance(p.amount, (int, float)) else 0.0
        if ctx.start <= d <= ctx.cutoff:
            spend[cid] += amount
        elif prev_lo <= d <= prev_hi:
            prev_spend[cid] += amount
    vips = {cid for cid, c in ctx.customers.items() if _is_vip(c, s.vip_tiers)}
    m: dict[str, Measure] = {}
    m["vip_spend"] = growth(sum(v for c, v in spend.items() if c in vips),
                            sum(v for c, v in prev_spend.items() if c in vips))
    cur_total, prev_total = sum(spend.values()), sum(prev_spend.values())
    m["spend_per_customer"] = growth(cur_total / len(spend) if spend else 0.0,
                                     prev_total / len(prev_spend) if prev_spend else 0.0)
    known, idle_days = 0, []
    for cid, c in ctx.customers.items():
        anchor = last.get(cid)
        if anchor is None:
            archived = _as_date(c.archived_on)
            anchor = archived if archived is not None and archived <= ctx.cutoff else None
        if anchor is None:
            continue
        known += 1
        idle_days.append((ctx.cutoff - anchor).days)
    for n in (60, 90):
        m[f"dormant_{n}"] = rate(sum(1 for i in idle_days if i >= n), known)
    reached_dormant: dict[str, list[dt.date]] = defaultdict(list)
    for d, kind, outcome, v in ctx.visits:
        if kind == "dormant" and outcome == "reached" and ctx.in_period(d) and v.customer_id:
            reached_dormant[v.customer_id].append(d)
    won = 0
    window = dt.timedelta(days=s.win_back_days)
    for cid, days in reached_dormant.items():
        bought = purchase_days.get(cid, ())
        if any(any(d <= b <= d + window for b in bought) for d in days):
            won += 1
    m["won_back"] = rate(won, len(reached_dormant))
    amounts = sorted(spend.values(), reverse=True)
    k = math.ceil(len(amounts) * s.top_share / 100.0)
    top = sum(amounts[:k])
    m["top_share"] = Measure(round(100.0 * top / cur_total, 2) if cur_total else None, round(top, 2),
                             round(cur_total, 2), "%")
    return m


def _suggestions(ctx: _Ctx, issues: list[dict]) -> list[dict]:
    """What customers said in the period, in their words: issue texts and visit notes."""
    out, seen = [], set()
    for i in issues:
        if i["text"]:
            key = (i["customer_id"], i["text"])
            if key not in seen:
                seen.add(key)
                out.append({"date": i["raised_on"], "customer_id": i["customer_id"], "kind": i["kind"],
                            "category": i["category"], "text": i["text"]})
    for d, kind, _, v in ctx.visits:
        if not ctx.in_period(d):
            continue
        for text in (_text(v.issue), _text(v.notes)):
            key = (v.customer_id, text)
            if text and key not in seen:
                seen.add(key)
                out.append({"date": d, "customer_id": v.customer_id, "kind": kind,
                            "category": ISSUE_CATEGORIES.match(v.issue_category) if text == _text(v.issue) else None,
                            "text": text})
    out.sort(key=lambda r: (r["date"], str(r["customer_id"])))
    return out


# ---- rows for output (the command and the report format these; nothing is computed here) ----

STATUS_LABELS = {
    "done": ("已完成", "done"),
    "done_after_period": ("其中期末后完成", "of which done after the period"),
    "open": ("未完成（仍在期限内或逾期）", "open (in window or overdue)"),
    "missed": ("已过期未访", "missed"),
    "unreachable": ("多次未接通", "unreachable"),
    "upcoming": ("尚未到期（不计入）", "not yet due (not counted)"),
}
UNCATEGORISED = ("未分类", "uncategorised")
UNASSIGNED = ("（未分配）", "(unassigned)")
NO_DATA = "—"
DIMENSION_LABELS = {
    "staff": ("员工", "Staff"), "store": ("门店", "Store"), "kind": ("回访类型", "Kind"),
    "month": ("月份", "Month"), "quarter": ("季度", "Quarter"),
}
SHORT_LABELS = {
    "completion_customers": ("完成率(客户)", "Done (customers)"),
    "completion_tasks": ("完成率(任务)", "Done (tasks)"),
    "satisfaction": ("满意度", "Satisfied"),
    "avg_score": ("平均评分", "Score"),
    "recommend": ("愿意推荐", "Recommend"),
    "resolution": ("解决率", "Resolved"),
    "median_days": ("解决天数", "Days"),
    "accuracy": ("准确率", "Accurate"),
    "ticket_followup": ("72h回访", "72 h follow-up"),
    "escalation": ("24h上报", "24 h escalation"),
}


def pick(pair, lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def format_number(x) -> str:
    if x is None:
        return ""
    if isinstance(x, float) and not x.is_integer():
        return f"{x:,.2f}"
    return f"{int(x):,}" if abs(x) >= 10000 else str(int(x))


def format_value(m: Measure) -> str:
    if m.value is None:
        return NO_DATA
    if m.unit == "%":
        return f"{m.value:.1f}%"
    if m.unit == "growth":
        return f"{m.value:+.1f}%"
    if m.unit == "days":
        return f"{m.value:g}"
    return f"{m.value:.2f}"


def format_measure(m: Measure) -> str:
    """'85.0% (17/20)': a value with what it came from, for one table cell."""
    if m.value is None:
        return NO_DATA
    if m.unit == "days":
        return f"{format_value(m)} (n={format_number(m.denominator)})"
    return f"{format_value(m)} ({format_number(m.numerator)}/{format_number(m.denominator)})"


def group_label(dim: str, key, lang: str) -> str:
    if key is None:
        return pick(UNASSIGNED, lang) if dim in ("staff", "store", "kind") else ""
    if dim == "kind":
        return KINDS.label(key, lang)
    return str(key)


def category_label(cat, lang: str) -> str:
    if cat in (None, "uncategorised"):
        return pick(UNCATEGORISED, lang)
    return ISSUE_CATEGORIES.label(cat, lang)


def long_rows(result: KpiResult, lang: str, settings: KpiSettings | None = None) -> list[dict]:
    """Every figure as one flat row (json, csv): section, group_by, group, kpi, label, value,
    numerator, denominator, unit. group_by is '' for the shop-wide figures."""
    rows = []

    def add(section, group_by, group, kpi, label, m: Measure | None = None, value=None):
        row = {"section": section, "group_by": group_by, "group": group, "kpi": kpi, "label": label,
               "value": m.value if m is not None else value,
               "numerator": m.numerator if m is not None else None,
               "denominator": m.denominator if m is not None else None,
               "unit": m.unit if m is not None else ""}
        rows.append(row)

    for kpi, m in result.measures.items():
        add(KPIS[kpi]["section"], "", "", kpi, kpi_label(kpi, lang, settings), m)
    for status, n in result.task_counts.items():
        add("completion", "status", status, "tasks", pick(STATUS_LABELS[status], lang), value=n)
    for level, n in result.satisfaction_counts.items():
        add("satisfaction", "level", level, "visits", SATISFACTION.label(level, lang), value=n)
    ranks = {r["staff"]: r for r in result.ranking}
    for dim, groups in result.groups.items():
        for key, measures in groups:
            group = key  # None: work nobody is assigned to (null in json)
            for kpi in GROUP_KPIS:
                add(KPIS[kpi]["section"], dim, group, kpi, kpi_label(kpi, lang, settings), measures[kpi])
            if dim == "staff" and key in ranks:
                r = ranks[key]
                add("ranking", dim, group, "rank", pick(("排名", "Rank"), lang), value=r["rank"])
                add("ranking", dim, group, "band", pick(("奖金档", "Bonus band"), lang),
                    value=r["band_zh" if lang == "zh" else "band_en"] or None)
    if result.season:
        for cat, n in result.issue_counts.items():
            add("season", "category", cat, "issues", category_label(cat, lang), value=n)
        for s in result.suggestions:
            rows.append({"section": "suggestions", "group_by": "customer", "group": s["customer_id"],
                         "kpi": "suggestion",
                         "label": " ".join(x for x in (s["date"].isoformat(), KINDS.label(s["kind"], lang) if s["kind"] else "",
                                                       category_label(s["category"], lang) if s["category"] else "") if x),
                         "value": s["text"], "numerator": None, "denominator": None, "unit": ""})
    return rows
