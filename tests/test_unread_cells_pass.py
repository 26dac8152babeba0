"""Error cells and formulas without a value are found in the bounds check's own pass over the
part (one inflate), whatever the chunks it is cut into, as a pass of their own finds them."""

from __future__ import annotations

from openpyxl import Workbook

from followup_cli.archive import files, unread_cells
from followup_cli.xlsx import bounds


def _book(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "客户档案"
    ws.append(["客户编号", "姓名", "手机", "生日"])
    for i in range(2, 60):
        ws.append([f"C{i:03d}", f"客户{i}", "#N/A" if i % 7 == 0 else f"138000000{i:02d}", None])
        ws.cell(i, 4).value = f"=DATE(1990,{i % 12 + 1},{i % 27 + 1})" if i % 5 == 0 else "1990-05-01"
    wb.save(path)
    return path


def test_the_bounds_pass_finds_what_a_pass_of_its_own_finds(tmp_path, monkeypatch):
    path = _book(tmp_path / "a.xlsx")
    part = "xl/worksheets/sheet1.xml"
    alone = unread_cells.scan(path, part)
    assert {kind for kind, _ in alone.values()} == {unread_cells.ERROR, unread_cells.FORMULA}
    for chunk in (37, 256, 1 << 20):  # a cell cut anywhere between two chunks
        monkeypatch.setattr(bounds, "CHUNK", chunk)
        parts = files._XlsxParts(path)
        parts.check("客户档案")
        assert parts.unread("客户档案") == alone, chunk


def test_a_plain_part_is_inflated_once(tmp_path, monkeypatch):
    path = _book(tmp_path / "a.xlsx")
    calls = []
    real = bounds.inflate
    monkeypatch.setattr(bounds, "inflate", lambda *a, **k: calls.append(1) or real(*a, **k))
    parts = files._XlsxParts(path)
    parts.check("客户档案")
    parts.unread("客户档案")
    assert len(calls) == 1
