"""Raw reading of spreadsheet files: .xlsx/.xlsm/.xlsb/.xls/.ods with python-calamine, .csv.

This layer knows nothing of customers: it opens a file, names its sheets and yields each
sheet's rows as lists of cell values, row 0 being Excel's row 1 and column 0 column A, so
every later message can name the exact cell. Anything that goes wrong becomes an
UnreadableFile naming the file and what to do.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from followup_cli.errors import UnreadableFile

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 is a superset of GBK and GB2312

_COL_RE = re.compile(r"^[A-Z]+$")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """Zero-based (row, col) → 'D17'."""
    return f"{column_letter(col)}{row + 1}"


@dataclass
class RawSheet:
    """One sheet's cells. `rows` may be a list or a lazily produced iterator source."""

    file: Path
    name: str
    index: int
    _loader: object = field(repr=False, default=None)
    date1904: bool = False

    def rows(self) -> list[list]:
        """All rows, row 0 = Excel row 1, no leading rows or columns dropped."""
        return self._loader()


@dataclass
class RawBook:
    path: Path
    kind: str  # xlsx, xlsm, xlsb, xls, ods, csv
    sheets: list[RawSheet]
    date1904: bool = False

    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.sheets]

    def sheet(self, name: str) -> RawSheet:
        for s in self.sheets:
            if s.name == name:
                return s
        raise UnreadableFile(
            self.path,
            f"sheet '{name}' not found",
            f"sheets are: {', '.join(self.sheet_names) or '(none)'}",
        )


def open_book(path: str | Path) -> RawBook:
    """Open a spreadsheet or CSV file for reading; raises UnreadableFile with a fix."""
    path = Path(path)
    if not path.exists():
        raise UnreadableFile(path, "file not found", "check the path and the file name")
    if path.is_dir():
        raise UnreadableFile(path, "is a folder, not a workbook", "name the .xlsx file inside it")
    suffix = path.suffix.lower()
    if path.name.startswith("~$") or (path.name.startswith(".~lock.") and path.name.endswith("#")):
        raise UnreadableFile(
            path,
            "is a lock file that Excel, WPS or LibreOffice leaves beside an open workbook",
            f"open the workbook itself ({path.name.removeprefix('~$').removeprefix('.~lock.').rstrip('#')})",
        )
    if suffix in TEXT_SUFFIXES:
        return _open_csv(path)
    if suffix not in SPREADSHEET_SUFFIXES:
        raise UnreadableFile(
            path,
            f"'{suffix or 'no extension'}' is not a spreadsheet this tool reads",
            "use .xlsx, .xlsm, .xls, .ods or .csv",
        )
    return _open_calamine(path, suffix.lstrip("."))


def _open_calamine(path: Path, kind: str) -> RawBook:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError as exc:  # pragma: no cover - a broken install
        raise UnreadableFile(path, "python-calamine is not installed", "reinstall followup") from exc
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except PermissionError as exc:
        raise UnreadableFile(
            path, "permission denied", "close the file in other programs or check its permissions"
        ) from exc
    except OSError as exc:
        raise UnreadableFile(path, f"cannot be read ({exc.strerror or exc})") from exc
    if not head:
        raise UnreadableFile(path, "the file is empty (0 bytes)", "open the right file, or restore it from a backup")
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every broken file
        raise UnreadableFile(path, _describe_calamine_error(exc, kind), _hint_for(exc, kind)) from exc
    date1904 = _date1904(path) if kind in ("xlsx", "xlsm") else False
    sheets = []
    for index, name in enumerate(wb.sheet_names):
        sheets.append(RawSheet(path, name, index, _sheet_loader(wb, name, path), date1904))
    return RawBook(path, kind, sheets, date1904)


def _sheet_loader(wb, name: str, path: Path):
    def load() -> list[list]:
        try:
            sheet = wb.get_sheet_by_name(name)
            return sheet.to_python(skip_empty_area=False)
        except Exception as exc:
            raise UnreadableFile(
                path,
                f"sheet '{name}' cannot be read ({_one_line(exc)})",
                "it may be a chart sheet or damaged; re-save the workbook in Excel or WPS",
            ) from exc

    return load


def _one_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def _describe_calamine_error(exc: Exception, kind: str) -> str:
    name = type(exc).__name__
    text = _one_line(exc)
    if "Password" in name or "password" in text.lower():
        return "the workbook is password-protected (encrypted)"
    if "limit" in text.lower():
        return f"the file declares an impossibly large sheet ({text})"
    return f"not a readable .{kind} file ({text})"


def _hint_for(exc: Exception, kind: str) -> str:
    text = str(exc).lower()
    if "password" in type(exc).__name__.lower() or "password" in text:
        return "remove the password in Excel/WPS (File → Info → Protect Workbook) and save a copy"
    return "open it in Excel, WPS or LibreOffice and save it again as .xlsx"


def _date1904(path: Path) -> bool:
    """True when the workbook counts dates from 1904 (old Mac Excel)."""
    try:
        with zipfile.ZipFile(path) as zf:
            with zf.open("xl/workbook.xml") as fh:
                head = fh.read(4096).decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError):
        return False
    m = re.search(r"date1904\s*=\s*\"(1|true)\"", head)
    return bool(m)


def _open_csv(path: Path) -> RawBook:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(path, f"cannot be read ({exc.strerror or exc})", "close it in other programs") from exc
    text = None
    for enc in CSV_ENCODINGS:
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise UnreadableFile(path, "is neither UTF-8 nor GBK text", "save it again as 'CSV UTF-8' from Excel")
    if "\x00" in text[:4096]:
        raise UnreadableFile(path, "looks like a binary file, not CSV", "open the right file, or save it as CSV UTF-8")
    sample = text[:8192]
    delimiter = ","
    if path.suffix.lower() == ".tsv" or sample.count("\t") > sample.count(","):
        delimiter = "\t"
    elif sample.count(";") > sample.count(","):
        delimiter = ";"

    def load() -> list[list]:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]

    return RawBook(path, "csv", [RawSheet(path, path.stem, 0, load)])
