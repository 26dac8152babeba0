"""Occurrences of each trigger for one customer: (due_date, occurrence key, params) for due
dates in [lo, hi]. The occurrence key is part of the task id: it must not change for an
unchanged rule."""

from __future__ import annotations

import bisect
import calendar as calendar_module
import datetime as dt
import functools
from collections import defaultdict

import followup_cli.calendar as cal
from followup_cli.policy.conditions import field_value
from followup_cli.policy.rules import Rule
from followup_cli.policy.vocabulary import CLOSING_OUTCOMES
from followup_cli.schedule.context import DAY, Context, as_date, lookback


def _source_records(ctx: Context, rule: Rule, customer) -> list:
    if rule.source == "customers":
        return [customer]
    return ctx.group(rule.source).get(customer.id, ())


def _stages_due(ctx, rule, start: dt.date, lo, hi) -> list[tuple[int, dt.date, dt.date | None, dt.date | None]]:
    """(days, due, opens, closes) of each stage of a rule counted from `start` that falls due in
    [lo, hi]. A "within" rule's stage is completed by a contact from its window start (the
    trigger for the first stage, the day after the previous stage's deadline for the others) to
    the day before the next stage opens; other rules leave both None (early_days before the due
    date to the drop date)."""
    deadlines = [ctx.add_days(start, n, rule.working_days) for n in rule.days]
    if rule.within:
        opens = [start] + [d + DAY for d in deadlines[:-1]]
        closes = [d - DAY for d in opens[1:]] + [None]
    else:
        opens = closes = [None] * len(deadlines)
    return [stage for stage in zip(rule.days, deadlines, opens, closes) if lo <= stage[1] <= hi]


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
        for n, due, opens, closes in _stages_due(ctx, rule, anchor, lo, hi):
            yield (
                due,
                f"{anchor.isoformat()}+{n}{'w' if rule.working_days else ''}",
                {
                    "anchor": anchor,
                    "count": len(recs),
                    "ago": (ctx.as_of - anchor).days,
                    "days": n,
                    "products": "、".join(sorted({str(r.product) for r in recs if getattr(r, "product", None)})),
                    "opens": opens,
                    "closes": closes,
                },
            )


def _occ_yearly(ctx, rule, customer, lo, hi):
    value = field_value(customer, rule.date_field)
    if value is None:
        return
    if hasattr(value, "month") and hasattr(value, "lunar"):
        month, day, lunar, leap, year = value.month, value.day, value.lunar, value.leap, value.year
    else:
        d = as_date(value)
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


def contacts_of(ctx: Context, customer: object, kind: str | None) -> list[dt.date]:
    """Dates of real contacts (closing outcomes), of one kind or of any kind, sorted;
    worked out once per customer and kind (several rules ask)."""
    key = (customer.id, kind)
    found = ctx.contacts_cache.get(key)
    if found is None:
        found = ctx.contacts_cache[key] = [
            d
            for d, k, outcome, _ in ctx.visits_of(customer.id)[0]
            if outcome in CLOSING_OUTCOMES and (kind is None or k == kind)
        ]
    return found


def _occ_inactive(ctx, rule, customer, lo, hi):
    bought = ctx.last_date(rule.source, rule.date_field or "date").get(customer.id)
    told = _told_last_purchase(ctx, rule, customer)  # 最近消费时间 of a member export
    if told is not None and (bought is None or told > bought):
        bought = told
    last = bought or as_date(customer.archived_on)
    if last is None:
        return
    if not ctx.replay:
        yield from _inactive_from(ctx, rule, customer, last, lo, hi, None, bought is None)
        return
    # Replaying day by day: on each day `due` counted from the last purchase before it, so
    # every purchase up to the as-of day starts its own stretch of win-back occurrences.
    name = rule.date_field or "date"
    days = sorted(
        {
            d
            for d in (as_date(getattr(r, name, None)) for r in ctx.group(rule.source).get(customer.id, ()))
            if d is not None and d <= ctx.as_of
        }
    )
    if told is not None and told <= ctx.as_of:
        days = sorted({*days, told})
    archived = as_date(customer.archived_on)
    starts = ([archived] if archived is not None and (not days or archived < days[0]) else []) + days
    for i, start in enumerate(starts):
        until = starts[i + 1] - DAY if i + 1 < len(starts) else None
        never = i == 0 and start not in days
        yield from _inactive_from(ctx, rule, customer, start, lo, hi if until is None else min(hi, until), until, never)


def _told_last_purchase(ctx, rule, customer) -> dt.date | None:
    """The customer sheet's own date of the last purchase (a member export's 最近消费时间), for a
    rule counting from purchases; None when there is none or it lies after the as-of day."""
    if rule.source != "purchases":
        return None
    told = as_date(getattr(customer, "last_purchase", None))
    return told if told is not None and told <= ctx.as_of else None


