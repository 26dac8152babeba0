"""Cells that read as empty though the file holds something in them.

python-calamine gives '' for an Excel error value (#N/A, #REF!, #VALUE! ...) and for a
formula saved without its value (a workbook written by a script or an export that does not
calculate: openpyxl, many web back ends). Read as empty without a word, a birthday written
=DATE(1990,11,21) or a phone looked up with a VLOOKUP that failed is simply lost. So the
worksheet part of an .xlsx is looked at for those cells in the pass that checks its bounds
(xlsx/bounds.check_sheet, which inflates it anyway): a chunk without an error type or a formula
costs two byte searches, so an archive of plain values pays next to nothing. `check` then names
every used column that has such cells (archive/reading.py), with the cells and what to do.

.xls and .ods files always hold a formula's value; an .ods's error cells are found by
archive/unread_ods.py, an .xls's are not told apart.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from followup_cli.archive.problems import WARNING, Problem
from followup_cli.text.messages import Msg, msg
from followup_cli.xlsx import bounds
from followup_cli.xlsx.refs import cell_ref, col_letters, parse_cell_ref

ERROR, FORMULA = "error", "formula"

_P = rb"(?:[\w.-]+:)?"  # a namespace prefix some writers put on every element (x:c, x:v)
_ERROR_CELL = re.compile(rb"<" + _P + rb"c\b([^>]*?\bt\s*=\s*[\"']e[\"'][^>]*)>(.*?)</" + _P + rb"c>", re.S)
_VALUE = re.compile(rb"<" + _P + rb"v>([^<]*)</" + _P + rb"v>")
# a formula followed by no value, or an empty one, then the end of its cell
_NO_VALUE = re.compile(
    rb"<"
    + _P
    + rb"f\b[^>]*?(?:/>|>([^<]*)</"
    + _P
    + rb"f>)\s*(?:<"
    + _P
    + rb"v\s*/>|<"
    + _P
    + rb"v>\s*</"
    + _P
    + rb"v>)?\s*(?:<"
    + _P
    + rb"is>\s*</"
    + _P
    + rb"is>\s*)?</"
    + _P
    + rb"c>"
)
_CELL_START = re.compile(rb"<" + _P + rb"c\s[^>]*>")
_REF = re.compile(rb"""\br\s*=\s*["']([A-Za-z]{1,3}\d{1,7})["']""")
_TYPE_ERROR = re.compile(rb"""\bt\s*=\s*["']e["']""")
_TAIL = 1 << 16  # how far back a formula's cell may start (a long formula)


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def scan(path: Path, part: str) -> dict[tuple[int, int], tuple[str, str]]:
    """(row, column), 0-based → (ERROR, '#N/A') or (FORMULA, '=DATE(1990,11,21)') for every cell of
    the worksheet part that calamine reads as empty though it holds an error or an uncalculated
    formula. {} when the part holds none (or cannot be read: calamine has read it already).
    The reader looks in the same pass as the bounds check (Scanner, archive/files.py); this
    inflates the part again, for a sheet whose part was not checked."""
    scanner = Scanner(every_chunk=True)
    try:
        with zipfile.ZipFile(path) as zf:
            for chunk in bounds.inflate(zf, zf.getinfo(part), path):
                scanner.feed(chunk)
    except Exception:  # calamine read the part; a second look that fails changes nothing
        return {}
    return scanner.close()


class Scanner:
    """Fed a worksheet part's inflated bytes in order, in chunks cut anywhere; `close()` gives
    what `scan` gives.

    Every formula cell holds '<f' (or 'x:f'), even a shared formula's other cells (<f
    t="shared" si="0"/>), and every error cell the value "e"; a chunk holding neither (nor one
    cut in two at its start) holds no such cell, and passing it over costs two memchr-speed
    byte searches: a sheet's rows of plain values have no 'f' and no 'e' at all (<row r="5"
    spans="1:9"><c r="A5" s="1" t="s"><v>12</v></c>). The cell a chunk ends in is carried
    into the next one either way, and looked at with it when either may hold one, so a cell
    cut in two is looked at whole."""

    def __init__(self, every_chunk: bool = False):
        self.found: dict[tuple[int, int], tuple[str, str]] = {}
        self._carry = b""
        self._every = every_chunk

    def feed(self, chunk: bytes) -> None:
        carry = self._carry
        if not (self._every or _may_hold(chunk) or _may_hold(carry) or _may_hold(carry[-8:] + chunk[:8])):
            cut = _last_cell_start(chunk)
            if cut >= 0:
                self._carry = chunk[cut:]
            elif len(self._carry) + len(chunk) < (64 << 20):
                self._carry += chunk
            else:
                self._carry = b""
            return
        data = carry + chunk if carry else chunk
        # cut before the last cell that starts in this chunk: every cell before it is whole
        cut = _last_cell_start(data)
        if cut <= 0:
            self._carry = data if len(data) < (64 << 20) else b""
            return
        self._carry = data[cut:]
        _scan_chunk(data[:cut], self.found)

    def close(self) -> dict[tuple[int, int], tuple[str, str]]:
        if self._carry:
            if self._every or _may_hold(self._carry):
                _scan_chunk(self._carry, self.found)
            self._carry = b""
        return self.found


def _last_cell_start(data: bytes) -> int:
    """Where the last cell that starts in `data` starts (its '<'), or -1."""
    at = data.rfind(b"<c ")  # found near the end of a chunk of rows; the other forms only after it
    at = max(at, data.rfind(b"<c>", max(at, 0)), data.rfind(b":c ", max(at, 0)))
    return data.rfind(b"<", 0, at + 1) if at > 0 else -1


def _may_hold(data: bytes) -> bool:
    """Whether `data` may hold a formula or an error cell (single bytes first: a memchr each)."""
    return (b"f" in data and (b"<f" in data or b":f" in data)) or (b"e" in data and (b'"e"' in data or b"'e'" in data))


def _scan_chunk(data: bytes, found: dict) -> None:
    if b'"e"' in data or b"'e'" in data:  # t="e", or t = "e" (calamine reads that too)
        for m in _ERROR_CELL.finditer(data):
            ref = _REF.search(m.group(1))
            value = _VALUE.search(m.group(2))
            if ref:
                found[_rc(ref.group(1))] = (ERROR, _unescape(value.group(1)).strip() if value else "#N/A")
    if b"<f" in data or b":f" in data:  # the chunk holds formulas: find their cells
        for m in _NO_VALUE.finditer(data):
            begin = max(0, m.start() - _TAIL)
            at = max(data.rfind(b"<c ", begin, m.start()), data.rfind(b":c ", begin, m.start()))
            cell = _CELL_START.match(data, data.rfind(b"<", begin, at + 1)) if at >= 0 else None
            if cell is None or _TYPE_ERROR.search(cell.group(0)):
                continue
            ref = _REF.search(cell.group(0))
            if ref:
                formula = _unescape(m.group(1) or b"").strip()
                found.setdefault(_rc(ref.group(1)), (FORMULA, f"={formula}" if formula else ""))


def typed_over(kind: str, shown: str) -> Msg:
    """Why a cell of a sheet a clerk filled in (a call sheet, an audit sheet) cannot be taken as
    written, and how to type it: Excel makes a formula of text starting with = + - @ (a note
    "=她说谢谢" shows #NAME?), and a script's openpyxl writes such text as a formula with no value."""
    if kind == ERROR:
        return msg(
            f"单元格是错误值 {shown}，读不出写的内容（以 = + - @ 开头的内容会被 Excel 当作公式）；"
            "请重新输入：开头先打一个英文单引号 '，或去掉开头的符号",
            f"the cell holds the error value {shown}, not what was typed (Excel takes text starting with "
            "= + - @ for a formula): type it again with an apostrophe (') first, or without that sign",
        )
    return msg(
        f"单元格是公式 {shown}，文件里没有它的值（由程序保存、未经计算）；请填写内容本身"
        "（文字以 = 开头时先打一个英文单引号 '），或在 Excel 中打开、保存后再记录",
        f"the cell holds the formula {shown} with no value saved (written by a program, never "
        "calculated): type the value itself (an apostrophe (') first for text starting with =), or "
        "open and save the sheet in Excel, then record again",
    )


def _rc(ref: bytes) -> tuple[int, int]:
    row, col = parse_cell_ref(ref.decode("ascii"))
    return row - 1, col - 1


def problems(
    found: dict[tuple[int, int], tuple[str, str]], columns: dict[int, str], header_idx: int, file: str, sheet: str
) -> list[Problem]:
    """One warning per used column (index → its header) that has such cells below the header row."""
    by_col: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for (row, col), (kind, text) in sorted(found.items()):
        if row > header_idx and col in columns:
            by_col.setdefault((col, kind), []).append((row, text))
    out = []
    for (col, kind), cells in sorted(by_col.items()):
        header, letter = columns[col], col_letters(col + 1)
        refs = [cell_ref(r, col) for r, _ in cells]
        shown = "、".join(refs[:5]) + ("…" if len(refs) > 5 else "")
        shown_en = ", ".join(refs[:5]) + (" ..." if len(refs) > 5 else "")
        first = cells[0][1]
        if kind == ERROR:
            codes = sorted({t for _, t in cells})
            message = msg(
                f"“{header}”（{letter} 列）有 {len(cells)} 个单元格是 Excel 错误值（{'、'.join(codes)}），"
                f"按空白读取：{shown}；请改正这些单元格的公式或数值",
                f"'{header}' (column {letter}): {len(cells)} cell(s) hold an Excel error ({', '.join(codes)}) "
                f"and were read as empty: {shown_en}; correct the formula or the value in them",
            )
            code = "error-cell"
        else:
            message = msg(
                f"“{header}”（{letter} 列）有 {len(cells)} 个单元格是没有保存计算结果的公式（如 {first or '公式'}），"
                f"按空白读取：{shown}；这个文件由不计算公式的程序保存，请在 Excel、WPS 或 LibreOffice 中打开并保存一次",
                f"'{header}' (column {letter}): {len(cells)} cell(s) hold a formula saved without its value "
                f"(such as {first or 'a formula'}) and were read as empty: {shown_en}; the file was saved by a "
                "program that does not calculate formulas: open it in Excel, WPS or LibreOffice and save it once",
            )
            code = "formula-without-value"
        # at the column's header cell: a cell's own error (a required value missing) stays said at the cell
        out.append(Problem(WARNING, file, sheet, cell_ref(header_idx, col), first or None, message, code))
    return out
