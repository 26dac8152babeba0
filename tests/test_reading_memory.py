"""What keeps reading a big archive within its memory (issue 16), checked to change nothing read:
the rows with their repeated values shared are the rows calamine gives."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from followup_cli.archive import files


def _odd_shapes(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "from A1"
    for k in range(40):  # more rows than the seeding blocks below: values seeded and not
        ws.append(
            [f"C{k % 7}", "已联系" if k % 3 else "未接通", float(k % 4), k % 2 == 0, dt.date(2025, 1, 1 + k % 5), ""]
        )
    ws.append([dt.datetime(2025, 3, 1, 9, 30), 1.0, True, "1", None, "  "])
    ws = wb.create_sheet("offset")
    ws["C3"], ws["D3"], ws["C5"], ws["F4"] = "a", 1.5, dt.date(2025, 1, 1), True
    wb.create_sheet("empty")
    wb.create_sheet("one cell")["E5"] = "x"
    ws = wb.create_sheet("rows below")
    ws["A4"], ws["A6"] = "x", "y"
    ws = wb.create_sheet("columns right")
    ws["D1"], ws["D2"] = "x", 2
    ws = wb.create_sheet("formatted blank")
    ws["B2"].number_format = "0.00"
    ws["C3"] = "v"
    wb.save(path)
    return path


@pytest.mark.parametrize("seed_rows, reseed", [(1000, 50_000), (3, 7), (1, 2)])
def test_sheet_rows_are_the_rows_calamine_gives(tmp_path, monkeypatch, seed_rows, reseed):
    monkeypatch.setattr(files, "_SEED_ROWS", seed_rows)
    monkeypatch.setattr(files, "_RESEED", reseed)
    wb = CalamineWorkbook.from_path(str(_odd_shapes(tmp_path / "odd.xlsx")))
    for name in wb.sheet_names:
        want = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        got = files.sheet_rows(wb.get_sheet_by_name(name))
        assert got == want, name
        assert [[type(v) for v in row] for row in got] == [[type(v) for v in row] for row in want], name


def test_repeated_texts_and_days_are_one_object_and_numbers_keep_their_type(tmp_path):
    wb = CalamineWorkbook.from_path(str(_odd_shapes(tmp_path / "odd.xlsx")))
    rows = files.sheet_rows(wb.get_sheet_by_name("from A1"))
    assert rows[0][0] is rows[7][0] == "C0"
    assert rows[1][1] is rows[2][1] == "已联系"
    assert rows[0][4] is rows[5][4] == dt.date(2025, 1, 1)
    last = rows[-1]
    assert (type(last[1]), type(last[2]), type(last[3])) == (float, bool, str)  # 1.0, True, "1": not one another
