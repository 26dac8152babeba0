"""Leaving the process without tearing down what it built.

A command that read a 200,000-customer archive holds millions of objects; freeing them one
by one at interpreter exit takes a noticeable part of the run (about 2% of `due`) and
serves nobody. Once the command has finished, its output is flushed, the atexit handlers
run, and the process ends with os._exit. Used only when `followup` runs as a program (the
console script or `python -m followup_cli`), never when a test calls `cli.main` in-process.
"""

from __future__ import annotations

import atexit
import os
import sys


def exit_now(code: int) -> None:
    """End the process with `code` (as sys.exit takes it) after flushing stdout and stderr."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    try:
        atexit._run_exitfuncs()  # what a normal exit would still do (the registered handlers)
    except Exception:  # a handler's failure does not change how the command ended
        pass
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except Exception:  # a closed pipe (followup due | head): what Python itself reports
            status = status or 1
    os._exit(status)
