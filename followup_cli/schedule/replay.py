"""A period's due set: exactly the tasks `due` would have listed on the days of the period.

The KPI's denominator must be what the policy would have put in front of the clerk, so
each task whose due date falls in the period is replayed day by day, as `due --as-of DAY`
would have seen it on each day from its due date to the cut-off:

- it exists on a day when its trigger had come by then: nothing before the customer joined
  (`Context.joined`); a buyer rule only while the customer has bought (a non-buyer rule
  only before); a series' next occurrence only once the previous one is closed or dropped;
  a win-back counted from the last purchase before that day; nothing from its `until` day;
- it is open on a day when it is not done (or unreachable) by then and not yet dropped;
- it is listed on a day when it is open and what `due` applies does not keep it off: a
  shared customer key (archive/duplicates.py), do-not-contact for the task's channel
  (`contacts.refusal`, as `contacts.screen` asks it: Do Not Call keeps the points SMS, 接受短信
  = 否 the birthday call), then the yearly cap and the minimum gap with the contacts made by
  then.

The tasks are the ones `due` makes (`engine.customer_tasks`): the policy's rules and the
calls' own next follow-ups and issue reminders (each reminder seen until the next one).

A task is due in the period when it was listed on at least one such day, or when a visit
closed it (done, or unreachable after the last unanswered attempt) on a day it existed.
The others are left out by policy: each keeps the reason of its first open day
(`Task.left_out`: cap, gap or do_not_contact).

One pass over the customers as of the cut-off finds every task and its visits; only the
customers with a task in the period are replayed, and a task stops being replayed on the
first day it is listed (most are listed on their due date). What the cap and the gap say
is asked once per customer and day (`_Days`), not by planning every open task again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import followup_cli.calendar as cal
from followup_cli.archive.duplicates import shared_key
from followup_cli.archive.records import Archive
from followup_cli.policy.rules import Policy, Rule
from followup_cli.schedule.contacts import assign_staff, contact_history, refusal
from followup_cli.schedule.context import DAY, Context, lookback
from followup_cli.schedule.engine import customer_tasks, without_gc
from followup_cli.schedule.followups import FollowupSettings
from followup_cli.schedule.tasks import Task

if TYPE_CHECKING:
    from collections.abc import Iterable

    from followup_cli.calendar.birthdays import BirthdayPolicy
    from followup_cli.calendar.workdays import WorkCalendar

_CLOSED = ("done", "unreachable")
_OPEN = ("due", "overdue", "upcoming")  # Task.open


class DueTask(NamedTuple):
    """A task due in the period as the KPIs need it. The Task itself (its params, windows and
    stages) is let go once it is replayed: a year's due set of a big archive is then not a
    year of Task objects (about 600,000 of them at 100,000 customers)."""

    task_id: str
    customer: object
    rule: Rule
    due_date: dt.date
    status: str
    done_on: dt.date | None
    staff: str | None
    kind: str  # the rule's kind, kept (the facts ask it of every task)


@dataclass
class PeriodDue:
    due: list[DueTask]  # due in the period: listed on a day of it, or closed by a visit
    left_out: list[Task]  # due by date, never listed: the cap, the gap or do-not-contact kept it off
    later: int = 0  # occurrences due after the cut-off up to `end`, as `due` sees them on the cut-off day


def _exists(task: Task, day: dt.date, bought_from: dt.date | None) -> bool:
    """Whether `due --as-of day` generates this occurrence at all."""
    if task.visible_from is not None and day < task.visible_from:
        return False
    if task.visible_to is not None and day > task.visible_to:
        return False
    buyer = task.rule.buyer
    if buyer is not None:
        bought = bought_from is not None and bought_from <= day
        if bought != buyer:
            return False
    return True


def _closed_on(task: Task) -> dt.date | None:
    if task.status == "done":
        return task.done_on
    if task.status == "unreachable":
        return task.unreachable_on
    return None


def _open(task: Task, day: dt.date, bought_from: dt.date | None) -> bool:
    """Whether `due --as-of day` shows this occurrence as due or overdue (before cap and gap)."""
    if day < task.due_date or (task.drop_date is not None and day > task.drop_date):
        return False
    closed = _closed_on(task)
    if closed is not None and closed <= day:
        return False
    if task.stop is not None and task.stop <= day:
        return False
    return _exists(task, day, bought_from)


def _closed_seen(task: Task, cutoff: dt.date, bought_from: dt.date | None) -> bool:
    """A task a visit closed counts when `due` saw it on some day from then to the cut-off."""
    closed = _closed_on(task)
    if closed is None:
        return False
    day = max(task.due_date, closed, task.visible_from or dt.date.min)
    last = min(cutoff, task.visible_to or dt.date.max)
    while day <= last:
        if _exists(task, day, bought_from):
            return True
        day += DAY
    return False


@without_gc
def period_due(
    archive: Archive,
    policy: Policy,
    start: dt.date,
    cutoff: dt.date,
    workcal: WorkCalendar | None = None,
    birthday_policy: BirthdayPolicy | None = None,
    customers: Iterable[object] | None = None,
    end: dt.date | None = None,
    followups: FollowupSettings | None = None,
) -> PeriodDue:
    """The tasks due in [start, cutoff] as `due` would have listed them, with their status on
    the cut-off day; those the policy left out; and how many come due after the cut-off up
    to `end` (a period still running). `followups`: the settings of the calls' own tasks
    (next follow-ups, issue reminders), as `due` is given them."""
    workcal = workcal or cal.WorkCalendar()
    followups = followups or FollowupSettings()
    ctx = Context(archive, policy, cutoff, workcal, birthday_policy)
    ctx.replay = True
    lows = {rule.id: start - dt.timedelta(days=lookback(rule)) for rule in policy.rules}

    def lo_of(rule):
        return lows[rule.id]

    due, left = [], []
    left_ids: set[str] = set()  # the rows sharing a key make the same ids: each left out once
    later = 0
    last_day = max(cutoff, end or cutoff)
    shared_ids = archive.duplicates or {}
    done_with = None  # the customer before: their entries in ctx's indexes can go
    for customer in customers if customers is not None else archive.customers:
        if done_with is not None:
            ctx.let_go(done_with)
            done_with = None
        if not customer.id:
            continue
        if customer.id not in shared_ids:  # no other row asks for this id
            done_with = customer.id
        tasks = customer_tasks(ctx, customer, lo_of, last_day, followups, since=start)
        if not tasks:
            continue
        # one pass: the period's tasks, and those due after the cut-off (counted as `later`)
        mine, ahead = [], []
        for t in tasks:
            d = t.due_date
            if d > cutoff:
                ahead.append(t)
            elif d >= start:
                mine.append(t)
        bought_from = _UNKNOWN
        dnc = customer.do_not_contact
        shared = shared_key(archive, customer)
        if ahead and last_day > cutoff and not shared:
            bought_from = ctx.bought_from(customer)
            later += sum(
                1 for t in ahead if _exists(t, cutoff, bought_from) and not (dnc and refusal(customer, t) is not None)
            )
        if not mine:
            continue
        if bought_from is _UNKNOWN:
            bought_from = ctx.bought_from(customer)
        days = _Days(ctx, customer)
        staff: dict[str, str | None] = {}  # rule id → who calls (the same for all its tasks)
        for t in mine:
            # a task a visit closed counts when `due` saw it on some day from then to the cut-off
            status = t.status
            seen = status in _CLOSED and _closed_seen(t, cutoff, bought_from)
            # as compute_schedule: a shared key (whose task is whose is unknown), then a refusal of
            # the task's channel keep it off on every day it was open, even when a call was logged
            why = ("duplicate_id", shared) if shared else None
            if why is None and dnc:
                said = refusal(customer, t)
                why = ("do_not_contact", said) if said is not None else None
            if why is not None:
                last = min(cutoff, t.drop_date or cutoff, t.visible_to or cutoff)
                if t.task_id in left_ids or not (
                    seen or any(_open(t, d, bought_from) for d in _dates(t.due_date, last))
                ):
                    continue
                left_ids.add(t.task_id)
                t.left_out, t.left_out_params = why[0], dict(why[1])
                seen = False
            elif not seen:
                last = min(cutoff, t.drop_date or cutoff, t.visible_to or cutoff)
                for day in _dates(t.due_date, last):
                    if _open(t, day, bought_from) and days.kept_off(t, day) is None:
                        seen = True
                        break
            if seen:
                if t.left_out:  # (a replay's task is made with none: nothing screened it)
                    t.left_out, t.left_out_params = "", {}
                if status in _OPEN and (
                    (t.stop is not None and t.stop <= cutoff) or (t.visible_to is not None and t.visible_to < cutoff)
                ):
                    status = "missed"  # as _moot: still open, but gone from the list by the cut-off
            elif why is None:
                reason = days.first_reason(t, bought_from)
                if reason is None:
                    # never open on a day up to the cut-off (closed early by another rule's end,
                    # or its trigger not yet seen): not due, and nothing the policy left out
                    continue
                t.left_out, t.left_out_params = reason
            rule = t.rule
            rid = rule.id
            if rid in staff:
                t.staff = staff[rid]
            else:
                assign_staff(ctx, t)
                staff[rid] = t.staff
            if seen:
                due.append(DueTask(t.task_id, t.customer, rule, t.due_date, status, t.done_on, t.staff, rule.kind))
            else:
                left.append(t)
    return PeriodDue(due, left, later)


_UNKNOWN = object()


class _Days:
    """What the yearly cap and the minimum gap say on each replayed day of one customer.

    On a replayed day D every open task is planned for D itself (`plan_contacts` puts an open
    task on max(its due date, D)), so whether the gap keeps a task off depends on the
    customer's contacts before D alone, and whether the cap does on their contacts in D's year
    alone: the same answer for every open task that is not exempt, whatever else is open.
    This asks those two questions once per day instead of planning every open task (the
    plan was a fifth of `kpi`), and gives exactly what plan_contacts gives (tests/test_kpi_replay.py
    compares the two on generated archives and on the samples)."""

    def __init__(self, ctx: Context, customer):
        self.ctx, self.customer = ctx, customer
        self.gap_days: list | None = None  # the dates of the contacts the gap counts, in order
        self.cap_days: list = []  # those the cap counts
        self.verdicts: dict[dt.date, tuple] = {}  # day → (gap params, cap params), in the order first asked

    def _verdict(self, day: dt.date) -> tuple:
        ctx = self.ctx
        if self.gap_days is None:
            history = contact_history(ctx, self.customer)  # in date order
            self.gap_days = [d for d, k in history if k not in ctx.gap_exempt_kinds]
            self.cap_days = [d for d, k in history if k not in ctx.cap_exempt_kinds]
        policy = ctx.policy
        gap, cap = policy.min_gap_days, policy.yearly_cap
        gap_says = cap_says = None
        if gap and self.gap_days:
            last = None  # the last contact before the day: the gap counts from it alone
            for d in self.gap_days:
                if d >= day:
                    break
                last = d
            if last is not None and (day - last).days < gap:
                gap_says = {"last": last, "gap": gap, "next": last + dt.timedelta(days=gap)}
        if cap is not None:
            year = day.year
            counted = {d for d in self.cap_days if d <= day and d.year == year}
            if day not in counted and len(counted) >= cap:
                cap_says = {"cap": cap, "count": len(counted), "year": year}
        return gap_says, cap_says

    def kept_off(self, task: Task, day: dt.date) -> tuple | None:
        """(reason, params) when the gap or the cap keeps `task`, open on `day`, off that day's list."""
        found = self.verdicts.get(day)
        if found is None:
            found = self.verdicts[day] = self._verdict(day)
        gap_says, cap_says = found
        if gap_says is not None and not task.rule.gap_exempt:
            return "gap", dict(gap_says)
        if cap_says is not None and not task.rule.cap_exempt:
            return "cap", dict(cap_says)
        return None

    def first_reason(self, task: Task, bought_from) -> tuple | None:
        """Why a task never listed was kept off: the reason of the first replayed day (in the
        order they were asked about) on which it was open and kept off."""
        for day in self.verdicts:
            if _open(task, day, bought_from):
                said = self.kept_off(task, day)
                if said is not None:
                    return said
        return None


@without_gc
def statuses_on(
    archive: Archive,
    policy: Policy,
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
    customers: Iterable[object],
    workcal: WorkCalendar | None = None,
    birthday_policy: BirthdayPolicy | None = None,
    followups: FollowupSettings | None = None,
) -> dict[str, tuple[str, dt.date | None]]:
    """task id → (status, done on) as of a later day, for the tasks due in [start, end] of
    these customers (a period's open tasks judged on the report day)."""
    ctx = Context(archive, policy, as_of, workcal or cal.WorkCalendar(), birthday_policy)
    ctx.replay = True
    followups = followups or FollowupSettings()
    out = {}
    for customer in customers:
        for t in customer_tasks(ctx, customer, lambda rule: start, end, followups, since=start):
            _moot(t, as_of)
            out[t.task_id] = (t.status, t.done_on)
    return out


def _moot(task: Task, day: dt.date) -> None:
    """Still open, but gone from the list by `day` (the rule's end came, the lead bought; the
    dormant customer bought again by themselves): not done, so missed."""
    if task.open and (
        (task.stop is not None and task.stop <= day) or (task.visible_to is not None and task.visible_to < day)
    ):
        task.status = "missed"


def _dates(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += DAY
