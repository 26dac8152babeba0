"""Small archives for the KPI tests, with every figure they should give worked out by hand
in the tests that use them (tests/test_kpi.py explains the main archive line by line)."""

from __future__ import annotations

import datetime as dt

from followup_cli.archive.reading import load_archive
from followup_cli.config import load_config
from followup_cli.kpi import KPIS, compute_kpis, parse_period, settings_from_config
from followup_cli.policy.setup import policy_setup
from tests.helpers import make_workbook

D = dt.date
T = dt.datetime
NOV = "2026-11"

CUSTOMER_HEADERS = ["客户编号", "姓名", "性别", "手机", "会员等级", "门店", "负责人", "建档日期", "积分", "拒绝回访"]
PURCHASE_HEADERS = ["客户编号", "消费日期", "商品名称", "金额", "当季新品"]
VISIT_HEADERS = [
    "回访编号",
    "客户编号",
    "回访日期",
    "回访类型",
    "回访人",
    "结果",
    "满意度",
    "评分",
    "愿意推荐",
    "问题类别",
    "问题描述",
    "是否解决",
    "解决日期",
    "备注",
]
TICKET_HEADERS = ["工单号", "客户编号", "受理时间", "工单类型", "严重程度", "结案时间", "上报时间"]
AUDIT_HEADERS = ["回访编号", "核查日期", "核查人", "核查结果"]
ISSUE_HEADERS = ["问题编号", "回访编号", "客户编号", "提出日期", "问题类别", "问题描述", "是否解决", "解决日期"]


def cust(cid, owner, tier="普通", store="南京路店", dnc="否", archived=D(2025, 1, 10), phone=None):
    return [cid, f"客户{cid}", "女", phone or f"1380000{int(cid[1:]):04d}", tier, store, owner, archived, 0, dnc]


def visit(
    vid,
    cid,
    when,
    kind,
    staff,
    outcome="已联系",
    sat=None,
    score=None,
    rec=None,
    cat=None,
    issue=None,
    resolved=None,
    resolved_on=None,
    notes=None,
):
    return [vid, cid, when, kind, staff, outcome, sat, score, rec, cat, issue, resolved, resolved_on, notes]


MAIN_CUSTOMERS = [
    cust("C1", "林晓雯"),
    cust("C2", "林晓雯"),
    cust("C3", "陈雅琪", store="淮海路店"),
    cust("C4", "陈雅琪", store="淮海路店"),
    cust("C5", "陈雅琪", store="淮海路店"),
    cust("C6", "林晓雯", dnc="是"),
    cust("C7", "陈雅琪", store="淮海路店"),
    cust("C8", "陈雅琪", store="淮海路店"),
]
MAIN_PURCHASES = [
    ["C1", D(2026, 10, 30), "羊绒大衣", 1999, "是"],
    ["C2", D(2026, 11, 23), "羽绒服", 1299, "是"],
    ["C3", D(2026, 11, 1), "针织衫", 399, "是"],
    ["C4", D(2026, 11, 20), "围巾", 299, "是"],
    ["C5", D(2026, 10, 24), "毛呢裙", 599, "是"],
    ["C6", D(2026, 11, 5), "羊绒大衣", 1999, "是"],
    ["C7", D(2026, 11, 25), "针织衫", 399, "是"],
]
MAIN_VISITS = [
    visit("V1", "C1", T(2026, 11, 7, 10, 0), "产品使用回访", "林晓雯", sat="满意", score=5, rec="是"),
    visit(
        "V2",
        "C1",
        T(2026, 11, 14, 15, 0),
        "售后回访",
        "林晓雯",
        sat="非常满意",
        score=4,
        cat="产品质量",
        issue="拉链坏了",
        resolved="是",
        resolved_on=D(2026, 11, 20),
    ),
    visit(
        "V3",
        "C5",
        T(2026, 11, 1, 10, 0),
        "产品使用回访",
        "陈雅琪",
        sat="一般",
        score=3,
        rec="否",
        cat="其他",
        issue="希望多些大码",
        notes="客户建议周末延长营业",
    ),
    visit("V4", "C3", T(2026, 11, 9, 10, 0), "产品使用回访", "陈雅琪", outcome="未接通"),
    visit(
        "V5",
        "C8",
        T(2026, 11, 30, 19, 30),
        "满意度调查",
        "陈雅琪",
        sat="不满意",
        score=1,
        cat="服务",
        issue="店员态度差",
        resolved="是",
        resolved_on=D(2026, 12, 3),
    ),
    visit("V6", "C2", T(2026, 12, 2, 11, 0), "产品使用回访", "林晓雯", sat="非常满意", score=5),
    visit("V7", "C1", T(2026, 10, 31, 16, 0), "节日问候", "林晓雯", sat="满意", score=5),
    visit("V8", "C6", T(2026, 11, 15, 9, 30), "节日问候", "林晓雯"),
    visit("V9", "C3", T(2026, 11, 7, 9, 0), "售后回访", "陈雅琪"),
    visit("V10", "C4", T(2026, 11, 23, 11, 0), "售后回访", "陈雅琪"),
    visit("V11", "C5", D(2026, 12, 2), "投诉回访", "陈雅琪"),
]
MAIN_TICKETS = [
    ["TK1", "C1", T(2026, 11, 8, 10, 0), "退换货", "一般", T(2026, 11, 10, 0, 0), None],
    ["TK2", "C3", T(2026, 11, 2, 9, 0), "维修", "一般", T(2026, 11, 5, 10, 0), None],
    ["TK3", "C4", T(2026, 11, 18, 9, 0), "维修", "一般", T(2026, 11, 20, 10, 0), None],
    ["TK4", "C5", T(2026, 11, 28, 9, 0), "投诉", "重大", T(2026, 11, 30, 18, 0), T(2026, 11, 29, 8, 0)],
    ["TK5", "C7", T(2026, 11, 10, 9, 0), "投诉", "重大", T(2026, 12, 10, 12, 0), T(2026, 11, 11, 10, 0)],
    ["TK6", "C8", T(2026, 11, 3, 9, 0), "投诉", "一般", T(2026, 11, 4, 9, 0), None],
]
MAIN_AUDITS = [
    ["V1", D(2026, 12, 1), "王主管", "准确"],
    ["V3", D(2026, 12, 1), "王主管", "不准确"],
    ["V5", D(2026, 12, 1), "王主管", "准确"],
    ["V7", D(2026, 12, 1), "王主管", "准确"],  # an October visit: not November's accuracy
    ["V1", D(2026, 12, 3), "李经理", "不准确"],  # checked again later: the later verdict stands
]


