"""Two customer rows with one key are never scheduled as one person (archive/duplicates.py).

Two store sheets that both number from A001, or a phone-keyed book listing one mobile twice:
visits and purchases name the key, so whose birthday, whose call and which number cannot be
told. The tasks of every row sharing the key are left out with that reason, `check` names
each cell once, `due` says so on stderr, and no task id is listed twice."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from followup_cli.cli import cli
from tests.helpers import CUSTOMER_HEADERS, customer, make_workbook

AS_OF = "2026-11-23"
BIRTHDAY = dt.date(1990, 11, 23)


def run(args):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"FOLLOWUP_LANG": "zh", "FOLLOWUP_NO_CACHE": "1"})


def two_stores(tmp_path):
    return make_workbook(
        tmp_path / "stores.xlsx",
        {
            "一店客户": [
                CUSTOMER_HEADERS,
                customer("A001", "陈一", phone="13900000001", birthday=BIRTHDAY),
                customer("A002", "陈二", phone="13900000002", birthday=BIRTHDAY),
            ],
            "二店客户": [
                CUSTOMER_HEADERS,
                customer("A001", "刘三", phone="13900000013", birthday=BIRTHDAY),
                customer("B002", "刘四", phone="13900000014", birthday=BIRTHDAY),
            ],
            "回访记录": [["客户编号", "回访日期", "回访类型", "结果"]],
        },
    )


def due_json(path, *extra):
    result = run(["due", path, "--as-of", AS_OF, "--format", "json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


def test_a_shared_id_leaves_both_rows_out_and_says_so(tmp_path):
    book = two_stores(tmp_path)
    listed, stderr = due_json(book)
    names = {r["customer_name"] for r in listed}
    assert names == {"陈二", "刘四"}, names
    ids = [r["task_id"] for r in listed]
    assert len(ids) == len(set(ids))
    assert "2 位客户的编号与别人相同（A001）" in stderr and "1 个错误" in stderr

    explained, _ = due_json(book, "--explain")
    out = [r for r in explained if r["customer_id"] == "A001"]
    assert {r["customer_name"] for r in out} == {"陈一", "刘三"}
    assert all("一店客户!A2" in r["left_out"] and "二店客户!A2" in r["left_out"] for r in out), out


def test_check_names_the_shared_id_once_with_every_cell(tmp_path):
    result = run(["check", two_stores(tmp_path), "--as-of", AS_OF])
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if "重复" in line]
    assert len(lines) == 1, result.stdout
    assert "二店客户!A2" in lines[0] and "一店客户!A2、二店客户!A2" in lines[0]


def test_the_call_sheet_and_the_kpis_leave_them_out_too(tmp_path):
    from openpyxl import load_workbook

    book = two_stores(tmp_path)
    out = tmp_path / "calls.xlsx"
    assert run(["sheet", book, "--as-of", AS_OF, "-o", out]).exit_code == 0
    ws = load_workbook(out).worksheets[0]
    cells = {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
    assert "陈二" in cells and "刘四" in cells
    assert "陈一" not in cells and "刘三" not in cells and "A001" not in cells

    from followup_cli.archive.reading import load_archive
    from followup_cli.config import load_config
    from followup_cli.policy.setup import policy_setup
    from followup_cli.schedule.replay import period_due

    config = load_config([book])
    archive = load_archive([book], config)
    setup = policy_setup(config)
    found = period_due(archive, setup.policy, dt.date(2026, 11, 1), dt.date(2026, 11, 30), setup.workcal)
    assert found.due and not [t for t in found.due if t.customer.id == "A001"]
    assert {t.left_out for t in found.left_out if t.customer.id == "A001"} == {"duplicate_id"}


def test_a_phone_keyed_book_listing_one_mobile_twice(tmp_path):
    book = make_workbook(
        tmp_path / "phones.xlsx",
        {
            "客户": [
                ["手机号", "姓名", "生日"],
                ["13600000001", "郑一", BIRTHDAY],
                ["13600000003", "郑三", BIRTHDAY],
                ["13600000003", "郑四", BIRTHDAY],
            ]
        },
    )
    listed, stderr = due_json(book)
    assert {r["customer_name"] for r in listed} == {"郑一"}
    assert "13600000003" in stderr
    check = run(["check", book, "--as-of", AS_OF])
    assert "手机号“13600000003”重复（客户!A3、客户!A4）" in check.stdout, check.stdout


def test_a_name_two_customers_share_is_one_error_not_two(tmp_path):
    book = make_workbook(
        tmp_path / "names.xlsx",
        {
            "客户档案": [
                CUSTOMER_HEADERS,
                customer("C1", "郑一", phone="13600000001"),
                customer("C2", "郑一", phone="13600000002"),
            ],
            "回访记录": [
                ["客户", "回访日期", "回访类型", "结果"],
                ["郑一", dt.date(2026, 11, 1), "生日回访", "已联系"],
            ],
        },
    )
    result = run(["check", book, "--as-of", AS_OF])
    on_b2 = [line for line in result.stdout.splitlines() if "回访记录!A2" in line]
    assert len(on_b2) == 1 and "有 2 位客户叫“郑一”" in on_b2[0], result.stdout
