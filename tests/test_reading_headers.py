"""Header understanding (issue 11): normalisation, the vocabulary of real exports, the fuzzy
fallback's threshold, values deciding where headers cannot, consent either way round."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from followup_cli.archive.headers import FUZZY_MIN, channels_named, split_header
from followup_cli.archive.reading import load_archive
from followup_cli.archive.schema import header_index
from followup_cli.cli import cli
from tests.helpers import make_workbook

D = dt.date


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], env={"FOLLOWUP_LANG": "en"})


@pytest.mark.parametrize(
    "raw, core, notes",
    [
        ("手机\n号码", "手机号码", ()),
        ("金额\n(元)", "金额", ("元",)),
        ("金额（元）", "金额", ("元",)),
        ("评分（分）", "评分", ("分",)),
        ("是否\n当季新品", "当季新品", ()),
        ("是否农历(是/否)", "农历", ("是否",)),
        ("生日（公历）", "生日", ("公历",)),
        ("*姓名", "姓名", ()),
        ("会员　卡号", "会员卡号", ()),  # a full-width space
        ("ＶＩＰ等级", "vip等级", ()),  # full-width letters
        ("電話", "电话", ()),
        ("會員等級", "会员等级", ()),
        ("First Name", "firstname", ()),
        ("Accepts Marketing", "acceptsmarketing", ()),
    ],
)
def test_normalisation(raw, core, notes):
    assert split_header(raw) == (core, notes)


@pytest.mark.parametrize(
    "role, header, field",
    [
        ("customers", "会员卡号", "id"),
        ("customers", "会员编号", "id"),
        ("customers", "编号", "id"),
        ("customers", "会员姓名", "name"),
        ("customers", "顾客姓名", "name"),
        ("customers", "客户名称", "name"),
        ("customers", "手机号", "phone"),
        ("customers", "联系电话", "phone"),
        ("customers", "会员手机", "phone"),
        ("customers", "会员生日", "birthday"),
        ("customers", "出生日期", "birthday"),
        ("customers", "出生年月日", "birthday"),
        ("customers", "会员级别", "tier"),
        ("customers", "卡类型", "tier"),
        ("customers", "级别", "tier"),
        ("customers", "所属门店", "store"),
        ("customers", "分店名称", "store"),
        ("customers", "门市", "store"),
        ("customers", "导购", "owner"),
        ("customers", "专属导购", "owner"),
        ("customers", "导购员", "owner"),
        ("customers", "责任客服", "owner"),
        ("customers", "当前积分", "points"),
        ("customers", "可用积分", "points"),
        ("customers", "积分余额", "points"),
        ("customers", "入会时间", "archived_on"),
        ("customers", "注册时间", "archived_on"),
        ("customers", "开卡日期", "archived_on"),
        ("customers", "Created at", "archived_on"),
        ("customers", "First Name", "first_name"),
        ("customers", "Last Name", "last_name"),
        ("customers", "Tags", "tags"),
        ("customers", "姓", "last_name"),
        ("purchases", "交易时间", "date"),
        ("purchases", "销售日期", "date"),
        ("purchases", "实付金额", "amount"),
        ("purchases", "实收金额", "amount"),
        ("purchases", "Lineitem name", "product"),
        ("purchases", "Created at", "date"),
        ("staff", "能力系数", "capacity"),
        ("visits", "回访内容", "content"),
    ],
)
def test_vocabulary_of_real_exports(role, header, field):
    m = header_index(role).match(header)
    assert m is not None and m.field == field, (header, m)


def test_fuzzy_fallback_only_above_its_stated_confidence():
    index = header_index("customers")
    m = index.match("常用手机号码")
    assert m.field == "phone" and m.how == "fuzzy" and m.confidence >= FUZZY_MIN * 0.9
    assert index.match("宝贝生日") is None  # a child's birthday is not the customer's
    assert index.match("喜欢的颜色") is None


@pytest.mark.parametrize(
    "header, channels",
    [
        ("是否接受回访", None),
        ("接受短信", {"sms"}),
        ("Do Not Call", {"phone"}),
        ("Accepts Marketing", None),
        ("Accepts Email Marketing", {"email"}),
        ("拒绝电话回访", {"phone"}),
        ("Opt-out", None),
    ],
)
def test_consent_headers_name_their_channels(header, channels):
    assert channels_named(header) == (frozenset(channels) if channels else None)


@pytest.mark.parametrize(
    "header, value, refused",
    [
        ("是否接受回访", "否", True),
        ("是否接受回访", "是", False),
        ("同意回访", "否", True),
        ("接受短信", "否", {"sms"}),
        ("回访意愿", "勿扰", True),
        ("回访意愿", "拒绝", True),
        ("回访意愿", "愿意", False),
        ("Accepts Marketing", "no", True),
        ("Accepts Marketing", "yes", False),
        ("Opt-out", "yes", True),
        ("是否拒绝回访", "是", True),
        ("是否拒绝回访", "否", False),
        ("Do Not Call", True, {"phone"}),
        ("Do Not Call", "TRUE", {"phone"}),
        ("免打扰", "√", True),
        ("是否同意电话回访", "否", {"phone"}),
    ],
)
def test_consent_in_every_polarity(tmp_path, header, value, refused):
    path = make_workbook(tmp_path / "a.xlsx", {"客户档案": [["客户编号", "姓名", header], ["C1", "王芳", value]]})
    got = load_archive([path]).customers[0].do_not_contact
    assert got == (frozenset(refused) if isinstance(refused, set) else refused)


def test_values_decide_a_column_its_header_does_not_name(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {"客户档案": [["客户编号", "姓名", "Col3"], *[[f"C{i}", "王芳", f"1380000{i:04d}"] for i in range(30)]]},
    )
    arch = load_archive([path])
    assert arch.customers[0].phone == "13800000000"
    use = next(u for u in arch.sources[0].uses if u.header == "Col3")
    assert (use.field, use.how) == ("phone", "values") and 0 < use.confidence < 0.9
    rows = json.loads(run("check", path, "--format", "json").stdout)
    assert any(r["code"] == "guessed-column" and r["cell"] == "C1" for r in rows)


def test_a_fuzzy_header_whose_cells_disagree_is_not_used(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "客户档案": [
                ["客户编号", "姓名", "会员手机号码"],
                ["C1", "王芳", D(2020, 1, 1)],
                ["C2", "李娜", D(2020, 1, 2)],
            ]
        },
    )
    arch = load_archive([path])
    assert arch.customers[0].phone is None
    use = next(u for u in arch.sources[0].uses if u.col == 2)
    assert use.field is None and use.resembles == "phone"


def test_numeric_codes_from_the_header_notes_win_over_the_pos_default(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx", {"客户档案": [["客户编号", "姓名", "性别(1男2女)"], ["C1", "王芳", 2], ["C2", "张伟", 1]]}
    )
    assert [c.gender for c in load_archive([path]).customers] == ["女", "男"]


def test_a_birthday_headed_lunar_is_lunar_for_every_row(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx", {"客户档案": [["客户编号", "姓名", "生日（农历）"], ["C1", "王芳", D(1990, 8, 15)]]}
    )
    b = load_archive([path]).customers[0].birthday
    assert (b.month, b.day, b.lunar) == (8, 15, True)


def test_sniffing_samples_and_never_scans_a_whole_column():
    from followup_cli.archive import sniff

    rows = [["x"]] + [["13800000000"]] * 100_000
    assert len(sniff.sample(rows, 1, 0)) == sniff.SAMPLE_CELLS
    sparse = [["x"]] + [[None]] * 100_000 + [["13800000000"]]
    assert sniff.sample(sparse, 1, 0) == []  # beyond SAMPLE_ROWS: not looked at


def test_split_names_are_joined(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "Customers": [["Customer ID", "First Name", "Last Name"], ["C1", "Amy", "Chen"]],
            "会员": [["会员编号", "姓", "名"], ["C2", "王", "芳"]],
        },
    )
    assert sorted(c.name for c in load_archive([path]).customers) == ["Amy Chen", "王芳"]


def test_a_name_two_customers_share_links_nobody_and_says_so(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "客户档案": [["客户编号", "姓名"], ["C1", "王芳"], ["C2", "王芳"]],
            "回访本": [["日期", "客户", "回访内容"], [D(2026, 11, 1), "王芳", "生日祝福"]],
        },
    )
    rows = json.loads(run("check", path, "--format", "json").stdout)
    amb = [r for r in rows if r["code"] == "ambiguous-customer"]
    assert len(amb) == 1 and "客户档案!B2" in amb[0]["message"] and "客户档案!B3" in amb[0]["message"]


def test_columns_write_saves_the_mapping_surgically_and_then_reading_is_exact(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "会员资料": [
                ["会员卡号", "会员姓名", "手机\n号码", "Col4"],
                *[[f"V{i}", "王芳", f"1390000{i:04d}", "x"] for i in range(5)],
            ]
        },
    )
    toml = tmp_path / "followup.toml"
    toml.write_text('# our shop\npreset = "retail-vip"  # chosen in March\n\n[shop]\nname = "锦绣"\n', encoding="utf-8")
    result = run("columns", path, "--write")
    assert result.exit_code == 0, result.output
    text = toml.read_text(encoding="utf-8")
    assert text.startswith('# our shop\npreset = "retail-vip"  # chosen in March\n\n[shop]\nname = "锦绣"\n')
    import tomllib

    saved = tomllib.loads(text)
    assert saved["sheets"] == {"会员资料": "customers"}
    assert saved["columns"]["customers"] == {"会员卡号": "id", "会员姓名": "name", "手机\n号码": "phone"}
    again = json.loads(run("columns", path, "--format", "json").stdout)
    assert {r["how"] for r in again if r["field"]} == {"followup.toml"}
    assert {r["role_how"] for r in again} == {"followup.toml"}


def test_a_row_is_a_total_or_footer_only_when_the_word_opens_it(tmp_path):
    path = make_workbook(
        tmp_path / "a.xlsx",
        {
            "客户档案": [["客户编号", "姓名"], ["C1", "王芳"], ["C2", "小计"]],
            "消费记录": [
                ["客户编号", "消费日期", "商品名称"],
                ["C1", D(2026, 6, 1), "打印机"],
                ["C2", D(2026, 6, 2), "合计"],
                ["合计", None, None],
                [None, "制表人：林", None],
            ],
        },
    )
    arch = load_archive([path])
    assert [c.name for c in arch.customers] == ["王芳", "小计"]
    assert [p.product for p in arch.purchases] == ["打印机", "合计"]
    assert [s.skipped for s in arch.sources if s.role == "purchases"] == [[(4, "total"), (5, "footer")]]
