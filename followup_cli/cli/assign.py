"""`followup assign`: owners for unowned customers, handover, rebalancing, the load report."""

from __future__ import annotations

import hashlib
from pathlib import Path

import click

from followup_cli.cli.options import (
    DATE, archive_options, check_output, handle_errors, invocation, load, note, output_options,
)


@click.command("assign")
@archive_options
@output_options
@click.option("--dry-run", is_flag=True, help="Show the plan; write nothing.")
@click.option("--store", default=None, help="Only customers of this store (and, for --rebalance, its staff).")
@click.option("--handover", "handover", metavar="FROM", default=None,
              help="Hand over every customer of FROM (staff name or id): to --to-staff, or spread across the store.")
@click.option("--to-staff", "to", metavar="STAFF", default=None, help="With --handover: the colleague who takes them all.")
@click.option("--rebalance", is_flag=True, help="Even out load between active staff, moving as few customers as possible.")
@click.option("--max-moves", type=click.IntRange(0), default=None,
              help="With --rebalance: move at most N customers (default: as many as evening out needs).")
@click.option("--report", is_flag=True, help="Customers and open tasks per staff member; changes nothing.")
@click.option("--as-of", type=DATE, default=None,
              help="The day that decides who has left, and the open tasks of --report (default today).")
@click.option("--view", type=click.Choice(["plan", "load"]), default=None,
              help="What to print: the plan (one row per customer) or the load per staff member. "
                   "Default: both in a table, the plan in csv/json/xlsx.")
