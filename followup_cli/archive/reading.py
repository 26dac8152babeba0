"""Reading a shop's archive: find each sheet's role and header row, map the columns, parse cells.

`load_archive(paths, config)` returns an Archive whose records carry their sheet and row,
and whose `problems` list every cell that could not be read, with the value found and what
was expected. A bad cell never stops the reading: its field is left empty and reported.
Every sheet is read or named in `archive.unused_sheets` with the reason; every column's
fate is in its SheetSource's `uses` (see sheetmap.py and `followup columns`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from followup_cli.archive import row_marks, said_in_visits, unread_cells
from followup_cli.archive.blocklist import apply_blocklist
from followup_cli.archive.duplicates import find_duplicates
from followup_cli.archive.files import open_book
from followup_cli.archive.headers import CONFIDENCE, HOW_NORM, norm_header
from followup_cli.archive.linking import link_customers
from followup_cli.archive.merged import fill_merged_down
from followup_cli.archive.parsing import parse_rows
from followup_cli.archive.problems import ERROR, NOTE, WARNING, Problem
from followup_cli.archive.raw import RawSheet
from followup_cli.archive.records import Archive, SheetSource
from followup_cli.archive.schema import (
    ROLE_ORDER,
    ROLES,
    field_by_name,
    missing_required,
    name_for_role,
    sheet_role_by_name,
)
from followup_cli.archive.sheetmap import ROLE_BY_NAME, ROLE_BY_WORDS, SheetMap, UnusedSheet, identify
from followup_cli.cache.sheets import SheetCache
from followup_cli.config import Config
from followup_cli.errors import UnreadableFile, UsageProblem
from followup_cli.text.messages import msg, text


def load_archive(
    paths: Iterable[str | Path],
    config: Config | None = None,
    roles: Iterable[str] | None = None,
    fields: dict[str, set] | None = None,
) -> Archive:
    """Read every workbook in `paths` into one Archive. `roles` limits which sheets are parsed,
    `fields` ({role: field names}) which columns of a role are parsed (the rest stay empty and
    unchecked: `check` reads everything, `due` only what its policy needs)."""
    # Reading makes millions of objects and no reference cycles: the cyclic collector would
    # rescan the growing heap again and again for nothing (15-30% of the time, measured).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(paths, config, roles, fields)
    finally:
        if enabled:
            gc.enable()
        _give_back_freed_memory()


def _give_back_freed_memory() -> None:
    """Return to the system the memory calamine freed: its copy of each sheet and the book's
    shared strings are millions of small blocks, which glibc keeps once freed, and the
    interpreter's own allocator cannot use (it maps memory of its own). malloc_trim gives
    those pages back (about 150 MB after a 200,000-customer archive), so what the schedule
    builds next does not stand on top of them. Nothing where the C library has no malloc_trim."""
    try:
        import ctypes

        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):  # not glibc (macOS, musl, Windows)
        return
    trim(0)


def archive_files(paths: Iterable[str | Path], config: Config) -> list[Path]:
    """The files an archive is read from: those named, then the companion workbooks beside
    them that exist (visits and verdicts recorded beside an archive never rewritten itself)."""
    from followup_cli.inputs import reading

    paths = [Path(p) for p in paths]
    if paths:
        for extra in config.companion_paths(paths):
            if extra.exists() and all(extra.resolve() != p.resolve() for p in paths):
                paths.append(extra)
    reading(paths)  # never an output of this run (inputs.py)
    return paths


def _load(paths, config, roles, fields) -> Archive:
    config = config or Config()
    paths = archive_files(paths, config)
    wanted = set(roles or ROLE_ORDER)
    archive = Archive(paths=paths)
    zh_hits = en_hits = 0
    cache = SheetCache(config, wanted, fields)  # a no-op with --no-cache / FOLLOWUP_NO_CACHE
    lacking = []  # sheets that found no customer reference column: see _refs_by_the_customers_id_header
    for path in paths:
        book = cache.open_book(path, open_book)
        _refuse_own_output(book, path)
        archive.date1904 = archive.date1904 or book.date1904
        # Roles some sheet claims by its name: another sheet with the same headers (a backup
        # copy such as 客户档案(备份)) is then not read as a second archive.
        named = {config.sheets.get(n) or sheet_role_by_name(name_for_role(n, path)) for n in book.sheet_names} - {None}
        names = tuple(book.sheet_names)
        read = _read_biggest_first(
            book.sheets, lambda raw: _read_sheet(raw, path, config, named, wanted, fields, names), cache, named
        )
        for k, raw in enumerate(book.sheets):
            part = read.pop(k)
            if part.unused is not None:
                archive.unused_sheets.append(part.unused)
            archive.problems.extend(part.problems)
            if part.source is None:
                continue
            archive.sources.append(part.source)
            if part.records is not None and _lacks_customer_ref(part.source):
                lacking.append((raw, path, named, part))
            zh_hits += part.zh
            en_hits += part.en
            if part.records is not None:
                archive.records(part.source.role).extend(part.records)
    if lacking:
        _refs_by_the_customers_id_header(archive, lacking, config, wanted, fields)
    _stores_from_sheet_names(archive)
    if not any(s.role == "customers" for s in archive.sources):
        names = "; ".join(f"{p.name}: {', '.join(open_book(p).sheet_names) or '(no sheets)'}" for p in paths)
        archive.problems.append(
            Problem(
                ERROR,
                str(paths[0]) if paths else "",
                None,
                None,
                None,
                msg(
                    f"没有找到客户工作表（名为 客户/客户档案/会员/Customers，或表头含 客户编号 和 姓名 的工作表）。"
                    f'现有工作表：{names}。可在 followup.toml 中指定：[sheets] "<工作表名>" = "customers"',
                    "no customer sheet found (a sheet named 客户/客户档案/会员/Customers, or with headers "
                    f"such as 客户编号 and 姓名). Sheets are: {names}. Name the sheet in followup.toml: "
                    '[sheets] "<sheet name>" = "customers"',
                ),
                "no-customers",
            )
        )
    else:
        link_customers(archive)
        apply_blocklist(archive)
        said_in_visits.apply(archive)  # a customer who said on a call not to call again
        find_duplicates(archive)
    archive.lang = config.lang or ("en" if en_hits > zh_hits else "zh")
    cache.finish(archive)  # what it was read from, for the schedule cache
    return archive


def _read_biggest_first(sheets: list[RawSheet], read, cache: SheetCache, named: set) -> dict:
    """Position in the book → SheetPart of every sheet, the biggest sheet read first.

    A sheet's cells are most of the memory while it is read (calamine's copy and the rows), and
    the records of the sheets read before it are held meanwhile: read last, a 600,000-row visit
    log would add its cells to the records of a million purchases. What the parts give is used
    in the book's order all the same, and when sheets cannot be read the error raised is the
    one the book's order meets first (no sheet after that one in the book is read from then on)."""
    parts: dict = {}
    first_error = None  # (position, exception)
    for k in sorted(range(len(sheets)), key=lambda k: -sheets[k].size):
        if first_error is not None and k > first_error[0]:
            continue
        raw = sheets[k]
        try:
            parts[k] = cache.sheet_part(raw, named, lambda raw=raw: read(raw))
        except Exception as exc:
            first_error = (k, exc)
    if first_error is not None:
        raise first_error[1]
    return parts


