"""A call-sheet cell that reads as empty though the clerk wrote in it: an Excel error value (a note
typed "=她说谢谢" or "-没接通" becomes a formula and shows #NAME?) or a formula saved without its
value (a sheet filled by a script). Read as empty, the note was dropped and the row recorded without
it, not a word said; a result typed that way left the row "without a result". Now the row is
rejected, naming the cell, what it holds and how to type it, and nothing is written."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook

from tests.test_record_shop_book import AS_OF, book_rows, fill, invoke, make_sheet, reached, shop


def _cell_of(sheet_path, customer_id: str, header: str) -> str:
    ws = load_workbook(sheet_path).worksheets[0]
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[headers.index("客户编号")].value == customer_id:
            return row[headers.index(header)].coordinate
    raise AssertionError(customer_id)


def test_a_note_excel_made_an_error_rejects_the_row_and_writes_nothing(tmp_path):
    path = shop(tmp_path)
    out = make_sheet(tmp_path, path)
    # openpyxl writes "#NAME?" as an error cell, what Excel saves for a note typed =她说谢谢
    fill(out, {"C1": reached(备注="#NAME?"), "C2": reached(备注="她说谢谢")})
    cell = _cell_of(out, "C1", "备注")
    before = path.read_bytes()
    result = invoke("record", path, out, "--as-of", AS_OF, "--lang", "zh")
    assert result.exit_code == 1, result.output
    assert f"回访清单!{cell}" in result.stderr and "#NAME?" in result.stderr
    assert "单引号" in result.stderr  # how to type it so it stays text
    assert path.read_bytes() == before  # all or nothing: the good row waits too
    skipped = invoke("record", path, out, "--as-of", AS_OF, "--skip-invalid", "--lang", "en")
    assert skipped.exit_code == 1, skipped.output  # rows were rejected: said by the exit code too
    assert f"!{cell}" in skipped.stderr and "apostrophe" in skipped.stderr
    recorded = [r[0] for r in book_rows(path)[2:]]
    assert "C2" in recorded and "C1" not in recorded


def test_a_formula_saved_without_its_value_is_named_not_read_as_empty(tmp_path):
    path = shop(tmp_path)
    out = make_sheet(tmp_path, path)
    # a script's openpyxl writes a text starting with = as a formula, with no value
    fill(out, {"C1": reached(备注="=她说谢谢")})
    cell = _cell_of(out, "C1", "备注")
    result = invoke("record", path, out, "--as-of", AS_OF, "--lang", "zh")
    assert result.exit_code == 1, result.output
    assert f"回访清单!{cell}" in result.stderr and "=她说谢谢" in result.stderr
    assert "C1" not in [r[0] for r in book_rows(path)[2:]]


def test_a_result_typed_as_a_formula_is_not_a_row_left_blank(tmp_path):
    path = shop(tmp_path)
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": {"完成日期": AS_OF, "方式": "电话", "结果": "#NAME?"}})
    cell = _cell_of(out, "C1", "结果")
    result = invoke("record", path, out, "--as-of", AS_OF, "--lang", "en")
    assert result.exit_code == 1, result.output
    assert f"!{cell}" in result.stderr and "#NAME?" in result.stderr
    assert "left without a result" not in result.stderr


def test_a_call_sheet_as_followup_wrote_it_has_no_such_cells(tmp_path):
    path = shop(tmp_path)
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached(备注="'=她说谢谢 typed with an apostrophe")})
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    rows = [r for r in book_rows(path) if r[0] == "C1"]
    assert rows and any("=她说谢谢" in str(v) for v in rows[-1]), rows


def test_an_audit_verdict_or_note_excel_made_an_error_is_rejected_not_dropped(tmp_path):
    """The same on a filled audit sheet: a verdict cell holding #NAME? was a row skipped unsaid,
    a note holding one a verdict stored without its note."""
    from tests.test_audit import NOV, archive_of, draw_sample, main_archive, write_audit_workbook
    from tests.test_audit import fill as fill_audit

    path = main_archive(tmp_path, audits=True)
    n = len(archive_of(path).audits)
    out = write_audit_workbook(draw_sample(archive_of(path), NOV, dt.date(2026, 12, 5), 1.0), tmp_path / "a.xlsx", "zh")
    when = dt.datetime(2026, 12, 2)
    fill_audit(out, {"V2": ("#NAME?", "王主管", when), "V3": ("准确", "王主管", when), "V5": ("准确", "王主管", when)})
    wb = load_workbook(out)
    ws = wb["抽查"]
    head = [c.value for c in ws[1]]
    note = next(r[head.index("核查说明")] for r in ws.iter_rows(min_row=2) if r[0].value == "V5")
    note.value = "#VALUE!"
    verdict_cell = next(r[head.index("核查结果")].coordinate for r in ws.iter_rows(min_row=2) if r[0].value == "V2")
    wb.save(out)
    result = invoke("record", path, out, "--as-of", "2026-12-05")
    assert result.exit_code == 1, result.output
    assert f"抽查!{verdict_cell}" in result.output and "#NAME?" in result.output
    assert f"抽查!{note.coordinate}" in result.output and "#VALUE!" in result.output
    assert len(archive_of(path).audits) == n
    ok = invoke("record", path, out, "--as-of", "2026-12-05", "--skip-invalid")
    assert ok.exit_code == 1
    assert [a.visit_id for a in archive_of(path).audits[n:]] == ["V3"]
