"""After `record` appended rows to a visit sheet, the next read reads only those rows.

The write (writeback/transaction.py) knows what it did to the sheet's part. Sometimes it only
added rows below the last real row and grew the sheet's ranges (dimension, data validations,
conditional formats, a table), with no formula written, no header column added and no merged
cells on the sheet. Then it leaves a note in the cache, keyed by the new part's CRC-32 and size.
The note says which part the new one was made from and holds the XML of the rows it added.

The next command that misses the sheet's entry finds the note and takes the entry kept for
the old part: the same path, settings, columns and every other part, by the same key but for
the part's own CRC and size. It reads the added rows alone with the reader a whole sheet
goes through (archive/files.py, calamine), on a copy of the package whose sheet part holds just
those rows. The styles, shared strings and date system are the workbook's own, so each cell
reads as it does in the whole sheet. The rows are then parsed with the old sheet's column
mapping (archive/parsing.py) and joined to its records.

That is what reading the whole sheet gives, as long as nothing that looks at the whole sheet
can change when rows are added at its end (`continue_part` checks each of these):
- the header, its mapping and what the cells' values decide come from the rows above the
  header and the first SAMPLE_ROWS rows under it; the old sheet must have that many records;
- no row of the old sheet was passed over as a total, a footer or a header again, and no new
  row is one (archive/totals.py, run on the new rows: its suspects include every new row it
  would look at in the whole sheet);
- no column without a header holds values and no second table stands beside the first (their
  notes count the cells of the whole sheet);
- the old sheet's records all lie above the first new row;
- the new rows give no problem at all: a whole read lists a column's problems together;
- the new rows add nothing to what the sheet's source keeps for the whole sheet (a row passed
  over, a refusal said in a visit's words, a field read from another);
- no cell of the new rows holds an error or a formula without its value, and none is struck
  through or filled with a colour (archive/row_marks.py: the rows are named for the whole sheet);
- the sheet stays within the cells a whole read accepts (xlsx/bounds.py).
Anything else, and the whole sheet is read again, as without the note (tests/test_cache_continued.py).
"""

from __future__ import annotations

import copy
import os
import re
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from followup_cli.cache import store
from followup_cli.cache.sheets import _norm

if TYPE_CHECKING:
    from followup_cli.archive.raw import RawSheet
    from followup_cli.archive.reading import SheetPart
    from followup_cli.cache.sheets import SheetCache, _FileKey
    from followup_cli.config import Config

KIND = "continued"
MAX_STEPS = 8  # writes kept in one note: a day's records, each on the one before


def _name(path: Path, member: str) -> bytes:
    return store.digest(KIND, str(Path(path).resolve()), member)


def note_append(path: Path, member: str, old: tuple, new: tuple, first_row: int, fragment: bytes, prefix: str) -> None:
    """Keep what a write appended to sheet part `member` of `path`: `old` and `new` are the part's
    (CRC-32, size) before and after, `fragment` the XML of the rows from `first_row` on. A note
    left by the write before this one (its part is this write's `old`) is carried on."""
    if not store.enabled():
        return
    member = _norm(member)
    step = (tuple(old), int(first_row), bytes(fragment), prefix)
    before = find(path, member, old)
    steps = ([*before, step] if before is not None else [step])[-MAX_STEPS:]
    store.save(KIND, _name(path, member), store.digest(KIND, tuple(new)), {"steps": steps})


def find(path: Path, member: str, new: tuple) -> list | None:
    """The writes that led to part `member` as it is now ((CRC-32, size) `new`), oldest first:
    each (its part's (CRC-32, size) before it, first row, rows' XML, prefix); None: no note."""
    value = store.load(KIND, _name(path, member), store.digest(KIND, tuple(new)))
    if not isinstance(value, dict) or set(value) != {"steps"}:
        return None
    steps = value["steps"]
    if not isinstance(steps, list) or not all(isinstance(s, tuple) and len(s) == 4 for s in steps):
        return None
    return steps


def after_append(
    cache: SheetCache, raw: RawSheet, fk: _FileKey, where: tuple, role_name: bytes, named: set
) -> SheetPart | None:
    """The sheet's part from the part kept for it before the writes a note tells of and the rows
    they appended, read alone; None: read the whole sheet (cache/sheets.py calls this on a miss)."""
    member = fk.sheet_parts.get(raw.name)
    if member is None or not fk.members or member not in fk.members:
        return None
    path = Path(raw.file)
    try:
        steps = find(path, member, fk.members[member])
        if not steps:
            return None
        for k in reversed(range(len(steps))):  # the latest part kept, and every write since
            # a visit sheet's (the only sheets `record` appends to): the role's own entry is the
            # new part's by now, the records' entry is kept per columns read
            old_base = cache._base(raw, fk, ("part", member, steps[k][0]), named)
            old = cache._kept(path, where, role_name, old_base, "visits")
            if old is not None:
                break
        else:
            return None
        rows = appended_rows(path, raw.name, member, steps[k:])
        if rows is None:
            return None
        only = (cache.fields or {}).get("visits")
        return continue_part(old, rows, steps[k][1], cache.config, bool(raw.date1904), only)
    except Exception:  # anything unexpected: the whole sheet is read
        return None


def _renumbered(fragment: bytes, prefix: str, shift: int) -> bytes:
    """The rows' XML moved up by `shift` rows (their row and cell references), so they start at 1."""
    p = re.escape(prefix.encode())

    def row(m):
        return m.group(1) + str(int(m.group(2)) - shift).encode() + b'"'

    out = re.sub(rb"(<" + p + rb'row r=")(\d+)"', row, fragment)
    return re.sub(rb"(<" + p + rb'c r="[A-Z]{1,3})(\d+)"', row, out)


