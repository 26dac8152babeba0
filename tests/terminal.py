"""Running followup with stdout on a pseudo-terminal of a given width, and reading its
tables back: the tests of every command that fits a terminal (outputs/screen.py) compare
what the terminal shows with what a pipe gets, once the wrapping is undone."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import threading
from dataclasses import dataclass, field
from pathlib import Path

from followup_cli.outputs.screen import display_width
from followup_cli.outputs.screen_fit import GROUP_SEPARATOR

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_workbooks"
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "FOLLOWUP_NO_CACHE": "1"}


def on_a_terminal(args, columns: int, cwd, stderr: bool = False, cache=None) -> tuple[int, str]:
    """Run followup with stdout (or, with `stderr`, its messages) on a pseudo-terminal
    `columns` wide, the other stream on a pipe; its exit code and what the terminal got.
    `cache`: a folder for followup's cache (else it runs without one)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = dict(ENV)
    env.pop("COLUMNS", None)
    if cache is not None:
        env.pop("FOLLOWUP_NO_CACHE")
        env["FOLLOWUP_CACHE_DIR"] = str(cache)
    chunks = []

    def drain():
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain)
    reader.start()
    streams = {"stdout": subprocess.PIPE, "stderr": slave} if stderr else {"stdout": slave, "stderr": subprocess.PIPE}
    proc = subprocess.run([sys.executable, "-m", "followup_cli", *args], **streams, env=env, cwd=cwd)
    os.close(slave)
    reader.join(timeout=60)
    os.close(master)
    return proc.returncode, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def piped(args, cwd, stderr: bool = False) -> tuple[int, str]:
    """Run followup with stdout and stderr on pipes; its exit code and output (or messages)."""
    proc = subprocess.run(
        [sys.executable, "-m", "followup_cli", *args], capture_output=True, text=True, env=ENV, cwd=cwd
    )
    return proc.returncode, proc.stderr if stderr else proc.stdout


def widest(text: str) -> int:
    return max((display_width(line) for line in text.split("\n")), default=0)


# -- Reading tables back -------------------------------------------------------------------

_RULE = re.compile(r"-+(?: {2}-+)*")


def _squash(text: str) -> str:
    return "".join(text.split())


def _cut(line: str, spans: list[tuple[int, int]]) -> list[str]:
    """`line` cut at the display columns of `spans` (the last one runs to the end)."""
    cells, used, i = [""] * len(spans), 0, 0
    for ch in line:
        while i + 1 < len(spans) and used >= spans[i + 1][0]:
            i += 1
        cells[i] += ch
        used += display_width(ch)
    return cells


@dataclass
class Table:
    header_lines: list[str]  # every line above the rule back to the last blank line or table
    spans: list[tuple[int, int]]
    body: list[str]
    rows: list[list[str]] = field(default_factory=list)
    title: list[str] = field(default_factory=list)  # the lines above the header that are text

    def streams(self, lines: list[str]) -> list[str]:
        """Each column's text, all `lines` read down it, whitespace removed."""
        cut = [_cut(line, self.spans) for line in lines]
        return [_squash("".join(c[i] for c in cut)) for i in range(len(self.spans))]


