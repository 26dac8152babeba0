"""The report workbook: re-read with openpyxl (sheets, values, charts, language, no phones)
and opened by LibreOffice, which must convert it to PDF."""

from __future__ import annotations

import zipfile

import pytest
from openpyxl import load_workbook

from followup_cli.kpi import parse_period, trend_period
from followup_cli.outputs.report import trend_rows, write_report
from tests.kpi_fixtures import MAIN_CUSTOMERS, D, main_archive, run


def make_report(tmp_path, lang="zh", season=None, issues=None):
    path = main_archive(tmp_path, issues=issues)
    result = run(path, by=("staff",), season=season)
    tp = trend_period(parse_period("2026-11"))
    trend = run(path, period=tp, by=("month",)).groups["month"]
    out = tmp_path / f"report-{lang}.xlsx"
    write_report(result, out, lang, trend=trend_rows(trend, tp.months), shop="锦绣服饰")
    return out


def rows_of(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def find_row(ws, col, value):
    for row in ws.iter_rows(values_only=True):
        if row[col] == value:
            return row
    raise AssertionError(f"no row with {value!r} in column {col} of {ws.title}")


def chart_title(chart) -> str:
    return "".join(run.t for p in chart.title.tx.rich.p for run in (p.r or []))


def test_sheets_values_and_charts(tmp_path):
    wb = load_workbook(make_report(tmp_path))
    assert wb.sheetnames == ["汇总", "员工排名", "月度趋势", "问题清单", "投诉汇总"]
    summary = wb["汇总"]
    assert "2026-11" in summary["A1"].value and "锦绣服饰" in summary["A1"].value
    # Each KPI: value, numerator, denominator (rates as fractions in a percent format).
    assert find_row(summary, 1, "客户满意度")[2:5] == (0.2, 1, 5)
    assert find_row(summary, 1, "满意度评价率")[2:5] == (0.6, 3, 5)
    assert find_row(summary, 1, "回访完成率（任务）")[2:5] == (0.6, 3, 5)
    assert find_row(summary, 1, "回访记录准确率")[2:5] == (1 / 3, 1, 3)
    assert find_row(summary, 1, "平均评分（0-5）")[2:5] == (3.25, 13, 4)
    assert find_row(summary, 1, "解决用时中位数（天）")[2] == 4.5
    assert not [r for r in summary.iter_rows(values_only=True) if r[1] == "每个工程回访次数"]  # no projects: no row
    cell = [c for c in summary["C"] if c.value == 0.2][0]
    assert cell.number_format == "0.0%"
    assert find_row(summary, 0, "不满意")[2] == 1  # the satisfaction distribution table (customers)
    assert find_row(summary, 0, "按政策未列出：客户拒绝回访（不计入）")[2] == 1  # C6's task
    ranking = wb["员工排名"]
    head = rows_of(ranking)[0]
    body = rows_of(ranking)[1:]
    assert head[:2] == ["排名", "员工"]
    assert [(r[0], r[1], r[head.index("完成率(任务)")], r[head.index("满意度")], r[-1]) for r in body] == [
        (1, "林晓雯", 1, 1, "评价太少，不评档"),
        (2, "陈雅琪", 0, 0, "评价太少，不评档"),
    ]  # 2 rated visits each
    trend = rows_of(wb["月度趋势"])
    # The trend starts at the first month with data (October: C5's task, V7), not at June's empty months.
    assert [r[0] for r in trend[1:]] == ["2026-10", "2026-11"]
    assert trend[-1][1:3] == [0.6, 0.2]  # November: 3/5 tasks, 1/5 visited customers satisfied
    complaints = rows_of(wb["投诉汇总"])
    assert complaints[1:4] == [["按类型", "投诉", 3], [None, "报修", 2], [None, "退换", 1]]
    issues = rows_of(wb["问题清单"])
    assert [(r[1], r[5], r[7]) for r in issues[1:]] == [
        ("C5", "其他", "否"),
        ("C1", "产品质量", "是"),
        ("C8", "服务质量", "是"),
    ]
    assert issues[3][0].date() == D(2026, 11, 30)
    charts = {ws.title: [chart_title(c) for c in ws._charts] for ws in wb.worksheets}
    assert charts == {
        "汇总": ["满意度分布"],
        "员工排名": ["各员工回访完成率"],
        "月度趋势": ["月度趋势"],
        "问题清单": [],
        "投诉汇总": ["本期受理工单（按类型）"],
    }


def test_english_report(tmp_path):
    wb = load_workbook(make_report(tmp_path, lang="en", season=True))
    assert wb.sheetnames == ["Summary", "Staff ranking", "Monthly trend", "Issues", "Complaints", "Seasonal feedback"]
    assert find_row(wb["Summary"], 1, "Satisfaction rate")[2:5] == (0.2, 1, 5)
    titles = sorted(chart_title(c) for ws in wb.worksheets for c in ws._charts)
    assert titles == [
        "Completion by staff",
        "Issues by category",
        "Monthly trend",
        "Satisfaction distribution",
        "Tickets opened, by type",
    ]
    season = rows_of(wb["Seasonal feedback"])
    assert ["product quality", 1] in [r[:2] for r in season]
    assert "希望多些大码" in [r[4] for r in season]


def test_no_phone_number_anywhere(tmp_path):
    out = make_report(tmp_path, season=True)
    phones = [c[3] for c in MAIN_CUSTOMERS]
    wb = load_workbook(out)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                assert not any(p in str(value) for p in phones), (ws.title, value)
    with zipfile.ZipFile(out) as z:  # nor in any part of the package (shared strings, charts ...)
        for name in z.namelist():
            data = z.read(name).decode("utf-8", "replace")
            assert not any(p in data for p in phones), name


def test_user_text_is_never_a_formula(tmp_path):
    issues = [["I1", None, "C1", D(2026, 11, 3), "其他", '=HYPERLINK("http://x")', "否", None]]
    wb = load_workbook(make_report(tmp_path, issues=issues))
    cell = [c for row in wb["问题清单"].iter_rows() for c in row if c.value and str(c.value).startswith("=HYP")][0]
    assert cell.data_type == "s"


def test_report_replaces_an_old_one_whole(tmp_path):
    out = make_report(tmp_path)
    first = out.read_bytes()
    out = make_report(tmp_path)
    assert zipfile.is_zipfile(out) and len(out.read_bytes()) > 0 and first[:2] == b"PK"
    assert not list(tmp_path.glob(".report-*.tmp"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_libreoffice_converts_the_report_to_pdf(tmp_path, soffice, lang):
    out = make_report(tmp_path, lang=lang, season=True)
    pdf = soffice(out, "pdf", tmp_path / "pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5000
