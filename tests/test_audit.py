"""The spot-check sample: reproducible draws, the workbook to fill in, reading verdicts back,
and verdicts stored in the archive's 抽查记录 sheet becoming record accuracy."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from followup_cli.archive.reading import load_archive
from followup_cli.config import load_config
from followup_cli.errors import UnreadableFile, UsageProblem
from followup_cli.kpi import parse_period
from followup_cli.outputs.audit_sheet import (
    META_SHEET,
    SHEET_KIND,
    draw_sample,
    is_audit_workbook,
    parse_rate,
    read_audit_verdicts,
    write_audit_workbook,
)
from tests.helpers import make_workbook
from tests.kpi_fixtures import (
    AUDIT_HEADERS,
    CUSTOMER_HEADERS,
    VISIT_HEADERS,
    cust,
    main_archive,
    nd,
    run,
    visit,
)

D = dt.date
NOV = parse_period("2026-11")


def big_archive(tmp_path, october=0, name="big.xlsx"):
    """40 November visits by 林晓雯 (30) and 陈雅琪 (10), plus `october` October visits."""
    customers = [cust(f"C{i}", "林晓雯") for i in range(1, 41)]
    visits = []
    for i in range(1, 41):
        staff = "林晓雯" if i <= 30 else "陈雅琪"
        visits.append(visit(f"V{i}", f"C{i}", D(2026, 11, 1 + i % 30), "产品使用回访", staff, sat="满意"))
    for i in range(october):
        visits.append(visit(f"X{i}", "C1", D(2026, 10, 1 + i % 30), "产品使用回访", "林晓雯"))
    sheets = {"客户档案": [CUSTOMER_HEADERS] + customers, "回访记录": [VISIT_HEADERS] + visits}
    return make_workbook(tmp_path / name, sheets)


def archive_of(path):
    return load_archive([path], load_config([path]))


@pytest.mark.parametrize(
    "text, fraction", [("5%", 0.05), ("5", 0.05), ("0.05", 0.05), ("12.5%", 0.125), ("100%", 1.0), ("5％", 0.05)]
)
def test_parse_rate(text, fraction):
    assert parse_rate(text) == pytest.approx(fraction)


@pytest.mark.parametrize("text", ["0", "0%", "150%", "-5%", "five", ""])
def test_bad_rates(text):
    with pytest.raises(UsageProblem):
        parse_rate(text)


def test_sample_per_staff_rounded_up(tmp_path):
    s = draw_sample(archive_of(big_archive(tmp_path)), NOV, D(2026, 12, 5), 0.10)
    # 30 visits → 3, 10 visits → 1.
    assert s.population == 40 and s.by_staff == {"林晓雯": (30, 3), "陈雅琪": (10, 1)}
    assert len(s.rows) == 4
    assert [r["date"] for r in s.rows] == sorted(r["date"] for r in s.rows)
    tiny = draw_sample(archive_of(big_archive(tmp_path)), NOV, D(2026, 12, 5), 0.01)
    assert tiny.by_staff == {"林晓雯": (30, 1), "陈雅琪": (10, 1)}  # everyone with visits is checked


def test_sample_is_reproducible_and_the_seed_matters(tmp_path):
    arch = archive_of(big_archive(tmp_path))
    ids = lambda s: [r["visit_id"] for r in s.rows]  # noqa: E731
    a = draw_sample(arch, NOV, D(2026, 12, 5), 0.25)
    b = draw_sample(arch, NOV, D(2026, 12, 5), 0.25)
    assert ids(a) == ids(b) and a.seed == b.seed
    seeds = {tuple(ids(draw_sample(arch, NOV, D(2026, 12, 5), 0.25, seed=n))) for n in range(5)}
    assert len(seeds) > 1
    assert ids(draw_sample(arch, NOV, D(2026, 12, 5), 0.25, seed=7)) == ids(
        draw_sample(arch, NOV, D(2026, 12, 5), 0.25, seed=7)
    )


def test_other_periods_visits_do_not_change_the_sample(tmp_path):
    a = draw_sample(archive_of(big_archive(tmp_path, october=0, name="a.xlsx")), NOV, D(2026, 12, 5), 0.2)
    b = draw_sample(archive_of(big_archive(tmp_path, october=25, name="b.xlsx")), NOV, D(2026, 12, 5), 0.2)
    assert [r["visit_id"] for r in a.rows] == [r["visit_id"] for r in b.rows]


def test_period_boundaries_and_as_of(tmp_path):
    arch = archive_of(main_archive(tmp_path))
    s = draw_sample(arch, NOV, D(2026, 12, 5), 1.0)
    # Every November visit, the one at 19:30 on the 30th included; not V6, V11 (12-02) nor V7 (10-31).
    assert sorted(r["visit_id"] for r in s.rows) == sorted(["V1", "V2", "V3", "V4", "V5", "V8", "V9", "V10"])
    assert {r["visit_id"] for r in draw_sample(arch, NOV, D(2026, 11, 9), 1.0).rows} == {"V1", "V3", "V4", "V9"}
    with pytest.raises(UsageProblem, match="starts after"):
        draw_sample(arch, parse_period("2027-01"), D(2026, 12, 5), 0.5)


def fill(path, verdicts: dict, lang="zh"):
    """Fill the audit sheet as a supervisor would: verdict, checker, date by visit id."""
    wb = load_workbook(path)
    ws = wb["抽查" if lang == "zh" else "Audit"]
    head = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        vid = row[0].value
        if vid in verdicts:
            verdict, checker, when = verdicts[vid]
            row[head.index("核查结果" if lang == "zh" else "Verdict")].value = verdict
            row[head.index("核查人" if lang == "zh" else "Checker")].value = checker
            row[head.index("核查日期" if lang == "zh" else "Checked on")].value = when
    wb.save(path)


def test_audit_workbook_layout(tmp_path):
    arch = archive_of(main_archive(tmp_path))
    out = write_audit_workbook(draw_sample(arch, NOV, D(2026, 12, 5), 1.0), tmp_path / "audit.xlsx", "zh")
    wb = load_workbook(out)
    assert wb.sheetnames == ["抽查", META_SHEET] and wb[META_SHEET].sheet_state == "hidden"
    ws = wb["抽查"]
    head = [c.value for c in ws[1]]
    assert head[:3] == ["回访编号", "原表行号", "原表位置"] and head[-4:] == [
        "核查结果",
        "核查人",
        "核查日期",
        "核查说明",
    ]
    assert [dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"] == ['"准确,不准确"']
    first = [c.value for c in ws[2]]
    assert first[0] == "V3" and first[1] == 4 and first[2] == "archive.xlsx 回访记录!4"  # V3 is 11-01, row 4
    assert first[head.index("回访类型")] == "产品使用回访" and first[head.index("满意度")] == "一般"
    assert is_audit_workbook(out) and not is_audit_workbook(main_archive(tmp_path))
    meta = {r[0]: r[1] for r in wb[META_SHEET].iter_rows(values_only=True)}
    assert meta["kind"] == SHEET_KIND and meta["period"] == "2026-11" and meta["drawn"] == 8


def test_read_verdicts_back(tmp_path):
    arch = archive_of(main_archive(tmp_path))
    out = write_audit_workbook(draw_sample(arch, NOV, D(2026, 12, 5), 1.0), tmp_path / "audit.xlsx", "zh")
    fill(
        out,
        {
            "V1": ("准确", "王主管", dt.datetime(2026, 12, 1)),
            "V3": ("不准确", "王主管", "2026/12/2"),
            "V5": ("可能吧", "王主管", dt.datetime(2026, 12, 1)),
            "V8": ("准确", None, "明天"),
        },
    )
    got = read_audit_verdicts(out)
    by_id = {g["visit_id"]: g for g in got}
    assert set(by_id) == {"V1", "V3", "V5", "V8"}  # unfilled rows are not verdicts
    assert (by_id["V1"]["verdict"], by_id["V1"]["checker"], by_id["V1"]["checked_on"], by_id["V1"]["problem"]) == (
        "accurate",
        "王主管",
        D(2026, 12, 1),
        None,
    )
    assert by_id["V3"]["verdict"] == "inaccurate" and by_id["V3"]["checked_on"] == D(2026, 12, 2)
    assert by_id["V3"]["visit_row"] == 4 and by_id["V3"]["customer_id"] == "C5"
    v5 = by_id["V5"]
    assert v5["verdict"] is None and v5["problem"].startswith(f"抽查!{v5['cell']}: '可能吧' is not a verdict")
    assert "is not a date" in by_id["V8"]["problem"]


def test_read_english_sheet_and_refuse_other_workbooks(tmp_path):
    arch = archive_of(main_archive(tmp_path))
    out = write_audit_workbook(draw_sample(arch, NOV, D(2026, 12, 5), 1.0), tmp_path / "audit-en.xlsx", "en")
    fill(out, {"V2": ("inaccurate", "Wang", dt.datetime(2026, 12, 1))}, lang="en")
    got = read_audit_verdicts(out)
    assert [(g["visit_id"], g["verdict"], g["sheet"]) for g in got] == [("V2", "inaccurate", "Audit")]
    with pytest.raises(UnreadableFile, match="no audit sheet found"):
        read_audit_verdicts(main_archive(tmp_path, audits=False))


def test_verdicts_stored_in_the_archive_become_record_accuracy(tmp_path):
    path = main_archive(tmp_path, audits=False)
    out = write_audit_workbook(draw_sample(archive_of(path), NOV, D(2026, 12, 5), 1.0), tmp_path / "audit.xlsx", "zh")
    fill(
        out,
        {
            "V1": ("准确", "王主管", dt.datetime(2026, 12, 1)),
            "V2": ("准确", "王主管", dt.datetime(2026, 12, 1)),
            "V3": ("不准确", "王主管", dt.datetime(2026, 12, 1)),
            "V9": ("准确", "王主管", dt.datetime(2026, 12, 1)),
        },
    )
    verdicts = read_audit_verdicts(out)
    # What `followup record` does with them: rows in the archive's 抽查记录 sheet.
    stored = [[v["visit_id"], v["checked_on"], v["checker"], v["verdict_text"]] for v in verdicts]
    path = main_archive(tmp_path, audits=False, extra={"抽查记录": [AUDIT_HEADERS] + stored})
    r = run(path, by=("staff",))
    assert nd(r.measures["accuracy"]) == (3, 4)
    staff = dict(r.groups["staff"])
    assert nd(staff["林晓雯"]["accuracy"]) == (2, 2) and nd(staff["陈雅琪"]["accuracy"]) == (1, 2)


def test_a_verdict_by_sheet_row_when_the_log_has_no_visit_ids(tmp_path):
    headers = [h for h in VISIT_HEADERS if h != "回访编号"]
    visits = [
        v[1:]
        for v in (
            visit("V1", "C1", D(2026, 11, 3), "产品使用回访", "林晓雯", sat="满意"),
            visit("V2", "C1", D(2026, 11, 4), "产品使用回访", "林晓雯", sat="满意"),
        )
    ]
    sheets = {
        "客户档案": [CUSTOMER_HEADERS, cust("C1", "林晓雯")],
        "回访记录": [headers] + visits,
        "抽查记录": [["原表行号", "核查日期", "核查人", "核查结果"], [3, D(2026, 12, 1), "王主管", "不准确"]],
    }
    r = run(make_workbook(tmp_path / "rows.xlsx", sheets))
    assert nd(r.measures["accuracy"]) == (0, 1)


def test_a_filled_audit_sheet_is_not_drawn_over_without_overwrite(tmp_path):
    """Like a call sheet, an audit sheet holds what a person wrote (the verdicts)."""
    from click.testing import CliRunner

    from followup_cli.cli import cli

    path = main_archive(tmp_path, audits=False)
    out = tmp_path / "audit.xlsx"
    args = ["audit", str(path), "--period", "2026-11", "--rate", "100%", "--as-of", "2026-12-05", "-o", str(out)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    fill(out, {"V1": ("准确", "王主管", dt.datetime(2026, 12, 1))})
    filled = out.read_bytes()
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 2 and "已存在；加 --overwrite 覆盖" in again.output, again.output
    assert out.read_bytes() == filled
    assert CliRunner().invoke(cli, [*args, "--overwrite"]).exit_code == 0
    assert out.read_bytes() != filled


def test_record_stores_a_filled_audit_sheet_and_kpi_counts_it(tmp_path):
    from click.testing import CliRunner

    from followup_cli.cli import cli

    path = main_archive(tmp_path, audits=False)
    out = tmp_path / "audit.xlsx"
    made = CliRunner().invoke(
        cli, ["audit", str(path), "--period", "2026-11", "--rate", "100%", "--as-of", "2026-12-05", "-o", str(out)]
    )
    assert made.exit_code == 0, made.output
    fill(
        out, {"V1": ("准确", "王主管", dt.datetime(2026, 12, 1)), "V3": ("不准确", "王主管", dt.datetime(2026, 12, 1))}
    )
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["record", str(path), str(out), "--as-of", "2026-12-05"])
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == before  # the archive has no 抽查记录 sheet: verdicts go beside it
    side = tmp_path / "archive-抽查记录.xlsx"
    stored = archive_of(path).audits
    assert sorted((a.visit_id, a.verdict, a.checked_on) for a in stored) == [
        ("V1", "准确", D(2026, 12, 1)),
        ("V3", "不准确", D(2026, 12, 1)),
    ]
    assert side.exists()
    assert nd(run(path).measures["accuracy"]) == (1, 2)
    again = CliRunner().invoke(cli, ["record", str(path), str(out), "--as-of", "2026-12-05"])
    assert again.exit_code == 0 and "已记录过" in again.output
    assert len(archive_of(path).audits) == 2


def test_record_appends_verdicts_to_the_archives_own_sheet(tmp_path):
    from click.testing import CliRunner

    from followup_cli.cli import cli

    path = main_archive(tmp_path, audits=True)
    n = len(archive_of(path).audits)
    out = write_audit_workbook(draw_sample(archive_of(path), NOV, D(2026, 12, 5), 1.0), tmp_path / "audit.xlsx", "zh")
    fill(
        out, {"V2": ("不准确", "王主管", dt.datetime(2026, 12, 2)), "V5": ("也许", "王主管", dt.datetime(2026, 12, 2))}
    )
    bad = CliRunner().invoke(cli, ["record", str(path), str(out), "--as-of", "2026-12-05"])
    assert bad.exit_code == 1 and "“也许”不是核查结果" in bad.output  # a Chinese archive: in Chinese
    english = CliRunner().invoke(cli, ["record", str(path), str(out), "--as-of", "2026-12-05", "--lang", "en"])
    assert english.exit_code == 1 and "'也许' is not a verdict" in english.output
    assert len(archive_of(path).audits) == n
    ok = CliRunner().invoke(cli, ["record", str(path), str(out), "--as-of", "2026-12-05", "--skip-invalid"])
    assert ok.exit_code == 1
    audits = archive_of(path).audits
    assert len(audits) == n + 1 and (audits[-1].visit_id, audits[-1].verdict) == ("V2", "不准确")
