"""The period's due set as schedule/replay.py worked it out before `_Days` (planning every
open task again on each replayed day with the filter `due` applies, contacts.screen): the
reference its one question per day must agree with (tests/test_kpi_replay.py)."""

from __future__ import annotations

import datetime as dt

import followup_cli.calendar as cal
from followup_cli.archive.duplicates import shared_key
from followup_cli.schedule import replay
from followup_cli.schedule.contacts import assign_staff, contact_history, refusal, screen
from followup_cli.schedule.context import Context, lookback
from followup_cli.schedule.engine import customer_tasks
from followup_cli.schedule.followups import FollowupSettings


def period_due(
    archive,
    policy,
    start: dt.date,
    cutoff: dt.date,
    workcal=None,
    birthday_policy=None,
    customers=None,
    end: dt.date | None = None,
) -> replay.PeriodDue:
    """The tasks due in [start, cutoff] as `due` would have listed them, with their status on
    the cut-off day; those the policy left out; and how many come due after the cut-off up
    to `end` (a period still running)."""
    workcal = workcal or cal.WorkCalendar()
    ctx = Context(archive, policy, cutoff, workcal, birthday_policy)
    ctx.replay = True
    lows = {rule.id: start - dt.timedelta(days=lookback(rule)) for rule in policy.rules}

    def lo_of(rule):
        return lows[rule.id]

    due, left = [], []
    left_ids: set[str] = set()
    later = 0
    last_day = max(cutoff, end or cutoff)
    for customer in customers if customers is not None else archive.customers:
        if not customer.id:
            continue
        tasks = customer_tasks(ctx, customer, lo_of, last_day, FollowupSettings(), since=start)
        dnc = customer.do_not_contact
        shared = shared_key(archive, customer)
        if last_day > cutoff and tasks:
            ahead = [t for t in tasks if t.due_date > cutoff]
            if ahead:
                tasks = [t for t in tasks if t.due_date <= cutoff]
                if not shared:
                    bought = ctx.bought_from(customer)
                    later += sum(
                        1
                        for t in ahead
                        if replay._exists(t, cutoff, bought) and not (dnc and refusal(customer, t) is not None)
                    )
        mine = [t for t in tasks if start <= t.due_date <= cutoff]
        if not mine:
            continue
        bought_from = ctx.bought_from(customer)
        history = None
        plans: dict[dt.date, set[str]] = {}  # day → ids listed that day

        def listed_on(day: dt.date) -> set[str]:
            nonlocal history
            found = plans.get(day)
            if found is None:
                if history is None:
                    history = contact_history(ctx, customer)
                open_tasks = [t for t in tasks if replay._open(t, day, bought_from)]
                for t in open_tasks:
                    t.left_out, t.left_out_params = "", {}
                screen(ctx, customer, open_tasks, as_of=day, history=[h for h in history if h[0] <= day])
                found = plans[day] = {t.task_id for t in open_tasks if not t.left_out}
                for t in open_tasks:
                    if t.left_out and t.task_id not in first_reason:
                        first_reason[t.task_id] = (t.left_out, t.left_out_params)
            return found

        first_reason: dict[str, tuple] = {}
        for t in mine:
            seen = replay._closed_seen(t, cutoff, bought_from)
            last = min(cutoff, t.drop_date or cutoff, t.visible_to or cutoff)
            why = ("duplicate_id", shared) if shared else None
            if why is None and dnc:
                said = refusal(customer, t)
                why = ("do_not_contact", said) if said is not None else None
            if why is not None:
                if t.task_id not in left_ids and (
                    seen or any(replay._open(t, d, bought_from) for d in replay._dates(t.due_date, last))
                ):
                    left_ids.add(t.task_id)
                    t.left_out, t.left_out_params = why[0], dict(why[1])
                    assign_staff(ctx, t)
                    left.append(t)
                continue
            if not seen:
                for day in replay._dates(t.due_date, last):
                    if replay._open(t, day, bought_from) and t.task_id in listed_on(day):
                        seen = True
                        break
            if seen:
                t.left_out, t.left_out_params = "", {}
                replay._moot(t, cutoff)
                assign_staff(ctx, t)
                due.append(t)
            elif t.task_id in first_reason:
                t.left_out, t.left_out_params = first_reason[t.task_id]
                assign_staff(ctx, t)
                left.append(t)
            # else: never open on a day up to the cut-off (closed early by another rule's end,
            # or its trigger not yet seen): not due, and nothing the policy left out
    return replay.PeriodDue(due, left, later)
