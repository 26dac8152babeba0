"""A new, empty archive for a trade: the sheets its preset reads, with headers, dropdowns and a
followup.toml beside it naming the preset.

The workbook is the tool's own, so the one builder (xlsx/builder.py) writes it whole. Each sheet gets the columns its
preset needs (headers as schema.py names them, Chinese by default), a frozen bold header row,
sensible widths, text format on id and phone columns (leading zeros survive), date format on
date columns, and a dropdown (data validation) on every coded column, offering the labels the
reader understands: yes/no, gender, tier, grade, customer type and source, follow-up kind,
channel, outcome, satisfaction, ticket type and severity, milestone kind, staff role.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from followup_cli.archive.schema import DATE, DATETIME, ID, PHONE, field_by_name
from followup_cli.errors import UsageProblem, WriteRefused
from followup_cli.policy.rules import build_policy, preset_ids
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

CONFIG_NAME = "followup.toml"


@dataclass(frozen=True)
class Column:
    field: str  # a schema field of the sheet's role, or "" for a free column the reader keeps as extra
    zh: str = ""  # header override (must be one of the field's aliases)
    en: str = ""


@dataclass(frozen=True)
class SheetSpec:
    role: str
    zh: str  # sheet name, recognised by schema's sheet_names
    en: str
    columns: tuple[Column, ...]


def C(field: str, zh: str = "", en: str = "") -> Column:
    return Column(field, zh, en)


def _free(zh: str, en: str) -> Column:
    return Column("", zh, en)


_VISITS = SheetSpec("visits", "回访记录", "Visits", tuple(C(f) for f in (
    "visit_id", "customer_id", "date", "kind", "channel", "staff", "outcome", "satisfaction", "issue_category",
    "issue", "resolved", "resolved_on", "notes", "next_action", "task_id")))
_SCORED_VISITS = SheetSpec("visits", "回访记录", "Visits", tuple(C(f) for f in (
    "visit_id", "customer_id", "date", "kind", "channel", "staff", "outcome", "satisfaction", "score", "recommend",
    "issue_category", "issue", "resolved", "resolved_on", "notes", "next_action", "task_id")))
_STAFF = SheetSpec("staff", "员工", "Staff", tuple(C(f) for f in (
    "staff_id", "name", "store", "role", "active", "left_on", "capacity")))
_TICKETS = SheetSpec("tickets", "售后工单", "Tickets", tuple(C(f) for f in (
    "ticket_id", "customer_id", "opened_at", "type", "severity", "closed_at", "outcome")))
# Every trade gets the sheets `record` writes beside the visit log: issues raised on calls,
# tracked to resolution, and the supervisor's spot-check verdicts.
_ISSUES = SheetSpec("issues", "问题跟踪", "Issues", tuple(C(f) for f in (
    "issue_id", "visit_id", "task_id", "customer_id", "raised_on", "category", "text", "resolved", "resolved_on",
    "staff", "notes")))
_AUDITS = SheetSpec("audits", "抽查记录", "Audits", tuple(C(f) for f in (
    "visit_id", "visit_row", "customer_id", "checked_on", "checker", "verdict", "notes")))

LAYOUTS: dict[str, tuple[SheetSpec, ...]] = {
    "retail-vip": (
        SheetSpec("customers", "客户档案", "Customers", tuple(C(f) for f in (
            "id", "name", "gender", "phone", "birthday", "birthday_type", "tier", "store", "owner", "archived_on",
            "points", "do_not_contact", "channel"))),
        SheetSpec("purchases", "消费记录", "Purchases", tuple(C(f) for f in (
            "customer_id", "date", "product", "amount", "new_season", "order_id"))),
        _SCORED_VISITS, _TICKETS, _STAFF,
    ),
    "distributor": (
        SheetSpec("customers", "客户档案", "Customers", (
            C("id"), C("name"), _free("单位名称", "Company"), C("type"), C("gender"), C("phone"), C("birthday"),
            C("birthday_type"), C("region"), _free("地址", "Address"), C("owner"), C("archived_on"),
            C("do_not_contact"))),
        SheetSpec("purchases", "订单", "Orders", tuple(C(f) for f in (
            "order_id", "customer_id", "date", "product", "quantity", "amount", "shipped_on"))),
        _VISITS, _STAFF,
    ),
    "sales": (
        SheetSpec("customers", "客户档案", "Customers", (
            C("id"), C("name"), _free("单位名称", "Company"), C("gender"), C("phone"), C("grade"), C("type"),
            C("region"), C("owner"), C("archived_on"), C("channel"), C("do_not_contact"))),
        SheetSpec("purchases", "订单", "Orders", tuple(C(f) for f in (
            "order_id", "customer_id", "date", "product", "amount"))),
        SheetSpec("projects", "项目", "Projects", (
            C("project_id"), C("customer_id"), _free("项目名称", "Project name"), C("started_on"),
            C("completed_on"))),
        SheetSpec("tickets", "投诉记录", "Complaints", tuple(C(f) for f in (
            "ticket_id", "customer_id", "opened_at", "type", "severity", "closed_at", "outcome"))),
        SheetSpec("milestones", "活动签到", "Event attendance", (
            C("customer_id"), C("date", "活动日期", "Date"), C("name", "活动名称", "Name"),
            C("kind", "活动类型", "Kind"))),
        _VISITS, _STAFF,
    ),
    "health": (
        SheetSpec("customers", "顾客档案", "Customers", (
            C("id"), C("name"), C("gender"), C("phone"), C("birthday"), C("birthday_type"), C("buyer"), C("store"),
            C("owner"), C("archived_on"), _free("健康状况", "Health notes"), _free("地址", "Address"),
            C("do_not_contact"))),
        SheetSpec("purchases", "消费记录", "Purchases", tuple(C(f) for f in (
            "customer_id", "date", "product", "quantity", "amount"))),
        _VISITS, _STAFF,
    ),
    "decoration": (
        SheetSpec("customers", "客户档案", "Customers", (
            C("id"), C("name"), C("gender"), C("phone"), _free("小区地址", "Address"), C("store"), C("owner"),
            C("archived_on"), C("do_not_contact"))),
        SheetSpec("projects", "工程", "Projects", (
            C("project_id"), C("customer_id"), _free("设计师", "Designer"), _free("项目经理", "Project manager"),
            C("started_on"), C("mid_payment_on"), C("concealed_done_on"), C("completed_on"),
            C("warranty_start"))),
        SheetSpec("tickets", "售后工单", "Tickets", tuple(C(f) for f in (
            "ticket_id", "customer_id", "opened_at", "type", "severity", "closed_at", "outcome"))),
        _SCORED_VISITS, _STAFF,
    ),
    "real-estate": (
        SheetSpec("customers", "客户档案", "Customers", (
            C("id"), C("name"), C("gender"), C("phone"), C("source", "客户来源", "Source"),
            C("grade", "意向等级", "Grade"), C("type"), C("store", "楼盘", "Store"), C("owner", "置业顾问", "Owner"), C("archived_on"), C("visited_on"),
            C("bought_on"), _free("意向户型", "Layout wanted"), C("do_not_contact"))),
        SheetSpec("milestones", "节点", "Milestones", (
            C("date", "节点日期", "Date"), C("name", "节点名称", "Name"), C("kind", "节点类型", "Kind"),
            C("store", "楼盘", "Project"))),
        _VISITS, _STAFF,
    ),
    "property": (
        SheetSpec("customers", "业主档案", "Customers", (
            C("id"), C("name"), C("gender"), C("phone"), _free("房号", "Unit"), C("store", "门店", "Store"),
            C("owner"), C("archived_on", "入住日期", "Moved in"), C("do_not_contact"))),
        SheetSpec("tickets", "投诉报修", "Tickets", tuple(C(f) for f in (
            "ticket_id", "customer_id", "opened_at", "type", "severity", "escalated_at", "closed_at", "outcome"))),
        _VISITS, _STAFF,
    ),
}

LAYOUTS = {preset: sheets + (_ISSUES, _AUDITS) for preset, sheets in LAYOUTS.items()}

_YES_NO = (("是", "否"), ("Yes", "No"))

# Dropdown values per (role, field): (Chinese labels, English labels). Per-preset lists below win.
_LISTS: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {
    ("customers", "gender"): (("男", "女"), ("Male", "Female")),
    ("customers", "birthday_type"): (("公历", "农历"), ("solar", "lunar")),
    ("customers", "tier"): (("VIP", "普通"), ("VIP", "Regular")),
    ("customers", "grade"): (("A", "B", "C", "D"), ("A", "B", "C", "D")),
    ("customers", "type"): (("一般客户", "特殊客户", "经销商", "合作伙伴", "团购"),
                            ("general", "special", "dealer", "partner", "group-buy")),
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
        ("customers", "type"): (("经销商", "合作伙伴", "团购", "一般客户", "特殊客户"),
                                ("dealer", "partner", "group-buy", "general", "special")),
        ("staff", "role"): (("客服专员", "客服主管", "动销员", "销售"), ("clerk", "supervisor", "merchandiser", "sales")),
    },
    "sales": {
        ("customers", "grade"): (("A", "B", "C", "D"), ("A", "B", "C", "D")),
        ("milestones", "kind"): (("新品发布会", "促销活动", "展会", "客户答谢会"),
                                 ("product launch", "promotion", "trade fair", "customer evening")),
        ("staff", "role"): (("销售", "客服专员", "客服主管", "销售经理"), ("sales", "clerk", "supervisor", "sales manager")),
    },
    "health": {
        ("staff", "role"): (("满意代表", "医生", "销售经理", "销售主管"), ("clerk", "doctor", "sales manager", "supervisor")),
    },
    "decoration": {
        ("tickets", "type"): (("报修", "投诉"), ("repair", "complaint")),
        ("staff", "role"): (("客服专员", "客服主管", "设计师", "项目经理"), ("clerk", "supervisor", "designer", "project manager")),
    },
    "real-estate": {
        ("customers", "source"): (("来电", "来访", "转介绍", "成交"), ("inbound call", "walk-in", "referral", "deal")),
        ("customers", "type"): (("一般客户", "特殊客户"), ("general", "special")),
        ("staff", "role"): (("置业顾问", "销售主管", "案场经理"), ("adviser", "supervisor", "sales manager")),
    },
    "property": {
        ("tickets", "type"): (("投诉", "报修"), ("complaint", "repair")),
        ("staff", "role"): (("客服专员", "物业助理", "物业主任", "物业经理"), ("clerk", "assistant", "supervisor", "manager")),
    },
}

# Open lists (a clerk may need a value the list lacks) warn; closed vocabularies stop.
_OPEN_LISTS = {("customers", "type"), ("customers", "source"), ("staff", "role"), ("milestones", "kind"),
               ("tickets", "type"), ("visits", "kind")}

_WIDE = {"issue": 30, "notes": 30, "next_action": 20, "product": 18, "name": 12, "outcome": 14}


@dataclass
class InitResult:
    workbook: Path
    config: Path
    preset: str
    lang: str
    sheets: list[str]


def layout(preset: str) -> tuple[SheetSpec, ...]:
    if preset not in LAYOUTS:
        raise UsageProblem(*_unknown_preset(preset))
    return LAYOUTS[preset]


def headers(spec: SheetSpec, lang: str) -> list[str]:
    out = []
    for col in spec.columns:
        override = col.zh if lang == "zh" else col.en
        if override:
            out.append(override)
            continue
        f = field_by_name(spec.role, col.field)
        out.append(f.zh if lang == "zh" else f.en)
    return out


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
    return pair[0] if lang == "zh" else pair[1]


def columns_of(spec: SheetSpec, preset: str, lang: str) -> list:
    """The builder's columns of one sheet: headers, widths (CJK counted double), text format
    on ids and phones (leading zeros survive), date formats, and a dropdown on every coded
    column (an open list warns, a closed vocabulary stops)."""
    from followup_cli.outputs.screen import display_width
    from followup_cli.xlsx.builder import Column

    head = {"bg_color": "#DDEBF7", "align": "center", "valign": "vcenter"}
    error = "请从下拉列表中选择" if lang == "zh" else "Pick a value from the list"
    out = []
    for col, header in zip(spec.columns, headers(spec, lang)):
        f = field_by_name(spec.role, col.field) if col.field else None
        width = max(display_width(header) + 4, 10)
        kind = "text"
        if f is not None and f.type in (DATE, DATETIME):
            width, kind = max(width, 13), "date" if f.type == DATE else "datetime"
        elif f is not None and f.type in (ID, PHONE):
            width, kind = max(width, 14), "id"  # typed ids and phones keep leading zeros
        extra: dict = {}
        values = dropdown(preset, spec.role, col.field, lang) if f is not None else None
        if values:
            if len(",".join(values)) > 255:  # Excel's limit for an inline list
                raise AssertionError(f"dropdown for {spec.role}.{col.field} is too long for Excel")
            extra = {"choices": values, "error_message": error,
                     "on_error": "warning" if (spec.role, col.field) in _OPEN_LISTS else "stop"}
        elif f is not None and spec.role == "visits" and col.field == "score":
            extra = {"rule": {"validate": "integer", "criteria": "between", "minimum": 0, "maximum": 5,
                              "error_message": "0-5 分" if lang == "zh" else "a score from 0 to 5"}}
        out.append(Column(col.field or header, header, max(width, _WIDE.get(col.field, 0)), kind=kind, head=head,
                          error_title=header, **extra))
    return out


def write_workbook(path: Path, preset: str, lang: str = "zh") -> list[str]:
    """Write the empty archive (atomically, through the one builder); its sheet names."""
    from followup_cli.xlsx.builder import MAX_ROW, Book

    if lang not in ("zh", "en"):
        raise UsageProblem(f"language '{lang}' is not zh or en")
    with Book(path, creator="followup init") as book:
        for spec in layout(preset):
            book.sheet(spec.zh if lang == "zh" else spec.en, columns_of(spec, preset, lang), [], freeze=(1, 0),
                       autofilter=False, validate_to=MAX_ROW + 1)
    return book.sheets


def config_text(preset: str, lang: str, workbook_name: str, shop_name: str = "", shop_phone: str = "",
                today: dt.date | None = None) -> str:
    policy = build_policy(preset)
    first = policy.rules[0]
    today = today or dt.date.today()

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    if lang == "zh":
        lines = [
            f"# {workbook_name} 的回访设置，由 `followup init` 于 {today.isoformat()} 生成。",
            f"# 回访政策：{policy.zh}。查看每条规则：followup presets {preset}",
            f"preset = {q(preset)}",
            f"lang = {q(lang)}",
            "",
            "[shop]",
            f"name = {q(shop_name)}    # 话术和短信里的 {{shop}}",
            f"phone = {q(shop_phone)}   # 固定的门店电话 {{shop_phone}}",
            "",
            "# 修改某条规则的数字，例如：",
            f"# [rules.{first.id}]",
            f"# window_days = {first.window_days + 2}",
            "",
            "# 修改通话时段：",
            "# [policy]",
            f"# call_windows = [{', '.join(q(w) for w in policy.call_windows)}]",
        ]
    else:
        lines = [
            f"# Follow-up settings for {workbook_name}, written by `followup init` on {today.isoformat()}.",
            f"# The policy: {policy.en}. See every rule with: followup presets {preset} --lang en",
            f"preset = {q(preset)}",
            f"lang = {q(lang)}",
            "",
            "[shop]",
            f"name = {q(shop_name)}    # {{shop}} in scripts and messages",
            f"phone = {q(shop_phone)}   # the one fixed shop number, {{shop_phone}}",
            "",
            "# Change a rule's numbers, for example:",
            f"# [rules.{first.id}]",
            f"# window_days = {first.window_days + 2}",
            "",
            "# Change the call windows:",
            "# [policy]",
            f"# call_windows = [{', '.join(q(w) for w in policy.call_windows)}]",
        ]
    return "\n".join(lines) + "\n"


def config_path_for(path: Path) -> Path:
    """Where the new archive's settings go: followup.toml beside it, unless the folder already
    has a followup.toml for another archive; then '<archive>.followup.toml', which the reader
    looks for first (config.py), so two shops' archives can share a folder."""
    shared = path.parent / CONFIG_NAME
    if not shared.exists():
        return shared
    try:
        mine = path.name in shared.read_text(encoding="utf-8", errors="replace")
    except OSError:
        mine = False
    return shared if mine else path.with_name(f"{path.stem}.followup.toml")


