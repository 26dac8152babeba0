"""Call sheets filled in the clerks' own way (the third QA pass), recorded into the golden archives
tests/fixtures/reading/qa3_calls_zh.xlsx and qa3_calls_en.xlsx (tests/fixtures/qa3_fixtures.py):
what is said is in the run's language, a column `record` does not know is named."""

from __future__ import annotations

import json
import shutil

import pytest
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


# ---- a column renamed or added by a clerk --------------------------------------------------------------


def test_a_renamed_result_column_refuses_the_sheet_naming_the_header(tmp_path):
    path, out = archive_and_sheet(tmp_path, "qa3_calls_zh")
    fill(out, {"C01": {"结果": "已联系", "完成日期": AS_OF}}, "客户编号")
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    col = [c.value for c in ws[1]].index("结果") + 1
    ws.cell(1, col).value = "回访结果"
    wb.save(out)
    before = path.read_bytes()
    result = invoke("record", path, out, "--lang", "zh")
    assert result.exit_code == 2, result.output
    # was: every filled row rejected for an empty 结果 at 回访清单!? (no cell)
    assert "没有结果列" in result.stderr and f"{ws.cell(1, col).coordinate}“回访结果”" in result.stderr
    assert "把表头改回“结果”" in result.stderr and "!?" not in result.stderr
    assert path.read_bytes() == before


