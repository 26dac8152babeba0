"""A KPI figure with its numerator and denominator, and the KPI catalogue (labels, definitions)."""

from __future__ import annotations

from dataclasses import dataclass

from followup_cli.kpi.settings import KpiSettings
from followup_cli.text.messages import pick

# ---- measures --------------------------------------------------------------------------------


@dataclass
class Measure:
    """One KPI figure: value, and the numerator and denominator it came from."""

    value: float | None
    numerator: float | None
    denominator: float | None
    unit: str  # "%" | "score" | "days" | "per" | "growth"

    def as_dict(self) -> dict:
        return {"value": self.value, "numerator": self.numerator, "denominator": self.denominator, "unit": self.unit}


def rate(num: float, den: float) -> Measure:
    return Measure(round(100.0 * num / den, 2) if den else None, num, den, "%")


def mean(total: float, n: int, unit: str = "score") -> Measure:
    return Measure(round(total / n, 2) if n else None, round(total, 2), n, unit)


def growth(cur: float, prev: float) -> Measure:
    value = round(100.0 * (cur - prev) / prev, 2) if prev else None
    return Measure(value, round(cur, 2), round(prev, 2), "growth")


# KPI ids in display order, with their section, label and short definition (zh, en).
KPIS: dict[str, dict] = {
    "completion_customers": {
        "section": "completion",
        "zh": "回访完成率（客户）",
        "en": "Completion rate (customers)",
        "def_zh": "应访任务全部完成的客户 / 本期有应访任务的客户",
        "def_en": "customers whose due tasks are all done / customers with tasks due in the period",
    },
    "completion_tasks": {
        "section": "completion",
        "zh": "回访完成率（任务）",
        "en": "Completion rate (tasks)",
        "def_zh": "已完成任务 / 本期到期任务",
        "def_en": "tasks done / tasks due in the period",
    },
    "satisfaction": {
        "section": "satisfaction",
        "zh": "客户满意度",
        "en": "Satisfaction rate",
        "def_zh": "（非常满意 + 满意）的客户 / 本期回访到的客户（每位客户取本期最后一次评价）",
        "def_en": "(very satisfied + satisfied) customers / customers visited in the period (each by their last answer)",
    },
    "rated_share": {
        "section": "satisfaction",
        "zh": "满意度评价率",
        "en": "Customers who gave a rating",
        "def_zh": "给出满意度评价的客户 / 本期回访到的客户",
        "def_en": "customers who gave a satisfaction answer / customers visited in the period",
    },
    "avg_score": {
        "section": "satisfaction",
        "zh": "平均评分（0-5）",
        "en": "Average score (0-5)",
        "def_zh": "评分合计 / 有评分的回访",
        "def_en": "sum of scores / visits with a score",
    },
    "recommend": {
        "section": "satisfaction",
        "zh": "愿意推荐率",
        "en": "Would-recommend rate",
        "def_zh": "愿意推荐 / 回答了推荐问题的回访",
        "def_en": "would recommend / visits that asked",
    },
    "resolution": {
        "section": "issues",
        "zh": "问题解决率",
        "en": "Resolution rate",
        "def_zh": "本期提出且已解决的问题 / 本期提出的问题",
        "def_en": "issues raised in the period and resolved / issues raised in the period",
    },
    "median_days": {
        "section": "issues",
        "zh": "解决用时中位数（天）",
        "en": "Median days to resolve",
        "def_zh": "已解决问题从提出到解决的天数中位数（分母为有日期的已解决问题）",
        "def_en": "median days from raised to resolved (denominator: resolved issues with both dates)",
    },
    "accuracy": {
        "section": "accuracy",
        "zh": "回访记录准确率",
        "en": "Record accuracy",
        "def_zh": "抽查核实准确的记录 / 抽查的记录",
        "def_en": "records verified accurate / records checked",
    },
    "ticket_followup": {
        "section": "tickets",
        "zh": "报修投诉 {limit_zh}内回访率",
        "en": "Repairs/complaints followed up in {limit_en}",
        "def_zh": "{from_zh}后 {limit_zh}内有售后或投诉回访的报修、投诉工单 / 本期{from_zh}的报修、投诉工单",
        "def_en": "repair and complaint tickets with a follow-up visit within {limit_en} of {from_en} / "
        "those {from_en2} in the period",
    },
    "complaint_followup": {
        "section": "tickets",
        "zh": "投诉 {limit_zh}内回访率",
        "en": "Complaints followed up in {limit_en}",
        "def_zh": "结案后 {limit_zh}内有投诉或售后回访的投诉工单 / 本期结案的投诉工单",
        "def_en": "complaints with a follow-up visit within {limit_en} of closing / complaints closed in the period",
    },
    "repair_followup": {
        "section": "tickets",
        "zh": "报修 {limit_zh}内回访率",
        "en": "Repairs followed up in {limit_en}",
        "def_zh": "修复（结案）后 {limit_zh}内有售后回访的报修工单 / 本期结案的报修工单",
        "def_en": "repairs with a follow-up visit within {limit_en} of the fix (closing) / repairs closed in the period",
    },
    "escalation": {
        "section": "tickets",
        "zh": "重大投诉 24 小时上报率",
        "en": "Major complaints escalated in 24 h",
        "def_zh": "受理后 24 小时内上报的重大投诉 / 本期受理的重大投诉",
        "def_en": "major complaints escalated within 24 h of opening / major complaints opened in the period",
    },
    "project_visits": {
        "section": "projects",
        "zh": "每个工程回访次数",
        "en": "Visits per project",
        "def_zh": "本期竣工工程的工程回访次数 / 本期竣工工程数",
        "def_en": "project visits of the projects completed in the period / those projects",
    },
    "project_min_visits": {
        "section": "projects",
        "zh": "回访达 3 次的工程占比",
        "en": "Projects with at least 3 visits",
        "def_zh": "回访不少于 3 次的竣工工程 / 本期竣工工程",
        "def_en": "completed projects with at least 3 visits / projects completed in the period",
    },
    "vip_spend": {
        "section": "value",
        "zh": "VIP 消费额同比",
        "en": "VIP spend, year on year",
        "def_zh": "增长率；分子为本期 VIP 消费额，分母为去年同期",
        "def_en": "growth; numerator this period's VIP spend, denominator the same dates a year earlier",
    },
    "spend_per_customer": {
        "section": "value",
        "zh": "人均消费额同比",
        "en": "Spend per customer, year on year",
        "def_zh": "增长率；分子为本期消费额 / 消费客户数，分母为去年同期",
        "def_en": "growth; numerator this period's spend per buying customer, denominator a year earlier",
    },
    "dormant_60": {
        "section": "value",
        "zh": "60 天未消费客户",
        "en": "Dormant 60+ days",
        "def_zh": "截至期末 60 天以上未消费的客户 / 有消费或建档日期的客户",
        "def_en": "customers with no purchase for 60+ days at the cut-off / customers with a purchase or archive date",
    },
    "dormant_90": {
        "section": "value",
        "zh": "90 天未消费客户",
        "en": "Dormant 90+ days",
        "def_zh": "截至期末 90 天以上未消费的客户 / 有消费或建档日期的客户",
        "def_en": "customers with no purchase for 90+ days at the cut-off / customers with a purchase or archive date",
    },
    "won_back": {
        "section": "value",
        "zh": "沉睡客户唤醒率",
        "en": "Dormant customers won back",
        "def_zh": "沉睡唤醒回访后 30 天内再次消费的客户 / 本期接通沉睡唤醒回访的客户",
        "def_en": "customers who bought within 30 days of a reached dormant follow-up / customers reached by one",
    },
    "top_share": {
        "section": "value",
        "zh": "前 20% 客户消费占比",
        "en": "Revenue share of the top 20%",
        "def_zh": "消费额前 20% 客户的消费额 / 本期总消费额",
        "def_en": "spend of the top 20% of buyers / total spend in the period",
    },
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
GROUP_KPIS = (
    "completion_customers",
    "completion_tasks",
    "satisfaction",
    "avg_score",
    "recommend",
    "resolution",
    "median_days",
    "accuracy",
    "ticket_followup",
    "complaint_followup",
    "repair_followup",
    "escalation",
)
TICKET_KPIS = ("ticket_followup", "complaint_followup", "repair_followup", "escalation")
PROJECT_KPIS = ("project_visits", "project_min_visits")
VALUE_KPIS = ("vip_spend", "spend_per_customer", "dormant_60", "dormant_90", "won_back", "top_share")
LOWER_IS_BETTER = ("dormant_60", "dormant_90", "median_days")


def kpi_label(kpi: str, lang: str, settings: KpiSettings | None = None) -> str:
    text = pick((KPIS[kpi]["zh"], KPIS[kpi]["en"]), lang)
    return _settle_numbers(kpi, text, settings)


def kpi_definition(kpi: str, lang: str, settings: KpiSettings | None = None) -> str:
    text = pick((KPIS[kpi]["def_zh"], KPIS[kpi]["def_en"]), lang)
    return _settle_numbers(kpi, text, settings)


def limit_words(hours: int, working_days: int) -> tuple[str, str]:
    if working_days:
        return f"{working_days} 个工作日", f"{working_days} working day{'s' if working_days != 1 else ''}"
    return f"{hours} 小时", f"{hours} h"


def ticket_limits(kpi: str, s: KpiSettings) -> dict:
    hours, days = {
        "ticket_followup": (s.ticket_followup_hours, s.ticket_followup_working_days),
        "complaint_followup": (s.complaint_followup_hours, s.complaint_followup_working_days),
        "repair_followup": (s.repair_followup_hours, 0),
    }[kpi]
    zh, en = limit_words(hours, days)
    opened = kpi == "ticket_followup" and s.ticket_followup_from == "opened"
    return {
        "limit_zh": zh,
        "limit_en": en,
        "from_zh": "受理" if opened else "结案",
        "from_en": "opening" if opened else "closing",
        "from_en2": "opened" if opened else "closed",
    }


def _settle_numbers(kpi: str, text: str, settings: KpiSettings | None) -> str:
    """Labels name the default thresholds; say the configured ones instead."""
    s = settings or KpiSettings()
    if "{limit_" in text or "{from_" in text:
        return text.format(**ticket_limits(kpi, s))
    swaps = {
        "escalation": (("24", str(s.escalation_hours)),),
        "project_min_visits": (("3", str(s.project_min_visits)),),
        "won_back": (("30", str(s.win_back_days)),),
        "top_share": (("20", f"{s.top_share:g}"),),
    }.get(kpi, ())
    for old, new in swaps:
        text = text.replace(old, new)
    return text
