"""What each sheet of an archive holds: roles, their fields, and the header aliases.

A clerk's archive names its columns in Chinese or English and in many ways; this table
is the one place that knows them. `followup.toml` can add to it (column mapping), and
any column the table does not know is kept as an extra field under its own header.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from followup_cli.archive.headers import HeaderIndex, norm_header, norm_sheet  # noqa: F401 (norm_header: re-exported)
from followup_cli.archive.synonyms import (
    FIELD_SYNONYMS,
    NOT_DATA_WORDS,
    SHEET_KEYWORDS,
    SHEET_NAMES,
)

# Field types understood by the parsers in parse.py.
TEXT, ID, DATE, DATETIME, BIRTHDAY, PHONE, BOOL, MONEY, NUMBER, INT = (
    "text", "id", "date", "datetime", "birthday", "phone", "bool", "money", "number", "int",
)


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    aliases: tuple[str, ...]
    required: bool = False
    zh: str = ""
    en: str = ""


def F(name, type_, zh, en, *aliases, required=False):
    return Field(name, type_, (zh, en, name) + aliases, required, zh, en)


# Shared by every sheet that points at a customer.
_CUSTOMER_REF = ("客户编号", "customer_id", "客户id", "客户号", "会员编号", "会员号", "会员卡号", "卡号",
                 "客户代码", "customer", "customer no", "member id", "member no", "客户")

ROLES: dict[str, dict] = {
    "customers": {
        "zh": "客户", "en": "Customers",
        "sheet_names": ("客户", "客户档案", "客户资料", "客户信息", "会员", "会员档案", "会员资料", "会员信息",
                        "顾客档案", "业主档案", "业主信息", "customers", "customer", "members", "clients", "archive"),
        "fields": [
            F("id", ID, "客户编号", "Customer ID", "客户id", "客户号", "会员编号", "会员号", "会员卡号", "卡号",
              "编号", "客户代码", "id", "customer no", "member id", "member no", "no", required=True),
            F("name", TEXT, "姓名", "Name", "客户姓名", "客户名称", "会员姓名", "名称", "联系人", "customer name",
              "full name", required=True),
            F("gender", TEXT, "性别", "Gender", "sex"),
            F("phone", PHONE, "手机", "Phone", "手机号", "手机号码", "电话", "联系电话", "电话号码", "联系方式",
              "mobile", "mobile phone", "tel", "telephone", "cell"),
            F("birthday", BIRTHDAY, "生日", "Birthday", "出生日期", "出生年月", "生日日期", "date of birth", "dob",
              "birth date"),
            F("birthday_type", TEXT, "生日类型", "Birthday type", "历法", "生日历法", "公历/农历", "calendar"),
            F("tier", TEXT, "会员等级", "Tier", "会员级别", "会员类型", "vip等级", "membership", "member tier",
              "member level"),
            F("grade", TEXT, "客户等级", "Grade", "客户级别", "客户分级", "意向等级", "等级", "customer grade",
              "lead grade"),
            F("type", TEXT, "客户类型", "Type", "客户类别", "类型", "类别", "customer type"),
            F("source", TEXT, "来源", "Source", "客户来源", "来源渠道", "lead source"),
            F("store", TEXT, "门店", "Store", "店铺", "所属门店", "分店", "楼盘", "案场", "shop", "branch"),
            F("owner", TEXT, "负责人", "Owner", "客服专员", "专员", "跟进人", "归属员工", "销售顾问", "置业顾问",
              "客户经理", "owner staff", "account manager", "staff", "sales rep"),
            F("archived_on", DATE, "建档日期", "Archived on", "登记日期", "入档日期", "入会日期", "注册日期",
              "建档时间", "入住日期", "created", "created on", "join date", "joined", "registered", "moved in"),
            F("points", NUMBER, "积分", "Points", "会员积分", "当前积分", "可用积分", "points balance"),
            F("do_not_contact", BOOL, "拒绝回访", "Do not contact", "免打扰", "勿扰", "不回访", "opt out",
              "opt-out", "dnc"),
            # Consent the other way round (接受回访 = 否) and in words (回访意愿 = 勿扰): reading
            # folds both into do_not_contact, per channel when the header names one.
            F("contact_ok", BOOL, "接受回访", "Accepts contact"),
            F("contact_wish", TEXT, "回访意愿", "Contact wish"),
            # An account status: 已拉黑 / 已注销 / 冻结 refuse every channel, 正常 / Active say nothing.
            F("account_status", TEXT, "会员状态", "Account status", "状态", "客户状态", "账户状态", "账号状态",
              "卡状态", "会员卡状态", "用户状态", "status", "customer status", "member status"),
            F("channel", TEXT, "偏好渠道", "Preferred channel", "联系偏好", "首选渠道", "channel"),
            F("region", TEXT, "地区", "Region", "区域", "城市", "area", "city"),
            F("visited_on", DATE, "到访日期", "Visited on", "来访日期", "看房日期", "首次到访", "visited"),
            F("bought_on", DATE, "成交日期", "Bought on", "购买日期", "签约日期", "deal date"),
            F("buyer", BOOL, "是否购买", "Buyer", "已购买", "购买客户", "是否成交", "已成交", "has bought"),
            F("first_name", TEXT, "名", "First name"),
            F("last_name", TEXT, "姓", "Last name"),
            F("email", TEXT, "邮箱", "Email"),
            F("tags", TEXT, "标签", "Tags"),
            F("spent", MONEY, "累计消费", "Total spent"),
            # a CRM's own next follow-up date: a task on that day (schedule/followups.py)
            F("next_follow_up", DATE, "下次跟进时间", "Next follow-up", "下次跟进日期", "下次跟进", "下次回访日期",
              "下次回访时间", "下次回访", "下次联系时间", "下次联系日期", "预约回访日期", "next follow-up date",
              "next follow up", "next follow up date", "next contact date", "next call"),
        ],
    },
    "purchases": {
        "zh": "消费记录", "en": "Purchases",
        "sheet_names": ("消费记录", "消费", "购买记录", "销售", "销售记录", "订单", "订单记录", "成交记录",
                        "purchases", "sales", "orders"),
        "fields": [
            F("customer_id", ID, "客户编号", "Customer ID", *_CUSTOMER_REF[2:], required=True),
            F("phone", PHONE, "手机", "Phone"),
            F("customer_name", TEXT, "客户姓名", "Customer name"),
            F("email", TEXT, "邮箱", "Email"),
            F("date", DATE, "日期", "Date", "消费日期", "购买日期", "销售日期", "下单日期", "订单日期", "成交日期",
              "purchase date", "order date", required=True),
            F("amount", MONEY, "金额", "Amount", "消费金额", "销售金额", "订单金额", "实收金额", "total"),
            F("product", TEXT, "商品", "Product", "产品", "商品名称", "产品名称", "品名", "item"),
            F("new_season", BOOL, "当季新品", "New season", "新品", "是否新品", "当季", "new", "new arrival"),
            F("order_id", ID, "订单号", "Order ID", "单号", "订单编号", "小票号", "order no", "order"),
            F("shipped_on", DATE, "发货日期", "Shipped on", "发货时间", "ship date", "shipped"),
            F("quantity", NUMBER, "数量", "Quantity", "件数", "qty"),
            F("store", TEXT, "门店", "Store"),
        ],
    },
    "visits": {
        "zh": "回访记录", "en": "Visits",
        "sheet_names": ("回访记录", "回访", "回访日志", "跟进记录", "visits", "visit log", "follow-ups",
                        "followups", "follow ups"),
        "fields": [
            F("visit_id", ID, "回访编号", "Visit ID", "记录编号", "visit no"),
            F("customer_id", ID, "客户编号", "Customer ID", *_CUSTOMER_REF[2:], required=True),
            F("phone", PHONE, "手机", "Phone"),
            F("customer_name", TEXT, "客户姓名", "Customer name"),
            F("date", DATETIME, "回访日期", "Date", "回访时间", "日期", "跟进日期", "visit date", "visited at",
              required=True),
            F("kind", TEXT, "回访类型", "Kind", "回访类别", "类型", "type", "follow-up kind"),
            # What was said, as a clerk wrote it; the kind is read from it when no kind column says.
            F("content", TEXT, "回访内容", "Content"),
            F("channel", TEXT, "回访方式", "Channel", "方式", "渠道", "联系方式", "method"),
            F("staff", TEXT, "回访人", "Staff", "客服", "回访人员", "跟进人", "负责人", "经办人", "agent"),
            F("outcome", TEXT, "结果", "Outcome", "回访结果", "联系结果", "result"),
            F("satisfaction", TEXT, "满意度", "Satisfaction", "满意程度"),
            F("score", NUMBER, "评分", "Score", "分数", "得分", "rating"),
            F("recommend", BOOL, "愿意推荐", "Would recommend", "是否推荐", "推荐", "recommend"),
            F("issue_category", TEXT, "问题类别", "Issue category", "问题分类", "问题类型", "category"),
            F("issue", TEXT, "问题描述", "Issue", "问题", "反馈问题", "客户意见", "issue text", "feedback"),
            F("resolved", BOOL, "是否解决", "Resolved", "已解决", "解决"),
            F("resolved_on", DATE, "解决日期", "Resolved on", "解决时间", "resolved date"),
            F("notes", TEXT, "备注", "Notes", "说明", "remarks", "note"),
            F("next_action", TEXT, "下次跟进", "Next action", "下次回访", "下一步", "next follow-up", "next"),
            F("task_id", ID, "任务编号", "Task ID", "任务号", "task"),
        ],
    },
    "tickets": {
        "zh": "售后", "en": "Tickets",
        "sheet_names": ("售后", "售后记录", "投诉", "投诉记录", "工单", "售后工单", "维修", "退换货", "投诉报修",
                        "报修投诉", "报修记录",
                        "tickets", "complaints", "service", "after-sales"),
        "fields": [
            F("ticket_id", ID, "工单号", "Ticket ID", "工单编号", "单号", "投诉编号", "ticket no", "ticket"),
            F("customer_id", ID, "客户编号", "Customer ID", *_CUSTOMER_REF[2:], required=True),
            F("phone", PHONE, "手机", "Phone"),
            F("customer_name", TEXT, "客户姓名", "Customer name"),
            F("opened_at", DATETIME, "受理时间", "Opened at", "开单日期", "投诉时间", "登记时间", "受理日期",
              "报修时间", "opened", "created at"),
            F("type", TEXT, "工单类型", "Type", "类型", "类别", "售后类型", "ticket type"),
            F("severity", TEXT, "严重程度", "Severity", "级别", "等级", "重要程度", "priority"),
            F("closed_at", DATETIME, "结案时间", "Closed at", "关闭时间", "完成时间", "结案日期", "处理完成时间",
              "closed", "resolved at"),
            F("outcome", TEXT, "处理结果", "Outcome", "结果", "resolution"),
            F("escalated_at", DATETIME, "上报时间", "Escalated at", "升级时间", "escalated"),
        ],
    },
    "projects": {
        "zh": "工程", "en": "Projects",
        "sheet_names": ("工程", "项目", "工程项目", "装修项目", "projects", "jobs"),
        "fields": [
            F("project_id", ID, "项目编号", "Project ID", "工程编号", "合同号", "project no"),
            F("customer_id", ID, "客户编号", "Customer ID", *_CUSTOMER_REF[2:], required=True),
            F("phone", PHONE, "手机", "Phone"),
            F("customer_name", TEXT, "客户姓名", "Customer name"),
            F("started_on", DATE, "开工日期", "Started on", "开工时间", "start", "start date"),
            F("mid_payment_on", DATE, "中期款日期", "Mid payment on", "中期付款日期", "中期款", "mid payment"),
            F("concealed_done_on", DATE, "隐蔽工程完成", "Concealed works done", "隐蔽工程验收", "concealed works"),
            F("completed_on", DATE, "竣工日期", "Completed on", "完工日期", "竣工时间", "completion",
              "completion date"),
            F("warranty_start", DATE, "保修开始", "Warranty start", "质保开始", "保修起始日期", "warranty from"),
        ],
    },
    "staff": {
        "zh": "员工", "en": "Staff",
        "sheet_names": ("员工", "员工名单", "人员", "客服人员", "staff", "employees", "team"),
        "fields": [
            F("staff_id", ID, "工号", "Staff ID", "员工编号", "编号", "employee id", "id"),
            F("name", TEXT, "姓名", "Name", "员工姓名", "名字", required=True),
            F("store", TEXT, "门店", "Store", "店铺", "所属门店", "shop", "branch"),
            F("region", TEXT, "地区", "Region", "区域", "area"),
            F("role", TEXT, "角色", "Role", "岗位", "职位", "position"),
            F("left_on", DATE, "离职日期", "Left on", "离职时间", "left"),
            F("active", BOOL, "在职", "Active", "是否在职", "在岗"),
            F("capacity", NUMBER, "能力权重", "Capacity", "权重", "接待能力", "weight"),
        ],
    },
    "milestones": {
        "zh": "节点", "en": "Milestones",
        "sheet_names": ("节点", "里程碑", "活动", "营销活动", "项目节点", "活动签到", "签到表", "参会客户",
                        "milestones", "events", "attendance", "event attendance"),
        "fields": [
            F("date", DATE, "日期", "Date", "活动日期", "节点日期", required=True),
            F("name", TEXT, "名称", "Name", "活动名称", "节点名称", "事件", "event", required=True),
            F("kind", TEXT, "类型", "Kind", "节点类型", "活动类型", "type"),
            F("store", TEXT, "门店", "Store", "项目", "楼盘", "project"),
            # A row naming a customer (an event's sign-in list) concerns that customer only.
            F("customer_id", ID, "客户编号", "Customer ID", *_CUSTOMER_REF[2:]),
        ],
    },
    # The issue-tracking sheet (问题跟踪): one row per issue a visit raised, marked resolved later.
    "issues": {
        "zh": "问题跟踪", "en": "Issues",
        "sheet_names": ("问题跟踪", "问题跟踪表", "问题记录", "问题清单", "客户问题", "issues", "issue tracking",
                        "issue log"),
        "fields": [
            F("issue_id", ID, "问题编号", "Issue ID", "问题单号", "issue no"),
            F("visit_id", ID, "回访编号", "Visit ID", "记录编号", "visit no"),
            F("task_id", ID, "任务编号", "Task ID", "任务号", "task"),
            F("customer_id", ID, "客户编号", "Customer ID", *_CUSTOMER_REF[2:], required=True),
            F("raised_on", DATE, "提出日期", "Raised on", "登记日期", "反馈日期", "发现日期", "提出时间", "raised",
              "opened on", required=True),
            F("category", TEXT, "问题类别", "Category", "问题分类", "问题类型", "issue category"),
            F("text", TEXT, "问题描述", "Issue", "问题", "问题内容", "反馈问题", "客户意见", "issue text",
              "description"),
            F("resolved", BOOL, "是否解决", "Resolved", "已解决", "解决"),
            F("resolved_on", DATE, "解决日期", "Resolved on", "解决时间", "resolved date"),
            F("staff", TEXT, "回访人", "Staff", "登记人", "负责人", "跟进人", "agent"),
            F("notes", TEXT, "备注", "Notes", "说明", "处理说明", "remarks"),
        ],
    },
    # Spot-check verdicts (抽查记录): a supervisor's check of one visit record, accurate or not.
    "audits": {
        "zh": "抽查记录", "en": "Audits",
        "sheet_names": ("抽查记录", "抽查", "核查记录", "回访抽查", "audits", "audit", "spot checks"),
        "fields": [
            F("visit_id", ID, "回访编号", "Visit ID", "记录编号", "visit no"),
            F("visit_row", INT, "原表行号", "Visit row", "行号", "回访记录行号", "sheet row", "row"),
            F("customer_id", ID, "客户编号", "Customer ID", *_CUSTOMER_REF[2:]),
            F("checked_on", DATE, "核查日期", "Checked on", "抽查日期", "检查日期", "checked"),
            F("checker", TEXT, "核查人", "Checker", "抽查人", "检查人", "checked by"),
            F("verdict", TEXT, "核查结果", "Verdict", "抽查结果", "是否准确", "准确性", "result", required=True),
            F("notes", TEXT, "核查说明", "Notes", "备注", "说明", "remarks"),
        ],
    },
}

ROLE_ORDER = ("customers", "purchases", "visits", "tickets", "projects", "staff", "milestones", "issues", "audits")


def _with_synonyms() -> None:
    """The vocabulary gathered from real exports (synonyms.py) joins each field's aliases."""
    for role, spec in ROLES.items():
        extra = FIELD_SYNONYMS.get(role, {})
        spec["fields"] = [replace(f, aliases=tuple(dict.fromkeys(f.aliases + extra.get(f.name, ()))))
                          for f in spec["fields"]]
        spec["sheet_names"] = tuple(dict.fromkeys(spec["sheet_names"] + SHEET_NAMES.get(role, ())))


