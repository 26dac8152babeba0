"""The book's own dropdowns on its 结果 column (QA #18): the book's word is written where one
maps (无人接听 for 未接通), the tool's word where its list has none, and that is said."""

from __future__ import annotations

import zipfile

from openpyxl import load_workbook
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

from tests.test_record_shop_book import AS_OF, BOOK, fill, invoke, make_sheet, reached, shop


def outcome_book(tmp_path):
    path = shop(tmp_path)
    wb = load_workbook(path)
    ws = wb[BOOK]
    ws.cell(row=1, column=6, value="结果")
    ws.cell(row=2, column=6, value="已接通")
    dv = DataValidation(type="list", formula1='"已接通,无人接听,拒绝"', allow_blank=True)
    dv.add("F2:F1000")
    ws.add_data_validation(dv)
    wb.save(path)
    return path


def test_the_books_own_outcome_words_are_written_and_a_missing_one_said(tmp_path):
    path = outcome_book(tmp_path)
    out = make_sheet(tmp_path, path)
    fill(
        out,
        {
            "C1": reached(),
            "C2": {"完成日期": AS_OF, "方式": "电话", "结果": "未接通"},
            "C3": {"完成日期": AS_OF, "方式": "电话", "结果": "空号"},
        },
    )
    with zipfile.ZipFile(path) as z:
        others = {n: z.read(n) for n in z.namelist() if "sheet3" not in n}
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(BOOK).to_python()
    got = {}
    for r in rows[2:]:
        got.setdefault(r[0], r[5])
    assert got == {"C1": "已接通", "C2": "无人接听", "C3": "号码错误"}
    assert "“结果”下拉列表中没有 号码错误" in result.stderr
    assert "“空号”按“号码错误”记录" in result.stderr
    with zipfile.ZipFile(path) as z:
        assert {n: z.read(n) for n in z.namelist() if "sheet3" not in n} == others  # only the book's part changed


def test_a_separate_log_is_created_and_why_is_said(tmp_path):
    from tests.helpers import CUSTOMER_HEADERS, customer, make_workbook

    path = make_workbook(tmp_path / "dnc.xlsx", {"客户档案": [CUSTOMER_HEADERS, customer("C1")]})
    before = path.read_bytes()
    result = invoke("log", path, "--customer", "C1", "--kind", "生日回访", "--outcome", "已联系", "--date", AS_OF)
    assert result.exit_code == 0, result.output
    log = tmp_path / "dnc-回访记录.xlsx"
    assert (
        "dnc.xlsx 中没有回访记录工作表，所以已新建 dnc-回访记录.xlsx" in result.stderr and "visit_log" in result.stderr
    )
    assert path.read_bytes() == before
    rows = CalamineWorkbook.from_path(str(log)).get_sheet_by_name("回访记录").to_python()
    assert rows[1][1] == "C1"
    again = invoke("log", path, "--customer", "C1", "--kind", "产品使用回访", "--outcome", "已联系", "--date", AS_OF)
    assert again.exit_code == 0 and "已新建" not in again.stderr  # said once, when it is made
