"""`due --explain` on screen: one row per contact for what is listed, and a row of its own,
with its own reason, for each task left out. A listed task and a left-out one never share a
row (QA: a points SMS left out for 接受短信 = 否 was folded into the customer's listed
birthday call with an empty reason; a points SMS listed despite a "do not call" tag was
shown under that tag's reason)."""

from __future__ import annotations

import datetime as dt
import json
import re

from click.testing import CliRunner

from followup_cli.cli import cli
from tests.helpers import make_workbook
from tests.test_kpi_due_union import dnc_by_channel

D = dt.date
TASK_ID = re.compile(r"\bT[A-Z2-7]{10}\b")


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"COLUMNS": "400"})


def rows_by_ids(path):
    """(listed ids, {left-out id: reason}) from json, and the table rows' task ids and reasons."""
    got = invoke("due", path, "--as-of", "2026-11-23", "--explain", "--format", "json", "--no-cache")
    assert got.exit_code == 0, got.output
    tasks = json.loads(got.stdout)
    listed = {t["task_id"] for t in tasks if not t["left_out"]}
    left = {t["task_id"]: t["left_out"] for t in tasks if t["left_out"]}
    table = invoke("due", path, "--as-of", "2026-11-23", "--explain", "--wide", "--no-cache")
    assert table.exit_code == 0, table.output
    rows = [(set(TASK_ID.findall(line)), line) for line in table.stdout.splitlines() if TASK_ID.search(line)]
    return listed, left, rows


def assert_rows_apart(listed, left, rows):
    assert listed and left
    shown = set()
    for ids, line in rows:
        shown |= ids
        if ids & set(left):
            assert len(ids) == 1, line  # a left-out task is a row of its own
            (tid,) = ids
            assert left[tid] in line, line  # with its own reason
        else:
            assert ids <= listed, line
            assert not any(reason in line for reason in left.values()), line
    assert shown == listed | set(left)  # every task shown once, nothing folded away


def test_channel_refusals_are_rows_of_their_own(tmp_path):
    listed, left, rows = rows_by_ids(dnc_by_channel(tmp_path))
    assert len(listed) == 4 and len(left) == 2
    assert_rows_apart(listed, left, rows)


def test_a_refusal_in_a_tag_leaves_the_sms_on_its_own_listed_row(tmp_path):
    # /tmp/qa/w1 YZ004: tag "do not call"; the points SMS is listed, the two calls are not.
    path = make_workbook(
        tmp_path / "tags.xlsx",
        {
            "客户档案": [
                ["客户编号", "姓名", "手机", "生日", "会员等级", "积分", "负责人", "标签"],
                ["Y4", "小赵", "13800001004", D(1992, 11, 23), "VIP", 600, "林晓雯", "do not call"],
            ],
            "消费记录": [
                ["客户编号", "消费日期", "商品名称", "金额", "当季新品"],
                ["Y4", D(2026, 11, 15), "袜子", 88, "是"],
            ],
            "员工": [["姓名"], ["林晓雯"]],
        },
    )
    listed, left, rows = rows_by_ids(path)
    assert len(listed) == 1 and len(left) == 2
    assert_rows_apart(listed, left, rows)
