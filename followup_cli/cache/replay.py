"""A command's whole result kept for exactly the same inputs: a second `due` on the same
archive, settings and day prints what the first printed without reading or scheduling.

The sheet and schedule caches (sheets.py, schedule.py) still rebuild every record, link
them and turn the schedule into rows: at 100,000 customers that is seconds. A shop's
morning runs the same `due` several times on an archive nobody changed; what it prints
depends on nothing but:

- the content of every file read: each .xlsx package's zip directory (every part's CRC-32
  and size, as sheets.py keys a sheet) or a digest of a CSV's bytes, for the archive and
  the companion workbooks reading adds (the visit log kept beside it);
- followup's version: a digest of its whole source and of the packages that read cells,
  know the holidays and draw tables (sheets.reader_version, schedule._version);
- every setting: all of followup.toml and every option of the command line as parsed
  (the as-of date resolved, so a run without --as-of is kept for that day only), the
  language of the messages and today's date;
- where the output goes.

So the key is all of that, and what is kept is what the command wrote, in order: its notes
on stderr, its output on stdout or the file's bytes, and the export it noted in the
archive's journal (done again on every replay, as a run does). A value is kept only when no
file changed while the command read it (same inode, size and time before and after); it is
read back through store.load, so a damaged or foreign file is a miss, never an error.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from followup_cli.cache import sheets, store

if TYPE_CHECKING:
    from collections.abc import Sequence

    from followup_cli.config import Config

KIND = "output"
# False: every run reads and schedules (through the sheet and schedule caches); the tests of
# those caches turn this off to see them at work.
KEEP_OUTPUTS = True
FORMAT = 1
# What a kept result is made of (the CLI plays them back in this order).
NOTE, OUT, FILE, STAMPED, JOURNAL, EXIT = "note", "out", "file", "stamped", "journal", "exit"
# Where a workbook followup makes says when it was made (a call sheet): the local time in
# its hidden sheet (a shared string), the UTC time in its properties (created, modified).
STAMPS = (("xl/sharedStrings.xml", "local", 1), ("docProps/core.xml", "utc", 2))


def _version() -> bytes:
    if "replay" not in sheets._version:
        from followup_cli.cache import schedule

        sheets._version["replay"] = store.digest(
            schedule._version(), store.package_fingerprint("tabulate", "wcwidth", "click", "xlsxwriter", "pypinyin")
        )
    return sheets._version["replay"]


class Kept:
    """One command's use of the kept results (does nothing when the cache is off)."""

    def __init__(self, command: str, archives: Sequence[str | Path], config: Config, params: dict):
        self.command = command
        self.events: list[tuple] = []
        self.key = self.name = None
        self._stats: dict[Path, tuple | None] = {}
        self._listed = (archives, config, None)
        if not (store.enabled() and KEEP_OUTPUTS):
            return
        sheets.events.clear()
        try:
            from followup_cli.archive.reading import archive_files
            from followup_cli.cache.schedule import _settings

            files = archive_files(archives, config)
            self._listed = (archives, config, files)
            content = []
            for path in files:
                self._stats[path] = sheets._stat(path)
                if self._stats[path] is None:
                    return  # let the command say what is wrong with it
                fk = sheets._FileKey(path)
                content.append(
                    (str(path), str(path.resolve()), sorted(fk.members.items()) if fk.members else fk.whole())
                )
            plain = sheets._plain
            # followup.toml's whole text, comments too: its first line names the workbook
            # `followup init` wrote it for, which a run says when it is another (cli/options.py)
            text = store.digest(Path(config.path).read_bytes()) if config.path else None
            settings = (_settings(config), plain(config.raw or {}), str(config.path) if config.path else None, text)
            self.key = store.digest(
                FORMAT, _version(), command, content, settings, plain(params), dt.date.today().isoformat()
            )
            # one entry per command, archive and destination: rewritten when anything changes
            self.name = store.digest(KIND, command, [c[:2] for c in content], plain(params.get("output")))
        except Exception:  # anything unexpected: the command runs as if nothing were kept
            self.key = self.name = None

    def load(self) -> list[tuple] | None:
        """What the command wrote the last time for exactly these inputs, or None."""
        if self.key is None:
            return None
        value = store.load(KIND, self.name, self.key)
        if not isinstance(value, list) or not all(isinstance(e, tuple) and e and e[0] in _SHAPES for e in value):
            sheets.events.append(("", "output", "miss"))
            return None
        if not all(_SHAPES[e[0]](e) for e in value):
            sheets.events.append(("", "output", "miss"))
            return None
        sheets.events.append(("", "output", "hit"))
        return value

    # ---- while the command runs: what it writes, in order -----------------------------------

    def note(self, text: str) -> None:
        self.events.append((NOTE, text))

    def out(self, text: str) -> None:
        self.events.append((OUT, text))  # joined with the pieces after it when kept

    def file(self, path: str | Path) -> None:
        """The output file the command wrote, as it is now. A workbook (a zip package) is not
        kept: it says when it was made, so its bytes again would not be what a run writes."""
        with open(path, "rb") as fh:
            data = fh.read()
        if data.startswith(b"PK"):
            self.key = None  # nothing is kept for this run
            return
        self.events.append((FILE, str(path), data))

    def stamped(self, path: str | Path, created: dt.datetime) -> None:
        """The workbook the command wrote to `path`, saying it was made at `created` (local,
        to the second): kept with where that time is, to be made again with the time of the
        run that plays it back. Not kept when the time is not exactly where it is expected."""
        with open(path, "rb") as fh:
            data = fh.read()
        found = stamps_in(data, created)
        if found is None:
            self.key = None  # nothing is kept for this run
            return
        self.events.append((STAMPED, str(path), data, found))

    def journal(self, archive: str | Path, command: str, output: str | Path, rows: int) -> None:
        self.events.append((JOURNAL, str(archive), command, str(output), rows))

    def exit(self, code: int) -> None:
        """The command ended with this exit code (`check` with errors found: 1)."""
        self.events.append((EXIT, code))

    def save(self) -> bool:
        """Keep what was written, when no file changed while the command ran."""
        if self.key is None:
            return False
        same = all(sheets._stat(p) == st for p, st in self._stats.items()) and self._same_files()
        # a sheet skipped because reading it failed: the next run tries again (sheets.UNREADABLE)
        same = same and not any(e[2] == sheets.UNREADABLE for e in sheets.events)
        stored = same and store.save(KIND, self.name, self.key, _joined(self.events))
        sheets.events.append(("", "output", "stored" if stored else "not-stored"))
        return stored

    def _same_files(self) -> bool:
        """The files an archive is read from are those the key was made of: a companion
        workbook (the visit log `record` creates beside the archive) that appeared or went
        while the command ran was read, or not, without being in the key."""
        from followup_cli.archive.reading import archive_files

        archives, config, files = self._listed
        try:
            return files is not None and archive_files(archives, config) == files
        except Exception:
            return False


