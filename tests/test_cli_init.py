"""`followup init`: an empty archive per preset that reads back clean, with dropdowns, and no overwrites."""

from __future__ import annotations

import datetime as dt
import json
import tomllib

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from followup_cli.archive.layouts import LAYOUTS
from followup_cli.cli import cli
from followup_cli.policy.rules import build_policy, preset_ids
from followup_cli.policy.vocabulary import KINDS

PRESETS = preset_ids()


def invoke(*args, locale="zh_CN.UTF-8"):
    """As on a shop's computer with a Chinese system language (init follows it, like every command)."""
    return CliRunner().invoke(
        cli, [str(a) for a in args], env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": locale, "FOLLOWUP_LANG": None}
    )


def test_init_follows_the_language_of_the_system_and_followup_lang(tmp_path):
    from followup_cli.archive.files import open_book

    def sheets(path):
        return [s.name for s in open_book(path).sheets]

    assert invoke("init", tmp_path / "zh.xlsx", "--preset", "sales", "-q").exit_code == 0
    assert "客户档案" in sheets(tmp_path / "zh.xlsx")
    assert invoke("init", tmp_path / "en" / "en.xlsx", "--preset", "sales", "-q", locale="en_US.UTF-8").exit_code == 0
    assert "Customers" in sheets(tmp_path / "en" / "en.xlsx")
    result = CliRunner().invoke(
        cli,
        ["init", str(tmp_path / "env" / "a.xlsx"), "--preset", "sales", "-q"],
        env={"LANG": "en_US.UTF-8", "FOLLOWUP_LANG": "zh"},
    )
    assert result.exit_code == 0 and "客户档案" in sheets(tmp_path / "env" / "a.xlsx")


def validations(ws) -> dict[str, object]:
    """header → its data validation (one per column), read back by openpyxl."""
    headers = {cell.column_letter: cell.value for cell in ws[1]}
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[headers[rng.coord.split(":")[0].rstrip("0123456789")]] = dv
    return out


def listed(dv) -> list[str]:
    return dv.formula1.strip('"').split(",")


def test_every_preset_has_a_layout():
    assert set(PRESETS) == set(LAYOUTS)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("preset", PRESETS)
def test_init_reads_back_clean(tmp_path, preset, lang):
    path = tmp_path / "archive.xlsx"
    result = invoke("init", path, "--preset", preset, "--lang", lang)
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == [str(path), str(tmp_path / "followup.toml")]
    config = tomllib.loads((tmp_path / "followup.toml").read_text(encoding="utf-8"))
    assert config["preset"] == preset and config["lang"] == lang

    check = invoke("check", path)
    assert check.exit_code == 0, check.output
    due = invoke("due", path, "--as-of", "2026-11-23", "--format", "json")
    assert due.exit_code == 0, due.output
    assert json.loads(due.stdout) == []

    wb = load_workbook(path)
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2" and ws.max_row == 1
        assert all(cell.font.bold for cell in ws[1])
        assert all(ws.column_dimensions[c.column_letter].width >= 10 for c in ws[1])
    first = wb.worksheets[0]
    headers = [c.value for c in first[1]]
    if lang == "zh":
        assert "客户编号" in headers and "姓名" in headers
    else:
        assert "Customer ID" in headers and "Name" in headers
        assert all(h.isascii() for ws in wb.worksheets for h in (c.value for c in ws[1]))


@pytest.mark.parametrize("preset", PRESETS)
def test_dropdowns_on_coded_columns(tmp_path, preset):
    path = tmp_path / "archive.xlsx"
    assert invoke("init", path, "--preset", preset, "-q").exit_code == 0
    wb = load_workbook(path)
    customers = validations(wb.worksheets[0])
    assert listed(customers["性别"]) == ["男", "女"]
    assert listed(customers["拒绝回访"]) == ["是", "否"]
    visits = validations(wb["回访记录"])
    kinds = {KINDS.label(r.kind, "zh") for r in build_policy(preset).rules}
    assert set(listed(visits["回访类型"])) == kinds
    assert listed(visits["回访方式"]) == ["电话", "短信", "邮件", "上门", "问卷"]
    assert listed(visits["结果"]) == ["已联系", "未接通", "拒绝", "号码错误"]
    assert listed(visits["满意度"]) == ["非常满意", "满意", "一般", "不满意", "非常不满意"]
    # a closed vocabulary stops (no errorStyle written is "stop" in OOXML), an open list warns
    assert (visits["满意度"].errorStyle or "stop") == "stop" and visits["回访类型"].errorStyle == "warning"
    assert visits["满意度"].showErrorMessage and visits["满意度"].error == "请从下拉列表中选择"
    assert "角色" in validations(wb["员工"])


