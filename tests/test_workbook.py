"""The raw file layer: every file that cannot be read gives an UnreadableFile naming the file
and what to do, and through the CLI exit 2 without a traceback; files under the wrong name
are read by their content; cell positions never shift."""

from __future__ import annotations

import codecs
import datetime as dt
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from followup_cli.archive.files import open_book
from followup_cli.archive.reading import load_archive
from followup_cli.cli import cli
from followup_cli.errors import EXIT_USAGE, UnreadableFile
from followup_cli.xlsx import bounds
from followup_cli.xlsx.refs import cell_ref, col_index, col_letters
from tests.helpers import archive, make_workbook


def rewrite_zip(path: Path, parts: dict, out: Path | None = None) -> Path:
    """Copy an .xlsx replacing parts: name → bytes, or None to leave the part out."""
    out = out or path
    with zipfile.ZipFile(path) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    for name, data in parts.items():
        if data is None:
            files.pop(name, None)
        else:
            files[name] = data
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return out


def unreadable(path) -> UnreadableFile:
    with pytest.raises(UnreadableFile) as info:
        book = open_book(path)
        for sheet in book.sheets:
            sheet.rows()
    return info.value


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def assert_cli_unreadable(path, *words):
    """check and due both exit 2 with one clear message naming the file, never a traceback."""
    for args in (["check", path], ["due", path, "--as-of", "2026-11-23"]):
        result = run(*args)
        assert result.exit_code == EXIT_USAGE, (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert "Traceback" not in result.output
        assert Path(path).name in result.output
        for word in words:
            assert word in result.output, (word, result.output)


# ---- cell references ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "col, letters",
    [
        (1, "A"),
        (2, "B"),
        (26, "Z"),
        (27, "AA"),
        (28, "AB"),
        (52, "AZ"),
        (53, "BA"),
        (702, "ZZ"),
        (703, "AAA"),
        (16384, "XFD"),
    ],
)
def test_column_numbers_are_excels_one_based(col, letters):
    assert col_letters(col) == letters
    assert col_index(letters) == col


def test_cell_ref_is_excel_style_and_one_based_for_rows():
    assert cell_ref(0, 0) == "A1"
    assert cell_ref(6, 3) == "D7"
    assert cell_ref(1048575, 16383) == "XFD1048576"


def test_leading_empty_rows_and_columns_are_kept(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "客户档案"
    ws["C5"], ws["D5"] = "客户编号", "姓名"
    ws["C6"], ws["D6"] = "C1", "王芳"
    wb.save(tmp_path / "offset.xlsx")
    rows = open_book(tmp_path / "offset.xlsx").sheet("客户档案").rows()
    assert rows[4][2] == "客户编号"
    assert rows[5][3] == "王芳"
    assert all(v in ("", None) for row in rows[:4] for v in row)


def test_sheets_keep_workbook_order_and_names(tmp_path):
    path = archive(tmp_path)
    book = open_book(path)
    assert book.kind == "xlsx"
    assert book.sheet_names == ["客户档案", "消费记录", "回访记录", "售后工单"]
    assert [s.index for s in book.sheets] == [0, 1, 2, 3]


def test_unknown_sheet_lists_the_sheets(tmp_path):
    book = open_book(archive(tmp_path))
    with pytest.raises(UnreadableFile) as info:
        book.sheet("会员")
    assert "'会员' not found" in str(info.value)
    assert "客户档案, 消费记录, 回访记录, 售后工单" in info.value.hint


def test_chinese_file_name_and_uppercase_extension(tmp_path):
    path = make_workbook(tmp_path / "星河店客户档案.XLSX", {"客户档案": [["客户编号", "姓名"], ["C1", "王芳"]]})
    assert open_book(path).sheet("客户档案").rows()[1] == ["C1", "王芳"]


def test_chart_sheet_has_no_cells_and_no_problem(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "客户档案"
    ws.append(["客户编号", "姓名", "积分"])
    ws.append(["C1", "王芳", 10])
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=3, min_row=1, max_row=2), titles_from_data=True)
    wb.create_chartsheet("积分图").add_chart(chart)
    wb.save(tmp_path / "chart.xlsx")
    book = open_book(tmp_path / "chart.xlsx")
    assert book.sheet("积分图").rows() == []
    result = load_archive([tmp_path / "chart.xlsx"])
    assert [c.id for c in result.customers] == ["C1"]
    assert result.problems == []