def _inactive_from(ctx, rule, customer, last, lo, hi, until, never_bought):
    """Win-back occurrences counted from `last`; `until`: the last day `due` counted from it;
    `never_bought`: `last` is the archive date of a customer with no purchase (the reason must
    not invent one)."""
    seen_from = None
    wakes = contacts_of(ctx, customer, rule.kind)
    early = ctx.policy.early_days
    due = last + dt.timedelta(days=rule.inactive_days)
    repeat = dt.timedelta(days=rule.repeat_days or rule.inactive_days)
    early, keep = dt.timedelta(days=early), dt.timedelta(days=lookback(rule))
    while due <= hi:
        i = bisect.bisect_left(wakes, due - early)
        wake = wakes[i] if i < len(wakes) else None
        if due >= lo:
            yield (
                due,
                due.isoformat(),
                {
                    "last": last,
                    "idle": (ctx.as_of - last).days,
                    "never_bought": never_bought,
                    "visible_from": seen_from,
                    "visible_to": until,
                },
            )
        drop = due + keep
        if wake is not None and wake <= drop:
            due, seen_from = max(wake + repeat, due + DAY), wake
        elif drop < ctx.as_of:
            due, seen_from = due + repeat, drop + DAY
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
    contacts = contacts_of(ctx, customer, kind) if rule.restart_on != "none" else []
    early = dt.timedelta(days=ctx.policy.early_days)
    for rec in _source_records(ctx, rule, customer):
        anchor = as_date(field_value(rec, rule.date_field))
        if anchor is None or anchor > ctx.as_of or (rule.when and not ctx.when(rule)(rec)):
            continue
        clock, seen_from = anchor, None
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
                yield due, f"{anchor.isoformat()}~{due.isoformat()}", {"anchor": anchor, "visible_from": seen_from}
            drop = due + dt.timedelta(days=lookback(rule))
            # The next occurrence exists for `due` once this one is closed by a contact, or
            # once it has dropped: while it is open, the series waits.
            if nxt is not None and nxt <= drop:
                clock, seen_from = max(nxt, clock + DAY), nxt
            elif drop < ctx.as_of:
                clock, seen_from = due, drop + DAY
            else:
                break


def _occ_milestone(ctx, rule, customer, lo, hi):
    since = None
    if rule.date_field:  # only events on or after this customer date (and only once it has come)
        since = as_date(field_value(customer, rule.date_field))
        if since is None or since > ctx.as_of:
            return
    for m in (*ctx.milestones_all, *ctx.milestones_of.get(customer.id, ())):
        d = as_date(m.date)
        if d is None or d > ctx.as_of + dt.timedelta(days=366):
            continue
        if rule.when and not ctx.when(rule)(m):
            continue
        if m.store and customer.store and str(m.store) != str(customer.store):
            continue
        if since is not None and d < since:
            continue
        for n, due, opens, closes in _stages_due(ctx, rule, d, lo, hi):
            yield (
                due,
                f"{d.isoformat()}:{m.name}+{n}",
                {
                    "anchor": d,
                    "milestone": m.name,
                    "days": n,
                    "before": max(-n, 0),
                    "opens": opens,
                    "closes": closes,
                    "visible_from": since,
                },
            )


GRID_START = dt.date(2000, 1, 3)  # a while-rule's reminders for a customer with no join date fall on this grid


def _occ_while(ctx, rule, customer, lo, hi):
    """While the customer's condition holds (the rule's `customer` table, tested before this is
    called), one reminder every `every_days`: the first on the day the customer joined (the
    archive date, or the first purchase), each later one `every_days` after the previous one,
    or after the last contact of the rule's kind (a contact restarts the wait). A reminder is
    open until the next one falls due (context.expire_of), then dropped as missed: one is always
    open while the condition holds, none is overdue for longer than the interval, and its due
    date never moves from one day to the next. Without a join date the reminders fall on a
    fixed grid (every `every_days` from GRID_START), so the date still stays put and a
    recorded reminder is still that reminder when the sheet is recorded again.
    A contact answers the reminder open on its day (or falling due within early_days of it)."""
    n = rule.every_days
    step = dt.timedelta(days=n)
    early = dt.timedelta(days=ctx.policy.early_days)
    chain = ctx.joined(customer) or GRID_START  # the first reminder of the current run
    prev = None  # the contact that started it, if any

    def run(until: dt.date):
        """The reminders of the current run due in [lo, min(hi, until)], with their keys."""
        top = min(hi, until)
        k = max(0, -(-(lo - chain).days // n))  # the first one on or after lo
        due = chain + k * step
        while due <= top:
            yield due, _while_key(prev, rule, k), {"last": prev, "visible_from": prev}
            k += 1
            due += step

    for contact in contacts_of(ctx, customer, rule.kind):
        if contact >= chain - early:
            k = max(0, (contact + early - chain).days // n)  # the reminder open at the contact
            answered = chain + k * step
            yield from run(answered)  # the missed ones before it, then the one the contact answered
        prev, chain = contact, contact + step
    yield from run(dt.date.max)


def _while_key(prev, rule, k: int = 0) -> str:
    base = "first" if prev is None else f"{prev.isoformat()}+{rule.every_days}"
    return base if k == 0 else f"{base}#{k}"  # the k-th reminder after an unanswered run's first


OCCURRENCES = {
    "while": _occ_while,
    "after": _occ_after,
    "yearly": _occ_yearly,
    "festival": _occ_festival,
    "inactive": _occ_inactive,
    "every": _occ_every,
    "milestone": _occ_milestone,
}
