"""The fifth QA pass, on books shaped like real shops' hand-kept sheets and exports
(tests/fixtures/qa5_fixtures.py), each case on a golden workbook written and read back: who is and
is not on `due`, and what `check` says with the cell."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.fixtures import qa5_fixtures
from tests.golden import assert_generator_makes_the_committed, assert_mapping_and_due
from tests.test_reading_shapes import AS_OF, FIXTURES, check_rows, due_rows, run

QA5 = sorted(qa5_fixtures.SHAPES)


def test_the_generator_makes_the_committed_workbooks(tmp_path):
    built = qa5_fixtures.build(tmp_path)
    assert_generator_makes_the_committed({k: v for k, v in built.items() if k in qa5_fixtures.SHAPES})
    assert_generator_makes_the_committed(
        {"xlsx": [p for n in qa5_fixtures.FILES for p in built[n] if p.suffix == ".xlsx"]}
    )
    for name in qa5_fixtures.FILES:
        for p in built[name]:
            if p.suffix == ".csv":
                assert p.read_bytes() == (FIXTURES / p.name).read_bytes(), p.name


def _files(tmp_path, name) -> list:
    """The committed files of a shape of several files, copied into tmp_path (the generator only
    names them: it never writes into tests/fixtures during a test)."""
    out = qa5_fixtures.FILES[name](tmp_path / "names")
    for p in out:
        shutil.copy(FIXTURES / p.name, tmp_path / p.name)
    return [tmp_path / p.name for p in out]


@pytest.mark.parametrize("name", sorted(qa5_fixtures.FILES))
def test_the_exports_give_the_expected_mapping_and_list(tmp_path, name):
    assert_mapping_and_due(_files(tmp_path, name), name)


@pytest.mark.parametrize("name", QA5)
def test_columns_and_due_give_the_expected_mapping_and_list(shape, name):
    assert_mapping_and_due(shape(name), name)


def _said(rows, code):
    return {f"{r['sheet']}!{r['cell']}" if r["cell"] else r["sheet"]: r for r in rows if r["code"] == code}


# ---- 1. a 黑名单 / 勿扰名单 sheet: the customers it lists are never called ----------------------------


def test_the_customers_a_blocklist_sheet_names_are_not_called(shape):
    paths = shape("qa5_blocklist")
    called = {r["customer_id"] for r in due_rows(paths)}
    assert called == {"K01", "K06"}  # K02 by id, K03 by a phone with spaces, K04 and K05 by name
    _, rows = check_rows(paths)
    assert not [r for r in rows if r["code"] == "unused-sheet"]
    read = _said(rows, "blocklist-read")
    assert sorted(read) == ["Do Not Call", "勿扰客户", "黑名单"]
    assert "(K03, K04)" in read["勿扰客户"]["message"]


def test_a_blocklist_row_naming_nobody_is_a_warning_at_its_cell(shape):
    _, rows = check_rows(shape("qa5_blocklist"))
    unknown = _said(rows, "blocklist-unknown")
    assert list(unknown) == ["勿扰客户!A4"]
    assert unknown["勿扰客户!A4"]["severity"] == "warning" and "keeps nobody off" in unknown["勿扰客户!A4"]["message"]


def test_explain_names_the_list_and_its_row_in_both_languages(shape):
    paths = shape("qa5_blocklist")
    for lang, said in (
        ("en", "listed in '黑名单' (黑名单!A2): 投诉过，勿联系"),
        ("zh", "列在“黑名单”中（黑名单!A2）：投诉过，勿联系"),
    ):
        result = run("due", *paths, "--as-of", AS_OF, "--explain", "--lang", lang, lang=lang)
        assert result.exit_code == 0, result.output
        assert said in result.stdout


def test_a_customer_sheet_is_never_taken_for_a_blocklist_by_its_headers(shape):
    """The list has a customer sheet's headers: only its name makes it one."""
    result = run("columns", *shape("qa5_blocklist"), "--format", "json", "--lang", "en")
    roles = {(r["sheet"], r["role"], r["role_how"]) for r in json.loads(result.stdout)}
    assert ("会员资料", "customers", "sheet name") in roles
    assert {r for s, r, _ in roles if s in ("黑名单", "勿扰客户", "Do Not Call")} == {"blocklist"}


# ---- 2. columns with values and no header: named, and read for a refusal in words ------------------


