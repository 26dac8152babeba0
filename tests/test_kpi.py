"""KPIs on small archives where every figure is worked out here by counting.

The main archive (period 2026-11, retail-vip preset; every customer 普通, so only the
product-use and after-sales rules make tasks):

  C1 林晓雯  bought new-season 10-30 → product_use due 11-06, done by V1 on 11-07
             return closed 11-10     → after_sales due 11-13, done by V2 on 11-14
  C2 林晓雯  bought 11-23            → product_use due 11-30 (window to 12-03), done by V6 on 12-02
  C3 陈雅琪  bought 11-01            → product_use due 11-08, dropped 11-25 undone: missed
  C4 陈雅琪  bought 11-20            → product_use due 11-27, still undone: open
  C5 陈雅琪  bought 10-24            → product_use due 10-31: an October task (done by V3 on 11-01)
  C6 林晓雯  bought 11-05, do-not-contact: never due
  C7 陈雅琪  bought 11-25            → product_use due 12-02: a December task
  C8 陈雅琪  no purchases
"""

from __future__ import annotations

import pytest

from followup_cli.errors import ConfigError, UsageProblem
from followup_cli.kpi import (
    KpiSettings,
    Period,
    band_for,
    long_rows,
    parse_period,
    period_between,
    settings_from_config,
    ticket_type,
    trend_period,
)
from tests.helpers import make_workbook
from tests.kpi_fixtures import CUSTOMER_HEADERS, VISIT_HEADERS, D, cust, main_archive, nd, run, value_archive, visit

# ---- periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, start, end, unit",
    [
        ("2026-11", D(2026, 11, 1), D(2026, 11, 30), "month"),
        ("2026-2", D(2026, 2, 1), D(2026, 2, 28), "month"),
        ("2028-02", D(2028, 2, 1), D(2028, 2, 29), "month"),
        ("202611", D(2026, 11, 1), D(2026, 11, 30), "month"),
        ("2026年11月", D(2026, 11, 1), D(2026, 11, 30), "month"),
        ("2026-Q4", D(2026, 10, 1), D(2026, 12, 31), "quarter"),
        ("2026q1", D(2026, 1, 1), D(2026, 3, 31), "quarter"),
        ("2026年第二季度", D(2026, 4, 1), D(2026, 6, 30), "quarter"),
        ("2026", D(2026, 1, 1), D(2026, 12, 31), "year"),
    ],
)
def test_parse_period(text, start, end, unit):
    p = parse_period(text)
    assert (p.start, p.end, p.unit) == (start, end, unit)


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "Nov 2026", "", "26-11"])
def test_bad_period_is_a_usage_problem(text):
    with pytest.raises(UsageProblem, match="is not a period"):
        parse_period(text)


def test_period_between_and_trend():
    assert period_between(D(2026, 11, 5), D(2026, 11, 20)).label == "2026-11-05..2026-11-20"
    with pytest.raises(UsageProblem, match="before it starts"):
        period_between(D(2026, 11, 5), D(2026, 11, 4))
    assert trend_period(parse_period("2026-11")).months == [
        "2026-06",
        "2026-07",
        "2026-08",
        "2026-09",
        "2026-10",
        "2026-11",
    ]
    q = parse_period("2026-Q4")
    assert trend_period(q) == q and q.months == ["2026-10", "2026-11", "2026-12"]


# ---- completion ----------------------------------------------------------------------------------


def test_completion_counted_by_hand(tmp_path):
    r = run(main_archive(tmp_path))
    # Tasks due in November: C1 product_use (done), C1 after_sales (done), C2 product_use (due 11-30, done 12-02),
    # C3 (missed), C4 (open). Not: C5's (due 10-31), C6 (do-not-contact), C7's (due 12-02).
    assert nd(r.measures["completion_tasks"]) == (3, 5)
    assert r.measures["completion_tasks"].value == 60.0
    # Customers: C1 all done, C2 done, C3 not, C4 not.
    assert nd(r.measures["completion_customers"]) == (2, 4)
    # C6's product-use task (due 11-12) is left out by policy: C6 said do not contact.
    assert r.task_counts == {
        "done": 3,
        "done_after_period": 1,
        "open": 1,
        "missed": 1,
        "unreachable": 0,
        "upcoming": 0,
        "left_out_cap": 0,
        "left_out_gap": 0,
        "left_out_do_not_contact": 1,
    }


