"""Every messy form of a real archive (issue 2, section 2), written to a real file by the test
and read back through reading.load_archive: the typed records and the problems with their
cells. Plus `followup check`'s exit codes and sheet!cell places.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import uuid
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from followup_cli.archive.cells import Birthday
from followup_cli.archive.files import open_book
from followup_cli.archive.reading import load_archive
from followup_cli.cli import cli
from followup_cli.config import Config, load_config
from tests.helpers import CUSTOMER_HEADERS, PURCHASE_HEADERS, archive, customer, make_workbook

D = dt.date(2024, 3, 5)
SERIAL = 45356  # 2024-03-05 counted from 1899-12-30
SERIAL_1904 = SERIAL - 1462  # the same day counted from 1904-01-01


@pytest.fixture(autouse=True)
def _no_followup_environment(monkeypatch):
    """FOLLOWUP_* variables of whoever runs the tests must not change what is read."""
    for name in list(os.environ):
        if name.startswith("FOLLOWUP_"):
            monkeypatch.delenv(name)


def read(path, **config):
    return load_archive([path], Config(**config))


def problems(arch) -> dict[str, str]:
    """cell → code, for every problem that has a cell."""
    return {p.cell: p.code for p in arch.problems if p.cell}


def save(wb: Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def rewrite_zip(path: Path, edit: dict) -> Path:
    """Rewrite parts of an .xlsx in place: part name → function(text) → text."""
    with zipfile.ZipFile(path) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    for name, fn in edit.items():
        files[name] = fn(files[name].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


# ---- layout: title, banner, blank rows, offsets ------------------------------------------------


def test_title_row_merged_banner_and_blank_rows_above_the_header(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "客户档案"
    ws["A1"] = "星河店 VIP 客户档案（2024 年）"
    ws.merge_cells("A1:J1")
    ws["A2"] = "导出时间：2024-03-05 共 3 人"
    ws.merge_cells("A2:D2")
    for col, header in enumerate(CUSTOMER_HEADERS, start=1):
        ws.cell(4, col, header)  # row 3 blank, header on row 4
    rows = {5: customer("C1"), 8: customer("C2"), 9: customer("C3", archived="去年春天")}  # rows 6-7 blank
    for r, values in rows.items():
        for col, value in enumerate(values, start=1):
            ws.cell(r, col, value)
    arch = read(save(wb, tmp_path / "banner.xlsx"))
    assert [(c.id, c.row) for c in arch.customers] == [("C1", 5), ("C2", 8), ("C3", 9)]
    assert arch.source("customers").header_row == 4
    assert arch.customers[0].archived_on == dt.date(2025, 1, 10)
    assert problems(arch) == {"H9": "bad-date"}


def test_header_in_C5_keeps_every_cell_reference(tmp_path):
    """Leading empty rows and columns: calamine drops them unless told not to."""
    wb = Workbook()
    ws = wb.active
    ws.title = "客户档案"
    for col, header in enumerate(["客户编号", "建档日期", "姓名", "手机"], start=3):
        ws.cell(5, col, header)
    for col, value in enumerate(["C1", D, "王芳", "13800000001"], start=3):
        ws.cell(6, col, value)
    for col, value in enumerate(["C2", "2024-13-45", "李娜", "138-0000-000"], start=3):
        ws.cell(7, col, value)
    path = save(wb, tmp_path / "offset.xlsx")
    arch = read(path)
    assert [(c.id, c.row, c.archived_on) for c in arch.customers] == [("C1", 6, D), ("C2", 7, None)]
    assert arch.source("customers").columns["id"] == 2
    assert problems(arch) == {"D7": "bad-date", "F7": "bad-phone"}
    result = run("check", path)
    assert result.exit_code == 1
    assert "offset.xlsx 客户档案!D7" in result.output and "offset.xlsx 客户档案!F7" in result.output
    assert "!B3" not in result.output and "!A2" not in result.output


# ---- finding sheets and columns ----------------------------------------------------------------


def test_chinese_header_aliases(tmp_path):
    headers = [
        "会员卡号",
        "客户姓名",
        "手机号码*",
        "出生日期",
        "会员级别",
        "登记日期",
        "会员积分",
        "免打扰",
        "所属门店",
    ]
    path = make_workbook(
        tmp_path / "a.xlsx",
        {"会员资料": [headers, ["V001", "王芳", "13800000001", dt.date(1990, 3, 5), "金卡", D, 620, "否", "万达店"]]},
    )
    c = read(path).customers[0]
    assert (c.id, c.name, c.phone, c.birthday, c.tier, c.archived_on, c.points, c.do_not_contact, c.store) == (
        "V001",
        "王芳",
        "13800000001",
        Birthday(3, 5, year=1990),
        "金卡",
        D,
        620.0,
        False,
        "万达店",
    )


def test_english_header_aliases(tmp_path):
    headers = [
        "Customer ID",
        "Full Name",
        "Mobile",
        "Date of Birth",
        "Membership",
        "Join Date",
        "Points",
        "Opt-out",
        "Owner",
    ]
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "Customers": [
                headers,
                ["V001", "Wang Fang", "138 0000 0001", "1990-03-05", "Gold", "2024/3/5", "620", "N", "Lin"],
            ]
        },
    )
    arch = read(path)
    c = arch.customers[0]
    assert (c.id, c.name, c.phone, c.birthday, c.tier, c.archived_on, c.points, c.do_not_contact, c.owner) == (
        "V001",
        "Wang Fang",
        "13800000001",
        Birthday(3, 5, year=1990),
        "Gold",
        D,
        620.0,
        False,
        "Lin",
    )
    assert arch.lang == "en"


def test_purchase_header_with_a_unit_suffix(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "客户档案": [CUSTOMER_HEADERS, customer()],
            "销售": [["会员卡号", "销售日期", "金额（元）", "是否新品"], ["C1", D, "¥1,234.50", "√"]],
        },
    )
    p = read(path).purchases[0]
    assert (p.customer_id, p.date, p.amount, p.new_season) == ("C1", D, 1234.5, True)


def test_unknown_columns_are_kept_as_extra(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "客户档案": [
                ["客户编号", "QQ号", "姓名", "喜欢的颜色", "", "备注2"],
                ["C1", "10001", "王芳", "红", "", ""],
                ["C2", "", "李娜", "蓝", "", 12],
            ]
        },
    )
    arch = read(path)
    assert [c.name for c in arch.customers] == ["王芳", "李娜"]
    assert arch.customers[0].extra == {"QQ号": "10001", "喜欢的颜色": "红"}
    assert arch.customers[1].extra == {"喜欢的颜色": "蓝", "备注2": 12}
    assert arch.source("customers").extra_columns == {"QQ号": 1, "喜欢的颜色": 3, "备注2": 5}
    assert arch.problems == []


def test_sheets_found_by_name(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "说明": [["本表由前台维护"]],
            "会员": [CUSTOMER_HEADERS, customer("C1")],
            "销售记录": [PURCHASE_HEADERS, ["C1", D, "外套", 899, "是"]],
            "回访": [["客户编号", "回访日期", "回访类型"], ["C1", "2024-03-12 10:30", "使用回访"]],
            "投诉": [["工单号", "客户编号", "结案时间"], ["T1", "C1", "2024-03-20"]],
            "员工": [["姓名", "门店"], ["林晓雯", "万达店"]],
        },
    )
    arch = read(path)
    assert {s.sheet: s.role for s in arch.sources} == {
        "会员": "customers",
        "销售记录": "purchases",
        "回访": "visits",
        "投诉": "tickets",
        "员工": "staff",
    }
    assert arch.visits[0].date == dt.datetime(2024, 3, 12, 10, 30)
    assert arch.tickets[0].closed_at == dt.datetime(2024, 3, 20)


def test_sheets_found_by_headers_only(tmp_path):
    path = make_workbook(
        tmp_path / "export.xlsx",
        {
            "Sheet1": [["客户编号", "姓名", "手机", "生日"], ["C1", "王芳", "13800000001", "3月5日"]],
            "Sheet2": [["客户编号", "消费日期", "金额"], ["C1", D, 100]],
            "Sheet3": [["月份", "销售额"], ["2024-03", 5000]],
        },
    )
    arch = read(path)
    assert {s.sheet: s.role for s in arch.sources} == {"Sheet1": "customers", "Sheet2": "purchases"}
    assert [(c.id, c.birthday) for c in arch.customers] == [("C1", Birthday(3, 5))]
    assert [(p.customer_id, p.date, p.amount) for p in arch.purchases] == [("C1", D, 100.0)]


def test_followup_toml_maps_sheets_and_columns(tmp_path):
    path = make_workbook(
        tmp_path / "shop.xlsx",
        {
            "门店A名单": [["VIP号", "贵宾", "联络", "入会"], ["A-007", "王芳", "13800000001", D]],
            "流水": [["VIP号", "流水日", "实付"], ["A-007", "2024-03-06", "¥88"]],
        },
    )
    (tmp_path / "followup.toml").write_text(
        '[sheets]\n"门店A名单" = "customers"\n"流水" = "purchases"\n\n'
        '[columns.customers]\n"VIP号" = "id"\n"贵宾" = "name"\n"联络" = "phone"\n"入会" = "archived_on"\n\n'
        '[columns.purchases]\n"VIP号" = "customer_id"\n"流水日" = "date"\n"实付" = "amount"\n',
        encoding="utf-8",
    )
    config = load_config([path])
    assert config.path == tmp_path / "followup.toml"
    arch = load_archive([path], config)
    assert [(c.id, c.name, c.phone, c.archived_on) for c in arch.customers] == [("A-007", "王芳", "13800000001", D)]
    assert [(p.customer_id, p.date, p.amount) for p in arch.purchases] == [("A-007", dt.date(2024, 3, 6), 88.0)]
    assert arch.problems == []
    # Without the mapping the same workbook has no customer sheet.
    assert [p.code for p in read(path).problems] == ["no-customers"]
    assert run("check", path).exit_code == 0


# ---- dates ---------------------------------------------------------------------------------------

DATE_FORMS = [
    ("real date", D),
    ("real date-time", dt.datetime(2024, 3, 5, 14, 30)),
    ("serial int", SERIAL),
    ("serial float", float(SERIAL)),
    ("serial with a time", SERIAL + 0.5),
    ("iso", "2024-03-05"),
    ("slashes", "2024/3/5"),
    ("chinese", "2024年3月5日"),
    ("dots", "2024.3.5"),
    ("padded", " 2024-03-05 "),
    ("iso with time", "2024-03-05 09:30"),
    ("compact", "20240305"),
    ("full-width slashes", "2024／3／5"),
]


def test_dates_in_every_form(tmp_path):
    rows = [["客户编号", "姓名", "建档日期"]] + [[f"C{i}", name, value] for i, (name, value) in enumerate(DATE_FORMS)]
    path = make_workbook(tmp_path / "a.xlsx", {"客户档案": rows}, number_formats={})
    arch = read(path)
    assert arch.problems == []
    assert {c.name: c.archived_on for c in arch.customers} == {name: D for name, _ in DATE_FORMS}


def test_date_time_forms_in_a_visit_log(tmp_path):
    visits = [
        ["C1", "2024-03-05 14:30"],
        ["C1", "2024/3/5 下午2:30"],
        ["C1", dt.datetime(2024, 3, 5, 14, 30)],
        ["C1", SERIAL + 14.5 / 24],
        ["C1", "2024年3月5日 14:30"],
    ]
    path = make_workbook(
        tmp_path / "a.xlsx",
        {"客户档案": [CUSTOMER_HEADERS, customer()], "回访记录": [["客户编号", "回访时间"]] + visits},
    )
    arch = read(path)
    assert arch.problems == []
    assert [v.date for v in arch.visits] == [dt.datetime(2024, 3, 5, 14, 30)] * 5


@pytest.mark.parametrize("text", ["2024-02-30", "2024-13-01", "昨天", "3.5", "1899-01-01", "2024-03"])
def test_impossible_dates_are_problems_at_their_cell(tmp_path, text):
    path = make_workbook(
        tmp_path / "a.xlsx", {"客户档案": [["客户编号", "姓名", "建档日期"], ["C1", "王芳", D], ["C2", "李娜", text]]}
    )
    arch = read(path)
    assert [c.archived_on for c in arch.customers] == [D, None]
    assert problems(arch) == {"C3": "bad-date"}
    problem = arch.problems[0]
    assert problem.value == text and problem.sheet == "客户档案" and problem.file == str(path)


# ---- day-first or month-first: never guessed -----------------------------------------------------


def _ambiguous_workbook(tmp_path) -> Path:
    return make_workbook(
        tmp_path / "a.xlsx",
        {
            "客户档案": [["客户编号", "姓名", "建档日期"], ["C1", "王芳", "03/05/2024"], ["C2", "李娜", "25/12/2024"]],
            "消费记录": [["客户编号", "消费日期", "金额"], ["C1", "04/06/2024", 10]],
        },
    )


def test_ambiguous_text_date_is_flagged_with_the_default_order(tmp_path):
    arch = read(_ambiguous_workbook(tmp_path))
    assert [c.archived_on for c in arch.customers] == [None, dt.date(2024, 12, 25)]  # only one reading of 25/12
    assert {(p.sheet, p.cell, p.code) for p in arch.problems} == {
        ("客户档案", "C2", "ambiguous-date"),
        ("消费记录", "B2", "ambiguous-date"),
    }
    message = next(p.message for p in arch.problems if p.cell == "C2")
    assert "2024-05-03" in message and "2024-03-05" in message and "date_order" in message


@pytest.mark.parametrize("order, expected", [("dmy", dt.date(2024, 5, 3)), ("mdy", dt.date(2024, 3, 5))])
def test_date_order_setting_reads_them(tmp_path, order, expected):
    path = _ambiguous_workbook(tmp_path)
    arch = read(path, date_order=order)
    assert arch.customers[0].archived_on == expected
    assert [p.code for p in arch.problems if p.code == "ambiguous-date"] == []
    # The same through followup.toml.
    (tmp_path / "followup.toml").write_text(f'date_order = "{order}"\n', encoding="utf-8")
    assert load_archive([path], load_config([path])).customers[0].archived_on == expected


def test_check_flags_every_ambiguous_cell(tmp_path):
    path = _ambiguous_workbook(tmp_path)
    result = run("check", path, "--format", "json")
    assert result.exit_code == 1
    flagged = {(p["sheet"], p["cell"]) for p in json.loads(result.stdout) if p["code"] == "ambiguous-date"}
    assert flagged == {("客户档案", "C2"), ("消费记录", "B2")}
    assert run("check", path, "--date-order", "dmy").exit_code == 0


def test_ambiguous_birthday_is_flagged_as_ambiguous(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx", {"客户档案": [["客户编号", "姓名", "生日"], ["C1", "王芳", "03/05/1990"]]}
    )
    assert problems(read(path)) == {"C2": "ambiguous-date"}


def test_ambiguous_birthday_is_at_least_an_error_at_its_cell(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx", {"客户档案": [["客户编号", "姓名", "生日"], ["C1", "王芳", "03/05/1990"]]}
    )
    arch = read(path)
    assert arch.customers[0].birthday is None
    assert [(p.severity, p.cell) for p in arch.problems] == [("error", "C2")]
    assert "day first" in arch.problems[0].message
    assert read(path, date_order="dmy").customers[0].birthday == Birthday(5, 3, year=1990)
    assert read(path, date_order="mdy").customers[0].birthday == Birthday(3, 5, year=1990)


# ---- birthdays ---------------------------------------------------------------------------------

BIRTHDAYS = [
    ("3月5日", "", Birthday(3, 5)),
    ("03-05", "", Birthday(3, 5)),
    ("3/5", "", Birthday(3, 5)),
    (dt.date(1990, 3, 5), "", Birthday(3, 5, year=1990)),
    ("1990-03-05", "", Birthday(3, 5, year=1990)),
    ("1990年3月5日", "", Birthday(3, 5, year=1990)),
    ("农历八月十五", "", Birthday(8, 15, lunar=True)),
    ("农历 腊月初八", "", Birthday(12, 8, lunar=True)),
    ("农历闰四月初一", "", Birthday(4, 1, lunar=True, leap=True)),
    ("1990-08-15", "农历", Birthday(8, 15, lunar=True, year=1990)),
    ("8月15日", "农历", Birthday(8, 15, lunar=True)),
    ("1990-08-15", "公历", Birthday(8, 15, year=1990)),
    ("公历3月5日", "", Birthday(3, 5)),
]


def test_birthdays_solar_lunar_and_without_a_year(tmp_path):
    rows = [["客户编号", "姓名", "生日", "生日类型"]] + [
        [f"C{i}", f"n{i}", b, kind] for i, (b, kind, _) in enumerate(BIRTHDAYS)
    ]
    arch = read(make_workbook(tmp_path / "a.xlsx", {"客户档案": rows}))
    assert arch.problems == []
    assert [c.birthday for c in arch.customers] == [expected for _, _, expected in BIRTHDAYS]


@pytest.mark.parametrize("value", ["2月30日", "13-01", "生日", "1990-02-30", "8月"])
def test_impossible_birthdays_are_problems(tmp_path, value):
    arch = read(make_workbook(tmp_path / "a.xlsx", {"客户档案": [["客户编号", "姓名", "生日"], ["C1", "王芳", value]]}))
    assert arch.customers[0].birthday is None
    assert problems(arch) == {"C2": "bad-birthday"}


@pytest.mark.parametrize("value", ["农历八月", "农历十三月初一", "农历13-01"])
def test_impossible_lunar_birthdays_are_problems_not_a_stop(tmp_path, value):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {"客户档案": [["客户编号", "姓名", "生日"], ["C1", "王芳", value], ["C2", "李娜", "3月5日"]]},
    )
    result = run("check", path, "--format", "json", "--errors-only")
    assert result.exit_code == 1
    assert "a.xlsx" in result.output  # fails today: the error names neither file nor cell
    rows = json.loads(result.stdout)
    assert [(r["cell"], r["code"]) for r in rows] == [("C2", "bad-birthday")]


# ---- phones, ids, yes/no, amounts ------------------------------------------------------------------

PHONES = [
    (13800000001, "13800000001"),
    ("138 0000 0002", "13800000002"),
    ("138-0000-0003", "13800000003"),
    ("+86 138 0000 0004", "13800000004"),
    ("+86-138-0000-0005", "13800000005"),
    ("(+86) 13800000006", "13800000006"),
    ("0755-88881234", "075588881234"),
    ("02088886666", "02088886666"),
]


def test_phones_as_numbers_or_text(tmp_path):
    rows = [["客户编号", "姓名", "手机"]] + [[f"C{i}", "x", raw] for i, (raw, _) in enumerate(PHONES)]
    arch = read(make_workbook(tmp_path / "a.xlsx", {"客户档案": rows}))
    assert arch.problems == []
    assert [c.phone for c in arch.customers] == [phone for _, phone in PHONES]


def test_ids_and_phones_stored_as_text_keep_their_leading_zeros(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "客户档案": [
                ["客户编号", "姓名", "手机"],
                ["000123", "王芳", "013800000001"],
                [123, "李娜", "02088886666"],
            ],
            "消费记录": [["客户编号", "消费日期"], ["000123", D], [123, D]],
        },
    )
    arch = read(path)
    assert [(c.id, c.phone) for c in arch.customers] == [("000123", "013800000001"), ("123", "02088886666")]
    assert [p.customer_id for p in arch.purchases] == ["000123", "123"]
    assert run("check", path).exit_code == 0  # both purchases belong to a known customer


YES_NO = [
    ("是", True),
    ("否", False),
    ("Y", True),
    ("N", False),
    ("y", True),
    ("√", True),
    ("1", True),
    ("0", False),
    (1, True),
    (0, False),
    (True, True),
    (False, False),
    ("yes", True),
    ("no", False),
]


def test_yes_no_forms(tmp_path):
    rows = [["客户编号", "姓名", "拒绝回访"]] + [[f"C{i}", "x", raw] for i, (raw, _) in enumerate(YES_NO)]
    rows.append(["C99", "x", "也许"])
    arch = read(make_workbook(tmp_path / "a.xlsx", {"客户档案": rows}))
    # unclear whether this customer may be called: not called, and said at the cell (issue 11)
    assert [c.do_not_contact for c in arch.customers] == [flag for _, flag in YES_NO] + [True]
    assert problems(arch) == {f"C{len(YES_NO) + 2}": "unclear-consent"}


AMOUNTS = [
    ("¥1,234.50", 1234.5),
    ("￥2,000", 2000.0),
    ("1,234", 1234.0),
    (88, 88.0),
    (88.8, 88.8),
    ("3,000元", 3000.0),
    ("RMB 500", 500.0),
    ("1.2万", 12000.0),
]


def test_amounts_with_currency_and_thousands_separators(tmp_path):
    purchases = [["C1", D, "x", raw, "否"] for raw, _ in AMOUNTS] + [["C1", D, "x", "一百", "否"]]
    arch = read(archive(tmp_path, purchases=purchases))
    assert [p.amount for p in arch.purchases] == [amount for _, amount in AMOUNTS] + [None]
    assert problems(arch) == {f"D{len(AMOUNTS) + 2}": "bad-money"}


# ---- Excel's Chinese built-in date formats ------------------------------------------------------

CHINESE_FORMAT_IDS = list(range(27, 37)) + list(range(50, 59))


def _workbook_with_builtin_formats(path: Path, ids: list[int]) -> Path:
    """One customer per format id: 建档日期, 生日 and an unknown column formatted with that built-in id.

    openpyxl cannot write a built-in id it does not know, so each cell gets a unique custom
    format first and styles.xml is then rewritten to point at the built-in id, with no
    <numFmt> definition, as Excel writes them.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "客户档案"
    ws.append(["客户编号", "姓名", "建档日期", "生日", "最近到店"])
    for r, fid in enumerate(ids, start=2):
        ws.append([f"F{fid}", f"格式{fid}", SERIAL, 32937, SERIAL])  # 32937 = 1990-03-05
        for col in "CDE":
            ws[f"{col}{r}"].number_format = f'0.00"#{fid}"'
    wb.save(path)
    pattern = re.compile(r'<numFmt numFmtId="(\d+)" formatCode="0\.00&quot;#(\d+)&quot;"\s*/>')

    def to_builtin(xml: str) -> str:
        ids_by_custom = dict(pattern.findall(xml))
        assert len(ids_by_custom) == len(ids), xml[:500]
        xml = pattern.sub("", xml)
        xml = re.sub(r'numFmtId="(\d+)"', lambda m: f'numFmtId="{ids_by_custom.get(m[1], m[1])}"', xml)
        return re.sub(r'<numFmts count="\d+">', f'<numFmts count="{xml.count("<numFmt ")}">', xml)

    return rewrite_zip(path, {"xl/styles.xml": to_builtin})


