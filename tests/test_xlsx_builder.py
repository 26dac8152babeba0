"""The one workbook builder (followup_cli/xlsx/builder.py): written, then read back with
openpyxl, python-calamine and LibreOffice."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from followup_cli.errors import CannotWrite
from followup_cli.xlsx.builder import META_SHEET, Book, Column, PrintSetup, fit_width, header_text, sheet_title

ROWS = [
    {
        "name": '=HYPERLINK("http://x","y")',
        "phone": "+86 138 0000 0000",
        "note": "@home",
        "minus": "-1",
        "id": "0012",
        "due": dt.date(2026, 11, 23),
        "score": 4,
        "outcome": "已接通",
    },
    {
        "name": "王小明",
        "phone": "13800000000",
        "note": "http://example.com",
        "minus": "1,000",
        "id": "C2",
        "due": dt.datetime(2026, 11, 24, 15, 30),
        "score": None,
        "outcome": None,
    },
]
LONG = [f"选项{i:03d}很长的名字" for i in range(40)]  # > 255 characters joined


def columns():
    return [
        Column("name", "姓名"),
        Column("phone", "电话", kind="id"),
        Column("note", "备注", width=30),
        Column("minus", "负数"),
        Column("id", "编号", kind="id"),
        Column("due", "应访日期", kind="date"),
        Column("score", "评分", rule={"validate": "integer", "criteria": "between", "minimum": 0, "maximum": 5}),
        Column("outcome", "结果", choices=["已接通", "未接通"], error_message="请从下拉列表中选择"),
        Column("staff", "回访人", choices=LONG, on_error="none"),
    ]


def build(path, rows=ROWS, **kw):
    with Book(path) as book:
        book.sheet(
            "回访/清单",
            columns(),
            rows,
            freeze=(1, 2),
            validate_to=300,
            print_setup=PrintSetup(
                paper="a4", columns=6, header="&C" + header_text("A&B 店"), footer="&CPage &P of &N"
            ),
            **kw,
        )
        book.meta([("kind", "test-sheet"), ("as_of", "2026-11-23"), ("ahead", 3)])
    return path


def test_headers_values_and_text_that_looks_like_a_formula(tmp_path):
    path = build(tmp_path / "b.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["回访_清单", META_SHEET]
    ws = wb["回访_清单"]
    assert [c.value for c in ws[1]] == ["姓名", "电话", "备注", "负数", "编号", "应访日期", "评分", "结果", "回访人"]
    assert all(c.font.bold for c in ws[1])
    row = [c for c in ws[2]]
    assert row[0].value == '=HYPERLINK("http://x","y")' and row[0].data_type == "s"  # text, not a formula
    assert (row[1].value, row[2].value, row[3].value, row[4].value) == ("+86 138 0000 0000", "@home", "-1", "0012")
    assert ws["B2"].number_format == "@" and ws["F2"].number_format == "yyyy-mm-dd"
    assert ws["F2"].value == dt.datetime(2026, 11, 23) and ws["G2"].value == 4
    assert ws["C3"].value == "http://example.com" and ws["C3"].hyperlink is None
    assert ws["D3"].value == "1,000"  # not turned into a number
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no formula anywhere
    cal = CalamineWorkbook.from_path(str(path))
    data = cal.get_sheet_by_name("回访_清单").to_python()
    assert data[1][0] == '=HYPERLINK("http://x","y")' and data[1][3] == "-1" and data[1][4] == "0012"
    assert data[2][0] == "王小明"


def test_widths_count_chinese_double(tmp_path):
    zh, en = Column("a", "回访类型说明"), Column("b", "abcdef")
    assert fit_width(zh, []) == 14 and fit_width(en, []) == 8  # 12 display cells + 2; 6 + 2, at least 8
    assert fit_width(Column("c", "x"), [{"c": "很长" * 50}]) == 60  # at most max_width
    assert fit_width(Column("c", "x", width=7), [{"c": "很长" * 50}]) == 7
    path = build(tmp_path / "w.xlsx")
    ws = load_workbook(path)["回访_清单"]
    widths = {k: ws.column_dimensions[k].width for k in "ABC"}
    # 姓名 (4 cells) vs the =HYPERLINK text (26), 电话 vs '+86 138 0000 0000' (17), fixed 30; XlsxWriter
    # stores a width with the font's padding (+0.71)
    assert [round(widths[k] - 0.71, 1) for k in "ABC"] == [28, 19, 30]


def test_validations_frozen_panes_filter_and_print(tmp_path):
    path = build(tmp_path / "v.xlsx")
    wb = load_workbook(path)
    ws = wb["回访_清单"]
    by_col = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert set(by_col) == {"G2:G300", "H2:H300", "I2:I300"}
    assert by_col["H2:H300"].type == "list" and by_col["H2:H300"].formula1 == '"已接通,未接通"'
    assert by_col["H2:H300"].showErrorMessage and by_col["H2:H300"].error == "请从下拉列表中选择"
    assert by_col["G2:G300"].type == "whole" and (by_col["G2:G300"].formula1, by_col["G2:G300"].formula2) == ("0", "5")
    staff = by_col["I2:I300"]  # too long to type inline: kept in the hidden sheet, column D
    assert staff.formula1 == f"'{META_SHEET}'!$D$1:$D${len(LONG)}" and not staff.showErrorMessage
    assert [wb[META_SHEET].cell(row=i + 1, column=4).value for i in range(len(LONG))] == LONG
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref == "A1:I3"
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$1" and ws.print_area == "'回访_清单'!$A$1:$F$3"
    assert ws.oddHeader.center.text == "A&&B 店" and "Page" in ws.oddFooter.center.text


def test_metadata_sheet_is_hidden_and_reads_back(tmp_path):
    path = build(tmp_path / "m.xlsx")
    wb = load_workbook(path)
    assert wb[META_SHEET].sheet_state == "hidden" and wb["回访_清单"].sheet_state == "visible"
    meta = {r[0]: r[1] for r in wb[META_SHEET].iter_rows(max_col=2, values_only=True) if r[0]}
    assert meta == {"kind": "test-sheet", "as_of": "2026-11-23", "ahead": 3}
    cal = CalamineWorkbook.from_path(str(path))
    assert [(s.name, str(s.visible).split(".")[-1]) for s in cal.sheets_metadata] == [
        ("回访_清单", "Visible"),
        (META_SHEET, "Hidden"),
    ]


def test_formats_are_shared_not_one_per_cell(tmp_path):
    few = build(tmp_path / "few.xlsx", rows=ROWS)
    many = build(tmp_path / "many.xlsx", rows=ROWS * 500)

    def xfs(path):
        with zipfile.ZipFile(path) as z:
            styles = z.read("xl/styles.xml").decode()
        return styles.split('<cellXfs count="')[1].split('"')[0]

    assert xfs(few) == xfs(many)
    assert len(load_workbook(many)["回访_清单"]["A"]) == 1001


def test_sheet_titles_are_valid_and_unique():
    used: set = set()
    assert [sheet_title(n, used) for n in ("a/b", "a/b", "x" * 40, "")] == ["a_b", "a_b-2", "x" * 31, "Sheet"]


class Boom(Exception):
    pass


def test_a_failed_write_leaves_no_partial_file_and_the_old_one_intact(tmp_path, monkeypatch):
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"the old file")

    class Unprintable:
        def __str__(self):
            raise Boom("a value that cannot be written")

    with pytest.raises(Boom):
        build(path, rows=ROWS + [{"name": Unprintable()}])
    assert path.read_bytes() == b"the old file" and sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]

    import xlsxwriter.workbook

    real = xlsxwriter.workbook.Workbook._store_workbook

    def disk_full(self):
        real(self)  # the temporary file is complete ...
        raise OSError(28, "No space left on device")  # ... and the disk fills before the rename

    monkeypatch.setattr(xlsxwriter.workbook.Workbook, "_store_workbook", disk_full)
    with pytest.raises(CannotWrite, match="disk is full"):  # one message naming the path (exit 2)
        build(path)
    assert path.read_bytes() == b"the old file" and sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]
    monkeypatch.undo()
    build(path)  # and the next write goes through
    assert load_workbook(path)["回访_清单"]["A3"].value == "王小明"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_libreoffice_opens_it(tmp_path, soffice):
    path = build(tmp_path / "lo.xlsx")
    out = soffice(path, "csv:Text - txt - csv (StarCalc):44,34,76,1", tmp_path / "csv")
    text = out.read_text(encoding="utf-8")
    assert '=HYPERLINK(""http://x"",""y"")' in text and "王小明" in text and "2026-11-23" in text


def test_exclusive_save_never_replaces_a_file_that_appeared(tmp_path):
    path = tmp_path / "log.xlsx"
    with Book(path, exclusive=True) as book:
        book.sheet("回访记录", [Column("a", "日期", kind="date")], [])
    first = path.read_bytes()
    with pytest.raises(FileExistsError):
        with Book(path, exclusive=True) as book:
            book.sheet("回访记录", [Column("a", "别的")], [])
    assert path.read_bytes() == first and sorted(p.name for p in tmp_path.iterdir()) == ["log.xlsx"]


def test_save_atomically_for_a_workbook_openpyxl_writes(tmp_path):
    from openpyxl import Workbook

    from followup_cli.xlsx.builder import save_atomically

    path = tmp_path / "report.xlsx"
    path.write_bytes(b"last month's report")

    def half_then_fail(tmp):
        tmp.write_bytes(b"PK half a zip")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        save_atomically(path, half_then_fail)
    assert path.read_bytes() == b"last month's report" and [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]
    wb = Workbook()
    wb.active["A1"] = "汇总"
    save_atomically(path, wb.save)
    assert load_workbook(path).active["A1"].value == "汇总" and [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]
