"""Reading a worksheet part once, streamed, noting byte offsets without building a tree.

`scan_sheet` notes the `<dimension>`, where `<sheetData>` ends, the last row holding a
value and the rows asked for, so a 300,000-row sheet costs a few megabytes.

A row is real when it holds a value: an inline string, a `<v>` with something in it, or a
formula not calculated yet (no `<v>`); a formula showing nothing (its cached result empty,
`<v></v>`) is not a value.

Assumptions, checked as we go (we refuse rather than guess when one fails): the part is
UTF-8; `<sheetData>` holds nothing but `<row>` elements in ascending order (the order
Excel, LibreOffice, WPS and openpyxl write); a row's `r` may be missing, and then it is
the previous row + 1; the same for a cell's `r` within its row.
"""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from followup_cli.errors import WriteRefused
from followup_cli.text.messages import msg
from followup_cli.xlsx import limits
from followup_cli.xlsx.cells import attrs_of
from followup_cli.xlsx.limits import MAX_ROW
from followup_cli.xlsx.package import MAIN_NS, STRICT_NS

_SHEETDATA_RE = re.compile(rb"<([\w.-]+:)?sheetData\b([^>]*)>")  # only once its '>' has arrived
_ROOT_RE = re.compile(rb"<(?![?!])([\w.-]+:)?([\w.-]+)\b([^>]*)>")
_ROW_R_RE = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")


@dataclass
class RowSeen:
    number: int
    start: int  # absolute offsets in the part
    end: int
    xml: bytes = b""


@dataclass
class SheetScan:
    prefix: str
    length: int = 0
    dimension: tuple[int, int, str] | None = None  # start, end, ref value
    cols: list[tuple[int, int, str | None]] = field(default_factory=list)
    sheetdata_open_end: int = 0  # offset just after `<sheetData>`
    sheetdata_selfclosed: tuple[int, int] | None = None  # span of `<sheetData/>`
    sheetdata_close: int = 0  # offset of `</sheetData>` (or of `<sheetData/>`)
    last_real: RowSeen | None = None
    prev_real: RowSeen | None = None  # the real row above it (its formulas tell a formula column)
    real_rows: int = 0
    max_row: int = 0  # highest row number seen, empty rows included
    after_last: list[RowSeen] = field(default_factory=list)  # empty rows just below the last real one
    wanted: dict[int, RowSeen] = field(default_factory=dict)
    insert_at: dict[int, int] = field(default_factory=dict)  # missing wanted row -> offset
    tail_start: int = 0
    tail: bytes = b""
    array_refs: list[str] = field(default_factory=list)  # ranges of array formulas (update mode)

    def col_style(self, col: int) -> str | None:
        for lo, hi, style in self.cols:
            if lo <= col <= hi:
                return style
        return None


class _Buffer:
    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.buf = b""
        self.base = 0  # absolute offset of buf[0]
        self.eof = False

    def more(self, keep_from: int) -> int:
        """Read another chunk, dropping buf[:keep_from]; returns how far positions shift."""
        chunk = self.stream.read(limits.CHUNK)
        if not chunk:
            self.eof = True
        self.buf = self.buf[keep_from:] + chunk
        self.base += keep_from
        return keep_from


