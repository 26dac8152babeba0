"""Each retail-vip rule at its boundaries, done-matching both ways, caps, gaps, ids."""

from __future__ import annotations

import datetime as dt

import pytest

import followup_cli.calendar as cal
from followup_cli.archive.reading import load_archive
from followup_cli.config import load_config
from followup_cli.outputs.due_list import due
from tests.helpers import archive, customer

D = dt.date


def run(path, as_of, ahead=0, toml: str | None = None):
    if toml is not None:
        (path.parent / "followup.toml").write_text(toml, encoding="utf-8")
    config = load_config([path])
    arch = load_archive([path], config)
    return due(arch, config, as_of, ahead=ahead)


def listed(result, kind=None):
    return [r for r in result.rows if kind is None or r["kind"] == kind]


def statuses(path, kind, days, **kw):
    out = {}
    for d in days:
        rows = listed(run(path, d, **kw), kind)
        out[d] = rows[0]["status"] if rows else None
    return out


# ---- product-use: 7 days after a new-season purchase, window 3, dropped 14 days later ----


def test_product_use_boundaries(tmp_path):
    path = archive(tmp_path, purchases=[["C1", D(2026, 11, 16), "羊绒大衣", 1999, "是"]])
    got = statuses(
        path,
        "product_use",
        [D(2026, 11, 22), D(2026, 11, 23), D(2026, 11, 26), D(2026, 11, 27), D(2026, 12, 10), D(2026, 12, 11)],
    )
    assert got == {
        D(2026, 11, 22): None,
        D(2026, 11, 23): "due",
        D(2026, 11, 26): "due",
        D(2026, 11, 27): "overdue",
        D(2026, 12, 10): "overdue",
        D(2026, 12, 11): None,
    }
    row = listed(run(path, D(2026, 11, 23)), "product_use")[0]
    assert row["due_date"] == D(2026, 11, 23) and row["window_end"] == D(2026, 11, 26)
    assert "2026-11-16" in row["reason"] and "7" in row["reason"]


def test_product_use_upcoming_with_ahead(tmp_path):
    path = archive(tmp_path, purchases=[["C1", D(2026, 11, 16), "羊绒大衣", 1999, "是"]])
    rows = listed(run(path, D(2026, 11, 20), ahead=3), "product_use")
    assert [r["status"] for r in rows] == ["upcoming"]
    assert listed(run(path, D(2026, 11, 20), ahead=2), "product_use") == []


def test_product_use_needs_new_season(tmp_path):
    path = archive(tmp_path, purchases=[["C1", D(2026, 11, 16), "T恤", 99, "否"]])
    assert listed(run(path, D(2026, 11, 23)), "product_use") == []


def test_two_items_same_day_are_one_task(tmp_path):
    path = archive(
        tmp_path, purchases=[["C1", D(2026, 11, 16), "大衣", 1999, "是"], ["C1", D(2026, 11, 16), "围巾", 299, "Y"]]
    )
    rows = listed(run(path, D(2026, 11, 23)), "product_use")
    assert len(rows) == 1
    assert "2 件" in rows[0]["reason"]


# ---- birthday: on the day, overdue up to 7 days, then dropped ----


def test_birthday_boundaries(tmp_path):
    path = archive(tmp_path, customers=[customer(birthday=D(1990, 11, 23), tier="普通")])
    got = statuses(
        path, "birthday", [D(2026, 11, 22), D(2026, 11, 23), D(2026, 11, 24), D(2026, 11, 30), D(2026, 12, 1)]
    )
    assert got == {
        D(2026, 11, 22): None,
        D(2026, 11, 23): "due",
        D(2026, 11, 24): "overdue",
        D(2026, 11, 30): "overdue",
        D(2026, 12, 1): None,
    }


@pytest.mark.parametrize("text", ["11月23日", "11-23", "1990年11月23日", "1990/11/23"])
def test_birthday_text_forms(tmp_path, text):
    path = archive(tmp_path, customers=[customer(birthday=text, tier="普通")])
    rows = listed(run(path, D(2026, 11, 23)), "birthday")
    assert [r["due_date"] for r in rows] == [D(2026, 11, 23)]


def test_lunar_birthday_falls_on_the_lunar_date(tmp_path):
    path = archive(tmp_path, customers=[customer(birthday="农历十月初四", tier="普通")])
    expected = cal.lunar_to_solar(2026, 10, 4)
    rows = listed(run(path, expected), "birthday")
    assert [r["due_date"] for r in rows] == [expected]
    assert listed(run(path, expected - dt.timedelta(days=1)), "birthday") == []


