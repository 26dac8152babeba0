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
        note(("注意：" + zh) if out_lang == "zh" else ("note: " + en), quiet)
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
        note((f"已写入报告 {output}" if out_lang == "zh" else f"wrote the report to {output}"), quiet)
        return
    _emit(result, out_lang, settings, fmt, output, by, explain)


def _status_note(result, lang, quiet):
    c = result.task_counts
    due = c["done"] + c["open"] + c["missed"] + c["unreachable"]
    if lang == "zh":
        text = (
            f"{result.period.label}：到期任务 {due} 项 = 已完成 {c['done']}（其中期末后完成 {c['done_after_period']}）"
            f" + 未完成 {c['open']} + 已过期未访 {c['missed']} + 多次未接通 {c['unreachable']}"
        )
        if c["upcoming"]:
            text += f"；另有 {c['upcoming']} 项在 {result.cutoff} 之后到期，不计入"
        left = c["left_out_cap"] + c["left_out_gap"] + c["left_out_do_not_contact"]
        if left:
            text += (
                f"；按政策未列出 {left} 项（年度上限 {c['left_out_cap']}，间隔 {c['left_out_gap']}，"
                f"拒绝回访 {c['left_out_do_not_contact']}），不计入"
            )
    else:
        text = (
            f"{result.period.label}: {due} task(s) due = {c['done']} done ({c['done_after_period']} of them after "
            f"the period) + {c['open']} open + {c['missed']} missed + {c['unreachable']} unreachable"
        )
        if c["upcoming"]:
            text += f"; {c['upcoming']} more come due after {result.cutoff} and are not counted"
        left = c["left_out_cap"] + c["left_out_gap"] + c["left_out_do_not_contact"]
        if left:
            text += (
                f"; {left} left out by policy ({c['left_out_cap']} yearly cap, {c['left_out_gap']} gap, "
                f"{c['left_out_do_not_contact']} do not contact), not counted"
            )
    note(text, quiet)


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

    zh = lang == "zh"
    settings = result.settings or settings
    if fmt in ("json", "csv"):
        heads = {
            "section": ("类别", "section"),
            "group_by": ("分组方式", "group_by"),
            "group": ("分组", "group"),
            "kpi": ("指标编号", "kpi"),
            "label": ("指标", "label"),
            "value": ("数值", "value"),
            "numerator": ("分子", "numerator"),
            "denominator": ("分母", "denominator"),
            "unit": ("单位", "unit"),
            "target": ("目标", "target"),
            "met": ("达标", "met"),
        }
        emit_rows(long_rows(result, lang, settings), fmt, [(k, pick(v, lang)) for k, v in heads.items()], path=output)
        return
    out = click.open_file(output, "w", encoding="utf-8") if output and output != "-" else None
    try:

        def title(text):
            click.echo(text, file=out)

        p = result.period
        title(
            (f"{p.label}（{p.start} 至 {p.end}" if zh else f"{p.label} ({p.start} to {p.end}")
            + (
                (f"，数据截至 {result.cutoff}）" if zh else f", data up to {result.cutoff})")
                if result.cutoff < p.end
                else ("）" if zh else ")")
            )
        )
        if result.report_due:
            due = result.report_due
            title(
                f"周报截止 {due:%Y-%m-%d %H:%M}（周{'一二三四五六日'[due.weekday()]}）"
                if zh
                else f"weekly report due {due:%Y-%m-%d %H:%M} ({due:%A})"
            )
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
        cols = [
            ("section", pick(("类别", "Section"), lang)),
            ("label", pick(("指标", "KPI"), lang)),
            ("value", pick(("数值", "Value"), lang)),
            ("numerator", pick(("分子", "Numerator"), lang)),
            ("denominator", pick(("分母", "Denominator"), lang)),
        ]
        if result.targets:
            cols += [(k, pick(v, lang)) for k, v in TARGET_HEADS.items()]
        if explain:
            cols.append(("definition", pick(("口径", "Definition"), lang)))
        emit_rows(rows, "table", cols, stream=out)
        if by:
            title("")
            names = {
                "staff": ("按员工（按满意度排名）", "By staff (ranked by satisfaction)"),
                "store": ("按门店", "By store"),
                "kind": ("按回访类型", "By kind"),
                "month": ("按月", "By month"),
                "quarter": ("按季度", "By quarter"),
            }
            title(pick(names[by], lang))
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
                    row["band"] = (r["band_zh"] if zh else r["band_en"]) if r else ""
                for k in result.group_kpis:
                    row[k] = format_measure(measures[k])
                grows.append(row)
            gcols = (
                ([("rank", pick(("排名", "Rank"), lang))] if by == "staff" else [])
                + [("group", pick(DIMENSION_LABELS[by], lang))]
                + [(k, pick(SHORT_LABELS[k], lang)) for k in result.group_kpis]
                + ([("band", pick(("奖金档", "Bonus band"), lang))] if by == "staff" else [])
            )
            emit_rows(grows, "table", gcols, stream=out)
        if result.left_out:
            title("")
            title(pick(("按政策未列出的任务（不计入完成率）", "Left out by policy (not counted as due)"), lang))
            lrows = [
                {"what": pick(STATUS_LABELS[k], lang), "n": n}
                for k, n in result.task_counts.items()
                if k.startswith("left_out_") and n
            ]
            emit_rows(
                lrows,
                "table",
                [("what", pick(("原因", "Reason"), lang)), ("n", pick(("任务数", "Tasks"), lang))],
                stream=out,
            )
        if result.complaints:
            title("")
            title(pick(("投诉与工单汇总（本期受理）", "Complaints and tickets opened in the period"), lang))
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
                [
                    ("dim", pick(("分类", "By"), lang)),
                    ("what", pick(("项目", "Item"), lang)),
                    ("n", pick(("工单数", "Tickets"), lang)),
                ],
                stream=out,
            )
        if result.season:
            title("")
            title(pick(("季节反馈：问题类别", "Seasonal feedback: issues by category"), lang))
            total = sum(result.issue_counts.values())
            if not total:
                title(pick(("（本期没有记录问题）", "(no issues recorded in the period)"), lang))
            crow = [
                {"cat": category_label(c, lang), "n": n, "share": f"{100.0 * n / total:.1f}%"}
                for c, n in result.issue_counts.items()
            ]
            if crow:
                emit_rows(
                    crow,
                    "table",
                    [
                        ("cat", pick(("问题类别", "Category"), lang)),
                        ("n", pick(("问题数", "Issues"), lang)),
                        ("share", pick(("占比", "Share"), lang)),
                    ],
                    stream=out,
                )
            title("")
            title(pick(("客户意见与建议", "What customers said"), lang))
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
                [
                    ("date", pick(("日期", "Date"), lang)),
                    ("customer_id", pick(("客户编号", "Customer ID"), lang)),
                    ("kind", pick(("回访类型", "Kind"), lang)),
                    ("category", pick(("问题类别", "Category"), lang)),
                    ("text", pick(("内容", "Text"), lang)),
                ],
                stream=out,
            )
    finally:
        if out is not None:
            out.close()
