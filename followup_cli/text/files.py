"""What followup says about a file it cannot read, in Chinese and English: the sentences
shared by archive/files.py, archive/text_files.py and writeback/transaction.py."""

from __future__ import annotations

from followup_cli.text.messages import Msg, msg


def cannot_read(exc: OSError) -> Msg:
    """A file the system would not let us read (locked, gone, a device error)."""
    reason = exc.strerror or exc
    return msg(f"读不了（{reason}）", f"cannot be read ({reason})")


EMPTY_FILE = msg("文件是空的（0 字节）", "the file is empty (0 bytes)")
OPEN_RIGHT_OR_RESTORE = msg("请打开正确的文件，或从备份恢复", "open the right file, or restore it from a backup")
SAVE_AS_CSV_UTF8 = msg("请在 Excel 中另存为“CSV UTF-8”", "save it again as 'CSV UTF-8' from Excel")
SAVE_AS_XLSX = msg(
    "请用 Excel 或 WPS 打开，另存为 Excel 工作簿（.xlsx）",
    "open it in Excel or WPS and save it as an Excel workbook (.xlsx)",
)
NO_SUCH_FILE = msg("没有这个文件", "no such file")
NOT_XLSX_PACKAGE = msg("不是 .xlsx 文件包", "not an .xlsx package")
