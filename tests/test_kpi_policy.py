"""KPIs belong to the policy: each preset shows the KPIs its seed defines, with its own
thresholds and targets, on small archives counted by hand at the thresholds' edges."""

from __future__ import annotations

import pytest

from followup_cli.errors import UsageProblem
from followup_cli.kpi import parse_period
from tests.helpers import make_workbook
from tests.kpi_fixtures import CUSTOMER_HEADERS, TICKET_HEADERS, VISIT_HEADERS, D, T, cust, nd, run, visit


def book(tmp_path, preset, customers=None, visits=(), tickets=(), projects=None, purchases=None, toml=""):
    sheets = {
        "客户档案": [CUSTOMER_HEADERS] + (customers or [cust("C1", "林晓雯"), cust("C2", "林晓雯")]),
        "回访记录": [VISIT_HEADERS] + list(visits),
        "售后工单": [TICKET_HEADERS] + list(tickets),
    }
    if projects is not None:
        sheets["工程"] = [["项目编号", "客户编号", "开工日期", "中期款日期", "竣工日期"]] + projects
    if purchases is not None:
        sheets["消费记录"] = [["客户编号", "消费日期", "商品名称", "金额", "当季新品"]] + purchases
    path = make_workbook(tmp_path / "archive.xlsx", sheets)
    (tmp_path / "followup.toml").write_text(f'preset = "{preset}"\n{toml}', encoding="utf-8")
    return path


# ---- weeks ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("2026-W47", D(2026, 11, 16), D(2026, 11, 22)),
        ("2026w1", D(2025, 12, 29), D(2026, 1, 4)),  # ISO week 1 holds the year's first Thursday
        ("2026年第47周", D(2026, 11, 16), D(2026, 11, 22)),
        ("2026-W53", D(2026, 12, 28), D(2027, 1, 3)),
    ],
)
def test_iso_weeks(text, start, end):
    p = parse_period(text)
    assert (p.start, p.end, p.unit) == (start, end, "week")


def test_a_week_the_year_does_not_have():
    with pytest.raises(UsageProblem, match="no ISO week 53"):
        parse_period("2027-W53")


# ---- decoration: visit rate ≥ 90%, ≥ 3 visits a project, tickets in 72 h, weekly report Sunday 17:00 ---


def test_decoration_shows_its_own_kpis_and_not_the_shops(tmp_path):
    projects = [
        ["P1", "C1", D(2026, 9, 1), D(2026, 10, 1), D(2026, 11, 10)],
        ["P2", "C2", D(2026, 9, 5), D(2026, 10, 5), D(2026, 11, 12)],
    ]
    visits = [
        visit("V1", "C1", D(2026, 9, 11), "开工回访", "林晓雯"),
        visit("V2", "C1", D(2026, 10, 2), "中期回访", "林晓雯"),
        visit("V3", "C1", D(2026, 11, 12), "竣工回访", "林晓雯", sat="满意", score=5, rec="是"),
        visit("V4", "C2", D(2026, 9, 15), "开工回访", "林晓雯"),
        visit("V5", "C2", D(2026, 11, 20), "竣工回访", "林晓雯", sat="一般", score=3, rec="否"),
    ]
    tickets = [
        ["TK1", "C1", T(2026, 11, 2, 9, 0), "报修", "一般", T(2026, 11, 6, 9, 0), None],
        ["TK2", "C2", T(2026, 11, 3, 9, 0), "投诉", "一般", T(2026, 11, 4, 9, 0), None],
    ]
    visits += [
        visit("V6", "C1", T(2026, 11, 5, 9, 0), "维修回访", "林晓雯"),  # 72 h after TK1 was opened: in time
        visit("V7", "C2", T(2026, 11, 6, 9, 1), "投诉回访", "林晓雯"),
    ]  # 72 h 1 min after TK2: late
    r = run(book(tmp_path, "decoration", visits=visits, tickets=tickets, projects=projects), as_of=D(2026, 12, 5))
    assert list(r.measures) == [
        "completion_tasks",
        "completion_customers",
        "project_visits",
        "project_min_visits",
        "satisfaction",
        "rated_share",
        "avg_score",
        "recommend",
        "resolution",
        "ticket_followup",
    ]
    # No purchases: no dormant, VIP or spend rows; no escalation column: no escalation row.
    assert not {"dormant_60", "vip_spend", "escalation", "complaint_followup"} & set(r.measures)
    # Projects completed in November: P1 with V1, V2, V3 (3 visits), P2 with V4, V5 (2).
    assert nd(r.measures["project_min_visits"]) == (1, 2)
    assert r.targets["project_min_visits"] == (100, False)
    # Repairs and complaints opened in November, followed up within 72 h of opening: TK1 yes, TK2 no.
    assert nd(r.measures["ticket_followup"]) == (1, 2) and r.targets["ticket_followup"] == (100, False)
    assert r.targets["completion_tasks"][0] == 90
    week = run(book(tmp_path, "decoration", projects=projects), period="2026-W47", as_of=D(2026, 12, 5))
    assert week.report_due is not None and (week.report_due.date(), week.report_due.hour) == (D(2026, 11, 22), 17)
    assert run(book(tmp_path, "decoration", projects=projects), as_of=D(2026, 12, 5)).report_due is None  # a month


