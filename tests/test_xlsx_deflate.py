"""xlsx/deflate.py: a zip member read with the faster codec is what zipfile reads, and damage is
zipfile's error; a part deflated by it is read by zipfile, openpyxl and calamine."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from followup_cli.writeback import transaction
from followup_cli.xlsx import deflate
from tests.helpers import archive

BIG = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i * 7) for i in range(1, 60_000))


def _zip(tmp_path: Path) -> Path:
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("big.xml", BIG, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("stored.xml", BIG[:5000], compress_type=zipfile.ZIP_STORED)
        z.writestr("empty.xml", b"", compress_type=zipfile.ZIP_DEFLATED)
    return path


@pytest.mark.parametrize("name", ["big.xml", "stored.xml", "empty.xml"])
@pytest.mark.parametrize("size", [1, 1000, 1 << 20, -1])
def test_reads_what_zipfile_reads(tmp_path, name, size):
    path = _zip(tmp_path)
    with zipfile.ZipFile(path) as z:
        expected = z.read(name)
        with deflate.open_member(z, name) as f:
            got = []
            while chunk := f.read(size):
                got.append(chunk)
                assert size < 0 or len(chunk) <= size
                if size < 0:
                    break
    assert b"".join(got) == expected


def _flip(path: Path, name: str, where: float) -> None:
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(name)
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + int(info.compress_size * where)] ^= 0x10
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("name,where", [("big.xml", 0.5), ("big.xml", 0.99), ("stored.xml", 0.3)])
def test_damage_is_zipfiles_error(tmp_path, name, where):
    path = _zip(tmp_path)
    _flip(path, name, where)
    with zipfile.ZipFile(path) as z:
        with pytest.raises(zipfile.BadZipFile):
            z.read(name)  # zipfile agrees that it is damaged
        with pytest.raises(zipfile.BadZipFile), deflate.open_member(z, name) as f:
            while f.read(1 << 16):
                pass


def test_a_member_whose_local_name_differs_is_refused(tmp_path):
    path = _zip(tmp_path)
    data = path.read_bytes().replace(b"stored.xml", b"stored.xmm", 1)  # the local header comes first
    path.write_bytes(data)
    with zipfile.ZipFile(path) as z, pytest.raises(zipfile.BadZipFile):
        deflate.open_member(z, "stored.xml")


def test_the_rewritten_part_reads_everywhere(tmp_path):
    book = archive(tmp_path, visits=[[f"C{i}", "2025-12-01", "电话回访", "已接通", 4, f"S{i}"] for i in range(3000)])
    result = transaction.append_rows(book, "回访记录", [["K1", "2026-01-02", "电话回访", "已接通", 5, "T1"]])
    assert result.rows_written == [3002]
    with zipfile.ZipFile(book) as z:
        assert z.testzip() is None
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("回访记录").to_python()
    assert rows[-1][:2] == ["K1", "2026-01-02"] and len(rows) == 3002


def test_zlib_alone_writes_the_same_rows(tmp_path, monkeypatch):
    """Where python-isal has no wheel, zlib does the same work."""
    monkeypatch.setattr(deflate, "codec", zlib)
    monkeypatch.setattr(deflate, "LEVEL", 4)
    monkeypatch.setattr(deflate, "ERRORS", (zlib.error,))
    book = archive(tmp_path, visits=[[f"C{i}", "2025-12-01", "电话回访", "已接通", 4, f"S{i}"] for i in range(30)])
    transaction.append_rows(book, "回访记录", [["K1", "2026-01-02", "电话回访", "已接通", 5, "T1"]])
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("回访记录").to_python()
    assert rows[-1][:2] == ["K1", "2026-01-02"] and len(rows) == 32
