"""A totals line under the visits whose other cells hold counts (本月合计 | 1次, the example in
docs/writing.md, QA #8): read as a totals line, not a visit, and never written below."""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook, load_workbook

from tests.test_record_shop_book import invoke


def dated_book(tmp_path, footer=("本月合计", "1次", None, None, None)):
    """回访日期 first, 客户编号 second: the footer's count sits in the key column."""
    wb = Workbook()
    ws = wb.active
    ws.title = "客户档案"
    ws.append(["客户编号", "姓名", "手机"])
    ws.append(["C1", "甲", "13100000001"])
    ws.append(["C2", "小计", "13100000002"])  # a customer called 小计 is a customer
    v = wb.create_sheet("回访记录")
    v.append(["回访日期", "客户编号", "回访类型", "结果", "回访人"])
    v.append([dt.datetime(2026, 11, 1), "C1", "节日问候", "已联系", None])
    v["A2"].number_format = "yyyy-mm-dd"
    v.append(list(footer))
    path = tmp_path / "foot.xlsx"
    wb.save(path)
    return path


def test_a_footer_with_a_count_in_the_id_column_is_not_a_visit(tmp_path):
    path = dated_book(tmp_path)
    out = invoke("check", path, "--as-of", "2026-11-23", "--lang", "en")
    said = out.stdout + out.stderr
    assert "totals/footer row(s) passed over" in said and "(row 3)" in said
    assert "1次" not in said and "本月合计" not in said  # neither a bad date nor an unknown customer
    assert "小计" not in said  # the customer so named is read as one
    assert out.exit_code == 0, said


def test_log_refuses_to_write_below_the_footer_naming_the_cell(tmp_path):
    path = dated_book(tmp_path)
    before = path.read_bytes()
    out = invoke(
        "log",
        path,
        "--customer",
        "C1",
        "--kind",
        "生日回访",
        "--outcome",
        "已联系",
        "--date",
        "2026-11-23",
        "--staff",
        "甲",
    )
    assert out.exit_code == 1
    assert "foot.xlsx 回访记录!A3 是合计/页脚行" in out.stderr and "剪切" in out.stderr  # the archive's language
    assert path.read_bytes() == before
    rows = [[c.value for c in r] for r in load_workbook(path)["回访记录"].iter_rows()]
    assert rows[-1][:2] == ["本月合计", "1次"] and len(rows) == 3


def test_a_numbered_total_and_an_english_total_line(tmp_path):
    for footer in (("合计", 12, None, None, None), ("Total", "3 visits", None, None, None)):
        path = dated_book(tmp_path, footer)
        said = invoke("check", path, "--as-of", "2026-11-23", "--lang", "en")
        assert "passed over, not read as data (row 3)" in said.stdout + said.stderr, footer