def create_archive(path: str | Path, preset: str, lang: str = "zh", force: bool = False, shop_name: str = "",
                   shop_phone: str = "") -> InitResult:
    """Write an empty archive for `preset` at `path` and followup.toml beside it (or
    <archive>.followup.toml when the folder's followup.toml belongs to another archive).

    Refuses (WriteRefused) when either file exists, unless `force`. Both files are written to
    temporary names first and renamed into place, so a failure leaves nothing half-written.
    """
    path = Path(path)
    layout(preset)
    if path.suffix.lower() != ".xlsx":
        raise UsageProblem(f"{path}: the archive must be an .xlsx file", f"for example: {path.with_suffix('.xlsx')}")
    if path.is_dir():
        raise UsageProblem(f"{path}: is a folder", "give the workbook's file name, e.g. 客户档案.xlsx")
    config = config_path_for(path)
    existing = [p for p in (path, config) if p.exists()]
    if existing and not force:
        names = " and ".join(str(p) for p in existing)
        raise WriteRefused(f"{names} already exist{'s' if len(existing) == 1 else ''}; not overwriting",
                           "choose another path, or add --overwrite to replace "
                           + ("them" if len(existing) > 1 else "it"))
    path.parent.mkdir(parents=True, exist_ok=True)
    text = config_text(preset, lang, path.name, shop_name, shop_phone)
    # The config goes to a temporary name beside its target first (same file system, so the
    # rename is atomic); the builder writes the workbook the same way.
    tmp_conf = path.with_name(f".{config.name}.{os.getpid()}.init")
    try:
        tmp_conf.write_text(text, encoding="utf-8", newline="\n")
        sheets = write_workbook(path, preset, lang)
        os.replace(tmp_conf, config)
    finally:
        if tmp_conf.exists():
            tmp_conf.unlink()
    return InitResult(path, config, preset, lang, sheets)


def _unknown_preset(preset: str):
    from followup_cli.text.clerk import unknown_preset

    return unknown_preset(preset, preset_ids())
