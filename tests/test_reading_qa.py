"""Shapes QA found read wrong after issue 11, each on a golden workbook (tests/fixtures/qa_fixtures.py):
the mapping and due list kept beside it, and the case itself."""

from __future__ import annotations

import json

import pytest

from tests.fixtures import qa_fixtures
from tests.golden import assert_generator_makes_the_committed, assert_mapping_and_due
from tests.test_reading_shapes import AS_OF, by_customer, check_rows, due_rows, run

QA = sorted(qa_fixtures.SHAPES)


def test_the_generator_makes_the_committed_workbooks(tmp_path):
    assert_generator_makes_the_committed(qa_fixtures.build(tmp_path))


@pytest.mark.parametrize("name", QA)
def test_columns_and_due_give_the_expected_mapping_and_list(shape, name):
    assert_mapping_and_due(shape(name), name)


# ---- 1. a refusal in the words of a tags or notes cell ----------------------------------------------


def test_a_refusal_in_tags_or_notes_keeps_the_customer_off_the_list(shape):
    paths = shape("qa_refusal_in_words")
    listed = {(r["customer_id"], r["channel"]) for r in due_rows(paths)}
    assert ("W1", "phone") in listed and ("W1", "sms") in listed  # notes that refuse nothing
    assert not any(c in ("W2", "W3", "W6") for c, _ in listed)  # 标签 勿扰; 备注 勿扰+不要打电话; 黑名单/拒接
    assert ("W4", "phone") in listed and ("W4", "sms") not in listed  # 不要发短信: SMS only
    assert ("W5", "sms") in listed and ("W5", "phone") not in listed  # do not call: the phone only


def test_the_refusal_is_said_in_due_explain_and_check(shape):
    paths = shape("qa_refusal_in_words")
    left = {r["customer_id"]: r["left_out"] for r in due_rows(paths, "--explain") if r.get("left_out")}
    assert left["W3"] == "备注 says '勿扰、不要打电话' (read as do not contact)"
    assert left["W2"] == "标签 says '勿扰' (read as do not contact)"
    result, rows = check_rows(paths)
    said = {(r["cell"], r["value"]): r for r in rows if r["code"] == "refusal-in-text"}
    assert set(said) == {
        ("G3", "勿扰"),
        ("H4", "客户要求勿扰，不要打电话"),
        ("H5", "不要发短信"),
        ("G6", "VIP, do not call"),
        ("G7", "黑名单"),
        ("H7", "拒接"),
    }
    assert all(r["severity"] == "warning" for r in said.values())
    assert "(SMS)" in said[("H5", "不要发短信")]["message"]  # the channel by its label, in either language
    zh = run("check", *paths, "--as-of", AS_OF, "--lang", "zh", lang="zh")
    assert "备注写着“勿扰、不要打电话”" in zh.output


@pytest.mark.parametrize(
    "text, expected",
    [
        ("客戶要求勿擾", None),
        ("免打扰", None),
        ("別打電話", frozenset({"phone"})),
        ("DNC", frozenset({"phone"})),
        ("Do-Not-Call", frozenset({"phone"})),
        ("don't call", frozenset({"phone"})),
        ("unsubscribed", None),
        ("不勿扰", None),
        ("No SMS please", frozenset({"sms"})),
        ("不要发短信，不要打电话", frozenset({"phone", "sms"})),
    ],
)
def test_refusal_phrases_are_matched_on_normalised_text(text, expected):
    from followup_cli.archive.refusals import refusal

    hit = refusal(text)
    assert hit is not None and hit[1] == expected


@pytest.mark.parametrize("text", ["老客", "VIP", "客户很满意", "dance class", "Vancouver", "no", "喜欢打电话聊新品"])
def test_words_that_refuse_nothing_are_not_a_refusal(text):
    from followup_cli.archive.refusals import refusal

    assert refusal(text) is None


# ---- 2. a channel and OK is consent for that channel ------------------------------------------------


