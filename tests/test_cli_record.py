"""The daily loop: sheet → filled by the clerk → record → the visit log, exactly once."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from followup_cli.archive.reading import load_archive
from followup_cli.cli import cli
from tests.helpers import archive, customer, make_workbook

D = dt.date
AS_OF = "2026-11-23"


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


FULL_VISITS = [
    "回访编号",
    "客户编号",
    "回访日期",
    "回访类型",
    "回访方式",
    "回访人",
    "结果",
    "满意度",
    "评分",
    "问题类别",
    "问题描述",
    "是否解决",
    "解决日期",
    "备注",
    "任务编号",
]


def shop(tmp_path, **kw):
    kw.setdefault("extra_sheets", {"回访记录": [FULL_VISITS]})
    kw.setdefault("customers", [customer("C1", birthday=D(1990, 11, 23)), customer("C2", name="李雷", gender="男")])
    kw.setdefault("purchases", [["C2", D(2026, 11, 16), "大衣", 1999, "是"]])
    return archive(tmp_path, **kw)


def make_sheet(tmp_path, path, *extra):
    out = tmp_path / "calls.xlsx"
    result = invoke("sheet", path, "-o", out, "--as-of", AS_OF, *extra)
    assert result.exit_code == 0, result.output
    return out


def fill(sheet_path, rows: dict[str, dict]):
    """Fill result columns by customer id: {'C1': {'完成日期': '2026-11-23', ...}}."""
    wb = load_workbook(sheet_path)
    for ws in wb.worksheets:
        if ws.title == "_followup":
            continue
        headers = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            cid = row[headers.index("客户编号")].value
            for header, value in rows.get(cid, {}).items():
                cell = row[headers.index(header)]
                cell.value = value
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # typed as text, as a clerk's text cell is stored
    wb.save(sheet_path)


def visits(path):
    return load_archive([path]).visits


def reached(date=AS_OF, **more):
    return {"完成日期": date, "方式": "电话", "结果": "已联系", "满意度": "满意", "评分(0-5)": 5, **more}


def test_call_sheet_layout(tmp_path):
    out = make_sheet(tmp_path, shop(tmp_path))
    wb = load_workbook(out)
    assert wb["_followup"].sheet_state == "hidden"
    ws = wb["回访清单"]
    headers = [c.value for c in ws[1]]
    # the printed columns first (the print area A:H), the task ids and the rest beside them
    assert headers[:8] == ["姓名", "电话", "回访类型", "原因", "话术 / 短信内容", "结果", "满意度", "备注"]
    assert "任务编号" in headers and "客户编号" in headers and ws.print_area == "'回访清单'!$A$1:$H$3"
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref.startswith("A1:")
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"
    lists = {str(dv.sqref)[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    col = {h: chr(65 + i) for i, h in enumerate(headers)}
    assert "已联系" in lists[col["结果"]] and "非常满意" in lists[col["满意度"]]
    assert "产品质量" in lists[col["问题类别"]] and "是" in lists[col["是否解决"]]
    cid = headers.index("客户编号")
    rows = {r[cid].value: r for r in ws.iter_rows(min_row=2) if r[cid].value}
    assert set(rows) == {"C1", "C2"}
    assert "王女士您好" in rows["C1"][headers.index("话术 / 短信内容")].value
    assert "李先生您好" in rows["C2"][headers.index("话术 / 短信内容")].value


def test_by_staff_tabs(tmp_path):
    path = shop(
        tmp_path,
        customers=[customer("C1", birthday=D(1990, 11, 23), owner="甲"), customer("C2", name="李雷", owner="乙")],
    )
    wb = load_workbook(make_sheet(tmp_path, path, "--by-staff"))
    assert wb.sheetnames == ["甲", "乙", "_followup"]


def test_round_trip_appends_once_and_closes_the_task(tmp_path):
    path = shop(tmp_path)
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached(备注="=1+1 客户说谢谢")})
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "追加 1 行" in result.stderr and "1 行未填写结果" in result.stderr
    got = visits(path)
    assert len(got) == 1
    v = got[0]
    assert (v.customer_id, v.date.date(), v.kind, v.outcome, v.satisfaction, v.score) == (
        "C1",
        D(2026, 11, 23),
        "生日回访",
        "已联系",
        "满意",
        5,
    )
    assert v.notes == "=1+1 客户说谢谢" and v.task_id.startswith("T")
    due = json.loads(invoke("due", path, "--as-of", AS_OF, "--format", "json").stdout)
    assert [r["customer_id"] for r in due] == ["C2"]
    again = invoke("record", path, out, "--as-of", AS_OF)
    assert again.exit_code == 0 and "已记录过" in again.stderr
    assert len(visits(path)) == 1


def test_formula_text_stays_text_in_the_xml(tmp_path):
    path = shop(tmp_path)
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached(备注='=HYPERLINK("http://x")')})
    assert invoke("record", path, out, "--as-of", AS_OF).exit_code == 0
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet3.xml").decode()
    assert "HYPERLINK" in xml and "<f>" not in xml


@pytest.mark.parametrize(
    "values, message, cell_header",
    [
        ({"完成日期": "2026-11-30", "结果": "已联系"}, "in the future", None),
        ({"完成日期": AS_OF, "结果": "已联系", "满意度": "超级满意"}, "not in the list", "满意度"),
        ({"完成日期": AS_OF, "结果": "已联系", "评分(0-5)": 7}, "0 to 5", "评分(0-5)"),
        ({"完成日期": AS_OF, "结果": "未接通", "满意度": "满意"}, "did not reach", "满意度"),
        ({"完成日期": "昨天", "结果": "已联系"}, "not a date", "完成日期"),
        ({"结果": "已联系"}, "date done is empty", "完成日期"),
    ],
)
def test_invalid_rows_write_nothing(tmp_path, values, message, cell_header):
    path = shop(tmp_path)
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached(), "C2": values})
    before = path.read_bytes()
    result = invoke("record", path, out, "--as-of", AS_OF, "--lang", "en")
    assert result.exit_code == 1
    assert message in result.stderr and "nothing was written" in result.stderr
    assert "回访清单!" in result.stderr
    if cell_header:
        headers = [c.value for c in load_workbook(out)["回访清单"][1]]
        assert f"!{chr(65 + headers.index(cell_header))}" in result.stderr
    assert path.read_bytes() == before


def test_unknown_task_id(tmp_path):
    path = shop(tmp_path)
    out = make_sheet(tmp_path, path)
    wb = load_workbook(out)
    ws = wb["回访清单"]
    ws.cell(row=2, column=[c.value for c in ws[1]].index("任务编号") + 1).value = "TAAAAAAAAAA"
    wb.save(out)
    fill(out, {c: reached() for c in ("C1", "C2")})
    result = invoke("record", path, out, "--as-of", AS_OF, "--lang", "en")
    assert result.exit_code == 1 and "unknown task id 'TAAAAAAAAAA'" in result.stderr
    zh = invoke("record", path, out, "--as-of", AS_OF)  # a Chinese archive: Chinese messages
    assert zh.exit_code == 1 and "任务编号“TAAAAAAAAAA”不存在" in zh.stderr


def test_skip_invalid_writes_the_good_rows_and_a_rejects_workbook(tmp_path):
    path = shop(tmp_path)
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached(), "C2": {"完成日期": AS_OF, "结果": "已联系", "评分(0-5)": 9}})
    result = invoke("record", path, out, "--as-of", AS_OF, "--skip-invalid", "--lang", "en")
    assert result.exit_code == 1
    assert [v.customer_id for v in visits(path)] == ["C1"]
    rejects = load_workbook(tmp_path / "calls-rejects.xlsx").active
    assert rejects["A2"].value == "calls.xlsx 回访清单!A3" and rejects["B2"].value.startswith("calls.xlsx 回访清单!")
    assert "0 to 5" in rejects["D2"].value


def test_dry_run_writes_nothing(tmp_path):
    path = shop(tmp_path)
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached()})
    before = path.read_bytes()
    result = invoke("record", path, out, "--as-of", AS_OF, "--dry-run", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 1 and "生日回访" in rows[0].values()
    assert path.read_bytes() == before
    assert not (tmp_path / ".followup-backups").exists()


def test_three_no_answers_close_the_task(tmp_path):
    path = shop(tmp_path, customers=[customer("C1", birthday=D(1990, 11, 20))], purchases=[])
    for day in ("2026-11-20", "2026-11-21", "2026-11-22"):
        result = invoke("log", path, "--customer", "C1", "--kind", "生日回访", "--outcome", "未接通", "--date", day)
        assert result.exit_code == 0, result.output
    assert len(visits(path)) == 3
    due = json.loads(invoke("due", path, "--as-of", "2026-11-23", "--format", "json").stdout)
    assert due == []
    assert len({v.task_id for v in visits(path)}) == 1  # the same task each time


def test_log_one_visit_and_its_checks(tmp_path):
    path = shop(tmp_path)
    ok = invoke(
        "log",
        path,
        "--customer",
        "C2",
        "--kind",
        "新品回访",
        "--outcome",
        "reached",
        "--satisfaction",
        "非常满意",
        "--date",
        AS_OF,
    )
    assert ok.exit_code == 0, ok.output
    v = visits(path)[0]
    assert (v.customer_id, v.kind, v.outcome, v.satisfaction, v.staff) == (
        "C2",
        "产品使用回访",
        "已联系",
        "非常满意",
        "林晓雯",
    )
    due = json.loads(invoke("due", path, "--as-of", AS_OF, "--format", "json").stdout)
    assert "product_use" not in {r["kind"] for r in due}
    bad = invoke("log", path, "--customer", "C9", "--kind", "birthday", "--outcome", "reached")
    assert bad.exit_code == 2 and "C9" in bad.stderr
    bad = invoke("log", path, "--customer", "C2", "--kind", "birthday", "--outcome", "未接通", "--score", "3")
    assert bad.exit_code == 2 and "--score：没有联系上客户" in bad.stderr  # a Chinese archive: in Chinese
    bad = invoke(
        "log", path, "--customer", "C2", "--kind", "birthday", "--outcome", "未接通", "--score", "3", "--lang", "en"
    )
    assert bad.exit_code == 2 and "--score: " in bad.stderr and "did not reach" in bad.stderr
    assert len(visits(path)) == 1


def test_english_log_gets_english_values(tmp_path):
    headers = ["Customer ID", "Name", "Birthday"]
    path = make_workbook(
        tmp_path / "shop.xlsx",
        {
            "Customers": [headers, ["C1", "Amy Li", D(1990, 11, 23)]],
            "Visits": [
                ["Visit ID", "Customer ID", "Date", "Kind", "Outcome", "Notes"],
                ["V7", "C1", D(2025, 11, 23), "birthday greeting", "reached", ""],
            ],
        },
    )
    out = make_sheet(tmp_path, path)
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    ws.cell(row=2, column=headers.index("Date done") + 1, value=AS_OF)
    ws.cell(row=2, column=headers.index("Outcome") + 1, value="reached")
    wb.save(out)
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    new = visits(path)[-1]
    assert (new.visit_id, new.kind, new.outcome) == ("V8", "birthday greeting", "reached")
    assert new.task_id.startswith("T") and new.notes is None  # no task id column: one is added
    assert "added columns" in result.stderr and "Task ID" in result.stderr  # said in the archive's language
    assert json.loads(invoke("due", path, "--as-of", AS_OF, "--format", "json").stdout) == []


def test_csv_archive_gets_a_separate_log(tmp_path):
    csv_path = tmp_path / "customers.csv"
    csv_path.write_text("客户编号,姓名,生日\nC1,王芳,1990-11-23\n", encoding="utf-8-sig")
    out = make_sheet(tmp_path, csv_path)
    fill(out, {"C1": reached()})
    before = csv_path.read_bytes()
    result = invoke("record", csv_path, out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert csv_path.read_bytes() == before
    log = tmp_path / "customers-回访记录.xlsx"
    assert log.exists()
    assert json.loads(invoke("due", csv_path, "--as-of", AS_OF, "--format", "json").stdout) == []


def test_refuses_a_workbook_open_in_excel(tmp_path):
    path = shop(tmp_path)
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached()})
    (tmp_path / f"~${path.name}").write_bytes(b"\x05\x00alice" + b" " * 50)
    before = path.read_bytes()
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 2 and "--ignore-lock" in result.stderr
    assert path.read_bytes() == before
    assert invoke("record", path, out, "--as-of", AS_OF, "--ignore-lock").exit_code == 0


def test_a_value_with_no_column_in_the_log_gets_a_column_said_once(tmp_path):
    path = shop(tmp_path, extra_sheets={})  # the minimal log: no score, notes or staff columns
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached(备注="客户很高兴")})
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("添加列") == 1 and "评分" in result.stderr and "备注" in result.stderr
    (v,) = visits(path)
    assert (v.score, v.notes, v.channel) == (5, "客户很高兴", "电话")
    again = invoke("record", path, out, "--as-of", AS_OF)
    assert again.exit_code == 0 and "添加列" not in again.stderr and len(visits(path)) == 1


def test_not_a_call_sheet(tmp_path):
    path = shop(tmp_path)
    result = invoke("record", path, path, "--lang", "en")
    assert result.exit_code == 2 and "not a call sheet" in result.stderr


def test_separate_log_shows_dates_as_dates(tmp_path):
    csv_path = tmp_path / "customers.csv"
    csv_path.write_text("客户编号,姓名,生日\nC1,王芳,1990-11-23\n", encoding="utf-8-sig")
    out = make_sheet(tmp_path, csv_path)
    fill(out, {"C1": reached()})
    assert invoke("record", csv_path, out, "--as-of", AS_OF).exit_code == 0
    ws = load_workbook(tmp_path / "customers-回访记录.xlsx")["回访记录"]
    headers = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=headers.index("回访日期") + 1)
    assert cell.is_date and cell.value.date() == D(2026, 11, 23)


ISSUE_HEADERS = [
    "问题编号",
    "回访编号",
    "任务编号",
    "客户编号",
    "提出日期",
    "问题类别",
    "问题描述",
    "是否解决",
    "解决日期",
    "回访人",
]


def test_a_raised_issue_opens_an_entry_that_a_later_visit_resolves(tmp_path):
    path = shop(tmp_path, extra_sheets={"回访记录": [FULL_VISITS], "问题跟踪": [ISSUE_HEADERS]})
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached(问题类别="产品质量", 问题描述="大衣掉毛", 是否解决="否")})
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    arch = load_archive([path])
    assert [(i.issue_id, i.customer_id, i.raised_on, i.category, i.text, i.resolved) for i in arch.issues] == [
        ("Q0001", "C1", D(2026, 11, 23), "产品质量", "大衣掉毛", False)
    ]
    assert arch.issues[0].visit_id == arch.visits[0].visit_id
    later = invoke(
        "log",
        path,
        "--customer",
        "C1",
        "--kind",
        "售后回访",
        "--outcome",
        "已联系",
        "--resolved",
        "是",
        "--date",
        AS_OF,
    )
    assert later.exit_code == 0, later.output
    arch = load_archive([path])
    assert [(i.resolved, i.resolved_on) for i in arch.issues] == [(True, D(2026, 11, 23))]
    assert len(arch.visits) == 2


def test_without_a_tracking_sheet_the_visit_row_carries_the_issue(tmp_path):
    path = shop(tmp_path)
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached("2026-11-22", 问题类别="服务质量", 问题描述="等太久")})
    assert invoke("record", path, out, "--as-of", AS_OF).exit_code == 0
    first = load_archive([path]).visits[0]
    assert (first.issue_category, first.issue, first.resolved) == ("服务质量", "等太久", None)
    later = invoke(
        "log",
        path,
        "--customer",
        "C1",
        "--kind",
        "投诉回访",
        "--outcome",
        "已联系",
        "--resolved",
        "是",
        "--date",
        AS_OF,
    )
    assert later.exit_code == 0, later.output
    first = load_archive([path]).visits[0]
    assert (first.resolved, first.resolved_on) == (True, D(2026, 11, 23))


def test_an_archive_from_init_tracks_issues_in_its_own_sheet(tmp_path):
    path = tmp_path / "shop.xlsx"
    assert invoke("init", path, "--preset", "retail-vip", "--lang", "zh").exit_code == 0
    wb = load_workbook(path)
    ws = wb["客户档案"]
    headers = [c.value for c in ws[1]]
    row = [None] * len(headers)
    row[headers.index("客户编号")], row[headers.index("姓名")] = "C1", "王芳"
    row[headers.index("生日")] = "11月23日"
    ws.append(row)
    wb.save(path)
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached(问题类别="价格", 问题描述="希望会员价更低")})
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    arch = load_archive([path])
    assert [(i.customer_id, i.category, i.text, i.resolved) for i in arch.issues] == [
        ("C1", "价格", "希望会员价更低", False)
    ]


def test_call_sheet_has_a_staff_column_with_the_owner_and_a_dropdown_of_active_staff(tmp_path):
    path = shop(
        tmp_path,
        customers=[
            customer("C1", birthday=D(1990, 11, 23), owner="林晓雯"),
            customer("C2", name="李雷", gender="男", owner="张伟"),
        ],
        extra_sheets={
            "回访记录": [FULL_VISITS],
            "员工": [
                ["工号", "姓名", "离职日期"],
                ["S1", "林晓雯", None],
                ["S2", "张伟", D(2026, 1, 1)],
                ["S3", "王敏", None],
            ],
        },
    )
    wb = load_workbook(make_sheet(tmp_path, path))
    ws = wb["回访清单"]
    headers = [c.value for c in ws[1]]
    col = headers.index("回访人")
    cid = headers.index("客户编号")
    rows = {r[cid].value: r[col].value for r in ws.iter_rows(min_row=2) if r[cid].value}
    assert rows == {"C1": "林晓雯", "C2": None}  # the owner who left is not pre-filled
    letter = chr(65 + col)
    (dv,) = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(letter)]
    ref = dv.formula1.split("!")[1].replace("$", "")
    meta = wb["_followup"]
    names = [meta.cell(row=r, column=4).value for r in range(1, 4)]
    assert names[:2] == ["林晓雯", "王敏"] and names[2] is None and ref == "D1:D2"


def test_every_problem_of_a_row_is_told_at_once_with_its_cell(tmp_path):
    """A score of 7 and a date in the future on one row: both said, each at its own cell with
    the fix, so the clerk corrects the row once (QA: the date was told only after the score)."""
    path = shop(tmp_path)
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached(), "C2": reached(date="2026-11-30", **{"评分(0-5)": 7})})
    headers = [c.value for c in load_workbook(out)["回访清单"][1]]
    column = {h: chr(65 + headers.index(h)) for h in ("完成日期", "评分(0-5)")}
    before = path.read_bytes()
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    future = [line for line in lines if "在未来" in line]
    assert len(future) == 1 and f"回访清单!{column['完成日期']}" in future[0], result.stderr
    assert f"最晚 {AS_OF}" in future[0]
    assert any(f"回访清单!{column['评分(0-5)']}" in line for line in lines), result.stderr
    assert "拒绝 1 行" in result.stderr, result.stderr
    assert path.read_bytes() == before
