"""One function that emits rows in every format, so every command prints the same way.

Formats: table (tabulate), csv (UTF-8 with BOM when written to a file, for Excel), json,
and xlsx (only with a file). Dates are ISO (YYYY-MM-DD) in csv and json.

CSV is made for Excel, so it is neutralised as the OWASP CSV-injection guidance says: a
text cell starting with = + - @, a tab or a carriage return gets a leading single quote, so
Excel, WPS and LibreOffice show it as text instead of running it as a formula. Numbers stay
numbers (-5 and "-5" alike), but not a phone or id written with its sign (+8613800000002). `--raw-csv` (RAW_CSV) writes cells as they are, for programs.
A file is written through outputs.files.atomic_output: all of it or nothing.
"""

from __future__ import annotations

import contextvars
import csv
import datetime as dt
import json
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO

FORMATS = ("table", "csv", "json", "xlsx")

# Set for one run by the --raw-csv option (cli/options.py): CSV cells as they are.
RAW_CSV: contextvars.ContextVar[bool] = contextvars.ContextVar("followup_raw_csv", default=False)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?\Z")
# A signed run of 8 or more digits (+8613800000002) is a phone or an id, not an amount: Excel
# would turn it into 8.6138E+12, so it is kept as the text typed, like any other.
_IDENTIFIER = re.compile(r"[+-]\d{8,}\Z")


def csv_cell(value: object, raw: bool = False) -> object:
    """One CSV cell: text that a spreadsheet would run as a formula gets a leading quote."""
    value = "" if value is None else _plain(value)
    if raw or not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if _NUMBER.match(value) and not _IDENTIFIER.match(value):
        return value
    return "'" + value


Columns = Sequence[tuple[str, str]]  # (key in the row dict, header shown to the user)


_SIMPLE = frozenset((str, int, float, bool, type(None)))


def _plain(value):
    if value.__class__ in _SIMPLE:
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_plain(v)) for v in value)
    return value


def _columns(rows: list[dict], columns: Columns | None) -> list[tuple[str, str]]:
    if columns:
        return list(columns)
    keys: list[str] = []
    for row in rows:
        for key in row:
            if key not in keys:
                keys.append(key)
    return [(k, k) for k in keys]


def emit_rows(
    rows: Iterable[dict],
    fmt: str = "table",
    columns: Columns | None = None,
    stream: IO[str] | None = None,
    path: str | Path | None = None,
    sheet_title: str = "rows",
) -> None:
    """Write rows to `path` (when given) or `stream` (stdout by default) in `fmt`.

    json keeps the row dicts' keys (machine-readable, pinned field names); table, csv and
    xlsx use the column headers, which are in the user's language.
    """
    rows = list(rows)
    cols = _columns(rows, columns) if fmt != "json" else ()  # json keeps each row's own keys
    if fmt == "xlsx":
        if path is None:
            raise ValueError("xlsx output needs a file (-o FILE.xlsx)")
        _write_xlsx(rows, cols, Path(path), sheet_title)
        return
    if path is not None and str(path) != "-":
        from followup_cli.outputs.files import atomic_output

        # CSV for people is opened in Excel: UTF-8 with BOM.
        with atomic_output(path, encoding="utf-8-sig" if fmt == "csv" else "utf-8") as fh:
            _write_text(rows, cols, fmt, fh)
        return
    _write_text(rows, cols, fmt, stream or sys.stdout)


_JSON_BLOCK = 2000  # rows of json written at a time


def _write_text(rows: list[dict], cols, fmt: str, out: IO[str]) -> None:
    if fmt == "json":
        # One row per line: readable, and json's C encoder (indent= would use the slow one).
        # Written a block of rows at a time: the whole text at once is three copies of it in
        # memory (the rows' lines, the text, its UTF-8), 150 MB for a due list of 100,000 rows.
        out.write("[\n")
        simple = _SIMPLE  # most values are text or numbers: no call to _plain for those
        encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per row as json.dumps makes
        for start in range(0, len(rows), _JSON_BLOCK):
            if start:
                out.write(",\n")
            out.write(
                ",\n".join(
                    encode({k: v if v.__class__ in simple else _plain(v) for k, v in row.items()})
                    for row in rows[start : start + _JSON_BLOCK]
                )
            )
        out.write("\n]\n" if rows else "]\n")
    elif fmt == "csv":
        raw = RAW_CSV.get()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([csv_cell(header, raw) for _, header in cols])
        for row in rows:
            writer.writerow([csv_cell(row.get(k), raw) for k, _ in cols])
    elif fmt == "table":
        from tabulate import tabulate

        body = [["" if row.get(k) is None else _plain(row.get(k)) for k, _ in cols] for row in rows]
        out.write(tabulate(body, headers=[h for _, h in cols], tablefmt="simple", disable_numparse=True))
        out.write("\n")
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _write_xlsx(rows: list[dict], cols, path: Path, title: str) -> None:
    from followup_cli.xlsx.builder import Book, Column

    with Book(path) as book:
        book.sheet(title, [Column(key, header) for key, header in cols], rows, autofilter=bool(rows))
