"""`followup kpi`: the period's KPIs, each with its numerator and denominator; `-o report.xlsx`
writes the report workbook with charts."""

from __future__ import annotations

import click

from followup_cli.cli.options import (
    DATE,
    archive_options,
    check_output,
    handle_errors,
    load,
    message_lang,
    note,
    output_options,
    usage_error,
)

DIMENSIONS = ["staff", "store", "kind", "week", "month", "quarter"]


def resolve_period(period, date_from, date_to, lang=None):
    """The Period from --period or --from/--to (exactly one of the two ways)."""
    from followup_cli.kpi import parse_period, period_between

    if period and (date_from or date_to):
        raise usage_error("--period 与 --from/--to 只能二选一", "give either --period or --from/--to, not both", lang)
    if period:
        return parse_period(period)
    if date_from and date_to:
        return period_between(date_from, date_to)
    if date_from or date_to:
        raise usage_error("--from 和 --to 要一起给出", "--from and --to go together: give both dates", lang)
    raise usage_error(
        "哪个时期？请给出 --period 2026-W47（ISO 周）、2026-11（月）、2026-Q4（季度）或 2026（年），"
        "或 --from YYYY-MM-DD --to YYYY-MM-DD",
        "which period? give --period 2026-W47 (an ISO week), 2026-11 (a month), 2026-Q4 (a quarter) "
        "or 2026 (a year), or --from YYYY-MM-DD --to YYYY-MM-DD",
        lang,
    )


def period_options(f):
    decorators = [
        click.option(
            "--period",
            default=None,
            metavar="P",
            help="An ISO week (2026-W47, Monday to Sunday), a month (2026-11), a quarter (2026-Q4) or a year (2026).",
        ),
        click.option("--from", "date_from", type=DATE, default=None, help="First day of a custom period."),
        click.option("--to", "date_to", type=DATE, default=None, help="Last day of a custom period."),
        click.option(
            "--as-of",
            type=DATE,
            default=None,
            help="The report day (default today): nothing after it is seen; the period is cut off there.",
        ),
    ]
    for d in reversed(decorators):
        f = d(f)
    return f


def loaded(archives, config_path, preset, lang, date_order, quiet):
    return load(archives, config_path, preset, lang, date_order, customers="required", quiet=quiet)


@click.command("kpi")
@archive_options
@output_options
@period_options
@click.option(
    "--by",
    "by",
    type=click.Choice(DIMENSIONS),
    default=None,
    help="Also break the KPIs down by staff (ranked, with bonus bands), store, kind, week, month or quarter.",
)
@click.option(
    "--season/--no-season",
    default=None,
    help="Add the seasonal feedback summary (default: when the period is March, May, September or December).",
)
@click.option("--explain", is_flag=True, help="Add each KPI's definition to the table.")
@handle_errors
def kpi(
    archives,
    config_path,
    preset,
    lang,
    date_order,
    quiet,
    verbose,
    fmt,
    output,
    period,
    date_from,
    date_to,
    as_of,
    by,
    season,
    explain,
):
    """The KPIs of a period, each with the numerator and denominator it came from.

    Completion (tasks whose due date falls in the period), satisfaction of reached visits,
    average score, would-recommend, issue resolution and median days, record accuracy from
    spot checks (`followup audit`), tickets followed up within 72 h, major complaints
    escalated within 24 h, project visits, and customer value (VIP spend and spend per
    customer year on year, dormant and won-back customers, the top 20%'s share). In March,
    May, September and December the seasonal feedback summary is added.

    `-o report.xlsx` writes a report workbook instead: summary, staff ranking, monthly
    trend, issues, with native charts. It holds no phone numbers.
    """
    import datetime as dt

    from followup_cli.cli.progress import Progress
    from followup_cli.kpi import compute_kpis, settings_from_config, trend_period
    from followup_cli.policy.setup import policy_setup
    from followup_cli.text.kpi import report_written
    from followup_cli.text.messages import msg

    fmt = check_output(fmt, output)
    per = resolve_period(period, date_from, date_to, lang)
    report_day = as_of or dt.date.today()
    progress = Progress(message_lang(lang), quiet)
    with progress.step("read"):
        config, archive = loaded(archives, config_path, preset, lang, date_order, quiet)
    settings = settings_from_config(config.raw, str(config.path) if config.path else "followup.toml")
    setup = policy_setup(config)
    policy, workcal, bpolicy = setup.policy, setup.workcal, setup.birthday_policy
    dims = [by] if by else []
    trend_p = trend_period(per) if fmt == "xlsx" else None
    if fmt == "xlsx":
        dims += [d for d in ("staff",) if d not in dims]
        if trend_p == per and "month" not in dims:
            dims.append("month")
    with progress.step("kpi"):
        result = compute_kpis(
            archive,
            policy,
            per,
            report_day,
            workcal=workcal,
            birthday_policy=bpolicy,
            by=dims,
            settings=settings,
            season=season,
        )
    out_lang = archive.lang
    for zh, en in result.notes:
        note(msg("注意：" + zh, "note: " + en).text(out_lang), quiet)
    _status_note(result, out_lang, quiet)
    if fmt == "xlsx":
        from followup_cli.outputs.report import trend_rows, write_report

        if trend_p == per:
            groups = result.groups["month"]
        else:
            groups = compute_kpis(
                archive,
                policy,
                trend_p,
                report_day,
                workcal=workcal,
                birthday_policy=bpolicy,
                by=("month",),
                settings=settings,
                season=False,
            ).groups["month"]
        write_report(
            result, output, out_lang, result.settings, trend_rows(groups, trend_p.months), shop=config.shop_name
        )
        note(report_written(output).text(out_lang), quiet)
        return
    _emit(result, out_lang, settings, fmt, output, by, explain)


