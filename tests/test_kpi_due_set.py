"""The KPI's denominator is what `due` would have listed: the issue's hand-counted cases, and
`due` run day by day over a month agreeing with `kpi` for that month task id by task id."""

from __future__ import annotations

import datetime as dt

import pytest

from followup_cli.archive.reading import load_archive
from followup_cli.config import load_config
from followup_cli.kpi import compute_kpis, parse_period, settings_from_config
from followup_cli.outputs.due_list import due
from followup_cli.policy.setup import policy_setup
from tests.helpers import archive, customer

D = dt.date


def kpi(path, period="2026-11", as_of=D(2026, 12, 5)):
    config = load_config([path])
    arch = load_archive([path], config)
    setup = policy_setup(config)
    return compute_kpis(
        arch,
        setup.policy,
        parse_period(period),
        as_of,
        workcal=setup.workcal,
        birthday_policy=setup.birthday_policy,
        followups=setup.followups,
        settings=settings_from_config(config.raw),
    )


def nd(m):
    return (m.numerator, m.denominator)


def with_preset(tmp_path, preset, **kw):
    path = archive(tmp_path, **kw)
    (tmp_path / "followup.toml").write_text(f'preset = "{preset}"\n', encoding="utf-8")
    return path


# ---- the November: two birthdays due, one called, one missed: 1/2, not 1/4 ------------


def ten_contacts(cid):
    return [[cid, D(2026, m, 2), "售后回访", "已联系", "满意", ""] for m in range(1, 11)]


def test_november_birthdays_one_of_two_not_one_of_four(tmp_path):
    customers = [
        customer("B1", tier="普通", birthday=D(1990, 11, 5)),  # called on the day: done
        customer("B2", name="李雷", tier="普通", birthday=D(1988, 11, 10)),  # never called: missed
        customer("B3", name="韩梅", tier="普通", birthday=D(1985, 11, 3), archived=D(2026, 11, 15)),  # joined after
        customer("B4", name="赵敏", tier="普通", birthday=D(1992, 11, 20)),  # ten contacts already this year
    ]
    visits = [["B1", D(2026, 11, 5), "生日回访", "已联系", "满意", ""]] + ten_contacts("B4")
    r = kpi(archive(tmp_path, customers=customers, visits=visits))
    assert nd(r.measures["completion_tasks"]) == (1, 2)
    assert {t["customer_id"]: t["status"] for t in r.due_tasks} == {"B1": "done", "B2": "missed"}
    assert r.task_counts["left_out_cap"] == 1
    assert [(x["customer_id"], x["reason"], x["params"]["cap"]) for x in r.left_out] == [("B4", "cap", 10)]


def test_a_birthday_before_the_customer_joined_is_never_due(tmp_path):
    # Archived in August: July's birthday of that year is not a task, in July's KPI or in `due`.
    path = archive(tmp_path, customers=[customer("C1", tier="普通", birthday=D(1990, 7, 20), archived=D(2026, 8, 3))])
    july = kpi(path, period="2026-07", as_of=D(2026, 8, 31))
    assert july.due_tasks == [] and july.measures["completion_tasks"].denominator == 0
    assert [r for r in due(load_archive([path], load_config([path])), load_config([path]), D(2026, 7, 20)).rows] == []


def test_health_festival_sms_not_counted_for_customers_archived_later(tmp_path):
    # 重阳 2026 is 10-18; C2 was archived on 11-02: only C1's greeting belongs to October.
    customers = [customer("C1", archived=D(2026, 9, 1)), customer("C2", name="李雷", archived=D(2026, 11, 2))]
    r = kpi(with_preset(tmp_path, "health", customers=customers), period="2026-10", as_of=D(2026, 11, 30))
    festival = [t["customer_id"] for t in r.due_tasks if t["rule"] == "festival_sms"]
    assert festival == ["C1"]


def test_gap_and_do_not_contact_are_left_out_not_missed(tmp_path):
    customers = [
        customer("G1", tier="普通", birthday=D(1990, 11, 10)),
        customer("N1", name="李雷", tier="普通", birthday=D(1990, 11, 12), dnc="是"),
    ]
    # Calls every other day from 11-09 keep the birthday call of 11-10 off the list (gap 3 days)
    # on every day until it drops (11-17).
    visits = [["G1", D(2026, 11, d), "售后回访", "已联系", "满意", ""] for d in (9, 11, 13, 15, 17)]
    r = kpi(archive(tmp_path, customers=customers, visits=visits))
    assert r.due_tasks == []
    assert {x["customer_id"]: x["reason"] for x in r.left_out} == {"G1": "gap", "N1": "do_not_contact"}
    assert r.task_counts["left_out_gap"] == 1 and r.task_counts["left_out_do_not_contact"] == 1


