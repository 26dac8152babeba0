"""Progress on stderr: only on a terminal, never with -q, and the library sees a callable."""

from __future__ import annotations

import io

from followup_cli.cli import progress as progress_module
from followup_cli.cli.progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_off_when_not_a_terminal_or_quiet():
    assert Progress("zh", stream=io.StringIO()).bar("write") is None
    assert Progress("zh", quiet=True, stream=Terminal()).bar("write") is None
    stream = io.StringIO()
    with Progress("zh", stream=stream).step("read"):
        pass
    assert stream.getvalue() == ""


def test_bar_and_step_on_a_terminal(monkeypatch):
    monkeypatch.setattr(progress_module, "DELAY", 0.0)
    stream = Terminal()
    callback = Progress("zh", stream=stream).bar("write")
    for done in range(0, 1001, 200):
        callback(done, 1000)
    assert "写入" in stream.getvalue() and "100%" in stream.getvalue()
    stream = Terminal()
    step = Progress("en", stream=stream)
    import time

    with step.step("read"):
        time.sleep(0.05)  # the timer (DELAY 0) fires; what is asserted is the text, not the time
    assert stream.getvalue().startswith("reading the archive…") and stream.getvalue().endswith(" s\n")


def test_check_kpi_and_assign_show_their_steps_on_a_terminal(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import followup_cli.cli.progress as progress
    from followup_cli.cli import cli
    from tests.helpers import archive

    monkeypatch.setattr(progress, "DELAY", 0)
    monkeypatch.setattr(progress, "_isatty", lambda stream: True)
    path = archive(tmp_path)
    runner = CliRunner()
    for args, step in (
        (["check", path, "--lang", "zh"], "检查档案"),
        (["kpi", path, "--period", "2026-11", "--lang", "en"], "working out the KPIs"),
        (["assign", path, "--dry-run", "--lang", "en"], "planning the owners"),
    ):
        result = runner.invoke(cli, [str(a) for a in args])
        assert step in result.stderr, (args, result.stderr)
        quiet = runner.invoke(cli, [str(a) for a in args] + ["-q"])
        assert step not in quiet.stderr


def test_record_shows_its_step_on_a_terminal(tmp_path, monkeypatch):
    import datetime as dt

    from click.testing import CliRunner

    import followup_cli.cli.progress as progress
    from followup_cli.cli import cli
    from tests.helpers import archive, customer

    path = archive(tmp_path, customers=[customer("C1", birthday=dt.date(1990, 11, 23))])
    runner = CliRunner()
    sheet = tmp_path / "calls.xlsx"
    assert runner.invoke(cli, ["sheet", str(path), "--as-of", "2026-11-23", "-o", str(sheet), "-q"]).exit_code == 0
    monkeypatch.setattr(progress, "DELAY", 0)
    monkeypatch.setattr(progress, "_isatty", lambda stream: True)
    result = runner.invoke(cli, ["record", str(path), str(sheet), "--as-of", "2026-11-23", "--dry-run", "--lang", "en"])
    assert "reading the archive, checking and writing the results" in result.stderr, result.stderr


def test_usage_errors_of_kpi_and_assign_follow_the_language(tmp_path):
    from click.testing import CliRunner

    from followup_cli.cli import cli
    from tests.helpers import archive

    path = str(archive(tmp_path))
    runner = CliRunner()
    zh = runner.invoke(cli, ["kpi", path, "--period", "2026-11", "--from", "2026-11-01", "--lang", "zh"])
    assert zh.exit_code == 2 and "只能二选一" in zh.stderr
    en = runner.invoke(cli, ["assign", path, "--rebalance", "--report", "--lang", "en"])
    assert en.exit_code == 2 and "choose one of --handover, --rebalance and --report" in en.stderr
    zh2 = runner.invoke(cli, ["assign", path, "--max-moves", "3"], env={"FOLLOWUP_LANG": "zh"})
    assert zh2.exit_code == 2 and "一起用" in zh2.stderr