def test_task_due_on_the_last_day_and_done_next_month(tmp_path):
    path = main_archive(tmp_path)
    # Reported on the period's last day, C2's visit of 12-02 has not happened yet: still open.
    at_end = run(path, as_of=D(2026, 11, 30))
    assert nd(at_end.measures["completion_tasks"]) == (2, 5)
    assert nd(at_end.measures["completion_customers"]) == (1, 4)
    assert at_end.task_counts["open"] == 2 and at_end.task_counts["done_after_period"] == 0
    # Reported after the visit, inside its window: done, and counted for November, its due month.
    after = run(path, as_of=D(2026, 12, 2))
    assert nd(after.measures["completion_tasks"]) == (3, 5)
    # December does not count it again (its due date is in November); its one task is C7's, undone.
    dec = run(path, period="2026-12", as_of=D(2026, 12, 5))
    assert nd(dec.measures["completion_tasks"]) == (0, 1)


def test_period_in_progress_counts_only_tasks_already_due(tmp_path):
    r = run(main_archive(tmp_path), as_of=D(2026, 11, 20))
    # Cut-off 11-20: C1's two tasks (done) and C3's (overdue, not yet dropped) are due;
    # C4's (bought 11-20, due 11-27) is upcoming; C2 has not bought yet.
    assert nd(r.measures["completion_tasks"]) == (2, 3)
    assert r.task_counts["upcoming"] == 1 and r.task_counts["open"] == 1
    assert r.cutoff == D(2026, 11, 20)


def test_period_after_the_as_of_date_is_refused(tmp_path):
    with pytest.raises(UsageProblem, match="starts after the as-of date"):
        run(main_archive(tmp_path), period="2026-12", as_of=D(2026, 11, 30))


# ---- satisfaction, score, recommend -----------------------------------------------------------------


def test_satisfaction_score_recommend(tmp_path):
    r = run(main_archive(tmp_path))
    # Satisfaction is per visited customer, by their last answer of the month (the seeds' definition):
    # C1: V1 满意 (11-07), then V2 非常满意 (11-14) → satisfied; C5: V3 一般; C8: V5 不满意 (on 11-30, the
    # last day); C3: V9 reached without an answer (V4 not reached); C4: V10 without an answer.
    # C6's V8 is a festival greeting without an answer: a greeting, not a visit. V6 (12-02) and V7
    # (10-31) are outside the month. Visited 5, satisfied 1, rated 3.
    assert nd(r.measures["satisfaction"]) == (1, 5)
    assert r.measures["satisfaction"].value == 20.0
    assert nd(r.measures["rated_share"]) == (3, 5)
    assert r.satisfaction_counts == {
        "very_satisfied": 1,
        "satisfied": 0,
        "neutral": 1,
        "dissatisfied": 1,
        "very_dissatisfied": 0,
    }
    assert nd(r.measures["avg_score"]) == (13.0, 4) and r.measures["avg_score"].value == 3.25
    assert nd(r.measures["recommend"]) == (1, 2)


def test_visit_on_the_last_day_of_the_month_belongs_to_it(tmp_path):
    path = main_archive(tmp_path)
    nov = run(path)
    dec = run(path, period="2026-12", as_of=D(2026, 12, 31))
    oct_ = run(path, period="2026-10", as_of=D(2026, 12, 31))
    assert nov.satisfaction_counts["dissatisfied"] == 1  # V5, 2026-11-30 19:30
    assert dec.satisfaction_counts["dissatisfied"] == 0
    assert nd(dec.measures["satisfaction"]) == (1, 2)  # C2's V6 非常满意; C5's V11 without an answer
    assert nd(oct_.measures["satisfaction"]) == (1, 1)  # V7, 2026-10-31: a greeting with an answer counts


# ---- issues ---------------------------------------------------------------------------------------


def test_resolution_from_the_visit_log(tmp_path):
    path = main_archive(tmp_path)
    r = run(path)
    # Raised in November: V2 (resolved 11-20: 6 days), V3 (open), V5 (raised 11-30, resolved 12-03: 3 days).
    assert r.issue_source == "visits"
    assert nd(r.measures["resolution"]) == (2, 3)
    assert r.measures["median_days"].value == 4.5 and r.measures["median_days"].denominator == 2
    assert [(i["customer_id"], i["resolved"], i["days"]) for i in r.issues] == [
        ("C5", False, None),
        ("C1", True, 6),
        ("C8", True, 3),
    ]
    # On the last day of the month V5's issue is not resolved yet.
    at_end = run(path, as_of=D(2026, 11, 30))
    assert nd(at_end.measures["resolution"]) == (1, 3) and at_end.measures["median_days"].value == 6


