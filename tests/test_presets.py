"""The trade presets: every interval at its boundaries on small real workbooks, and each preset's
sample archive through `followup due` on the demo day and across a year."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import followup_cli.calendar as cal
from followup_cli.archive.reading import load_archive
from followup_cli.cli import cli
from followup_cli.config import load_config
from followup_cli.outputs.due_list import due
from followup_cli.policy.rules import build_policy, preset_ids
from tests.helpers import make_workbook

D = dt.date
SAMPLES = Path(__file__).resolve().parents[1] / "sample_workbooks"
TRADE_PRESETS = ("distributor", "sales", "health", "decoration", "real-estate", "property")

# ---- small real workbooks -----------------------------------------------------------------------

CUSTOMER_COLUMNS = {
    "id": "客户编号",
    "name": "姓名",
    "gender": "性别",
    "phone": "手机",
    "birthday": "生日",
    "grade": "客户等级",
    "type": "客户类型",
    "source": "来源",
    "store": "门店",
    "owner": "负责人",
    "archived_on": "建档日期",
    "visited_on": "到访日期",
    "bought_on": "成交日期",
    "buyer": "是否购买",
    "dnc": "拒绝回访",
}


def cust(cid="C1", **fields):
    row = {
        "id": cid,
        "name": "王芳",
        "gender": "女",
        "phone": "13800000001",
        "owner": "林晓雯",
        "archived_on": D(2025, 1, 10),
    }
    row.update(fields)
    return row


def book(
    tmp_path,
    customers=None,
    purchases=(),
    visits=(),
    tickets=(),
    projects=(),
    milestones=(),
    staff=(),
    name="archive.xlsx",
):
    """A workbook with Chinese headers. Rows are lists in the header order below; customers are dicts."""
    customers = customers or [cust()]
    sheets = {
        "客户档案": [list(CUSTOMER_COLUMNS.values())] + [[c.get(k) for k in CUSTOMER_COLUMNS] for c in customers],
        # customer, date, product, shipped on
        "订单": [["客户编号", "下单日期", "产品名称", "发货日期"]] + [list(p) for p in purchases],
        # customer, date, kind, outcome
        "回访记录": [["客户编号", "回访日期", "回访类型", "结果"]] + [list(v) for v in visits],
        # customer, type, severity, opened at, closed at
        "工单": [["客户编号", "工单类型", "严重程度", "受理时间", "结案时间"]] + [list(t) for t in tickets],
        # customer, started, mid payment, completed, warranty start
        "工程": [["客户编号", "开工日期", "中期款日期", "竣工日期", "保修开始"]] + [list(p) for p in projects],
        # date, name, kind, customer (a sign-in row) or None (for everyone)
        "节点": [["日期", "名称", "类型", "客户编号"]] + [list(m) for m in milestones],
        # name, role
        "员工": [["姓名", "角色"]] + [list(s) for s in staff],
    }
    return make_workbook(tmp_path / name, sheets)


def run(path, preset, as_of, ahead=0):
    config = load_config([path], preset=preset)
    return due(load_archive([path], config), config, as_of, ahead=ahead)


def rows(path, preset, as_of, rule=None, ahead=0):
    return [r for r in run(path, preset, as_of, ahead).rows if rule is None or r["rule"] == rule]


def statuses(path, preset, rule, days, customer="C1", due_date=None):
    """{as-of day: the rule's status for the customer that day, or None when not listed}.

    With due_date, only the occurrence due that day (a repeating rule may list the next one
    while the last is still overdue).
    """
    out = {}
    for d in days:
        found = [
            r
            for r in rows(path, preset, d, rule)
            if r["customer_id"] == customer and (due_date is None or r["due_date"] == due_date)
        ]
        assert len(found) <= 1, found
        out[d] = found[0]["status"] if found else None
    return out


def days(*pairs):
    return [D(2026, m, d) for m, d in pairs]


# ---- distributor ----------------------------------------------------------------------------------


def test_distributor_new_customer_within_3_days(tmp_path):
    path = book(tmp_path, [cust(archived_on=D(2026, 11, 20))])
    got = statuses(path, "distributor", "new_customer", days((11, 19), (11, 20), (11, 23), (11, 24), (12, 7), (12, 8)))
    assert got == dict(
        zip(
            days((11, 19), (11, 20), (11, 23), (11, 24), (12, 7), (12, 8)),
            [None, "due", "due", "overdue", "overdue", None],
        )
    )
    row = rows(path, "distributor", D(2026, 11, 20), "new_customer")[0]
    assert (row["due_date"], row["window_end"], row["kind"]) == (D(2026, 11, 20), D(2026, 11, 23), "new_customer")


def test_distributor_shipment_day_3_for_everyone(tmp_path):
    path = book(tmp_path, [cust(type="一般客户")], purchases=[["C1", D(2026, 11, 9), "养生酒礼盒", D(2026, 11, 10)]])
    checks = days((11, 12), (11, 13), (11, 14), (11, 15), (11, 21), (11, 22))
    assert statuses(path, "distributor", "shipment_arrival", checks) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )
    assert "养生酒礼盒" in rows(path, "distributor", D(2026, 11, 13), "shipment_arrival")[0]["reason"]
    # day 7 and day 21 are for dealers and partners only
    for d in days((11, 17), (12, 1)):
        assert [r["rule"] for r in rows(path, "distributor", d) if r["rule"] != "shipment_arrival"] == []


@pytest.mark.parametrize("ctype", ["经销商", "合作伙伴", "dealer"])
def test_distributor_sell_through_day_7_and_market_day_21_for_dealers(tmp_path, ctype):
    path = book(tmp_path, [cust(type=ctype)], purchases=[["C1", D(2026, 11, 9), "养生酒", D(2026, 11, 10)]])
    checks = days((11, 16), (11, 17), (11, 19), (11, 20), (11, 26), (11, 27))
    assert statuses(path, "distributor", "shipment_sell_through", checks) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )
    checks = days((11, 30), (12, 1), (12, 4), (12, 5), (12, 14), (12, 15))
    assert statuses(path, "distributor", "shipment_market", checks) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )


def test_distributor_no_ship_date_no_shipment_calls(tmp_path):
    path = book(tmp_path, [cust(type="经销商")], purchases=[["C1", D(2026, 11, 9), "养生酒", None]])
    assert [r for r in rows(path, "distributor", D(2026, 11, 13)) if r["kind"] == "shipment"] == []


def test_distributor_day_3_call_does_not_close_the_day_7_call(tmp_path):
    path = book(
        tmp_path,
        [cust(type="经销商")],
        purchases=[["C1", D(2026, 11, 9), "养生酒", D(2026, 11, 10)]],
        visits=[["C1", D(2026, 11, 13), "到货确认", "已联系"]],
    )
    assert rows(path, "distributor", D(2026, 11, 13), "shipment_arrival") == []
    assert [r["status"] for r in rows(path, "distributor", D(2026, 11, 17), "shipment_sell_through")] == ["due"]


def test_distributor_festival_and_birthday(tmp_path):
    path = book(tmp_path, [cust(birthday=D(1975, 11, 23), type="经销商")])
    mid_autumn = cal.festival_date("中秋", 2026)
    assert [r["channel"] for r in rows(path, "distributor", mid_autumn, "festival_sms")] == ["sms"]
    assert rows(path, "distributor", mid_autumn + dt.timedelta(days=1), "festival_sms") == []
    checks = days((11, 22), (11, 23), (11, 24), (11, 26), (11, 27))
    assert statuses(path, "distributor", "birthday", checks) == dict(
        zip(checks, [None, "due", "overdue", "overdue", None])
    )


@pytest.mark.parametrize(
    "day, expected",
    [
        (D(2026, 11, 23), "工作日 14:30-17:30"),  # a Monday: no morning calls
        (D(2026, 11, 21), "休息日 10:00-11:30, 14:30-17:30"),  # a Saturday
        (D(2026, 10, 1), "休息日 10:00-11:30, 14:30-17:30"),  # National Day, a Thursday
        (D(2026, 9, 20), "工作日 14:30-17:30"),  # a Sunday worked to make up for the holiday
    ],
)
def test_distributor_call_windows_by_day(tmp_path, day, expected):
    path = book(tmp_path, [cust(archived_on=day)])
    assert [r["best_time"] for r in rows(path, "distributor", day, "new_customer")] == [expected]


# ---- sales ------------------------------------------------------------------------------------


def test_sales_new_customer_3_working_days_after_the_first_purchase(tmp_path):
    path = book(tmp_path, [cust()], purchases=[["C1", D(2026, 11, 20), "复印机", None]])  # a Friday
    checks = days((11, 24), (11, 25), (11, 27), (11, 28), (12, 11), (12, 12))
    assert statuses(path, "sales", "new_customer", checks) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )


def test_sales_new_customer_within_3_working_days_a_call_the_next_day_completes_it(tmp_path):
    # Bought on Friday 11-20, called on Saturday 11-21: more than early_days (3) before the due
    # day 11-25, but "within 3 working days" of the purchase.
    path = book(
        tmp_path,
        [cust()],
        purchases=[["C1", D(2026, 11, 20), "复印机", None]],
        visits=[["C1", D(2026, 11, 21), "首次回访", "已联系"]],
    )
    assert [statuses(path, "sales", "new_customer", [d])[d] for d in days((11, 25), (11, 27))] == [None, None]
    before = book(
        tmp_path,
        [cust()],
        purchases=[["C1", D(2026, 11, 20), "复印机", None]],
        visits=[["C1", D(2026, 11, 19), "首次回访", "已联系"]],
        name="before.xlsx",
    )
    assert statuses(before, "sales", "new_customer", days((11, 25)))[D(2026, 11, 25)] == "due"  # before the trigger


def test_sales_new_customer_only_for_the_first_purchase(tmp_path):
    path = book(
        tmp_path, [cust()], purchases=[["C1", D(2026, 6, 1), "打印机", None], ["C1", D(2026, 11, 20), "复印机", None]]
    )
    assert rows(path, "sales", D(2026, 11, 25), "new_customer") == []


def test_sales_new_customer_counts_working_days_over_national_day(tmp_path):
    path = book(tmp_path, [cust()], purchases=[["C1", D(2026, 9, 29), "复印机", None]])
    expected = cal.WorkCalendar().add_workdays(D(2026, 9, 29), 3)
    assert expected == D(2026, 10, 9)  # 9-30, then the holiday to 10-07, then 10-08 and 10-09
    assert rows(path, "sales", expected - dt.timedelta(days=1), "new_customer") == []
    assert [r["due_date"] for r in rows(path, "sales", expected, "new_customer")] == [expected]


def test_sales_existing_customers_every_3_months(tmp_path):
    path = book(tmp_path, [cust(archived_on=D(2026, 1, 10))], purchases=[["C1", D(2026, 1, 10), "打印机", None]])
    checks = days((4, 9), (4, 10), (4, 17), (4, 18), (5, 8), (5, 9))
    assert statuses(path, "sales", "periodic", checks) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )
    assert rows(path, "sales", D(2026, 4, 10), "periodic")[0]["channel"] == "phone"


def test_sales_periodic_clock_restarts_at_a_contact(tmp_path):
    path = book(
        tmp_path,
        [cust(archived_on=D(2026, 1, 10))],
        purchases=[["C1", D(2026, 1, 10), "打印机", None]],
        visits=[["C1", D(2026, 3, 1), "例行回访", "已联系"]],
    )
    assert rows(path, "sales", D(2026, 4, 10), "periodic") == []
    assert [r["due_date"] for r in rows(path, "sales", D(2026, 6, 1), "periodic")] == [D(2026, 6, 1)]


def test_sales_periodic_needs_a_purchase_and_key_accounts_are_visited(tmp_path):
    path = book(
        tmp_path,
        [cust("C1", archived_on=D(2026, 1, 10)), cust("C2", archived_on=D(2026, 1, 10), grade="A")],
        purchases=[["C2", D(2026, 1, 12), "打印机", None]],
    )
    got = rows(path, "sales", D(2026, 4, 10))
    assert [(r["customer_id"], r["rule"], r["channel"]) for r in got] == [("C2", "periodic_key", "onsite")]


def test_sales_major_project_5_working_days_after_completion(tmp_path):
    path = book(tmp_path, [cust()], projects=[["C1", D(2026, 9, 1), None, D(2026, 11, 20), None]])
    checks = days((11, 26), (11, 27), (11, 30), (12, 1), (12, 15), (12, 16))
    assert statuses(path, "sales", "project", checks) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )


def test_sales_complaint_5_working_days_after_the_resolution(tmp_path):
    path = book(
        tmp_path,
        [cust("C1"), cust("C2")],
        tickets=[
            ["C1", "投诉", "一般", D(2026, 11, 16), D(2026, 11, 20)],
            ["C2", "报修", "一般", D(2026, 11, 16), D(2026, 11, 20)],
        ],
    )
    checks = days((11, 26), (11, 27), (11, 29), (11, 30), (12, 9), (12, 10))
    assert statuses(path, "sales", "complaint", checks) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )
    assert statuses(path, "sales", "complaint", days((11, 27)), customer="C2") == {D(2026, 11, 27): None}


def test_sales_event_follow_up_for_the_customers_who_came(tmp_path):
    path = book(
        tmp_path,
        [cust("C1"), cust("C2")],
        milestones=[
            [D(2026, 11, 20), "智慧办公体验日", "促销活动", "C1"],
            [D(2026, 11, 20), "门店周年庆", "促销活动", None],
        ],
    )
    checks = days((11, 24), (11, 25), (11, 28), (11, 29), (12, 8), (12, 9))
    assert statuses(path, "sales", "event", checks) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )
    assert [r["customer_id"] for r in rows(path, "sales", D(2026, 11, 25), "event")] == ["C1"]
    assert "智慧办公体验日" in rows(path, "sales", D(2026, 11, 25), "event")[0]["reason"]


# ---- health -----------------------------------------------------------------------------------

HEALTH_STAFF = [["林晓雯", "满意代表"], ["林国华", "医生"]]


def test_health_first_call_on_day_3_for_everyone(tmp_path):
    path = book(
        tmp_path,
        [cust("C1", archived_on=D(2026, 11, 1)), cust("C2", archived_on=D(2026, 11, 1))],
        purchases=[["C1", D(2026, 11, 1), "鱼油", None]],
        staff=HEALTH_STAFF,
    )
    checks = days((11, 3), (11, 4), (11, 6), (11, 7), (11, 16), (11, 17))
    for c in ("C1", "C2"):
        assert statuses(path, "health", "first_call", checks, customer=c) == dict(
            zip(checks, [None, "due", "due", "overdue", "overdue", None])
        )


def test_health_buyers_on_days_30_and_60(tmp_path):
    path = book(
        tmp_path, [cust(archived_on=D(2026, 8, 1))], purchases=[["C1", D(2026, 8, 1), "鱼油", None]], staff=HEALTH_STAFF
    )
    checks = days((8, 30), (8, 31), (9, 5), (9, 6), (9, 25), (9, 26), (9, 29), (9, 30), (10, 5), (10, 6))
    assert statuses(path, "health", "buyer_followup", checks) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None, None, "due", "due", "overdue"])
    )


def test_health_within_30_days_a_call_on_day_17_completes_the_day_30_stage_only(tmp_path):
    path = book(
        tmp_path,
        [cust(archived_on=D(2026, 8, 1))],
        purchases=[["C1", D(2026, 8, 1), "鱼油", None]],
        visits=[["C1", D(2026, 8, 18), "使用回访", "已联系"]],
        staff=HEALTH_STAFF,
    )
    assert rows(path, "health", D(2026, 8, 31), "buyer_followup") == []  # day 30: done on day 17
    later = rows(path, "health", D(2026, 9, 30), "buyer_followup")  # day 60: its window opens on day 31
    assert [(r["due_date"], r["status"]) for r in later] == [(D(2026, 9, 30), "due")]


def test_health_non_buyers_on_day_15_until_they_buy(tmp_path):
    path = book(tmp_path, [cust(archived_on=D(2026, 8, 1))], staff=HEALTH_STAFF)
    checks = days((8, 15), (8, 16), (8, 19), (8, 20), (9, 2), (9, 3))
    assert statuses(path, "health", "nonbuyer_followup", checks) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )
    assert rows(path, "health", D(2026, 8, 31), "buyer_followup") == []
    bought = book(
        tmp_path,
        [cust(archived_on=D(2026, 8, 1))],
        purchases=[["C1", D(2026, 8, 10), "鱼油", None]],
        staff=HEALTH_STAFF,
        name="bought.xlsx",
    )
    assert rows(bought, "health", D(2026, 8, 16), "nonbuyer_followup") == []
    assert rows(bought, "health", D(2026, 8, 31), "buyer_followup") != []


def test_health_buyer_flag_counts_without_purchase_rows(tmp_path):
    path = book(tmp_path, [cust(archived_on=D(2026, 8, 1), buyer="是")], staff=HEALTH_STAFF)
    assert rows(path, "health", D(2026, 8, 16), "nonbuyer_followup") == []
    assert [r["staff"] for r in rows(path, "health", D(2026, 8, 16), "doctor_call")] == ["林国华"]


def test_health_doctor_calls_buyers_on_days_15_30_60(tmp_path):
    path = book(
        tmp_path, [cust(archived_on=D(2026, 8, 1))], purchases=[["C1", D(2026, 8, 1), "鱼油", None]], staff=HEALTH_STAFF
    )
    checks = days((8, 15), (8, 16), (8, 19), (8, 20), (9, 2), (9, 3))
    assert statuses(path, "health", "doctor_call", checks, due_date=D(2026, 8, 16)) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )
    for day in (D(2026, 8, 31), D(2026, 9, 30)):  # days 30 and 60
        assert statuses(path, "health", "doctor_call", [day - dt.timedelta(days=1), day], due_date=day) == {
            day - dt.timedelta(days=1): None,
            day: "due",
        }
    on_day_30 = rows(path, "health", D(2026, 8, 31))
    staff = {r["rule"]: r["staff"] for r in on_day_30}
    assert staff == {"doctor_call": "林国华", "buyer_followup": "林晓雯"}
    contacts = {r["rule"]: r["contact"] for r in on_day_30}
    assert contacts["doctor_call"] != contacts["buyer_followup"]  # two people, two calls


def test_health_doctor_calls_are_not_for_non_buyers(tmp_path):
    path = book(tmp_path, [cust(archived_on=D(2026, 8, 1))], staff=HEALTH_STAFF)
    assert rows(path, "health", D(2026, 8, 16), "doctor_call") == []


def test_health_double_ninth_greeting(tmp_path):
    path = book(tmp_path, [cust()], staff=HEALTH_STAFF)
    day = cal.festival_date("重阳", 2026)
    assert [r["reason"] for r in rows(path, "health", day, "festival_sms")] == [f"{day} 是重阳节，发节日问候"]


# ---- decoration -------------------------------------------------------------------------------


def test_decoration_early_visit_10_days_after_start(tmp_path):
    path = book(tmp_path, projects=[["C1", D(2026, 11, 1), None, None, None]])
    checks = days((11, 10), (11, 11), (11, 14), (11, 15), (11, 28), (11, 29))
    assert statuses(path, "decoration", "project_start", checks) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )


def test_decoration_mid_visit_within_3_days_of_the_mid_payment(tmp_path):
    path = book(tmp_path, projects=[["C1", D(2026, 10, 1), D(2026, 11, 20), None, None]])
    checks = days((11, 19), (11, 20), (11, 23), (11, 24), (12, 3), (12, 4))
    assert statuses(path, "decoration", "project_mid", checks) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )


def test_decoration_completion_visit_within_10_days(tmp_path):
    path = book(tmp_path, projects=[["C1", D(2026, 8, 1), None, D(2026, 11, 20), None]])
    checks = days((11, 19), (11, 20), (11, 30), (12, 1), (12, 20), (12, 21))
    assert statuses(path, "decoration", "project_completion", checks) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )


WARRANTY_DUES = [
    D(2025, 4, 15),
    D(2025, 7, 15),
    D(2025, 10, 15),
    D(2026, 1, 15),  # quarterly in year 1
    D(2026, 7, 15),
    D(2027, 1, 15),  # six-monthly in year 2
    D(2028, 1, 15),
    D(2029, 1, 15),
]  # yearly after


def test_decoration_warranty_quarterly_then_half_yearly_then_yearly(tmp_path):
    path = book(tmp_path, projects=[["C1", D(2024, 10, 1), None, D(2025, 1, 15), D(2025, 1, 15)]])
    for d in WARRANTY_DUES:
        assert [r["due_date"] for r in rows(path, "decoration", d, "warranty")] == [d], d
        assert rows(path, "decoration", d - dt.timedelta(days=1), "warranty") == [], d
    d = D(2026, 7, 15)
    assert statuses(
        path,
        "decoration",
        "warranty",
        [d + dt.timedelta(days=14), d + dt.timedelta(days=15), d + dt.timedelta(days=44), d + dt.timedelta(days=45)],
    ) == {
        d + dt.timedelta(days=14): "due",
        d + dt.timedelta(days=15): "overdue",
        d + dt.timedelta(days=44): "overdue",
        d + dt.timedelta(days=45): None,
    }


def test_decoration_warranty_schedule_is_fixed_by_the_warranty_start(tmp_path):
    path = book(
        tmp_path,
        projects=[["C1", D(2024, 10, 1), None, D(2025, 1, 15), D(2025, 1, 15)]],
        visits=[["C1", D(2025, 5, 20), "保修回访", "已联系"]],
    )
    assert [r["due_date"] for r in rows(path, "decoration", D(2025, 7, 15), "warranty")] == [D(2025, 7, 15)]


@pytest.mark.parametrize("rule, ticket_type, other", [("repair", "报修", "投诉"), ("complaint", "投诉", "报修")])
def test_decoration_tickets_followed_up_within_72_hours(tmp_path, rule, ticket_type, other):
    opened = dt.datetime(2026, 11, 20, 16, 30)
    path = book(
        tmp_path,
        [cust("C1"), cust("C2")],
        tickets=[["C1", ticket_type, "一般", opened, None], ["C2", other, "一般", opened, None]],
    )
    checks = days((11, 20), (11, 21), (11, 23), (11, 24), (11, 30), (12, 1))
    assert statuses(path, "decoration", rule, checks) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )
    assert statuses(path, "decoration", rule, days((11, 21)), customer="C2") == {D(2026, 11, 21): None}


# ---- real estate ------------------------------------------------------------------------------


def lead(cid="C1", **fields):
    return cust(cid, source="来电", grade="B", type="一般客户", **fields)


def test_real_estate_inbound_call_same_day_then_within_3_days(tmp_path):
    path = book(tmp_path, [lead(archived_on=D(2026, 11, 20))])
    checks = days((11, 19), (11, 20), (11, 21), (11, 22), (11, 23))
    assert statuses(path, "real-estate", "call_first", checks) == dict(
        zip(checks, [None, "due", "overdue", "overdue", None])
    )
    checks = days((11, 21), (11, 22), (11, 23), (11, 24), (11, 26), (11, 27))
    assert statuses(path, "real-estate", "call_again", checks) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )


def test_real_estate_inbound_call_weekly_until_they_visit(tmp_path):
    path = book(
        tmp_path,
        [lead(archived_on=D(2026, 11, 1))],
        visits=[["C1", D(2026, 11, 1), "来电回访", "已联系"], ["C1", D(2026, 11, 3), "邀约", "已联系"]],
    )
    checks = days((11, 9), (11, 10), (11, 12), (11, 13), (11, 17), (11, 18))
    assert statuses(path, "real-estate", "call_weekly", checks, due_date=D(2026, 11, 10)) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )
    # not called that week: once that call is dropped, the next week's is listed all the same
    assert statuses(path, "real-estate", "call_weekly", days((11, 17), (11, 18)), due_date=D(2026, 11, 17)) == {
        D(2026, 11, 17): None,
        D(2026, 11, 18): "due",
    }
    visited = book(
        tmp_path,
        [lead(archived_on=D(2026, 11, 1), visited_on=D(2026, 11, 8))],
        visits=[["C1", D(2026, 11, 1), "来电回访", "已联系"], ["C1", D(2026, 11, 3), "邀约", "已联系"]],
        name="visited.xlsx",
    )
    assert rows(visited, "real-estate", D(2026, 11, 10), "call_weekly") == []
    assert rows(visited, "real-estate", D(2026, 11, 10), "call_weekly", ahead=30) == []


def test_real_estate_grade_d_call_leads_get_no_more_calls(tmp_path):
    path = book(tmp_path, [cust(source="来电", grade="D", archived_on=D(2026, 11, 1))])
    assert [r["rule"] for r in rows(path, "real-estate", D(2026, 11, 1))] == ["call_first"]
    for d in days((11, 3), (11, 8), (11, 15)):
        assert [r["rule"] for r in rows(path, "real-estate", d) if r["rule"] != "call_first"] == []


def test_real_estate_walk_in_a_b_same_day_and_within_3_days(tmp_path):
    path = book(
        tmp_path,
        [
            cust("C1", source="来访", grade="A", visited_on=D(2026, 11, 20)),
            cust("C2", source="来访", grade="C", visited_on=D(2026, 11, 20)),
        ],
    )
    checks = days((11, 19), (11, 20), (11, 21), (11, 22), (11, 23))
    assert statuses(path, "real-estate", "walkin_first", checks) == dict(
        zip(checks, [None, "due", "overdue", "overdue", None])
    )
    checks = days((11, 21), (11, 22), (11, 23), (11, 24))
    assert statuses(path, "real-estate", "walkin_again", checks) == dict(zip(checks, [None, "due", "due", "overdue"]))
    assert [r["customer_id"] for r in rows(path, "real-estate", D(2026, 11, 20))] == ["C1"]


def test_real_estate_key_leads_every_3_days_hesitant_and_c_weekly(tmp_path):
    visits = [[c, d, "来访回访", "已联系"] for c in ("C1", "C2", "C3") for d in (D(2026, 11, 20), D(2026, 11, 22))]
    path = book(
        tmp_path,
        [
            cust("C1", source="来访", grade="A", visited_on=D(2026, 11, 20)),
            cust("C2", source="来访", grade="B", visited_on=D(2026, 11, 20)),
            cust("C3", source="来访", grade="C", visited_on=D(2026, 11, 20)),
        ],
        visits=visits,
    )
    checks = days((11, 24), (11, 25), (11, 26), (11, 27), (11, 29), (11, 30))
    assert statuses(path, "real-estate", "walkin_key", checks, due_date=D(2026, 11, 25)) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )
    assert statuses(path, "real-estate", "walkin_key", days((11, 29), (11, 30)), due_date=D(2026, 11, 28)) == {
        D(2026, 11, 29): None,
        D(2026, 11, 30): "overdue",
    }
    checks = days((11, 28), (11, 29), (12, 1), (12, 2))
    for c in ("C2", "C3"):
        assert statuses(path, "real-estate", "walkin_weekly", checks, customer=c) == dict(
            zip(checks, [None, "due", "due", "overdue"])
        )


def test_real_estate_leads_stop_when_they_buy(tmp_path):
    path = book(tmp_path, [cust(source="来访", grade="A", visited_on=D(2026, 11, 1), bought_on=D(2026, 11, 23))])
    assert [r["rule"] for r in rows(path, "real-estate", D(2026, 11, 22)) if r["kind"] == "lead"] == ["walkin_key"]
    on_the_day = rows(path, "real-estate", D(2026, 11, 23))
    assert [r["rule"] for r in on_the_day] == ["buyer_congrats"]


def test_real_estate_buyers_same_day_and_every_half_month(tmp_path):
    path = book(tmp_path, [cust(bought_on=D(2026, 11, 1))])
    checks = days((10, 31), (11, 1), (11, 2), (11, 4), (11, 5))
    assert statuses(path, "real-estate", "buyer_congrats", checks) == dict(
        zip(checks, [None, "due", "overdue", "overdue", None])
    )
    checks = days((11, 15), (11, 16), (11, 19), (11, 20), (11, 26), (11, 27))
    assert statuses(path, "real-estate", "buyer_periodic", checks) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )


MILESTONES = [[D(2026, 12, 5), "三期开盘", "营销节点", None], [D(2026, 11, 10), "主体封顶", "工程节点", None]]


def test_real_estate_special_customers_invited_before_sales_milestones_only(tmp_path):
    path = book(tmp_path, [cust(source="来电", type="特殊客户", archived_on=D(2026, 11, 20))], milestones=MILESTONES)
    assert rows(path, "real-estate", D(2026, 11, 20)) == []  # no lead calls for them
    checks = days((12, 1), (12, 2), (12, 4), (12, 5))
    assert statuses(path, "real-estate", "special_milestone", checks) == dict(zip(checks, [None, "due", "due", None]))
    row = rows(path, "real-estate", D(2026, 12, 2), "special_milestone")[0]
    assert "三期开盘" in row["reason"] and "3 天" in row["reason"]


def test_real_estate_grade_d_message_the_day_before_a_sales_milestone(tmp_path):
    path = book(tmp_path, [cust(source="来访", grade="D", visited_on=D(2026, 10, 1))], milestones=MILESTONES)
    checks = days((12, 3), (12, 4), (12, 5))
    assert statuses(path, "real-estate", "d_milestone", checks) == dict(zip(checks, [None, "due", None]))
    assert rows(path, "real-estate", D(2026, 12, 4), "d_milestone")[0]["channel"] == "sms"


def test_real_estate_buyers_told_of_construction_milestones_after_they_bought(tmp_path):
    path = book(
        tmp_path, [cust("C1", bought_on=D(2026, 11, 1)), cust("C2", bought_on=D(2026, 11, 15))], milestones=MILESTONES
    )
    checks = days((11, 9), (11, 10), (11, 13), (11, 14), (11, 20), (11, 21))
    assert statuses(path, "real-estate", "buyer_milestone", checks) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )
    assert [r["customer_id"] for r in rows(path, "real-estate", D(2026, 11, 10), "buyer_milestone")] == ["C1"]
    assert rows(path, "real-estate", D(2026, 12, 5), "buyer_milestone") == []  # a sales milestone


def test_real_estate_holiday_greetings_and_call_windows(tmp_path):
    path = book(
        tmp_path,
        [
            cust("C1", source="来访", grade="D", visited_on=D(2026, 1, 1)),
            cust("C2", type="特殊客户"),
            cust("C3", bought_on=D(2025, 5, 1)),
        ],
    )
    national = cal.festival_date("国庆", 2026)
    assert {r["customer_id"] for r in rows(path, "real-estate", national, "festival_sms")} == {"C1", "C2", "C3"}
    leads = book(tmp_path, [lead(archived_on=D(2026, 11, 20))], name="lead.xlsx")
    assert rows(leads, "real-estate", D(2026, 11, 20))[0]["best_time"] == "10:00-11:30, 15:30-17:00"


def test_real_estate_messages_open_and_close_as_the_office_requires(tmp_path):
    from followup_cli.outputs.due_list import script

    path = book(tmp_path, [cust(name="王建国", gender="男", source="来电", archived_on=D(2026, 11, 20))])
    result = run(path, "real-estate", D(2026, 11, 20))
    text = script(result.schedule.tasks[0], "zh")
    assert text.startswith("王先生您好") and text.endswith("置业顾问：林晓雯")


# ---- property ---------------------------------------------------------------------------------


def test_property_complaint_within_24_hours_of_closing(tmp_path):
    path = book(
        tmp_path,
        [cust("C1"), cust("C2")],
        tickets=[
            ["C1", "投诉", "一般", dt.datetime(2026, 11, 18, 9), dt.datetime(2026, 11, 20, 15)],
            ["C2", "投诉", "一般", dt.datetime(2026, 11, 18, 9), None],
        ],
    )
    checks = days((11, 19), (11, 20), (11, 21), (11, 22), (11, 27), (11, 28))
    assert statuses(path, "property", "complaint", checks) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )
    assert statuses(path, "property", "complaint", days((11, 20)), customer="C2") == {D(2026, 11, 20): None}


def test_property_major_complaint_answered_within_24_hours_of_opening(tmp_path):
    path = book(
        tmp_path,
        [cust("C1"), cust("C2")],
        tickets=[
            ["C1", "投诉", "重大", dt.datetime(2026, 11, 20, 19), None],
            ["C2", "投诉", "一般", dt.datetime(2026, 11, 20, 19), None],
        ],
    )
    checks = days((11, 19), (11, 20), (11, 21), (11, 22), (11, 24), (11, 25))
    assert statuses(path, "property", "major_complaint", checks) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )
    assert statuses(path, "property", "major_complaint", days((11, 20)), customer="C2") == {D(2026, 11, 20): None}


def test_property_repair_followed_up_after_the_fix(tmp_path):
    path = book(tmp_path, tickets=[["C1", "报修", "一般", dt.datetime(2026, 11, 19, 8), dt.datetime(2026, 11, 20, 11)]])
    checks = days((11, 20), (11, 21), (11, 23), (11, 24), (11, 30), (12, 1))
    assert statuses(path, "property", "repair", checks) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )
    assert rows(path, "property", D(2026, 11, 21), "complaint") == []


def test_property_yearly_survey(tmp_path):
    path = book(tmp_path, [cust(archived_on=D(2025, 11, 23))])
    checks = [D(2026, 11, 22), D(2026, 11, 23), D(2026, 12, 23), D(2026, 12, 24), D(2027, 1, 22), D(2027, 1, 23)]
    assert statuses(path, "property", "survey", checks) == dict(
        zip(checks, [None, "due", "due", "overdue", "overdue", None])
    )
    surveyed = book(
        tmp_path,
        [cust(archived_on=D(2025, 11, 23))],
        visits=[["C1", D(2026, 6, 1), "满意度调查", "已联系"]],
        name="surveyed.xlsx",
    )
    assert rows(surveyed, "property", D(2026, 11, 23), "survey") == []
    assert [r["due_date"] for r in rows(surveyed, "property", D(2027, 6, 1), "survey")] == [D(2027, 6, 1)]


# ---- every preset -------------------------------------------------------------------------------


def test_every_trade_preset_ships():
    assert set(TRADE_PRESETS) | {"retail-vip"} <= set(preset_ids())


@pytest.mark.parametrize("preset", TRADE_PRESETS)
def test_every_rule_has_its_own_wording(preset):
    policy = build_policy(preset)
    assert policy.call_windows and policy.notes_zh and policy.notes_en
    for rule in policy.rules:
        for text in (rule.reason_zh, rule.reason_en, rule.script_zh, rule.script_en):
            assert text.strip(), (preset, rule.id)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in rule.reason_zh + rule.script_zh), rule.id
        assert rule.reason_en.isascii() or "'" in rule.reason_en, rule.id
    scripts = [r.script_zh for r in policy.rules]
    assert len(set(scripts)) == len(scripts)


@pytest.mark.parametrize("preset", TRADE_PRESETS)
def test_presets_command_describes_every_rule(preset):
    for lang in ("zh", "en"):
        result = CliRunner().invoke(cli, ["presets", preset, "--lang", lang, "--format", "json"])
        assert result.exit_code == 0, result.output
        described = {r["rule"]: r["description"] for r in json.loads(result.stdout)}
        assert set(described) == {r.id for r in build_policy(preset).rules}
        for text in described.values():
            assert "{" not in text and "customer_id" not in text and "archived_on" not in text


# ---- the samples --------------------------------------------------------------------------------

SAMPLE_FILES = {
    "distributor": "distributor_zh.xlsx",
    "sales": "sales_zh.xlsx",
    "health": "health_zh.xlsx",
    "decoration": "decoration_zh.xlsx",
    "real-estate": "real_estate_zh.xlsx",
    "property": "property_zh.xlsx",
}


def due_json(preset, as_of, *extra):
    result = CliRunner().invoke(
        cli,
        [
            "due",
            str(SAMPLES / SAMPLE_FILES[preset]),
            "--preset",
            preset,
            "--as-of",
            as_of.isoformat(),
            "--format",
            "json",
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("preset", TRADE_PRESETS)
def test_sample_demo_day(preset):
    result = CliRunner().invoke(
        cli, ["due", str(SAMPLES / SAMPLE_FILES[preset]), "--preset", preset, "--as-of", "2026-11-23"]
    )
    assert result.exit_code == 0, result.output
    assert "应访日期" in result.stdout and "原因" in result.stdout
    found = due_json(preset, D(2026, 11, 23))
    assert found and all(r["reason"] and r["staff"] for r in found)
    check = CliRunner().invoke(cli, ["check", str(SAMPLES / SAMPLE_FILES[preset])])
    assert check.exit_code == 0, check.output


@pytest.mark.parametrize("preset", TRADE_PRESETS)
def test_sample_shows_every_kind_across_a_year(preset):
    seen = set()
    day = D(2026, 1, 1)
    while day <= D(2026, 12, 31):
        seen |= {r["kind"] for r in due_json(preset, day, "--ahead", "30", "-q")}
        day += dt.timedelta(days=30)
    assert seen == {r.kind for r in build_policy(preset).rules}