# ---- files that cannot be read -----------------------------------------------------------


def test_missing_file(tmp_path):
    err = unreadable(tmp_path / "客户档案.xlsx")
    assert "客户档案.xlsx" in str(err) and "not found" in err.message
    assert err.hint
    assert_cli_unreadable(tmp_path / "客户档案.xlsx", "not found")


def test_folder(tmp_path):
    folder = tmp_path / "archive.xlsx"
    folder.mkdir()
    err = unreadable(folder)
    assert "folder" in err.message and err.hint
    # click refuses a folder before our code sees it: still exit 2, one line, no traceback.
    assert_cli_unreadable(folder)


@pytest.mark.parametrize("name", ["empty.xlsx", "empty.xlsm", "empty.xls", "empty.ods", "empty.xlsb", "empty.csv"])
def test_empty_zero_byte_file(tmp_path, name):
    (tmp_path / name).write_bytes(b"")
    err = unreadable(tmp_path / name)
    assert name in str(err) and "empty (0 bytes)" in err.message
    assert "backup" in err.hint
    assert_cli_unreadable(tmp_path / name, "0 bytes")


@pytest.mark.parametrize(
    "name, workbook", [("~$客户档案.xlsx", "客户档案.xlsx"), ("~$x.xlsx", "x.xlsx"), (".~lock.x.xlsx#", "x.xlsx")]
)
def test_lock_file_given_by_mistake(tmp_path, name, workbook):
    # Excel's owner file: 165 bytes, the user name padded with spaces; LibreOffice's: one CSV line.
    (tmp_path / name).write_bytes(b"\x05lin   " + b" " * 150 + b"\x05\x00l\x00i\x00n\x00")
    err = unreadable(tmp_path / name)
    assert "lock file" in err.message
    assert err.hint == f"open the workbook itself ({workbook})"
    assert_cli_unreadable(tmp_path / name, "lock file", workbook)


@pytest.mark.parametrize("name", ["archive.numbers", "archive.docx", "archive.pdf", "archive", "archive.xlsx.bak"])
def test_unknown_extension(tmp_path, name):
    (tmp_path / name).write_bytes(b"PK\x03\x04 something")
    err = unreadable(tmp_path / name)
    assert "is not a spreadsheet this tool reads" in err.message
    assert ".xlsx" in err.hint and ".csv" in err.hint
    assert_cli_unreadable(tmp_path / name, "not a spreadsheet")


def test_binary_csv(tmp_path):
    (tmp_path / "customers.csv").write_bytes(bytes(range(256)) * 40)
    err = unreadable(tmp_path / "customers.csv")
    assert "binary" in err.message and "CSV UTF-8" in err.hint
    assert_cli_unreadable(tmp_path / "customers.csv", "binary")


def test_csv_in_an_unknown_encoding(tmp_path):
    # Bytes that are neither UTF-8 nor GB18030, with no NUL: not called binary, called what it is.
    (tmp_path / "customers.csv").write_bytes(b"id,name\n1,\xff\xfe\xff\n")
    err = unreadable(tmp_path / "customers.csv")
    assert "neither UTF-8 nor GBK" in err.message and "CSV UTF-8" in err.hint