def test_sms_ok_and_phone_ok_are_consent_for_their_channel(shape):
    paths = shape("qa_channel_ok")
    listed = {(r["customer_id"], r["channel"]) for r in due_rows(paths)}
    assert ("E2", "phone") in listed and ("E2", "sms") not in listed  # SMS OK = no
    assert ("E3", "sms") in listed and ("E3", "phone") not in listed  # Phone OK = no
    assert {("E1", "phone"), ("E1", "sms")} <= listed
    # 短信许可 = 否 and 可接受短信 = 否, two consent columns for SMS: a refusal in either stops the SMS
    assert ("Z1", "sms") in listed and ("Z2", "sms") not in listed and ("Z3", "sms") not in listed
    assert {("Z2", "phone"), ("Z3", "phone")} <= listed
    mapping = json.loads(run("columns", *paths, "--format", "json", "--lang", "en").stdout)
    fields = {r["header"]: (r["field"], r["note"]) for r in mapping}
    assert fields["Phone OK"] == ("contact_ok (接受回访)", "channels: phone")
    assert fields["短信许可"] == ("contact_ok (接受回访)", "channels: sms")


@pytest.mark.parametrize(
    "header, field",
    [
        ("SMS OK", "contact_ok"),
        ("Email OK", "contact_ok"),
        ("OK to call", "contact_ok"),
        ("短信许可", "contact_ok"),
        ("可接受短信", "contact_ok"),
        ("Phonebook", None),
        ("Facebook", None),
        ("OK", None),
        ("电话", None),
    ],
)
def test_a_channel_with_ok_or_allowed_is_a_consent_header(header, field):
    from followup_cli.archive.headers import consent_field, split_header

    assert consent_field(split_header(header)[0]) == field


# ---- 3. a customer sheet's next follow-up date -------------------------------------------------------


def test_a_crm_next_follow_up_date_becomes_a_task_on_that_day(shape):
    paths = shape("qa_crm_next_follow_up")
    listed = {r["customer_id"]: r for r in due_rows(paths)}
    assert set(listed) == {"13600000001", "13600000003"}  # 11-23 today, 11-21 still in its window
    assert listed["13600000001"]["due_date"] == "2026-11-23" and listed["13600000001"]["kind"] == "periodic"
    assert "下次跟进时间: 2026-11-23" in listed["13600000001"]["reason"]
    later = {r["customer_id"]: r["due_date"] for r in due_rows(paths, "--ahead", "20")}
    assert later["13600000002"] == "2026-12-10" and "13600000004" not in later


def test_check_warns_when_a_next_follow_up_column_is_not_used(shape):
    paths = shape("qa_crm_next_follow_up")
    _, rows = check_rows(paths)
    unused = [(r["sheet"], r["cell"], r["severity"]) for r in rows if r["code"] == "unused-next-follow-up"]
    assert unused == [("订单", "D1", "warning")]
    assert not any(r["code"] == "unused-columns" and "下次跟进时间" in r["message"] for r in rows)


# ---- 4. date-times with a UTC offset; the tier from the tags -----------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-11-18 12:00:00 -0500", "2026-11-18 12:00"),
        ("2026-11-16 23:30:00 -0800", "2026-11-16 23:30"),
        ("2026-11-18T23:30:00+08:00", "2026-11-18 23:30"),
        ("2026-11-18T12:00:00Z", "2026-11-18 12:00"),
        ("2026-11-18 12:00 UTC", "2026-11-18 12:00"),
        ("2026-11-18 12:00:00 -05:00", "2026-11-18 12:00"),
    ],
)
def test_a_date_time_with_a_utc_offset_keeps_the_local_date_as_written(text, expected):
    from followup_cli.archive.cells import parse_datetime

    r = parse_datetime(text)
    assert r.problem is None and f"{r.value:%Y-%m-%d %H:%M}" == expected