def _status_note(result, lang, quiet):
    from followup_cli.text.kpi import status_note

    note(status_note(result.period.label, result.task_counts, result.cutoff).text(lang), quiet)


def _emit(result, lang, settings, fmt, output, by, explain):
    from followup_cli.kpi import (
        DIMENSION_LABELS,
        KPIS,
        SECTIONS,
        SHORT_LABELS,
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
    from followup_cli.outputs.rows import emit_rows
    from followup_cli.policy.vocabulary import KINDS
    from followup_cli.text import kpi as words

    settings = result.settings or settings
    if fmt in ("json", "csv"):
        emit_rows(
            long_rows(result, lang, settings),
            fmt,
            [(k, pick(v, lang)) for k, v in words.LONG_HEADS.items()],
            path=output,
        )
        return
    out = click.open_file(output, "w", encoding="utf-8") if output and output != "-" else None
    try:

        def title(text):
            click.echo(text, file=out)

        p = result.period
        title(words.period_title(p.label, p.start, p.end, result.cutoff).text(lang))
        if result.report_due:
            title(words.report_due(result.report_due).text(lang))
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
        cols = [(k, pick(v, lang)) for k, v in words.KPI_COLUMNS.items()]
        if result.targets:
            cols += [(k, pick(v, lang)) for k, v in TARGET_HEADS.items()]
        if explain:
            cols.append(("definition", pick(words.DEFINITION_HEAD, lang)))
        emit_rows(rows, "table", cols, stream=out)
        if by:
            title("")
            title(pick(words.BY_TITLES[by], lang))
            groups = result.groups[by]
            if by == "staff":
                ranked = {r["staff"]: r for r in result.ranking}
                order = [(r["staff"], r["measures"]) for r in result.ranking] + [(k, m) for k, m in groups if k is None]
            else:
                ranked, order = {}, groups
            grows = []
            for key, measures in order:
                row = {"group": group_label(by, key, lang)}
                if by == "staff":
                    r = ranked.get(key)
                    row["rank"] = r["rank"] if r else ""
                    row["band"] = pick((r["band_zh"], r["band_en"]), lang) if r else ""
                for k in result.group_kpis:
                    row[k] = format_measure(measures[k])
                grows.append(row)
            gcols = (
                ([("rank", pick(words.RANK_HEAD, lang))] if by == "staff" else [])
                + [("group", pick(DIMENSION_LABELS[by], lang))]
                + [(k, pick(SHORT_LABELS[k], lang)) for k in result.group_kpis]
                + ([("band", pick(words.BAND_HEAD, lang))] if by == "staff" else [])
            )
            emit_rows(grows, "table", gcols, stream=out)
        if result.left_out:
            title("")
            title(pick(words.LEFT_OUT_TITLE, lang))
            lrows = [
                {"what": pick(STATUS_LABELS[k], lang), "n": n}
                for k, n in result.task_counts.items()
                if k.startswith("left_out_") and n
            ]
            emit_rows(
                lrows,
                "table",
                [(k, pick(v, lang)) for k, v in words.LEFT_OUT_COLUMNS.items()],
                stream=out,
            )
        if result.complaints:
            title("")
            title(pick(words.COMPLAINTS_TITLE, lang))
            crows = []
            for dim, counts in result.complaints.items():
                for i, (key, n) in enumerate(counts.items()):
                    crows.append(
                        {
                            "dim": pick(COMPLAINT_DIMENSIONS[dim], lang) if i == 0 else "",
                            "what": complaint_label(dim, key, lang, settings),
                            "n": n,
                        }
                    )
            emit_rows(
                crows,
                "table",
                [(k, pick(v, lang)) for k, v in words.COMPLAINT_COLUMNS.items()],
                stream=out,
            )
        if result.season:
            title("")
            title(pick(words.SEASON_TITLE, lang))
            total = sum(result.issue_counts.values())
            if not total:
                title(pick(words.NO_ISSUES, lang))
            crow = [
                {"cat": category_label(c, lang), "n": n, "share": f"{100.0 * n / total:.1f}%"}
                for c, n in result.issue_counts.items()
            ]
            if crow:
                emit_rows(
                    crow,
                    "table",
                    [(k, pick(v, lang)) for k, v in words.ISSUE_COLUMNS.items()],
                    stream=out,
                )
            title("")
            title(pick(words.SUGGESTIONS_TITLE, lang))
            srows = [
                {
                    "date": s["date"],
                    "customer_id": s["customer_id"],
                    "kind": KINDS.label(s["kind"], lang) if s["kind"] else "",
                    "category": category_label(s["category"], lang) if s["category"] else "",
                    "text": s["text"],
                }
                for s in result.suggestions
            ]
            emit_rows(
                srows,
                "table",
                [(k, pick(v, lang)) for k, v in words.SUGGESTION_COLUMNS.items()],
                stream=out,
            )
    finally:
        if out is not None:
            out.close()
