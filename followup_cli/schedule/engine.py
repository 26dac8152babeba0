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

import base64
import calendar as calendar_module
import functools
import gc
import bisect
import datetime as dt
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field


import followup_cli.calendar as cal
from followup_cli.policy.conditions import compile_conditions, field_value
from followup_cli.policy.vocabulary import CLOSING_OUTCOMES, KINDS, MAX_ATTEMPTS, visit_outcome
from followup_cli.policy.rules import Policy, Rule
from followup_cli.archive.records import Archive
from followup_cli.archive.staff import ACTIVE, staff_directory, fold

DAY = dt.timedelta(days=1)
NEVER_DROPS = 3650  # how far back an occurrence of a never-expiring rule is looked for


def task_id(customer_id: str, rule_id: str, occurrence: str) -> str:
    digest = hashlib.sha1(f"{customer_id}\x1f{rule_id}\x1f{occurrence}".encode()).digest()
    return "T" + base64.b32encode(digest)[:10].decode()


_TASK_ID_RE = re.compile(r"\bT[A-Z2-7]{10}\b")


def visit_task_ids(visit) -> list[str]:
    """The task ids a visit carries: its task-id cell (one contact may close several tasks),
    or, in a log without that column, the ids `followup record` wrote into the notes."""
    tid = visit.task_id
    if tid:
        if len(tid) == 11 and tid[0] == "T":  # the common case: one id
            return [tid]
        return _TASK_ID_RE.findall(str(tid)) or [str(tid).strip()]
    notes = getattr(visit, "notes", None)
    return _TASK_ID_RE.findall(notes) if notes and "T" in notes else []


@dataclass(slots=True)
class Task:
    task_id: str
    customer: object
    rule: Rule
    due_date: dt.date
    window_end: dt.date
    drop_date: dt.date | None
    occurrence: str
    params: dict
    status: str = ""  # due | overdue | upcoming | done | missed | unreachable | left_out
    staff: str | None = None
    attempts: int = 0
    done_on: dt.date | None = None
    done_by: object = None
    left_out: str = ""  # why the cap or the gap kept it off the list (code)
    left_out_params: dict = field(default_factory=dict)
    contact: str = ""  # tasks of one customer on one day share a contact

    @property
    def kind(self) -> str:
        return self.rule.kind

    @property
    def open(self) -> bool:
        return self.status in ("due", "overdue", "upcoming")


@dataclass
class Schedule:
    as_of: dt.date
    tasks: list[Task]  # listed: due, overdue, upcoming
    left_out: list[Task]  # open tasks the cap, the gap or do-not-contact kept off
    closed: list[Task]  # done, missed or unreachable occurrences inside the horizon
    warnings: list  # calendar.CalendarWarning: .text(lang)
    policy: Policy
    workcal: object = None  # calendar.WorkCalendar: which days are working days (call windows)


