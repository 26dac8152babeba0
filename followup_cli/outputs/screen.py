"""Tables that fit a terminal: display width measured with wcwidth (a Chinese character takes
two columns), and the long text columns shortened with "…" until the table fits.

tabulate measures CJK width itself (it uses wcwidth when installed); this module decides
how wide each column may be before the rows are handed to tabulate.
"""

from __future__ import annotations

import re
import shutil
from typing import TYPE_CHECKING

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


def terminal_width(default: int = 80) -> int:
    """COLUMNS when set, else the terminal's width, else `default`."""
    return shutil.get_terminal_size((default, 24)).columns


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
    natural = {k: max([display_width(headers[k])] + [display_width(_flat(r.get(k))) for r in rows]) for k in keys}
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
                row[k] = shorten(_flat(r.get(k)), limit[k])
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


def _flat(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


# A run of Latin letters, digits and ASCII punctuation is kept on one line where it fits
# (with the spaces after it); any other character (a Chinese one) may end a line.
_WORD = re.compile(r"[\x21-\x7e]+ *| +|.")
_NO_LINE_START = set("，。、；：？！）》」』】”’")


def wrap_text(text: object, width: int) -> str:
    """`text` in lines of at most `width` display columns (a word longer than that is
    broken), joined by newlines: nothing is cut, as `shorten` would."""
    text = "" if text is None else " ".join(str(text).split())
    width = max(width, 1)
    lines, line, used = [], "", 0
    for token in _WORD.findall(text):
        w = display_width(token.rstrip())
        if line and used + w > width:
            carried, line = "", line.rstrip()
            while token[0] in _NO_LINE_START and len(line) > 1 and (not carried or carried[0] in _NO_LINE_START):
                carried, line = line[-1] + carried, line[:-1]  # （…）；never starts a line
            lines.append(line.rstrip())
            token = carried + token.lstrip()
            line, used = "", 0
            if not token:
                continue
        while display_width(token.rstrip()) > width:  # a word longer than a line
            head = shorten(token, width + 1)[:-1] or token[0]
            lines.append(head)
            token = token[len(head) :]
        line += token
        used += display_width(token)
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return "\n".join(lines)


def wrap_rows(
    rows: list[dict],
    columns: Sequence[tuple[str, str]],
    width: int,
    wrap: str,
    caps: dict | None = None,
    fold: tuple[str, ...] = (),
) -> list[dict]:
    """`rows` with the text of column `wrap` broken into lines so the table is at most
    `width` wide (at least 24 columns are left to it). First the `caps` columns are cut to
    their cap with "…" (a long cell value must not squeeze the message), and the `fold`
    columns are broken at their spaces when the table is too wide (a file name over its
    sheet!cell), so each takes the width of its widest word."""
    caps = caps or {}
    rows = [dict(r) for r in rows]
    for r in rows:
        for key, cap in caps.items():
            if r.get(key) is not None:
                r[key] = shorten(_flat(r.get(key)), cap)

    def widths(keys) -> int:
        return sum(
            max(
                [display_width(h) + HEADER_PAD]
                + [display_width(line) for r in rows for line in _flat(r.get(k)).split("\n")]
            )
            for k, h in columns
            if k in keys
        )

    others = [k for k, _ in columns if k != wrap]
    gaps = GAP * (len(columns) - 1)
    if width - widths(others) - gaps < 40:
        for r in rows:
            for key in fold:
                r[key] = "\n".join(_flat(r.get(key)).split(" "))
    room = max(24, width - widths(others) - gaps)
    for r in rows:
        r[wrap] = wrap_text(r.get(wrap), room)
    return rows
