"""The surgical, safe workbook writer, on real files.

The fixture workbook is built with openpyxl and then given, by editing its zip, what
openpyxl would drop on a load-and-save: cached formula values, an image, a text box, an
Excel-2010 data bar (x14 extension); it also has a chart, a defined name, data
validation, a table or an autofilter, and a hidden sheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import signal
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from decimal import Decimal
from pathlib import Path

import pytest
from defusedxml import ElementTree as SafeET
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import DataBarRule
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from python_calamine import CalamineWorkbook

from followup_cli.errors import EXIT_USAGE, DataProblems, WriteRefused
from followup_cli.writeback import transaction as writing
from followup_cli.writeback.backups import backups_of
from followup_cli.writeback.changes import Append, Update
from followup_cli.writeback.locks import excel_owner_name
from followup_cli.writeback.outcome import SheetResult, WriteResult
from followup_cli.writeback.transaction import append_rows, apply_changes, update_cells
from followup_cli.xlsx import limits, surgery
from followup_cli.xlsx import plan as xlsxplan
from followup_cli.xlsx import scan as xlsxscan
from followup_cli.xlsx.lockfiles import followup_lock
from followup_cli.xlsx.tables import extend_ranges

VISIT = "回访记录"
HEADER = ["回访日期", "客户编号", "姓名", "结果", "评分", "备注"]
OLD_ROWS = [
    [dt.date(2024, 3, 1), "C001", "王芳", "已接通", 5, "满意"],
    [dt.date(2024, 3, 2), "C002", "李强", "未接通", 0, None],
    [dt.date(2024, 3, 5), "C003", "张伟", "已接通", 4, "价格偏高"],
]
NEW_ROWS = [
    [dt.date(2024, 6, 1), "C004", "赵敏", "已接通", 5, '=HYPERLINK("http://x")'],
    [dt.datetime(2024, 6, 2, 14, 30), "C005", "+8613800000000", "-拒绝", 3, "@SUM(A1)"],
]
ISSUES = "问题跟踪"
ISSUE_HEADER = ["问题编号", "客户编号", "问题类别", "问题描述", "登记日期", "是否解决", "解决日期"]
OLD_ISSUES = [
    ["Q001", "C001", "产品质量", "拉链坏了", dt.date(2024, 3, 1), "否", None],
    ["Q002", "C003", "价格", "价格偏高", dt.date(2024, 3, 5), "是", dt.date(2024, 3, 9)],
]
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"


# ---------------------------------------------------------------------------
# building the fixture workbook


def tiny_png() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"\x00\xff\x00\x00"  # one red pixel, filter byte first
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


X14_RULE = (
    '<extLst><ext uri="{B025F937-C7B1-47D3-B67F-A62EFF666E3E}" xmlns:x14="%s">'
    "<x14:id>{00000000-000E-0000-0000-000001000000}</x14:id></ext></extLst>" % X14
)
X14_SHEET = (
    '<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" xmlns:x14="%s">'
    "<x14:conditionalFormattings>"
    '<x14:conditionalFormatting xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:cfRule type="dataBar" id="{00000000-000E-0000-0000-000001000000}">'
    '<x14:dataBar minLength="0" maxLength="100" gradient="0"><x14:cfvo type="autoMin"/><x14:cfvo type="autoMax"/>'
    '<x14:negativeFillColor rgb="FFFF0000"/><x14:axisColor rgb="FF000000"/></x14:dataBar></x14:cfRule>'
    "<xm:sqref>B2:B4</xm:sqref></x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst>" % X14
)
PICTURE_AND_TEXTBOX = (
    '<twoCellAnchor editAs="oneCell"><from><col>10</col><colOff>0</colOff><row>1</row><rowOff>0</rowOff></from>'
    "<to><col>11</col><colOff>0</colOff><row>3</row><rowOff>0</rowOff></to>"
    '<pic><nvPicPr><cNvPr id="2" name="Picture 2"/><cNvPicPr><a:picLocks noChangeAspect="1"/></cNvPicPr></nvPicPr>'
    '<blipFill><a:blip r:embed="rIdImg"/><a:stretch><a:fillRect/></a:stretch></blipFill>'
    '<spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="952500" cy="952500"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></spPr></pic><clientData/></twoCellAnchor>'
    "<twoCellAnchor><from><col>3</col><colOff>0</colOff><row>16</row><rowOff>0</rowOff></from>"
    "<to><col>6</col><colOff>0</colOff><row>19</row><rowOff>0</rowOff></to>"
    '<sp macro="" textlink=""><nvSpPr><cNvPr id="3" name="TextBox 3"/><cNvSpPr txBox="1"/></nvSpPr>'
    '<spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1800000" cy="540000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
    "</a:prstGeom></spPr><txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>每月汇总</a:t></a:r></a:p></txBody></sp>"
    "<clientData/></twoCellAnchor>"
)


class _Unseekable:
    """A write-only stream without seek: zipfile then writes data descriptors."""

    def __init__(self, f):
        self.f = f

    def write(self, b):
        return self.f.write(b)

    def flush(self):
        self.f.flush()

    def tell(self):
        raise OSError("unseekable")


def build_workbook(
    path: Path,
    rows=OLD_ROWS,
    *,
    table: bool = False,
    totals: bool = False,
    sheet: str = VISIT,
    vba: bool = False,
    descriptors: bool = False,
    edit_visit_xml=None,
    extra_members: dict[str, bytes] | None = None,
    date1904: bool = False,
    date_column_style: bool = False,
    issues: str | None = None,
) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(HEADER)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FFDDEEFF")
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows(min_row=2, max_col=1):
        row[0].number_format = "yyyy-mm-dd"
    for col, width in zip("ABCDEF", (12, 10, 10, 10, 6, 30)):
        ws.column_dimensions[col].width = width
    if date_column_style:  # the whole column A formatted as dates (`<col style>`)
        ws.column_dimensions["A"].number_format = "yyyy-mm-dd"
    last = len(rows) + 1
    if table:
        t = Table(displayName="Visits", ref=f"A1:F{last}")
        t.tableStyleInfo = TableStyleInfo(name="TableStyleMedium9", showRowStripes=True)
        if totals:
            t.totalsRowCount = 1
        ws.add_table(t)
    else:
        ws.auto_filter.ref = f"A1:F{last}"
    dv = DataValidation(type="list", formula1='"已接通,未接通,拒绝,空号"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add("D2:D5000")
    ws.freeze_panes = "A2"

    s2 = wb.create_sheet("汇总")
    s2["A1"], s2["B1"] = "项目", "数量"
    for i, v in enumerate((1, 2, 3), start=2):
        s2[f"A{i}"], s2[f"B{i}"] = f"项{i}", v
    s2["B5"] = "=SUM(B2:B4)"
    s2["C2"] = "=B2*2"
    s2.merge_cells("A7:B7")
    s2["A7"] = "合并"
    chart = BarChart()
    chart.add_data(Reference(s2, min_col=2, min_row=2, max_row=4))
    s2.add_chart(chart, "D2")
    s2.conditional_formatting.add("B2:B4", DataBarRule(start_type="min", end_type="max", color="FF638EC6"))
    hidden = wb.create_sheet("隐藏")
    hidden["A1"] = "内部"
    hidden.sheet_state = "hidden"
    wb.defined_names["单价"] = DefinedName("单价", attr_text="'汇总'!$B$2")
    if issues:  # an issue-tracking sheet (xl/worksheets/sheet4.xml): "autofilter", "table" or "totals"
        iss = wb.create_sheet(ISSUES)
        iss.append(ISSUE_HEADER)
        for r in OLD_ISSUES:
            iss.append(r)
        for r in range(2, len(OLD_ISSUES) + 2):
            iss.cell(r, 5).number_format = iss.cell(r, 7).number_format = "yyyy-mm-dd"
        ref = f"A1:G{len(OLD_ISSUES) + 1}"
        if issues == "autofilter":
            iss.auto_filter.ref = ref
        else:
            t = Table(displayName="Issues", ref=ref)
            if issues == "totals":
                t.totalsRowCount = 1
            iss.add_table(t)
    raw = path.with_suffix(".openpyxl.xlsx")
    wb.save(raw)

    # Give it what openpyxl does not write.
    with zipfile.ZipFile(raw) as zin:
        members = [(i, zin.read(i)) for i in zin.infolist()]
    raw.unlink()
    names = [i.filename for i, _ in members]
    visit_part = "xl/worksheets/sheet1.xml"
    out = {}
    for info, data in members:
        name = info.filename
        if name == "xl/worksheets/sheet2.xml":
            text = data.decode()
            text = text.replace("<f>SUM(B2:B4)</f><v />", "<f>SUM(B2:B4)</f><v>6</v>")
            text = text.replace("<f>B2*2</f><v />", "<f>B2*2</f><v>2</v>")
            text = re.sub(r"(<cfRule type=\"dataBar\"[^>]*>.*?</dataBar>)", r"\1" + X14_RULE, text)
            text = text.replace("</worksheet>", X14_SHEET + "</worksheet>")
            data = text.encode()
        elif name == "xl/drawings/drawing1.xml":
            data = data.replace(b"</wsDr>", PICTURE_AND_TEXTBOX.encode() + b"</wsDr>")
        elif name == "xl/drawings/_rels/drawing1.xml.rels":
            data = data.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdImg" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="../media/image1.png"/></Relationships>',
            )
        elif name == "[Content_Types].xml":
            extra = b'<Default Extension="png" ContentType="image/png"/>'
            if vba:
                extra += b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
            data = data.replace(b'<Default Extension="xml"', extra + b'<Default Extension="xml"')
        elif name == "xl/_rels/workbook.xml.rels" and vba:
            data = data.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdVBA" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
            )
        elif name == "xl/workbook.xml":
            data = data.replace(
                b"<workbookPr />",
                b'<workbookPr date1904="1"/>' if date1904 else b'<workbookPr codeName="ThisWorkbook"/>',
            )
        elif name == visit_part and edit_visit_xml is not None:
            data = edit_visit_xml(data.decode()).encode()
        out[name] = data
    out["xl/media/image1.png"] = tiny_png()
    names.append("xl/media/image1.png")
    if vba:
        out["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8
        names.append("xl/vbaProject.bin")
    for name, data in (extra_members or {}).items():
        if name not in out:
            names.append(name)
        out[name] = data
    with open(path, "wb") as f:
        with zipfile.ZipFile(_Unseekable(f) if descriptors else f, "w") as zout:
            for name in names:
                method = zipfile.ZIP_STORED if name.endswith(".png") else zipfile.ZIP_DEFLATED
                zout.writestr(zipfile.ZipInfo(name, (2024, 5, 1, 12, 0, 0)), out[name], compress_type=method)
    return path


# ---------------------------------------------------------------------------
# reading back


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def member_order(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return z.namelist()


def raw_entry(path: Path, name: str) -> bytes:
    """A member's local header, compressed bytes and data descriptor, as stored."""
    with zipfile.ZipFile(path) as z:
        infos = sorted(z.infolist(), key=lambda i: i.header_offset)
        cd_start = z.start_dir
    ends = [i.header_offset for i in infos[1:]] + [cd_start]
    for info, end in zip(infos, ends):
        if info.filename == name:
            with open(path, "rb") as f:
                f.seek(info.header_offset)
                return f.read(end - info.header_offset)
    raise KeyError(name)


