"""Facts: one small tuple per task, visit, issue and spot check of the period, and the
measures computed from any group of them."""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from followup_cli.archive.records import Archive
from followup_cli.archive.staff import staff_directory
from followup_cli.errors import UsageProblem
from followup_cli.kpi.due_set import DueRows
from followup_cli.kpi.measures import Measure, mean, rate
from followup_cli.kpi.period import (
    DIMENSIONS,
    SATISFIED,
    Period,
    month_key,
    quarter_key,
    week_key,
)
from followup_cli.kpi.settings import KpiSettings
from followup_cli.policy.vocabulary import (
    ISSUE_CATEGORIES,
    KINDS,
    SATISFACTION,
    VERDICTS,
    visit_outcome,
)
from followup_cli.text.kpi import not_a_dimension

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable


# ---- facts: one small tuple per task, visit, issue, check, ticket -----------------------------
# The first four fields of every fact are the grouping keys: staff, store, kind, date.


@dataclass
class Facts:
    # (staff, store, kind, due, customer_id, done, task_id, rule id, status, done_on): the tail
    # makes the same tuple the result's due set row (DUE_ROW_FIELDS), one tuple per task for both
    tasks: list = field(default_factory=list)
    visits: list = field(
        default_factory=list
    )  # (staff, store, kind, date, reached, level, score, recommend, customer_id)
    issues: list = field(default_factory=list)  # (staff, store, kind, raised, resolved, days)
    audits: list = field(default_factory=list)  # (staff, store, kind, date, accurate)
    tickets: list = field(default_factory=list)  # (staff, store, kind, closed, followed_up): repairs and complaints
    complaints: list = field(default_factory=list)  # the same, complaints alone
    repairs: list = field(default_factory=list)  # the same, repairs alone
    escalations: list = field(default_factory=list)  # (staff, store, kind, opened, in_time)


# where a task fact holds the due set's KEYS (kpi/due_set.py): task_id, customer_id, kind, rule,
# due_date, status, done_on
DUE_ROW_FIELDS = (6, 4, 2, 7, 3, 8, 9)


def key_fn(dim: str) -> Callable[[tuple], object]:
    if dim == "staff":
        return lambda f: f[0]
    if dim == "store":
        return lambda f: f[1]
    if dim == "kind":
        return lambda f: f[2]
    if dim == "week":
        return lambda f: week_key(f[3])
    if dim == "month":
        return lambda f: month_key(f[3])
    if dim == "quarter":
        return lambda f: quarter_key(f[3])
    raise UsageProblem(*not_a_dimension(dim, DIMENSIONS))


def split_facts(facts: Facts, dim: str) -> dict:
    key = key_fn(dim)
    out: dict = defaultdict(Facts)
    for name in ("tasks", "visits", "issues", "audits", "tickets", "complaints", "repairs", "escalations"):
        for f in getattr(facts, name):
            getattr(out[key(f)], name).append(f)
    return out


def group_measures(f: Facts) -> dict[str, Measure]:
    m: dict[str, Measure] = {}
    customers: dict[str, bool] = {}
    done = 0
    for t in f.tasks:
        done += t[5]
        customers[t[4]] = customers.get(t[4], True) and t[5]
    m["completion_customers"] = rate(sum(customers.values()), len(customers))
    m["completion_tasks"] = rate(done, len(f.tasks))
    visited = satisfaction_by_customer(f.visits)
    rated = [level for level in visited.values() if level]
    m["satisfaction"] = rate(sum(1 for level in rated if level in SATISFIED), len(visited))
    m["rated_share"] = rate(len(rated), len(visited))
    scores = [v[6] for v in f.visits if v[6] is not None]
    m["avg_score"] = mean(sum(scores), len(scores))
    answers = [v[7] for v in f.visits if v[7] is not None]
    m["recommend"] = rate(sum(1 for a in answers if a), len(answers))
    m["resolution"] = rate(sum(1 for i in f.issues if i[4]), len(f.issues))
    days = [i[5] for i in f.issues if i[4] and i[5] is not None]
    m["median_days"] = Measure(float(statistics.median(days)) if days else None, None, len(days), "days")
    m["accuracy"] = rate(sum(1 for a in f.audits if a[4]), len(f.audits))
    m["ticket_followup"] = rate(sum(1 for t in f.tickets if t[4]), len(f.tickets))
    m["complaint_followup"] = rate(sum(1 for t in f.complaints if t[4]), len(f.complaints))
    m["repair_followup"] = rate(sum(1 for t in f.repairs if t[4]), len(f.repairs))
    m["escalation"] = rate(sum(1 for t in f.escalations if t[4]), len(f.escalations))
    return m


