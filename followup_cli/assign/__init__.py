"""Who owns which customer: filling empty owners, handing over a departing clerk's customers,
rebalancing load, and the load report (docs/assign.md). team: the staff as assignment sees them;
plan: the plans; report: the load report and printed rows."""

from followup_cli.assign.plan import Move, Plan, check_store, plan_assign, plan_handover, plan_rebalance
from followup_cli.assign.report import LoadLine, columns, load_report, load_table, plan_rows, report_rows
from followup_cli.assign.team import DEFAULT_OWNER_ROLES, Team, owner_roles
from followup_cli.text.assign import LOAD_COLUMNS, PLAN_COLUMNS, REPORT_COLUMNS, message

__all__ = [
    "DEFAULT_OWNER_ROLES",
    "LOAD_COLUMNS",
    "PLAN_COLUMNS",
    "REPORT_COLUMNS",
    "LoadLine",
    "Move",
    "Plan",
    "Team",
    "check_store",
    "columns",
    "load_report",
    "load_table",
    "message",
    "owner_roles",
    "plan_assign",
    "plan_handover",
    "plan_rebalance",
    "plan_rows",
    "report_rows",
]
