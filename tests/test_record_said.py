"""What a filled call sheet said, stored as the shop reads it, and said so (QA #13): a 回访人
matched through the one staff resolver (孙 丽 is 孙丽, full-width folded), an unknown name
stored but named, and so is one who has left or a name two staff share; a satisfaction word read as the list's word (很满意 → 非常满意) said."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook

from tests.test_record_shop_book import AS_OF, BOOK, book_rows, fill, invoke, make_sheet, reached, shop

D = dt.date
STAFF = [["工号", "姓名", "离职日期"], ["S1", "林晓雯", None], ["S2", "孙丽", None]]


def test_staff_names_are_matched_and_unknown_ones_named(tmp_path):
    path = shop(tmp_path, staff=STAFF)
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached(回访人="孙 丽"), "C2": reached(回访人="小王"), "C3": reached(回访人="林晓雯")})
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    head = book_rows(path)[0]
    who = {r[0]: r[head.index("回访人")] for r in book_rows(path)[2:]}
    assert who["C1"] == "孙丽" and who["C2"] == "小王" and who["C3"] == "林晓雯"
    assert "“孙 丽”按“孙丽”记录" in result.stderr
    assert "回访人 小王 不在员工表中" in result.stderr and "林晓雯 不在" not in result.stderr
    kpi = invoke("kpi", path, "--period", "2026-11", "--as-of", AS_OF, "--by", "staff", "--format", "json")
    assert kpi.exit_code == 0, kpi.output
    assert "孙 丽" not in kpi.stdout


def test_staff_who_left_or_share_a_name_are_named(tmp_path):
    staff = [
        ["工号", "姓名", "离职日期"],
        ["S1", "林晓雯", None],
        ["S2", "孙丽", D(2026, 10, 31)],
        ["S3", "王芳", None],
        ["S4", "王芳", None],
    ]
    path = shop(tmp_path, staff=staff)
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached(回访人="孙丽"), "C2": reached(回访人="王芳"), "C3": reached(回访人="林晓雯")})
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    head = book_rows(path)[0]
    who = {r[0]: r[head.index("回访人")] for r in book_rows(path)[2:]}
    assert who["C1"] == "孙丽" and who["C2"] == "王芳" and who["C3"] == "林晓雯"  # recorded as written
    lines = result.stderr.splitlines()
    left = [x for x in lines if "回访人 孙丽 已离职" in x]
    shared = [x for x in lines if "回访人 王芳 是几位员工共有的名字" in x]
    assert len(left) == 1 and len(shared) == 1, result.stderr
    assert "林晓雯" not in result.stderr
    assert "回访清单!" in left[0] and "回访清单!A" not in left[0]  # the 回访人 cell, not the row's first


def test_a_satisfaction_synonym_is_said(tmp_path):
    path = shop(tmp_path)
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached(满意度="很满意"), "C2": reached(满意度="还行"), "C3": reached(满意度="满意")})
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    stored = {}
    for r in book_rows(path)[2:]:
        stored.setdefault(r[0], r[4])  # a combined call is rated on its first row
    assert stored["C1"] == "非常满意" and stored["C2"] == "一般" and stored["C3"] == "满意"
    assert "“很满意”按“非常满意”记录" in result.stderr and "“还行”按“一般”记录" in result.stderr
    assert "“满意”按" not in result.stderr
    assert load_workbook(path)[BOOK]["E2"].value == "满意"  # the book's own row untouched
