"""Write docs/cli.md from every command's --help, so the reference never drifts from the code.

    python docs/make_cli_reference.py          # rewrite docs/cli.md
    python docs/make_cli_reference.py --check  # exit 1 when docs/cli.md is out of date

tests/test_docs.py runs the check.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "cli.md"


def _commands(group: click.Group, prefix: list[str]):
    ctx = click.Context(group, info_name=prefix[-1])
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        yield prefix + [name], command
        if isinstance(command, click.Group):
            yield from _commands(command, prefix + [name])


def _help(args: list[str]) -> str:
    from followup_cli.cli import cli

    result = CliRunner().invoke(
        cli, args + ["--help"], prog_name="followup", terminal_width=100, env={"FOLLOWUP_LANG": "en", "COLUMNS": "100"}
    )
    if result.exit_code != 0:
        raise SystemExit(f"followup {' '.join(args)} --help failed: {result.output}")
    return result.output.rstrip() + "\n"


def render() -> str:
    from followup_cli.cli import cli

    parts = [
        "# Command reference\n",
        "Generated from `--help` by `docs/make_cli_reference.py`; do not edit by hand.\n",
        "Exit codes, for every command: 0 success; 1 the data has problems (check found some, "
        "record rejected rows); 2 a usage error or a file that cannot be read; 3 an unexpected "
        "error inside followup (a bug: one line, the trace with `--verbose`).\n",
        "## followup\n",
        "```text\n" + _help([]) + "```\n",
    ]
    for path, _command in _commands(cli, ["followup"]):
        args = path[1:]
        parts.append(f"## followup {' '.join(args)}\n")
        parts.append("```text\n" + _help(args) + "```\n")
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    os.environ["FOLLOWUP_LANG"] = "en"
    text = render()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date: run python docs/make_cli_reference.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
