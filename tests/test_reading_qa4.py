"""The fourth QA pass, on files shaped like real shops' exports and hand-kept sheets
(tests/fixtures/qa4_fixtures.py), each case on a golden workbook written and read back: who is and
is not on `due`, and what `check` says with the cell."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from tests.fixtures import qa4_fixtures
from tests.fixtures.qa4_fixtures import ID_CARDS
from tests.golden import assert_generator_makes_the_committed, assert_mapping_and_due
from tests.test_reading_shapes import FIXTURES, check_rows, due_rows

QA4 = sorted(qa4_fixtures.SHAPES)
D = dt.date


def test_the_generator_makes_the_committed_workbooks(tmp_path):
    built = qa4_fixtures.build(tmp_path)
    assert_generator_makes_the_committed({k: v for k, v in built.items() if k in qa4_fixtures.SHAPES})
    for name in qa4_fixtures.FILES:
        for p in built[name]:
            assert p.read_bytes() == (FIXTURES / p.name).read_bytes(), p.name


@pytest.mark.parametrize("name", QA4)
def test_columns_and_due_give_the_expected_mapping_and_list(shape, name):
    assert_mapping_and_due(shape(name), name)


@pytest.mark.parametrize("name", sorted(qa4_fixtures.FILES))
def test_the_exports_give_the_expected_mapping_and_list(tmp_path, name):
    assert_mapping_and_due(_files(tmp_path, name), name)


def _files(tmp_path, name) -> list[Path]:
    out = []
    for p in qa4_fixtures.FILES[name](FIXTURES):
        shutil.copy(p, tmp_path / p.name)
        out.append(tmp_path / p.name)
    return out


def _said(rows, code):
    return {f"{r['sheet']}!{r['cell']}": r for r in rows if r["code"] == code}


# ---- 1. formulas saved without their value, Excel error cells: never read as empty unsaid -----------


def test_formulas_without_a_saved_value_are_named_per_column_with_their_cells(shape):
    _, rows = check_rows(shape("qa4_formulas"))
    said = _said(rows, "formula-without-value")
    assert sorted(said) == sorted(["消费记录!B1", "消费记录!C1", "消费记录!E1", "客户档案!D1", "客户档案!F1"])
    assert said["客户档案!D1"]["value"] == "=DATE(1990,11,21)"
    assert "2 cell(s)" in said["客户档案!D1"]["message"] and "D4, D5" in said["客户档案!D1"]["message"]
    assert all(r["severity"] == "warning" and "save it once" in r["message"] for r in said.values())
    # the empty purchase dates are still errors at their cells: the warning explains, it does not replace
    empty = {r["cell"] for r in rows if r["sheet"] == "消费记录" and r["severity"] == "error"}
    assert empty == {"B2", "B3", "B4", "B5"}


def test_a_formula_with_its_value_saved_is_read_and_not_named(tmp_path):
    """The same book after LibreOffice calculated and saved it: the values are read, nothing is said."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    src = qa4_fixtures.qa4_formulas(tmp_path / "src" / "qa4_formulas.xlsx")
    out = tmp_path / "saved"
    subprocess.run(
        [soffice, "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(src)],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    _, rows = check_rows([out / "qa4_formulas.xlsx"])
    assert not _said(rows, "formula-without-value")
    birthdays = {r["customer_id"] for r in due_rows([out / "qa4_formulas.xlsx"]) if r["kind"] == "birthday"}
    assert {"F03", "F04"} <= birthdays


def test_error_cells_are_named_with_the_error_and_the_cell(shape):
    _, rows = check_rows(shape("qa4_error_cells"))
    said = {k: (r["value"], r["message"]) for k, r in _said(rows, "error-cell").items()}
    assert sorted(said) == sorted(
        ["回访记录!A1", "回访记录!B1", "客户档案!A1", "客户档案!C1", "客户档案!D1", "客户档案!E1"]
    )
    assert said["客户档案!D1"][0] == "#VALUE!" and "D4" in said["客户档案!D1"][1]
    assert said["客户档案!C1"][0] == "#N/A" and "read as empty: C2" in said["客户档案!C1"][1]


def test_the_warnings_are_in_chinese_too(shape):
    import json

    from tests.test_reading_shapes import AS_OF, run

    result = run("check", *shape("qa4_error_cells"), "--as-of", AS_OF, "--format", "json", "--lang", "zh", lang="zh")
    said = [r["message"] for r in json.loads(result.stdout) if r["code"] == "error-cell"]
    assert said and all("Excel 错误值" in m and "按空白读取" in m for m in said)


@pytest.mark.parametrize(
    ("xml", "found"),
    [
        (b'<c r="B2" t="e"><v>#N/A</v></c>', {(1, 1): ("error", "#N/A")}),
        (b'<c r="B2" t = "e"><v>#N/A</v></c>', {(1, 1): ("error", "#N/A")}),  # calamine reads it as an error
        (b'<x:c r="B2" s="3" t="e"><x:v>#REF!</x:v></x:c>', {(1, 1): ("error", "#REF!")}),
        (b'<c r="C3"><f>A1*2</f><v></v></c>', {(2, 2): ("formula", "=A1*2")}),
        (b'<c r="C3" t="str"><f>A1&amp;"x"</f></c>', {(2, 2): ("formula", '=A1&"x"')}),
        (
            b'<c r="D3"><f t="shared" ref="D3:D4" si="0">A3</f></c><c r="D4"><f t="shared" si="0"/></c>',
            {(2, 3): ("formula", "=A3"), (3, 3): ("formula", "")},
        ),
        (b'<c r="C3"><f>A1*2</f><v>4</v></c>', {}),  # the value was saved
        (b'<c r="C3" t="e"><f>1/0</f><v>#DIV/0!</v></c>', {(2, 2): ("error", "#DIV/0!")}),
        (b'<c r="A1" t="s"><v>0</v></c>', {}),
    ],
)
def test_the_part_scan_finds_error_cells_and_formulas_without_a_value(tmp_path, xml, found):
    import zipfile

    from followup_cli.archive.unread_cells import scan

    p = tmp_path / "x.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row>" + xml + b"</row></sheetData></worksheet>"
        )
    assert scan(p, "xl/worksheets/sheet1.xml") == found


# ---- 2. a birthday as month and day columns, inside an ID number; an age is not one --------------------


def _birthdays(rows) -> dict[str, str]:
    return {r["customer_id"]: r["due_date"] for r in rows if r["kind"] == "birthday"}


def test_a_birthday_kept_as_month_and_day_columns_is_the_birthday(shape):
    paths = shape("qa4_birthday_parts")
    got = _birthdays(due_rows(paths))
    assert got == {f"B0{k}": f"2026-11-{17 + k}" for k in range(1, 7)}
    _, rows = check_rows(paths)
    bad = {r["cell"]: r["value"] for r in rows if r["code"] == "bad-birthday"}
    assert bad == {"D8": "13 / 5", "D9": "2 / 30"}
    assert [r["message"] for r in rows if r["code"] == "birthday-from-parts"] == [
        "no birthday column: the birthday from 生日月份 and 生日日 (without a year)"
    ]


def test_a_birth_day_column_beside_a_birth_month_is_the_day_not_a_date(shape):
    paths = shape("qa4_birth_month_day")
    assert _birthdays(due_rows(paths)) == {"M1": "2026-11-23", "M2": "2026-11-23"}


def test_an_age_is_named_as_not_enough_for_the_birthday_rule(shape):
    _, rows = check_rows(shape("qa4_age_only"))
    said = [r["message"] for r in rows if r["code"] == "rule-cannot-run" and "birthday" in r["message"]]
    assert len(said) == 1 and "年龄 (column D) is an age, not a birthday: no birthday is guessed from it" in said[0]
    assert not _birthdays(due_rows(shape("qa4_age_only")))


def test_the_birthday_from_an_id_card_number_is_stated_and_bad_numbers_named(shape):
    paths = shape("qa4_id_card")
    assert _birthdays(due_rows(paths)) == {
        "I01": "2026-11-23",
        "I02": "2026-11-20",
        "I03": "2026-11-21",
        "I05": "2026-11-22",
    }
    _, rows = check_rows(paths)
    guess = [r for r in rows if r["code"] == "birthday-from-id-card"]
    assert len(guess) == 1 and guess[0]["severity"] == "warning" and guess[0]["cell"] == "D1"
    bad = [r for r in rows if r["code"] == "bad-id-card"]
    assert sorted(r["cell"] for r in bad) == ["D5", "D7", "D8"]
    assert all(r["value"] is None for r in bad)  # an ID number is not repeated in a report


def test_a_birthday_column_wins_over_an_id_card_number(tmp_path):
    from tests.fixtures.make_fixtures import _book

    p = _book(
        tmp_path / "both.xlsx",
        {
            "客户档案": [
                ["客户编号", "姓名", "手机", "生日", "身份证号"],
                ["C1", "甲", "13700000001", D(1990, 5, 1), ID_CARDS[0]],
            ]
        },
    )
    assert not _birthdays(due_rows([p]))  # 5月1日, not the ID's 11月23日
    _, rows = check_rows([p])
    assert not [r for r in rows if r["code"] == "birthday-from-id-card"]


# ---- 3. phones as shops' files hold them ---------------------------------------------------------------


def test_phones_with_an_apostrophe_two_numbers_or_lost_digits(shape):
    paths = shape("qa4_phones")
    phones = {r["customer_id"]: r["phone"] for r in due_rows(paths)}
    assert phones == {
        "P01": "13812345601",
        "P02": "13812345602",
        "P03": "13812345603",
        "P04": "13812345604",
        "P05": "13812345605",
        "P06": "",
        "P07": "13812345607",
        "P08": "13812345608",
        "P09": "13812345609",
    }
    _, rows = check_rows(paths)
    said = {r["cell"]: r["message"] for r in rows if r["sheet"] == "客户档案" and r["code"] == "bad-phone"}
    assert sorted(said) == ["C5", "C7", "C8", "C9"]
    assert "the first (13812345604) is used, the other (13912345604) is not" in said["C5"]
    assert "scientific notation: the number's last digits are lost" in said["C7"]


# ---- 4. exports: Youzan's 客户手机号 / 客户积分, Shopify's two phone columns ----------------------------------


def test_a_youzan_export_is_read_keyed_by_phone(tmp_path):
    paths = _files(tmp_path, "qa4_youzan")
    _, rows = check_rows(paths)
    assert not [r for r in rows if r["severity"] == "error"]
    points = {r["customer_id"] for r in due_rows(paths) if r["kind"] == "points"}
    assert points == {"13800000001", "13800000003"}
    # 客户姓名 empty for an anonymous member: the 客户昵称 is the name, said; no "姓名 is empty"
    [said] = [r for r in rows if r["code"] == "name-from-nickname-rows"]
    assert said["message"] == "1 row(s) with an empty 客户姓名: the name from 客户昵称 (row 3)"
    assert not [r for r in rows if r["code"] == "missing-name"]
    from tests.test_reading_shapes import AS_OF, run

    zh = json.loads(run("check", *paths, "--as-of", AS_OF, "--format", "json", "--lang", "zh", lang="zh").stdout)
    assert [r["message"] for r in zh if r["code"] == "duplicate-column"] == ["“会员等级”的第二列；使用的是 C 列"]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("客户手机号", "phone"),
        ("会员积分余额", "points"),
        ("顾客昵称", "nickname"),
        ("买家手机号", "phone"),
        ("用户名", None),
    ],
)
def test_a_header_naming_whose_field_it_is_is_that_field(header, field):
    from followup_cli.archive.headers import HeaderIndex
    from followup_cli.archive.schema import ROLES

    m = HeaderIndex(ROLES["customers"]["fields"]).match(header, fuzzy=False)
    assert (m.field if m else None) == field