@dataclass
class SheetPart:
    """What one sheet adds to the archive, worked out from that sheet and the settings alone,
    so it can be kept and reused while the sheet is unchanged (followup_cli/cache/sheets.py).
    Whatever needs several sheets (stores from sheet names, linking) is done afterwards."""

    source: SheetSource | None  # None: a sheet the archive does not use
    records: list | None  # None: its role was not asked for
    problems: list
    unused: UnusedSheet | None = None  # why the sheet is not read
    zh: int = 0  # Chinese and English headers of a customer sheet: the archive's language
    en: int = 0


def _read_sheet(
    raw: RawSheet, path: Path, config: Config, named: set, wanted: set, fields, siblings: tuple = ()
) -> SheetPart:
    try:
        rows = raw.rows()
        found = identify(raw, rows, config, named, siblings)
    except UnreadableFile as exc:
        if config.sheets.get(raw.name) or sheet_role_by_name(raw.name):
            raise  # a sheet the archive needs: say it is damaged, do not carry on without it
        # what is wrong with the sheet, in both languages, without the file's name before it
        zh, en = text(exc.message, "zh"), str(exc.message)
        reason = msg(zh.split("：", 1)[-1], en.split(": ", 1)[-1])
        return SheetPart(
            None,
            None,
            [
                Problem(
                    WARNING,
                    str(path),
                    raw.name,
                    None,
                    None,
                    msg(
                        f"这张工作表无法读取，已跳过（{reason.zh}）",
                        f"this sheet cannot be read and was skipped ({reason})",
                    ),
                    "unreadable-sheet",
                )
            ],
            UnusedSheet(
                str(path),
                raw.name,
                msg(
                    f"这张工作表无法读取，已跳过（{reason.zh}）",
                    f"this sheet cannot be read and was skipped ({reason})",
                ),
            ),
        )
    if isinstance(found, UnusedSheet):
        return SheetPart(None, None, [], found)
    sheet: SheetMap = found
    header_idx = sheet.header_idx
    headers = ["" if v is None else str(v) for v in rows[header_idx]] if rows else []
    zh, en = _header_language(headers)
    src = SheetSource(
        sheet.role,
        path,
        raw.name,
        header_idx + 1,
        sheet.columns,
        headers,
        sheet.extras,
        "zh" if zh >= en else "en",
        role_how=sheet.role_how,
        uses=sheet.uses,
        consent=sheet.consent,
        codes=sheet.codes,
        lunar=sheet.lunar,
        store=sheet.store_hint,
        hidden=bool(raw.hidden),
    )
    customers = sheet.role == "customers"
    if sheet.role_how in (ROLE_BY_NAME, ROLE_BY_WORDS) and name_for_role(raw.name, path) != raw.name:
        sheet.problems.append(
            Problem(
                NOTE,
                str(path),
                raw.name,
                None,
                None,
                msg(
                    f"工作表名“{raw.name}”没有说明内容，按文件名“{path.stem}”读作{ROLES[sheet.role]['zh']}",
                    f"the sheet's name '{raw.name}' says nothing: read as {ROLES[sheet.role]['en'].lower()} by the "
                    f"file's name ({path.stem})",
                ),
                "role-from-file-name",
            )
        )
    part = SheetPart(src, None, list(sheet.problems), None, zh if customers else 0, en if customers else 0)
    if sheet.role not in wanted or not sheet.columns:
        return part  # no header row found: said once at A1, its rows are no records (nor "id is empty" each)
    _check_required(src, part.problems)
    merged = fill_merged_down(rows, raw.merges(), header_idx, str(path), raw.name)
    if merged is not None:
        part.problems.append(merged)
    part.problems.extend(_marked_rows(raw, src, rows, header_idx))
    part.records = parse_rows(
        sheet.role, src, rows, header_idx, config, raw.date1904, part.problems, (fields or {}).get(sheet.role)
    )
    part.problems.extend(_unread_cells(raw, src, header_idx))
    return part


