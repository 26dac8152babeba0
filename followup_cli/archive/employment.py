"""Who has left, as a staff sheet says it in words: 在职状态 / 状态 / Status = 在职 / 离职 / left.

The words become the column's code set (sheet.codes["active"]), so a cell is looked up, not
parsed, and the per-cell path is unchanged; 是 / 否 still read as flags.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup_cli.archive import sniff
from followup_cli.text.messages import msg

if TYPE_CHECKING:
    from followup_cli.archive.sheetmap import SheetMap

# A staff sheet's 在职状态 / 状态 / Status says it in words: read as 在职 (True) or left (False). The
# words become the column's code set, so a cell is looked up, not parsed; 是 / 否 still read as flags.
_EMPLOYED = (
    "在职",
    "在岗",
    "正式",
    "正式员工",
    "试用",
    "试用期",
    "实习",
    "实习期",
    "正常",
    "有效",
    "启用",
    "active",
    "employed",
    "current",
    "working",
    "on staff",
    "full time",
    "part time",
)
_LEFT = (
    "离职",
    "已离职",
    "离岗",
    "辞职",
    "已辞职",
    "退休",
    "已退休",
    "停用",
    "已停用",
    "调离",
    "已调离",
    "解雇",
    "开除",
    "已开除",
    "离开",
    "已离开",
    "不在职",
    "非在职",
    "已走",
    "left",
    "has left",
    "inactive",
    "resigned",
    "terminated",
    "former",
    "quit",
    "retired",
    "disabled",
    "departed",
    "gone",
)
EMPLOYMENT_WORDS = {
    variant: flag
    for words, flag in ((_EMPLOYED, True), (_LEFT, False))
    for w in words
    for variant in (w, w.title(), w.upper(), w.capitalize())
}


def employment_words(sheet: SheetMap, uses: list, rows: list, start: int) -> None:
    """The status column of a staff sheet read through EMPLOYMENT_WORDS (a note says so when its cells are words)."""
    u = next(x for x in uses if x.col == sheet.columns["active"])
    if u.field != "active" or sheet.codes.get("active"):
        return
    sheet.codes["active"] = EMPLOYMENT_WORDS
    if any(isinstance(v, str) and v.strip() in EMPLOYMENT_WORDS for v in sniff.sample(rows, start, u.col)):
        u.note = msg(
            "按文字读作是否在职：在职 / 离职（left、inactive）", "read as employed or not: 在职 / 离职 (left, inactive)"
        )
