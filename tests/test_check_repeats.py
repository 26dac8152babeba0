"""`check`'s table says a problem repeated down a column once (its first cells, how many more,
where the full list is); csv and json keep one row per cell; the summary counts every cell."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from followup_cli.cli import cli


def _archive(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "客户档案"
    ws.append(["客户编号", "姓名", "手机", "生日", "负责人"])
    for i in range(1, 16):
        # ten cells of one bad date, two of another (too few to fold), three good ones
        birthday = "1990-13-01" if i <= 10 else "13/45/1990" if i <= 12 else f"1990-05-0{i - 12}"
        ws.append([f"C{i:03d}", f"客户{i}", f"138000000{i:02d}", birthday, "王芳"])
    staff = wb.create_sheet("员工")
    staff.append(["姓名"])
    staff.append(["王芳"])
    wb.save(path)
    return path


def _check(*args):
    result = CliRunner().invoke(cli, ["check", *map(str, args), "--no-cache"], catch_exceptions=False)
    assert result.exit_code == 1, result.output  # the bad dates are errors
    return result


@pytest.mark.parametrize(
    ("lang", "more"),
    [("zh", "D 列另有 7 个单元格是同样的问题"), ("en", "the same in 7 more cells of column D")],
)
def test_the_table_says_a_repeated_problem_once_with_its_count(tmp_path, lang, more):
    result = _check(_archive(tmp_path / "a.xlsx"), "--lang", lang)
    out = result.stdout
    rows = [line for line in out.splitlines() if "1990-13-01" in line]
    assert len(rows) == 1, out
    assert "客户档案!D2, D3, D4 …" in rows[0] and more in rows[0]
    assert "--format csv" in rows[0]  # where the full list is
    # a command that runs as given: with the archive typed (ARCHIVE is required)
    command = out[out.index("followup check ") :].split(".csv", 1)[0]
    assert str(tmp_path / "a.xlsx") in "".join(command.split()), out
    assert sum("13/45/1990" in line for line in out.splitlines()) == 2  # two alike: both shown
    assert ("12 个错误" if lang == "zh" else "12 error(s)") in result.stderr  # every cell counted


def test_csv_and_json_keep_one_row_per_cell(tmp_path):
    archive = _archive(tmp_path / "a.xlsx")
    rows = list(csv.reader(io.StringIO(_check(archive, "--format", "csv", "--lang", "en", "-q").stdout)))
    cells = [r[1].split("!")[1] for r in rows[1:] if r[2] == "1990-13-01"]
    assert cells == [f"D{n}" for n in range(2, 12)]
    data = json.loads(_check(archive, "--format", "json", "-q").stdout)
    assert [p["cell"] for p in data if p["value"] == "1990-13-01"] == [f"D{n}" for n in range(2, 12)]
