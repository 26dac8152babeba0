"""`followup calendar YEAR`, invoked directly through its click command."""

import csv
import io
import json

import pytest
from click.testing import CliRunner

from followup_cli.cli.calendar import calendar


@pytest.fixture
def run(tmp_path, monkeypatch):
    # an empty working directory so a stray ./followup.toml cannot change the results
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FOLLOWUP_CONFIG", raising=False)
    monkeypatch.delenv("FOLLOWUP_LANG", raising=False)

    def invoke(*args):
        return CliRunner().invoke(calendar, [str(a) for a in args])

    return invoke


def test_json_2026_official(run):
    result = run(2026, "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    rows = json.loads(result.stdout)
    workdays = [r for r in rows if r["type"] == "make-up workday"]
    assert [r["date"] for r in workdays] == [
        "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
    ]
    assert {r["source"] for r in rows if r["type"] != "festival"} == {"official"}
    spring = next(r for r in rows if r["type"] == "holiday" and r["date"] == "2026-02-15")
    assert spring["end"] == "2026-02-23" and spring["days"] == 9 and spring["name"] == "Spring Festival"
    mid_autumn = next(r for r in rows if r["type"] == "festival" and r["name"] == "Mid-Autumn Festival")
    assert mid_autumn["date"] == "2026-09-25" and mid_autumn["weekday"] == "Fri"


def test_table_in_chinese_by_default(run):
    result = run(2026)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["日期", "至", "天数", "星期"]
    assert any("2026-02-17" in line and "春节" in line and "节日" in line for line in lines)
    assert any("2026-02-14" in line and "调休上班" in line and "官方" in line for line in lines)


def test_csv(run):
    result = run(2025, "--format", "csv", "--lang", "en")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0].keys() >= {"date", "end", "days", "weekday", "type", "name", "source", "note"}
    assert [r["date"] for r in rows if r["type"] == "make-up workday"] == [
        "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
    ]


def test_2027_is_marked_computed_with_a_warning_on_stderr(run):
    result = run(2027, "--format", "json", "--lang", "en")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert {r["source"] for r in rows if r["type"] == "holiday"} == {"computed"}
    assert not [r for r in rows if r["type"] == "make-up workday"]
    assert result.stderr.startswith("warning: No official holiday schedule for 2027")
    zh = run(2027)
    assert "警告：2027 年没有官方放假安排数据" in zh.stderr
    assert "推算" in zh.stdout


def test_config_override(run, tmp_path):
    cfg = tmp_path / "shop.toml"
    cfg.write_text(
        '[calendar]\nworkdays = ["2027-02-20"]\n\n'
        '[[calendar.holidays]]\nstart = "2027-02-05"\nend = "2027-02-12"\nname = "春节"\n',
        encoding="utf-8",
    )
    result = run(2027, "--config", cfg, "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    rows = [r for r in json.loads(result.stdout) if r["type"] != "festival"]
    assert [(r["type"], r["date"], r["end"], r["source"]) for r in rows] == [
        ("holiday", "2027-02-05", "2027-02-12", "override"),
        ("make-up workday", "2027-02-20", "2027-02-20", "override"),
    ]


def test_followup_toml_in_the_working_directory_is_used(run, tmp_path):
    (tmp_path / "followup.toml").write_text('[calendar]\nworkdays = ["2027-02-20"]\n', encoding="utf-8")
    result = run(2027, "--format", "json")
    assert result.exit_code == 0
    assert any(r["source"] == "自定义" for r in json.loads(result.stdout))


@pytest.mark.parametrize("year", [1900, 2100, 0])
def test_year_out_of_range_is_a_usage_error(run, year):
    result = run(year)
    assert result.exit_code == 2
    assert "1901-2099" in result.stderr
    assert result.stdout == ""


def test_bad_config_exits_2_with_one_line(run, tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[[calendar.holidays]]\nstart = "2027-02-30"\nname = "春节"\n', encoding="utf-8")
    result = run(2027, "--config", cfg)
    assert result.exit_code == 2
    assert "'2027-02-30' is not a date" in result.stderr
    assert "Traceback" not in result.output
    broken = tmp_path / "broken.toml"
    broken.write_text("[calendar\n", encoding="utf-8")
    result = run(2027, "--config", broken)
    assert result.exit_code == 2 and "not valid TOML" in result.stderr


def test_missing_config_file_is_a_usage_error(run, tmp_path):
    result = run(2026, "--config", tmp_path / "nope.toml")
    assert result.exit_code == 2


def test_xlsx_needs_output(run, tmp_path):
    assert run(2026, "--format", "xlsx").exit_code == 2
    out = tmp_path / "cal.xlsx"
    result = run(2026, "--format", "xlsx", "-o", out)
    assert result.exit_code == 0 and out.stat().st_size > 0


def test_help(run):
    result = run("--help")
    assert result.exit_code == 0
    assert "YEAR" in result.stdout and "--config" in result.stdout and "--format" in result.stdout
