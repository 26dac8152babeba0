"""Rows added by hand (QA #12): a 客户编号 that contradicts the row's 姓名/电话 is rejected with
the cells named; a visit for a do-not-contact customer is recorded (it happened) and said."""

from __future__ import annotations

import datetime as dt

from tests.helpers import customer
from tests.test_record_shop_book import AS_OF, book_rows, fill, invoke, make_sheet, members, shop

D = dt.date


def people():
    return [
        customer("C1", birthday=D(1990, 11, 23), phone="13800000001"),
        customer("C2", name="李雷", gender="男", phone="13800000002", dnc="是"),
        customer("C3", name="赵敏", phone="13800000003"),
    ]


def hand(cid, name=None, phone=None, kind="产品使用回访"):
    return {"客户编号": cid, "姓名": name, "电话": phone, "回访类型": kind, "完成日期": AS_OF, "结果": "已联系"}


def test_an_id_contradicting_the_rows_name_and_phone_is_rejected_naming_the_cells(tmp_path):
    path = shop(tmp_path, customers=people())
    out = make_sheet(tmp_path, path)
    fill(out, {}, add=[hand("C1", "赵敏", "13800000003")])
    before = members(path)
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 1
    said = result.stderr
    assert "客户编号“C1”是 王芳 13800000001" in said and "是 C3 赵敏 的" in said
    assert "calls.xlsx 回访清单!" in said and "、" in said  # the 客户编号, 姓名 and 电话 cells
    assert members(path) == before


def test_an_id_agreeing_with_its_name_and_phone_is_recorded(tmp_path):
    path = shop(tmp_path, customers=people())
    out = make_sheet(tmp_path, path)
    fill(out, {}, add=[hand("C3", "赵敏", "138 0000 0003")])
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert book_rows(path)[-1][:3] == ["C3", dt.datetime(2026, 11, 23), "产品使用回访"]


def test_a_visit_for_a_do_not_contact_customer_is_recorded_and_said(tmp_path):
    path = shop(tmp_path, customers=people())
    out = make_sheet(tmp_path, path)
    fill(out, {}, add=[hand("C2", "李雷")])
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "客户 C2 标为拒绝联系" in result.stderr
    assert book_rows(path)[-1][0] == "C2"
    logged = invoke("log", path, "--customer", "C2", "--kind", "生日回访", "--outcome", "已联系", "--date", AS_OF)
    assert logged.exit_code == 0, logged.output
    assert "客户 C2 标为拒绝联系" in logged.stderr and book_rows(path)[-1][2] == "生日回访"
