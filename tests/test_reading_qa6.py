"""The sixth QA pass, on books shaped like real shops' hand-kept sheets and exports
(tests/fixtures/qa6_fixtures.py), each case on a golden workbook written and read back: who is and
is not on `due`, and what `check` says with the cell."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from openpyxl import Workbook

from tests.fixtures import qa6_fixtures
from tests.golden import assert_generator_makes_the_committed, assert_mapping_and_due
from tests.test_reading_shapes import check_rows, due_rows, run

QA6 = sorted(qa6_fixtures.SHAPES)


def test_the_generator_makes_the_committed_workbooks(tmp_path):
    assert_generator_makes_the_committed(qa6_fixtures.build(tmp_path))


@pytest.mark.parametrize("name", QA6)
def test_columns_and_due_give_the_expected_mapping_and_list(shape, name):
    assert_mapping_and_due(shape(name), name)


def _said(rows, code):
    return {f"{r['sheet']}!{r['cell']}" if r["cell"] else r["sheet"]: r for r in rows if r["code"] == code}


def _book(path, sheets):
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return [path]


# ---- 1. visit dates written without a year -----------------------------------------------------------


def test_a_visit_dated_without_a_year_closes_its_task(shape):
    paths = shape("qa6_visits_without_year")
    assert {r["customer_id"] for r in due_rows(paths)} == {"Y05", "Y06"}  # Y01-Y04 were greeted
    result, rows = check_rows(paths)
    assert not [r for r in rows if r["severity"] == "error"]
    said = _said(rows, "date-without-year")
    assert list(said) == ["回访本!A1"] and said["回访本!A1"]["severity"] == "warning"
    message = said["回访本!A1"]["message"]
    assert "4 date(s) written without a year" in message and "(A2)" in message
    assert "A3 → 2026-11-23" in message and "A6 → 2026-11-22" in message


def test_the_year_taken_is_said_in_chinese_too(shape):
    result = run("check", *shape("qa6_visits_without_year"), "--format", "json", "--lang", "zh", lang="zh")
    said = [r["message"] for r in json.loads(result.stdout) if r["code"] == "date-without-year"]
    assert said and "4 个日期没有写年份" in said[0] and "请写上完整日期" in said[0]


def test_a_sheet_named_for_its_month_gives_the_year(shape):
    paths = shape("qa6_month_sheets")
    assert {r["customer_id"] for r in due_rows(paths)} == {"M01", "M04"}
    _, rows = check_rows(paths)
    said = _said(rows, "date-without-year")
    assert sorted(said) == ["2026年10月!A1", "2026年11月!A1"]
    assert "the sheet's name '2026年11月'" in said["2026年11月!A1"]["message"]
    assert "A3 → 2026-11-23" in said["2026年11月!A1"]["message"]


def test_the_year_nearest_the_dates_around_it_across_new_year(tmp_path):
    visits = [
        ["日期", "客户编号", "回访内容", "回访人"],
        ["12-30", "C01", "例行回访", "王芳"],
        [dt.date(2027, 1, 2), "C02", "例行回访", "王芳"],
        ["1-05", "C01", "例行回访", "王芳"],
        ["12月31日(周四)", "C02", "例行回访", "王芳"],  # 2026-12-31 is a Thursday
        ["2月29日", "C02", "例行回访", "王芳"],  # 2027 has none; 2028 does, and is nearer than 2024
    ]
    customers = [["客户编号", "姓名", "手机"], ["C01", "甲", "13800000001"], ["C02", "乙", "13800000002"]]
    paths = _book(tmp_path / "book.xlsx", {"客户档案": customers, "回访记录": visits})
    _, rows = check_rows(paths, "--as-of", "2028-03-01")
    message = _said(rows, "date-without-year")["回访记录!A1"]["message"]
    for part in ("A2 → 2026-12-30", "A4 → 2027-01-05", "A5 → 2026-12-31", "A6 → 2028-02-29"):
        assert part in message


def test_a_weekday_beside_a_date_without_a_year_picks_the_year(tmp_path):
    # 11月23日 is a Monday in 2026 and a Thursday in 2028: the weekday decides against the nearer year
    visits = [
        ["日期", "客户编号", "回访内容"],
        [dt.date(2027, 6, 1), "C01", "例行回访"],
        ["11月23日(周四)", "C01", "例行回访"],
    ]
    customers = [["客户编号", "姓名", "手机"], ["C01", "甲", "13800000001"]]
    _, rows = check_rows(_book(tmp_path / "book.xlsx", {"客户档案": customers, "回访记录": visits}))
    assert "A3 → 2028-11-23" in _said(rows, "date-without-year")["回访记录!A1"]["message"]


def test_with_no_year_anywhere_the_cell_says_how_to_write_it(tmp_path):
    visits = [["日期", "客户编号", "回访内容"], ["11-23", "C01", "生日祝福"]]
    customers = [["客户编号", "姓名", "手机", "生日"], ["C01", "甲", "13800000001", dt.date(1990, 11, 23)]]
    paths = _book(tmp_path / "book.xlsx", {"客户档案": customers, "回访本": visits})
    result, rows = check_rows(paths)
    bad = _said(rows, "bad-datetime")["回访本!A2"]
    assert bad["severity"] == "error" and "'11-23' has no year" in bad["message"]
    assert "2026-11-23" in bad["message"] and "2026年11月" in bad["message"]
    assert not _said(rows, "date-without-year")
    assert result.exit_code == 1


# ---- 2. a member marked removed in words ---------------------------------------------------------------


def test_members_marked_deleted_in_a_note_are_not_called(shape):
    paths = shape("qa6_void_notes")
    assert {r["customer_id"] for r in due_rows(paths)} == {"V01", "V07"}
    _, rows = check_rows(paths)
    said = _said(rows, "refusal-in-text")
    assert sorted(said) == ["客户档案!H3", "客户档案!H4", "客户档案!H5", "客户档案!H6"]
    assert "'作废'" in said["客户档案!H6"]["message"]
    assert _said(rows, "status-blocked")["客户档案!G7"]["value"] == "销户"


# ---- 3. a weekday that is not the date's ----------------------------------------------------------------


def test_a_weekday_that_contradicts_its_date_is_a_warning_at_the_cell(shape):
    paths = shape("qa6_weekday_wrong")
    _, rows = check_rows(paths)
    said = _said(rows, "weekday-mismatch")
    assert sorted(said) == ["消费记录!B2", "消费记录!B4"]  # B3's 周一 is right
    assert said["消费记录!B2"]["severity"] == "warning"
    assert "says Wednesday, but 2026-11-16 is a Monday: read as 2026-11-16" in said["消费记录!B2"]["message"]
    due = {(r["customer_id"], r["kind"]): r["due_date"] for r in due_rows(paths)}
    assert due[("W01", "product_use")] == "2026-11-23"  # the date as written, a week on
    result = run("check", *paths, "--format", "json", "--lang", "zh", lang="zh")
    zh = [r["message"] for r in json.loads(result.stdout) if r["code"] == "weekday-mismatch"]
    assert any("写的是星期三，但 2026-11-16 是星期一" in m for m in zh)


# ---- 4. one member sheet per year -----------------------------------------------------------------------


def test_a_sheet_per_year_gives_no_store(shape):
    paths = shape("qa6_year_sheets")
    _, rows = check_rows(paths)
    assert not _said(rows, "store-from-sheet")
    assert len(due_rows(paths)) == 4


# ---- 5. a level kept as 1 / 2 / 3 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "prefix", "where"), [("qa6_level_legend", "L", "legend in row 1"), ("qa6_level_header", "H", "header")]
)
def test_level_codes_spelled_by_the_shop_are_read(shape, name, prefix, where):
    paths = shape(name)
    festival = {r["customer_id"] for r in due_rows(paths, "--as-of", "2027-01-01") if r["kind"] == "festival"}
    assert festival == {f"{prefix}03", f"{prefix}04"}  # 3 = 金卡
    result = run("columns", *paths, "--format", "json", "--lang", "en")
    tier = next(r for r in json.loads(result.stdout) if r["field"].startswith("tier"))
    assert tier["note"] == f"codes: 1 普通 / 2 银卡 / 3 金卡 (from the {where})"
    _, rows = check_rows(paths)
    assert not _said(rows, "rule-reaches-nobody")
    assert any(r["code"] == "column-note" and "金卡" in r["message"] for r in rows)


def test_a_rule_no_customer_can_meet_is_a_warning(shape):
    paths = shape("qa6_level_numbers")
    assert not [r for r in due_rows(paths, "--as-of", "2027-01-01") if r["kind"] == "festival"]
    _, rows = check_rows(paths)
    said = _said(rows, "rule-reaches-nobody")
    assert list(said) == ["会员资料!E1"] and said["会员资料!E1"]["severity"] == "warning"
    message = said["会员资料!E1"]["message"]
    assert "'festival greeting'" in message and "the column holds 1, 2, 3" in message
    assert "会员等级(1普通 2银卡 3金卡)" in message
    result = run("check", *paths, "--format", "json", "--lang", "zh", lang="zh")
    zh = [r["message"] for r in json.loads(result.stdout) if r["code"] == "rule-reaches-nobody"]
    assert zh and "这些规则不会安排任何回访" in zh[0]


def test_a_shop_whose_tiers_are_words_none_of_them_vip_gets_a_note(tmp_path):
    customers = [["客户编号", "姓名", "手机", "会员等级"], ["C01", "甲", "13800000001", "普通"]]
    _, rows = check_rows(_book(tmp_path / "book.xlsx", {"客户档案": customers}))
    assert _said(rows, "rule-reaches-nobody")["客户档案!D1"]["severity"] == "note"


# ---- 6. rows struck through or filled with a colour ------------------------------------------------------


def test_members_struck_through_are_not_called_and_said(shape):
    paths = shape("qa6_struck_rows")
    assert {r["customer_id"] for r in due_rows(paths)} == {"S01", "S03", "S04"}  # S01's visit is struck
    _, rows = check_rows(paths)
    struck = _said(rows, "struck-rows")
    assert sorted(struck) == ["会员资料", "回访本"]
    assert (
        struck["会员资料"]["severity"] == "warning"
        and "row(s) 3, 6 are struck through" in struck["会员资料"]["message"]
    )
    assert "row(s) 3 are struck through: read as void, not read" in struck["回访本"]["message"]
    filled = _said(rows, "filled-rows")["会员资料"]
    assert filled["severity"] == "note" and "row(s) 4 are filled with a colour" in filled["message"]
    assert not [r for r in rows if r["code"] == "refusal-in-text"]  # S04's struck phone is one cell, not the row


def test_explain_names_the_struck_row_in_both_languages(shape):
    paths = shape("qa6_struck_rows")
    for lang, said in (
        ("en", "row 3 of '会员资料' is struck through (read as a removed customer)"),
        ("zh", "“会员资料”第 3 行有删除线（按已删除的客户处理）"),
    ):
        result = run("due", *paths, "--as-of", "2026-11-23", "--explain", "--lang", lang, "--no-cache", lang=lang)
        assert result.exit_code == 0, result.output
        assert said in " ".join(result.stdout.split())


def test_a_struck_row_is_still_not_called_when_read_from_the_cache(shape, tmp_path, monkeypatch):
    monkeypatch.setenv("FOLLOWUP_CACHE_DIR", str(tmp_path / "cache"))
    paths = shape("qa6_struck_rows")
    # `columns` stores the book's sheet list; `due` then reads the sheets through it (other fields), then
    # from what it stored
    assert run("columns", *paths, "--format", "json").exit_code == 0
    for _ in range(2):
        assert {r["customer_id"] for r in due_rows(paths)} == {"S01", "S03", "S04"}


def test_a_workbook_without_struck_or_coloured_formats_is_not_looked_at_again(shape, monkeypatch):
    from followup_cli.archive import row_marks

    looked = []
    monkeypatch.setattr(row_marks, "scan", lambda *a: looked.append(a) or {})
    due_rows(shape("qa6_void_notes"), "--no-cache")
    assert looked == []


def test_a_tier_typed_full_width_meets_the_rule_for_vip(shape):
    """qa3_fullwidth's 会员等级 is ＶＩＰ (typed with the input method in full-width mode): the rule's
    VIP must find it, as the new rule-reaches-nobody note first showed it did not."""
    paths = shape("qa3_fullwidth")
    festival = {r["customer_id"] for r in due_rows(paths, "--as-of", "2027-01-01") if r["kind"] == "festival"}
    assert festival == {"Ｆ０１", "F02", "F03", "F04", "F05", "F06"}
    _, rows = check_rows(paths)
    assert not _said(rows, "rule-reaches-nobody")


# ---- 7. a visit or an order voided in its notes; a sheet copied by Excel ----------------------------------


def test_a_visit_or_order_voided_in_its_notes_is_not_read(shape):
    paths = shape("qa6_void_visits")
    got = {(r["customer_id"], r["kind"]) for r in due_rows(paths)}
    assert {c for c, k in got if k == "birthday"} == {"X01", "X02", "X04"}  # X03's visit stands
    assert {c for c, k in got if k == "product_use"} == {"X03"}  # X04's order was entered twice
    _, rows = check_rows(paths)
    void = _said(rows, "void-row")
    assert sorted(void) == ["回访记录!E2", "回访记录!E3", "消费记录!F2"]
    assert "备注 says '作废': the row is read as void and not read" in void["回访记录!E2"]["message"]
    result = run("check", *paths, "--format", "json", "--lang", "zh", lang="zh")
    zh = [r["message"] for r in json.loads(result.stdout) if r["code"] == "void-row"]
    assert "备注写着“重复录入”：这一行按作废处理，不读取；若它有效，请改写该单元格" in zh


def test_a_sheet_excel_copied_is_named_and_not_read(shape):
    paths = shape("qa6_sheet_copy")
    assert {r["customer_id"] for r in due_rows(paths)} == {"C01", "C02", "C03"}
    result, rows = check_rows(paths)
    assert not [r for r in rows if r["severity"] == "error"] and not _said(rows, "store-from-sheet")
    unused = _said(rows, "unused-sheet")["会员资料 (2)"]
    assert unused["severity"] == "warning" and "a copy of the sheet '会员资料'" in unused["message"]


def test_a_sheet_named_like_a_copy_of_no_sheet_is_read(tmp_path):
    # 一店(2) with no 一店 beside it is a sheet of its own
    paths = _book(tmp_path / "book.xlsx", {"会员(2)": [["客户编号", "姓名", "手机"], ["C01", "甲", "13800000001"]]})
    _, rows = check_rows(paths)
    assert not _said(rows, "unused-sheet")


# ---- 8. a member reached only on WeChat -------------------------------------------------------------------


def test_a_member_with_only_a_wechat_id_is_listed_with_it(shape, tmp_path):
    paths = shape("qa6_wechat_only")
    result = run("columns", *paths, "--format", "json", "--lang", "en")
    assert {r["header"]: r["field"] for r in json.loads(result.stdout)}["微信号"] == "wechat (微信号)"
    rows = {r["customer_id"]: r for r in due_rows(paths)}
    assert rows["Q02"]["phone"] == "" and rows["Q02"]["wechat"] == "wxid_abc123"  # json: the phone stays a phone
    assert "wechat" not in rows["Q04"]
    table = run("due", *paths, "--as-of", "2026-11-23", "--format", "csv", "--lang", "zh", lang="zh")
    assert "微信 wxid_abc123" in table.stdout and "13800000001" in table.stdout
    out = tmp_path / "calls.xlsx"
    assert run("sheet", *paths, "--as-of", "2026-11-23", "-o", out, "--lang", "zh", lang="zh").exit_code == 0
    from openpyxl import load_workbook

    ws = load_workbook(out).worksheets[0]
    phones = {r[0]: r[1] for r in ws.iter_rows(min_row=2, max_col=2, values_only=True) if r[0]}
    assert phones["Q客2"] == "微信 wxid_abc123" and phones["Q客1"] == "13800000001" and phones["Q客3"] in (None, "")


def test_check_notes_the_members_with_no_phone(shape):
    _, rows = check_rows(shape("qa6_wechat_only"))
    wechat, none = _said(rows, "wechat-only")["客户档案"], _said(rows, "no-phone")["客户档案"]
    assert wechat["severity"] == none["severity"] == "note"
    assert "1 customer(s) have no phone, only a WeChat ID" in wechat["message"] and "(Q02)" in wechat["message"]
    assert "neither a phone nor a WeChat ID" in none["message"] and "(Q03)" in none["message"]


def test_a_wechat_only_members_message_goes_to_the_wechat_batch(shape, tmp_path):
    paths = shape("qa6_wechat_only")
    out = tmp_path / "wx.csv"
    result = run("sms", *paths, "--as-of", "2027-01-01", "--channel", "wechat", "-o", out, "--lang", "en")
    assert result.exit_code == 0, result.output
    import csv

    got = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [(r["customer_id"], r["wechat"]) for r in got] == [("Q02", "wxid_abc123")]


# ---- 9. a POS's 是否接收营销短信 -----------------------------------------------------------------------------


def test_a_pos_marketing_sms_consent_is_read_for_the_sms_only(shape):
    paths = shape("qa6_pos_consent")
    got = {(r["customer_id"], r["kind"]) for r in due_rows(paths)}
    assert {c for c, k in got if k == "points"} == {"KR1"}  # KR2 said 否 to marketing SMS
    assert {c for c, k in got if k == "birthday"} == {"KR1", "KR2"}  # the call is no SMS
    result = run("columns", *paths, "--format", "json", "--lang", "en")
    use = next(r for r in json.loads(result.stdout) if r["header"] == "是否接收营销短信")
    assert use["field"].startswith("contact_ok") and use["note"] == "channels: sms"
    _, rows = check_rows(paths)
    said = _said(rows, "rule-reaches-nobody")["顾客列表!E1"]  # 黄金会员 is not one of the rule's tiers: said
    assert said["severity"] == "note" and "黄金会员" in said["message"]


# ---- 10. an order export's 订单状态 ----------------------------------------------------------------------------


def test_orders_that_did_not_go_through_bring_no_call(shape):
    paths = shape("qa6_order_status")
    assert {r["customer_id"] for r in due_rows(paths) if r["kind"] == "product_use"} == {"T01", "T06"}
    _, rows = check_rows(paths)
    said = _said(rows, "order-not-done")["订单"]
    assert said["severity"] == "note" and "4 row(s) are orders that did not go through" in said["message"]
    assert "交易关闭 ×1" in said["message"] and "row(s) 3, 4, 5, 6" in said["message"]
    assert not [r for r in rows if r["code"] == "unused-columns" and "订单状态" in r["message"]]
    result = run("columns", *paths, "--format", "json", "--lang", "en")
    use = next(r for r in json.loads(result.stdout) if r["header"] == "订单状态")
    assert use["note"].startswith("read only to pass over orders")
    zh = run("check", *paths, "--format", "json", "--lang", "zh", lang="zh")
    assert any("不作为消费读取" in r["message"] for r in json.loads(zh.stdout) if r["code"] == "order-not-done")


@pytest.mark.parametrize(
    ("status", "done"),
    [
        ("交易成功", True),
        ("已发货", True),
        ("部分退款", True),
        ("paid", True),
        ("partially_refunded", True),
        ("交易关闭（超时未付款）", False),
        ("已退款", False),
        ("refunded", False),
        ("voided", False),
        ("Pending", False),
    ],
)
def test_which_order_statuses_are_purchases(status, done):
    from followup_cli.archive.order_status import not_done

    assert not_done(status) is (not done)


@pytest.mark.parametrize(
    ("typed", "when"),
    [
        ("2026年11月23日上午10点", "2026-11-23T10:00:00"),
        ("2026-11-23 下午3点半", "2026-11-23T15:30:00"),
        ("2026/11/23 15点20分", "2026-11-23T15:20:00"),
    ],
)
def test_a_visit_time_written_in_words_is_read(tmp_path, typed, when):
    visits = [["回访时间", "客户编号", "回访内容"], [typed, "A01", "生日祝福"]]
    customers = [["客户编号", "姓名", "手机", "生日"], ["A01", "甲", "13800000001", dt.date(1990, 11, 23)]]
    paths = _book(tmp_path / "book.xlsx", {"客户档案": customers, "回访记录": visits})
    _, rows = check_rows(paths)
    assert not [r for r in rows if r["severity"] == "error"]
    assert not [r for r in due_rows(paths) if r["kind"] == "birthday"]  # the greeting was made
    from followup_cli.archive.cells import parse_datetime

    assert parse_datetime(typed).value.isoformat() == when


# ---- 11. a visit's customer written as several things in one cell --------------------------------------------


def test_a_customer_cell_holding_id_name_or_phone_links_when_they_agree(shape):
    paths = shape("qa6_customer_in_words")
    assert {r["customer_id"] for r in due_rows(paths)} == {"R04"}  # R01-R03 were greeted
    _, rows = check_rows(paths)
    said = _said(rows, "linked-by-parts")["回访记录"]
    assert said["severity"] == "warning" and "3 row(s) name their customer by several things" in said["message"]
    unknown = [r for r in rows if "not in the customer sheet" in r["message"]]
    assert [r["cell"] for r in unknown] == ["B5"]  # R01 R客4 names two customers: never a guess
    result = run("columns", *paths, "--format", "json", "--lang", "zh", lang="zh")
    notes = " ".join(r["note"] for r in json.loads(result.stdout))
    assert "按单元格中的编号、手机或姓名 3 行" in notes


# ---- 12. a refusal the customer voiced on a call, written in the visit log -----------------------------------


def test_a_customer_who_said_on_a_call_not_to_call_again_is_not_called(shape):
    paths = shape("qa6_refused_on_a_call")
    got = {(r["customer_id"], r["kind"]) for r in due_rows(paths)}
    assert {c for c, k in got if k == "birthday"} == {"P04", "P05", "P06"}  # P04 refused the SMS only
    assert {c for c, k in got if k == "points"} == {"P01", "P05", "P06"}  # an SMS: P01 said not to *call*
    _, rows = check_rows(paths)
    said = _said(rows, "refusal-in-visit")
    assert sorted(said) == ["回访记录!C4", "回访记录!D2", "回访记录!F3", "回访记录!F5"]
    assert "customer P01 is read as do not contact (phone) from now on" in said["回访记录!D2"]["message"]
    assert "(SMS)" in said["回访记录!F5"]["message"]
    result = run("due", *paths, "--as-of", "2026-11-23", "--explain", "--lang", "zh", "--no-cache", lang="zh")
    assert "回访记录!F3写着“拉黑”（按拒绝联系处理）" in " ".join(result.stdout.split())
    zh = run("check", *paths, "--format", "json", "--lang", "zh", lang="zh")
    assert any(
        "客户 P01 此后按拒绝联系处理" in r["message"] for r in json.loads(zh.stdout) if r["code"] == "refusal-in-visit"
    )


def test_every_refusal_phrase_holds_a_character_the_first_look_searches_for():
    from followup_cli.archive import refusals

    for phrase, _ in refusals._ZH + refusals._EN:
        assert refusals.may_refuse(phrase), phrase
    for said in (
        "不要再打电话了",
        "别再打了",
        "不想被打扰",
        "拒绝推销",
        "客户投诉过骚扰",
        "stop calling me",
        "take me off the list",
    ):
        assert refusals.refusal(said) and refusals.may_refuse(said), said
    assert not refusals.may_refuse("希望有更多颜色\n客户建议增加大码")


# ---- 13. a sheet of a known role with no header row -------------------------------------------------------


def test_a_customer_sheet_without_a_header_row_is_one_error_not_one_per_row(tmp_path):
    """Columns headed only by their letters (A, B, C …): no header row is found. QA: besides that one
    error, every row was an error '客户编号 is empty' and counted as a customer with no id."""
    rows = [["A", "B", "C", "D", "E", "F"]] + [
        [f"N{k:02d}", f"N客{k}", f"1380000{k:04d}", dt.date(1990, 11, 23), "VIP", "王芳"] for k in range(1, 4)
    ]
    paths = _book(tmp_path / "book.xlsx", {"客户档案": rows})
    result, problems = check_rows(paths)
    errors = [p for p in problems if p["severity"] == "error"]
    assert [(p["cell"], p["code"]) for p in errors] == [("A1", "no-header")]
    assert "read: customers 0" in result.stderr
    due = run("due", *paths, "--as-of", "2026-11-23", "--lang", "en")
    assert due.exit_code == 1 and "no header row found" in due.output
