"""Golden workbooks for Excel quirks (tests/fixtures/quirks/): each is read as its
hand-written expectation beside it says."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_cli.archive.reading import load_archive
from followup_cli.cli import cli

QUIRKS = Path(__file__).resolve().parent / "fixtures" / "quirks"
CASES = sorted(p.name.removesuffix(".expected.json") for p in QUIRKS.glob("*.expected.json"))


def _plain(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "month") and hasattr(value, "day") and hasattr(value, "lunar"):  # a Birthday
        year = getattr(value, "year", None)
        return f"{year:04d}-{value.month:02d}-{value.day:02d}" if year else f"--{value.month:02d}-{value.day:02d}"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def test_there_is_a_golden_workbook_for_every_expectation():
    assert len(CASES) >= 8
    for name in CASES:
        assert (QUIRKS / f"{name}.xlsx").is_file(), name


@pytest.mark.parametrize("name", CASES)
def test_quirk_is_read_as_expected(name):
    expected = json.loads((QUIRKS / f"{name}.expected.json").read_text(encoding="utf-8"))
    archive = load_archive([QUIRKS / f"{name}.xlsx"])
    sheets = [{"sheet": s.sheet, "role": s.role, "header_row": s.header_row} for s in archive.sources]
    assert sheets == expected["sheets"], expected["why"]
    got = []
    for c in archive.customers:
        want = expected["customers"][len(got)] if len(got) < len(expected["customers"]) else {}
        got.append({k: (_plain(getattr(c, k, None)) if k != "row" else c.row) for k in want})
    assert got == expected["customers"], expected["why"]


@pytest.mark.parametrize("name", CASES)
def test_quirk_passes_check_and_due(name):
    path = QUIRKS / f"{name}.xlsx"
    runner = CliRunner()
    checked = runner.invoke(cli, ["check", str(path), "--as-of", "2026-11-23", "--format", "json"])
    assert checked.exit_code in (0, 1) and "Traceback" not in checked.output, checked.output
    errors = [p for p in json.loads(checked.stdout) if p["severity"] == "error"]
    assert errors == [], errors
    due = runner.invoke(cli, ["due", str(path), "--as-of", "2026-11-23", "--format", "json", "-q"])
    assert due.exit_code == 0, due.output