def test_a_column_a_clerk_inserted_is_named_as_not_read(tmp_path):
    path, out = archive_and_sheet(tmp_path, "qa3_calls_zh")
    fill(out, {"C01": {"结果": "已联系", "完成日期": AS_OF}}, "客户编号")
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    ws.insert_cols(3)
    ws.cell(1, 3).value = "通话时长"
    ws.cell(2, 3).value = "5分钟"
    wb.save(out)
    result = invoke("record", path, out, "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert "说明：calls.xlsx 回访清单!C1“通话时长” 不是回访表的列，没有读取" in result.stderr
    assert [v[1] for v in visits(path, "回访记录")] == ["C01"]


@pytest.mark.parametrize(
    ("name", "lang", "done", "more"),
    [
        ("qa3_calls_zh", "zh", "完成日期", ()),
        ("qa3_calls_en", "en", "Date done", ()),
        ("qa3_calls_zh", "zh", "完成日期", ("--by-staff",)),
    ],
)
def test_a_call_sheet_as_made_has_no_column_record_does_not_know(tmp_path, name, lang, done, more):
    path = tmp_path / f"{name}.xlsx"
    shutil.copy(FIXTURES / f"{name}.xlsx", path)
    out = tmp_path / "calls.xlsx"
    assert invoke("sheet", path, "-o", out, "--as-of", AS_OF, *more).exit_code == 0
    result = invoke("record", path, out, "--dry-run", "--lang", lang)
    assert result.exit_code == 0, result.output
    assert "不是回访表的列" not in result.stderr and "not call sheet columns" not in result.stderr, result.stderr


# ---- a visit log kept one sheet per month ---------------------------------------------------------------


def test_calls_go_into_the_sheet_of_their_month(tmp_path):
    path, out = archive_and_sheet(tmp_path, "qa3_monthly_visits")
    fill(out, {"M01": {"结果": "已联系", "完成日期": AS_OF}, "M03": {"结果": "未接通", "完成日期": AS_OF}}, "客户编号")
    result = invoke("record", path, out, "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert "已向 qa3_monthly_visits.xlsx 2026年11月 追加 2 行" in result.stderr
    assert [v[1] for v in visits(path, "2026年11月")] == ["M01", "M01", "M03"]
    assert [v[1] for v in visits(path, "2026年9月")] == ["M01"]
    logged = invoke(
        "log", path, "--customer", "M02", "--kind", "生日回访", "--outcome", "已联系", "--date", "2026-10-30"
    )
    assert logged.exit_code == 0, logged.output
    assert [v[1] for v in visits(path, "2026年10月")] == ["M01", "M02"]


def test_a_month_in_a_sheet_name_is_not_a_store(tmp_path):
    path, _ = archive_and_sheet(tmp_path, "qa3_monthly_visits")
    result = invoke("check", path, "--format", "json", "--lang", "en")
    assert "store is taken from the sheet name" not in result.stdout, result.stdout


def test_already_done_is_the_commonest_clerk_word_for_reached(tmp_path):
    path, out = archive_and_sheet(tmp_path, "qa3_calls_zh")
    fill(out, {"C01": {"结果": "已完成", "完成日期": AS_OF}}, "客户编号")
    result = invoke("record", path, out, "--lang", "zh")
    assert result.exit_code == 0, result.output  # was: rejected, not in the list
    assert "说明：“已完成”按“已联系”记录" in result.stderr
    assert visits(path, "回访记录")[0][7] == "已联系"


def test_the_rows_left_blank_are_named(tmp_path):
    path, out = archive_and_sheet(tmp_path, "qa3_calls_zh")
    fill(out, {"C01": {"结果": "已联系", "完成日期": AS_OF}}, "客户编号")
    result = invoke("record", path, out, "--dry-run", "--lang", "zh")
    assert result.exit_code == 0, result.output
    # was: "3 行未填写结果，视为未完成" naming no row
    assert (
        "3 行未填写结果，视为未完成（calls.xlsx 回访清单!A3、calls.xlsx 回访清单!A4、calls.xlsx 回访清单!A5）"
        in result.stderr
    )


def test_a_rejected_value_is_shown_once(tmp_path):
    path, out = archive_and_sheet(tmp_path, "qa3_calls_zh")
    fill(
        out,
        {"C01": {"结果": "已联系", "完成日期": "今天"}, "C02": {"结果": "已联系", "完成日期": AS_OF, "评分(0-5)": 9}},
        "客户编号",
    )
    result = invoke("record", path, out, "--dry-run", "--lang", "zh")
    assert result.exit_code == 1, result.output
    assert "“今天”不是日期（应写成 2024-03-05 这样）\n" in result.stderr  # was followed by ('今天')
    assert "('今天')" not in result.stderr
    assert "评分应为 0 到 5 的整数 ('9')" in result.stderr  # a message not naming its value still shows it


def test_history_in_english_gives_the_logs_chinese_words_in_english(tmp_path):
    path, out = archive_and_sheet(tmp_path, "qa3_calls_zh")
    fill(out, {"C01": {"结果": "已联系", "完成日期": AS_OF, "满意度": "满意", "方式": "电话"}}, "客户编号")
    assert invoke("record", path, out).exit_code == 0
    seen = invoke("history", path, "C01", "--format", "json", "--lang", "en")
    (visit,) = json.loads(seen.stdout)["visits"]
    # was: outcome 已联系, satisfaction 满意, channel 电话 in an English run
    assert (visit["kind"], visit["channel"], visit["outcome"], visit["satisfaction"]) == (
        "birthday greeting",
        "phone",
        "reached",
        "satisfied",
    )
    zh = json.loads(invoke("history", path, "C01", "--format", "json", "--lang", "zh").stdout)["visits"][0]
    assert (zh["outcome"], zh["satisfaction"]) == ("已联系", "满意")


# ---- followup init beside a shop's existing archive ---------------------------------------------------


def test_init_beside_an_existing_archive_does_not_give_it_the_new_archives_settings(tmp_path):
    old = tmp_path / "qa3_calls_zh.xlsx"
    shutil.copy(FIXTURES / "qa3_calls_zh.xlsx", old)
    made = invoke("init", tmp_path / "new.xlsx", "--preset", "sales", "--lang", "en")
    assert made.exit_code == 0, made.output
    # was: followup.toml (lang = "en", preset = "sales"), read for the old archive too, silently
    assert not (tmp_path / "followup.toml").exists() and (tmp_path / "new.followup.toml").is_file()
    due = invoke("due", old, "--as-of", AS_OF, "--format", "table")
    assert "2026-11-23：4 项任务" in due.stderr, due.stderr
    assert {r["rule"] for r in json.loads(invoke("due", old, "--as-of", AS_OF, "--format", "json").stdout)} == {
        "birthday"
    }
    new = invoke("due", tmp_path / "new.xlsx", "--as-of", AS_OF, "--format", "table")
    assert new.exit_code in (0, 1) and "0 task(s)" in new.stderr, new.output


def test_a_call_sheet_named_as_the_archive_is_refused_with_the_command_it_is_for(tmp_path):
    path, out = archive_and_sheet(tmp_path, "qa3_calls_zh")
    for args in ((out,), (path, out)):
        result = invoke("due", *args, "--as-of", AS_OF, "--lang", "zh")
        assert result.exit_code == 2, result.output  # was: read as an archive with no customers (exit 1)
        assert "calls.xlsx：这是 followup 生成的回访表，不是档案" in result.stderr
        assert "followup record 档案.xlsx calls.xlsx" in result.stderr


def test_a_done_date_with_a_time_keeps_its_time_in_the_log(tmp_path):
    import datetime as dt

    path, out = archive_and_sheet(tmp_path, "qa3_calls_zh")
    fill(
        out,
        {"C01": {"结果": "已联系", "完成日期": "2026-11-23 15:30"}, "C02": {"结果": "已联系", "完成日期": AS_OF}},
        "客户编号",
    )
    result = invoke("record", path, out)
    assert result.exit_code == 0, result.output
    dates = {v[1]: v[2] for v in visits(path, "回访记录")}
    # was: 2026-11-23 for both, the time dropped
    assert dates["C01"] in ("2026-11-23 15:30", dt.datetime(2026, 11, 23, 15, 30))
    assert dates["C02"] in ("2026-11-23", dt.datetime(2026, 11, 23))
    assert invoke("record", path, out).exit_code == 0 and len(visits(path, "回访记录")) == 2  # not twice


def test_a_followup_toml_init_wrote_for_another_workbook_is_said_when_it_is_used(tmp_path):
    assert invoke("init", tmp_path / "new.xlsx", "--preset", "sales", "--lang", "en").exit_code == 0
    assert (tmp_path / "followup.toml").is_file()  # the folder was empty: the toml is new.xlsx's
    old = tmp_path / "qa3_calls_zh.xlsx"
    shutil.copy(FIXTURES / "qa3_calls_zh.xlsx", old)  # the shop's own archive, moved in later
    result = invoke("due", old, "--as-of", AS_OF, "--format", "table")
    # was: new.xlsx's preset and language used for qa3_calls_zh.xlsx without a word
    assert (
        "attention: followup.toml was written by `followup init` for new.xlsx and is used for qa3_calls_zh.xlsx too"
        in result.stderr
    )
    assert "qa3_calls_zh.followup.toml" in result.stderr
    quiet = invoke("due", tmp_path / "new.xlsx", "--as-of", AS_OF, "--format", "table")
    assert "attention: followup.toml was written" not in quiet.stderr