def test_csv_with_a_runaway_quote_is_unreadable_not_a_crash(tmp_path):
    # An unclosed quote swallows the rest of the file into one field, past the csv module's limit.
    (tmp_path / "customers.csv").write_text('客户编号,姓名\nC1,"王芳\n' + "x" * 200_000 + "\n", encoding="utf-8")
    err = unreadable(tmp_path / "customers.csv")
    assert "not valid CSV" in err.message and err.hint
    result = run("check", tmp_path / "customers.csv")
    assert "Traceback" not in result.output and "unexpected error" not in result.output
    assert "customers.csv" in result.output


def test_corrupt_xlsx(tmp_path):
    path = archive(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # a download cut short
    err = unreadable(path)
    assert "the file is damaged" in err.message
    assert "save it again" in err.hint
    assert_cli_unreadable(path, "the file is damaged", "save it again")


def test_random_bytes_named_xls(tmp_path):
    (tmp_path / "archive.xls").write_bytes(b"\x00\x01\x02garbage" * 100)
    err = unreadable(tmp_path / "archive.xls")
    assert "not a readable .xls file" in err.message and err.hint
    assert_cli_unreadable(tmp_path / "archive.xls", "not a readable .xls file")


@pytest.mark.parametrize("variant", ["truncated", "garbage", "missing"])
def test_sheet_that_cannot_be_read(tmp_path, variant):
    path = archive(tmp_path)
    with zipfile.ZipFile(path) as zf:
        sheet_xml = zf.read("xl/worksheets/sheet1.xml")  # 客户档案
    data = {"truncated": sheet_xml[:200], "garbage": b"\x00\xff not xml", "missing": None}[variant]
    rewrite_zip(path, {"xl/worksheets/sheet1.xml": data})
    book = open_book(path)  # the workbook opens; only that sheet fails, when it is read
    assert book.sheet("消费记录").rows()[0][0] == "客户编号"
    with pytest.raises(UnreadableFile) as info:
        book.sheet("客户档案").rows()
    assert "archive.xlsx" in str(info.value) and "sheet '客户档案' cannot be read" in info.value.message
    assert "re-save" in info.value.hint
    for args in (["check", path], ["due", path, "--as-of", "2026-11-23"]):
        result = run(*args)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert "Traceback" not in result.output
        assert result.exit_code in (1, 2)
    assert "工作表“客户档案”读不了" in run("check", path).output  # a Chinese archive: in Chinese
    assert "sheet '客户档案' cannot be read" in run("check", path, "--lang", "en").output


def test_unreadable_customer_sheet_makes_the_file_unreadable(tmp_path):
    path = archive(tmp_path)
    with zipfile.ZipFile(path) as zf:
        sheet_xml = zf.read("xl/worksheets/sheet1.xml")
    rewrite_zip(path, {"xl/worksheets/sheet1.xml": sheet_xml[:200]})
    assert_cli_unreadable(path, "工作表“客户档案”读不了", "重新保存")  # a Chinese archive: in Chinese


def test_unreadable_unrelated_sheet_is_only_a_warning(tmp_path):
    path = archive(tmp_path, extra_sheets={"备注": [["随便写写"]]})
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
    assert "xl/worksheets/sheet5.xml" in names
    rewrite_zip(path, {"xl/worksheets/sheet5.xml": b"<worksheet"})
    result = load_archive([path])
    assert [c.id for c in result.customers] == ["C1"]
    assert [(p.severity, p.sheet, p.code) for p in result.problems] == [("warning", "备注", "unreadable-sheet")]
    (warning,) = result.problems  # why, in both languages, without the file's name again
    assert warning.text("zh").startswith("这张工作表无法读取，已跳过（工作表“备注”读不了（")
    assert warning.text("en").startswith("this sheet cannot be read and was skipped (sheet '备注' cannot be read (")
    assert str(path) not in warning.text("zh") + warning.text("en")
    assert run("check", path).exit_code == 0


# ---- files under the wrong name are read by their content ----------------------------------


def _customers_xlsx(path: Path) -> Path:
    return make_workbook(path, {"客户档案": [["客户编号", "姓名", "手机"], ["C1", "王芳", "13800000001"]]})


@pytest.mark.parametrize("name", ["archive.xls", "archive.ods", "archive.xlsb", "archive.csv"])
def test_xlsx_under_another_extension_is_read_by_content(tmp_path, name):
    src = _customers_xlsx(tmp_path / "src.xlsx")
    src.rename(tmp_path / name)
    result = load_archive([tmp_path / name])
    assert [(c.id, c.name, c.phone) for c in result.customers] == [("C1", "王芳", "13800000001")]
    assert run("check", tmp_path / name).exit_code == 0


def test_tab_separated_text_named_xls_is_read_as_text(tmp_path):
    # What many shop systems' "导出Excel" button writes: GBK text with tabs, named .xls.
    (tmp_path / "export.xls").write_bytes("客户编号\t姓名\t手机\nC1\t王芳\t138 0000 0001\n".encode("gb18030"))
    result = load_archive([tmp_path / "export.xls"])
    assert [(c.id, c.name, c.phone) for c in result.customers] == [("C1", "王芳", "13800000001")]
    assert result.customers[0].row == 2


def test_html_named_xls_is_named_for_what_it_is(tmp_path):
    html = "<html><head><meta charset='utf-8'></head><body><table><tr><td>客户编号</td></tr></table></body></html>"
    (tmp_path / "export.xls").write_text(html, encoding="utf-8")
    err = unreadable(tmp_path / "export.xls")
    assert "web page (HTML)" in err.message and ".xlsx" in err.hint
    assert_cli_unreadable(tmp_path / "export.xls", "web page")


def test_excel_2003_xml_named_xls(tmp_path):
    xml = (
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>'
    )
    (tmp_path / "old.xls").write_text(xml, encoding="utf-8")
    err = unreadable(tmp_path / "old.xls")
    assert "Excel 2003 XML" in err.message
    assert_cli_unreadable(tmp_path / "old.xls", "Excel 2003 XML")


def test_plain_text_named_xls(tmp_path):
    (tmp_path / "note.xls").write_text("Attachment f:\\shop\\archive.xls not found!", encoding="utf-8")
    err = unreadable(tmp_path / "note.xls")
    assert "plain text" in err.message and "Attachment" in err.message
    assert_cli_unreadable(tmp_path / "note.xls", "plain text")


# ---- CSV encodings -------------------------------------------------------------------------

CSV_TEXT = "客户编号,姓名,手机\nC1,王芳,13800000001\n"


@pytest.mark.parametrize(
    "encoding, bom",
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("gb18030", b""),
        ("gbk", b""),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
    ],
)
def test_csv_encodings_give_the_same_rows(tmp_path, encoding, bom):
    text = CSV_TEXT.replace(",", "\t") if encoding.startswith("utf-16") else CSV_TEXT
    (tmp_path / "客户档案.csv").write_bytes(bom + text.encode(encoding))
    book = open_book(tmp_path / "客户档案.csv")
    assert book.kind == "csv" and book.sheet_names == ["客户档案"]
    assert book.sheets[0].rows() == [["客户编号", "姓名", "手机"], ["C1", "王芳", "13800000001"]]


