"""The third QA pass, on books shaped like small shops' own (tests/fixtures/qa3_fixtures.py), each
case on a golden workbook written and read back: who is and is not on `due`, and what `check`
says with the cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures import qa3_fixtures
from tests.golden import assert_generator_makes_the_committed, assert_mapping_and_due, copy_shape
from tests.test_reading_shapes import check_rows, due_rows

QA3 = sorted(qa3_fixtures.SHAPES)


@pytest.fixture()
def shape(tmp_path):
    def copy(name: str) -> list[Path]:
        return copy_shape(tmp_path, name)

    return copy


def test_the_generator_makes_the_committed_workbooks(tmp_path):
    assert_generator_makes_the_committed(qa3_fixtures.build(tmp_path))


@pytest.mark.parametrize("name", QA3)
def test_columns_and_due_give_the_expected_mapping_and_list(shape, name):
    assert_mapping_and_due(shape(name), name)


def _birthdays(rows) -> set[str]:
    return {r["customer_id"] for r in rows if r["kind"] == "birthday"}


# ---- 1. a 任务编号 typed by hand is not a task id ------------------------------------------------------


def test_a_hand_typed_task_number_does_not_stop_the_visit_closing_its_task(shape):
    paths = shape("qa3_task_column")
    # K01-K03 had their birthday call (任务编号 生日 / T123 / 见上); K05 was not reached
    assert _birthdays(due_rows(paths)) == {"K05", "K06"}
    # K04's call was a periodic one: its birthday is still open, off the list only for the gap
    left = {r["customer_id"]: r["left_out"] for r in due_rows(paths, "--explain") if r["left_out"]}
    assert list(left) == ["K04"] and "last contact on 2026-11-21" in left["K04"]


def test_check_names_each_task_number_that_is_not_a_task_id(shape):
    _, rows = check_rows(shape("qa3_task_column"))
    said = {f"{r['sheet']}!{r['cell']}": r for r in rows if r["code"] == "not-a-task-id"}
    assert sorted(said) == ["回访记录!A2", "回访记录!A3", "回访记录!A4", "回访记录!A5"]
    assert said["回访记录!A3"]["value"] == "T123"
    assert all(r["severity"] == "warning" and "matched to a task by customer" in r["message"] for r in said.values())
