"""What the KPI report workbook (`followup kpi -o report.xlsx`) says around its tables, in
Chinese and English: its title, the period line and the weekly deadline, the seasonal sheet's
title. The tables' labels are in text/kpi.py; the report's own columns sit with their widths
in outputs/report*.py."""

from __future__ import annotations

import datetime as dt

from followup_cli.text.messages import Msg, msg


def report_title(period: str) -> Msg:
    return msg(f"回访 KPI 报告：{period}", f"Follow-up KPI report: {period}")


def period_line(start: dt.date, end: dt.date, cutoff: dt.date, report_day: dt.date, issues_sheet: bool) -> Msg:
    """The period, the last day of data, the report day, and whether issues came from the
    issue-tracking sheet."""
    return msg(
        f"统计期间 {start} 至 {end}；数据截至 {cutoff}；报告日 {report_day}"
        + ("；问题取自“问题跟踪”表" if issues_sheet else ""),
        f"Period {start} to {end}; data up to {cutoff}; report day {report_day}"
        + ("; issues from the issue-tracking sheet" if issues_sheet else ""),
    )


def report_due(due: dt.datetime) -> Msg:
    return msg(
        f"周报截止 {due:%Y-%m-%d %H:%M}（周{'一二三四五六日'[due.weekday()]}）",
        f"Weekly report due {due:%Y-%m-%d %H:%M} ({due:%A})",
    )


def season_title(period: str) -> Msg:
    return msg(f"季节反馈：{period}", f"Seasonal feedback: {period}")
