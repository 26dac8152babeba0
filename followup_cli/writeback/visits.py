"""Results into the shop's visit book: every call once, nothing the clerk wrote lost.

    filled call sheet / followup log → ResultRow (writeback/results.py)
      → checked against the tasks of the sheet's day and the visits already in the book
      → one visit row per task, in the book's own columns and language; columns the book
        lacks are added at the end of its header (xlsx/header.py)
      → one surgical write (transaction.apply_changes), or a dry-run listing

- **Once.** A visit already in the book is recognised by its natural key: customer, kind,
  date and outcome, and the staff member when both sides name one (a visit carrying the
  same task id on that date counts too). A visit typed into the book by hand counts the
  same way; so recording a sheet twice, or a sheet filled in further, adds only what is new.
- **One contact, several purposes**: one visit row per task (each row its own kind and task
  id), so every task is closed and counted. The satisfaction, score, would-recommend, any
  issue and the next follow-up date go on the contact's first row only, so a combined call
  is rated once and agrees one next call.
- **Nothing lost**: a value the book has no column for gets a column (said once); when the
  sheet cannot be extended safely the values go into a companion workbook beside it
  (writeback/companion.py, said so), and the task ids also into the notes so the tasks close.

The natural key is writeback/visit_index.py; a visit's fields and values as a row of the
book, writeback/visit_rows.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from followup_cli.archive.records import Archive, SheetSource, id_counter
from followup_cli.config import Config
from followup_cli.errors import DataProblems, UnreadableFile
from followup_cli.policy.vocabulary import CHANNELS, KINDS, OUTCOMES, SATISFACTION
from followup_cli.schedule.engine import Task
from followup_cli.text.messages import msg, pick, text
from followup_cli.text.record import REJECT_COLUMNS, VISIT_LOG_SHEET
from followup_cli.writeback.book_shape import (
    kept_newest_first,
    kind_words,
    link_hand_added,
    list_words,
    names_in_id_column,
    recording_staff,
    refuse_below_footer,
)
from followup_cli.writeback.issues import IssueChanges, plan_issues
from followup_cli.writeback.log_sheet import field_header, log_sheet
from followup_cli.writeback.results import Rejection, ResultRow, rejected_rows
from followup_cli.writeback.row_checks import contradicts, known_to_the_book, refused, row_problems
from followup_cli.writeback.visit_index import VisitIndex
from followup_cli.writeback.visit_rows import (
    EXTENDABLE_FIELDS,
    RATING_FIELDS,
    STANDARD_VISIT_FIELDS,
    visit_row,
    visit_values,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from followup_cli.schedule.tasks import Schedule
    from followup_cli.writeback.outcome import WriteResult


@dataclass
class RecordPlan:
    target: Path  # the workbook the visit rows go into
    sheet: str
    header_row: int
    headers: list[str]  # the book's header, with any added columns
    rows: list[list]  # values in the sheet's column order
    results: list[ResultRow]  # one per visit row, same order
    rejected: list[Rejection]
    duplicates: list[ResultRow]  # rows whose every visit is already in the book
    blank: int
    create_log: bool = False  # the separate log workbook does not exist yet
    lang: str = "zh"
    added_columns: dict[int, str] = field(default_factory=dict)  # new header cells {column: text}
    unstored: list[str] = field(default_factory=list)  # fields the book could not take: in the companion
    cannot_extend: str = ""  # why the sheet could not grow
    companion: object = None  # companion.CompanionPlan, when it could not
    issues: IssueChanges = field(default_factory=IssueChanges)
    unstaffed: list[str] = field(default_factory=list)  # rows recorded with no 回访人: nobody to name
    recorder_note: object = None  # Msg: why the named recorder was not used
    linked: list[ResultRow] = field(default_factory=list)  # hand-added rows linked by phone or name
    off_list: list[str] = field(default_factory=list)  # kinds the book's own dropdown has no word for
    newest_first: bool = False  # the book lists its visits newest first; new ones go at the bottom
    off_lists: dict[str, list[str]] = field(default_factory=dict)  # {column header: words its dropdown lacks}
    archive_name: str = ""  # the archive's first file, to say why a separate log is created
    log_reason: str = "no_sheet"  # why it is: "no_sheet", "not_xlsx" (never rewritten) or "configured" (visit_log)
    not_to_contact: list[tuple[str, str]] = field(default_factory=list)  # (row, customer) marked do-not-contact
    unknown_staff: list[tuple[str, str]] = field(default_factory=list)  # (row, name stored) not on the staff sheet
    # (row, name stored) of a 回访人 who has left, or a name several staff share: recorded as written, said
    left_staff: list[tuple[str, str]] = field(default_factory=list)
    ambiguous_staff: list[tuple[str, str]] = field(default_factory=list)
    read_as: list[tuple[str, str, str]] = field(default_factory=list)  # (cell, typed, stored): words read as others
    unread_columns: list[tuple[str, str]] = field(default_factory=list)  # (cell, header) of call-sheet columns not read
    blank_rows: list[str] = field(default_factory=list)  # the call-sheet rows left without a result

    @property
    def rejected_rows(self) -> list[tuple[str, list[Rejection]]]:
        return rejected_rows(self.rejected)


_MONTH_NAME = re.compile(
    r"(?:(\d{4})\s*[年.\-/_]?\s*)?(\d{1,2})\s*月|(\d{4})\s*[.\-/_]\s*(\d{1,2})(?!\d)|^(\d{4})(\d{2})$"
)


def sheet_month(name: str) -> tuple[int | None, int] | None:
    """(year or None, month) a sheet's name names (2026年11月, 11月回访, 2026-11, 202611), or None."""
    m = _MONTH_NAME.search(name)
    if not m:
        return None
    year, month = (m[1], m[2]) if m[2] else (m[3], m[4]) if m[4] else (m[5], m[6])
    month = int(month)
    return (int(year) if year else None, month) if 1 <= month <= 12 else None


