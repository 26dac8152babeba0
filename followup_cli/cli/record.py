"""`followup record` and `followup log`: results into the visit log, validated, all or nothing."""

from __future__ import annotations

import click

from followup_cli.cli.options import DATE, check_output, handle_errors, invocation, load, note, output_options
from followup_cli.text.messages import text


def _report_rejections(plan, lang, quiet):
    zh = lang == "zh"
    for r in plan.rejected:
        click.echo(f"{'拒绝' if zh else 'rejected'}: {r.where}: {text(r.message, lang)}"
                   + (f" ('{r.value}')" if r.value else ""), err=True)


def _show_plan(plan, fmt, output):
    from followup_cli.outputs.rows import emit_rows

    keys = [f"c{i}" for i in range(len(plan.headers))]
    rows = [dict(zip(keys, row)) for row in plan.rows]
    emit_rows(rows, fmt, list(zip(keys, plan.headers)), path=output, sheet_title="to-append")


def _finish(plan, dry_run, skip_invalid, force, fmt, output, quiet, command, rejects_path, lang):
    from followup_cli.errors import EXIT_DATA
    from followup_cli.writeback.visits import apply_record, require_clean, write_rejects

    zh = lang == "zh"
    _report_rejections(plan, lang, quiet)
    for d in plan.duplicates:
        note((f"已记录过，跳过：{d.where}（{' '.join(d.task_ids)}）" if zh else
              f"already recorded, skipped: {d.where} ({' '.join(d.task_ids)})"), quiet)
    if plan.rejected and not skip_invalid:
        require_clean(plan)
    if plan.unstored:
        note((f"注意：{plan.target.name} 的 {plan.sheet} 没有这些列：{'、'.join(plan.unstored)}，这些结果未保存"
              f"（not stored）；如需保存请在表头添加这些列" if zh else
              f"attention: {plan.target.name} {plan.sheet} has no column for {', '.join(plan.unstored)}; "
              "those results are not stored. Add the columns to the header row to keep them."), quiet)
    if dry_run:
        _show_plan(plan, fmt, output)
        note((f"试运行：将向 {plan.target.name} 的 {plan.sheet} 追加 {len(plan.rows)} 行；未写入任何内容" if zh else
              f"dry run: would append {len(plan.rows)} row(s) to {plan.target.name} {plan.sheet}; nothing written"),
             quiet)
    else:
        result = apply_record(plan, command, force)
        if result:
            added = result.for_sheet(plan.sheet).rows_added
            note((f"已向 {plan.target.name} 的 {plan.sheet} 追加 {len(plan.rows)} 行"
                  f"（第 {added[0]}-{added[-1]} 行）；备份：{result.backup_path}" if zh else
                  f"appended {len(plan.rows)} row(s) to {plan.target.name} {plan.sheet} "
                  f"(rows {added[0]}-{added[-1]}); backup: {result.backup_path}"), quiet)
            if plan.issues.opened or plan.issues.resolved:
                note((f"问题跟踪：新登记 {plan.issues.opened} 个，标记已解决 {plan.issues.resolved} 个" if zh else
                      f"issues: {plan.issues.opened} opened, {plan.issues.resolved} marked resolved"), quiet)
        else:
            note("没有需要写入的新结果" if zh else "nothing new to write", quiet)
    if plan.blank:
        note((f"{plan.blank} 行未填写结果，视为未完成" if zh else f"{plan.blank} row(s) left blank: not done"), quiet)
    if plan.rejected:
        if rejects_path is not None:
            write_rejects(rejects_path, plan.rejected, lang)
            note((f"被拒绝的 {len(plan.rejected)} 行及原因已写入 {rejects_path}" if zh else
                  f"the {len(plan.rejected)} rejected row(s) and why are in {rejects_path}"), quiet)
        raise SystemExit(EXIT_DATA)


@click.command("record")
@click.argument("archive", type=click.Path(dir_okay=False))
@click.argument("filled", type=click.Path(dir_okay=False))
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None, help="followup.toml to use.")
@click.option("--dry-run", is_flag=True, help="Show exactly what would be appended; write nothing.")
@click.option("--skip-invalid", is_flag=True,
              help="Write the valid rows; put the rejected ones, with the reason, in a rejects workbook.")
