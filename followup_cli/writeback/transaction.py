"""Safe, surgical writes into a workbook the shop owns.

`apply_changes` makes a list of changes (`Append` rows below a worksheet's last real row,
`Update` given cells in place), on one sheet or several, in one all-or-nothing write;
`append_rows` and `update_cells` are the one-change cases of it. A write changes only the
worksheets' own XML parts (and, for an append, the part of a table that has to grow);
every other member of the .xlsx/.xlsm package is copied byte for byte. See
docs/writing.md for what is assumed and what is refused.

Every write is one transaction:
  lock (sidecar `.<name>.followup.lock`) → refuse if Excel/WPS/LibreOffice has the file
  open → plan every sheet's changes (any refusal stops here) → write a temp file beside
  the workbook → fsync → check it → back up the original → os.replace → one audit line.
A failure or a kill at any moment leaves either the old workbook or the new one.

The changes themselves, and the checks a request passes first, are in writeback/changes.py;
what a write returns (and the text of its audit line) in writeback/outcome.py.
"""

from __future__ import annotations

import os
import secrets
import shutil  # noqa: F401  (tests patch shutil.copy2 through this module)
import stat
import zipfile
import zlib
from collections.abc import Iterable
from contextvars import ContextVar
from pathlib import Path

import filelock  # noqa: F401  (tests patch filelock.FileLock through this module)

from followup_cli.errors import UnreadableFile, WriteRefused
from followup_cli.outputs.files import is_read_only
from followup_cli.text import refusals
from followup_cli.text.files import NO_SUCH_FILE, NOT_XLSX_PACKAGE
from followup_cli.text.messages import msg
from followup_cli.writeback import faults, locks
from followup_cli.writeback.backups import BACKUP_DIR, TEMP_SUFFIX, make_backup, write_audit
from followup_cli.writeback.changes import Append, ExtendHeader, Update, check_changes, group_by_sheet
from followup_cli.writeback.locks import refuse_if_open
from followup_cli.writeback.outcome import SheetResult, WriteResult, audit_fields
from followup_cli.xlsx.bounds import damaged
from followup_cli.xlsx.deflate import open_member
from followup_cli.xlsx.limits import CHUNK
from followup_cli.xlsx.package import read_package
from followup_cli.xlsx.plan import plan_sheet
from followup_cli.xlsx.recalc import has_calc_chain, recalc_on_load
from followup_cli.xlsx.surgery import rewrite_zip

# Set for one run by --ignore-readonly (cli/options.py): write into a workbook marked read-only.
ALLOW_READ_ONLY: ContextVar[bool] = ContextVar("followup_allow_read_only", default=False)


def refuse_if_read_only(target: Path) -> None:
    """A workbook the user marked read-only (no write bit: chmod 444, or Windows' read-only
    attribute) is not written into, even by root, unless --ignore-readonly says so."""
    if is_read_only(target) and not ALLOW_READ_ONLY.get():
        raise WriteRefused(
            msg(
                f"{target}：工作簿被设为只读；没有写入任何内容",
                f"{target}: the workbook is marked read-only; nothing was written",
            ),
            msg(
                "如确需写入，请先取消只读属性，或加上 --ignore-readonly",
                "clear its read-only mark first, or add --ignore-readonly if it should be written all the same",
            ),
        )


WRITABLE_SUFFIXES = (".xlsx", ".xlsm")


# ---------------------------------------------------------------------------
# the public API


def apply_changes(
    path: str | Path,
    changes: Iterable[Append | Update],
    *,
    command: str = "",
    force: bool = False,
    backup: bool = True,
    lock_timeout: float = 10,
) -> WriteResult:
    """Make every change in one all-or-nothing write of the workbook at `path`.

    Changes to the same sheet are merged into one rewrite of its part (the rows of several
    `Append`s in order, the cells of several `Update`s together); each sheet's part is
    rewritten once; every other member of the package is copied byte for byte. Row numbers
    are those of the workbook as it is: appended rows go below each sheet's last real row.
    Any refusal, on any sheet, and nothing is written.

    Caller bugs are a TypeError, raised before anything is written: a value of a type a cell
    cannot hold, an Update of a row the same call appends to that sheet, the same cell given
    two different values, two different `header_row`s for one sheet.
    """
    target = _writable(path)
    checked = check_changes(changes)
    live = [
        c
        for c in checked
        if (c.rows if isinstance(c, Append) else c.columns if isinstance(c, ExtendHeader) else c.updates)
    ]
    if not live:
        names = list(dict.fromkeys(c.sheet for c in checked))
        return WriteResult(target, ", ".join(names), [], None, "")
    return _transaction(target, live, command, force, backup, lock_timeout)