@click.option("--ignore-lock", "force", is_flag=True, help="Write even when a spreadsheet program seems to have the workbook open.")
@handle_errors
def assign(archives, config_path, preset, lang, date_order, quiet, verbose, fmt, output, dry_run, store,
           handover, to, rebalance, max_moves, report, as_of, view, force):
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

    from followup_cli.assign import core as core
    from followup_cli.errors import DataProblems, WriteRefused
    from followup_cli.outputs.rows import emit_rows

    fmt = check_output(fmt, output)
    if sum((handover is not None, rebalance, report)) > 1:
        raise click.UsageError("choose one of --handover, --rebalance and --report")
    if to is not None and handover is None:
        raise click.UsageError("--to-staff goes with --handover FROM")
    if max_moves is not None and not rebalance:
        raise click.UsageError("--max-moves goes with --rebalance")
    as_of = as_of or dt.date.today()
    writing = not (dry_run or report)
    fingerprints = {a: _fingerprint(a) for a in archives} if writing else {}
    config, archive = load(archives, config_path, preset, lang, date_order)
    lang = archive.lang
    zh = lang == "zh"
    if not archive.customers:
        errors = [p for p in archive.problems if p.severity == "error"]
        first = errors[0].message if errors else ("客户表没有数据" if zh else "the customer sheet has no rows")
        raise DataProblems(f"{archives[0]}: " + ("没有可分配的客户：" if zh else "no customers to assign: ") + first,
                           "run `followup check` to see every problem")
    roles = core.owner_roles(config.raw)
    core.check_store(archive, store)
    labels = fmt != "json"

    if report:
        lines = core.load_report(archive, config, as_of, roles, store)
        emit_rows(core.report_rows(lines, lang, labels), fmt,
                  None if fmt == "json" else core.columns(core.REPORT_COLUMNS, lang),
                  path=output, sheet_title="load")
        return

    if handover is not None:
        plan = core.plan_handover(archive, as_of, handover, to, roles, store)
    elif rebalance:
        plan = core.plan_rebalance(archive, as_of, max_moves, roles, store)
    else:
        plan = core.plan_assign(archive, as_of, roles, store)

    missing = plan.missing_owner_column()
    results = []
    if writing and plan.placed:
        if missing:
            src = missing[0]
            raise WriteRefused(
                (f"{src.file.name} {src.sheet}：客户表没有负责人列，无法写入；请在第 {src.header_row} 行表头加一列“负责人”后重试"
                 if zh else
                 f"{src.file.name} {src.sheet}: the customer sheet has no owner column to write into; add a column "
                 f"headed 负责人 (or Owner) to its header row {src.header_row}, then run again"),
                "--dry-run shows the plan without writing; or map your own header in followup.toml: "
                '[columns.customers] "<header>" = "owner"')
        from followup_cli.writeback.transaction import WRITABLE_SUFFIXES, update_cells

        updates = plan.updates()
        # Every target is checked before the first write, so a refusal leaves every file as it was.
        for file, _sheet in updates:
            if Path(file).suffix.lower() not in WRITABLE_SUFFIXES:
                raise WriteRefused(
                    (f"{file}：只写入 .xlsx/.xlsm 工作簿，此文件不会被改写；请把客户表另存为 .xlsx 后再分配" if zh else
                     f"{file}: followup only writes into .xlsx/.xlsm workbooks, and this file is never rewritten; "
                     "save the customer sheet as .xlsx, then assign again"),
                    "--dry-run shows the plan without writing")
            key = next((a for a in archives if Path(a).resolve() == Path(file).resolve()), None)
            if key is not None and _fingerprint(key) != fingerprints[key]:
                raise WriteRefused(
                    (f"{file}：读取之后工作簿已被修改，未写入任何内容；请重新运行" if zh else
                     f"{file}: the workbook changed after it was read; nothing was written. Run again"))
        command = invocation()
        for (file, sheet), cells in updates.items():
            results.append(update_cells(file, sheet, cells, command=command, force=force))

    shown = view or ("both" if fmt == "table" else "plan")
    plan_part = (core.plan_rows(plan, lang, labels), None if fmt == "json" else core.columns(core.PLAN_COLUMNS, lang))
    load_part = (core.load_table(plan, lang, labels, store),
                 None if fmt == "json" else core.columns(core.LOAD_COLUMNS, lang))
    if shown == "both":
        parts = [plan_part, load_part] if plan.moves else [load_part]
        if output and output != "-":
            with open(output, "w", encoding="utf-8", newline="") as fh:
                _emit_parts(emit_rows, parts, fmt, fh)
        else:
            _emit_parts(emit_rows, parts, fmt, None)
    else:
        rows, cols = plan_part if shown == "plan" else load_part
        emit_rows(rows, fmt, cols, path=output, sheet_title="assign" if shown == "plan" else "load")

    for n in plan.notes:
        note(("注意：" if zh else "note: ") + n.text(lang), quiet)
    placed = len(plan.placed)
    if not plan.moves:
        note(_nothing(plan.mode, zh), quiet)
    elif dry_run:
        note((f"试运行：计划为 {placed} 位客户指定负责人，未写入任何内容" if zh else
              f"dry run: {placed} customer(s) would get a new owner; nothing was written"), quiet)
    for r in results:
        text = (f"已写入 {r.cells_changed} 个负责人单元格：{r.path.name} {r.sheet}" if zh else
                f"wrote {r.cells_changed} owner cell(s): {r.path.name} {r.sheet}")
        if r.backup_path:
            text += f"；备份：{r.backup_path}" if zh else f"; backup: {r.backup_path}"
        note(text, quiet)
        for w in r.warnings:
            note(("警告：" if zh else "warning: ") + w, quiet)
    if plan.unplaced:
        raise DataProblems((f"{len(plan.unplaced)} 位客户没有找到可接手的在职员工" if zh else
                            f"{len(plan.unplaced)} customer(s) found no active staff member to take them"),
                           "add active staff to the staff sheet, or check their roles and capacities")


def _emit_parts(emit_rows, parts, fmt, stream) -> None:
    import sys

    out = stream or sys.stdout
    for i, (rows, cols) in enumerate(parts):
        if i:
            out.write("\n")
        emit_rows(rows, fmt, cols, stream=out)


def _nothing(mode: str, zh: bool) -> str:
    return {
        "assign": ("每位客户都有在职负责人，无需分配" if zh else "every customer has an active owner; nothing to assign"),
        "handover": ("此人名下没有客户，无需交接" if zh else "they own no customers; nothing to hand over"),
        "rebalance": ("负载已均衡，无需移动" if zh else "the load is already even; nothing to move"),
    }[mode]


def _fingerprint(path) -> str:
    """The file's content hash: the owner cells are written only into the workbook that was read."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return ""
    return h.hexdigest()
