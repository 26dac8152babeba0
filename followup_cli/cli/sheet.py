"""`followup sheet`: the call sheet workbook to fill in."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from followup_cli.cli.options import (
    archive_options,
    as_of_option,
    handle_errors,
    load,
    mask_phone_option,
    note,
    settings,
)

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from followup_cli.cli.options import ArchiveOptions
    from followup_cli.cli.replay import Recording
    from followup_cli.config import Config


@click.command("sheet")
@archive_options
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The call sheet to write (.xlsx).")
@as_of_option("The day to plan for (default today).")
@click.option("--staff", default=None, help="Only this staff member's calls.")
@click.option("--store", default=None, help="Only customers of this store.")
@click.option("--by-staff", is_flag=True, help="One sheet per staff member, each printing on its own pages.")
@click.option(
    "--paper",
    type=click.Choice(["a4", "letter"]),
    default=None,
    help="Paper size for printing (default A4; Letter for an English locale in the US or Canada).",
)
@mask_phone_option
@click.option("--overwrite", "force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@handle_errors
def sheet(
    opts: ArchiveOptions,
    output: str,
    as_of: dt.date | None,
    staff: str | None,
    store: str | None,
    by_staff: bool,
    paper: str | None,
    mask_phone: bool,
    force: bool,
) -> None:
    """Write a call sheet: one row per contact that is due or overdue, with the script or SMS
    text, and result columns (date done, channel, outcome, satisfaction, score, issue ...) with
    dropdowns. Fill it in and import it with `followup record ARCHIVE SHEET.xlsx`.
    """
    import datetime as dt
    import os
    from pathlib import Path

    from followup_cli.cli import replay
    from followup_cli.text import clerk

    out = Path(output)
    if out.suffix.lower() != ".xlsx":
        raise click.UsageError(clerk.SHEET_NOT_XLSX)
    if out.exists() and not force:
        raise click.UsageError(clerk.exists_use_overwrite(out))

    as_of = as_of or dt.date.today()
    config = settings(opts)
    # The same archive, settings and day as a run before: its call sheet again, saying now.
    paper_env = {k: os.environ.get(k) for k in ("FOLLOWUP_PAPER", "LC_ALL", "LC_PAPER", "LANG")}
    # (--overwrite changes nothing in the sheet)
    replay.run(
        "sheet",
        opts.archives,
        config,
        lambda kept: _sheet(kept, opts, config, out, as_of, staff, store, by_staff, paper, mask_phone),
        as_of=as_of,
        paper_env=paper_env,
        force=None,
    )


def _sheet(
    kept: Recording,
    opts: ArchiveOptions,
    config: Config,
    out: Path,
    as_of: dt.date,
    staff: str | None,
    store: str | None,
    by_staff: bool,
    paper: str | None,
    mask_phone: bool,
) -> None:
    """The call sheet, written through `kept` (cli/replay.py)."""
    import datetime as dt
    from pathlib import Path

    from followup_cli.cli.options import message_lang
    from followup_cli.cli.progress import Progress
    from followup_cli.outputs.call_sheet import write_call_sheet
    from followup_cli.outputs.due_list import check_filters, due
    from followup_cli.text import clerk
    from followup_cli.text.labels import STATUS
    from followup_cli.text.messages import msg, text

    lang, quiet = opts.lang, opts.quiet
    progress = Progress(message_lang(lang), quiet)  # the archive's language, as its messages
    with progress.step("read"):
        # the columns `due` reads (all a call sheet shows): right after `due`, every sheet and
        # the schedule itself come from the cache
        config, archive = load(opts, for_schedule=True, config=config)
    check_filters(archive, staff, store)
    with progress.step("schedule"):
        result = due(archive, config, as_of, staff=staff, store=store, lang=lang, rows=False)
    created = dt.datetime.now().replace(microsecond=0)
    info = write_call_sheet(
        result,
        config,
        out,
        [Path(a) for a in opts.archives],
        by_staff,
        staff=archive.staff,
        paper=paper,
        mask_phone=mask_phone,
        progress=progress.bar("write"),
        created=created,
    )
    kept.stamped_file(out, created)
    note(clerk.sheet_written(out, info["contacts"], info["tasks"], info["sheets"]).text(result.lang), quiet)
    for status, names in info["left_off"].items():
        zh, en = STATUS.get(status, (status, status))
        shown = "、".join(names[:10]) + ("…" if len(names) > 10 else ""), ", ".join(names[:10])
        note(
            text(
                msg(
                    f"注意：{len(names)} 位客户的任务为“{zh}”，未列入回访表：{shown[0]}（followup due 可查看）",
                    f"attention: {len(names)} customer(s) with '{en}' tasks are not on the call sheet: "
                    f"{shown[1]} (see followup due)",
                ),
                result.lang,
            ),
            quiet,
        )
    if kept.journal_export(opts.archives[0], "sheet", out, info["phones"]):
        note(clerk.journaled(info["phones"]).text(result.lang), quiet)
