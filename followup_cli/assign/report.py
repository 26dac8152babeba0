"""The load report and the rows `followup assign` prints (plan, load per staff)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from followup_cli.archive.records import Archive
from followup_cli.archive.staff import (
    LEFT,
    NONE,
    Person,
    left_on_of,
    natural_key,
)
from followup_cli.archive.staff import fold as _norm
from followup_cli.assign.plan import Plan, in_store
from followup_cli.assign.team import DEFAULT_OWNER_ROLES, Team
from followup_cli.text.assign import (
    BASIS_LABELS,
    LEFT_DATE_UNKNOWN,
    LEFT_ON,
    STATUS_LABELS,
    UNASSIGNED_LABEL,
    left_owner,
)
from followup_cli.text.labels import pick as _label

if TYPE_CHECKING:
    from followup_cli.config import Config

# ---------------------------------------------------------------------------
# the load report


@dataclass
class LoadLine:
    person: Person | None
    label: str  # the owner as written, for owners the staff sheet does not know
    status: str  # active | left | not_owner | unknown | unassigned
    customers: int = 0
    open_tasks: int = 0


def load_report(
    archive: Archive,
    config: Config,
    as_of: dt.date,
    roles: tuple[str, ...] = DEFAULT_OWNER_ROLES,
    store: str | None = None,
) -> list[LoadLine]:
    """Customers and open tasks (due and overdue on `as_of`, as `followup due` lists them) per staff member.

    Tasks go to whoever `due` shows: the owner, or the staff of a rule's role (a doctor's
    calls); a task whose owner has left or is missing counts under "unassigned".
    """
    from followup_cli.policy.setup import policy_setup
    from followup_cli.schedule.engine import compute_schedule

    team = Team(archive, as_of, roles)
    lines: dict[object, LoadLine] = {}
    for p in team.people:
        if not store or _norm(p.store) == _norm(store):
            lines[p] = LoadLine(p, p.label(), p.status)
    unassigned = LoadLine(None, "", "unassigned")

    def line_for(owner_text) -> LoadLine:
        state, p, _ = team.resolve(owner_text)
        if p is not None:
            return lines.setdefault(p, LoadLine(p, p.label(), p.status))
        if state in (NONE, LEFT):
            return unassigned
        key = ("?", _norm(owner_text))
        return lines.setdefault(key, LoadLine(None, str(owner_text).strip(), "unknown"))

    for c in archive.customers:
        if c.id and in_store(c, store):
            line_for(c.owner).customers += 1
    setup = policy_setup(config)
    schedule = compute_schedule(
        archive,
        setup.policy,
        as_of,
        0,
        setup.workcal,
        store=store,
        birthday_policy=setup.birthday_policy,
        followups=setup.followups,
    )
    for t in schedule.tasks:
        (line_for(t.staff) if t.staff else unassigned).open_tasks += 1
    out = sorted(
        (ln for ln in lines.values() if ln.person is not None), key=lambda ln: (ln.status == "left", ln.person.sort_key)
    )
    out += sorted((ln for ln in lines.values() if ln.person is None), key=lambda ln: natural_key(ln.label))
    if unassigned.customers or unassigned.open_tasks:
        out.append(unassigned)
    return out


def columns(which: list[tuple[str, str, str]], lang: str) -> list[tuple[str, str]]:
    return [(k, _label((zh, en), lang)) for k, zh, en in which]


def _number(value: Fraction):
    return int(value) if value.denominator == 1 else float(value)


def _person_status(p, lang: str) -> str:
    """在职 / 已离职, and when the staff sheet gives no date for leaving, that it does not."""
    shown = _label(STATUS_LABELS[p.status], lang)
    if p.status == "left":
        left_on = left_on_of(p)
        shown += _label(LEFT_ON, lang).format(date=left_on) if left_on else _label(LEFT_DATE_UNKNOWN, lang)
    return shown


def plan_rows(plan: Plan, lang: str, labels: bool) -> list[dict]:
    """One row per customer in the plan. `labels`: words for people (table/csv); else codes (json)."""
    rows = []
    for m in plan.moves:
        c = m.customer
        old = m.old_text or ""
        if labels:
            if m.old_state == NONE:
                shown_from = _label(STATUS_LABELS["none"], lang)
            elif m.old_state == LEFT:
                shown_from = left_owner(old).text(lang)
            else:
                shown_from = old
            row = {
                "from": shown_from,
                "to": plan.owner_value(m.new) if m.new else _label(BASIS_LABELS[""], lang),
                "basis": _label(BASIS_LABELS[m.basis], lang),
            }
        else:
            row = {
                "from": old or None,
                "from_status": m.old_state,
                "to": plan.owner_value(m.new) if m.new else None,
                "to_staff_id": m.new.staff_id if m.new else None,
                "basis": m.basis or None,
            }
        rows.append(
            {
                "customer_id": c.id,
                "customer_name": c.name or "",
                "store": c.store or "",
                "row": c.row,
                "cell": m.cell,
                **row,
            }
        )
    return rows


def load_table(plan: Plan, lang: str, labels: bool, store: str | None = None) -> list[dict]:
    """Load per staff member before and after the plan, and the customers left without an owner."""
    rows = []
    for p, before, after in plan.load_rows(store):
        if p is None:
            status = _label(STATUS_LABELS["unassigned"], lang) if labels else "unassigned"
            who = _who(None, status, _label(UNASSIGNED_LABEL, lang) if labels else None)
        else:
            who = _who(p, _person_status(p, lang) if labels else p.status)
        rows.append({**who, "before": before, "after": after, "change": _change(after - before, labels)})
    return rows


def _who(p: Person | None, status: str, name: object = None) -> dict:
    """The columns saying whom a row is about, `status` as shown; only the name for nobody on the staff sheet."""
    if p is None:
        return {"staff_id": "", "name": name, "store": "", "region": "", "role": "", "status": status, "capacity": None}
    return {
        "staff_id": p.staff_id,
        "name": p.name,
        "store": p.store,
        "region": p.region,
        "role": p.role,
        "status": status,
        "capacity": _number(p.capacity),
    }


def _change(n: int, labels: bool):
    if not labels:
        return n
    return f"+{n}" if n > 0 else str(n) if n else ""


def report_rows(lines: list[LoadLine], lang: str, labels: bool) -> list[dict]:
    rows = []
    for ln in lines:
        if ln.person is None:
            name = ln.label if ln.status == "unknown" else (_label(UNASSIGNED_LABEL, lang) if labels else None)
        else:
            name = None
        who = _who(ln.person, _label(STATUS_LABELS[ln.status], lang) if labels else ln.status, name)
        rows.append({**who, "customers": ln.customers, "open_tasks": ln.open_tasks})
    return rows
