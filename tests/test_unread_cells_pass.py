"""Error cells and formulas without a value are found in the bounds check's own pass over the
part (one inflate), whatever the chunks it is cut into, as a pass of their own finds them."""

from __future__ import annotations

import pytest
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


def test_a_part_of_plain_values_costs_no_second_inflate_at_any_chunk_size(tmp_path, monkeypatch):
    wb = Workbook()
    ws = wb.active
    ws.title = "客户档案"
    ws.append(["客户编号", "姓名", "手机"])
    for i in range(2, 300):
        ws.append([f"C{i:03d}", f"客户{i}", f"138000{i:05d}"])
    path = tmp_path / "plain.xlsx"
    wb.save(path)
    calls = []
    real = bounds.inflate
    monkeypatch.setattr(bounds, "inflate", lambda *a, **k: calls.append(1) or real(*a, **k))
    for chunk in (64, 1 << 20):
        monkeypatch.setattr(bounds, "CHUNK", chunk)
        calls.clear()
        parts = files._XlsxParts(path)
        parts.check("客户档案")
        assert parts.unread("客户档案") == {}
        assert len(calls) == 1, chunk


def _part(seed: int, prefix: str) -> bytes:
    import random

    rng = random.Random(seed)
    p = f"{prefix}:" if prefix else ""
    out = [f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet><{p}sheetData>']
    for r in range(1, 80):
        out.append(f'<{p}row r="{r}" spans="1:4">')
        for c, letter in enumerate("ABCD"):
            ref = f"{letter}{r}"
            kind = rng.choice(["plain", "plain", "plain", "formula", "bare", "shared", "error"])
            if kind == "plain":
                out.append(f'<{p}c r="{ref}" s="1"><{p}v>{r * 10 + c}</{p}v></{p}c>')
            elif kind == "formula":  # saved with its value: calamine reads it
                out.append(f'<{p}c r="{ref}"><{p}f>SUM(A1:A{r})</{p}f><{p}v>3</{p}v></{p}c>')
            elif kind == "bare":  # saved without its value
                out.append(f'<{p}c r="{ref}"><{p}f>DATE(1990,{r % 12 + 1},1)</{p}f><{p}v></{p}v></{p}c>')
            elif kind == "shared":
                out.append(f'<{p}c r="{ref}"><{p}f t="shared" si="0"/></{p}c>')
            else:
                out.append(f'<{p}c r="{ref}" t="e"><{p}v>#N/A</{p}v></{p}c>')
        out.append(f"</{p}row>")
    out.append(f'</{p}sheetData><{p}dataValidations><{p}formula1>"是,否"</{p}formula1>')
    out.append(f"</{p}dataValidations></{p}worksheet>")
    return "".join(out).encode()


@pytest.mark.parametrize("prefix", ["", "x"])
@pytest.mark.parametrize("seed", range(6))
def test_any_cut_into_chunks_finds_what_the_whole_part_gives(seed, prefix):
    import random

    data = _part(seed, prefix)
    whole = unread_cells.Scanner(every_chunk=True)
    whole.feed(data)
    expected = whole.close()
    assert expected  # the part holds such cells
    rng = random.Random(seed)
    for _ in range(20):
        scanner, pos = unread_cells.Scanner(), 0
        while pos < len(data):
            step = rng.choice([1, 3, 7, 19, 64, 500, 5000])
            scanner.feed(data[pos : pos + step])
            pos += step
        assert scanner.close() == expected
