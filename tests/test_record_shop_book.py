"""record into a shop's own visit book (回访登记: 客户编号, 回访日期, 回访类型, 回访人, 满意度):
every call once, nothing the clerk wrote lost (issue 12)."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from python_calamine import CalamineWorkbook

from followup_cli.archive.reading import load_archive
from followup_cli.cli import cli
from tests.helpers import CUSTOMER_HEADERS, PURCHASE_HEADERS, customer, make_workbook

D = dt.date
AS_OF = "2026-11-23"
BOOK = "回访登记"
SHOP_HEAD = ["客户编号", "回访日期", "回访类型", "回访人", "满意度"]


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def shop(tmp_path, layout="plain", customers=None, staff=None, name="shop.xlsx"):
    sheets = {
        "客户档案": [CUSTOMER_HEADERS]
        + (
            customers
            or [
                customer("C1", birthday=D(1990, 11, 23)),
                customer("C2", name="李雷", gender="男"),
                customer("C3", name="赵敏"),
            ]
        ),
        "消费记录": [
            PURCHASE_HEADERS,
            ["C1", D(2026, 11, 16), "大衣", 1999, "是"],
            ["C2", D(2026, 11, 16), "大衣", 1999, "是"],
            ["C3", D(2026, 11, 16), "围巾", 299, "是"],
        ],
        BOOK: [SHOP_HEAD, ["C9", D(2026, 10, 1), "定期回访", "林晓雯", "满意"]],
    }
    if staff:
        sheets["员工"] = staff
    path = make_workbook(tmp_path / name, sheets)
    if layout != "plain":
        wb = load_workbook(path)
        ws = wb[BOOK]
        if layout == "table":
            t = Table(displayName="VisitBook", ref="A1:E2")
            t.tableStyleInfo = TableStyleInfo(name="TableStyleMedium9", showRowStripes=True)
            ws.add_table(t)
        elif layout == "validation":
            dv = DataValidation(type="list", formula1='"非常满意,满意,一般,不满意,非常不满意"', allow_blank=True)
            dv.add("E2:E1000")
            ws.add_data_validation(dv)
        wb.save(path)
    return path


def make_sheet(tmp_path, path, out="calls.xlsx"):
    out = tmp_path / out
    result = invoke("sheet", path, "-o", out, "--as-of", AS_OF, "--overwrite")
    assert result.exit_code == 0, result.output
    return out


def fill(sheet_path, rows: dict[str, dict], add: list[dict] = ()):
    """Fill result columns by customer id; `add` appends rows typed in by hand."""
    wb = load_workbook(sheet_path)
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        for header, value in rows.get(row[headers.index("客户编号")].value, {}).items():
            row[headers.index(header)].value = value
    for extra in add:
        ws.append([extra.get(h) for h in headers])
    wb.save(sheet_path)


def reached(**more):
    return {"完成日期": AS_OF, "方式": "电话", "结果": "已联系", "满意度": "满意", "评分(0-5)": 5, **more}


def book_rows(path):
    wb = load_workbook(path)
    return [[c.value for c in r] for r in wb[BOOK].iter_rows()]


def members(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def due_ids(path, as_of=AS_OF):
    return sorted(r["task_id"] for r in json.loads(invoke("due", path, "--as-of", as_of, "--format", "json").stdout))


@pytest.mark.parametrize("layout", ["plain", "table", "validation"])
def test_recorded_once_twice_three_times_adds_each_call_once(tmp_path, layout):
    path = shop(tmp_path, layout)
    out = make_sheet(tmp_path, path)
    fill(
        out,
        {
            "C1": reached(备注="生日快乐，说谢谢"),
            "C2": {"完成日期": AS_OF, "方式": "电话", "结果": "未接通"},
            "C3": reached(
                **{
                    "问题类别": "产品质量",
                    "问题描述": "围巾起球",
                    "是否解决": "否",
                    "下次跟进日期": "2026-11-30",
                    "愿意推荐": "是",
                }
            ),
        },
    )
    before = members(path)
    first = invoke("record", path, out, "--as-of", AS_OF)
    assert first.exit_code == 0, first.output
    assert first.stderr.count("添加列") == 1
    after = members(path)
    changed = {"xl/worksheets/sheet3.xml"} | ({"xl/tables/table1.xml"} if layout == "table" else set())
    assert {n for n in after if after[n] != before[n]} == changed  # every other member byte-identical
    assert list(after) == list(before)

    rows = book_rows(path)
    head = rows[0]
    assert head[:5] == SHOP_HEAD
    added = head[5:]
    for wanted in (
        "结果",
        "备注",
        "评分",
        "愿意推荐",
        "问题类别",
        "问题描述",
        "是否解决",
        "下次跟进",
        "任务编号",
        "回访方式",
    ):
        assert wanted in added
    col = {h: i for i, h in enumerate(head)}
    body = rows[2:]
    # C1's call served two purposes: two rows, one per task, rated once
    c1 = [r for r in body if r[0] == "C1"]
    assert sorted(r[col["回访类型"]] for r in c1) == ["产品使用回访", "生日回访"]
    assert [r[col["满意度"]] for r in c1].count("满意") == 1
    c2 = [r for r in body if r[0] == "C2"]
    assert [r[col["结果"]] for r in c2] == ["未接通"]  # not a completed visit
    c3 = [r for r in body if r[0] == "C3"][0]
    assert (c3[col["问题描述"]], c3[col["是否解决"]], c3[col["下次跟进"]], c3[col["愿意推荐"]]) == (
        "围巾起球",
        "否",
        "2026-11-30",
        "是",
    )
    assert len(body) == 4
    if layout == "table":
        t = load_workbook(path)[BOOK].tables["VisitBook"]
        assert t.ref == f"A1:{chr(64 + len(head))}6" and [c.name for c in t.tableColumns] == head
    if layout == "validation":
        (dv,) = load_workbook(path)[BOOK].data_validations.dataValidation
        assert str(dv.sqref) == "E2:E1000"
    cal = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(BOOK).to_python()
    assert cal[0] == head and len(cal) == 6

    # the unreached customer is still due; the others are done
    left = json.loads(invoke("due", path, "--as-of", AS_OF, "--format", "json").stdout)
    assert [r["customer_id"] for r in left] == ["C2"]

    snapshot = path.read_bytes()
    for _ in range(2):
        again = invoke("record", path, out, "--as-of", AS_OF)
        assert again.exit_code == 0, again.output
        assert "已记录过" in again.stderr and "添加列" not in again.stderr
        assert path.read_bytes() == snapshot  # nothing to write: not even rewritten
    assert not list(tmp_path.glob(".*.followup.lock"))


def test_a_sheet_filled_further_adds_just_the_new_calls(tmp_path):
    path = shop(tmp_path)
    out = make_sheet(tmp_path, path)
    fill(out, {"C2": reached()})
    assert invoke("record", path, out, "--as-of", AS_OF).exit_code == 0
    assert [r[0] for r in book_rows(path)[2:]] == ["C2"]
    fill(out, {"C1": reached(), "C3": {"完成日期": AS_OF, "结果": "未接通"}})
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert sorted(r[0] for r in book_rows(path)[2:]) == ["C1", "C1", "C2", "C3"]
    # later the same day C3 is reached on a second try: that call is new too
    fill(out, {"C3": reached()})
    assert invoke("record", path, out, "--as-of", AS_OF).exit_code == 0
    assert sorted(r[0] for r in book_rows(path)[2:]) == ["C1", "C1", "C2", "C3", "C3"]


def test_visits_typed_by_hand_count_the_same(tmp_path):
    path = shop(tmp_path)
    out = make_sheet(tmp_path, path)
    wb = load_workbook(path)
    wb[BOOK].append(["C2", dt.datetime(2026, 11, 23, 10, 30), "产品使用回访", "林晓雯", "满意"])
    wb.save(path)
    fill(out, {"C2": reached()})
    result = invoke("record", path, out, "--as-of", AS_OF)
    assert result.exit_code == 0 and "已记录过" in result.stderr
    assert [r[0] for r in book_rows(path)[1:]] == ["C9", "C2"]


def test_hand_added_rows_are_visits_or_rejected_by_row(tmp_path):
    walk_in = {"客户编号": "C9", "回访类型": "售后回访", "完成日期": AS_OF, "结果": "已联系", "满意度": "一般"}
    customers = [
        customer("C1", birthday=D(1990, 11, 23)),
        customer("C2", name="李雷"),
        customer("C3"),
        customer("C9", name="周杰"),
    ]
    path = shop(tmp_path, customers=customers)
    out = make_sheet(tmp_path, path)
    fill(out, {}, add=[walk_in, {"客户编号": "C9", "完成日期": AS_OF, "结果": "已联系"}])
    result = invoke("record", path, out, "--as-of", AS_OF, "--lang", "en")
    assert result.exit_code == 1
    assert "1 row(s) rejected" in result.stderr and "no kind" in result.stderr
    assert [r[0] for r in book_rows(path)[1:]] == ["C9"]  # nothing written
    result = invoke("record", path, out, "--as-of", AS_OF, "--skip-invalid")
    assert result.exit_code == 1
    rows = book_rows(path)
    assert rows[-1][:5] == ["C9", dt.datetime(2026, 11, 23), "售后回访", rows[-1][3], "一般"]


def test_rejections_are_counted_by_row_and_dry_run_writes_nothing(tmp_path):
    path = shop(tmp_path)
    out = make_sheet(tmp_path, path)
    fill(
        out,
        {
            "C1": {"完成日期": "2026-13-40", "结果": "不知道", "评分(0-5)": 9},
            "C2": {"完成日期": AS_OF, "结果": "已联系", "评分(0-5)": 7},
            "C3": reached(),
        },
    )
    before = sorted(p.name for p in tmp_path.iterdir())
    snapshot = path.read_bytes()
    result = invoke("record", path, out, "--as-of", AS_OF, "--skip-invalid", "--dry-run")
    assert result.exit_code == 1
    assert "拒绝 2 行" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no rejects workbook, no lock, no backup
    assert path.read_bytes() == snapshot
    plain = invoke("record", path, out, "--as-of", AS_OF, "--lang", "zh")
    assert plain.exit_code == 1 and "2 行被拒绝" in plain.stderr


def test_a_sheet_made_for_another_archive_is_refused_naming_both(tmp_path):
    path = shop(tmp_path)
    out = make_sheet(tmp_path, path)
    fill(out, {"C1": reached()})
    other = shop(tmp_path, name="other.xlsx")
    result = invoke("record", other, out, "--as-of", AS_OF, "--lang", "en")
    assert result.exit_code == 2
    assert "shop.xlsx" in result.stderr and "other.xlsx" in result.stderr and "made for" in result.stderr


def test_a_left_owners_calls_carry_who_recorded(tmp_path):
    staff = [["工号", "姓名", "离职日期"], ["S1", "林晓雯", D(2026, 1, 1)], ["S2", "王敏", None]]
    path = shop(tmp_path, staff=staff)
    out = make_sheet(tmp_path, path)
    sheet_rows = load_workbook(out).worksheets[0]
    headers = [c.value for c in sheet_rows[1]]
    assert all(r[headers.index("回访人")].value is None for r in sheet_rows.iter_rows(min_row=2))
    fill(out, {"C1": reached(), "C2": reached(回访人="s2")})
    result = invoke("record", path, out, "--as-of", AS_OF, "--staff", "王敏")
    assert result.exit_code == 0, result.output
    by = {(v.customer_id, v.kind): v.staff for v in load_archive([path]).visits if v.customer_id != "C9"}
    assert set(by.values()) == {"王敏"}  # the recorder, and s2 resolved to the staff sheet's name


def test_next_follow_up_date_becomes_a_task(tmp_path):
    path = shop(tmp_path)
    out = make_sheet(tmp_path, path)
    fill(out, {"C2": reached(下次跟进日期="2026-12-01")})
    assert invoke("record", path, out, "--as-of", AS_OF).exit_code == 0
    rows = json.loads(invoke("due", path, "--as-of", "2026-12-01", "--format", "json").stdout)
    agreed = [r for r in rows if r["customer_id"] == "C2" and r["due_date"] == "2026-12-01"]
    assert agreed and "2026-11-23" in agreed[0]["reason"]


def test_log_twice_adds_once_unless_allowed(tmp_path):
    path = shop(tmp_path)
    args = (
        "log",
        path,
        "--customer",
        "C2",
        "--kind",
        "产品使用回访",
        "--outcome",
        "已联系",
        "--date",
        AS_OF,
        "--notes",
        "电话回访",
    )
    assert invoke(*args).exit_code == 0
    again = invoke(*args)
    assert again.exit_code == 0 and "已记录过" in again.stderr
    assert [r[0] for r in book_rows(path)[2:]] == ["C2"]
    assert invoke(*args, "--allow-duplicate").exit_code == 0
    assert [r[0] for r in book_rows(path)[2:]] == ["C2", "C2"]


def test_a_sheet_that_cannot_grow_keeps_the_values_in_a_companion_workbook(tmp_path):
    path = shop(tmp_path)
    wb = load_workbook(path)
    wb[BOOK].add_table(Table(displayName="Part", ref="A1:D2"))  # a table ending before the last column
    wb.save(path)
    out = make_sheet(tmp_path, path)
    fill(out, {"C2": {"完成日期": AS_OF, "方式": "电话", "结果": "未接通", "备注": "下午再打"}, "C3": reached()})
    before = book_rows(path)
    result = invoke("record", path, out, "--as-of", AS_OF, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "cannot be added" in result.stderr and "shop-回访补充.xlsx" in result.stderr
    rows = book_rows(path)
    assert rows[0] == before[0] and len(rows) == len(before) + 2  # the book's header as it was
    companion = load_workbook(tmp_path / "shop-回访补充.xlsx").active
    got = [[c.value for c in r] for r in companion.iter_rows()]
    head = got[0]
    c2 = [r for r in got[1:] if r[0] == "C2"][0]
    assert c2[head.index("结果")] == "未接通" and c2[head.index("备注")].startswith("下午再打")
    assert c2[head.index("任务编号")].startswith("T")
    again = invoke("record", path, out, "--as-of", AS_OF)
    assert again.exit_code == 0, again.output
    assert len(book_rows(path)) == len(rows)
    assert len(list(load_workbook(tmp_path / "shop-回访补充.xlsx").active.iter_rows())) == len(got)


def test_owner_s01_who_left_as_staff_S01_is_not_pre_filled_and_the_recorder_takes_the_call(tmp_path):
    staff = [["工号", "姓名", "离职日期"], ["S01", "张伟", D(2026, 1, 1)], ["S02", "王敏", None]]
    customers = [
        customer("C1", birthday=D(1990, 11, 23), owner="s01"),
        customer("C2", name="李雷", owner="S02"),
        customer("C3", name="赵敏", owner="王敏"),
    ]
    path = shop(tmp_path, customers=customers, staff=staff)
    out = make_sheet(tmp_path, path)
    ws = load_workbook(out).worksheets[0]
    headers = [c.value for c in ws[1]]
    cid = headers.index("客户编号")
    pre = {r[cid].value: r[headers.index("回访人")].value for r in ws.iter_rows(min_row=2) if r[cid].value}
    assert pre == {"C1": None, "C2": "王敏", "C3": "王敏"}  # s01 has left; S02 is 王敏, by id
    fill(out, {"C1": reached(), "C2": reached(), "C3": reached()})
    result = invoke("record", path, out, "--as-of", AS_OF, "--staff", "王敏")
    assert result.exit_code == 0, result.output
    assert {v.staff for v in load_archive([path]).visits if v.customer_id != "C9"} == {"王敏"}


def test_an_agreed_call_and_an_issue_reminder_go_round_the_loop(tmp_path):
    path = shop(tmp_path)
    out = make_sheet(tmp_path, path)
    fill(
        out,
        {
            "C2": reached(下次跟进日期="2026-11-30"),
            "C3": reached(**{"问题类别": "产品质量", "问题描述": "围巾起球", "是否解决": "否"}),
        },
    )
    assert invoke("record", path, out, "--as-of", AS_OF).exit_code == 0
    later = tmp_path / "later.xlsx"
    assert invoke("sheet", path, "-o", later, "--as-of", "2026-11-30").exit_code == 0
    ws = load_workbook(later).worksheets[0]
    headers = [c.value for c in ws[1]]
    rows = {
        r[headers.index("客户编号")].value: r for r in ws.iter_rows(min_row=2) if r[headers.index("客户编号")].value
    }
    assert {"C2", "C3"} <= set(rows)  # the agreed call, and the reminder of the open issue (7 days on)
    assert "2026-11-23" in rows["C2"][headers.index("原因")].value
    assert "2026-11-23" in rows["C3"][headers.index("原因")].value
    done = {"完成日期": "2026-11-30", "方式": "电话", "结果": "已联系"}
    fill(later, {"C2": done, "C3": {**done, "是否解决": "是"}})
    result = invoke("record", path, later, "--as-of", "2026-11-30")
    assert result.exit_code == 0, result.output
    assert "标记已解决 1" in result.stderr
    left = json.loads(invoke("due", path, "--as-of", "2026-12-07", "--format", "json").stdout)
    assert [r for r in left if r["customer_id"] in ("C2", "C3")] == []  # nothing agreed, nothing open
