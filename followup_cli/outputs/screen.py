"""Tables that fit a terminal: display width measured with wcwidth (a Chinese character takes
two columns), and the long text columns shortened with "…" until the table fits.

tabulate measures CJK width itself (it uses wcwidth when installed); this module decides
how wide each column may be before the rows are handed to tabulate.
"""

from __future__ import annotations

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