def test_chinese_builtin_date_formats_are_dates(tmp_path):
    path = _workbook_with_builtin_formats(tmp_path / "formats.xlsx", CHINESE_FORMAT_IDS)
    with zipfile.ZipFile(path) as zf:
        styles = zf.read("xl/styles.xml").decode()
    assert 'numFmtId="31"' in styles and "<numFmt " not in styles
    arch = read(path)
    assert arch.problems == []
    got = {c.id: (c.archived_on, c.birthday) for c in arch.customers}
    assert got == {f"F{fid}": (D, Birthday(3, 5, year=1990)) for fid in CHINESE_FORMAT_IDS}


def test_chinese_builtin_date_formats_reach_the_reader_as_dates(tmp_path):
    """Not only in date columns: an unknown column formatted 31 holds a date, not 45356."""
    path = _workbook_with_builtin_formats(tmp_path / "formats.xlsx", CHINESE_FORMAT_IDS)
    rows = open_book(path).sheet("客户档案").rows()[1:]
    not_dates = [fid for fid, row in zip(CHINESE_FORMAT_IDS, rows) if not isinstance(row[4], dt.date)]
    assert not_dates == [], f"calamine reads these built-in format ids as plain numbers: {not_dates}"
    extra = {c.id: c.extra["最近到店"] for c in read(path).customers}
    assert {k: (v.date() if isinstance(v, dt.datetime) else v) for k, v in extra.items()} == {
        f"F{fid}": D for fid in CHINESE_FORMAT_IDS
    }


