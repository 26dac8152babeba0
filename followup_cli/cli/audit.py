"""`followup audit`: draw a reproducible random sample of a period's visit records for a
supervisor to verify, as a workbook with a verdict column to fill in."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from followup_cli.cli.kpi import loaded, period_options, resolve_period
from followup_cli.cli.options import archive_options, handle_errors, mask_phone_option, note, usage_error

if TYPE_CHECKING:
    import datetime as dt

    from followup_cli.cli.options import ArchiveOptions


@click.command("audit")
@archive_options
@period_options
@click.option("--rate", default="5%", show_default=True, help="Share of each staff member's visits to draw, e.g. 5%.")
@click.option(
    "--seed",
    type=int,
    default=None,
    help="Seed of the draw (default: from the period, so the same period gives the same sample).",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), required=True, help="The audit workbook to write (.xlsx)."
)
@mask_phone_option
@click.option(
    "--overwrite",
    "force",
    is_flag=True,
    help="Overwrite OUTPUT if it exists (a filled audit sheet's verdicts are lost).",
)
@handle_errors
def audit(
    opts: ArchiveOptions,
    period: str | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    as_of: dt.date | None,
    rate: str,
    seed: int | None,
    output: str,
    mask_phone: bool,
    force: bool,
) -> None:
    """Draw a spot-check sample of the period's visit records (抽查).

    Every visit dated in the period is a candidate; RATE of each staff member's visits is
    drawn (at least one each), reproducibly: the same archive, period and --seed give the
    same sample. The workbook lists each drawn visit as recorded, with its visit id and
    sheet row, and columns to fill in: 核查结果 (准确 / 不准确), 核查人, 核查日期, 核查说明.
    Import the filled sheet with `followup record ARCHIVE audit.xlsx`; `followup kpi` then
    reports record accuracy. The sheet has phone numbers (for calling customers back):
    keep it in the shop.
    """
    import datetime as dt
    from pathlib import Path

    from followup_cli.outputs.audit_sheet import draw_sample, parse_rate, write_audit_workbook

    lang, quiet = opts.lang, opts.quiet
    if Path(output).suffix.lower() not in (".xlsx", ".xlsm"):
        raise usage_error(
            f"-o {output}：抽查表是工作簿，请以 .xlsx 命名",
            f"-o {output}: the audit sheet is a workbook; name it .xlsx",
            lang,
        )
    if Path(output).exists() and not force:  # it may hold a supervisor's verdicts, as a call sheet a clerk's calls
        from followup_cli.text.clerk import exists_use_overwrite

        raise click.UsageError(exists_use_overwrite(output))
    fraction = parse_rate(rate)
    per = resolve_period(period, date_from, date_to, lang)
    report_day = as_of or dt.date.today()
    config, archive = loaded(opts)
    sample = draw_sample(archive, per, report_day, fraction, seed)
    write_audit_workbook(sample, output, archive.lang, opts.archives, mask_phone)
    from followup_cli.outputs.privacy import journal_export
    from followup_cli.text.audit import drawn
    from followup_cli.text.clerk import journaled

    phones = 0 if mask_phone else sum(1 for r in sample.rows if r.get("phone"))
    if journal_export(opts.archives[0], "audit", output, phones):
        note(journaled(phones).text(archive.lang), quiet)
    note(drawn(per.label, sample.population, fraction, len(sample.rows), sample.seed, output).text(archive.lang), quiet)
