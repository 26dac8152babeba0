"""`followup assign` through the CLI: the plan, the surgical write, handover, rebalance, report."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from openpyxl.styles import PatternFill

from followup_cli.archive.reading import load_archive
from followup_cli.cli import cli
from followup_cli.writeback.backups import backups_of
from followup_cli.xlsx.package import read_package
from tests.test_assign import CUSTOMER_HEADERS, STAFF_HEADERS, book, cust, staff

D = dt.date
AS_OF = "2026-03-02"
BIRTHDAY = D(1990, 3, 2)  # a birthday call is due on AS_OF
DOCS = Path(__file__).resolve().parents[1] / "docs" / "assign.md"


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


TEAM = [
    staff("S1", "林晓雯"),
    staff("S2", "周敏", capacity=2),
    staff("S3", "陈离", active="否"),
    staff("S4", "二店赵", store="二店", region="华东"),
    staff("S5", "刘主管", role="客服主管"),
]


def shop(tmp_path, customers=None, team=TEAM, name="archive.xlsx"):
    customers = customers or [
        cust("C1", owner="陈离", birthday=BIRTHDAY),  # owner left: a loud unassigned task in `due`
        cust("C2", birthday=BIRTHDAY),  # no owner
        cust("C3", owner="林晓雯", birthday=BIRTHDAY),  # active owner: never changed
        cust("C4", store="二店", birthday=BIRTHDAY),
        cust("C5", owner="S3"),  # the left clerk by staff id
    ]
    return book(tmp_path, customers, team, name=name)


def rich_shop(tmp_path):
    """A workbook with more than the tool owns: a formula with its cached value, styles, widths, a third sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "客户档案"
    ws.append(CUSTOMER_HEADERS)
    for c in (
        cust("C1", owner="陈离", birthday=BIRTHDAY),
        cust("C2", birthday=BIRTHDAY),
        cust("C3", owner="林晓雯", birthday=BIRTHDAY),
    ):
        ws.append(c)
    fill = PatternFill("solid", fgColor="FFFF00")
    for row in range(2, 5):
        ws.cell(row, 7).fill = fill
    ws.column_dimensions["G"].width = 18
    st = wb.create_sheet("员工")
    st.append(STAFF_HEADERS)
    for s in TEAM:
        st.append(s)
    summary = wb.create_sheet("汇总")
    summary["A1"] = "客户数"
    summary["B1"] = "=COUNTA(客户档案!A:A)-1"
    path = tmp_path / "rich.xlsx"
    wb.save(path)
    return path


def members(path):
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def sheet_part(path, sheet):
    with zipfile.ZipFile(path) as zf:
        return read_package(zf, str(path)).sheet(sheet, str(path)).part


def owners(path):
    return {c.id: c.owner for c in load_archive([path]).customers}


def due_json(path):
    result = invoke("due", path, "--as-of", AS_OF, "--format", "json", "-q")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ---- the plan and the write ----


