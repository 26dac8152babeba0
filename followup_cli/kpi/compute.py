"""The KPIs a supervisor is judged by, for one period: plain data in, plain data out.

Every rate is kept as a Measure with its numerator and denominator, so a supervisor can
check it by hand. The definitions (docs/kpi.md has the long form):

- completion: the tasks whose due date falls in the period and that `due` listed on a day
  up to the cut-off day (`schedule.replay.period_due`: the policy's rules and the calls'
  own next follow-ups and issue reminders, do-not-contact by channel, cap and gap, as `due`
  applies them); a task counts as done when the visit log closes it. Per customer: a
  customer due in the period counts as followed up when every one of their due tasks is done.
- satisfaction: (非常满意 + 满意) / reached visits of the period that carry a satisfaction
  answer. A reached visit without an answer (an SMS greeting, say) is not a dissatisfied
  customer; how many answers are missing is its own KPI (rated share).
- average score (0-5) and would-recommend rate over the period's visits that record them.
- resolution: issues raised in the period (the 问题跟踪 sheet when the archive has one, else
  visits with an issue text or category) that are resolved by the report day; the median days
  from raised to resolved.
- record accuracy: spot-check verdicts (抽查记录) on the period's visits, accurate / checked.
- tickets: repair and complaint tickets closed in the period with a follow-up visit
  (after-sales or complaint kind, a closing outcome) within 72 hours of closing; major
  complaints opened in the period escalated within 24 hours of opening.
- projects completed in the period: project visits per project, share with at least 3.
- customer value: VIP spend and spend per buying customer against the same dates a year
  earlier; customers dormant 60 and 90 days at the cut-off; customers won back (a purchase
  within 30 days of a reached dormant follow-up); the top 20% of buyers' share of revenue.

Two days matter. The cut-off is min(period end, report day): what happened in the period.
The report day (--as-of, default today) is when the period's work is judged: a task due on
the 30th and done on the 1st of the next month, inside its window, counts as done for its
month when the report is made after the 1st; an issue raised in the period counts as
resolved when it is resolved by the report day. Nothing after the report day is ever seen,
so every figure is reproducible for a given report day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from followup_cli.archive.records import Archive
from followup_cli.errors import UsageProblem
from followup_cli.kpi.facts import (
    Facts,
    KpiContext,
    audit_facts,
    group_measures,
    issue_facts,
    key_fn,
    rated_visits,
    split_facts,
    visit_facts,
)
from followup_cli.kpi.measures import GROUP_KPIS, KPIS, LOWER_IS_BETTER, PROJECT_KPIS, TICKET_KPIS, VALUE_KPIS, Measure
from followup_cli.kpi.period import Period
from followup_cli.kpi.settings import KpiSettings, band_for, report_due, with_policy
from followup_cli.kpi.task_facts import task_facts
from followup_cli.kpi.tickets import complaint_summary, project_measures, ticket_facts
from followup_cli.kpi.value import suggestions, value_measures
from followup_cli.policy.vocabulary import (
    ISSUE_CATEGORIES,
)
from followup_cli.text.kpi import period_after_as_of

if TYPE_CHECKING:
    from collections.abc import Sequence

    from followup_cli.calendar.birthdays import BirthdayPolicy
    from followup_cli.calendar.workdays import WorkCalendar
    from followup_cli.kpi.settings import Band
    from followup_cli.policy.rules import Policy
    from followup_cli.schedule.followups import FollowupSettings

# ---- the result ---------------------------------------------------------------------------------


@dataclass
class KpiResult:
    period: Period
    cutoff: dt.date  # min(period end, report day): what happened in the period
    report_day: dt.date  # when the period's work is judged
    measures: dict[str, Measure]  # shop-wide, every KPI
    groups: dict[str, list[tuple[str | None, dict[str, Measure]]]]  # dim → [(key, measures)]
    ranking: list[dict]  # staff, rank, band and their measures (when grouped by staff)
    task_counts: dict[str, int]  # done, done_after_period, open, missed, unreachable, upcoming
    satisfaction_counts: dict[str, int]  # level id → reached visits, in SATISFACTION order
    issues: list[dict]  # every issue raised in the period
    issue_counts: dict[str, int]  # category id (or 'uncategorised') → count
    suggestions: list[dict]  # the customers' own words: date, customer_id, kind, category, text
    season: bool
    issue_source: str  # 'sheet' (问题跟踪) or 'visits'
    notes: list[tuple[str, str]]  # (zh, en) things the reader should know
    settings: KpiSettings | None = None  # the policy's KPI settings under followup.toml's (labels name their limits)
    targets: dict = field(default_factory=dict)  # KPI id → (target, met: bool | None)
    complaints: dict = field(default_factory=dict)  # complaint summary: type/severity/status/overdue → counts
    report_due: dt.datetime | None = None  # a week's report deadline (the policy's weekly_report_due)
    # the period's due set: task_id, customer_id, kind, rule, due_date, status, done_on (kpi.due_set)
    due_tasks: Sequence[dict] = field(default_factory=list)
    left_out: list[dict] = field(default_factory=list)  # due by date, kept off the list by the policy (reason)

    @property
    def group_kpis(self) -> list[str]:
        """The KPIs broken down by staff, store, kind, week, month or quarter that this result shows."""
        return [k for k in GROUP_KPIS if k in self.measures]


def compute_kpis(
    archive: Archive,
    policy: Policy,
    period: Period,
    report_day: dt.date,
    *,
    workcal: WorkCalendar | None = None,
    birthday_policy: BirthdayPolicy | None = None,
    by: Sequence[str] = (),
    settings: KpiSettings | None = None,
    season: bool | None = None,
    followups: FollowupSettings | None = None,
) -> KpiResult:
    """Every KPI of `period`, shop-wide and grouped by each dimension in `by`. `followups`:
    the settings of the calls' own tasks (policy_setup's, as `due` is given them)."""
    if report_day < period.start:
        raise UsageProblem(*period_after_as_of(period.label, report_day))
    settings = with_policy(settings or KpiSettings(), policy)
    by = tuple(by or ())
    for dim in by:
        key_fn(dim)
    cutoff = min(period.end, report_day)
    ctx = KpiContext(archive, period, cutoff, report_day, settings, workcal)
    facts = Facts()
    task_counts = task_facts(ctx, policy, workcal, birthday_policy, facts, followups)
    sat_counts = visit_facts(ctx, facts)
    issues, issue_source = issue_facts(ctx, facts)
    audit_facts(ctx, facts)
    ticket_facts(ctx, facts)

    measures = group_measures(facts)
    measures.update(project_measures(ctx))
    measures.update(value_measures(ctx))
    shown = shown_kpis(ctx)
    measures = {k: measures[k] for k in shown}

    groups = {}
    for dim in by:
        split = split_facts(facts, dim)
        keys = sorted(split, key=lambda k: (k is None, str(k)))
        groups[dim] = [(k, group_measures(split[k])) for k in keys]
    ranking = []
    if "staff" in groups:
        split = split_facts(facts, "staff")
        ranking = rank_staff(
            groups["staff"],
            settings.bands,
            {k: rated_visits(f.visits) for k, f in split.items()},
            settings.min_rated_visits,
        )

    counts: dict[str, int] = defaultdict(int)
    for i in issues:
        counts[i["category"] or "uncategorised"] += 1
    issue_counts = {c: counts[c] for c in [*ISSUE_CATEGORIES.ids(), "uncategorised"] if counts.get(c)}
    issue_counts.update({c: n for c, n in counts.items() if c not in issue_counts})
    is_season = period.season_month if season is None else season
    return KpiResult(
        period,
        cutoff,
        report_day,
        measures,
        groups,
        ranking,
        task_counts,
        sat_counts,
        issues,
        issue_counts,
        suggestions(ctx, issues) if is_season else [],
        is_season,
        issue_source,
        ctx.notes,
        settings,
        _targets(measures, settings),
        complaint_summary(ctx),
        report_due(settings, period),
        ctx.due_tasks,
        ctx.left_out,
    )


def shown_kpis(ctx: KpiContext) -> list[str]:
    """The KPIs the policy defines, in its order, without those that cannot apply to this
    archive: customer value without purchases, ticket rates without tickets, project visits
    without projects, escalation without an escalation column."""
    archive = ctx.archive
    out = []
    for k in ctx.settings.show or KPIS:
        if k in VALUE_KPIS and not archive.purchases:
            continue
        if k in TICKET_KPIS and not archive.tickets:
            continue
        if k == "escalation" and not ctx.escalation_kept:
            continue
        if k in PROJECT_KPIS and not archive.projects:
            continue
        out.append(k)
    return out


def _targets(measures: dict, settings: KpiSettings) -> dict:
    out = {}
    for k, target in settings.targets.items():
        if k not in measures:
            continue
        v = measures[k].value
        met = None if v is None else (v <= target if k in LOWER_IS_BETTER else v >= target)
        out[k] = (target, met)
    return out


TOO_FEW = ("评价太少，不评档", "too few to rate")


def rank_staff(
    groups: list[tuple[str | None, dict[str, Measure]]],
    bands: Sequence[Band],
    rated: dict | None = None,
    min_rated: int = 0,
) -> list[dict]:
    """Staff ordered by satisfaction, then task completion, then visited customers; with their
    band, when they have at least `min_rated` rated visits (`rated`: staff → count)."""
    rows = []
    for key, m in groups:
        if key is None:
            continue  # unassigned work is shown in the breakdown, not ranked
        rows.append({"staff": key, "measures": m, "rated": (rated or {}).get(key, 0)})

    def order(r):
        m = r["measures"]
        sat, comp = m["satisfaction"].value, m["completion_tasks"].value
        return (
            sat is None,
            -(sat or 0),
            comp is None,
            -(comp or 0),
            -(m["satisfaction"].denominator or 0),
            str(r["staff"]),
        )

    rows.sort(key=order)
    prev, rank = None, 0
    for i, r in enumerate(rows, start=1):
        m = r["measures"]
        this = (m["satisfaction"].value, m["completion_tasks"].value)
        if this != prev:
            rank = i
        prev = this
        r["rank"] = rank
        if m["satisfaction"].value is not None and rated is not None and r["rated"] < min_rated:
            r["band"], r["band_zh"], r["band_en"] = "too_few", *TOO_FEW
            continue
        band = band_for(m["satisfaction"].value, bands)
        r["band"] = band.id if band else None
        r["band_zh"] = band.zh if band else ""
        r["band_en"] = band.en if band else ""
    return rows
