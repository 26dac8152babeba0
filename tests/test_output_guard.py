"""No output is written over a file the run reads (followup_cli/inputs.py): `-o` naming the
archive, followup.toml or the filled call sheet being recorded is refused, exit 2, in the
archive's language, and every file is left byte for byte as it was. Before, `due 档案.xlsx
-o 档案.xlsx` replaced the shop's archive with a CSV, and `audit`/`kpi` with a workbook."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_cli.cli import cli

SAMPLES = Path(__file__).resolve().parents[1] / "sample_workbooks"
AS_OF = "2026-11-23"
REFUSED_ZH = "这是本次读取的文件，写出结果会覆盖它；文件没有改动"
REFUSED_EN = "is a file this run reads: writing the output would replace it; it is unchanged"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def archive(tmp_path):
    path = tmp_path / "档案.xlsx"
    shutil.copy(SAMPLES / "retail_vip_zh.xlsx", path)
    return path


COMMANDS = {
    "due csv": ["due", "{a}", "--as-of", AS_OF, "--format", "csv", "-o", "{o}"],
    "due xlsx": ["due", "{a}", "--as-of", AS_OF, "-o", "{o}"],
    "check": ["check", "{a}", "--format", "json", "-o", "{o}"],
    "kpi report": ["kpi", "{a}", "--period", "2026-11", "--as-of", "2026-11-30", "-o", "{o}"],
    "audit": ["audit", "{a}", "--period", "2026-11", "--as-of", "2026-11-30", "--overwrite", "-o", "{o}"],
    "sheet": ["sheet", "{a}", "--as-of", AS_OF, "--overwrite", "-o", "{o}"],
    "sms": ["sms", "{a}", "--as-of", AS_OF, "-o", "{o}"],
    "history": ["history", "{a}", "C0001", "-o", "{o}"],
}
SUFFIX = {"due csv": ".csv", "check": ".json", "sms": ".csv", "history": ".txt"}


def _args(name, a, o):
    return [x.format(a=a, o=o) for x in COMMANDS[name]]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_output_over_the_archive_is_refused(archive, name):
    before = archive.read_bytes()
    result = run(*_args(name, archive, archive))
    assert result.exit_code == 2, result.output
    assert REFUSED_ZH in result.output and "Traceback" not in result.output
    assert archive.read_bytes() == before
    # the same command writing elsewhere works, so the refusal is about the file named
    other = archive.with_name("out" + SUFFIX.get(name, ".xlsx"))
    result = run(*_args(name, archive, other))
    assert result.exit_code in (0, 1), result.output
    assert other.exists() and archive.read_bytes() == before


def test_another_spelling_or_a_link_of_the_archive_is_refused(archive, monkeypatch):
    before = archive.read_bytes()
    monkeypatch.chdir(archive.parent)
    result = run("due", archive.name, "--as-of", AS_OF, "--format", "csv", "-o", f"./sub/../{archive.name}")
    assert result.exit_code == 2 and REFUSED_ZH in result.output, result.output
    link = archive.with_name("link.xlsx")
    os.symlink(archive, link)
    result = run("due", archive, "--as-of", AS_OF, "--format", "csv", "-o", link, "--lang", "en")
    assert result.exit_code == 2 and REFUSED_EN in result.output, result.output
    assert archive.read_bytes() == before and link.is_symlink()


def test_followup_toml_in_use_is_not_an_output(archive):
    toml = archive.with_name("followup.toml")
    toml.write_text("[policy]\nyearly_cap = 6\n", encoding="utf-8")
    result = run("due", archive, "--as-of", AS_OF, "--format", "csv", "-o", toml)
    assert result.exit_code == 2 and REFUSED_ZH in result.output, result.output
    assert toml.read_text(encoding="utf-8") == "[policy]\nyearly_cap = 6\n"


def test_record_stops_before_recording_when_its_output_is_the_filled_sheet(archive):
    calls = archive.with_name("calls.xlsx")
    assert run("sheet", archive, "--as-of", AS_OF, "-o", calls).exit_code == 0
    archive_before, calls_before = archive.read_bytes(), calls.read_bytes()
    result = run("record", archive, calls, "--as-of", AS_OF, "-o", calls)
    assert result.exit_code == 2 and REFUSED_ZH in result.output, result.output
    assert archive.read_bytes() == archive_before and calls.read_bytes() == calls_before
    assert not list(archive.parent.glob(".followup-backups/*"))  # nothing was written, so no backup


def test_a_file_read_by_one_run_may_be_written_by_the_next(archive):
    """The list of files read lasts one run: an in-process caller's next command starts afresh."""
    out = archive.with_name("due.csv")
    assert run("due", out, "--as-of", AS_OF).exit_code != 0  # not an archive: read, refused
    result = run("due", archive, "--as-of", AS_OF, "--format", "csv", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_journal_and_the_backups_are_not_outputs(archive):
    journal = archive.with_name("followup-audit.log")
    journal.write_text("2026-11-01\tearlier line\n", encoding="utf-8")
    backups = archive.parent / ".followup-backups"
    backups.mkdir()
    for target in (journal, backups / "x.csv"):
        result = run("due", archive, "--as-of", AS_OF, "--format", "csv", "-o", target)
        assert result.exit_code == 2 and "写入日志或备份" in result.output, result.output
    assert journal.read_text(encoding="utf-8") == "2026-11-01\tearlier line\n"
    assert not (backups / "x.csv").exists()


def test_kpi_tables_to_a_file_pass_the_one_gate(archive):
    """kpi's screen tables written to -o go through atomic_output like every output: a
    read-only file is refused, and nothing half-written is left."""
    out = archive.with_name("kpi.txt")
    out.write_text("kept\n", encoding="utf-8")
    out.chmod(0o444)
    result = run("kpi", archive, "--period", "2026-11", "--as-of", "2026-11-30", "-o", out)
    assert result.exit_code == 2 and "只读" in result.output, result.output
    assert out.read_text(encoding="utf-8") == "kept\n"
    out.chmod(0o644)
    result = run("kpi", archive, "--period", "2026-11", "--as-of", "2026-11-30", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") != "kept\n"
    assert not list(archive.parent.glob(".kpi.txt.*"))
