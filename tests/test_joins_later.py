"""A customer whose join day (archive date, else first purchase) is after the as-of day gets no
follow-up at all: `check` says so at the cell that gives the day, in both languages."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from followup_cli.cli import cli

AS_OF = "2026-11-23"


def _archive(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "客户档案"
    ws.append(["客户编号", "姓名", "手机", "生日", "入会时间"])
    ws.append(["C001", "张三", "13800000001", dt.date(1990, 11, 22), dt.date(2027, 3, 1)])  # joins later
    ws.append(["C002", "李四", "13800000002", dt.date(1990, 11, 22), dt.date(2020, 3, 1)])
    ws.append(["C003", "王五", "13800000003", dt.date(1990, 11, 22), None])  # first purchase later
    buys = wb.create_sheet("消费记录")
    buys.append(["客户编号", "日期", "商品", "金额"])
    buys.append(["C003", dt.date(2027, 5, 1), "外套", 100])
    wb.save(path)
    return path


def _run(*args):
    return CliRunner().invoke(cli, [*map(str, args), "--no-cache"], catch_exceptions=False)


def test_due_leaves_them_out_and_check_says_where(tmp_path):
    path = _archive(tmp_path / "a.xlsx")
    due = json.loads(_run("due", path, "--as-of", AS_OF, "--format", "json", "-q").stdout)
    assert {r["customer_id"] for r in due} == {"C002"}  # the birthday greeting of the other two is not due
    problems = json.loads(_run("check", path, "--as-of", AS_OF, "--format", "json", "-q").stdout)
    later = {(p["sheet"], p["cell"], p["value"]) for p in problems if p["code"] == "joins-later"}
    assert later == {("客户档案", "E2", "2027-03-01"), ("消费记录", "B2", "2027-05-01")}


@pytest.mark.parametrize(("lang", "words"), [("zh", "不会有任何回访"), ("en", "no follow-up falls due")])
def test_in_both_languages(tmp_path, lang, words):
    out = _run("check", _archive(tmp_path / "a.xlsx"), "--as-of", AS_OF, "--lang", lang).stdout
    assert sum(words in line for line in out.splitlines()) == 2


def test_a_join_day_on_or_before_the_as_of_day_is_not_said(tmp_path):
    path = _archive(tmp_path / "a.xlsx")
    problems = json.loads(_run("check", path, "--as-of", "2027-06-01", "--format", "json", "-q").stdout)
    assert not [p for p in problems if p["code"] == "joins-later"]
