"""The KPI report workbook: what a manager opens instead of reading a table.

Sheets (named in the workbook's language): a summary (every KPI with its numerator,
denominator and definition, the task statuses, and a chart of the satisfaction
distribution), the staff ranking with bonus bands and a chart of completion by staff, the
monthly trend with a line chart, the issues raised in the period, and, in a seasonal
feedback month, the issue counts by category and the customers' own suggestions.

Charts are native Excel charts (openpyxl.chart), so they stay live in Excel, WPS and
LibreOffice. Reports leave the shop: no phone number is ever written here, and customers
appear by their id only. The tool creates this workbook itself, so openpyxl writes it.
"""

from __future__ import annotations

from pathlib import Path

from followup_cli.kpi import (
    DIMENSION_LABELS,
    KPIS,
    SECTIONS,
    STATUS_LABELS,
    UNASSIGNED,
    KpiResult,
    KpiSettings,
    Measure,
    category_label,
    empty_measures,
    group_label,
    kpi_definition,
    kpi_label,
)
from followup_cli.kpi.tables import COMPLAINT_DIMENSIONS, complaint_label, format_target, met_label
from followup_cli.outputs.report_cells import (
    PCT,
    _axes,
    _bold_row,
    _display_width,
    _pct,
    _put_measure,
    _t,
    _widths,
)
from followup_cli.policy.vocabulary import KINDS, SATISFACTION

BREAKDOWN_SHEETS = {"store": ("按门店", "By store"), "kind": ("按回访类型", "By kind"),
                    "week": ("按周", "By week"), "quarter": ("按季度", "By quarter")}
SHEETS = {
    "summary": ("汇总", "Summary"),
    "ranking": ("员工排名", "Staff ranking"),
    "trend": ("月度趋势", "Monthly trend"),
    "issues": ("问题清单", "Issues"),
    "season": ("季节反馈", "Seasonal feedback"),
    "complaints": ("投诉汇总", "Complaints"),
}
MONEY_KPIS = ("vip_spend", "spend_per_customer", "top_share")


def write_report(result: KpiResult, path: str | Path, lang: str, settings: KpiSettings | None = None,
                 trend: list[tuple[str, dict[str, Measure]]] | None = None, shop: str = "") -> Path:
    """Write the report workbook to `path` (created or replaced); returns the path."""
    from openpyxl import Workbook

    from followup_cli.xlsx.builder import save_atomically
    from followup_cli.xlsx.safety import neutralise_formulas

    wb = Workbook()
    ws = wb.active
    ws.title = _t(SHEETS["summary"], lang)
    _summary(ws, result, lang, settings, shop)
    _ranking(wb.create_sheet(_t(SHEETS["ranking"], lang)), result, lang)
    _trend(wb.create_sheet(_t(SHEETS["trend"], lang)), trend or [], lang)
    _issues(wb.create_sheet(_t(SHEETS["issues"], lang)), result, lang)
    if result.complaints:
        _complaints(wb.create_sheet(_t(SHEETS["complaints"], lang)), result, lang, settings)
    for dim, groups in result.groups.items():
        if dim in ("staff", "month"):
            continue  # the ranking and the trend sheets show these
        _breakdown(wb.create_sheet(_t(BREAKDOWN_SHEETS[dim], lang)), dim, groups, lang)
    if result.season:
        _season(wb.create_sheet(_t(SHEETS["season"], lang)), result, lang)
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
    title = (f"{shop} " if shop else "") + (f"回访 KPI 报告：{p.label}" if lang == "zh" else f"Follow-up KPI report: {p.label}")
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    if lang == "zh":
        ws["A2"] = (f"统计期间 {p.start} 至 {p.end}；数据截至 {result.cutoff}；报告日 {result.report_day}"
                    + ("；问题取自“问题跟踪”表" if result.issue_source == "sheet" else ""))
    else:
        ws["A2"] = (f"Period {p.start} to {p.end}; data up to {result.cutoff}; report day {result.report_day}"
                    + ("; issues from the issue-tracking sheet" if result.issue_source == "sheet" else ""))
    if result.report_due:
        due = result.report_due
        ws["A3"] = (f"周报截止 {due:%Y-%m-%d %H:%M}（周{'一二三四五六日'[due.weekday()]}）" if lang == "zh"
                    else f"Weekly report due {due:%Y-%m-%d %H:%M} ({due:%A})")
    headers = [_t(("类别", "Section"), lang), _t(("指标", "KPI"), lang), _t(("数值", "Value"), lang),
               _t(("分子", "Numerator"), lang), _t(("分母", "Denominator"), lang), _t(("目标", "Target"), lang),
               _t(("达标", "Met"), lang), _t(("口径", "Definition"), lang)]
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
            horizontal="center")
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


