"""The KPI report workbook: what a manager opens instead of reading a table.

Sheets (named in the workbook's language): a summary (every KPI with its numerator,
denominator and definition, the task statuses, and a chart of the satisfaction
distribution), the staff ranking with bonus bands and a chart of completion by staff, the
monthly trend with a line chart, the issues raised in the period, and, in a seasonal
feedback month, the issue counts by category and the customers' own suggestions.

Charts are native Excel charts (openpyxl.chart), so they stay live in Excel, WPS and
LibreOffice. Reports leave the shop: no phone number is ever written here, and customers
appear by their id only. The tool creates this workbook itself, so openpyxl writes it.

This module writes the summary, the trend and the breakdown sheets; the staff ranking is
outputs/report_staff.py, the complaints, issues and seasonal sheets outputs/report_feedback.py,
the cell formats they share outputs/report_cells.py.
"""

from __future__ import annotations

from pathlib import Path

from followup_cli.kpi import (
    DIMENSION_LABELS,
    KPIS,
    SECTIONS,
    STATUS_LABELS,
    KpiResult,
    KpiSettings,
    Measure,
    empty_measures,
    group_label,
    kpi_definition,
    kpi_label,
)
from followup_cli.kpi.tables import format_target, met_label
from followup_cli.outputs.report_cells import (
    PCT,
    _axes,
    _bold_row,
    _display_width,
    _put_measure,
    _t,
    _widths,
    measure_value,
)
from followup_cli.outputs.report_feedback import complaints_sheet, issues_sheet, season_sheet
from followup_cli.outputs.report_staff import ranking_sheet
from followup_cli.policy.vocabulary import SATISFACTION
from followup_cli.text import report as words
from followup_cli.text.messages import pick

BREAKDOWN_SHEETS = {
    "store": ("按门店", "By store"),
    "kind": ("按回访类型", "By kind"),
    "week": ("按周", "By week"),
    "quarter": ("按季度", "By quarter"),
}
SHEETS = {
    "summary": ("汇总", "Summary"),
    "ranking": ("员工排名", "Staff ranking"),
    "trend": ("月度趋势", "Monthly trend"),
    "issues": ("问题清单", "Issues"),
    "season": ("季节反馈", "Seasonal feedback"),
    "complaints": ("投诉汇总", "Complaints"),
}
MONEY_KPIS = ("vip_spend", "spend_per_customer", "top_share")


def write_report(
    result: KpiResult,
    path: str | Path,
    lang: str,
    settings: KpiSettings | None = None,
    trend: list[tuple[str, dict[str, Measure]]] | None = None,
    shop: str = "",
) -> Path:
    """Write the report workbook to `path` (created or replaced); returns the path."""
    from openpyxl import Workbook

    from followup_cli.xlsx.builder import save_atomically
    from followup_cli.xlsx.safety import neutralise_formulas

    wb = Workbook()
    ws = wb.active
    ws.title = _t(SHEETS["summary"], lang)
    _summary(ws, result, lang, settings, shop)
    ranking_sheet(wb.create_sheet(_t(SHEETS["ranking"], lang)), result, lang)
    _trend(wb.create_sheet(_t(SHEETS["trend"], lang)), trend or [], lang)
    issues_sheet(wb.create_sheet(_t(SHEETS["issues"], lang)), result, lang)
    if result.complaints:
        complaints_sheet(wb.create_sheet(_t(SHEETS["complaints"], lang)), result, lang, settings)
    for dim, groups in result.groups.items():
        if dim in ("staff", "month"):
            continue  # the ranking and the trend sheets show these
        _breakdown(wb.create_sheet(_t(BREAKDOWN_SHEETS[dim], lang)), dim, groups, lang)
    if result.season:
        season_sheet(wb.create_sheet(_t(SHEETS["season"], lang)), result, lang)
    from followup_cli.outputs.paper import PAPERS, default_paper

    paper = PAPERS[default_paper(lang)]  # A4, or Letter where the locale says so (as the call sheet)
    for sheet in wb.worksheets:
        neutralise_formulas(sheet)
        sheet.page_setup.paperSize = paper
        sheet.page_setup.orientation = "landscape"
        sheet.print_options.horizontalCentered = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    from followup_cli.outputs.files import explain_os_error

    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        save_atomically(path, wb.save)  # the builder's save: never a half-written report under the real name
    except OSError as exc:  # a full disk, no permission...: one message naming the path, exit 2
        raise explain_os_error(path, exc) from None
    return path


