"""`followup kpi`: the period's KPIs, each with its numerator and denominator; `-o report.xlsx`
writes the report workbook with charts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from followup_cli.cli.options import (
    DATE,
    archive_options,
    as_of_option,
    check_output,
    handle_errors,
    load,
    message_lang,
    note,
    output_options,
    usage_error,
    with_options,
)

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    from followup_cli.archive.records import Archive
    from followup_cli.cli.options import ArchiveOptions
    from followup_cli.cli.replay import Recording
    from followup_cli.config import Config
    from followup_cli.kpi.period import Period
    from followup_cli.policy.rules import Policy

DIMENSIONS = ["staff", "store", "kind", "week", "month", "quarter"]


def resolve_period(
    period: str | None, date_from: dt.date | None, date_to: dt.date | None, lang: str | None = None
) -> Period:
    """The Period from --period or --from/--to (exactly one of the two ways)."""
    from followup_cli.kpi import parse_period, period_between

    if period and (date_from or date_to):
        raise usage_error("--period 与 --from/--to 只能二选一", "give either --period or --from/--to, not both", lang)
    if period:
        return parse_period(period)
    if date_from and date_to:
        return period_between(date_from, date_to)
    if date_from or date_to:
        raise usage_error("--from 和 --to 要一起给出", "--from and --to go together: give both dates", lang)
    raise usage_error(
        "哪个时期？请给出 --period 2026-W47（ISO 周）、2026-11（月）、2026-Q4（季度）或 2026（年），"
        "或 --from YYYY-MM-DD --to YYYY-MM-DD",
        "which period? give --period 2026-W47 (an ISO week), 2026-11 (a month), 2026-Q4 (a quarter) "
        "or 2026 (a year), or --from YYYY-MM-DD --to YYYY-MM-DD",
        lang,
    )


def period_options(f: Callable) -> Callable:
    decorators = [
        click.option(
            "--period",
            default=None,
            metavar="P",
            help="An ISO week (2026-W47, Monday to Sunday), a month (2026-11), a quarter (2026-Q4) or a year (2026).",
        ),
        click.option("--from", "date_from", type=DATE, default=None, help="First day of a custom period."),
        click.option("--to", "date_to", type=DATE, default=None, help="Last day of a custom period."),
        as_of_option("The report day (default today): nothing after it is seen; the period is cut off there."),
    ]
    return with_options(f, decorators)


def loaded(
    opts: ArchiveOptions,
    config: Config | None = None,
    fields: Callable[[Policy], dict[str, set[str]]] | None = None,
) -> tuple[Config, Archive]:
    """The archive of `kpi` and `audit`: a period's figures need customers. `fields`: see
    options.load (`audit` reads every column: its sheet shows the visits' own cells)."""
    return load(opts, customers="required", config=config, fields=fields)


@click.command("kpi")
@archive_options
@output_options
@period_options
@click.option(
    "--by",
    "by",
    type=click.Choice(DIMENSIONS),
    default=None,
    help="Also break the KPIs down by staff (ranked, with bonus bands), store, kind, week, month or quarter.",
)
@click.option(
    "--season/--no-season",
    default=None,
    help="Add the seasonal feedback summary (default: when the period is March, May, September or December).",
)
@click.option("--explain", is_flag=True, help="Add each KPI's definition to the table.")
@handle_errors
def kpi(
    opts: ArchiveOptions,
    fmt: str,
    output: str | None,
    period: str | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    as_of: dt.date | None,
    by: str | None,
    season: bool | None,
    explain: bool,
) -> None:
    """The KPIs of a period, each with the numerator and denominator it came from.

    Completion (tasks whose due date falls in the period), satisfaction of reached visits,
    average score, would-recommend, issue resolution and median days, record accuracy from
    spot checks (`followup audit`), tickets followed up within 72 h, major complaints
    escalated within 24 h, project visits, and customer value (VIP spend and spend per
    customer year on year, dormant and won-back customers, the top 20%'s share). In March,
    May, September and December the seasonal feedback summary is added.

    `-o report.xlsx` writes a report workbook instead: summary, staff ranking, monthly
    trend, issues, with native charts. It holds no phone numbers.
    """
    import datetime as dt

    from followup_cli.cli import options, replay

    fmt = check_output(fmt, output)
    lang = opts.lang
    per = resolve_period(period, date_from, date_to, lang)
    report_day = as_of or dt.date.today()
    config = options.settings(opts)
    # The same archive, settings, period and day as a run before: what it wrote, written again.
    replay.run(
        "kpi",
        opts.archives,
        config,
        lambda kept: _kpi(kept, opts, config, fmt, output, per, report_day, by, season, explain),
        as_of=report_day,
        period=repr(per),
    )


def _kpi(
    kept: Recording,
    opts: ArchiveOptions,
    config: Config,
    fmt: str,
    output: str | None,
    per: Period,
    report_day: dt.date,
    by: str | None,
    season: bool | None,
    explain: bool,
) -> None:
    """The KPIs, written through `kept` (cli/replay.py)."""
    from followup_cli.cli.progress import Progress
    from followup_cli.kpi import compute_kpis, settings_from_config, trend_period
    from followup_cli.policy.setup import policy_setup
    from followup_cli.text.kpi import report_written
    from followup_cli.text.messages import msg

    lang, quiet = opts.lang, opts.quiet
    progress = Progress(message_lang(lang), quiet)
    with progress.step("read"):
        from followup_cli.kpi import fields

        config, archive = loaded(opts, config, fields.kpi_fields)  # the columns the figures need
    settings = settings_from_config(config.raw, str(config.path) if config.path else "followup.toml")
    setup = policy_setup(config)
    policy, workcal, bpolicy = setup.policy, setup.workcal, setup.birthday_policy
    dims = [by] if by else []
    trend_p = trend_period(per) if fmt == "xlsx" else None
    if fmt == "xlsx":
        dims += [d for d in ("staff",) if d not in dims]
        if trend_p == per and "month" not in dims:
            dims.append("month")
    with progress.step("kpi"):
        result = compute_kpis(
            archive,
            policy,
            per,
            report_day,
            workcal=workcal,
            birthday_policy=bpolicy,
            followups=setup.followups,
            by=dims,
            settings=settings,
            season=season,
        )
    out_lang = archive.lang
    for zh, en in result.notes:
        note(msg("注意：" + zh, "note: " + en).text(out_lang), quiet)
    _status_note(result, out_lang, quiet)
    if fmt == "xlsx":
        from followup_cli.outputs.report import trend_rows, write_report

        if trend_p == per:
            groups = result.groups["month"]
        else:
            groups = compute_kpis(
                archive,
                policy,
                trend_p,
                report_day,
                workcal=workcal,
                birthday_policy=bpolicy,
                followups=setup.followups,
                by=("month",),
                settings=settings,
                season=False,
            ).groups["month"]
        write_report(
            result, output, out_lang, result.settings, trend_rows(groups, trend_p.months), shop=config.shop_name
        )
        note(report_written(output).text(out_lang), quiet)
        kept.file(output)  # a workbook: not kept (it says when it was made)
        return
    _emit(result, out_lang, settings, fmt, output, by, explain, kept)


def _status_note(result, lang, quiet):
    from followup_cli.text.kpi import status_note

    note(status_note(result.period.label, result.task_counts, result.cutoff).text(lang), quiet)


def _emit(result, lang, settings, fmt, output, by, explain, kept):
    from followup_cli.outputs.kpi_tables import Table, long_table, screen_tables
    from followup_cli.outputs.rows import emit_rows

    to_file = bool(output and output != "-")
    if fmt in ("json", "csv"):
        table = long_table(result, lang, settings)
        emit_rows(table.rows, fmt, table.columns, path=output, stream=kept.stream)
        if to_file:
            kept.file(output)
        return

    def tables(out) -> None:
        from followup_cli.outputs.screen import on_terminal, terminal_width

        width = terminal_width() if not to_file and on_terminal(fmt, output, out) else None
        for piece in screen_tables(result, lang, settings, by, explain):
            if width is not None:  # a terminal: every table and title fitted to its width
                _fitted(piece, width, out)
            elif isinstance(piece, Table):
                emit_rows(piece.rows, "table", piece.columns, stream=out)
            else:
                click.echo(piece, file=out)

    if not to_file:
        tables(kept.stream)
        return
    from followup_cli.outputs.files import atomic_output

    with atomic_output(output) as fh:  # all or nothing, through the one gate of output files
        tables(fh)
    kept.file(output)


def _fitted(piece, width: int, out) -> None:
    """One title or table of the screen, fitted to a terminal `width` wide: the definitions,
    bonus bands and what customers said wrapped (a definition under its row when room is
    short), labels broken at their spaces."""
    from followup_cli.outputs.kpi_tables import Table
    from followup_cli.outputs.screen import wrap_text
    from followup_cli.outputs.screen_fit import Fit, fit_table, write_pieces

    if not isinstance(piece, Table):
        click.echo("\n".join(wrap_text(line, width) for line in piece.split("\n")) if piece else "", file=out)
        return
    wrap = ("definition", "band", "text", "what")
    fold = ("label", "group", "section", "dim", "category", "kind")
    measures = tuple(k for k, _ in piece.columns if k not in wrap + fold)  # "0.0% (0/49)" at its space
    fit = Fit(wrap=wrap, fold=fold[:1] + measures + fold[1:], below=("definition", "band"))
    write_pieces(fit_table(piece.rows, piece.columns, width, fit), out)
