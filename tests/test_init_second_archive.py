"""`followup init` of a second archive in a folder that already has another's followup.toml."""

from __future__ import annotations

from click.testing import CliRunner

from followup_cli.cli import cli
from followup_cli.config import load_config


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_a_second_archive_gets_its_own_settings_file(tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert run("init", first, "--preset", "sales", "-q").exit_code == 0
    shared = (tmp_path / "followup.toml").read_text(encoding="utf-8")
    result = run("init", second, "--preset", "health", "-q")
    assert result.exit_code == 0, result.output
    own = tmp_path / "b.followup.toml"
    assert own.exists() and str(own) in result.stdout
    assert (tmp_path / "followup.toml").read_text(encoding="utf-8") == shared  # the first shop's untouched
    assert load_config([first]).preset == "sales" and load_config([second]).preset == "health"
    again = run("init", second, "--preset", "health")
    assert again.exit_code == 2 and "b.followup.toml" in again.stderr  # still never overwritten silently


def test_the_same_archive_again_is_refused(tmp_path):
    path = tmp_path / "a.xlsx"
    assert run("init", path, "--preset", "sales", "-q").exit_code == 0
    result = run("init", path, "--preset", "sales")
    assert result.exit_code == 2 and "followup.toml" in result.stderr and "--overwrite" in result.stderr
