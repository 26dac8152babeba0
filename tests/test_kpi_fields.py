"""`kpi` parses only the columns its figures and its replay of the policy read (kpi/fields.py).

Its output must be exactly what reading every column gives, on the samples and on a generated
archive, for several periods and breakdowns; and each column it adds to scheduling's is
needed: dropping it changes some figure, on the samples or on a small shop whose visits use
every column the KPIs read (scores, would-recommend, issues resolved on a day, notes, a
visit linked by its email alone).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_cli.archive.reading import load_archive
from followup_cli.cli import cli
from followup_cli.config import load_config
from followup_cli.kpi import KPIS
from followup_cli.kpi import fields as kpi_fields_mod
from followup_cli.policy.setup import policy_setup
from followup_cli.schedule.context import needed_fields
from tests.helpers import generated_archive, make_workbook

D = dt.date
ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "sample_workbooks").glob("*.xlsx"))
REAL_KPI_FIELDS = kpi_fields_mod.kpi_fields


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch):
    monkeypatch.setenv("FOLLOWUP_NO_CACHE", "1")  # each run reads the columns it is told to


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return generated_archive(tmp_path_factory.mktemp("generated") / "archive.xlsx", 600, 3000, 2000, 7)


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """Three customers, two years of purchases (one names its customer by email alone), and two
    follow-ups that fill every column the KPIs read."""
    path = tmp_path_factory.mktemp("shop") / "shop.xlsx"
    customers = [
        ["Customer ID", "Name", "Phone", "Tier", "Store", "Owner", "Archived on", "Email"],
        ["C1", "Li Na", "13800000001", "VIP", "North", "Zhang", D(2024, 1, 5), "li@example.com"],
        ["C2", "Wang Fang", "13800000002", "Regular", "South", "Zhao", D(2024, 2, 6), "wang@example.com"],
        ["C3", "Chen Jie", "13800000003", "Regular", "South", "Zhao", D(2026, 1, 9), "chen@example.com"],
    ]
    purchases = [
        ["Customer ID", "Email", "Date", "Amount", "Product"],
        ["C1", None, D(2025, 3, 1), 300, "Coat"],
        ["C1", None, D(2026, 3, 1), 500, "Boots"],
        ["C2", None, D(2025, 4, 2), 120, "Scarf"],
        ["C2", None, D(2026, 4, 2), 200, "Hat"],
        ["C2", None, D(2026, 6, 20), 80, "Gloves"],
        [None, "chen@example.com", D(2026, 7, 1), 90, "Socks"],
    ]
    visits = [
        [
            "Visit ID",
            "Customer ID",
            "Date",
            "Kind",
            "Staff",
            "Outcome",
            "Satisfaction",
            "Score",
            "Would recommend",
            "Issue category",
            "Issue",
            "Resolved",
            "Resolved on",
            "Notes",
            "Task ID",
        ],
        [
            "V1",
            "C1",
            D(2026, 5, 10),
            "售后回访",
            "Zhang",
            "已接通",
            "满意",
            5,
            "是",
            "质量",
            "拉链坏了",
            "是",
            D(2026, 5, 14),
            "希望周末送货",
            None,
        ],
        [
            "V2",
            "C2",
            D(2026, 6, 1),
            "沉睡唤醒",
            "Zhao",
            "已接通",
            "不满意",
            2,
            "否",
            "服务",
            "店员态度差",
            "否",
            None,
            "想要会员折扣",
            None,
        ],
    ]
    # every KPI shown, scores and would-recommend too (the default policy shows fewer)
    shown = ", ".join(f'"{k}"' for k in KPIS)
    (path.parent / "followup.toml").write_text(f"[kpi]\nshow = [{shown}]\n", encoding="utf-8")
    return make_workbook(path, {"Customers": customers, "Purchases": purchases, "Visits": visits})


def _runs(book: Path) -> list[str]:
    """kpi's output for several periods and breakdowns, as JSON and as the explained tables."""
    out = []
    for period in ("2026", "2026-Q2", "2025"):
        for by in ("staff", "store", "kind", "month"):
            out.append(_kpi(book, "--period", period, "--by", by, "--format", "json"))
        out.append(_kpi(book, "--period", period, "--by", "staff", "--explain", "--season"))
    return out


def _kpi(book: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["kpi", str(book), "--as-of", "2026-11-23", "-q", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _every_column(monkeypatch) -> None:
    monkeypatch.setattr(kpi_fields_mod, "kpi_fields", lambda policy: None)  # options.load: None = all


@pytest.mark.parametrize("book", SAMPLES, ids=lambda p: p.stem)
def test_samples_same_output_as_reading_every_column(book, monkeypatch):
    subset = _runs(book)
    _every_column(monkeypatch)
    assert _runs(book) == subset


def test_generated_and_shop_same_output_as_reading_every_column(generated, shop, monkeypatch):
    subset = [_runs(generated), _runs(shop)]
    _every_column(monkeypatch)
    assert [_runs(generated), _runs(shop)] == subset


def test_kpi_leaves_columns_unread(generated):
    """Not vacuous: the subset does leave columns out (products, channels, visit contents)."""
    config = load_config([generated])
    fields = REAL_KPI_FIELDS(policy_setup(config).policy)
    some = load_archive([generated], config, fields=fields)
    every = load_archive([generated], config)
    assert any(p.product for p in every.purchases) and not any(p.product for p in some.purchases)
    assert any(v.channel for v in every.visits) and not any(v.channel for v in some.visits)
    assert len(some.visits) == len(every.visits) and len(some.purchases) == len(every.purchases)


def _extras() -> list[tuple[str, str]]:
    """The columns kpi reads that no rule of any sample's policy makes scheduling read."""
    needs = [needed_fields(policy_setup(load_config([b])).policy) for b in SAMPLES]
    return sorted(
        (role, name)
        for role, names in kpi_fields_mod.KPI_FIELDS.items()
        for name in names
        if all(name not in need.get(role, ()) for need in needs)
    )


def test_kpi_reads_more_than_scheduling():
    assert ("visits", "satisfaction") in _extras() and ("purchases", "amount") in _extras()


@pytest.fixture(scope="module")
def shop_runs(shop):
    import os

    os.environ["FOLLOWUP_NO_CACHE"] = "1"  # module scope: the autouse fixture is not set up yet
    try:
        return _runs(shop)
    finally:
        del os.environ["FOLLOWUP_NO_CACHE"]


@pytest.mark.parametrize("role, name", _extras(), ids=lambda v: str(v))
def test_every_added_column_changes_some_figure(role, name, shop, shop_runs, monkeypatch):
    def without(policy):
        need = REAL_KPI_FIELDS(policy)
        need[role] = need[role] - {name}
        return need

    monkeypatch.setattr(kpi_fields_mod, "kpi_fields", without)
    assert _runs(shop) != shop_runs, f"dropping {role}.{name} changes no KPI"
