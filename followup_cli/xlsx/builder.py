"""The one builder of the workbooks the tool creates itself: row output (-o .xlsx), call
sheets, audit sheets, rejects, new visit logs and `followup init`'s empty archives.

XlsxWriter writes them (fast, and it writes exactly what it is told). What they share lives
here, so each writer only says what its sheets hold:

- a sheet from columns + rows: a styled header row, one cell format per column kind and
  style (formats are shared and cached, never one per cell), dates as dates;
- column widths from the header and the values, a Chinese character counted double;
- dropdowns (data validation) on coded columns; a list too long for Excel's 255-character
  inline limit is kept in the hidden metadata sheet and referenced from there;
- a frozen header and an autofilter;
- text is always text: a customer called "=1+1", "+86 138..." or "@home" stays a string
  (strings_to_formulas/urls/numbers off, strings written with write_string);
- the hidden `_followup` metadata sheet (key in A, value in B) that `record` reads back;
- print setup: paper, landscape, print area, the header row repeated, page header/footer;
- the save: XlsxWriter writes a temporary file in the target's folder, which is flushed to
  disk and renamed over the target (os.replace), so a failed write leaves the old file (or
  none) and no partial one.

Use it as a context manager::

    with Book(path) as book:
        book.sheet("Calls", [Column("name", "姓名"), Column("due", "应访日期", kind="date")], rows)
        book.meta([("kind", "call-sheet"), ("as_of", "2026-11-23")])
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from followup_cli.outputs.screen import display_width

META_SHEET = "_followup"  # the hidden sheet `record` reads: what made this workbook, for what day
MAX_ROW = 1_048_575  # Excel's last row (0-based)
INLINE_LIST_LIMIT = 255  # Excel's limit for a list typed into a validation
PAPERS = {"a4": 9, "letter": 1}  # Excel's paper codes
KIND_FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "id": "@", "text": None, "number": None}
SHEET_TITLE_BAD = "[]:*?/\\"


@dataclass(frozen=True)
class Column:
    """One column of a sheet.

    kind: text, number, date, datetime or id (text format: typed ids and phones keep their
    leading zeros). width: fixed, or None to fit the header and the values (CJK counted
    double) between min_width and max_width. head/body: extra format properties of the
    header cell and of the column's cells (fill colours, for example), merged into the
    sheet's base format. choices: a dropdown; on_error says what Excel does with a value not
    in it ("stop", "warning", or "none" to accept anything). rule: any other XlsxWriter
    data_validation rule (a score 0-5, a date).
    """

    key: str
    header: str
    width: float | None = None
    kind: str = "text"
    head: Mapping[str, Any] = field(default_factory=dict)
    body: Mapping[str, Any] = field(default_factory=dict)
    choices: Sequence[str] | None = None
    on_error: str = "stop"
    error_title: str = ""
    error_message: str = ""
    rule: Mapping[str, Any] | None = None
    min_width: float = 8
    max_width: float = 60


@dataclass(frozen=True)
class PrintSetup:
    """How a sheet prints. columns: the print area is the first N columns (None: all).
    header/footer: Excel's page header and footer codes (&L &C &R &P &N); literal text
    must go through `header_text`."""

    paper: str | None = "a4"  # None: the printer's own
    landscape: bool = True
    columns: int | None = None
    fit_width: bool = True
    margins: Mapping[str, float] = field(default_factory=dict)
    header: str = ""
    footer: str = ""
    header_margin: float = 0.3


def header_text(text: object) -> str:
    """A literal for a page header or footer: Excel reads '&' as a code."""
    return str(text).replace("&", "&&")


def sheet_title(name: object, used: set) -> str:
    """A valid, unique sheet name (31 characters, none of []:*?/\\); `used` is updated."""
    title = "".join("_" if ch in SHEET_TITLE_BAD else ch for ch in str(name))[:31] or "Sheet"
    base, i = title, 2
    while title in used:
        title = f"{base[:28]}-{i}"
        i += 1
    used.add(title)
    return title


def fit_width(column: Column, rows: Sequence[Mapping], sample: int = 200) -> float:
    """The column's width in Excel's unit (about one digit): the widest of the header and the
    first `sample` values, a Chinese character counted double, plus a little room."""
    if column.width is not None:
        return column.width
    widest = display_width(column.header)
    for row in rows[:sample]:
        value = _plain(row.get(column.key))
        if value is not None:
            widest = max(widest, max((display_width(line) for line in str(value).split("\n")), default=0))
    return min(column.max_width, max(column.min_width, widest + 2))


def temp_beside(path: Path) -> Path:
    """A temporary name beside `path` (the same file system, so the rename is atomic), with
    the suffix the writer's clean-up knows, should we be killed before the rename."""
    import secrets

    from followup_cli.writeback.backups import TEMP_SUFFIX

    return path.with_name(f".{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")


