"""Surgery on one worksheet part of an .xlsx/.xlsm package, streamed.

This module knows the package format and nothing about shops or visits:

* `read_package` finds a worksheet's part through the workbook's relationships;
* `scan_sheet` reads a worksheet part once, in chunks, and notes byte offsets (the
  `<dimension>`, where `<sheetData>` ends, the last row holding a value, the rows asked
  for) without building a tree, so a 300,000-row sheet costs a few megabytes;
* `splice` streams the part a second time and writes it out with replacements at
  those offsets;
* `rewrite_zip` writes a new package in which every member except the replaced ones is
  copied as its raw compressed bytes, in the original order.

Assumptions, checked as we go (we refuse rather than guess when one fails): the part is
UTF-8; `<sheetData>` holds nothing but `<row>` elements in ascending order (the order
Excel, LibreOffice, WPS and openpyxl write); a row's `r` may be missing, and then it is
the previous row + 1; the same for a cell's `r` within its row.
"""

from __future__ import annotations

import bisect
import operator
import posixpath
import re
import struct
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import BinaryIO, Callable, Iterable
from urllib.parse import unquote
from xml.parsers import expat

from defusedxml import ElementTree as SafeET

from followup_cli.errors import DataProblems, UnreadableFile, WriteRefused
from followup_cli.archive.files import column_letter

CHUNK = 1 << 20
# zlib level for the rewritten part: 4 costs ~9% more bytes than Excel's usual 6 and less
# than half the time on a 120 MB sheet; Excel recompresses on its next save anyway.
DEFLATE_LEVEL = 4
MAX_ROW = 1_048_576
MAX_COL = 16_384
MAX_TEXT = 32_767

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_OFFICE_DOCUMENT = DOC_REL_NS + "/officeDocument"
REL_WORKSHEET = DOC_REL_NS + "/worksheet"
REL_TABLE = DOC_REL_NS + "/table"

_M = "{%s}" % MAIN_NS
_R = "{%s}" % PKG_REL_NS


# ---------------------------------------------------------------------------
# cell references


def col_letters(col: int) -> str:
    """1-based column → letters (workbook.column_letter counts from 0)."""
    return column_letter(col - 1)


def col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


_REF_RE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def parse_cell_ref(ref: str) -> tuple[int, int]:
    """'B7' -> (row 7, col 2)."""
    m = _REF_RE.match(ref.strip())
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(m.group(2)), col_index(m.group(1))


