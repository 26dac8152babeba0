"""A task's status from the visit log, who calls, and the yearly cap and minimum gap that
keep some open tasks off the list."""

from __future__ import annotations

import datetime as dt

from followup_cli.archive.consent import refuses
from followup_cli.archive.staff import ACTIVE
from followup_cli.policy.vocabulary import CLOSING_OUTCOMES, MAX_ATTEMPTS
from followup_cli.schedule.context import Context
from followup_cli.schedule.tasks import Task, visit_task_ids


def settle(ctx: Context, task: Task) -> None:
    """Done, unreachable, due, overdue, upcoming or missed, from the visit log."""
    items, by_task = ctx.visits_of(task.customer.id)
    attempts = 0
    if items:  # most customers' tasks: a few visits, none of this task's kind
        matched = list(by_task.get(task.task_id, ())) if by_task else []
        lo = task.opens if task.opens is not None else task.due_date - ctx.early
        hi = task.closes
        drop = task.drop_date
        if hi is None or (drop is not None and drop < hi):
            hi = drop if drop is not None else dt.date.max
        kind = task.rule.kind
        for item in items:
            if item[1] == kind and lo <= item[0] <= hi and not (by_task and visit_task_ids(item[3])):
                matched.append(item)
        if len(matched) > 1:
            matched.sort(key=_first)  # stable: visits of one day keep their order
        for d, kind, outcome, visit in matched:
            if outcome in CLOSING_OUTCOMES:
                task.status, task.done_on, task.done_by = "done", d, visit
                task.attempts = attempts
                return
            if outcome == "no_answer":
                attempts += 1
                if attempts == MAX_ATTEMPTS:
                    task.unreachable_on = d
    task.attempts = attempts
    if attempts >= MAX_ATTEMPTS:
        task.status = "unreachable"
        return
    as_of = ctx.as_of
    if as_of < task.due_date:
        task.status = "upcoming"
    elif as_of <= task.window_end:
        task.status = "due"
    elif task.drop_date is None or as_of <= task.drop_date:
        task.status = "overdue"
    else:
        task.status = "missed"


def _first(item: tuple) -> dt.date:
    return item[0]


def assign_staff(ctx: Context, task: Task) -> None:
    customer = task.customer
    if task.rule.staff_role:
        roles = task.rule.staff_role
        roles = {r.strip().lower() for r in ((roles,) if isinstance(roles, str) else roles)}
        for s in ctx.archive.staff:
            if (
                str(s.role or "").strip().lower() in roles
                and ctx.staff.resolve(s.staff_id or s.name).state == ACTIVE
                and (not customer.store or not s.store or s.store == customer.store)
            ):
                task.staff = ctx.staff.display(s.staff_id or s.name)
                return
    task.staff = ctx.staff.active_name(customer.owner)


def _role_key(staff_role) -> str:
    return staff_role if isinstance(staff_role, str) else staff_role[0]


def contact_history(ctx: Context, customer: object) -> list[tuple[dt.date, str]]:
    """(date, kind) of the customer's real contacts up to the as-of day, in date order."""
    return [(d, k) for d, k, outcome, _ in ctx.visits_of(customer.id)[0] if outcome in CLOSING_OUTCOMES]


def plan_contacts(
    ctx: Context, customer: object, tasks: list[Task], as_of: dt.date | None = None, history: list | None = None
) -> None:
    """Apply the yearly cap and the minimum gap on `as_of` (default the run's day), given the
    contacts made by then; mark what they keep off the list."""
    policy = ctx.policy
    as_of = as_of or ctx.as_of
    if history is None:
        history = contact_history(ctx, customer)
    exempt_cap, exempt_gap = ctx.cap_exempt_kinds, ctx.gap_exempt_kinds
    year = as_of.year
    counted_days = {d for d, k in history if d.year == year and k not in exempt_cap}
    gap_days = sorted({d for d, k in history if k not in exempt_gap})
    planned_gap: set[dt.date] = set()
    gap = policy.min_gap_days
    for task in sorted(tasks, key=lambda t: (-t.rule.priority, t.due_date)):
        day = max(task.due_date, as_of)
        task.contact = f"{customer.id}@{day.isoformat()}"
        if task.rule.staff_role:  # another person's call (the doctor's) is a contact of its own
            task.contact += f"/{_role_key(task.rule.staff_role)}"
        if not task.rule.gap_exempt and gap:
            near = [d for d in gap_days if 0 < abs((day - d).days) < gap]
            near += [d for d in planned_gap if 0 < abs((day - d).days) < gap]
            if near:
                task.left_out = "gap"
                task.left_out_params = {"last": max(near), "gap": gap, "next": max(near) + dt.timedelta(days=gap)}
                continue
        if not task.rule.cap_exempt and policy.yearly_cap is not None and day.year == year:
            if day not in counted_days and len(counted_days) >= policy.yearly_cap:
                task.left_out = "cap"
                task.left_out_params = {"cap": policy.yearly_cap, "count": len(counted_days), "year": year}
                continue
            counted_days.add(day)
        if not task.rule.gap_exempt:
            planned_gap.add(day)


def screen(
    ctx: Context, customer: object, tasks: list[Task], as_of: dt.date | None = None, history: list | None = None
) -> None:
    """What keeps a customer's open tasks off the list on `as_of` (default the run's day), in
    `left_out`: do-not-contact for the task's channel (接受短信 = 否 stops the SMS, not the
    call), then the yearly cap and the minimum gap among the rest. The one filter `due` applies
    and the KPIs replay day by day (schedule/replay.py)."""
    as_of = as_of or ctx.as_of
    if customer.do_not_contact:
        kept = []
        for t in tasks:
            said = refusal(customer, t)
            if said is not None:
                t.left_out, t.left_out_params = "do_not_contact", said
                t.contact = f"{customer.id}@{max(t.due_date, as_of).isoformat()}"
            else:
                kept.append(t)
        if not kept:
            return
        tasks = kept
    plan_contacts(ctx, customer, tasks, as_of=as_of, history=history)


def refusal(customer: object, task: Task) -> dict | None:
    """None when the customer may be contacted for this task; else the reason's parameters
    (the words of a refusal written in 备注, empty for a column)."""
    dnc = customer.do_not_contact
    if not dnc or not refuses(dnc, task.rule.channel):
        return None
    said = customer.src.refusals.get(customer.row) if customer.src else None  # 备注 says 勿扰
    return dict(said) if said else {}
