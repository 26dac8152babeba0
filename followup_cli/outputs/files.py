"""Every output file written like a workbook write: into a temporary file in the same folder,
then renamed over the real name, so a failure (a full disk, a kill) leaves no partial file.
Every OS error becomes one clear message naming the path (exit 2)."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from followup_cli.errors import CannotWrite
from followup_cli.text.messages import msg

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

TEMP_SUFFIX = ".followup-tmp"


# What an OS error while writing means and what to do, by errno; ENOENT names the folder
# and so is made in explain_os_error.
_OS_ERRORS = {
    errno.EACCES: (
        ("没有写入权限", "permission denied"),
        (
            "请换一个有写入权限的文件夹，或检查文件和文件夹的权限",
            "choose a folder you may write in, or check the file's and the folder's permissions",
        ),
    ),
    errno.ENOSPC: (
        ("磁盘已满，没有写入任何内容", "the disk is full; nothing was written"),
        ("请腾出磁盘空间，或换一个磁盘保存", "free some disk space, or save to another disk"),
    ),
    errno.EISDIR: (
        ("这是一个文件夹，不是文件", "is a folder, not a file"),
        ("请写出文件名，例如 结果.xlsx", "give a file name, e.g. result.xlsx"),
    ),
    errno.ENOTDIR: (
        ("路径中的某一段是文件，不是文件夹", "a part of the path is a file, not a folder"),
        ("请检查路径", "check the path"),
    ),
    errno.EROFS: (
        ("所在磁盘是只读的", "the disk is read-only"),
        ("请换一个可写的磁盘保存", "save to a disk that can be written"),
    ),
    errno.ENAMETOOLONG: (
        ("文件名太长", "the file name is too long"),
        ("请换一个短一些的名字", "choose a shorter name"),
    ),
}
_OS_ERRORS[errno.EPERM] = _OS_ERRORS[errno.EACCES]
_OS_ERRORS[getattr(errno, "EDQUOT", errno.ENOSPC)] = _OS_ERRORS[errno.ENOSPC]  # over quota: as a full disk


def explain_os_error(path: Path, exc: OSError) -> CannotWrite:
    """The refusal for an OS error while writing `path`: what happened and what to do."""
    code = exc.errno
    folder = path.parent if str(path.parent) else Path(".")
    if code == errno.ENOENT:
        return CannotWrite(
            path,
            msg(f"文件夹 {folder} 不存在，也无法创建", f"the folder {folder} does not exist and cannot be made"),
            msg("请先建好该文件夹，或换一个保存位置", "create the folder first, or choose another place"),
        )
    if code in _OS_ERRORS:
        what, fix = _OS_ERRORS[code]
        return CannotWrite(path, msg(*what), msg(*fix))
    reason = exc.strerror or str(exc)
    return CannotWrite(
        path,
        msg(f"无法写入（{reason}）", f"cannot be written ({reason})"),
        msg("请检查路径和磁盘后重试", "check the path and the disk, then try again"),
    )


def is_read_only(path: Path) -> bool:
    """No write bit set at all (chmod 0444). The mode bits, not os.access: root may write
    anything, and a file a user marked read-only stays read-only for followup."""
    try:
        return not stat.S_IMODE(os.stat(path).st_mode) & 0o222
    except OSError:
        return False


def check_target(path: Path) -> None:
    """Refuse before any work when `path` cannot be an output file; make its folder if missing.
    A file this run reads (the archive, followup.toml, a filled call sheet) is never one."""
    from followup_cli.inputs import output_is_input, read_by_this_run

    if read_by_this_run(path) is not None:
        raise output_is_input(path)
    if _followup_keeps(path):
        from followup_cli.text.refusals import FOLLOWUP_KEEPS, OUTPUT_IS_INPUT_FIX

        raise CannotWrite(path, FOLLOWUP_KEEPS, OUTPUT_IS_INPUT_FIX)
    if path.is_dir():
        raise explain_os_error(path, OSError(errno.EISDIR, "Is a directory"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # as for any save: a new folder is made
    except OSError as exc:
        raise explain_os_error(path, exc) from None
    if path.exists() and is_read_only(path):
        raise CannotWrite(
            path,
            msg("文件被设为只读", "the file is marked read-only"),
            msg("请换一个文件名，或先取消只读属性", "choose another name, or clear its read-only mark first"),
        )


def _followup_keeps(path: Path) -> bool:
    """The write journal and the backups beside a workbook: written by followup itself, and
    never to be replaced by an output (`-o followup-audit.log` would lose the journal)."""
    from followup_cli.writeback.backups import AUDIT_LOG, BACKUP_DIR

    return path.name == AUDIT_LOG or BACKUP_DIR in path.absolute().parts


@contextlib.contextmanager
def atomic_output(path: str | Path, *, binary: bool = False, encoding: str = "utf-8") -> Iterator[IO]:
    """Open a temporary file beside `path` for writing; on success it replaces `path`.

    Whatever goes wrong (an exception in the caller's writing included), the temporary file
    is removed and `path` is as it was. OSErrors become a CannotWrite naming `path`.
    """
    path = Path(path)
    check_target(path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
    try:
        try:
            fh = open(tmp, "xb") if binary else open(tmp, "x", encoding=encoding, newline="")
            with fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            if path.exists():
                _copy_mode(path, tmp)
            os.replace(tmp, path)
        except OSError as exc:
            raise explain_os_error(path, exc) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _copy_mode(src: Path, dst: Path) -> None:
    with contextlib.suppress(OSError):
        os.chmod(dst, stat.S_IMODE(os.stat(src).st_mode))


def save_workbook(wb: Workbook, path: str | Path) -> Path:
    """openpyxl's Workbook.save, atomically."""
    path = Path(path)
    with atomic_output(path, binary=True) as fh:
        wb.save(fh)
    return path