def commit_file(tmp: Path, path: Path, exclusive: bool = False) -> None:
    """Flush the complete temporary file to disk and put it in place: os.replace, or with
    `exclusive` never over a file that exists (FileExistsError)."""
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    if not exclusive:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # fails if the file appeared meanwhile: never replaced
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: the caller holds the lock
        if path.exists():
            raise FileExistsError(path) from None
        os.replace(tmp, path)


def save_atomically(path: str | Path, write: Callable[[Path], Any], exclusive: bool = False) -> Path:
    """`write(tmp)` fills a temporary file beside `path`, which then replaces `path`; on any
    failure the temporary file is removed and `path` is as it was. For the one workbook
    still written by openpyxl (the KPI report, for its charts): `save_atomically(path, wb.save)`."""
    from followup_cli.outputs.files import check_target

    path = Path(path)
    check_target(path)  # a folder, a read-only file, a file this run reads: one clear refusal
    tmp = temp_beside(path)
    try:
        write(tmp)
        commit_file(tmp, path, exclusive)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _plain(value):
    """A value as a cell holds it: lists joined, dates and numbers kept."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join("" if v is None else str(_plain(v)) for v in value)
    return value


class Book:
    """A workbook being built; written to `path` atomically when the `with` block ends
    without an error (or on `close()`), discarded otherwise."""

    def __init__(
        self, path: str | Path, creator: str = "followup", exclusive: bool = False, created: dt.datetime | None = None
    ):
        """`created`: the time in the document's properties (an aware time; default now)."""
        import xlsxwriter

        self.path = Path(path)
        self.exclusive = exclusive  # never over an existing file (FileExistsError instead)
        from followup_cli.outputs.files import check_target

        check_target(self.path)  # makes a missing folder; a folder, a read-only file: one clear refusal
        self._tmp = temp_beside(self.path)
        self.wb = xlsxwriter.Workbook(
            str(self._tmp),
            {
                # A clerk's "=1+1", "+86 138...", "http://..." or "0012" stays the text typed.
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self.wb.set_properties({"author": creator, **({"created": created} if created is not None else {})})
        self._formats: dict[tuple, Any] = {}
        self._meta_items: list[tuple[str, Any]] = []
        self._meta_lists: list[list[str]] = []  # dropdown lists kept in the metadata sheet (from D)
        self._titles: set = set()
        self.sheets: list[str] = []
        self._closed = False

    # ---- formats -------------------------------------------------------------------------
    def format(self, **props: object) -> object:
        """A shared cell format with these XlsxWriter properties (made once, reused)."""
        key = tuple(sorted(props.items()))
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = self._formats[key] = self.wb.add_format(dict(props))
        return fmt

    def _formats_of(self, column: Column, base: Mapping) -> tuple[Any, Any, Any, Any]:
        """(header, body, body for a date, body for a date and time) formats of a column: a
        date shows as a date in any column (rows of mixed values), as Excel would type it."""
        body = {**base, **column.body}
        num = KIND_FORMATS.get(column.kind)
        head = self.format(**{**base, "bold": True, **column.head})
        if column.kind in ("date", "datetime"):
            fmt = self.format(**body, num_format=num)
            return head, fmt, fmt, fmt
        dates = self.format(**body, num_format=KIND_FORMATS["date"])
        times = self.format(**body, num_format=KIND_FORMATS["datetime"])
        return head, self.format(**body, **({"num_format": num} if num else {})), dates, times

    # ---- sheets --------------------------------------------------------------------------
    def sheet(
        self,
        title: str,
        columns: Sequence[Column],
        rows: Iterable[Mapping] = (),
        *,
        base: Mapping[str, Any] | None = None,
        freeze: tuple[int, int] | None = (1, 0),
        autofilter: bool = True,
        validate_to: int | None = None,
        header_height: float | None = None,
        row_height: Callable[[Mapping], float] | None = None,
        print_setup: PrintSetup | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> object:
        """Add a sheet: the header row, one row per mapping (values by column key), widths,
        dropdowns down to row `validate_to` (1-based; default the last row, at least 200),
        the frozen panes (rows, columns) and the autofilter. Returns the XlsxWriter worksheet
        for anything particular to one writer."""
        rows = rows if isinstance(rows, list) else list(rows)
        base = dict(base or {})
        name = sheet_title(title, self._titles)
        ws = self.wb.add_worksheet(name)
        self.sheets.append(name)
        formats = [self._formats_of(c, base) for c in columns]
        for j, (column, (head, body, _d, _t)) in enumerate(zip(columns, formats)):
            ws.set_column(j, j, fit_width(column, rows), body)
            ws.write_string(0, j, column.header, head)
        if header_height:
            ws.set_row(0, header_height)
        keys = [(j, column.key, formats[j]) for j, column in enumerate(columns)]
        write = self._write
        for i, row in enumerate(rows, start=1):
            get = row.get
            for j, key, fmts in keys:
                value = get(key)
                if value is not None:  # an empty cell is not written: its column's format shows
                    write(ws, i, j, value, fmts)
            if row_height is not None:
                ws.set_row(i, row_height(row))
            if progress is not None:
                progress(i)
        last = len(rows)  # 0-based index of the last row
        to = (validate_to if validate_to is not None else max(last + 1, 200)) - 1
        for j, column in enumerate(columns):
            self._validate(ws, j, column, min(to, MAX_ROW))
        if freeze:
            ws.freeze_panes(*freeze)
        if autofilter and columns:
            ws.autofilter(0, 0, max(last, 1), len(columns) - 1)
        if print_setup is not None:
            self._print(ws, print_setup, max(last, 1), len(columns))
        return ws

    def _write(self, ws, i: int, j: int, value, formats) -> None:
        fmt = formats[1]
        if value.__class__ is str:  # most cells: straight to the string writer
            if value:
                ws.write_string(i, j, value, fmt)
            return
        value = _plain(value)
        if value is None or value == "":
            return  # the column's format shows on empty cells too
        if isinstance(value, bool):
            ws.write_boolean(i, j, value, fmt)
        elif isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                value = value.replace(tzinfo=None)
            ws.write_datetime(i, j, value, formats[2] if value.time() == dt.time(0) else formats[3])
        elif isinstance(value, dt.date):
            ws.write_datetime(i, j, dt.datetime(value.year, value.month, value.day), formats[2])
        elif isinstance(value, (int, float, decimal.Decimal)):
            ws.write_number(i, j, float(value) if isinstance(value, decimal.Decimal) else value, fmt)
        else:
            ws.write_string(i, j, str(value), fmt)

    def _validate(self, ws, j: int, column: Column, to: int) -> None:
        if to < 1:
            return
        if column.choices:
            values = [str(v) for v in dict.fromkeys(column.choices)]
            source: Any = values
            if len(",".join(values)) > INLINE_LIST_LIMIT or any("," in v for v in values):
                source = self.list_source(values)
            rule: dict[str, Any] = {"validate": "list", "source": source}
        elif column.rule:
            rule = dict(column.rule)
        else:
            return
        rule.setdefault("ignore_blank", True)
        on_error = column.on_error if column.choices else rule.pop("on_error", "stop")
        if on_error == "none":
            rule["show_error"] = False
        else:
            rule.setdefault("show_error", True)
            if on_error != "stop":
                rule["error_type"] = on_error
            if column.error_title:
                rule.setdefault("error_title", column.error_title[:32])
            if column.error_message:
                rule.setdefault("error_message", column.error_message)
        ws.data_validation(1, j, to, j, rule)

    def list_source(self, values: Sequence[str]) -> str:
        """Put a dropdown list in the metadata sheet (columns D, E, ...); its range, for a
        rule's "source" (a list too long to type inline, or one several sheets share)."""
        from xlsxwriter.utility import xl_col_to_name

        self._meta_lists.append([str(v) for v in values])
        letter = xl_col_to_name(2 + len(self._meta_lists))
        return f"='{META_SHEET}'!${letter}$1:${letter}${len(values)}"

    def _print(self, ws, setup: PrintSetup, last: int, ncols: int) -> None:
        if setup.paper:
            ws.set_paper(PAPERS.get(setup.paper, PAPERS["a4"]))
        if setup.landscape:
            ws.set_landscape()
        if setup.margins:
            ws.set_margins(**setup.margins)
        ws.print_area(0, 0, last, (setup.columns or ncols) - 1)
        ws.repeat_rows(0)
        if setup.fit_width:
            ws.fit_to_pages(1, 0)
        if setup.header:
            ws.set_header(setup.header, {"margin": setup.header_margin})
        if setup.footer:
            ws.set_footer(setup.footer, {"margin": setup.header_margin})

    # ---- the hidden metadata sheet ---------------------------------------------------------
    def meta(self, items: Iterable[tuple[str, Any]], column: Sequence[str] = ()) -> None:
        """Key/value rows (A/B) of the hidden `_followup` sheet; `column`: a list written down
        the next free column from D. The sheet is written last, after every visible one."""
        self._meta_items.extend(items)
        if column:
            self.list_source(column)

    def _write_meta(self) -> None:
        if not self._meta_items and not self._meta_lists:
            return
        meta = self.wb.add_worksheet(META_SHEET)
        meta.hide()
        for i, (key, value) in enumerate(self._meta_items):
            meta.write_string(i, 0, str(key))
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                meta.write_number(i, 1, value)
            else:
                meta.write_string(i, 1, "" if value is None else str(value))
        for j, values in enumerate(self._meta_lists, start=3):
            for i, v in enumerate(values):
                meta.write_string(i, j, v)

    # ---- saving ----------------------------------------------------------------------------
    def close(self) -> Path:
        """Write the workbook to its temporary name, flush it to disk, rename it into place."""
        from xlsxwriter.exceptions import FileCreateError

        if self._closed:
            return self.path
        self._closed = True
        try:
            self._write_meta()
            try:
                self.wb.close()
            except FileCreateError as err:  # XlsxWriter wraps the OSError; callers see the OSError
                if err.args and isinstance(err.args[0], OSError):
                    raise err.args[0] from None
                raise
            commit_file(self._tmp, self.path, self.exclusive)
        except FileExistsError:
            raise
        except OSError as exc:  # a full disk, no permission...: one message naming the path, exit 2
            from followup_cli.outputs.files import explain_os_error

            raise explain_os_error(self.path, exc) from None
        finally:
            self._discard()
        return self.path

    def _discard(self) -> None:
        try:
            self._tmp.unlink()
        except FileNotFoundError:
            pass

    def abort(self) -> None:
        """Give up: nothing is written, the temporary file (if any) removed."""
        self._closed = True
        self._discard()

    def __enter__(self) -> Book:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()
