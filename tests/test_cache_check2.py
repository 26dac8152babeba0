"""Cached runs against cold ones, second pass: flows a shop's users and batch scripts run
where a cached answer could differ from a cold one. Each test makes a real archive, fills
the cache as those flows do, and compares what the next run prints with a cold run's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.terminal import on_a_terminal, piped, widest

SAMPLES = Path(__file__).resolve().parent.parent / "sample_workbooks"
AS_OF = "2026-11-23"


@pytest.mark.parametrize(
    "command",
    [
        ("due", "a.xlsx", "--as-of", AS_OF),
        ("check", "a.xlsx", "--as-of", AS_OF),
        ("kpi", "a.xlsx", "--period", "2026-11", "--as-of", AS_OF),
    ],
    ids=lambda c: c[0],
)
def test_messages_played_back_on_a_terminal_are_wrapped_to_it(tmp_path, command):
    """On a terminal a message is wrapped to its width (options.note). A run played back from
    what the one before kept (cache/replay.py) wraps its messages as that run did: on an
    64-column terminal the unassigned-tasks note and the summary are the cold run's lines, not
    one long line each."""
    shutil.copy(SAMPLES / "retail_vip_zh.xlsx", tmp_path / "a.xlsx")
    cache = tmp_path / "cache"
    for columns in (50, 64):
        cold = on_a_terminal(command, columns, tmp_path, stderr=True)
        assert widest(piped(command, tmp_path, stderr=True)[1]) > columns >= widest(cold[1])  # wrapped
        first = on_a_terminal(command, columns, tmp_path, stderr=True, cache=cache)  # kept
        again = on_a_terminal(command, columns, tmp_path, stderr=True, cache=cache)  # played back
        assert first == cold
        assert again == cold
