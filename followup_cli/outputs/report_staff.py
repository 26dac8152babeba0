"""The KPI report's staff ranking sheet: every colleague's KPIs, bonus band and a chart.

One row a ranked colleague (numerator and denominator beside each rate, so a figure can be
checked), the work without an owner below them unranked, and a bar chart of task
completion by staff.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup_cli.kpi import KPIS, UNASSIGNED, KpiResult
from followup_cli.outputs.report_cells import PCT, _axes, _bold_row, _t, _widths, measure_value
from followup_cli.text.messages import pick

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

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


def ranking_sheet(ws: Worksheet, result: KpiResult, lang: str) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment

    columns = _rank_columns(result)
    ws.append([pick((zh, en), lang) for _, zh, en, _ in columns])
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
                row.append(pick((r["band_zh"], r["band_en"]), lang) or None)
            else:
                row.append(measure_value(key, r["measures"]))
        ws.append(row)
    ranked = len(result.ranking)
    unassigned = [m for k, m in result.groups.get("staff", []) if k is None]
    for m in unassigned:  # shown, not ranked: work without an owner
        ws.append([None, _t(UNASSIGNED, lang)] + [measure_value(k, m) for k, *_ in columns[2:-1]] + [None])
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