def _month_sheet(own: SheetSource, sources: list, when: dt.date | None) -> SheetSource:
    """A visit log kept one sheet per month (2026年10月, 2026年11月 ...): the sheet of `when`'s
    month, that year's before one naming no year; else the first visit sheet, as before."""
    if when is None:
        return own
    same = [s for s in sources if s.role == "visits" and s.file == own.file]
    fits = [(sheet_month(s.sheet), s) for s in same]
    fits = [(ym, s) for ym, s in fits if ym and ym[1] == when.month and ym[0] in (None, when.year)]
    fits.sort(key=lambda f: f[0][0] is None)
    return fits[0][1] if fits else own


def visit_log_target(archive: Archive, config: Config, when: dt.date | None = None) -> tuple[Path, SheetSource | None]:
    """Where visit rows go: the archive's own visit sheet in an .xlsx/.xlsm (of `when`'s month,
    in a log kept one sheet per month), else a separate log workbook (followup.toml `visit_log`,
    or '<archive>-回访记录.xlsx' beside it)."""
    separate = config.log_path(archive.paths)
    own = archive.source("visits")
    if own is not None:
        own = _month_sheet(own, archive.sources, when)
    if (
        not config.visit_log
        and own
        and own.file.suffix.lower() in (".xlsx", ".xlsm")
        and own.file.resolve() != separate.resolve()
    ):
        return own.file, own
    src = next((s for s in archive.sources if s.role == "visits" and s.file.resolve() == separate.resolve()), None)
    return separate, src


def lock_targets(paths: Sequence[str | Path], config: Config) -> list[Path]:
    """Every workbook a record into these archives may write: locked before they are read."""
    out = [Path(p) for p in paths if Path(p).suffix.lower() in (".xlsx", ".xlsm")]
    return out + [config.log_path(paths)]


def known_tasks(schedule: Schedule) -> dict[str, Task]:
    return {t.task_id: t for t in (*schedule.tasks, *schedule.left_out, *schedule.closed)}


# ---- planning -----------------------------------------------------------------------------