def test_columns_without_a_header_are_named_with_their_cells(shape):
    paths = shape("qa5_unheaded_columns")
    _, rows = check_rows(paths)
    said = _said(rows, "unheaded-column")
    assert sorted(said) == ["客户档案!G1", "客户档案!H1"]
    assert "2 cell(s)" in said["客户档案!G1"]["message"] and "G3 '勿扰'" in said["客户档案!G1"]["message"]
    assert "3 cell(s)" in said["客户档案!H1"]["message"] and said["客户档案!H1"]["severity"] == "warning"
    result = run("columns", *paths, "--format", "json", "--lang", "en")
    listed = {r["column"]: r for r in json.loads(result.stdout)}
    assert listed["G"]["field"] == "" and "no header" in listed["G"]["note"]


def test_a_refusal_typed_in_a_column_without_a_header_is_honoured(shape):
    paths = shape("qa5_unheaded_columns")
    assert {r["customer_id"] for r in due_rows(paths)} == {"U01", "U03", "U05"}
    _, rows = check_rows(paths)
    assert sorted(_said(rows, "refusal-in-text")) == ["客户档案!G3", "客户档案!G5"]


def test_the_unheaded_column_is_said_in_chinese_too(shape):
    result = run(
        "check", *shape("qa5_unheaded_columns"), "--as-of", AS_OF, "--format", "json", "--lang", "zh", lang="zh"
    )
    said = [r["message"] for r in json.loads(result.stdout) if r["code"] == "unheaded-column"]
    assert said and all("没有表头" in m and "请给它写上表头" in m for m in said)


# ---- 3. a form export: dates with the day of the week, 无 / — / / for nothing entered -------------


def test_dates_with_the_day_of_the_week_are_read_and_placeholders_are_empty(shape):
    paths = shape("qa5_form_export")
    got = {(r["customer_id"], r["kind"]) for r in due_rows(paths)}
    assert {c for c, k in got if k == "product_use"} == {"W01", "W02", "W03", "W04"}
    assert {c for c, k in got if k == "birthday"} == {"W01", "W02", "W03"}  # 无, —, /: no birthday
    result, rows = check_rows(paths)
    assert result.exit_code == 0 and not [r for r in rows if r["severity"] == "error"]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026/11/23 星期一", "2026-11-23"),
        ("2026-11-23(周一) 14:05", "2026-11-23"),
        ("2026年11月23日 礼拜一 下午3:05", "2026-11-23"),
        ("Mon 2026-11-23", "2026-11-23"),
        ("2026-11-23, Monday", "2026-11-23"),
        ("周一", None),
    ],
)
def test_the_day_of_the_week_is_set_aside(text, day):
    from followup_cli.archive.cells import parse_datetime

    got = parse_datetime(text).value
    assert (got.date().isoformat() if got else None) == day


# ---- 4. 公历生日 beside 农历生日: each member's birthday from the one filled ------------------------------


def test_a_lunar_birthday_column_gives_the_birthday_where_the_solar_one_is_empty(shape):
    paths = shape("qa5_two_birthdays")
    # L03's lunar 10-15 is 2026-11-23; L02's lunar 10-03 (2026-11-11) is past; L04 keeps its solar 11-25
    assert {r["customer_id"] for r in due_rows(paths) if r["kind"] == "birthday"} == {"L01", "L03"}
    ahead = {r["customer_id"] for r in due_rows(paths, "--ahead", "3")}
    assert "L04" in ahead and "L05" not in ahead
    _, rows = check_rows(paths)
    note = _said(rows, "birthday-from-second-column")["客户档案"]
    assert note["severity"] == "note" and "(E3, E4)" in note["message"]


# ---- 5. status words and notes: 已故, 已退卡, 投诉过，勿联系 --------------------------------------------


def test_a_customer_who_died_or_left_or_refused_in_the_status_or_notes_is_not_called(shape):
    paths = shape("qa5_status_words")
    assert {r["customer_id"] for r in due_rows(paths)} == {"S01", "S07"}
    _, rows = check_rows(paths)
    assert sorted(_said(rows, "status-blocked")) == ["客户档案!G3", "客户档案!G4", "客户档案!G5"]
    assert not _said(rows, "unclear-consent")
    assert sorted(_said(rows, "refusal-in-text")) == ["客户档案!H6", "客户档案!H7"]


