"""`followup assign`: owners for unowned customers, handover, rebalancing, the load report."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from followup_cli.cli.options import (
    archive_options,
    as_of_option,
    check_output,
    handle_errors,
    ignore_readonly_option,
    invocation,
    load,
    message_lang,
    note,
    output_options,
    usage_error,
)

if TYPE_CHECKING:
    import datetime as dt

    from followup_cli.cli.options import ArchiveOptions


@click.command("assign")
@archive_options
@output_options
@click.option("--dry-run", is_flag=True, help="Show the plan; write nothing.")
@click.option("--store", default=None, help="Only customers of this store (and, for --rebalance, its staff).")
@click.option(
    "--handover",
    "handover",
    metavar="FROM",
    default=None,
    help="Hand over every customer of FROM (staff name or id): to --to-staff, or spread across the store.",
)
@click.option(
    "--to-staff", "to", metavar="STAFF", default=None, help="With --handover: the colleague who takes them all."
)
@click.option(
    "--rebalance", is_flag=True, help="Even out load between active staff, moving as few customers as possible."
)
@click.option(
    "--max-moves",
    type=click.IntRange(0),
    default=None,
    help="With --rebalance: move at most N customers (default: as many as evening out needs).",
)
@click.option("--report", is_flag=True, help="Customers and open tasks per staff member; changes nothing.")
@as_of_option("The day that decides who has left, and the open tasks of --report (default today).")
@click.option(
    "--view",
    type=click.Choice(["plan", "load"]),
    default=None,
    help="What to print: the plan (one row per customer) or the load per staff member. "
    "Default: both in a table, the plan in csv/json/xlsx.",
)
@click.option(
    "--ignore-lock",
    "force",
    is_flag=True,
    help="Write even when a spreadsheet program seems to have the workbook open.",
)
@ignore_readonly_option
@handle_errors
def assign(
    opts: ArchiveOptions,
    fmt: str,
    output: str | None,
    dry_run: bool,
    store: str | None,
    handover: str | None,
    to: str | None,
    rebalance: bool,
    max_moves: int | None,
    report: bool,
    as_of: dt.date | None,
    view: str | None,
    force: bool,
) -> None:
    """Give customers owners (负责人) from the staff sheet, and keep the load even.

    Without options: every customer whose owner cell is empty or names someone who has left
    gets an active colleague: same store first, then same region, then anyone, spread in
    proportion to each person's capacity (能力权重) and current load. A customer whose owner
    is still active is never moved. Who may own customers goes by role (clerk, sales, 客服,
    销售 or no role; not supervisors or doctors); set [assign] roles in followup.toml.

    The plan is printed (who gets whom, load per staff before and after); without --dry-run
    only the owner cells of the customer sheet are rewritten, with a backup and an audit
    line. Exit 0 done, 1 nobody could take the customers, 2 usage error, unreadable file or
    write refused.
    """
    import datetime as dt

    import followup_cli.assign as core
    from followup_cli.assign.write import fingerprints, write_plan
    from followup_cli.cli.progress import Progress
    from followup_cli.errors import DataProblems
    from followup_cli.outputs.screen_fit import emit_fitted
    from followup_cli.text.messages import msg

    fmt = check_output(fmt, output)
    lang, quiet = opts.lang, opts.quiet
    if sum((handover is not None, rebalance, report)) > 1:
        raise usage_error(
            "--handover、--rebalance 和 --report 只能选一个", "choose one of --handover, --rebalance and --report", lang
        )
    if to is not None and handover is None:
        raise usage_error("--to-staff 要和 --handover FROM 一起用", "--to-staff goes with --handover FROM", lang)
    if max_moves is not None and not rebalance:
        raise usage_error("--max-moves 要和 --rebalance 一起用", "--max-moves goes with --rebalance", lang)
    as_of = as_of or dt.date.today()
    writing = not (dry_run or report)
    read = fingerprints(opts.archives) if writing else {}
    progress = Progress(message_lang(lang), quiet)
    with progress.step("read"):
        config, archive = load(opts, customers="required")
    lang = archive.lang
    roles = core.owner_roles(config.raw)
    core.check_store(archive, store)
    labels = fmt != "json"

    if report:
        lines = core.load_report(archive, config, as_of, roles, store)
        emit_fitted(
            core.report_rows(lines, lang, labels),
            fmt,
            None if fmt == "json" else core.columns(core.REPORT_COLUMNS, lang),
            _fit("staff"),
            path=output,
            sheet_title="load",
        )
        return

    with progress.step("plan"):
        if handover is not None:
            plan = core.plan_handover(archive, as_of, handover, to, roles, store)
        elif rebalance:
            plan = core.plan_rebalance(archive, as_of, max_moves, roles, store)
        else:
            plan = core.plan_assign(archive, as_of, roles, store)
    with progress.step("write"):
        results = write_plan(plan, read, invocation(), force) if writing else []

    shown = view or ("both" if fmt == "table" else "plan")
    plan_part = (core.plan_rows(plan, lang, labels), None if fmt == "json" else core.columns(core.PLAN_COLUMNS, lang))
    load_part = (
        core.load_table(plan, lang, labels, store),
        None if fmt == "json" else core.columns(core.LOAD_COLUMNS, lang),
    )
    if shown == "both":
        parts = [plan_part, load_part] if plan.moves else [load_part]
        if output and output != "-":
            from followup_cli.outputs.files import atomic_output

            with atomic_output(output) as fh:
                _emit_parts(parts, fmt, fh, fitted=False)
        else:
            _emit_parts(parts, fmt, None, fitted=True)
    else:
        rows, cols = plan_part if shown == "plan" else load_part
        emit_fitted(
            rows,
            fmt,
            cols,
            _fit(shown),
            path=output,
            sheet_title="assign" if shown == "plan" else "load",
        )

    for n in plan.notes:
        note(core.message("note", lang, text=n.text(lang)), quiet)
    if not plan.moves:
        note(core.message(f"nothing_{plan.mode}", lang), quiet)
    elif dry_run:
        note(core.message("dry_run", lang, count=len(plan.placed)), quiet)
    for r in results:
        note(
            core.message(
                "wrote" if not r.backup_path else "wrote_backup",
                lang,
                count=r.cells_changed,
                file=r.path.name,
                sheet=r.sheet,
                backup=r.backup_path,
            ),
            quiet,
        )
        for w in r.warnings:
            note(core.message("warning", lang, text=w), quiet)
    if plan.unplaced:
        raise DataProblems(
            msg(
                core.message("unplaced", "zh", count=len(plan.unplaced)),
                core.message("unplaced", "en", count=len(plan.unplaced)),
            ),
            msg(core.message("unplaced_fix", "zh"), core.message("unplaced_fix", "en")),
        )


def _fit(kind: str):
    """How the plan (`kind` "plan") or a staff table gives up width on a narrow terminal:
    the basis or status wrapped, names broken at their spaces."""
    from followup_cli.outputs.screen_fit import Fit

    if kind == "plan":
        return Fit(wrap=("basis",), fold=("from", "to", "customer_name", "store"))
    return Fit(wrap=("status",), fold=("name", "store", "role"))


def _emit_parts(parts, fmt, stream, fitted: bool) -> None:
    """The plan and the load table, one after the other; `fitted`: to the screen's width."""
    import sys

    from followup_cli.outputs.rows import emit_rows
    from followup_cli.outputs.screen_fit import emit_fitted

    out = stream or sys.stdout
    for i, (rows, cols) in enumerate(parts):
        if i:
            out.write("\n")
        if fitted:
            emit_fitted(rows, fmt, cols, _fit("plan" if i == 0 and len(parts) == 2 else "staff"), stream=out)
        else:
            emit_rows(rows, fmt, cols, stream=out)
