"""Customer value: spend year on year, dormant and won-back customers, the top buyers' share;
and what customers said in the period."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from followup_cli.kpi.facts import KpiContext, as_date, text_of
from followup_cli.kpi.measures import Measure, growth, rate
from followup_cli.policy.vocabulary import (
    ISSUE_CATEGORIES,
)


def _is_vip(customer, tiers) -> bool:
    tier = text_of(customer.tier).lower()
    return bool(tier) and any(t in tier for t in tiers)


def value_measures(ctx: KpiContext) -> dict[str, Measure]:
    s = ctx.settings
    prev_lo, prev_hi = ctx.start - relativedelta(years=1), ctx.cutoff - relativedelta(years=1)
    spend: dict[str, float] = defaultdict(float)
    prev_spend: dict[str, float] = defaultdict(float)
    last: dict[str, dt.date] = {}
    # the purchases of the customers a dormant follow-up reached in the period (won back or not)
    reached_dormant: dict[str, list[dt.date]] = defaultdict(list)
    for d, kind, outcome, v in ctx.visits:
        if kind == "dormant" and outcome == "reached" and ctx.in_period(d) and v.customer_id:
            reached_dormant[v.customer_id].append(d)
    purchase_days: dict[str, list[dt.date]] = {cid: [] for cid in reached_dormant}
    start, cutoff, report_day = ctx.start, ctx.cutoff, ctx.report_day
    date = dt.date
    for p in ctx.archive.purchases:
        d = p.date
        if d.__class__ is not date:
            d = as_date(d)
            if d is None:
                continue
        cid = p.customer_id
        if not cid:
            continue
        if d <= report_day:
            days = purchase_days.get(cid)
            if days is not None:
                days.append(d)
        if d <= cutoff and (cid not in last or d > last[cid]):
            last[cid] = d
        if start <= d <= cutoff:
            amount = p.amount
            spend[cid] += amount if isinstance(amount, (int, float)) else 0.0
        elif prev_lo <= d <= prev_hi:
            amount = p.amount
            prev_spend[cid] += amount if isinstance(amount, (int, float)) else 0.0
    vips = {cid for cid, c in ctx.customers.items() if _is_vip(c, s.vip_tiers)}
    m: dict[str, Measure] = {}
    m["vip_spend"] = growth(
        sum(v for c, v in spend.items() if c in vips), sum(v for c, v in prev_spend.items() if c in vips)
    )
    cur_total, prev_total = sum(spend.values()), sum(prev_spend.values())
    m["spend_per_customer"] = growth(
        cur_total / len(spend) if spend else 0.0, prev_total / len(prev_spend) if prev_spend else 0.0
    )
    known, idle_days = 0, []
    for cid, c in ctx.customers.items():
        anchor = last.get(cid)
        if anchor is None:
            archived = as_date(c.archived_on)
            anchor = archived if archived is not None and archived <= ctx.cutoff else None
        if anchor is None:
            continue
        known += 1
        idle_days.append((ctx.cutoff - anchor).days)
    for n in (60, 90):
        m[f"dormant_{n}"] = rate(sum(1 for i in idle_days if i >= n), known)
    won = 0
    window = dt.timedelta(days=s.win_back_days)
    for cid, days in reached_dormant.items():
        bought = purchase_days.get(cid, ())
        if any(any(d <= b <= d + window for b in bought) for d in days):
            won += 1
    m["won_back"] = rate(won, len(reached_dormant))
    amounts = sorted(spend.values(), reverse=True)
    k = math.ceil(len(amounts) * s.top_share / 100.0)
    top = sum(amounts[:k])
    m["top_share"] = Measure(
        round(100.0 * top / cur_total, 2) if cur_total else None, round(top, 2), round(cur_total, 2), "%"
    )
    return m


def suggestions(ctx: KpiContext, issues: list[dict]) -> list[dict]:
    """What customers said in the period, in their words: issue texts and visit notes."""
    out, seen = [], set()
    for i in issues:
        if i["text"]:
            key = (i["customer_id"], i["text"])
            if key not in seen:
                seen.add(key)
                out.append(
                    {
                        "date": i["raised_on"],
                        "customer_id": i["customer_id"],
                        "kind": i["kind"],
                        "category": i["category"],
                        "text": i["text"],
                    }
                )
    for d, kind, _, v in ctx.visits:
        if not ctx.in_period(d):
            continue
        for text in (text_of(v.issue), text_of(v.notes)):
            key = (v.customer_id, text)
            if text and key not in seen:
                seen.add(key)
                out.append(
                    {
                        "date": d,
                        "customer_id": v.customer_id,
                        "kind": kind,
                        "category": ISSUE_CATEGORIES.match(v.issue_category) if text == text_of(v.issue) else None,
                        "text": text,
                    }
                )
    out.sort(key=lambda r: (r["date"], str(r["customer_id"])))
    return out
