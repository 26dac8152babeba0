"""Cells written the way no spreadsheet program writes them, but python-calamine reads: the
bounds check (xlsx/bounds.py, xlsx/extent.py, xlsx/positions.py) must place them where
calamine does, or a hostile file gets past it and calamine's allocation aborts the process.

Generated sheets mix cells without r= (placed after the previous cell), r= in single quotes,
with spaces around '=', after a tab or straight after another attribute's quote, in lowercase,
twice in one tag (calamine takes the last), prefixed tags, rows with and without r=, and a '/'
or '>' inside another attribute's value; the extent the check finds is compared with the one
calamine itself reads from the same file.
"""

from __future__ import annotations

import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from followup_cli.errors import UnreadableFile
from followup_cli.xlsx import bounds, extent, positions
from followup_cli.xlsx.refs import col_letters
from tests import attacks

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"


def _package(path, sheet_xml: bytes):
    """A minimal workbook of one sheet whose part is `sheet_xml`."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        zf.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        zf.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{NS}" xmlns:r="{rel}"><sheets>'
            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        zf.writestr(SHEET, sheet_xml)
    return path


SPELLINGS = [
    ' r="{}"',
    " r='{}'",
    ' r = "{}"',
    '\tr="{}"',
    '\nr="{}"',
    ' s="0"r="{}"',
    ' r="A1" r="{}"',  # the last one wins
    ' x="/" r="{}"',
    ' r="{}" x="/>"',
    ' r="{}" x:r="A1"',  # a prefixed r= is not calamine's
]

cell = st.one_of(
    st.none(),  # no r=: placed after the previous cell
    st.tuples(st.integers(1, 40), st.integers(1, 30), st.sampled_from(SPELLINGS), st.booleans()),
)
row = st.tuples(
    st.one_of(st.none(), st.integers(1, 40)),  # the row's r=
    st.lists(st.tuples(cell, st.booleans()), max_size=6),  # (cell, holds a value)
)


def _xml(rows, prefix: str) -> bytes:
    p = f"{prefix}:" if prefix else ""
    out = [f'<{p}worksheet xmlns{":" + prefix if prefix else ""}="{NS}"><{p}sheetData>']
    out.append(f'<{p}row r="1"><{p}c r="A1"><{p}v>1</{p}v></{p}c></{p}row>')
    for r, cells in rows:
        out.append(f'<{p}row r="{r}">' if r else f"<{p}row>")
        for c, value in cells:
            attrs = ""
            if c is not None:
                rr, cc, spelling, lower = c
                ref = f"{col_letters(cc)}{rr}"
                attrs = spelling.format(ref.lower() if lower else ref)
            if value:
                out.append(f"<{p}c{attrs}><{p}v>2</{p}v></{p}c>")
            else:
                out.append(f"<{p}c{attrs}/>")
        out.append(f"</{p}row>")
    out.append(f"</{p}sheetData></{p}worksheet>")
    return "".join(out).encode()


def _calamine_extent(path):
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return sheet.end[0] + 1, sheet.end[1] + 1


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row, max_size=12), prefix=st.sampled_from(["", "x"]), chunk=st.sampled_from([64, 1 << 20]))
def test_the_check_places_cells_where_calamine_does(tmp_path, monkeypatch, rows, prefix, chunk):
    monkeypatch.setattr(bounds, "CHUNK", chunk)
    path = _package(tmp_path / "odd.xlsx", _xml(rows, prefix))
    want_rows, want_cols = _calamine_extent(path)
    with zipfile.ZipFile(path) as zf:
        got_rows, got_cols = bounds.sheet_extent(zf, zf.getinfo(SHEET), path, "S")
    # a cell closed on itself with a '/' in a value is counted as holding one (the check never counts less)
    doubtful = any(c is not None and "/" in c[2] and not value for _, cells in rows for c, value in cells)
    assert got_rows == want_rows or (doubtful and got_rows > want_rows), (got_rows, want_rows)
    # the plain count says 26 columns for a small sheet within Z: enough, whichever it is
    assert got_cols == want_cols or (got_cols == 26 and want_cols <= 26) or (doubtful and got_cols > want_cols)


@pytest.mark.parametrize(
    ("xml", "kind"),
    [
        (b'<row r="5"><c r="T5" s="1"><v>1</v></c><c r="B5" s="2"/></row>', extent.INSIDE),
        (b'<row r="1000000"><c r="A1"><v>1</v></c></row>', extent.INSIDE),  # a row tag places no cell here
        (b'<x:row r="3"><x:c r="B3" t="s"><x:v>7</x:v></x:c></x:row>', extent.INSIDE),
        (b'<row r="5"><c r="U5"><v>1</v></c></row>', extent.PLAIN),
        (b'<row r="5"><c r="A1000000"><v>1</v></c></row>', extent.PLAIN),
        (b'<x:row r="3"><x:c r="AB3"><x:v>7</x:v></x:c></x:row>', extent.PLAIN),
        (b'<row r="5"><c><v>1</v></c></row>', extent.ODD),
        (b'<row r="5"><c s="1" r="A5"><v>1</v></c></row>', extent.ODD),
        (b"<row r='5'><c r='A5'><v>1</v></c></row>", extent.ODD),
        (b'<row r="5"><c r="a5"><v>1</v></c></row>', extent.ODD),
        (b'<row r="5"><c\tr="A5"><v>1</v></c></row>', extent.ODD),
        (b'<row r="5"><c r="A5" r="XFD5"><v>1</v></c></row>', extent.ODD),
        (b'<row r="5"><c r="A5" s="1"r="XFD5"><v>1</v></c></row>', extent.ODD),
        (b'<row r="5"><x:c s="1"><v>1</v></x:c></row>', extent.ODD),
        (b'<row r="5"><a/b:c><v>1</v></a/b:c></row>', extent.ODD),  # quick-xml: the name a/b:c, a cell
        (b'<row r="5"><c r="A5"\x0cr="XFD5"><v>1</v></c></row>', extent.ODD),  # a form feed parts them too
    ],
)
def test_the_kind_of_a_chunk(xml, kind):
    assert extent.kind(xml) == kind


def test_a_part_read_tag_by_tag_is_read_in_any_cut(tmp_path):
    xml = _xml([(None, [(None, True)] * 30), (7, [((3, 5, " r='{}'", True), True), (None, True)])], "")
    whole = positions.extent([xml])
    for size in (1, 7, 64):
        assert positions.extent([xml[i : i + size] for i in range(0, len(xml), size)]) == whole
    assert whole == _calamine_extent(_package(tmp_path / "cut.xlsx", xml))


@pytest.mark.parametrize(
    "row",
    [
        b'<row r="1048576"><c r="XFD1048576" x="/"><v>1</v></c></row>',
        b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>",
        b'<row r = "1048576"><c r = "XFD1048576"><v>1</v></c></row>',
        b'<row\tr="1048576"><c\tr="XFD1048576"><v>1</v></c></row>',
        b'<row r="1048576"><c r="xfd1048576"><v>1</v></c></row>',
        b'<row r="1048576"><c s="0"r="XFD1048576"><v>1</v></c></row>',
        b'<row r="1048576"><c r="XFD1048576" x="/>"><v>1</v></c></row>',
        b'<row r="9999999">' + b"<c><v>1</v></c>" * 20 + b"</row>",
        b'<row r="999999"><c r="A999999"><v>1</v></c>' + b"<c><v>1</v></c>" * 16384 + b"</row>",
        b"<row>" + b"<c><v>1</v></c>" * 16384 + b'</row><row r="1000000"><c r="A1000000"><v>1</v></c></row>',
    ],
    ids=["slash", "quotes", "spaces", "tab", "lowercase", "no space", "'/>' in a value", "row tag", "wide", "wide 2"],
)
def test_a_far_cell_calamine_reads_is_refused_not_a_crash(tmp_path, row):
    """Each of these aborted the process (calamine's allocation past 2 GB) before the check saw them."""
    base = attacks.base_archive(tmp_path / "base.xlsx")
    sheet = attacks.sheet1(base)
    path = attacks.rewrite(
        base, tmp_path / "far.xlsx", {sheet: lambda x: x.replace(b"</sheetData>", row + b"</sheetData>", 1)}
    )
    out = attacks.run_cli(["check", path, "--lang", "en"], timeout=120)
    assert attacks.verdict(out, path, seconds=120) is None and out.rc == 2, out.output[-500:]
    assert "beyond Excel" in out.output or "too big to read" in out.output, out.output[-500:]


@pytest.mark.parametrize(
    ("cells", "words"),
    [
        (b'<c r="A1"><v><v>1</v></v></c>', "nested"),
        (b'<c r="A1"><v>1</v></c x="><c r=\'XFD1\'>">', "quotes in an end tag"),
        (b"<!DOCTYPE x \"><c r='XFD1'>\">", "DOCTYPE"),
    ],
)
def test_a_part_this_reader_and_calamine_could_read_apart_is_damage(tmp_path, cells, words):
    """Where quick-xml's reading of a tag is not certain, the part is refused, not guessed at."""
    xml = b'<worksheet><sheetData><row r="1">' + cells + b"</row><row><c/></row></sheetData></worksheet>"
    path = tmp_path / "apart.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(SHEET, xml)
    with zipfile.ZipFile(path) as zf, pytest.raises(UnreadableFile, match=words):
        bounds.sheet_extent(zf, zf.getinfo(SHEET), path, "S")


def test_a_tag_longer_than_the_longest_cut_is_read_whole(tmp_path, monkeypatch):
    """A tag longer than 64 chunks is passed on uncut, wherever the inflater ends a chunk: the
    second r= after a long attribute (here, past 64 x 64 bytes) may be cut from its tag, at
    any byte of it for one of these lengths."""
    monkeypatch.setattr(bounds, "CHUNK", 64)
    for pad in range(4080, 4300):
        xml = (
            b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="5"><c r="A5" x="'
            + b"a" * pad
            + b'" r="XFD5"><v>1</v></c></row></sheetData></worksheet>'
        )
        path = tmp_path / f"long{pad}.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
            zf.writestr(SHEET, xml)
        with zipfile.ZipFile(path) as zf:
            assert bounds.sheet_extent(zf, zf.getinfo(SHEET), path, "S") == (5, 16384), pad
            rows, cols, _ = bounds._extent(zf, zf.getinfo(SHEET), path, "S", quick=True)
            assert cols == 16384, pad


XLSB = attacks.REAL / "date.xlsb"


@pytest.mark.skipif(not XLSB.exists(), reason="the real .xlsb workbooks are beside the repository")
@pytest.mark.parametrize(("row", "col"), [(1_048_575, 16_383), (5, 4_000_000_000)], ids=["XFD1048576", "a far column"])
def test_a_far_cell_in_an_xlsb_is_refused_not_a_crash(tmp_path, row, col):
    """calamine places an .xlsb's cells wherever its records say: this aborted the process."""
    out = []
    for info, data in attacks.read_members(XLSB):
        if info.filename == "xl/worksheets/sheet1.bin":
            last_row = bytes.fromhex("0200000000000000080100000001000000000000")  # row 3's header
            last_cell = bytes.fromhex("010000000000000000003140")  # its cell in column B
            assert data.count(last_row) == data.count(last_cell) == 1
            data = data.replace(last_row, row.to_bytes(4, "little") + last_row[4:])
            data = data.replace(last_cell, col.to_bytes(4, "little") + last_cell[4:])
        out.append((info.filename, data))
    path = attacks.write_members(tmp_path / "far.xlsb", out)
    result = attacks.run_cli(["check", path, "--lang", "en"], timeout=120)
    assert attacks.verdict(result, path, seconds=120) is None and result.rc == 2, result.output[-500:]
    assert "too big to read" in result.output or "beyond Excel" in result.output, result.output[-500:]


@pytest.mark.parametrize("path", sorted(attacks.REAL.glob("*.xlsb")), ids=lambda p: p.name)
def test_an_xlsb_sheet_reaches_where_calamine_puts_its_cells(path):
    from followup_cli.xlsx import xlsb_bounds

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception:
        pytest.skip("calamine does not open it")
    with zipfile.ZipFile(path) as zf:
        for name in book.sheet_names:
            try:
                sheet = book.get_sheet_by_name(name)
            except Exception:
                continue
            if sheet.end is None:
                continue
            parts = [
                i for i in zf.infolist() if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".bin")
            ]
            found = [xlsb_bounds.extent(bounds.inflate(zf, i, path), path, i.filename) for i in parts]
            assert any(r >= sheet.end[0] + 1 and c >= sheet.end[1] + 1 for r, c in found), (name, sheet.end, found)