# ---- 1904 date system ----------------------------------------------------------------------------


def _set_1904(xml: str) -> str:
    assert re.search(r"<workbookPr\s*/>", xml), xml[:300]
    return re.sub(r"<workbookPr\s*/>", '<workbookPr date1904="1"/>', xml)


def test_1904_date_system_serial_numbers_in_date_columns(tmp_path):
    path = make_workbook(
        tmp_path / "mac.xlsx",
        {
            "客户档案": [["客户编号", "姓名", "建档日期", "生日"], ["C1", "王芳", SERIAL_1904, 32937 - 1462]],
            "消费记录": [["客户编号", "消费日期"], ["C1", SERIAL_1904]],
            "回访记录": [["客户编号", "回访时间"], ["C1", SERIAL_1904 + 0.5]],
        },
    )
    plain = read(path)  # the same numbers in the 1900 system are four years and a day earlier
    assert plain.customers[0].archived_on == dt.date(2020, 3, 4)
    rewrite_zip(path, {"xl/workbook.xml": _set_1904})
    arch = read(path)
    assert arch.date1904 is True
    assert arch.problems == []
    assert arch.customers[0].archived_on == D
    assert arch.customers[0].birthday == Birthday(3, 5, year=1990)
    assert arch.purchases[0].date == D
    assert arch.visits[0].date == dt.datetime(2024, 3, 5, 12, 0)


