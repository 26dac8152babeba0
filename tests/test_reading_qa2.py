"""The second QA pass on unseen workbooks, each case on a golden workbook written and read back
(tests/fixtures/qa2_fixtures.py): who is and is not on `due`, and what `check` says with the cell."""

from __future__ import annotations

import json

import pytest

from tests.fixtures import qa2_fixtures
from tests.fixtures.qa2_fixtures import BDAY
from tests.golden import assert_generator_makes_the_committed, assert_mapping_and_due
from tests.test_reading_shapes import AS_OF, check_rows, due_rows, run

QA2 = sorted(qa2_fixtures.SHAPES)


def test_the_generator_makes_the_committed_workbooks(tmp_path):
    assert_generator_makes_the_committed(qa2_fixtures.build(tmp_path))


@pytest.mark.parametrize("name", QA2)
def test_columns_and_due_give_the_expected_mapping_and_list(shape, name):
    assert_mapping_and_due(shape(name), name)


# ---- 1. an account status column -----------------------------------------------------------------


def test_a_blacklisted_closed_or_frozen_status_is_not_called(shape):
    paths = shape("qa2_status_zh")
    listed = {r["customer_id"] for r in due_rows(paths)}
    assert listed == {"S01", "S06", "S08", "S10"}  # 正常 有效 活跃 普通
    left = {r["customer_id"]: r["left_out"] for r in due_rows(paths, "--explain") if r.get("left_out")}
    assert left["S02"] == "状态 is '已拉黑' (会员!H3, read as do not contact)"
    assert left["S05"] == "状态 is '冻结' (会员!H6, read as do not contact)"
    assert "not clear" in left["S09"] and "H10" in left["S09"]  # 待定: not understood, the cell named
    result, rows = check_rows(paths)
    said = {r["cell"]: r for r in rows if r["code"] in ("status-blocked", "unclear-consent")}
    assert {c: r["value"] for c, r in said.items()} == {
        "H3": "已拉黑",
        "H5": "已注销",
        "H6": "冻结",
        "H8": "停用",
        "H10": "待定",
    }
    assert said["H10"]["code"] == "unclear-consent" and "正常" in said["H10"]["message"]
    assert all(r["severity"] == "warning" for r in said.values())
    zh = run("check", *paths, "--as-of", AS_OF, "--lang", "zh", lang="zh")
    assert "状态为“已拉黑”：按拒绝联系处理（所有方式）" in zh.output
    mapping = {r["header"]: r["field"] for r in json.loads(run("columns", *paths, "--format", "json").stdout)}
    assert mapping["状态"].startswith("account_status")


def test_an_active_contact_status_is_fine_and_email_subscription_is_consent(shape):
    paths = shape("qa2_status_en")
    listed = {(r["customer_id"], r["channel"]) for r in due_rows(paths)}
    assert {c for c, _ in listed} == {"E1", "E2", "E7"}  # Active / Inactive say nothing
    result, rows = check_rows(paths)
    assert not any(r["value"] in ("Active", "Inactive") for r in rows)
    blocked = {r["cell"]: r["value"] for r in rows if r["code"] == "status-blocked"}
    assert blocked == {"G4": "Blocked", "G6": "Do not contact", "G7": "Closed"}
    mapping = {r["header"]: r for r in json.loads(run("columns", *paths, "--format", "json", "--lang", "en").stdout)}
    assert mapping["Email Subscription"]["field"].startswith("contact_ok")
    assert mapping["Email Subscription"]["note"] == "channels: email"
    assert not any("Email Subscription" in r["message"] and "email" in r["message"].split("=")[-1] for r in rows)


@pytest.mark.parametrize(
    "value, said",
    [
        ("已拉黑", "refuse"),
        ("黑名单", "refuse"),
        ("已註銷", "refuse"),  # traditional
        ("账户冻结", "refuse"),
        ("blacklisted", "refuse"),
        ("Account Closed", "refuse"),
        ("正常", "fine"),
        ("Active", "fine"),
        ("普通", "fine"),
        ("VIP", "fine"),
        ("待审核", None),
        ("xyz", None),
    ],
)
def test_status_words(value, said):
    from followup_cli.archive.consent import status_word

    assert status_word(value) == said


# ---- 2. refusals written as sentences -------------------------------------------------------------


