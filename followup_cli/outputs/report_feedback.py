"""The KPI report's customer-feedback sheets: complaints, the issues list, seasonal feedback.

`complaints_sheet` counts the tickets opened in the period (by type, severity, status,
overdue) with a chart; `issues_sheet` lists every issue raised, where it came from and
whether it was resolved; `season_sheet`, in a seasonal feedback month, the issue counts by
category and what customers said.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup_cli.kpi import KpiResult, category_label
from followup_cli.kpi.tables import COMPLAINT_DIMENSIONS, complaint_label
from followup_cli.outputs.report_cells import _axes, _bold_row, _t, _widths
from followup_cli.policy.vocabulary import KINDS
from followup_cli.text import report as words
from followup_cli.text.labels import YES_NO
from followup_cli.text.messages import pick

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from followup_cli.kpi.settings import KpiSettings

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


def complaints_sheet(ws: Worksheet, result: KpiResult, lang: str, settings: KpiSettings | None) -> None:
    """The complaint summary: the tickets opened in the period by type, severity, status, overdue."""
    from openpyxl.chart import BarChart, Reference

    ws.append([_t(("分类", "By"), lang), _t(("项目", "Item"), lang), _t(("工单数", "Tickets"), lang)])
    _bold_row(ws, 1, 3)
    for dim, counts in result.complaints.items():
        for i, (key, n) in enumerate(counts.items()):
            ws.append(
                [_t(COMPLAINT_DIMENSIONS[dim], lang) if i == 0 else None, complaint_label(dim, key, lang, settings), n]
            )
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


def issues_sheet(ws: Worksheet, result: KpiResult, lang: str) -> None:
    from openpyxl.styles import Alignment

    ws.append([pick((zh, en), lang) for _, zh, en, _ in ISSUE_COLUMNS])
    _bold_row(ws, 1, len(ISSUE_COLUMNS))
    yes, no = pick(YES_NO[True], lang), pick(YES_NO[False], lang)
    for i in result.issues:
        ws.append(
            [
                i["raised_on"],
                i["customer_id"],
                i["staff"],
                i["store"],
                KINDS.label(i["kind"], lang) if i["kind"] else None,
                category_label(i["category"], lang),
                i["text"] or None,
                yes if i["resolved"] else no,
                i["resolved_on"],
                i["days"],
                f"{i['sheet']}!{i['row']}" if i["sheet"] else None,
            ]
        )
    for row in ws.iter_rows(min_row=2):
        row[0].number_format = row[8].number_format = "yyyy-mm-dd"
        row[6].alignment = Alignment(wrap_text=True, vertical="top")
    _widths(ws, [w for *_, w in ISSUE_COLUMNS])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:K{max(2, len(result.issues) + 1)}"
    ws.print_title_rows = "1:1"


def season_sheet(ws: Worksheet, result: KpiResult, lang: str) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font

    ws["A1"] = words.season_title(result.period.label).text(lang)
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
    heads = [
        ("日期", "Date"),
        ("客户编号", "Customer ID"),
        ("回访类型", "Kind"),
        ("问题类别", "Category"),
        ("内容", "Text"),
    ]
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
