"""Extending a shop's visit sheet with new columns, surgically (xlsx/header.py)."""

from __future__ import annotations

import csv as stdcsv
import datetime as dt
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from python_calamine import CalamineWorkbook

from followup_cli.errors import WriteRefused
from followup_cli.writeback.changes import Append, ExtendHeader
from followup_cli.writeback.transaction import apply_changes, sheet_width

SHEET = "回访登记"
HEAD = ["客户编号", "回访日期", "回访类型", "回访人", "满意度"]


def shop_book(path, table=False, validation=False, autofilter=False, table_right="E"):
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEAD)
    ws.append(["C1", dt.date(2026, 11, 1), "生日回访", "林晓雯", "满意"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    ws.column_dimensions["B"].width = 14
    ws["B2"].number_format = "yyyy-mm-dd"
    if table:
        t = Table(displayName="VisitTable", ref=f"A1:{table_right}2")
        t.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        ws.add_table(t)
    if validation:
        dv = DataValidation(type="list", formula1='"非常满意,满意,一般,不满意,非常不满意"', allow_blank=True)
        dv.add("E2:E500")
        ws.add_data_validation(dv)
    if autofilter:
        ws.auto_filter.ref = "A1:E2"
    wb.create_sheet("其他").append(["不要动"])
    wb.save(path)
    return path


def members(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


NEW = {6: "结果", 7: "备注", 8: "任务编号"}
ROW = ["C2", dt.date(2026, 11, 23), "生日回访", "林晓雯", "满意", "未接通", "=1+1 回电", "TABCDEFGHIJ"]


@pytest.mark.parametrize("kind", ["plain", "table", "validation", "autofilter"])
def test_header_grows_and_everything_else_is_kept(tmp_path, kind, soffice):
    path = shop_book(
        tmp_path / f"{kind}.xlsx",
        table=kind == "table",
        validation=kind == "validation",
        autofilter=kind == "autofilter",
    )
    before = members(path)
    assert sheet_width(path, SHEET) == 5
    result = apply_changes(path, [ExtendHeader(SHEET, 1, NEW), Append(SHEET, [ROW], 1)])
    after = members(path)
    changed = {"xl/worksheets/sheet1.xml"} | ({"xl/tables/table1.xml"} if kind == "table" else set())
    assert set(result.changed_parts) == changed
    assert list(after) == list(before)
    assert all(after[n] == before[n] for n in before if n not in changed)

    wb = load_workbook(path)
    ws = wb[SHEET]
    assert [c.value for c in ws[1]] == HEAD + list(NEW.values())
    assert [c.value for c in ws[3]][5:] == ["未接通", "=1+1 回电", "TABCDEFGHIJ"]
    assert ws["F1"].font.b and ws["H1"].fill.fgColor.rgb == ws["E1"].fill.fgColor.rgb
    assert ws.column_dimensions["B"].width == 14
    if kind == "table":
        t = ws.tables["VisitTable"]
        assert t.ref == "A1:H3" and [c.name for c in t.tableColumns] == HEAD + list(NEW.values())
        assert t.autoFilter.ref == "A1:H3"
    if kind == "validation":
        (dv,) = ws.data_validations.dataValidation
        assert str(dv.sqref) == "E2:E500" and "非常满意" in dv.formula1
    if kind == "autofilter":
        assert ws.auto_filter.ref == "A1:H3"

    cal = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET).to_python()
    assert cal[0] == HEAD + list(NEW.values()) and cal[2][5:] == ["未接通", "=1+1 回电", "TABCDEFGHIJ"]

    csv = soffice(
        path,
        "csv:Text - txt - csv (StarCalc):44,34,76,1",  # the first sheet: the visit sheet
        tmp_path / f"lo-{kind}",
    )
    lines = list(stdcsv.reader(csv.read_text(encoding="utf-8").splitlines()))
    assert lines[0] == HEAD + list(NEW.values())
    assert lines[2][5:] == ["未接通", "=1+1 回电", "TABCDEFGHIJ"]


def test_a_table_not_ending_at_the_last_column_cannot_be_extended(tmp_path):
    path = shop_book(tmp_path / "t.xlsx", table=True, table_right="D")
    before = path.read_bytes()
    with pytest.raises(WriteRefused, match="ends at column 4") as e:
        apply_changes(path, [ExtendHeader(SHEET, 1, NEW), Append(SHEET, [ROW], 1)])
    assert path.read_bytes() == before
    # and in Chinese, the sheet named as well (record tells a Chinese shop why the columns went elsewhere)
    assert f"{path}：工作表“{SHEET}”：表格“VisitTable”在第 4 列结束，不是工作表用到的最后一列" in e.value.text("zh")


def test_columns_already_in_use_are_refused(tmp_path):
    path = shop_book(tmp_path / "u.xlsx")
    with pytest.raises(WriteRefused, match="already in use") as e:
        apply_changes(path, [ExtendHeader(SHEET, 1, {5: "结果"})])
    assert "第 5 列已被使用（工作表用到了 5 列）" in e.value.text("zh")