def test_refusals_in_sentences_are_read_in_both_languages(shape):
    paths = shape("qa2_refusal_sentences")
    listed = {r["customer_id"] for r in due_rows(paths)}
    texts = qa2_fixtures.REFUSAL_SENTENCES
    expected = {f"N{k:02d}" for k, (_, refused) in enumerate(texts, 1) if not refused}
    assert listed == expected
    result, rows = check_rows(paths)
    warned = {r["value"] for r in rows if r["code"] == "refusal-in-text"}
    assert warned == {t for t, refused in texts if refused}


@pytest.mark.parametrize(
    "text, channels",
    [
        ("不要再打电话了", frozenset({"phone"})),
        ("别再打了", frozenset({"phone"})),
        ("不要总是打来", frozenset({"phone"})),
        ("客户说别再发短信了", frozenset({"sms"})),
        ("不想被打扰", None),
        ("以后别联系了", None),
        ("拒绝推销", None),
        ("客户投诉过骚扰", None),
        ("不需要回访", None),
        ("Customer asked us to stop calling", frozenset({"phone"})),
        ("Stop texting me", frozenset({"sms"})),
        ("no more calls", frozenset({"phone"})),
        ("remove from list", None),
        ("please remove me from your list", None),
        ("asked not to be called", frozenset({"phone"})),
        ("He does not want to be contacted", None),
    ],
)
def test_refusal_sentences_name_their_channel(text, channels):
    from followup_cli.archive.refusals import refusal

    hit = refusal(text)
    assert hit is not None and hit[1] == channels


@pytest.mark.parametrize(
    "text",
    [
        "客户说不要紧",
        "不要紧，可以打",
        "不要打折",
        "下次不要打太早",
        "别忘了联系她",
        "老客户不用打折",
        "no problem calling",
        "ok to call",
        "call after 6pm",
        "no more than 2 calls a month",
        "stop by the store",
        "removed the old address",
    ],
)
def test_sentences_that_refuse_nothing(text):
    from followup_cli.archive.refusals import refusal

    assert refusal(text) is None


# ---- 3. a staff sheet saying who left; the salon's own words ---------------------------------------


def test_a_staff_status_of_left_unassigns_and_says_the_date_is_unknown(shape):
    paths = shape("qa2_salon_staff")
    staff = {r["customer_name"]: r["staff"] for r in due_rows(paths)}
    assert staff == {"王丽": "小芳", "张敏": None, "李娜": None, "赵燕": "小丽"}  # 小美 离职; 小丽 试用期 is employed
    result, rows = check_rows(paths)
    left = {r["cell"]: r["message"] for r in rows if r["code"] == "owner-left"}
    assert set(left) == {"E3", "E4"} and all("date unknown" in m for m in left.values())
    assert not any("入职日期" in r["message"] for r in rows)  # a hire date is never offered as the leaving date
    assert not any(r["code"] == "owner-left" and r["value"] == "小丽" for r in rows)
    zh = run("check", *paths, "--as-of", AS_OF, "--lang", "zh", lang="zh")
    assert "负责人“小美”已离职（员工表写明离职，离职日期不详）" in zh.output
    plan = run("assign", *paths, "--as-of", AS_OF, "--dry-run", "--lang", "zh", lang="zh")
    assert plan.exit_code == 0, plan.output
    assert "已离职（离职日期不详）" in plan.output and "小美（已离职）" in plan.output
    mapping = {r["header"]: r for r in json.loads(run("columns", *paths, "--format", "json", "--lang", "en").stdout)}
    assert mapping["美容师"]["field"].startswith("owner")
    assert mapping["服务项目"]["field"].startswith("product")
    assert mapping["在职状态"]["field"].startswith("active")
    assert mapping["入职日期"]["field"].startswith("joined_on")


def test_the_salon_purchase_shows_its_service_as_the_product(shape):
    paths = shape("qa2_salon_staff")
    result = run("history", *paths, "王丽", "--lang", "zh", lang="zh")
    assert result.exit_code == 0, result.output
    assert "面部护理" in result.output


def test_english_staff_status_left_or_inactive_and_a_leaving_date(shape):
    paths = shape("qa2_staff_en")
    staff = {r["customer_id"]: r["staff"] for r in due_rows(paths)}
    assert staff == {"C1": "Sam", "C2": None, "C3": None, "C4": "Max"}
    result, rows = check_rows(paths)
    left = {r["value"]: r["message"] for r in rows if r["code"] == "owner-left"}
    assert "(date unknown)" in left["Lee"] and "(left on 2026-06-30)" in left["Kim"]
    assert not any("Hire date" in r["message"] for r in rows)
    plan = run("assign", *paths, "--as-of", AS_OF, "--dry-run", "--lang", "en")
    assert "left (date unknown)" in plan.output and "left (2026-06-30)" in plan.output