def test_ids_and_phones_are_text_and_dates_are_dates(tmp_path):
    path = tmp_path / "archive.xlsx"
    assert invoke("init", path, "--preset", "retail-vip", "-q").exit_code == 0
    ws = load_workbook(path)["客户档案"]
    formats = {c.value: ws.column_dimensions[c.column_letter].number_format for c in ws[1]}
    assert formats["客户编号"] == formats["手机"] == "@" and formats["建档日期"] == "yyyy-mm-dd"
    assert formats["姓名"] == "General"


@pytest.mark.parametrize(
    "preset, sheet, header, values",
    [
        ("real-estate", "客户档案", "意向等级", ["A", "B", "C", "D"]),
        ("real-estate", "客户档案", "客户来源", ["来电", "来访", "转介绍", "成交"]),
        ("real-estate", "客户档案", "意向户型", None),  # a free column
        ("real-estate", "客户档案", "客户类型", ["一般客户", "特殊客户"]),
        ("real-estate", "节点", "节点类型", ["营销节点", "工程节点"]),
        ("distributor", "客户档案", "客户类型", ["经销商", "合作伙伴", "团购", "一般客户", "特殊客户"]),
        ("sales", "客户档案", "客户等级", ["A", "B", "C", "D"]),
        ("health", "顾客档案", "是否购买", ["是", "否"]),
        ("health", "员工", "角色", ["满意代表", "医生", "销售经理", "销售主管"]),
        ("decoration", "售后工单", "工单类型", ["报修", "投诉"]),
        ("property", "投诉报修", "严重程度", ["重大", "一般"]),
        ("retail-vip", "客户档案", "会员等级", ["VIP", "普通"]),
        ("retail-vip", "消费记录", "当季新品", ["是", "否"]),
    ],
)
def test_trade_dropdowns(tmp_path, preset, sheet, header, values):
    path = tmp_path / "archive.xlsx"
    assert invoke("init", path, "--preset", preset, "-q").exit_code == 0
    found = validations(load_workbook(path)[sheet])
    if values is None:
        assert header not in found
    else:
        assert listed(found[header]) == values


def test_english_dropdowns_and_score_range(tmp_path):
    path = tmp_path / "archive.xlsx"
    assert invoke("init", path, "--preset", "decoration", "--lang", "en", "-q").exit_code == 0
    visits = validations(load_workbook(path)["Visits"])
    assert listed(visits["Outcome"]) == ["reached", "no answer", "refused", "wrong number"]
    assert listed(visits["Would recommend"]) == ["Yes", "No"]
    score = visits["Score"]
    assert (score.type, score.formula1, score.formula2) == ("whole", "0", "5")


