"""Deterministic fault injection at every named step of a workbook write.

A child process writes rows into a real archive and is SIGKILLed exactly at one of the
writer's fault points (writeback.faults.POINTS), or an OSError is raised there
in-process. After each: the package opens with openpyxl and calamine (and LibreOffice),
holds exactly the old rows or the old rows plus all the new ones, the lock is free, and the
next write succeeds and leaves no temp file behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import filelock
import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from followup_cli.errors import WriteRefused
from followup_cli.writeback import faults, transaction
from followup_cli.writeback.backups import TEMP_SUFFIX
from followup_cli.xlsx.lockfiles import followup_lock
from tests.helpers import VISIT_HEADERS, archive

VISITS = "回访记录"
NEW = [[f"K{i}", f"2026-01-{1 + i % 28:02d}", "电话回访", "已接通", 5, f"T{i}"] for i in range(50)]
OLD = [[f"C{i}", f"2025-12-{1 + i % 28:02d}", "电话回访", "已接通", 4, f"S{i}"] for i in range(30)]

CHILD = """
import os, signal, sys
from followup_cli.writeback import faults, transaction
point = sys.argv[2]
rows = [[f"K{i}", f"2026-01-{1 + i % 28:02d}", "电话回访", "已接通", 5, f"T{i}"] for i in range(50)]

def hook(name):
    if name == point:
        os.kill(os.getpid(), signal.SIGKILL)