def plan_record(
    archive: Archive,
    config: Config,
    results: list[ResultRow],
    tasks: dict[str, Task],
    today: dt.date,
    lang: str | None = None,
    rejected: list[Rejection] | None = None,
    blank: int = 0,
    *,
    recorder: str | None = None,
    allow_duplicate: bool = False,
    as_of: dt.date | None = None,
    width: Callable[[], int] | None = None,
) -> RecordPlan:
    """Check rows against the tasks and the book; build the visit rows to append.

    `recorder`: who records (stands in for an owner who has left). `width()`: the last column
    the book's visit sheet uses (transaction.sheet_width), asked only when a column must be
    added; it raises xlsx.header.CannotExtend when the sheet cannot grow safely.
    """
    from followup_cli.archive.staff import staff_directory

    rejected = list(rejected or [])
    directory = staff_directory(archive, as_of or today)
    customers = {str(c.id) for c in archive.customers if c.id}
    # a row rejected while it was read is also told what else is wrong with it, so it is fixed once
    told = {(p.where, str(p.message)) for p in rejected}
    for row in list({id(p.row): p.row for p in rejected if p.row is not None}.values()):
        rejected += [
            p
            for p in row_problems(row, tasks, customers, today, with_tasks=False)
            if (p.where, str(p.message)) not in told
        ]
    owners = {str(c.id): c.owner for c in archive.customers if c.id and c.owner}
    recorder, recorder_note = recording_staff(directory, recorder)

    people: dict = {}  # a book names its few staff thousands of times: each cell resolved once

    def person(cell):
        key = (cell.__class__, cell)
        found = people.get(key, people)
        if found is people:
            found = people[key] = directory.display(cell)
        return found

    target, src = visit_log_target(archive, config, as_of or today)
    if results:
        refuse_below_footer(archive, src)
    index = VisitIndex(archive.visits, person)
    by_id = {str(c.id): c for c in archive.customers if c.id}
    entries: list[ResultRow] = []
    duplicates: list[ResultRow] = []
    unknown_staff: list[tuple[str, str]] = []
    staff_said: dict[str, list[tuple[str, str]]] = {"left": [], "ambiguous": []}
    read_as: list[tuple[str, str, str]] = []
    linked = []
    for r in results:
        if r.hand_added and not r.customer_id:
            problem = link_hand_added(r, archive)
            if problem is not None:
                rejected.append(Rejection(r.where, r.phone or r.customer_name, problem, r))
                continue
            linked.append(r)
        contradiction = contradicts(r, by_id, archive)
        if contradiction is not None:
            rejected.append(contradiction)
            continue
        r, again = known_to_the_book(r, tasks, index)
        if again:
            duplicates.append(r)
            continue
        problems, planned = _expand(r, tasks, customers, today, directory, recorder, owners)
        if problems:
            rejected.extend(problems)
            continue
        new = []
        for e in planned:
            tid = e.task_ids[0] if e.task_ids else None
            if not allow_duplicate and index.holds(str(e.customer_id), e.done_on, e.outcome, e.kind, e.staff, tid):
                continue
            index.add(str(e.customer_id), e.done_on, e.outcome, e.kind, e.staff, set(e.task_ids))
            new.append(e)
        if not new:
            duplicates.append(r)
        elif r.staff_given and directory.people:  # a 回访人 the staff sheet does not know, or knows spelled otherwise
            m = directory.resolve(r.staff)
            cell = r.cells.get("staff")
            where = r.where.rsplit("!", 1)[0] + "!" + cell if cell and "!" in r.where else r.where
            if m.state == "unknown":
                unknown_staff.append((where, new[0].staff))
            elif m.state in staff_said:
                staff_said[m.state].append((where, new[0].staff))
            elif new[0].staff and new[0].staff != str(r.staff).strip():
                read_as.append((where, str(r.staff).strip(), new[0].staff))
        if new:
            read_as.extend(r.read_as)
        entries += new
    layout = log_sheet(src, "visits", STANDARD_VISIT_FIELDS, VISIT_LOG_SHEET, lang or archive.lang)
    columns, sheet_lang = layout.columns, layout.lang
    plan = RecordPlan(target, layout.name, layout.header_row, layout.headers, [], entries, rejected, duplicates, blank)
    plan.create_log, plan.lang = layout.create, sheet_lang
    plan.newest_first = kept_newest_first(archive, src) and target == (src.file if src else None)
    plan.unstaffed = list(dict.fromkeys(e.where for e in entries if not e.staff))
    plan.recorder_note = recorder_note
    plan.linked = linked
    plan.unknown_staff, plan.read_as = unknown_staff, read_as
    plan.left_staff, plan.ambiguous_staff = staff_said["left"], staff_said["ambiguous"]
    first = archive.paths[0] if getattr(archive, "paths", None) else None
    plan.archive_name = first.name if first is not None else ""
    if config.visit_log:
        plan.log_reason = "configured"
    elif first is not None and first.suffix.lower() not in (".xlsx", ".xlsm"):
        plan.log_reason = "not_xlsx"
    plan.not_to_contact = list(
        dict.fromkeys((e.where, str(e.customer_id)) for e in entries if refused(e, by_id, tasks))
    )
    names = names_in_id_column(src, entries, archive)
    if entries and not layout.create:
        _add_columns(plan, columns, entries, width)
    visit_ids = _new_ids(archive, columns, len(entries))
    words = kind_words(target, src, columns) if entries else {}
    if words:  # a kind the dropdown has no word for is written in the tool's word: said
        plan.off_list = sorted({KINDS.label(e.kind, sheet_lang) for e in entries if e.kind and e.kind not in words})
    lists = {}  # the book's own dropdowns on its other coded columns: its words, and what they lack (said)
    for name, vocabulary in (("outcome", OUTCOMES), ("satisfaction", SATISFACTION), ("channel", CHANNELS)):
        found = list_words(target, src, columns, name, vocabulary) if entries else None
        if found is None:
            continue
        lists[name] = found
        lacking = sorted(
            {
                vocabulary.label(getattr(e, name), sheet_lang)
                for e in entries
                if getattr(e, name) and getattr(e, name) not in found
            }
        )
        if lacking:
            plan.off_lists[plan.headers[columns[name]] or name] = lacking
    plan.rows = [
        visit_row(e, columns, len(plan.headers), sheet_lang, vid, names, words, lists)
        for e, vid in zip(entries, visit_ids)
    ]
    plan.issues = plan_issues(archive, target, src, entries, visit_ids)
    return plan


