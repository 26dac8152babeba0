"""The `followup` command: click only. options holds what commands share; each command lives in
its own module, parses its options, calls one library function and hands rows to outputs.rows.

Commands are imported when they are run (or their help is shown), not before: `followup --help`
lists them from the summaries in text/commands.py, so it costs little more than importing click.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping

import click

from followup_cli import __version__
from followup_cli.cli.language import FollowupGroup, translate_loaded
from followup_cli.text.commands import SUMMARY
from followup_cli.text.messages import text

# name -> (module, attribute) of every command; the module is imported on first use.
COMMANDS: dict[str, tuple[str, str]] = {
    "due": ("followup_cli.cli.due", "due"),
    "check": ("followup_cli.cli.check", "check"),
    "columns": ("followup_cli.cli.columns", "columns"),
    "sheet": ("followup_cli.cli.sheet", "sheet"),
    "sms": ("followup_cli.cli.sms", "sms"),
    "history": ("followup_cli.cli.history", "history"),
    "record": ("followup_cli.cli.record", "record"),
    "log": ("followup_cli.cli.log", "log"),
    "assign": ("followup_cli.cli.assign", "assign"),
    "kpi": ("followup_cli.cli.kpi", "kpi"),
    "audit": ("followup_cli.cli.audit", "audit"),
    "init": ("followup_cli.cli.init", "init"),
    "presets": ("followup_cli.cli.presets", "presets"),
    "calendar": ("followup_cli.cli.calendar", "calendar"),
}


class LazyCommands(MutableMapping):
    """The group's `commands`: a mapping whose values are imported when first looked up."""

    def __init__(self, specs: dict[str, tuple[str, str]]):
        self._specs = dict(specs)
        self._loaded: dict[str, click.Command] = {}

    def loaded(self) -> dict[str, click.Command]:
        return self._loaded

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            if name not in self._specs:
                raise KeyError(name)
            module, attr = self._specs[name]
            command = getattr(importlib.import_module(module), attr)
            for key, cmd in [
                (name, command),
                *((f"{name} {s}", c) for s, c in getattr(command, "commands", {}).items()),
            ]:
                if key in SUMMARY:
                    cmd.short_help = SUMMARY[key]
            self._loaded[name] = command
            translate_loaded(name, command)
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self._loaded.pop(name, None)
        self._specs.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self._specs, *self._loaded]))

    def __len__(self) -> int:
        return len(set(self._specs) | set(self._loaded))


class _Program(FollowupGroup):
    """`followup` run as a program: commands imported on use, and the process ends without
    freeing everything it built (cli/exit.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.commands = LazyCommands(COMMANDS)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the summaries, importing no command that is not loaded yet."""
        lang = getattr(self, "help_lang", "en")
        rows = []
        for name in self.list_commands(ctx):
            if name in SUMMARY:
                rows.append((name, text(SUMMARY[name], lang)))
            else:
                command = self.get_command(ctx, name)
                if command is not None and not command.hidden:
                    rows.append((name, command.get_short_help_str(formatter.width - 6 - len(name))))
        if rows:
            from click.core import _ as gettext  # click's own heading, in the user's language

            with formatter.section(gettext("Commands")):
                formatter.write_dl(rows)

    def __call__(self, *args, **kwargs):
        _replace_unencodable()
        try:
            rv = self.main(*args, **kwargs)
        except SystemExit as done:
            from followup_cli.cli.exit import exit_now

            exit_now(done.code)
        return rv


def _replace_unencodable() -> None:
    """stdout and stderr show a character their encoding lacks (a GBK console, PYTHONIOENCODING=
    ascii) as '?', the way a console shows it, instead of failing mid-line: a customer named 𠮷
    is still listed. A kept result's key holds the streams' error handler (cli/replay.py), so a
    replay is written the same way."""
    import sys

    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):  # a stream that cannot be reconfigured keeps its own
                pass


@click.group(cls=_Program, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="followup")
def cli() -> None:
    """Run a shop's customer follow-up (回访) policy from its own Excel workbooks.

    Morning: `followup due ARCHIVE.xlsx` for today's call list. Validate the archive with
    `followup check`. See the policies with `followup presets`.
    """
