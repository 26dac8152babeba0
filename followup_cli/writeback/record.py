"""`record` and `log` as library calls: lock, read, check, write, in that order.

Every workbook a record may write is locked *before* the archive is read, so the visits
already in the book, the next visit and issue ids and the decision to create a separate
log workbook all come from the state read under the lock: two runs at once end with every
row once and unique ids (the second waits, then finds the first's rows), or one clear
refusal (the lock is busy past its timeout). A dry run takes no lock and writes nothing,
not even a rejects workbook.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from followup_cli.errors import FollowupError, UsageProblem
from followup_cli.schedule.engine import without_gc
from followup_cli.text.messages import msg, text
from followup_cli.writeback import locks
from followup_cli.writeback.results import BLANK_ROWS, UNREAD_COLUMNS, read_call_sheet
from followup_cli.writeback.visits import (
    RecordPlan,
    apply_record,
    known_tasks,
    lock_targets,
    plan_record,
    write_rejects,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence


@dataclass
class RecordOutcome:
    plan: RecordPlan
    result: object = None  # outcome.WriteResult, or None when nothing was written
    lang: str = "zh"
    rejects_path: Path | None = None
    written: bool = False
    others: list = field(default_factory=list)  # a sheet made from several archives: theirs, in order


@dataclass(frozen=True)
class RecordRun:
    """How one `record` or `log` run reads and writes: its command line, as the library takes it."""

    config_path: str | Path | None = None
    lang: str | None = None
    today: dt.date | None = None  # the day taken as today, for dates in the future (default: today)
    dry_run: bool = False
    skip_invalid: bool = False
    force: bool = False  # write even when a lock file says the book is open
    recorder: str | None = None  # who records (--staff), for rows whose owner has left
    command: str = "followup record"
    lock_timeout: float = 10


RECORDER_ENV = "FOLLOWUP_STAFF"


def _recorder(given: str | None) -> str | None:
    """Who records, only when they name themselves (--staff, else $FOLLOWUP_STAFF): never the
    computer's login name, which is not a member of staff and would be ranked by `kpi --by staff`."""
    named = given or os.environ.get(RECORDER_ENV) or ""
    return named.strip() or None


def _made_for(meta: dict, paths: list[Path], filled: Path) -> None:
    """Refuse a call sheet made from another archive, naming both."""
    made = [Path(p) for p in str(meta.get("archives") or "").splitlines() if p.strip()]
    if not made:
        return
    given = {p.resolve() for p in paths}
    missing = [m for m in made if m.resolve() not in given and m.name not in {p.name for p in paths}]
    if len(made) > 1 and missing and len(missing) < len(made):
        # made from several archives together, recorded into some of them: the others' rows
        # would each be "unknown"; say what the sheet was made from and how to record it
        files = " ".join(str(m) for m in made)
        raise UsageProblem(
            msg(
                f"{filled}：这份回访表是由 {len(made)} 个档案一起生成的（{'、'.join(map(str, made))}），"
                f"缺少 {'、'.join(map(str, missing))}；每一行要记录到它所属的档案",
                f"{filled}: this call sheet was made from {len(made)} archives together "
                f"({', '.join(map(str, made))}); {', '.join(map(str, missing))} is missing, and each row is "
                "recorded into the archive it came from",
            ),
            msg(
                f"请把这些档案都写上再记录：followup record {files} {filled}",
                f"name them all when recording: followup record {files} {filled}",
            ),
        )
    if given & set(made) or {p.name for p in paths} & {p.name for p in made}:
        return  # the same archive (or the same one moved to another folder)
    raise UsageProblem(
        msg(
            f"{filled}：这份回访表是为 {', '.join(map(str, made))} 生成的，不是为 {', '.join(map(str, paths))}",
            f"{filled}: this call sheet was made for {', '.join(map(str, made))}, not for {', '.join(map(str, paths))}",
        ),
        msg("请把它记录到生成它的档案中", "record it into the archive it was made from"),
    )


@contextlib.contextmanager
def said_in(lang: str | None) -> Iterator[None]:
    """A refusal raised inside is said in `lang` (the archive's), unless it already has a language."""
    try:
        yield
    except FollowupError as err:
        err.lang = getattr(err, "lang", None) or lang
        raise