# ---- helpers ------------------------------------------------------------------------------------


def _summary(ws, result: KpiResult, lang: str, settings, shop: str) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font

    p = result.period
    title = (f"{shop} " if shop else "") + words.report_title(p.label).text(lang)
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    period = words.period_line(p.start, p.end, result.cutoff, result.report_day, result.issue_source == "sheet")
    ws["A2"] = period.text(lang)
    if result.report_due:
        due = result.report_due
        ws["A3"] = words.report_due(due).text(lang)
    headers = [
        _t(("类别", "Section"), lang),
        _t(("指标", "KPI"), lang),
        _t(("数值", "Value"), lang),
        _t(("分子", "Numerator"), lang),
        _t(("分母", "Denominator"), lang),
        _t(("目标", "Target"), lang),
        _t(("达标", "Met"), lang),
        _t(("口径", "Definition"), lang),
    ]
    r = 4
    for j, h in enumerate(headers, start=1):
        ws.cell(row=r, column=j, value=h)
    _bold_row(ws, r, len(headers))
    last_section = None
    for kpi, m in result.measures.items():
        r += 1
        section = KPIS[kpi]["section"]
        if section != last_section:
            ws.cell(row=r, column=1, value=_t(SECTIONS[section], lang)).font = Font(bold=True)
            last_section = section
        ws.cell(row=r, column=2, value=kpi_label(kpi, lang, settings))
        _put_measure(ws, r, 3, m, kpi in MONEY_KPIS)
        target, met = format_target(kpi, result)
        ws.cell(row=r, column=6, value=target or None).alignment = Alignment(horizontal="center")
        ws.cell(row=r, column=7, value=met_label(met, lang) if target else None).alignment = Alignment(
            horizontal="center"
        )
        if met is False:
            ws.cell(row=r, column=7).font = Font(bold=True, color="C00000")
        definition = kpi_definition(kpi, lang, settings)
        ws.cell(row=r, column=8, value=definition).alignment = Alignment(wrap_text=True, vertical="top")
        lines = -(-_display_width(definition) // 68)  # the column is 70 wide: give a long definition its lines
        if lines > 1:
            ws.row_dimensions[r].height = 15 * lines
    r += 2
    status_top = r
    ws.cell(row=r, column=1, value=_t(("任务状态", "Task status"), lang))
    ws.cell(row=r, column=3, value=_t(("任务数", "Tasks"), lang))
    _bold_row(ws, r, 3)
    for status, n in result.task_counts.items():
        r += 1
        ws.cell(row=r, column=1, value=_t(STATUS_LABELS[status], lang))
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)  # long labels: two columns wide
        ws.cell(row=r, column=3, value=n)
    _widths(ws, [18, 44, 11, 14, 16, 9, 8, 62])
    # Satisfaction distribution (customers by their last answer): its table under the task
    # statuses and the chart beside both, so the page is only as wide as the KPI table and
    # prints at a readable size.
    top = r + 2
    ws.cell(row=top, column=1, value=_t(("满意度", "Satisfaction"), lang))
    ws.cell(row=top, column=3, value=_t(("客户数", "Customers"), lang))
    _bold_row(ws, top, 3)
    for i, (level, n) in enumerate(result.satisfaction_counts.items(), start=1):
        ws.cell(row=top + i, column=1, value=SATISFACTION.label(level, lang))
        ws.cell(row=top + i, column=3, value=n)
    n_levels = len(result.satisfaction_counts)
    chart = BarChart()
    chart.type = "col"
    chart.title = _t(("满意度分布", "Satisfaction distribution"), lang)
    chart.y_axis.title = _t(("回访到的客户", "Customers visited"), lang)
    chart.x_axis.title = _t(("满意度（最后一次评价）", "Satisfaction (last answer)"), lang)
    chart.legend = None
    chart.add_data(Reference(ws, min_col=3, min_row=top, max_row=top + n_levels), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=top + n_levels))
    chart.height, chart.width = 7.5, 13
    _axes(chart, count_axis=max(result.satisfaction_counts.values(), default=0) <= 10)
    ws.add_chart(chart, f"E{status_top}")
    ws.freeze_panes = "A5"