def test_shopify_the_customers_own_phone_first_the_address_phone_where_it_is_empty(tmp_path):
    paths = _files(tmp_path, "qa4_shopify")
    result = due_rows(paths, "--explain")
    from tests.test_reading_shapes import run

    cards = {}
    for cid in ("7001", "7002", "7003"):
        out = run("history", *paths, cid, "--format", "json", "--lang", "en")
        assert out.exit_code == 0, out.output
        cards[cid] = json.loads(out.stdout)["customer"]
    assert {cid: c.get("phone") for cid, c in cards.items()} == {
        "7001": "+16135550101",  # Phone, not the address's +16135550191
        "7002": "+16135550102",  # Phone empty: the address's
        "7003": "+16135550103",  # the leading ' dropped
    }
    # Accepts SMS Marketing = no: the SMS channel refused, shown as channels, never a Python set
    assert cards["7001"]["do_not_contact"] == ["sms"]
    assert isinstance(result, list)


# ---- 5. placeholders, the header again, checkboxes and a second 备注 -----------------------------------


def test_a_placeholder_birthday_is_no_birthday_and_said(shape):
    paths = shape("qa4_placeholder_birthdays")
    assert _birthdays(due_rows(paths)) == {"H4": "2026-11-23", "H5": "2026-11-23", "H6": "2026-11-22"}
    _, rows = check_rows(paths)
    said = {r["cell"]: r for r in rows if r["code"] == "placeholder"}
    assert sorted(said) == ["D2", "D3", "D4"]
    assert all(r["severity"] == "warning" and "placeholder, not a birthday" in r["message"] for r in said.values())
    assert not [r for r in rows if r["severity"] == "error"]


