"""The shortcuts kpi takes for speed and memory give what the plain path gives: a staff cell
shown once per text (never one text for two cells that only compare equal), one tuple per due
task read as the due set's row, and a replay that lets go of each customer's indexes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from followup_cli.archive.records import Staff
from followup_cli.archive.staff import StaffDirectory
from followup_cli.kpi.due_set import KEYS, DueRows
from followup_cli.kpi.facts import DUE_ROW_FIELDS
from tests.helpers import generated_archive

ROOT = Path(__file__).resolve().parent.parent


def _directory():
    staff = [
        Staff(
            staff_id="S01", name="周敏", store=None, region=None, role=None, active=True, left_on=None, capacity=None
        ),
        Staff(staff_id="1", name="孙丽", store=None, region=None, role=None, active=True, left_on=None, capacity=None),
    ]
    return StaffDirectory(staff, dt.date(2026, 11, 23))


def test_a_cell_resolved_twice_gives_the_plain_answer_each_time():
    for cells in (["s01", "S01", " Ｓ０１ ", "s01"], ["孙 丽", "孙丽", "孙 丽"], ["1", 1, 1.0, "1"]):
        cached, plain = _directory(), _directory()
        for cell in cells:
            got = cached.resolve(cell)
            want = plain._resolve_cell(cell)  # the path without the cell cache
            assert (got.state, got.person and got.person.key) == (want.state, want.person and want.person.key)
            assert cached.display(cell) == plain.display(cell)


def test_numbers_equal_to_each_other_are_shown_as_written():
    """1 == 1.0 == True as dict keys: the KPI's staff memo must not give one the other's name."""
    from followup_cli.kpi.facts import KpiContext

    ctx = KpiContext.__new__(KpiContext)
    ctx._staff, ctx._shown = _directory(), {}
    plain = _directory()
    for cell in (1.0, 1, "1.0", "1", None, "", "Ann  Lee", "Ann Lee"):
        assert ctx.staff(cell) == plain.display(cell), cell


def test_a_due_set_row_is_read_from_the_fact_tuple():
    fact = (
        "周敏",
        "一店",
        "birthday",
        dt.date(2026, 3, 1),
        "C1",
        True,
        "TABCDEFGHIJ",
        "birthday",
        "done",
        dt.date(2026, 3, 2),
    )
    rows = DueRows(fields=DUE_ROW_FIELDS)
    rows.append(fact)
    want = {
        "task_id": "TABCDEFGHIJ",
        "customer_id": "C1",
        "kind": "birthday",
        "rule": "birthday",
        "due_date": dt.date(2026, 3, 1),
        "status": "done",
        "done_on": dt.date(2026, 3, 2),
    }
    assert list(want) == list(KEYS)
    assert rows[0] == want and list(rows) == [want] and rows[:1] == [want]
    plain = DueRows()
    plain.add(*want.values())
    assert rows == plain and plain == rows and rows == [want]


def _due_set(path, start, cutoff, end, cap_gap=None):
    import dataclasses

    from followup_cli.archive.reading import load_archive
    from followup_cli.config import load_config
    from followup_cli.policy.setup import policy_setup
    from followup_cli.schedule.replay import period_due

    config = load_config([path])
    archive = load_archive([path], config)
    setup = policy_setup(config)
    policy = setup.policy
    if cap_gap is not None:
        policy = dataclasses.replace(policy, yearly_cap=cap_gap[0], min_gap_days=cap_gap[1])
    found = period_due(archive, policy, start, cutoff, setup.workcal, setup.birthday_policy, end=end)
    due = [(t.task_id, t.customer.row, t.status, t.done_on, t.staff, t.kind) for t in found.due]
    left = [(t.task_id, t.customer.row, t.status, t.left_out, t.left_out_params, t.staff) for t in found.left_out]
    return due, left, found.later


@pytest.mark.parametrize(
    "book, cap_gap",
    [
        ("generated", None),
        ("generated", (1, 30)),
        ("two_stores", None),
        ("retail_vip_zh.xlsx", None),
        ("health_zh.xlsx", None),
        ("distributor_zh.xlsx", None),
    ],
)
def test_letting_go_of_a_customers_indexes_changes_no_task(tmp_path, monkeypatch, book, cap_gap):
    """The replay drops each customer's visits, contacts and records from its indexes once it is
    past them (Context.let_go): the same due set, left-out set and count ahead as keeping them.
    (An id two rows share is kept for the second row; no case here shows a difference.)"""
    from followup_cli.cache import store
    from followup_cli.schedule.context import Context

    if book == "generated":
        path = generated_archive(tmp_path / "archive.xlsx", 400, 2000, 3200, 11)  # many visits: for the gap and cap
    elif book == "two_stores":
        from tests.test_duplicates import two_stores

        path = two_stores(tmp_path)
    else:
        path = tmp_path / book
        shutil.copy(ROOT / "sample_workbooks" / book, path)
    period = (dt.date(2026, 1, 1), dt.date(2026, 11, 23), dt.date(2026, 12, 31))
    store.disable(True)
    try:
        kept = _due_set(path, *period, cap_gap=cap_gap)
        monkeypatch.setattr(Context, "let_go", lambda self, cid: None)
        plain = _due_set(path, *period, cap_gap=cap_gap)
    finally:
        store.disable(False)
    assert kept == plain
    assert kept[0]  # about something
