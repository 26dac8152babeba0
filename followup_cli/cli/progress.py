"""Progress on stderr for what takes more than a second: a step line ("读取档案…") for the
steps that report nothing while they run, and click's progress bar where the library calls
back with (done, total). Off with -q, and when stderr is not a terminal (a scheduled job,
a pipe), so logs stay clean.

Library code never sees click: it takes a plain `progress(done, total)` callable.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from typing import TYPE_CHECKING

import click

from followup_cli.text.messages import msg

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

DELAY = 1.0  # seconds before anything is shown

STEPS = {
    "read": msg("读取档案", "reading the archive"),
    "schedule": msg("计算回访任务", "working out who is due"),
    "write": msg("写入", "writing"),
    "check": msg("检查档案", "checking the archive"),
    "kpi": msg("计算指标", "working out the KPIs"),
    "plan": msg("安排负责人", "planning the owners"),
    "record": msg("读取档案、核对并写入回访结果", "reading the archive, checking and writing the results"),
}


class Progress:
    def __init__(self, lang: str | None, quiet: bool = False, stream=None):
        self.lang = lang
        self.stream = stream or sys.stderr
        self.enabled = not quiet and _isatty(self.stream)

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        """A line that appears once the step has taken DELAY seconds, with its time at the end."""
        if not self.enabled:
            yield
            return
        label = STEPS[name].text(self.lang) if name in STEPS else name
        started = time.monotonic()
        shown = threading.Event()

        def show():
            shown.set()
            click.echo(f"{label}…", file=self.stream, nl=False)

        timer = threading.Timer(DELAY, show)
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()
            if shown.is_set():
                click.echo(f" {time.monotonic() - started:.1f} s", file=self.stream)

    def bar(self, name: str) -> Callable[[int, int], None] | None:
        """A `progress(done, total)` callback drawing click's bar once DELAY seconds have passed."""
        if not self.enabled:
            return None
        label = STEPS[name].text(self.lang) if name in STEPS else name
        started = time.monotonic()
        state: dict = {}

        def progress(done: int, total: int) -> None:
            if "bar" not in state:
                if time.monotonic() - started < DELAY and done < total:
                    return
                if done >= total and "bar" not in state:
                    return  # finished before it was worth showing
                state["bar"] = click.progressbar(length=total, label=label, file=self.stream)
                state["bar"].__enter__()
                state["done"] = 0
            bar = state["bar"]
            bar.update(done - state["done"])
            state["done"] = done
            if done >= total:
                bar.__exit__(None, None, None)

        return progress


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
