"""`followup record`: a filled call sheet's results into the visit log, validated, all or nothing;
and what `record` and `log` (cli/log.py) say about a run."""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from followup_cli.cli.options import (
    ArchiveOptions,
    as_of_option,
    bundled_as,
    check_output,
    config_option,
    handle_errors,
    ignore_readonly_option,
    invocation,
    lang_option,
    load,
    message_lang,
    no_cache_option,
    note,
    output_options,
    quiet_option,
    verbose_option,
    with_options,
)
from followup_cli.text.messages import msg, text
from followup_cli.text.record import blank_rows_notice, staff_notice, unread_columns_notice

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Sequence

    from followup_cli.writeback.record import RecordOutcome, RecordRun


def _say(zh: str, en: str, lang: str, quiet: bool) -> None:
    note(text(msg(zh, en), lang), quiet)


def _report_rejections(plan, lang, quiet):
    """Rejections by row: the number of rows, then each row with its problems under it."""
    from followup_cli.outputs.screen import fit_lines
    from followup_cli.writeback.results import rejected_rows

    rows = rejected_rows(plan.rejected)
    if not rows:
        return
    click.echo(text(msg(f"拒绝 {len(rows)} 行：", f"{len(rows)} row(s) rejected:"), lang), err=True)
    for where, problems in rows:
        click.echo(f"  {where}", err=True)
        for r in problems:
            said = text(r.message, lang)
            value = f" ('{r.value}')" if r.value and r.where != where and str(r.value) not in said else ""  # once
            place = f"{r.where}: " if r.where != where else ""
            click.echo(fit_lines(f"    - {place}{said}{value}", sys.stderr), err=True)  # a terminal: wrapped


def _show_plan(plan, fmt, output):
    from followup_cli.outputs.screen_fit import Fit, emit_fitted, free_text_columns

    keys = [f"c{i}" for i in range(len(plan.headers))]
    rows = [dict(zip(keys, row)) for row in plan.rows]
    columns = list(zip(keys, [h or "" for h in plan.headers]))
    # a terminal: the book's free-text columns (notes, outcomes) wrapped, the others whole
    free = free_text_columns(rows, columns)
    fit = Fit(wrap=free, fold=tuple(keys), below=free)
    emit_fitted(rows, fmt, columns, fit, path=output, sheet_title="to-append")


