"""What the clerk-facing commands say (due, sheet, history, sms, check's summary, hints),
in Chinese and English, as `Msg` values built with `msg`.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from followup_cli.text.messages import Msg, msg

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable
    from pathlib import Path


def nearest(value: str, known: Iterable[str], n: int = 3) -> list[str]:
    """The names in `known` closest to what was typed (difflib), best first."""
    known = sorted({str(k) for k in known if k not in (None, "")})
    found = difflib.get_close_matches(str(value), known, n=n, cutoff=0.4)
    if not found:  # a part of a name ("晓雯" for 林晓雯, "zhou" for Zhou Jianhua)
        low = str(value).lower()
        found = [k for k in known if low and (low in k.lower() or k.lower() in low)][:n]
    return found


def unknown_value(option: str, value: str, known: Iterable[str]) -> tuple[Msg, Msg]:
    """(message, hint) for a --staff/--store/--kind value that matches nothing."""
    close = nearest(value, known)
    listed = sorted({str(k) for k in known if k not in (None, "")})
    if close:
        hint = msg(f"最接近的是：{'、'.join(close)}", f"the nearest: {', '.join(close)}")
    elif listed:
        shown = listed[:12]
        more = len(listed) - len(shown)
        hint = msg(
            f"可选：{'、'.join(shown)}" + (f" 等 {len(listed)} 个" if more else ""),
            f"known: {', '.join(shown)}" + (f" and {more} more" if more else ""),
        )
    else:
        hint = msg("档案中没有可选的值", "the archive has none to choose from")
    what = {
        "--staff": ("负责人", "staff member"),
        "--store": ("门店", "store"),
        "--kind": ("回访类型", "follow-up kind"),
    }.get(option, (option, option))
    if option == "--kind":
        return msg(f"{option}：“{value}”不是回访类型", f"{option}: '{value}' is not a follow-up kind"), hint
    return msg(f"{option}：档案中没有{what[0]}“{value}”", f"{option}: no {what[1]} '{value}' in the archive"), hint


def unknown_preset(preset: str, ids: Iterable[str]) -> tuple[Msg, Msg]:
    close = nearest(preset, ids)
    listed = "、".join(ids), ", ".join(ids)
    if close:
        return (
            msg(f"没有回访制度“{preset}”", f"unknown preset '{preset}'"),
            msg(
                f"最接近的是：{'、'.join(close)}（全部：{listed[0]}）",
                f"the nearest: {', '.join(close)} (all: {listed[1]})",
            ),
        )
    return (
        msg(f"没有回访制度“{preset}”", f"unknown preset '{preset}'"),
        msg(f"可选：{listed[0]}", f"presets are: {listed[1]}"),
    )


STATUS_SHORT = {"due": ("应访", "due"), "overdue": ("逾期", "overdue"), "upcoming": ("将到", "soon")}

ROLE_ZH = {
    "customers": "客户",
    "purchases": "消费记录",
    "visits": "回访记录",
    "tickets": "售后工单",
    "projects": "工程",
    "staff": "员工",
    "milestones": "节点",
    "issues": "问题跟踪",
    "audits": "抽查记录",
    "blocklist": "勿扰名单",
}


def check_summary(errors: int, warnings: int, counts: dict[str, int], notes: int = 0, unread: int = 0) -> Msg:
    zh_counts = "、".join(f"{ROLE_ZH.get(r, r)} {n} 行" for r, n in counts.items())
    en_counts = ", ".join(f"{r} {n}" for r, n in counts.items())
    zh_unread = f"；未读取 {unread} 张工作表" if unread else ""
    en_unread = f"; {unread} sheet(s) not read" if unread else ""
    return msg(
        f"{errors} 个错误，{warnings} 个警告，{notes} 条说明（已读取：{zh_counts}{zh_unread}）",
        f"{errors} error(s), {warnings} warning(s), {notes} note(s) (read: {en_counts}{en_unread})",
    )


def repeated_problem(more: int, column: str, archives: str = "") -> Msg:
    """Added to a `check` table row that stands for the same problem in more cells of its column;
    `archives`: the command line's ARCHIVE... as typed (quoted), so the command given runs as it is."""
    command = f"followup check {archives} --format csv -o" if archives else "followup check ARCHIVE --format csv -o"
    return msg(
        f"（{column} 列另有 {more:,} 个单元格是同样的问题；逐格清单：{command} check.csv）",
        f" (the same in {more:,} more cells of column {column}; one row per cell: {command} check.csv)",
    )


def due_summary(as_of: dt.date, tasks: int, contacts: int, left_out: int, explain: bool) -> Msg:
    zh = f"{as_of}：{tasks} 项任务，{contacts} 次联系"
    en = f"{as_of}: {tasks} task(s), {contacts} contact(s)"
    if left_out and not explain:
        zh += f"；{left_out} 项未列入（--explain 查看原因）"
        en += f"; {left_out} left out (see --explain)"
    return msg(zh, en)