def satisfaction_by_customer(visits: Iterable[tuple]) -> dict:
    """customer id → their last satisfaction answer in these visits (None: visited, no answer).

    A visited customer is one reached by a follow-up in the period; a festival greeting that
    carries no answer is a greeting, not a visit."""
    out: dict = {}
    last: dict = {}
    for v in visits:
        cid = v[8]
        if not cid or not v[4] or (v[2] == "festival" and not v[5]):
            continue
        out.setdefault(cid, None)
        if v[5] and (cid not in last or v[3] >= last[cid]):
            out[cid], last[cid] = v[5], v[3]
    return out


def rated_visits(visits: Iterable[tuple]) -> int:
    """Reached visits that carry a satisfaction answer (the bonus bands need enough of them)."""
    return sum(1 for v in visits if v[4] and v[5])


def empty_measures() -> dict[str, Measure]:
    """The grouped KPIs of a group without any data."""
    return group_measures(Facts())


# ---- computing the facts -------------------------------------------------------------------------


def as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def as_datetime(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return None


def within_hours(start: object, end: object, hours: int) -> bool:
    """end - start within [0, hours]; on whole days when either side has no time of day."""
    a, b = as_datetime(start), as_datetime(end)
    if a is None or b is None:
        return False
    if a.time() == dt.time(0) or b.time() == dt.time(0):
        days = (b.date() - a.date()).days
        return 0 <= days <= math.ceil(hours / 24)
    return dt.timedelta(0) <= b - a <= dt.timedelta(hours=hours)


def text_of(value: object) -> str:
    return "" if value is None else str(value).strip()


_UNSEEN = object()


class KpiContext:
    def __init__(
        self,
        archive: Archive,
        period: Period,
        cutoff: dt.date,
        report_day: dt.date,
        settings: KpiSettings,
        workcal=None,
    ):
        import followup_cli.calendar as cal

        self.workcal = workcal or cal.WorkCalendar()
        self.escalation_kept = False
        self.archive = archive
        self.period = period
        self.start = period.start
        self.cutoff = cutoff
        self.report_day = report_day
        self.settings = settings
        self.notes: list[tuple[str, str]] = []
        self.left_out: list[dict] = []  # tasks due by date that the policy kept off the list
        self.due_tasks = DueRows(fields=DUE_ROW_FIELDS)  # the period's due set, each task's final status
        self.customers = {c.id: c for c in archive.customers if c.id}
        self._staff = staff_directory(archive, report_day)
        self._shown: dict = {}  # a staff cell as written → as shown (asked of every task and visit)
        self._visits: tuple[list, dict] | None = None

    @property
    def visits(self) -> list[tuple]:
        """Visits up to the report day, each once: (date, kind, outcome, visit)."""
        return (self._visits or self._index_visits())[0]

    @property
    def visits_by_customer(self) -> dict[str, list[tuple]]:
        """customer id → their visits of `visits`, in date order."""
        return (self._visits or self._index_visits())[1]

    def _index_visits(self) -> tuple[list, dict]:
        """Made on first use, after the due set's replay: the two indexes of the visit log (the
        replay's own and this) are then not held at once. A log holds few distinct kind and
        outcome texts: each is matched once."""
        visits: list[tuple] = []
        by_customer: dict[str, list[tuple]] = defaultdict(list)
        kinds, outcomes = {}, {}
        report_day = self.report_day
        datetime, date = dt.datetime, dt.date
        add = visits.append
        for v in self.archive.visits:  # as_date, inline: one pass over a big log
            d = v.date
            if d.__class__ is datetime:
                d = d.date()
            elif d.__class__ is not date:
                if not isinstance(d, date):
                    continue
                d = d.date() if isinstance(d, datetime) else d
            if d > report_day:
                continue
            k, o = v.kind, v.outcome
            kind = kinds.get(k, _UNSEEN)
            if kind is _UNSEEN:
                kind = kinds[k] = KINDS.match(k)
            outcome = outcomes.get(o, _UNSEEN)
            if outcome is _UNSEEN:
                outcome = outcomes[o] = visit_outcome(o)
            item = (d, kind, outcome, v)
            add(item)
            if v.customer_id:
                by_customer[v.customer_id].append(item)
        for items in by_customer.values():
            items.sort(key=lambda t: t[0])
        self._visits = (visits, by_customer)
        return self._visits

    def staff(self, name: object) -> str | None:
        if name.__class__ is not str:  # None, or a number (1 and 1.0 would share a key)
            return self._staff.display(name)
        shown = self._shown.get(name, _UNSEEN)
        if shown is _UNSEEN:
            shown = self._shown[name] = self._staff.display(name)
        return shown

    def store(self, customer_id: object) -> str | None:
        c = self.customers.get(customer_id)
        return (text_of(c.store) or None) if c is not None else None

    def owner(self, customer_id: object) -> str | None:
        c = self.customers.get(customer_id)
        return self.staff(c.owner) if c is not None else None

    def shows(self, kpi: str) -> bool:
        """Whether the policy defines this KPI (every KPI when it names none)."""
        return not self.settings.show or kpi in self.settings.show

    def in_period(self, d: dt.date | None) -> bool:
        return d is not None and self.start <= d <= self.cutoff


def visit_facts(ctx: KpiContext, facts: Facts) -> dict[str, int]:
    levels = dict.fromkeys(SATISFACTION.ids(), 0)
    for d, kind, outcome, v in ctx.visits:
        if not ctx.in_period(d):
            continue
        reached = outcome == "reached"
        level = SATISFACTION.match(v.satisfaction) if reached and text_of(v.satisfaction) else None
        # Answers only count from a call that reached the customer.
        score = v.score if reached and isinstance(v.score, (int, float)) and 0 <= v.score <= 5 else None
        recommend = v.recommend if reached and isinstance(v.recommend, bool) else None
        facts.visits.append(
            (
                ctx.staff(v.staff),
                ctx.store(v.customer_id),
                kind,
                d,
                reached,
                level,
                float(score) if score is not None else None,
                recommend,
                v.customer_id,
            )
        )
    for level in satisfaction_by_customer(facts.visits).values():  # customers, by their last answer
        if level:
            levels[level] += 1
    return levels


def _resolution(ctx: KpiContext, raised: dt.date, resolved, resolved_on) -> tuple[bool, dt.date | None]:
    on = as_date(resolved_on)
    if on is not None:
        return on <= ctx.report_day, on
    return resolved is True, None


def issue_facts(ctx: KpiContext, facts: Facts) -> tuple[list[dict], str]:
    archive = ctx.archive
    out: list[dict] = []
    if archive.source("issues") is not None:
        by_visit_id = {text_of(v.visit_id): (d, k, v) for d, k, _, v in ctx.visits if text_of(v.visit_id)}
        by_task_id = {}
        for d, k, _, v in ctx.visits:
            for tid in re.split(r"[\s,，;；]+", text_of(v.task_id)):
                if tid:
                    by_task_id[tid] = (d, k, v)
        for i in archive.issues:
            raised = as_date(i.raised_on)
            if not ctx.in_period(raised):
                continue
            link = by_visit_id.get(text_of(i.visit_id)) or by_task_id.get(text_of(i.task_id))
            visit = link[2] if link else None
            kind = link[1] if link else None
            staff = ctx.staff(i.staff) or (ctx.staff(visit.staff) if visit else None) or ctx.owner(i.customer_id)
            out.append(
                _issue_row(
                    ctx,
                    i.customer_id,
                    raised,
                    kind,
                    staff,
                    i.category,
                    i.text,
                    i.resolved,
                    i.resolved_on,
                    i.src,
                    i.row,
                    text_of(i.issue_id),
                )
            )
        source = "sheet"
        ctx.notes.append(("问题取自“问题跟踪”表", "issues are taken from the issue-tracking sheet (问题跟踪)"))
    else:
        for d, kind, _, v in ctx.visits:
            if not ctx.in_period(d) or not (text_of(v.issue) or text_of(v.issue_category)):
                continue
            out.append(
                _issue_row(
                    ctx,
                    v.customer_id,
                    d,
                    kind,
                    ctx.staff(v.staff),
                    v.issue_category,
                    v.issue,
                    v.resolved,
                    v.resolved_on,
                    v.src,
                    v.row,
                    text_of(v.visit_id),
                )
            )
        source = "visits"
    out.sort(key=lambda r: (r["raised_on"], str(r["customer_id"]), r["row"]))
    for r in out:
        facts.issues.append((r["staff"], r["store"], r["kind"], r["raised_on"], r["resolved"], r["days"]))
    return out, source


def _issue_row(ctx, customer_id, raised, kind, staff, category, text, resolved, resolved_on, src, row, ref):
    ok, on = _resolution(ctx, raised, resolved, resolved_on)
    days = (on - raised).days if ok and on is not None and on >= raised else None
    cat_text = text_of(category)
    return {
        "raised_on": raised,
        "customer_id": customer_id,
        "staff": staff,
        "store": ctx.store(customer_id),
        "kind": kind,
        "category": ISSUE_CATEGORIES.match(cat_text) or (cat_text or None),
        "text": text_of(text),
        "resolved": ok,
        "resolved_on": on if ok else None,
        "days": days,
        "ref": ref,
        "sheet": src.sheet if src else "",
        "row": row,
    }


def audit_facts(ctx: KpiContext, facts: Facts) -> None:
    audits = ctx.archive.audits
    if not audits:
        return
    by_id, by_row = {}, {}
    for item in ctx.visits:
        v = item[3]
        if text_of(v.visit_id):
            by_id.setdefault(text_of(v.visit_id), item)
        by_row.setdefault(v.row, item)
    latest: dict = {}
    unreadable = 0
    for a in audits:
        verdict = VERDICTS.match(a.verdict)
        checked = as_date(a.checked_on)
        if verdict is None:
            unreadable += 1 if text_of(a.verdict) else 0
            continue
        if checked is not None and checked > ctx.report_day:
            continue
        item = by_id.get(text_of(a.visit_id)) if text_of(a.visit_id) else None
        if item is None and not text_of(a.visit_id) and isinstance(a.visit_row, (int, float)):
            item = by_row.get(int(a.visit_row))
        if item is not None:
            if not ctx.in_period(item[0]):
                continue
            key = ("visit", id(item[3]))
        else:
            if not ctx.in_period(checked):
                continue  # a check of a visit we cannot find counts in the period it was made
            key = ("row", a.src.file if a.src else "", a.row)
        stamp = (checked or dt.date.min, a.row)
        if key not in latest or stamp >= latest[key][0]:
            latest[key] = (stamp, item, verdict, a)
    for _, item, verdict, a in latest.values():
        if item is not None:
            d, kind, _, v = item
            fact = (ctx.staff(v.staff), ctx.store(v.customer_id), kind, d, verdict == "accurate")
        else:
            fact = (None, ctx.store(a.customer_id), None, as_date(a.checked_on), verdict == "accurate")
        facts.audits.append(fact)
    if unreadable:
        ctx.notes.append(
            (
                f"{unreadable} 条抽查结果无法识别（应为 准确/不准确），未计入",
                f"{unreadable} spot-check verdict(s) are not 准确/不准确 (accurate/inaccurate) and were left out",
            )
        )