def test_dry_run_prints_the_plan_and_writes_nothing(tmp_path):
    path = shop(tmp_path)
    before = path.read_bytes()
    result = invoke("assign", path, "--dry-run", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == before
    assert not (tmp_path / "followup-audit.log").exists()
    out = result.stdout
    assert "新负责人" in out and "同门店" in out and "陈离（已离职）" in out
    assert "之前" in out and "之后" in out and "（未分配）" in out
    assert "试运行" in result.stderr and "未写入" in result.stderr


def test_assign_writes_only_the_owner_cells(tmp_path):
    path = rich_shop(tmp_path)
    old = members(path)
    part = sheet_part(path, "客户档案")
    old_wb = load_workbook(path)
    unassigned_before = [r for r in due_json(path) if r["staff"] is None]
    assert {r["customer_id"] for r in unassigned_before} == {"C1", "C2"}

    result = invoke("assign", path, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output

    # re-read: the owners are there, the active owner unchanged
    got = owners(path)
    assert got["C3"] == "林晓雯"
    assert got["C1"] in ("林晓雯", "周敏") and got["C2"] in ("林晓雯", "周敏")
    # every member other than the customer sheet's part is byte-identical
    new = members(path)
    assert new.keys() == old.keys()
    changed = [name for name in old if old[name] != new[name]]
    assert changed == [part]
    # inside the customer sheet only the owner cells changed, and kept their style
    new_wb = load_workbook(path)
    a, b = old_wb["客户档案"], new_wb["客户档案"]
    for row in range(1, a.max_row + 1):
        for col in range(1, a.max_column + 1):
            if col == 7 and row in (2, 3):
                assert b.cell(row, col).value != a.cell(row, col).value
                assert b.cell(row, col).fill.fgColor.rgb == a.cell(row, col).fill.fgColor.rgb
            else:
                assert b.cell(row, col).value == a.cell(row, col).value, (row, col)
    assert new_wb["汇总"]["B1"].value == "=COUNTA(客户档案!A:A)-1"
    # the due list has no unassigned task left for those customers
    rows = due_json(path)
    assert {r["customer_id"] for r in rows} == {"C1", "C2", "C3"}
    assert all(r["staff"] for r in rows)
    # backup and audit line
    assert len(backups_of(path)) == 1
    audit = (tmp_path / "followup-audit.log").read_text(encoding="utf-8")
    assert "followup assign" in audit and "cells changed: 2" in audit
    assert "已写入 2 个负责人单元格" in result.stderr


def test_assign_twice_changes_nothing_the_second_time(tmp_path):
    path = shop(tmp_path)
    assert invoke("assign", path, "--as-of", AS_OF).exit_code == 0
    first = path.read_bytes()
    result = invoke("assign", path, "--as-of", AS_OF)
    assert result.exit_code == 0
    assert "无需分配" in result.stderr
    assert path.read_bytes() == first


def test_written_owners_follow_the_spread(tmp_path):
    path = shop(tmp_path, [cust(f"C{i:02}") for i in range(30)], [staff("S1", "甲", capacity=2), staff("S2", "乙")])
    assert invoke("assign", path, "--as-of", AS_OF, "-q").exit_code == 0
    got = list(owners(path).values())
    assert got.count("甲") == 20 and got.count("乙") == 10


def test_ids_are_written_where_the_column_holds_ids(tmp_path):
    path = shop(
        tmp_path, [cust("C1", owner="S1"), cust("C2", owner="S2"), cust("C3")], [staff("S1", "甲"), staff("S2", "乙")]
    )
    assert invoke("assign", path, "--as-of", AS_OF).exit_code == 0
    assert owners(path)["C3"] in ("S1", "S2")


def test_json_and_the_load_view(tmp_path):
    path = shop(tmp_path)
    result = invoke("assign", path, "--dry-run", "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert {r["customer_id"]: r["from_status"] for r in plan} == {
        "C1": "left",
        "C2": "none",
        "C4": "none",
        "C5": "left",
    }
    assert set(plan[0]) == {
        "customer_id",
        "customer_name",
        "store",
        "row",
        "cell",
        "from",
        "from_status",
        "to",
        "to_staff_id",
        "basis",
    }
    c4 = next(r for r in plan if r["customer_id"] == "C4")
    assert (c4["to"], c4["to_staff_id"], c4["basis"], c4["cell"]) == ("二店赵", "S4", "store", "客户档案!G5")
    result = invoke("assign", path, "--dry-run", "--as-of", AS_OF, "--format", "json", "--view", "load")
    load = {r["name"]: r for r in json.loads(result.stdout)}
    assert load["陈离"]["before"] == 2 and load["陈离"]["after"] == 0 and load["陈离"]["status"] == "left"
    assert load[None]["status"] == "unassigned" and load[None]["after"] == 0
    assert "刘主管" not in load  # a supervisor owns no customers and gets none
    csv_out = invoke("assign", path, "--dry-run", "--as-of", AS_OF, "--format", "csv").stdout
    assert csv_out.splitlines()[0] == "客户编号,姓名,门店,单元格,原负责人,新负责人,依据"


def test_english_messages(tmp_path):
    path = shop(tmp_path)
    result = invoke("assign", path, "--dry-run", "--as-of", AS_OF, "--lang", "en")
    assert "Customer ID" in result.stdout and "same store" in result.stdout and "(left)" in result.stdout
    assert "dry run: 4 customer(s) would get a new owner" in result.stderr
    result = invoke("assign", path, "--handover", "nobody", "--lang", "en", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "no such staff member" in result.stderr and "林晓雯 (S1)" in result.stderr


# ---- refusals and exit codes ----


def test_no_owner_column_is_refused_with_the_fix(tmp_path):
    headers = [h for h in CUSTOMER_HEADERS if h != "负责人"]
    path = book(tmp_path, [[v for j, v in enumerate(cust("C1")) if j != 6]], TEAM, customer_headers=headers)
    before = path.read_bytes()
    result = invoke("assign", path, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "负责人" in result.stderr and "没有负责人列" in result.stderr
    assert path.read_bytes() == before
    assert invoke("assign", path, "--as-of", AS_OF, "--dry-run").exit_code == 0
    en = invoke("assign", path, "--as-of", AS_OF, "--lang", "en")
    assert en.exit_code == 2 and "add a column headed 负责人" in en.stderr


def test_no_active_staff_exits_1(tmp_path):
    path = shop(tmp_path, team=[staff("S3", "陈离", active="否"), staff("S5", "刘主管", role="客服主管")])
    before = path.read_bytes()
    result = invoke("assign", path, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "没有可以负责客户的在职员工" in result.stderr and "[assign] roles" in result.stderr
    assert path.read_bytes() == before


def test_open_in_excel_is_refused_unless_forced(tmp_path):
    path = shop(tmp_path)
    (tmp_path / "~$archive.xlsx").write_bytes(b"\x05clerk" + b"\x00" * 60)
    before = path.read_bytes()
    result = invoke("assign", path, "--as-of", AS_OF)
    assert result.exit_code == 2 and "工作簿正在表格软件中打开" in result.stderr  # a Chinese archive: Chinese
    assert path.read_bytes() == before
    assert invoke("assign", path, "--as-of", AS_OF, "--ignore-lock").exit_code == 0
    assert owners(path)["C2"]


def test_a_csv_archive_is_never_rewritten(tmp_path):
    path = tmp_path / "archive.csv"
    path.write_text(",".join(CUSTOMER_HEADERS) + "\nC1,王芳,138,,一店,,,2025-01-01\n", encoding="utf-8")
    staff_book = book(tmp_path, [cust("X")], TEAM, name="staff.xlsx")
    before = staff_book.read_bytes()
    for args in ([path, staff_book], [staff_book, path]):
        result = invoke("assign", *args, "--as-of", AS_OF, "--lang", "en")
        assert result.exit_code == 2 and "never rewritten" in result.stderr
        assert staff_book.read_bytes() == before  # refused before any workbook was written


def test_usage_errors(tmp_path):
    path = shop(tmp_path)
    for args, text in [
        # the archive is Chinese: so are the usage errors found before it is read
        (["--to-staff", "周敏"], "--to-staff 要和 --handover FROM 一起用"),
        (["--max-moves", "2"], "--max-moves 要和 --rebalance 一起用"),
        (["--rebalance", "--report"], "只能选一个"),
        (["--store", "九店"], "一店, 二店"),
        (["--handover", "无此人"], "员工表中没有"),
    ]:
        result = invoke("assign", path, "--as-of", AS_OF, *args)
        assert result.exit_code == 2, (args, result.output)
        assert text in result.stderr, (args, result.stderr)
    assert invoke("assign", tmp_path / "missing.xlsx").exit_code == 2


# ---- handover, rebalance, report ----


def test_handover_leaves_the_departed_clerk_with_none(tmp_path):
    path = shop(tmp_path)
    result = invoke("assign", path, "--handover", "陈离", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    got = owners(path)
    assert "陈离" not in got.values() and "S3" not in got.values()
    assert got["C2"] is None and got["C4"] is None  # a handover touches only the clerk's customers
    assert got["C3"] == "林晓雯"


def test_handover_to_a_named_colleague(tmp_path):
    path = shop(tmp_path)
    result = invoke("assign", path, "--handover", "S1", "--to-staff", "二店赵", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert owners(path)["C3"] == "二店赵"
    assert "仍在职" in result.stderr
    result = invoke("assign", path, "--handover", "周敏", "--to-staff", "陈离", "--as-of", AS_OF)
    assert result.exit_code == 1 and "已离职" in result.stderr


def test_rebalance_moves_the_minimum_and_respects_max_moves(tmp_path):
    customers = [cust(f"A{i}", owner="甲") for i in range(8)] + [cust(f"B{i}", owner="乙") for i in range(2)]
    path = shop(tmp_path, customers, [staff("S1", "甲"), staff("S2", "乙")])
    result = invoke("assign", path, "--rebalance", "--max-moves", "2", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    got = list(owners(path).values())
    assert got.count("甲") == 6 and got.count("乙") == 4
    assert "还需移动 1 位客户" in result.stderr
    result = invoke("assign", path, "--rebalance", "--as-of", AS_OF)
    got = list(owners(path).values())
    assert got.count("甲") == 5 and got.count("乙") == 5
    result = invoke("assign", path, "--rebalance", "--as-of", AS_OF)
    assert result.exit_code == 0 and "负载已均衡" in result.stderr


def test_report(tmp_path):
    path = shop(tmp_path)
    result = invoke("assign", path, "--report", "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.stdout)}
    assert rows["林晓雯"]["customers"] == 1 and rows["林晓雯"]["open_tasks"] == 1
    assert rows["陈离"]["status"] == "left" and rows["陈离"]["customers"] == 2
    assert rows[None]["status"] == "unassigned" and rows[None]["open_tasks"] == 3
    table = invoke("assign", path, "--report", "--as-of", AS_OF)
    assert "待办回访" in table.stdout and "已离职" in table.stdout


def test_same_input_same_output(tmp_path):
    a = invoke("assign", shop(tmp_path, name="a.xlsx"), "--dry-run", "--as-of", AS_OF, "--format", "json")
    b = invoke("assign", shop(tmp_path, name="b.xlsx"), "--dry-run", "--as-of", AS_OF, "--format", "json")
    assert a.stdout == b.stdout


# ---- help and docs ----


def test_help_and_docs_cover_every_option():
    result = invoke("assign", "--help")
    assert result.exit_code == 0
    options = set(re.findall(r"(--[a-z][a-z-]+)", result.stdout)) - {"--help"}
    text = DOCS.read_text(encoding="utf-8")
    missing = sorted(o for o in options if o not in text)
    assert not missing, f"docs/assign.md does not mention {missing}"


def test_a_workbook_changed_after_reading_is_not_written(tmp_path, monkeypatch):
    import followup_cli.assign as core

    path = shop(tmp_path)
    other = shop(tmp_path, [cust("Z1")], name="other.xlsx")
    real = core.plan_assign

    def plan_then_someone_saves(*args, **kw):
        plan = real(*args, **kw)
        path.write_bytes(other.read_bytes())  # a clerk saved the workbook from Excel meanwhile
        return plan

    monkeypatch.setattr(core, "plan_assign", plan_then_someone_saves)
    result = invoke("assign", path, "--as-of", AS_OF)
    assert result.exit_code == 2 and "读取之后工作簿已被修改" in result.stderr
    assert path.read_bytes() == other.read_bytes()


def test_write_lands_on_the_right_rows_below_a_title_and_blank_rows(tmp_path):
    from tests.helpers import make_workbook

    path = make_workbook(
        tmp_path / "titled.xlsx",
        {
            "客户档案": [
                ["2026 会员档案（内部资料）"],
                [],
                CUSTOMER_HEADERS,
                cust("C1", owner="林晓雯"),
                [],
                cust("C2"),
                cust("C3", owner="陈离"),
            ],
            "员工": [STAFF_HEADERS] + [list(s) for s in TEAM],
        },
    )
    assert invoke("assign", path, "--as-of", AS_OF, "-q").exit_code == 0
    ws = load_workbook(path)["客户档案"]
    assert ws["A1"].value == "2026 会员档案（内部资料）" and ws["G3"].value == "负责人"
    assert ws["G4"].value == "林晓雯" and ws["G5"].value is None and ws["A5"].value is None
    assert ws["G6"].value in ("林晓雯", "周敏") and ws["G7"].value in ("林晓雯", "周敏")
    assert [ws.cell(r, 1).value for r in (6, 7)] == ["C2", "C3"]


def test_a_spreadsheet_application_reads_the_written_owners(tmp_path, soffice):
    import csv

    path = rich_shop(tmp_path)
    assert invoke("assign", path, "--as-of", AS_OF, "-q").exit_code == 0
    out = soffice(path, "csv:Text - txt - csv (StarCalc):44,34,76,1", tmp_path / "csv")
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == CUSTOMER_HEADERS
    got = {r[0]: r[6] for r in rows[1:]}
    assert got == owners(path) and got["C3"] == "林晓雯" and got["C1"] and got["C2"]
