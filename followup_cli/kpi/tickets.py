"""Tickets (repairs, complaints) and projects: follow-up within hours, escalation, visits per project."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from followup_cli.kpi.facts import (
    Facts,
    KpiContext,
    as_date,
    as_datetime,
    text_of,
    within_hours,
)
from followup_cli.kpi.measures import Measure, mean, rate
from followup_cli.policy.vocabulary import (
    CLOSING_OUTCOMES,
    SEVERITIES,
    TICKET_TYPES,
)


def ticket_type(value: object) -> str | None:
    """repair | complaint | return, from what a clerk typed (also inside a longer text)."""
    text = text_of(value)
    if not text:
        return None
    found = TICKET_TYPES.match(text)
    if found:
        return found
    low = text.lower()
    if "投诉" in low or "complain" in low:
        return "complaint"
    if "修" in low or "repair" in low:
        return "repair"
    if "退" in low or "换" in low or "return" in low or "exchange" in low or "refund" in low:
        return "return"
    return None


def _followed_up(ctx: KpiContext, t, anchor, hours: int, working_days: int, kinds) -> tuple[bool, str | None]:
    """(a closing follow-up visit of these kinds came within the limit of `anchor`, its staff)."""
    day = as_date(anchor)
    last = ctx.workcal.add_workdays(day, working_days) if working_days and day is not None else None
    for d, vkind, outcome, v in ctx.visits_by_customer.get(t.customer_id, ()):
        if vkind not in kinds or outcome not in CLOSING_OUTCOMES:
            continue
        ok = (day <= d <= last) if last is not None else within_hours(anchor, v.date, hours)
        if ok:
            return True, ctx.staff(v.staff)
    return False, None


FOLLOW_KINDS = ("after_sales", "complaint")


def ticket_facts(ctx: KpiContext, facts: Facts) -> None:
    s = ctx.settings
    sources = [src for src in ctx.archive.sources if src.role == "tickets"]
    # Without an escalation column nobody recorded escalations: no data, not 0%.
    ctx.escalation_kept = escalation_kept = any("escalated_at" in src.columns for src in sources)
    if sources and not escalation_kept and ctx.shows("escalation"):
        ctx.notes.append(
            (
                "工单表没有“上报时间”列，无法计算重大投诉 24 小时上报率",
                "the ticket sheet has no 上报时间 (escalated at) column: escalation within 24 h is not measured",
            )
        )
    for t in ctx.archive.tickets:
        kind = ticket_type(t.type)
        if kind not in ("repair", "complaint"):
            continue
        owner, store = ctx.owner(t.customer_id), ctx.store(t.customer_id)
        follow_kind = "complaint" if kind == "complaint" else "after_sales"
        closed = as_date(t.closed_at)
        anchor = t.opened_at if s.ticket_followup_from == "opened" else t.closed_at
        if ctx.in_period(as_date(anchor)):
            ok, who = _followed_up(
                ctx, t, anchor, s.ticket_followup_hours, s.ticket_followup_working_days, FOLLOW_KINDS
            )
            facts.tickets.append((who or owner, store, follow_kind, as_date(anchor), ok))
        if ctx.in_period(closed):
            if kind == "complaint":
                ok, who = _followed_up(
                    ctx, t, t.closed_at, s.complaint_followup_hours, s.complaint_followup_working_days, FOLLOW_KINDS
                )
                facts.complaints.append((who or owner, store, follow_kind, closed, ok))
            else:
                ok, who = _followed_up(ctx, t, t.closed_at, s.repair_followup_hours, 0, FOLLOW_KINDS)
                facts.repairs.append((who or owner, store, follow_kind, closed, ok))
        opened = as_date(t.opened_at)
        if (
            escalation_kept
            and kind == "complaint"
            and SEVERITIES.match(t.severity) == "major"
            and ctx.in_period(opened)
        ):
            esc = as_datetime(t.escalated_at)
            ok = (
                esc is not None
                and as_date(esc) <= ctx.report_day
                and within_hours(t.opened_at, t.escalated_at, s.escalation_hours)
            )
            facts.escalations.append((owner, store, "complaint", opened, ok))


SUMMARY_TYPES = ("complaint", "repair", "return", "other")


def complaint_summary(ctx: KpiContext) -> dict[str, dict[str, int]]:
    """The tickets opened in the period counted by type, severity and status (on the cut-off
    day), and those overdue: not closed within `ticket_close_hours` of opening, and major
    complaints not escalated within `escalation_hours` (when the sheet records escalations)."""
    s = ctx.settings
    by_type = dict.fromkeys(SUMMARY_TYPES, 0)
    by_severity = {"major": 0, "general": 0, "unknown": 0}
    by_status = {"open": 0, "closed": 0}
    overdue = {"not_closed_in_time": 0}
    if getattr(ctx, "escalation_kept", False):
        overdue["not_escalated_in_time"] = 0
    limit = dt.timedelta(hours=s.ticket_close_hours)
    end_of_cutoff = dt.datetime.combine(ctx.cutoff, dt.time(23, 59, 59))
    for t in ctx.archive.tickets:
        opened = as_datetime(t.opened_at)
        if opened is None or not ctx.in_period(opened.date()):
            continue
        kind = ticket_type(t.type) or "other"
        by_type[kind] = by_type.get(kind, 0) + 1
        by_severity[SEVERITIES.match(t.severity) or "unknown"] += 1
        closed = as_datetime(t.closed_at)
        if closed is not None and closed.date() > ctx.cutoff:
            closed = None  # closed after the cut-off: still open on it
        by_status["closed" if closed is not None else "open"] += 1
        if not within_hours(t.opened_at, closed, s.ticket_close_hours) and (
            closed is not None or end_of_cutoff - opened > limit
        ):
            overdue["not_closed_in_time"] += 1
        if "not_escalated_in_time" in overdue and kind == "complaint" and SEVERITIES.match(t.severity) == "major":
            esc = as_datetime(t.escalated_at)
            if not (
                esc is not None
                and esc.date() <= ctx.cutoff
                and within_hours(t.opened_at, t.escalated_at, s.escalation_hours)
            ):
                overdue["not_escalated_in_time"] += 1
    if not sum(by_status.values()):
        return {}
    return {
        "type": {k: v for k, v in by_type.items() if v},
        "severity": {k: v for k, v in by_severity.items() if v},
        "status": by_status,
        "overdue": overdue,
    }


def project_measures(ctx: KpiContext) -> dict[str, Measure]:
    by_customer: dict[str, list] = defaultdict(list)
    for p in ctx.archive.projects:
        if p.customer_id:
            by_customer[p.customer_id].append(p)
    counted, total, enough = 0, 0, 0
    for cid, projects in by_customer.items():
        projects.sort(key=lambda p: as_date(p.started_on) or dt.date.min)
        for i, p in enumerate(projects):
            if not ctx.in_period(as_date(p.completed_on)):
                continue
            lo = as_date(p.started_on) or dt.date.min
            nxt = as_date(projects[i + 1].started_on) if i + 1 < len(projects) else None
            n = sum(
                1
                for d, kind, outcome, _ in ctx.visits_by_customer.get(cid, ())
                if kind == "project" and outcome in CLOSING_OUTCOMES and lo <= d and (nxt is None or d < nxt)
            )
            counted += 1
            total += n
            enough += n >= ctx.settings.project_min_visits
    return {"project_visits": mean(total, counted, "per"), "project_min_visits": rate(enough, counted)}
