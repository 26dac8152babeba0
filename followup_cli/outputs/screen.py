"""Text on a terminal: display width measured with wcwidth (a Chinese character takes two
columns), text wrapped (`wrap_text`, never cut) or shortened with "…" (`shorten`), the
terminal's width, messages wrapped to it (`fit_lines`), and `due`'s compact list with its
long text columns shortened until the table fits (`fit_rows`). Any other table is fitted by
`outputs/screen_fit.py`, with these.

tabulate measures CJK width itself (it uses wcwidth when installed); this module decides
how wide each column may be before the rows are handed to tabulate.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from typing import IO, TYPE_CHECKING

from wcwidth import wcswidth, wcwidth

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

GAP = 2  # tabulate's "simple" format puts two spaces between columns
HEADER_PAD = 2  # and pads every header by tabulate.MIN_PADDING
ELLIPSIS = "…"


def display_width(text: str) -> int:
    text = "" if text is None else str(text)
    width = wcswidth(text)
    if width >= 0:
        return width
    return sum(max(wcwidth(ch), 0) for ch in text)  # control characters count as nothing


def shorten(text: str, width: int) -> str:
    """`text` cut to at most `width` display columns, ending in "…" when cut."""
    text = "" if text is None else " ".join(str(text).split())
    if display_width(text) <= width:
        return text
    if width <= 0:
        return ""
    out, used = [], 0
    for ch in text:
        w = max(wcwidth(ch), 0)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out).rstrip() + ELLIPSIS


def terminal_width(default: int = 80, stream: IO[str] | None = None) -> int:
    """COLUMNS when set, else the width of the terminal (stdout's, or `stream`'s), else `default`."""
    if stream is None or os.environ.get("COLUMNS"):
        return shutil.get_terminal_size((default, 24)).columns
    try:
        return os.get_terminal_size(stream.fileno()).columns or default
    except (AttributeError, ValueError, OSError):
        return default


def fit_lines(text: str, stream: IO[str]) -> str:
    """`text` with each line wrapped to the width of `stream` when it is a terminal (a
    message on stderr), else as it is: a script reading it gets whole lines. A line's indent
    (and its "- ") is kept, its wrapped lines set under its text."""
    if not on_terminal("table", None, stream):
        return text
    width = terminal_width(stream=stream)
    out = []
    for line in text.split("\n"):
        if display_width(line) <= width:
            out.append(line)
            continue
        lead = _LEAD.match(line).group()
        body = wrap_text(line[len(lead) :], max(width - len(lead), 16)).split("\n")
        out += [lead + body[0]] + [" " * len(lead) + rest for rest in body[1:]]
    return "\n".join(out)


_LEAD = re.compile(r" *(?:- )?")


def fit_rows(
    rows: list[dict],
    columns: Sequence[tuple[str, str]],
    width: int,
    shrink: tuple[str, ...],
    caps: dict | None = None,
    minimum: int = 6,
) -> tuple[list[dict], list[tuple[str, str]]]:
    """(rows, columns) with text columns cut so the table is at most `width` wide.

    First the columns in `caps` are held to their cap (a long list of kinds must not push
    the reason off the screen); then the `shrink` columns are cut in the order given (the
    first one gives up room first, down to its header's width or `minimum`). When even that
    does not fit, the widest column is cut until it does: a line never runs past `width`.
    """
    keys = [k for k, _ in columns]
    headers = dict(columns)
    natural = {k: max([display_width(headers[k])] + [display_width(cell_text(r.get(k))) for r in rows]) for k in keys}
    limit = dict(natural)

    def total() -> int:  # tabulate makes a column at least its header + MIN_PADDING wide
        return sum(max(limit[k], display_width(headers[k]) + HEADER_PAD) for k in keys) + GAP * (len(keys) - 1)

    for key, cap in (caps or {}).items():
        if key in limit and total() > width:
            limit[key] = max(min(limit[key], cap), min(limit[key], display_width(headers[key])))
    for key in shrink:
        if key not in limit or total() <= width:
            continue
        floor = max(display_width(headers[key]) + HEADER_PAD, minimum)
        limit[key] = max(floor, limit[key] - (total() - width))
    cuttable = [k for k in keys if k in shrink] or keys  # dates and phones are cut last
    while total() > width and any(limit[k] > 2 for k in keys):
        if all(limit[k] <= 4 for k in cuttable):
            cuttable = keys
        widest = max(cuttable, key=lambda k: limit[k])
        limit[widest] -= 1
        if display_width(headers[widest]) + HEADER_PAD > limit[widest]:  # the header too
            headers[widest] = shorten(headers[widest], max(limit[widest] - HEADER_PAD, 1))
    out = []
    for r in rows:
        row = dict(r)
        for k in keys:
            if limit[k] < natural[k]:
                row[k] = shorten(cell_text(r.get(k)), limit[k])
        out.append(row)
    return out, [(k, headers[k]) for k in keys]


def short_dates(rows: list[dict], keys: Iterable[str], year: int) -> list[dict]:
    """Dates of `year` as MM-DD (the year is in the summary line), others as YYYY-MM-DD."""
    import datetime as dt

    out = []
    for r in rows:
        row = dict(r)
        for k in keys:
            v = row.get(k)
            if isinstance(v, dt.date) and v.year == year:
                row[k] = v.strftime("%m-%d")
        out.append(row)
    return out


def cell_text(value: object) -> str:
    """A cell as text: None is empty, a list its items joined by commas."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


# A run of Latin letters, digits and ASCII punctuation is kept on one line where it fits
# (with the spaces after it); any other character (a Chinese one) may end a line.
_WORD = re.compile(r"[\x21-\x7e]+ *| +|.")
_NO_LINE_START = set("，。、；：？！）》」』】”’")
_NO_LINE_END = set("(（《「『【“‘")
_LAST_WORD = re.compile(r"[0-9A-Za-z_]+\Z")


def wrap_text(text: object, width: int, break_words: bool = True) -> str:
    """`text` in lines of at most `width` display columns (a word longer than that is
    broken, unless `break_words` is false: then its line is wider), joined by newlines:
    nothing is cut, as `shorten` would."""
    text = "" if text is None else " ".join(str(text).split())
    width = max(width, 1)
    lines, line, used = [], "", 0
    for token in _WORD.findall(text):
        w = display_width(token.rstrip())
        if line and used + w > width:
            carried, line = "", line.rstrip()
            while token[0] in _NO_LINE_START and len(line) > 1 and (not carried or carried[0] in _NO_LINE_START):
                word = _LAST_WORD.search(line)  # （…）；never starts a line, and a word goes whole
                size = len(word.group()) if word and len(word.group()) < len(line) else 1
                carried, line = line[-size:] + carried, line[:-size]
            while line[-1:] in _NO_LINE_END and len(line.rstrip()) > 1:
                carried, line = line[-1] + carried, line[:-1]  # nor does （ end one
            lines.append(line.rstrip())
            token = carried + token.lstrip()
            line, used = "", 0
            if not token:
                continue
        while break_words and display_width(token.rstrip()) > width:  # a word longer than a line
            head = shorten(token, width + 1)[:-1] or token[0]
            lines.append(head)
            token = token[len(head) :]
        line += token
        used += display_width(token)
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return "\n".join(lines)


def fold_text(text: object, width: int) -> str:
    """`text` broken at its spaces only, into lines of about `width` (a word is never broken:
    a line is as wide as its longest word when that is wider)."""
    lines: list[str] = []
    for word in cell_text(text).split(" "):
        if lines and display_width(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def on_terminal(fmt: str, output: object = None, stream: object = None) -> bool:
    """A table for a person's eyes: table format, no -o file, and stdout (or `stream`) a terminal."""
    if fmt != "table" or (output and str(output) != "-"):
        return False
    stream = stream if stream is not None else sys.stdout
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
