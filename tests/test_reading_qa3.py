"""The third QA pass, on books shaped like small shops' own (tests/fixtures/qa3_fixtures.py), each
case on a golden workbook written and read back: who is and is not on `due`, and what `check`
says with the cell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fixtures import qa3_fixtures
from tests.golden import assert_generator_makes_the_committed, assert_mapping_and_due
from tests.test_reading_shapes import AS_OF, check_rows, due_rows, run

QA3 = sorted(qa3_fixtures.SHAPES)


def test_the_generator_makes_the_committed_workbooks(tmp_path):
    assert_generator_makes_the_committed(qa3_fixtures.build(tmp_path))


@pytest.mark.parametrize("name", QA3)
def test_columns_and_due_give_the_expected_mapping_and_list(shape, name):
    assert_mapping_and_due(shape(name), name)


def _birthdays(rows) -> set[str]:
    return {r["customer_id"] for r in rows if r["kind"] == "birthday"}


# ---- 1. a 任务编号 typed by hand is not a task id ------------------------------------------------------


def test_a_hand_typed_task_number_does_not_stop_the_visit_closing_its_task(shape):
    paths = shape("qa3_task_column")
    # K01-K03 had their birthday call (任务编号 生日 / T123 / 见上); K05 was not reached
    assert _birthdays(due_rows(paths)) == {"K05", "K06"}
    # K04's call was a periodic one: its birthday is still open, off the list only for the gap
    left = {r["customer_id"]: r["left_out"] for r in due_rows(paths, "--explain") if r["left_out"]}
    assert list(left) == ["K04"] and "last contact on 2026-11-21" in left["K04"]


def test_check_names_each_task_number_that_is_not_a_task_id(shape):
    _, rows = check_rows(shape("qa3_task_column"))
    said = {f"{r['sheet']}!{r['cell']}": r for r in rows if r["code"] == "not-a-task-id"}
    assert sorted(said) == ["回访记录!A2", "回访记录!A3", "回访记录!A4", "回访记录!A5"]
    assert said["回访记录!A3"]["value"] == "T123"
    assert all(r["severity"] == "warning" and "matched to a task by customer" in r["message"] for r in said.values())


# ---- 2. full-width digits and letters: ids link, phones are ASCII --------------------------------------


def test_full_width_ids_link_and_full_width_phones_come_out_as_digits(shape):
    paths = shape("qa3_fullwidth")
    rows = due_rows(paths)
    assert {r["phone"] for r in rows} == {f"1310000000{k}" for k in range(1, 7)}
    # Ｆ０１ (kept as written) and F02 had their birthday call (the log says F01 / Ｆ０２); every purchase
    # links to its customer whichever way its id was typed
    assert _birthdays(rows) == {"F03", "F04", "F05", "F06"}
    assert {r["customer_id"] for r in rows if r["kind"] == "product_use"} == {
        "Ｆ０１",
        "F02",
        "F03",
        "F04",
        "F05",
        "F06",
    }
    _, problems = check_rows(paths)
    assert [p for p in problems if p["severity"] != "warning" or p["code"] != "rule-cannot-run"] == []


@pytest.mark.parametrize(
    ("typed", "phone", "warned"),
    [
        ("１３８００１３８０００", "13800138000", False),
        ("＋８６ １３８ ００１３ ８０００", "13800138000", False),
        ("（０２１）５５５５００００", "02155550000", False),
        ("١٣٨٠٠١٣٨٠٠٠", None, True),  # Arabic-Indic digits are digits to str.isdigit, not to a phone
    ],
)
def test_a_phone_typed_in_full_width_is_read_as_ascii_digits(typed, phone, warned):
    from followup_cli.archive.phones import parse_phone

    value, problem = parse_phone(typed)
    assert (problem is not None) == warned
    if phone:
        assert value == phone


# ---- 3. a two-digit-year date that reads year first or day first is never guessed ------------------------


def test_two_digit_year_dates_that_read_two_ways_are_flagged_and_the_rest_read(shape):
    paths = shape("qa3_text_dates")
    rows = due_rows(paths)
    # every purchase on 2026-11-16 makes a product-use call due today; T01 and T02 are not guessed
    assert {r["customer_id"] for r in rows if r["kind"] == "product_use"} == {f"T{k:02d}" for k in range(3, 11)}
    _, problems = check_rows(paths)
    flagged = {p["cell"]: p["message"] for p in problems if p["sheet"] == "消费记录"}
    assert sorted(flagged) == ["B12", "B2", "B3"]
    assert "'46342' looks like an Excel date serial stored as text (2026-11-16)" in flagged["B12"]
    assert "2026-11-16 (year first) or 2016-11-26 (day first)" in flagged["B2"]
    assert "2016-11-26 (year first) or 2026-11-16 (day first)" in flagged["B3"]


@pytest.mark.parametrize(
    ("text", "order", "read"),
    [
        ("26.11.16", "dmy", "2016-11-26"),
        ("26.11.16", "mdy", None),
        ("30.02.26", "ymd", "2030-02-26"),  # the only reading
        ("26.02.30", "ymd", "2030-02-26"),  # the only reading
        ("3/5/24", "dmy", "2024-05-03"),
    ],
)
def test_a_set_date_order_decides_and_a_lone_reading_is_taken(text, order, read):
    from followup_cli.archive.cells import parse_datetime

    got = parse_datetime(text, order).value
    assert (got.date().isoformat() if got else None) == read


# ---- 4. a hidden sheet is read, and said -------------------------------------------------------------


def test_a_hidden_sheet_is_read_and_check_and_columns_say_it_is_hidden(shape):
    paths = shape("qa3_hidden_sheet")
    assert {r["customer_id"] for r in due_rows(paths)} == {"V001", "V002", "V003", "V004", "H001", "H002"}
    _, problems = check_rows(paths)
    hidden = [p for p in problems if p["code"] == "hidden-sheet"]
    assert [(p["sheet"], p["severity"]) for p in hidden] == [("历史会员", "warning")]
    assert "(backup)" in hidden[0]["message"]
    mapping = json.loads(run("columns", *paths, "--format", "json", "--lang", "en").stdout)
    assert {r["sheet"]: r["role_how"] for r in mapping} == {
        "会员档案": "sheet name",
        "历史会员": "word in sheet name (hidden sheet)",
    }


def test_a_hidden_sheet_renamed_as_a_backup_is_not_read(shape, tmp_path):
    from openpyxl import load_workbook

    (path,) = shape("qa3_hidden_sheet")
    wb = load_workbook(path)
    wb["历史会员"].title = "历史会员(备份)"
    wb.save(path)
    assert {r["customer_id"] for r in due_rows([path])} == {"V001", "V002", "V003", "V004"}


# ---- 5. an order merged down its item rows ---------------------------------------------------------------


def test_an_order_merged_down_its_items_gives_every_item_to_its_customer(shape):
    paths = shape("qa3_orders")
    _, problems = check_rows(paths)
    assert [p for p in problems if p["severity"] == "error"] == []
    merged = [p for p in problems if p["code"] == "merged-down"]
    assert [(p["sheet"], p["severity"]) for p in merged] == [("订单明细", "note")]
    assert "A3:A4, B3:B4, C3:C4, A5:A7" in merged[0]["message"]  # the title A1:G1 is not among them
    result = run("history", *paths, "R02", "--format", "json", "--lang", "en")
    items = json.loads(result.stdout)["purchases"]
    assert sorted((p["order_id"], p["product"], p["date"]) for p in items) == [
        ("SO0002", "围巾", "2026-11-15"),
        ("SO0002", "手套", "2026-11-15"),
        ("SO0002", "羽绒服", "2026-11-15"),
    ]
    assert {r["customer_id"] for r in due_rows(paths) if r["kind"] == "product_use"} == {"R01", "R02", "R03", "R04"}


# ---- 6. a refusal in more of a clerk's words ---------------------------------------------------------


def test_a_dislike_of_calls_and_a_mixed_english_refusal_keep_the_call_off(shape):
    paths = shape("qa3_refusal_words")
    assert _birthdays(due_rows(paths)) == {"N4", "N5", "N6"}
    _, problems = check_rows(paths)
    said = {p["cell"]: p["message"] for p in problems if p["code"] == "refusal-in-text"}
    assert sorted(said) == ["F2", "F3", "F4", "F5"]
    assert "'不喜欢被电话'" in said["F2"] and "'勿call'" in said["F3"]


@pytest.mark.parametrize(
    ("text", "channels"),
    [
        ("客户不喜欢被电话打扰", {"phone"}),
        ("勿call", {"phone"}),
        ("别call她", {"phone"}),
        ("讨厌推销", None),
        ("反感短信", {"sms"}),
    ],
)
def test_dislike_words_refuse_the_channel_they_name(text, channels):
    from followup_cli.archive.refusals import refusal

    found = refusal(text)
    assert found is not None and (found[1] if found[1] is None else set(found[1])) == channels


@pytest.mark.parametrize("text", ["客户不喜欢打折款", "喜欢打电话聊天", "不喜欢这款颜色", "call me anytime"])
def test_dislike_words_that_refuse_nothing(text):
    from followup_cli.archive.refusals import refusal

    assert refusal(text) is None


# ---- 7. what check and columns say is in the run's language --------------------------------------------


def test_the_channel_a_refusal_names_is_said_in_chinese_in_a_chinese_run(shape):
    result = run("check", *shape("qa3_refusal_words"), "--lang", "zh", lang="zh")
    assert "按拒绝联系处理（电话）" in result.stdout and "按拒绝联系处理（短信）" in result.stdout
    assert "（phone）" not in result.stdout and "（sms）" not in result.stdout


def test_how_rows_were_linked_is_said_in_chinese_in_a_chinese_run(tmp_path):
    import shutil

    from tests.test_reading_shapes import FIXTURES

    shutil.copy(FIXTURES / "visit_book.xlsx", tmp_path / "visit_book.xlsx")
    rows = json.loads(
        run("columns", tmp_path / "visit_book.xlsx", "--format", "json", "--lang", "zh", lang="zh").stdout
    )
    assert [r["note"] for r in rows if r["how"] == "对应客户"] == ["按姓名 1 行，按手机 1 行"]


def test_an_online_shops_item_list_is_the_product(shape):
    rows = json.loads(run("columns", *shape("qa3_orders"), "--format", "json", "--lang", "en").stdout)
    assert {(r["header"], r["field"]) for r in rows if r["sheet"] == "网店订单"} >= {
        ("商品明细", "product (商品)"),
        ("实付金额", "amount (金额)"),
    }


# ---- 8. a left-out task is counted once by due, as by kpi --------------------------------------------


def test_due_counts_a_shared_keys_tasks_once_as_kpi_does(shape):
    paths = shape("qa3_shared_keys")
    explained = [r for r in due_rows(paths, "--explain") if r["left_out"]]
    assert sorted(r["customer_id"] for r in explained) == ["S01", "S01", "S02", "S02"]  # each row shown
    table = run("due", *paths, "--as-of", AS_OF, "--format", "table", "--lang", "en")
    assert "1 task(s), 1 contact(s); 2 left out (see --explain)" in table.stderr
    kpi = run("kpi", *paths, "--as-of", AS_OF, "--period", "2026-11", "--lang", "en")
    assert "1 task(s) due" in kpi.stderr and "2 not listed because the customer's key is shared" in kpi.stderr


def test_due_says_whose_counts_it_gives_and_skips_no_rows_when_there_are_no_errors(shape):
    paths = shape("qa3_refusal_words")  # warnings only: the refusals read from 备注
    due = run("due", *paths, "--as-of", AS_OF, "--format", "table", "--lang", "en")
    assert "note: reading the archive found 0 error(s) and 4 warning(s). Run `followup check`" in due.stderr
    assert "rows with errors are skipped" not in due.stderr  # was said with 0 errors


# ---- 9. an owner written with a title ----------------------------------------------------------------


def test_an_owner_written_with_a_title_is_asked_about_not_taken(shape):
    paths = shape("qa3_staff_titles")
    _, problems = check_rows(paths)
    said = {p["cell"]: p["message"] for p in problems if p["code"] == "unknown-owner"}
    assert sorted(said) == ["E2", "E3", "E4"]
    assert "is it 王芳（店长）?" in said["E2"] and "is it 张伟（店长）?" in said["E3"]
    assert "is it" not in said["E4"]  # 李姐: no staff member's role says 姐
    # not taken for granted: the tasks stay with the owner as written, said as unknown
    staff = {r["customer_id"]: r["staff"] for r in due_rows(paths)}
    assert staff["S04"] == "王芳" and staff["S01"] != "王芳"


# ---- 10. a festival's reason names its day, not "today" ----------------------------------------------


def test_an_upcoming_or_overdue_festival_greeting_names_its_day(tmp_path):
    import shutil

    sample = Path(__file__).resolve().parents[1] / "sample_workbooks" / "retail_vip_zh.xlsx"
    shutil.copy(sample, tmp_path / "retail_vip_zh.xlsx")
    path = tmp_path / "retail_vip_zh.xlsx"
    for as_of, status in (("2026-12-30", "upcoming"), ("2027-01-01", "due")):
        rows = [
            r
            for r in json.loads(
                run(
                    "due",
                    path,
                    "--as-of",
                    as_of,
                    "--ahead",
                    "3",
                    "--kind",
                    "festival",
                    "--format",
                    "json",
                    "--lang",
                    "zh",
                    lang="zh",
                ).stdout
            )
            if r["due_date"] == "2027-01-01"
        ]
        assert rows and {r["status"] for r in rows} == {status}
        assert {r["reason"] for r in rows} == {"2027-01-01 是元旦，给 VIP 发节日问候"}  # was 今天是元旦 on 2026-12-30


def test_former_members_are_not_a_store(shape):
    _, problems = check_rows(shape("qa3_hidden_sheet"))
    assert [p for p in problems if p["code"] == "store-from-sheet"] == []  # was: store '历史'
