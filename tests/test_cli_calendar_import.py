"""`followup calendar import NOTICE`: the notice shown, confirmed, written into followup.toml
surgically, and used by every command that counts working days."""

import datetime as dt
import difflib
import json
import tomllib
from pathlib import Path

import pytest
from chinese_calendar import constants
from click.testing import CliRunner

from followup_cli.calendar import workcalendar_from_config
from followup_cli.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
D = dt.date

EXISTING = """# our shop's settings
preset = "sales"   # we sell cars

[shop]
name = "城东店"

[calendar]
workdays = ["2024-12-28"]   # stocktaking Saturday

[[calendar.holidays]]
start = "2024-12-31"
name = "年终盘点"

[calendar.birthday]
lunar_day30 = "next_day"
"""

# An invented notice for 2027 (the real one is not published yet): only its shape matters.
INVENTED_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至12日（周五）放假调休，共8天。2月20日（周六）上班。
"""


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for var in ("FOLLOWUP_CONFIG", "FOLLOWUP_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")

    def invoke(*args, input=None):
        return CliRunner().invoke(cli, ["calendar", *map(str, args)], input=input)

    return invoke


def only_insertions(old: str, new: str) -> bool:
    ops = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False).get_opcodes()
    return all(tag in ("equal", "insert") for tag, *_ in ops)


@pytest.mark.parametrize("year", [2025, 2026])
def test_imported_notice_is_chinesecalendars_schedule_day_by_day(run, tmp_path, year):
    cfg = tmp_path / "followup.toml"
    cfg.write_text(EXISTING, encoding="utf-8")
    result = run("import", FIXTURES / f"notice_{year}.txt", "--yes", "--format", "json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert [r["date"] for r in shown if r["type"] == "make-up workday"] == sorted(
        str(d) for d in constants.workdays if d.year == year
    )
    assert len([r for r in shown if r["type"] == "day off"]) == sum(1 for d in constants.holidays if d.year == year)
    assert f"the same, day by day, as chinesecalendar's schedule for {year}" in result.stderr
    new = cfg.read_text(encoding="utf-8")
    assert new.startswith(EXISTING) and only_insertions(EXISTING, new)  # the rest kept as it was
    raw = tomllib.loads(new)
    table = raw["calendar"]["imported"][str(year)]
    assert table["source"] == "official (imported)"
    assert table["notice"] == f"国务院办公厅关于{year}年部分节假日安排的通知"
    assert raw["calendar"]["birthday"] == {"lunar_day30": "next_day"}
    wc = workcalendar_from_config(raw)
    assert wc.schedule_source(year) == "imported"
    d = D(year, 1, 1)
    while d.year == year:
        assert wc.is_workday(d) == (d in constants.workdays or (d.weekday() < 5 and d not in constants.holidays)), d
        d += dt.timedelta(days=1)
    said = run(year, "--lang", "en", "--format", "csv").stderr
    assert said.startswith(f"schedule for {year}: official, imported (the notice: 国务院办公厅关于{year}年")


def test_a_new_year_is_usable_the_day_it_is_published(run, tmp_path):
    notice = tmp_path / "2027.txt"
    notice.write_text(INVENTED_2027, encoding="utf-8")
    before = run(2027, "--format", "json")
    assert "warning: No official holiday schedule for 2027" in before.stderr
    result = run("import", notice, "--yes")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "followup.toml").is_file()  # created in the working folder
    after = run(2027, "--format", "json")
    assert "warning" not in after.stderr
    rows = [r for r in json.loads(after.stdout) if r["type"] != "festival"]
    assert [(r["type"], r["date"], r["end"], r["source"]) for r in rows] == [
        ("holiday", "2027-01-01", "2027-01-03", "imported"),
        ("holiday", "2027-02-05", "2027-02-12", "imported"),
        ("make-up workday", "2027-02-20", "2027-02-20", "imported"),
    ]
    assert rows[-1]["name"] == "make-up workday for Spring Festival"


def test_nothing_is_written_without_confirmation(run, tmp_path):
    cfg = tmp_path / "followup.toml"
    cfg.write_text(EXISTING, encoding="utf-8")
    result = run("import", FIXTURES / "notice_2026.txt", input="n\n")
    assert result.exit_code == 0
    assert "Write it into" in result.stderr and "nothing was written" in result.stderr
    assert "2026-02-14" in result.stdout  # the schedule was shown
    assert cfg.read_text(encoding="utf-8") == EXISTING
    result = run("import", FIXTURES / "notice_2026.txt", input="y\n")
    assert result.exit_code == 0 and "written into [calendar.imported.2026]" in result.stderr
    assert "[calendar.imported.2026]" in cfg.read_text(encoding="utf-8")


def test_importing_again_replaces_the_year(run, tmp_path):
    cfg = tmp_path / "followup.toml"
    cfg.write_text(EXISTING, encoding="utf-8")
    assert run("import", FIXTURES / "notice_2026.txt", "--yes").exit_code == 0
    first = cfg.read_text(encoding="utf-8")
    result = run("import", FIXTURES / "notice_2026.txt", "--yes")
    assert "already has a notice imported for 2026: it will be replaced" in result.stderr
    assert cfg.read_text(encoding="utf-8") == first
    assert run("import", FIXTURES / "notice_2025.txt", "--yes").exit_code == 0
    both = cfg.read_text(encoding="utf-8")
    assert both.count("[calendar.imported.2026]") == 1 and both.count("[calendar.imported.2025]") == 1
    assert set(tomllib.loads(both)["calendar"]["imported"]) == {"2025", "2026"}


def test_a_garbled_notice_writes_nothing(run, tmp_path):
    cfg = tmp_path / "followup.toml"
    cfg.write_text(EXISTING, encoding="utf-8")
    garbled = tmp_path / "garbled.txt"
    text = (FIXTURES / "notice_2026.txt").read_text(encoding="utf-8")
    garbled.write_text(text.replace("5月9日（周六）上班", "5月9日（周六）上斑"), encoding="utf-8")
    result = run("import", garbled, "--yes")
    assert result.exit_code == 2
    assert f"{garbled} line 10 cannot be read" in result.stderr and "nothing was written" in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""
    assert cfg.read_text(encoding="utf-8") == EXISTING
    zh = run("import", garbled, "--yes", "--lang", "zh")
    assert zh.exit_code == 2 and "第 10 行读不懂" in zh.stderr


def test_stdin_needs_yes(run, tmp_path):
    text = (FIXTURES / "notice_2025.txt").read_text(encoding="utf-8")
    result = run("import", "-", input=text)
    assert result.exit_code == 2 and "add --yes" in result.stderr
    assert not (tmp_path / "followup.toml").exists()
    result = run("import", "-", "--yes", input=text)
    assert result.exit_code == 0, result.output
    assert "2025" in tomllib.loads((tmp_path / "followup.toml").read_text(encoding="utf-8"))["calendar"]["imported"]


def test_gb18030_notice_and_config_beside_the_archive(run, tmp_path):
    shop = tmp_path / "shop"
    shop.mkdir()
    archive = shop / "archive.xlsx"  # only its folder matters here
    notice = tmp_path / "notice.txt"
    notice.write_bytes((FIXTURES / "notice_2026.txt").read_text(encoding="utf-8").encode("gb18030"))
    result = run("import", notice, "--archive", archive, "--yes")
    assert result.exit_code == 0, result.output
    assert (shop / "followup.toml").is_file() and not (tmp_path / "followup.toml").exists()
    said = run(2026, "--archive", archive, "--format", "csv").stderr
    assert said.startswith("schedule for 2026: official, imported") and str(shop / "followup.toml") in said


def test_explicit_config_is_created_and_year_option(run, tmp_path):
    body = "\n".join(
        line
        for line in (FIXTURES / "notice_2026.txt").read_text(encoding="utf-8").splitlines()
        if "2026年" not in line and "2025年" not in line
    )
    notice = tmp_path / "untitled.txt"
    notice.write_text(body, encoding="utf-8")
    assert run("import", notice, "--yes").exit_code == 2
    target = tmp_path / "conf" / "mine.toml"
    result = run("import", notice, "--year", 2026, "--yes", "--config", target)
    assert result.exit_code == 0, result.output
    written = tomllib.loads(target.read_text(encoding="utf-8"))
    assert workcalendar_from_config(written).schedule_source(2026) == "imported"


def test_due_uses_the_imported_schedule(tmp_path):
    from followup_cli.config import load_config
    from followup_cli.policy.setup import policy_setup

    cfg = tmp_path / "followup.toml"
    notice = tmp_path / "2027.txt"
    notice.write_text(INVENTED_2027, encoding="utf-8")
    result = CliRunner().invoke(cli, ["calendar", "import", str(notice), "--config", str(cfg), "--yes"])
    assert result.exit_code == 0, result.output
    workcal = policy_setup(load_config([tmp_path / "a.xlsx"])).workcal
    assert workcal.schedule_source(2027) == "imported"
    assert workcal.add_workdays(D(2027, 2, 4), 1) == D(2027, 2, 15)


def test_an_inline_calendar_table_is_refused_clearly(run, tmp_path):
    cfg = tmp_path / "followup.toml"
    cfg.write_text('calendar = {workdays = ["2024-12-28"]}\n', encoding="utf-8")
    result = run("import", FIXTURES / "notice_2026.txt", "--yes")
    assert result.exit_code == 2 and "write it as a [calendar] table" in result.stderr
    assert cfg.read_text(encoding="utf-8") == 'calendar = {workdays = ["2024-12-28"]}\n'
    cfg.write_text("[calendar\n", encoding="utf-8")
    result = run("import", FIXTURES / "notice_2026.txt", "--yes")
    assert result.exit_code == 2 and "not valid TOML" in result.stderr
