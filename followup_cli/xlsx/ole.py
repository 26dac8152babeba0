"""Bounds on an .xls (OLE2 compound file) before python-calamine reads it: its sector chains
end within the file, and a read that still runs away is stopped in a child process with a
memory limit and a time limit (xlsx/bounds.py holds the bounds of zip packages)."""

from __future__ import annotations

from pathlib import Path

from followup_cli.text.messages import msg
from followup_cli.xlsx.bounds import damaged, too_big


def check_ole(path: Path) -> None:
    """An .xls (OLE2 compound file): every sector chain calamine will follow ends within the
    file. A chain that loops or points past the end makes calamine grow a list until the
    allocation aborts the process."""
    import olefile

    size = path.stat().st_size
    try:
        ole = olefile.OleFileIO(str(path))
    except Exception as exc:  # olefile's own refusals of a broken container
        raise damaged(path, None, f"OLE2: {exc}") from None
    try:
        sectors = (size + ole.sector_size - 1) // ole.sector_size
        chains = [("directory", ole.first_dir_sector), ("mini FAT", ole.first_mini_fat_sector)]
        for entry in ole.direntries:
            if entry is None:
                continue
            if entry.entry_type == olefile.STGTY_ROOT or (
                entry.entry_type == olefile.STGTY_STREAM and entry.size >= ole.minisectorcutoff
            ):
                if entry.size > size:
                    raise damaged(
                        path,
                        entry.name,
                        msg(
                            f"声明有 {entry.size:,} 字节，而整个文件只有 {size:,} 字节",
                            f"declares {entry.size:,} bytes in a file of {size:,}",
                        ),
                    )
                chains.append((entry.name, entry.isectStart))
        for name, start in chains:
            sector, steps = start, 0
            while sector not in (olefile.ENDOFCHAIN, olefile.FREESECT):
                if not 0 <= sector < len(ole.fat) or steps > sectors:
                    raise damaged(
                        path,
                        name,
                        msg("它的扇区链绕成了圈，或指到了文件之外", "its sector chain loops or leaves the file"),
                    )
                steps += 1
                sector = ole.fat[sector]
    finally:
        ole.close()


_PROBE = """
import sys
from python_calamine import CalamineWorkbook
wb = CalamineWorkbook.from_path(sys.argv[1])
for name in wb.sheet_names:
    try:
        wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception:
        pass
"""


def probe_in_child(path: Path, memory: int = 2 << 30, timeout: int = 120) -> None:
    """Read an .xls once in a child process under a memory limit. The BIFF records of an .xls
    cannot be bounded from outside the way an .xlsx's parts are, and calamine aborts the
    process when an allocation fails; a child that dies so means the file is refused."""
    import resource
    import subprocess
    import sys

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    try:
        proc = subprocess.run(
            [sys.executable, "-c", _PROBE, str(path)], capture_output=True, timeout=timeout, preexec_fn=limit
        )
    except subprocess.TimeoutExpired:
        raise too_big(path, None, f"读取超过 {timeout} 秒", f"takes more than {timeout} s to read") from None
    if proc.returncode < 0 or b"memory allocation" in proc.stderr:
        raise too_big(
            path,
            None,
            f"读取时需要超过 {memory >> 20:,} MB 内存",
            f"needs more than {memory >> 20:,} MB of memory to read",
        ) from None
