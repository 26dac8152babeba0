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


def ticket_type(value) -> str | None:
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


def ticket_facts(ctx: KpiContext, facts: Facts) -> None:
    s = ctx.settings
    sources = [src for src in ctx.archive.sources if src.role == "tickets"]
    # Without an escalation column nobody recorded escalations: no data, not 0%.
    escalation_kept = any("escalated_at" in src.columns for src in sources)
    if sources and not escalation_kept:
        ctx.notes.append(("工单表没有“上报时间”列，无法计算重大投诉 24 小时上报率",
                          "the ticket sheet has no 上报时间 (escalated at) column: escalation within 24 h is not measured"))
    for t in ctx.archive.tickets:
        kind = ticket_type(t.type)
        if kind not in ("repair", "complaint"):
            continue
        staff, store = ctx.owner(t.customer_id), ctx.store(t.customer_id)
        follow_kind = "complaint" if kind == "complaint" else "after_sales"
        closed = as_date(t.closed_at)
        if ctx.in_period(closed):
            ok = False
            for d, vkind, outcome, v in ctx.visits_by_customer.get(t.customer_id, ()):
                if vkind in ("after_sales", "complaint") and outcome in CLOSING_OUTCOMES and \
                        within_hours(t.closed_at, v.date, s.ticket_followup_hours):
                    ok = True
                    staff = ctx.staff(v.staff) or staff
                    break
            facts.tickets.append((staff, store, follow_kind, closed, ok))
        opened = as_date(t.opened_at)
        if escalation_kept and kind == "complaint" and SEVERITIES.match(t.severity) == "major" \
                and ctx.in_period(opened):
            esc = as_datetime(t.escalated_at)
            ok = esc is not None and as_date(esc) <= ctx.report_day and \
                within_hours(t.opened_at, t.escalated_at, s.escalation_hours)
            facts.escalations.append((ctx.owner(t.customer_id), store, "complaint", opened, ok))


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
            n = sum(1 for d, kind, outcome, _ in ctx.visits_by_customer.get(cid, ())
                    if kind == "project" and outcome in CLOSING_OUTCOMES and lo <= d and (nxt is None or d < nxt))
            counted += 1
            total += n
            enough += n >= ctx.settings.project_min_visits
    return {"project_visits": mean(total, counted, "per"), "project_min_visits": rate(enough, counted)}