# The generic KPI tests look at every KPI, not only those the default preset (retail-vip) defines.
EVERY_KPI = "show = [" + ", ".join(f'"{k}"' for k in KPIS) + "]\n"


def every_kpi(toml: str | None) -> str:
    """followup.toml text with [kpi] show = every KPI added (inside its [kpi] table if it has one)."""
    toml = toml or ""
    if "[kpi]\n" in toml:
        return toml.replace("[kpi]\n", "[kpi]\n" + EVERY_KPI, 1)
    return toml + "\n[kpi]\n" + EVERY_KPI


def main_archive(tmp_path, audits=True, issues=None, extra=None, toml=None, all_kpis=True, reminders=0):
    sheets = {
        "客户档案": [CUSTOMER_HEADERS] + MAIN_CUSTOMERS,
        "消费记录": [PURCHASE_HEADERS] + MAIN_PURCHASES,
        "回访记录": [VISIT_HEADERS] + MAIN_VISITS,
        "售后工单": [TICKET_HEADERS] + MAIN_TICKETS,
    }
    if audits:
        sheets["抽查记录"] = [AUDIT_HEADERS] + MAIN_AUDITS
    if issues is not None:
        sheets["问题跟踪"] = [ISSUE_HEADERS] + issues
    sheets.update(extra or {})
    path = make_workbook(tmp_path / "archive.xlsx", sheets)
    if all_kpis:
        toml = every_kpi(toml)
    if reminders is not None and "[followups]" not in (toml or ""):
        # C5's issue of 11-01 (V3) is never resolved: `due` would remind of it every 7 days, and
        # those reminders are due tasks like any other (tests/test_kpi.py counts them). The hand
        # counts of the other tests are of the policy's rules alone, so they turn reminders off.
        toml = (toml or "") + f"\n[followups]\nissue_reminder_days = {reminders}\n"
    if toml is not None:
        (tmp_path / "followup.toml").write_text(toml, encoding="utf-8")
    return path


def run(path, period=NOV, as_of=D(2026, 12, 5), by=(), season=None):
    config = load_config([path])
    archive = load_archive([path], config)
    per = parse_period(period) if isinstance(period, str) else period
    setup = policy_setup(config)
    return compute_kpis(
        archive,
        setup.policy,
        per,
        as_of,
        workcal=setup.workcal,
        birthday_policy=setup.birthday_policy,
        followups=setup.followups,
        by=by,
        settings=settings_from_config(config.raw),
        season=season,
    )


def nd(m):
    return (m.numerator, m.denominator)


def value_archive(tmp_path):
    customers = [
        cust("C1", "林晓雯", tier="VIP"),
        cust("C2", "林晓雯", tier="VIP"),
        cust("C3", "林晓雯"),
        cust("C4", "林晓雯"),
        cust("C5", "林晓雯", archived=D(2026, 10, 15)),  # never bought: idle since its archive date
        cust("C6", "林晓雯", archived=D(2027, 1, 1)),  # archived after the cut-off: not counted
        cust("C7", "林晓雯", tier="金卡"),
    ]
    purchases = [
        ["C1", D(2026, 11, 3), "大衣", 1000, "否"],
        ["C1", D(2026, 11, 20), "围巾", 500, "否"],
        ["C1", D(2025, 11, 10), "大衣", 800, "否"],
        ["C2", D(2025, 11, 5), "裙子", 400, "否"],
        ["C2", D(2026, 8, 1), "T恤", 99, "否"],
        ["C3", D(2026, 11, 15), "衬衫", 300, "否"],
        ["C3", D(2025, 11, 20), "袜子", 100, "否"],
        ["C4", D(2026, 9, 20), "裤子", 199, "否"],
        ["C7", D(2026, 11, 28), "皮带", 200, "否"],
        ["C7", D(2026, 7, 1), "皮带", 150, "否"],
    ]
    visits = [
        visit("V1", "C7", D(2026, 11, 10), "沉睡唤醒", "林晓雯"),  # bought 11-28: won back
        visit("V2", "C2", D(2026, 11, 25), "沉睡唤醒", "林晓雯"),  # did not buy
        visit("V3", "C4", D(2026, 11, 29), "沉睡唤醒", "林晓雯", outcome="未接通"),  # not reached: not counted
    ]
    sheets = {
        "客户档案": [CUSTOMER_HEADERS] + customers,
        "消费记录": [PURCHASE_HEADERS] + purchases,
        "回访记录": [VISIT_HEADERS] + visits,
    }
    return make_workbook(tmp_path / "value.xlsx", sheets)
