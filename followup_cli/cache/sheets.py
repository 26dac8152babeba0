"""Never read an unchanged sheet twice: each sheet's parsed records, kept between runs.

An .xlsx package's zip directory holds a CRC-32 and a size for every part, so whether a
sheet changed is known without reading it. A sheet's entry is keyed by

- its part's CRC-32 and size, and those of every part the sheet's cells depend on (shared
  strings, styles with their date formats, the workbook with its sheet list and date1904,
  the relationships ...): every part of the package except other sheets and a few that
  never change a cell's value (docProps/, tables, calcChain, printer settings, media);
- the reader's version: a digest of followup's whole source (the reader reaches into
  xlsx/, policy/, text/ and config.py; hashing all of it costs a few milliseconds) and of
  the installed calamine, dateutil, opencc (traditional headers), defusedxml and olefile (which
  refuse a workbook before calamine reads it), taken once per process, so nobody's edit to the
  reader can be answered with records the old reader made;
- the settings that change how cells are read: followup.toml without its rule, policy,
  shop and calendar sections, plus the roles asked for;
- the columns read of the sheet's own role (`due` reads fewer than `check`): a sheet's role
  is kept apart under a key without columns, so a command that reads other columns of the
  visit log than `sheet` (as `record` does) still finds the customer and purchase sheets.

A .csv, .xls, .xlsb or .ods file is keyed by a digest of its whole content.

The book's sheet list (names, order, date1904) is cached the same way, keyed by the
non-sheet parts, so an archive whose sheets all hit is not opened with calamine at all; when
one sheet changed (after `followup record` appended visits), only that sheet is read.
A value is stored only when the file did not change while it was read (same inode, size
and time before and after), so a record written meanwhile can never be filed under the
old key.

What is stored is exactly what reading one sheet gave (archive.reading.SheetPart): its
SheetSource, its records as columns, its problems. Records are rebuilt with the current
record classes; a stored field list that differs from theirs is a miss.
"""

from __future__ import annotations

import zipfile
from itertools import repeat
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from followup_cli.cache import store
from followup_cli.cache.columns import decode_column, encode_column

if TYPE_CHECKING:
    from collections.abc import Callable

    from followup_cli.archive.raw import RawBook, RawSheet
    from followup_cli.archive.reading import SheetPart
    from followup_cli.archive.records import Archive
    from followup_cli.config import Config

KIND_BOOK, KIND_SHEET, KIND_ROLE = "book", "sheet", "role"
# The problem of a sheet that could not be read and was skipped (archive/reading.py): not kept.
UNREADABLE = "unreadable-sheet"
# Parts whose change never changes a value calamine reads from a sheet.
_NO_EFFECT = ("docprops/", "xl/tables/", "xl/calcchain.xml", "xl/printersettings/", "xl/media/")
# followup.toml sections that concern scheduling, not reading.
_NOT_READING = (
    "rules",
    "policy",
    "shop",
    "preset",
    "lang",
    "calendar",
    "holidays",
    "birthday",
    "kpi",
    "assign",
    "audit",
)

# (file, sheet, "hit" | "miss" | "stored" | "not-stored" | UNREADABLE) for every sheet of the last load_archive;
# tests and the benchmarks look at it.
events: list[tuple[str, str, str]] = []

_version: dict = {}


def reader_version() -> bytes:
    if "v" not in _version:
        _version["v"] = store.digest(
            store.source_fingerprint("."),
            store.package_fingerprint("python_calamine", "dateutil", "opencc", "defusedxml", "olefile"),
        )
    return _version["v"]