@click.option("--ignore-lock", "force", is_flag=True, help="Write even if the workbook looks open in Excel/WPS/LibreOffice (a stale lock).")
@click.option("--as-of", "today", type=DATE, default=None, help="Treat this as today (for dates in the future).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language of messages.")
@click.option("-q", "--quiet", is_flag=True, help="No notes on stderr.")
@click.option("--verbose", is_flag=True, help="Show the full traceback of an unexpected error.")
@output_options
@handle_errors
def record(archive, filled, config_path, dry_run, skip_invalid, force, today, lang, quiet, verbose, fmt, output):
    """Import a filled call sheet into ARCHIVE's visit log (or a filled audit sheet's verdicts
    into its 抽查记录).

    Every filled row is checked (unknown task, date in the future, a value not in a
    dropdown, score out of 0-5, satisfaction for a call that did not reach the customer)
    and reported with its cell. By default one invalid row means nothing is written (exit 1).
    Blank rows are calls not made yet. Recording the same sheet twice adds nothing.
    """
    import datetime as dt
    from pathlib import Path

    from followup_cli.outputs.due_list import due
    from followup_cli.writeback.visits import known_tasks, plan_record, read_call_sheet

    fmt = check_output(fmt, output)
    filled = Path(filled)
    command = invocation()
    from followup_cli.outputs.audit_sheet import is_audit_workbook

    if is_audit_workbook(filled):
        _record_audit(archive, filled, config_path, dry_run, skip_invalid, force, today, lang, quiet, fmt, output,
                      command)
        return
    meta, results, rejected, blank = read_call_sheet(filled)
    as_of = DATE.convert(str(meta.get("as_of")), None, None) if meta.get("as_of") else dt.date.today()
    ahead = int(float(meta.get("ahead") or 0))
    config, arch = load([archive], config_path, meta.get("preset") or None, lang)
    sched = due(arch, config, as_of, ahead=ahead, lang=lang)
    plan = plan_record(arch, config, results, known_tasks(sched.schedule), today or dt.date.today(), lang,
                       rejected, blank)
    rejects = filled.with_name(f"{filled.stem}-rejects.xlsx") if skip_invalid else None
    _finish(plan, dry_run, skip_invalid, force, fmt, output, quiet, command, rejects, sched.lang)


def _record_audit(archive, filled, config_path, dry_run, skip_invalid, force, today, lang, quiet, fmt, output,
                  command):
    """A filled spot-check sheet: store its verdicts in 抽查记录."""
    import datetime as dt

    from followup_cli.errors import DataProblems, EXIT_DATA
    from followup_cli.text.messages import msg
    from followup_cli.writeback.visits import apply_audit_record, plan_audit_record, write_rejects

    config, arch = load([archive], config_path, None, lang)
    out_lang = lang or arch.lang
    zh = out_lang == "zh"
    plan = plan_audit_record(arch, config, filled, today or dt.date.today(), lang)
    _report_rejections(plan, out_lang, quiet)
    if plan.duplicates:
        note((f"{plan.duplicates} 条核查结果已记录过，跳过" if zh else
              f"{plan.duplicates} verdict(s) already recorded, skipped"), quiet)
    if plan.rejected and not skip_invalid:
        raise DataProblems(msg(f"{len(plan.rejected)} 条核查结果被拒绝；没有写入任何内容",
                               f"{len(plan.rejected)} verdict(s) rejected; nothing was written"),
                           msg("请改正后再记录，或加 --skip-invalid 只写入有效的结果",
                               "fix them and record again, or pass --skip-invalid to write the valid ones"))
    if dry_run:
        _show_plan(plan, fmt, output)
        note((f"试运行：将向 {plan.target.name} 的 {plan.sheet} 追加 {len(plan.rows)} 条核查结果" if zh else
              f"dry run: would append {len(plan.rows)} verdict(s) to {plan.target.name} {plan.sheet}"), quiet)
    else:
        result = apply_audit_record(plan, command, force)
        note((f"已向 {plan.target.name} 的 {plan.sheet} 追加 {len(plan.rows)} 条核查结果" if zh else
              f"appended {len(plan.rows)} verdict(s) to {plan.target.name} {plan.sheet}") if result else
             ("没有需要写入的新核查结果" if zh else "no new verdicts to write"), quiet)
    if plan.rejected:
        rejects = filled.with_name(f"{filled.stem}-rejects.xlsx")
        write_rejects(rejects, plan.rejected, out_lang)
        raise SystemExit(EXIT_DATA)


