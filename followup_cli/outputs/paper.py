"""Printing on paper: which paper (A4, or Letter where the locale says so), how tall a row
must be for its wrapped text, and header/footer text that Excel does not misread.

Row heights are estimated, since no spreadsheet program reports what it will wrap: a
column w wide (in Excel's width unit, the width of a digit of the default 11 pt font,
7 px) holds about (7w - 6) px of text; a Chinese character of a 10 pt font takes about
13.4 px (one em at 96 dpi), a Latin one about 5.2 px, and Latin text needs some 15% more
room because words wrap whole. Too tall wastes a little paper; too short hides text.
"""

from __future__ import annotations

import locale
import math
import os

from followup_cli.outputs.screen import display_width

PAPERS = {"a4": 9, "letter": 1}  # Excel's paper codes
LETTER_REGIONS = ("US", "CA", "MX", "PH", "CL", "CO", "VE")  # where Letter is the usual office paper
BODY_PT = 10  # body text size: at least 9 pt after any fit-to-width scaling (see docs/printing)
LINE_PT = 13.0  # the height of one line of 10 pt text (CJK fonts run a little taller than Latin)
MAX_ROW_PT = 409  # Excel's limit
CJK_PX, LATIN_PX = 13.4, 5.2
MIN_LINES = 2  # room to write the result by hand


def default_paper(lang: str | None = None) -> str:
    """'letter' when the locale is of a Letter country (en_US, es_MX ...), else 'a4'.

    A Chinese user is on A4 whatever the locale; FOLLOWUP_PAPER overrides."""
    env = (os.environ.get("FOLLOWUP_PAPER") or "").strip().lower()
    if env in PAPERS:
        return env
    if lang == "zh":
        return "a4"
    for var in ("LC_ALL", "LC_PAPER", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return _paper_of_locale(value)
    try:
        return _paper_of_locale(locale.getlocale()[0] or "")
    except ValueError:
        return "a4"


def _paper_of_locale(name: str) -> str:
    region = name.split(".")[0].replace("-", "_").split("_")[1:2]
    return "letter" if region and region[0].upper() in LETTER_REGIONS else "a4"


def text_px(text: str) -> float:
    """The printed width of one line of 10 pt text, in pixels: a Chinese character (two display
    cells) about 13.4 px, any other character about 5.2 px (Calibri's average)."""
    return _px(text, _cells(text))


def _cells(text: str) -> int:
    """display_width, without wcwidth's walk over the characters for printable ASCII (one cell each)."""
    return len(text) if text.isascii() and text.isprintable() else display_width(text)


def _px(text: str, cells: int) -> float:
    wide = cells - len(text)  # each wide character counts one extra cell
    return wide * CJK_PX + (len(text) - wide) * LATIN_PX


def lines_needed(text: object, width: float) -> int:
    """How many lines `text` wraps to in a column `width` wide (estimate, see above)."""
    if text is None or text == "":
        return 1
    usable = max(7 * width - 6, 7.0)
    total = 0
    for part in str(text).split("\n"):
        cells = _cells(part)
        px = _px(part, cells)
        lines = max(1, math.ceil(px / usable))
        if lines > 1 and cells < 1.5 * len(part):  # words wrap early, Chinese anywhere
            lines = max(1, math.ceil(px * 1.15 / usable))
        total += lines
    return total


def row_height(values: dict, widths: dict) -> float:
    """The height (pt) that shows every wrapped cell of a row in full."""
    lines = max((lines_needed(values.get(k), w) for k, w in widths.items()), default=1)
    return min(MAX_ROW_PT, max(lines, MIN_LINES) * LINE_PT + 3)


def header_text(text: str) -> str:
    """A literal for a page header or footer: Excel reads '&' as a code."""
    return str(text).replace("&", "&&")
