"""Refusals of a write into a user's workbook, in both languages (xlsx/append.py, writeback/locks.py
and writeback/transaction.py raise them), and the warning when the write journal fails."""

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


def lock_busy(where: str, path: object) -> Msg:
    return msg(
        f"{where}：另一个 followup 正在写这个工作簿（锁文件 {path}）；请等它写完再试",
        f"{where}: another followup run is writing this workbook (lock file {path}); try again when it finishes",
    )


def lock_not_created(where: str, path: object, exc: OSError) -> Msg:
    reason = exc.strerror or exc
    return msg(
        f"{where}：无法创建锁文件 {path}（{reason}）；followup 需要在工作簿所在的文件夹里写文件",
        f"{where}: cannot create the lock file {path} ({reason}); followup needs to write in the workbook's folder",
    )


_KINDS = {
    ".xls": msg("旧版 .xls 工作簿", "an old .xls workbook"),
    ".ods": msg("OpenDocument 电子表格", "an OpenDocument spreadsheet"),
    ".csv": msg("CSV 文件", "a CSV file"),
    ".xlsb": msg("二进制 .xlsb 工作簿", "a binary .xlsb workbook"),
}


def not_writable_kind(path: object, suffix: str) -> tuple[Msg, Msg]:
    """(message, fix) for a write into a file followup never rewrites (.xls, .ods, .csv ...)."""
    kind = _KINDS.get(suffix.lower(), msg(f"“{suffix}”文件", f"a '{suffix}' file"))
    return (
        msg(
            f"{path}：followup 只写入 .xlsx/.xlsm 工作簿，而这是{kind.zh}；followup 从不改写它",
            f"{path}: followup only writes into .xlsx/.xlsm workbooks, and this is {kind}; it is never rewritten",
        ),
        msg(
            '请把回访记录放在单独的工作簿：在 followup.toml 中设置 visit_log = "visits.xlsx"',
            'keep the visit log in a separate workbook: set visit_log = "visits.xlsx" in followup.toml',
        ),
    )


NOT_A_PACKAGE_GUESS = msg(
    "不是 .xlsx 文件包（是改了扩展名的旧 .xls，还是设了密码的工作簿？）",
    "not an .xlsx package (an old .xls renamed, or a password-protected workbook?)",
)
TRY_AGAIN = msg("请再试一次", "try again")


def part_in_two_sheets(where: str, part: str) -> Msg:
    return msg(
        f"{where}：部件 {part} 同时属于两张工作表；followup 不会改写它",
        f"{where}: part {part} belongs to two sheets; followup will not rewrite it",
    )


def changed_while_writing(where: str) -> Msg:
    return msg(
        f"{where}：followup 写入期间，工作簿在磁盘上被改动了（是别的程序保存了它吗？）；没有写入任何内容",
        f"{where}: the workbook changed on disk while followup was writing it (saved from another "
        "program?); nothing was written",
    )


def could_not_write(where: str, exc: OSError) -> Msg:
    return msg(
        f"{where}：无法写入工作簿（{exc}）；工作簿没有改动",
        f"{where}: could not write the workbook ({exc}); it is unchanged",
    )


def held_open(where: str, exc: OSError) -> tuple[Msg, Msg]:
    reason = exc.strerror or exc
    return (
        msg(
            f"{where}：另一个程序正占用这个工作簿（{reason}）；没有写入任何内容，工作簿没有改动",
            f"{where}: another program holds the workbook open ({reason}); nothing was written "
            "and the workbook is unchanged",
        ),
        msg(
            "请在 Excel/WPS/LibreOffice（或同步、备份软件）中关闭它，再试一次",
            "close it in Excel/WPS/LibreOffice (or a sync or backup tool), then try again",
        ),
    )


def failed_check(where: str, exc: Exception) -> Msg:
    return msg(
        f"{where}：改写后的工作簿没有通过检查（{exc}）；没有写入任何内容",
        f"{where}: the rewritten workbook did not check out ({exc}); nothing was written",
    )


def audit_log_failed(exc: OSError) -> Msg:
    return msg(
        f"工作簿已写入，但写入日志没能写上：{exc}",
        f"the workbook was written, but the audit log could not be: {exc}",
    )


def on_sheet(where: str, sheet: str) -> Msg:
    """A workbook's sheet named as the place a refusal is about."""
    return msg(f"{where}：工作表“{sheet}”", f"{where}: sheet '{sheet}'")


# An output file that names a file the run reads (followup_cli/inputs.py).
OUTPUT_IS_INPUT = msg(
    "这是本次读取的文件，写出结果会覆盖它；文件没有改动",
    "is a file this run reads: writing the output would replace it; it is unchanged",
)
OUTPUT_IS_INPUT_FIX = msg(
    "请给 -o 另一个文件名，例如 结果.xlsx 或 回访清单.csv", "give -o another file name, such as result.xlsx or due.csv"
)
FOLLOWUP_KEEPS = msg(
    "这是 followup 的写入日志或备份，写出结果会覆盖它；文件没有改动",
    "is followup's write journal or a backup: writing the output would replace it; it is unchanged",
)