# ---- festival SMS: VIPs only, on the day ----


def test_festival_greeting_on_the_day_for_vips_only(tmp_path):
    path = archive(tmp_path, customers=[customer("C1", tier="VIP"), customer("C2", name="李雷", tier="普通")])
    mid_autumn = cal.festival_date("中秋", 2026)
    assert mid_autumn == D(2026, 9, 25)
    rows = listed(run(path, mid_autumn), "festival")
    assert [(r["customer_id"], r["status"], r["channel"]) for r in rows] == [("C1", "due", "sms")]
    assert "中秋" in rows[0]["reason"]
    assert listed(run(path, mid_autumn + dt.timedelta(days=1)), "festival") == []
    assert listed(run(path, mid_autumn - dt.timedelta(days=1)), "festival") == []


# ---- after-sales: 3 days after a return/exchange is closed ----


def test_after_sales_for_returns_only(tmp_path):
    path = archive(
        tmp_path,
        customers=[customer("C1"), customer("C2", name="李雷")],
        tickets=[["TK1", "C1", "退换货", D(2026, 11, 20)], ["TK2", "C2", "维修", D(2026, 11, 20)]],
    )
    got = statuses(path, "after_sales", [D(2026, 11, 22), D(2026, 11, 23), D(2026, 11, 26), D(2026, 11, 27)])
    assert got == {D(2026, 11, 22): None, D(2026, 11, 23): "due", D(2026, 11, 26): "due", D(2026, 11, 27): "overdue"}
    assert {r["customer_id"] for r in listed(run(path, D(2026, 11, 23)), "after_sales")} == {"C1"}


# ---- points: while points ≥ 500, at most once every 90 days, no anchor date ----


def test_points_reminder_due_as_soon_as_points_reach_500(tmp_path):
    # Never reminded: the first is due the day they joined, open until the next falls due 90 days on.
    path = archive(
        tmp_path,
        customers=[
            customer("C1", points=800, archived=D(2026, 1, 10)),
            customer("C2", name="李雷", points=499, archived=D(2026, 1, 10)),
        ],
    )
    for day in (D(2026, 1, 10), D(2026, 2, 23), D(2026, 4, 9)):
        rows = listed(run(path, day), "points")
        assert [(r["customer_id"], r["due_date"]) for r in rows] == [("C1", D(2026, 1, 10))]
    assert len({listed(run(path, d), "points")[0]["task_id"] for d in (D(2026, 2, 1), D(2026, 4, 9))}) == 1
    # unanswered, it is dropped when the next one falls due: never overdue for longer than 90 days
    later = listed(run(path, D(2026, 5, 1)), "points")
    assert [(r["customer_id"], r["due_date"]) for r in later] == [("C1", D(2026, 4, 10))]
    assert later[0]["task_id"] != listed(run(path, D(2026, 2, 1)), "points")[0]["task_id"]
    assert listed(run(path, D(2026, 1, 9)), "points") == []  # before joining: nothing


def test_points_not_again_within_90_days_of_a_reminder(tmp_path):
    visits = [["C1", D(2026, 3, 1), "积分兑换提醒", "已联系", "", ""]]
    path = archive(tmp_path, customers=[customer("C1", points=600, archived=D(2026, 1, 10))], visits=visits)
    assert listed(run(path, D(2026, 3, 1)), "points") == []  # the reminder of the day closes it
    assert listed(run(path, D(2026, 5, 29)), "points") == []  # 89 days later
    assert listed(run(path, D(2026, 5, 30)), "points")[0]["due_date"] == D(2026, 5, 30)  # 90 days later


def test_points_reminder_of_a_customer_joined_long_ago_is_never_years_overdue(tmp_path):
    path = archive(tmp_path, customers=[customer("C1", points=800, archived=D(2023, 1, 1))])
    rows = listed(run(path, D(2026, 11, 23)), "points")
    assert len(rows) == 1 and D(2026, 11, 23) - dt.timedelta(days=89) <= rows[0]["due_date"] <= D(2026, 11, 23)
    assert (rows[0]["due_date"] - D(2023, 1, 1)).days % 90 == 0  # on the customer's own 90-day run


def test_points_reminder_without_a_join_date_does_not_move_from_day_to_day(tmp_path):
    # No archive date, no purchase (QA #9): the due date and the task id stay put across days.
    path = archive(tmp_path, customers=[customer("C1", points=800, archived=None)])
    days = [D(2026, 11, 20) + dt.timedelta(days=i) for i in range(4)]
    got = {(r["due_date"], r["task_id"]) for d in days for r in listed(run(path, d), "points")}
    assert len(got) == 1, got
    ((due, _),) = got
    assert due <= D(2026, 11, 20)