def sheet_rows(path: Path, sheet: str = VISIT) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def expected(row: list) -> list:
    """How calamine hands a written row back: numbers as floats, empty as ''."""
    out = []
    for v in row:
        if v is None:
            out.append("")
        elif isinstance(v, bool):
            out.append(v)
        elif isinstance(v, (int, Decimal)):
            out.append(float(v))
        else:
            out.append(v)
    return out


def sheet_xml(path: Path, part: str = "xl/worksheets/sheet1.xml") -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(part).decode()


def assert_only_changed(before: Path, after: Path, changed: set[str]) -> None:
    assert member_order(before) == member_order(after)
    a, b = members(before), members(after)
    for name in a:
        if name in changed:
            assert a[name] != b[name], f"{name} should have changed"
        else:
            assert a[name] == b[name], f"{name} changed"
            assert raw_entry(before, name) == raw_entry(after, name), f"{name}: stored bytes differ"


@pytest.fixture
def book(tmp_path):
    return build_workbook(tmp_path / "archive.xlsx")


def copy_of(path: Path) -> Path:
    dst = path.with_name("before-" + path.name)
    dst.write_bytes(path.read_bytes())
    return dst


# ---------------------------------------------------------------------------
# surgical: the rows land once, in place, and nothing else moves


@pytest.mark.parametrize("descriptors", [False, True], ids=["sized-headers", "data-descriptors"])
def test_append_changes_only_the_visit_sheet(tmp_path, descriptors):
    path = build_workbook(tmp_path / "archive.xlsx", descriptors=descriptors)
    before = copy_of(path)
    result = append_rows(path, VISIT, NEW_ROWS, command="record calls.xlsx")
    assert isinstance(result, WriteResult)
    assert result.rows_written == [5, 6]
    assert result.sheet == VISIT
    assert_only_changed(before, path, {"xl/worksheets/sheet1.xml"})
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None


def test_rows_read_back_once_in_the_right_columns(book):
    append_rows(book, VISIT, NEW_ROWS)
    got = sheet_rows(book)
    assert got[0] == HEADER
    assert got[1:4] == [expected(r) for r in OLD_ROWS]
    assert got[4:] == [expected(r) for r in NEW_ROWS]
    assert isinstance(got[4][0], dt.date) and not isinstance(got[4][0], dt.datetime)
    assert got[5][0] == dt.datetime(2024, 6, 2, 14, 30)


def test_formula_like_text_is_written_as_text(book):
    risky = ["=1+2", "+1", "-1", "@A1", "=cmd|'/c calc'!A0"]
    append_rows(book, VISIT, [[None, None, None, None, None, text] for text in risky])
    xml = sheet_xml(book)
    new_rows = xml[xml.index('<row r="5"') :]
    assert "<f>" not in new_rows and "<f " not in new_rows
    assert [r[5] for r in sheet_rows(book)[4:]] == risky


def test_values_of_every_kind(book):
    row = [
        "a&b<c>\"d'",
        "  padded  ",
        "line1\nline2",
        "bell\x07\x00gone",
        "_x0041_ literal",
        Decimal("12.50"),
        3.25,
        True,
        False,
        7,
        dt.date(1900, 1, 1),
        dt.date(2000, 2, 29),
    ]
    append_rows(book, VISIT, [row])
    got = sheet_rows(book)[4]
    assert got[:5] == ["a&b<c>\"d'", "  padded  ", "line1\nline2", "bellgone", "_x0041_ literal"]
    assert got[5:10] == [12.5, 3.25, True, False, 7.0]
    # columns K and L carry no date style: a serial would show as 1 and 36585, so the dates
    # are written as the text a clerk reads
    assert got[10:] == ["1900-01-01", "2000-02-29"]


def test_date_in_a_date_column_reads_back_as_that_date(tmp_path):
    for date1904 in (False, True):
        path = build_workbook(tmp_path / f"d{date1904}.xlsx", date1904=date1904)
        append_rows(path, VISIT, [[dt.date(2024, 2, 29), "C9"]])
        assert sheet_rows(path)[4][:2] == [dt.date(2024, 2, 29), "C9"]
        serial = re.search(r'<c r="A5"[^>]*><v>([^<]*)</v>', sheet_xml(path)).group(1)
        assert serial == ("43889" if date1904 else "45351")  # 1904 system: 1462 days fewer


def test_new_cells_take_the_styles_of_the_last_row(book):
    xml = sheet_xml(book)
    old = dict(re.findall(r'<c r="([A-F])4" s="(\d+)"', xml))
    append_rows(book, VISIT, NEW_ROWS)
    new = dict(re.findall(r'<c r="([A-F])5" s="(\d+)"', sheet_xml(book)))
    assert old and new == {k: v for k, v in old.items() if k in new}
    assert new["A"] == old["A"]


