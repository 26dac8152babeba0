"""Progress on stderr: only on a terminal, never with -q, and the library sees a callable."""

from __future__ import annotations

import io

from followup_cli.cli import progress as progress_module
from followup_cli.cli.progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_off_when_not_a_terminal_or_quiet():
    assert Progress("zh", stream=io.StringIO()).bar("write") is None
    assert Progress("zh", quiet=True, stream=Terminal()).bar("write") is None
    stream = io.StringIO()
    with Progress("zh", stream=stream).step("read"):
        pass
    assert stream.getvalue() == ""


def test_bar_and_step_on_a_terminal(monkeypatch):
    monkeypatch.setattr(progress_module, "DELAY", 0.0)
    stream = Terminal()
    callback = Progress("zh", stream=stream).bar("write")
    for done in range(0, 1001, 200):
        callback(done, 1000)
    assert "写入" in stream.getvalue() and "100%" in stream.getvalue()
    stream = Terminal()
    step = Progress("en", stream=stream)
    import time

    with step.step("read"):
        time.sleep(0.05)  # the timer (DELAY 0) fires; what is asserted is the text, not the time
    assert stream.getvalue().startswith("reading the archive…") and stream.getvalue().endswith(" s\n")