def test_filled_in_archive_is_planned(tmp_path):
    """What a clerk types through the dropdowns reads back as the preset expects."""
    path = tmp_path / "archive.xlsx"
    assert invoke("init", path, "--preset", "real-estate", "-q").exit_code == 0
    wb = load_workbook(path)
    ws = wb["客户档案"]
    headers = [c.value for c in ws[1]]
    row = {
        "客户编号": "L0001",
        "姓名": "王建国",
        "性别": "男",
        "手机": "13800000001",
        "客户来源": "来电",
        "意向等级": "A",
        "客户类型": "一般客户",
        "楼盘": "锦绣华庭",
        "置业顾问": "沈佳怡",
        "建档日期": dt.date(2026, 11, 23),
        "拒绝回访": "否",
    }
    ws.append([row.get(h) for h in headers])
    wb.save(path)
    result = invoke("due", path, "--as-of", "2026-11-23", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [(r["rule"], r["staff"]) for r in json.loads(result.stdout)] == [("call_first", "沈佳怡")]


def test_refuses_to_overwrite(tmp_path):
    path = tmp_path / "archive.xlsx"
    assert invoke("init", path, "--preset", "sales").exit_code == 0
    before = path.read_bytes()
    again = invoke("init", path, "--preset", "health")
    assert again.exit_code == 2
    # the workbook there is Chinese: so is the refusal (the English twin is tested below)
    assert "已存在；不会覆盖" in again.stderr and "--overwrite" in again.stderr and "Traceback" not in again.output
    english = invoke("init", path, "--preset", "health", "--lang", "en")
    assert english.exit_code == 2 and "already exist" in english.stderr
    assert path.read_bytes() == before
    assert 'preset = "sales"' in (tmp_path / "followup.toml").read_text(encoding="utf-8")
    forced = invoke("init", path, "--preset", "health", "--overwrite", "-q")
    assert forced.exit_code == 0, forced.output
    assert 'preset = "health"' in (tmp_path / "followup.toml").read_text(encoding="utf-8")
    assert "顾客档案" in load_workbook(path).sheetnames


def test_a_folder_with_another_archives_config_gets_a_named_one(tmp_path):
    (tmp_path / "followup.toml").write_text('preset = "retail-vip"\n', encoding="utf-8")
    result = invoke("init", tmp_path / "new.xlsx", "--preset", "sales")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "followup.toml").read_text(encoding="utf-8") == 'preset = "retail-vip"\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["followup.toml", "new.followup.toml", "new.xlsx"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--preset", "nope"], "unknown preset 'nope'"),
        ([], "Missing option '--preset'"),
        (["--preset", "sales", "--lang", "fr"], "'fr' is not one of"),
    ],
)
def test_usage_errors(tmp_path, args, message):
    result = invoke("init", tmp_path / "a.xlsx", *args, locale="en_US.UTF-8")
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "a.xlsx").exists()


def test_not_an_xlsx_name(tmp_path):
    result = invoke("init", tmp_path / "archive.csv", "--preset", "sales")
    assert result.exit_code == 2 and ".xlsx" in result.stderr


def test_shop_name_and_phone_go_into_the_config(tmp_path):
    path = tmp_path / "sub" / "archive.xlsx"
    result = invoke("init", path, "--preset", "property", "--shop", "翠湖苑物业", "--shop-phone", "0571-88886666", "-q")
    assert result.exit_code == 0, result.output
    config = tomllib.loads((tmp_path / "sub" / "followup.toml").read_text(encoding="utf-8"))
    assert config["shop"] == {"name": "翠湖苑物业", "phone": "0571-88886666"}
    assert not [p.name for p in (tmp_path / "sub").iterdir() if p.name.startswith(".")]  # no temporary files left


# ---- help and docs ----

DOCS = __import__("pathlib").Path(__file__).resolve().parents[1] / "docs" / "presets.md"


def test_help_and_docs_cover_every_option():
    result = invoke("init", "--help")
    assert result.exit_code == 0 and "--preset" in result.stdout
    text = DOCS.read_text(encoding="utf-8")
    options = [opt for p in cli.commands["init"].params for opt in p.opts if opt.startswith("-")]
    missing = [o for o in options if o not in text and o != "--help"]
    assert not missing, f"docs/presets.md does not mention {missing}"


def _table_row(rule) -> str:
    head, rest = rule.describe("en").split(": ", 1)
    parts = rest.split("; ")
    cond = parts[1][3:] if parts[1].startswith("if ") else ""
    i = 2 if cond else 1
    return f"| `{rule.id}` {head} | {parts[0]} | {cond} | {parts[i]} | {parts[i + 1]} |"


@pytest.mark.parametrize("preset", [p for p in PRESETS if p != "retail-vip"])
def test_docs_describe_every_rule_as_the_preset_does(preset):
    text = DOCS.read_text(encoding="utf-8")
    for rule in build_policy(preset).rules:
        assert _table_row(rule) in text, f"docs/presets.md: update the row of {preset} rule {rule.id}"
