"""Refusals of a write into a user's workbook, in both languages (xlsx/append.py raises them)."""

from __future__ import annotations

from followup_cli.text.messages import Msg, msg


def totals_row_refusal(where: str, table: str, sheet: str) -> tuple[Msg, Msg]:
    """(message, fix) for rows that would land below a table's totals row. Refused rather than
    kept in the companion workbook: the companion is not read back as visits, so the calls
    would stay due."""
    return (
        msg(
            f"{where}：工作表“{sheet}”的表格“{table}”有汇总行；新行会写在汇总行下面、表格之外，没有写入任何内容",
            f"{where}: table '{table}' on sheet '{sheet}' has a totals row; new rows would land below the "
            "totals, outside the table; nothing was written",
        ),
        msg(
            "请在 Excel 中关闭表格的汇总行（表设计 → 汇总行），再运行一次；或把回访记录放在单独的工作簿："
            '在 followup.toml 中设置 visit_log = "visits.xlsx"',
            "turn off the table's Total Row in Excel (Table Design → Total Row) and run again, or keep the "
            'visit log in a separate workbook: set visit_log = "visits.xlsx" in followup.toml',
        ),
    )
