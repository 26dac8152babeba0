"""The columns of the big sheets that `kpi` reads, so it parses (and caches) only those.

A year's KPIs replay the policy (schedule/replay.py), so they need every column scheduling
reads (`needed_fields`), plus the columns the figures themselves are made of, listed here
from the code that reads them. The other sheets (tickets, projects, staff, issues, audits)
are small and read whole. tests/test_kpi_fields.py checks that the output is the same as
with every column read, and that dropping any of these columns changes some figure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from followup_cli.policy.rules import Policy

KPI_FIELDS: dict[str, frozenset[str]] = {
    "customers": frozenset(
        {
            "id",
            "store",  # every fact's store (facts.KpiContext.store)
            "owner",  # an issue's or ticket's staff when no visit names one (KpiContext.owner)
            "tier",  # VIP spend (value.py)
            "archived_on",  # the dormancy anchor of a customer who never bought (value.py)
        }
    ),
    # spend, dormancy and win-backs (value.py)
    "purchases": frozenset({"customer_id", "date", "amount"}),
    "visits": frozenset(
        {
            "customer_id",
            "date",
            "kind",
            "outcome",
            "staff",
            "satisfaction",
            "score",
            "recommend",
            # issues raised on a call (facts.issue_facts) and what customers said (value.suggestions)
            "visit_id",
            "task_id",
            "issue",
            "issue_category",
            "resolved",
            "resolved_on",
            "notes",
        }
    ),
}


def kpi_fields(policy: Policy) -> dict[str, set[str]]:
    """{role: the columns `kpi` parses}: scheduling's under this policy and the KPIs' own."""
    from followup_cli.schedule.context import needed_fields

    need = needed_fields(policy)
    for role, names in KPI_FIELDS.items():
        need[role] = need.get(role, set()) | names
    return need