def append_rows(
    path: str | Path,
    sheet_name: str,
    rows: Iterable[Iterable],
    *,
    command: str = "",
    force: bool = False,
    backup: bool = True,
    lock_timeout: float = 10,
    header_row: int | None = None,
) -> WriteResult:
    """Append `rows` below the last row holding a value on `sheet_name`.

    Each new cell takes the style of the same column's cell in the last real row. When
    that row is the header (`header_row` given and the last real row is at or above it,
    or, without `header_row`, the sheet has a single real row), the new cells take the
    style of the empty formatted cell already there, else the column's style.
    Dates are written as serial numbers with that style: give dates only to columns
    formatted as dates. A `None` or "" leaves the cell empty.
    """
    return apply_changes(
        path,
        [Append(sheet_name, [list(r) for r in rows], header_row)],
        command=command,
        force=force,
        backup=backup,
        lock_timeout=lock_timeout,
    )


def update_cells(
    path: str | Path,
    sheet_name: str,
    updates: dict[tuple[int, int], object],
    *,
    command: str = "",
    force: bool = False,
    backup: bool = True,
    lock_timeout: float = 10,
) -> WriteResult:
    """Rewrite the given cells ((row, col), 1-based) in place, keeping each cell's style.

    A missing cell or row is created (styled like its row, else its column). A cell that
    holds a formula, or a table's header cell, is refused. `None` empties a cell.
    """
    return apply_changes(
        path,
        [Update(sheet_name, dict(updates))],
        command=command,
        force=force,
        backup=backup,
        lock_timeout=lock_timeout,
    )


def sheet_width(path: str | Path, sheet_name: str, header_row: int | None = None) -> int:
    """The last column any cell of the sheet uses (where an ExtendHeader's columns start after).

    Raises xlsx.header.CannotExtend when that cannot be known safely, or (given `header_row`)
    when a table on the sheet could not grow with new header columns. Call it while holding
    the workbook's lock (`locks.hold`) so the width still holds when the write comes.
    """
    from followup_cli.xlsx.header import extend_table, used_width
    from followup_cli.xlsx.tables import read_tables

    target = _writable(path)
    where = str(target)
    try:
        with zipfile.ZipFile(target) as zf:
            entry = read_package(zf, where).sheet(sheet_name, where)
            with open_member(zf, entry.part) as stream:
                width = used_width(stream, refusals.on_sheet(where, entry.name))
            if header_row is not None:
                for t in read_tables(zf, entry, where):
                    extend_table(
                        t.xml, t.name, t.ref, header_row, width + 1, ["\x00"], refusals.on_sheet(where, entry.name)
                    )
            return width
    except zipfile.BadZipFile:
        raise UnreadableFile(target, NOT_XLSX_PACKAGE) from None


# ---------------------------------------------------------------------------
# the transaction


def _writable(path) -> Path:
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in WRITABLE_SUFFIXES:
        raise WriteRefused(*refusals.not_writable_kind(p, p.suffix))
    if not p.exists():
        raise UnreadableFile(p, NO_SUCH_FILE)
    # Write through a symlink to the file it points at, so the link stays a link.
    return p.resolve()


def _plan_all(zf, changes: list[Append | Update], where: str):
    """Plan every sheet before a byte is written: a refusal on any sheet stops the whole write."""
    info = read_package(zf, where)
    plans = []
    replacements: dict = {}
    for w in group_by_sheet(info, changes, where):
        plan = plan_sheet(
            zf, info, w.entry, where, rows=w.rows, updates=w.updates, header_row=w.header_row, header=w.header
        )
        for part in plan.replacements:
            if part in replacements:
                raise WriteRefused(refusals.part_in_two_sheets(where, part))
        replacements.update(plan.replacements)
        plans.append((w.entry, plan))
    workbook_parts = []
    if plans and (any(p.wrote_formulas for _e, p in plans) or has_calc_chain(zf)):
        recalc = recalc_on_load(zf, info, where)  # cached results elsewhere are stale now
        if recalc is not None:
            member, data = recalc
            replacements[member] = lambda write, data=data: write(data)
            workbook_parts.append(member)
    return plans, replacements, workbook_parts


def _transaction(target: Path, changes: list[Append | Update], command, force, backup, lock_timeout) -> WriteResult:
    where = str(target)
    with locks.hold(target, lock_timeout, where):
        return _locked_transaction(target, changes, command, force, backup, where)


