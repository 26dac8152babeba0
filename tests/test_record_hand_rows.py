"""Rows added by hand to a call sheet, recorded into a shop's visit book (issue 12, QA round):
who the visit is by (never the computer's login name) and which customer a row without an id
names (by phone, then by a name one customer bears)."""

from __future__ import annotations

import datetime as dt
import getpass

from followup_cli.archive.reading import load_archive
from tests.helpers import customer
from tests.test_record_shop_book import AS_OF, book_rows, fill, invoke, make_sheet, reached, shop

D = dt.date
LEFT_STAFF = [["工号", "姓名", "离职日期"], ["S1", "林晓雯", D(2026, 1, 1)], ["S2", "王敏", None]]


def walk_in(**who):
    return {**who, "回访类型": "定期回访", "完成日期": AS_OF, "结果": "已联系", "满意度": "满意"}


def staff_of(path, cid):
    return [v.staff for v in load_archive([path]).visits if v.customer_id == cid]


def test_a_visit_without_回访人_is_never_by_the_login_name(tmp_path, monkeypatch):
    monkeypatch.delenv("FOLLOWUP_STAFF", raising=False)
    monkeypatch.setattr(getpass, "getuser", lambda: "loginname")
    path = shop(tmp_path, staff=LEFT_STAFF)  # every customer's owner 林晓雯 has left
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached()}, add=[walk_in(客户编号="C2")])
    result = invoke("record", path, out, "--as-of", AS_OF, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert set(staff_of(path, "C1")) == {None} and staff_of(path, "C2") == [None]
    assert "loginname" not in str(book_rows(path))
    said = [line for line in result.stderr.splitlines() if "without a 回访人" in line]
    assert len(said) == 1 and "calls.xlsx" in said[0] and "!A" in said[0]  # once, naming the rows
    kpi = invoke("kpi", path, "--by", "staff", "--period", "2026-11", "--format", "json")
    assert kpi.exit_code == 0, kpi.output
    assert "loginname" not in kpi.stdout


def test_the_person_recording_stands_in_only_when_named_and_on_the_staff(tmp_path, monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "loginname")
    monkeypatch.setenv("FOLLOWUP_STAFF", "s2")  # 王敏, by id
    path = shop(tmp_path, staff=LEFT_STAFF)
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached()}, add=[walk_in(客户编号="C2")])
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert set(staff_of(path, "C1")) == {"王敏"} and staff_of(path, "C2") == ["王敏"]
    # a --staff nobody on the staff sheet bears is not used, and that is said
    other = shop(tmp_path, staff=LEFT_STAFF, name="other.xlsx")
    out2 = make_sheet(tmp_path, other, "calls2.xlsx")
    fill(out2, {"C1": reached()})
    result = invoke("record", other, out2, "--as-of", AS_OF, "--staff", "陌生人", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert set(staff_of(other, "C1")) == {None}
    assert "'陌生人' is not on the staff sheet" in result.stderr


def test_a_hand_added_row_takes_its_customers_active_owner(tmp_path, monkeypatch):
    monkeypatch.delenv("FOLLOWUP_STAFF", raising=False)
    customers = [
        customer("C1", birthday=D(1990, 11, 23)),
        customer("C2", name="李雷", owner="王敏"),
        customer("C3", name="赵敏"),
    ]
    path = shop(tmp_path, customers=customers, staff=LEFT_STAFF)
    out = make_sheet(tmp_path, path)
    fill(out, {}, add=[walk_in(客户编号="C2")])
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert staff_of(path, "C2") == ["王敏"]
    assert "回访人" not in result.stderr.split("追加")[-1]  # nobody unstaffed, no note


def test_a_hand_added_row_without_id_is_linked_by_phone_then_by_a_unique_name(tmp_path):
    customers = [
        customer("C1", birthday=D(1990, 11, 23)),
        customer("C2", name="李雷", phone="13812340005"),
        customer("C3", name="赵敏", phone="13800000003"),
        customer("C4", name="赵敏", phone="13800000004"),
        customer("C5", name="周杰", phone="13800000005"),
    ]
    path = shop(tmp_path, customers=customers)
    out = make_sheet(tmp_path, path)
    fill(
        out,
        {},
        add=[
            walk_in(姓名="别名", 电话="138 1234 0005"),
            walk_in(姓名="周杰"),
            walk_in(姓名="赵敏"),
            walk_in(姓名="路人甲", 电话="13999999999"),
        ],
    )
    result = invoke("record", path, out, "--as-of", AS_OF, "--skip-invalid", "--lang", "en")
    assert result.exit_code == 1  # two rows rejected
    written = [r[0] for r in book_rows(path)[2:]]
    assert written == ["C2", "C5"]
    assert "linked by phone 138 1234 0005 to customer C2" in result.stderr
    assert "linked by name 周杰 to customer C5" in result.stderr
    assert "2 row(s) rejected" in result.stderr
    assert "2 customers are called '赵敏'" in result.stderr and "C3" in result.stderr and "C4" in result.stderr
    assert "no customer '路人甲 / 13999999999'" in result.stderr