def test_a_gap_that_ends_inside_the_window_makes_it_due(tmp_path):
    # Birthday 11-10 (window 0, dropped 7 days later); a call on 11-08: gapped on 11-10, listed on 11-11.
    visits = [["G1", D(2026, 11, 8), "售后回访", "已联系", "满意", ""]]
    r = kpi(archive(tmp_path, customers=[customer("G1", tier="普通", birthday=D(1990, 11, 10))], visits=visits))
    assert [(t["customer_id"], t["status"]) for t in r.due_tasks] == [("G1", "missed")]
    assert r.left_out == []


# ---- due day by day over a month == kpi for that month -------------------------------------------


def daily_due_set(path, start, end):
    config = load_config([path])
    arch = load_archive([path], config)
    rules = {r.id for r in policy_setup(config).policy.rules}
    dnc = {c.id for c in arch.customers if c.do_not_contact}
    seen = set()
    day = start
    while day <= end:
        s = due(arch, config, day).schedule
        for t in s.tasks:
            if start <= t.due_date <= end and t.status in ("due", "overdue") and t.rule.id in rules:
                seen.add(t.task_id)
        for t in s.closed:
            if (
                start <= t.due_date <= end
                and t.status in ("done", "unreachable")
                and t.rule.id in rules
                and t.customer.id not in dnc
            ):
                seen.add(t.task_id)
        day += dt.timedelta(days=1)
    return seen


RETAIL = dict(
    customers=[
        customer("R1", birthday=D(1990, 11, 5), points=800, archived=D(2026, 2, 1)),  # VIP: festivals, points
        customer("R2", name="李雷", tier="普通", birthday=D(1988, 11, 10)),
        customer("R3", name="韩梅", tier="普通", birthday=D(1985, 11, 3), archived=D(2026, 11, 15)),
        customer("R4", name="赵敏", tier="普通", birthday=D(1992, 11, 20)),
        customer("R5", name="周芷若", birthday=D(1991, 11, 12), dnc="是"),
        customer("R6", name="张无忌", tier="VIP", archived=D(2025, 3, 1)),  # dormant since a June purchase
        customer("R7", name="小昭", tier="普通", birthday=D(1993, 11, 16)),
    ],
    purchases=[
        ["R6", D(2026, 6, 10), "大衣", 999, "否"],
        ["R2", D(2026, 11, 2), "羽绒服", 1299, "是"],
        ["R7", D(2026, 11, 11), "围巾", 199, "是"],
        ["R6", D(2026, 11, 20), "裤子", 299, "否"],
    ],
    visits=[
        ["R1", D(2026, 11, 5), "生日回访", "已联系", "满意", ""],
        ["R2", D(2026, 11, 9), "产品使用回访", "已联系", "满意", ""],
        ["R7", D(2026, 11, 14), "售后回访", "已联系", "一般", ""],  # gap: R7's birthday call of 11-16
        *ten_contacts("R4"),
    ],
)
HEALTH = dict(
    customers=[
        customer("H1", archived=D(2026, 10, 20)),
        customer("H2", name="李雷", archived=D(2026, 11, 3)),
        customer("H3", name="韩梅", archived=D(2026, 10, 28)),
        customer("H4", name="赵敏", archived=D(2026, 9, 30)),
    ],
    purchases=[
        ["H1", D(2026, 10, 20), "鱼油", 300, "否"],
        ["H3", D(2026, 11, 8), "钙片", 200, "否"],
        ["H4", D(2026, 9, 30), "蛋白粉", 500, "否"],
    ],
    visits=[
        ["H1", D(2026, 10, 22), "新客回访", "已联系", "满意", ""],
        ["H1", D(2026, 11, 6), "使用回访", "已联系", "满意", ""],  # inside "within 30 days"
        ["H2", D(2026, 11, 4), "首次回访", "已联系", "满意", ""],
        ["H3", D(2026, 11, 10), "意向客户跟进", "未接通", "", ""],
    ],
)
SALES = dict(
    customers=[
        customer("S1", tier="普通", archived=D(2026, 1, 5)),
        customer("S2", name="李雷", archived=D(2026, 6, 1)),
    ],
    purchases=[["S1", D(2026, 11, 6), "打印机", 3000, "否"], ["S2", D(2026, 6, 2), "复印机", 9000, "否"]],
    visits=[["S1", D(2026, 11, 9), "首次回访", "已联系", "满意", ""]],
)


@pytest.mark.parametrize("preset, data", [("retail-vip", RETAIL), ("health", HEALTH), ("sales", SALES)])
def test_due_day_by_day_agrees_with_kpi(tmp_path, preset, data):
    path = with_preset(tmp_path, preset, **data)
    start, end = D(2026, 11, 1), D(2026, 11, 30)
    expected = daily_due_set(path, start, end)
    r = kpi(path, as_of=end)
    assert {t["task_id"] for t in r.due_tasks} == expected
    assert expected  # the month has work in it
    # Nothing left out by policy was ever listed.
    assert not expected & {x["task_id"] for x in r.left_out}