def say_outcome(
    outcome: RecordOutcome,
    dry_run: bool,
    fmt: str,
    output: str | None,
    quiet: bool,
    final: bool = True,
    others: Sequence[RecordOutcome] = (),
) -> None:
    """Say what a record did; `final`: the last (or only) archive's, which ends with the exit
    status of them all (`others`: the other archives' outcomes of a several-archive sheet)."""
    from followup_cli.errors import EXIT_DATA
    from followup_cli.writeback.results import rejected_rows
    from followup_cli.writeback.visits import require_clean

    plan, lang = outcome.plan, outcome.lang
    every = [r for o in (outcome, *others) for r in o.plan.rejected]  # the exit status is all archives'
    book = f"{plan.target.name} {plan.sheet}"
    _report_rejections(plan, lang, quiet)
    for d in plan.duplicates:
        ids = " ".join(d.task_ids) or d.customer_id or ""
        _say(f"已记录过，跳过：{d.where}（{ids}）", f"already recorded, skipped: {d.where} ({ids})", lang, quiet)
    if final and every and not outcome.written and not dry_run and outcome.rejects_path is None:
        require_clean(dataclasses.replace(plan, rejected=every))
    added = "、".join(plan.added_columns.values()), ", ".join(plan.added_columns.values())
    if plan.added_columns:
        verb = ("将在", "will add") if dry_run else ("已在", "added")
        _say(
            f"{verb[0]} {book} 的表头末尾添加列：{added[0]}（原表没有这些列）",
            f"{verb[1]} columns at the end of the header of {book}: {added[1]} (it had none for them)",
            lang,
            quiet,
        )
    if plan.newest_first and plan.rows and (dry_run or outcome.result):
        _say(
            f"注意：{book} 是按日期倒序记的（最新的在最上面）；新的记录追加在最下面，如需要请按日期重新排序",
            f"note: {book} is kept newest first; the new visits go at the bottom: sort it by date if you want them on top",
            lang,
            quiet,
        )
    if plan.unstored:
        where = plan.companion.path.name if plan.companion is not None else ""
        _say(
            f"注意：{book} 无法添加列（{text(plan.cannot_extend, 'zh')}）；{'、'.join(plan.unstored)} "
            f"保存在 {where}（{plan.companion.sheet if plan.companion else ''}）",
            f"attention: columns cannot be added to {book} ({text(plan.cannot_extend, 'en')}); "
            f"{', '.join(plan.unstored)} are kept in {where} instead",
            lang,
            quiet,
        )
    if plan.create_log and plan.rows and (dry_run or outcome.result):
        archive = plan.archive_name or "?"
        why = {
            "no_sheet": (f"{archive} 中没有回访记录工作表", f"{archive} has no visit sheet"),
            "not_xlsx": (
                f"{archive} 不是 .xlsx/.xlsm，不会被改写",
                f"{archive} is not an .xlsx/.xlsm and is never rewritten",
            ),
            "configured": ("followup.toml 的 visit_log 指定了它", "followup.toml's visit_log names it"),
        }[plan.log_reason]
        verb = ("将新建", "will be created") if dry_run else ("已新建", "was created")
        _say(
            f"{why[0]}，所以{verb[0]} {plan.target.name}（工作表 {plan.sheet}）记录回访；以后的回访也记在那里"
            + ("" if plan.log_reason == "configured" else "；若想记在别处，请在 followup.toml 中设置 visit_log"),
            f"{why[1]}, so {plan.target.name} (sheet {plan.sheet}) {verb[1]} for the visits; later visits go there too"
            + ("" if plan.log_reason == "configured" else "; to keep them elsewhere, set visit_log in followup.toml"),
            lang,
            quiet,
        )
    if dry_run:
        _show_plan(plan, fmt, output)
        _say(
            f"试运行：将向 {book} 追加 {len(plan.rows)} 行；未写入任何内容",
            f"dry run: would append {len(plan.rows)} row(s) to {book}; nothing written",
            lang,
            quiet,
        )
    elif outcome.result:
        rows = outcome.result.for_sheet(plan.sheet).rows_added
        one = rows[0] == rows[-1]  # "row 424", not "rows 424-424"
        span = f"{rows[0]}" if one else f"{rows[0]}-{rows[-1]}"
        _say(
            f"已向 {book} 追加 {len(plan.rows)} 行（第 {span} 行）；备份：{outcome.result.backup_path}",
            f"appended {len(plan.rows)} row(s) to {book} ({'row' if one else 'rows'} {span}); backup: {outcome.result.backup_path}",
            lang,
            quiet,
        )
        if plan.issues.opened or plan.issues.resolved:
            _say(
                f"问题跟踪：新登记 {plan.issues.opened} 个，标记已解决 {plan.issues.resolved} 个",
                f"issues: {plan.issues.opened} opened, {plan.issues.resolved} marked resolved",
                lang,
                quiet,
            )
        for w in outcome.result.warnings:  # written, but something beside it was not (the journal)
            from followup_cli.text.clerk import warning_line

            note(text(warning_line(text(w, lang)), lang), quiet)
    else:
        _say("没有需要写入的新结果", "nothing new to write", lang, quiet)
    for r in plan.linked:
        how = ("电话", "phone") if r.linked_by == "phone" else ("姓名", "name")
        given = r.phone if r.linked_by == "phone" else r.customer_name
        _say(
            f"{r.where}：没有客户编号，按{how[0]} {given} 认定为客户 {r.customer_id}",
            f"{r.where}: no customer id; linked by {how[1]} {given} to customer {r.customer_id}",
            lang,
            quiet,
        )
    if plan.off_list:
        kinds = "、".join(plan.off_list), ", ".join(plan.off_list)
        _say(
            f"注意：{book} 的回访类型下拉列表中没有 {kinds[0]}，按本工具的叫法写入；可把它加入下拉列表",
            f"attention: the 回访类型 dropdown of {book} has no word for {kinds[1]}: written in the tool's "
            "word; add it to the dropdown",
            lang,
            quiet,
        )
    for where, cid in plan.not_to_contact:  # it happened, so it is recorded; but the customer asked not to be called
        _say(
            f"注意：{where} 的客户 {cid} 标为拒绝联系（勿扰）；这次回访照实记录，但请不要再主动联系",
            f"attention: customer {cid} ({where}) is marked do-not-contact; the visit is recorded as it happened, "
            "but do not contact them again unasked",
            lang,
            quiet,
        )
    for column, words in plan.off_lists.items():
        _say(
            f"注意：{book} 的“{column}”下拉列表中没有 {'、'.join(words)}，按本工具的叫法写入；可把它加入下拉列表",
            f"attention: the '{column}' dropdown of {book} has no word for {', '.join(words)}: written in the "
            "tool's word; add it to the dropdown",
            lang,
            quiet,
        )
    said: dict[tuple[str, str], list[str]] = {}
    for where, typed, stored in plan.read_as:  # a synonym or a respelling, stored as the list's word: said
        said.setdefault((typed, stored), []).append(where)
    for (typed, stored), cells in said.items():
        where = "、".join(cells[:5]) + (" …" if len(cells) > 5 else "")
        zh, en = (stored, stored) if isinstance(stored, str) else stored  # a staff name, or a list's word
        _say(
            f"说明：“{typed}”按“{zh}”记录（{where}）",
            f"note: '{typed}' recorded as '{en}' ({where})",
            lang,
            quiet,
        )
    for state, said in (
        ("unknown", plan.unknown_staff),
        ("left", plan.left_staff),
        ("ambiguous", plan.ambiguous_staff),
    ):
        if said:
            names, cells = list(dict.fromkeys(n for _w, n in said)), list(dict.fromkeys(w for w, _n in said))
            note(text(staff_notice(state, names, cells), lang), quiet)
    if plan.recorder_note is not None:
        note(text(plan.recorder_note, lang), quiet)
    if plan.unstaffed:
        rows = "、".join(plan.unstaffed), ", ".join(plan.unstaffed)
        verb = ("将", "will be") if dry_run else ("已", "were")
        _say(
            f"注意：{rows[0]} {verb[0]}不带回访人记录（回访人为空，负责人不在职或没有，记录人也未指定）；"
            f"请填写回访人，或用 --staff 姓名 / 环境变量 FOLLOWUP_STAFF 说明是谁记录",
            f"attention: {rows[1]} {verb[1]} recorded without a 回访人 (the cell is blank, the owner is not on "
            f"the staff, and nobody recording was named); fill in 回访人, or name yourself with --staff NAME or "
            f"FOLLOWUP_STAFF",
            lang,
            quiet,
        )
    if plan.unread_columns:
        note(unread_columns_notice(plan.unread_columns).text(lang), quiet)
    if plan.blank:
        note(blank_rows_notice(plan.blank, plan.blank_rows).text(lang), quiet)
    if every and final:
        n = len(rejected_rows(every))
        if outcome.rejects_path is not None:
            _say(
                f"被拒绝的 {n} 行及原因已写入 {outcome.rejects_path}",
                f"the {n} rejected row(s) and why are in {outcome.rejects_path}",
                lang,
                quiet,
            )
        raise SystemExit(EXIT_DATA)