class _Context:
    """Indexes built once per run: every lookup in the per-customer loop is a dict get."""

    def __init__(self, archive: Archive, policy: Policy, as_of: dt.date, workcal, birthday_policy=None):
        self.birthday_policy = birthday_policy
        self.archive = archive
        self.policy = policy
        self.as_of = as_of
        self.workcal = workcal
        # role → customer id → that customer's records, grouped on first use (one pass each)
        self._groups: dict[str, dict[str, list]] = {}
        # kinds whose every rule is exempt from the yearly cap / the minimum gap
        rules = policy.rules
        self.cap_exempt_kinds = {r.kind for r in rules if r.cap_exempt} - {r.kind for r in rules if not r.cap_exempt}
        self.gap_exempt_kinds = {r.kind for r in rules if r.gap_exempt} - {r.kind for r in rules if not r.gap_exempt}
        # Visits become (date, kind code, outcome code, visit) per customer, in date order, up
        # to the as-of date, only when a customer's tasks need them (most customers have none).
        self._visits: dict[str, tuple[list, dict]] = {}

        self.staff = staff_directory(archive, as_of)
        self.festival_cache: dict = {}
        self._when: dict = {}
        self._yearly: dict = {}
        self.contacts_cache: dict = {}
        self.rule_plan: dict = {}
        self._last: dict = {}
        self._recent: dict = {}
        self._customer: dict = {}
        # Milestones for everyone, and rows naming one customer (who came to an event).
        self.milestones_all: list = []
        self.milestones_of: dict[str, list] = defaultdict(list)
        for m in archive.milestones:
            if m.customer_id:
                self.milestones_of[m.customer_id].append(m)
            else:
                self.milestones_all.append(m)

    def visits_of(self, cid: str) -> tuple[list, dict]:
        """(visits as (date, kind, outcome, visit) in date order, {task id: [those items]})."""
        found = self._visits.get(cid)
        if found is not None:
            return found
        items, by_task = [], {}
        as_of = self.as_of
        kind_of = KINDS.match
        for v in self.group("visits").get(cid, ()):
            d = v.date
            if d is None:
                continue
            if d.__class__ is dt.datetime:
                d = d.date()
            if d > as_of:
                continue
            item = (d, kind_of(v.kind), visit_outcome(v.outcome), v)
            items.append(item)
            if v.task_id or v.notes:
                for tid in visit_task_ids(v):
                    by_task.setdefault(tid, []).append(item)
        if len(items) > 1:
            items.sort(key=_first)
        found = self._visits[cid] = (items, by_task)
        return found

    def group(self, role: str) -> dict[str, list]:
        """customer id → that customer's records of `role`."""
        groups = self._groups.get(role)
        if groups is None:
            groups = self._groups[role] = {}
            get = groups.get
            for rec in self.archive.records(role):
                cid = rec.customer_id
                if cid:
                    found = get(cid)
                    if found is None:
                        groups[cid] = [rec]
                    else:
                        found.append(rec)
        return groups

    def last_date(self, role: str, name: str) -> dict[str, dt.date]:
        """customer id → the latest `name` date on or before the as-of day among `role` records."""
        key = (role, name)
        found = self._last.get(key)
        if found is None:
            found = {}
            as_of = self.as_of
            for d, rec in _dated(self.archive.records(role), name):
                cid = rec.customer_id
                if d <= as_of and cid:
                    best = found.get(cid)
                    if best is None or d > best:
                        found[cid] = d
            self._last[key] = found
        return found

    def next_yearly(self, month: int, day: int, on_or_after: dt.date, lunar: bool, leap: bool) -> dt.date:
        """calendar.next_birthday, remembered: thousands of customers share each birthday."""
        key = (month, day, on_or_after, lunar, leap)
        found = self._yearly.get(key)
        if found is None:
            found = self._yearly[key] = cal.next_birthday(month, day, on_or_after, lunar=lunar, leap=leap,
                                                          policy=self.birthday_policy)
        return found

    def recent(self, rule: Rule, lo: dt.date) -> dict[str, list]:
        """For an 'after' rule: customer id → (date, record) of the records that can still give
        a due date from `lo` on and pass the rule's conditions, found in one pass over the
        sheet instead of one per customer."""
        found = self._recent.get(rule.id)
        if found is not None:
            return found
        test = self.when(rule) if rule.when else None
        name, as_of = rule.date_field, self.as_of
        reach = max(rule.days) * (2 if rule.working_days else 1) + (30 if rule.working_days else 0)
        oldest = None if rule.first_only else lo - dt.timedelta(days=reach)
        found = {}
        source = self.archive.customers if rule.source == "customers" else self.archive.records(rule.source)
        for d, rec in _dated(source, name):
            if d > as_of or (oldest is not None and d < oldest):
                continue
            if test is not None and not test(rec):
                continue
            cid = rec.id if rule.source == "customers" else rec.customer_id
            if cid:
                found.setdefault(cid, []).append((d, rec))
        self._recent[rule.id] = found
        return found

    def when(self, rule: Rule):
        """The rule's record conditions, compiled once."""
        test = self._when.get(rule.id)
        if test is None:
            test = self._when[rule.id] = compile_conditions(rule.when)
        return test

    def customer_test(self, rule: Rule):
        test = self._customer.get(rule.id)
        if test is None:
            test = self._customer[rule.id] = compile_conditions(rule.customer)
        return test

    def add_days(self, start: dt.date, n: int, working: bool) -> dt.date:
        if working:
            return self.workcal.add_workdays(start, n)
        return start + dt.timedelta(days=n)