def _expand(r: ResultRow, tasks, customers, today, directory, recorder, owners) -> tuple[list, list[ResultRow]]:
    """(problems, one visit per task of the row): each with its kind, task id and staff."""
    problems = row_problems(r, tasks, customers, today)
    first = tasks.get(r.task_ids[0]) if r.task_ids else None
    if problems:
        return problems, []
    if r.staff_given:
        staff = directory.display(r.staff)
    elif first is not None:
        staff = first.staff or recorder or None  # the task's owner while on the staff (schedule)
    else:  # a row added by hand: the customer's owner while on the staff
        owner = owners.get(str(r.customer_id))
        staff = (directory.active_name(owner) if owner else None) or recorder or None
    if r.task_ids:
        parts = [(tid, tasks[tid].kind, tasks[tid].customer.id) for tid in r.task_ids]
    else:
        parts = [(None, k, r.customer_id) for k in (r.kinds or [r.kind])]
    out = []
    for i, (tid, kind, cid) in enumerate(parts):
        e = dataclasses.replace(r, task_ids=[tid] if tid else [], kind=kind, customer_id=cid, staff=staff)
        if i:  # the same contact: rated once, its issue raised once
            for name in RATING_FIELDS:
                setattr(e, name, None)
        out.append(e)
    return [], out


def _add_columns(plan: RecordPlan, columns: dict[str, int], entries: list[ResultRow], width) -> None:
    """Give every value the book has no column for a column at the end of its header."""
    from followup_cli.xlsx.header import CannotExtend

    values = [visit_values(e, plan.lang, None) for e in entries]
    # a book that says the kind in its free-text 回访内容 gets the kind's words there, no 回访类型 column
    missing = [
        f
        for f in EXTENDABLE_FIELDS
        if f not in columns
        and not (f == "kind" and "content" in columns)
        and any(v.get(f) not in (None, "") for v in values)
    ]
    if not missing:
        return
    try:
        used = width() if width else len(plan.headers)
    except CannotExtend as exc:
        from followup_cli.writeback.companion import plan_companion

        plan.cannot_extend = exc.message
        plan.companion = plan_companion(plan.target, plan.lang, missing, values)
        plan.unstored = [field_header("visits", f, plan.lang) for f in missing]
        return
    used = max(used, len(plan.headers))
    plan.headers += [None] * (used - len(plan.headers))
    for i, f in enumerate(missing):
        columns[f] = used + i
        plan.added_columns[used + i + 1] = field_header("visits", f, plan.lang)
        plan.headers.append(field_header("visits", f, plan.lang))