RANK_COLUMNS = [
    # (key, zh, en, width, kind): kind 'pct' a rate, 'num' a count, 'n'/'d' numerator/denominator of a KPI
    ("rank", "排名", "Rank", 6),
    ("staff", "员工", "Staff", 12),
    ("completion_tasks.d", "应访任务", "Tasks due", 9),
    ("completion_tasks.n", "完成任务", "Tasks done", 9),
    ("completion_tasks", "完成率(任务)", "Done (tasks)", 11),
    ("completion_customers.d", "应访客户", "Customers due", 9),
    ("completion_customers.n", "完成客户", "Customers done", 9),
    ("completion_customers", "完成率(客户)", "Done (customers)", 11),
    ("satisfaction.d", "回访客户", "Customers visited", 9),
    ("satisfaction.n", "满意客户", "Satisfied", 9),
    ("satisfaction", "满意度", "Satisfaction", 10),
    ("rated", "有评价回访", "Rated visits", 9),
    ("avg_score", "平均评分", "Avg score", 9),
    ("recommend", "愿意推荐", "Recommend", 9),
    ("resolution.d", "提出问题", "Issues", 8),
    ("resolution.n", "已解决", "Resolved", 8),
    ("resolution", "解决率", "Resolution", 9),
    ("accuracy.d", "抽查", "Checked", 7),
    ("accuracy", "准确率", "Accuracy", 9),
    ("ticket_followup", "工单回访率", "Ticket follow-up", 10),
    ("complaint_followup", "投诉回访率", "Complaint follow-up", 10),
    ("repair_followup", "报修回访率", "Repair follow-up", 10),
    ("band", "奖金档", "Bonus band", 26),
]


def _rank_columns(result: KpiResult) -> list[tuple]:
    """The ranking's columns for the KPIs this result shows."""
    return [c for c in RANK_COLUMNS if c[0].partition(".")[0] in ("rank", "staff", "rated", "band", *result.measures)]


def _rank_value(key: str, measures: dict[str, Measure]):
    base, _, part = key.partition(".")
    m = measures.get(base)
    if m is None:
        return None
    if part == "n":
        return m.numerator
    if part == "d":
        return m.denominator
    if m.unit == "%":
        return _pct(m)
    return m.value