def needed_fields(policy: Policy) -> dict[str, set[str]]:
    """The columns of the big sheets that scheduling reads, so `due` parses only those."""
    need = {
        "customers": {"id", "name", "gender", "phone", "birthday", "birthday_type", "tier", "grade", "type",
                      "store", "owner", "archived_on", "points", "do_not_contact", "region", "buyer", "bought_on",
                      "visited_on", "channel"},
        "purchases": {"customer_id", "date"},
        # notes only matter in a log without a task id column (reading drops them otherwise)
        "visits": {"customer_id", "date", "kind", "outcome", "task_id", "notes",
                   # the calls' own next follow-ups and open issues (schedule/followups.py)
                   "visit_id", "next_action", "issue", "issue_category", "resolved"},
    }
    for rule in policy.rules:
        need["customers"] |= set(rule.customer) | set(rule.until)
        if rule.source == "customers" and rule.date_field:
            need["customers"].add(rule.date_field)
        if rule.trigger in ("yearly", "milestone") and rule.date_field:
            need["customers"].add(rule.date_field)
        if rule.source in need:
            need[rule.source] |= set(rule.when) | ({rule.date_field} if rule.date_field else set())
        if rule.source == "purchases" and "{products}" in rule.reason_zh + rule.reason_en + rule.script_zh + rule.script_en:
            need["purchases"].add("product")
    return need


def _dated(records, name: str):
    """(date, record) for each record whose `name` field holds a date (a time of day dropped)."""
    for rec in records:
        d = getattr(rec, name, None)
        if d is None:
            continue
        if d.__class__ is dt.datetime:
            yield d.date(), rec
        elif d.__class__ is dt.date:
            yield d, rec


def _first(item):
    return item[0]


