"""A call sheet made from two shops' archives together (QA #10): recorded with both named,
each row goes into the visit book of the archive it came from; recorded into one of them,
one clear refusal naming both and the command."""

from __future__ import annotations

import datetime as dt
import zipfile

from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from tests.test_record_shop_book import AS_OF, invoke


def store(path, prefix):
    wb = Workbook()
    ws = wb.active
    ws.title = "会员"
    ws.append(["会员编号", "姓名", "手机", "生日", "会员等级", "负责人"])
    ws.append([f"{prefix}1", f"{prefix}客户", f"1370000{ord(prefix):04d}", dt.datetime(1990, 11, 23), "VIP", "小周"])
    v = wb.create_sheet("回访记录")
    v.append(["回访日期", "会员编号", "回访类型", "结果"])
    v.append([dt.datetime(2026, 11, 1), f"{prefix}1", "节日问候", "已联系"])
    wb.save(path)
    return path


def filled_sheet(tmp_path, a, b, outcome="已联系"):
    out = tmp_path / "calls.xlsx"
    made = invoke("sheet", a, b, "-o", out, "--as-of", AS_OF)
    assert made.exit_code == 0, made.output
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    head = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[head.index("客户编号")].value:
            row[head.index("结果")].value = outcome
            row[head.index("完成日期")].value = dt.datetime(2026, 11, 23)
    wb.save(out)
    return out


def visits(path):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name("回访记录").to_python()


def customers_part(path):
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml")


def test_each_row_goes_into_its_own_archives_book(tmp_path):
    a, b = store(tmp_path / "一店.xlsx", "A"), store(tmp_path / "二店.xlsx", "B")
    out = filled_sheet(tmp_path, a, b)
    parts = customers_part(a), customers_part(b)
    done = invoke("record", a, b, out)
    assert done.exit_code == 0, done.output
    assert "一店.xlsx 回访记录 追加 1 行" in done.stderr and "二店.xlsx 回访记录 追加 1 行" in done.stderr
    got_a, got_b = visits(a), visits(b)
    assert [r[1] for r in got_a[1:]] == ["A1", "A1"] and [r[1] for r in got_b[1:]] == ["B1", "B1"]
    assert got_a[2][2] == "生日回访" and got_a[2][3] == "已联系"
    assert (customers_part(a), customers_part(b)) == parts  # the customer sheets byte for byte
    again = invoke("record", a, b, out)
    assert again.exit_code == 0 and again.stderr.count("已记录过，跳过") == 2
    assert visits(a) == got_a and visits(b) == got_b


def test_recorded_into_one_of_them_is_refused_naming_both(tmp_path):
    a, b = store(tmp_path / "一店.xlsx", "A"), store(tmp_path / "二店.xlsx", "B")
    out = filled_sheet(tmp_path, a, b)
    before = a.read_bytes()
    one = invoke("record", a, out)
    assert one.exit_code == 2
    assert "由 2 个档案一起生成" in one.stderr and "二店.xlsx" in one.stderr and "followup record" in one.stderr
    assert a.read_bytes() == before


def test_a_rejected_row_in_one_archive_writes_nothing_into_either(tmp_path):
    a, b = store(tmp_path / "一店.xlsx", "A"), store(tmp_path / "二店.xlsx", "B")
    out = filled_sheet(tmp_path, a, b)
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    head = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[head.index("客户编号")].value == "B1":
            row[head.index("完成日期")].value = dt.datetime(2026, 12, 30)  # in the future
    wb.save(out)
    before = a.read_bytes(), b.read_bytes()
    result = invoke("record", a, b, out, "--as-of", AS_OF)
    assert result.exit_code == 1 and "拒绝 1 行" in result.stderr and "在未来" in result.stderr
    assert (a.read_bytes(), b.read_bytes()) == before
