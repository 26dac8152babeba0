"""Bounds on what a workbook may make the reader build, checked before python-calamine sees it.

calamine believes what a file declares: it reserves room for a sharedStrings part's
`uniqueCount`, fills every cell from A1 to the last cell reference, and inflates a part for
as long as its deflate stream runs. A hostile or broken file can so make it ask for more
memory than the machine has, and the allocation failure aborts the process past Python's
error handling. Every bound below is checked first; a file past one is refused, naming the
file and the part (exit 2). The limits are documented in docs/reading.md and are generous
for a real archive: 1,048,576 rows of 19 columns fit.

Parts are inflated here from their raw bytes, with the bound enforced while inflating, so a
zip header that understates a part's size cannot get past: the count is of the bytes the
deflate stream really produces. ISA-L inflates them where it is installed (xlsx/deflate.py:
the same deflate format, about twice as fast as zlib on a sheet part), else zlib.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from followup_cli.errors import UnreadableFile
from followup_cli.text.messages import Msg, msg, text
from followup_cli.xlsx import deflate, extent, positions
from followup_cli.xlsx.limits import CHUNK, MAX_COL, MAX_ROW
from followup_cli.xlsx.refs import cell_ref, col_index

MAX_PART_BYTES = 2 << 30  # one part, inflated
MAX_PACKAGE_BYTES = 4 << 30  # every part together, inflated
MAX_RATIO = 100  # inflated / compressed, for a part past RATIO_FLOOR (real parts: at most 19)
RATIO_FLOOR = 32 << 20
MAX_SHEET_CELLS = 20_000_000  # from A1 to the last cell holding a value (about 800 MB once read)
MAX_SHARED_STRINGS = 20_000_000
MAX_STYLE_COUNT = 1_000_000  # any count="N" in styles.xml (Excel itself stops near 64,000)
MAX_PROLOG = 1 << 20  # an XML part's text before its root element
MAX_OLE_BYTES = 512 << 20  # an .xls: 65,536 rows x 256 columns fit many times
MAX_TEXT_BYTES = 1 << 30  # a CSV or text file
MAX_TEXT_ROWS = MAX_ROW + 1
MAX_TEXT_CELL = 32_767  # characters in one CSV cell, as in an Excel cell

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_ENTITY_RE = re.compile(rb"<!ENTITY", re.I)
_ROOT_START = re.compile(rb"<(?![?!])")


def damaged(path: str | Path, part: str | None, detail: str | Msg) -> UnreadableFile:
    """The file is damaged; `detail` says where and how (a Msg, or a library's own words)."""
    where_zh, where_en = (f"部件 {part}：", f"part {part}: ") if part else ("", "")
    return UnreadableFile(
        path,
        msg(f"文件已损坏（{where_zh}{text(detail, 'zh')}）", f"the file is damaged ({where_en}{detail})"),
        msg(
            "请用 Excel、WPS 或 LibreOffice 打开后另存，或从备份恢复",
            "open it in Excel, WPS or LibreOffice and save it again, or restore it from a backup",
        ),
    )


def too_big(path: str | Path, part: str | None, zh: str, en: str) -> UnreadableFile:
    what_zh, what_en = (f"部件 {part} ", f"part {part} ") if part else ("文件", "the file ")
    return UnreadableFile(
        path,
        msg(
            f"{what_zh}{zh}，超出读取上限；为安全起见不予读取",
            f"{what_en}{en}, past what followup reads; refused for safety",
        ),
        msg(
            "如果这是真实的工作簿，请在 Excel 或 WPS 中删除多余的行、列和格式后另存",
            "if this is a real workbook, delete the stray rows, columns and formatting in Excel or WPS and save it",
        ),
    )


# ---------------------------------------------------------------------------
# inflating a member with the bound enforced


def inflate(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str | Path, limit: int = MAX_PART_BYTES
) -> Iterator[bytes]:
    """The member's bytes, in chunks, inflated from its raw data: never more than `limit`,
    never more (or less) than its header declares, and with its CRC checked."""
    part = info.filename
    if info.flag_bits & 0x1:
        raise UnreadableFile(
            path,
            msg(f"部件 {part} 已加密", f"part {part} is encrypted"),
            msg("请在 Excel/WPS 中取消密码后另存一份", "remove the password in Excel/WPS and save a copy"),
        )
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        # another method (bzip2, lzma, deflate64): let zipfile inflate it, bounded all the same
        yield from _bounded_zipfile_read(zf, info, path, limit)
        return
    fp = zf.fp
    try:
        fp.seek(info.header_offset)
        local = fp.read(_LOCAL.size)
        if len(local) < _LOCAL.size or local[:4] != b"PK\x03\x04":
            raise damaged(path, part, msg("本地文件头不对", "bad local header"))
        n, m = struct.unpack_from("<2H", local, 26)
        fp.seek(info.header_offset + _LOCAL.size + n + m)
    except (OSError, ValueError) as exc:  # an offset before the start of the file
        raise damaged(path, part, str(exc) or type(exc).__name__) from None
    left = info.compress_size
    out = crc = 0
    inflater = deflate.codec.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    pending = b""
    while True:
        if not pending:
            if left <= 0:
                # the inflater may still hold output for input it has taken in (a long match cut short
                # by CHUNK): ask once more with no input before calling the data short
                if inflater is None or inflater.eof:
                    break
                try:
                    data = inflater.decompress(b"", CHUNK)
                except deflate.ERRORS as exc:
                    raise damaged(path, part, str(exc)) from None
                if not data:
                    break
                out, crc = _count_out(data, out, crc, limit, info, path, part)
                yield data
                continue
            pending = fp.read(min(CHUNK, left))
            if not pending:
                raise damaged(path, part, msg("数据被截断", "truncated"))
            left -= len(pending)
        if inflater is None:
            data, pending = pending, b""
        else:
            try:
                data = inflater.decompress(pending, CHUNK)
            except deflate.ERRORS as exc:
                raise damaged(path, part, str(exc)) from None
            pending = inflater.unconsumed_tail
        if data:
            out, crc = _count_out(data, out, crc, limit, info, path, part)
            yield data
        if inflater is not None and inflater.eof:
            break
    if inflater is not None and not inflater.eof:
        raise damaged(path, part, msg("压缩数据提前结束", "the compressed data ends early"))
    if out != info.file_size:
        raise damaged(
            path,
            part,
            msg(
                f"解压出 {out:,} 字节，而文件头声明的是 {info.file_size:,}",
                f"{out:,} bytes where its header declares {info.file_size:,}",
            ),
        )
    if crc != info.CRC:
        raise damaged(path, part, msg("CRC-32 校验不对", "bad CRC-32"))


def _count_out(data: bytes, out: int, crc: int, limit: int, info, path, part) -> tuple[int, int]:
    out += len(data)
    if out > limit:
        raise too_big(path, part, f"解压后超过 {limit >> 20} MB", f"inflates past {limit >> 20} MB")
    if out > info.file_size:
        raise damaged(
            path,
            part,
            msg(
                f"解压后超过文件头声明的 {info.file_size:,} 字节",
                f"inflates past the {info.file_size:,} bytes its header declares",
            ),
        )
    return out, deflate.crc32(data, crc)


def _bounded_zipfile_read(zf, info, path, limit) -> Iterator[bytes]:
    total = 0
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(CHUNK):
                total += len(chunk)
                if total > limit:
                    raise too_big(
                        path, info.filename, f"解压后超过 {limit >> 20} MB", f"inflates past {limit >> 20} MB"
                    )
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
        raise damaged(path, info.filename, str(exc) or type(exc).__name__) from None


# ---------------------------------------------------------------------------
# the package as a whole


def check_members(zf: zipfile.ZipFile, path: str | Path) -> None:
    """Declared sizes and compression ratios of every member: cheap, from the zip directory."""
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if info.file_size > MAX_PART_BYTES:
            raise too_big(
                path, info.filename, f"声明 {info.file_size >> 20:,} MB", f"declares {info.file_size >> 20:,} MB"
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise too_big(
                path,
                info.filename,
                f"压缩比 {info.file_size // max(info.compress_size, 1):,}:1（压缩炸弹）",
                f"compresses {info.file_size // max(info.compress_size, 1):,}:1 (a zip bomb)",
            )
    if total > MAX_PACKAGE_BYTES:
        raise too_big(path, None, f"合计声明 {total >> 20:,} MB", f"declares {total >> 20:,} MB in all")


def check_prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str | Path) -> None:
    """No entity declarations (billion laughs, external entities) before an XML part's root;
    no spreadsheet program writes one. A plain DOCTYPE is let through."""
    head = b""
    for chunk in inflate(zf, info, path):
        head += chunk
        if len(head) >= MAX_PROLOG or _prolog_end(head) < len(head.rstrip()):
            break
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = head.decode("utf-16", "replace").encode("utf-8")
    end = _prolog_end(head)
    if _ENTITY_RE.search(head[:end]) or (end >= len(head.rstrip()) and _ENTITY_RE.search(head)):
        raise UnreadableFile(
            path,
            msg(
                f"部件 {info.filename} 声明了 XML 实体（DOCTYPE/ENTITY），电子表格程序不会这样写；为安全起见不予读取",
                f"part {info.filename} declares XML entities (DOCTYPE/ENTITY), which no spreadsheet program "
                "writes; refused for safety",
            ),
            msg("请用 Excel、WPS 或 LibreOffice 打开后另存", "open it in Excel, WPS or LibreOffice and save it again"),
        )


_DECL = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>", re.S)


def _prolog_end(head: bytes) -> int:
    """Where the root element starts (the end of the declarations, comments and DOCTYPE before it)."""
    pos = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while True:
        m = _DECL.match(head, pos)
        if not m or m.end() == pos:
            return pos
        pos = m.end()


# ---------------------------------------------------------------------------
# sharedStrings, styles


_SST_RE = re.compile(rb"<(?:[\w.-]+:)?sst\b([^>]*)>")
_COUNT_ATTR = re.compile(rb"""\b(count|uniqueCount)\s*=\s*["'](\d+)["']""")


def check_shared_strings(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str | Path) -> None:
    """Declared counts within the limit, and no more declared than the part holds."""
    declared: dict[bytes, int] | None = None
    actual = 0
    for data in _chunks_with_carry(zf, info, path):
        if declared is None:
            m = _SST_RE.search(data)
            if m:
                declared = {k: int(v) for k, v in _COUNT_ATTR.findall(m.group(1))}
        actual += data.count(b"<si>") + data.count(b"<si ") + data.count(b"<si/")
        if b":si" in data:  # a prefixed <x:si>
            actual += len(_PREFIXED_SI.findall(data))
    unique = (declared or {}).get(b"uniqueCount", 0)
    if unique > MAX_SHARED_STRINGS or actual > MAX_SHARED_STRINGS:
        raise too_big(
            path, info.filename, f"声明 {max(unique, actual):,} 个字符串", f"declares {max(unique, actual):,} strings"
        )
    if unique > actual + 1024:
        raise damaged(
            path,
            info.filename,
            msg(
                f"声明有 {unique:,} 个字符串，实际有 {actual:,} 个", f"declares {unique:,} strings but holds {actual:,}"
            ),
        )


_PREFIXED_SI = re.compile(rb"<[\w.-]+:si[\s>/]")
_ANY_COUNT = re.compile(rb"""\bcount\s*=\s*["'](\d+)["']""")


def check_styles(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str | Path) -> None:
    for data in _chunks_with_carry(zf, info, path):
        for n in _ANY_COUNT.findall(data):
            if int(n) > MAX_STYLE_COUNT:
                raise too_big(path, info.filename, f"声明 {int(n):,} 个格式", f"declares {int(n):,} formats")


# ---------------------------------------------------------------------------
# a worksheet's extent


def _chunks_with_carry(zf, info, path) -> Iterator[bytes]:
    """Inflated chunks cut at a '<', so no tag is split between two of them; only a tag longer
    than 64 MB is passed on cut anywhere (the chunk after it does not start with '<')."""
    carry = b""
    for chunk in inflate(zf, info, path):
        data = carry + chunk
        cut = data.rfind(b"<")
        if cut <= 0:
            if len(data) > 64 * CHUNK:  # no tag in 64 MB: nothing to cut at, and nothing to keep
                yield data
                data = b""
            carry = data
            continue
        carry = data[cut:]
        yield data[:cut]
    if carry:
        yield carry


def sheet_extent(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str | Path, sheet: str) -> tuple[int, int]:
    """(rows, columns) from A1 to the last cell holding a value, from every cell reference in
    the part (neither <dimension> nor the order of the rows is trusted), in one pass. Columns
    are 26 when no value lies beyond Z and the sheet is small enough for that not to matter."""
    rows, cols, _ = _extent(zf, info, path, sheet, quick=False)
    return rows, cols


def _extent(zf, info, path, sheet, quick: bool, visit=None) -> tuple[int, int, bool]:
    """sheet_extent's (rows, columns, False); with `quick`, chunks within T999999 (extent.kind) are not counted: a bound.
    A part holding a cell the searches cannot place (extent.ODD) is read by xlsx/positions.py."""
    max_row = 0
    widest = narrow = b""
    bounded = odd = False
    first = True
    for data in _chunks_with_carry(zf, info, path):
        if visit is not None:
            visit(data)
        if odd:
            continue
        # a chunk not cut at a '<' follows a tag longer than 64 MB, which may be cut anywhere
        kind = extent.ODD if data[:1] != b"<" and not first else extent.kind(data, quick)
        first = False
        if kind == extent.INSIDE:
            bounded = True
            continue
        if kind == extent.ODD:
            odd = True
            continue
        found = extent.scan(data, max_row, widest, narrow)
        if found is None:
            m = extent.beyond(data)
            _beyond(path, info, sheet, (m.group(1) if m.re is extent.ROW_TAG_RE else m.group(0).split(b'"')[1]))
        max_row, widest, narrow = found
    if odd:
        try:
            rows, cols = positions.extent(inflate(zf, info, path))
            if cols <= 26 and rows * 26 <= MAX_SHEET_CELLS:
                cols = 26  # as the searches say it: at most column Z, small enough whichever it is
            return rows, cols, False
        except positions.Beyond as exc:
            _beyond(path, info, sheet, exc.args[0].encode())
        except positions.Damaged as exc:
            raise damaged(path, info.filename, exc.args[0]) from None
    if bounded:
        max_row = max(max_row, extent.INSIDE_ROWS)
        if not widest and narrow < extent.INSIDE_COL:
            narrow = extent.INSIDE_COL
    if widest:
        return max_row, col_index(widest), bounded
    if max_row * 26 <= MAX_SHEET_CELLS:
        return max_row, 26, bounded  # at most column Z: small enough whichever column it is
    return max_row, col_index(narrow) if narrow else 0, bounded


def _beyond(path, info, sheet, ref: bytes):
    ref = ref.decode("ascii", "replace")
    raise too_big(
        path,
        info.filename,
        f"（工作表“{sheet}”）有单元格引用 {ref}，超出 Excel 的最后一行或最后一列",
        f"(sheet '{sheet}') refers to cell {ref}, beyond Excel's last row or column",
    )


def check_sheet(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    path: str | Path,
    sheet: str,
    visit: Callable[[bytes], None] | None = None,
) -> None:
    """Refuse a sheet calamine would fill past a bound. Most chunks of a real sheet are passed by
    one quick search (extent.inside); when the upper bound that leaves is past a limit, the
    sheet is counted exactly before anything is refused, so the verdict is sheet_extent's.
    `visit` is given every inflated chunk (cut at a '<') of this one pass, for another look at
    the part that need not inflate it again (archive/unread_cells.py)."""
    rows, cols, bounded = _extent(zf, info, path, sheet, quick=True, visit=visit)
    if bounded and (rows > MAX_ROW or cols > MAX_COL or rows * cols > MAX_SHEET_CELLS):
        rows, cols = sheet_extent(zf, info, path, sheet)
    refuse_past_bounds(path, info, sheet, rows, cols)


def refuse_past_bounds(path: str | Path, info: zipfile.ZipInfo, sheet: str, rows: int, cols: int) -> None:
    """Refuse a sheet that reaches past Excel or holds more than MAX_SHEET_CELLS from A1."""
    if rows > MAX_ROW or cols > MAX_COL:
        raise too_big(
            path,
            info.filename,
            f"（工作表“{sheet}”）超出 Excel 的最后一行或最后一列",
            f"(sheet '{sheet}') reaches beyond Excel's last row or column",
        )
    if rows * cols > MAX_SHEET_CELLS:
        raise UnreadableFile(
            path,
            msg(
                f"工作表“{sheet}”延伸到单元格 {cell_ref(rows - 1, cols - 1)}：{rows:,} 行 × {cols:,} 列，太大无法读取；"
                "通常是表格下方或右侧很远处有个多余的值",
                f"sheet '{sheet}' reaches cell {cell_ref(rows - 1, cols - 1)}: {rows:,} rows × {cols:,} columns "
                "is too big to read; usually a stray value far below or to the right of the table",
            ),
            msg(
                "请删除多余的单元格（在 Excel 或 WPS 中 Ctrl+End 跳到最后使用的单元格）后保存",
                "delete the stray cells (in Excel or WPS, Ctrl+End jumps to the last used cell) and save",
            ),
        )


_REPEAT_RE = re.compile(rb"""number-(rows|columns)-repeated\s*=\s*["'](\d+)["']""")


def check_ods_repeats(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str | Path) -> None:
    """calamine expands an OpenDocument row or cell repeated N times into N of them."""
    for data in _chunks_with_carry(zf, info, path):
        for what, n in _REPEAT_RE.findall(data):
            limit = MAX_ROW if what == b"rows" else MAX_COL
            if int(n) > limit:
                raise too_big(
                    path, info.filename, f"声明一行或一格重复 {int(n):,} 次", f"repeats a row or cell {int(n):,} times"
                )


# ---------------------------------------------------------------------------
# files that are not zip packages


def check_file_size(path: Path, limit: int, what_zh: str, what_en: str) -> None:
    size = path.stat().st_size
    if size > limit:
        raise UnreadableFile(
            path,
            msg(
                f"{what_zh}有 {size >> 20:,} MB，超出读取上限 {limit >> 20:,} MB",
                f"{what_en} of {size >> 20:,} MB is past the {limit >> 20:,} MB followup reads",
            ),
            msg("请拆分文件，或另存为 .xlsx", "split the file, or save it as .xlsx"),
        )
