"""The KPIs a supervisor is judged by (docs/kpi.md): what other packages import from here."""

from followup_cli.kpi.compute import KpiResult, compute_kpis, rank_staff
from followup_cli.kpi.facts import empty_measures
from followup_cli.kpi.measures import (
    GROUP_KPIS,
    KPIS,
    SECTIONS,
    Measure,
    growth,
    kpi_definition,
    kpi_label,
    mean,
    rate,
)
from followup_cli.kpi.period import Period, month_key, parse_period, period_between, quarter_key, trend_period
from followup_cli.kpi.settings import DEFAULT_BANDS, Band, KpiSettings, band_for, settings_from_config
from followup_cli.kpi.tables import (
    DIMENSION_LABELS,
    NO_DATA,
    SHORT_LABELS,
    STATUS_LABELS,
    UNASSIGNED,
    UNCATEGORISED,
    category_label,
    format_measure,
    format_number,
    format_value,
    group_label,
    long_rows,
    pick,
)
from followup_cli.kpi.tickets import ticket_type

__all__ = [
    "DEFAULT_BANDS",
    "DIMENSION_LABELS",
    "GROUP_KPIS",
    "KPIS",
    "NO_DATA",
    "SECTIONS",
    "SHORT_LABELS",
    "STATUS_LABELS",
    "UNASSIGNED",
    "UNCATEGORISED",
    "Band",
    "KpiResult",
    "KpiSettings",
    "Measure",
    "Period",
    "band_for",
    "category_label",
    "compute_kpis",
    "empty_measures",
    "format_measure",
    "format_number",
    "format_value",
    "group_label",
    "growth",
    "kpi_definition",
    "kpi_label",
    "long_rows",
    "mean",
    "month_key",
    "parse_period",
    "period_between",
    "pick",
    "quarter_key",
    "rank_staff",
    "rate",
    "settings_from_config",
    "ticket_type",
    "trend_period",
]