def _as_date(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def _lookback(rule: Rule) -> int:
    return rule.window_days + (rule.expire_days if rule.expire_days is not None else NEVER_DROPS)


# ---- occurrences per trigger --------------------------------------------------------------
# Each yields (due_date, occurrence key, params) for due dates in [lo, hi].

def _source_records(ctx: _Context, rule: Rule, customer) -> list:
    if rule.source == "customers":
        return [customer]
    return ctx.group(rule.source).get(customer.id, ())


def _occ_after(ctx, rule, customer, lo, hi):
    anchors: dict[dt.date, list] = defaultdict(list)
    for d, rec in ctx.recent(rule, lo).get(customer.id, ()):
        anchors[d].append(rec)
    if not anchors:
        return
    if rule.first_only:
        first = min(anchors)
        anchors = {first: anchors[first]}
    for anchor, recs in anchors.items():
        for n in rule.days:
            due = ctx.add_days(anchor, n, rule.working_days)
            if lo <= due <= hi:
                yield due, f"{anchor.isoformat()}+{n}{'w' if rule.working_days else ''}", {
                    "anchor": anchor, "count": len(recs), "ago": (ctx.as_of - anchor).days, "days": n,
                    "products": "、".join(sorted({str(r.product) for r in recs if getattr(r, "product", None)})),
                }


def _occ_yearly(ctx, rule, customer, lo, hi):
    value = field_value(customer, rule.date_field)
    if value is None:
        return
    if hasattr(value, "month") and hasattr(value, "lunar"):
        month, day, lunar, leap, year = value.month, value.day, value.lunar, value.leap, value.year
    else:
        d = _as_date(value)
        if d is None:
            return
        month, day, lunar, leap, year = d.month, d.day, False, False, d.year
    d = ctx.next_yearly(month, day, lo, lunar, leap)
    while d <= hi:
        params = {"age": (d.year - year) if year else ""}
        yield d, d.isoformat(), params
        d = ctx.next_yearly(month, day, d + DAY, lunar, leap)


def _occ_festival(ctx, rule, customer, lo, hi):
    key = (rule.id, lo, hi)
    found = ctx.festival_cache.get(key)
    if found is None:
        found = []
        for name in rule.festivals:
            fest = cal.find_festival(name)
            for year in range(lo.year, hi.year + 1):
                d = cal.festival_date(fest, year)
                if lo <= d <= hi:
                    found.append((d, f"{fest.id}-{year}", {"festival_zh": fest.zh, "festival_en": fest.en}))
        ctx.festival_cache[key] = found
    yield from found


def _contacts(ctx, customer, kind: str | None) -> list[dt.date]:
    """Dates of real contacts (closing outcomes), of one kind or of any kind, sorted;
    worked out once per customer and kind (several rules ask)."""
    key = (customer.id, kind)
    found = ctx.contacts_cache.get(key)
    if found is None:
        found = ctx.contacts_cache[key] = [d for d, k, outcome, _ in ctx.visits_of(customer.id)[0]
                                           if outcome in CLOSING_OUTCOMES and (kind is None or k == kind)]
    return found


def _occ_inactive(ctx, rule, customer, lo, hi):
    last = ctx.last_date(rule.source, rule.date_field or "date").get(customer.id) or _as_date(customer.archived_on)
    if last is None:
        return
    wakes = _contacts(ctx, customer, rule.kind)
    early = ctx.policy.early_days
    due = last + dt.timedelta(days=rule.inactive_days)
    repeat = dt.timedelta(days=rule.repeat_days or rule.inactive_days)
    while due <= hi:
        i = bisect.bisect_left(wakes, due - dt.timedelta(days=early))
        wake = wakes[i] if i < len(wakes) else None
        if due >= lo:
            yield due, due.isoformat(), {"last": last, "idle": (ctx.as_of - last).days}
        drop = due + dt.timedelta(days=_lookback(rule))
        if wake is not None and wake <= drop:
            due = max(wake + repeat, due + DAY)
        elif drop < ctx.as_of:
            due = due + repeat
        else:
            break


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day `months` later; the 31st becomes the month's last day."""
    y, m = divmod(d.month - 1 + months, 12)
    y, m = d.year + y, m + 1
    return d.replace(year=y, month=m, day=min(d.day, _month_days(y, m)))


@functools.lru_cache(maxsize=4096)
def _month_days(year: int, month: int) -> int:
    return calendar_module.monthrange(year, month)[1]


def _grid_jump(clock: dt.date, months: int, lo: dt.date) -> tuple[dt.date, dt.date]:
    """(the last step before `lo`, the first on or after it) on clock's grid of `months`,
    found directly instead of step by step (a years-old archive entry, a quarterly rule)."""
    k = max(1, ((lo.year - clock.year) * 12 + lo.month - clock.month) // months)
    while k > 1 and add_months(clock, (k - 1) * months) >= lo:
        k -= 1
    while add_months(clock, k * months) < lo:
        k += 1
    before = add_months(clock, (k - 1) * months) if k > 1 else clock
    return before, add_months(clock, k * months)


def _step(rule: Rule, anchor: dt.date, at: dt.date, clock: dt.date) -> dt.date:
    """`clock` plus the rule's interval (the stage's one, counted from the anchor)."""
    months, days = rule.every_months, rule.every_days
    if rule.stages:
        elapsed = (at.year - anchor.year) * 12 + at.month - anchor.month - (at.day < anchor.day)
        chosen = rule.stages[-1]
        for stage in rule.stages:
            if "until_months" in stage and elapsed < stage["until_months"]:
                chosen = stage
                break
        months, days = chosen.get("every_months", 0), chosen.get("every_days", 0)
    out = add_months(clock, months) if months else clock
    return out + dt.timedelta(days=days) if days else out


def _occ_every(ctx, rule, customer, lo, hi):
    kind = rule.kind if rule.restart_on == "same_kind" else None
    contacts = _contacts(ctx, customer, kind) if rule.restart_on != "none" else []
    early = dt.timedelta(days=ctx.policy.early_days)
    for rec in _source_records(ctx, rule, customer):
        anchor = _as_date(field_value(rec, rule.date_field))
        if anchor is None or anchor > ctx.as_of or (rule.when and not ctx.when(rule)(rec)):
            continue
        clock = anchor
        for _ in range(1000):  # a bound, not a limit anyone meets: 1000 occurrences
            due = _step(rule, anchor, clock, clock)
            if due > hi:
                break
            i = bisect.bisect_right(contacts, clock)
            nxt = contacts[i] if i < len(contacts) else None
            if nxt is None and due < lo:
                # No contact from here on: occurrences before the horizon were missed one after
                # another (the clock moves to each); step through them without more checks.
                if rule.every_months and not (rule.stages or rule.every_days):
                    clock, due = _grid_jump(clock, rule.every_months, lo)
                while due < lo:
                    clock, due = due, _step(rule, anchor, due, due)
                if due > hi:
                    break
            if nxt is not None and nxt < due - early:
                clock = nxt  # a real contact restarted the clock before this one came due
                continue
            if due >= lo:
                yield due, f"{anchor.isoformat()}~{due.isoformat()}", {"anchor": anchor}
            drop = due + dt.timedelta(days=_lookback(rule))
            if nxt is not None and nxt <= drop:
                clock = max(nxt, clock + DAY)
            elif drop < ctx.as_of:
                clock = due
            else:
                break


def _occ_milestone(ctx, rule, customer, lo, hi):
    since = None
    if rule.date_field:  # only events on or after this customer date (and only once it has come)
        since = _as_date(field_value(customer, rule.date_field))
        if since is None or since > ctx.as_of:
            return
    for m in (*ctx.milestones_all, *ctx.milestones_of.get(customer.id, ())):
        d = _as_date(m.date)
        if d is None or d > ctx.as_of + dt.timedelta(days=366):
            continue
        if rule.when and not ctx.when(rule)(m):
            continue
        if m.store and customer.store and str(m.store) != str(customer.store):
            continue
        if since is not None and d < since:
            continue
        for n in rule.days:
            due = ctx.add_days(d, n, rule.working_days)
            if lo <= due <= hi:
                yield due, f"{d.isoformat()}:{m.name}+{n}", {"anchor": d, "milestone": m.name, "days": n,
                                                             "before": max(-n, 0)}


_OCCURRENCES = {
    "after": _occ_after,
    "yearly": _occ_yearly,
    "festival": _occ_festival,
    "inactive": _occ_inactive,
    "every": _occ_every,
    "milestone": _occ_milestone,
}


# ---- status of one task --------------------------------------------------------------------

def _settle(ctx: _Context, task: Task) -> None:
    """Done, unreachable, due, overdue, upcoming or missed, from the visit log."""
    cid = task.customer.id
    early = dt.timedelta(days=ctx.policy.early_days)
    items, by_task = ctx.visits_of(cid)
    matched = list(by_task.get(task.task_id, ()))
    hi = task.drop_date or dt.date.max
    for item in items:
        d, kind, outcome, visit = item
        if kind != task.rule.kind or (by_task and visit_task_ids(visit)):
            continue
        if task.due_date - early <= d <= hi:
            matched.append(item)
    attempts = 0
    for d, kind, outcome, visit in sorted(matched, key=lambda t: t[0]):
        if outcome in CLOSING_OUTCOMES:
            task.status, task.done_on, task.done_by = "done", d, visit
            task.attempts = attempts
            return
        if outcome == "no_answer":
            attempts += 1
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


def _make_task(ctx, rule, customer, due, occ, params) -> Task:
    window_end = due + dt.timedelta(days=rule.window_days)
    drop = window_end + dt.timedelta(days=rule.expire_days) if rule.expire_days is not None else None
    return Task(task_id(str(customer.id), rule.id, occ), customer, rule, due, window_end, drop, occ, params)


def _has_bought(ctx: _Context, customer) -> bool:
    """A purchase on or before the as-of date, a 成交日期 that has come, or the buyer flag."""
    if customer.buyer is True:
        return True
    bought = _as_date(customer.bought_on)
    if bought is not None and bought <= ctx.as_of:
        return True
    for p in ctx.group("purchases").get(customer.id, ()):
        d = _as_date(p.date)
        if d is not None and d <= ctx.as_of:
            return True
    return False


def _rule_plan(ctx: _Context, lo_of) -> list[tuple]:
    """Per rule, what the per-customer loop needs, looked up once per run."""
    plan = []
    for rule in ctx.policy.rules:
        lo = lo_of(rule)
        test = ctx.customer_test(rule) if rule.customer else None
        recent = ctx.recent(rule, lo) if rule.trigger == "after" else None
        plan.append((rule, lo, test, recent, _OCCURRENCES[rule.trigger]))
    return plan


def tasks_for_customer(ctx: _Context, customer, lo_of, hi: dt.date) -> list[Task]:
    out = []
    bought = None
    plan = ctx.rule_plan.get(lo_of)
    if plan is None:
        plan = ctx.rule_plan[lo_of] = _rule_plan(ctx, lo_of)
    for rule, lo, test, recent, occurrences in plan:
        if test is not None and not test(customer):
            continue
        if recent is not None and customer.id not in recent:
            continue  # nothing recent enough to count from
        if rule.buyer is not None:
            if bought is None:
                bought = _has_bought(ctx, customer)
            if bought != rule.buyer:
                continue
        stop = min((d for d in (_as_date(field_value(customer, f)) for f in rule.until) if d),
                   default=None) if rule.until else None
        for due, occ, params in occurrences(ctx, rule, customer, lo, hi):
            if stop is not None and due > stop:
                continue
            task = _make_task(ctx, rule, customer, due, occ, params)
            _settle(ctx, task)
            if stop is not None and stop <= ctx.as_of and task.open:
                # The rule's end has come (the lead visited or bought): what is still open is moot.
                # Overdue before that day it was missed; coming due around it, it is simply gone.
                if task.window_end < stop:
                    task.status = "missed"
                else:
                    continue
            out.append(task)
    return out


def _assign_staff(ctx: _Context, task: Task) -> None:
    customer = task.customer
    if task.rule.staff_role:
        roles = task.rule.staff_role
        roles = {r.strip().lower() for r in ((roles,) if isinstance(roles, str) else roles)}
        for s in ctx.archive.staff:
            if (str(s.role or "").strip().lower() in roles
                    and ctx.staff.resolve(s.staff_id or s.name).state == ACTIVE
                    and (not customer.store or not s.store or s.store == customer.store)):
                task.staff = ctx.staff.display(s.staff_id or s.name)
                return
    task.staff = ctx.staff.active_name(customer.owner)


def _role_key(staff_role) -> str:
    return staff_role if isinstance(staff_role, str) else staff_role[0]


def _plan_contacts(ctx: _Context, customer, tasks: list[Task]) -> None:
    """Apply the yearly cap and the minimum gap; mark what they keep off the list."""
    policy = ctx.policy
    history = [(d, k) for d, k, outcome, _ in ctx.visits_of(customer.id)[0] if outcome in CLOSING_OUTCOMES]
    exempt_cap, exempt_gap = ctx.cap_exempt_kinds, ctx.gap_exempt_kinds
    year = ctx.as_of.year
    counted_days = {d for d, k in history if d.year == year and k not in exempt_cap}
    gap_days = sorted({d for d, k in history if k not in exempt_gap})
    planned_gap: set[dt.date] = set()
    gap = policy.min_gap_days
    for task in sorted(tasks, key=lambda t: (-t.rule.priority, t.due_date)):
        day = max(task.due_date, ctx.as_of)
        task.contact = f"{customer.id}@{day.isoformat()}"
        if task.rule.staff_role:  # another person's call (the doctor's) is a contact of its own
            task.contact += f"/{_role_key(task.rule.staff_role)}"
        if not task.rule.gap_exempt and gap:
            near = [d for d in gap_days if 0 < abs((day - d).days) < gap]
            near += [d for d in planned_gap if 0 < abs((day - d).days) < gap]
            if near:
                task.left_out = "gap"
                task.left_out_params = {"last": max(near), "gap": gap,
                                        "next": max(near) + dt.timedelta(days=gap)}
                continue
        if not task.rule.cap_exempt and policy.yearly_cap is not None and day.year == year:
            if day not in counted_days and len(counted_days) >= policy.yearly_cap:
                task.left_out = "cap"
                task.left_out_params = {"cap": policy.yearly_cap, "count": len(counted_days), "year": year}
                continue
            counted_days.add(day)
        if not task.rule.gap_exempt:
            planned_gap.add(day)


def _without_gc(fn):
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


@_without_gc
def compute_schedule(archive: Archive, policy: Policy, as_of: dt.date, ahead: int = 0,
                     workcal=None, kinds=None, staff=None, store=None, birthday_policy=None,
                     followups=None) -> Schedule:
    """Every open task on `as_of` (and up to `ahead` days later), after caps and do-not-contact.

    Besides the policy's rules, the calls' own next follow-ups and open-issue reminders
    (schedule/followups.py; `followups` its settings, defaults when None) are tasks too.
    """
    from followup_cli.schedule.followups import FollowupSettings, followup_tasks

    followups = followups or FollowupSettings()
    workcal = workcal or cal.WorkCalendar()
    ctx = _Context(archive, policy, as_of, workcal, birthday_policy)
    hi = as_of + dt.timedelta(days=ahead)
    listed, left, closed = [], [], []

    lows = {rule.id: as_of - dt.timedelta(days=_lookback(rule)) for rule in policy.rules}

    def lo_of(rule):
        return lows[rule.id]

    wanted_staff = fold(ctx.staff.display(staff)) if staff else None
    for customer in archive.customers:
        if not customer.id:
            continue
        if store and str(customer.store or "") != store:
            continue
        tasks = tasks_for_customer(ctx, customer, lo_of, hi)
        if ctx.visits_of(customer.id)[0] or (archive.issues and customer.id in ctx.group("issues")):
            tasks += followup_tasks(ctx, customer, hi, followups, _make_task, _settle)
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
        if customer.do_not_contact:
            for t in open_tasks:
                t.left_out = "do_not_contact"
                t.contact = f"{customer.id}@{max(t.due_date, as_of).isoformat()}"
            left.extend(open_tasks)
            continue
        _plan_contacts(ctx, customer, open_tasks)
        for t in open_tasks:
            _assign_staff(ctx, t)
            if kinds and t.kind not in kinds:
                continue
            if wanted_staff is not None and fold(t.staff) != wanted_staff:
                continue
            (left if t.left_out else listed).append(t)
    order = {"overdue": 0, "due": 1, "upcoming": 2}
    listed.sort(key=lambda t: (t.due_date if t.status == "upcoming" else as_of, order[t.status],
                               -t.rule.priority, str(t.customer.id)))
    warnings = workcal.warnings_for([as_of, hi]) if any(r.working_days for r in policy.rules) else []
    return Schedule(as_of, listed, left, closed, warnings, policy, workcal)


@_without_gc
def period_tasks(archive: Archive, policy: Policy, start: dt.date, end: dt.date, as_of: dt.date,
                 workcal=None, birthday_policy=None) -> list[Task]:
    """Every occurrence whose due date falls in [start, end], with its status as of `as_of`
    (the basis of the completion rate). Do-not-contact customers are not due."""
    workcal = workcal or cal.WorkCalendar()
    ctx = _Context(archive, policy, as_of, workcal, birthday_policy)
    out = []

    def from_start(rule):
        return start

    for customer in archive.customers:
        if not customer.id or customer.do_not_contact:
            continue
        for t in tasks_for_customer(ctx, customer, from_start, end):
            _assign_staff(ctx, t)
            out.append(t)
    return out