def test_issue_tracking_sheet_is_used_when_present(tmp_path):
    issues = [
        ["I1", "V2", "C1", D(2026, 11, 14), "产品质量", "拉链坏了", "是", D(2026, 11, 20)],
        ["I2", "V3", "C5", D(2026, 11, 1), "其他", "希望多些大码", "否", None],
        ["I3", None, "C3", D(2026, 10, 31), "价格", "觉得贵", "否", None],  # October
        ["I4", None, "C4", D(2026, 11, 30), "服务", "等太久", None, D(2026, 12, 4)],
    ]
    r = run(main_archive(tmp_path, issues=issues))
    assert r.issue_source == "sheet"
    assert nd(r.measures["resolution"]) == (2, 3)  # I1, I4 of I1, I2, I4
    assert r.measures["median_days"].value == 5  # 6 and 4 days
    assert {i["ref"]: i["staff"] for i in r.issues} == {"I1": "林晓雯", "I2": "陈雅琪", "I4": "陈雅琪"}
    assert r.issue_counts == {"product": 1, "service": 1, "other": 1}


def test_an_empty_issue_sheet_means_no_issues(tmp_path):
    r = run(main_archive(tmp_path, issues=[]))
    assert r.issue_source == "sheet" and nd(r.measures["resolution"]) == (0, 0)
    assert r.measures["resolution"].value is None


# ---- record accuracy ---------------------------------------------------------------------------------


def test_accuracy_from_spot_checks(tmp_path):
    r = run(main_archive(tmp_path), by=("staff",))
    # November's checked visits: V1 (last verdict 不准确), V3 不准确, V5 准确; V7 is October's.
    assert nd(r.measures["accuracy"]) == (1, 3)
    staff = dict(r.groups["staff"])
    assert nd(staff["林晓雯"]["accuracy"]) == (0, 1)
    assert nd(staff["陈雅琪"]["accuracy"]) == (1, 2)
    assert nd(run(main_archive(tmp_path), period="2026-10", as_of=D(2026, 12, 5)).measures["accuracy"]) == (1, 1)


def test_checks_after_the_report_day_are_not_seen(tmp_path):
    r = run(main_archive(tmp_path), as_of=D(2026, 12, 2))
    # The re-check of V1 on 12-03 has not happened: V1 准确, V3 不准确, V5 准确.
    assert nd(r.measures["accuracy"]) == (2, 3)


def test_no_audit_sheet_no_accuracy(tmp_path):
    r = run(main_archive(tmp_path, audits=False))
    assert r.measures["accuracy"].value is None and nd(r.measures["accuracy"]) == (0, 0)


# ---- tickets --------------------------------------------------------------------------------------


def test_ticket_follow_up_within_72_hours_and_escalation(tmp_path):
    path = main_archive(tmp_path)
    r = run(path)
    # Repairs and complaints closed in November: TK2 (visit 47 h later: yes), TK3 (73 h: no),
    # TK4 (closed 11-30 18:00, visit on 12-02 without a time: 2 days, yes), TK6 (no visit: no).
    # TK1 is a return; TK5 closes in December.
    assert nd(r.measures["ticket_followup"]) == (2, 4)
    # Major complaints opened in November: TK4 (escalated after 23 h: yes), TK5 (25 h: no).
    assert nd(r.measures["escalation"]) == (1, 2)
    # On the last day of November TK4's follow-up has not happened yet.
    assert nd(run(path, as_of=D(2026, 11, 30)).measures["ticket_followup"]) == (1, 4)


def test_complaint_summary_by_type_severity_status_and_overdue(tmp_path):
    r = run(main_archive(tmp_path))
    # Opened in November: TK1 退换, TK2 维修, TK3 维修, TK4 投诉 重大, TK5 投诉 重大, TK6 投诉.
    assert r.complaints["type"] == {"complaint": 3, "repair": 2, "return": 1}
    assert r.complaints["severity"] == {"major": 2, "general": 4}
    assert r.complaints["status"] == {"open": 1, "closed": 5}  # TK5 closes on 12-10, after the cut-off
    # Not closed within 72 h: TK2 (73 h), TK5 (open); TK1 closed at 00:00 two days on counts by days.
    # Not escalated within 24 h: TK5 (25 h); TK4 was escalated after 23 h.
    assert r.complaints["overdue"] == {"not_closed_in_time": 2, "not_escalated_in_time": 1}
    week = run(main_archive(tmp_path), period="2026-W45", as_of=D(2026, 12, 5))  # 11-02..11-08: TK1, TK2, TK6
    assert week.complaints["type"] == {"complaint": 1, "repair": 1, "return": 1}
    assert week.complaints["overdue"] == {"not_closed_in_time": 1, "not_escalated_in_time": 0}