def _ranking(ws, result: KpiResult, lang: str) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment

    columns = _rank_columns(result)
    ws.append([zh if lang == "zh" else en for _, zh, en, _ in columns])
    _bold_row(ws, 1, len(columns))
    for cell in ws[1]:  # narrow columns: the header wraps instead of being cut off
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws.row_dimensions[1].height = 32
    for r in result.ranking:
        row = []
        for key, *_ in columns:
            if key == "rank":
                row.append(r["rank"])
            elif key == "staff":
                row.append(r["staff"])
            elif key == "rated":
                row.append(r.get("rated"))
            elif key == "band":
                row.append(r["band_zh" if lang == "zh" else "band_en"] or None)
            else:
                row.append(_rank_value(key, r["measures"]))
        ws.append(row)
    ranked = len(result.ranking)
    unassigned = [m for k, m in result.groups.get("staff", []) if k is None]
    for m in unassigned:  # shown, not ranked: work without an owner
        ws.append([None, _t(UNASSIGNED, lang)] + [_rank_value(k, m) for k, *_ in columns[2:-1]] + [None])
    for j, (key, *_rest) in enumerate(columns, start=1):
        base, _, part = key.partition(".")
        if not part and base in KPIS and base != "avg_score":
            for row in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                row[0].number_format = PCT
        if base == "avg_score":
            for row in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                row[0].number_format = "0.00"
    _widths(ws, [w for *_, w in columns])
    ws.freeze_panes = "C2"
    if ranked:
        ws.auto_filter.ref = f"A1:{ws.cell(row=1, column=len(columns)).column_letter}{ranked + 1}"
        col = [k for k, *_ in columns].index("completion_tasks") + 1
        chart = BarChart()
        chart.type = "bar"
        chart.title = _t(("各员工回访完成率", "Completion by staff"), lang)
        chart.x_axis.title = _t(("员工", "Staff"), lang)
        chart.y_axis.title = _t(("完成率（任务）", "Tasks done"), lang)
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        chart.legend = None
        chart.add_data(Reference(ws, min_col=col, min_row=1, max_row=ranked + 1), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=2, min_row=2, max_row=ranked + 1))
        chart.height, chart.width = max(6.0, 1.0 + 0.7 * ranked), 16
        chart.x_axis.scaling.orientation = "maxMin"  # rank 1 at the top ...
        chart.y_axis.crosses = "max"  # ... and the value axis still at the bottom
        _axes(chart)
        ws.add_chart(chart, f"B{ranked + len(unassigned) + 4}")


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

    ws.append([zh if lang == "zh" else en for _, zh, en, _ in TREND_COLUMNS])
    _bold_row(ws, 1, len(TREND_COLUMNS))
    for month, measures in trend:
        ws.append([month] + [_rank_value(k, measures) for k, *_ in TREND_COLUMNS[1:]])
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
    ws.append([_t(head, lang)] + [zh if lang == "zh" else en for _, zh, en, _ in BREAKDOWN_COLUMNS])
    _bold_row(ws, 1, len(BREAKDOWN_COLUMNS) + 1)
    for key, measures in groups:
        ws.append([group_label(dim, key, lang)] + [_rank_value(k, measures) for k, *_ in BREAKDOWN_COLUMNS])
    for j, (key, *_rest) in enumerate(BREAKDOWN_COLUMNS, start=2):
        if "." not in key:
            for row in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                row[0].number_format = "0.00" if key == "avg_score" else PCT
    _widths(ws, [16] + [w for *_, w in BREAKDOWN_COLUMNS])
    ws.freeze_panes = "B2"


ISSUE_COLUMNS = [
    ("raised_on", "提出日期", "Raised on", 11),
    ("customer_id", "客户编号", "Customer ID", 11),
    ("staff", "员工", "Staff", 10),
    ("store", "门店", "Store", 12),
    ("kind", "回访类型", "Kind", 14),
    ("category", "问题类别", "Category", 11),
    ("text", "问题描述", "Issue", 40),
    ("resolved", "是否解决", "Resolved", 8),
    ("resolved_on", "解决日期", "Resolved on", 11),
    ("days", "用时(天)", "Days", 7),
    ("where", "来源", "Source", 18),
]


def _complaints(ws, result: KpiResult, lang: str, settings) -> None:
    """The complaint summary: the tickets opened in the period by type, severity, status, overdue."""
    from openpyxl.chart import BarChart, Reference

    ws.append([_t(("分类", "By"), lang), _t(("项目", "Item"), lang), _t(("工单数", "Tickets"), lang)])
    _bold_row(ws, 1, 3)
    for dim, counts in result.complaints.items():
        for i, (key, n) in enumerate(counts.items()):
            ws.append([_t(COMPLAINT_DIMENSIONS[dim], lang) if i == 0 else None,
                       complaint_label(dim, key, lang, settings), n])
    _widths(ws, [14, 34, 10])
    types = len(result.complaints.get("type", {}))
    if types:
        chart = BarChart()
        chart.type = "col"
        chart.title = _t(("本期受理工单（按类型）", "Tickets opened, by type"), lang)
        chart.legend = None
        chart.add_data(Reference(ws, min_col=3, min_row=1, max_row=1 + types), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=2, min_row=2, max_row=1 + types))
        chart.height, chart.width = 7, 12
        _axes(chart, count_axis=max(result.complaints["type"].values()) <= 10)
        ws.add_chart(chart, "E2")
    ws.freeze_panes = "A2"


