"""The KPI result as the tables `followup kpi` shows: titled tables for the screen, one long
table for json and csv.

`screen_tables` gives, in order, the lines and tables of the screen: the period's title, the
KPI table (with targets and definitions when asked), the group table of `--by` (ranked, with
bonus bands, for staff), the tasks left out, the complaints, and in a seasonal feedback month
the issue counts and what customers said. `long_table` is every measure as one row for
programs. Both give rows and columns for outputs.rows.emit_rows; they print nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from followup_cli.kpi import (
    DIMENSION_LABELS,
    KPIS,
    SECTIONS,
    SHORT_LABELS,
    KpiResult,
    KpiSettings,
    category_label,
    format_measure,
    format_number,
    format_value,
    group_label,
    kpi_definition,
    kpi_label,
    long_rows,
    pick,
)
from followup_cli.kpi.tables import (
    COMPLAINT_DIMENSIONS,
    STATUS_LABELS,
    TARGET_HEADS,
    complaint_label,
    format_target,
    met_label,
)
from followup_cli.policy.vocabulary import KINDS
from followup_cli.text import kpi as words


@dataclass
class Table:
    """Rows and their (key, header) columns, for emit_rows."""

    rows: list[dict]
    columns: list[tuple[str, str]]


def _columns(heads: dict, lang: str) -> list[tuple[str, str]]:
    return [(k, pick(v, lang)) for k, v in heads.items()]


def long_table(result: KpiResult, lang: str, settings: KpiSettings | None) -> Table:
    """Every measure as one row (json, csv)."""
    return Table(long_rows(result, lang, result.settings or settings), _columns(words.LONG_HEADS, lang))


def screen_tables(
    result: KpiResult, lang: str, settings: KpiSettings | None, by: str | None, explain: bool
) -> list[str | Table]:
    """The screen's lines (str) and tables, in the order they are shown."""
    settings = result.settings or settings
    p = result.period
    out: list[str | Table] = [words.period_title(p.label, p.start, p.end, result.cutoff).text(lang)]
    if result.report_due:
        out.append(words.report_due(result.report_due).text(lang))
    out.append(_kpi_table(result, lang, settings, explain))
    if by:
        out += ["", pick(words.BY_TITLES[by], lang), _group_table(result, lang, by)]
    if result.left_out:
        rows = [
            {"what": pick(STATUS_LABELS[k], lang), "n": n}
            for k, n in result.task_counts.items()
            if k.startswith("left_out_") and n
        ]
        out += ["", pick(words.LEFT_OUT_TITLE, lang), Table(rows, _columns(words.LEFT_OUT_COLUMNS, lang))]
    if result.complaints:
        rows = [
            {
                "dim": pick(COMPLAINT_DIMENSIONS[dim], lang) if i == 0 else "",
                "what": complaint_label(dim, key, lang, settings),
                "n": n,
            }
            for dim, counts in result.complaints.items()
            for i, (key, n) in enumerate(counts.items())
        ]
        out += ["", pick(words.COMPLAINTS_TITLE, lang), Table(rows, _columns(words.COMPLAINT_COLUMNS, lang))]
    if result.season:
        out += _season(result, lang)
    return out


def _kpi_table(result: KpiResult, lang: str, settings: KpiSettings | None, explain: bool) -> Table:
    rows, last = [], None
    for kpi_id, m in result.measures.items():
        section = KPIS[kpi_id]["section"]
        target, met = format_target(kpi_id, result)
        rows.append(
            {
                "section": pick(SECTIONS[section], lang) if section != last else "",
                "label": kpi_label(kpi_id, lang, settings),
                "value": format_value(m),
                "numerator": format_number(m.numerator),
                "denominator": format_number(m.denominator),
                "target": target,
                "met": met_label(met, lang) if target else "",
                "definition": kpi_definition(kpi_id, lang, settings),
            }
        )
        last = section
    cols = _columns(words.KPI_COLUMNS, lang)
    if result.targets:
        cols += _columns(TARGET_HEADS, lang)
    if explain:
        cols.append(("definition", pick(words.DEFINITION_HEAD, lang)))
    return Table(rows, cols)


def _group_table(result: KpiResult, lang: str, by: str) -> Table:
    """One row per group of `--by`; for staff, in rank order with the unassigned work last."""
    groups = result.groups[by]
    if by == "staff":
        ranked = {r["staff"]: r for r in result.ranking}
        order = [(r["staff"], r["measures"]) for r in result.ranking] + [(k, m) for k, m in groups if k is None]
    else:
        ranked, order = {}, groups
    rows = []
    for key, measures in order:
        row = {"group": group_label(by, key, lang)}
        if by == "staff":
            r = ranked.get(key)
            row["rank"] = r["rank"] if r else ""
            row["band"] = pick((r["band_zh"], r["band_en"]), lang) if r else ""
        for k in result.group_kpis:
            row[k] = format_measure(measures[k])
        rows.append(row)
    cols = (
        ([("rank", pick(words.RANK_HEAD, lang))] if by == "staff" else [])
        + [("group", pick(DIMENSION_LABELS[by], lang))]
        + [(k, pick(SHORT_LABELS[k], lang)) for k in result.group_kpis]
        + ([("band", pick(words.BAND_HEAD, lang))] if by == "staff" else [])
    )
    return Table(rows, cols)


def _season(result: KpiResult, lang: str) -> list[str | Table]:
    """The seasonal feedback: issue counts by category, then what customers said."""
    out: list[str | Table] = ["", pick(words.SEASON_TITLE, lang)]
    total = sum(result.issue_counts.values())
    if not total:
        out.append(pick(words.NO_ISSUES, lang))
    counts = [
        {"cat": category_label(c, lang), "n": n, "share": f"{100.0 * n / total:.1f}%"}
        for c, n in result.issue_counts.items()
    ]
    if counts:
        out.append(Table(counts, _columns(words.ISSUE_COLUMNS, lang)))
    said = [
        {
            "date": s["date"],
            "customer_id": s["customer_id"],
            "kind": KINDS.label(s["kind"], lang) if s["kind"] else "",
            "category": category_label(s["category"], lang) if s["category"] else "",
            "text": s["text"],
        }
        for s in result.suggestions
    ]
    out += ["", pick(words.SUGGESTIONS_TITLE, lang), Table(said, _columns(words.SUGGESTION_COLUMNS, lang))]
    return out
