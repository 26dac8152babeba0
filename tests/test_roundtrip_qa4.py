"""Round trips on visit books shaped like real shops' (QA pass 4): the morning (sheet, fill a
few rows, record, record again, fill more, record) on logs hostile to a surgical writer, checked
after every write: only the log's parts change, rows once, types and styles, the ranges the new
rows belong to. The books: tests/fixtures/roundtrip_qa4_fixtures.py."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from followup_cli.cli import cli
from tests.fixtures import roundtrip_qa4_fixtures as fx


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def fill(calls, first, count):
    """Fill `count` rows of the call sheet from row `first` (0-based) as a clerk would."""
    wb = load_workbook(calls)
    ws = wb.worksheets[0]
    h = [c.value for c in ws[1]].index
    for i, row in enumerate(list(ws.iter_rows(min_row=2))[first : first + count]):
        row[h("完成日期")].value = fx.AS_OF
        row[h("方式")].value = "电话"
        row[h("结果")].value = "已联系" if i % 2 == 0 else "未接通"
        if i % 2 == 0:
            row[h("满意度")].value = "满意"
            row[h("备注")].value = "=客户说谢谢"
            row[h("备注")].data_type = "s"  # typed as '=… in Excel: text
    wb.save(calls)


def raw_members(path) -> dict[str, bytes]:
    """Each member's local header and compressed data, as stored."""
    out = {}
    with open(path, "rb") as f, zipfile.ZipFile(path) as zf:
        for i in zf.infolist():
            f.seek(i.header_offset + 26)
            n, m = int.from_bytes(f.read(2), "little"), int.from_bytes(f.read(2), "little")
            f.seek(i.header_offset)
            out[i.filename] = f.read(30 + n + m + i.compress_size)
    return out


def recorded(tmp_path, build, suffix=".xlsx", more=False):
    """The book after the morning's first record (and, with `more`, a second fill recorded);
    returns (book, backup of the last write)."""
    path = build(tmp_path / f"shop{suffix}")
    calls = tmp_path / "calls.xlsx"
    assert invoke("sheet", path, "-o", calls, "--as-of", fx.AS_OF, "--overwrite").exit_code == 0
    fill(calls, 0, 2)
    r = invoke("record", path, calls, "--as-of", fx.AS_OF)
    assert r.exit_code == 0, r.output
    if more:
        fill(calls, 2, 2)
        r = invoke("record", path, calls, "--as-of", fx.AS_OF)
        assert r.exit_code == 0, r.output
    backup = sorted((tmp_path / ".followup-backups").iterdir())[-1]
    return path, backup


