"""The dropdowns of a new archive's coded columns: the labels the reader understands.

Each (role, field) offers its Chinese or English labels (per-preset lists win over the
common ones); the follow-up kinds come from the preset's own rules. An open list (a clerk
may need a value the list lacks) only warns; a closed vocabulary stops.
"""

from __future__ import annotations

from followup_cli.policy.rules import build_policy
from followup_cli.policy.vocabulary import (
    CHANNELS,
    ISSUE_CATEGORIES,
    KINDS,
    OUTCOMES,
    SATISFACTION,
    SEVERITIES,
    TICKET_TYPES,
    VERDICTS,
)
from followup_cli.text.messages import pick

_YES_NO = (("是", "否"), ("Yes", "No"))

# Dropdown values per (role, field): (Chinese labels, English labels). Per-preset lists below win.
_LISTS: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {
    ("customers", "gender"): (("男", "女"), ("Male", "Female")),
    ("customers", "birthday_type"): (("公历", "农历"), ("solar", "lunar")),
    ("customers", "tier"): (("VIP", "普通"), ("VIP", "Regular")),
    ("customers", "grade"): (("A", "B", "C", "D"), ("A", "B", "C", "D")),
    ("customers", "type"): (
        ("一般客户", "特殊客户", "经销商", "合作伙伴", "团购"),
        ("general", "special", "dealer", "partner", "group-buy"),
    ),
    ("customers", "source"): (("来电", "来访", "转介绍", "网络"), ("inbound call", "walk-in", "referral", "online")),
    ("customers", "channel"): (tuple(CHANNELS.labels("zh")), tuple(CHANNELS.labels("en"))),
    ("customers", "do_not_contact"): _YES_NO,
    ("customers", "buyer"): _YES_NO,
    ("purchases", "new_season"): _YES_NO,
    ("visits", "channel"): (tuple(CHANNELS.labels("zh")), tuple(CHANNELS.labels("en"))),
    ("visits", "outcome"): (tuple(OUTCOMES.labels("zh")), tuple(OUTCOMES.labels("en"))),
    ("visits", "satisfaction"): (tuple(SATISFACTION.labels("zh")), tuple(SATISFACTION.labels("en"))),
    ("visits", "issue_category"): (tuple(ISSUE_CATEGORIES.labels("zh")), tuple(ISSUE_CATEGORIES.labels("en"))),
    ("visits", "recommend"): _YES_NO,
    ("visits", "resolved"): _YES_NO,
    ("issues", "category"): (tuple(ISSUE_CATEGORIES.labels("zh")), tuple(ISSUE_CATEGORIES.labels("en"))),
    ("issues", "resolved"): _YES_NO,
    ("audits", "verdict"): (tuple(VERDICTS.labels("zh")), tuple(VERDICTS.labels("en"))),
    ("tickets", "type"): (tuple(TICKET_TYPES.labels("zh")), tuple(TICKET_TYPES.labels("en"))),
    ("tickets", "severity"): (tuple(SEVERITIES.labels("zh")), tuple(SEVERITIES.labels("en"))),
    ("staff", "role"): (("客服专员", "客服主管", "销售"), ("clerk", "supervisor", "sales")),
    ("staff", "active"): _YES_NO,
    ("milestones", "kind"): (("营销节点", "工程节点"), ("marketing", "construction")),
}

_PRESET_LISTS: dict[str, dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "distributor": {
        ("customers", "type"): (
            ("经销商", "合作伙伴", "团购", "一般客户", "特殊客户"),
            ("dealer", "partner", "group-buy", "general", "special"),
        ),
        ("staff", "role"): (
            ("客服专员", "客服主管", "动销员", "销售"),
            ("clerk", "supervisor", "merchandiser", "sales"),
        ),
    },
    "sales": {
        ("customers", "grade"): (("A", "B", "C", "D"), ("A", "B", "C", "D")),
        ("milestones", "kind"): (
            ("新品发布会", "促销活动", "展会", "客户答谢会"),
            ("product launch", "promotion", "trade fair", "customer evening"),
        ),
        ("staff", "role"): (
            ("销售", "客服专员", "客服主管", "销售经理"),
            ("sales", "clerk", "supervisor", "sales manager"),
        ),
    },
    "health": {
        ("staff", "role"): (
            ("满意代表", "医生", "销售经理", "销售主管"),
            ("clerk", "doctor", "sales manager", "supervisor"),
        ),
    },
    "decoration": {
        ("tickets", "type"): (("报修", "投诉"), ("repair", "complaint")),
        ("staff", "role"): (
            ("客服专员", "客服主管", "设计师", "项目经理"),
            ("clerk", "supervisor", "designer", "project manager"),
        ),
    },
    "real-estate": {
        ("customers", "source"): (("来电", "来访", "转介绍", "成交"), ("inbound call", "walk-in", "referral", "deal")),
        ("customers", "type"): (("一般客户", "特殊客户"), ("general", "special")),
        ("staff", "role"): (("置业顾问", "销售主管", "案场经理"), ("adviser", "supervisor", "sales manager")),
    },
    "property": {
        ("tickets", "type"): (("投诉", "报修"), ("complaint", "repair")),
        ("staff", "role"): (
            ("客服专员", "物业助理", "物业主任", "物业经理"),
            ("clerk", "assistant", "supervisor", "manager"),
        ),
    },
}

# Open lists (a clerk may need a value the list lacks) warn; closed vocabularies stop.
OPEN_LISTS = {
    ("customers", "type"),
    ("customers", "source"),
    ("staff", "role"),
    ("milestones", "kind"),
    ("tickets", "type"),
    ("visits", "kind"),
}


def dropdown(preset: str, role: str, field: str, lang: str) -> tuple[str, ...] | None:
    """The values offered in a coded column, or None for a free column."""
    if role == "visits" and field == "kind":
        kinds = []
        for rule in build_policy(preset).rules:
            if rule.kind not in kinds:
                kinds.append(rule.kind)
        return tuple(KINDS.label(k, lang) for k in kinds)
    pair = _PRESET_LISTS.get(preset, {}).get((role, field)) or _LISTS.get((role, field))
    if pair is None:
        return None
    return pick(pair, lang)