# ---- 7. bilingual headers; rows above the header; a sheet that cannot be read ------------------------


@pytest.mark.parametrize("form", sorted(qa2_fixtures.BILINGUAL))
def test_bilingual_headers_are_read_whatever_separates_the_languages(shape, form):
    paths = shape(f"qa2_bilingual_{form}")
    mapping = json.loads(run("columns", *paths, "--format", "json", "--lang", "en").stdout)
    fields = {(r["role"], r["field"].split(" ")[0]) for r in mapping if r["header"]}
    assert {f for r, f in fields if r == "customers"} == {
        "id",
        "phone",
        "nickname",
        "birthday",
        "tier",
        "points",
        "tags",
    }
    assert {f for r, f in fields if r == "purchases"} == {
        "order_id",
        "customer_id",
        "date",
        "amount",
        "product",
        "new_season",
    }
    listed = {r["customer_id"]: r["customer_name"] for r in due_rows(paths)}
    assert listed == {"YZ001": "小王", "YZ002": "Lily", "YZ003": "阿强", "YZ004": ""}  # rows 3-6, none lost
    result, rows = check_rows(paths)
    assert {r["code"] for r in rows if r["severity"] == "error"} == set()
    said = [r for r in rows if r["code"] == "name-from-nickname"]
    assert len(said) == 1 and said[0]["cell"] == "C2" and "name from" in said[0]["message"]
    zh = run("check", *paths, "--as-of", AS_OF, "--lang", "zh", lang="zh")
    assert "没有姓名列：姓名取自“" in zh.output


@pytest.mark.parametrize(
    "header, field",
    [
        ("会员卡号 Card No", "id"),
        ("手机号\nMobile", "phone"),
        ("Mobile 手机号", "phone"),
        ("手机号/Mobile", "phone"),
        ("会员等级 (Level)", "tier"),
        ("积分 Whatever", "points"),  # one part unknown: the other decides
        ("生日 Phone", None),  # the parts name two fields: no guess
        ("VIP会员", None),  # scripts run together: one word, not two parts
    ],
)
def test_a_bilingual_header_takes_the_field_both_parts_agree_on(header, field):
    from followup_cli.archive.schema import header_index

    found = header_index("customers").match(header)
    assert (found.field if found else None) == field


def test_rows_above_the_header_that_hold_data_are_named(shape):
    paths = shape("qa2_rows_above")
    assert {r["customer_id"] for r in due_rows(paths)} == {"C1", "C2"}
    result, rows = check_rows(paths)
    above = [r for r in rows if r["code"] == "rows-above-header"]
    assert len(above) == 1 and above[0]["cell"] == "A2" and "row(s) 2-3" in above[0]["message"]
    assert above[0]["severity"] == "warning"


def test_columns_names_a_sheet_it_cannot_read_and_exits_1(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "会员列表"
    ws.append(["Foo 甲", "Bar 乙"])
    ws.append(["x", "y"])
    wb.save(tmp_path / "nohdr.xlsx")
    result = run("columns", tmp_path / "nohdr.xlsx", "--format", "json", "--lang", "en")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert rows[0]["sheet"] == "会员列表" and rows[0]["how"] == "cannot be read"
    assert "no header row found" in rows[0]["note"]
    assert "nohdr.xlsx 会员列表!A1" in result.output


def test_shopify_customer_state_is_not_an_account_status(tmp_path):
    """Shopify's Customer State (enabled / disabled / invited) is about an online account: most
    customers are 'disabled', and that must not keep them from being called."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Customers"
    ws.append(["Customer ID", "Name", "Phone", "Birthday", "Customer State"])
    ws.append(["S1", "Ann", "13800000401", BDAY, "disabled"])
    ws.append(["S2", "Bob", "13800000402", BDAY, "enabled"])
    wb.save(tmp_path / "shopify.xlsx")
    paths = [tmp_path / "shopify.xlsx"]
    assert {r["customer_id"] for r in due_rows(paths)} == {"S1", "S2"}
    mapping = {r["header"]: r for r in json.loads(run("columns", *paths, "--format", "json", "--lang", "en").stdout)}
    assert mapping["Customer State"]["field"] == ""