def test_shopify_offsets_are_dates_and_tags_give_the_tier(shape):
    from followup_cli.archive.reading import load_archive

    paths = shape("qa_shopify_offsets")
    result, rows = check_rows(paths)
    assert not any(r["severity"] == "error" for r in rows), [r["message"] for r in rows if r["severity"] == "error"]
    arch = load_archive(paths)
    assert [str(p.date) for p in arch.purchases] == ["2026-11-16", "2026-11-16", "2026-08-01"]  # local, not UTC
    assert [c.tier for c in arch.customers] == ["VIP", None, None]  # "VIP, newsletter"; "wholesale" is no tier
    mapping = json.loads(run("columns", *paths, "--format", "json", "--lang", "en").stdout)
    assert any(r["field"] == "tier (会员等级)" and r["how"] == "from tags" for r in mapping)
    assert [r["cell"] for r in rows if r["code"] == "tier-from-tags"] == ["F1"]
    assert by_customer(due_rows(paths)) == {"13800000301": {"product_use"}}  # bought 11-16 local time


# ---- 5. merged group headers: the customers' id header links, values decide the tier, footers skip ------


def test_a_sheet_headed_like_the_customers_id_links_by_it(shape):
    paths = shape("qa_merged_groups")
    result, rows = check_rows(paths)
    assert result.exit_code == 0 and not any(r["severity"] == "error" for r in rows)
    mapping = json.loads(run("columns", *paths, "--format", "json", "--lang", "en").stdout)
    ref = next(r for r in mapping if r["sheet"] == "消费" and r["header"] == "编号")
    assert ref["field"] == "customer_id (客户编号)" and "customer sheet (会员档案)" in ref["note"]
    tier = next(r for r in mapping if r["sheet"] == "会员档案" and r["header"] == "等级")
    assert tier["field"] == "tier (会员等级)" and tier["how"] == "values"
    listed = by_customer(due_rows(paths))
    assert listed == {"M01": {"birthday"}, "M03": {"product_use"}}  # M02 refused (是否接受回访 = 否)


def test_a_footer_line_under_the_data_is_not_a_customer(shape):
    from followup_cli.archive.reading import load_archive

    paths = shape("qa_merged_groups")
    assert [c.id for c in load_archive(paths).customers] == ["M01", "M02", "M03"]
    _, rows = check_rows(paths)
    assert [r["message"] for r in rows if r["code"] == "totals-row"] == [
        "1 totals/footer row(s) passed over, not read as data (row 8)"
    ]
    assert not any(r["cell"] == "B8" for r in rows)  # no "name is empty" for the 填表人 line


@pytest.mark.parametrize(
    "line, footer",
    [
        (["填表人：店长"], True),
        (["制表：王五", None, None], True),
        (["审核: 李"], True),
        (["备注：以上为11月数据"], True),
        (["Prepared by Ann"], True),
        (["M04"], False),
        (["M05", "张三"], False),
        (["张三"], False),
    ],
)
def test_footer_lines_are_told_from_records(line, footer):
    from followup_cli.archive.totals import _total_or_footer

    assert (_total_or_footer(line, 0) == "footer") is footer


# ---- 6. codes and words in one column ----------------------------------------------------------------


def test_a_column_mixing_codes_and_words_is_read_cell_by_cell(shape):
    from followup_cli.archive.reading import load_archive

    paths = shape("qa_codes_mixed")
    arch = load_archive(paths)
    assert [c.gender for c in arch.customers] == ["女", "男", "女", "男", "保密"]
    assert by_customer(due_rows(paths)) == {"L1": {"birthday"}, "L3": {"birthday"}, "L4": {"birthday"}}
    _, rows = check_rows(paths)
    note = next(r["message"] for r in rows if r["code"] == "column-note" and r["cell"] == "D1")
    assert "each cell decides" in note and "0 农历 / 1 公历" in note


def test_a_notes_column_read_only_for_refusals_is_said_so(shape):
    paths = shape("qa_refusal_in_words")
    mapping = json.loads(run("columns", *paths, "--format", "json", "--lang", "en").stdout)
    note = next(r for r in mapping if r["header"] == "备注")
    assert note["field"] == "" and note["note"] == "read only for a refusal in words (勿扰, do not call ...)"
    _, rows = check_rows(paths)
    assert [r["message"] for r in rows if r["code"] == "refusal-scan-columns"] == [
        "备注（H）: not read as a field, only for a refusal in words (勿扰, do not call ...)"
    ]
    assert not any(r["code"] == "unused-columns" and "备注" in r["message"] for r in rows)