def read_screen(text: str) -> list[Table | str]:
    """Lines of text and tables (tabulate's "simple" format) in the order printed."""
    lines = text.rstrip("\n").split("\n")
    out: list[Table | str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _RULE.fullmatch(line.rstrip()) and i > 0:
            spans = [(m.start(), m.end()) for m in re.finditer(r"-+", line)]
            above = []
            while out and isinstance(out[-1], str) and out[-1].strip():
                above.insert(0, out.pop())
            j = i + 1
            while j < len(lines) and lines[j].strip():
                j += 1
            out.append(Table(above, spans, lines[i + 1 : j]))
            i = j
            continue
        out.append(line)
        i += 1
    return out


def _piped_tables(text: str) -> list[Table | str]:
    """The piped output read back: one header line and one line per row in each table."""
    pieces = read_screen(text)
    for p in pieces:
        if isinstance(p, Table):
            *title, header = p.header_lines
            idx = pieces.index(p)
            pieces[idx : idx + 1] = [*title, p]
            p.header_lines = [header]
            p.rows = [[_squash(c) for c in _cut(line, p.spans)] for line in p.body]
    return pieces


def same_text(screen: str, whole: str) -> None:
    """Assert that `screen` (a terminal's output) says what `whole` (the piped output) says:
    tables with their columns wrapped, text under its rows ("说明: …"), a table split into
    groups under headings ("header: value · …"), or records as blocks of "header  value"
    lines; the lines between the tables (titles) the same once unwrapped."""
    want = _piped_tables(whole)
    got = read_screen(screen)
    text_want = "".join(_squash(p) for p in want if isinstance(p, str))
    text_got: list[str] = []
    pos = 0  # the next piece of the screen
    for t in (p for p in want if isinstance(p, Table)):
        headers = [_squash(c) for c in _cut(t.header_lines[0], t.spans)]
        left = list(t.rows)
        while left:
            end = pos
            while end < len(got) and isinstance(got[end], str):
                end += 1
            lines = "".join(_squash(x) for x in got[pos:end])
            s = got[end] if end < len(got) else None
            if s is None or _header_of(s, headers) is None:  # one block per record
                records = "".join(h + v for r in left for h, v in zip(headers, r))
                assert lines.endswith(records), f"the screen does not show the rows {left[:2]}"
                text_got.append(lines[: len(lines) - len(records)])
                pos, left = end, []
                continue
            text_got.append(lines)
            pos = end + 1
            kept, heading = _header_of(s, headers)
            shown = [headers.index(h) for h in kept]
            body, below = _below(s.body, [h for h in headers if h not in kept])
            streams = s.streams(body)
            n = 0
            while n < len(left) and streams != ["".join(r[k] for r in left[: n + 1]) for k in shown]:
                n += 1
            assert n < len(left), f"table {kept} on the screen is not the piped rows {left[:3]}"
            for label, said in below.items():  # the text under the rows is the column's
                assert said == "".join(r[headers.index(label)] for r in left[: n + 1])
            group = [k for k in range(len(headers)) if k not in shown and headers[k] not in below]
            group = [k for k in group if any(r[k] for r in left[: n + 1])]  # an empty column may go
            if group:  # its heading names the values the rows share
                said = _squash("".join(heading)).split(_squash(GROUP_SEPARATOR))
                for r in left[: n + 1]:
                    assert said == [f"{headers[k]}:{r[k]}" for k in group if r[k]], (said, r)
            else:
                text_got.append(_squash("".join(heading)))
            left = left[n + 1 :]
    assert not any(isinstance(p, Table) for p in got[pos:]), "the screen has more tables than the pipe"
    text_got += [_squash(x) for x in got[pos:]]
    assert "".join(text_got) == text_want


def _below(body: list[str], labels: list[str]) -> tuple[list[str], dict[str, str]]:
    """The table's own lines, and the text put under its rows ("label: text", its wrapped
    lines indented under the text) for each of `labels`, whitespace removed."""
    rows, below, open_label, indent = [], {}, None, 0
    for line in body:
        stripped = line.lstrip(" ")
        lead = len(line) - len(stripped)
        label = next((h for h in labels if lead and _squash(stripped).startswith(h + ":")), None)
        if label is not None and stripped.split(":")[0].replace(" ", "") == label:
            open_label = label
            indent = lead + display_width(stripped.split(":")[0]) + 2
            below[label] = below.get(label, "") + _squash(stripped)[len(label) + 1 :]
        elif open_label and lead == indent:
            below[open_label] += _squash(line)
        else:
            open_label = None
            rows.append(line)
    return rows, below


def _header_of(s: Table, headers: list[str]) -> tuple[list[str], list[str]] | None:
    """The piped headers a screen table shows (its header may be folded over several of the
    lines above its rule) and the lines above those (a group's heading)."""
    for k in range(1, min(len(s.header_lines), 4) + 1):
        shown = s.streams(s.header_lines[-k:])
        if all(h in headers for h in shown):
            return shown, s.header_lines[:-k]
    return None
