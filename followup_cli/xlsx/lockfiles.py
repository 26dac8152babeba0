"""The names of lock files beside a workbook: followup's own, and the owner files that
Excel/WPS (`~$name`) and LibreOffice (`.~lock.name#`) leave while they have it open."""

from __future__ import annotations

from pathlib import Path

EXCEL_OWNER_PREFIX = "~$"
LIBREOFFICE_PREFIX, LIBREOFFICE_SUFFIX = ".~lock.", "#"


def followup_lock(target: Path) -> Path:
    """The sidecar lock every followup write into `target` holds."""
    return target.with_name(f".{target.name}.followup.lock")


def owner_files(target: Path) -> list[Path]:
    """Where a spreadsheet program that has `target` open leaves its owner file."""
    return [
        target.with_name(EXCEL_OWNER_PREFIX + target.name),
        target.with_name(f"{LIBREOFFICE_PREFIX}{target.name}{LIBREOFFICE_SUFFIX}"),
    ]


def is_libreoffice_lock(path: Path) -> bool:
    return path.name.startswith(LIBREOFFICE_PREFIX) and path.name.endswith(LIBREOFFICE_SUFFIX)


def workbook_of_owner_file(path: Path) -> str | None:
    """The workbook's name when `path` is an owner file (Excel, WPS, LibreOffice), else None."""
    name = path.name
    if name.startswith(EXCEL_OWNER_PREFIX):
        return name[len(EXCEL_OWNER_PREFIX) :]
    if is_libreoffice_lock(path):
        return name[len(LIBREOFFICE_PREFIX) : -len(LIBREOFFICE_SUFFIX)]
    return None