_ROOT = re.compile(rb"<(?:[\w.-]+:)?worksheet\b[^>]*>")


def appended_rows(path: Path, sheet: str, member: str, steps: list) -> list[list] | None:
    """The rows `steps` appended, from the first step's first row on, as the whole sheet's read
    gives them (a row between two steps that neither wrote is empty); None: cannot tell."""
    import zipfile

    from followup_cli.xlsx.deflate import open_member
    from followup_cli.xlsx.surgery import rewrite_zip

    folder = store.cache_dir()
    prefixes = {s[3] for s in steps}
    if folder is None or len(prefixes) != 1:
        return None
    (p,) = prefixes
    shift = steps[0][1] - 1
    fragment = b"".join(_renumbered(s[2], p, shift) for s in steps)
    with zipfile.ZipFile(path) as zf:
        name = next((i.filename for i in zf.infolist() if _norm(i.filename) == member), None)
        if name is None:
            return None
        with open_member(zf, name) as stream:
            head = stream.read(1 << 16)
        # no cell of the rows is a shared string: calamine need not read the workbook's table of them
        sst = None if _SHARED.search(fragment) else _empty_shared_strings(zf, str(path))
    root = _ROOT.search(head)
    if root is None:
        return None
    xml = head[: root.end()] + f"<{p}sheetData>".encode() + fragment + f"</{p}sheetData></{p}worksheet>".encode()
    replacements = {name: lambda write: write(xml)}
    if sst is not None:
        replacements[sst[0]] = lambda write: write(sst[1])
    tmp = folder / f".continued-{secrets.token_hex(6)}.xlsx"
    try:
        with open(tmp, "xb") as out:
            rewrite_zip(path, out, replacements, str(path))
        return _rows_of(tmp, sheet)  # the book is let go before the file is removed (Windows)
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


_SHARED = re.compile(rb"""\st\s*=\s*["']s["']""")
_SST_ROOT = re.compile(rb"<(?:([\w.-]+):)?sst\b[^>]*?(/?)>")


def _empty_shared_strings(zf, where: str) -> tuple[str, bytes] | None:
    """(member, the part with its root element and no string) for the workbook's shared strings."""
    from followup_cli.xlsx.package import Package

    package = Package(zf, where)
    main = package.main_part()
    if main is None:
        return None
    target = next((t for _rid, rtype, t in package.relationships(main) if rtype.endswith("/sharedStrings")), None)
    member = package.member(target) if target else None
    if member is None:
        return None
    with zf.open(member) as stream:
        head = stream.read(1 << 12)
    root = _SST_ROOT.search(head)
    if root is None:
        return None
    prefix = root.group(1).decode() + ":" if root.group(1) else ""
    start = head[: root.end()] if root.group(2) else head[: root.end()] + f"</{prefix}sst>".encode()
    return member, re.sub(rb"""\s(count|uniqueCount)\s*=\s*["']\d*["']""", b"", start)


def _rows_of(path: Path, sheet: str) -> list[list] | None:
    from followup_cli.archive.files import open_book

    raw = open_book(path).sheet(sheet)
    rows = raw.rows()
    if raw.unread():
        return None  # an error value or a formula without one: the whole read says where
    if any(found for marked in raw.marks().values() for found in marked):
        return None  # a row struck through or filled (the last row's style, copied): said of the whole sheet
    return rows


def _state(src) -> dict:
    return {k: v for k, v in vars(src).items() if k != "file"}


def continue_part(
    old: SheetPart, rows: list[list], first_row: int, config: Config, date1904: bool, only: set | None
) -> SheetPart | None:
    """`old` (the sheet's part before the write) with the appended `rows` (the first at Excel row
    `first_row`) read as the whole sheet's read reads them; None when that cannot be promised."""
    from followup_cli.archive.parsing import parse_rows
    from followup_cli.archive.reading import SheetPart
    from followup_cli.archive.sniff import SAMPLE_ROWS
    from followup_cli.archive.unheaded import is_unheaded
    from followup_cli.xlsx import bounds
    from followup_cli.xlsx.limits import MAX_ROW

    src = old.source
    if src is None or old.records is None or src.role != "visits":
        return None
    records = old.records
    if len(records) < SAMPLE_ROWS or src.skipped or any(is_unheaded(u) for u in src.uses):
        return None
    if any(p.code == "table-beside" for p in old.problems):
        return None
    if records[-1].row >= first_row:
        return None
    header_idx = src.header_row - 1
    if first_row - 1 <= header_idx:
        return None
    # the whole read refuses a sheet reaching past MAX_SHEET_CELLS from A1 (xlsx/bounds.py): its
    # width is the header row's (calamine's rows are as wide as the sheet), the last row at most
    # the last one appended
    width = max([len(src.headers), *map(len, rows)])
    if (first_row - 1 + len(rows)) * width > bounds.MAX_SHEET_CELLS or first_row - 1 + len(rows) > MAX_ROW:
        return None
    # what parse_rows keeps on the sheet's source for the whole sheet (rows passed over, stand-ins,
    # refusals said in a visit's words ...): the new rows must add nothing to it
    before = copy.deepcopy(_state(src))
    problems: list = []
    # the rows where the whole sheet has them: the old sheet's rows are empty here (passed over)
    padded = [[]] * (first_row - 1) + rows
    new = parse_rows("visits", src, padded, header_idx, config, date1904, problems, only)
    if problems or len(new) != sum(map(any, rows)) or _state(src) != before:
        return None
    return SheetPart(src, records + new, list(old.problems), old.unused, old.zh, old.en)
