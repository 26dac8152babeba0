"""How a command ends: a bug has its own exit code and one line; the write journal names the
command as typed, whoever ran it."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner

from followup_cli.cli import cli
from followup_cli.errors import EXIT_BUG
from tests.helpers import archive, customer


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_a_bug_exits_3_in_one_line_and_shows_the_trace_only_with_verbose(tmp_path, monkeypatch):
    import followup_cli.outputs.due_list as due_list

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(due_list, "due", broken)
    path = archive(tmp_path)
    result = invoke("due", path, "--as-of", "2026-11-23", "--lang", "en")
    assert result.exit_code == EXIT_BUG == 3
    assert "unexpected error (RuntimeError: boom)" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    verbose = invoke("due", path, "--as-of", "2026-11-23", "--verbose")
    assert verbose.exit_code == 3 and "Traceback" in verbose.stderr


def test_the_write_journal_records_the_command_not_the_host_process(tmp_path):
    path = archive(tmp_path, customers=[customer("C1", birthday=dt.date(1990, 11, 23))])
    result = invoke(
        "log",
        path,
        "--customer",
        "C1",
        "--kind",
        "birthday",
        "--outcome",
        "已联系",
        "--date",
        "2026-11-23",
        "--notes",
        "祝福 已送达",
        "-q",
    )
    assert result.exit_code == 0, result.output
    line = (tmp_path / "followup-audit.log").read_text(encoding="utf-8").splitlines()[-1]
    command = line.split("\t")[2]
    assert command == (
        f"followup log {path} --customer C1 --kind birthday --outcome 已联系 --date 2026-11-23 --notes '祝福 已送达'"
    ), command
