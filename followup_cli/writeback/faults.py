"""Named points of a workbook write, for the fault-injection tests (tests/test_write_faults.py
and stress/): a test sets HOOK to a function of the point's name, which may raise or kill the
process there. HOOK is None in every real run, and then a point costs one comparison."""

from __future__ import annotations

POINTS = ("before-temp", "after-temp", "after-fsync", "before-backup-prune", "after-replace")
HOOK = None


def point(name: str) -> None:
    if HOOK is not None:
        HOOK(name)
