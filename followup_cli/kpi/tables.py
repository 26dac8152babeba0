"""Rows for output: the command and the report format these; nothing is computed here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup_cli.kpi.compute import KpiResult
from followup_cli.kpi.measures import KPIS, LOWER_IS_BETTER, Measure, kpi_label
from followup_cli.kpi.settings import KpiSettings
from followup_cli.policy.vocabulary import (
    ISSUE_CATEGORIES,
    KINDS,
    SATISFACTION,
    SEVERITIES,
    TICKET_TYPES,
)
from followup_cli.text.kpi import (
    BAND_HEAD,
    COMPLAINT_VALUES,
    MET,
    RANK_HEAD,
    STATUS_LABELS,
    UNASSIGNED,
    UNCATEGORISED,
    overdue_label,
)
from followup_cli.text.kpi import COMPLAINT_DIMENSIONS as COMPLAINT_DIMENSIONS  # for outputs/report.py
from followup_cli.text.kpi import DIMENSION_LABELS as DIMENSION_LABELS
from followup_cli.text.kpi import SHORT_LABELS as SHORT_LABELS
from followup_cli.text.kpi import TARGET_HEADS as TARGET_HEADS
from followup_cli.text.messages import pick

if TYPE_CHECKING:
    pass

# ---- rows for output (the command and the report format these; nothing is computed here) ----
# The labels are in text/kpi.py.

NO_DATA = "—"


def complaint_label(dim: str, key: str, lang: str, settings: KpiSettings | None = None) -> str:
    s = settings or KpiSettings()
    if dim == "type" and key != "other":
        return TICKET_TYPES.label(key, lang)
    if dim == "severity" and key != "unknown":
        return SEVERITIES.label(key, lang)
    if dim == "overdue":
        return overdue_label(key, s.ticket_close_hours, s.escalation_hours).text(lang)
    return pick(COMPLAINT_VALUES[(dim, key)], lang)


def format_target(kpi: str, result: KpiResult) -> tuple[str, str]:
    """(target, met) for one table row: '≥ 90%', 'met'; empty when the policy sets none."""
    found = result.targets.get(kpi)
    if found is None:
        return "", ""
    target, met = found
    unit = result.measures[kpi].unit
    sign = "≤" if kpi in LOWER_IS_BETTER else "≥"
    return f"{sign} {target:g}{'%' if unit == '%' else ''}", met


def met_label(met: bool | None, lang: str) -> str:
    return pick(MET[met], lang)


def format_number(x: float | None) -> str:
    if x is None:
        return ""
    if isinstance(x, float) and not x.is_integer():
        return f"{x:,.2f}"
    return f"{int(x):,}" if abs(x) >= 10000 else str(int(x))


def format_value(m: Measure) -> str:
    if m.value is None:
        return NO_DATA
    if m.unit == "%":
        return f"{m.value:.1f}%"
    if m.unit == "growth":
        return f"{m.value:+.1f}%"
    if m.unit == "days":
        return f"{m.value:g}"
    return f"{m.value:.2f}"


def format_measure(m: Measure) -> str:
    """'85.0% (17/20)': a value with what it came from, for one table cell."""
    if m.value is None:
        return NO_DATA
    if m.unit == "days":
        return f"{format_value(m)} (n={format_number(m.denominator)})"
    return f"{format_value(m)} ({format_number(m.numerator)}/{format_number(m.denominator)})"


def group_label(dim: str, key: object, lang: str) -> str:
    if key is None:
        return pick(UNASSIGNED, lang) if dim in ("staff", "store", "kind") else ""
    if dim == "kind":
        return KINDS.label(key, lang)
    return str(key)


def category_label(cat: str | None, lang: str) -> str:
    if cat in (None, "uncategorised"):
        return pick(UNCATEGORISED, lang)
    return ISSUE_CATEGORIES.label(cat, lang)


def long_rows(result: KpiResult, lang: str, settings: KpiSettings | None = None) -> list[dict]:
    """Every figure as one flat row (json, csv): section, group_by, group, kpi, label, value,
    numerator, denominator, unit, target, met. group_by is '' for the shop-wide figures; target
    and met are set where the policy sets a target."""
    rows = []
    settings = result.settings or settings

    def add(section, group_by, group, kpi, label, m: Measure | None = None, value=None, target=None, met=None):
        row = {
            "section": section,
            "group_by": group_by,
            "group": group,
            "kpi": kpi,
            "label": label,
            "value": m.value if m is not None else value,
            "numerator": m.numerator if m is not None else None,
            "denominator": m.denominator if m is not None else None,
            "unit": m.unit if m is not None else "",
            "target": target,
            "met": met,
        }
        rows.append(row)

    for kpi, m in result.measures.items():
        target, met = result.targets.get(kpi, (None, None))
        add(KPIS[kpi]["section"], "", "", kpi, kpi_label(kpi, lang, settings), m, target=target, met=met)
    for status, n in result.task_counts.items():
        add("completion", "status", status, "tasks", pick(STATUS_LABELS[status], lang), value=n)
    for level, n in result.satisfaction_counts.items():
        add("satisfaction", "level", level, "visits", SATISFACTION.label(level, lang), value=n)
    ranks = {r["staff"]: r for r in result.ranking}
    for dim, groups in result.groups.items():
        for key, measures in groups:
            group = key  # None: work nobody is assigned to (null in json)
            for kpi in result.group_kpis:
                add(KPIS[kpi]["section"], dim, group, kpi, kpi_label(kpi, lang, settings), measures[kpi])
            if dim == "staff" and key in ranks:
                r = ranks[key]
                add("ranking", dim, group, "rank", pick(RANK_HEAD, lang), value=r["rank"])
                add(
                    "ranking",
                    dim,
                    group,
                    "band",
                    pick(BAND_HEAD, lang),
                    value=pick((r["band_zh"], r["band_en"]), lang) or None,
                )
    for dim, counts in result.complaints.items():
        for key, n in counts.items():
            add("complaints", dim, key, "tickets", complaint_label(dim, key, lang, settings), value=n)
    for x in result.left_out:
        add(
            "left_out",
            "customer",
            x["customer_id"],
            x["reason"],
            f"{x['task_id']} {KINDS.label(x['kind'], lang)}",
            value=x["due_date"].isoformat(),
        )
    if result.season:
        for cat, n in result.issue_counts.items():
            add("season", "category", cat, "issues", category_label(cat, lang), value=n)
        for s in result.suggestions:
            rows.append(
                {
                    "section": "suggestions",
                    "group_by": "customer",
                    "group": s["customer_id"],
                    "kpi": "suggestion",
                    "label": " ".join(
                        x
                        for x in (
                            s["date"].isoformat(),
                            KINDS.label(s["kind"], lang) if s["kind"] else "",
                            category_label(s["category"], lang) if s["category"] else "",
                        )
                        if x
                    ),
                    "value": s["text"],
                    "numerator": None,
                    "denominator": None,
                    "unit": "",
                }
            )
    return rows
