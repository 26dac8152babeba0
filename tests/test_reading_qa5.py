"""The fifth QA pass, on books shaped like real shops' hand-kept sheets and exports
(tests/fixtures/qa5_fixtures.py), each case on a golden workbook written and read back: who is and
is not on `due`, and what `check` says with the cell."""

from __future__ import annotations

import json

import pytest

from tests.fixtures import qa5_fixtures
from tests.golden import assert_generator_makes_the_committed, assert_mapping_and_due
from tests.test_reading_shapes import AS_OF, check_rows, due_rows, run

QA5 = sorted(qa5_fixtures.SHAPES)


def test_the_generator_makes_the_committed_workbooks(tmp_path):
    assert_generator_makes_the_committed(qa5_fixtures.build(tmp_path))


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