class _FileKey:
    """What identifies one file's content: its zip directory, or a digest of its bytes."""

    def __init__(self, path: Path):
        self.path = path
        self.stat = _stat(path)
        self.members: dict[str, int] | None = None  # normalised name → (CRC, size)
        self.sheet_parts: dict[str, str] = {}  # sheet name → normalised member, for .xlsx/.xlsm
        self._whole: bytes | None = None
        self.shared: bytes | None = None  # the key of everything but the sheets, once known
        try:
            with open(path, "rb") as fh:
                head = fh.read(4)
            if head == b"PK\x03\x04":
                with zipfile.ZipFile(path) as zf:
                    self.members = {_norm(i.filename): (i.CRC, i.file_size) for i in zf.infolist()}
                    self.sheet_parts = _sheet_parts(zf)
        except (OSError, zipfile.BadZipFile, ValueError, EOFError):
            self.members = None

    def whole(self) -> bytes:
        if self._whole is None:
            import hashlib

            h = hashlib.blake2b(digest_size=32)
            with open(self.path, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    h.update(chunk)
            self._whole = h.digest()
        return self._whole

    def book_key(self) -> bytes:
        """Everything in the file a sheet's values may depend on, the sheets themselves aside."""
        if self.members is None or not self.sheet_parts:
            return store.digest("file", self.whole())
        sheets = set(self.sheet_parts.values())
        kept = sorted((n, crc) for n, crc in self.members.items() if n not in sheets and not n.startswith(_NO_EFFECT))
        return store.digest("zip", kept, sorted(self.sheet_parts.items()))

    def sheet_key(self, name: str) -> tuple:
        member = self.sheet_parts.get(name)
        if member is not None and self.members and member in self.members:
            return ("part", member, self.members[member])
        return ("file", self.whole())

    def unchanged(self) -> bool:
        return self.stat is not None and _stat(self.path) == self.stat


class _Identity:
    """The content of every file an archive was read from, and how it was read."""

    def __init__(self, settings: bytes, files: dict, fields=None, order=None):
        """`settings`: how the cells were read, apart from which columns; `fields`: the columns
        read ({role: names}, None: all). A schedule depends on the columns scheduling reads
        alone, so `due`, `sheet` and `record` (which read different column sets) share one
        entry whenever each read at least those (cache/schedule.py checks). `order`: the
        files as they were read, each as often as it was (default: those of `files`): an
        archive named twice is read twice, every customer then a duplicate, which is not
        the schedule of the archive named once."""
        self.files = dict(files)
        self.fields = fields
        parts = []
        for path in order if order is not None else self.files:
            fk = self.files[path]
            content = sorted(fk.members.items()) if fk.members is not None else fk.whole()
            parts.append((str(path), str(path.resolve()), content))
        self.key = store.digest(settings, parts)
        # where its schedule is kept: one entry per archive and way of reading it, rewritten
        # when the content or the day changes, so the cache does not grow day by day
        self.name = store.digest(settings, [p[:2] for p in parts])

    def unchanged(self) -> bool:
        return all(fk.unchanged() for fk in self.files.values())


def _sheet_parts(zf) -> dict[str, str]:
    """Sheet name → its zip member (normalised) in an .xlsx/.xlsm; {} for other packages or
    when they cannot be mapped (then the whole file is the key: coarser, never wrong)."""
    try:
        from followup_cli.xlsx.package import Package

        return {s.name: _norm(s.part) for s in Package(zf, str(zf.filename)).info().sheets if s.part}
    except Exception:
        return {}


def _norm(name: str) -> str:
    return name.replace("\\", "/").lstrip("/").lower()


def _stat(path: Path):
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def reading_settings(config: Config) -> tuple:
    """The parts of the configuration that may change how cells are read."""
    import dataclasses

    out = []
    for f in dataclasses.fields(config):
        # not compared: things built from the settings (policy.setup), not settings
        if not f.compare or f.name in ("path", "rules", "policy", "raw", "preset", "lang", "shop_name", "shop_phone"):
            continue
        out.append((f.name, _plain(getattr(config, f.name))))
    raw = {k: v for k, v in (config.raw or {}).items() if k not in _NOT_READING}
    out.append(("raw", _plain(raw)))
    return tuple(out)


def _plain(value):
    if isinstance(value, dict):
        return tuple(sorted((str(k), _plain(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return tuple(sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items)
    return repr(value)


class SheetCache:
    """One load_archive's use of the cache (a no-op when the cache is off)."""

    def __init__(self, config, wanted, fields):
        self.on = store.enabled()
        events.clear()
        self.fields = fields
        self.config = config
        if self.on:
            from followup_cli.archive.birth_dates import latest_birth_year

            # how the cells are read (what the schedule cache keys on), then which columns;
            # and the year: an ID number's birth date after it is none (a typo), so the same
            # cell reads otherwise on New Year's Day
            self.read_settings = store.digest(
                reader_version(), reading_settings(config), sorted(wanted), latest_birth_year()
            )
        self._files: dict[Path, _FileKey] = {}
        self._order: list[Path] = []  # the files as read, a file named twice twice
        self._complete = True  # every file was fingerprinted (else no schedule is cached for this read)

    # ---- the book -------------------------------------------------------------------------

    def open_book(self, path: Path, open_book: Callable[[Path], RawBook]) -> RawBook:
        """The RawBook for `path`: from the cached sheet list when the book is unchanged (its
        sheets then open calamine only if one of them has to be read), else `open_book(path)`."""
        if not self.on:
            return open_book(path)
        try:
            fk = _FileKey(path)
        except Exception:
            fk = None
        if fk is None or fk.stat is None:
            self._complete = False
            return open_book(path)  # let the reader say what is wrong with the path
        self._files[path] = fk
        self._order.append(path)
        manifest = self._manifest(path, fk)
        if manifest is not None:
            return _lazy_book(path, manifest, open_book)
        book = open_book(path)
        self._store_manifest(path, fk, book)
        return book

    def _manifest_name(self, path: Path) -> bytes:
        return store.digest(KIND_BOOK, str(path), str(path.resolve()))

    def _manifest(self, path: Path, fk: _FileKey):
        key = store.digest(reader_version(), fk.book_key())
        value = store.load(KIND_BOOK, self._manifest_name(path), key)
        if not isinstance(value, dict) or value.get("parts") != fk.sheet_parts:
            return None
        fk.shared = key
        return value

    def _store_manifest(self, path: Path, fk: _FileKey, book) -> None:
        key = store.digest(reader_version(), fk.book_key())
        fk.shared = key
        value = {
            "kind": book.kind,
            "date1904": bool(book.date1904),
            "parts": fk.sheet_parts,
            "sheets": [(s.name, s.index, bool(s.date1904), bool(s.hidden)) for s in book.sheets],
        }
        if fk.unchanged():
            store.save(KIND_BOOK, self._manifest_name(path), key, value)

    def finish(self, archive: Archive) -> None:
        """Tell the schedule cache what this archive was read from (cache/schedule.py)."""
        from followup_cli.cache import schedule

        identity = None
        if self.on and self._complete and self._files:
            try:
                identity = _Identity(self.read_settings, self._files, self.fields, self._order)
            except OSError:
                identity = None
        schedule.register(archive, identity)

    # ---- one sheet ------------------------------------------------------------------------

    def sheet_part(self, raw: RawSheet, named: set[str], compute: Callable[[], SheetPart]) -> SheetPart:
        """What reading sheet `raw` gives (archive.reading.SheetPart), from the cache when its
        part and everything it depends on are unchanged, else `compute()` (and stored)."""
        if not self.on:
            return compute()
        path = Path(raw.file)
        fk = self._files.get(path)
        if fk is None or fk.shared is None:
            return compute()
        # What the sheet is (its role) does not depend on which columns are read; its records
        # depend only on the columns read of that role. So the role is kept under a key without
        # any columns, and the records under the columns of that role alone: `record`, which
        # reads more of the visit log than `sheet`, still finds sheet's customers and purchases.
        base = self._base(raw, fk, fk.sheet_key(raw.name), named)
        where = (str(path), str(path.resolve()), raw.name, self.read_settings)
        role_name = store.digest(KIND_ROLE, *where)
        result = self._kept(path, where, role_name, base)
        if result is not None:
            events.append((str(path), raw.name, "hit"))
            return result
        from followup_cli.cache import continued

        result = continued.after_append(self, raw, fk, where, role_name, named)  # after `record`
        if result is not None:
            return self._store(result, path, raw, fk, where, role_name, base, "continued")
        from followup_cli.archive.parsing import KEEP_COLUMNS

        token = KEEP_COLUMNS.set(True)  # the records' columns, for encode_part
        try:
            result = compute()
        finally:
            KEEP_COLUMNS.reset(token)
        try:
            return self._store(result, path, raw, fk, where, role_name, base)
        finally:
            if getattr(result.records, "columns", None) is not None:
                result.records.columns = None  # not held for the rest of the run

    def _base(self, raw, fk: _FileKey, sheet_key: tuple, named) -> bytes:
        return store.digest(
            self.read_settings,
            fk.shared,
            raw.name,
            raw.index,
            bool(raw.date1904),
            sheet_key,
            sorted(x for x in named if x),
        )

    def _kept(self, path: Path, where: tuple, role_name: bytes, base: bytes, role=None) -> SheetPart | None:
        """The part kept under `base` (as a sheet of `role`, else of the role kept for it), or None."""
        if role is None:
            known = store.load(KIND_ROLE, role_name, base)
            if not (isinstance(known, dict) and set(known) == {"role"}):
                return None
            role = known["role"]
        value = store.load(KIND_SHEET, self._part_name(where, role), self._part_key(base, role))
        if value is None:
            return None
        try:
            result = decode_part(value, path)
        except Exception:
            return None  # a format this code does not read: compute it again
        return result if (result.source.role if result.source is not None else None) == role else None

    def _store(self, result, path, raw, fk, where, role_name, base, how: str = "stored") -> SheetPart:
        role = result.source.role if result.source is not None else None
        if any(p.code == UNREADABLE for p in result.problems):
            # skipped because reading it failed: perhaps for a moment (an I/O error, a file of a
            # cloud folder not yet downloaded), so read again next time, never replayed
            events.append((str(path), raw.name, UNREADABLE))
            self._complete = False  # nor is a schedule worked out without the sheet
            return result
        encoded = encode_part(result) if fk.unchanged() else None
        stored = (
            encoded is not None
            and fk.unchanged()
            and store.save(KIND_SHEET, self._part_name(where, role), self._part_key(base, role), encoded)
            and store.save(KIND_ROLE, role_name, base, {"role": role})
        )
        events.append((str(path), raw.name, how if stored else "not-stored"))
        return result

    def _fields_of(self, role: str | None) -> tuple | None:
        """The columns read of `role` (None: every column), as load_archive's reader takes them."""
        only = None if self.fields is None or role is None else self.fields.get(role)
        return None if only is None else tuple(sorted(only))

    def _part_name(self, where: tuple, role: str | None) -> bytes:
        return store.digest(KIND_SHEET, *where, role, self._fields_of(role))

    def _part_key(self, base: bytes, role: str | None) -> bytes:
        return store.digest(base, role, self._fields_of(role))


def _lazy_book(path: Path, manifest: dict, open_book):
    """A RawBook from the cached sheet list; calamine opens the file only if a sheet is read.
    A sheet read through it is the real book's sheet: its rows, its merged ranges and its
    error cells and formulas without a value (RawSheet.unread) and its rows struck through or
    filled (RawSheet.marks), which a read names."""
    from followup_cli.archive.raw import RawBook, RawSheet

    real = {}

    def sheet(name):
        if "book" not in real:
            real["book"] = open_book(path)
        return real["book"].sheet(name)

    def loader(name):
        return lambda: sheet(name).rows()

    def merges(name):
        return lambda: sheet(name).merges()

    def unread(name):
        return lambda: sheet(name).unread()

    def marks(name):
        return lambda: sheet(name).marks()

    sheets = []
    for name, index, date1904, hidden in manifest["sheets"]:
        sheets.append(
            RawSheet(path, name, index, loader(name), date1904, hidden, merges(name), unread(name), marks(name))
        )
    return RawBook(path, manifest["kind"], sheets, manifest["date1904"])


# ---- what is stored for one sheet ---------------------------------------------------------


def encode_part(part: SheetPart) -> dict | None:
    """SheetPart → plain values (None when it is not in the shape this format keeps); the
    pickler in store.save refuses any value the safe unpickler would not rebuild."""
    from dataclasses import fields as dc_fields

    from followup_cli.archive.parsing import NONE
    from followup_cli.archive.problems import Problem

    problems = list(part.problems)
    if any(type(p) is not Problem for p in problems):
        return None
    src = part.source
    source = None if src is None else {k: v for k, v in vars(src).items() if k != "file"}
    records = None
    if part.records is not None:
        recs = part.records
        if src is None:
            return None
        from followup_cli.archive.records import RECORD_CLASSES

        cls = RECORD_CLASSES.get(src.role)
        if cls is None or set(map(type, recs)) - {cls}:
            return None
        names = tuple(f.name for f in dc_fields(cls))
        known = getattr(recs, "columns", None) or {}  # what parse_rows made them from
        columns = []
        for n in names:
            col = known.get(n)
            if col is NONE:
                columns.append(("none",))
                continue
            if col is None:
                col = list(map(attrgetter(n), recs))
            if n == "src":
                if not all(v is src for v in col):
                    return None
                columns.append(("src",))
            else:
                columns.append(encode_column(col, n))
        records = (src.role, names, len(recs), columns)
    extra = {k: v for k, v in vars(part).items() if k not in ("source", "records", "problems")}
    return {
        "source": source,
        "records": records,
        "problems": problems,
        "extra": extra,
        "part_fields": sorted(vars(part)),
    }


def decode_part(value: dict, path: Path) -> SheetPart:
    from dataclasses import fields as dc_fields

    from followup_cli.archive.reading import SheetPart
    from followup_cli.archive.records import RECORD_CLASSES, SheetSource

    if value.get("part_fields") != sorted(vars(SheetPart(None, None, [])).keys()):
        raise ValueError("another SheetPart")
    source = SheetSource(file=path, **value["source"]) if value["source"] is not None else None
    records = None
    if value["records"] is not None:
        role, names, count, columns = value["records"]
        cls = RECORD_CLASSES[role]
        if tuple(f.name for f in dc_fields(cls)) != tuple(names):
            raise ValueError("other record fields")
        cols = []
        for c in columns:
            if c[0] == "none":
                cols.append(repeat(None, count))
            elif c[0] == "src":
                cols.append(repeat(source, count))
            else:
                cols.append(decode_column(c))
        records = list(map(cls, *cols))
    return SheetPart(source, records, list(value["problems"]), **value["extra"])