def _new_ids(archive: Archive, columns: dict[str, int], n: int) -> list[str | None]:
    """Visit ids in the book's own pattern, numbered from what the book holds now (read under the lock)."""
    next_id = id_counter((v.visit_id for v in archive.visits), "V", 5)
    return [next_id() for _ in range(n)]


# ---- writing ------------------------------------------------------------------------------


def apply_record(plan: RecordPlan, command: str, force: bool = False) -> WriteResult | None:
    """The new columns, the visit rows, the issue entries and the resolved issues: one write,
    all or nothing (creating the separate log workbook first when needed). Call it holding
    the lock of plan.target (`locks.hold`), under which the plan was made."""
    from followup_cli.writeback import locks
    from followup_cli.writeback.changes import Append, ExtendHeader, Update
    from followup_cli.writeback.transaction import apply_changes

    if not plan.rows:
        return None
    with locks.hold(plan.target):
        if plan.create_log:
            if plan.target.exists():
                raise UnreadableFile(
                    plan.target,
                    msg(f"已存在，但没有回访工作表“{plan.sheet}”", f"exists but has no visit sheet '{plan.sheet}'"),
                    msg(
                        "请把其回访工作表命名为 回访记录 / Visits，或在 followup.toml 中设置 visit_log",
                        "name its visit sheet 回访记录 / Visits, or set visit_log in followup.toml",
                    ),
                )
            create_log_workbook(
                plan.target,
                plan.sheet,
                plan.headers,
                {i for i, f in enumerate(STANDARD_VISIT_FIELDS) if f in ("date", "resolved_on")},
            )
        if plan.companion is not None:
            from followup_cli.writeback.companion import write_companion

            write_companion(plan.companion, command, force)  # first: a failure then leaves the book as it was
        changes = []
        if plan.added_columns:
            changes.append(ExtendHeader(plan.sheet, plan.header_row, plan.added_columns))
        changes.append(Append(plan.sheet, plan.rows, plan.header_row))
        if plan.issues.rows:
            changes.append(Append(plan.issues.sheet, plan.issues.rows, plan.issues.header_row))
        for sheet, cells in plan.issues.updates.items():
            changes.append(Update(sheet, cells))
        return apply_changes(plan.target, changes, command=command, force=force)


def create_log_workbook(path: Path, sheet: str, headers: list[str], date_columns: set[int] = frozenset()) -> None:
    """A new, tool-owned visit log workbook: the header row, dates shown as dates (the rows
    appended later take the column's format).

    Never written over a workbook that exists (the builder's exclusive save): the caller
    holds the lock, so a concurrent creator waits and then finds this one."""
    from followup_cli.xlsx.builder import Book, Column

    columns = [
        Column(str(j), h, width=max(10, len(h) * 2), kind="date" if j in date_columns else "text")
        for j, h in enumerate(headers)
    ]
    try:
        with Book(path, creator="followup record", exclusive=True) as book:
            book.sheet(sheet, columns, [], autofilter=False, freeze=(1, 0))
    except FileExistsError:
        raise UnreadableFile(
            path,
            msg("已存在（另一个程序刚刚创建了它）", "exists (another program just created it)"),
            msg("请再运行一次", "run the command again"),
        ) from None


def write_rejects(path: Path, rejected: list[Rejection], lang: str) -> Path:
    from followup_cli.outputs.rows import emit_rows

    rows = [
        {"row": row, "where": r.where, "value": r.value, "message": text(r.message, lang)}
        for row, problems in rejected_rows(rejected)
        for r in problems
    ]
    emit_rows(
        rows, "xlsx", [(k, pick(label, lang)) for k, label in REJECT_COLUMNS.items()], path=path, sheet_title="rejects"
    )
    return path


def require_clean(plan: RecordPlan) -> None:
    n = len(rejected_rows(plan.rejected))
    if n:
        raise DataProblems(
            msg(f"{n} 行被拒绝；没有写入任何内容", f"{n} row(s) rejected; nothing was written"),
            msg(
                "请改正后再记录，或加 --skip-invalid 只写入有效的行",
                "fix them and record again, or pass --skip-invalid to write the valid rows",
            ),
        )
