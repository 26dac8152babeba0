"""One 下次跟进日期 on a call that served several purposes (QA #11): one agreed follow-up."""

from __future__ import annotations

import datetime as dt
import json

from tests.test_record_shop_book import AS_OF, BOOK, book_rows, fill, invoke, make_sheet, reached, shop


def agreed(path, as_of):
    rows = json.loads(invoke("due", path, "--as-of", as_of, "--format", "json").stdout)
    return [r for r in rows if str(r["rule"]).startswith("next_follow_up")]


def test_a_combined_call_agrees_one_next_call(tmp_path):
    path = shop(tmp_path)  # C1: birthday 11-23 and a coat bought 11-16: one contact, two purposes
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached(下次跟进日期="2026-11-30")})
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    rows = [r for r in book_rows(path) if r[0] == "C1"]
    assert len(rows) >= 2, rows  # a row per task
    head = book_rows(path)[0]
    col = next(i for i, h in enumerate(head) if h and "下次跟进" in h)
    assert [r[col] for r in rows].count(None) == len(rows) - 1  # the date on the first row only
    tasks = [t for t in agreed(path, "2026-11-30") if t["customer_id"] == "C1"]
    assert len(tasks) == 1, tasks
    assert tasks[0]["due_date"] in ("2026-11-30", dt.date(2026, 11, 30).isoformat()) and BOOK


def test_a_book_with_the_date_on_every_row_of_the_call_gives_one_task(tmp_path):
    from openpyxl import load_workbook

    path = shop(tmp_path)
    wb = load_workbook(path)
    ws = wb[BOOK]
    ws.cell(row=1, column=6, value="下次跟进")
    for kind in ("生日回访", "产品使用回访"):
        ws.append(["C1", dt.datetime(2026, 11, 23), kind, "林晓雯", "满意", dt.datetime(2026, 11, 30)])
    wb.save(path)
    tasks = [t for t in agreed(path, "2026-11-30") if t["customer_id"] == "C1"]
    assert len(tasks) == 1, tasks