def _ods(path, row_xml: str):
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2"><office:body>'
        '<office:spreadsheet><table:table table:name="客户档案"><table:table-row><table:table-cell '
        'office:value-type="string"><text:p>客户编号</text:p></table:table-cell></table:table-row>'
        f"{row_xml}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
        'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
        zf.writestr("META-INF/manifest.xml", manifest)
    return path


def test_repeats_that_add_up_past_the_bound_in_an_ods_are_refused_not_a_crash(tmp_path):
    """Each repeat within bounds, 90,000,000 cells in all: this aborted the process in calamine."""
    cell = '<table:table-cell table:number-columns-repeated="30" office:value-type="float" office:value="1"/>'
    path = _ods(
        tmp_path / "rep.ods", f'<table:table-row table:number-rows-repeated="1000000">{cell * 3}</table:table-row>'
    )
    out = attacks.run_cli(["check", path, "--lang", "en"], timeout=120)
    assert attacks.verdict(out, path, seconds=120) is None and out.rc == 2, out.output[-500:]
    assert "too big to read" in out.output, out.output[-500:]


def test_empty_rows_and_cells_repeated_to_the_end_of_an_ods_table_are_not_counted(tmp_path):
    """LibreOffice ends every table so: empty, self-closed, repeated to the last row and column."""
    rows = (
        '<table:table-row><table:table-cell office:value-type="string"><text:p>C1</text:p></table:table-cell>'
        '<table:table-cell table:number-columns-repeated="16383"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/>'
        "</table:table-row>"
    )
    from followup_cli.xlsx import ods_bounds

    path = _ods(tmp_path / "lo.ods", rows)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("content.xml")
        assert ods_bounds.tables(bounds._chunks_with_carry(zf, info, path)) == [("客户档案", 2, 1)]
        ods_bounds.check_content(zf, info, path)  # not refused