def test_points_reminder_goes_when_points_drop(tmp_path):
    path = archive(tmp_path, customers=[customer("C1", points=300, archived=D(2026, 1, 10))])
    assert listed(run(path, D(2026, 5, 1)), "points") == []


# ---- dormant VIP: no purchase for 60 days, at most every 90 days ----


def test_dormant_after_60_days(tmp_path):
    path = archive(tmp_path, purchases=[["C1", D(2026, 9, 1), "大衣", 999, "否"]])
    got = statuses(path, "dormant", [D(2026, 10, 30), D(2026, 10, 31), D(2026, 11, 14), D(2026, 11, 15)])
    assert got == {D(2026, 10, 30): None, D(2026, 10, 31): "due", D(2026, 11, 14): "due", D(2026, 11, 15): "overdue"}


def test_dormant_woken_then_not_again_for_90_days(tmp_path):
    visits = [["C1", D(2026, 11, 5), "唤醒回访", "已联系", "满意", ""]]
    path = archive(tmp_path, purchases=[["C1", D(2026, 9, 1), "大衣", 999, "否"]], visits=visits)
    assert listed(run(path, D(2026, 11, 23)), "dormant") == []
    assert listed(run(path, D(2027, 2, 3)), "dormant")[0]["due_date"] == D(2027, 2, 3)


def test_dormant_reset_by_a_purchase(tmp_path):
    path = archive(
        tmp_path, purchases=[["C1", D(2026, 9, 1), "大衣", 999, "否"], ["C1", D(2026, 10, 20), "围巾", 99, "否"]]
    )
    assert listed(run(path, D(2026, 11, 23)), "dormant") == []


# ---- done: by task id, or by hand with the same kind inside the window ----


def test_done_by_task_id(tmp_path):
    path = archive(tmp_path, purchases=[["C1", D(2026, 11, 16), "大衣", 1999, "是"]])
    tid = listed(run(path, D(2026, 11, 23)), "product_use")[0]["task_id"]
    path2 = archive(
        tmp_path,
        name="a2.xlsx",
        purchases=[["C1", D(2026, 11, 16), "大衣", 1999, "是"]],
        visits=[["C1", D(2026, 11, 23), "随便写的", "已联系", "满意", tid]],
    )
    assert listed(run(path2, D(2026, 11, 24)), "product_use") == []


@pytest.mark.parametrize(
    "kind, when, done",
    [
        ("新品回访", D(2026, 11, 24), True),  # synonym, inside the window
        ("产品使用回访", D(2026, 11, 21), True),  # a little early still counts
        ("product-use check-in", D(2026, 12, 2), True),  # late, before it is dropped
        ("生日回访", D(2026, 11, 24), False),  # another kind
        ("产品使用回访", D(2026, 11, 10), False),  # before the purchase's task
    ],
)
def test_done_by_hand(tmp_path, kind, when, done):
    path = archive(
        tmp_path, purchases=[["C1", D(2026, 11, 16), "大衣", 1999, "是"]], visits=[["C1", when, kind, "", "", ""]]
    )
    rows = listed(run(path, D(2026, 12, 3)), "product_use")
    assert (rows == []) is done


def test_no_answer_counts_attempts_then_unreachable(tmp_path):
    base = dict(purchases=[["C1", D(2026, 11, 16), "大衣", 1999, "是"]])
    one = archive(tmp_path, name="one.xlsx", visits=[["C1", D(2026, 11, 23), "新品回访", "未接通", "", ""]], **base)
    rows = listed(run(one, D(2026, 11, 24)), "product_use")
    assert rows[0]["attempts"] == 1 and rows[0]["status"] == "due"
    three = archive(
        tmp_path,
        name="three.xlsx",
        visits=[
            ["C1", D(2026, 11, 23), "新品回访", "未接通", "", ""],
            ["C1", D(2026, 11, 24), "新品回访", "无人接听", "", ""],
            ["C1", D(2026, 11, 25), "新品回访", "no answer", "", ""],
        ],
        **base,
    )
    result = run(three, D(2026, 11, 26))
    assert listed(result, "product_use") == []
    assert [t.status for t in result.schedule.closed if t.kind == "product_use"] == ["unreachable"]


# ---- cap, gap, do-not-contact ----


