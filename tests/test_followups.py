"""Tasks the calls create: the agreed next follow-up, and reminders of open issues."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from followup_cli.cli import cli
from tests.helpers import archive, customer

D = dt.date
HEAD = ["回访编号", "客户编号", "回访日期", "回访类型", "结果", "问题类别", "问题描述", "是否解决", "下次跟进"]


def due_rows(path, as_of, *extra):
    result = CliRunner().invoke(cli, ["due", str(path), "--as-of", as_of, "--format", "json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def book(tmp_path, visits, config=None):
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = archive(
        tmp_path, customers=[customer("C1", birthday=D(1990, 3, 3))], extra_sheets={"回访记录": [HEAD] + visits}
    )
    if config:
        (tmp_path / "followup.toml").write_text(config, encoding="utf-8")
    return path


def test_an_agreed_next_date_becomes_a_task_on_that_day(tmp_path):
    path = book(tmp_path, [["V1", "C1", D(2026, 11, 2), "产品使用回访", "已联系", None, None, None, "2026-11-20"]])
    assert [r for r in due_rows(path, "2026-11-19") if r["customer_id"] == "C1"] == []
    (row,) = [r for r in due_rows(path, "2026-11-20") if r["customer_id"] == "C1"]
    assert row["kind"] == "product_use" and row["due_date"] == "2026-11-20"
    assert "2026-11-02" in row["reason"] and "约定" in row["reason"]
    en = [r for r in due_rows(path, "2026-11-20", "--lang", "en") if r["customer_id"] == "C1"]
    assert en[0]["reason"] == "agreed on the call of 2026-11-02"
    # the call made on the agreed day closes it
    done = book(
        tmp_path / "b",
        [
            ["V1", "C1", D(2026, 11, 2), "产品使用回访", "已联系", None, None, None, "2026-11-20"],
            ["V2", "C1", D(2026, 11, 20), "产品使用回访", "已联系", None, None, None, None],
        ],
    )
    assert [r for r in due_rows(done, "2026-11-21") if r["customer_id"] == "C1"] == []


def test_an_open_issue_reminds_every_n_days_until_resolved(tmp_path):
    visit = ["V1", "C1", D(2026, 11, 1), "售后回访", "已联系", "产品质量", "拉链坏了", "否", None]
    path = book(tmp_path, [visit])
    rows = [r for r in due_rows(path, "2026-11-08") if r["customer_id"] == "C1"]
    assert [(r["due_date"], r["kind"]) for r in rows] == [("2026-11-08", "after_sales")]
    assert "2026-11-01" in rows[0]["reason"]
    assert [r for r in due_rows(path, "2026-11-07") if r["customer_id"] == "C1"] == []
    # configurable: every 3 days
    path3 = book(tmp_path / "c", [visit], "[followups]\nissue_reminder_days = 3\n")
    rows = [r for r in due_rows(path3, "2026-11-07") if r["customer_id"] == "C1"]
    assert [r["due_date"] for r in rows] == ["2026-11-07"]
    # resolved: no reminder
    resolved = book(tmp_path / "d", [visit[:7] + ["是", None]])
    assert [r for r in due_rows(resolved, "2026-11-08") if r["customer_id"] == "C1"] == []


def test_a_bad_followups_setting_is_a_config_error(tmp_path):
    path = book(tmp_path, [], "[followups]\nissue_reminder_days = -1\n")
    result = CliRunner().invoke(cli, ["due", str(path), "--as-of", "2026-11-08"])
    assert result.exit_code == 2 and "issue_reminder_days" in result.output


def test_a_shop_book_headed_with_the_date_words_is_read_too(tmp_path):
    """A hand-kept book heads the column 下次跟进日期 (or Next follow-up date), the header the
    call sheet itself uses: its dates become tasks as 下次跟进's do (QA: they were ignored)."""
    for header in ("下次跟进日期", "下次回访日期", "Next follow-up date"):
        folder = tmp_path / str(abs(hash(header)))
        folder.mkdir()
        path = archive(
            folder,
            customers=[customer("C1", birthday=D(1990, 3, 3))],
            extra_sheets={
                "回访记录": [
                    ["客户编号", "回访日期", "回访类型", "结果", header],
                    ["C1", D(2026, 11, 2), "产品使用回访", "已联系", D(2026, 11, 20)],
                ]
            },
        )
        (row,) = [r for r in due_rows(path, "2026-11-20", "--no-cache") if r["customer_id"] == "C1"]
        assert row["due_date"] == "2026-11-20" and "约定" in row["reason"], header