def test_no_escalation_column_no_escalation_figure(tmp_path):
    from tests.kpi_fixtures import MAIN_TICKETS, TICKET_HEADERS

    tickets = [TICKET_HEADERS[:-1]] + [t[:-1] for t in MAIN_TICKETS]
    r = run(main_archive(tmp_path, extra={"售后工单": tickets}))
    assert "escalation" not in r.measures  # nothing recorded escalations: the row cannot apply
    assert nd(r.measures["ticket_followup"]) == (2, 4)
    assert any("上报时间" in zh for zh, _ in r.notes)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("维修", "repair"),
        ("报修", "repair"),
        ("上门维修单", "repair"),
        ("投诉", "complaint"),
        ("客户投诉", "complaint"),
        ("退换货", "return"),
        ("exchange", "return"),
        ("咨询", None),
        (None, None),
    ],
)
def test_ticket_types(text, kind):
    assert ticket_type(text) == kind


# ---- grouping and ranking ---------------------------------------------------------------------------


def test_by_staff_ranking_and_bands(tmp_path):
    r = run(main_archive(tmp_path), by=("staff",))
    staff = dict(r.groups["staff"])
    # 林晓雯: tasks C1×2, C2 all done; visited C1 (V1 满意, then V2 非常满意); C6's V8 is a greeting.
    assert nd(staff["林晓雯"]["completion_tasks"]) == (3, 3)
    assert nd(staff["林晓雯"]["satisfaction"]) == (1, 1)
    # 陈雅琪: tasks C3 missed, C4 open; visited C5 (V3 一般), C8 (V5 不满意), C3 and C4 (no answer).
    assert nd(staff["陈雅琪"]["completion_tasks"]) == (0, 2)
    assert nd(staff["陈雅琪"]["satisfaction"]) == (0, 4)
    # Two rated visits each (V1, V2; V3, V5): below the default minimum of 5, no bonus band yet.
    assert [(x["rank"], x["staff"], x["band"], x["rated"]) for x in r.ranking] == [
        (1, "林晓雯", "too_few", 2),
        (2, "陈雅琪", "too_few", 2),
    ]
    assert r.ranking[0]["band_zh"] == "评价太少，不评档" and r.ranking[0]["band_en"] == "too few to rate"
    # Tickets count for the customer's owner, or whoever followed up.
    assert nd(staff["陈雅琪"]["ticket_followup"]) == (2, 4)


@pytest.mark.parametrize(
    "minimum, bands", [(2, ["bonus", "no_bonus"]), (3, ["too_few", "too_few"]), (0, ["bonus", "no_bonus"])]
)
def test_bonus_bands_need_enough_rated_visits(tmp_path, minimum, bands):
    r = run(main_archive(tmp_path, toml=f"[kpi]\nmin_rated_visits = {minimum}\n"), by=("staff",))
    assert [x["band"] for x in r.ranking] == bands  # each has 2 rated visits


def test_by_store_kind_month_quarter(tmp_path):
    r = run(main_archive(tmp_path), by=("store", "kind", "month", "quarter"))
    store = dict(r.groups["store"])
    assert nd(store["南京路店"]["completion_tasks"]) == (3, 3)
    assert nd(store["淮海路店"]["completion_tasks"]) == (0, 2)
    kind = dict(r.groups["kind"])
    assert nd(kind["product_use"]["completion_tasks"]) == (2, 4)
    assert nd(kind["after_sales"]["completion_tasks"]) == (1, 1)
    assert nd(kind["survey"]["satisfaction"]) == (0, 1)
    weeks = run(main_archive(tmp_path), by=("week",))
    assert [k for k, _ in weeks.groups["week"]] == [
        "2026-W44",
        "2026-W45",
        "2026-W46",
        "2026-W47",
        "2026-W48",
        "2026-W49",
    ]
    assert [k for k, _ in r.groups["month"]] == ["2026-11"]
    assert [k for k, _ in r.groups["quarter"]] == ["2026-Q4"]