@dataclass(frozen=True)
class SayOptions:
    """How `record` and `log` speak (--lang, -q, --verbose) and where a dry run's plan goes."""

    lang: str | None
    quiet: bool
    verbose: bool
    fmt: str
    output: str | None


def message_options(f: Callable) -> Callable:
    """--lang, -q, --verbose, then the output options, given to `f` as one SayOptions, `opts`."""
    decorators = [
        lang_option("Language of messages."),
        quiet_option("No notes on stderr."),
        verbose_option,
        output_options,
    ]
    return with_options(bundled_as(SayOptions)(f), decorators)


@click.command("record")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@config_option("followup.toml to use.")
@click.option("--dry-run", is_flag=True, help="Show exactly what would be appended; write nothing anywhere.")
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Write the valid rows; put the rejected ones, with the reason, in a rejects workbook.",
)
@click.option(
    "--staff",
    "recorder",
    default=None,
    help="Who is recording: the staff for calls whose owner has left and whose 回访人 is blank "
    "(default: $FOLLOWUP_STAFF; never the login name). Used only when it names a member of staff.",
)
@click.option(
    "--ignore-lock",
    "force",
    is_flag=True,
    help="Write even if the workbook looks open in Excel/WPS/LibreOffice (a stale lock).",
)
@ignore_readonly_option
@as_of_option("Treat this as today (for dates in the future).", "today")
@no_cache_option
@message_options
@handle_errors
def record(
    files: tuple[str, ...],
    config_path: str | None,
    dry_run: bool,
    skip_invalid: bool,
    recorder: str | None,
    force: bool,
    today: dt.date | None,
    opts: SayOptions,
) -> None:
    """Import a filled call sheet into ARCHIVE's visit log (or a filled audit sheet's verdicts
    into its 抽查记录): `followup record ARCHIVE... FILLED`.

    A sheet made from several shops' archives together (`followup sheet a.xlsx b.xlsx`) is
    recorded with all of them named: each row goes into the archive it came from.

    Every filled row is checked (unknown task, date in the future, a value not in a
    dropdown, score out of 0-5, satisfaction for a call that did not reach the customer)
    and reported with its row and cell. By default one invalid row means nothing is written
    (exit 1). Blank rows are calls not made yet; rows added by hand (customer, kind, date,
    outcome) are recorded as visits. A call already in the visit log (same customer, kind,
    date and outcome) is not added again, so recording a sheet twice, or again after filling
    in more of it, adds only the new calls. Columns the visit log lacks are added to its header.
    """
    from pathlib import Path

    from followup_cli.outputs.audit_sheet import is_audit_workbook
    from followup_cli.writeback.record import RecordRun, record_call_sheet

    lang, quiet, output = opts.lang, opts.quiet, opts.output
    fmt = check_output(opts.fmt, output)
    if len(files) < 2:
        raise click.UsageError(
            text(
                msg(
                    "请给出档案和填好的回访表：followup record 档案.xlsx 回访表.xlsx",
                    "give the archive and the filled sheet: followup record ARCHIVE FILLED",
                ),
                message_lang(lang),
            )
        )
    archives, filled = list(files[:-1]), Path(files[-1])
    run = RecordRun(config_path, lang, today, dry_run, skip_invalid, force, recorder, invocation())
    if is_audit_workbook(filled):
        _record_audit(archives[0], filled, run, quiet, fmt, output)
        return
    from followup_cli.cli.progress import Progress

    with Progress(message_lang(lang), quiet).step("record"):
        outcome = record_call_sheet(archives, filled, run)
    every = [outcome, *outcome.others]  # a sheet made from several archives: each archive's own report
    for one in every[:-1]:
        say_outcome(one, dry_run, fmt, output, quiet, final=False)
    say_outcome(every[-1], dry_run, fmt, output, quiet, others=every[:-1])


