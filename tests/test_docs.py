"""The documentation is true: the CLI reference is generated from --help, and every command
example in README.md runs as written."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_cli.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_workbooks"


def test_the_cli_reference_is_generated_from_help():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "make_cli_reference.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stderr + "\n(run: python docs/make_cli_reference.py)"


def test_every_command_and_option_is_in_the_reference():
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert f"## followup {name}" in reference, name
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--"):
                    assert opt in reference, (name, opt)


def readme_examples() -> list[str]:
    """Every `followup …` command line in README.md's code blocks (indented or fenced), in order,
    comments cut. The install lines (`python3 -m venv …`) are what CI itself runs."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = []
    for raw in text.splitlines():
        line = raw.strip()
        if raw.startswith("    $ "):
            # the quick-start lines: only the part after the install
            line = raw[6:].split("&&")[-1].strip()
            line = re.sub(r"^\.venv/bin/", "", line)
        elif not raw.startswith("    "):
            continue
        if not line.startswith("followup "):
            continue
        lines.append(line.split("  #")[0].split(" # ")[0].strip())
    return lines


def test_the_readme_has_examples():
    examples = readme_examples()
    assert any(e.startswith("followup due sample_workbooks/") for e in examples), examples
    assert any(e.startswith("followup record ") for e in examples), examples


@pytest.fixture
def shop_folder(tmp_path, monkeypatch):
    """A folder as a shop would have it: the samples under sample_workbooks/, and the Chinese
    retail sample as 客户档案.xlsx (the name README's daily loop uses)."""
    shutil.copytree(SAMPLES, tmp_path / "sample_workbooks", ignore=shutil.ignore_patterns("*.py"))
    shutil.copy(SAMPLES / "retail_vip_zh.xlsx", tmp_path / "客户档案.xlsx")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_readme_example_runs(shop_folder):
    runner = CliRunner()
    for line in readme_examples():
        args = shlex.split(line)[1:]
        result = runner.invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, f"{line}\n{result.output}"
        assert "Traceback" not in result.output and "unexpected error" not in result.output, line
