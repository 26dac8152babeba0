"""`followup kpi` and `followup audit` through the CLI: formats, options, exit codes, messages."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from followup_cli.cli import cli
from tests.kpi_fixtures import MAIN_CUSTOMERS, main_archive

SAMPLES = Path(__file__).resolve().parents[1] / "sample_workbooks"
PHONES = [c[3] for c in MAIN_CUSTOMERS]


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def kpi_json(path, *args):
    result = invoke("kpi", path, "--period", "2026-11", "--as-of", "2026-12-05", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def shop(rows):
    return {r["kpi"]: r for r in rows if r["group_by"] == ""}


def test_table_prints_every_kpi_with_numerator_and_denominator(tmp_path):
    path = main_archive(tmp_path)
    result = invoke("kpi", path, "--period", "2026-11", "--as-of", "2026-12-05")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("2026-11（2026-11-01 至 2026-11-30）")
    sat = [line for line in out.splitlines() if "客户满意度" in line][0].split()
    assert sat[-3:] == ["20.0%", "1", "5"]  # satisfied customers / visited customers
    done = [line for line in out.splitlines() if "回访完成率（任务）" in line][0].split()
    assert done[-3:] == ["60.0%", "3", "5"]
    # The task statuses behind the completion rate, on stderr.
    assert "到期任务 5 项 = 已完成 3（其中期末后完成 1） + 未完成 1 + 已过期未访 1" in result.stderr
    assert not any(p in out for p in PHONES)


def test_explain_adds_definitions(tmp_path):
    result = invoke("kpi", main_archive(tmp_path), "--period", "2026-11", "--as-of", "2026-12-05", "--explain")
    assert result.exit_code == 0
    assert "口径" in result.stdout and "（非常满意 + 满意）的客户 / 本期回访到的客户" in result.stdout


def test_json_rows(tmp_path):
    rows = kpi_json(main_archive(tmp_path))
    s = shop(rows)
    assert (s["satisfaction"]["value"], s["satisfaction"]["numerator"], s["satisfaction"]["denominator"]) == (
        20.0,
        1,
        5,
    )
    assert (s["rated_share"]["numerator"], s["rated_share"]["denominator"]) == (3, 5)
    assert s["completion_customers"]["unit"] == "%" and s["median_days"]["unit"] == "days"
    assert s["accuracy"]["label"] == "回访记录准确率"
    status = {r["group"]: r["value"] for r in rows if r["group_by"] == "status" and r["section"] == "completion"}
    assert status == {
        "done": 3,
        "done_after_period": 1,
        "open": 1,
        "missed": 1,
        "unreachable": 0,
        "upcoming": 0,
        "left_out_cap": 0,
        "left_out_gap": 0,
        "left_out_do_not_contact": 1,
    }
    assert "project_visits" not in s and "vip_spend" in s  # no projects: the rows cannot apply; purchases: they can


def test_json_by_staff_has_ranks_and_bands(tmp_path):
    rows = kpi_json(main_archive(tmp_path), "--by", "staff", "--lang", "en")
    ranks = {r["group"]: r["value"] for r in rows if r["kpi"] == "rank"}
    bands = {r["group"]: r["value"] for r in rows if r["kpi"] == "band"}
    assert ranks == {"林晓雯": 1, "陈雅琪": 2}
    assert bands == {"林晓雯": "too few to rate", "陈雅琪": "too few to rate"}  # 2 rated visits each, fewer than 5
    sat = {
        r["group"]: (r["numerator"], r["denominator"])
        for r in rows
        if r["group_by"] == "staff" and r["kpi"] == "satisfaction"
    }
    assert sat == {"林晓雯": (1, 1), "陈雅琪": (0, 4)}


def test_table_by_staff_is_ranked(tmp_path):
    path = main_archive(tmp_path, toml="[kpi]\nmin_rated_visits = 2\n")
    result = invoke("kpi", path, "--period", "2026-11", "--as-of", "2026-12-05", "--by", "staff")
    assert result.exit_code == 0
    out = result.stdout
    assert "按员工（按满意度排名）" in out
    first, second = out.index("林晓雯"), out.index("陈雅琪")
    assert first < second
    lin = [line for line in out.splitlines() if line.startswith("1 ") and "林晓雯" in line][0]
    assert "100.0% (3/3)" in lin and "100.0% (1/1)" in lin and "优秀：发放质量奖金" in lin


@pytest.mark.parametrize(
    "by, key", [("store", "南京路店"), ("kind", "产品使用回访"), ("month", "2026-11"), ("quarter", "2026-Q4")]
)
def test_other_breakdowns(tmp_path, by, key):
    result = invoke("kpi", main_archive(tmp_path), "--period", "2026-11", "--as-of", "2026-12-05", "--by", by)
    assert result.exit_code == 0, result.output
    assert key in result.stdout


def test_csv_file_has_a_bom_and_headers_in_the_workbook_language(tmp_path):
    out = tmp_path / "kpi.csv"
    result = invoke("kpi", main_archive(tmp_path), "--period", "2026-11", "--as-of", "2026-12-05", "-o", out)
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    sat = [r for r in rows if r["指标编号"] == "satisfaction" and r["分组方式"] == ""][0]
    assert (sat["数值"], sat["分子"], sat["分母"]) == ("20.0", "1", "5")


def test_english(tmp_path):
    result = invoke("kpi", main_archive(tmp_path), "--period", "2026-11", "--as-of", "2026-12-05", "--lang", "en")
    assert result.exit_code == 0
    assert "Satisfaction rate" in result.stdout and "2026-11 (2026-11-01 to 2026-11-30)" in result.stdout
    assert "5 task(s) due = 3 done (1 of them after the period)" in result.stderr


def test_from_to(tmp_path):
    result = invoke(
        "kpi",
        main_archive(tmp_path),
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-10",
        "--as-of",
        "2026-12-05",
        "--format",
        "json",
    )
    assert result.exit_code == 0
    s = shop(json.loads(result.stdout))
    assert (s["completion_tasks"]["numerator"], s["completion_tasks"]["denominator"]) == (1, 2)


def test_period_in_progress_says_what_is_not_yet_due(tmp_path):
    result = invoke("kpi", main_archive(tmp_path), "--period", "2026-11", "--as-of", "2026-11-20")
    assert result.exit_code == 0
    assert "数据截至 2026-11-20" in result.stdout
    assert "另有 1 项在 2026-11-20 之后到期，不计入" in result.stderr


def test_season(tmp_path):
    path = main_archive(tmp_path)
    plain = invoke("kpi", path, "--period", "2026-11", "--as-of", "2026-12-05")
    assert "客户意见与建议" not in plain.stdout
    season = invoke("kpi", path, "--period", "2026-11", "--as-of", "2026-12-05", "--season")
    assert (
        "季节反馈：问题类别" in season.stdout
        and "希望多些大码" in season.stdout
        and "客户建议周末延长营业" in season.stdout
    )
    dec = invoke("kpi", path, "--period", "2026-12", "--as-of", "2026-12-31")
    assert dec.exit_code == 0 and "季节反馈" in dec.stdout
    assert "季节反馈" not in invoke("kpi", path, "--period", "2026-12", "--as-of", "2026-12-31", "--no-season").stdout


def test_report_workbook(tmp_path):
    out = tmp_path / "out" / "report.xlsx"
    result = invoke("kpi", main_archive(tmp_path), "--period", "2026-11", "--as-of", "2026-12-05", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "已写入报告" in result.stderr
    wb = load_workbook(out)
    assert wb.sheetnames == ["汇总", "员工排名", "月度趋势", "问题清单", "投诉汇总"]
    assert [r[1] for r in wb["员工排名"].iter_rows(min_row=2, values_only=True)] == ["林晓雯", "陈雅琪"]
    assert [r[0] for r in wb["月度趋势"].iter_rows(min_row=2, values_only=True)][-1] == "2026-11"
    assert sum(len(ws._charts) for ws in wb.worksheets) == 4
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            assert not any(p in str(v) for v in row for p in PHONES)


def test_report_with_a_breakdown_by_store(tmp_path):
    out = tmp_path / "store.xlsx"
    result = invoke(
        "kpi", main_archive(tmp_path), "--period", "2026-11", "--as-of", "2026-12-05", "--by", "store", "-o", out
    )
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert "按门店" in wb.sheetnames
    rows = {r[0]: r for r in wb["按门店"].iter_rows(min_row=2, values_only=True)}
    assert rows["南京路店"][1:3] == (3, 1) and rows["淮海路店"][1:3] == (2, 0)


def test_report_of_a_quarter_uses_its_own_months(tmp_path):
    out = tmp_path / "q.xlsx"
    result = invoke(
        "kpi",
        main_archive(tmp_path),
        "--period",
        "2026-Q4",
        "--as-of",
        "2026-12-31",
        "--lang",
        "en",
        "--format",
        "xlsx",
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert [r[0] for r in wb["Monthly trend"].iter_rows(min_row=2, values_only=True)] == [
        "2026-10",
        "2026-11",
        "2026-12",
    ]
    assert "Seasonal feedback" not in wb.sheetnames  # a quarter is not a season month


@pytest.mark.parametrize(
    "args, message",
    [
        ((), "which period?"),
        (("--period", "2026-11", "--from", "2026-11-01"), "either --period or --from/--to"),
        (("--from", "2026-11-01"), "--from and --to go together"),
        (("--period", "Nov"), "'Nov' is not a period"),
        (("--from", "2026-11-05", "--to", "2026-11-01"), "ends (2026-11-01) before it starts"),
        (("--period", "2027-01", "--as-of", "2026-12-05"), "starts after the as-of date"),
        (("--period", "2026-11", "--as-of", "yesterday"), "'yesterday' is not a date"),
        (("--period", "2026-11", "--by", "colour"), "'colour' is not one of"),
        (("--period", "2026-11", "--format", "xlsx"), "--format xlsx needs -o"),
    ],
)
def test_usage_errors_exit_2(tmp_path, args, message):
    result = invoke("kpi", main_archive(tmp_path), *args, "--lang", "en")  # a Chinese archive: English asked for
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_archive_exits_2(tmp_path):
    result = invoke("kpi", tmp_path / "nope.xlsx", "--period", "2026-11")
    assert result.exit_code == 2 and "file not found" in result.output


def test_bad_kpi_config_exits_2(tmp_path):
    path = main_archive(tmp_path, toml="[kpi]\nbands = [{ over = 90, min = 70 }]\n")
    result = invoke("kpi", path, "--period", "2026-11", "--as-of", "2026-12-05")
    assert result.exit_code == 2  # a Chinese archive: the message is in Chinese
    assert "[kpi] bands 第 1 项" in result.output and "followup.toml" in result.output
    result = invoke("kpi", path, "--period", "2026-11", "--as-of", "2026-12-05", "--lang", "en")
    assert result.exit_code == 2
    assert "[kpi] bands, entry 1" in result.output and "followup.toml" in result.output


def test_bands_from_config_in_the_table(tmp_path):
    path = main_archive(
        tmp_path,
        toml="[kpi]\nmin_rated_visits = 1\n"
        'bands = [{ over = 99, zh = "满分", en = "top" }, { min = 0, zh = "其余", en = "rest" }]\n',
    )
    result = invoke("kpi", path, "--period", "2026-11", "--as-of", "2026-12-05", "--by", "staff")
    assert result.exit_code == 0
    assert "满分" in result.stdout and "其余" in result.stdout


def test_help_of_both_commands():
    for name in ("kpi", "audit"):
        result = invoke(name, "--help")
        assert result.exit_code == 0 and "--period" in result.stdout and "--as-of" in result.stdout


def test_on_the_sample_workbooks():
    for name, period in (("retail_vip_zh.xlsx", "2026-Q3"), ("retail_vip_en.xlsx", "2026-09")):
        result = invoke("kpi", SAMPLES / name, "--period", period, "--as-of", "2026-11-23", "--by", "staff", "-q")
        assert result.exit_code == 0, result.output
        assert result.stderr == ""


# ---- followup audit --------------------------------------------------------------------------


def test_audit_writes_a_reproducible_sample(tmp_path):
    path = main_archive(tmp_path)
    out1, out2 = tmp_path / "a1.xlsx", tmp_path / "a2.xlsx"
    r1 = invoke("audit", path, "--period", "2026-11", "--as-of", "2026-12-05", "--rate", "50%", "-o", out1)
    r2 = invoke("audit", path, "--period", "2026-11", "--as-of", "2026-12-05", "--rate", "50%", "-o", out2)
    assert r1.exit_code == 0, r1.output
    assert r2.exit_code == 0, r2.output
    # November's visits: 林晓雯 V1, V2, V8; 陈雅琪 V3, V4, V5, V9, V10. Half of each, rounded up: 2 + 3.
    assert "8 条回访记录，按 50.0% 抽取 5 条" in r1.stderr
    rows1 = [r for r in load_workbook(out1)["抽查"].iter_rows(min_row=2, values_only=True) if r[1]]
    rows2 = [r for r in load_workbook(out2)["抽查"].iter_rows(min_row=2, values_only=True) if r[1]]
    assert [r[0] for r in rows1] == [r[0] for r in rows2] and len(rows1) == 5


@pytest.mark.parametrize(
    "args, message",
    [
        (("--period", "2026-11", "--rate", "0%", "-o", "a.xlsx"), "more than 0%"),
        (("--period", "2026-11", "--rate", "lots", "-o", "a.xlsx"), "is not a share"),
        (("--period", "2026-11", "-o", "a.csv"), "name it .xlsx"),
        (("--period", "2026-11"), "Missing option '-o'"),
    ],
)
def test_audit_usage_errors(tmp_path, args, message):
    result = invoke("audit", main_archive(tmp_path), "--as-of", "2026-12-05", *args, "--lang", "en")
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_docs_cover_every_option():
    import re

    text = (Path(__file__).resolve().parents[1] / "docs" / "kpi.md").read_text(encoding="utf-8")
    for name in ("kpi", "audit"):
        result = invoke(name, "--help")
        options = set(re.findall(r"(--[a-z][a-z-]+)", result.stdout)) - {"--help"}
        missing = sorted(o for o in options if o not in text)
        assert not missing, f"docs/kpi.md does not mention {missing} of followup {name}"


def test_a_week_through_the_cli_with_the_weekly_deadline(tmp_path):
    path = main_archive(tmp_path, toml='[kpi]\nweekly_report_due = "sunday 17:00"\n')
    result = invoke("kpi", path, "--period", "2026-W47", "--as-of", "2026-12-05")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("2026-W47（2026-11-16 至 2026-11-22）")
    assert "周报截止 2026-11-22 17:00（周日）" in result.stdout
    assert "投诉与工单汇总" in result.stdout  # TK3 was opened on 11-18
    en = invoke("kpi", path, "--period", "2026-W47", "--as-of", "2026-12-05", "--lang", "en", "--format", "json")
    rows = json.loads(en.stdout)
    assert {(r["group_by"], r["group"], r["value"]) for r in rows if r["section"] == "complaints"} >= {
        ("type", "repair", 1),
        ("status", "closed", 1),
    }
    bad = invoke("kpi", path, "--period", "2027-W53", "--as-of", "2027-12-31")
    assert bad.exit_code == 2 and "2027" in bad.output and "Traceback" not in bad.output
