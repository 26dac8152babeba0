"""Fuzzing, the fast part (stress/run.py runs the same with bigger counts).

* Property tests (hypothesis) write real workbooks with generated cell values, header shapes
  and sheet layouts and run `check` and `due` on them in-process: every run ends in exit 0, 1
  or 2 with no exception, and a problem names its file, sheet and cell.
* A byte- and structure-level mutator corrupts the sample and real workbooks; each mutant
  goes through `check` (and every third through `due`) in a bounded child (tests/attacks.py):
  exit 0/1/2, no traceback, the file named, within the time and memory bounds.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from followup_cli.cli import cli
from tests import attacks

EXAMPLES = int(os.environ.get("FOLLOWUP_FUZZ_EXAMPLES", "40"))
MUTANTS = int(os.environ.get("FOLLOWUP_FUZZ_MUTANTS", "120"))
AS_OF = "2026-11-23"

HEADERS = {
    "客户档案": ["客户编号", "姓名", "手机", "生日", "负责人", "建档日期", "会员等级", "积分", "拒绝回访"],
    "消费记录": ["客户编号", "消费日期", "商品名称", "金额", "当季新品"],
    "回访记录": ["客户编号", "回访日期", "回访类型", "结果", "满意度", "任务编号"],
}

texts = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "=cmd|' /C calc'!A0",
            "+1+1",
            "-",
            "@x",
            "\t",
            " ",
            "是",
            "否",
            "VIP",
            "C1",
            "13800000000",
            "2026-02-30",
            "9999-12-31",
            "1900-01-01",
            "二〇二六年十一月",
            "11/23",
            "N/A",
            "#REF!",
            "王芳\n李雷",
            "x" * 5000,
            "\u202e",
            "🙂",
        ]
    ),
)
values = st.one_of(
    st.none(),
    texts,
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
)


def _clean(value):
    """openpyxl refuses control characters in text; Excel cannot hold them either."""
    if isinstance(value, str):
        return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value)[:32_767]
    return value


@st.composite
def layouts(draw):
    """A workbook: which role sheets, their header shape, where the table starts, the rows."""
    sheets = {}
    for name, header in HEADERS.items():
        if draw(st.booleans()) and name != "客户档案":
            continue
        header = list(header)
        shape = draw(st.sampled_from(["plain", "shuffled", "missing", "duplicate", "blank", "spaced", "english"]))
        if shape == "shuffled":
            header = draw(st.permutations(header))
        elif shape == "missing":
            header = header[: draw(st.integers(1, len(header)))]
        elif shape == "duplicate":
            header = header + [header[0]]
        elif shape == "blank":
            header = [h if draw(st.booleans()) else None for h in header]
        elif shape == "spaced":
            header = [f" {h} " for h in header]
        elif shape == "english":
            header = ["Customer ID", "Name", "Phone", "Birthday", "Owner", "Since", "Tier", "Points", "No calls"][
                : len(header)
            ]
        rows = draw(st.lists(st.lists(values, min_size=0, max_size=len(header) + 2), max_size=12))
        top = draw(st.integers(0, 3))
        left = draw(st.integers(0, 2))
        title = name if draw(st.integers(0, 4)) else draw(st.sampled_from([name + " ", "Sheet1", "客户", "x" * 31]))
        sheets[title] = (top, left, header, rows)
    return sheets


def _write(path, sheets):
    wb = Workbook()
    wb.remove(wb.active)
    for title, (top, left, header, rows) in sheets.items():
        if title in wb.sheetnames:
            continue
        ws = wb.create_sheet(title)
        for r, row in enumerate([header] + rows):
            for c, value in enumerate(row):
                value = _clean(value)
                if value is not None:
                    cell = ws.cell(row=top + r + 1, column=left + c + 1, value=value)
                    if isinstance(value, str):
                        cell.data_type = "s"
    wb.save(path)


def _assert_answer(result, path):
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2), result.output
    assert "unexpected error" not in result.output and "Traceback" not in result.output, result.output
    if result.exit_code == 2:
        assert path.name in result.output, result.output


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(sheets=layouts())
def test_generated_workbooks_get_an_answer(tmp_path_factory, sheets):
    path = tmp_path_factory.mktemp("fuzz") / "archive.xlsx"
    _write(path, sheets)
    for args in (
        ["check", path],
        ["due", path, "--as-of", AS_OF],
        ["due", path, "--as-of", AS_OF, "--format", "csv", "--ahead", "30"],
    ):
        result = CliRunner().invoke(cli, [str(a) for a in args])
        _assert_answer(result, path)
        if args[0] == "check":
            # every problem names this file, and a cell when it is about a value: 'archive.xlsx Sheet!B7'
            for line in result.output.splitlines():
                if line.startswith(("错误", "警告", "error", "warning")):
                    assert "archive.xlsx" in line, line
                    # the place is the column after the severity ('archive.xlsx Sheet!B7'); a '!' in the
                    # message (a header '#REF!') is not one
                    where = re.search(r"archive\.xlsx (.*?)(?:\s{2,}|$)", line)
                    if where and "!" in where.group(1):
                        # a cell, a whole row, or a problem repeated down a column: its first cells and "…"
                        assert re.search(r"![A-Z]{0,3}\d+(?:(?:, [A-Z]{1,3}\d+)+ …)?$", where.group(1)), line


@pytest.fixture(scope="module")
def worker():
    w = attacks.Worker()
    yield w
    w.close()


def test_mutated_workbooks_get_an_answer(tmp_path, worker):
    seeds = attacks.seeds()
    assert seeds, "no seed workbooks"
    rng = random.Random(17)
    failures = []
    for i in range(MUTANTS):
        seed = rng.choice(seeds)
        path = tmp_path / f"m{i}{seed.suffix}"
        path.write_bytes(attacks.mutate(seed.read_bytes(), rng))
        commands = [["check", path]] + ([["due", path, "--as-of", AS_OF]] if i % 3 == 0 else [])
        for args in commands:
            out = worker.run(args, seconds=30)
            problem = attacks.verdict(out, path, seconds=30)
            if problem:
                failures.append(f"{seed.name} #{i} {args[0]}: {problem}")
        path.unlink()
    assert failures == [], failures[:10]