faults.HOOK = hook
transaction.append_rows(sys.argv[1], "回访记录", rows, command="fault-test")
print("NOT KILLED")
"""

posix_only = pytest.mark.skipif(os.name != "posix", reason="SIGKILL")


def visit_rows_openpyxl(path: Path) -> list[list]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return [[c for c in row] for row in wb[VISITS].iter_rows(values_only=True)]
    finally:
        wb.close()


def visit_rows_calamine(path: Path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(VISITS).to_python()


def old_or_new(path: Path) -> str:
    """'old' or 'new'; fails unless the visit sheet holds exactly one of the two states."""
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
    rows = visit_rows_openpyxl(path)
    assert [list(r) for r in visit_rows_calamine(path)][: len(rows)] == [
        ["" if v is None else v for v in r] for r in rows
    ]
    ids = [r[0] for r in rows[1:]]
    assert ids[: len(OLD)] == [r[0] for r in OLD]
    tail = ids[len(OLD) :]
    assert tail in ([], [r[0] for r in NEW]), f"{len(tail)} new rows: neither old nor new"
    return "new" if tail else "old"


def assert_lock_free(path: Path) -> None:
    lock = filelock.FileLock(str(followup_lock(path)), timeout=0)
    lock.acquire()  # raises filelock.Timeout if a killed writer still held it
    lock.release()


def assert_next_write_succeeds(path: Path) -> None:
    before = len(visit_rows_openpyxl(path))
    transaction.append_rows(path, VISITS, [["AFTER", "2026-02-01", "电话回访", "已接通", 3, "X"]], command="after")
    assert len(visit_rows_openpyxl(path)) == before + 1
    leftovers = [p.name for p in path.parent.rglob("*") if p.name.endswith(TEMP_SUFFIX)]
    assert leftovers == []


@pytest.fixture
def book(tmp_path):
    return archive(tmp_path, visits=OLD)


# after-replace: the new workbook is in place; every earlier point: the old one is.
EXPECTED = {
    "before-temp": "old",
    "after-temp": "old",
    "after-fsync": "old",
    "before-backup-prune": "old",
    "after-replace": "new",
}


def test_every_fault_point_is_covered():
    assert set(EXPECTED) == set(faults.POINTS)


@posix_only
@pytest.mark.parametrize("point", faults.POINTS)
def test_sigkill_at_each_point_leaves_old_or_new(tmp_path, book, point):
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    proc = subprocess.run(
        [sys.executable, str(script), str(book), point],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert proc.returncode == -signal.SIGKILL, proc.stdout + proc.stderr
    assert old_or_new(book) == EXPECTED[point]
    assert_lock_free(book)
    assert_next_write_succeeds(book)
    assert old_or_new_after(book, EXPECTED[point])


def old_or_new_after(path: Path, state: str) -> bool:
    ids = [r[0] for r in visit_rows_openpyxl(path)[1:]]
    return ids == [r[0] for r in OLD] + ([r[0] for r in NEW] if state == "new" else []) + ["AFTER"]


@pytest.mark.parametrize("point", [p for p in faults.POINTS if EXPECTED[p] == "old"])
def test_disk_error_at_each_point_is_a_refusal_and_leaves_the_old_workbook(book, point, monkeypatch):
    def hook(name):
        if name == point:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(faults, "HOOK", hook)
    with pytest.raises(WriteRefused, match="unchanged"):
        transaction.append_rows(book, VISITS, NEW, command="fault-test")
    monkeypatch.setattr(faults, "HOOK", None)
    assert old_or_new(book) == "old"
    assert_lock_free(book)
    assert [p.name for p in book.parent.iterdir() if p.name.endswith(TEMP_SUFFIX)] == []
    assert_next_write_succeeds(book)


@posix_only
def test_libreoffice_opens_the_workbook_after_a_kill_at_each_point(tmp_path, soffice):
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    for point in faults.POINTS:
        folder = tmp_path / point
        folder.mkdir()
        book = archive(folder, visits=OLD)
        subprocess.run(
            [sys.executable, str(script), str(book), point],
            capture_output=True,
            timeout=120,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        # LibreOffice opens it and saves what it sees; calamine reads LibreOffice's copy
        lo = soffice(book, "xlsx:Calc MS Excel 2007 XML", folder / "lo")
        ids = [r[0] for r in visit_rows_calamine(lo)]
        assert ids[0] == VISIT_HEADERS[0], point
        assert ids[1 : 1 + len(OLD)] == [r[0] for r in OLD], point
        assert ids[1 + len(OLD) :] == ([r[0] for r in NEW] if EXPECTED[point] == "new" else []), point


def _damage_the_temp(book: Path, how: str):
    """A hook that damages the temp file after it was fsynced (a bad disk, a bug of ours)."""

    def hook(name):
        if name != "after-fsync":
            return
        (tmp,) = [p for p in book.parent.iterdir() if p.name.endswith(TEMP_SUFFIX)]
        with zipfile.ZipFile(tmp) as z:
            info = z.getinfo(_visit_part(z))
        data = bytearray(tmp.read_bytes())
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        if how == "truncate":
            tmp.write_bytes(bytes(data[: start + info.compress_size // 2]) + bytes(data[start + info.compress_size :]))
            return
        at = start + info.compress_size // 2
        data[at] ^= 0x55
        tmp.write_bytes(bytes(data))

    return hook


def _visit_part(z: zipfile.ZipFile) -> str:
    (name,) = [n for n in z.namelist() if n.startswith("xl/worksheets/") and b"K0" in z.read(n)]
    return name


@pytest.mark.parametrize("how", ["flip", "truncate"])
def test_the_read_back_catches_a_damaged_temp_file(book, monkeypatch, how):
    """The rewritten part is read back (inflated, its size and CRC-32 checked) before the temp
    file replaces the workbook: a byte gone bad between the write and the replace is caught."""
    before = book.read_bytes()
    monkeypatch.setattr(faults, "HOOK", _damage_the_temp(book, how))
    with pytest.raises(WriteRefused, match="did not check out|nothing was written"):
        transaction.append_rows(book, VISITS, NEW, command="fault-test")
    monkeypatch.setattr(faults, "HOOK", None)
    assert book.read_bytes() == before
    assert_lock_free(book)
    assert [p.name for p in book.parent.iterdir() if p.name.endswith(TEMP_SUFFIX)] == []
    assert_next_write_succeeds(book)