def test_a_header_row_again_is_passed_over_and_said(shape):
    paths = shape("qa4_header_again")
    result, rows = check_rows(paths)
    assert result.exit_code == 0
    [said] = [r for r in rows if r["code"] == "header-again"]
    assert "row(s) 2, 5 repeat the header" in said["message"]
    assert set(_birthdays(due_rows(paths))) == {"K1", "K2", "K3"}


def test_checkbox_symbols_and_a_second_notes_column_decide_who_is_called(shape):
    rows = due_rows(shape("qa4_checkboxes"), "--explain")
    called = {r["customer_id"] for r in rows if not r["left_out"]}
    assert called == {"D2", "D4"}  # ☐ and □: not refused
    left = {r["customer_id"]: r["left_out"] for r in rows if r["left_out"]}
    assert "not clear" in left["D5"]  # ☒: ticked or struck out, not guessed
    assert "备注 says '勿扰'" in left["D6"]  # the second 备注 column (H) is read too


# ---- 6. a visit log with its time of day in a column of its own, newest on top ------------------------


def test_a_time_of_day_column_is_not_taken_for_the_visit_date(shape):
    paths = shape("qa4_visit_time")
    assert _birthdays(due_rows(paths)) == {"V02": "2026-11-19", "V05": "2026-11-22"}
    result, rows = check_rows(paths)
    assert result.exit_code == 0
    [said] = [r for r in rows if r["code"] == "time-of-day"]
    assert said["cell"] == "A1" and said["severity"] == "note" and "date in column B" in said["message"]