def test_1904_date_system_formatted_dates(tmp_path):
    path = make_workbook(
        tmp_path / "mac.xlsx",
        {"客户档案": [["客户编号", "姓名", "建档日期"], ["C1", "王芳", SERIAL_1904]]},
        number_formats={("客户档案", "C"): "yyyy-mm-dd"},
    )
    path = rewrite_zip(path, {"xl/workbook.xml": _set_1904})
    assert read(path).customers[0].archived_on == D


# ---- CSV -----------------------------------------------------------------------------------------

CSV_ROWS = (
    "客户编号,姓名,手机,生日,建档日期,拒绝回访\n"
    "000123,王芳,138 0000 0001,3月5日,2024/3/5,否\n"
    "C2,李娜,+86 13800000002,农历八月十五,2024年3月5日,是\n"
    "C3,张伟,13800000003,1990-03-05,不知道哪天,\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_in_utf8_utf8_bom_and_gbk(tmp_path, encoding):
    path = tmp_path / "客户档案.csv"
    path.write_bytes(CSV_ROWS.encode(encoding))
    arch = read(path)
    assert [(c.id, c.name, c.phone, c.birthday, c.archived_on, c.do_not_contact) for c in arch.customers] == [
        ("000123", "王芳", "13800000001", Birthday(3, 5), D, False),
        ("C2", "李娜", "13800000002", Birthday(8, 15, lunar=True), D, True),
        ("C3", "张伟", "13800000003", Birthday(3, 5, year=1990), None, None),
    ]
    assert problems(arch) == {"E4": "bad-date"}
    result = run("check", path)
    assert result.exit_code == 1 and "客户档案.csv 客户档案!E4" in result.output


def test_csv_found_by_headers_when_the_name_says_nothing(tmp_path):
    path = tmp_path / "export_20240305.csv"
    path.write_text(CSV_ROWS, encoding="utf-8-sig")
    assert [c.id for c in read(path).customers] == ["000123", "C2", "C3"]


# ---- .xls and .ods made by LibreOffice ----------------------------------------------------------


def _soffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None and os.environ.get("CI"):
        pytest.fail("LibreOffice (soffice) is needed on CI for the .xls/.ods tests", pytrace=False)
    return found


def _lo_source(tmp_path: Path) -> list[Path]:
    main = make_workbook(
        tmp_path / "archive.xlsx",
        {
            "客户档案": [
                CUSTOMER_HEADERS + ["微信号"],
                customer("000123", phone=13800000001, birthday=dt.date(1990, 3, 5), points=620, dnc="否") + ["wx1"],
                customer(
                    "C2",
                    name="李娜",
                    phone="138 0000 0002",
                    birthday="农历八月十五",
                    tier="普通",
                    archived=dt.datetime(2024, 3, 5, 0, 0),
                    dnc="是",
                )
                + [""],
                customer(
                    "C3", name="张伟", phone="+86 13800000003", birthday="3月5日", archived="2024/3/5", points="1,200"
                )
                + ["wx3"],
            ],
            "消费记录": [PURCHASE_HEADERS, ["000123", D, "外套", "¥1,234.50", "√"], ["C2", SERIAL, "围巾", 88, "否"]],
        },
    )
    wb = Workbook()
    ws = wb.active
    ws.title = "客户档案"
    for col, value in enumerate(["客户编号", "建档日期", "姓名"], start=3):
        ws.cell(5, col, value)
    for col, value in enumerate(["C1", D, "王芳"], start=3):
        ws.cell(6, col, value)
    for col, value in enumerate(["C2", "2024-13-45", "李娜"], start=3):
        ws.cell(7, col, value)
    return [main, save(wb, tmp_path / "offset.xlsx")]


@pytest.fixture(scope="module")
def libreoffice_copies(tmp_path_factory):
    soffice = _soffice()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    tmp = tmp_path_factory.mktemp("lo")
    sources = _lo_source(tmp)
    profile = Path(f"/tmp/lo-profile-{uuid.uuid4().hex}")
    try:
        for fmt in ("xls", "ods"):
            out = tmp / fmt
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    fmt,
                    "--outdir",
                    str(out),
                    *map(str, sources),
                ],
                check=True,
                capture_output=True,
                timeout=180,
            )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return tmp


