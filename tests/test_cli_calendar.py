"""`followup calendar YEAR`, invoked directly through its click group (`calendar import`:
tests/test_cli_calendar_import.py)."""

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
    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")  # the shared language detection: a Chinese system

    def invoke(*args):
        return CliRunner().invoke(calendar, [str(a) for a in args])

    return invoke


def test_json_2026_official(run):
    result = run(2026, "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        "schedule for 2026: official (the State Council notice as carried by chinesecalendar"
    )
    rows = json.loads(result.stdout)
    workdays = [r for r in rows if r["type"] == "make-up workday"]
    assert [r["date"] for r in workdays] == [
        "2026-01-04",
        "2026-02-14",
        "2026-02-28",
        "2026-05-09",
        "2026-09-20",
        "2026-10-10",
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
        "2025-01-26",
        "2025-02-08",
        "2025-04-27",
        "2025-09-28",
        "2025-10-11",
    ]


def test_2027_is_marked_computed_with_a_warning_on_stderr(run):
    result = run(2027, "--format", "json", "--lang", "en")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert {r["source"] for r in rows if r["type"] == "holiday"} == {"computed"}
    assert not [r for r in rows if r["type"] == "make-up workday"]
    assert result.stderr.splitlines()[0].startswith("schedule for 2027: computed (no official schedule yet")
    assert result.stderr.splitlines()[1].startswith("warning: No official holiday schedule for 2027")
    spring = next(r for r in rows if r["type"] == "holiday" and r["date"] == "2027-02-05")
    assert spring["end"] == "2027-02-10" and "02-09, 02-10" in spring["note"] and "article 6" in spring["note"]
    zh = run(2027)
    assert "2027 年放假安排来源：推算" in zh.stderr
    assert "警告：2027 年没有官方放假安排数据" in zh.stderr
    assert "推算" in zh.stdout and "含补假 2 天：2月9日、2月10日" in zh.stdout
    assert run(2027, "-q").stderr == ""


def test_config_override(run, tmp_path):
    cfg = tmp_path / "shop.toml"
    cfg.write_text(
        '[calendar]\nworkdays = ["2027-02-20"]\n\n'
        '[[calendar.holidays]]\nstart = "2027-02-05"\nend = "2027-02-12"\nname = "春节"\n',
        encoding="utf-8",
    )
    result = run(2027, "--config", cfg, "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"schedule for 2027: override (followup.toml's [calendar], the whole year as written there) ({cfg})\n"
    )
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
    result = run(2027, "--config", cfg, "--lang", "en")
    assert result.exit_code == 2
    assert "'2027-02-30' is not a date" in result.stderr
    assert "Traceback" not in result.output
    broken = tmp_path / "broken.toml"
    broken.write_text("[calendar\n", encoding="utf-8")
    result = run(2027, "--config", broken, "--lang", "en")
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
    assert "followup calendar 2026" in result.stdout and "followup calendar import NOTICE" in result.stdout
    result = run(2026, "--help")
    assert result.exit_code == 0
    assert "YEAR" in result.stdout and "--config" in result.stdout and "--format" in result.stdout
    result = run("import", "--help")
    assert result.exit_code == 0
    assert "NOTICE" in result.stdout and "--yes" in result.stdout and "official (imported)" in result.stdout


def test_language_follows_the_shared_detection(run, monkeypatch):
    assert run(2026).stdout.splitlines()[0].split()[0] == "日期"  # LANG=zh_CN
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert run(2026).stdout.splitlines()[0].split()[0] == "date"
    monkeypatch.setenv("FOLLOWUP_LANG", "zh")
    assert run(2026).stdout.splitlines()[0].split()[0] == "日期"
    assert run(2026, "--lang", "en").stdout.splitlines()[0].split()[0] == "date"


def test_errors_in_the_users_language(run, tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[[calendar.holidays]]\nstart = "2027-02-30"\nname = "春节"\n', encoding="utf-8")
    result = run(2027, "--config", cfg)
    assert result.exit_code == 2 and "不是日期" in result.stderr and "YYYY-MM-DD" in result.stderr
    assert "1901-2099" in run(2100).stderr and "不在" in run(2100).stderr


def test_where_each_years_schedule_comes_from(run, tmp_path):
    cfg = tmp_path / "followup.toml"
    cfg.write_text('[calendar]\nworkdays = ["2026-12-26"]\n', encoding="utf-8")
    said = run(2026, "--config", cfg, "--lang", "en", "-o", tmp_path / "x.csv").stderr
    assert said.startswith("schedule for 2026: official (the State Council notice as carried by chinesecalendar")
    assert "corrected day by day by followup.toml's [calendar] (override)" in said
    assert run(2025, "--lang", "en", "--format", "csv").stderr.startswith("schedule for 2025: official")


def test_help_of_the_group_and_its_commands_in_chinese(run):
    from followup_cli.cli import cli

    for args, zh, en in [
        (["calendar", "--help"], "导入国务院放假安排通知", "read a State Council holiday notice"),
        (["calendar", "import", "--help"], "读入国务院办公厅的放假安排通知", "Read a State Council holiday notice"),
        (["calendar", "2026", "--help"], "每个假期和调休日标明来源", "Each holiday range and make-up workday"),
    ]:
        result = CliRunner().invoke(cli, args, env={"FOLLOWUP_LANG": "zh"})
        assert result.exit_code == 0 and zh in result.stdout and en not in result.stdout, args
        assert "不询问直接写入" in result.stdout or args[1] != "import"
        english = CliRunner().invoke(cli, args, env={"FOLLOWUP_LANG": "en"})
        assert en in english.stdout and zh not in english.stdout, args
