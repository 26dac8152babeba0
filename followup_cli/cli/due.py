"""`followup due`: who is due for which follow-up today, why, and by when."""

from __future__ import annotations

import click

from followup_cli.cli.options import (
    DATE, archive_options, check_output, handle_errors, load, note, output_options,
)


@click.command("due")
@archive_options
@output_options
@click.option("--as-of", type=DATE, default=None, help="The day to plan for (default today), YYYY-MM-DD.")
@click.option("--ahead", type=click.IntRange(0, 366), default=0, show_default=True,
              help="Also list tasks coming due in the next N days.")
@click.option("--kind", "kinds", multiple=True, help="Only these kinds (repeatable), e.g. birthday.")
@click.option("--staff", default=None, help="Only tasks of this staff member.")
@click.option("--store", default=None, help="Only customers of this store.")
@click.option("--explain", is_flag=True, help="Also list tasks left out by the yearly cap, the minimum gap or do-not-contact, and why.")
@click.option("--by-task", is_flag=True, help="One row per task in the table (default: one row per contact).")
@handle_errors
def due(archives, config_path, preset, lang, date_order, quiet, verbose, fmt, output, as_of, ahead,
        kinds, staff, store, explain, by_task):
    """Who is due for which follow-up on the as-of date, why, and by when.

    Reads every ARCHIVE workbook (customers, purchases, visits, tickets ...), applies the
    policy preset chosen in followup.toml (default retail-vip) and prints one line per
    contact: several tasks for one customer on one day are one call with several purposes.
    json and csv give one row per task with the fields task_id, customer_id, customer_name,
    phone, kind, rule, due_date, window_end, status, channel, staff, reason.
    """
    import datetime as dt

    from followup_cli.outputs.due_list import PINNED_FIELDS, due as compute_due, due_columns, group_contacts, localise
    from followup_cli.policy.vocabulary import KINDS
    from followup_cli.outputs.rows import emit_rows

    fmt = check_output(fmt, output)
    kind_ids = []
    for k in kinds:
        kid = KINDS.match(k)
        if kid is None:
            raise click.BadParameter(f"'{k}' is not a follow-up kind; kinds are: {', '.join(KINDS.ids())}",
                                     param_hint="--kind")
        kind_ids.append(kid)
    as_of = as_of or dt.date.today()
    config, archive = load(archives, config_path, preset, lang, date_order, for_schedule=True)
    errors = [p for p in archive.problems if p.severity == "error"]
    # A customer sheet with no rows yet (a new archive from `followup init`) is an empty list,
    # not an error; no customer sheet at all, or one that could not be read, is.
    if not archive.customers and (errors or archive.source("customers") is None):
        from followup_cli.errors import DataProblems

        first = errors[0].message if errors else "the customer sheet has no rows"
        raise DataProblems(f"{archives[0]}: no customers to plan for: {first}", "run `followup check` to see every problem")
    if archive.problems:
        note(f"note: {len(errors)} error(s) and {len(archive.problems) - len(errors)} warning(s) in the archive; "
             "rows with errors are skipped or partly read. Run `followup check` to see them.", quiet)
    result = compute_due(archive, config, as_of, ahead, kind_ids or None, staff, store, lang)
    for w in result.schedule.warnings:
        note(("警告：" if result.lang == "zh" else "warning: ") + w.text(result.lang), quiet)
    unassigned = sum(1 for r in result.rows if not r["staff"])
    if unassigned:
        note((f"注意：{unassigned} 项任务没有负责人（负责人为空或已离职），请运行 followup assign 分配。"
              if result.lang == "zh" else
              f"attention: {unassigned} task(s) have no owner (empty or left); run `followup assign`."), quiet)
    rows = list(result.rows)
    if explain:
        rows += result.left_out
    if fmt == "json":
        emit_rows([{**{k: r[k] for k in PINNED_FIELDS},
                    **{k: r[k] for k in ("priority", "contact", "store", "attempts", "best_time")},
                    **({"left_out": r["left_out"]} if explain else {})} for r in rows], "json", path=output)
    else:
        shown = rows if (by_task or fmt != "table") else group_contacts(rows)
        emit_rows([localise(r, result.lang) for r in shown], fmt, due_columns(result.lang, explain),
                  path=output, sheet_title="due")
    if fmt == "table" and not output:
        lang_zh = result.lang == "zh"
        contacts = len({r["contact"] for r in result.rows})
        note((f"{as_of}：{len(result.rows)} 项任务，{contacts} 次联系" if lang_zh else
              f"{as_of}: {len(result.rows)} task(s), {contacts} contact(s)") +
             ((f"；{len(result.left_out)} 项未列入（--explain 查看原因）" if lang_zh else
               f"; {len(result.left_out)} left out (see --explain)") if result.left_out and not explain else ""),
             quiet)
