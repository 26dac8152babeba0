"""What `followup audit` writes and says, in Chinese and English: the audit sheet's title,
headers and input prompts, the line saying what was drawn, and what is wrong with a
filled row."""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup_cli.text.messages import Msg, msg

if TYPE_CHECKING:
    from pathlib import Path

SHEET_TITLE = ("抽查", "Audit")

# the record as found, then what the checker fills in (outputs/audit_sheet.py has the widths)
HEADERS = {
    "visit_id": ("回访编号", "Visit ID"),
    "visit_row": ("原表行号", "Visit row"),
    "source": ("原表位置", "Found at"),
    "customer_id": ("客户编号", "Customer ID"),
    "customer_name": ("姓名", "Name"),
    "phone": ("电话", "Phone"),
    "date": ("回访日期", "Visit date"),
    "kind": ("回访类型", "Kind"),
    "channel": ("回访方式", "Channel"),
    "staff": ("回访人", "Staff"),
    "outcome": ("回访结果", "Outcome"),
    "satisfaction": ("满意度", "Satisfaction"),
    "score": ("评分", "Score"),
    "issue": ("问题描述", "Issue"),
    "visit_notes": ("回访备注", "Visit notes"),
    "verdict": ("核查结果", "Verdict"),
    "checker": ("核查人", "Checker"),
    "checked_on": ("核查日期", "Checked on"),
    "notes": ("核查说明", "Notes"),
}

# Excel's data validation on the columns to fill in
NOT_IN_LIST = ("输入有误", "Not in the list")
PICK_VERDICT = ("请选择 准确 或 不准确", "Pick accurate or inaccurate")
ENTER_DATE = ("请输入日期，如 2026-12-01", "Enter a date, e.g. 2026-12-01")


def drawn(period: str, population: int, fraction: float, rows: int, seed: int, output: str | Path) -> Msg:
    return msg(
        f"{period}：{population} 条回访记录，按 {fraction:.1%} 抽取 {rows} 条（种子 {seed}），已写入 {output}",
        f"{period}: drew {rows} of {population} visit record(s) at {fraction:.1%} (seed {seed}); wrote {output}",
    )


# what is wrong with a row of a filled audit sheet (its sheet!cell is said before)
def not_a_verdict(typed: object) -> Msg:
    return msg(
        f"“{typed}”不是核查结果；请写 准确 或 不准确",
        f"'{typed}' is not a verdict; write 准确 or 不准确 (accurate / inaccurate)",
    )


def not_a_check_date(typed: object) -> Msg:
    return msg(f"“{typed}”不是日期；请写成 YYYY-MM-DD", f"'{typed}' is not a date; write it as YYYY-MM-DD")


NO_VISIT_NAMED = msg(
    "这一行没有指明是哪条回访（回访编号和原表行号都是空的）",
    "the row names no visit (回访编号 / 原表行号 are empty)",
)
