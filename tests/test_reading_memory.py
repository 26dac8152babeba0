"""What keeps reading a big archive within its memory (issue 16), checked to change nothing read:
the rows with their repeated values shared are the rows calamine gives, the biggest sheet read
first gives the archive the book's order gives."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from followup_cli.archive import calamine_rows, files, reading
from followup_cli.archive.reading import load_archive
from followup_cli.config import Config
from tests.helpers import archive, customer


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
    monkeypatch.setattr(calamine_rows, "_SEED_ROWS", seed_rows)
    monkeypatch.setattr(calamine_rows, "_RESEED", reseed)
    wb = CalamineWorkbook.from_path(str(_odd_shapes(tmp_path / "odd.xlsx")))
    for name in wb.sheet_names:
        want = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        got = calamine_rows.sheet_rows(wb.get_sheet_by_name(name))
        assert got == want, name
        assert [[type(v) for v in row] for row in got] == [[type(v) for v in row] for row in want], name


def test_repeated_texts_and_days_are_one_object_and_numbers_keep_their_type(tmp_path):
    wb = CalamineWorkbook.from_path(str(_odd_shapes(tmp_path / "odd.xlsx")))
    rows = calamine_rows.sheet_rows(wb.get_sheet_by_name("from A1"))
    assert rows[0][0] is rows[7][0] == "C0"
    assert rows[1][1] is rows[2][1] == "已联系"
    assert rows[0][4] is rows[5][4] == dt.date(2025, 1, 1)
    last = rows[-1]
    assert (type(last[1]), type(last[2]), type(last[3])) == (float, bool, str)  # 1.0, True, "1": not one another


def _load(path):
    return load_archive([path], Config())


def test_the_biggest_sheet_is_read_first_and_the_archive_is_in_the_books_order(tmp_path, monkeypatch):
    monkeypatch.setenv("FOLLOWUP_NO_CACHE", "1")  # each load reads the sheets
    customers = [customer(cid=f"C{k}", phone=f"138000{k:05d}") for k in range(5)]
    visits = [[f"C{k % 5}", dt.date(2026, 1, 1 + k % 28), "生日回访", "已联系", "满意", ""] for k in range(300)]
    visits.append(["C99", "not a date", "生日回访", "已联系", "满意", ""])  # a problem, in the visit sheet
    purchases = [["C1", "2026/13/01", "衬衫", 100, "是"]]  # and one in the purchase sheet
    path = archive(tmp_path, customers=customers, purchases=purchases, visits=visits)
    read = []
    real = reading._read_sheet
    monkeypatch.setattr(reading, "_read_sheet", lambda raw, *a: read.append(raw.name) or real(raw, *a))
    biggest_first = _load(path)
    assert read[0] == "回访记录" and set(read) == {"客户档案", "消费记录", "回访记录", "售后工单"}
    monkeypatch.setattr(files, "cells_of", lambda zf, part: 0)  # no sizes: the book's order
    read.clear()
    in_order = _load(path)
    assert read == ["客户档案", "消费记录", "回访记录", "售后工单"]
    assert [s.sheet for s in biggest_first.sources] == [s.sheet for s in in_order.sources] == read
    assert [(p.sheet, p.cell, p.code) for p in biggest_first.problems] == [
        (p.sheet, p.cell, p.code) for p in in_order.problems
    ]
    assert len(biggest_first.problems) >= 2
    for role in ("customers", "purchases", "visits"):
        assert [(r.row, r.customer_id if role != "customers" else r.id) for r in biggest_first.records(role)] == [
            (r.row, r.customer_id if role != "customers" else r.id) for r in in_order.records(role)
        ]


class _NoCache:
    def sheet_part(self, raw, named, compute):
        return compute()


@pytest.mark.parametrize(
    "sizes, failing, raised",
    [
        ([1, 5, 3, 9], {1, 3}, 1),  # the later (and bigger) sheet fails first: the earlier one's error
        ([9, 5, 3, 1], {2}, 2),
        ([1, 2, 3, 4], {0, 3}, 0),
    ],
)
def test_the_error_raised_is_the_one_the_books_order_meets_first(sizes, failing, raised):
    sheets = [SimpleNamespace(name=f"s{k}", size=size) for k, size in enumerate(sizes)]
    read = []

    def read_sheet(raw):
        k = sheets.index(raw)
        read.append(k)
        if k in failing:
            raise ValueError(k)
        return k

    with pytest.raises(ValueError) as exc:
        reading._read_biggest_first(sheets, read_sheet, _NoCache(), set())
    assert exc.value.args == (raised,)
    assert all(k in read for k in range(raised))  # every sheet before it in the book was read


def test_no_failure_gives_every_sheet_by_its_position():
    sheets = [SimpleNamespace(name=f"s{k}", size=size) for k, size in enumerate([2, 0, 7, 2])]
    read = []
    parts = reading._read_biggest_first(sheets, lambda raw: read.append(raw.name) or raw.name, _NoCache(), set())
    assert parts == {0: "s0", 1: "s1", 2: "s2", 3: "s3"}
    assert read == ["s2", "s0", "s3", "s1"]  # biggest first, ties in the book's order