# The archive is millions of objects without reference cycles: after it is read, the cyclic
# collector would only rescan it while the book's visits are indexed (measured: the index of
# 60,000 visits 0.88 s with it, 0.34 s without).
@without_gc
def record_call_sheet(
    archives: Sequence[str | Path], filled: str | Path, run: RecordRun = RecordRun()
) -> RecordOutcome:
    """Import a filled call sheet into the archive's visit book (see the module's docstring)."""
    from followup_cli.archive.reading import load_archive
    from followup_cli.config import load_config
    from followup_cli.outputs.due_list import due

    paths = [Path(a) for a in archives]
    filled = Path(filled)
    meta, results, rejected, blank = read_call_sheet(filled)
    try:
        _made_for(meta, paths, filled)
    except FollowupError as err:
        err.lang = _archive_lang(paths, run.config_path) or meta.get("lang")
        raise
    as_of = _meta_date(meta.get("as_of")) or dt.date.today()
    ahead = int(float(meta.get("ahead") or 0))
    if len(paths) > 1:
        shops = _archives_apart(paths, meta, run)
        if shops is not None:
            return _record_each(shops, filled, meta, results, rejected, blank, as_of, ahead, run)
    config = load_config(paths, run.config_path, preset=meta.get("preset") or None, lang=run.lang)
    with _locked(lock_targets(paths, config), run):
        archive = load_archive(paths, config, fields=_record_fields(config))
        sched = due(archive, config, as_of, ahead=ahead, lang=run.lang, rows=False)
        outcome = _plan(archive, config, sched, results, known_tasks(sched.schedule), run, rejected, blank, as_of)
        plan = outcome.plan
        _said_by_the_sheet(plan, meta)
        if run.dry_run or (plan.rejected and not run.skip_invalid):
            return outcome
        _apply(outcome, run)
    if plan.rejected:
        outcome.rejects_path = write_rejects(
            filled.with_name(f"{filled.stem}-rejects.xlsx"), plan.rejected, outcome.lang
        )
    return outcome


def _record_fields(config) -> dict[str, set[str]]:
    """The columns record reads: every column of the visit log (the one sheet it writes: its
    rows are compared with the call sheet's), of the other big sheets those scheduling reads,
    as `due` and `sheet` read them, so the sheets `sheet` left in the cache are used."""
    from followup_cli.policy.setup import policy_setup
    from followup_cli.schedule.context import needed_fields

    return {role: names for role, names in needed_fields(policy_setup(config).policy).items() if role != "visits"}


def _said_by_the_sheet(plan: RecordPlan, meta: dict) -> None:
    """What the call sheet itself says (columns it did not read, rows left blank): reported
    once, with the plan of its first archive."""
    plan.unread_columns, plan.blank_rows = meta.get(UNREAD_COLUMNS, []), meta.get(BLANK_ROWS, [])


def _locked(targets, run: RecordRun) -> contextlib.AbstractContextManager:
    """Every book the run may write, locked (a dry run writes nothing and takes no lock)."""
    return contextlib.nullcontext() if run.dry_run else locks.hold_all(targets, run.lock_timeout)


def _plan(
    archive, config, sched, results, tasks, run: RecordRun, rejected=None, blank=0, as_of=None, allow_duplicate=False
):
    """One archive's rows checked against its tasks and book: the outcome, planned, unwritten."""
    with said_in(sched.lang):
        plan = plan_record(
            archive,
            config,
            results,
            tasks,
            run.today or dt.date.today(),
            run.lang,
            rejected,
            blank,
            recorder=_recorder(run.recorder),
            allow_duplicate=allow_duplicate,
            as_of=as_of,
            width=_width_of(archive, config, as_of),
        )
    return RecordOutcome(plan, lang=sched.lang)


def _apply(outcome: RecordOutcome, run: RecordRun) -> None:
    """Write a planned outcome into its book, a refusal said in the archive's language."""
    with said_in(outcome.lang):
        outcome.result = apply_record(outcome.plan, run.command, run.force)
    outcome.written = outcome.result is not None


def _archives_apart(paths, meta, run: RecordRun):
    """[(path, config)] when every file given is an archive of its own (each has customers: two
    shops' workbooks a call sheet was made from together), else None (one archive kept in
    several files, e.g. customers and sales apart: recorded as one)."""
    from followup_cli.archive.reading import load_archive
    from followup_cli.config import load_config

    shops = []
    for p in paths:
        config = load_config([p], run.config_path, preset=meta.get("preset") or None, lang=run.lang)
        if not load_archive([p], config).customers:
            return None
        shops.append((p, config))
    return shops