def _locked_transaction(target: Path, changes, command, force, backup, where) -> WriteResult:
    refuse_if_open(target, force)
    refuse_if_read_only(target)
    remove_leftovers(target)
    before = _identity(target)
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
    try:
        try:
            zf = zipfile.ZipFile(target)
        except zipfile.BadZipFile:
            raise UnreadableFile(target, refusals.NOT_A_PACKAGE_GUESS) from None
        with zf:
            plans, replacements, workbook_parts = _plan_all(zf, changes, where)
            changed_parts = [part for _e, p in plans for part in p.changed_parts] + workbook_parts
            before_parts = {e.part: (zf.getinfo(e.part).CRC, zf.getinfo(e.part).file_size) for e, _p in plans}
            faults.point("before-temp")
            with open(tmp, "xb") as out:
                rewrite_zip(target, out, replacements, where)
                out.flush()
                faults.point("after-temp")
                os.fsync(out.fileno())
            faults.point("after-fsync")
            _verify(target, tmp, changed_parts, where)
        _copy_mode(target, tmp)
        if _identity(target) != before:
            raise WriteRefused(refusals.changed_while_writing(where), refusals.TRY_AGAIN)
        backup_path = make_backup(target) if backup else None
        _replace(tmp, target, where)
    except (zlib.error, zipfile.BadZipFile, EOFError) as exc:  # a part that does not inflate: damage, not a bug
        raise damaged(target, None, str(exc) or type(exc).__name__) from None
    except OSError as exc:
        raise WriteRefused(refusals.could_not_write(where, exc)) from None
    finally:
        if tmp.exists():
            try:
                tmp.unlink()
            except OSError:
                pass
    faults.point("after-replace")
    if len(plans) == 1 and plans[0][1].appended is not None and not workbook_parts:
        _note_append(target, plans[0][0].part, before_parts[plans[0][0].part], plans[0][1].appended)
    sheets = [SheetResult(e.name, p.rows_added, p.rows_updated, p.cells, p.changed_parts) for e, p in plans]
    first = sheets[0]
    result = WriteResult(
        target,
        first.sheet,
        first.rows_added or first.rows_updated,
        backup_path,
        "",
        first.cells_changed,
        changed_parts,
        sheets=sheets,
    )
    sheet_field, detail = audit_fields(plans)
    try:
        result.audit_line = write_audit(target, sheet_field, command, detail)
    except OSError as exc:
        result.warnings.append(refusals.audit_log_failed(exc))
    return result


def _note_append(target: Path, part: str, old: tuple, appended: tuple) -> None:
    """Rows appended alone: said to the cache, so the next read reads only them (cache/continued.py)."""
    try:
        from followup_cli.cache import continued

        with zipfile.ZipFile(target) as zf:
            info = zf.getinfo(part)
            new = (info.CRC, info.file_size)
        first_row, fragment, prefix = appended
        continued.note_append(target, part, old, new, first_row, fragment, prefix)
    except Exception:  # the write is done; without the note the next read reads the whole sheet
        pass


def _identity(p: Path) -> tuple:
    st = os.stat(p)
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _copy_mode(src: Path, dst: Path) -> None:
    try:
        os.chmod(dst, stat.S_IMODE(os.stat(src).st_mode))
    except OSError:
        pass


def _replace(tmp: Path, target: Path, where: str) -> None:
    try:
        os.replace(tmp, target)
    except PermissionError as exc:
        raise WriteRefused(*refusals.held_open(where, exc)) from None
    _fsync_dir(target.parent)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable; the write has happened either way."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass


def _verify(original: Path, written: Path, changed_parts: list[str], where: str) -> None:
    """Read the new package back: same members, same order, changed parts decompress with a good CRC."""
    try:
        with zipfile.ZipFile(original) as a, zipfile.ZipFile(written) as b:
            if a.namelist() != b.namelist():
                raise AssertionError("member list changed")
            for name in changed_parts:
                with open_member(b, name) as f:
                    while f.read(CHUNK):
                        pass
    except (zipfile.BadZipFile, AssertionError, OSError) as exc:  # a bug of ours; never hand it over
        raise WriteRefused(refusals.failed_check(where, exc)) from None


LEGACY_TEMP_SUFFIX = ".new"  # what `record` used to create a new log workbook through


def remove_leftovers(target: Path) -> None:
    """Temp files from a run that was killed; the caller holds the lock, so none is in use."""
    prefix = f".{target.name}."
    for folder, pre in ((target.parent, prefix), (target.parent / BACKUP_DIR, f".{target.stem}.")):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if name.startswith(pre) and (name.endswith(TEMP_SUFFIX) or name == f"{prefix[:-1]}{LEGACY_TEMP_SUFFIX}"):
                try:
                    (folder / name).unlink()
                except OSError:
                    pass