def test_recording_into_a_log_kept_newest_on_top_closes_the_task_once(shape, tmp_path):
    from openpyxl import load_workbook

    from tests.test_reading_shapes import AS_OF, run

    [path] = shape("qa4_visit_time")
    out = tmp_path / "calls.xlsx"
    assert run("sheet", path, "-o", out, "--as-of", AS_OF, lang="zh").exit_code == 0
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    head = [c.value for c in ws[1]]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, head.index("客户编号") + 1).value == "V05":
            ws.cell(r, head.index("完成日期") + 1).value = D(2026, 11, 23)
            ws.cell(r, head.index("结果") + 1).value = "已联系"
    wb.save(out)
    for _ in range(2):  # the second time adds nothing
        result = run("record", path, out, "--as-of", AS_OF, lang="zh")
        assert result.exit_code == 0, result.output
    assert _birthdays(due_rows([path])) == {"V02": "2026-11-19"}
    log = [[c.value for c in row] for row in load_workbook(path)["回访记录"].iter_rows(min_row=2)]
    assert len(log) == 5 and log[-1][2] == "V05"


# ---- 7. error cells of an .ods (LibreOffice keeps them as empty strings of type error) -----------------


def test_error_cells_of_an_ods_saved_by_libreoffice_are_named(tmp_path):
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    src = qa4_fixtures.qa4_error_cells(tmp_path / "src" / "qa4_error_cells.xlsx")
    subprocess.run(
        [soffice, "--headless", "--convert-to", "ods", "--outdir", str(tmp_path), str(src)],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    _, rows = check_rows([tmp_path / "qa4_error_cells.ods"])
    said = {f"{r['sheet']}!{r['cell']}": r["value"] for r in rows if r["code"] == "error-cell"}
    assert said == {
        "回访记录!A1": "#N/A",
        "回访记录!B1": "#N/A",
        "客户档案!A1": "#REF!",
        "客户档案!C1": "#N/A",
        "客户档案!D1": "#VALUE!",
        "客户档案!E1": "#NAME?",
    }


def test_the_ods_scan_counts_repeated_rows_and_cells(tmp_path):
    import zipfile

    from followup_cli.archive.unread_ods import scan_ods

    t = 'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    c = 'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
    t2 = 'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    err = '<table:table-cell calcext:value-type="error"><text:p>#N/A</text:p></table:table-cell>'
    body = (
        f'<doc {t} {c} {t2}><table:table table:name="S">'
        '<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="3"/>'
        f"{err}</table:table-row>"
        f'<table:table-row><table:covered-table-cell/><table:table-cell table:number-columns-repeated="2"/>{err}'
        "</table:table-row></table:table></doc>"
    )
    p = tmp_path / "x.ods"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("content.xml", body)
    assert scan_ods(p) == {"S": {(0, 3): ("error", "#N/A"), (1, 3): ("error", "#N/A"), (2, 3): ("error", "#N/A")}}


# ---- 8. birthdays as plain numbers; an empty birthday beside an ID number --------------------------------


def test_birthdays_typed_as_numbers(shape):
    paths = shape("qa4_number_birthdays")
    assert _birthdays(due_rows(paths)) == {"N1": "2026-11-23", "N2": "2026-11-22", "N4": "2026-11-23"}
    _, rows = check_rows(paths)
    by_cell = {r["cell"]: (r["severity"], r["code"]) for r in rows if r["sheet"] == "会员" and r["cell"]}
    assert by_cell == {"D6": ("warning", "placeholder"), "D7": ("error", "bad-birthday")}
    [said] = [r for r in rows if r["code"] == "birthday-empty-id-card"]
    assert "1 row(s) with an empty 生日 have a birth date in 身份证号 (row 4)" in said["message"]


@pytest.mark.parametrize(
    ("number", "date"),
    [
        (20261116, dt.datetime(2026, 11, 16)),
        (20261116.0, dt.datetime(2026, 11, 16)),
        (46342, dt.datetime(2026, 11, 16)),
    ],
)
def test_a_yyyymmdd_number_is_that_date(number, date):
    from followup_cli.archive.cells import parse_datetime

    assert parse_datetime(number).value == date