def test_yearly_cap_leaves_out_lower_tasks_but_not_festivals(tmp_path):
    visits = [["C1", D(2026, m, 5), "例行回访", "已联系", "满意", ""] for m in range(1, 10)]
    visits.append(["C1", D(2026, 9, 15), "例行回访", "已联系", "满意", ""])  # the 10th contact of 2026
    path = archive(tmp_path, purchases=[["C1", D(2026, 9, 18), "大衣", 1999, "是"]], visits=visits)
    result = run(path, D(2026, 9, 25))  # 中秋 2026, and the product-use call due since 09-25
    assert [r["kind"] for r in result.rows] == ["festival"]
    assert [(r["kind"], "10" in r["left_out"]) for r in result.left_out] == [("product_use", True)]


def test_minimum_gap_defers_a_call(tmp_path):
    path = archive(
        tmp_path,
        purchases=[["C1", D(2026, 11, 16), "大衣", 1999, "是"]],
        visits=[["C1", D(2026, 11, 21), "例行回访", "已联系", "满意", ""]],
    )
    result = run(path, D(2026, 11, 23))
    assert listed(result, "product_use") == []
    assert result.left_out[0]["kind"] == "product_use" and "2026-11-24" in result.left_out[0]["left_out"]
    assert listed(run(path, D(2026, 11, 24)), "product_use")[0]["status"] == "due"


def test_do_not_contact(tmp_path):
    path = archive(tmp_path, customers=[customer(birthday=D(1990, 11, 23), dnc="是")])
    result = run(path, D(2026, 11, 23))
    assert result.rows == []
    assert [r["kind"] for r in result.left_out] == ["birthday"]


def test_tasks_of_one_day_share_a_contact(tmp_path):
    path = archive(
        tmp_path,
        customers=[customer(birthday=D(1990, 11, 23))],
        purchases=[["C1", D(2026, 11, 16), "大衣", 1999, "是"]],
    )
    rows = run(path, D(2026, 11, 23)).rows
    assert {r["kind"] for r in rows} == {"birthday", "product_use"}
    assert len({r["contact"] for r in rows}) == 1


# ---- identity and reproducibility ----


def test_task_ids_are_stable(tmp_path):
    p = [["C1", D(2026, 11, 16), "大衣", 1999, "是"]]
    a = archive(tmp_path, name="a.xlsx", purchases=p, customers=[customer(birthday=D(1990, 11, 23))])
    ids = {r["task_id"] for r in run(a, D(2026, 11, 23)).rows}
    assert ids == {r["task_id"] for r in run(a, D(2026, 11, 23)).rows}
    b = archive(
        tmp_path,
        name="b.xlsx",
        customers=[customer("C0", name="张三"), customer(birthday=D(1990, 11, 23)), customer("C9", name="赵四")],
        purchases=[["C9", D(2026, 11, 1), "T恤", 99, "否"]] + p,
    )
    assert ids <= {r["task_id"] for r in run(b, D(2026, 11, 23)).rows}


def test_records_after_the_as_of_date_are_ignored(tmp_path):
    path = archive(
        tmp_path,
        purchases=[["C1", D(2026, 11, 16), "大衣", 1999, "是"]],
        visits=[["C1", D(2026, 11, 24), "新品回访", "已联系", "", ""]],
    )
    assert listed(run(path, D(2026, 11, 23)), "product_use")[0]["status"] == "due"


def test_visit_time_late_in_the_day_stays_on_its_date(tmp_path):
    path = archive(
        tmp_path,
        purchases=[["C1", D(2026, 11, 16), "大衣", 1999, "是"]],
        visits=[["C1", dt.datetime(2026, 11, 23, 23, 59), "新品回访", "已联系", "", ""]],
    )
    assert listed(run(path, D(2026, 11, 23)), "product_use") == []


# ---- overrides and other triggers from followup.toml ----


def test_override_rule_numbers(tmp_path):
    path = archive(tmp_path, purchases=[["C1", D(2026, 11, 16), "大衣", 1999, "是"]])
    toml = "[rules.product_use]\ndays = [10]\n"
    assert listed(run(path, D(2026, 11, 23), toml=toml), "product_use") == []
    assert listed(run(path, D(2026, 11, 26), toml=toml), "product_use")[0]["status"] == "due"


def test_working_days_rule_follows_the_official_schedule(tmp_path):
    path = archive(tmp_path, purchases=[["C1", D(2026, 2, 13), "大衣", 1999, "否"]])
    toml = (
        '[rules.first_call]\nkind = "new_customer"\ntrigger = "after"\nsource = "purchases"\n'
        'date_field = "date"\ndays = [3]\nworking_days = true\nwindow_days = 0\n'
    )
    assert listed(run(path, D(2026, 2, 25), toml=toml), "new_customer")[0]["due_date"] == D(2026, 2, 25)
    assert listed(run(path, D(2026, 2, 24), toml=toml), "new_customer") == []