@pytest.mark.parametrize(
    "pct, band",
    [
        (95, "bonus"),
        (90.01, "bonus"),
        (90, "standard"),
        (70, "standard"),
        (69.9, "warning"),
        (50, "warning"),
        (49.99, "no_bonus"),
        (0, "no_bonus"),
        (None, None),
    ],
)
def test_default_bands_at_their_edges(pct, band):
    got = band_for(pct, KpiSettings().bands)
    assert (got.id if got else None) == band


def test_bands_from_followup_toml(tmp_path):
    toml = """
[kpi]
min_rated_visits = 1
bands = [
  { id = "gold", over = 80, zh = "金牌", en = "gold" },
  { id = "rest", min = 0, zh = "其他", en = "rest" },
]
"""
    r = run(main_archive(tmp_path, toml=toml), by=("staff",))
    assert [(x["staff"], x["band"], x["band_zh"]) for x in r.ranking] == [
        ("林晓雯", "gold", "金牌"),
        ("陈雅琪", "rest", "其他"),
    ]


@pytest.mark.parametrize(
    "kpi, message",
    [
        ({"bands": [{"over": 90, "min": 50}]}, "exactly one of over"),
        ({"bands": [{"min": 50}, {"min": 70}]}, "highest threshold down"),
        ({"bands": [{"min": 150}]}, "between 0 and 100"),
        ({"bands": "high"}, "list of tables"),
        ({"top_share": 0}, "between 0 and 100"),
        ({"win_back_days": -1}, "whole number"),
        ({"speed": 1}, "unknown setting"),
    ],
)
def test_bad_kpi_settings(kpi, message):
    with pytest.raises(ConfigError, match=message):
        settings_from_config({"kpi": kpi})


# ---- projects ----------------------------------------------------------------------------------------


def test_project_visits(tmp_path):
    sheets = {
        "客户档案": [CUSTOMER_HEADERS, cust("C1", "林晓雯"), cust("C2", "林晓雯"), cust("C3", "林晓雯")],
        "工程": [
            ["项目编号", "客户编号", "开工日期", "竣工日期"],
            ["P1", "C1", D(2026, 9, 1), D(2026, 11, 10)],
            ["P2", "C2", D(2026, 10, 1), D(2026, 11, 30)],  # completed on the month's last day
            ["P3", "C3", D(2026, 8, 1), D(2026, 12, 15)],  # completes in December
            ["P4", "C1", D(2026, 11, 20), None],
        ],  # C1's next project
        "回访记录": [
            VISIT_HEADERS,
            visit("V1", "C1", D(2026, 9, 11), "开工回访", "林晓雯"),
            visit("V2", "C1", D(2026, 10, 5), "中期回访", "林晓雯"),
            visit("V3", "C1", D(2026, 10, 20), "中期回访", "林晓雯", outcome="未接通"),
            visit("V4", "C1", D(2026, 11, 15), "竣工回访", "林晓雯"),
            visit("V5", "C1", D(2026, 11, 25), "开工回访", "林晓雯"),  # P4's
            visit("V6", "C2", D(2026, 10, 11), "开工回访", "林晓雯"),
            visit("V7", "C2", D(2026, 12, 3), "竣工回访", "林晓雯"),  # after the period, before the report day
            visit("V8", "C3", D(2026, 9, 1), "开工回访", "林晓雯"),
        ],
    }
    path = make_workbook(tmp_path / "projects.xlsx", sheets)
    (tmp_path / "followup.toml").write_text('preset = "decoration"\n', encoding="utf-8")
    r = run(path)
    # Completed in November: P1 (V1, V2, V4 = 3 reached project visits), P2 (V6, V7 = 2).
    assert nd(r.measures["project_visits"]) == (5, 2) and r.measures["project_visits"].value == 2.5
    assert nd(r.measures["project_min_visits"]) == (1, 2)
    # Seen on the last day of November, P2 has one visit.
    assert nd(run(path, as_of=D(2026, 11, 30)).measures["project_visits"]) == (4, 2)


# ---- customer value --------------------------------------------------------------------------------