TREND_COLUMNS = [
    ("month", "月份", "Month", 10),
    ("completion_tasks", "完成率(任务)", "Done (tasks)", 12),
    ("satisfaction", "满意度", "Satisfaction", 11),
    ("resolution", "解决率", "Resolution", 10),
    ("accuracy", "准确率", "Accuracy", 10),
    ("completion_tasks.d", "应访任务", "Tasks due", 10),
    ("satisfaction.d", "回访客户", "Customers visited", 10),
]


def _trend(ws, trend: list, lang: str) -> None:
    from openpyxl.chart import LineChart, Reference

    ws.append([pick((zh, en), lang) for _, zh, en, _ in TREND_COLUMNS])
    _bold_row(ws, 1, len(TREND_COLUMNS))
    for month, measures in trend:
        ws.append([month] + [measure_value(k, measures) for k, *_ in TREND_COLUMNS[1:]])
    n = len(trend)
    for row in ws.iter_rows(min_row=2, max_row=n + 1, min_col=2, max_col=5):
        for c in row:
            c.number_format = PCT
    _widths(ws, [w for *_, w in TREND_COLUMNS])
    ws.freeze_panes = "B2"
    if not n:
        return
    chart = LineChart()
    chart.title = _t(("月度趋势", "Monthly trend"), lang)
    chart.y_axis.title = _t(("比率", "Rate"), lang)
    chart.x_axis.title = _t(("月份", "Month"), lang)
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.add_data(Reference(ws, min_col=2, max_col=4, min_row=1, max_row=n + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=n + 1))
    chart.height, chart.width = 8, 18
    _axes(chart)
    ws.add_chart(chart, f"A{n + 4}")


BREAKDOWN_COLUMNS = [
    ("completion_tasks.d", "应访任务", "Tasks due", 9),
    ("completion_tasks", "完成率(任务)", "Done (tasks)", 11),
    ("completion_customers", "完成率(客户)", "Done (customers)", 11),
    ("satisfaction.d", "有评价回访", "Rated visits", 9),
    ("satisfaction", "满意度", "Satisfaction", 10),
    ("avg_score", "平均评分", "Avg score", 9),
    ("resolution.d", "提出问题", "Issues", 8),
    ("resolution", "解决率", "Resolution", 9),
    ("accuracy", "准确率", "Accuracy", 9),
    ("ticket_followup", "72h回访率", "72 h follow-up", 10),
    ("escalation", "24h上报率", "24 h escalation", 10),
]


def _breakdown(ws, dim: str, groups, lang: str) -> None:
    """The KPIs of each store, kind or quarter, one row each."""
    head = DIMENSION_LABELS[dim]
    ws.append([_t(head, lang)] + [pick((zh, en), lang) for _, zh, en, _ in BREAKDOWN_COLUMNS])
    _bold_row(ws, 1, len(BREAKDOWN_COLUMNS) + 1)
    for key, measures in groups:
        ws.append([group_label(dim, key, lang)] + [measure_value(k, measures) for k, *_ in BREAKDOWN_COLUMNS])
    for j, (key, *_rest) in enumerate(BREAKDOWN_COLUMNS, start=2):
        if "." not in key:
            for row in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                row[0].number_format = "0.00" if key == "avg_score" else PCT
    _widths(ws, [16] + [w for *_, w in BREAKDOWN_COLUMNS])
    ws.freeze_panes = "B2"


def trend_rows(groups: list[tuple[str, dict]], months: list[str]) -> list[tuple[str, dict[str, Measure]]]:
    """The months of the trend from the first with data (a task due, a visit, an issue, a check
    or a ticket): months before the shop used the tool are not 0%. A later month without data
    keeps its place, with empty measures."""
    found = dict(groups)
    empty = empty_measures()
    first = next((i for i, m in enumerate(months) if m in found), len(months))
    return [(m, found.get(m, empty)) for m in months[first:]]