def unassigned_note(n: int) -> Msg:
    return msg(
        f"注意：{n} 项任务没有负责人（负责人为空或已离职），请运行 followup assign 分配。",
        f"attention: {n} task(s) have no owner (empty or left); run `followup assign`.",
    )


def warning_line(text: str) -> Msg:
    return msg(f"警告：{text}", f"warning: {text}")


def sheet_written(out: str | Path, contacts: int, tasks: int, sheets: list[str]) -> Msg:
    return msg(
        f"已写入 {out}：{contacts} 次联系（{tasks} 项任务），工作表：{'、'.join(sheets)}",
        f"wrote {out}: {contacts} contact(s) ({tasks} task(s)), sheets: {', '.join(sheets)}",
    )


SHEET_NOT_XLSX = msg("回访单是 .xlsx 文件：-o 回访单.xlsx", "the call sheet is an .xlsx file: -o calls.xlsx")
FORMAT_NEEDS_FILE = msg("--format xlsx 需要 -o 文件.xlsx", "--format xlsx needs -o FILE.xlsx")


def exists_use_overwrite(out: str | Path) -> Msg:
    return msg(
        f"{out} 已存在；加 --overwrite 覆盖，或换一个文件名",
        f"{out} exists; pass --overwrite to replace it, or choose another name",
    )


def journaled(rows: int) -> Msg:
    return msg(
        f"已在 followup-audit.log 记下这次导出（{rows} 行带完整手机号；--mask-phone 可隐去中间四位）",
        f"noted in followup-audit.log: {rows} row(s) with full phone numbers exported "
        "(--mask-phone hides the middle digits)",
    )


def batch_written(out: str | Path, rows: int, skipped: int, other_channel: int, channel: str) -> Msg:
    what_zh, what_en = ("条微信", "WeChat message(s)") if channel == "wechat" else ("条短信", "SMS")
    zh = f"已写入 {out}：{rows} {what_zh}"
    en = f"wrote {out}: {rows} {what_en}"
    if other_channel:
        other = "--channel sms" if channel == "wechat" else "--channel wechat"
        zh += f"；{other_channel} 条在另一渠道（{other}）"
        en += f"; {other_channel} in the other channel ({other})"
    if skipped:
        zh += f"；{skipped} 条未发送（拒绝回访或没有手机号，--explain 查看）"
        en += f"; {skipped} left out (do-not-contact or no mobile number; see --explain)"
    return msg(zh, en)


def customer_not_found(query: str, close: list[str]) -> tuple[Msg, Msg]:
    hint = (
        msg(f"最接近的是：{'、'.join(close)}", f"the nearest: {', '.join(close)}")
        if close
        else msg("可以用客户编号、手机号或姓名查找", "look up by customer id, phone number or name")
    )
    return msg(f"档案中没有客户“{query}”", f"no customer '{query}' in the archive"), hint


def customer_ambiguous(query: str, matches: list[str]) -> tuple[Msg, Msg]:
    return (
        msg(
            f"“{query}”对应 {len(matches)} 位客户：{'、'.join(matches)}",
            f"'{query}' matches {len(matches)} customers: {', '.join(matches)}",
        ),
        msg("请用客户编号或手机号", "use the customer id or the phone number"),
    )


# `followup check`: the table's columns, and the severities in Chinese (JSON keeps the codes)
CHECK_COLUMNS = {
    "severity": ("级别", "Severity"),
    "where": ("位置", "Where"),
    "value": ("单元格的值", "Value"),
    "message": ("问题", "Problem"),
}
SEVERITY = {"error": ("错误", "error"), "warning": ("警告", "warning"), "note": ("说明", "note")}

# `followup sms`: the CSV's headers (a column not listed keeps its key)
SMS_HEADERS = {
    "phone": ("手机号", "phone"),
    "wechat": ("微信号", "wechat"),
    "text": ("短信内容", "text"),
    "customer_id": ("客户编号", "customer_id"),
    "name": ("姓名", "name"),
    "kind": ("回访类型", "kind"),
    "due_date": ("应访日期", "due_date"),
    "task_id": ("任务编号", "task_id"),
}

# the due list: what fills a blank {shop}, the SMS time, the kind of day a call window is for,
# and what joins the reasons of one contact's tasks
OUR_SHOP = ("本店", "our shop")
DAY_KIND = {True: ("工作日 ", "working day "), False: ("休息日 ", "rest day ")}
REASON_SEP = ("；", "; ")


def sms_at(time: str) -> Msg:
    return msg(f"短信 {time}", f"SMS at {time}")
