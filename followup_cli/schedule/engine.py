"""From rules and records to tasks: who is due for which follow-up, why, and by when.

Each occurrence of a rule for a customer is a Task with a stable id made from the customer
id, the rule id and the occurrence (the date it counts from, the festival and year ...), so
the same archive and as-of date always give the same ids, and adding unrelated rows never
changes them. A task is done when a visit carries its id, or, for visits typed in by hand,
when the same customer has a visit of the same kind inside the task's window.

Everything is computed on local calendar dates; records dated after the as-of date are
treated as not having happened yet, so any past day can be replayed exactly.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
from contextvars import ContextVar
from typing import TYPE_CHECKING

import followup_cli.calendar as cal
from followup_cli.archive.duplicates import duplicate_note, shared_key
from followup_cli.archive.records import Archive
from followup_cli.archive.staff import fold
from followup_cli.policy.conditions import field_value
from followup_cli.policy.rules import Policy
from followup_cli.schedule.contacts import assign_staff, screen, settle
from followup_cli.schedule.context import Context, as_date, expire_of, lookback, needed_fields, never_drops
from followup_cli.schedule.occurrences import OCCURRENCES
from followup_cli.schedule.tasks import Schedule, Task, task_id, visit_task_ids

if TYPE_CHECKING:
    from collections.abc import Callable, Collection

    from followup_cli.calendar.birthdays import BirthdayPolicy
    from followup_cli.calendar.workdays import WorkCalendar
    from followup_cli.policy.rules import Rule
    from followup_cli.schedule.followups import FollowupSettings

__all__ = [
    "Schedule",
    "Task",
    "compute_schedule",
    "customer_tasks",
    "needed_fields",
    "task_id",
    "tasks_for_customer",
    "visit_task_ids",
]


_WINDOW_KEYS = ("opens", "closes", "visible_from", "visible_to")

# Set by cache/schedule.py around one computation: the tasks an earlier run gave the customers
# whose inputs are the same (cache/reuse.py); None: every customer is scheduled.
REUSE: ContextVar = ContextVar("followup_schedule_reuse", default=None)


def _spans(ctx: Context, rule: Rule) -> tuple[dt.timedelta, dt.timedelta | None]:
    """(due date → window end, window end → drop date or None), worked out once per rule: a
    year's replay makes a task per occurrence (kpi), hundreds of thousands of them."""
    window = dt.timedelta(days=rule.window_days)
    drop = None if never_drops(rule) else dt.timedelta(days=expire_of(rule))
    ctx.task_spans[id(rule)] = (rule, window, drop)  # the rule kept: its id stays its own
    return window, drop


def make_task(ctx: Context, rule: Rule, customer: object, due: dt.date, occ: object, params: dict) -> Task:
    found = ctx.task_spans.get(id(rule))
    window, drop_after = found[1:] if found is not None and found[0] is rule else _spans(ctx, rule)
    window_end = due + window
    drop = None if drop_after is None else window_end + drop_after
    task = Task(task_id(str(customer.id), rule.id, occ), customer, rule, due, window_end, drop, occ, params)
    if params:
        for key in _WINDOW_KEYS:
            if key in params:
                setattr(task, key, params.pop(key))
    return task


def has_bought(ctx: Context, customer: object) -> bool:
    """A purchase on or before the as-of date, a 成交日期 that has come, or the buyer flag."""
    bought = ctx.bought_from(customer)
    return bought is not None and bought <= ctx.as_of


def _rule_plan(ctx: Context, lo_of) -> list[tuple]:
    """Per rule, what the per-customer loop needs, looked up once per run."""
    plan = []
    for rule in ctx.policy.rules:
        lo = lo_of(rule)
        test = ctx.customer_test(rule) if rule.customer else None
        recent = ctx.recent(rule, lo) if rule.trigger == "after" else None
        plan.append((rule, lo, test, recent, OCCURRENCES[rule.trigger]))
    return plan


def tasks_for_customer(
    ctx: Context, customer: object, lo_of: Callable[[Rule], dt.date], hi: dt.date, since: dt.date | None = None
) -> list[Task]:
    """The policy's tasks of one customer due in [lo_of(rule), hi]; `since`: only those due from
    then on are made (a replay counts from `since` back to lo only to find a series' place)."""
    out = []
    bought = None
    plan = ctx.rule_plan.get(lo_of)
    if plan is None:
        plan = ctx.rule_plan[lo_of] = _rule_plan(ctx, lo_of)
    joined = ctx.joined(customer)
    replay = ctx.replay
    for rule, lo, test, recent, occurrences in plan:
        if test is not None and not test(customer):
            continue
        if recent is not None and customer.id not in recent:
            continue  # nothing recent enough to count from
        if rule.buyer is not None and not replay:  # a replay asks on each day (kpi.listing)
            if bought is None:
                bought = has_bought(ctx, customer)
            if bought != rule.buyer:
                continue
        stop = (
            min((d for d in (as_date(field_value(customer, f)) for f in rule.until) if d), default=None)
            if rule.until
            else None
        )
        for due, occ, params in occurrences(ctx, rule, customer, lo, hi):
            if stop is not None and due > stop:
                continue
            if joined is not None and due < joined:
                continue  # nothing was due before the customer joined
            if since is not None and due < since:
                continue
            task = make_task(ctx, rule, customer, due, occ, params)
            settle(ctx, task)
            if replay:
                task.stop = stop
            elif stop is not None and stop <= ctx.as_of and task.open:
                # The rule's end has come (the lead visited or bought): what is still open is moot.
                # Overdue before that day it was missed; coming due around it, it is simply gone.
                if task.window_end < stop:
                    task.status = "missed"
                else:
                    continue
            out.append(task)
    return out