@pytest.mark.parametrize(
    "name, text",
    [
        ("a.tsv", "客户编号\t姓名\nC1\t王芳\n"),
        ("a.csv", "客户编号;姓名\nC1;王芳\n"),
        ("a.txt", "客户编号\t姓名\nC1\t王芳\n"),
    ],
)
def test_csv_delimiters(tmp_path, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")
    assert open_book(tmp_path / name).sheets[0].rows() == [["客户编号", "姓名"], ["C1", "王芳"]]


def test_csv_quoted_commas_and_newlines_stay_in_one_cell(tmp_path):
    (tmp_path / "a.csv").write_text('客户编号,备注\nC1,"喜欢红色,\n周末来"\nC2,x\n', encoding="utf-8")
    assert open_book(tmp_path / "a.csv").sheets[0].rows() == [
        ["客户编号", "备注"],
        ["C1", "喜欢红色,\n周末来"],
        ["C2", "x"],
    ]


# ---- 1904 date system ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "attr, expected",
    [
        ('date1904="1"', True),
        ('date1904="true"', True),
        ("date1904='1'", True),
        ('date1904="0"', False),
        ('date1904="false"', False),
        ("", False),
    ],
)
def test_date1904_flag(tmp_path, attr, expected):
    path = make_workbook(tmp_path / "a.xlsx", {"S": [[1]]})
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/workbook.xml").decode()
    assert "<workbookPr />" in xml or "<workbookPr/>" in xml
    xml = xml.replace("<workbookPr />", f"<workbookPr {attr}/>").replace("<workbookPr/>", f"<workbookPr {attr}/>")
    rewrite_zip(path, {"xl/workbook.xml": xml.encode()})
    book = open_book(path)
    assert book.date1904 is expected
    assert book.sheets[0].date1904 is expected