def _marked_rows(raw: RawSheet, src: SheetSource, rows: list, header_idx: int) -> list:
    """Rows struck through (a customer's: not contacted) or filled with a colour: said, never unsaid."""
    found = raw.marks()
    if not found:
        return []
    out = []
    struck = row_marks.marked_rows(rows, header_idx + 1, *found[row_marks.STRIKE])
    if struck:
        src.struck = frozenset(struck)
        out.append(row_marks.struck_problem(src, struck))
    filled = row_marks.marked_rows(rows, header_idx + 1, *found[row_marks.FILL]) if src.role == "customers" else []
    if filled:
        out.append(row_marks.filled_problem(src, filled))
    return out


def _unread_cells(raw: RawSheet, src: SheetSource, header_idx: int) -> list:
    """Error values and formulas without a value in the columns read: never read as empty unsaid."""
    found = raw.unread()
    if not found:
        return []
    used = {col: src.headers[col] if col < len(src.headers) else "" for col in src.columns.values()}
    used.update({col: src.headers[col] if col < len(src.headers) else "" for col, _, _ in src.consent})
    return unread_cells.problems(found, used, header_idx, str(src.file), src.sheet)


_OWN_META = "_followup"  # the metadata sheet of what followup writes (xlsx/builder.py)
_OWN_KINDS = {
    "call-sheet": ("回访表", "call sheet", "followup record 档案.xlsx {name}", "followup record ARCHIVE.xlsx {name}"),
    "audit-sheet": ("抽查表", "audit sheet", "followup record 档案.xlsx {name}", "followup record ARCHIVE.xlsx {name}"),
}