def test_customer_value(tmp_path):
    r = run(value_archive(tmp_path), as_of=D(2026, 12, 31))
    m = r.measures
    # VIPs (VIP, 金卡): C1 1500 + C7 200 = 1700 in 2026-11; C1 800 + C2 400 = 1200 in 2025-11.
    assert nd(m["vip_spend"]) == (1700, 1200) and m["vip_spend"].value == round(100 * 500 / 1200, 2)
    # Per buying customer: 2000 / 3 (C1, C3, C7) against 1300 / 3 (C1, C2, C3).
    assert nd(m["spend_per_customer"]) == (round(2000 / 3, 2), round(1300 / 3, 2))
    assert m["spend_per_customer"].value == round(100 * (2000 / 3 - 1300 / 3) / (1300 / 3), 2)
    # Idle days at 11-30: C1 10, C2 121, C3 15, C4 71, C5 46 (archive date), C7 2; C6 not yet a customer.
    assert nd(m["dormant_60"]) == (2, 6) and nd(m["dormant_90"]) == (1, 6)
    # Reached dormant follow-ups: C7 (bought 18 days later), C2 (did not).
    assert nd(m["won_back"]) == (1, 2)
    # Buyers 1500, 300, 200: the top 20% of 3 is 1 customer (rounded up): 1500 / 2000.
    assert nd(m["top_share"]) == (1500, 2000) and m["top_share"].value == 75.0


def test_value_with_the_period_in_progress(tmp_path):
    r = run(value_archive(tmp_path), as_of=D(2026, 11, 20))
    # Cut-off 11-20 (its purchases count), compared with 2025-11-01..2025-11-20.
    assert nd(r.measures["vip_spend"]) == (1500, 1200)
    assert nd(r.measures["top_share"]) == (1500, 1800)


def test_won_back_needs_the_purchase_within_30_days(tmp_path):
    r = run(value_archive(tmp_path), as_of=D(2026, 11, 27))
    # On 11-27 C7 has not bought again yet.
    assert nd(r.measures["won_back"]) == (0, 2)


# ---- seasonal summary -----------------------------------------------------------------------------


def test_season_is_automatic_in_season_months_only(tmp_path):
    path = main_archive(tmp_path)
    assert run(path).season is False and run(path).suggestions == []
    assert run(path, season=True).season is True
    dec = run(path, period="2026-12", as_of=D(2026, 12, 31))
    assert dec.season is True
    assert run(path, period="2026-12", as_of=D(2026, 12, 31), season=False).season is False


def test_seasonal_summary_counts_and_suggestions(tmp_path):
    r = run(main_archive(tmp_path), season=True)
    assert r.issue_counts == {"product": 1, "service": 1, "other": 1}
    assert [(s["date"], s["customer_id"], s["text"]) for s in r.suggestions] == [
        (D(2026, 11, 1), "C5", "希望多些大码"),
        (D(2026, 11, 1), "C5", "客户建议周末延长营业"),
        (D(2026, 11, 14), "C1", "拉链坏了"),
        (D(2026, 11, 30), "C8", "店员态度差"),
    ]


# ---- flat rows --------------------------------------------------------------------------------------


def test_long_rows_have_every_kpi_with_numerator_and_denominator(tmp_path):
    r = run(main_archive(tmp_path), by=("staff",), season=True)
    rows = long_rows(r, "en")
    shop = {x["kpi"]: x for x in rows if x["group_by"] == ""}
    assert set(shop) == set(r.measures)
    assert (shop["satisfaction"]["numerator"], shop["satisfaction"]["denominator"]) == (1, 5)
    assert {(x["group"], x["value"]) for x in rows if x["kpi"] == "rank"} == {("林晓雯", 1), ("陈雅琪", 2)}
    assert any(x["section"] == "suggestions" and x["value"] == "拉链坏了" for x in rows)
    assert not any("1380000" in str(v) for x in rows for v in x.values())


def test_same_inputs_same_figures(tmp_path):
    path = main_archive(tmp_path)
    a, b = run(path, by=("staff", "month")), run(path, by=("staff", "month"))
    assert long_rows(a, "zh") == long_rows(b, "zh")


def test_custom_range(tmp_path):
    r = run(main_archive(tmp_path), period=Period(D(2026, 11, 1), D(2026, 11, 10), "x", "range"))
    # Tasks due 11-01..11-10: C1 product_use (done), C3 (11-08, open at the cut-off, missed by the report day).
    assert nd(r.measures["completion_tasks"]) == (1, 2)
    assert r.task_counts["missed"] == 1