# ---- 6. bilingual headers with Latin letters in the Chinese word, numbers with a typed apostrophe -----


def test_mixed_headers_and_apostrophes_are_read(shape):
    paths = shape("qa5_mixed_headers")
    result = run("columns", *paths, "--format", "json", "--lang", "en")
    fields = {
        r["header"]: r["field"].split(" ")[0] for r in json.loads(result.stdout) if r["sheet"] == "Customers 客户"
    }
    assert fields["会员ID Member ID"] == "id" and fields["Mobile手机"] == "phone" and fields["VIP Level"] == "tier"
    due = due_rows(paths)
    assert {r["customer_id"] for r in due if r["kind"] == "product_use"} == {"00001", "00002", "00003"}
    _, rows = check_rows(paths)
    assert not [r for r in rows if r["severity"] == "error"]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("会员ID Member ID", "id"),
        ("Mobile手机", "phone"),
        ("手机号Mobile", "phone"),
        ("生日DOB", "birthday"),
        ("VIP会员", None),  # still one word: both parts must name the field
        ("生日Phone", None),
    ],
)
def test_a_header_whose_scripts_meet_takes_the_field_both_parts_name(header, field):
    from followup_cli.archive.schema import header_index

    found = header_index("customers").match(header)
    assert (found.field if found and found.how != "fuzzy" else None) == field


# ---- 7. two tables side by side ---------------------------------------------------------------------


def test_a_second_table_beside_the_first_is_one_warning_and_lends_it_no_phone(shape):
    paths = shape("qa5_tables_beside")
    due = {r["customer_id"]: r for r in due_rows(paths)}
    assert set(due) == {"A01", "A02", "A03"}
    full = run("due", *paths, "--as-of", AS_OF, "--format", "json", "--lang", "en")
    phones = {r["customer_id"]: r["phone"] for r in json.loads(full.stdout)}
    assert phones["A02"] == ""  # never B02's 13400000002
    _, rows = check_rows(paths)
    said = _said(rows, "table-beside")
    assert list(said) == ["客户档案!H1"] and "its 3 row(s) are not read" in said["客户档案!H1"]["message"]
    assert not _said(rows, "duplicate-column")


# ---- 8. 出生年月 as a year and a month; a phone with a note beside it -----------------------------------


def test_a_year_and_month_of_birth_is_no_birthday_and_is_said(shape):
    paths = shape("qa5_year_month_births")
    assert {r["customer_id"] for r in due_rows(paths) if r["kind"] == "birthday"} == {"Y04"}
    june = {r["customer_id"] for r in due_rows(paths, "--as-of", "2026-06-12") if r["kind"] == "birthday"}
    assert not june  # 1990.11 was the date serial of 1905-06-12
    _, rows = check_rows(paths)
    said = {r["cell"]: r for r in rows if r["code"] == "placeholder"}
    assert sorted(said) == ["D2", "D3", "D4", "D6"]
    assert all(r["severity"] == "warning" and "no day" in r["message"] for r in said.values())
    assert not [r for r in rows if r["severity"] == "error"]


def test_a_phone_written_with_a_note_is_the_number(shape):
    paths = shape("qa5_year_month_births")
    result = run("due", *paths, "--as-of", "2026-11-23", "--ahead", "366", "--format", "json", "--lang", "en")
    phones = {r["customer_id"]: r["phone"] for r in json.loads(result.stdout)}
    assert phones == {f"Y{k:02d}": f"1380000{k:04d}" for k in range(1, 6)}
    _, rows = check_rows(paths)
    assert not [r for r in rows if r["code"] == "bad-phone"]


# ---- 9. a member export's 最近消费时间: the dormant win-back counts from it ------------------------------


def test_the_last_purchase_of_a_member_export_starts_the_dormant_count(shape):
    paths = shape("qa5_last_purchase")
    dormant = {r["customer_id"] for r in due_rows(paths) if r["kind"] == "dormant"}
    # 客1 bought a week ago: not dormant; 客4 on 09-20: 60 days on 11-19; 客3 never bought (counted
    # from its registration); 客2's 08-01 + 60 days has left its window
    assert dormant == {"13100000003", "13100000004"}
    result = run("columns", *paths, "--format", "json", "--lang", "en")
    fields = {r["header"]: r["field"] for r in json.loads(result.stdout)}
    assert fields["最近消费时间"].startswith("last_purchase")
    later = {r["customer_id"]: r for r in due_rows(paths, "--as-of", "2027-01-20") if r["kind"] == "dormant"}
    assert "13100000001" in later


