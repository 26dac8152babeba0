"""Golden workbooks, one per shape (tests/fixtures/reading, made by tests/fixtures/make_fixtures.py):
`columns`, `check` and `due` on each, against the mapping and due list kept beside it; and the
cases issue 11 names, one test each, on those workbooks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_cli.cli import cli
from tests.fixtures import make_fixtures

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reading"
AS_OF = make_fixtures.AS_OF
SHAPES = sorted([*make_fixtures.SHAPES, "several_files"])


def files_of(name: str) -> list[str]:
    if name == "several_files":
        return ["several_files_customers.xlsx", "several_files_sales.xlsx"]
    return [f"{name}.xlsx"]


@pytest.fixture()
def shape(tmp_path):
    """A shape's workbook(s) copied alone into a fresh folder (no followup.toml around)."""

    def copy(name: str) -> list[Path]:
        out = []
        for f in files_of(name):
            shutil.copy(FIXTURES / f, tmp_path / f)
            out.append(tmp_path / f)
        return out

    return copy


def run(*args, lang="en"):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"FOLLOWUP_LANG": lang})


def check_rows(paths, *extra):
    result = run("check", *paths, "--as-of", AS_OF, "--format", "json", "--lang", "en", *extra)
    assert result.exit_code in (0, 1), result.output
    return result, json.loads(result.stdout)


