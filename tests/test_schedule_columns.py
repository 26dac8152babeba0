"""`due` and `sheet` read only the columns scheduling needs (schedule.context.needed_fields),
`check` and `record` every column; one cached schedule serves them all (cache/schedule.py).
That holds only if the columns left unread never change a schedule: on every sample and on
the shapes where reading decides more than one column (a Tags cell standing in for the tier,
a row linked by its phone), the due list and the call sheet are the same either way."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from followup_cli.archive.reading import load_archive
from followup_cli.cache import store
from followup_cli.config import load_config
from followup_cli.outputs.call_sheet import write_call_sheet
from followup_cli.outputs.due_list import due
from followup_cli.policy.setup import policy_setup
from followup_cli.schedule.context import needed_fields
from tests.helpers import make_workbook
from tests.test_cache import SAMPLES, _sheet_values

NAMES = sorted(p.name for p in SAMPLES.glob("*.xlsx"))


@pytest.fixture()
def no_cache():
    store.disable(True)
    yield
    store.disable(False)


DAY = dt.date(2026, 11, 23)


def _due_rows(archive: Path, fields=None) -> list[dict]:
    config = load_config([archive])
    if fields == "needed":
        fields = needed_fields(policy_setup(config).policy)
    return due(load_archive([archive], config, fields=fields), config, DAY).rows


@pytest.mark.parametrize("name", NAMES)
def test_the_columns_due_reads_give_the_due_list_of_every_column(no_cache, name):
    every = _due_rows(SAMPLES / name)
    assert every and _due_rows(SAMPLES / name, "needed") == every


def test_a_tags_column_standing_in_for_the_tier_is_read(no_cache, tmp_path):
    path = make_workbook(
        tmp_path / "tags.xlsx",
        {
            "客户档案": [
                ["客户编号", "姓名", "手机", "生日", "标签", "建档日期"],
                ["C1", "王芳", "13800000001", dt.date(1990, 11, 25), "VIP", dt.date(2025, 1, 1)],
                ["C2", "李雷", "13800000002", dt.date(1990, 11, 25), "普通会员", dt.date(2025, 1, 1)],
            ]
        },
    )
    every = _due_rows(path)
    assert {r["customer_id"] for r in every} == {"C1"}  # the VIP's follow-up
    assert _due_rows(path, "needed") == every


def test_a_visit_linked_by_its_phone_closes_the_task_either_way(no_cache, tmp_path):
    path = make_workbook(
        tmp_path / "phone.xlsx",
        {
            "客户档案": [
                ["客户编号", "姓名", "手机", "会员等级", "建档日期"],
                ["C1", "王芳", "13800000001", "VIP", dt.date(2025, 1, 1)],
            ],
            # the id is a typo; the phone names the customer
            "回访记录": [
                ["客户编号", "手机", "回访日期", "回访类型", "结果"],
                ["C9", "13800000001", dt.date(2026, 11, 22), "沉睡唤醒", "已联系"],
            ],
        },
    )
    every = _due_rows(path)
    assert not [r for r in every if r["customer_id"] == "C1" and r["rule"] == "dormant"]
    assert _due_rows(path, "needed") == every


def _sheet(archive: Path, config, fields, out: Path, by_staff: bool) -> Path:
    loaded = load_archive([archive], config, fields=fields)
    result = due(loaded, config, DAY, rows=False)
    write_call_sheet(result, config, out, [archive], by_staff, staff=loaded.staff)
    return out


@pytest.mark.parametrize("by_staff", [False, True])
@pytest.mark.parametrize("name", NAMES)
def test_the_columns_due_reads_give_the_same_call_sheet(no_cache, tmp_path, name, by_staff):
    archive = tmp_path / name
    shutil.copy(SAMPLES / name, archive)
    toml = SAMPLES / (Path(name).stem + ".followup.toml")
    if toml.exists():
        shutil.copy(toml, tmp_path / toml.name)
    config = load_config([archive])
    needed = needed_fields(policy_setup(config).policy)
    every = _sheet(archive, config, None, tmp_path / "every.xlsx", by_staff)
    some = _sheet(archive, config, needed, tmp_path / "some.xlsx", by_staff)
    assert _sheet_values(some) == _sheet_values(every)