# ---- 10. CSV exports keeping digits as text with ="…" --------------------------------------------------


def test_text_kept_as_a_formula_in_a_csv_is_its_text(tmp_path):
    paths = _files(tmp_path, "qa5_text_formulas")
    due = due_rows(paths)
    assert {r["customer_id"] for r in due} == {"00123", "00124"}
    assert {r["customer_id"] for r in due if r["kind"] == "product_use"} == {"00124"}


# ---- 11. a do-not-contact list in a workbook of its own, its sheet called Sheet1 ------------------------


def test_a_blocklist_workbook_is_read_by_its_file_name(tmp_path):
    paths = _files(tmp_path, "qa5_blocklist_files")
    assert {r["customer_id"] for r in due_rows(paths)} == {"F01", "F04"}
    _, rows = check_rows(*[paths])
    assert not [r for r in rows if r["code"] in ("duplicate-id", "unused-sheet")]
    said = [r for r in rows if r["code"] == "role-from-file-name"]
    assert sorted(r["file"].rsplit("/", 1)[-1] for r in said) == ["qa5_勿扰名单.xlsx", "qa5_黑名单.xlsx"]


def test_a_sheet_of_one_column_not_read_is_a_warning_not_a_note(tmp_path):
    from tests.fixtures.make_fixtures import _book as book

    path = book(
        tmp_path / "a.xlsx", {"客户档案": _members_rows(), "电话": [["号码"], ["13800000003"], ["13800000004"]]}
    )
    _, rows = check_rows([path])
    unused = [r for r in rows if r["code"] == "unused-sheet"]
    assert len(unused) == 1 and unused[0]["severity"] == "warning" and "号码" in unused[0]["message"]


def _members_rows():
    from tests.fixtures.qa5_fixtures import _members

    return _members("X", 2)


# ---- 12. an ERP's customer list: 客户编码, 禁用状态 -------------------------------------------------------


def test_an_erp_customer_code_is_the_id_and_a_disabled_customer_is_not_called(shape):
    paths = shape("qa5_erp_customers")
    result = run("columns", *paths, "--format", "json", "--lang", "en")
    fields = {(r["sheet"], r["header"]): r["field"].split(" ")[0] for r in json.loads(result.stdout)}
    assert fields[("客户", "客户编码")] == "id" and fields[("客户", "禁用状态")] == "do_not_contact"
    assert fields[("销售订单", "客户编码")] == "customer_id"
    due = due_rows(paths, "--preset", "distributor")  # a new customer is contacted within 3 days
    assert {r["customer_id"] for r in due if r["kind"] == "shipment"} == {"KH0003"}  # its order links
    assert "KH0002" not in {r["customer_id"] for r in due} and "KH0001" in {r["customer_id"] for r in due}


# ---- 13. headers marked ★ or with emoji ------------------------------------------------------------


def test_headers_with_a_required_mark_or_an_emoji_are_their_field(shape):
    paths = shape("qa5_marked_headers")
    result = run("columns", *paths, "--format", "json", "--lang", "en")
    how = {r["header"]: (r["field"].split(" ")[0], r["how"]) for r in json.loads(result.stdout)}
    assert how["★客户编号"] == ("id", "normalised") and how["📱手机"] == ("phone", "normalised")
    assert how["✔拒绝回访"] == ("do_not_contact", "normalised")
    assert {r["customer_id"] for r in due_rows(paths)} == {"E01", "E03"}
    _, rows = check_rows(paths)
    assert not [r for r in rows if r["code"] == "guessed-column"]


# ---- 14. a backup number (备用电话), a 客户分组 -------------------------------------------------------------


def test_a_backup_phone_is_the_number_of_a_member_without_one(shape):
    paths = shape("qa5_backup_phone")
    result = run("due", *paths, "--as-of", AS_OF, "--format", "json", "--lang", "en")
    phones = {r["customer_id"]: r["phone"] for r in json.loads(result.stdout)}
    assert phones == {"P01": "13800000001", "P02": "13900000002", "P03": "13800000003"}
    mapping = json.loads(run("columns", *paths, "--format", "json", "--lang", "en").stdout)
    assert {r["header"]: r["field"].split(" ")[0] for r in mapping}["客户分组"] == "type"