def _joined(events: list[tuple]) -> list[tuple]:
    out: list[tuple] = []
    pieces: list[str] = []
    for e in events:
        if e[0] == OUT:
            pieces.append(e[1])
            continue
        if pieces:
            out.append((OUT, "".join(pieces)))
            pieces = []
        out.append(e)
    if pieces:
        out.append((OUT, "".join(pieces)))
    return out


_SHAPES = {
    NOTE: lambda e: len(e) == 2 and isinstance(e[1], str),
    OUT: lambda e: len(e) == 2 and isinstance(e[1], str),
    FILE: lambda e: len(e) == 3 and isinstance(e[1], str) and isinstance(e[2], bytes),
    STAMPED: lambda e: len(e) == 4 and isinstance(e[1], str) and isinstance(e[2], bytes) and isinstance(e[3], tuple),
    EXIT: lambda e: len(e) == 2 and type(e[1]) is int,
    JOURNAL: lambda e: len(e) == 5 and all(isinstance(x, str) for x in e[1:4]) and isinstance(e[4], int),
}


def _stamp(created: dt.datetime, kind: str) -> bytes:
    if kind == "local":
        return created.replace(microsecond=0).isoformat().encode()
    return created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()


def stamps_in(data: bytes, created: dt.datetime) -> tuple | None:
    """((member, kind, the text as written), ...) of a workbook made at `created`, or None
    when a time is not there exactly as often as it should be (or stands for something else)."""
    import io
    import zipfile

    found = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for member, kind, count in STAMPS:
                text = _stamp(created, kind)
                if zf.read(member).count(b">" + text + b"<") != count:
                    return None
                found.append((member, kind, text))
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return None
    return tuple(found)


def restamped(data: bytes, stamps: tuple, now: dt.datetime) -> dict[str, bytes] | None:
    """The members of a kept workbook that say when it was made, saying `now` instead (what a
    run at `now` writes); None when that cannot be done exactly (the new time is already a
    text of the workbook, so a run now would have written another shared-string table)."""
    import io
    import zipfile

    out = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for member, kind, old in stamps:
                part = zf.read(member)
                new = _stamp(now, kind)
                expected = dict((m, c) for m, _, c in STAMPS).get(member)
                if part.count(b">" + old + b"<") != expected:
                    return None
                if new != old and b">" + new + b"<" in part:
                    return None
                out[member] = part.replace(b">" + old + b"<", b">" + new + b"<")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, TypeError):
        return None
    return out