_with_synonyms()

# A required field that another can stand in for: a member list keyed by mobile number has no
# id column, a hand-kept visit book names the customer or gives the phone, First/Last names.
_REF_KEYS = ("customer_id", "phone", "customer_name", "email")
ALTERNATIVES: dict[tuple[str, str], tuple[str, ...]] = {
    ("customers", "id"): ("id", "phone"),
    ("customers", "name"): ("name", "first_name", "last_name"),
}
for _role in ("purchases", "visits", "tickets", "projects"):
    _names = {f.name for f in ROLES[_role]["fields"]}
    ALTERNATIVES[(_role, "customer_id")] = tuple(k for k in _REF_KEYS if k in _names)


def required_groups(role: str) -> list[tuple[str, ...]]:
    """Each required field with the fields that can stand in for it."""
    return [ALTERNATIVES.get((role, f.name), (f.name,)) for f in ROLES[role]["fields"] if f.required]


def missing_required(role: str, columns) -> list[str]:
    """The required fields (by name) that no column stands for."""
    return [group[0] for group in required_groups(role) if not any(g in columns for g in group)]


def field_by_name(role: str, name: str) -> Field | None:
    for f in ROLES[role]["fields"]:
        if f.name == name:
            return f
    return None


def header_index(role: str, extra: dict[str, str] | None = None) -> HeaderIndex:
    """The role's header matcher; built once per role and mapping, reused by every sheet."""
    key = (role, tuple(sorted((extra or {}).items())))
    index = _INDEXES.get(key)
    if index is None:
        index = _INDEXES[key] = HeaderIndex(ROLES[role]["fields"], extra)
    return index


_INDEXES: dict = {}


def alias_index(role: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """normalised header → field name for a role; `extra` maps header → field from the config."""
    index = header_index(role, extra)
    return {**index.norm, **index.config}


def sheet_role_by_name(sheet_name: str) -> str | None:
    """The role a sheet's name says exactly (会员资料, Customers), else None."""
    return _SHEET_ROLES.get(norm_sheet(sheet_name))


def sheet_role_by_words(sheet_name: str) -> str | None:
    """The role a word in a sheet's name suggests (一店会员, 2024销售明细), else None."""
    n = norm_sheet(sheet_name)
    for role, words in SHEET_KEYWORDS:
        if any(w in n for w in words):
            return role
    return None


def is_not_data_sheet(sheet_name: str) -> bool:
    """A copy, template or notes (客户档案(备份), 填写说明): never read as the archive."""
    n = norm_sheet(sheet_name)
    return any(w in n for w in NOT_DATA_WORDS)


_SHEET_ROLES = {}
for _role in ROLE_ORDER:
    for _name in ROLES[_role]["sheet_names"]:
        _SHEET_ROLES.setdefault(norm_sheet(_name), _role)
