"""Hostile files are refused before python-calamine sees them, never a crash.

Billion laughs and external entities in every XML part of a real archive, a sharedStrings
part declaring 999,999,999 strings, styles declaring as many formats, an 11-digit row, a value
far beyond a small <dimension> (also with a DTD in workbook.xml), a column past XFD, zip bombs
by ratio and by a lying header: each ends in exit 2 with a message naming the file, within the
time and memory bounds (tests/attacks.py runs each in a child with a 2 GB address-space limit,
so a missing guard fails its case instead of the test run). Odd but legal files (a 32,767-character
cell, control characters, a value in the last row) are read.
"""

from __future__ import annotations

import zipfile

import pytest
from openpyxl import Workbook

from tests import attacks
from tests.helpers import archive, customer


@pytest.fixture(scope="module")
def worker():
    w = attacks.Worker()
    yield w
    w.close()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return attacks.hostile_files(attacks.base_archive(folder / "base.xlsx"), folder / "out")


def test_every_xml_part_is_attacked(hostile):
    parts = {k.split(" in ", 1)[1] for k in hostile if k.startswith("billion laughs in ")}
    assert {
        "xl/workbook.xml",
        "xl/styles.xml",
        "xl/sharedStrings.xml",
        "[Content_Types].xml",
        "_rels/.rels",
    } <= parts and any("worksheets/" in p for p in parts)


def test_every_hostile_file_is_refused(hostile, worker):
    found = {}
    for what, path in hostile.items():
        out = worker.run(["check", path, "--lang", "en"], seconds=60)
        problem = attacks.verdict(out, path)
        if problem is None and out.rc != 2:
            problem = f"exit {out.rc}, not refused"
        if problem:
            found[what] = f"{problem}: {out.output[-300:]}"
    assert found == {}


@pytest.mark.parametrize(
    "what, words",
    [
        ("billion laughs in xl/workbook.xml", ["xl/workbook.xml", "entities"]),
        ("external entity in xl/sharedStrings.xml", ["xl/sharedStrings.xml", "entities"]),
        ("uniqueCount 999999999", ["xl/sharedStrings.xml", "999,999,999"]),
        ("an 11-digit row", ["A12345678901"]),
        ("XFD1048576 beyond a small dimension", ["XFD1048576"]),
        ("a far cell with a DTD in workbook.xml", ["XFD900000"]),
        ("zip bomb (ratio)", ["zip bomb"]),
        ("zip bomb (lying header)", ["damaged", "declares"]),
    ],
)
def test_the_refusal_names_the_part_or_cell(hostile, worker, what, words):
    path = hostile[what]
    out = worker.run(["check", path, "--lang", "en"], seconds=60)
    assert out.rc == 2, out.output
    for w in [path.name, *words]:
        assert w in out.output, (w, out.output[-500:])


def test_damaged_deflate_data_is_damage_not_a_bug(tmp_path, worker):
    path = archive(tmp_path, customers=[customer(f"C{i}") for i in range(200)])
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(attacks.sheet1(path))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start + 20, start + 60):  # garble the middle of the sheet's deflate stream
        data[k] ^= 0x5A
    path.write_bytes(bytes(data))
    for command in (["check", path], ["due", path, "--as-of", "2026-11-23"]):
        out = worker.run([*command, "--lang", "en"])
        assert out.rc == 2 and "damaged" in out.output and path.name in out.output, out.output


def _legal_oddities(folder):
    long_text = "长" * 32_767
    wb = Workbook()
    ws = wb.active
    ws.title = "客户档案"
    ws.append(["客户编号", "姓名", "手机", "备注"])
    ws.append(["C1", "王芳", "13800000001", long_text])
    ws.append(["C2", "tab\tand\nnewline", "13800000002", "_x0001_ escaped control"])
    ws["A1048576"] = "last row"
    path = folder / "odd.xlsx"
    wb.save(path)
    return path


def test_legal_oddities_are_read(tmp_path, worker):
    path = _legal_oddities(tmp_path)
    for command in (["check", path], ["due", path, "--as-of", "2026-11-23"]):
        out = worker.run(command, seconds=120)
        assert attacks.verdict(out, path, seconds=120) is None, out.output[-500:]
        assert out.peak_mb < 1500, out.peak_mb


@pytest.mark.parametrize(
    "field, value", [(6, b"\x17\x09"), (42, b"\xff\xff\xff\x7f")], ids=["version 23.9 needed", "offset past the end"]
)
def test_absurd_zip_directory_fields_are_damage(tmp_path, worker, field, value):
    """Found by the long fuzz run: zipfile's NotImplementedError and OSError were bugs, not damage."""
    path = attacks.base_archive(tmp_path / "base.xlsx")
    data = bytearray(path.read_bytes())
    cd = data.find(b"PK\x01\x02")  # the first member's central directory record
    data[cd + field : cd + field + len(value)] = value
    path.write_bytes(bytes(data))
    for command in (["check", path], ["due", path, "--as-of", "2026-11-23"]):
        out = worker.run([*command, "--lang", "en"])
        assert attacks.verdict(out, path) is None, out.output  # read, or refused as damaged: never a bug