def customer_tasks(
    ctx: Context,
    customer: object,
    lo_of: Callable[[Rule], dt.date],
    hi: dt.date,
    followups: FollowupSettings,
    since: dt.date | None = None,
) -> list[Task]:
    """Every task of one customer up to `hi`: the policy's rules, and the calls' own agreed
    next follow-ups and open-issue reminders (schedule/followups.py); `since`: only the tasks
    due from then on (a replay's period). The one source `due` lists and the KPIs replay."""
    from followup_cli.schedule.followups import followup_tasks

    tasks = tasks_for_customer(ctx, customer, lo_of, hi, since)
    if (
        customer.next_follow_up
        or (ctx.visits_of(customer.id)[0] and ctx.calls_make_tasks())
        or (ctx.archive.issues and customer.id in ctx.group("issues"))
    ):
        tasks += followup_tasks(ctx, customer, hi, followups, make_task, settle, since)
    return tasks


def without_gc(fn: Callable) -> Callable:
    """Scheduling makes hundreds of thousands of small objects and no reference cycles; the
    cyclic collector would only rescan them (measured: a fifth of the time)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return wrapper


@without_gc
def compute_schedule(
    archive: Archive,
    policy: Policy,
    as_of: dt.date,
    ahead: int = 0,
    workcal: WorkCalendar | None = None,
    kinds: Collection[str] | None = None,
    staff: str | None = None,
    store: str | None = None,
    birthday_policy: BirthdayPolicy | None = None,
    followups: FollowupSettings | None = None,
) -> Schedule:
    """Every open task on `as_of` (and up to `ahead` days later), after caps and do-not-contact.

    Besides the policy's rules, the calls' own next follow-ups and open-issue reminders
    (schedule/followups.py; `followups` its settings, defaults when None) are tasks too.
    """
    from followup_cli.schedule.followups import FollowupSettings

    followups = followups or FollowupSettings()
    workcal = workcal or cal.WorkCalendar()
    ctx = Context(archive, policy, as_of, workcal, birthday_policy)
    hi = as_of + dt.timedelta(days=ahead)
    listed, left, closed = [], [], []

    lows = {rule.id: as_of - dt.timedelta(days=lookback(rule)) for rule in policy.rules}

    def lo_of(rule):
        return lows[rule.id]

    wanted_staff = fold(ctx.staff.display(staff)) if staff else None
    reuse = REUSE.get()
    if reuse is not None:
        REUSE.set(None)  # for this one computation
        if not reuse.fits(archive, policy, (as_of, ahead, kinds, staff, store)):
            reuse = None
    customers = [c for c in archive.customers if c.id and not (store and str(c.store or "") != store)]
    stored = None
    if reuse is not None:
        # A customer's tasks depend on their own records and on what every customer shares
        # (settings, day, calendar, staff): the same inputs, the same tasks, in the same order.
        # The indexes are then built for the customers scheduled again alone.
        stored = [reuse.tasks(c) for c in customers]
        ctx.only = {c.id for c, found in zip(customers, stored) if found is None}
    for k, customer in enumerate(customers):
        if stored is not None:
            found = stored[k]
            if found is not None:
                closed += found[0]
                left += found[1]
                listed += found[2]
                continue
        tasks = customer_tasks(ctx, customer, lo_of, hi, followups)
        if not tasks:
            continue
        open_tasks = []
        for t in tasks:
            if t.open:
                open_tasks.append(t)
            else:
                closed.append(t)
        if not open_tasks:
            continue
        shared = shared_key(archive, customer)
        if shared:  # another row has this key: whose task is whose cannot be told (archive/duplicates.py)
            for t in open_tasks:
                t.left_out, t.left_out_params = "duplicate_id", dict(shared)
                t.contact = f"{customer.id}#{customer.row}@{max(t.due_date, as_of).isoformat()}"
            left.extend(open_tasks)
            continue
        screen(ctx, customer, open_tasks)
        for t in open_tasks:
            assign_staff(ctx, t)
            if kinds and t.kind not in kinds:
                continue
            if wanted_staff is not None and fold(t.staff) != wanted_staff:
                continue
            (left if t.left_out else listed).append(t)
    order = {"overdue": 0, "due": 1, "upcoming": 2}
    listed.sort(
        key=lambda t: (
            t.due_date if t.status == "upcoming" else as_of,
            order[t.status],
            -t.rule.priority,
            str(t.customer.id),
        )
    )
    warnings = workcal.warnings_for([as_of, hi]) if any(r.working_days for r in policy.rules) else []
    shared_note = duplicate_note(archive)
    if shared_note is not None:
        warnings = [*warnings, shared_note]
    return Schedule(as_of, listed, left, closed, warnings, policy, workcal)
