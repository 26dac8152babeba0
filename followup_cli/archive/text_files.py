"""Delimited text read as a sheet: .csv/.tsv/.txt, and text a shop system named .xls.

The encoding is found (UTF-8, GBK/GB18030, Excel's UTF-16 "Unicode Text"), the delimiter
guessed (comma, tab or semicolon), and the rows bounded as a workbook's are (Excel's row
count, an Excel cell's length). Text under a spreadsheet extension is read when it looks
like a table; a web page or an XML spreadsheet is named for what it is and refused.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from followup_cli.archive.raw import RawBook, RawSheet
from followup_cli.errors import UnreadableFile
from followup_cli.text.files import EMPTY_FILE, OPEN_RIGHT_OR_RESTORE, SAVE_AS_CSV_UTF8, SAVE_AS_XLSX, cannot_read
from followup_cli.text.messages import msg
from followup_cli.xlsx import bounds
from followup_cli.xlsx.refs import cell_ref

CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 is a superset of GBK and GB2312
SNIFF_BYTES = 8192
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def open_text_named_as_workbook(path: Path, suffix: str) -> RawBook:
    """Text under a spreadsheet extension: a table is read as CSV; a web page or anything else is refused."""
    bounds.check_file_size(path, bounds.MAX_TEXT_BYTES, "这个文本文件", "this text file")
    text = decode_text(path, path.read_bytes())
    start = text.lstrip()[:SNIFF_BYTES].lower()
    if start.startswith("<"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in start or "<workbook" in start:
            what = msg("Excel 2003 XML 电子表格", "an Excel 2003 XML spreadsheet")
        elif "<html" in start or "<table" in start or "<!doctype html" in start:
            what = msg("网页（HTML，有些门店系统会导出这种文件）", "a web page (HTML), as some shop systems export")
        else:
            what = msg("XML 或 HTML 文件", "an XML or HTML file")
        raise UnreadableFile(
            path,
            msg(
                f"是{what.zh}，只是用了 {suffix} 的文件名，并不是真正的 {suffix} 工作簿",
                f"is {what} with a {suffix} name, not a real {suffix} workbook",
            ),
            SAVE_AS_XLSX,
        )
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    if not any(sep in first_line for sep in ("\t", ",", ";")):
        begin = first_line.strip()[:40]
        raise UnreadableFile(
            path,
            msg(
                f"是纯文本，不是 {suffix} 工作簿（开头是“{begin}”）",
                f"is plain text, not a {suffix} workbook (it begins '{begin}')",
            ),
            msg(
                "请打开正确的文件；存成文本的表格需要用逗号或制表符分隔各列",
                "open the right file; a table saved as text needs commas or tabs between columns",
            ),
        )
    return open_csv(path)


def decode_text(path: Path, data: bytes) -> str:
    if data.startswith(UTF16_BOMS):  # Excel's "Unicode Text" is UTF-16 with a BOM, tab-separated
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableFile(path, msg("是损坏的 UTF-16 文本", "is damaged UTF-16 text"), SAVE_AS_CSV_UTF8) from exc
    if b"\x00" in data[:SNIFF_BYTES]:
        raise UnreadableFile(
            path,
            msg("看起来是二进制文件，不是 CSV", "looks like a binary file, not CSV"),
            msg("请打开正确的文件，或另存为 CSV UTF-8", "open the right file, or save it as CSV UTF-8"),
        )
    for enc in CSV_ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(path, msg("既不是 UTF-8 也不是 GBK 文本", "is neither UTF-8 nor GBK text"), SAVE_AS_CSV_UTF8)


def _bounded_rows(path: Path, reader, formulas: bool = False) -> list[list]:
    """The rows of a CSV, refused past Excel's row count or an Excel cell's length. `formulas`:
    the text holds ="…", the way an export keeps digits as text in Excel (="00123"), unwrapped."""
    rows = []
    for row in reader:
        if formulas:
            row = [c[2:-1].replace('""', '"') if c[:2] == '="' and c[-1:] == '"' and len(c) > 2 else c for c in row]
        if len(rows) >= bounds.MAX_TEXT_ROWS:
            raise UnreadableFile(
                path,
                msg(
                    f"超过 {bounds.MAX_TEXT_ROWS - 1:,} 行数据，超出读取上限",
                    f"more than {bounds.MAX_TEXT_ROWS - 1:,} rows, past what followup reads",
                ),
                msg("请拆分文件", "split the file"),
            )
        if row and max(map(len, row)) > bounds.MAX_TEXT_CELL:
            j = max(range(len(row)), key=lambda k: len(row[k]))
            where = cell_ref(len(rows), j)
            raise UnreadableFile(
                path,
                msg(
                    f"单元格 {where} 有 {len(row[j]):,} 个字符，超过 Excel 单元格的上限 {bounds.MAX_TEXT_CELL:,}",
                    f"cell {where} holds {len(row[j]):,} characters, more than an Excel cell's "
                    f"{bounds.MAX_TEXT_CELL:,}",
                ),
                msg("请检查该单元格（可能是引号没有配对）", "check that cell (an unmatched quote, perhaps)"),
            )
        rows.append(row)
    return rows


def open_csv(path: Path) -> RawBook:
    bounds.check_file_size(path, bounds.MAX_TEXT_BYTES, "这个文本文件", "this text file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(path, cannot_read(exc), msg("请在其他程序中关闭它", "close it in other programs")) from exc
    if not data:
        raise UnreadableFile(path, EMPTY_FILE, OPEN_RIGHT_OR_RESTORE)
    text = decode_text(path, data)
    sample = text[:8192]
    delimiter = ","
    if path.suffix.lower() == ".tsv" or sample.count("\t") > sample.count(","):
        delimiter = "\t"
    elif sample.count(";") > sample.count(","):
        delimiter = ";"

    def load() -> list[list]:
        try:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            return _bounded_rows(path, reader, '="' in text)
        except csv.Error as exc:
            raise UnreadableFile(
                path,
                msg(f"不是有效的 CSV（{exc}）", f"is not valid CSV ({exc})"),
                msg(
                    "请用 Excel 或 WPS 打开，再另存为“CSV UTF-8”",
                    "open it in Excel or WPS and save it again as 'CSV UTF-8'",
                ),
            ) from exc

    return RawBook(path, "csv", [RawSheet(path, path.stem, 0, load)])
