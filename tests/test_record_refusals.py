"""What record refuses, and in which language (issue 12, QA round): a visit book with a
footer line under its last visit, and a call sheet made for another archive; both said in
the archive's language without --lang."""

from __future__ import annotations

import pytest

from tests.test_record_shop_book import AS_OF, BOOK, fill, invoke, make_sheet, reached, shop


@pytest.fixture
def english_machine(monkeypatch):
    monkeypatch.delenv("FOLLOWUP_LANG", raising=False)
    for name in ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.setenv(name, "en_US.UTF-8")


def footer_book(tmp_path):
    from openpyxl import load_workbook

    path = shop(tmp_path)
    wb = load_workbook(path)
    wb[BOOK].append(["本月合计", "1次", None, None, None])
    wb.save(path)
    return path


def test_a_footer_line_is_not_a_visit_and_record_refuses_to_write_below_it(tmp_path, english_machine):
    path = footer_book(tmp_path)
    checked = invoke("check", path, "--lang", "en")
    assert "1次" not in checked.stdout + checked.stderr  # not read as a visit dated '1次'
    assert "totals/footer row(s) passed over" in checked.stdout + checked.stderr
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached()})
    before = path.read_bytes()
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert f"shop.xlsx {BOOK}!A3 是合计/页脚行" in result.stderr and "剪切" in result.stderr
    assert path.read_bytes() == before and not (tmp_path / ".followup-backups").exists()
    english = invoke("record", path, out, "--as-of", AS_OF, "--lang", "en", "--dry-run")
    assert english.exit_code == 1 and "is a totals/footer line under the last visit" in english.stderr


def test_a_footer_above_later_visits_is_no_obstacle(tmp_path):
    from openpyxl import load_workbook

    path = footer_book(tmp_path)
    wb = load_workbook(path)
    wb[BOOK].append(["C9", "2026-10-02", "定期回访", "林晓雯", "满意"])  # the clerk went on below it
    wb.save(path)
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached()})
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert load_workbook(path)[BOOK].max_row > 4


def test_a_sheet_for_another_archive_is_refused_in_the_archives_language(tmp_path, english_machine):
    path = shop(tmp_path)
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached()})
    other = shop(tmp_path, name="other.xlsx")
    result = invoke("record", other, out, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "这份回访表是为" in result.stderr and "shop.xlsx" in result.stderr and "other.xlsx" in result.stderr


@pytest.mark.parametrize("label", ["汇总", None])
def test_a_table_with_a_totals_row_is_refused_in_the_archives_language(tmp_path, english_machine, label):
    from openpyxl import load_workbook
    from openpyxl.worksheet.table import Table, TableStyleInfo

    path = shop(tmp_path)
    wb = load_workbook(path)
    ws = wb[BOOK]
    ws.append([label, None, None, None, "=SUBTOTAL(103,VisitBook[满意度])"])
    t = Table(displayName="VisitBook", ref="A1:E3", totalsRowCount=1)
    t._initialise_columns()
    t.tableColumns[0].totalsRowLabel = label
    t.tableColumns[4].totalsRowFunction = "count"
    t.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(t)
    wb.save(path)
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached()})
    before = path.read_bytes()
    result = invoke("record", path, out, "--as-of", AS_OF, "--skip-invalid")
    assert result.exit_code in (1, 2)
    assert "汇总行" in result.stderr and "表设计" in result.stderr and "nothing" not in result.stderr
    assert path.read_bytes() == before
