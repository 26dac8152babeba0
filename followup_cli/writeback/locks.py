"""Who may write a workbook now: followup's own lock, and the owner files Excel, WPS and
LibreOffice leave while they have it open.

followup's lock is `filelock` on a sidecar `.<name>.followup.lock`. It is held for the whole
of a write *including the reading it depends on* (`record` and `log` read the visit log,
find what is already there and number the new ids inside it), and it is re-entrant within
one process, so `apply_changes` called inside `hold(...)` does not wait for itself.

The lock file is removed when the lock is released, while it is still held: filelock
notices, on acquiring, that the file it locked has no name any more (a waiter that opened
it before the unlink) and takes a fresh one, so two runs never hold "the" lock at once.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

import filelock

from followup_cli.errors import WriteRefused
from followup_cli.text import refusals
from followup_cli.xlsx.lockfiles import followup_lock, is_libreoffice_lock, owner_files

_HELD: dict[str, list] = {}  # lock path → [FileLock, depth], held by this process


def _key(target: Path) -> Path:
    target = Path(target)
    try:
        return target.resolve()
    except OSError:
        return target.absolute()


@contextlib.contextmanager
def hold(target: Path, timeout: float = 10, where: str | None = None) -> Iterator[None]:
    """Hold followup's lock on `target` (which need not exist yet) for the block."""
    target = _key(target)
    path = followup_lock(target)
    where = where or str(target)
    held = _HELD.get(str(path))
    if held is not None:
        held[1] += 1
        try:
            yield
        finally:
            held[1] -= 1
        return
    lock = filelock.FileLock(str(path), timeout=timeout)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise WriteRefused(refusals.lock_busy(where, path)) from None
    except OSError as exc:
        raise WriteRefused(refusals.lock_not_created(where, path, exc)) from None
    _HELD[str(path)] = [lock, 1]
    try:
        yield
    finally:
        del _HELD[str(path)]
        try:
            os.unlink(path)  # still held: see the module's docstring
        except OSError:
            pass  # Windows cannot remove an open file; filelock removes it there after release
        lock.release()


@contextlib.contextmanager
def hold_all(targets: Iterable[Path], timeout: float = 10) -> Iterator[None]:
    """Hold the locks of several workbooks, always taken in the same order (no deadlock)."""
    unique = sorted({str(_key(t)): _key(t) for t in targets}.items())
    with contextlib.ExitStack() as stack:
        for _name, target in unique:
            stack.enter_context(hold(target, timeout))
        yield


def is_held(target: Path) -> bool:
    return str(followup_lock(_key(target))) in _HELD


def refuse_if_open(target: Path, force: bool) -> None:
    found = [p for p in owner_files(target) if p.exists()]
    if not found or force:
        return
    who = "; ".join(describe_owner_file(p) for p in found)
    from followup_cli.text.messages import msg

    raise WriteRefused(
        msg(
            f"{target}：工作簿正在表格软件中打开：{who}",
            f"{target}: the workbook is open in a spreadsheet program: {who}",
        ),
        msg(
            "请在 Excel/WPS/LibreOffice 中关闭它；如果这个锁文件是残留的，加 --ignore-lock",
            "close it in Excel/WPS/LibreOffice, or pass --ignore-lock if that lock is stale",
        ),
    )


def describe_owner_file(p: Path) -> str:
    try:
        mtime = datetime.fromtimestamp(p.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    except OSError:
        mtime = "unknown time"
    try:
        data = p.read_bytes()[:512]
    except OSError:
        data = b""
    if is_libreoffice_lock(p):
        # LibreOffice: "full name,user,host,DD.MM.YYYY HH:MM,config URL;"
        fields = data.decode("utf-8", "replace").split(",")
        full, user, host, when = (fields + ["", "", "", ""])[:4]
        who = full.strip() or user.strip() or "unknown user"
        host = f" on {host.strip()}" if host.strip() else ""
        since = f" since {when.strip()}" if when.strip() else ""
        return f"{p.name} (LibreOffice: {who}{host}{since}; file dated {mtime})"
    who = excel_owner_name(data) or "unknown user"
    return f"{p.name} (Excel/WPS: {who}; file dated {mtime})"


def excel_owner_name(data: bytes) -> str:
    """The user name in an MS Office/WPS owner file, best effort.

    Layout: a length byte, the name in the Windows code page, padding up to offset 54
    (Word) or 55 (Excel), a 2-byte length, the name again in UTF-16LE.
    """
    if not data or not 0 < data[0] <= 52:
        return ""
    for at in (55, 54):
        if len(data) >= at + 2:
            n = int.from_bytes(data[at : at + 2], "little")
            raw = data[at + 2 : at + 2 + 2 * n]
            if 0 < n <= 52 and len(raw) == 2 * n:
                try:
                    name = raw.decode("utf-16-le")
                except UnicodeDecodeError:
                    continue
                if name.isprintable():
                    return name
    raw = data[1 : 1 + data[0]]
    for enc in ("utf-8", "gbk", "cp1252"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return ""
