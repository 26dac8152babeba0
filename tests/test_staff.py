"""One staff resolver: every command reads an owner or staff cell the same way."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner
from openpyxl import load_workbook

from followup_cli.archive.records import Staff
from followup_cli.archive.staff import ACTIVE, AMBIGUOUS, LEFT, NONE, UNKNOWN, StaffDirectory
from followup_cli.cli import cli
from tests.helpers import archive, customer

AS_OF = "2026-11-23"
STAFF_SHEET = [
    ["工号", "姓名", "门店", "角色", "在职", "离职日期"],
    ["S01", "周敏", "一店", "客服", "否", dt.date(2026, 1, 1)],
    ["S02", "林晓雯", "一店", "客服", "是", None],
]


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def shop(tmp_path):
    """C1's owner cell says 's01' (staff S01, who left on 2026-01-01); C2's says 'S02' (active)."""
    return archive(
        tmp_path,
        customers=[
            customer("C1", owner="s01", birthday=dt.date(1990, 11, 23)),
            customer("C2", name="李娜", phone="13800000002", owner="S02", birthday=dt.date(1991, 11, 23)),
        ],
        visits=[["C1", dt.date(2026, 11, 2), "产品使用回访", "已接通", "满意", ""]],
        extra_sheets={
            "员工": STAFF_SHEET,
            "回访记录": [
                ["客户编号", "回访日期", "回访类型", "结果", "满意度", "回访人"],
                ["C1", dt.date(2026, 11, 2), "产品使用回访", "已接通", "满意", "s01"],
                ["C2", dt.date(2026, 11, 3), "产品使用回访", "已接通", "满意", "Ｓ０２"],
            ],
        },
    )


def _staff(sid, name, active=None, left_on=None):
    return Staff(
        staff_id=sid, name=name, store=None, region=None, role=None, active=active, left_on=left_on, capacity=None
    )


def test_the_resolver_matches_ids_and_names_case_and_width_insensitively():
    d = StaffDirectory(
        [
            _staff("S01", "周敏", left_on=dt.date(2026, 1, 1)),
            _staff("S02", "林晓雯"),
            _staff("S03", "王强"),
            _staff("S04", "王强"),
        ],
        dt.date(2026, 11, 23),
    )
    assert d.resolve("s01").state == LEFT and d.resolve("s01").person.name == "周敏"
    assert d.resolve(" Ｓ０２ ").state == ACTIVE and d.resolve("林晓雯").matched_by == "name"
    assert d.resolve("王强").state == AMBIGUOUS and d.resolve("S03").state == ACTIVE
    assert d.resolve("nobody").state == UNKNOWN and d.resolve("  ").state == NONE
    # The day before the leaving date the person is still active.
    assert (
        StaffDirectory([_staff("S01", "周敏", left_on=dt.date(2026, 1, 1))], dt.date(2025, 12, 31)).resolve("s01").state
        == ACTIVE
    )
    assert d.active_name("s01") is None and d.active_name("s02") == "林晓雯" and d.active_name("外援") == "外援"
    assert d.display("s01") == "周敏" and d.display("外援") == "外援" and d.display("") is None


def test_check_due_assign_kpi_and_audit_agree_on_an_owner_who_left(tmp_path):
    path = shop(tmp_path)

    checked = invoke("check", path, "--as-of", AS_OF, "--format", "json")
    problems = json.loads(checked.stdout)
    owner_codes = {p["code"] for p in problems if p.get("cell", "").endswith("G2") or "G2" in str(p)}
    assert "owner-left" in owner_codes and "unknown-owner" not in owner_codes, problems

    due = invoke("due", path, "--as-of", AS_OF, "--format", "json")
    tasks = {t["customer_id"]: t for t in json.loads(due.stdout)}
    assert tasks["C1"]["staff"] is None, "a task of a customer whose owner left is unassigned"
    assert tasks["C2"]["staff"] == "林晓雯", "an owner written as a staff id is shown by name"
    assert "1" in due.stderr and ("assign" in due.stderr), due.stderr

    # --staff finds the same person by id or by name
    by_id = json.loads(invoke("due", path, "--as-of", AS_OF, "--format", "json", "--staff", "s02").stdout)
    by_name = json.loads(invoke("due", path, "--as-of", AS_OF, "--format", "json", "--staff", "林晓雯").stdout)
    assert [t["customer_id"] for t in by_id] == [t["customer_id"] for t in by_name] == ["C2"]

    plan = json.loads(invoke("assign", path, "--as-of", AS_OF, "--dry-run", "--format", "json").stdout)
    moved = {row["customer_id"] for row in plan}
    assert moved == {"C1"}, plan

    kpi = json.loads(
        invoke("kpi", path, "--period", "2026-11", "--as-of", "2026-11-30", "--by", "staff", "--format", "json").stdout
    )
    groups = {r["group"] for r in kpi if r["group_by"] == "staff"}
    assert "s01" not in groups and "S01" not in groups, groups
    assert "林晓雯" in groups and None in groups  # C1's task is unassigned, as in due

    out = tmp_path / "audit.xlsx"
    audited = invoke("audit", path, "--period", "2026-11", "--as-of", AS_OF, "--rate", "100%", "-o", out)
    assert audited.exit_code == 0, audited.output
    ws = load_workbook(out).worksheets[0]
    header = [c.value for c in ws[1]]
    staff_col = next(i for i, h in enumerate(header) if h in ("回访人", "Staff"))
    names = sorted(str(r[staff_col]) for r in ws.iter_rows(min_row=2, values_only=True) if r[staff_col] is not None)
    assert names == ["周敏", "林晓雯"], names  # 's01' and 'Ｓ０２' are the staff sheet's people