@click.command("log")
@click.argument("archive", type=click.Path(dir_okay=False))
@click.option("--customer", "customer_id", required=True, help="Customer id.")
@click.option("--kind", required=True, help="Follow-up kind (code, label or synonym, e.g. birthday or 生日回访).")
@click.option("--outcome", required=True, help="reached / no answer / refused / wrong number (or 已联系 / 未接通 ...).")
@click.option("--date", "done_on", type=DATE, default=None, help="Date of the contact (default today).")
@click.option("--channel", default=None, help="phone, SMS, email, on-site, survey (or 电话 ...).")
@click.option("--satisfaction", default=None, help="非常满意 / 满意 / 一般 / 不满意 / 非常不满意.")
@click.option("--score", default=None, help="0-5.")
@click.option("--issue-category", default=None, help="product quality, service quality, technical, price, other.")
@click.option("--issue", default=None, help="The issue in the customer's words.")
@click.option("--resolved", default=None, help="是/否 (yes/no).")
@click.option("--notes", default=None, help="Notes.")
@click.option("--staff", default=None, help="Who made the contact (default the customer's owner).")
@click.option("--task-id", default=None, help="The task this contact completes, if known.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None, help="followup.toml to use.")
@click.option("--dry-run", is_flag=True, help="Show what would be appended; write nothing.")
@click.option("--ignore-lock", "force", is_flag=True, help="Write even if the workbook looks open (a stale lock).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language of messages.")
@click.option("-q", "--quiet", is_flag=True, help="No notes on stderr.")
@click.option("--verbose", is_flag=True, help="Show the full traceback of an unexpected error.")
@output_options
@handle_errors
def log(archive, customer_id, kind, outcome, done_on, channel, satisfaction, score, issue_category, issue, resolved,
        notes, staff, task_id, config_path, dry_run, force, lang, quiet, verbose, fmt, output):
    """Record one visit from the command line or a script, with the same checks and safety as record."""
    import datetime as dt

    from followup_cli.outputs.due_list import due
    from followup_cli.errors import UsageProblem
    from followup_cli.policy.vocabulary import KINDS
    from followup_cli.writeback.visits import known_tasks, parse_result, plan_record

    fmt = check_output(fmt, output)
    kind_id = KINDS.match(kind)
    if kind_id is None:
        raise click.BadParameter(f"'{kind}' is not a follow-up kind; kinds are: {', '.join(KINDS.ids())}",
                                 param_hint="--kind")
    today = dt.date.today()
    done_on = done_on or today
    values = {"done_on": done_on, "channel": channel, "outcome": outcome, "satisfaction": satisfaction,
              "score": score, "issue_category": issue_category, "issue": issue, "resolved": resolved,
              "notes": notes}
    cells = {k: f"--{k.replace('_', '-')}" for k in values}
    cells["done_on"] = "--date"
    result, problems = parse_result({k: ("" if v is None else v) for k, v in values.items()}, "", cells)
    if problems:
        raise UsageProblem("; ".join(f"{p.where}: {p.message}" for p in problems))
    config, arch = load([archive], config_path, None, lang)
    if customer_id not in {c.id for c in arch.customers}:
        raise UsageProblem(f"customer '{customer_id}' is not in {archive}", "check the id with `followup check`")
    result.customer_id, result.kind, result.staff = customer_id, kind_id, staff
    result.where = "--customer " + customer_id
    sched = due(arch, config, done_on, ahead=0, lang=lang)
    tasks = known_tasks(sched.schedule)
    if task_id:
        result.task_ids = [task_id]
    else:  # the open task of this customer and kind, if there is one, so the log is exact
        match = [t for t in sched.schedule.tasks + sched.schedule.left_out
                 if t.customer.id == customer_id and t.kind == kind_id]
        result.task_ids = [match[0].task_id] if match else []
        if not result.staff and match:
            result.staff = match[0].staff
    if not result.staff:
        owner = next((c.owner for c in arch.customers if c.id == customer_id), None)
        result.staff = owner
    plan = plan_record(arch, config, [result], tasks, today, lang)
    command = invocation()
    _finish(plan, dry_run, False, force, fmt, output, quiet, command, None, sched.lang)
