"""A command's kept result (followup_cli/cache/replay.py) played back, or kept as it runs.

    replay.run("due", archives, config, lambda kept: _due(kept, ...), as_of=as_of)

`_due` is the command as always (notes through options.note, rows to kept.stream); it
does not run when the same inputs as a run before had their output written again.

Nothing is kept when the command stops with an error.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from followup_cli.cache import replay
from followup_cli.cli import options

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from followup_cli.config import Config


class Recording:
    """What the command writes, kept as it writes it."""

    def __init__(self, kept: replay.Kept):
        self.kept = kept
        self.stream = _Tee(kept)
        self._token = options.KEPT.set(kept)

    def file(self, path: str | Path) -> None:
        """The command wrote its output to `path`: kept as the file's bytes."""
        self.kept.file(path)

    def stamped_file(self, path: str | Path, created: dt.datetime) -> None:
        """The command wrote a workbook to `path` that says it was made at `created`."""
        self.kept.stamped(path, created)

    def journal_export(self, archive: str | Path, command: str, output: str | Path, rows: int) -> str | None:
        from followup_cli.outputs.privacy import journal_export

        self.kept.journal(archive, command, output, rows)
        return journal_export(Path(archive), command, output, rows)

    def __enter__(self) -> Recording:
        return self

    def __exit__(self, kind, value, tb) -> None:
        from followup_cli.errors import EXIT_DATA

        options.KEPT.reset(self._token)
        if kind is SystemExit and value.code == EXIT_DATA:  # `check` found errors: its result
            self.kept.exit(EXIT_DATA)
            self.kept.save()
        elif kind is None:  # a run that stopped with an error is not kept
            self.kept.save()


class _Tee:
    """stdout for emit_rows: written through, and kept."""

    def __init__(self, kept: replay.Kept):
        self.kept = kept

    def write(self, text: str) -> int:
        self.kept.out(text)
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()

    def isatty(self) -> bool:  # click.echo asks, to keep or strip colours, as for stdout itself
        return sys.stdout.isatty()


def run(
    command: str, archives: Sequence[str], config: Config, body: Callable[[Recording], None], **resolved: object
) -> None:
    """`body(recording)` kept as it runs, unless a run with the same inputs (`begin`) was
    written again instead."""
    kept = begin(command, archives, config, **resolved)
    if kept is not None:
        with kept:
            body(kept)


def begin(command: str, archives: Sequence[str], config: Config, **resolved: object) -> Recording | None:
    """None when the result of a run with the same inputs was written again; else a Recording.
    `resolved`: what the command worked out from its options (the as-of date for today...)."""
    from followup_cli.cli.language import RUN_LANG
    from followup_cli.outputs.rows import RAW_CSV
    from followup_cli.text.messages import user_lang

    ctx = click.get_current_context()
    params = {
        **ctx.params,
        **resolved,
        "(lang)": (user_lang(ctx.params.get("lang")), RUN_LANG.get()),
        "(raw csv)": RAW_CSV.get(),
        # a terminal's output is fitted to its width (outputs/screen_fit.py), its messages too
        "(tty)": _terminals(),
        # what the language and a call sheet's paper fall back to when LC_ALL, LC_PAPER and
        # LANG are unset (outputs/paper.py): the process's locale, from LC_CTYPE
        "(locale)": _locale(),
        # what reaches the user is the text in the streams' encodings: a result kept for a UTF-8
        # stream is not played back into a code page that lacks one of its characters
        "(encoding)": _encodings(),
    }
    kept = replay.Kept(command, archives, config, params)
    events = kept.load()
    if events is not None:
        events = _made_now(events)
    if events is None:
        return Recording(kept)
    _play(events)
    return None


def _terminals() -> tuple:
    """For stdout and stderr: whether each is a terminal, and its width when it is."""
    from followup_cli.outputs.screen import terminal_width

    out = []
    for stream in (sys.stdout, sys.stderr):
        tty = stream.isatty()
        out += [tty, terminal_width(stream=stream) if tty else None]
    return tuple(out)


def _encodings() -> tuple:
    """stdout's and stderr's encoding and error handler (PYTHONIOENCODING, a console's code page)."""
    return tuple((getattr(s, "encoding", None), getattr(s, "errors", None)) for s in (sys.stdout, sys.stderr))


def _locale() -> object:
    import locale

    try:
        return locale.getlocale()
    except ValueError as exc:  # an unknown locale: what it says, as the fallbacks see it
        return repr(exc)


def _made_now(events: list[tuple]) -> list[tuple] | None:
    """The kept workbooks that say when they were made, saying now; None when one cannot be."""
    now = dt.datetime.now().replace(microsecond=0)
    out = []
    for e in events:
        if e[0] == replay.STAMPED:
            parts = replay.restamped(e[2], e[3], now)
            if parts is None:
                return None
            e = (replay.STAMPED, e[1], e[2], parts)
        out.append(e)
    return out


def _play(events: list[tuple]) -> None:
    from followup_cli.outputs.files import atomic_output
    from followup_cli.outputs.privacy import journal_export

    for e in events:
        if e[0] == replay.NOTE:
            click.echo(e[1], err=True)
        elif e[0] == replay.OUT:
            sys.stdout.write(e[1])
        elif e[0] == replay.FILE:
            with atomic_output(e[1], binary=True) as fh:
                fh.write(e[2])
        elif e[0] == replay.STAMPED:
            _write_restamped(e[1], e[2], e[3])
        elif e[0] == replay.JOURNAL:
            journal_export(Path(e[1]), e[2], e[3], e[4])
        elif e[0] == replay.EXIT:
            raise SystemExit(e[1])


def _write_restamped(path: str, data: bytes, parts: dict[str, bytes]) -> None:
    """The kept workbook with `parts` in place of its members of those names, every other
    member copied as its compressed bytes (xlsx/surgery.rewrite_zip), written atomically."""
    import tempfile

    from followup_cli.outputs.files import atomic_output
    from followup_cli.xlsx.surgery import rewrite_zip

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as src:
        src.write(data)
        src.flush()
        with atomic_output(path, binary=True) as fh:
            rewrite_zip(src.name, fh, {m: (lambda write, b=b: write(b)) for m, b in parts.items()}, path)