def due_rows(paths, *extra):
    result = run("due", *paths, "--as-of", AS_OF, "--format", "json", "--lang", "en", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def by_customer(rows) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in rows:
        out.setdefault(r["customer_id"], set()).add(r["kind"])
    return out


# ---- the golden files ----------------------------------------------------------------------------


def test_the_generator_makes_the_committed_workbooks(tmp_path):
    """make_fixtures.py is the source of the .xlsx files: same sheets, same cells."""
    from python_calamine import CalamineWorkbook

    built = make_fixtures.build(tmp_path)
    for name, paths in built.items():
        for p in paths:
            ours, committed = CalamineWorkbook.from_path(str(p)), CalamineWorkbook.from_path(str(FIXTURES / p.name))
            assert ours.sheet_names == committed.sheet_names, p.name
            for sheet in ours.sheet_names:
                assert ours.get_sheet_by_name(sheet).to_python() == committed.get_sheet_by_name(sheet).to_python()


@pytest.mark.parametrize("name", SHAPES)
def test_columns_gives_the_expected_mapping(shape, name):
    paths = shape(name)
    result = run("columns", *paths, "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.output
    expected = json.loads((FIXTURES / f"{name}.mapping.json").read_text(encoding="utf-8"))
    assert json.loads(result.stdout) == expected


@pytest.mark.parametrize("name", SHAPES)
def test_due_gives_the_expected_list(shape, name):
    paths = shape(name)
    keep = ("customer_id", "customer_name", "kind", "rule", "due_date", "status", "channel")
    got = [{k: r[k] for k in keep} for r in due_rows(paths)]
    assert got == json.loads((FIXTURES / f"{name}.due.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", SHAPES)
def test_check_never_says_all_clear_when_something_was_not_read(shape, name):
    paths = shape(name)
    result, rows = check_rows(paths)
    unread = [r for r in rows if r["code"] in ("unused-sheet", "rule-cannot-run", "unused-column")]
    if unread:
        assert "0 error(s), 0 warning(s)" not in result.stderr
        assert all(r["severity"] == "warning" for r in unread)


# ---- the cases ---------------------------------------------------------------------------


def test_a_pos_member_export_is_read_with_its_purchases_codes_and_lunar_birthdays(shape):
    paths = shape("pos_member_export")
    result, rows = check_rows(paths)
    assert "purchases 3" in result.stderr  # 消费流水 read, its 合计 row passed over and said so
    assert any(r["code"] == "totals-row" and r["sheet"] == "消费流水" for r in rows)
    notes = {r["cell"]: r["message"] for r in rows if r["code"] == "column-note"}
    assert "0 女 / 1 男 / 2 保密" in notes["C2"] and "0 农历 / 1 公历" in notes["F2"]
    due = by_customer(due_rows(paths))
    assert {"birthday", "product_use"} <= due["VIP0001"]  # 会员生日 + 是否\n当季新品 read
    assert "birthday" in due["VIP0002"]  # 生日类型 0: 1988-10-15 is 农历十月十五 = 2026-11-23


@pytest.mark.parametrize(
    "customer, header, value", [("C2", "是否接受回访", "否"), ("C4", "回访意愿", "勿扰"), ("C5", "是否拒绝回访", "是")]
)
def test_a_refusal_in_any_polarity_keeps_the_customer_off_the_list(shape, customer, header, value):
    paths = shape("consent_polarity")
    listed = by_customer(due_rows(paths))
    assert customer not in listed, f"{header} = {value}"
    left = [r for r in due_rows(paths, "--explain") if r["customer_id"] == customer]
    assert left and all(r.get("left_out") for r in left)


def test_an_sms_only_opt_out_stops_the_sms_and_not_the_call(shape):
    paths = shape("consent_polarity")
    listed = due_rows(paths)
    c3 = {(r["kind"], r["channel"]) for r in listed if r["customer_id"] == "C3"}  # 接受短信 = 否
    assert ("birthday", "phone") in c3
    assert not any(ch == "sms" for _, ch in c3)
    c1 = {(r["kind"], r["channel"]) for r in listed if r["customer_id"] == "C1"}
    assert ("points", "sms") in c1  # the same SMS rule for someone who accepts SMS


def test_when_unsure_the_customer_is_not_called_and_check_says_why(shape):
    paths = shape("consent_polarity")
    assert "C6" not in by_customer(due_rows(paths))
    _, rows = check_rows(paths)
    unclear = [r for r in rows if r["code"] == "unclear-consent"]
    assert [(r["cell"], r["value"]) for r in unclear] == [("F7", "看情况")]
    assert "not called" in unclear[0]["message"]


def test_english_export_first_last_names_accepts_marketing_and_do_not_call(shape):
    paths = shape("shopify_english")
    listed = due_rows(paths)
    names = {r["customer_name"] for r in listed}
    assert names == {"Amy Chen"}  # Bob: Accepts Marketing = no; Cara: Do Not Call = TRUE (phone)
    assert all(r["customer_id"] == "13800000021" for r in listed)  # no id column: the phone is the key
    _, rows = check_rows(paths)
    assert not any(r["code"] in ("missing-customer", "unknown-customer") for r in rows)  # orders by Email


def test_traditional_character_headers_and_sheet_names(shape):
    paths = shape("traditional_headers")
    result, rows = check_rows(paths)
    assert not any(r["code"] == "no-customers" for r in rows)
    assert by_customer(due_rows(paths)) == {"T1": {"birthday"}, "T2": {"product_use"}}


def test_title_grouped_header_merged_cells_totals_and_footer(shape):
    paths = shape("grouped_header")
    mapping = json.loads(run("columns", *paths, "--format", "json", "--lang", "en").stdout)
    used = {r["header"]: r["field"] for r in mapping if r["field"]}
    assert used["客户编号"].startswith("id") and used["手机\n号码"].startswith("phone")
    assert all(r["header_row"] == 3 for r in mapping)
    _, rows = check_rows(paths)
    assert [r["message"] for r in rows if r["code"] == "totals-row"] == [
        "2 totals/footer row(s) passed over, not read as data (row 6, 7)"
    ]
    assert by_customer(due_rows(paths)) == {"G1": {"birthday"}}


def test_one_member_sheet_per_store_merged_with_the_store_from_the_sheet_name(shape):
    from followup_cli.archive.reading import load_archive

    paths = shape("per_store_sheets")
    arch = load_archive(paths)
    assert [(c.id, c.store) for c in arch.customers] == [("S1", "一店"), ("S2", "二店"), ("S3", "二店")]
    assert by_customer(due_rows(paths, "--store", "二店")) == {"S2": {"birthday"}, "S3": {"product_use"}}


def test_several_files_make_one_archive(shape):
    assert by_customer(due_rows(shape("several_files"))) == {"F1": {"product_use"}}


def test_phone_keyed_members_with_purchases_by_phone_and_visits_by_name(shape):
    paths = shape("phone_keyed")
    listed = by_customer(due_rows(paths))
    assert listed == {"13800000061": {"birthday"}, "13800000063": {"product_use"}}  # 冯巩's greeted by name
    _, rows = check_rows(paths)
    codes = {r["code"] for r in rows}
    assert {"phone-as-id", "linked-by-name"} <= codes


def test_a_hand_kept_visit_book_closes_tasks_by_name_phone_and_text(shape):
    paths = shape("visit_book")
    listed = by_customer(due_rows(paths))
    assert "H1" not in listed  # 客户 = 许晴, 回访内容 = 生日祝福… closed the birthday
    assert "product_use" not in listed.get("H3", set())  # 电话 only, 新品回访… closed the product call
    assert listed["H2"] == {"birthday"}


def test_a_duplicated_customer_id_is_an_error_naming_both_rows(shape):
    result, rows = check_rows(shape("duplicate_ids"))
    assert result.exit_code == 1
    dup = [r for r in rows if r["code"] == "duplicate-id"]
    assert [(r["cell"], r["value"]) for r in dup] == [("A3", "D1")]
    assert "客户档案!A2" in dup[0]["message"]


def test_staff_capacity_headed_as_ability_and_owner_as_exclusive_guide(shape):
    from followup_cli.archive.reading import load_archive

    arch = load_archive(shape("staff_capacity"))
    assert [(s.name, s.capacity, s.active) for s in arch.staff] == [("林晓雯", 2.0, True), ("周杰", 1.0, True)]
    assert arch.customers[0].owner == "林晓雯"


def test_what_was_not_understood_is_named(shape):
    paths = shape("not_understood")
    result, rows = check_rows(paths)
    by_code = {}
    for r in rows:
        by_code.setdefault(r["code"], []).append(r)
    assert [r["sheet"] for r in by_code["unused-sheet"]] == ["月度统计"]
    rules = " | ".join(r["message"] for r in by_code["rule-cannot-run"])
    assert "'birthday greeting' cannot run: no birthday column found" in rules
    assert "'product-use check-in' cannot run: no new season column found" in rules
    assert "1 sheet(s) not read" in result.stderr and "0 warning(s)" not in result.stderr
