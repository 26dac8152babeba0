"""Owner assignment, handover, rebalancing and the load report, on real workbooks."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter
from fractions import Fraction

import pytest

import followup_cli.assign as core
from followup_cli.archive.reading import load_archive
from followup_cli.config import load_config
from followup_cli.errors import ConfigError, DataProblems, UsageProblem
from tests.helpers import make_workbook

D = dt.date
AS_OF = D(2026, 3, 2)
CUSTOMER_HEADERS = ["客户编号", "姓名", "手机", "生日", "门店", "地区", "负责人", "建档日期"]
STAFF_HEADERS = ["工号", "姓名", "门店", "地区", "角色", "在职", "离职日期", "能力权重"]


def cust(cid, store="一店", owner=None, region=None, birthday=None, name=None):
    return [cid, name or f"客户{cid}", "13800000000", birthday, store, region, owner, D(2025, 1, 1)]


def staff(sid, name, store="一店", region="华东", role="客服", active="是", left_on=None, capacity=1):
    return [sid, name, store, region, role, active, left_on, capacity]


def book(tmp_path, customers, staff_rows, name="archive.xlsx", toml=None, customer_headers=CUSTOMER_HEADERS):
    path = make_workbook(
        tmp_path / name,
        {
            "客户档案": [customer_headers] + [list(c) for c in customers],
            "员工": [STAFF_HEADERS] + [list(s) for s in staff_rows],
        },
    )
    if toml is not None:
        (tmp_path / "followup.toml").write_text(toml, encoding="utf-8")
    return path


def read(path):
    config = load_config([path])
    return config, load_archive([path], config)


def assign(path, **kw):
    config, archive = read(path)
    return core.plan_assign(archive, kw.pop("as_of", AS_OF), core.owner_roles(config.raw), **kw)


def given(plan):
    """customer id → name of the new owner."""
    return {m.customer.id: (m.new.name if m.new else None) for m in plan.moves}


# ---- proportional spread ----


def test_capacities_two_to_one_get_customers_two_to_one(tmp_path):
    path = book(
        tmp_path, [cust(f"C{i:02}") for i in range(30)], [staff("S1", "甲", capacity=2), staff("S2", "乙", capacity=1)]
    )
    plan = assign(path)
    assert Counter(given(plan).values()) == {"甲": 20, "乙": 10}
    # Handed out in turns, not in blocks: every prefix of the sheet is close to 2:1.
    names = [m.new.name for m in plan.moves]
    for k in range(3, 31, 3):
        assert Counter(names[:k]) == {"甲": 2 * k // 3, "乙": k // 3}


def test_spread_counts_what_each_already_owns(tmp_path):
    owned = [cust(f"A{i}", owner="甲") for i in range(6)]
    path = book(tmp_path, owned + [cust(f"N{i}") for i in range(6)], [staff("S1", "甲"), staff("S2", "乙")])
    plan = assign(path)
    assert Counter(given(plan).values()) == {"乙": 6}
    assert {p.name: n for p, n in plan.after.items() if p} == {"甲": 6, "乙": 6}


def test_capacity_zero_and_fractional(tmp_path):
    path = book(
        tmp_path,
        [cust(f"C{i}") for i in range(10)],
        [staff("S1", "甲", capacity=1.5), staff("S2", "乙", capacity=0.5), staff("S3", "丙", capacity=0)],
    )
    counts = Counter(given(assign(path)).values())
    assert "丙" not in counts  # capacity 0 takes no new customers
    assert counts in ({"甲": 8, "乙": 2}, {"甲": 7, "乙": 3})  # 7.5 : 2.5


# ---- store before region before anyone ----


def test_store_then_region_then_anyone(tmp_path):
    team = [
        staff("S1", "一店甲", store="一店", region="华东"),
        staff("S2", "二店乙", store="二店", region="华东"),
        staff("S3", "三店丙", store="三店", region="华南"),
        staff("S4", "四店主管", store="四店", region="华南", role="主管"),
    ]
    customers = [
        cust("C1", store="一店"),  # own store
        cust("C2", store="五店", region="华东"),  # no staff in 五店: region 华东
        cust("C3", store="六店", region="西北"),  # nobody in 西北: anyone
        cust("C4", store="四店"),  # only a supervisor in 四店, whose store is in 华南
        cust("C5", store="三店"),
    ]
    plan = assign(book(tmp_path, customers, team))
    got = {m.customer.id: (m.new.name, m.basis) for m in plan.moves}
    assert got["C1"] == ("一店甲", "store")
    assert got["C2"][1] == "region" and got["C2"][0] in ("一店甲", "二店乙")
    assert got["C3"][1] == "any"
    assert got["C4"] == ("三店丙", "region")
    assert got["C5"] == ("三店丙", "store")


def test_region_pool_balances_after_store_customers(tmp_path):
    # 五店 has no staff; its customers go to whichever 华东 colleague is lighter once the
    # store-level customers are placed, even though they come first in the sheet.
    customers = [cust("X1", store="五店", region="华东"), cust("X2", store="五店", region="华东")]
    customers += [cust(f"A{i}", store="一店") for i in range(4)]
    team = [staff("S1", "一店甲", store="一店"), staff("S2", "二店乙", store="二店")]
    plan = assign(book(tmp_path, customers, team))
    got = given(plan)
    assert [got[f"A{i}"] for i in range(4)] == ["一店甲"] * 4
    assert got["X1"] == got["X2"] == "二店乙"


# ---- who needs an owner, who may own ----


def test_no_active_owner_is_ever_changed(tmp_path):
    team = [
        staff("S1", "甲"),
        staff("S2", "乙"),
        staff("S3", "丙", active="否"),
        staff("S4", "丁", left_on=D(2026, 3, 1)),
        staff("S5", "戊", left_on=D(2026, 4, 1)),
        staff("S6", "医生", role="医生"),
    ]
    customers = [
        cust("C1", owner="甲"),
        cust("C2", owner="丙"),
        cust("C3"),
        cust("C4", owner="丁"),
        cust("C5", owner="戊"),
        cust("C6", owner="S2"),
        cust("C7", owner="医生"),
        cust("C8", owner="外人"),
    ]
    for _ in range(3):
        customers += [cust(f"D{len(customers)}", owner="甲")]
    plan = assign(book(tmp_path, customers, team))
    assert sorted(m.customer.id for m in plan.moves) == ["C2", "C3", "C4"]
    assert {m.customer.id: m.old_state for m in plan.moves} == {"C2": "left", "C3": "none", "C4": "left"}
    # 戊 leaves next month and is still active; the doctor does not own customers; 甲 already has four.
    assert Counter(m.new.name for m in plan.moves) == {"乙": 2, "戊": 1}
    assert any(n.code == "unknown_owner" and "外人" in n.params["names"] for n in plan.notes)


def test_left_on_decides_with_the_as_of_date(tmp_path):
    path = book(tmp_path, [cust("C1", owner="丁")], [staff("S1", "甲"), staff("S4", "丁", left_on=D(2026, 3, 10))])
    assert assign(path, as_of=D(2026, 3, 9)).moves == []
    assert given(assign(path, as_of=D(2026, 3, 10))) == {"C1": "甲"}


def test_roles_default_and_configured(tmp_path):
    team = [
        staff("S1", "客服甲", role="客服"),
        staff("S2", "销售乙", role="sales"),
        staff("S3", "无角色", role=None),
        staff("S4", "主管", role="客服主管"),
        staff("S5", "医生", role="doctor"),
        staff("S6", "督导", role="supervisor"),
    ]
    customers = [cust(f"C{i}") for i in range(12)]
    path = book(tmp_path, customers, team)
    assert set(given(assign(path)).values()) == {"客服甲", "销售乙", "无角色"}
    (tmp_path / "followup.toml").write_text('[assign]\nroles = ["客服主管", "doctor"]\n', encoding="utf-8")
    assert set(given(assign(path)).values()) == {"主管", "医生"}
    (tmp_path / "followup.toml").write_text('[assign]\nroles = "客服"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="list of role names"):
        assign(path)


def test_no_active_staff_is_a_data_problem(tmp_path):
    path = book(tmp_path, [cust("C1")], [staff("S1", "甲", active="否"), staff("S2", "主管", role="主管")])
    with pytest.raises(DataProblems, match="没有可以负责客户的在职员工"):
        assign(path)


def test_no_staff_sheet_is_a_data_problem(tmp_path):
    path = make_workbook(tmp_path / "a.xlsx", {"客户档案": [CUSTOMER_HEADERS, cust("C1")]})
    with pytest.raises(DataProblems, match="员工表"):
        assign(path)


def test_owner_cell_may_hold_the_staff_id(tmp_path):
    team = [staff("S01", "甲"), staff("S02", "乙", active="否"), staff("S03", "丙")]
    customers = [cust("C1", owner="S01"), cust("C2", owner="s02"), cust("C3", owner="S03"), cust("C4")]
    plan = assign(book(tmp_path, customers, team))
    assert sorted(m.customer.id for m in plan.moves) == ["C2", "C4"]
    # The column is kept by staff id, so ids are written.
    assert plan.write_ids
    assert {plan.owner_value(m.new) for m in plan.moves} <= {"S01", "S03"}


def test_names_are_written_and_shared_names_get_the_id(tmp_path):
    team = [staff("S1", "王芳"), staff("S2", "王芳", store="二店"), staff("S3", "李娜")]
    plan = assign(book(tmp_path, [cust("C1", owner="李娜"), cust("C2"), cust("C3", store="二店")], team))
    values = {m.customer.id: plan.owner_value(m.new) for m in plan.moves}
    assert values["C3"] == "S2"  # 王芳 of 二店: the name alone would be ambiguous
    assert values["C2"] in ("S1", "李娜")


def test_store_option_limits_the_customers(tmp_path):
    team = [staff("S1", "甲", store="一店"), staff("S2", "乙", store="二店")]
    path = book(tmp_path, [cust("C1", store="一店"), cust("C2", store="二店")], team)
    assert given(assign(path, store="二店")) == {"C2": "乙"}
    config, archive = read(path)
    with pytest.raises(UsageProblem, match="一店, 二店"):
        core.check_store(archive, "三店")


# ---- stable results ----


def test_same_input_same_plan_whatever_the_staff_order(tmp_path):
    customers = [cust(f"C{i}", store=random.Random(i).choice(["一店", "二店"])) for i in range(40)]
    team = [
        staff("S10", "甲", capacity=2),
        staff("S2", "乙"),
        staff("S3", "丙", store="二店"),
        staff("S1", "丁", store="二店", capacity=3),
    ]
    a = given(assign(book(tmp_path, customers, team, name="a.xlsx")))
    b = given(assign(book(tmp_path, customers, list(reversed(team)), name="b.xlsx")))
    assert a == b
    assert a == given(assign(tmp_path / "a.xlsx"))


def test_ties_go_to_the_smaller_staff_id_naturally_sorted(tmp_path):
    plan = assign(book(tmp_path, [cust("C1")], [staff("S10", "甲"), staff("S9", "乙")]))
    assert given(plan) == {"C1": "乙"}


# ---- handover ----


def test_handover_spreads_across_the_store_and_leaves_none(tmp_path):
    team = [
        staff("S1", "离职甲", active="否"),
        staff("S2", "乙", capacity=2),
        staff("S3", "丙"),
        staff("S4", "二店丁", store="二店"),
    ]
    customers = [cust(f"C{i}", owner="离职甲") for i in range(9)] + [cust("K", owner="乙")]
    config, archive = read(book(tmp_path, customers, team))
    plan = core.plan_handover(archive, AS_OF, "离职甲")
    assert {m.customer.id for m in plan.moves} == {f"C{i}" for i in range(9)}
    assert set(given(plan).values()) == {"乙", "丙"}  # the store, not 二店
    after = {p.name: n for p, n in plan.after.items() if p}
    assert after["离职甲"] == 0 and after["乙"] + after["丙"] == 10
    assert after["乙"] == 7 and after["丙"] == 3  # 2:1 of 10 customers, 乙 already had one
    assert plan.before[None] == 9 and plan.after[None] == 0


def test_handover_of_an_active_clerk_to_a_named_colleague(tmp_path):
    team = [staff("S1", "甲"), staff("S2", "乙"), staff("S3", "丙", active="否"), staff("S4", "主管", role="主管")]
    customers = [cust("C1", owner="甲"), cust("C2", owner="S1"), cust("C3", owner="乙")]
    config, archive = read(book(tmp_path, customers, team))
    plan = core.plan_handover(archive, AS_OF, "S1", "乙")
    assert given(plan) == {"C1": "乙", "C2": "乙"}
    assert {m.basis for m in plan.moves} == {"named"}
    assert any(n.code == "from_active" for n in plan.notes)
    with pytest.raises(DataProblems, match="已离职"):
        core.plan_handover(archive, AS_OF, "甲", "丙")
    with pytest.raises(UsageProblem, match="员工表中没有"):
        core.plan_handover(archive, AS_OF, "无此人")
    with pytest.raises(UsageProblem, match="同一个人"):
        core.plan_handover(archive, AS_OF, "甲", "S1")
    plan = core.plan_handover(archive, AS_OF, "甲", "主管")  # named explicitly: allowed, with a note
    assert any(n.code == "to_not_owner" for n in plan.notes)


def test_handover_with_nobody_to_take_them(tmp_path):
    config, archive = read(book(tmp_path, [cust("C1", owner="甲")], [staff("S1", "甲")]))
    with pytest.raises(DataProblems):
        core.plan_handover(archive, AS_OF, "甲")


# ---- rebalance ----


def rebalance(path, max_moves=None, store=None):
    config, archive = read(path)
    return core.plan_rebalance(archive, AS_OF, max_moves, core.owner_roles(config.raw), store)


def loads(plan):
    return {p.name: n for p, n in plan.after.items() if p}


def test_rebalance_moves_the_minimum(tmp_path):
    customers = [cust(f"A{i}", owner="甲") for i in range(8)] + [cust(f"B{i}", owner="乙") for i in range(2)]
    path = book(tmp_path, customers, [staff("S1", "甲"), staff("S2", "乙")])
    plan = rebalance(path)
    assert len(plan.moves) == 3 == plan.moves_to_balance
    assert loads(plan) == {"甲": 5, "乙": 5}
    # the giver's last customers in sheet order move first
    assert [m.customer.id for m in plan.moves] == ["A5", "A6", "A7"]
    one = rebalance(path, max_moves=1)
    assert len(one.moves) == 1 and loads(one) == {"甲": 7, "乙": 3}
    assert any(n.code == "max_moves_reached" and n.params["left"] == 2 for n in one.notes)


def test_rebalance_prefers_the_outcome_with_fewer_moves(tmp_path):
    # capacities 2:1 over 10 customers: exact shares 6.67 and 3.33. 5/5 → 6/4 is one move;
    # 7/3 (plain largest remainder) would be two.
    customers = [cust(f"A{i}", owner="甲") for i in range(5)] + [cust(f"B{i}", owner="乙") for i in range(5)]
    plan = rebalance(book(tmp_path, customers, [staff("S1", "甲", capacity=2), staff("S2", "乙")]))
    assert len(plan.moves) == 1 and loads(plan) == {"甲": 6, "乙": 4}


def test_rebalance_when_even_moves_nothing(tmp_path):
    customers = [cust(f"A{i}", owner="甲") for i in range(3)] + [cust(f"B{i}", owner="乙") for i in range(2)]
    plan = rebalance(book(tmp_path, customers, [staff("S1", "甲"), staff("S2", "乙")]))
    assert plan.moves == []


def test_rebalance_stays_in_each_store_and_leaves_others_alone(tmp_path):
    team = [
        staff("S1", "甲"),
        staff("S2", "乙"),
        staff("S3", "二店丙", store="二店"),
        staff("S4", "二店丁", store="二店"),
        staff("S5", "离职", active="否"),
        staff("S6", "医生", role="医生"),
    ]
    customers = (
        [cust(f"A{i}", owner="甲") for i in range(6)]
        + [cust(f"C{i}", store="二店", owner="二店丙") for i in range(4)]
        + [cust("L1", owner="离职"), cust("N1"), cust("M1", owner="医生"), cust("M2", owner="医生")]
    )
    plan = rebalance(book(tmp_path, customers, team))
    moved = {m.customer.id: (m.old.name, m.new.name) for m in plan.moves}
    assert all(frm == "甲" and to == "乙" or frm == "二店丙" and to == "二店丁" for frm, to in moved.values())
    assert len(moved) == 5
    assert "L1" not in moved and "N1" not in moved and "M1" not in moved
    assert any(n.code == "unowned_waiting" and n.params["count"] == 2 for n in plan.notes)
    only = rebalance(book(tmp_path, customers, team, name="b.xlsx"), store="二店")
    assert {m.old.name for m in only.moves} == {"二店丙"} and len(only.moves) == 2


def _min_moves(load, caps):
    total, cap = sum(load), sum(caps)
    quota = [Fraction(c) * total / cap for c in caps]
    floors = [int(q) for q in quota]
    spare = total - sum(floors)
    frac = [i for i, q in enumerate(quota) if q != floors[i]]
    best = None
    for ups in itertools.combinations(frac, spare):
        t = [f + (i in ups) for i, f in enumerate(floors)]
        moves = sum(max(0, a - b) for a, b in zip(load, t))
        best = moves if best is None else min(best, moves)
    return best


@pytest.mark.parametrize("seed", range(12))
def test_rebalance_is_minimal_and_ends_within_one_of_each_share(tmp_path, seed):
    rnd = random.Random(seed)
    n = rnd.randint(2, 4)
    caps = [rnd.choice([1, 1, 2, 3]) for _ in range(n)]
    load = [rnd.randint(0, 9) for _ in range(n)]
    team = [staff(f"S{i}", f"员工{i}", capacity=caps[i]) for i in range(n)]
    customers = [cust(f"C{i}-{k}", owner=f"员工{i}") for i in range(n) for k in range(load[i])]
    plan = rebalance(book(tmp_path, customers, team, name=f"r{seed}.xlsx"))
    assert len(plan.moves) == _min_moves(load, caps)
    total = sum(load)
    for i in range(n):
        q = Fraction(caps[i]) * total / sum(caps)
        assert q - 1 < loads(plan).get(f"员工{i}", 0) < q + 1
    again = rebalance(tmp_path / f"r{seed}.xlsx")
    assert [(m.customer.id, m.new.name) for m in again.moves] == [(m.customer.id, m.new.name) for m in plan.moves]


# ---- the plan's cells ----


def test_updates_are_the_owner_cells_of_the_customer_rows(tmp_path):
    path = make_workbook(
        tmp_path / "t.xlsx",
        {
            "客户档案": [["2026 会员档案"], [], CUSTOMER_HEADERS, cust("C1", owner="甲"), [], cust("C2")],
            "员工": [STAFF_HEADERS, staff("S1", "甲")],
        },
    )
    plan = assign(path)
    assert plan.updates() == {(path, "客户档案"): {(6, 7): "甲"}}
    assert plan.moves[0].cell == "客户档案!G6"


def test_missing_owner_column_is_reported(tmp_path):
    headers = [h for h in CUSTOMER_HEADERS if h != "负责人"]
    path = book(
        tmp_path, [[c for j, c in enumerate(cust("C1")) if j != 6]], [staff("S1", "甲")], customer_headers=headers
    )
    plan = assign(path)
    assert given(plan) == {"C1": "甲"}
    assert [s.sheet for s in plan.missing_owner_column()] == ["客户档案"]
    assert plan.updates() == {}


# ---- the load report ----


def test_load_report_counts_customers_and_open_tasks(tmp_path):
    team = [staff("S1", "甲"), staff("S2", "乙"), staff("S3", "丙", active="否")]
    birthday = D(1990, 3, 2)
    customers = [
        cust("C1", owner="甲", birthday=birthday),
        cust("C2", owner="甲"),
        cust("C3", owner="丙", birthday=birthday),
        cust("C4", birthday=birthday),
        cust("C5", owner="外人", birthday=birthday),
    ]
    config, archive = read(book(tmp_path, customers, team))
    lines = core.load_report(archive, config, AS_OF)
    got = {
        (ln.person.name if ln.person else ln.label or None): (ln.status, ln.customers, ln.open_tasks) for ln in lines
    }
    assert got["甲"] == ("active", 2, 1)
    assert got["乙"] == ("active", 0, 0)
    assert got["丙"] == ("left", 1, 0)  # their birthday call shows as unassigned, as in `due`
    assert got["外人"] == ("unknown", 1, 1)
    assert got[None] == ("unassigned", 1, 2)
