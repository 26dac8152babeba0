"""A KPI's denominator is exactly what the policy would have listed.

The oracle is `due --as-of D` itself, run for every day D of the period on the same file:
the period's due set is every task due in the period that some day's list showed (or that a
visit closed on a day `due` generated it), and what the policy left out is every other task
due in the period that some day's list left out, with the reason of the first such day.
`kpi` for the period must give exactly these task ids, these left-out tasks and reasons, and
counts that add up; on archives generated at random, the samples, and the shapes a QA pass
found disagreeing: refusals limited to one channel (Do Not Call, 接受短信 = 否, a tag "do not
call"), next follow-up dates agreed on a call, unresolved issues' reminders, caps and gaps.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import pytest

from followup_cli.archive.consent import refuses
from followup_cli.archive.reading import load_archive
from followup_cli.config import load_config
from followup_cli.kpi import compute_kpis, parse_period, settings_from_config
from followup_cli.outputs.due_list import due
from followup_cli.policy.setup import policy_setup
from tests.helpers import generated_archive, make_workbook
from tests.test_kpi_due_set import HEALTH, RETAIL, SALES, with_preset

D = dt.date
ROOT = Path(__file__).resolve().parents[1]
NOV = (D(2026, 11, 1), D(2026, 11, 30))


def _days(start, end):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def daily_union(path: Path, start: dt.date, end: dt.date):
    """(due set, {left-out task id: reason}) from `due --as-of D` for every day D in [start, end]."""
    config = load_config([path])
    arch = load_archive([path], config)
    listed: set[str] = set()
    left: dict[str, str] = {}
    for day in _days(start, end):
        s = due(arch, config, day, rows=False).schedule
        for t in s.tasks:
            if start <= t.due_date <= end:
                assert t.status in ("due", "overdue"), t
                listed.add(t.task_id)
        for t in s.left_out:
            if start <= t.due_date <= end:
                left.setdefault(t.task_id, t.left_out)
        for t in s.closed:
            if start <= t.due_date <= end and t.status in ("done", "unreachable"):
                dnc = t.customer.do_not_contact
                if t.customer.id in arch.duplicates:
                    left.setdefault(t.task_id, "duplicate_id")  # whose call it was cannot be told
                elif dnc and refuses(dnc, t.rule.channel):
                    left.setdefault(t.task_id, "do_not_contact")  # a call logged anyway
                else:
                    listed.add(t.task_id)
    return listed, {k: v for k, v in left.items() if k not in listed}


def kpi_of(path: Path, start: dt.date, end: dt.date):
    config = load_config([path])
    arch = load_archive([path], config)
    setup = policy_setup(config)
    return compute_kpis(
        arch,
        setup.policy,
        parse_period(f"{start:%Y-%m}"),
        end,
        workcal=setup.workcal,
        birthday_policy=setup.birthday_policy,
        followups=setup.followups,
        settings=settings_from_config(config.raw),
    )


def assert_agree(path: Path, start=NOV[0], end=NOV[1]):
    expected, left = daily_union(path, start, end)
    r = kpi_of(path, start, end)
    got = [t["task_id"] for t in r.due_tasks]
    assert len(got) == len(set(got)), "a task counted twice"
    assert set(got) == expected
    assert {x["task_id"]: x["reason"] for x in r.left_out} == left
    # the counts add up: every due task has one final status, every left-out task one reason
    c = r.task_counts
    assert c["done"] + c["open"] + c["missed"] + c["unreachable"] == len(got)
    assert sum(n for k, n in c.items() if k.startswith("left_out_")) == len(left)
    assert r.measures["completion_tasks"].denominator == len(got)
    assert r.measures["completion_tasks"].numerator == c["done"]
    # per customer: the customers due are those of the due set; every customer whose visit
    # closed a due task is among them (visited ⊆ due customers for the tasks we count)
    due_customers = {t["customer_id"] for t in r.due_tasks}
    assert r.measures["completion_customers"].denominator == len(due_customers)
    done_customers = {t["customer_id"] for t in r.due_tasks if t["status"] == "done"}
    assert done_customers <= due_customers
    return r, expected, left


# ---- the QA shapes, rebuilt --------------------------------------------------------------------


def dnc_by_channel(tmp_path: Path, visits=()) -> Path:
    """/tmp/qa/w10: K1 Do Not Call (phone only), K2 接受短信 = 否 (SMS only), K3 neither."""
    born, joined = D(1990, 11, 23), D(2026, 11, 1)
    return make_workbook(
        tmp_path / "dnc.xlsx",
        {
            "客户档案": [
                [
                    "客户编号",
                    "姓名",
                    "手机",
                    "生日",
                    "会员等级",
                    "积分",
                    "负责人",
                    "建档日期",
                    "Do Not Call",
                    "接受短信",
                ],
                ["K1", "甲", "13300000001", born, "VIP", 800, "小周", joined, "TRUE", ""],
                ["K2", "乙", "13300000002", born, "VIP", 800, "小周", joined, "", "否"],
                ["K3", "丙", "13300000003", born, "VIP", 800, "小周", joined, "", ""],
            ],
            "回访记录": [["客户编号", "回访日期", "回访类型", "回访人", "结果", "满意度"], *visits],
            "员工": [["姓名"], ["小周"]],
        },
    )


def test_a_refusal_of_one_channel_keeps_the_other_channel_due(tmp_path):
    # due lists 甲's points SMS and 乙's birthday call; kpi used to leave all four out.
    path = dnc_by_channel(tmp_path)
    r, expected, left = assert_agree(path, NOV[0], D(2026, 11, 23))
    by = {(t["customer_id"], t["kind"]) for t in r.due_tasks}
    assert {("K1", "points"), ("K2", "birthday"), ("K3", "points"), ("K3", "birthday")} == by
    out = {(x["customer_id"], x["kind"], x["reason"]) for x in r.left_out}
    assert out == {("K1", "birthday", "do_not_contact"), ("K2", "points", "do_not_contact")}
    assert r.task_counts["left_out_do_not_contact"] == 2


def test_per_customer_denominators_agree_after_a_call(tmp_path):
    # K1's points SMS and K3's two calls made on 11-23; K2's birthday call still open.
    visits = [
        ["K1", D(2026, 11, 23), "积分提醒", "小周", "已联系", ""],
        ["K3", D(2026, 11, 23), "生日回访", "小周", "已联系", "满意"],
        ["K3", D(2026, 11, 23), "积分提醒", "小周", "已联系", ""],
    ]
    r, _, _ = assert_agree(dnc_by_channel(tmp_path, visits), NOV[0], D(2026, 11, 23))
    m = r.measures
    # the two visited customers (K1, K3) are both among the three due, and both done
    assert (m["completion_customers"].numerator, m["completion_customers"].denominator) == (2, 3)
    assert (m["completion_tasks"].numerator, m["completion_tasks"].denominator) == (3, 4)
    assert m["rated_share"].denominator == 2
    assert m["satisfaction"].denominator == 2


def calls_agree_on(tmp_path: Path) -> Path:
    """/tmp/qa/w1 after recording: next follow-up dates agreed on calls and open issues; Y4 joined
    with its first purchase (no join date), so its points reminder comes due in November."""
    return make_workbook(
        tmp_path / "agreed.xlsx",
        {
            "客户档案": [
                ["客户编号", "姓名", "手机", "生日", "会员等级", "积分", "负责人", "建档日期", "标签"],
                ["Y1", "小王", "13800001001", D(1990, 11, 23), "VIP", 820, "林晓雯", D(2023, 5, 1), "老客"],
                ["Y4", "小赵", "13800001004", D(1992, 11, 23), "VIP", 600, "林晓雯", "", "do not call"],
                ["Y5", "小钱", "13800001005", D(1993, 11, 6), "普通", 0, "林晓雯", D(2024, 3, 3), ""],
            ],
            "回访记录": [
                ["客户编号", "回访日期", "回访类型", "回访人", "结果", "满意度", "问题描述", "是否解决", "下次跟进"],
                ["Y1", D(2026, 11, 23), "生日回访", "林晓雯", "已联系", "一般", "尺码偏小", "否", D(2026, 11, 30)],
                ["Y1", D(2026, 11, 23), "积分提醒", "林晓雯", "已联系", "", "", "", D(2026, 11, 27)],
                ["Y5", D(2026, 11, 2), "售后回访", "林晓雯", "已联系", "满意", "拉链坏了", "否", ""],
                ["Y5", D(2026, 11, 6), "生日回访", "林晓雯", "已联系", "满意", "", "", D(2026, 11, 12)],
            ],
            "消费记录": [
                ["客户编号", "消费日期", "商品名称", "金额", "当季新品"],
                ["Y4", D(2026, 11, 15), "袜子", 88, "是"],
            ],
            "员工": [["姓名"], ["林晓雯"]],
        },
    )


def test_next_follow_ups_and_issue_reminders_are_due(tmp_path):
    path = calls_agree_on(tmp_path)
    r, expected, _ = assert_agree(path)
    rules = {t["rule"].split(":")[0] for t in r.due_tasks}
    assert {"next_follow_up", "issue_reminder"} <= rules
    # Y5's issue of 11-02 reminds on 11-09, 11-16, 11-23 and 11-30 (every 7 days), each due once
    reminders = sorted(t["due_date"] for t in r.due_tasks if t["customer_id"] == "Y5" and "issue" in t["rule"])
    assert reminders == [D(2026, 11, 9), D(2026, 11, 16), D(2026, 11, 23), D(2026, 11, 30)]
    # Y4's tag refuses calls, not messages: the points SMS is due, the birthday call left out
    y4 = {t["kind"] for t in r.due_tasks if t["customer_id"] == "Y4"}
    assert "points" in y4 and "birthday" not in y4
    assert any(x["customer_id"] == "Y4" and x["kind"] == "birthday" for x in r.left_out)


def test_caps_and_gaps_with_channel_refusals(tmp_path):
    # C1: capped birthday call, points SMS refused; C2: birthday gapped; C3: SMS refused only
    ten = [["C1", D(2026, m, 2), "售后回访", "林晓雯", "已联系", "满意"] for m in range(1, 11)]
    gaps = [["C2", D(2026, 11, d), "售后回访", "林晓雯", "已联系", "满意"] for d in (9, 11, 13, 15, 17)]
    path = make_workbook(
        tmp_path / "capgap.xlsx",
        {
            "客户档案": [
                ["客户编号", "姓名", "手机", "生日", "会员等级", "积分", "负责人", "建档日期", "接受短信"],
                ["C1", "甲", "13300000001", D(1990, 11, 20), "VIP", 800, "林晓雯", "", "否"],
                ["C2", "乙", "13300000002", D(1990, 11, 10), "VIP", 800, "林晓雯", D(2025, 1, 1), ""],
                ["C3", "丙", "13300000003", D(1990, 11, 12), "普通", 0, "林晓雯", D(2025, 1, 1), "否"],
            ],
            "回访记录": [["客户编号", "回访日期", "回访类型", "回访人", "结果", "满意度"], *ten, *gaps],
            "消费记录": [
                ["客户编号", "消费日期", "商品名称", "金额", "当季新品"],
                ["C1", D(2026, 11, 5), "大衣", 999, "否"],
            ],
            "员工": [["姓名"], ["林晓雯"]],
        },
    )
    r, _, left = assert_agree(path)
    assert {"cap", "gap", "do_not_contact"} <= set(left.values())
    assert any(t["customer_id"] == "C3" and t["kind"] == "birthday" for t in r.due_tasks)


def test_a_shared_key_is_left_out_once_even_when_a_call_was_logged(tmp_path):
    # /tmp/qa/w3: A1 on two rows (two people); a birthday call logged for "A1" on 11-10
    path = make_workbook(
        tmp_path / "dup.xlsx",
        {
            "客户档案": [
                ["客户编号", "姓名", "手机", "生日", "会员等级", "积分", "负责人", "建档日期"],
                ["A1", "陈一", "13300000001", D(1990, 11, 23), "VIP", 800, "小周", D(2025, 1, 1)],
                ["A1", "刘三", "13300000002", D(1991, 11, 10), "VIP", 0, "小周", D(2025, 1, 1)],
                ["A2", "王五", "13300000003", D(1991, 11, 10), "VIP", 0, "小周", D(2025, 1, 1)],
            ],
            "回访记录": [
                ["客户编号", "回访日期", "回访类型", "回访人", "结果", "满意度"],
                ["A1", D(2026, 11, 10), "生日回访", "小周", "已联系", "满意"],
            ],
            "员工": [["姓名"], ["小周"]],
        },
    )
    r, _, left = assert_agree(path)
    assert {t["customer_id"] for t in r.due_tasks} == {"A2"}
    assert set(left.values()) == {"duplicate_id"} and len(left) >= 3


# ---- generated archives and the samples ----------------------------------------------------------


def random_archive(tmp_path: Path, seed: int, n: int = 30) -> Path:
    """Customers with every kind of refusal, visits that agree a next date or raise an issue."""
    rng = random.Random(seed)
    consent = [("", ""), ("", ""), ("TRUE", ""), ("", "否"), ("", "是"), ("是", "")]
    tags = ["", "", "", "do not call", "勿扰", "VIP"]
    kinds = ["生日回访", "积分提醒", "售后回访", "产品使用回访", "沉睡唤醒"]
    outcomes = ["已联系", "已联系", "已联系", "未接通", "拒绝"]
    customers, visits, purchases = [], [], []
    for i in range(n):
        cid = f"G{i:02d}"
        dnc, sms = rng.choice(consent)
        born = D(1980 + rng.randrange(20), rng.choice([10, 11, 11, 12]), rng.randrange(1, 29))
        joined = D(2026, 11, rng.randrange(1, 25)) if rng.random() < 0.2 else D(2025, rng.randrange(1, 13), 1)
        tier = rng.choice(["VIP", "普通"])
        customers.append(
            [cid, f"客{i}", f"1330000{i:04d}", born, tier, rng.choice([0, 300, 800]), "林晓雯", joined, dnc, sms]
            + [rng.choice(tags)]
        )
        for _ in range(rng.randrange(0, 5)):
            on = D(2026, rng.choice([10, 11, 11]), rng.randrange(1, 29))
            nxt = on + dt.timedelta(days=rng.randrange(2, 20)) if rng.random() < 0.3 else ""
            issue = rng.choice(["", "", "", "尺码偏小"])
            visits.append(
                [cid, on, rng.choice(kinds), "林晓雯", rng.choice(outcomes), rng.choice(["", "满意", "一般"])]
                + [issue, rng.choice(["否", "是"]) if issue else "", nxt]
            )
        if rng.random() < 0.5:
            purchases.append([cid, D(2026, rng.randrange(5, 12), rng.randrange(1, 29)), "大衣", 999, "是"])
    head = [
        "客户编号",
        "姓名",
        "手机",
        "生日",
        "会员等级",
        "积分",
        "负责人",
        "建档日期",
        "Do Not Call",
        "接受短信",
        "标签",
    ]
    vhead = ["客户编号", "回访日期", "回访类型", "回访人", "结果", "满意度", "问题描述", "是否解决", "下次跟进"]
    return make_workbook(
        tmp_path / f"random{seed}.xlsx",
        {
            "客户档案": [head, *customers],
            "消费记录": [["客户编号", "消费日期", "商品名称", "金额", "当季新品"], *purchases],
            "回访记录": [vhead, *visits],
            "员工": [["姓名"], ["林晓雯"]],
        },
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_archives_agree(tmp_path, seed):
    assert_agree(random_archive(tmp_path, seed))


def test_generated_benchmark_archive_agrees(tmp_path):
    assert_agree(generated_archive(tmp_path / "archive.xlsx", 120, 600, 400, 11))


@pytest.mark.parametrize("preset, data", [("retail-vip", RETAIL), ("health", HEALTH), ("sales", SALES)])
def test_preset_archives_agree(tmp_path, preset, data):
    assert_agree(with_preset(tmp_path, preset, **data))


SAMPLES = sorted(p.name for p in (ROOT / "sample_workbooks").glob("*.xlsx"))


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_agree(tmp_path, name):
    src = ROOT / "sample_workbooks" / name
    shutil.copy(src, tmp_path / name)
    toml = src.with_name(f"{src.stem}.followup.toml")
    if toml.exists():
        shutil.copy(toml, tmp_path / toml.name)
    assert_agree(tmp_path / name)


def test_main_archive_counts_the_reminders_of_an_open_issue(tmp_path):
    # tests/kpi_fixtures.py's main archive, hand-counted in tests/test_kpi.py with reminders off:
    # 5 tasks, 3 done. C5's issue raised on 11-01 (V3, a product-use call) is never resolved, so
    # `due` reminds of it on 11-08, 11-15, 11-22 and 11-29; no product-use call follows. Each
    # reminder is superseded by the next one a week later (missed); on 12-05 the 11-29 one is open.
    from tests.kpi_fixtures import main_archive, run

    (tmp_path / "off").mkdir()
    (tmp_path / "on").mkdir()
    off = run(main_archive(tmp_path / "off", reminders=0))
    on_path = main_archive(tmp_path / "on", reminders=7)
    on = run(on_path)
    reminders = sorted((t["due_date"], t["status"]) for t in on.due_tasks if t["rule"].startswith("issue_reminder"))
    assert reminders == [
        (D(2026, 11, 8), "missed"),
        (D(2026, 11, 15), "missed"),
        (D(2026, 11, 22), "missed"),
        (D(2026, 11, 29), "overdue"),  # its window (3 days) ended on 12-02
    ]
    assert (off.measures["completion_tasks"].numerator, off.measures["completion_tasks"].denominator) == (3, 5)
    assert (on.measures["completion_tasks"].numerator, on.measures["completion_tasks"].denominator) == (3, 9)
    assert on.task_counts["missed"] == off.task_counts["missed"] + 3
    assert on.task_counts["open"] == off.task_counts["open"] + 1
    assert on.measures["completion_customers"].denominator == off.measures["completion_customers"].denominator + 1
    assert_agree(on_path)
