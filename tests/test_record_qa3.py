"""Call sheets filled in the clerks' own way (the third QA pass), recorded into the golden archives
tests/fixtures/reading/qa3_calls_zh.xlsx and qa3_calls_en.xlsx (tests/fixtures/qa3_fixtures.py):
what is said is in the run's language, a column `record` does not know is named."""

from __future__ import annotations

import shutil

from click.testing import CliRunner
from openpyxl import load_workbook

from followup_cli.cli import cli
from tests.test_reading_shapes import AS_OF, FIXTURES


def invoke(*args, lang=None):
    env = {"FOLLOWUP_LANG": lang} if lang else {}
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def archive_and_sheet(tmp_path, name):
    path = tmp_path / f"{name}.xlsx"
    shutil.copy(FIXTURES / f"{name}.xlsx", path)
    out = tmp_path / "calls.xlsx"
    result = invoke("sheet", path, "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return path, out


def fill(out, values_by_customer: dict, id_header: str):
    """Type values into the call sheet by customer id, by header as the sheet has it now."""
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    head = [c.value for c in ws[1]]
    for r in range(2, ws.max_row + 1):
        for header, value in values_by_customer.get(ws.cell(r, head.index(id_header) + 1).value, {}).items():
            ws.cell(r, head.index(header) + 1).value = value
    wb.save(out)


def visits(path, sheet):
    return [[c.value for c in row] for row in load_workbook(path)[sheet].iter_rows(min_row=2)]


# ---- what record says of a word it read as another is in the run's language -----------------------------


def test_an_english_run_says_the_outcome_a_synonym_was_recorded_as_in_english(tmp_path):
    path, out = archive_and_sheet(tmp_path, "qa3_calls_en")
    fill(out, {"E01": {"Outcome": "done", "Date done": AS_OF}}, "Customer ID")
    result = invoke("record", path, out, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "note: 'done' recorded as 'reached'" in result.stderr
    assert "已联系" not in result.stderr
    assert visits(path, "Visits")[0][7] == "reached"


def test_a_chinese_run_says_it_in_chinese(tmp_path):
    path, out = archive_and_sheet(tmp_path, "qa3_calls_zh")
    fill(out, {"C01": {"结果": "已回访", "完成日期": AS_OF}}, "客户编号")
    result = invoke("record", path, out, "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert "说明：“已回访”按“已联系”记录" in result.stderr