def _record_each(shops, filled, meta, results, rejected, blank, as_of, ahead, run: RecordRun) -> RecordOutcome:
    """A call sheet made from several archives: each row recorded into the archive its task (or
    its customer) belongs to, each archive's visit book written as a one-archive record would.
    Every archive is planned before anything is written: one rejected row anywhere (without
    --skip-invalid) and nothing is written into any of them. The first outcome is returned,
    the others in its `others`."""
    from followup_cli.archive.reading import load_archive
    from followup_cli.outputs.due_list import due

    targets = [t for p, config in shops for t in lock_targets([p], config)]
    outcomes: list[RecordOutcome] = []
    with _locked(targets, run):
        loaded = []
        for p, config in shops:
            archive = load_archive([p], config)
            sched = due(archive, config, as_of, ahead=ahead, lang=run.lang, rows=False)
            ids = {str(c.id) for c in archive.customers if c.id}
            loaded.append((p, config, archive, sched, known_tasks(sched.schedule), ids))
        share: list[list] = [[] for _ in loaded]
        for r in results:
            home = next(
                (
                    i
                    for i, (*_, tasks, ids) in enumerate(loaded)
                    if (r.task_ids and r.task_ids[0] in tasks) or (r.customer_id and str(r.customer_id) in ids)
                ),
                0,
            )  # a row no archive knows: rejected by the first, with its reason
            share[home].append(r)
        for i, (p, config, archive, sched, tasks, _ids) in enumerate(loaded):
            own = (rejected, blank) if i == 0 else ([], 0)  # the sheet's own rejects and blanks: said once
            outcomes.append(_plan(archive, config, sched, share[i], tasks, run, *own, as_of))
            if i == 0:
                _said_by_the_sheet(outcomes[-1].plan, meta)
        refused = any(o.plan.rejected for o in outcomes)
        if not run.dry_run and not (refused and not run.skip_invalid):
            for o in outcomes:
                _apply(o, run)
    every = [r for o in outcomes for r in o.plan.rejected]
    if every and not run.dry_run and run.skip_invalid:
        path = write_rejects(filled.with_name(f"{filled.stem}-rejects.xlsx"), every, outcomes[0].lang)
        for o in outcomes:
            o.rejects_path = path
    first = outcomes[0]
    first.others = outcomes[1:]
    return first


@without_gc
def log_visit(
    archives: Sequence[str | Path],
    values: dict,
    run: RecordRun = RecordRun(command="followup log"),
    *,
    customer_id: str,
    kind: str,
    staff: str | None = None,
    task_id: str | None = None,
    allow_duplicate: bool = False,
) -> RecordOutcome:
    """One visit from the command line: the same checks, natural key and safety as record.

    `values`: the result fields as typed (done_on a date; channel, outcome ... as text). Of
    `run`, skip_invalid does not apply: the one visit is written or refused.
    """
    from followup_cli.archive.reading import load_archive
    from followup_cli.config import load_config
    from followup_cli.outputs.due_list import due
    from followup_cli.writeback.results import parse_result

    paths = [Path(a) for a in archives]
    today = run.today or dt.date.today()
    done_on = values.get("done_on") or today
    cells = {k: f"--{k.replace('_', '-')}" for k in values}
    cells["done_on"] = "--date"
    result, problems = parse_result({k: ("" if v is None else v) for k, v in values.items()}, "", cells)
    if problems:
        raise UsageProblem(
            msg(
                "；".join(f"{p.where}：{text(p.message, 'zh')}" for p in problems),
                "; ".join(f"{p.where}: {p.message}" for p in problems),
            )
        )
    config = load_config(paths, run.config_path, lang=run.lang)
    with _locked(lock_targets(paths, config), run):
        archive = load_archive(paths, config)
        if customer_id not in {str(c.id) for c in archive.customers}:
            raise UsageProblem(
                msg(f"客户“{customer_id}”不在 {paths[0]} 中", f"customer '{customer_id}' is not in {paths[0]}"),
                msg("请用 `followup check` 核对客户编号", "check the id with `followup check`"),
            )
        result.customer_id, result.kind, result.kinds = customer_id, kind, [kind]
        result.where = "--customer " + customer_id
        sched = due(archive, config, done_on, ahead=0, lang=run.lang, rows=False)
        tasks = known_tasks(sched.schedule)
        if task_id:
            result.task_ids = [task_id]
        else:  # the open task of this customer and kind, if there is one, so the log is exact
            match = [
                t
                for t in sched.schedule.tasks + sched.schedule.left_out
                if str(t.customer.id) == customer_id and t.kind == kind
            ]
            result.task_ids = [match[0].task_id] if match else []
        result.hand_added = not result.task_ids
        if staff:
            result.staff, result.staff_given = staff, True
        outcome = _plan(archive, config, sched, [result], tasks, run, as_of=done_on, allow_duplicate=allow_duplicate)
        if run.dry_run or outcome.plan.rejected:
            return outcome
        _apply(outcome, run)
    return outcome


def _archive_lang(paths, config_path) -> str | None:
    """The language of an archive's own headers, for a refusal made before it was read."""
    from followup_cli.archive.reading import load_archive
    from followup_cli.config import load_config

    try:
        return load_archive(paths, load_config(paths, config_path)).lang
    except Exception:  # an archive that cannot be read: the caller falls back to the sheet's language
        return None


def _width_of(archive, config, when):
    """The visit sheet's used width, measured only when a column is to be added."""
    from followup_cli.writeback.transaction import sheet_width
    from followup_cli.writeback.visits import visit_log_target

    def measure() -> int:
        target, src = visit_log_target(archive, config, when)
        return sheet_width(target, src.sheet, src.header_row)

    return measure


def _meta_date(value) -> dt.date | None:
    if not value:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
