"""The write-back's refusals and damaged-package errors speak Chinese under --lang zh / FOLLOWUP_LANG=zh."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile

from click.testing import CliRunner
from openpyxl import load_workbook

from followup_cli.cli import cli
from tests.test_cli_record import shop

D = dt.date
LOG = ["--customer", "C1", "--kind", "生日回访", "--outcome", "未接通", "--date", "2026-11-22"]


def invoke(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def test_the_row_limit_refusal_prints_in_chinese(tmp_path):
    path = shop(tmp_path)
    wb = load_workbook(path)
    wb["回访记录"].cell(row=1048576, column=14, value="末行")
    wb.save(path)
    result = invoke("log", path, *LOG, "--lang", "zh")
    assert result.exit_code != 0
    assert "将超出 Excel 的最后一行（1048576）" in result.output, result.output


def test_a_damaged_part_prints_in_chinese(tmp_path):
    path = shop(tmp_path)
    wb = load_workbook(path)
    index = wb.sheetnames.index("回访记录") + 1
    bad = tmp_path / "bad.xlsx"
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/table" '
        'Target="../tables/gone.xml"/></Relationships>'
    )
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        if f"xl/worksheets/_rels/sheet{index}.xml.rels" not in src.namelist():
            dst.writestr(f"xl/worksheets/_rels/sheet{index}.xml.rels", rels)
    shutil.move(bad, path)
    result = invoke("log", path, *LOG, env={"FOLLOWUP_LANG": "zh"})
    assert result.exit_code == 2, result.output
    assert "指向的表格部件" in result.output and "不存在" in result.output, result.output