def test_every_rule_restarts_from_any_real_contact(tmp_path):
    toml = (
        '[rules.check_in]\nkind = "periodic"\ntrigger = "every"\ndate_field = "archived_on"\n'
        'every_months = 3\nrestart_on = "any_contact"\n'
    )
    path = archive(
        tmp_path,
        customers=[customer(archived=D(2026, 1, 10))],
        visits=[["C1", D(2026, 3, 1), "生日回访", "已联系", "", ""]],
    )
    assert listed(run(path, D(2026, 4, 10), toml=toml), "periodic") == []
    assert listed(run(path, D(2026, 6, 1), toml=toml), "periodic")[0]["due_date"] == D(2026, 6, 1)


def test_until_stops_a_repeating_rule(tmp_path):
    toml = (
        '[rules.lead]\nkind = "lead"\ntrigger = "every"\ndate_field = "archived_on"\n'
        'every_days = 7\nrestart_on = "none"\nuntil = ["visited_on"]\nwindow_days = 0\nexpire_days = 0\n'
    )
    headers = ["客户编号", "姓名", "建档日期", "到访日期"]
    from tests.helpers import make_workbook

    path = make_workbook(
        tmp_path / "leads.xlsx",
        {"客户": [headers, ["L1", "甲", D(2026, 11, 2), None], ["L2", "乙", D(2026, 11, 2), D(2026, 11, 10)]]},
    )
    rows = listed(run(path, D(2026, 11, 23), toml=toml), "lead")
    assert [r["customer_id"] for r in rows] == ["L1"]


def test_unknown_rule_setting_is_a_clear_error(tmp_path):
    from followup_cli.errors import ConfigError

    path = archive(tmp_path)
    with pytest.raises(ConfigError, match="dayz"):
        run(path, D(2026, 11, 23), toml="[rules.product_use]\ndayz = [3]\n")


QUARTERLY = (
    '[rules.quarterly]\nkind = "periodic"\ntrigger = "every"\ndate_field = "archived_on"\n'
    'every_months = 3\nrestart_on = "same_kind"\nwindow_days = 7\nexpire_days = 14\n'
)


def test_a_quarterly_clock_keeps_its_day_of_the_month(tmp_path):
    path = archive(tmp_path, customers=[customer("C1", archived=D(2024, 1, 31))])
    rows = listed(run(path, D(2026, 10, 31), toml=QUARTERLY), "periodic")
    assert [r["due_date"] for r in rows] == [D(2026, 10, 31)]  # Jan 31 → … → Oct 31, not drifting to the 30th
    assert listed(run(path, D(2026, 10, 30), toml=QUARTERLY), "periodic") == []


@pytest.mark.parametrize(
    "toml, words",
    [
        ('[rules.points]\ncustomer = { points = { ">>" = 500 } }\n', "unknown operator '>>'"),
        ('[rules.points]\ncustomer = { tier = { not = { is = "VIP" } } }\n', "unknown operator 'is'"),
        ('[rules.points]\nwhen = "VIP"\n', "conditions are a table"),
    ],
)
def test_a_wrong_condition_is_a_clear_config_error(tmp_path, toml, words):
    from click.testing import CliRunner

    from followup_cli.cli import cli

    path = archive(tmp_path)
    (tmp_path / "followup.toml").write_text(toml, encoding="utf-8")
    result = CliRunner().invoke(cli, ["due", str(path), "--as-of", "2026-11-23", "--lang", "en"])
    assert result.exit_code == 2 and words in result.stderr and "points" in result.stderr
    assert "Traceback" not in result.output and "unexpected" not in result.output


def test_dormant_reason_for_a_customer_who_never_bought_names_no_purchase(tmp_path):
    path = archive(tmp_path, customers=[customer("C1", archived=D(2025, 4, 4))])
    rows = listed(run(path, D(2025, 6, 3)), "dormant")
    assert [r["reason"] for r in rows] == ["自 2025-04-04 建档以来没有消费"]
    assert "最后一次消费" not in rows[0]["reason"]
    bought = archive(tmp_path, purchases=[["C1", D(2026, 9, 1), "大衣", 999, "否"]], name="b.xlsx")
    assert "最后一次消费在 2026-09-01" in listed(run(bought, D(2026, 10, 31)), "dormant")[0]["reason"]
