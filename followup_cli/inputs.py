"""The files a run reads, so that no output is ever written over one of them.

`-o` is typed by hand: `followup due 档案.xlsx -o 档案.xlsx` (or -o naming the filled call
sheet being recorded, or followup.toml) would replace the shop's own workbook with a list.
Reading registers every file it opens here (the archive and the workbooks beside it, the
followup.toml in use, a filled call sheet), and outputs.files.check_target, the one gate
every output file passes, refuses a target that is one of them. A command's -o is also
declared before it starts (`writing`, by cli.options.handle_errors), so opening it as an
input is refused at once, before anything is read or written: `record` stops before it
records. The same file is recognised through another spelling, a link or a
case-insensitive file system (os.path.samefile).

The list lives for one run: the CLI starts each command with an empty one (`run_scope`);
a library caller's list grows for the life of its process, which only ever refuses more.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

_READ: contextvars.ContextVar[tuple[Path, ...]] = contextvars.ContextVar("followup_inputs", default=())
_WRITES: contextvars.ContextVar[tuple[Path, ...]] = contextvars.ContextVar("followup_outputs", default=())


def reading(paths: Iterable[str | Path | None]) -> None:
    """Note that this run reads `paths` (None and repeats are passed over); a CannotWrite
    when one of them is the output this run was told to write."""
    known = _READ.get()
    new = tuple(Path(p) for p in paths if p is not None and Path(p) not in known)
    for path in new:
        for out in _WRITES.get():
            if _same(path, out):
                raise output_is_input(out)
    if new:
        _READ.set(known + new)


def writing(paths: Iterable[str | Path | None]) -> None:
    """Declare the output files of this run before it reads anything."""
    _WRITES.set(_WRITES.get() + tuple(Path(p) for p in paths if p not in (None, "", "-")))


def output_is_input(path: str | Path) -> Exception:
    """The refusal of an output that would replace a file this run reads."""
    from followup_cli.errors import CannotWrite
    from followup_cli.text.refusals import OUTPUT_IS_INPUT, OUTPUT_IS_INPUT_FIX

    return CannotWrite(path, OUTPUT_IS_INPUT, OUTPUT_IS_INPUT_FIX)


def read_by_this_run(target: str | Path) -> Path | None:
    """The file this run read that `target` names, or None."""
    target = Path(target)
    for path in _READ.get():
        if _same(path, target):
            return path
    return None


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): compare the names as resolved
        try:
            return a.resolve() == b.resolve()
        except OSError:
            return False


@contextlib.contextmanager
def run_scope() -> Iterator[None]:
    """One command's run: it starts knowing no file read or written, and the lists are dropped after."""
    read, written = _READ.set(()), _WRITES.set(())
    try:
        yield
    finally:
        _WRITES.reset(written)
        _READ.reset(read)
