"""What `followup record` writes into a shop's books, in Chinese and English: the names of the
sheets it may add, yes/no in a visit's cells, and the columns of the rejects workbook."""

from __future__ import annotations

from followup_cli.text.messages import Msg, msg

VISIT_LOG_SHEET = ("回访记录", "Visits")  # a visit log the archive did not have
COMPANION_SHEET = ("回访补充", "Visit details")  # values a book has no column for (writeback/companion.py)
AUDIT_LOG_SHEET = ("抽查记录", "Audits")  # spot-check verdicts, when the archive has no audit sheet

REJECT_COLUMNS = {
    "row": ("行", "Row"),
    "where": ("位置", "Where"),
    "value": ("值", "Value"),
    "message": ("原因", "Reason"),
}


_STAFF_STATE = {
    "unknown": (
        "不在员工表中",
        "is not on the staff sheet",
        "若是员工，请加入员工表或改成表中的名字",
        "add them to the staff sheet, or use the name it has",
    ),
    "left": (
        "已离职",
        "has left (staff sheet)",
        "若回访是别人做的，请改成其姓名或员工编号",
        "if someone else made the call, write their name or staff id",
    ),
    "ambiguous": (
        "是几位员工共有的名字",
        "is a name several staff share",
        "请改成员工编号或表中能分清的名字",
        "write their staff id or a name that tells them apart",
    ),
}


def staff_notice(state: str, names: list[str], cells: list[str]) -> Msg:
    """A filled call sheet's 回访人 recorded as written although the staff sheet does not name one
    active person by it (unknown, has left, or shared), with the cells and the fix."""
    zh, en, fix_zh, fix_en = _STAFF_STATE[state]
    return msg(
        f"注意：回访人 {'、'.join(names)} {zh}，照填写的记录（{'、'.join(cells)}）；{fix_zh}",
        f"attention: 回访人 {', '.join(names)} {en}; recorded as written ({', '.join(cells)}); {fix_en}",
    )


def unread_columns_notice(columns: list[tuple[str, str]]) -> Msg:
    """The call-sheet columns `record` does not know (a clerk's 通话时长): named, not read."""
    shown = columns[:8]
    more = " …" if len(columns) > 8 else ""
    cells = "、".join(f"{cell}“{header}”" for cell, header in shown)
    cells_en = ", ".join(f"{cell} '{header}'" for cell, header in shown)
    return msg(
        f"说明：{cells}{more} 不是回访表的列，没有读取（要记下的内容请写在 备注 中）",
        f"note: {cells_en}{more} are not call sheet columns and were not read (put what should be kept in Notes)",
    )


def blank_rows_notice(n: int, rows: list[str]) -> Msg:
    """The rows left without a result, not done: counted, and the first of them named."""
    shown = rows[:6]
    more = " …" if len(rows) > 6 else ""
    return msg(
        f"{n} 行未填写结果，视为未完成" + (f"（{'、'.join(shown)}{more}）" if shown else ""),
        f"{n} row(s) left blank: not done" + (f" ({', '.join(shown)}{more})" if shown else ""),
    )
