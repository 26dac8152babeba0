"""Raw reading of spreadsheet files: .xlsx/.xlsm/.xlsb/.xls/.ods with python-calamine, .csv.

This layer knows nothing of customers: it opens a file, names its sheets and yields each
sheet's rows as lists of cell values, row 0 being Excel's row 1 and column 0 column A, so
every later message can name the exact cell. Anything that goes wrong becomes an
UnreadableFile naming the file and what to do.

Files are judged by their content as well as their name: shop systems export web pages and
tab-separated text named .xls, and clerks rename .xls files to .xlsx. A workbook under the
wrong extension is read by its content; text under a spreadsheet extension is read as
delimited text when it looks like a table, and named for what it is otherwise.

What a reader returns (RawBook, RawSheet) is archive/raw.py; reading delimited text,
archive/text_files.py.
"""

from __future__ import annotations

import codecs
import posixpath
import re
import zipfile
from pathlib import Path

from followup_cli.archive import row_marks, unread_cells
from followup_cli.archive.calamine_rows import cells_of, sheet_rows
from followup_cli.archive.raw import RawBook, RawSheet
from followup_cli.archive.text_files import (
    CSV_ENCODINGS,
    SNIFF_BYTES,
    UTF16_BOMS,
    open_csv,
    open_text_named_as_workbook,
)
from followup_cli.errors import UnreadableFile
from followup_cli.text.files import EMPTY_FILE, OPEN_RIGHT_OR_RESTORE, cannot_read
from followup_cli.text.messages import msg, text
from followup_cli.xlsx import bounds, ole
from followup_cli.xlsx.lockfiles import workbook_of_owner_file
from followup_cli.xlsx.package import Package

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
# What calamine reads for each extension; .xlsm is an .xlsx with macros.
_EXT_KIND = {"xlsx": "xlsx", "xlsm": "xlsx", "xlsb": "xlsb", "xls": "xls", "ods": "ods"}


def open_book(path: str | Path) -> RawBook:
    """Open a spreadsheet or CSV file for reading; raises UnreadableFile with a fix."""
    from followup_cli.inputs import reading

    path = Path(path)
    reading([path])  # never an output of this run (inputs.py)
    if not path.exists():
        raise UnreadableFile(
            path, msg("找不到文件", "file not found"), msg("请检查路径和文件名", "check the path and the file name")
        )
    if path.is_dir():
        raise UnreadableFile(
            path,
            msg("这是文件夹，不是工作簿", "is a folder, not a workbook"),
            msg("请写出其中的 .xlsx 文件名", "name the .xlsx file inside it"),
        )
    suffix = path.suffix.lower()
    owned = workbook_of_owner_file(path)
    if owned is not None:
        raise UnreadableFile(
            path,
            msg(
                "这是 Excel、WPS 或 LibreOffice 打开工作簿时留下的锁文件",
                "is a lock file that Excel, WPS or LibreOffice leaves beside an open workbook",
            ),
            msg(f"请改用工作簿本身（{owned}）", f"open the workbook itself ({owned})"),
        )
    if suffix not in TEXT_SUFFIXES | SPREADSHEET_SUFFIXES:
        raise UnreadableFile(
            path,
            msg(
                f"“{suffix or '无扩展名'}”不是本工具能读取的表格文件",
                f"'{suffix or 'no extension'}' is not a spreadsheet this tool reads",
            ),
            msg("请使用 .xlsx、.xlsm、.xls、.ods 或 .csv", "use .xlsx, .xlsm, .xls, .ods or .csv"),
        )
    head = _read_head(path)
    content = _content_kind(path, head)
    if suffix in TEXT_SUFFIXES:
        if content in ("zip", "ole"):  # a workbook saved or renamed as .csv
            return _open_calamine(path, None, content)
        return open_csv(path)
    if content == "text":
        return open_text_named_as_workbook(path, suffix)
    return _open_calamine(path, _EXT_KIND[suffix.lstrip(".")], content)