def scan_sheet(
    stream: BinaryIO, where: str, *, follow_rows: int = 0, want_rows: Iterable[int] = (), arrays: bool = False
) -> SheetScan:
    """Read a worksheet part once and note where things are.

    `follow_rows`: how many rows are about to be appended; the empty rows that sit in
    that many rows below the last real row are noted (they will be replaced).
    `want_rows`: rows whose XML to keep (for in-place updates), and where missing ones go.
    `arrays`: note the ranges of array formulas (and dynamic-array spills).
    """
    rd = _Buffer(stream)

    def refuse(zh: str, en: str) -> WriteRefused:
        return WriteRefused(
            msg(f"{where}：{zh}；followup 不会改写此工作表", f"{where}: {en}; followup will not rewrite this sheet")
        )

    # -- head: everything up to <sheetData>
    while True:
        m = _SHEETDATA_RE.search(rd.buf)
        if m or rd.eof:
            break
        if len(rd.buf) > 256 * limits.CHUNK:
            raise refuse("前 256 MB 中没有 <sheetData>", "no <sheetData> in the first 256 MB")
        rd.more(0)
    if not m:
        raise refuse("工作表没有 <sheetData>", "the worksheet has no <sheetData>")
    head = rd.buf[: m.start()]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise refuse("工作表 XML 声明了 DOCTYPE", "the worksheet XML declares a DOCTYPE")
    if head[:3] == b"\xef\xbb\xbf":
        pass  # a UTF-8 BOM is fine
    elif head[:2] in (b"\xff\xfe", b"\xfe\xff") or re.search(rb"encoding\s*=\s*['\"](?!utf-8)", head[:200], re.I):
        raise refuse("工作表 XML 不是 UTF-8 编码", "the worksheet XML is not UTF-8")
    root = _ROOT_RE.search(head)
    if not root or root.group(2) != b"worksheet":
        raise refuse("该部件不是 <worksheet>", "the part is not a <worksheet>")
    prefix = (root.group(1) or b"").decode()
    if m.group(2).strip() not in (b"", b"/") or (m.group(1) or b"").decode() != prefix:
        raise refuse("<sheetData> 元素异常", "unexpected <sheetData> element")
    ns_attr = "xmlns:" + prefix[:-1] if prefix else "xmlns"
    ns = attrs_of(root.group(3)).get(ns_attr)
    if ns == STRICT_NS:
        raise WriteRefused(
            msg(
                f"{where}：该工作簿以 Strict Open XML 格式保存，followup 不会改写此格式",
                f"{where}: the workbook is saved as Strict Open XML, which followup does not rewrite",
            ),
            msg(
                "请在 Excel 中另存为普通的“Excel 工作簿 (*.xlsx)”",
                "save it from Excel as an ordinary 'Excel Workbook (*.xlsx)'",
            ),
        )
    if ns != MAIN_NS:
        raise refuse(f"工作表的命名空间是 {ns!r}", f"the worksheet's namespace is {ns!r}")
    if b"<!--" in head:
        # a comment could hide markup from a text scan; no spreadsheet program writes one
        raise refuse("工作表 XML 含有注释", "the worksheet XML contains comments")

    scan = SheetScan(prefix=prefix)
    pb = prefix.encode()
    dim = re.search(rb"<" + re.escape(pb) + rb"dimension\b[^>]*?\sref\s*=\s*\"([^\"]*)\"", head)
    if dim:
        scan.dimension = (dim.start(1), dim.end(1), dim.group(1).decode())
    for cm in re.finditer(rb"<" + re.escape(pb) + rb"col\b([^>]*)>", head):
        a = attrs_of(cm.group(1))
        try:
            scan.cols.append((int(a["min"]), int(a["max"]), a.get("style")))
        except (KeyError, ValueError):
            raise refuse("有个 <col> 元素缺少 min/max", "a <col> element without min/max") from None

    pos = m.end()
    if m.group(2).strip() == b"/":
        scan.sheetdata_selfclosed = (m.start(), m.end())
        scan.sheetdata_open_end = scan.sheetdata_close = m.start()
        return _finish(scan, rd, pos)
    scan.sheetdata_open_end = m.end()

    # -- rows, a region of complete rows at a time
    rows = _RowScanner(scan, pb, follow_rows, want_rows, refuse)
    data_close = b"</" + pb + b"sheetData>"
    array_re = re.compile(rb"<" + re.escape(pb) + rb"f\s[^>]*>")

    def note_arrays(buf: bytes, start: int, end: int) -> None:
        if not arrays:
            return
        for fm in array_re.finditer(buf, start, end):
            a = attrs_of(fm.group(0))
            if a.get("t") == "array" and a.get("ref"):
                scan.array_refs.append(a["ref"])

    searched = pos  # where the next search for </sheetData> may start
    while True:
        buf = rd.buf
        close = buf.find(data_close, searched)
        searched = max(pos, len(buf) - len(data_close))
        if close >= 0:
            note_arrays(buf, pos, close)
            rows.region(buf, rd.base, pos, close)
            scan.sheetdata_close = rd.base + close
            rows.finish(scan.sheetdata_close)
            return _finish(scan, rd, close + len(data_close))
        cut = buf.rfind(rows.row_close, pos)
        if cut >= 0:
            cut += len(rows.row_close)
            note_arrays(buf, pos, cut)
            rows.region(buf, rd.base, pos, cut)
            pos = cut
        if rd.eof:
            raise refuse("工作表 XML 在 <sheetData> 内部就结束了", "the worksheet XML ends inside <sheetData>")
        if len(buf) - pos > 64 * limits.CHUNK:
            raise refuse("有一行超过 64 MB", "a row longer than 64 MB")
        shift = rd.more(pos)
        pos -= shift
        searched = max(0, searched - shift)  # a negative start would count from the end


_NON_WS = re.compile(rb"[^ \t\r\n]")


def _find_bang(buf: bytes, start: int, end: int) -> int:
    """Where `<!` first starts in [start, end), or -1. Looking for the rare `!` and then at the
    byte before it is ten times faster than finding `<!` in XML, where `<` is every few bytes."""
    i = buf.find(b"!", start, end)
    while i >= 0:
        if i > start and buf[i - 1] == 0x3C:  # '<'
            return i - 1
        i = buf.find(b"!", i + 1, end)
    return -1


