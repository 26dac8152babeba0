"""Tables that fit a terminal: display width measured with wcwidth (a Chinese character takes
two columns), and the long text columns shortened with "…" until the table fits.

tabulate measures CJK width itself (it uses wcwidth when installed); this module decides
how wide each column may be before the rows are handed to tabulate.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from wcwidth import wcswidth, wcwidth

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path

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
_NOT_TEXT = re.compile(r"[\d\s\-/:.+()]*\Z")  # dates, times, phones, amounts


def free_text_columns(rows: list[dict], columns: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    """The columns of a table of the user's own headers that hold free text (a note, an
    outcome in words): a value wider than 12 columns with a space or a Chinese character,
    that is not a date, time, phone or amount. The others (ids, dates) are never wrapped."""
    found = []
    for key, _ in columns:
        for r in rows:
            v = _flat(r.get(key))
            if display_width(v) > 12 and not _NOT_TEXT.match(v) and (" " in v or display_width(v) > len(v)):
                found.append(key)
                break
    return tuple(found)


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
    for word in _flat(text).split(" "):
        if lines and display_width(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


# -- Fitting any table to a terminal -------------------------------------------------------
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


def on_terminal(fmt: str, output: object = None, stream: object = None) -> bool:
    """A table for a person's eyes: table format, no -o file, and stdout (or `stream`) a terminal."""
    if fmt != "table" or (output and str(output) != "-"):
        return False
    stream = stream if stream is not None else sys.stdout
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def column_width(rows: list[dict], key: str, header: str) -> int:
    """The width tabulate gives column `key`: its widest line, or its header's widest line + 2."""
    head = max(display_width(line) for line in header.split("\n")) + HEADER_PAD
    return max([head] + [display_width(line) for r in rows for line in _flat(r.get(key)).split("\n")])


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
        height = max(_flat(r.get(k)).count("\n") for k, _ in cols) + 1
        out += lines[i : i + height]
        i += height
        for k, h in under:
            label = f"{h}: "
            text = _flat(original.get(k))
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
                r[key] = shorten(_flat(r.get(key)), cap)
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
            lines = sum(max(_flat(r.get(k)).count("\n") for k, _ in cols) + 1 for r in out)
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
        values = 0 if k in wrap else max([0] + [display_width(x) for r in rows for x in _flat(r.get(k)).split("\n")])
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
        key = tuple(_flat(r.get(k)) for k in fit.group)
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
            value = wrap_text(_flat(r.get(k)), width - label - GAP).split("\n")
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
