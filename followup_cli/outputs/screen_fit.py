"""Any table fitted to a terminal (the one way for every command but `due`'s compact list,
which is `screen.fit_rows`): `fit_table` gives the pieces, `emit_fitted` prints them or, piped
or to a file, hands the rows to outputs.rows.emit_rows unchanged. Measuring and wrapping
text is `outputs/screen.py`'s.
"""

from __future__ import annotations

import io
import re
import sys
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from followup_cli.outputs.screen import (
    GAP,
    HEADER_PAD,
    cell_text,
    display_width,
    fold_text,
    on_terminal,
    shorten,
    terminal_width,
    wrap_text,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path

# One way for every command: a table that fits is printed as it is; one that does not first
# wraps its free-text columns and breaks names at their spaces; then, when the same values
# repeat down the rows (file, sheet), they become a heading over each group; when even that
# is too wide, each record becomes a block of "header  value" lines. Nothing is ever cut but
# the `caps` columns (a cell value quoted in a message). Piped or written to a file, the
# caller does not come here and every line stays whole.

Table = tuple  # (rows, columns) for outputs.rows.emit_rows
COMFORT = 40  # a wrapped column is given this much before names are broken at their spaces


@dataclass(frozen=True)
class Fit:
    """How a table gives up width on a narrow terminal.

    wrap: free-text columns (reason, problem, notes), broken into lines, never cut;
    fold: columns broken at their spaces when room is short (a file name, a staff name);
    caps: columns cut to a width with "…" (a long quoted cell value must not squeeze the text);
    group: columns whose values repeat down the rows, shown once above each group when the
    table does not fit otherwise; below: free-text columns that, when the table does not fit
    otherwise, go under their row ("说明: …", wrapped); minimum: the least a wrapped column
    is given.
    """

    wrap: tuple[str, ...] = ()
    fold: tuple[str, ...] = ()
    caps: dict = field(default_factory=dict)
    group: tuple[str, ...] = ()
    below: tuple[str, ...] = ()
    minimum: int = 16


def column_width(rows: list[dict], key: str, header: str) -> int:
    """The width tabulate gives column `key`: its widest line, or its header's widest line + 2."""
    head = max(display_width(line) for line in header.split("\n")) + HEADER_PAD
    return max([head] + [display_width(line) for r in rows for line in cell_text(r.get(key)).split("\n")])


def table_width(rows: list[dict], columns: Sequence[tuple[str, str]]) -> int:
    """The width of the widest line tabulate's "simple" format prints for these rows."""
    return sum(column_width(rows, k, h) for k, h in columns) + GAP * (len(columns) - 1)


def fit_table(rows: list[dict], columns: Sequence[tuple[str, str]], width: int, fit: Fit) -> list[str | Table]:
    """The pieces that show `rows` on a terminal `width` wide: lines (str) and tables
    ((rows, columns), for emit_rows), every line at most `width` wide."""
    columns = list(columns)
    if table_width(rows, columns) <= width:
        return [(rows, columns)]
    fitted = _wrapped(rows, columns, width, fit, tight=False)
    if fitted is None and fit.below:  # before the free text is squeezed below COMFORT
        under = _below(rows, columns, width, fit)
        if under is not None:
            return under
    fitted = fitted or _wrapped(rows, columns, width, fit)
    if fitted is not None:
        return [fitted]
    if fit.group:
        grouped = _grouped(rows, columns, width, fit)
        if grouped is not None:
            return grouped
    return record_blocks(rows, columns, width)


BELOW_INDENT = 12  # text under a row starts below its second column when that is this near


def _below(rows: list[dict], columns: list, width: int, fit: Fit) -> list[str] | None:
    """The table without its `below` columns, each row followed by their text, labelled
    and wrapped ("说明: 1月1日"); None when that does not fit either."""
    under = [(k, h) for k, h in columns if k in fit.below]
    rest = [(k, h) for k, h in columns if k not in fit.below]
    if table_width(rows, rest) <= width:
        shown, cols = [dict(r) for r in rows], rest
    else:
        fitted = _wrapped(rows, rest, width, fit)
        if fitted is None:
            return None
        shown, cols = fitted
    indent = column_width(shown, *cols[0]) + GAP
    indent = indent if indent <= BELOW_INDENT else 4  # under the second column, or set in
    if any(width - indent - display_width(f"{h}: ") < fit.minimum for _, h in under):
        return None
    buffer = io.StringIO()
    write_pieces([(shown, cols)], buffer)
    lines = buffer.getvalue().rstrip("\n").split("\n")
    head = max(h.count("\n") for _, h in cols) + 2  # the header's lines and the rule
    out, i = lines[:head], head
    for r, original in zip(shown, rows):
        height = max(cell_text(r.get(k)).count("\n") for k, _ in cols) + 1
        out += lines[i : i + height]
        i += height
        for k, h in under:
            label = f"{h}: "
            text = cell_text(original.get(k))
            if text.strip():
                room = width - indent - display_width(label)
                first, *more = wrap_text(text, room).split("\n")
                out.append(" " * indent + label + first)
                out += [" " * (indent + display_width(label)) + line for line in more]
    return out


def _wrapped(rows: list[dict], columns: list, width: int, fit: Fit, tight: bool = True) -> Table | None:
    """The table with its `wrap` columns wrapped, or None when it cannot fit `width`.

    The ways to give up room: the wrapped columns down to COMFORT, the `fold` columns broken
    at their spaces one after the other; then (when `tight`) the wrapped columns down to
    `fit.minimum`, folding again, and the folded columns narrowed as far as it takes (down to
    a word a line). Of those that fit, the one with the fewest lines is taken (the first of
    equals); when none does, the headers are broken into two lines, one after the other."""
    rows = [dict(r) for r in rows]
    for r in rows:
        for key, cap in fit.caps.items():
            if r.get(key) is not None:
                r[key] = shorten(cell_text(r.get(key)), cap)
    wrap = [k for k, _ in columns if k in fit.wrap]
    fold = [k for k in fit.fold if k in dict(columns)]
    # a folded column keeps half its width, or its longest word
    folds = {k: (column_width(rows, k, "") + 1) // 2 for k in fold}
    steps = [(least, n, 0) for least in (COMFORT, fit.minimum)[: 1 + tight] for n in range(len(fold) + 1)]
    if tight:  # then a word a line in the folded columns, then the headers
        steps += [(fit.minimum, -1, m) for m in range(len(columns) + 1)]
    heads, order = {}, []
    best: tuple[int, Table] | None = None
    for least, n, m in steps:
        if m and best is not None:
            break  # the headers are broken only when nothing else fits
        if n >= 0:
            shown = [{**r, **{k: fold_text(r.get(k), folds[k]) for k in fold[:n]}} for r in rows]
        elif not m:
            shown = _fold_tight(rows, columns, fold, wrap, width, fit.minimum)
        if m and not order:
            heads, order = _short_headers(shown, columns, wrap)
        cols = [(k, heads[k] if k in order[:m] else h) for k, h in columns]
        others = sum(column_width(shown, k, h) for k, h in cols if k not in wrap)
        room = width - others - GAP * (len(cols) - 1)
        natural = {k: column_width(shown, k, h) for k, h in cols if k in wrap}
        share = _shares(natural, room)
        if share is None or any(
            share[k] < max(min(natural[k], least), column_width([], k, h)) for k, h in cols if k in wrap
        ):
            continue
        out = [{**r, **{k: wrap_text(r.get(k), share[k]) for k in wrap}} for r in shown]
        if table_width(out, cols) <= width:
            lines = sum(max(cell_text(r.get(k)).count("\n") for k, _ in cols) + 1 for r in out)
            if m:
                return out, cols
            if best is None or lines < best[0]:
                best = (lines, (out, cols))
    return best[1] if best else None


def _fold_tight(rows: list[dict], columns: list, fold: list[str], wrap: list[str], width: int, least: int) -> list:
    """`rows` with the `fold` columns broken at their spaces just enough for the table to fit
    `width` (the wrapped columns counted at `least`): the widest folded column gives up a
    column at a time, until it fits or no folded column can get narrower."""
    target = {k: column_width(rows, k, "") for k in fold}
    stuck: set[str] = set()

    def folded() -> list[dict]:
        return [{**r, **{k: fold_text(r.get(k), target[k]) for k in fold}} for r in rows]

    def need(shown: list[dict]) -> int:
        return sum(
            min(column_width(shown, k, h), max(least, column_width([], k, h)))
            if k in wrap
            else column_width(shown, k, h)
            for k, h in columns
        ) + GAP * (len(columns) - 1)

    shown = folded()
    while need(shown) > width and len(stuck) < len(fold):
        now = {k: column_width(shown, k, "") for k in fold if k not in stuck}
        key = max(now, key=now.get)
        target[key] = now[key] - 1
        narrower = folded()
        if column_width(narrower, key, "") >= now[key]:
            stuck.add(key)  # its longest word: it cannot give more
            target[key] = now[key]
        else:
            shown = narrower
    return shown


def _short_headers(rows: list[dict], columns: list, wrap: list[str]) -> tuple[dict[str, str], list[str]]:
    """Each header broken into lines about half its width (Chinese between characters, other
    text at its spaces), by column; and the columns, those whose header gains most first."""
    gains = []
    for k, h in columns:
        values = (
            0 if k in wrap else max([0] + [display_width(x) for r in rows for x in cell_text(r.get(k)).split("\n")])
        )
        short = wrap_text(h, max(values - HEADER_PAD, (display_width(h) + 1) // 2 + 1), break_words=False)
        gains.append((column_width(rows, k, short) - column_width(rows, k, h), k, short))
    return {k: short for _, k, short in gains}, [k for _, k, _ in sorted(gains, key=lambda g: g[0])]


def _shares(natural: dict[str, int], room: int) -> dict[str, int] | None:
    """`room` divided between the wrapped columns: a column that needs less than an even
    share keeps its width and leaves the rest to the others."""
    if not natural:
        return {} if room >= 0 else None
    share, left = {}, dict(natural)
    while left:
        even = room // len(left)
        small = {k: w for k, w in left.items() if w <= even}
        if not small:
            share.update({k: even for k in left})
            break
        for k, w in small.items():
            share[k] = w
            room -= w
            del left[k]
    return share


def _grouped(rows: list[dict], columns: list, width: int, fit: Fit) -> list[str | Table] | None:
    """A heading line per run of rows sharing the `group` columns' values, over a table of
    the other columns; None when a group's table still cannot fit."""
    heads = dict(columns)
    rest = [(k, h) for k, h in columns if k not in fit.group]
    pieces: list[str | Table] = []
    runs: list[tuple[tuple, list[dict]]] = []
    for r in rows:
        key = tuple(cell_text(r.get(k)) for k in fit.group)
        if runs and runs[-1][0] == key:
            runs[-1][1].append(r)
        else:
            runs.append((key, [r]))
    for key, members in runs:
        fitted = _wrapped(members, rest, width, fit) if table_width(members, rest) > width else (members, rest)
        if fitted is None:
            return None
        if pieces:
            pieces.append("")
        pieces += [_heading([f"{heads[k]}: {v}" for k, v in zip(fit.group, key) if v], width), fitted]
    return pieces


GROUP_SEPARATOR = "  ·  "


def _heading(parts: list[str], width: int) -> str:
    """`parts` joined by GROUP_SEPARATOR in lines of at most `width`; a line broken between
    two parts ends with the separator's dot, and a part is broken only when it is wider than
    a line by itself."""
    dot = GROUP_SEPARATOR.rstrip()
    lines: list[str] = []
    for i, part in enumerate(parts):
        tail = dot if i + 1 < len(parts) else ""  # room for the dot if the line ends here
        joined = lines[-1] + GROUP_SEPARATOR + part if lines else part
        if lines and display_width(joined + tail) <= width:
            lines[-1] = joined
        else:
            if lines:
                lines[-1] += dot
            lines += wrap_text(part, width - display_width(tail)).split("\n")
    return "\n".join(lines)


def record_blocks(rows: list[dict], columns: Sequence[tuple[str, str]], width: int) -> list[str]:
    """One block per record: a line per column, its header then its value (wrapped beside
    it, never cut), a blank line between records. The layout for a table too wide to wrap."""
    label = min(max(display_width(h) for _, h in columns), max(width // 3, 4))
    lines: list[str] = []
    for i, r in enumerate(rows):
        if i:
            lines.append("")
        for k, h in columns:
            head = wrap_text(h, label).split("\n")
            value = wrap_text(cell_text(r.get(k)), width - label - GAP).split("\n")
            for n in range(max(len(head), len(value))):
                left = head[n] if n < len(head) else ""
                right = value[n] if n < len(value) else ""
                lines.append((left + " " * (label - display_width(left) + GAP) + right).rstrip())
    return lines


def write_pieces(pieces: Iterable[str | Table], out: IO[str]) -> None:
    """The pieces of `fit_table` written to `out`: lines as they are, tables by emit_rows."""
    from followup_cli.outputs.rows import emit_rows

    for piece in pieces:
        if isinstance(piece, str):
            out.write(piece + "\n")
        else:
            emit_rows(piece[0], "table", piece[1], stream=out)


def emit_fitted(
    rows: list[dict],
    fmt: str,
    columns: Sequence[tuple[str, str]] | None,
    fit: Fit,
    *,
    path: str | Path | None = None,
    stream: IO[str] | None = None,
    sheet_title: str = "rows",
    width: int | None = None,
) -> None:
    """outputs.rows.emit_rows, except that a table on a terminal is fitted to its width
    (`fit_table`); piped, in another format or written to a file, the output is emit_rows's."""
    from followup_cli.outputs.rows import emit_rows

    if columns and on_terminal(fmt, path, stream):
        write_pieces(fit_table(list(rows), columns, width or terminal_width(), fit), stream or sys.stdout)
    else:
        emit_rows(rows, fmt, columns, stream=stream, path=path, sheet_title=sheet_title)


_NOT_TEXT = re.compile(r"[\d\s\-/:.+()]*\Z")  # dates, times, phones, amounts


def free_text_columns(rows: list[dict], columns: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    """The columns of a table of the user's own headers that hold free text (a note, an
    outcome in words): a value wider than 12 columns with a space or a Chinese character,
    that is not a date, time, phone or amount. The others (ids, dates) are never wrapped."""
    found = []
    for key, _ in columns:
        for r in rows:
            v = cell_text(r.get(key))
            if display_width(v) > 12 and not _NOT_TEXT.match(v) and (" " in v or display_width(v) > len(v)):
                found.append(key)
                break
    return tuple(found)
