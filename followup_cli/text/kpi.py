"""What `followup kpi` and the KPI report say around their numbers, in Chinese and English:
the row labels, the period line, the headings of each table and their columns, and the
refusals of a period or a --by that cannot be reported. The KPI
names and definitions are in kpi/measures.py, beside how each is computed."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from followup_cli.text.messages import Msg, msg

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

# the row labels of every table (kpi/tables.py), the group dimensions and the short KPI
# names heading the group tables' columns
STATUS_LABELS = {
    "done": ("已完成", "done"),
    "done_after_period": ("其中期末后完成", "of which done after the period"),
    "open": ("未完成（仍在期限内或逾期）", "open (in window or overdue)"),
    "missed": ("已过期未访", "missed"),
    "unreachable": ("多次未接通", "unreachable"),
    "upcoming": ("尚未到期（不计入）", "not yet due (not counted)"),
    "left_out_cap": ("按政策未列出：达到每年上限（不计入）", "left out by policy: yearly cap reached (not counted)"),
    "left_out_gap": (
        "按政策未列出：与其他回访间隔太近（不计入）",
        "left out by policy: too close to another contact (not counted)",
    ),
    "left_out_do_not_contact": (
        "按政策未列出：客户拒绝回访（不计入）",
        "left out by policy: do not contact (not counted)",
    ),
    "left_out_duplicate_id": (
        "未列出：客户编号与别人相同，分不清是谁（不计入）",
        "left out: the customer's key is shared, so who is who is unknown (not counted)",
    ),
}
UNCATEGORISED = ("未分类", "uncategorised")
UNASSIGNED = ("（未分配）", "(unassigned)")
DIMENSION_LABELS = {
    "staff": ("员工", "Staff"),
    "store": ("门店", "Store"),
    "kind": ("回访类型", "Kind"),
    "week": ("周", "Week"),
    "month": ("月份", "Month"),
    "quarter": ("季度", "Quarter"),
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
    "ticket_followup": ("工单回访", "Ticket follow-up"),
    "complaint_followup": ("投诉回访", "Complaint follow-up"),
    "repair_followup": ("报修回访", "Repair follow-up"),
    "escalation": ("上报及时", "Escalation"),
}
COMPLAINT_DIMENSIONS = {
    "type": ("按类型", "By type"),
    "severity": ("按严重程度", "By severity"),
    "status": ("按状态", "By status"),
    "overdue": ("超时", "Overdue"),
}
COMPLAINT_VALUES = {
    ("type", "other"): ("其他", "other"),
    ("severity", "unknown"): ("未注明", "not given"),
    ("status", "open"): ("未结案", "open"),
    ("status", "closed"): ("已结案", "closed"),
}
TARGET_HEADS = {"target": ("目标", "Target"), "met": ("达标", "Met")}
MET = {True: ("达标", "met"), False: ("未达标", "not met"), None: ("", "")}


def overdue_label(key: str, close_hours: int, escalation_hours: int) -> Msg:
    """The two kinds of late ticket in the complaints table."""
    return {
        "not_closed_in_time": msg(f"超过 {close_hours} 小时未结案", f"not closed within {close_hours} h"),
        "not_escalated_in_time": msg(
            f"重大投诉未在 {escalation_hours} 小时内上报",
            f"major complaints not escalated within {escalation_hours} h",
        ),
    }[key]


# the long rows of --format json/csv: one row per KPI and group
LONG_HEADS = {
    "section": ("类别", "section"),
    "group_by": ("分组方式", "group_by"),
    "group": ("分组", "group"),
    "kpi": ("指标编号", "kpi"),
    "label": ("指标", "label"),
    "value": ("数值", "value"),
    "numerator": ("分子", "numerator"),
    "denominator": ("分母", "denominator"),
    "unit": ("单位", "unit"),
    "target": ("目标", "target"),
    "met": ("达标", "met"),
}

# the KPI table
KPI_COLUMNS = {
    "section": ("类别", "Section"),
    "label": ("指标", "KPI"),
    "value": ("数值", "Value"),
    "numerator": ("分子", "Numerator"),
    "denominator": ("分母", "Denominator"),
}
DEFINITION_HEAD = ("口径", "Definition")

# --by: the title of the group table, and its own columns beside the KPIs
BY_TITLES = {
    "staff": ("按员工（按满意度排名）", "By staff (ranked by satisfaction)"),
    "store": ("按门店", "By store"),
    "kind": ("按回访类型", "By kind"),
    "month": ("按月", "By month"),
    "quarter": ("按季度", "By quarter"),
}
RANK_HEAD = ("排名", "Rank")
BAND_HEAD = ("奖金档", "Bonus band")

LEFT_OUT_TITLE = ("按政策未列出的任务（不计入完成率）", "Left out by policy (not counted as due)")
LEFT_OUT_COLUMNS = {"what": ("原因", "Reason"), "n": ("任务数", "Tasks")}

COMPLAINTS_TITLE = ("投诉与工单汇总（本期受理）", "Complaints and tickets opened in the period")
COMPLAINT_COLUMNS = {"dim": ("分类", "By"), "what": ("项目", "Item"), "n": ("工单数", "Tickets")}

SEASON_TITLE = ("季节反馈：问题类别", "Seasonal feedback: issues by category")
NO_ISSUES = ("（本期没有记录问题）", "(no issues recorded in the period)")
ISSUE_COLUMNS = {"cat": ("问题类别", "Category"), "n": ("问题数", "Issues"), "share": ("占比", "Share")}

SUGGESTIONS_TITLE = ("客户意见与建议", "What customers said")
SUGGESTION_COLUMNS = {
    "date": ("日期", "Date"),
    "customer_id": ("客户编号", "Customer ID"),
    "kind": ("回访类型", "Kind"),
    "category": ("问题类别", "Category"),
    "text": ("内容", "Text"),
}


def period_title(label: str, start: dt.date, end: dt.date, cutoff: dt.date) -> Msg:
    """'2026年11月（2026-11-01 至 2026-11-30，数据截至 2026-11-23）': the data may stop before the end."""
    if cutoff < end:
        return msg(
            f"{label}（{start} 至 {end}，数据截至 {cutoff}）", f"{label} ({start} to {end}, data up to {cutoff})"
        )
    return msg(f"{label}（{start} 至 {end}）", f"{label} ({start} to {end})")


def report_due(due: dt.datetime) -> Msg:
    return msg(
        f"周报截止 {due:%Y-%m-%d %H:%M}（周{'一二三四五六日'[due.weekday()]}）",
        f"weekly report due {due:%Y-%m-%d %H:%M} ({due:%A})",
    )


def status_note(label: str, c: dict, cutoff: dt.date) -> Msg:
    """The task counts behind the completion rate, as one line on stderr."""
    due = c["done"] + c["open"] + c["missed"] + c["unreachable"]
    zh = (
        f"{label}：到期任务 {due} 项 = 已完成 {c['done']}（其中期末后完成 {c['done_after_period']}）"
        f" + 未完成 {c['open']} + 已过期未访 {c['missed']} + 多次未接通 {c['unreachable']}"
    )
    en = (
        f"{label}: {due} task(s) due = {c['done']} done ({c['done_after_period']} of them after "
        f"the period) + {c['open']} open + {c['missed']} missed + {c['unreachable']} unreachable"
    )
    if c["upcoming"]:
        zh += f"；另有 {c['upcoming']} 项在 {cutoff} 之后到期，不计入"
        en += f"; {c['upcoming']} more come due after {cutoff} and are not counted"
    left = c["left_out_cap"] + c["left_out_gap"] + c["left_out_do_not_contact"]
    shared = c.get("left_out_duplicate_id", 0)
    if shared:
        zh += f"；{shared} 项因客户编号重复未列出，不计入"
        en += f"; {shared} not listed because the customer's key is shared, not counted"
    if left:
        zh += (
            f"；按政策未列出 {left} 项（年度上限 {c['left_out_cap']}，间隔 {c['left_out_gap']}，"
            f"拒绝回访 {c['left_out_do_not_contact']}），不计入"
        )
        en += (
            f"; {left} left out by policy ({c['left_out_cap']} yearly cap, {c['left_out_gap']} gap, "
            f"{c['left_out_do_not_contact']} do not contact), not counted"
        )
    return msg(zh, en)


def report_written(output: str | Path) -> Msg:
    return msg(f"已写入报告 {output}", f"wrote the report to {output}")


def period_after_as_of(label: str, as_of: dt.date) -> tuple[Msg, Msg]:
    """(message, fix) when the period asked for has not begun by the as-of date (kpi, audit)."""
    return (
        msg(f"时期 {label} 在截止日期 {as_of} 之后才开始", f"the period {label} starts after the as-of date {as_of}"),
        msg("请选一个更早的时期，或更晚的 --as-of", "choose an earlier period or a later --as-of"),
    )


def not_a_dimension(dim: str, dimensions: Sequence[str]) -> tuple[Msg, Msg]:
    """(message, fix) for a --by that is not one of the group dimensions."""
    return (
        msg(f"--by {dim}：不是可以分组的维度", f"--by {dim}: not a dimension"),
        msg(f"请从 {'、'.join(dimensions)} 中选一个", f"choose one of {', '.join(dimensions)}"),
    )