def test_bad_values_are_refused_before_anything_is_written(book):
    before = book.read_bytes()
    with pytest.raises(TypeError):
        append_rows(book, VISIT, [[object()]])
    with pytest.raises(DataProblems, match="before the first date"):
        append_rows(book, VISIT, [[dt.date(1899, 1, 1)]])
    with pytest.raises(DataProblems, match="F5"):
        append_rows(book, VISIT, [[None, None, None, None, None, "x" * 40000]])
    with pytest.raises(DataProblems):
        append_rows(book, VISIT, [[float("nan")]])
    assert book.read_bytes() == before
    assert backups_of(book) == []


def test_cached_formula_values_chart_image_and_x14_survive(book):
    append_rows(book, VISIT, NEW_ROWS)
    summary = sheet_rows(book, "汇总")
    assert summary[4][1] == 6.0 and summary[1][2] == 2.0  # cached values, still there
    parts = members(book)
    assert parts["xl/media/image1.png"] == tiny_png()
    assert b"x14:dataBar" in parts["xl/worksheets/sheet2.xml"]
    assert "xl/charts/chart1.xml" in parts
    wbxml = parts["xl/workbook.xml"].decode()
    assert 'state="hidden"' in wbxml and "单价" in wbxml


# ---------------------------------------------------------------------------
# ranges that grow: dimension, autofilter, table


def test_dimension_and_autofilter_are_extended(book):
    append_rows(book, VISIT, NEW_ROWS)
    xml = sheet_xml(book)
    assert '<dimension ref="A1:F6"' in xml
    assert '<autoFilter ref="A1:F6"' in xml


def test_table_range_is_extended_and_is_the_only_other_change(tmp_path):
    path = build_workbook(tmp_path / "t.xlsx", table=True)
    before = copy_of(path)
    result = append_rows(path, VISIT, NEW_ROWS)
    assert_only_changed(before, path, {"xl/worksheets/sheet1.xml", "xl/tables/table1.xml"})
    assert sorted(result.changed_parts) == ["xl/tables/table1.xml", "xl/worksheets/sheet1.xml"]
    table = SafeET.fromstring(members(path)["xl/tables/table1.xml"])
    assert table.get("ref") == "A1:F6"
    assert table.find(MAIN + "autoFilter").get("ref") == "A1:F6"


def test_table_with_a_totals_row_is_refused(tmp_path):
    path = build_workbook(tmp_path / "t.xlsx", table=True, totals=True)
    before = path.read_bytes()
    with pytest.raises(WriteRefused, match="totals row") as e:
        append_rows(path, VISIT, NEW_ROWS)
    assert 'visit_log = "visits.xlsx"' in str(e.value)
    assert path.read_bytes() == before