def log_xml(path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(fx.log_part(path)).decode()


def sqrefs(xml: str, element: str) -> list[str]:
    return re.findall(rf'<{element}\b[^>]*?\ssqref="([^"]*)"', xml)


def last_row(path) -> int:
    ws = load_workbook(path)[fx.LOG]
    return max(c.row for row in ws.iter_rows() for c in row if c.value is not None)


# -- validations and conditional formats that end at the last row ---------------------------


def test_validations_and_formats_ending_at_the_last_row_grow_with_the_new_rows(tmp_path):
    path, backup = recorded(tmp_path, fx.ranges_to_last_row, more=True)
    last = last_row(path)
    assert last > 4
    xml = log_xml(path)
    assert sqrefs(xml, "dataValidation") == [f"D2:D{last}", "E1:E1048576", f"B2:B{last}"]
    assert sqrefs(xml, "conditionalFormatting") == [f"D2:D{last}", "A1:G1048576"]
    assert re.findall(r"<xm:sqref>([^<]*)</xm:sqref>", xml) == [f"F2:F{last}"]
    # openpyxl reads the grown ranges; the rule covers a new row
    ws = load_workbook(path)[fx.LOG]
    lists = {dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    assert lists['"已联系,未接通,拒绝"'] == f"D2:D{last}"
    changed = [n for n, b in raw_members(backup).items() if raw_members(path)[n] != b]
    assert changed == [fx.log_part(path)]


def test_a_range_of_the_last_row_alone_or_ending_higher_up_stays(tmp_path):
    from followup_cli.xlsx.tables import extend_sqrefs

    tail = (
        b'<conditionalFormatting sqref="D4"><cfRule/></conditionalFormatting>'
        b'<conditionalFormatting sqref="D2:D3 F2:F4"><cfRule/></conditionalFormatting>'
        b'<dataValidations count="1"><dataValidation type="list" sqref="A1:A9"/></dataValidations>'
    )
    grown = {tail[s:e]: rep for s, e, rep in extend_sqrefs(tail, 4, 6)}
    assert grown == {b"D2:D3 F2:F4": b"D2:D3 F2:F6"}


# -- a formula column filled down ahead of the visits ---------------------------------------


def test_rows_holding_only_formulas_that_show_nothing_are_prepared_rows_not_visits(tmp_path):
    path, backup = recorded(tmp_path, fx.prefilled_formulas, more=True)
    ws = load_workbook(path)[fx.LOG]
    visits = [r for r in ws.iter_rows(min_row=2) if r[1].value is not None]
    # right below the three old visits, not below the prepared rows at 41
    assert [r[0].row for r in visits] == list(range(2, 2 + len(visits)))
    assert len(visits) == 3 + 8
    for row in visits[3:]:
        assert isinstance(row[2].value, dt.datetime) and row[2].number_format == "yyyy-mm-dd"
        assert row[0].value == f'=IF(B{row[0].row}="","",ROW()-1)'  # the prepared formula kept
    assert ws["A40"].value == '=IF(B40="","",ROW()-1)'
    xml = log_xml(path)
    # the kept formulas lost their stale "" so they are calculated; the untouched ones keep it
    assert re.search(r'<c r="A5"[^>]*><f>[^<]*</f></c>', xml)
    assert re.search(r'<c r="A40"[^>]*><f>[^<]*</f><v></v></c>', xml)
    changed = [n for n, b in raw_members(backup).items() if raw_members(path)[n] != b]
    assert changed == [fx.log_part(path)]


def test_libreoffice_numbers_the_visits_written_into_prepared_rows(tmp_path, soffice):
    path, _backup = recorded(tmp_path, fx.prefilled_formulas)
    saved = soffice(path, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")  # its results are cached
    ws = load_workbook(saved, data_only=True)[fx.LOG]
    assert [ws.cell(r, 1).value for r in range(2, 9)] == [1, 2, 3, 4, 5, 6, 7]
    assert [ws.cell(r, 2).value for r in range(5, 9)] == ["C7", "C7", "C8", "C8"]
    assert ws["A9"].value in (None, "") and ws["B9"].value is None


# -- formula columns: the new rows get the formula --------------------------------------------


def cell_formulas(path, col: str) -> dict[int, str | None]:
    ws = load_workbook(path)[fx.LOG]
    return {c.row: c.value for c in ws[col][1:] if ws.cell(c.row, 2).value is not None}


def test_a_formula_column_is_filled_down_into_the_new_rows(tmp_path):
    path, backup = recorded(tmp_path, fx.formula_columns, more=True)
    numbers, months = cell_formulas(path, "A"), cell_formulas(path, "I")
    assert len(numbers) == 11
    assert all(numbers[r] == "=ROW()-1" for r in numbers)
    assert all(months[r] == f'=TEXT(C{r},"yyyy-mm")' for r in months)
    assert load_workbook(path)[fx.LOG]["H5"].value == "=客户说谢谢"  # a clerk's text stays text
    assert not re.search(r'<c r="H5"[^>]*><f>', log_xml(path))
    changed = [n for n, b in raw_members(backup).items() if raw_members(path)[n] != b]
    assert changed == [fx.log_part(path)]


def test_a_shared_formula_is_filled_down_and_a_formula_in_one_cell_is_not(tmp_path):
    path, _backup = recorded(tmp_path, fx.shared_formulas)
    numbers, notes = cell_formulas(path, "A"), cell_formulas(path, "H")
    assert [numbers[r] for r in range(5, 9)] == ["=ROW()-1"] * 4
    assert notes[4] == '="VIP "&B4' and notes[7] is None and notes[8] is None  # C8: no note


def test_a_tables_calculated_column_is_filled_in_the_rows_it_grows_by(tmp_path):
    path, _backup = recorded(tmp_path, fx.table_calculated)
    months = cell_formulas(path, "H")
    assert [months[r] for r in range(5, 9)] == ['=TEXT(回访表[[#This Row],[回访日期]],"yyyy-mm")'] * 4


def test_libreoffice_calculates_the_formulas_of_the_new_rows(tmp_path, soffice):
    for build in (fx.formula_columns, fx.table_calculated):
        folder = tmp_path / build.__name__
        folder.mkdir()
        path, _backup = recorded(folder, build)
        saved = soffice(path, "xlsx:Calc MS Excel 2007 XML", folder / "lo")
        ws = load_workbook(saved, data_only=True)[fx.LOG]
        if build is fx.formula_columns:
            assert [ws.cell(r, 1).value for r in range(2, 9)] == [1, 2, 3, 4, 5, 6, 7]
            assert [ws.cell(r, 9).value for r in range(5, 9)] == ["2026-11"] * 4
        else:
            assert [ws.cell(r, 8).value for r in range(5, 9)] == ["2026-11"] * 4


# -- Excel calculates again on opening ---------------------------------------------------------


def calc_pr(path) -> str:
    with zipfile.ZipFile(path) as zf:
        return re.search(r"<calcPr[^>]*>", zf.read("xl/workbook.xml").decode()).group(0)


def test_a_workbook_with_formulas_asks_excel_to_calculate_again_on_opening(tmp_path):
    path, backup = recorded(tmp_path, fx.excel_summary)
    assert calc_pr(backup) == '<calcPr calcId="191029"/>'
    assert calc_pr(path) == '<calcPr calcId="191029" fullCalcOnLoad="1"/>'
    old, new = raw_members(backup), raw_members(path)
    assert [n for n in old if old[n] != new[n]] == [fx.log_part(path), "xl/workbook.xml"]
    with zipfile.ZipFile(path) as a, zipfile.ZipFile(backup) as b:
        assert a.read("xl/workbook.xml").replace(b' fullCalcOnLoad="1"', b"") == b.read("xl/workbook.xml")
    load_workbook(path)
    CalamineWorkbook.from_path(str(path)).get_sheet_by_name(fx.LOG).to_python()


def test_formulas_filled_down_ask_for_it_and_a_workbook_without_formulas_is_left_alone(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    path, _backup = recorded(tmp_path / "a", fx.no_recalc_flag(fx.formula_columns))
    assert 'fullCalcOnLoad="1"' in calc_pr(path)
    path, backup = recorded(tmp_path / "b", fx.no_recalc_flag(fx.filtered_frozen))
    assert calc_pr(path) == '<calcPr calcId="191029"/>'
    old, new = raw_members(backup), raw_members(path)
    assert [n for n in old if old[n] != new[n]] == [fx.log_part(path)]


# -- a book kept newest first -----------------------------------------------------------------


def test_a_book_kept_newest_first_is_told_the_new_visits_went_to_the_bottom(tmp_path):
    path = fx.hand_kept(tmp_path / "shop.xlsx")
    calls = tmp_path / "calls.xlsx"
    assert invoke("sheet", path, "-o", calls, "--as-of", fx.AS_OF, "--overwrite").exit_code == 0
    fill(calls, 0, 2)
    r = invoke("record", path, calls, "--as-of", fx.AS_OF)
    assert r.exit_code == 0, r.output
    assert "最新的在最上面" in r.output and "第 8-11 行" in r.output
    r = invoke("record", path, calls, "--as-of", fx.AS_OF, "--lang", "en")
    assert "newest first" not in r.output  # nothing written: nothing to say
    path2 = fx.filtered_frozen(tmp_path / "oldest_first.xlsx")
    calls2 = tmp_path / "calls2.xlsx"
    assert invoke("sheet", path2, "-o", calls2, "--as-of", fx.AS_OF, "--overwrite").exit_code == 0
    fill(calls2, 0, 2)
    r = invoke("record", path2, calls2, "--as-of", fx.AS_OF, "--lang", "en")
    assert r.exit_code == 0 and "newest first" not in r.output


# -- the whole morning on every book ----------------------------------------------------------

MORNING_BOOKS = {**{n: b for n, b in fx.BOOKS.items() if n != "table_totals"}, "macro_book": fx.macro_book}
# the books LibreOffice is most likely to read otherwise: a table, merged headers and a chart,
# formulas in prepared rows and shared ones, a gap and newest-first rows, Excel 365 markup
LIBREOFFICE_BOOKS = [
    "table_calculated",
    "two_header_rows",
    "prefilled_formulas",
    "shared_formulas",
    "hand_kept",
    "excel_markup",
]


def visit_keys(path, header_row=1):
    ws = load_workbook(path)[fx.LOG]
    head = [c.value for c in ws[header_row]]
    at = {h: i for i, h in enumerate(head)}
    keys = []
    for row in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if row[at["客户编号"]] is not None:
            keys.append(tuple(row[at[h]] for h in ("客户编号", "回访日期", "回访类型", "结果")))
    return keys


def morning(folder, build):
    """sheet, fill two rows, record, record again, fill two more, record; checked after each."""
    folder.mkdir()
    path = build(folder / ("shop.xlsm" if build is fx.macro_book else "shop.xlsx"))
    header_row = 2 if build is fx.two_header_rows else 1
    calls = folder / "calls.xlsx"
    assert invoke("sheet", path, "-o", calls, "--as-of", fx.AS_OF, "--overwrite").exit_code == 0
    allowed = {fx.log_part(path), "xl/workbook.xml"}
    before = visit_keys(path, header_row)
    for first in (0, 2):
        fill(calls, first, 2)
        r = invoke("record", path, calls, "--as-of", fx.AS_OF)
        assert r.exit_code == 0, r.output
        backup = sorted((folder / ".followup-backups").iterdir())[-1]
        old, new = raw_members(backup), raw_members(path)
        assert list(old) == list(new)
        changed = {n for n in old if old[n] != new[n]}
        assert fx.log_part(path) in changed and all(n in allowed or n.startswith("xl/tables/") for n in changed)
        after = visit_keys(path, header_row)
        assert after[: len(before)] == before and len(set(after)) == len(after) > len(before)
        assert all(isinstance(k[1], dt.datetime) for k in after[len(before) :])
        for name in CalamineWorkbook.from_path(str(path)).sheet_names:
            CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()
        snapshot = path.read_bytes()
        r = invoke("record", path, calls, "--as-of", fx.AS_OF)  # the same sheet again: nothing new
        assert r.exit_code == 0 and path.read_bytes() == snapshot
        before = after
    assert invoke("kpi", path, "--as-of", fx.AS_OF, "--period", "2026-11").exit_code == 0
    return path


@pytest.mark.parametrize("name", sorted(MORNING_BOOKS))
def test_the_morning_on_a_hostile_book(tmp_path, name):
    morning(tmp_path / name, MORNING_BOOKS[name])


def test_libreoffice_opens_the_books_after_the_morning(tmp_path, soffice):
    paths = {name: morning(tmp_path / name, MORNING_BOOKS[name]) for name in LIBREOFFICE_BOOKS}
    for name, path in paths.items():
        out = soffice(path, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo" / name)
        header_row = 2 if name == "two_header_rows" else 1
        assert [k[0] for k in visit_keys(out, header_row)] == [k[0] for k in visit_keys(path, header_row)]