def test_date_cells_come_back_as_dates(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {"S": [[dt.date(2024, 3, 5), dt.datetime(2024, 3, 5, 14, 30), 45356]]},
        number_formats={("S", "A"): "yyyy-mm-dd"},
    )
    row = open_book(path).sheets[0].rows()[0]
    assert row[0] == dt.date(2024, 3, 5) or row[0] == dt.datetime(2024, 3, 5)
    assert row[1] == dt.datetime(2024, 3, 5, 14, 30)
    assert row[2] == 45356


# ---- a stray value far from the table ------------------------------------------------------


def _strip_dimension(path: Path) -> Path:
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<dimension " in xml
    return rewrite_zip(path, {"xl/worksheets/sheet1.xml": re.sub(r"<dimension [^>]*/>", "", xml).encode()})


def _stray_archive(path: Path, stray: str, dimension: bool) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "客户档案"
    ws.append(["客户编号", "姓名", "手机"])
    for i in range(50):
        ws.append([f"C{i}", "王芳", "13800000001"])
    ws[stray] = " "  # a space typed far away: invisible, but a value
    wb.save(path)
    return path if dimension else _strip_dimension(path)


_CHILD = """
import sys
from followup_cli.cli import cli
cli.main(sys.argv[1:], prog_name="followup")
"""


