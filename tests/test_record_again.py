"""Recording the same filled sheet again (QA #9): a points reminder ("while" rule) of a
customer with no join date and no purchase kept its id but moved its due date every day, so
the second record called the recorded row an unknown task and refused the sheet. Its date is
now fixed (docs/policy.md), and a task id the schedule no longer knows that the book already
holds is "already recorded", not unknown."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook

from tests.helpers import customer
from tests.test_record_shop_book import AS_OF, BOOK, book_rows, fill, invoke, make_sheet, members, reached, shop

D = dt.date


def points_shop(tmp_path, points=800):
    people = [customer("C1", birthday=D(1990, 11, 23)), customer("C7", name="何七", points=points, archived=None)]
    return shop(tmp_path, customers=people)


def test_the_same_sheet_recorded_twice_the_second_time_adds_nothing_and_rejects_nothing(tmp_path):
    path = points_shop(tmp_path)
    out = make_sheet(tmp_path, path)
    kinds = [r[2] for r in load_workbook(out).worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert any("积分" in str(k) for k in kinds), kinds  # C7's points reminder is on the sheet
    fill(out, {"C7": reached(), "C1": reached()})
    first = invoke("record", path, out, "--as-of", AS_OF)
    assert first.exit_code == 0, first.output
    written = book_rows(path)
    assert any(r[0] == "C7" and "积分" in str(r[2]) for r in written)
    state = members(path)
    for _ in range(2):
        again = invoke("record", path, out, "--as-of", AS_OF)
        assert again.exit_code == 0, again.output
        assert "已记录过，跳过" in again.stderr and "不存在" not in again.stderr
        assert members(path) == state  # not a byte changed


def test_a_recorded_task_the_schedule_has_since_dropped_is_already_recorded(tmp_path):
    path = points_shop(tmp_path)
    out = make_sheet(tmp_path, path)
    fill(out, {"C7": reached()})
    assert invoke("record", path, out, "--as-of", AS_OF).exit_code == 0
    # the points fell below 500: the schedule no longer has that reminder, the book has its visit
    wb = load_workbook(path)
    ws = wb["客户档案"]
    col = [c.value for c in ws[1]].index("积分") + 1
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "C7":
            ws.cell(row=row[0].row, column=col, value=100)
    wb.save(path)
    rows = book_rows(path)
    again = invoke("record", path, out, "--as-of", AS_OF)
    assert again.exit_code == 0, again.output
    assert "已记录过，跳过" in again.stderr and "不存在" not in again.stderr
    assert book_rows(path) == rows
    assert rows[-1][0] == "C7" and rows[-1][1] is not None and BOOK  # read back as the shop sees it