def _refuse_own_output(book, path: Path) -> None:
    """A call sheet or an audit sheet named as an archive (followup due calls.xlsx): refused with
    the command it is for, rather than read as an archive with no customers."""
    if _OWN_META not in book.sheet_names:
        return
    rows = book.sheet(_OWN_META).rows()
    kind = next((str(r[1]) for r in rows if len(r) >= 2 and r[0] == "kind"), None)
    if kind not in _OWN_KINDS:
        return
    zh, en, use_zh, use_en = _OWN_KINDS[kind]
    raise UsageProblem(
        msg(
            f"{path}：这是 followup 生成的{zh}，不是档案",
            f"{path}: this is a {en} made by followup, not an archive",
        ),
        msg(
            f"请给出客户档案；填好的{zh}这样记录：{use_zh.format(name=path.name)}",
            f"name the customer archive; a filled {en} is recorded with: {use_en.format(name=path.name)}",
        ),
    )


def _lacks_customer_ref(src: SheetSource) -> bool:
    return (
        src.role != "customers"
        and "customer_id" not in src.columns
        and bool(src.extra_columns)
        and any(f.name == "customer_id" for f in ROLES[src.role]["fields"])
    )


def _refs_by_the_customers_id_header(archive: Archive, lacking: list, config: Config, wanted, fields) -> None:
    """A purchase or visit sheet with no customer column of its own, but a column headed like the
    customer sheet's id (编号 in both): that column is the reference, and the sheet is read again
    with it (as if followup.toml said so; `columns` states why)."""
    id_headers = {
        norm_header(s.headers[s.columns["id"]]): s
        for s in archive.sources
        if s.role == "customers" and "id" in s.columns
    }
    for raw, path, named, part in lacking:
        old = part.source
        header = next((h for h in old.extra_columns if norm_header(h) in id_headers), None)
        if header is None:
            continue
        role = old.role
        columns = {**config.columns, role: {**config.column_map(role), norm_header(header): "customer_id"}}
        again = _read_sheet(raw, path, replace(config, columns=columns), named, wanted, fields)
        if again.source is None or again.records is None:
            continue
        customers = id_headers[norm_header(header)]
        for u in again.source.uses:
            if u.field == "customer_id":
                u.how, u.confidence = HOW_NORM, CONFIDENCE[HOW_NORM]
                u.note = msg(
                    f"与客户表（{customers.sheet}）的编号列同名",
                    f"the same header as the id column of the customer sheet ({customers.sheet})",
                )
        dropped = {id(p) for p in part.problems}
        archive.problems[:] = [p for p in archive.problems if id(p) not in dropped]
        archive.problems.extend(again.problems)
        archive.sources[archive.sources.index(old)] = again.source
        records = archive.records(role)
        records[:] = [r for r in records if r.src is not old]
        records.extend(again.records)


def _stores_from_sheet_names(archive: Archive) -> None:
    """Several sheets of one role named per store (一店会员, 二店会员) and no store column: each
    record's store is its sheet's."""
    for role in ("customers", "purchases"):
        sheets = [s for s in archive.sources if s.role == role]
        if len(sheets) < 2:
            continue
        for src in sheets:
            if "store" in src.columns or not src.store or src.role_how != ROLE_BY_WORDS:
                src.store = ""
                continue
            for rec in archive.records(role):
                if rec.src is src and not rec.store:
                    rec.store = src.store
    for src in archive.sources:
        if src.role_how != ROLE_BY_WORDS or len([s for s in archive.sources if s.role == src.role]) < 2:
            src.store = ""


def _header_language(headers: list[str]) -> tuple[int, int]:
    zh = sum(1 for h in headers if any("\u4e00" <= ch <= "\u9fff" for ch in h))
    en = sum(1 for h in headers if h and h.isascii() and any(ch.isalpha() for ch in h))
    return zh, en


def _check_required(src: SheetSource, problems: list) -> None:
    if not src.columns and any(p.code == "no-header" and p.sheet == src.sheet for p in problems):
        return
    for name in missing_required(src.role, src.columns):
        f = field_by_name(src.role, name)
        found = ", ".join(h for h in src.headers if h) or "(empty)"
        problems.append(
            Problem(
                ERROR,
                str(src.file),
                src.sheet,
                f"A{src.header_row}",
                None,
                msg(
                    f"缺少必需的列 {f.zh}；现有表头：{found}。请添加这一列，或在 followup.toml 中对应："
                    f'[columns.{src.role}] "<你的表头>" = "{f.name}"',
                    f"missing required column {f.zh} ({f.en}); headers found: {found}. Add the column, "
                    f'or map your header to it in followup.toml: [columns.{src.role}] "<your header>" = "{f.name}"',
                ),
                "missing-column",
            )
        )