def _issues(ws, result: KpiResult, lang: str) -> None:
    from openpyxl.styles import Alignment

    ws.append([zh if lang == "zh" else en for _, zh, en, _ in ISSUE_COLUMNS])
    _bold_row(ws, 1, len(ISSUE_COLUMNS))
    yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
    for i in result.issues:
        ws.append([
            i["raised_on"], i["customer_id"], i["staff"], i["store"],
            KINDS.label(i["kind"], lang) if i["kind"] else None,
            category_label(i["category"], lang), i["text"] or None, yes if i["resolved"] else no,
            i["resolved_on"], i["days"], f"{i['sheet']}!{i['row']}" if i["sheet"] else None,
        ])
    for row in ws.iter_rows(min_row=2):
        row[0].number_format = row[8].number_format = "yyyy-mm-dd"
        row[6].alignment = Alignment(wrap_text=True, vertical="top")
    _widths(ws, [w for *_, w in ISSUE_COLUMNS])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:K{max(2, len(result.issues) + 1)}"
    ws.print_title_rows = "1:1"


def _season(ws, result: KpiResult, lang: str) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font

    ws["A1"] = (f"季节反馈：{result.period.label}" if lang == "zh" else f"Seasonal feedback: {result.period.label}")
    ws["A1"].font = Font(bold=True, size=13)
    ws.cell(row=3, column=1, value=_t(("问题类别", "Category"), lang))
    ws.cell(row=3, column=2, value=_t(("问题数", "Issues"), lang))
    _bold_row(ws, 3, 2)
    r = 3
    for cat, n in result.issue_counts.items():
        r += 1
        ws.cell(row=r, column=1, value=category_label(cat, lang))
        ws.cell(row=r, column=2, value=n)
    n_cats = len(result.issue_counts)
    if n_cats:
        chart = BarChart()
        chart.type = "col"
        chart.title = _t(("问题类别分布", "Issues by category"), lang)
        chart.y_axis.title = _t(("问题数", "Issues"), lang)
        chart.legend = None
        chart.add_data(Reference(ws, min_col=2, min_row=3, max_row=3 + n_cats), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=4, max_row=3 + n_cats))
        chart.height, chart.width = 7, 12
        _axes(chart, count_axis=max(result.issue_counts.values()) <= 10)
        ws.add_chart(chart, "D3")
    r = max(r, 18) + 2
    ws.cell(row=r, column=1, value=_t(("客户意见与建议", "What customers said"), lang)).font = Font(bold=True)
    r += 1
    heads = [("日期", "Date"), ("客户编号", "Customer ID"), ("回访类型", "Kind"), ("问题类别", "Category"),
             ("内容", "Text")]
    for j, h in enumerate(heads, start=1):
        ws.cell(row=r, column=j, value=_t(h, lang))
    _bold_row(ws, r, len(heads))
    for s in result.suggestions:
        r += 1
        ws.cell(row=r, column=1, value=s["date"]).number_format = "yyyy-mm-dd"
        ws.cell(row=r, column=2, value=s["customer_id"])
        ws.cell(row=r, column=3, value=KINDS.label(s["kind"], lang) if s["kind"] else None)
        ws.cell(row=r, column=4, value=category_label(s["category"], lang) if s["category"] else None)
        ws.cell(row=r, column=5, value=s["text"]).alignment = Alignment(wrap_text=True, vertical="top")
    _widths(ws, [14, 12, 14, 12, 60])


def trend_rows(groups: list[tuple[str, dict]], months: list[str]) -> list[tuple[str, dict[str, Measure]]]:
    """The months of the trend from the first with data (a task due, a visit, an issue, a check
    or a ticket): months before the shop used the tool are not 0%. A later month without data
    keeps its place, with empty measures."""
    found = dict(groups)
    empty = empty_measures()
    first = next((i for i, m in enumerate(months) if m in found), len(months))
    return [(m, found.get(m, empty)) for m in months[first:]]