def _customers(arch):
    return [
        (c.id, c.name, c.phone, c.birthday, c.tier, c.archived_on, c.points, c.do_not_contact, c.row, c.extra)
        for c in arch.customers
    ]


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_xls_and_ods_made_by_libreoffice_read_the_same(libreoffice_copies, fmt):
    original = read(libreoffice_copies / "archive.xlsx")
    copy = libreoffice_copies / fmt / f"archive.{fmt}"
    converted = read(copy)
    assert open_book(copy).kind == fmt
    assert _customers(converted) == _customers(original)
    assert original.customers[0].id == "000123" and original.customers[0].phone == "13800000001"
    assert [(p.customer_id, p.date, p.amount, p.new_season) for p in converted.purchases] == [
        ("000123", D, 1234.5, True),
        ("C2", D, 88.0, False),
    ]
    assert converted.problems == original.problems == []


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_xls_and_ods_keep_cell_references_of_an_offset_header(libreoffice_copies, fmt):
    arch = read(libreoffice_copies / fmt / f"offset.{fmt}")
    assert [(c.id, c.row, c.archived_on) for c in arch.customers] == [("C1", 6, D), ("C2", 7, None)]
    assert problems(arch) == {"D7": "bad-date"}


# ---- followup check: exit codes and places -----------------------------------------------------


