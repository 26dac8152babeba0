"""The `followup` command: click only. options holds what commands share; each command lives in
its own module, parses its options, calls one library function and hands rows to outputs.rows."""

from __future__ import annotations

import click

from followup_cli import __version__
from followup_cli.cli.assign import assign
from followup_cli.cli.audit import audit
from followup_cli.cli.calendar import calendar
from followup_cli.cli.check import check
from followup_cli.cli.columns import columns
from followup_cli.cli.due import due
from followup_cli.cli.history import history
from followup_cli.cli.init import init
from followup_cli.cli.kpi import kpi
from followup_cli.cli.language import FollowupGroup
from followup_cli.cli.presets import presets
from followup_cli.cli.record import log, record
from followup_cli.cli.sheet import sheet
from followup_cli.cli.sms import sms


class _Program(FollowupGroup):
    """`followup` run as a program: ends without freeing everything it built (cli/exit.py)."""

    def __call__(self, *args, **kwargs):
        try:
            rv = self.main(*args, **kwargs)
        except SystemExit as done:
            from followup_cli.cli.exit import exit_now

            exit_now(done.code)
        return rv


@click.group(cls=_Program, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="followup")
def cli():
    """Run a shop's customer follow-up (回访) policy from its own Excel workbooks.

    Morning: `followup due ARCHIVE.xlsx` for today's call list. Validate the archive with
    `followup check`. See the policies with `followup presets`.
    """


for command in (due, check, columns, sheet, sms, history, record, log, assign, kpi, audit, init, presets, calendar):
    cli.add_command(command)
