"""The period's due set as facts: each task `due` listed (schedule/replay.py) becomes one row of
the result's due set and one fact, with its status on the report day; the tasks the policy
left out are counted by reason."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from followup_cli.kpi.facts import Facts, KpiContext, text_of
from followup_cli.schedule.replay import period_due, statuses_on

if TYPE_CHECKING:
    from followup_cli.calendar.birthdays import BirthdayPolicy
    from followup_cli.calendar.workdays import WorkCalendar
    from followup_cli.policy.rules import Policy
    from followup_cli.schedule.followups import FollowupSettings

COUNT_KEYS = (
    "done",
    "done_after_period",
    "open",
    "missed",
    "unreachable",
    "upcoming",
    "left_out_cap",
    "left_out_gap",
    "left_out_do_not_contact",
)


def task_facts(
    ctx: KpiContext,
    policy: Policy,
    workcal: WorkCalendar | None,
    birthday_policy: BirthdayPolicy | None,
    facts: Facts,
    followups: FollowupSettings | None = None,
) -> dict[str, int]:
    """Pass 1 replays the period up to the cut-off (schedule.replay: exactly what `due` listed);
    tasks still open then are looked up again as of the report day (pass 2, their customers
    only), matched by their stable id."""
    archive = ctx.archive
    found = period_due(
        archive, policy, ctx.start, ctx.cutoff, workcal, birthday_policy, end=ctx.period.end, followups=followups
    )
    due = found.due
    counts = dict.fromkeys(COUNT_KEYS, 0)
    counts["upcoming"] = found.later
    for t in found.left_out:
        key = f"left_out_{t.left_out}"  # left_out_duplicate_id only when a key is shared (archive/duplicates.py)
        counts[key] = counts.get(key, 0) + 1
        c = t.customer
        ctx.left_out.append(
            {
                "task_id": t.task_id,
                "customer_id": c.id,
                "kind": t.kind,
                "rule": t.rule.id,
                "due_date": t.due_date,
                "staff": ctx.staff(t.staff),
                "reason": t.left_out,
                "params": t.left_out_params,
            }
        )
    ctx.left_out.sort(key=lambda r: (r["due_date"], str(r["customer_id"]), r["rule"]))
    final: dict[str, tuple[str, dt.date | None]] = {}
    ids = {t.customer.id for t in due if t.status in ("due", "overdue")} if ctx.report_day > ctx.cutoff else ()
    if ids:
        final = statuses_on(
            archive,
            policy,
            ctx.start,
            ctx.period.end,
            ctx.report_day,
            [c for c in archive.customers if c.id in ids],
            workcal,
            birthday_policy,
            followups,
        )
    period_end = ctx.period.end
    add_due, add_fact, shown = ctx.due_tasks.append, facts.tasks.append, ctx.staff
    # Each due task is let go as its row and its fact are made: the three lists of a year's
    # due set are never all held at once (at 100,000 customers each is some 70 MB).
    found.due = None
    due.reverse()
    pop = due.pop
    last_c = store = None  # a customer's tasks come one after another: their store looked up once
    while due:
        task_id, c, rule, due_date, status, done_on, staff, kind = pop()
        if c is not last_c:
            last_c, store = c, text_of(c.store) or None
        if final and status in ("due", "overdue") and task_id in final:
            status, done_on = final[task_id]
        if status == "done":
            counts["done"] += 1
            if done_on and done_on > period_end:
                counts["done_after_period"] += 1
        elif status in ("missed", "unreachable"):
            counts[status] += 1
        else:
            counts["open"] += 1
        fact = (shown(staff), store, kind, due_date, c.id, status == "done", task_id, rule.id, status, done_on)
        add_fact(fact)
        add_due(fact)  # the same tuple: the due set's row (facts.DUE_ROW_FIELDS)
    return counts