def parse_range(ref: str) -> tuple[int, int, int, int]:
    """'A1:L20' -> (top row, left col, bottom row, right col); 'A1' is a 1-cell range."""
    first, _, last = ref.strip().partition(":")
    r1, c1 = parse_cell_ref(first)
    r2, c2 = parse_cell_ref(last) if last else (r1, c1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def format_range(top: int, left: int, bottom: int, right: int) -> str:
    a = f"{col_letters(left)}{top}"
    b = f"{col_letters(right)}{bottom}"
    return a if a == b else f"{a}:{b}"


# ---------------------------------------------------------------------------
# the package: where is the sheet, what else points at it


@dataclass
class SheetEntry:
    name: str
    part: str  # zip member name of the worksheet part
    rel_type: str
    state: str = "visible"


@dataclass
class PackageInfo:
    workbook_part: str
    sheets: list[SheetEntry]
    date1904: bool
    defined_names: list[tuple[str, str]]  # (name, formula text)

    def sheet(self, name: str, where: str) -> SheetEntry:
        for entry in self.sheets:
            if entry.name == name:
                break
        else:
            folded = [e for e in self.sheets if e.name.casefold() == name.casefold()]
            if len(folded) != 1:
                names = ", ".join(e.name for e in self.sheets) or "(none)"
                raise WriteRefused(
                    f"{where}: sheet '{name}' not found; sheets are: {names}",
                    "check the sheet name in followup.toml",
                )
            entry = folded[0]
        if entry.rel_type != REL_WORKSHEET:
            raise WriteRefused(
                f"{where}: '{entry.name}' is a chart or dialog sheet, not a worksheet; "
                "cannot write rows into it"
            )
        return entry


def _parse_xml(zf, member: str, where: str):
    try:
        data = zf.read(member)
    except KeyError:
        raise UnreadableFile(where, f"the package has no part '{member}'") from None
    try:
        return SafeET.fromstring(data)
    except Exception as exc:  # defusedxml raises several kinds; all mean "not safe to touch"
        raise UnreadableFile(where, f"part '{member}' is not well-formed XML ({exc})") from None


def rels_part_for(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve_target(source_part: str, target: str) -> str:
    target = unquote(target)
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def find_member(names: Iterable[str], part: str) -> str | None:
    """Part names are case-insensitive in OPC; zip member names are not."""
    names = list(names)
    if part in names:
        return part
    folded = [n for n in names if n.casefold() == part.casefold()]
    return folded[0] if len(folded) == 1 else None


def read_relationships(zf, source_part: str, where: str) -> list[tuple[str, str, str]]:
    """[(rId, type, resolved target part)] of a part; internal targets only."""
    rels = find_member(zf.namelist(), rels_part_for(source_part))
    if rels is None:
        return []
    root = _parse_xml(zf, rels, where)
    out = []
    for rel in root.iter(_R + "Relationship"):
        if rel.get("TargetMode", "Internal") != "Internal":
            continue
        out.append((rel.get("Id", ""), rel.get("Type", ""), resolve_target(source_part, rel.get("Target", ""))))
    return out


def read_package(zf, where: str) -> PackageInfo:
    names = zf.namelist()
    workbook_part = None
    for _rid, rtype, target in read_relationships(zf, "", where):
        if rtype == REL_OFFICE_DOCUMENT:
            workbook_part = find_member(names, target)
        elif rtype.startswith("http://purl.oclc.org/ooxml/"):
            raise WriteRefused(
                f"{where}: the workbook is saved as Strict Open XML, which followup does not rewrite",
                "save it from Excel as an ordinary 'Excel Workbook (*.xlsx)'",
            )
    if workbook_part is None:
        workbook_part = find_member(names, "xl/workbook.xml")
    if workbook_part is None:
        raise UnreadableFile(where, "not an Excel workbook package (no workbook part)")

    root = _parse_xml(zf, workbook_part, where)
    if root.tag.startswith("{" + STRICT_NS):
        raise WriteRefused(
            f"{where}: the workbook is saved as Strict Open XML, which followup does not rewrite",
            "save it from Excel as an ordinary 'Excel Workbook (*.xlsx)'",
        )
    pr = root.find(_M + "workbookPr")
    date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")

    targets = {rid: (rtype, target) for rid, rtype, target in read_relationships(zf, workbook_part, where)}
    sheets = []
    for el in root.iter(_M + "sheet"):
        rid = el.get("{%s}id" % DOC_REL_NS, "")
        rtype, target = targets.get(rid, ("", ""))
        member = find_member(names, target) if target else None
        if member is None:
            raise UnreadableFile(where, f"sheet '{el.get('name')}' points at a part that is missing")
        sheets.append(SheetEntry(el.get("name", ""), member, rtype, el.get("state", "visible")))

    defined = [(dn.get("name", ""), dn.text or "") for dn in root.iter(_M + "definedName")]
    return PackageInfo(workbook_part, sheets, date1904, defined)


def _mentions_sheet(formula: str, sheet: str) -> bool:
    quoted = "'" + sheet.replace("'", "''") + "'!"
    return quoted.casefold() in formula.casefold() or (sheet + "!").casefold() in formula.casefold()


def check_pivot_sources(zf, info: PackageInfo, sheet: SheetEntry, table_names: set[str], where: str) -> None:
    """Refuse when a pivot cache is built from this sheet: an append cannot extend it."""
    for member in zf.namelist():
        if not re.search(r"pivotCacheDefinition[^/]*\.xml$", member, re.I) or "/_rels/" in member:
            continue
        root = _parse_xml(zf, member, where)
        src = root.find(f"{_M}cacheSource/{_M}worksheetSource")
        if src is None or src.get("{%s}id" % DOC_REL_NS):
            continue  # not a worksheet source, or one in another workbook
        name = src.get("name")
        hit = src.get("sheet") == sheet.name
        if name and not hit:
            hit = name.casefold() in {t.casefold() for t in table_names} or any(
                dn.casefold() == name.casefold() and _mentions_sheet(text, sheet.name)
                for dn, text in info.defined_names
            )
        if hit:
            what = f"{src.get('sheet') or name}!{src.get('ref')}" if src.get("ref") else (name or sheet.name)
            raise WriteRefused(
                f"{where}: sheet '{sheet.name}' feeds a pivot table (pivot cache {member}, source {what}); "
                "appending rows would leave that pivot table's source and cache stale, "
                "so followup will not write into this sheet",
                'keep the visit log in a separate workbook: set visit_log = "visits.xlsx" in followup.toml',
            )


# ---------------------------------------------------------------------------
# values -> cell XML

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ESCAPE_LIKE = re.compile("_(x[0-9A-Fa-f]{4}_)")
_DATE_1900 = date(1899, 12, 30)
_DATE_1900_BUG = date(1900, 3, 1)  # Excel counts a 1900-02-29 that never was
_DATE_1904 = date(1904, 1, 1)


def clean_text(text: str) -> str:
    """Drop characters XML 1.0 cannot carry; protect literal `_xHHHH_` (ECMA-376 escape)."""
    text = _ILLEGAL_XML.sub("", text)
    return _ESCAPE_LIKE.sub(r"_x005F_\1", text)


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def excel_serial(value: date | datetime, date1904: bool, cell: str) -> str:
    if isinstance(value, datetime):
        if value.utcoffset() is not None:
            raise ValueError(f"{cell}: {value!r} has a time zone; pass local wall-clock time")
        day = value.date()
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    else:
        day, seconds = value, 0.0
    if date1904:
        days = (day - _DATE_1904).days
    elif day >= _DATE_1900_BUG:
        days = (day - _DATE_1900).days
    else:
        days = (day - _DATE_1900).days - 1
    if days < (0 if date1904 else 1):
        raise DataProblems(f"{cell}: {day.isoformat()} is before the first date Excel can store")
    if not seconds:
        return str(days)
    return repr(round(days + seconds / 86400, 10))


def cell_xml(p: str, ref: str, value, style: str | None, date1904: bool, extra_attrs: str = "") -> str:
    """One `<c>` element. `p` is the namespace prefix of the sheet ('' or 'x:')."""
    s = f' s="{style}"' if style is not None else ""
    head = f'<{p}c r="{ref}"{s}{extra_attrs}'
    if value is None:
        return head + "/>"
    if isinstance(value, str):
        if value == "":
            return head + "/>"
        text = clean_text(value)
        if len(text) > MAX_TEXT:
            raise DataProblems(f"{ref}: text of {len(text)} characters; Excel holds at most {MAX_TEXT} in a cell")
        space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
        # Always a string cell: text starting with = + - @ stays text, never a formula.
        return f'{head} t="inlineStr"><{p}is><{p}t{space}>{xml_escape(text)}</{p}t></{p}is></{p}c>'
    if isinstance(value, bool):
        return f'{head} t="b"><{p}v>{int(value)}</{p}v></{p}c>'
    if isinstance(value, int):
        return f"{head}><{p}v>{value}</{p}v></{p}c>"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise DataProblems(f"{ref}: {value} is not a number Excel can store")
        return f"{head}><{p}v>{repr(value)}</{p}v></{p}c>"
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise DataProblems(f"{ref}: {value} is not a number Excel can store")
        return f"{head}><{p}v>{value}</{p}v></{p}c>"
    if isinstance(value, (date, datetime)):
        return f"{head}><{p}v>{excel_serial(value, date1904, ref)}</{p}v></{p}c>"
    raise TypeError(f"{ref}: cannot write a {type(value).__name__} into a cell: {value!r}")


def check_value_type(value) -> None:
    if value is None or isinstance(value, (str, int, float, Decimal, date)):
        return
    raise TypeError(f"cannot write a {type(value).__name__} into a cell: {value!r}")


# ---------------------------------------------------------------------------
# scanning a worksheet part

_ATTR_RE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SHEETDATA_RE = re.compile(rb"<([\w.-]+:)?sheetData\b([^>]*)>")  # only once its '>' has arrived
_ROOT_RE = re.compile(rb"<(?![?!])([\w.-]+:)?([\w.-]+)\b([^>]*)>")
_ROW_R_RE = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")


def attrs_of(tag: bytes) -> dict[str, str]:
    return {m.group(1).decode(): (m.group(2) if m.group(2) is not None else m.group(3)).decode() for m in _ATTR_RE.finditer(tag)}


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
        chunk = self.stream.read(CHUNK)
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
    refuse = lambda why: WriteRefused(f"{where}: {why}; followup will not rewrite this sheet")  # noqa: E731

    # -- head: everything up to <sheetData>
    while True:
        m = _SHEETDATA_RE.search(rd.buf)
        if m or rd.eof:
            break
        if len(rd.buf) > 256 * CHUNK:
            raise refuse("no <sheetData> in the first 256 MB")
        rd.more(0)
    if not m:
        raise refuse("the worksheet has no <sheetData>")
    head = rd.buf[: m.start()]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise refuse("the worksheet XML declares a DOCTYPE")
    if head[:3] == b"\xef\xbb\xbf":
        pass  # a UTF-8 BOM is fine
    elif head[:2] in (b"\xff\xfe", b"\xfe\xff") or re.search(rb"encoding\s*=\s*['\"](?!utf-8)", head[:200], re.I):
        raise refuse("the worksheet XML is not UTF-8")
    root = _ROOT_RE.search(head)
    if not root or root.group(2) != b"worksheet":
        raise refuse("the part is not a <worksheet>")
    prefix = (root.group(1) or b"").decode()
    if m.group(2).strip() not in (b"", b"/") or (m.group(1) or b"").decode() != prefix:
        raise refuse("unexpected <sheetData> element")
    ns_attr = "xmlns:" + prefix[:-1] if prefix else "xmlns"
    ns = attrs_of(root.group(3)).get(ns_attr)
    if ns == STRICT_NS:
        raise WriteRefused(
            f"{where}: the workbook is saved as Strict Open XML, which followup does not rewrite",
            "save it from Excel as an ordinary 'Excel Workbook (*.xlsx)'",
        )
    if ns != MAIN_NS:
        raise refuse(f"the worksheet's namespace is {ns!r}")
    if b"<!--" in head:
        # a comment could hide markup from a text scan; no spreadsheet program writes one
        raise refuse("the worksheet XML contains comments")

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
            raise refuse("a <col> element without min/max") from None

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
            raise refuse("the worksheet XML ends inside <sheetData>")
        if len(buf) - pos > 64 * CHUNK:
            raise refuse("a row longer than 64 MB")
        shift = rd.more(pos)
        pos -= shift
        searched = max(0, searched - shift)  # a negative start would count from the end


_NON_WS = re.compile(rb"[^ \t\r\n]")


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
        self.value_re = re.compile(rb"<" + esc + rb"(?:v|is|f)[\s/>]")
        self.markers = [b"<" + pb + m for m in (b"v", b"is", b"f")]

    def finish(self, close_at: int) -> None:
        for w in self.wanted[self.wi :]:
            self.scan.insert_at[w] = close_at

    def _last_value(self, buf: bytes, start: int, end: int) -> int:
        """Offset of the last `<v`, `<is` or `<f` element start in [start, end), or -1."""
        best = -1
        for m in self.markers:
            j = buf.rfind(m, max(start, best), end)
            while j >= 0 and buf[j + len(m)] not in b" \t\r\n/>":  # <vertAlign>, <family>...
                j = buf.rfind(m, max(start, best), j)
            best = max(best, j)
        return best

    def region(self, buf: bytes, base: int, start: int, end: int) -> None:
        scan = self.scan
        bang = buf.find(b"<!", start, end)
        if bang >= 0:
            what = "comments" if buf.startswith(b"<!--", bang) else "a <! declaration or CDATA section"
            raise self.refuse(f"the worksheet XML contains {what} inside <sheetData>")
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
        row_s = buf.rfind(self.row_open, start, idx)
        while row_s >= 0 and buf[row_s + len(self.row_open)] not in b" \t\r\n/>":
            row_s = buf.rfind(self.row_open, start, row_s)
        row_e = buf.find(self.row_close, idx, end)
        m = self.row_r_re.match(buf, row_s) if row_s >= 0 else None
        if row_e < 0 or m is None:
            return self.slow(buf, base, start, end)
        row_e += len(self.row_close)
        num = int(m.group(1))
        # real_rows is exact only up to 2: all the header guess needs
        scan.real_rows += 2 if self._last_value(buf, start, row_s) >= 0 else 1
        scan.last_real = RowSeen(num, base + row_s, base + row_e, buf[row_s:row_e])
        scan.after_last = []
        self.number = scan.max_row = num
        k = bisect.bisect_right(nums, num)
        if self.follow_rows and k < len(nums) and nums[k] <= num + self.follow_rows:
            return self.slow(buf, base, row_e, end)
        self.number = scan.max_row = nums[-1]

    def slow(self, buf: bytes, base: int, start: int, end: int) -> None:
        scan, refuse = self.scan, self.refuse
        row_open, row_close = self.row_open, self.row_close
        pos = start
        while True:
            lt = buf.find(b"<", pos, end)
            if _NON_WS.search(buf, pos, end if lt < 0 else lt):
                raise refuse("text inside <sheetData>")
            if lt < 0:
                return
            if buf.startswith(row_open, lt) and buf[lt + len(row_open)] in b" \t\r\n/>":
                gt = buf.find(b">", lt, end)
                if gt < 0:
                    raise refuse("a damaged <row> element")
                if buf[gt - 1] == 0x2F:  # '/': <row .../>
                    row_end = body_start = gt + 1
                else:
                    close = buf.find(row_close, gt, end)
                    if close < 0:
                        raise refuse("a <row> without its end tag")
                    row_end, body_start = close + len(row_close), gt + 1
                rm = _ROW_R_RE.search(buf, lt, gt)
                if rm:
                    n = int(rm.group(1))
                    if n <= self.number:
                        raise refuse(f"rows are out of order (row {n} after row {self.number})")
                    self.number = n
                else:
                    self.number += 1
                number = self.number
                if number > MAX_ROW:
                    raise refuse(f"row number {number} beyond Excel's last row")
                start_abs, end_abs = base + lt, base + row_end
                wanted = self.wanted
                while self.wi < len(wanted) and wanted[self.wi] < number:
                    scan.insert_at[wanted[self.wi]] = start_abs
                    self.wi += 1
                if self.wi < len(wanted) and wanted[self.wi] == number:
                    scan.wanted[number] = RowSeen(number, start_abs, end_abs, buf[lt:row_end])
                    self.wi += 1
                if body_start < row_end and self.value_re.search(buf, body_start, row_end):
                    scan.last_real = RowSeen(number, start_abs, end_abs, buf[lt:row_end])
                    scan.real_rows += 1
                    scan.after_last = []
                elif self.follow_rows and number <= (scan.last_real.number if scan.last_real else 0) + self.follow_rows:
                    scan.after_last.append(RowSeen(number, start_abs, end_abs, buf[lt:row_end]))
                scan.max_row = number
                pos = row_end
            elif buf.startswith(b"<!--", lt):
                raise refuse("the worksheet XML contains comments inside <sheetData>")
            else:
                tag = buf[lt : lt + 40].split(b">")[0].decode("utf-8", "replace")
                raise refuse(f"unexpected element {tag}> inside <sheetData>")


def _finish(scan: SheetScan, rd: _Buffer, pos: int) -> SheetScan:
    scan.tail_start = rd.base + pos
    parts = [rd.buf[pos:]]
    while True:
        chunk = rd.stream.read(CHUNK)
        if not chunk:
            break
        parts.append(chunk)
    scan.tail = b"".join(parts)
    scan.length = scan.tail_start + len(scan.tail)
    return scan


# ---------------------------------------------------------------------------
# rows and cells


@dataclass
class CellSeen:
    col: int
    start: int  # offsets inside the row's XML
    end: int
    attrs: dict[str, str]
    has_r: bool
    xml: bytes


def row_cells(row_xml: bytes, prefix: str, where: str) -> tuple[bytes, list[CellSeen]]:
    """Split a row's XML into its start tag and its cells."""
    pb = prefix.encode()
    gt = row_xml.find(b">")
    start_tag = row_xml[: gt + 1]
    if row_xml[gt - 1] == 0x2F:
        return start_tag, []
    cell_re = re.compile(rb"<" + re.escape(pb) + rb"c\b([^>]*?)(/?)>")
    close = b"</" + pb + b"c>"
    cells: list[CellSeen] = []
    col = 0
    pos = gt + 1
    while True:
        m = cell_re.search(row_xml, pos)
        if not m:
            break
        if m.group(2):
            end = m.end()
        else:
            c = row_xml.find(close, m.end())
            if c < 0:
                raise WriteRefused(f"{where}: a cell without its end tag; followup will not rewrite this sheet")
            end = c + len(close)
        attrs = attrs_of(m.group(1))
        if "r" in attrs:
            try:
                _r, col = parse_cell_ref(attrs["r"])
            except ValueError:
                raise WriteRefused(f"{where}: cell reference {attrs['r']!r}; followup will not rewrite this sheet") from None
        else:
            col += 1
        cells.append(CellSeen(col, m.start(), end, attrs, "r" in attrs, row_xml[m.start() : end]))
        pos = end
    return start_tag, cells


# ---------------------------------------------------------------------------
# writing a part with splices


def splice(stream: BinaryIO, edits: list[tuple[int, int, bytes]], write: Callable[[bytes], None]) -> int:
    """Copy `stream` to `write`, replacing [start, end) by the given bytes; returns bytes read."""
    edits = sorted(edits, key=lambda e: (e[0], e[1]))
    for (s1, e1, _), (s2, _e2, _) in zip(edits, edits[1:]):
        if s2 < e1:
            raise AssertionError("overlapping edits")
    offset = 0  # absolute offset of the next byte to be read
    skip_to = 0
    i = 0
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        cstart, cend = offset, offset + len(chunk)
        cur = cstart
        while cur < cend:
            if cur < skip_to:
                cur = min(skip_to, cend)
                continue
            if i < len(edits) and edits[i][0] < cend:
                s, e, rep = edits[i]
                if s > cur:
                    write(chunk[cur - cstart : s - cstart])
                write(rep)
                skip_to = e
                cur = max(cur, s)
                i += 1
                continue
            write(chunk[cur - cstart :])
            cur = cend
        offset = cend
    while i < len(edits):  # edits at the very end (offset == length)
        s, e, rep = edits[i]
        if s != offset or e != offset:
            raise AssertionError("edit beyond the end of the part")
        write(rep)
        i += 1
    return offset


# ---------------------------------------------------------------------------
# the zip package: copy raw, replace some members

_EOCD = struct.Struct("<4s4H2LH")
_CDIR = struct.Struct("<4s4B4HL2L5H2L")
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_ZIP64_LIMIT = 0xFFFFFFFF
_STORED, _DEFLATED = 0, 8


def _extra_blocks(extra: bytes) -> list[tuple[int, bytes]]:
    blocks, pos = [], 0
    while pos + 4 <= len(extra):
        hid, size = struct.unpack_from("<2H", extra, pos)
        blocks.append((hid, extra[pos : pos + 4 + size]))
        pos += 4 + size
    return blocks


@dataclass
class _Member:
    name: str
    central: bytearray  # the raw central directory record
    header_offset: int
    compress_type: int
    flag_bits: int
    compress_size: int
    crc: int


def _read_central(f: BinaryIO, where: str) -> tuple[list[_Member], bytes]:
    f.seek(0, 2)
    size = f.tell()
    tail_len = min(size, 65535 + _EOCD.size)
    f.seek(size - tail_len)
    tail = f.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0:
        raise UnreadableFile(where, "not a zip package (it may be an .xls renamed, or encrypted)")
    sig, disk, cd_disk, n_disk, n_total, cd_size, cd_offset, comment_len = _EOCD.unpack_from(tail, at)
    eocd_pos = size - tail_len + at
    if disk or cd_disk or n_disk != n_total or 0xFFFF in (n_disk, n_total) or _ZIP64_LIMIT in (cd_size, cd_offset):
        raise WriteRefused(f"{where}: a ZIP64 or multi-part package; followup will not rewrite it")
    if cd_offset + cd_size != eocd_pos:
        raise WriteRefused(f"{where}: the package has data outside its zip directory; followup will not rewrite it")
    comment = tail[at + _EOCD.size : at + _EOCD.size + comment_len]
    f.seek(cd_offset)
    cd = f.read(cd_size)
    members = []
    pos = 0
    for _ in range(n_total):
        fields = _CDIR.unpack_from(cd, pos)
        if fields[0] != b"PK\x01\x02":
            raise UnreadableFile(where, "damaged zip directory")
        flag, method, csize, usize = fields[5], fields[6], fields[10], fields[11]
        n, m, k = fields[12], fields[13], fields[14]
        rec = bytearray(cd[pos : pos + _CDIR.size + n + m + k])
        name_b = bytes(rec[_CDIR.size : _CDIR.size + n])
        name = name_b.decode("utf-8" if flag & 0x800 else "cp437")
        if flag & 0x1:
            raise UnreadableFile(where, f"member {name} is encrypted")
        if _ZIP64_LIMIT in (csize, usize, fields[18]):
            raise WriteRefused(f"{where}: a ZIP64 package; followup will not rewrite it")
        members.append(_Member(name, rec, fields[18], method, flag, csize, fields[9]))
        pos += len(rec)
    return members, comment


def _copy_range(src: BinaryIO, dst: BinaryIO, start: int, length: int) -> None:
    src.seek(start)
    while length:
        data = src.read(min(CHUNK, length))
        if not data:
            raise UnreadableFile(getattr(src, "name", "workbook"), "the zip package is truncated")
        dst.write(data)
        length -= len(data)


def rewrite_zip(
    src_path,
    dst: BinaryIO,
    replacements: dict[str, Callable[[Callable[[bytes], None]], None]],
    where: str,
    level: int = DEFLATE_LEVEL,
) -> None:
    """Write a copy of the package at `src_path` into `dst` (an empty, seekable file).

    Members named in `replacements` are produced by calling the function with a `write`
    callback and compressed with the member's own method; every other member is copied as
    its raw bytes (local header, compressed data, data descriptor), in the original order.
    """
    with open(src_path, "rb") as src:
        members, comment = _read_central(src, where)
        names = [m.name for m in members]
        missing = set(replacements) - set(names)
        if missing:
            raise AssertionError(f"no such members: {missing}")
        out_records = []
        for mem in members:
            src.seek(mem.header_offset)
            local = src.read(_LOCAL.size)
            lf = _LOCAL.unpack(local)
            if lf[0] != b"PK\x03\x04":
                raise UnreadableFile(where, f"damaged zip entry {mem.name}")
            n, m = lf[10], lf[11]
            name_extra = src.read(n + m)
            data_start = mem.header_offset + _LOCAL.size + n + m
            new_offset = dst.tell()
            rec = mem.central
            local_extra = name_extra[n:]
            zip64_local = any(hid == 1 for hid, _ in _extra_blocks(local_extra))
            if mem.name not in replacements:
                length = _LOCAL.size + n + m + mem.compress_size
                if mem.flag_bits & 0x8:
                    src.seek(data_start + mem.compress_size)
                    desc = src.read(4)
                    length += (20 if zip64_local else 12) + (4 if desc == b"PK\x07\x08" else 0)
                _copy_range(src, dst, mem.header_offset, length)
            else:
                if mem.compress_type not in (_STORED, _DEFLATED):
                    raise WriteRefused(f"{where}: member {mem.name} uses compression method {mem.compress_type}")
                flags = mem.flag_bits & ~0x8
                # sizes go in the header now; a ZIP64 extra would contradict them
                extra = b"".join(block for hid, block in _extra_blocks(local_extra) if hid != 1)
                header = bytearray(local)
                struct.pack_into("<H", header, 6, flags)
                struct.pack_into("<H", header, 28, len(extra))
                dst.write(header)
                dst.write(name_extra[:n] + extra)
                crc = 0
                usize = 0
                csize = 0
                comp = zlib.compressobj(level, zlib.DEFLATED, -15) if mem.compress_type == _DEFLATED else None

                def write(data: bytes) -> None:
                    nonlocal crc, usize, csize
                    if not data:
                        return
                    crc = zlib.crc32(data, crc)
                    usize += len(data)
                    if comp is not None:
                        data = comp.compress(data)
                    csize += len(data)
                    dst.write(data)

                replacements[mem.name](write)
                if comp is not None:
                    rest = comp.flush()
                    csize += len(rest)
                    dst.write(rest)
                if usize > _ZIP64_LIMIT - 1 or csize > _ZIP64_LIMIT - 1:
                    raise WriteRefused(f"{where}: the rewritten part {mem.name} would exceed 4 GB")
                end = dst.tell()
                dst.seek(new_offset + 14)
                dst.write(struct.pack("<3L", crc, csize, usize))
                dst.seek(end)
                rec = bytearray(rec)
                struct.pack_into("<H", rec, 8, flags)
                struct.pack_into("<3L", rec, 16, crc, csize, usize)
            if new_offset > _ZIP64_LIMIT - 1:
                raise WriteRefused(f"{where}: the rewritten package would exceed 4 GB")
            rec = bytearray(rec)
            struct.pack_into("<L", rec, 42, new_offset)
            out_records.append(bytes(rec))
        cd_offset = dst.tell()
        for rec in out_records:
            dst.write(rec)
        cd_size = dst.tell() - cd_offset
        dst.write(_EOCD.pack(b"PK\x05\x06", 0, 0, len(out_records), len(out_records), cd_size, cd_offset, len(comment)))
        dst.write(comment)



# ---------------------------------------------------------------------------
# plans: what to change, as edits on the sheet part and new bytes for table parts


@dataclass
class TablePart:
    part: str
    name: str
    ref: tuple[int, int, int, int]
    totals: int
    header_rows: int
    xml: bytes


@dataclass
class Plan:
    """What one sheet's changes come to: new bytes for its part (and its tables' parts)."""

    replacements: dict[str, Callable[[Callable[[bytes], None]], None]]
    rows_added: list[int]
    rows_updated: list[int]
    cells: int
    changed_parts: list[str]

    @property
    def rows(self) -> list[int]:
        """The rows appended, or, for an update alone, the rows it touches."""
        return self.rows_added or self.rows_updated


def read_tables(zf, sheet: SheetEntry, where: str) -> list[TablePart]:
    tables = []
    for _rid, rtype, target in read_relationships(zf, sheet.part, where):
        if rtype != REL_TABLE:
            continue
        member = find_member(zf.namelist(), target)
        if member is None:
            raise UnreadableFile(where, f"sheet '{sheet.name}' points at a table part {target} that is missing")
        xml = zf.read(member)
        root = _parse_xml(zf, member, where)
        try:
            ref = parse_range(root.get("ref", ""))
            totals = int(root.get("totalsRowCount", "0"))
            header_rows = int(root.get("headerRowCount", "1"))
        except ValueError:
            raise UnreadableFile(where, f"table part {member} has a bad range") from None
        name = root.get("displayName") or root.get("name") or member
        tables.append(TablePart(member, name, ref, totals, header_rows, xml))
    return tables


_RANGE_ELEMENTS = rb"(?:table|autoFilter|sortState|sortCondition)"


def extend_ranges(xml: bytes, prefix_re: bytes, last: int, new_last: int) -> list[tuple[int, int, bytes]]:
    """Edits that stretch every range reaching row `last` down to `new_last`.

    Applies to table, autoFilter, sortState and sortCondition `ref`s: a range covering the
    last real row (top <= last <= bottom) and ending above the new last row grows; any other
    range (one ending higher up, one already long enough) stays as it is.
    """
    edits = []
    tag_re = re.compile(rb"<" + prefix_re + _RANGE_ELEMENTS + rb"\b[^>]*>")
    ref_re = re.compile(rb"""\sref\s*=\s*["']([^"']*)["']""")
    for tm in tag_re.finditer(xml):
        rm = ref_re.search(xml, tm.start(), tm.end())
        if not rm:
            continue
        try:
            top, left, bottom, right = parse_range(rm.group(1).decode())
        except ValueError:
            continue
        if top <= last <= bottom < new_last:
            edits.append((rm.start(1), rm.end(1), format_range(top, left, new_last, right).encode()))
    return edits


def _apply(xml: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    out, pos = [], 0
    for s, e, rep in sorted(edits):
        out += [xml[pos:s], rep]
        pos = e
    out.append(xml[pos:])
    return b"".join(out)


def _check_fragment(fragment: str, prefix: str, where: str) -> None:
    """Our own XML must be well-formed before it goes into the user's workbook.

    A bare expat pass (no handlers, no tree) is enough for text we generated ourselves.
    """
    decl = f'xmlns:{prefix[:-1]}="{MAIN_NS}"' if prefix else f'xmlns="{MAIN_NS}"'
    parser = expat.ParserCreate(namespace_separator=" ")
    try:
        parser.Parse(f"<{prefix}sheetData {decl}>{fragment}</{prefix}sheetData>".encode(), True)
    except expat.ExpatError as exc:  # pragma: no cover - would be a bug in cell_xml
        raise AssertionError(f"{where}: generated XML does not parse: {exc}") from None


def _row_attrs(row_xml: bytes, keys=("s", "customFormat")) -> str:
    """Row attributes to carry over: the row style; a prepared row's height too."""
    start_tag = row_xml[: row_xml.find(b">") + 1]
    a = attrs_of(start_tag)
    return "".join(f' {k}="{a[k]}"' for k in keys if k in a)


def _sheet_part_writer(zf, part: str, edits, expected_length: int, where: str):
    def produce(write):
        with zf.open(part) as stream:
            n = splice(stream, edits, write)
        if n != expected_length:
            raise WriteRefused(f"{where}: the sheet changed while it was being rewritten")

    return produce


def _dimension_edit(scan: SheetScan, top: int, left: int, bottom: int, right: int):
    if not scan.dimension:
        return []
    start, end, ref = scan.dimension
    try:
        t, l, b, r = parse_range(ref)
        if scan.last_real is None and scan.max_row == 0:
            t, l, b, r = top, left, bottom, right  # 'A1' on an empty sheet means nothing
    except ValueError:
        t, l, b, r = top, left, bottom, right
    new = format_range(min(t, top), min(l, left), max(b, bottom), max(r, right))
    return [] if new == ref else [(start, end, new.encode())]


def plan_sheet(
    zf,
    info: PackageInfo,
    sheet: SheetEntry,
    where: str,
    *,
    rows: list[list] | None = None,
    updates: dict[tuple[int, int], object] | None = None,
    header_row: int | None = None,
) -> Plan:
    """All of one call's changes to one sheet: `rows` appended and `updates` made, in one plan.

    The part is scanned once. Row numbers (of the updates, and where the rows go) are those of
    the sheet as it is now: the rows are appended below its last real row, and an update of
    a row the append fills is a caller's bug (TypeError). Every refusal of an append alone or
    an update alone applies.
    """
    rows = rows or []
    updates = updates or {}
    by_row: dict[int, dict[int, object]] = {}
    for (r, c), value in updates.items():
        if not (1 <= r <= MAX_ROW and 1 <= c <= MAX_COL):
            raise ValueError(f"cell ({r}, {c}) is outside a worksheet")
        by_row.setdefault(r, {})[c] = value

    tables = read_tables(zf, sheet, where)
    if rows:
        check_pivot_sources(zf, info, sheet, {t.name for t in tables}, where)
    for t in tables:
        top, left, bottom, right = t.ref
        for (r, c) in updates:
            if t.header_rows and r == top and left <= c <= right:
                raise WriteRefused(
                    f"{where}: {sheet.name}!{col_letters(c)}{r} is a header of table '{t.name}'; "
                    "changing it would break the table"
                )
    with zf.open(sheet.part) as stream:
        scan = scan_sheet(stream, where, follow_rows=len(rows), want_rows=by_row, arrays=bool(updates))

    edits: list[tuple[int, int, bytes]] = []
    inserts: list[tuple[int, int, bytes]] = []  # (offset, first row number, new rows' XML)
    boxes: list[tuple[int, int, int, int]] = []  # what the dimension must cover
    replacements: dict[str, Callable[[Callable[[bytes], None]], None]] = {}
    changed = [sheet.part]
    added: list[int] = []
    if rows:
        a_edits, a_insert, a_box, table_xml, added = _append_edits(scan, info, sheet, tables, rows, by_row, where, header_row)
        edits += a_edits
        inserts.append(a_insert)
        boxes.append(a_box)
        for part, data in table_xml.items():
            replacements[part] = lambda write, data=data: write(data)
            changed.append(part)
    if updates:
        u_edits, u_inserts = _update_edits(scan, info, sheet, by_row, where)
        edits += u_edits
        inserts += u_inserts
        cols = [c for (_r, c) in updates]
        boxes.append((min(by_row), min(cols), max(by_row), max(cols)))

    p = scan.prefix
    if scan.sheetdata_selfclosed:
        s, e = scan.sheetdata_selfclosed
        fragment = b"".join(x for _at, _r, x in sorted(inserts, key=lambda i: i[1]))
        edits.append((s, e, f"<{p}sheetData>".encode() + fragment + f"</{p}sheetData>".encode()))
    else:
        # Rows inserted at the same place go in row order (new rows below the last real row
        # and, say, a cell created further down can meet where </sheetData> is).
        at_offset: dict[int, list[tuple[int, bytes]]] = {}
        for at, r, x in inserts:
            at_offset.setdefault(at, []).append((r, x))
        for at, group in at_offset.items():
            edits.append((at, at, b"".join(x for _r, x in sorted(group))))
    if boxes:
        edits += _dimension_edit(
            scan, min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)
        )
    replacements = {sheet.part: _sheet_part_writer(zf, sheet.part, edits, scan.length, where), **replacements}
    return Plan(replacements, added, sorted(by_row), len(updates), changed)


def plan_append(zf, info: PackageInfo, sheet: SheetEntry, rows: list[list], where: str, header_row: int | None = None) -> Plan:
    return plan_sheet(zf, info, sheet, where, rows=rows, header_row=header_row)


def plan_update(zf, info: PackageInfo, sheet: SheetEntry, updates: dict[tuple[int, int], object], where: str) -> Plan:
    return plan_sheet(zf, info, sheet, where, updates=updates)


def _append_edits(
    scan: SheetScan,
    info: PackageInfo,
    sheet: SheetEntry,
    tables: list[TablePart],
    rows: list[list],
    by_row: dict[int, dict[int, object]],
    where: str,
    header_row: int | None,
):
    """Edits for appending `rows`: (edits, the insert, the box for the dimension, new table XML, row numbers)."""
    p = scan.prefix
    last = scan.last_real.number if scan.last_real else 0
    first_new, new_last = last + 1, last + len(rows)
    clash = sorted(r for r in by_row if first_new <= r <= new_last)
    if clash:
        raise TypeError(
            f"{where}: sheet '{sheet.name}': row {clash[0]} is both appended and updated in one call "
            f"(the new rows are {first_new}-{new_last}); give its values in the appended row instead"
        )
    if new_last > MAX_ROW:
        raise WriteRefused(f"{where}: sheet '{sheet.name}' would pass Excel's last row ({MAX_ROW})")
    width = max((len(r) for r in rows), default=0)
    if width > MAX_COL:
        raise WriteRefused(f"{where}: a row of {width} values is wider than Excel's {MAX_COL} columns")

    for t in tables:
        top, left, bottom, right = t.ref
        if t.totals and bottom >= last >= top:
            raise WriteRefused(
                f"{where}: table '{t.name}' on sheet '{sheet.name}' has a totals row; new rows would "
                "land below the totals, outside the table",
                "turn off the table's Total Row in Excel (Table Design → Total Row), or keep the visit "
                'log in a separate workbook: set visit_log = "visits.xlsx" in followup.toml',
            )
    tail_pb = re.escape(p.encode())
    for mm in re.finditer(rb"<" + tail_pb + rb"mergeCell\b[^>]*?\sref\s*=\s*[\"']([^\"']*)[\"']", scan.tail):
        top, left, bottom, right = parse_range(mm.group(1).decode())
        if top <= new_last and bottom >= first_new:
            raise WriteRefused(
                f"{where}: merged cells {mm.group(1).decode()} on sheet '{sheet.name}' cover rows "
                f"{first_new}-{new_last}, where the new rows would go",
                "unmerge those cells in Excel, then try again",
            )

    # Styles: like the last real row, unless that row is the header.
    template: dict[int, str | None] = {}
    template_row_style = None
    row_attrs = ""
    if header_row is not None:
        header_like = last <= header_row
    else:  # a single real row in a visit log is its header
        header_like = scan.real_rows <= 1
    if not header_like:
        start_tag, cells = row_cells(scan.last_real.xml, p, where)
        template = {c.col: c.attrs.get("s") for c in cells}
        ra = attrs_of(start_tag[len(p) + 4 :])
        if ra.get("customFormat") in ("1", "true"):
            template_row_style = ra.get("s")
        row_attrs = _row_attrs(start_tag)
    existing = {r.number: r for r in scan.after_last if first_new <= r.number <= new_last}

    def style_for(rownum: int, col: int) -> str | None:
        if not header_like:
            if col in template:
                return template[col]
            return template_row_style if template_row_style is not None else scan.col_style(col)
        prepared = existing.get(rownum)
        if prepared is not None:
            _tag, cells = row_cells(prepared.xml, p, where)
            for c in cells:
                if c.col == col and "s" in c.attrs:
                    return c.attrs["s"]
        return scan.col_style(col)

    out = []
    max_col = 0
    for i, values in enumerate(rows):
        n = first_new + i
        if not header_like:
            attrs = row_attrs
        else:
            attrs = _row_attrs(existing[n].xml, ("s", "customFormat", "ht", "customHeight")) if n in existing else ""
        cells = []
        for j, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            cells.append(cell_xml(p, f"{col_letters(j)}{n}", value, style_for(n, j), info.date1904))
            max_col = max(max_col, j)
        out.append(f'<{p}row r="{n}"{attrs}>{"".join(cells)}</{p}row>')
    fragment = "".join(out)
    _check_fragment(fragment, p, where)

    if scan.sheetdata_selfclosed:
        at = scan.sheetdata_close
        edits = []
    else:
        at = scan.last_real.end if scan.last_real else scan.sheetdata_open_end
        edits = [(r.start, r.end, b"") for r in existing.values()]  # a new row takes a formatted empty row's place
    edits += [
        (scan.tail_start + s, scan.tail_start + e, rep)
        for s, e, rep in extend_ranges(scan.tail, tail_pb, last, new_last)
    ]
    table_xml: dict[str, bytes] = {}
    for t in tables:
        t_edits = extend_ranges(t.xml, rb"(?:[\w.-]+:)?", last, new_last)
        if t_edits:
            new_xml = _apply(t.xml, t_edits)
            try:
                SafeET.fromstring(new_xml)
            except Exception as exc:  # pragma: no cover
                raise AssertionError(f"{where}: table {t.part} would not parse: {exc}") from None
            table_xml[t.part] = new_xml
    box = (first_new, 1, new_last, max(max_col, 1))
    return edits, (at, first_new, fragment.encode()), box, table_xml, list(range(first_new, new_last + 1))


def _update_edits(scan: SheetScan, info: PackageInfo, sheet: SheetEntry, by_row: dict[int, dict[int, object]], where: str):
    """Edits for updating cells in place: (edits on existing rows, inserts of missing rows)."""
    p = scan.prefix
    for ref in scan.array_refs:
        top, left, bottom, right = parse_range(ref)
        for r, cols in by_row.items():
            for c in cols:
                if top <= r <= bottom and left <= c <= right:
                    raise WriteRefused(
                        f"{where}: {sheet.name}!{col_letters(c)}{r} is part of the array formula over {ref}; "
                        "changing it would break that formula"
                    )
    edits = []
    inserts = []
    for r in sorted(by_row):
        cols = by_row[r]
        seen = scan.wanted.get(r)
        if seen is None:
            cells = "".join(
                cell_xml(p, f"{col_letters(c)}{r}", cols[c], scan.col_style(c), info.date1904) for c in sorted(cols)
            )
            fragment = f'<{p}row r="{r}">{cells}</{p}row>'
            _check_fragment(fragment, p, where)
            at = scan.sheetdata_close if scan.sheetdata_selfclosed else scan.insert_at[r]
            inserts.append((at, r, fragment.encode()))
        else:
            edits.append((seen.start, seen.end, _rewrite_row(seen, cols, scan, info.date1904, f"{where}: {sheet.name}")))
    return edits, inserts

def _rewrite_row(seen: RowSeen, cols: dict[int, object], scan: SheetScan, date1904: bool, where: str) -> bytes:
    p = scan.prefix
    start_tag, cells = row_cells(seen.xml, p, where)
    ra = attrs_of(start_tag[len(p) + 4 :])
    row_style = ra.get("s") if ra.get("customFormat") in ("1", "true") else None
    if "r" not in ra:
        start_tag = start_tag[: len(p) + 4] + f' r="{seen.number}"'.encode() + start_tag[len(p) + 4 :]
    if start_tag.endswith(b"/>"):
        start_tag = start_tag[:-2].rstrip() + b">"
    if "spans" in ra and cols:
        try:
            bounds = [int(x) for x in re.split(r"[\s:]+", ra["spans"].strip())]
            lo, hi = min(bounds + list(cols)), max(bounds + list(cols))
            start_tag = re.sub(rb"""(\sspans\s*=\s*["'])[^"']*""", lambda m: m.group(1) + f"{lo}:{hi}".encode(), start_tag)
        except ValueError:
            pass
    pending = dict(cols)
    out = [start_tag.decode()]

    def new_cell(col: int, old: CellSeen | None) -> str:
        ref = f"{col_letters(col)}{seen.number}"
        if old is None:
            style = row_style if row_style is not None else scan.col_style(col)
            return cell_xml(p, ref, pending.pop(col), style, date1904)
        if re.search(rb"<" + re.escape(p.encode()) + rb"f[\s/>]", old.xml):
            raise WriteRefused(f"{where}!{ref} holds a formula; followup will not overwrite it")
        # attribute values are kept as raw XML text, entities and all
        keep = "".join(
            f" {k}='{v}'" if '"' in v else f' {k}="{v}"'
            for k, v in old.attrs.items()
            if k not in ("r", "s", "t", "cm", "vm")
        )
        return cell_xml(p, ref, pending.pop(col), old.attrs.get("s"), date1904, keep)

    for cell in cells:
        for col in sorted(c for c in pending if c < cell.col):
            out.append(new_cell(col, None))
        if cell.col in pending:
            out.append(new_cell(cell.col, cell))
        elif cell.has_r:
            out.append(cell.xml.decode())
        else:  # give it its reference, so an inserted cell cannot shift it
            ref = f' r="{col_letters(cell.col)}{seen.number}"'.encode()
            out.append((cell.xml[: len(p) + 2] + ref + cell.xml[len(p) + 2 :]).decode())
    for col in sorted(pending):
        out.append(new_cell(col, None))
    out.append(f"</{p}row>")
    fragment = "".join(out)
    _check_fragment(fragment, p, where)
    return fragment.encode()