def _read_head(path: Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except PermissionError as exc:
        raise UnreadableFile(
            path,
            msg("没有权限读取", "permission denied"),
            msg(
                "请在其他程序中关闭该文件，或检查文件权限", "close the file in other programs or check its permissions"
            ),
        ) from exc
    except OSError as exc:
        raise UnreadableFile(path, cannot_read(exc), msg("请检查该文件后再试", "check the file and try again")) from exc
    if not head:
        raise UnreadableFile(path, EMPTY_FILE, OPEN_RIGHT_OR_RESTORE)
    return head


def _content_kind(path: Path, head: bytes) -> str:
    """'zip' (xlsx/xlsm/xlsb/ods), 'ole' (xls, or an encrypted workbook), 'text' or 'binary'."""
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head.startswith(UTF16_BOMS):
        return "text"
    if b"\x00" in head:
        return "binary"
    for enc in CSV_ENCODINGS:
        try:
            codecs.getincrementaldecoder(enc)().decode(head, final=len(head) < SNIFF_BYTES)
            return "text"
        except UnicodeDecodeError:
            continue
    return "binary"


def _zip_kind(path: Path) -> str | None:
    """Which workbook a zip file holds, judged by its parts."""
    try:
        with zipfile.ZipFile(path) as zf:
            package = Package(zf, str(path))
            main = package.main_part()
            if main is not None and posixpath.basename(main).lower().startswith("workbook"):
                return "xlsb" if main.lower().endswith(".bin") else "xlsx"
            if package.has("mimetype") or package.has("content.xml"):
                return "ods"
    except Exception:  # a damaged zip or XML: calamine will say what is wrong
        return None
    return None  # a Word document, a zip of photos ...


def _open_calamine(path: Path, kind: str | None, content: str) -> RawBook:
    """Open with calamine; `kind` is what the extension says, None when it says nothing useful."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError as exc:  # pragma: no cover - a broken install
        raise UnreadableFile(
            path,
            msg("没有安装 python-calamine", "python-calamine is not installed"),
            msg("请重新安装 followup", "reinstall followup"),
        ) from exc
    actual = _zip_kind(path) if content == "zip" else ("xls" if content == "ole" else None)
    if content == "zip":
        _check_package(path, actual)
    elif content == "ole":
        bounds.check_file_size(path, bounds.MAX_OLE_BYTES, "这个 .xls 文件", "this .xls file")
        ole.check_ole(path)
        ole.probe_in_child(path)
    shown = f".{kind or actual}" if kind or actual else "spreadsheet"
    wb = None
    first_error = None
    if kind is not None:
        try:
            wb = CalamineWorkbook.from_path(str(path))
        except BaseException as exc:  # calamine raises its own error types for every broken file
            if not _calamine_failed(exc):
                raise
            if _is_password_error(exc) or actual in (None, kind):
                raise UnreadableFile(path, _describe_calamine_error(exc, shown), _hint_for(exc)) from exc
            first_error = exc
    if wb is None:
        # The content is another kind of workbook than the name says: let calamine judge by content.
        try:
            with open(path, "rb") as fh:
                wb = CalamineWorkbook.from_filelike(fh)
        except BaseException as exc:
            if not _calamine_failed(exc):
                raise
            shown_exc = first_error or exc
            raise UnreadableFile(path, _describe_calamine_error(shown_exc, shown), _hint_for(shown_exc)) from exc
    date1904 = _date1904(path) if content == "zip" else False
    kinds = _sheet_kinds(wb)
    parts = _XlsxParts(path) if content == "zip" and actual == "xlsx" else None
    sheets = []
    ods: dict = {}  # an .ods book's error cells, found once for all its sheets
    sizes = parts.sizes() if parts is not None else {}
    for index, name in enumerate(wb.sheet_names):
        typ, hidden = kinds.get(name, ("WorkSheet", False))
        merged: dict = {}
        loader = _no_cells if typ == "ChartSheet" else _sheet_loader(wb, name, path, parts, merged)
        unread = (
            (lambda n=name: parts.unread(n))
            if parts is not None
            else (lambda n=name: _ods_errors(path, ods).get(n, {}))
            if content == "zip" and actual == "ods"
            else None
        )
        marks = (lambda n=name: parts.marks(n)) if parts is not None else None
        sheets.append(
            RawSheet(
                path,
                name,
                index,
                loader,
                date1904,
                hidden,
                lambda m=merged: m.get("ranges"),
                unread,
                marks,
                sizes.get(name, 0),
            )
        )
    book_kind = path.suffix.lower().lstrip(".") if kind and first_error is None else (actual or "xlsx")
    return RawBook(path, book_kind, sheets, date1904)


def _ods_errors(path: Path, memo: dict) -> dict:
    """sheet → its error cells (archive/unread_ods.py), read once per book."""
    if "sheets" not in memo:
        from followup_cli.archive.unread_ods import scan_ods

        memo["sheets"] = scan_ods(path)
    return memo["sheets"]


def _no_cells() -> list[list]:
    """A chart sheet holds a chart and no cells."""
    return []


def _sheet_kinds(wb) -> dict[str, tuple[str, bool]]:
    """sheet name → (calamine's sheet type name, hidden)."""
    try:
        meta = wb.sheets_metadata
    except Exception:  # metadata is a nicety; the sheets are still read
        return {}
    return {m.name: (str(m.typ).rsplit(".", 1)[-1], not str(m.visible).endswith(".Visible")) for m in meta}


def _sheet_loader(wb, name: str, path: Path, parts: _XlsxParts | None = None, merged: dict | None = None):
    def load() -> list[list]:
        if parts is not None:
            parts.check(name)
        try:
            sheet = wb.get_sheet_by_name(name)
            rows = sheet_rows(sheet)
            if merged is not None:
                merged["ranges"] = getattr(sheet, "merged_cell_ranges", None)
            return rows
        except BaseException as exc:
            if not _calamine_failed(exc):
                raise
            # calamine names a sheet whose part is missing from the file by the sheet's name alone.
            reason = (
                msg("文件里缺少它的数据", "its data is missing from the file")
                if type(exc).__name__ == "WorksheetNotFound"
                else _one_line(exc)
            )
            raise UnreadableFile(
                path,
                msg(f"工作表“{name}”读不了（{text(reason, 'zh')}）", f"sheet '{name}' cannot be read ({reason})"),
                msg(
                    "它可能是图表工作表，或已损坏；请在 Excel 或 WPS 中重新保存工作簿",
                    "it may be a chart sheet or damaged; re-save the workbook in Excel or WPS",
                ),
            ) from exc

    return load


class _XlsxParts:
    """Sheet name → its part in an .xlsx zip, read from workbook.xml and its relationships once.

    Before calamine reads a sheet, the sheet's part is checked against the bounds
    (xlsx.bounds.check_sheet); when the workbook cannot be mapped, every worksheet part is."""

    def __init__(self, path: Path):
        self.path = path
        self._parts: dict[str, str] | None = None
        self._all_checked = False
        self._unread: dict[str, dict] = {}  # sheet name → what the bounds check's pass found
        self._styles: dict | None = None  # the cell formats that strike through or fill (archive/row_marks.py)

    def unread(self, name: str) -> dict:
        """The sheet's error cells and formulas without a value (archive/unread_cells.py), as the
        bounds check found them in its pass over the part (else from a pass of its own)."""
        if name in self._unread:
            return self._unread.pop(name)
        self._map()
        part = self._parts.get(name)
        return unread_cells.scan(self.path, part) if part else {}

    def marks(self, name: str) -> dict:
        """The sheet's cells struck through or filled with a colour (archive/row_marks.py): {} unless
        the workbook's styles hold such a format."""
        if self._styles is None:
            self._styles = row_marks.mark_styles(self.path)
        if not (self._styles[row_marks.STRIKE] or self._styles[row_marks.FILL]):
            return {}
        self._map()
        part = self._parts.get(name)
        return row_marks.scan(self.path, part, self._styles) if part else {}

    def _map(self) -> None:
        if self._parts is None:
            try:
                self._parts = _read_sheet_parts(self.path)
            except UnreadableFile:
                raise
            except Exception:  # a workbook calamine opened but we cannot map: check every worksheet
                self._parts = {}

    def sizes(self) -> dict[str, int]:
        """Sheet name → how many cells its part spans, A1 to the end of its <dimension> (what
        calamine's copy of the sheet holds), else its bytes over 40 (archive/calamine_rows.py); {} when the
        workbook cannot be mapped (what is wrong is said when a sheet is read). Only an order
        to read the sheets in: neither is trusted for anything else (xlsx/bounds.py counts)."""
        try:
            self._map()
            if not self._parts:
                return {}
            with _open_zip(self.path) as zf:
                return {name: cells_of(zf, part) for name, part in self._parts.items()}
        except UnreadableFile:
            return {}

    def check(self, name: str) -> None:
        self._map()
        part = self._parts.get(name)
        with _open_zip(self.path) as zf:
            if part is not None:
                scanner = unread_cells.Scanner()
                bounds.check_sheet(zf, zf.getinfo(part), self.path, name, visit=scanner.feed)
                self._unread[name] = scanner.close()
            elif not self._all_checked:
                for info in zf.infolist():
                    if re.search(r"(^|/)worksheets/[^/]+\.xml$", info.filename.replace("\\", "/"), re.I):
                        bounds.check_sheet(zf, info, self.path, name)
                self._all_checked = True


def _read_sheet_parts(path: Path) -> dict[str, str]:
    with _open_zip(path) as zf:
        return {s.name: s.part for s in Package(zf, str(path)).info().sheets if s.part}


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    # ValueError, OSError (EINVAL): an offset in the directory before the start of the file;
    # NotImplementedError: a version or method byte no zip writer sets
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, OSError) as exc:
        raise bounds.damaged(path, None, str(exc) or type(exc).__name__) from None


def _check_package(path: Path, kind: str | None) -> None:
    """The package-wide bounds, before calamine opens the file: every member's declared size
    and ratio, no entities in any XML part, sharedStrings and styles (xlsx), repeats (ods)."""
    with _open_zip(path) as zf:
        bounds.check_members(zf, path)
        for info in zf.infolist():
            if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                bounds.check_prolog(zf, info, path)
        if kind == "xlsb":  # calamine places its cells wherever the records say
            from followup_cli.xlsx import xlsb_bounds

            for info in zf.infolist():
                if re.search(r"(^|/)worksheets/[^/]+\.bin$", info.filename.replace("\\", "/"), re.I):
                    xlsb_bounds.check_sheet(zf, info, path)
        if kind == "ods":
            for info in zf.infolist():
                if info.filename.lower() in ("content.xml", "styles.xml"):
                    bounds.check_ods_repeats(zf, info, path)
                if info.filename.lower() == "content.xml":  # the repeats added up
                    from followup_cli.xlsx import ods_bounds

                    ods_bounds.check_content(zf, info, path)
            return
        package = Package(zf, str(path))
        try:
            main = package.main_part()
            rels = package.relationships(main) if main else []
        except UnreadableFile:
            rels = []
        targets = {rtype.rsplit("/", 1)[-1]: target for _rid, rtype, target in rels}
        for typ, fallback, check in (
            ("sharedStrings", "xl/sharedStrings.xml", bounds.check_shared_strings),
            ("styles", "xl/styles.xml", bounds.check_styles),
        ):
            member = package.member(targets.get(typ, fallback)) or package.member(fallback)
            if member is not None:
                check(zf, zf.getinfo(member), path)


def _calamine_failed(exc: BaseException) -> bool:
    """calamine's own errors, and its panics: pyo3's PanicException derives from BaseException."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _one_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def _is_password_error(exc: Exception) -> bool:
    return "password" in type(exc).__name__.lower() or "password" in str(exc).lower()


# What calamine says about a damaged package or part (zip, deflate, CRC, XML).
_DAMAGE_WORDS = (
    "invalid zip",
    "zip error: invalid",
    "crc",
    "deflat",
    "inflat",
    "decompress",
    "corrupt",
    "invalid checksum",
    "unexpected eof",
    "truncated",
    "xml error",
    "malformed",
    "ill-formed",
    "unexpected end",
)


def _is_damage(text: str) -> bool:
    low = text.lower()
    return any(w in low for w in _DAMAGE_WORDS)


def _describe_calamine_error(exc: Exception, kind: str) -> str:
    text = _one_line(exc)
    if _is_damage(text) and not _is_password_error(exc):
        return msg(f"文件已损坏（{text}）", f"the file is damaged ({text})")
    if _is_password_error(exc):
        return msg("工作簿设有密码（已加密）", "the workbook is password-protected (encrypted)")
    if "limit" in text.lower():
        return msg(f"文件声明的工作表大得不可能（{text}）", f"the file declares an impossibly large sheet ({text})")
    return msg(f"不是可读取的 {kind} 文件（{text}）", f"not a readable {kind} file ({text})")


def _hint_for(exc: Exception) -> str:
    if _is_password_error(exc):
        return msg(
            "请在 Excel/WPS 中取消密码（文件 → 信息 → 保护工作簿）后另存一份",
            "remove the password in Excel/WPS (File → Info → Protect Workbook) and save a copy",
        )
    return msg(
        "请用 Excel、WPS 或 LibreOffice 打开后另存为 .xlsx",
        "open it in Excel, WPS or LibreOffice and save it again as .xlsx",
    )


def _date1904(path: Path) -> bool:
    """True when an .xlsx/.xlsm workbook counts dates from 1904 (old Mac Excel)."""
    try:
        with zipfile.ZipFile(path) as zf:
            return Package(zf, str(path)).info().date1904
    except Exception:  # a part calamine could read but we cannot: count from 1900 as Excel does by default
        return False