PIVOT = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1" recordCount="3">
<cacheSource type="worksheet"><worksheetSource ref="A1:F4" sheet="%s"/></cacheSource>
<cacheFields count="1"><cacheField name="x" numFmtId="0"><sharedItems/></cacheField></cacheFields></pivotCacheDefinition>"""


@pytest.mark.parametrize(
    "ref, last, new_last, grown",
    [
        ("A1:F4", 4, 6, "A1:F6"),  # ends at the last real row: grows
        ("A1:F2", 1, 3, "A1:F3"),  # Excel's empty table: header + one empty row
        ("A1:F2", 1, 2, None),  # already long enough
        ("A1:F3", 4, 6, None),  # ends above the data: left alone
        ("A1:F10", 4, 6, None),  # already covers the new rows
        ("B5:C9", 4, 6, None),  # starts below the last real row
    ],
)
def test_which_ranges_grow(ref, last, new_last, grown):
    xml = f'<table ref="{ref}"><autoFilter ref="{ref}"/><tableColumns/></table>'.encode()
    edits = extend_ranges(xml, rb"", last, new_last)
    assert [e[2].decode() for e in edits] == ([grown, grown] if grown else [])


def test_pivot_cache_sourced_from_the_sheet_is_refused(tmp_path):
    path = build_workbook(
        tmp_path / "p.xlsx", extra_members={"xl/pivotCache/pivotCacheDefinition1.xml": PIVOT % VISIT.encode()}
    )
    before = path.read_bytes()
    with pytest.raises(WriteRefused) as e:
        append_rows(path, VISIT, NEW_ROWS)
    msg = str(e.value)
    assert "pivot" in msg and VISIT in msg and 'visit_log = "visits.xlsx"' in msg
    assert e.value.exit_code == EXIT_USAGE
    assert path.read_bytes() == before


def test_pivot_cache_on_another_sheet_does_not_block(tmp_path):
    path = build_workbook(
        tmp_path / "p.xlsx", extra_members={"xl/pivotCache/pivotCacheDefinition1.xml": PIVOT % "汇总".encode()}
    )
    assert append_rows(path, VISIT, NEW_ROWS).rows_written == [5, 6]


def test_merged_cells_where_rows_would_go_are_refused(tmp_path):
    path = build_workbook(
        tmp_path / "m.xlsx",
        edit_visit_xml=lambda x: x.replace(
            "<dataValidations", '<mergeCells count="1"><mergeCell ref="A5:B6"/></mergeCells><dataValidations'
        ),
    )
    with pytest.raises(WriteRefused, match="A5:B6"):
        append_rows(path, VISIT, NEW_ROWS)


# ---------------------------------------------------------------------------
# sheets of every shape


def test_header_only_sheet_gets_rows_from_row_2_without_header_style(tmp_path):
    path = build_workbook(tmp_path / "h.xlsx", rows=[])
    header_styles = set(re.findall(r'<c r="[A-F]1" s="(\d+)"', sheet_xml(path)))
    assert header_styles  # the header is bold and filled
    result = append_rows(path, VISIT, NEW_ROWS)
    assert result.rows_written == [2, 3]
    got = sheet_rows(path)[1:]
    # No date style anywhere in column A: the dates stay serials (documented).
    # column A has no date style in a header-only sheet: the dates go in as text a clerk reads
    assert got[0] == ["2024-06-01"] + expected(NEW_ROWS[0])[1:]
    assert got[1][0] == "2024-06-02 14:30" and got[1][1:] == expected(NEW_ROWS[1])[1:]
    new_styles = set(re.findall(r'<c r="[A-F][23]" s="(\d+)"', sheet_xml(path)))
    assert not (new_styles & header_styles)
    assert '<autoFilter ref="A1:F3"' in sheet_xml(path)


def test_header_only_sheet_uses_the_column_style(tmp_path):
    path = build_workbook(tmp_path / "h.xlsx", rows=[], date_column_style=True)
    append_rows(path, VISIT, [[dt.date(2024, 7, 1), "C1"]])
    assert sheet_rows(path)[1][:2] == [dt.date(2024, 7, 1), "C1"]


def test_self_closed_sheetdata(tmp_path):
    path = build_workbook(
        tmp_path / "e.xlsx", rows=[], edit_visit_xml=lambda x: re.sub(r"<sheetData>.*</sheetData>", "<sheetData />", x)
    )
    before = copy_of(path)
    assert append_rows(path, VISIT, [HEADER, NEW_ROWS[0]]).rows_written == [1, 2]
    assert sheet_rows(path)[0] == HEADER
    assert_only_changed(before, path, {"xl/worksheets/sheet1.xml"})


def _add_trailing_formatted_rows(x):
    trailing = "".join(f'<row r="{n}"><c r="A{n}" s="1"/><c r="F{n}" s="1"/></row>' for n in range(5, 10))
    return x.replace("</sheetData>", trailing + '<row r="12" ht="30" customHeight="1"/></sheetData>')


def test_trailing_formatted_empty_rows_are_not_real_rows(tmp_path):
    path = build_workbook(tmp_path / "t.xlsx", edit_visit_xml=_add_trailing_formatted_rows)
    assert append_rows(path, VISIT, NEW_ROWS).rows_written == [5, 6]
    numbers = [int(n) for n in re.findall(r'<row r="(\d+)"', sheet_xml(path))]
    assert numbers == sorted(set(numbers)) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 12]
    assert sheet_rows(path)[4:6] == [expected(r) for r in NEW_ROWS]


def test_rows_and_cells_without_r_attributes(tmp_path):
    def strip_r(x):
        return re.sub(r'<(row|c) r="[A-Z]*\d+"', r"<\1", x)

    path = build_workbook(tmp_path / "n.xlsx", edit_visit_xml=strip_r)
    assert '<row r="' not in sheet_xml(path)
    assert append_rows(path, VISIT, NEW_ROWS).rows_written == [5, 6]
    got = sheet_rows(path)
    assert got[1:4] == [expected(r) for r in OLD_ROWS]
    assert got[4:] == [expected(r) for r in NEW_ROWS]


def test_namespace_prefixed_sheet_xml(tmp_path):
    def prefixed(x):
        x = x.replace('<worksheet xmlns="', '<x:worksheet xmlns:x="')
        return re.sub(r"<(/?)(?!x:)([A-Za-z]+)([\s/>])", r"<\1x:\2\3", x)

    path = build_workbook(tmp_path / "x.xlsx", edit_visit_xml=prefixed)
    append_rows(path, VISIT, NEW_ROWS)
    root = SafeET.fromstring(sheet_xml(path).encode())
    rows = root.find(MAIN + "sheetData").findall(MAIN + "row")
    assert [r.get("r") for r in rows] == ["1", "2", "3", "4", "5", "6"]
    last = rows[-1].findall(MAIN + "c")
    assert last[5].find(f"{MAIN}is/{MAIN}t").text == "@SUM(A1)"
    assert root.find(MAIN + "autoFilter").get("ref") == "A1:F6"


def test_chinese_sheet_name_in_a_part_at_an_unusual_path(tmp_path):
    moved = "xl/custom/回访-part.xml"

    path = build_workbook(tmp_path / "c.xlsx")
    parts = members(path)
    order = member_order(path)
    parts[moved] = parts.pop("xl/worksheets/sheet1.xml")
    parts["xl/custom/_rels/回访-part.xml.rels"] = parts.pop("xl/worksheets/_rels/sheet1.xml.rels", b"") or None
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"/xl/worksheets/sheet1.xml", "/xl/custom/回访-part.xml".encode()
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"/xl/worksheets/sheet1.xml", "/xl/custom/回访-part.xml".encode()
    )
    order = [moved if n == "xl/worksheets/sheet1.xml" else n for n in order]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n in order:
            if parts.get(n) is not None:
                z.writestr(n, parts[n])
    before = copy_of(path)
    append_rows(path, VISIT, NEW_ROWS)
    assert_only_changed(before, path, {moved})
    assert sheet_rows(path)[4:] == [expected(r) for r in NEW_ROWS]


def test_xlsm_keeps_its_vba_project(tmp_path):
    path = build_workbook(tmp_path / "macro.xlsm", vba=True)
    before = copy_of(path)
    append_rows(path, VISIT, NEW_ROWS)
    assert_only_changed(before, path, {"xl/worksheets/sheet1.xml"})
    assert members(path)["xl/vbaProject.bin"] == members(before)["xl/vbaProject.bin"]


@pytest.mark.parametrize(
    "bad, why",
    [
        (lambda x: x.replace('<row r="3"', '<!-- note --><row r="3"'), "comments"),
        (lambda x: x.replace('<row r="3"', '<row r="9"', 1), "out of order"),
    ],
)
def test_sheet_xml_we_cannot_read_safely_is_refused(tmp_path, bad, why):
    path = build_workbook(tmp_path / "b.xlsx", edit_visit_xml=bad)
    before = path.read_bytes()
    with pytest.raises(WriteRefused, match=why):
        append_rows(path, VISIT, NEW_ROWS)
    assert path.read_bytes() == before


def test_missing_sheet_lists_the_sheets(book):
    with pytest.raises(WriteRefused, match="sheets are: 回访记录, 汇总, 隐藏"):
        append_rows(book, "Visits", NEW_ROWS)


@pytest.mark.parametrize("suffix", [".xls", ".ods", ".csv", ".xlsb"])
def test_other_formats_are_never_rewritten(tmp_path, suffix):
    path = tmp_path / f"archive{suffix}"
    path.write_bytes(b"not touched")
    with pytest.raises(WriteRefused, match="never rewritten") as e:
        append_rows(path, VISIT, NEW_ROWS)
    assert e.value.exit_code == EXIT_USAGE
    assert 'visit_log = "visits.xlsx"' in str(e.value)
    assert path.read_bytes() == b"not touched"


# ---------------------------------------------------------------------------
# update_cells


def test_update_cells_fills_a_column_in_place(book):
    before = copy_of(book)
    xml = sheet_xml(book)
    style_b2 = re.search(r'<c r="B2" s="(\d+)"', xml)
    result = update_cells(
        book, VISIT, {(2, 7): "林晓雯", (3, 7): "周杰", (2, 2): "C001-X", (8, 3): "新行"}, command="assign"
    )
    assert result.cells_changed == 4 and result.rows_written == [2, 3, 8]
    got = sheet_rows(book)
    assert got[1][6] == "林晓雯" and got[2][6] == "周杰" and got[1][1] == "C001-X"
    assert got[7][2] == "新行"
    xml = sheet_xml(book)
    if style_b2:
        assert f'<c r="B2" s="{style_b2.group(1)}"' in xml
    assert '<dimension ref="A1:G8"' in xml
    assert_only_changed(before, book, {"xl/worksheets/sheet1.xml"})
    assert "cells changed: 4" in result.audit_line


def test_update_cells_refuses_a_formula_and_a_table_header(tmp_path, book):
    with pytest.raises(WriteRefused, match="formula"):
        update_cells(book, "汇总", {(5, 2): 7})
    t = build_workbook(tmp_path / "t.xlsx", table=True)
    with pytest.raises(WriteRefused, match="header of table 'Visits'"):
        update_cells(t, VISIT, {(1, 3): "Name"})


# ---------------------------------------------------------------------------
# apply_changes: several changes, several sheets, one write

VISIT_PART, ISSUE_PART = "xl/worksheets/sheet1.xml", "xl/worksheets/sheet4.xml"
NEW_ISSUE = ["Q003", "C004", "服务质量", "安装师傅迟到", dt.date(2024, 6, 1), "否", None]
RESOLVE_Q001 = {(2, 6): "是", (2, 7): dt.date(2024, 6, 2)}


def record_changes(visit_rows=NEW_ROWS) -> list:
    """What `followup record` does: visits appended, an issue opened, an earlier one resolved."""
    return [Append(VISIT, visit_rows), Append(ISSUES, [NEW_ISSUE]), Update(ISSUES, RESOLVE_Q001)]


def issues_after_record() -> list:
    return [
        ISSUE_HEADER,
        expected(OLD_ISSUES[0][:5] + ["是", dt.date(2024, 6, 2)]),
        expected(OLD_ISSUES[1]),
        expected(NEW_ISSUE),
    ]


@pytest.fixture
def record_book(tmp_path):
    return build_workbook(tmp_path / "archive.xlsx", issues="autofilter")


def test_two_sheets_in_one_write(record_book):
    path = record_book
    before = copy_of(path)
    result = apply_changes(path, record_changes(), command="record calls.xlsx")
    # both sheets read back right
    assert sheet_rows(path)[4:] == [expected(r) for r in NEW_ROWS]
    assert sheet_rows(path)[:4] == sheet_rows(before)[:4]
    assert sheet_rows(path, ISSUES) == issues_after_record()
    assert '<autoFilter ref="A1:G4"' in sheet_xml(path, ISSUE_PART)
    # every other part byte-identical
    assert_only_changed(before, path, {VISIT_PART, ISSUE_PART})
    # one backup (of the original), one audit line
    assert backups_of(path) == [result.backup_path]
    assert result.backup_path.read_bytes() == before.read_bytes()
    log = (path.parent / "followup-audit.log").read_text(encoding="utf-8").splitlines()
    assert log == [result.audit_line]
    _when, _user, command, _file, sheets, detail = log[0].split("\t")
    assert command == "record calls.xlsx" and sheets == f"{VISIT}, {ISSUES}"
    assert detail == f"[{VISIT}] rows added: 2 (5-6); [{ISSUES}] rows added: 1 (4); cells changed: 2 (rows 2)"
    # the result: the first sheet up front, every sheet in `sheets`
    assert (result.sheet, result.rows_written, result.cells_changed) == (VISIT, [5, 6], 0)
    assert result.changed_parts == [VISIT_PART, ISSUE_PART]
    assert result.sheets == [
        SheetResult(VISIT, [5, 6], [], 0, [VISIT_PART]),
        SheetResult(ISSUES, [4], [2], 2, [ISSUE_PART]),
    ]
    assert result.for_sheet(ISSUES).rows_added == [4] and result.for_sheet("汇总") is None


def test_each_part_is_rewritten_once(record_book, monkeypatch):
    real = xlsxplan.splice
    spliced = []
    monkeypatch.setattr(
        xlsxplan, "splice", lambda stream, edits, write: spliced.append(1) or real(stream, edits, write)
    )
    scanned = []
    real_scan = xlsxplan.scan_sheet
    monkeypatch.setattr(xlsxplan, "scan_sheet", lambda *a, **k: scanned.append(1) or real_scan(*a, **k))
    # two appends and two updates on the issue sheet, spelled two ways: still one sheet
    apply_changes(
        record_book,
        [
            Append(ISSUES, [NEW_ISSUE]),
            Update(ISSUES, {(2, 6): "是"}),
            Append(VISIT, NEW_ROWS),
            Update("问题跟踪", {(2, 7): dt.date(2024, 6, 2)}),
            Append(ISSUES, [["Q004"]]),
        ],
    )
    assert len(spliced) == 2 and len(scanned) == 2
    got = sheet_rows(record_book, ISSUES)
    assert [r[0] for r in got] == ["问题编号", "Q001", "Q002", "Q003", "Q004"]
    assert got[1][5:] == ["是", dt.date(2024, 6, 2)]


@pytest.mark.parametrize("table", [False, True], ids=["autofilter", "table"])
@pytest.mark.parametrize("order", ["update-first", "append-first"])
def test_update_and_append_on_the_same_sheet(tmp_path, table, order):
    """An issue kept in the visit log's own columns: resolve it on an old row, append the new visits."""
    path = build_workbook(tmp_path / "a.xlsx", table=table)
    before = copy_of(path)
    # G is a new column; row 4 is the last real row, its rewrite sits right where the new rows go
    updates = {(2, 7): "已解决", (4, 6): "已回电", (4, 7): "已解决", (9, 2): "C009"}
    changes = [Update(VISIT, updates), Append(VISIT, NEW_ROWS)]
    if order == "append-first":
        changes.reverse()
    result = apply_changes(path, changes)
    got = sheet_rows(path)
    assert got[1][6] == "已解决" and got[3][5:7] == ["已回电", "已解决"]
    assert got[1][:6] == expected(OLD_ROWS[0]) and got[3][:5] == expected(OLD_ROWS[2])[:5]
    assert [r[:6] for r in got[4:6]] == [expected(r) for r in NEW_ROWS]
    assert got[6:8] == [[""] * 7, [""] * 7] and got[8][1] == "C009"
    xml = sheet_xml(path)
    assert [int(n) for n in re.findall(r'<row r="(\d+)"', xml)] == [1, 2, 3, 4, 5, 6, 9]
    assert '<dimension ref="A1:G9"' in xml
    changed = {VISIT_PART, "xl/tables/table1.xml"} if table else {VISIT_PART}
    assert_only_changed(before, path, changed)
    assert (result.rows_written, result.cells_changed) == ([5, 6], 4)
    parts = [VISIT_PART, "xl/tables/table1.xml"] if table else [VISIT_PART]
    assert result.sheets == [SheetResult(VISIT, [5, 6], [2, 4, 9], 4, parts)]
    assert result.audit_line.endswith("\trows added: 2 (5-6); cells changed: 4 (rows 2, 4, 9)")
    if table:
        assert SafeET.fromstring(members(path)["xl/tables/table1.xml"]).get("ref") == "A1:F6"
    else:
        assert '<autoFilter ref="A1:F6"' in xml
    # the order of the changes does not matter
    other = build_workbook(tmp_path / "b.xlsx", table=table)
    apply_changes(other, list(reversed(changes)))
    assert sheet_xml(other) == xml