def _record_audit(archive: str, filled, run: RecordRun, quiet: bool, fmt: str, output: str | None) -> None:
    """A filled spot-check sheet: store its verdicts in 抽查记录."""
    import datetime as dt

    from followup_cli.errors import EXIT_DATA, DataProblems
    from followup_cli.writeback.audits import apply_audit_record, plan_audit_record
    from followup_cli.writeback.visits import write_rejects

    lang, dry_run = run.lang, run.dry_run
    config, arch = load(ArchiveOptions((archive,), run.config_path, lang=lang))
    out_lang = lang or arch.lang
    plan = plan_audit_record(arch, config, filled, run.today or dt.date.today(), lang)
    _report_rejections(plan, out_lang, quiet)
    if plan.duplicates:
        _say(
            f"{plan.duplicates} 条核查结果已记录过，跳过",
            f"{plan.duplicates} verdict(s) already recorded, skipped",
            out_lang,
            quiet,
        )
    if plan.rejected and not run.skip_invalid:
        raise DataProblems(
            msg(
                f"{len(plan.rejected)} 条核查结果被拒绝；没有写入任何内容",
                f"{len(plan.rejected)} verdict(s) rejected; nothing was written",
            ),
            msg(
                "请改正后再记录，或加 --skip-invalid 只写入有效的结果",
                "fix them and record again, or pass --skip-invalid to write the valid ones",
            ),
        )
    book = f"{plan.target.name} {plan.sheet}"
    if dry_run:
        _show_plan(plan, fmt, output)
        _say(
            f"试运行：将向 {book} 追加 {len(plan.rows)} 条核查结果",
            f"dry run: would append {len(plan.rows)} verdict(s) to {book}",
            out_lang,
            quiet,
        )
    else:
        result = apply_audit_record(plan, run.command, run.force)
        if result:
            _say(
                f"已向 {book} 追加 {len(plan.rows)} 条核查结果",
                f"appended {len(plan.rows)} verdict(s) to {book}",
                out_lang,
                quiet,
            )
        else:
            _say("没有需要写入的新核查结果", "no new verdicts to write", out_lang, quiet)
    if plan.rejected:
        if not dry_run:
            write_rejects(filled.with_name(f"{filled.stem}-rejects.xlsx"), plan.rejected, out_lang)
        raise SystemExit(EXIT_DATA)
