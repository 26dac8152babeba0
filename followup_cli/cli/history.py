"""`followup history`: one customer's card and everything that happened, newest first."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from followup_cli.cli.options import (
    archive_options,
    as_of_option,
    check_output,
    handle_errors,
    load,
    mask_phone_option,
    note,
    output_file_option,
)

if TYPE_CHECKING:
    import datetime as dt

    from followup_cli.cli.options import ArchiveOptions


@click.command("history")
@archive_options
@click.argument("query", metavar="CUSTOMER")
@as_of_option("The day of the history (default today): later records are not shown.")
@click.option(
    "--ahead", type=click.IntRange(0, 366), default=30, show_default=True, help="Upcoming tasks of the next N days."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table (a section per kind of record) or json (one object).",
)
@output_file_option
@mask_phone_option
@handle_errors
def history(
    opts: ArchiveOptions,
    query: str,
    as_of: dt.date | None,
    ahead: int,
    fmt: str,
    output: str | None,
    mask_phone: bool,
) -> None:
    """A customer's history (CUSTOMER: an id, a phone number or a name): the card, purchases, tickets, visits with their results, open
    issues and upcoming tasks, newest first. What to look at before calling.

    \b
    Example:
      followup history 客户档案.xlsx C0021
      followup history 客户档案.xlsx 13800000001 --format json
    """
    import datetime as dt
    import io
    import json

    from followup_cli.outputs.history import (
        as_json,
        customer_history,
        find_customer,
        section_title,
        shown,
        table_rows,
    )
    from followup_cli.outputs.privacy import journal_export
    from followup_cli.text import clerk
    from followup_cli.text.history import CARD_COLUMNS
    from followup_cli.text.labels import pick

    fmt = check_output(fmt, output)
    as_of = as_of or dt.date.today()
    lang, quiet = opts.lang, opts.quiet
    config, archive = load(opts)
    customer = find_customer(archive, query)
    hist = customer_history(archive, config, customer, as_of, lang, ahead, mask_phone)
    out = io.StringIO()
    if fmt == "json":
        data = as_json(hist)
        out.write(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n")
    else:
        from followup_cli.outputs.screen import on_terminal, terminal_width

        width = terminal_width() if on_terminal(fmt, output) else None  # a terminal: fitted to it
        out.write(section_title("card", hist.lang) + "\n")
        _table(
            [{"field": label, "value": shown(v, hist.lang)} for _n, label, v in hist.card],
            [(k, pick(label, hist.lang)) for k, label in CARD_COLUMNS],
            out,
            width,
        )
        for name, rows in hist.sections.items():
            out.write("\n" + section_title(name, hist.lang, len(rows)) + "\n")
            if rows:
                _table(table_rows(rows, hist.lang), hist.columns[name], out, width)
    if output and output != "-":
        from followup_cli.outputs.files import atomic_output

        with atomic_output(output) as fh:  # all or nothing, and never over a file read
            fh.write(out.getvalue())
        if not mask_phone and customer.phone and journal_export(opts.archives[0], "history", output, 1):
            note(clerk.journaled(1).text(hist.lang), quiet)
    else:
        click.echo(out.getvalue(), nl=False)


def _table(rows: list[dict], columns: list[tuple[str, str]], out, width: int | None) -> None:
    """One section's table; on a terminal `width` wide, the notes, reasons and issues wrapped
    (under their row when room is short), names and kinds broken at their spaces."""
    from followup_cli.outputs.rows import emit_rows
    from followup_cli.outputs.screen_fit import Fit, fit_table, write_pieces

    if width is None:
        emit_rows(rows, "table", columns, stream=out)
        return
    free = ("value", "notes", "reason", "text", "outcome", "issue")
    fold = ("product", "kind", "staff", "type", "category", "channel", "satisfaction", "severity")
    write_pieces(fit_table(rows, columns, width, Fit(wrap=free, fold=fold, below=free[1:])), out)