@pytest.mark.parametrize(
    "stray, dimension", [("XFD200000", True), ("XFD200000", False), ("AX1048576", True), ("AX1048576", False)]
)
def test_a_stray_value_far_away_is_refused_not_a_crash(tmp_path, stray, dimension):
    """calamine fills every cell up to the last value: XFD200000 is 3.3 billion cells and aborts
    the process; AX1048576 is 52 million, 2 GB and 12 s. Run in a child with a memory limit so
    that a missing guard fails this test instead of the test run."""
    path = _stray_archive(tmp_path / "stray.xlsx", stray, dimension)

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, "check", str(path), "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit,
    )
    assert proc.returncode == EXIT_USAGE, proc.stderr[-1500:]
    assert f"reaches cell {stray}" in proc.stderr and "stray.xlsx" in proc.stderr and "Ctrl+End" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cells_that_only_carry_formatting_do_not_count(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "客户档案"
    ws.append(["客户编号", "姓名"])
    ws.append(["C1", "王芳"])
    ws["XFD1048576"].font = Font(bold=True)  # formatting only: in <dimension>, but no value
    wb.save(tmp_path / "styled.xlsx")
    with zipfile.ZipFile(tmp_path / "styled.xlsx") as zf:
        assert 'ref="A1:XFD1048576"' in zf.read("xl/worksheets/sheet1.xml").decode()
    assert [c.id for c in load_archive([tmp_path / "styled.xlsx"]).customers] == ["C1"]


@pytest.mark.parametrize("columns", [6, 30])
def test_sheet_extent_without_dimension_scans_the_whole_part(tmp_path, columns):
    # More than 1 MB of sheet XML, so tags are split between reads.
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("消费记录")
    for r in range(3_000):
        ws.append([f"C{r:06d}-{c}-" + "备注" * 20 for c in range(columns)] if r % 7 else [f"C{r}"])
    ws.append([None] * (columns + 3) + ["last"])
    wb.save(tmp_path / "big.xlsx")
    with zipfile.ZipFile(tmp_path / "big.xlsx") as zf:
        xml = zf.read("xl/worksheets/sheet1.xml")
    assert b"<dimension" not in xml and len(xml) > 1 << 20
    assert _extent(tmp_path / "big.xlsx") == (3_001, columns + 4 if columns + 4 > 26 else 26)


def _extent(path):
    with zipfile.ZipFile(path) as zf:
        return bounds.sheet_extent(zf, zf.getinfo("xl/worksheets/sheet1.xml"), path, "S")


def test_sheet_extent_reads_prefixed_and_reordered_cells(tmp_path):
    xml = (
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
        '<x:row r="1"><x:c s="1" r="A1" t="s"><x:v>0</x:v></x:c><x:c r="AB1"><x:v>1</x:v></x:c></x:row>'
        '<x:row r="9"><x:c r="B9"><x:v>2</x:v></x:c><x:c r="ZZ9" s="3"/></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    with zipfile.ZipFile(tmp_path / "p.xlsx", "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", xml)
    assert _extent(tmp_path / "p.xlsx") == (9, 28)


@pytest.mark.parametrize("rows, refused", [(16, False), (17, True)])
def test_the_cell_limit_counts_from_a1(tmp_path, monkeypatch, rows, refused):
    monkeypatch.setattr(bounds, "MAX_SHEET_CELLS", 100)
    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    ws["F" + str(rows)] = "x"  # 6 columns × rows, counted from A1 although A1:E15 is empty
    wb.save(tmp_path / "a.xlsx")
    sheet = open_book(tmp_path / "a.xlsx").sheet("S")
    if refused:
        with pytest.raises(UnreadableFile, match=f"reaches cell F{rows}"):
            sheet.rows()
    else:
        assert sheet.rows()[rows - 1][5] == "x"


def _repackage(path: Path, rename) -> Path:
    """Copy an .xlsx with every zip member renamed, as odd writers name them."""
    with zipfile.ZipFile(path) as zf:
        files = {rename(n): zf.read(n) for n in zf.namelist()}
    out = path.with_name("re-" + path.name)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return out


@pytest.mark.parametrize(
    "rename",
    [lambda n: n.replace("/", "\\"), lambda n: n.upper() if n.startswith("xl/") else n],
    ids=["backslashes", "upper-case"],
)
def test_odd_part_names_still_get_the_1904_flag_and_the_size_guard(tmp_path, monkeypatch, rename):
    monkeypatch.setattr(bounds, "MAX_SHEET_CELLS", 1000)  # a small stray, so a missing guard cannot crash the run
    path = _stray_archive(tmp_path / "stray.xlsx", "Z100", dimension=True)
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/workbook.xml").decode()
    rewrite_zip(path, {"xl/workbook.xml": re.sub(r"<workbookPr\s*/>", '<workbookPr date1904="1"/>', xml).encode()})
    odd = _repackage(path, rename)
    book = open_book(odd)
    assert book.sheet_names == ["客户档案"] and book.date1904 is True
    with pytest.raises(UnreadableFile, match="reaches cell Z100"):
        book.sheet("客户档案").rows()


@pytest.mark.parametrize("name", ["report.xlsx", "report.csv"])
def test_a_word_document_named_as_a_spreadsheet(tmp_path, name):
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
        'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    )
    with zipfile.ZipFile(tmp_path / name, "w") as zf:
        zf.writestr("_rels/.rels", rels)
        zf.writestr("word/document.xml", "<w:document/>")
    err = unreadable(tmp_path / name)
    assert "not a readable" in err.message and "save it again as .xlsx" in err.hint
    assert_cli_unreadable(tmp_path / name, "not a readable")
