"""The call sheet on paper, as LibreOffice prints it: A4 (or Letter) landscape, the caller's
columns only, text at 9 pt or more, the staff member and the day in the header, page numbers
in the footer, every row's text present, one sheet per person with --by-staff."""

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
AS_OF = "2026-11-23"


def _pdftotext(pdf: Path, *args) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _pages(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


def make_sheet(tmp_path, *args, name="retail_vip_zh.xlsx"):
    src = tmp_path / name
    shutil.copy(SAMPLES / name, src)  # the journal of exports is written beside the archive
    out = tmp_path / "calls.xlsx"
    result = CliRunner().invoke(cli, ["sheet", str(src), "-o", str(out), "--as-of", AS_OF, *args])
    assert result.exit_code == 0, result.output
    return src, out


def _names_by_sheet(out: Path) -> dict[str, list[str]]:
    wb = load_workbook(out)
    found = {}
    for ws in wb.worksheets:
        if ws.title == "_followup":
            continue
        headers = [c.value for c in ws[1]]
        col = headers.index("姓名") if "姓名" in headers else headers.index("Name")
        found[ws.title] = [r[col] for r in ws.iter_rows(min_row=2, values_only=True) if r[col]]
    return found


def test_a4_landscape_the_callers_columns_and_every_row(tmp_path, soffice):
    _, out = make_sheet(tmp_path)
    pdf = soffice(out, "pdf", tmp_path / "pdf")
    pages = _pages(pdf)
    assert pages and all(abs(w - 841.9) < 1 and abs(h - 595.3) < 1 for w, h in pages)  # A4 landscape
    text = _pdftotext(pdf, "-layout")
    per_page = text.split("\f")[: len(pages)]
    for i, page in enumerate(per_page, start=1):
        assert f"第 {i} 页" in page and "回访清单 2026-11-23" in page and "回访人：全部负责人" in page
        assert "姓名" in page and "话术" in page and "备注" in page  # the header row on every page
    assert "任务编号" not in text and "最迟日期" not in text  # outside the print area
    flat = re.sub(r"\s+", "", text)
    (names,) = _names_by_sheet(out).values()
    assert len(names) > 100 and all(n in flat for n in names)  # every row printed
    assert len(pages) > 1


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_text_is_printed_at_nine_points_or_more(tmp_path, soffice, paper):
    _, out = make_sheet(tmp_path, "--paper", paper)
    pdf = soffice(out, "pdf", tmp_path / "pdf")
    bbox = _pdftotext(pdf, "-bbox", "-f", "1", "-l", "1")
    sizes = []
    for x0, x1, word in re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)<', bbox):
        if all("\u4e00" <= ch <= "\u9fff" for ch in word):  # a Chinese glyph is one em wide
            sizes.append((float(x1) - float(x0)) / len(word))
    assert len(sizes) > 50
    assert min(sizes) >= 9.0, min(sizes)


def test_by_staff_prints_each_person_on_their_own_pages(tmp_path, soffice):
    _, out = make_sheet(tmp_path, "--by-staff")
    names = _names_by_sheet(out)
    assert len(names) >= 3
    pdf = soffice(out, "pdf", tmp_path / "pdf")
    pages = _pdftotext(pdf, "-layout").split("\f")[: len(_pages(pdf))]
    owner = [re.search(r"回访人：(\S+)", p).group(1) for p in pages]
    # each person's pages come together, and a page holds one person's rows only
    assert [k for i, k in enumerate(owner) if i == 0 or owner[i - 1] != k] == list(names)
    for page, who in zip(pages, owner):
        flat = re.sub(r"\s+", "", page)
        others = [n for sheet, ns in names.items() if sheet != who for n in ns if n not in names[who]]
        assert not any(n in flat for n in others if len(n) >= 3)


def test_letter_paper(tmp_path, soffice):
    _, out = make_sheet(tmp_path, "--paper", "letter", "--lang", "en")
    pdf = soffice(out, "pdf", tmp_path / "pdf")
    assert all(abs(w - 792) < 1 and abs(h - 612) < 1 for w, h in _pages(pdf))
    text = _pdftotext(pdf, "-layout")
    assert "Page 1 of" in text and "Call sheet 2026-11-23" in text and "Script / SMS text" in text


def test_paper_follows_the_locale(monkeypatch):
    from followup_cli.outputs.paper import default_paper

    monkeypatch.delenv("FOLLOWUP_PAPER", raising=False)
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert default_paper("en") == "letter" and default_paper("zh") == "a4"
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    assert default_paper("en") == "a4"
    monkeypatch.setenv("FOLLOWUP_PAPER", "letter")
    assert default_paper("zh") == "letter"


def test_row_heights_fit_the_wrapped_text(tmp_path):
    from followup_cli.outputs.paper import LINE_PT, lines_needed

    assert lines_needed("短", 10) == 1 and lines_needed("一二三四五六七八九十" * 2, 44) == 1
    assert lines_needed("一二三四五六七八九十" * 6, 44) == 3
    assert lines_needed("a\nb\nc", 40) == 3
    _, out = make_sheet(tmp_path)
    ws = load_workbook(out).worksheets[0]
    headers = [c.value for c in ws[1]]
    script = headers.index("话术 / 短信内容")
    for r in range(2, ws.max_row + 1):
        text = ws.cell(row=r, column=script + 1).value
        if text:
            assert ws.row_dimensions[r].height >= LINE_PT * lines_needed(text, 44)


def test_mask_phone_on_the_call_sheet_and_the_journal(tmp_path):
    src, out = make_sheet(tmp_path, "--mask-phone")
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    col = [c.value for c in ws[1]].index("电话")
    phones = [r[col] for r in ws.iter_rows(min_row=2, values_only=True) if r[col]]
    assert phones and all(re.fullmatch(r"\d{3}\*{4}\d{4}", p) for p in phones)
    assert not (tmp_path / "followup-audit.log").exists()
    make_sheet(tmp_path, "--overwrite")
    rows = sum(len(v) for v in _names_by_sheet(out).values())
    log = (tmp_path / "followup-audit.log").read_text(encoding="utf-8")
    assert "\tsheet\t" in log and f" {rows} row(s)" in log and str(out.resolve()) in log
