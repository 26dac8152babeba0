"""The KPI report on paper, as LibreOffice prints it: A4 landscape (Letter where the locale
says so), every sheet printed, every page's text there."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from followup_cli.cli import cli

SAMPLES = Path(__file__).resolve().parents[1] / "sample_workbooks"


def test_the_report_prints_on_a4_landscape_with_every_sheet(tmp_path, soffice, monkeypatch):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    monkeypatch.delenv("FOLLOWUP_PAPER", raising=False)
    src = tmp_path / "retail_vip_zh.xlsx"
    shutil.copy(SAMPLES / src.name, src)
    out = tmp_path / "report.xlsx"
    result = CliRunner().invoke(cli, ["kpi", str(src), "--period", "2026-11", "--as-of", "2026-11-30", "-o", str(out)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert all(ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape" for ws in wb.worksheets)
    pdf = soffice(out, "pdf", tmp_path / "pdf")
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    assert len(sizes) >= len(wb.worksheets)  # every sheet prints, on pages of its own
    assert all(abs(w - 841.9) < 1 and abs(h - 595.3) < 1 for w, h in sizes)
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout.split("\f")
    assert all(p.strip() for p in pages[: len(sizes)])  # no blank page
    text = re.sub(r"\s+", "", "".join(pages))
    first = wb.worksheets[0]
    assert str(first["A1"].value).replace(" ", "") in text  # the report's title
    for ws in wb.worksheets:  # a cell of every sheet is on paper
        values = [
            str(c.value)
            for row in ws.iter_rows(min_row=1, max_row=3)
            for c in row
            if isinstance(c.value, str) and len(c.value) >= 2
        ]
        assert values and any(re.sub(r"\s+", "", v) in text for v in values), ws.title
