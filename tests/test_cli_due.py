"""`followup due` and `followup presets` through the CLI: exit codes, formats, messages."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_cli.cli import cli
from followup_cli.outputs.due_list import PINNED_FIELDS
from tests.helpers import archive, customer

D = dt.date
SAMPLES = Path(__file__).resolve().parents[1] / "sample_workbooks"


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_readme_demo_on_the_chinese_sample():
    result = invoke("due", SAMPLES / "retail_vip_zh.xlsx", "--as-of", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert "应访日期" in result.stdout and "生日回访" in result.stdout and "原因" in result.stdout
    assert "2026-11-23：" in result.stderr


def test_english_sample_prints_english():
    result = invoke("due", SAMPLES / "retail_vip_en.xlsx", "--as-of", "2026-11-23", "--wide")
    assert result.exit_code == 0, result.output
    assert "Reason" in result.stdout and "birthday greeting" in result.stdout


def test_both_samples_give_the_same_tasks():
    ids = []
    for name in ("retail_vip_zh.xlsx", "retail_vip_en.xlsx"):
        result = invoke("due", SAMPLES / name, "--as-of", "2026-11-23", "--format", "json")
        assert result.exit_code == 0
        ids.append(sorted(r["task_id"] for r in json.loads(result.stdout)))
    assert ids[0] == ids[1] and len(ids[0]) > 20


def test_sample_covers_every_retail_kind_over_a_year():
    seen = set()
    day = D(2026, 1, 1)
    while day <= D(2026, 12, 31):
        result = invoke(
            "due", SAMPLES / "retail_vip_zh.xlsx", "--as-of", day.isoformat(), "--format", "json", "--ahead", "30", "-q"
        )
        assert result.exit_code == 0
        seen |= {r["kind"] for r in json.loads(result.stdout)}
        day += dt.timedelta(days=30)
    assert seen == {"festival", "product_use", "birthday", "after_sales", "points", "dormant"}


def test_json_has_the_pinned_fields_and_iso_dates(tmp_path):
    path = archive(tmp_path, customers=[customer(birthday=D(1990, 11, 23))])
    result = invoke("due", path, "--as-of", "2026-11-23", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert list(rows[0])[: len(PINNED_FIELDS)] == list(PINNED_FIELDS)
    assert rows[0]["due_date"] == "2026-11-23" and rows[0]["status"] == "due"
    assert rows[0]["phone"] == "13800000001" and rows[0]["staff"] == "林晓雯"


def test_csv_to_a_file_has_a_bom_for_excel(tmp_path):
    path = archive(tmp_path, customers=[customer(birthday=D(1990, 11, 23))])
    out = tmp_path / "due.csv"
    result = invoke("due", path, "--as-of", "2026-11-23", "-o", out)
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "应访日期" and rows[1][0] == "2026-11-23"


def test_xlsx_output(tmp_path):
    from openpyxl import load_workbook

    path = archive(tmp_path, customers=[customer(name='=HYPERLINK("x")', birthday=D(1990, 11, 23))])
    out = tmp_path / "due.xlsx"
    result = invoke("due", path, "--as-of", "2026-11-23", "-o", out, "--lang", "en")
    assert result.exit_code == 0, result.output
    ws = load_workbook(out).active
    assert ws["A1"].value == "Due"
    names = [c.value for c in ws["D"]]
    assert '=HYPERLINK("x")' in names
    assert all(c.data_type != "f" for c in ws["D"])


def test_kind_and_staff_filters(tmp_path):
    path = archive(
        tmp_path,
        customers=[
            customer("C1", birthday=D(1990, 11, 23), owner="甲"),
            customer("C2", name="李雷", birthday=D(1991, 11, 23), owner="乙"),
        ],
        purchases=[["C1", D(2026, 11, 16), "大衣", 1999, "是"]],
    )
    result = invoke("due", path, "--as-of", "2026-11-23", "--format", "json", "--kind", "新品回访", "--staff", "甲")
    assert result.exit_code == 0, result.output
    assert [(r["customer_id"], r["kind"]) for r in json.loads(result.stdout)] == [("C1", "product_use")]
    bad = invoke("due", path, "--kind", "nonsense")
    assert bad.exit_code == 2 and "nonsense" in bad.output


def test_explain_lists_what_was_left_out(tmp_path):
    path = archive(tmp_path, customers=[customer(birthday=D(1990, 11, 23), dnc="是")])
    plain = invoke("due", path, "--as-of", "2026-11-23")
    assert "1 项未列入" in plain.stderr
    result = CliRunner(env={"COLUMNS": "120"}).invoke(cli, ["due", str(path), "--as-of", "2026-11-23", "--explain"])
    assert "客户拒绝回访" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--as-of", "2026-13-01"], "not a date"),
        (["--as-of", "23/11/2026"], "YYYY-MM-DD"),
        (["--format", "xlsx"], "needs -o"),
    ],
)
def test_usage_errors_exit_2(tmp_path, args, message):
    path = archive(tmp_path)
    result = invoke("due", path, *args, "--lang", "en")  # a Chinese archive: English asked for
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_missing_file_exits_2_naming_it(tmp_path):
    result = invoke("due", tmp_path / "nope.xlsx")
    assert result.exit_code == 2
    assert "nope.xlsx" in result.stderr and "not found" in result.stderr


def test_workbook_without_customers_exits_1(tmp_path):
    from tests.helpers import make_workbook

    path = make_workbook(tmp_path / "other.xlsx", {"Sheet1": [["a", "b"], [1, 2]]})
    result = invoke("due", path)
    assert result.exit_code == 1
    assert "no customer sheet" in result.stderr and "Sheet1" in result.stderr


def test_bad_config_exits_2(tmp_path):
    path = archive(tmp_path)
    (tmp_path / "followup.toml").write_text("preset = 'nope'\n", encoding="utf-8")
    result = invoke("due", path, "--lang", "en")
    assert result.exit_code == 2 and "unknown preset 'nope'" in result.stderr and "retail-vip" in result.stderr
    (tmp_path / "followup.toml").write_text("preset = \n", encoding="utf-8")
    result = invoke("due", path, "--lang", "en")
    assert result.exit_code == 2 and "not valid TOML" in result.stderr


def test_option_beats_environment_beats_config(tmp_path, monkeypatch):
    path = archive(tmp_path, customers=[customer(birthday=D(1990, 11, 23))])
    (tmp_path / "followup.toml").write_text("lang = 'zh'\n", encoding="utf-8")
    assert "应访日期" in invoke("due", path, "--as-of", "2026-11-23").stdout
    monkeypatch.setenv("FOLLOWUP_LANG", "en")
    assert "Due" in invoke("due", path, "--as-of", "2026-11-23").stdout
    assert "应访日期" in invoke("due", path, "--as-of", "2026-11-23", "--lang", "zh").stdout


def test_presets_lists_every_rule():
    result = invoke("presets", "--lang", "en")
    assert result.exit_code == 0
    for rule in ("festival_sms", "product_use", "birthday", "after_sales", "points", "dormant"):
        assert rule in result.stdout
    assert invoke("presets", "nope").exit_code == 2


def test_every_command_has_help():
    for name, command in cli.commands.items():
        result = invoke(name, "--help")
        assert result.exit_code == 0, name
        assert command.help and result.stdout.strip()


def test_a_backup_copy_of_the_customer_sheet_is_not_read_twice(tmp_path):
    from followup_cli.archive.reading import load_archive
    from tests.helpers import CUSTOMER_HEADERS, make_workbook

    rows = [CUSTOMER_HEADERS, customer("C1")]
    path = make_workbook(tmp_path / "a.xlsx", {"客户档案": rows, "客户档案(备份)": rows})
    arch = load_archive([path])
    assert [c.id for c in arch.customers] == ["C1"]
    assert invoke("check", path).exit_code == 0


def test_every_command_is_in_the_readme():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"`followup {name}" in readme, name


def test_settings_named_after_the_archive_win_over_the_folders(tmp_path):
    from followup_cli.config import load_config

    path = archive(tmp_path)
    (tmp_path / "followup.toml").write_text('preset = "sales"\n', encoding="utf-8")
    assert load_config([path]).preset == "sales"
    (tmp_path / "archive.followup.toml").write_text('preset = "property"\n', encoding="utf-8")
    assert load_config([path]).preset == "property"


def test_every_trade_sample_runs_with_its_own_settings():
    for toml in SAMPLES.glob("*.followup.toml"):
        book = toml.with_name(toml.name.replace(".followup.toml", ".xlsx"))
        result = invoke("due", book, "--as-of", "2026-11-23", "--format", "json", "-q")
        assert result.exit_code == 0, (book, result.output)
        assert json.loads(result.stdout), book


def test_a_second_column_for_a_field_is_a_warning_naming_the_one_used(tmp_path):
    from followup_cli.archive.reading import load_archive
    from tests.helpers import make_workbook

    path = make_workbook(
        tmp_path / "a.xlsx",
        {"客户档案": [["客户编号", "姓名", "电话", "手机"], ["C1", "王芳", "13800000001", "13900000002"]]},
    )
    arch = load_archive([path])
    # the field's own name (手机) beats a synonym (电话); the other gives the phone only where it is empty
    assert arch.customers[0].phone == "13900000002"
    [p] = arch.problems
    assert (p.severity, p.cell, p.code) == ("warning", "C1", "duplicate-column")
    assert "column D is used" in p.message and "使用的是 D 列" in p.text("zh")


# --- the screen: fits COLUMNS, CJK width measured, columns aligned ---


def _cells(line: str) -> list[str]:
    """A line as display cells: a Chinese character fills two."""
    from wcwidth import wcwidth

    out = []
    for ch in line:
        out += [ch] + [""] * (max(wcwidth(ch), 1) - 1)
    return out


def _check_aligned(lines: list[str], width: int) -> None:
    from followup_cli.outputs.screen import display_width

    assert lines and all(display_width(line) <= width for line in lines), max(lines, key=display_width)
    rule = lines[1]
    assert set(rule) <= {"-", " "}
    gaps = [i for i, ch in enumerate(rule) if ch == " "]
    assert len(gaps) >= 12  # seven columns: six gaps of two spaces
    for line in [lines[0], *lines[2:]]:
        cells = _cells(line)
        for i in gaps:
            if i < len(cells):
                assert cells[i] == " ", (line, i)  # nothing sits in a gap between columns


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("name", ["retail_vip_zh.xlsx", "retail_vip_en.xlsx"])
def test_due_fits_the_terminal_and_stays_aligned(width, name):
    result = CliRunner(env={"COLUMNS": str(width)}).invoke(cli, ["due", str(SAMPLES / name), "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    _check_aligned(lines, width)
    # the compact columns: date, status, name, phone, kinds, staff, reason
    assert len(lines[1].split()) == 7
    assert "…" in result.stdout  # long reasons were shortened, not wrapped


def test_wide_shows_every_column_uncut():
    result = CliRunner(env={"COLUMNS": "80"}).invoke(
        cli, ["due", str(SAMPLES / "retail_vip_zh.xlsx"), "--as-of", "2026-11-23", "--wide"]
    )
    lines = result.stdout.splitlines()
    assert len(lines[1].split()) == 11 and "任务编号" in lines[0] and "…" not in result.stdout


def test_display_width_counts_chinese_double():
    from followup_cli.outputs.screen import display_width, shorten

    assert display_width("李娜") == 4 and display_width("Li Na") == 5
    assert shorten("产品使用回访 + 积分提醒", 9) == "产品使用…" and display_width(shorten("产品使用回访", 9)) <= 9


# --- phones masked, full-phone exports journaled ---


def test_mask_phone_everywhere_in_due(tmp_path):
    path = archive(tmp_path, customers=[customer(birthday=D(1990, 11, 23))])
    for fmt in ("json", "csv", "table"):
        result = invoke("due", path, "--as-of", "2026-11-23", "--format", fmt, "--mask-phone")
        assert result.exit_code == 0, result.output
        assert "138****0001" in result.stdout and "13800000001" not in result.stdout
    assert not (tmp_path / "followup-audit.log").exists()


def test_an_export_with_full_phones_is_journaled(tmp_path):
    path = archive(tmp_path, customers=[customer(birthday=D(1990, 11, 23))])
    out = tmp_path / "due.csv"
    result = invoke("due", path, "--as-of", "2026-11-23", "-o", out)
    assert result.exit_code == 0, result.output
    line = (tmp_path / "followup-audit.log").read_text(encoding="utf-8").strip().splitlines()[-1]
    fields = line.split("\t")
    assert fields[2] == "due" and "1 row(s)" in fields[5] and str(out.resolve()) in fields[5]
    assert "followup-audit.log" in result.stderr
    masked = invoke("due", path, "--as-of", "2026-11-23", "-o", tmp_path / "m.csv", "--mask-phone")
    assert masked.exit_code == 0
    assert len((tmp_path / "followup-audit.log").read_text(encoding="utf-8").splitlines()) == 1


def test_mask_phone_keeps_three_and_four():
    from followup_cli.outputs.privacy import mask_phone

    assert mask_phone("13800000001") == "138****0001"
    assert mask_phone("138-0000-0001") == "138****0001"
    assert mask_phone("021-5555 0000") == "021****0000"
    assert mask_phone("12345") == "***45" and mask_phone(None) == ""


# --- a misspelt filter names the nearest, exit 2 ---


@pytest.mark.parametrize(
    "option, typed, nearest",
    [
        ("--staff", "林晓", "林晓雯"),
        ("--staff", "林小雯", "林晓雯"),
        ("--store", "静安", "静安店"),
        ("--kind", "birthdy", "birthday"),
    ],
)
def test_unknown_filter_value_lists_the_nearest(tmp_path, option, typed, nearest):
    from tests.helpers import CUSTOMER_HEADERS, make_workbook

    rows = [CUSTOMER_HEADERS + ["门店"], customer() + ["静安店"], customer("C2", owner="周建华") + ["徐汇店"]]
    path = make_workbook(tmp_path / "a.xlsx", {"客户档案": rows})
    result = invoke("due", path, "--as-of", "2026-11-23", option, typed, "--lang", "zh")
    assert result.exit_code == 2, result.output
    assert nearest in result.stderr and "错误：" in result.stderr and "Traceback" not in result.output
    known = invoke("due", path, "--as-of", "2026-11-23", option, nearest)
    assert known.exit_code == 0, known.output


def test_a_contact_takes_its_channel_and_day_from_its_most_important_task():
    """A points SMS overdue for long and a birthday call today are one contact: a call, today."""
    from followup_cli.outputs.due_list import group_contacts

    rows = [
        {
            "contact": "C1@2026-11-25",
            "task_id": "TP",
            "kind": "points",
            "status": "overdue",
            "channel": "sms",
            "due_date": "2024-01-05",
            "priority": 20,
            "reason": "积分 800",
        },
        {
            "contact": "C1@2026-11-25",
            "task_id": "TB",
            "kind": "birthday",
            "status": "due",
            "channel": "phone",
            "due_date": "2026-11-25",
            "priority": 80,
            "reason": "今天是客户生日",
        },
    ]
    (one,) = group_contacts(rows, "zh")
    assert one["channel"] == "phone" and one["due_date"] == "2026-11-25"
    assert one["kind"] == ["birthday", "points"] and one["task_id"] == "TB TP"
    assert one["status"] == "overdue" and one["reason"] == "今天是客户生日；积分 800"
    assert group_contacts(rows, "en")[0]["reason"] == "今天是客户生日; 积分 800"
