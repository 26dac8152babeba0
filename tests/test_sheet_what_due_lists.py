"""A call sheet lists what `due` lists, or says what it leaves off; a hand-kept book's 未接通
in 回访内容 is an attempt, not a visit (issue 12, QA round: /tmp/qa/wb/13_visit_book.xlsx)."""

from __future__ import annotations

import json

from openpyxl import load_workbook

from tests.helpers import make_workbook
from tests.test_record_shop_book import invoke

AS_OF = "2026-11-25"


def book(tmp_path, visits):
    return make_workbook(
        tmp_path / "book.xlsx",
        {
            "客户档案": [
                ["客户编号", "姓名", "手机", "生日", "会员等级"],
                ["B1", "王芳", "13000000001", "1990-11-25", "VIP"],
                ["B2", "李静", "13000000002", "1990-11-25", "VIP"],
                ["B4", "刘洋", "13000000004", "1990-11-25", "VIP"],
            ],
            "回访本": [["日期", "客户", "电话", "回访内容", "回访人"], *visits],
        },
    )


def sheet_names(tmp_path, path, as_of=AS_OF):
    out = tmp_path / "s.xlsx"
    result = invoke("sheet", path, "--as-of", as_of, "-o", out, "--overwrite", "--lang", "en")
    assert result.exit_code == 0, result.output
    ws = load_workbook(out).worksheets[0]
    col = [c.value for c in ws[1]].index("Name")
    return {r[col] for r in ws.iter_rows(min_row=2, values_only=True) if r[col]}, result


def due_rows(path, as_of=AS_OF):
    return json.loads(invoke("due", path, "--as-of", as_of, "--format", "json").stdout)


def test_a_missed_call_written_in_回访内容_is_an_attempt_and_on_the_sheet(tmp_path):
    path = book(
        tmp_path,
        [
            ["2026-11-25", "王芳", None, "生日祝福，客户很开心", "小陈"],
            ["2026/11/25", None, "13000000002", "打电话祝生日快乐，未接通", "小陈"],
        ],
    )
    rows = due_rows(path)
    by = {r["customer_name"]: r for r in rows}
    assert set(by) == {"李静", "刘洋"} and by["李静"]["attempts"] == 1 and by["刘洋"]["attempts"] == 0
    names, _ = sheet_names(tmp_path, path)
    assert names == set(by)  # every contact due lists


def test_tasks_a_call_sheet_leaves_off_are_named(tmp_path):
    """due --ahead lists tomorrow's birthday; a call sheet (today's calls) leaves it off and says whose."""
    import datetime as dt

    from followup_cli.archive.reading import load_archive
    from followup_cli.config import load_config
    from followup_cli.outputs.call_sheet import write_call_sheet
    from followup_cli.outputs.due_list import due

    path = book(tmp_path, [])
    config = load_config([path], None)
    result = due(load_archive([path], config), config, dt.date(2026, 11, 24), ahead=2)
    upcoming = {t.customer.name for t in result.schedule.tasks if t.status == "upcoming"}
    assert upcoming == {"王芳", "李静", "刘洋"}
    info = write_call_sheet(result, config, tmp_path / "s.xlsx", [path])
    assert info["contacts"] == 0 and set(info["left_off"]["upcoming"]) == upcoming