def test_update_of_a_row_the_same_call_appends_is_a_caller_bug(record_book):
    before = record_book.read_bytes()
    with pytest.raises(TypeError, match="row 5 is both appended and updated"):
        apply_changes(record_book, [Append(VISIT, NEW_ROWS), Update(VISIT, {(5, 7): "x"})])
    with pytest.raises(TypeError, match="row 4 is both appended and updated"):  # Q003's row, on the second sheet
        apply_changes(
            record_book, [Append(VISIT, NEW_ROWS), Append(ISSUES, [NEW_ISSUE]), Update(ISSUES, {(4, 6): "是"})]
        )
    assert record_book.read_bytes() == before
    assert backups_of(record_book) == []
    assert not (record_book.parent / "followup-audit.log").exists()
    # a cell that does not exist yet, on a row nobody appends, is created as update_cells does
    result = apply_changes(record_book, [Append(VISIT, NEW_ROWS), Update(VISIT, {(3, 9): "new", (8, 1): "below"})])
    assert result.sheets[0].rows_updated == [3, 8] and sheet_rows(record_book)[7][0] == "below"


@pytest.mark.parametrize(
    "changes, why",
    [
        ([Append(VISIT, [[object()]])], "cannot write a object"),
        ([Update(VISIT, {(2, "B"): 1})], "cell keys are"),
        ([Update(VISIT, {(2, 2): "a"}), Update(VISIT, {(2, 2): "b"})], "B2 is updated twice"),
        ([Append(VISIT, [["a"]], header_row=1), Append(VISIT, [["b"]], header_row=2)], "different header rows"),
        ([Append(ISSUES, [NEW_ISSUE]), ("回访记录", [["x"]])], "an Append, an Update or an ExtendHeader"),
        (Append(VISIT, [["x"]]), "a list of Append and Update"),
    ],
)
def test_caller_bugs_are_type_errors_and_nothing_is_written(record_book, changes, why):
    before = record_book.read_bytes()
    with pytest.raises(TypeError, match=why):
        apply_changes(record_book, changes)
    assert record_book.read_bytes() == before
    assert not (record_book.parent / "followup-audit.log").exists()


def test_the_same_value_twice_is_no_conflict_and_empty_changes_write_nothing(record_book):
    before = record_book.read_bytes()
    result = apply_changes(record_book, [Append(VISIT, []), Update(ISSUES, {}), Append("no such sheet", [])])
    assert (result.backup_path, result.audit_line, result.sheets) == (None, "", [])
    assert record_book.read_bytes() == before
    result = apply_changes(record_book, [Update(ISSUES, {(2, 6): "是"}), Update(ISSUES, {(2, 6): "是"})])
    assert result.cells_changed == 1


@pytest.mark.parametrize("second", ["totals-row", "formula", "no-such-sheet", "bad-value"])
def test_a_refusal_on_the_second_sheet_leaves_the_file_byte_identical(tmp_path, second):
    path = build_workbook(tmp_path / "archive.xlsx", issues="totals" if second == "totals-row" else "autofilter")
    before = path.read_bytes()
    changes = [Append(VISIT, NEW_ROWS), Update(VISIT, {(2, 7): "ok"})]
    if second == "totals-row":
        changes.append(Append(ISSUES, [NEW_ISSUE]))
        expect = (WriteRefused, "table 'Issues' on sheet '问题跟踪' has a totals row")
    elif second == "formula":
        changes.append(Update("汇总", {(5, 2): 7}))
        expect = (WriteRefused, "holds a formula")
    elif second == "no-such-sheet":
        changes.append(Append("问题", [NEW_ISSUE]))
        expect = (WriteRefused, "sheet '问题' not found")
    else:
        changes.append(Append(ISSUES, [["Q9", None, None, "x" * 40000]]))
        expect = (DataProblems, "D4")
    with pytest.raises(expect[0], match=expect[1]):
        apply_changes(path, changes)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temp file, no lock file


