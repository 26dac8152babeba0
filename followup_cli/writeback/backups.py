"""Backups of a workbook before each write, and the audit log of writes beside it."""

from __future__ import annotations

import getpass
import os
import re
import secrets
import shutil
from datetime import datetime
from pathlib import Path

from followup_cli.writeback import faults

BACKUP_DIR = ".followup-backups"
BACKUPS_KEPT = 10
AUDIT_LOG = "followup-audit.log"
TEMP_SUFFIX = ".followup-tmp"


def backup_dir(target: Path) -> Path:
    return target.parent / BACKUP_DIR


def backups_of(target: Path) -> list[Path]:
    """This workbook's backups, oldest first."""
    pattern = re.compile(re.escape(target.stem) + r"\.\d{8}-\d{6}-\d{6}" + re.escape(target.suffix) + "$")
    folder = backup_dir(target)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if pattern.match(p.name))


def make_backup(target: Path, keep: int = BACKUPS_KEPT) -> Path:
    folder = backup_dir(target)
    folder.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    final = folder / f"{target.stem}.{stamp}{target.suffix}"
    partial = folder / f".{target.stem}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
    try:
        shutil.copy2(target, partial)
        with open(partial, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(partial, final)  # a half-copied backup never carries a backup's name
    finally:
        if partial.exists():
            partial.unlink()
    faults.point("before-backup-prune")
    for old in backups_of(target)[:-keep]:
        try:
            old.unlink()
        except OSError:
            pass
    return final


def _field(text: str) -> str:
    return re.sub(r"[\t\r\n]+", " ", str(text))


def write_audit(target: Path, sheet: str, command: str, detail: str) -> str:
    try:
        user = getpass.getuser()
    except Exception:  # getpass raises various errors when no user name is to be found
        user = "unknown"
    line = "\t".join(
        _field(x)
        for x in (datetime.now().astimezone().isoformat(timespec="seconds"), user, command, str(target), sheet, detail)
    )
    fd = os.open(target.parent / AUDIT_LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
    finally:
        os.close(fd)
    return line