# ---- sales: a complaint followed up within 5 working days of closing -------------------------------


@pytest.mark.parametrize("when, ok", [(D(2026, 11, 27), True), (D(2026, 11, 30), False), (D(2026, 11, 20), True)])
def test_sales_complaint_within_5_working_days(tmp_path, when, ok):
    # Closed on Friday 11-20: five working days later is Friday 11-27; Monday 11-30 is the sixth.
    tickets = [["TK1", "C1", T(2026, 11, 16, 9, 0), "投诉", "一般", T(2026, 11, 20, 16, 0), None]]
    visits = [visit("V1", "C1", when, "投诉回访", "林晓雯", sat="满意")]
    r = run(book(tmp_path, "sales", visits=visits, tickets=tickets), as_of=D(2026, 12, 5))
    assert nd(r.measures["complaint_followup"]) == ((1 if ok else 0), 1)
    assert r.targets["complaint_followup"] == (100, ok)
    # Sales defines no 72-hour ticket rate and no three-visit rule.
    assert not {"ticket_followup", "repair_followup", "project_min_visits", "escalation"} & set(r.measures)
    assert r.settings.complaint_followup_working_days == 5


# ---- property: 24 h after closing for complaints, 72 h after the fix for repairs, 24 h escalation ----


@pytest.mark.parametrize("minute, ok", [(0, True), (1, False)])
def test_property_complaint_followed_up_within_24_hours(tmp_path, minute, ok):
    tickets = [
        ["TK1", "C1", T(2026, 11, 9, 9, 0), "投诉", "重大", T(2026, 11, 10, 10, 0), T(2026, 11, 10, 9, 1)],
        ["TK2", "C2", T(2026, 11, 9, 9, 0), "报修", "一般", T(2026, 11, 10, 10, 0), None],
    ]
    visits = [
        visit("V1", "C1", T(2026, 11, 11, 10, minute), "投诉回访", "林晓雯", sat="满意"),
        visit("V2", "C2", T(2026, 11, 13, 10, minute), "维修回访", "林晓雯", sat="满意"),
    ]
    r = run(book(tmp_path, "property", visits=visits, tickets=tickets), as_of=D(2026, 12, 5))
    assert list(r.measures)[:3] == ["complaint_followup", "escalation", "repair_followup"]
    assert nd(r.measures["complaint_followup"]) == ((1 if ok else 0), 1)  # 24 h, to the minute
    assert nd(r.measures["repair_followup"]) == ((1 if ok else 0), 1)  # 72 h, to the minute
    assert nd(r.measures["escalation"]) == (0, 1)  # escalated 24 h 1 min after opening: late
    assert r.complaints["overdue"]["not_escalated_in_time"] == 1


def test_property_escalation_at_exactly_24_hours_is_in_time(tmp_path):
    tickets = [["TK1", "C1", T(2026, 11, 9, 9, 0), "投诉", "重大", T(2026, 11, 10, 10, 0), T(2026, 11, 10, 9, 0)]]
    r = run(book(tmp_path, "property", tickets=tickets), as_of=D(2026, 12, 5))
    assert nd(r.measures["escalation"]) == (1, 1) and r.targets["escalation"] == (100, True)


# ---- real estate: follow-up rate at least 80% ----------------------------------------------------


def test_real_estate_follow_up_rate_target(tmp_path):
    r = run(book(tmp_path, "real-estate"), as_of=D(2026, 12, 5))
    assert list(r.measures) == ["completion_tasks", "completion_customers", "satisfaction", "rated_share"]
    assert r.targets["completion_tasks"][0] == 80


def test_followup_toml_overrides_the_policys_kpis(tmp_path):
    toml = '[kpi]\nshow = ["satisfaction", "completion_tasks"]\ntargets = { satisfaction = 85 }\n'
    r = run(book(tmp_path, "sales", toml=toml), as_of=D(2026, 12, 5))
    assert list(r.measures) == ["satisfaction", "completion_tasks"]
    assert r.targets == {"satisfaction": (85, None)}  # nobody visited: no figure, neither met nor missed
    assert r.settings.complaint_followup_working_days == 5  # the rest stays the policy's
