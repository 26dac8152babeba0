"""`followup due`: who is due for which follow-up today, why, and by when."""

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
    output_options,
    settings,
)

if TYPE_CHECKING:
    import datetime as dt

    from followup_cli.cli.options import ArchiveOptions
    from followup_cli.cli.replay import Recording
    from followup_cli.config import Config


@click.command("due")
@archive_options
@output_options
@as_of_option("The day to plan for (default today), YYYY-MM-DD.")
@click.option(
    "--ahead",
    type=click.IntRange(0, 366),
    default=0,
    show_default=True,
    help="Also list tasks coming due in the next N days.",
)
@click.option("--kind", "kinds", multiple=True, help="Only these kinds (repeatable), e.g. birthday.")
@click.option("--staff", default=None, help="Only tasks of this staff member.")
@click.option("--store", default=None, help="Only customers of this store.")
@click.option(
    "--explain",
    is_flag=True,
    help="Also list tasks left out by the yearly cap, the minimum gap or do-not-contact, and why.",
)
@click.option("--by-task", is_flag=True, help="One row per task in the table (default: one row per contact).")
@click.option(
    "--wide",
    is_flag=True,
    help="Every column in the table, uncut (default: the columns a caller needs, fitted to the terminal's width).",
)
@mask_phone_option
@handle_errors
def due(
    opts: ArchiveOptions,
    fmt: str,
    output: str | None,
    as_of: dt.date | None,
    ahead: int,
    kinds: tuple[str, ...],
    staff: str | None,
    store: str | None,
    explain: bool,
    by_task: bool,
    wide: bool,
    mask_phone: bool,
) -> None:
    """Who is due for which follow-up on the as-of date, why, and by when.

    Reads every ARCHIVE workbook (customers, purchases, visits, tickets ...), applies the
    policy preset chosen in followup.toml (default retail-vip) and prints one line per
    contact: several tasks for one customer on one day are one call with several purposes.
    json and csv give one row per task with the fields task_id, customer_id, customer_name,
    phone, kind, rule, due_date, window_end, status, channel, staff, reason.
    """
    import datetime as dt

    from followup_cli.cli import replay
    from followup_cli.outputs.due_list import match_kinds
    from followup_cli.outputs.screen import terminal_width

    fmt = check_output(fmt, output)
    kind_ids = match_kinds(kinds)
    as_of = as_of or dt.date.today()
    on_screen = fmt == "table" and not output and not wide
    width = terminal_width() if on_screen else None
    config = settings(opts)
    # The same archive, settings and day as a run before: what it wrote, written again.
    replay.run(
        "due",
        opts.archives,
        config,
        lambda kept: _due(
            kept,
            opts,
            config,
            as_of=as_of,
            kinds=kind_ids or None,
            width=width,
            fmt=fmt,
            output=output,
            ahead=ahead,
            staff=staff,
            store=store,
            explain=explain,
            by_task=by_task,
            mask_phone=mask_phone,
        ),
        as_of=as_of,
        width=width,
    )


def _due(
    kept: Recording,
    opts: ArchiveOptions,
    config: Config,
    *,
    as_of: dt.date,
    kinds: list[str] | None,
    width: int | None,
    fmt: str,
    output: str | None,
    ahead: int,
    staff: str | None,
    store: str | None,
    explain: bool,
    by_task: bool,
    mask_phone: bool,
) -> None:
    """The due list, written through `kept` (cli/replay.py). `width`: the screen's, when the
    table is fitted to it."""
    from followup_cli.cli.options import message_lang
    from followup_cli.cli.progress import Progress
    from followup_cli.outputs.due_list import (
        PINNED_FIELDS,
        SHRINK_FIRST,
        check_filters,
        due_columns,
        group_contacts,
        localise,
        screen_caps,
    )
    from followup_cli.outputs.due_list import (
        due as compute_due,
    )
    from followup_cli.outputs.privacy import mask_rows, phones_in
    from followup_cli.outputs.rows import emit_rows
    from followup_cli.text import clerk

    lang, quiet = opts.lang, opts.quiet
    progress = Progress(message_lang(lang), quiet)  # the archive's language, as its messages
    with progress.step("read"):
        config, archive = load(opts, for_schedule=True, customers="sheet", config=config)
    check_filters(archive, staff, store)
    with progress.step("schedule"):
        result = compute_due(archive, config, as_of, ahead, kinds, staff, store, lang)
    for w in result.schedule.warnings:
        note(clerk.warning_line(w.text(result.lang)).text(result.lang), quiet)
    unassigned = sum(1 for r in result.rows if not r["staff"])
    if unassigned:
        note(clerk.unassigned_note(unassigned).text(result.lang), quiet)
    rows = list(result.rows)
    if explain:
        rows += result.left_out
    if mask_phone:
        rows = mask_rows(rows)
    if fmt == "json":
        emit_rows(
            [
                {
                    **{k: r[k] for k in PINNED_FIELDS},
                    **{k: r[k] for k in ("priority", "contact", "store", "attempts", "best_time")},
                    **({"left_out": r["left_out"]} if explain else {}),
                    **({"wechat": r["wechat"]} if r["wechat"] else {}),  # a customer reached on WeChat
                }
                for r in rows
            ],
            "json",
            path=output,
            stream=kept.stream,
        )
    else:
        on_screen = width is not None
        shown = [
            localise(r, result.lang, short=on_screen)
            for r in (rows if (by_task or fmt != "table") else group_contacts(rows, result.lang))
        ]
        columns = due_columns(result.lang, explain, compact=on_screen)
        from followup_cli.outputs.screen import on_terminal, terminal_width

        wide_screen = not on_screen and fmt == "table" and on_terminal(fmt, output, kept.stream)
        if (on_screen and explain) or wide_screen:  # every column and reason whole, wrapped
            from followup_cli.outputs.screen import short_dates
            from followup_cli.outputs.screen_fit import Fit, fit_table, write_pieces

            free = ("reason", "left_out")  # under its row when short of room
            fold = ("kind", "customer_name", "staff", "best_time", "task_id")  # lists at their spaces
            fit = Fit(wrap=free, fold=fold, below=free)
            if on_screen:
                shown = short_dates(shown, ("due_date",), as_of.year)
            write_pieces(fit_table(shown, columns, width or terminal_width(), fit), kept.stream)
        elif on_screen:  # the morning list: one line a contact, the reason shortened
            from followup_cli.outputs.screen import fit_rows, short_dates

            # a name and a staff member are never cut while the reason and kinds can give room
            whole = ("customer_name", "staff")
            shown, columns = fit_rows(
                short_dates(shown, ("due_date",), as_of.year),
                columns,
                width,
                tuple(k for k in SHRINK_FIRST if k not in whole),
                {k: cap for k, cap in screen_caps(width).items() if k not in whole},
            )
        if not ((on_screen and explain) or wide_screen):
            emit_rows(shown, fmt, columns, path=output, sheet_title="due", stream=kept.stream)
    if output and output != "-":
        kept.file(output)
    if output and output != "-" and not mask_phone:
        if kept.journal_export(opts.archives[0], "due", output, phones_in(rows)):
            note(clerk.journaled(phones_in(rows)).text(result.lang), quiet)
    if fmt == "table" and not output:
        contacts = len({r["contact"] for r in result.rows})
        # a task of a key two rows share is listed under each row by --explain, and counted once (as kpi does)
        left = len({r["task_id"] for r in result.left_out})
        note(clerk.due_summary(as_of, len(result.rows), contacts, left, explain).text(result.lang), quiet)
