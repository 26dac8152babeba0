"""`followup history` and `followup sms` on the sample archives."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_cli.archive.reading import load_archive
from followup_cli.cli import cli
from tests.helpers import CUSTOMER_HEADERS, customer, make_workbook

SAMPLES = Path(__file__).resolve().parents[1] / "sample_workbooks"
AS_OF = "2026-11-23"


def run(*args, env=None):
    return CliRunner(env=env or {}).invoke(cli, [str(a) for a in args])


@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "retail_vip_zh.xlsx"
    shutil.copy(SAMPLES / path.name, path)
    return path


def _busiest(path):
    arch = load_archive([path])
    counts = {}
    for v in arch.visits:
        counts[v.customer_id] = counts.get(v.customer_id, 0) + 1
    cid = max(counts, key=counts.get)
    return next(c for c in arch.customers if c.id == cid), arch


def test_history_by_id_phone_and_name_agree(sample):
    cust, arch = _busiest(sample)
    outs = [run("history", sample, q, "--as-of", AS_OF, "--format", "json") for q in (cust.id, cust.phone, cust.name)]
    assert all(o.exit_code == 0 for o in outs), outs[0].output
    data = [json.loads(o.stdout) for o in outs]
    assert data[0] == data[1] == data[2] or sum(1 for c in arch.customers if c.name == cust.name) > 1
    d = data[0]
    assert d["customer"]["id"] == cust.id and d["customer"]["phone"] == cust.phone
    visits = [v for v in arch.visits if v.customer_id == cust.id and v.date.date() <= dt.date(2026, 11, 23)]
    assert len(d["visits"]) == len(visits) and len(visits) >= 2
    dates = [v["date"] for v in d["visits"]]
    assert dates == sorted(dates, reverse=True)  # newest first
    purchases = [p for p in arch.purchases if p.customer_id == cust.id and p.date <= dt.date(2026, 11, 23)]
    assert len(d["purchases"]) == len(purchases)
    assert set(d) == {"customer", "purchases", "tickets", "visits", "open_issues", "upcoming"}


def test_history_table_shows_every_section_in_the_archives_language(sample):
    cust, _ = _busiest(sample)
    out = run("history", sample, cust.id, "--as-of", AS_OF)
    assert out.exit_code == 0, out.output
    for title in ("客户卡片", "消费记录", "售后工单", "回访记录", "未解决的问题", "待办任务"):
        assert title in out.stdout
    assert cust.name in out.stdout and "T00:00:00" not in out.stdout and "Birthday(" not in out.stdout


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_birthday_with_its_year_keeps_the_year_in_either_language(sample, lang):
    arch = load_archive([sample])
    cust = next(c for c in arch.customers if c.birthday and c.birthday.year and not c.birthday.lunar)
    out = run("history", sample, cust.id, "--as-of", AS_OF, "--lang", lang)
    assert out.exit_code == 0, out.output
    b = cust.birthday
    line = next(line for line in out.stdout.splitlines() if line.startswith(("生日", "Birthday")))
    shown = (
        f"{b.year}年{b.month}月{b.day}日" if lang == "zh" else f"{dt.date(2000, b.month, b.day):%b} {b.day}, {b.year}"
    )
    assert line.split(None, 1)[1].strip() == shown, line


def test_history_upcoming_tasks_match_due(sample):
    due = json.loads(run("due", sample, "--as-of", AS_OF, "--format", "json", "--ahead", "30").stdout)
    cid = due[0]["customer_id"]
    hist = json.loads(run("history", sample, cid, "--as-of", AS_OF, "--format", "json").stdout)
    assert {t["task_id"] for t in hist["upcoming"]} == {r["task_id"] for r in due if r["customer_id"] == cid}


def test_history_unknown_or_ambiguous_customer(tmp_path):
    rows = [
        CUSTOMER_HEADERS,
        customer("C1", "王芳"),
        customer("C2", "王芳", phone="13800000002"),
        customer("C3", "李雷", phone="13800000003"),
    ]
    path = make_workbook(tmp_path / "a.xlsx", {"客户档案": rows})
    same = run("history", path, "王芳", "--lang", "zh")
    assert same.exit_code == 2 and "C1" in same.stderr and "C2" in same.stderr and same.stderr.startswith("错误：")
    typo = run("history", path, "李蕾", "--lang", "zh")
    assert typo.exit_code == 2 and "李雷" in typo.stderr
    assert run("history", path, "138-0000-0003", "--format", "json").exit_code == 0
    masked = json.loads(run("history", path, "C3", "--format", "json", "--mask-phone").stdout)
    assert masked["customer"]["phone"] == "138****0003"


def _batch(path, *args):
    out = path.parent / "batch.csv"
    result = run("sms", path, "--as-of", *args, "-o", out)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))), result


def test_sms_batch_of_a_festival_day(sample):
    # 2026-09-25 is the Mid-Autumn Festival: festival SMS to everyone who may be contacted
    rows, result = _batch(sample, "2026-09-25")
    arch = load_archive([sample])
    festival = [r for r in rows if r["回访类型"] == "节日问候"]
    assert festival and all(r["festival"] == "中秋节" and "中秋节" in r["短信内容"] for r in festival)
    dnc = {c.id for c in arch.customers if c.do_not_contact}
    assert dnc and not dnc & {r["客户编号"] for r in rows}  # opt-outs honoured
    assert all(len(r["手机号"]) == 11 and r["手机号"].startswith("1") for r in rows)
    assert all(r["salutation"] and r["短信内容"].startswith(r["salutation"]) for r in rows)
    assert "followup-audit.log" in result.stderr
    log = (sample.parent / "followup-audit.log").read_text(encoding="utf-8")
    assert f"{len(rows)} row(s)" in log and "\tsms\t" in log


def test_wechat_is_a_channel_of_its_own(tmp_path):
    rows = [
        CUSTOMER_HEADERS + ["偏好渠道"],
        customer("C1", birthday=dt.date(1990, 11, 23), points=900) + ["微信"],
        customer("C2", "李雷", gender="男", phone="13800000002", points=900) + ["短信"],
        customer("C3", "张伟", gender="男", phone="021-55550000", points=900) + [None],
    ]
    path = make_workbook(tmp_path / "a.xlsx", {"客户档案": rows})
    sms_rows, result = _batch(path, "2026-11-23", "--explain")
    assert {r["客户编号"] for r in sms_rows} == {"C2"}
    assert "C3" in result.stderr and "没有手机号" in result.stderr  # a landline gets no SMS
    out = tmp_path / "wx.csv"
    assert run("sms", path, "--as-of", "2026-11-23", "--channel", "wechat", "-o", out).exit_code == 0
    wx = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert {r["客户编号"] for r in wx} == {"C1"}
    masked = run("sms", path, "--as-of", "2026-11-23", "--mask-phone")
    assert "138****0002" in masked.stdout and "13800000002" not in masked.stdout


def test_the_audit_sheet_masks_phones_and_journals_full_ones(sample):
    from openpyxl import load_workbook

    out = sample.parent / "audit.xlsx"
    result = run("audit", sample, "--period", "2026", "--as-of", AS_OF, "-o", out, "--mask-phone")
    assert result.exit_code == 0, result.output
    ws = load_workbook(out).worksheets[0]
    col = [c.value for c in ws[1]].index("电话")
    phones = [r[col] for r in ws.iter_rows(min_row=2, values_only=True) if r[col]]
    assert phones and all("****" in p for p in phones)
    assert not (sample.parent / "followup-audit.log").exists()
    out.unlink()
    assert run("audit", sample, "--period", "2026", "--as-of", AS_OF, "-o", out).exit_code == 0
    assert "\taudit\t" in (sample.parent / "followup-audit.log").read_text(encoding="utf-8")