def test_failure_while_writing_the_second_part_leaves_the_original(record_book, monkeypatch):
    before = record_book.read_bytes()
    real = xlsxplan.splice
    calls = []

    def disk_full(stream, edits, write):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(stream, edits, write)

    monkeypatch.setattr(xlsxplan, "splice", disk_full)
    with pytest.raises(WriteRefused, match="No space left"):
        apply_changes(record_book, record_changes())
    assert len(calls) == 2
    assert record_book.read_bytes() == before
    assert sorted(p.name for p in record_book.parent.iterdir()) == [record_book.name]


def test_libreoffice_reads_both_sheets(tmp_path, soffice):
    path = build_workbook(tmp_path / "archive.xlsx", issues="table")
    apply_changes(path, record_changes())
    out = soffice(path, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    assert sheet_rows(out)[4:] == [expected(r) for r in NEW_ROWS]
    assert sheet_rows(out, ISSUES) == issues_after_record()


# ---------------------------------------------------------------------------
# safety: owner files, lock, backups, audit, failures, kills


def excel_owner_file(user: str) -> bytes:
    """The 165-byte owner file Excel leaves as ~$name.xlsx."""
    data = bytes([len(user)]) + user.encode("cp1252", "replace")
    data = data.ljust(55, b" ") + struct.pack("<H", len(user)) + user.encode("utf-16-le")
    return data.ljust(165, b" ")


@pytest.mark.parametrize("owner", ["excel", "libreoffice"])
def test_workbook_open_elsewhere_is_refused_unless_forced(book, owner):
    if owner == "excel":
        lock = book.with_name("~$" + book.name)
        lock.write_bytes(excel_owner_file("Lin Xiaowen"))
        who = "Lin Xiaowen"
    else:
        lock = book.with_name(f".~lock.{book.name}#")
        lock.write_text(",lin,shop-pc,23.11.2026 09:15,file:///home/lin/.config/libreoffice/4;", encoding="utf-8")
        who = "lin on shop-pc since 23.11.2026 09:15"
    os.utime(lock, (1_700_000_000, 1_700_000_000))
    before = book.read_bytes()
    with pytest.raises(WriteRefused) as e:
        append_rows(book, VISIT, NEW_ROWS)
    msg = str(e.value)
    assert lock.name in msg and who in msg
    assert dt.datetime.fromtimestamp(1_700_000_000).strftime("%Y-%m-%d %H:%M") in msg
    assert "close it in Excel/WPS/LibreOffice, or pass --ignore-lock if that lock is stale" in msg
    assert book.read_bytes() == before
    assert append_rows(book, VISIT, NEW_ROWS, force=True).rows_written == [5, 6]


def test_excel_owner_name_decodes_chinese_user():
    assert excel_owner_name(excel_owner_file("林晓雯")) == "林晓雯"
    assert excel_owner_name(b"") == ""


HOLD_LOCK = """
import sys, time, filelock
lock = filelock.FileLock(sys.argv[1])
lock.acquire()
print("READY", flush=True)
time.sleep(60)
"""


def test_second_writer_is_refused_while_the_lock_is_held(book, tmp_path):
    script = tmp_path / "hold.py"
    script.write_text(HOLD_LOCK)
    proc = subprocess.Popen([sys.executable, str(script), str(followup_lock(book))], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "READY"
        before = book.read_bytes()
        with pytest.raises(WriteRefused, match="another followup run is writing") as e:
            append_rows(book, VISIT, NEW_ROWS, lock_timeout=0.2)
        assert str(followup_lock(book)) in str(e.value)
        assert "try again when it finishes" in str(e.value)
        assert book.read_bytes() == before
    finally:
        proc.kill()
        proc.wait()
    assert append_rows(book, VISIT, NEW_ROWS, lock_timeout=5).rows_written == [5, 6]


def test_backups_keep_the_newest_ten(book):
    states = []
    for i in range(12):
        states.append(book.read_bytes())
        result = append_rows(book, VISIT, [[dt.date(2024, 7, 1), f"C{i}"]])
        assert result.backup_path.read_bytes() == states[-1]
    backups = backups_of(book)
    assert len(backups) == 10
    assert [b.read_bytes() for b in backups] == states[2:]
    assert re.fullmatch(r"archive\.\d{8}-\d{6}-\d{6}\.xlsx", backups[0].name)
    assert backups[0].parent == book.parent / ".followup-backups"
    assert append_rows(book, VISIT, [["x"]], backup=False).backup_path is None
    assert len(backups_of(book)) == 10


def test_audit_line(book):
    result = append_rows(book, VISIT, NEW_ROWS, command="record calls.xlsx")
    log = (book.parent / "followup-audit.log").read_text(encoding="utf-8").splitlines()
    assert log == [result.audit_line]
    when, user, command, file, sheet, detail = log[0].split("\t")
    assert dt.datetime.fromisoformat(when)
    assert user and command == "record calls.xlsx" and file == str(book) and sheet == VISIT
    assert detail == "rows added: 2 (5-6)"


def test_failure_on_replace_leaves_the_original(book, monkeypatch):
    before = book.read_bytes()

    real = os.replace

    def busy(src, dst):
        if Path(dst) == book:  # Windows: Excel or a sync tool holds the workbook
            raise PermissionError(13, "The process cannot access the file because it is being used by another process")
        return real(src, dst)

    monkeypatch.setattr(writing.os, "replace", busy)
    with pytest.raises(WriteRefused, match="another program holds the workbook open") as e:
        append_rows(book, VISIT, NEW_ROWS)
    assert "unchanged" in str(e.value)
    monkeypatch.undo()
    assert book.read_bytes() == before
    assert not [p for p in book.parent.iterdir() if p.name.endswith(".followup-tmp")]
    assert not (book.parent / "followup-audit.log").exists()


def test_failure_while_writing_leaves_the_original(book, monkeypatch):
    before = book.read_bytes()
    real = surgery._copy_range
    calls = []

    def disk_full(src, dst, start, length):
        calls.append(1)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(src, dst, start, length)

    monkeypatch.setattr(surgery, "_copy_range", disk_full)
    with pytest.raises(WriteRefused, match="No space left"):
        append_rows(book, VISIT, NEW_ROWS)
    assert book.read_bytes() == before
    assert sorted(p.name for p in book.parent.iterdir()) == [book.name]


def test_workbook_changed_meanwhile_is_not_overwritten(book, monkeypatch):
    real = writing._identity
    seen = []

    def moving(p):
        seen.append(1)
        return real(p) + (len(seen),)

    monkeypatch.setattr(writing, "_identity", moving)
    before = book.read_bytes()
    with pytest.raises(WriteRefused, match="changed on disk"):
        append_rows(book, VISIT, NEW_ROWS)
    assert book.read_bytes() == before


KILL_SCRIPT = """
import os, sys, time, datetime
from followup_cli.writeback import transaction as writing
from followup_cli.writeback.changes import Append, Update
from followup_cli.xlsx import plan as xlsxplan, surgery

phase = sys.argv[2]
multi = sys.argv[3] == "multi"

def pause():
    print("READY", flush=True)
    time.sleep(60)

if phase == "temp":
    real = surgery._copy_range
    n = []
    def slow(*a):
        n.append(1)
        if len(n) == 4:
            pause()
        return real(*a)
    surgery._copy_range = slow
elif phase == "backup":
    real_copy = writing.shutil.copy2
    def half(src, dst):
        with open(src, "rb") as f, open(dst, "wb") as g:
            g.write(f.read()[: os.path.getsize(src) // 2])
        pause()
    writing.shutil.copy2 = half
elif phase == "replace":
    real_replace = writing._replace
    def late(*a):
        pause()
    writing._replace = late
elif phase == "audit":
    def late(*a):
        pause()
    writing.write_audit = late
elif phase == "between":  # the first sheet's part is in the temp file, the second not yet
    real_splice = xlsxplan.splice
    parts = []
    def second(*a):
        parts.append(1)
        if len(parts) == 2:
            pause()
        return real_splice(*a)
    xlsxplan.splice = second

if phase == "random":
    print("READY", flush=True)
rows = [[datetime.date(2024, 8, 1), f"K{i}", "kill", "已接通", 1, "x" * 50] for i in range(200)]
if multi:
    writing.apply_changes(sys.argv[1], [
        Append("回访记录", rows),
        Append("问题跟踪", [[f"Q{i}", f"K{i}", "其他", "kill"] for i in range(100)]),
        Update("问题跟踪", {(2, 6): "是", (2, 7): datetime.date(2024, 8, 1)}),
    ], command="kill-test")
else:
    writing.append_rows(sys.argv[1], "回访记录", rows, command="kill-test")
print("DONE", flush=True)
"""


def _valid_old_or_new(path: Path, old_rows: list, old_issues: list | None = None) -> str:
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
    got = sheet_rows(path)
    assert got[: len(old_rows)] == old_rows
    tail = got[len(old_rows) :]
    assert tail == [] or (len(tail) == 200 and all(r[1] == f"K{i}" for i, r in enumerate(tail)))
    state = "old" if not tail else "new"
    if old_issues is not None:  # the issue sheet is in the same state: never half a record
        issues = sheet_rows(path, ISSUES)
        if state == "old":
            assert issues == old_issues
        else:
            assert issues[0] == old_issues[0] and issues[2] == old_issues[2]
            assert issues[1] == old_issues[1][:5] + ["是", dt.date(2024, 8, 1)]
            assert [r[:4] for r in issues[3:]] == [[f"Q{i}", f"K{i}", "其他", "kill"] for i in range(100)]
    return state


posix_only = pytest.mark.skipif(os.name != "posix", reason="SIGKILL")


@posix_only
@pytest.mark.parametrize(
    "phase, multi",
    [
        ("temp", False),
        ("backup", False),
        ("replace", False),
        ("audit", False),
        ("temp", True),
        ("between", True),
        ("backup", True),
        ("replace", True),
        ("audit", True),
    ],
    ids=lambda v: {True: "two-sheets", False: "one-sheet"}.get(v, v) if isinstance(v, bool) else v,
)
def test_kill_at_each_step_leaves_old_or_new(tmp_path, phase, multi):
    book = build_workbook(tmp_path / "archive.xlsx", issues="autofilter" if multi else None)
    script = tmp_path / "kill.py"
    script.write_text(KILL_SCRIPT)
    old = sheet_rows(book)
    old_issues = sheet_rows(book, ISSUES) if multi else None
    proc = subprocess.Popen(
        [sys.executable, str(script), str(book), phase, "multi" if multi else "one"], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "READY"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    state = _valid_old_or_new(book, old, old_issues)
    assert state == ("new" if phase == "audit" else "old")
    # Nothing left behind that looks like a workbook or a backup.
    assert [p.name for p in book.parent.iterdir() if p.suffix in (".xlsx", ".xlsm")] == [book.name]
    for p in (book.parent / ".followup-backups").glob("*.xlsx"):
        assert re.fullmatch(r"archive\.\d{8}-\d{6}-\d{6}\.xlsx", p.name)
    for b in backups_of(book):
        with zipfile.ZipFile(b) as z:
            assert z.testzip() is None
    # The next run cleans up and writes.
    append_rows(book, VISIT, [["after"]])
    leftovers = [
        p
        for p in list(book.parent.iterdir()) + list((book.parent / ".followup-backups").glob("*"))
        if p.name.endswith(".followup-tmp")
    ]
    assert leftovers == []


@posix_only
@pytest.mark.parametrize("multi", [False, True], ids=["one-sheet", "two-sheets"])
def test_kill_at_random_moments(tmp_path, multi):
    import random

    rng = random.Random(4)
    script = tmp_path / "kill.py"
    script.write_text(KILL_SCRIPT)
    big = [
        [dt.date(2024, 1, 1) + dt.timedelta(days=i % 300), f"C{i}", "名字", "已接通", i % 6, "备注" * 10]
        for i in range(20000)
    ]
    path = build_workbook(tmp_path / "big.xlsx", rows=big, issues="autofilter" if multi else None)
    old = sheet_rows(path)
    old_issues = sheet_rows(path, ISSUES) if multi else None
    seen = set()
    for _ in range(8):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(path), "random", "multi" if multi else "one"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout.readline().strip() == "READY"
        time.sleep(rng.uniform(0.0, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        state = _valid_old_or_new(path, old, old_issues)
        seen.add(state)
        if state == "new":
            path.write_bytes(backups_of(path)[-1].read_bytes())
    assert "old" in seen  # at least one kill landed mid-write


# ---------------------------------------------------------------------------
# a real spreadsheet application opens what we wrote


def _csv_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


@pytest.mark.parametrize("table", [False, True], ids=["autofilter", "table"])
def test_libreoffice_reads_the_appended_rows(tmp_path, soffice, table):
    path = build_workbook(tmp_path / "archive.xlsx", table=table)
    append_rows(path, VISIT, NEW_ROWS)
    out = soffice(path, "csv:Text - txt - csv (StarCalc):44,34,76,1", tmp_path / "csv")
    rows = _csv_rows(out)
    assert rows[0] == HEADER
    assert [r[1] for r in rows[1:]] == ["C001", "C002", "C003", "C004", "C005"]
    assert rows[4][0] == "2024-06-01"
    assert rows[5][2:4] == ["+8613800000000", "-拒绝"]
    assert rows[4][5] == '=HYPERLINK("http://x")' and rows[5][5] == "@SUM(A1)"


def test_append_into_a_workbook_libreoffice_wrote(tmp_path, soffice):
    (tmp_path / "src").mkdir()
    src = build_workbook(tmp_path / "src" / "archive.xlsx", table=True)
    lo = soffice(src, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    before = copy_of(lo)
    append_rows(lo, VISIT, NEW_ROWS)
    changed = {n for n in member_order(lo) if members(before)[n] != members(lo)[n]}
    assert changed <= {"xl/worksheets/sheet1.xml", "xl/tables/table1.xml"} and "xl/worksheets/sheet1.xml" in changed
    assert_only_changed(before, lo, changed)
    assert sheet_rows(lo)[4:] == [expected(r) for r in NEW_ROWS]
    out = soffice(lo, "csv:Text - txt - csv (StarCalc):44,34,76,1", tmp_path / "csv")
    assert [r[1] for r in _csv_rows(out)[1:]] == ["C001", "C002", "C003", "C004", "C005"]


# ---------------------------------------------------------------------------
# the streaming scan agrees with a DOM reading, whatever the chunking


def random_sheet(rng) -> bytes:
    rows, n = [], 0
    for _ in range(rng.randrange(0, 40)):
        n += rng.choice([1, 1, 1, 2, 7])
        with_r = rng.random() < 0.85
        r = f' r="{n}"' if with_r else ""
        kind = rng.choice(["value", "value", "text", "rich", "formula", "blank", "styled", "bare", "closed"])
        ref = (lambda col: f' r="{col}{n}"') if with_r else (lambda col: "")
        cells = {
            "value": f'<c{ref("A")} s="1"><v>{n}</v></c><c{ref("B")} s="2"/>',
            "text": f'<c{ref("A")} t="inlineStr"><is><t>t{n}</t></is></c>',
            "rich": f'<c{ref("B")} t="inlineStr"><is><r><rPr><vertAlign val="superscript"/><family val="2"/>'
            f"</rPr><t>r</t></r></is></c>",
            "formula": f"<c{ref('C')}><f>1+1</f></c>",
            "blank": f'<c{ref("C")} t="str"><f>IF(A1="","",1)</f><v></v></c><c{ref("D")}><f>A1</f><v/></c>',
            "styled": f'<c{ref("A")} s="3"/><c{ref("D")} s="3"></c>',
            "bare": "",
        }.get(kind)
        sep = rng.choice(["", "\n", "\n  "])
        if cells is None:
            rows.append(f'{sep}<row{r} ht="20" customHeight="1"/>')
        else:
            rows.append(f'{sep}<row{r} spans="1:4">{cells}</row>')
    body = "".join(rows)
    return (
        f'<?xml version="1.0"?>\n<worksheet xmlns="{MAIN[1:-1]}"><dimension ref="A1"/>'
        f'<sheetData>{body}</sheetData><pageMargins left="0.7"/></worksheet>'
    ).encode()


def reference_rows(data: bytes):
    root = SafeET.fromstring(data)
    out, n = [], 0
    for row in root.iter(MAIN + "row"):
        n = int(row.get("r")) if row.get("r") else n + 1
        real = any(  # a value, or a formula not calculated yet; one showing nothing is not
            c.find(MAIN + "is") is not None
            or (c.find(MAIN + "v") is not None and c.find(MAIN + "v").text)
            or (c.find(MAIN + "f") is not None and c.find(MAIN + "v") is None)
            for c in row.findall(MAIN + "c")
        )
        out.append((n, real))
    return out


class _Stream:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def read(self, n):
        chunk = self.data[self.pos : self.pos + n]
        self.pos += len(chunk)
        return chunk


@pytest.mark.parametrize("chunk", [5, 64, 1000, 1 << 20])
def test_scan_agrees_with_a_dom_reading(monkeypatch, chunk):
    import random

    monkeypatch.setattr(limits, "CHUNK", chunk)
    rng = random.Random(chunk)
    for _ in range(150):
        data = random_sheet(rng)
        ref = reference_rows(data)
        numbers = [n for n, _ in ref]
        want = set(rng.sample(range(1, (numbers[-1] if numbers else 1) + 3), k=min(3, len(numbers) + 1)))
        scan = xlsxscan.scan_sheet(_Stream(data), "t", follow_rows=3, want_rows=want)
        real = [n for n, is_real in ref if is_real]
        last = real[-1] if real else None
        assert (scan.last_real.number if scan.last_real else None) == last
        assert min(scan.real_rows, 2) == min(len(real), 2)
        assert scan.max_row == (numbers[-1] if numbers else 0)
        assert [r.number for r in scan.after_last] == [n for n, _ in ref if n > (last or 0) and n <= (last or 0) + 3]
        for seen in ([scan.last_real] if scan.last_real else []) + scan.after_last + list(scan.wanted.values()):
            assert data[seen.start : seen.end] == seen.xml and seen.xml.startswith(b"<row")
        assert set(scan.wanted) == want & set(numbers)
        for w, at in scan.insert_at.items():
            later = [r for r in re.finditer(rb"<row[ >/]", data)][len([n for n in numbers if n < w]) :]
            assert at == (later[0].start() if later else scan.sheetdata_close)
        assert data[scan.sheetdata_close :].startswith(b"</sheetData>")
        assert scan.length == len(data)


def test_regular_sheets_take_the_fast_path(monkeypatch):
    monkeypatch.setattr(limits, "CHUNK", 4096)
    rows = "".join(f'<row r="{n}" spans="1:2"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 5001))
    data = f'<worksheet xmlns="{MAIN[1:-1]}"><sheetData>{rows}</sheetData></worksheet>'.encode()
    calls = []
    real_slow = xlsxscan._RowScanner.slow
    monkeypatch.setattr(xlsxscan._RowScanner, "slow", lambda self, *a: calls.append(a) or real_slow(self, *a))
    scan = xlsxscan.scan_sheet(_Stream(data), "t", follow_rows=1000)
    assert scan.last_real.number == 5000 and calls == []


def test_chunking_does_not_change_what_is_written(tmp_path, monkeypatch):
    outputs = []
    for chunk in (37, 1 << 20):
        monkeypatch.setattr(limits, "CHUNK", chunk)
        path = build_workbook(tmp_path / f"c{chunk}.xlsx", edit_visit_xml=_add_trailing_formatted_rows)
        append_rows(path, VISIT, NEW_ROWS)
        outputs.append(members(path)["xl/worksheets/sheet1.xml"])
    assert outputs[0] == outputs[1]


def test_lock_file_that_cannot_be_created_is_a_clear_refusal(book, monkeypatch):
    def denied(self, *a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(writing.filelock.FileLock, "acquire", denied)
    with pytest.raises(WriteRefused, match="cannot create the lock file"):
        append_rows(book, VISIT, NEW_ROWS)


def test_row_style_is_carried_but_not_a_tall_row_height(tmp_path):
    def tall_last_row(x):
        return x.replace('<row r="4"', '<row r="4" ht="60" customHeight="1" s="1" customFormat="1"')

    path = build_workbook(tmp_path / "r.xlsx", edit_visit_xml=tall_last_row)
    append_rows(path, VISIT, NEW_ROWS)
    row5 = re.search(r"<row r=\"5\"[^>]*>", sheet_xml(path)).group(0)
    assert 's="1"' in row5 and 'customFormat="1"' in row5 and "ht=" not in row5


def test_prepared_empty_rows_under_a_header_keep_their_styles(tmp_path):
    def prepared(x):
        rows = "".join(f'<row r="{n}" ht="22" customHeight="1"><c r="A{n}" s="1"/></row>' for n in (2, 3))
        return x.replace("</sheetData>", rows + "</sheetData>")

    path = build_workbook(tmp_path / "p.xlsx", rows=[], edit_visit_xml=prepared)
    header_style = re.search(r'<c r="A1" s="(\d+)"', sheet_xml(path)).group(1)
    append_rows(path, VISIT, NEW_ROWS)
    xml = sheet_xml(path)
    assert re.search(r'<row r="2" ht="22" customHeight="1"><c r="A2" s="1"[ >]', xml)
    assert f'<c r="B2" s="{header_style}"' not in xml
    assert xml.count('<row r="2"') == 1 and xml.count('<row r="3"') == 1


def test_update_cells_refuses_a_cell_inside_an_array_formula(tmp_path):
    def array(x):
        x = x.replace('<c r="E2" t="n"><v>5</v></c>', '<c r="E2"><f t="array" ref="E2:E4">F2:F4</f><v>5</v></c>')
        return x

    path = build_workbook(tmp_path / "a.xlsx", edit_visit_xml=array)
    assert 't="array"' in sheet_xml(path)
    with pytest.raises(WriteRefused, match="array formula over E2:E4"):
        update_cells(path, VISIT, {(3, 5): 1})
    assert update_cells(path, VISIT, {(3, 4): "ok"}).cells_changed == 1


def test_leftover_temp_files_of_a_killed_run_are_removed_by_the_next_write(book):
    leftovers = [book.with_name(f".{book.name}.new"), book.with_name(f".{book.name}.0a1b2c3d.followup-tmp")]
    for p in leftovers:
        p.write_bytes(b"half a workbook")
    append_rows(book, VISIT, NEW_ROWS)
    assert not any(p.exists() for p in leftovers)
    assert sorted(p.name for p in book.parent.iterdir() if not p.is_dir()) == sorted([book.name, "followup-audit.log"])


def test_a_date_into_a_column_without_a_date_format_is_written_as_text(tmp_path):
    """A hand-kept book with its dates typed as text: an appended date reads as the clerk's
    text, never as the serial number 46351; a date-formatted column still gets a real date."""
    import datetime as dt

    from openpyxl import Workbook, load_workbook

    from followup_cli.writeback.transaction import append_rows

    wb = Workbook()
    ws = wb.active
    ws.title = "回访登记"
    ws.append(["客户编号", "回访日期", "下次回访"])
    ws.append(["C1", "2026-10-01", dt.date(2026, 10, 8)])
    ws["C2"].number_format = "yyyy-mm-dd"
    path = tmp_path / "book.xlsx"
    wb.save(path)
    append_rows(path, "回访登记", [["C2", dt.date(2026, 11, 25), dt.date(2026, 12, 2)]], backup=False)
    ws = load_workbook(path).active
    assert ws["B3"].value == "2026-11-25"
    assert ws["C3"].value == dt.datetime(2026, 12, 2) and ws["C3"].is_date
