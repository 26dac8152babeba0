"""`check` on a terminal fits it: the problem column is wrapped (never cut) to the
terminal's width, at 80 and 120 columns, in Chinese and English; piped or written to a file
its lines stay whole (one problem a line, for grep and scripts)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup_cli.outputs.screen import display_width, wrap_text
from tests.terminal import ROOT, SAMPLES, on_a_terminal

SAMPLE = SAMPLES / "retail_vip_zh.xlsx"


@given(st.text(alphabet=st.sampled_from(list("负责人已离职（）；abc de-f 2026,.'")), max_size=120), st.integers(8, 60))
def test_wrapped_lines_fit_and_keep_every_character(text, width):
    wrapped = wrap_text(text, width)
    assert all(display_width(line) <= width for line in wrapped.split("\n"))
    assert wrapped.replace("\n", "").replace(" ", "") == "".join(text.split())


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_fits_the_terminal_and_says_everything(tmp_path, columns, lang):
    code, screen = on_a_terminal(["check", str(SAMPLE), "--lang", lang], columns, tmp_path)
    assert code == 0, screen
    lines = screen.rstrip("\n").split("\n")
    assert len(lines) > 3
    assert max(display_width(line) for line in lines) <= columns, max(lines, key=display_width)
    piped = subprocess.run(
        [sys.executable, "-m", "followup_cli", "check", str(SAMPLE), "--lang", lang],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "FOLLOWUP_NO_CACHE": "1"},
        cwd=tmp_path,
    ).stdout
    whole = [line for line in piped.split("\n")[2:] if line.strip()]
    assert whole and max(display_width(line) for line in whole) > columns  # whole lines when piped
    # every problem's text is on the terminal, only broken into lines
    assert _problems(screen) == _problems(piped)


def _from(line: str, offset: int) -> str:
    """`line` from display column `offset` on."""
    used = 0
    for i, ch in enumerate(line):
        if used >= offset:
            return line[i:]
        used += display_width(ch)
    return ""


def _problems(table: str) -> list[str]:
    """The Problem column of each row (its lines joined), read at the column's offset."""
    lines = table.rstrip("\n").split("\n")
    header = lines[0]
    offset = display_width(header.rstrip()) - display_width(header.split()[-1])
    rows: list[str] = []
    for line in lines[2:]:
        part = _from(line, offset).strip()
        if line[:1].strip():  # a new row starts with its severity
            rows.append(part)
        elif rows:
            rows[-1] += part
    return ["".join(r.split()) for r in rows]