class _RowScanner:
    """Walks regions of complete `<row>` elements, keeping the scan's row bookkeeping.

    The fast path looks at a whole region with a few C-level searches: it needs every row
    to carry `r`, and it only finds the region's last row holding a value. Anything else
    (rows without `r`, rows asked for, empty rows just below the last real row, something
    that is not a row) goes row by row through `slow`, which also gives the exact refusal.
    """

    def __init__(self, scan: SheetScan, pb: bytes, follow_rows: int, want_rows: Iterable[int], refuse):
        self.scan = scan
        self.refuse = refuse
        self.follow_rows = follow_rows
        self.wanted = sorted(set(want_rows))
        self.wi = 0
        self.number = 0  # the last row number seen
        self.row_open = b"<" + pb + b"row"
        self.row_close = b"</" + pb + b"row>"
        esc = re.escape(pb)
        # every row start, with its r ('' when it has none)
        self.row_any_re = re.compile(rb"<" + esc + rb"row(?=[\s/>])(?:[^>]*?\sr\s*=\s*[\"'](\d+)[\"'])?")
        self.row_r_re = re.compile(rb"<" + esc + rb"row\b[^>]*?\sr\s*=\s*[\"'](\d+)[\"']")
        # A value: an inline string, a <v> with something in it, or a formula not yet
        # calculated (no <v> at all). A formula whose cached result is empty
        # (=IF(B9="","",ROW()-1) filled down ahead of the data) shows nothing: its row is a
        # prepared row, like one that only carries formatting.
        self.value_re = re.compile(rb"<" + esc + rb"(?:is[\s/>]|v(?:\s[^>]*)?>(?!<))")
        self.formula_re = re.compile(rb"<" + esc + rb"f[\s/>]")
        self.cached_re = re.compile(rb"<" + esc + rb"v[\s/>]")
        self.cell_close = b"</" + pb + b"c>"
        self.markers = [b"<" + pb + m for m in (b"v", b"is", b"f")]

    def finish(self, close_at: int) -> None:
        for w in self.wanted[self.wi :]:
            self.scan.insert_at[w] = close_at

    def _last_value(self, buf: bytes, start: int, end: int) -> int:
        """Offset of the last value (`<is`, a `<v>` with content) in [start, end), or -1."""
        best = -1
        for m in self.markers:
            j = buf.rfind(m, max(start, best), end)
            while j >= 0 and not self._value_at(buf, j, end):  # <vertAlign>, <v></v> ...
                j = buf.rfind(m, max(start, best), j)
            best = max(best, j)
        return best

    def _value_at(self, buf: bytes, j: int, end: int) -> bool:
        if self.formula_re.match(buf, j):
            close = buf.find(self.cell_close, j, end)
            return not self.cached_re.search(buf, j, close if close >= 0 else end)
        return self.value_re.match(buf, j) is not None

    def region(self, buf: bytes, base: int, start: int, end: int) -> None:
        scan = self.scan
        bang = _find_bang(buf, start, end)
        if bang >= 0:
            comment = buf.startswith(b"<!--", bang)
            what = "comments" if comment else "a <! declaration or CDATA section"
            what_zh = "注释" if comment else "<! 声明或 CDATA 段"
            raise self.refuse(
                f"工作表 XML 的 <sheetData> 中含有{what_zh}", f"the worksheet XML contains {what} inside <sheetData>"
            )
        if not _NON_WS.search(buf, start, end):
            return
        found = self.row_any_re.findall(buf, start, end)
        if not found or b"" in found:  # rows without r: count them one by one
            return self.slow(buf, base, start, end)
        nums = list(map(int, found))
        if (
            nums[0] <= self.number
            or nums[-1] > MAX_ROW
            or not all(map(operator.lt, nums, nums[1:]))
            or (self.wi < len(self.wanted) and self.wanted[self.wi] <= nums[-1])
        ):
            return self.slow(buf, base, start, end)
        last_num = scan.last_real.number if scan.last_real else 0
        idx = self._last_value(buf, start, end)
        if idx < 0:  # only empty rows here
            if self.follow_rows and nums[0] <= last_num + self.follow_rows:
                return self.slow(buf, base, start, end)
            self.number = scan.max_row = nums[-1]
            return
        found_row = self._row_around(buf, start, idx, end)
        if found_row is None:
            return self.slow(buf, base, start, end)
        row_s, row_e, num = found_row
        prev = self._last_value(buf, start, row_s)
        # real_rows is exact only up to 2: all the header guess needs
        scan.real_rows += 2 if prev >= 0 else 1
        prev_row = self._row_around(buf, start, prev, row_s) if prev >= 0 else None
        if prev_row is not None:
            scan.prev_real = RowSeen(
                prev_row[2], base + prev_row[0], base + prev_row[1], buf[prev_row[0] : prev_row[1]]
            )
        elif prev < 0:
            scan.prev_real = scan.last_real
        else:
            scan.prev_real = None
        scan.last_real = RowSeen(num, base + row_s, base + row_e, buf[row_s:row_e])
        scan.after_last = []
        self.number = scan.max_row = num
        k = bisect.bisect_right(nums, num)
        if self.follow_rows and k < len(nums) and nums[k] <= num + self.follow_rows:
            return self.slow(buf, base, row_e, end)
        self.number = scan.max_row = nums[-1]

    def _row_around(self, buf: bytes, start: int, idx: int, end: int) -> tuple[int, int, int] | None:
        """(start, end, number) of the row holding offset `idx`, or None when unsure."""
        row_s = buf.rfind(self.row_open, start, idx)
        while row_s >= 0 and buf[row_s + len(self.row_open)] not in b" \t\r\n/>":
            row_s = buf.rfind(self.row_open, start, row_s)
        row_e = buf.find(self.row_close, idx, end)
        m = self.row_r_re.match(buf, row_s) if row_s >= 0 else None
        if row_e < 0 or m is None:
            return None
        return row_s, row_e + len(self.row_close), int(m.group(1))

    def slow(self, buf: bytes, base: int, start: int, end: int) -> None:
        scan, refuse = self.scan, self.refuse
        row_open, row_close = self.row_open, self.row_close
        pos = start
        while True:
            lt = buf.find(b"<", pos, end)
            if _NON_WS.search(buf, pos, end if lt < 0 else lt):
                raise refuse("<sheetData> 中有文本", "text inside <sheetData>")
            if lt < 0:
                return
            if buf.startswith(row_open, lt) and buf[lt + len(row_open)] in b" \t\r\n/>":
                gt = buf.find(b">", lt, end)
                if gt < 0:
                    raise refuse("有个 <row> 元素已损坏", "a damaged <row> element")
                if buf[gt - 1] == 0x2F:  # '/': <row .../>
                    row_end = body_start = gt + 1
                else:
                    close = buf.find(row_close, gt, end)
                    if close < 0:
                        raise refuse("有个 <row> 缺少结束标签", "a <row> without its end tag")
                    row_end, body_start = close + len(row_close), gt + 1
                rm = _ROW_R_RE.search(buf, lt, gt)
                if rm:
                    n = int(rm.group(1))
                    if n <= self.number:
                        raise refuse(
                            f"行的顺序错乱（第 {n} 行在第 {self.number} 行之后）",
                            f"rows are out of order (row {n} after row {self.number})",
                        )
                    self.number = n
                else:
                    self.number += 1
                number = self.number
                if number > MAX_ROW:
                    raise refuse(f"行号 {number} 超出 Excel 的最后一行", f"row number {number} beyond Excel's last row")
                start_abs, end_abs = base + lt, base + row_end
                wanted = self.wanted
                while self.wi < len(wanted) and wanted[self.wi] < number:
                    scan.insert_at[wanted[self.wi]] = start_abs
                    self.wi += 1
                if self.wi < len(wanted) and wanted[self.wi] == number:
                    scan.wanted[number] = RowSeen(number, start_abs, end_abs, buf[lt:row_end])
                    self.wi += 1
                if body_start < row_end and self._last_value(buf, body_start, row_end) >= 0:
                    scan.prev_real = scan.last_real
                    scan.last_real = RowSeen(number, start_abs, end_abs, buf[lt:row_end])
                    scan.real_rows += 1
                    scan.after_last = []
                elif self.follow_rows and number <= (scan.last_real.number if scan.last_real else 0) + self.follow_rows:
                    scan.after_last.append(RowSeen(number, start_abs, end_abs, buf[lt:row_end]))
                scan.max_row = number
                pos = row_end
            elif buf.startswith(b"<!--", lt):
                raise refuse(
                    "工作表 XML 的 <sheetData> 中含有注释", "the worksheet XML contains comments inside <sheetData>"
                )
            else:
                tag = buf[lt : lt + 40].split(b">")[0].decode("utf-8", "replace")
                raise refuse(f"<sheetData> 中有异常元素 {tag}>", f"unexpected element {tag}> inside <sheetData>")


def _finish(scan: SheetScan, rd: _Buffer, pos: int) -> SheetScan:
    scan.tail_start = rd.base + pos
    parts = [rd.buf[pos:]]
    while True:
        chunk = rd.stream.read(limits.CHUNK)
        if not chunk:
            break
        parts.append(chunk)
    scan.tail = b"".join(parts)
    scan.length = scan.tail_start + len(scan.tail)
    return scan