def test_check_on_an_archive_with_errors_exits_1_and_names_each_place(tmp_path):
    path = archive(
        tmp_path,
        name="星河店.xlsx",
        customers=[customer("C1"), customer("C1", name="李娜"), customer("C3", archived="2024-02-30")],
        purchases=[["C1", D, "外套", 899, "是"], ["C9", D, "围巾", 88, "否"], ["C3", "上周", "帽子", 50, "否"]],
    )
    result = run("check", path)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    for place in (
        "星河店.xlsx 客户档案!A3",
        "星河店.xlsx 客户档案!H4",
        "星河店.xlsx 消费记录!A3",
        "星河店.xlsx 消费记录!B4",
    ):
        assert place in result.output, place
    rows = json.loads(run("check", path, "--format", "json").stdout)
    errors = {(r["sheet"], r["cell"], r["code"]) for r in rows if r["severity"] == "error"}
    assert errors >= {
        ("客户档案", "A3", "duplicate-id"),
        ("客户档案", "H4", "bad-date"),
        ("消费记录", "A3", "unknown-customer"),
        ("消费记录", "B4", "bad-date"),
    }
    assert {(sheet, cell) for sheet, cell, _ in errors} == {
        ("客户档案", "A3"),
        ("客户档案", "H4"),
        ("消费记录", "A3"),
        ("消费记录", "B4"),
    }
    assert all(r["file"] == str(path) for r in rows)


def test_check_reports_an_unparseable_date_once(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "客户档案": [["客户编号", "姓名"], ["C1", "王芳"]],
            "消费记录": [["客户编号", "消费日期"], ["C1", "上周"], ["C1", ""]],
            "回访记录": [["客户编号", "回访日期"], ["C1", "昨天下午"], ["C1", None]],
        },
    )
    rows = json.loads(run("check", path, "--format", "json").stdout)
    rows = [r for r in rows if r["cell"]]  # the rules that cannot run here are whole-sheet warnings
    assert sorted((r["sheet"], r["cell"], r["code"]) for r in rows) == [
        ("回访记录", "B2", "bad-datetime"),
        ("回访记录", "B3", "missing-date"),
        ("消费记录", "B2", "bad-date"),
        ("消费记录", "B3", "missing-date"),
    ]


def test_check_on_a_clean_archive_exits_0(tmp_path):
    path = archive(
        tmp_path, customers=[customer("C1"), customer("C2", name="李娜")], purchases=[["C1", D, "外套", 899, "是"]]
    )
    result = run("check", path, "--as-of", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert "0 个错误" in result.output
    assert "!" not in result.stdout
