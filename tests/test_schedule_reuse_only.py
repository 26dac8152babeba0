"""When a stored schedule gives most customers' tasks (cache/reuse.py), the customers scheduled
again are scheduled from indexes that hold their records alone (Context.only): their tasks are
the ones a run over the whole archive gives them, on every sample and a generated archive."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from followup_cli.archive.reading import load_archive
from followup_cli.config import load_config
from followup_cli.policy.setup import policy_setup
from followup_cli.schedule import engine
from tests.helpers import generated_archive

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "sample_workbooks").glob("*.xlsx"))
AS_OF = dt.date(2026, 11, 23)


class _StoredHalf:
    """A stand-in for cache/reuse.Reuse: the tasks of every other customer from a full run."""

    def __init__(self, full, customers):
        self.by_customer: dict[int, tuple[list, list, list]] = {}
        for k, name in enumerate(("closed", "left_out", "tasks")):
            for t in getattr(full, name):
                self.by_customer.setdefault(id(t.customer), ([], [], []))[k].append(t)
        self.again = {c.id for n, c in enumerate(customers) if n % 2}  # scheduled again
        self.asked = 0

    def fits(self, archive, policy, args) -> bool:
        return True

    def tasks(self, customer):
        self.asked += 1
        if customer.id in self.again:
            return None
        return self.by_customer.get(id(customer), ([], [], []))


def _schedule(archive, setup, reuse=None):
    token = engine.REUSE.set(reuse) if reuse is not None else None
    try:
        return engine.compute_schedule(
            archive,
            setup.policy,
            AS_OF,
            7,
            setup.workcal,
            None,
            None,
            None,
            setup.birthday_policy,
            setup.followups,
        )
    finally:
        if token is not None:
            engine.REUSE.reset(token)


def _plain(tasks) -> list:
    return [(t.customer.id, t.rule.id, t.task_id, t.due_date, t.status, t.staff, t.left_out, t.done_on) for t in tasks]


def _check(path: Path) -> None:
    config = load_config([path])
    setup = policy_setup(config)
    full = _schedule(load_archive([path], config), setup)
    archive = load_archive([path], config)  # a fresh read: no index of the first run is shared
    stand_in = _StoredHalf(_schedule(archive, setup), archive.customers)
    again = _schedule(archive, setup, stand_in)
    assert stand_in.asked > 0 and stand_in.again
    for name in ("tasks", "left_out", "closed"):
        assert _plain(getattr(again, name)) == _plain(getattr(full, name)), (path.name, name)
    assert full.tasks or full.closed  # a sample that schedules nothing proves nothing


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_customers_scheduled_again_get_the_tasks_of_a_whole_run(path):
    _check(path)


def test_on_a_generated_archive(tmp_path):
    _check(generated_archive(tmp_path / "archive.xlsx", 600, 3000, 2000, 7))
