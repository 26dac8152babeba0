"""Time `followup due` on a large archive against a bare python-calamine read of the same sheets.

    python benchmarks/bench_due.py [--customers 100000 --purchases 500000 --visits 300000]
                                   [--seed N] [--repeat 3] [--as-of 2026-11-23] [--profile]

In one run: the archive is generated (or taken from the cache in benchmarks/out/), then
`--repeat` times, alternating so both see the same machine noise:
  bare  a fresh Python reads every sheet of the workbook with python-calamine
        (CalamineWorkbook.from_path(p).get_sheet_by_name(name).to_python(skip_empty_area=False))
  due   the real CLI: followup due ARCHIVE --as-of D --format json -o FILE -q
Each is its own process, timed from the outside (wall clock, interpreter start included) and
its peak RSS taken from os.wait4 on exactly that process, so no run's memory is charged to
another. The medians are compared: target due/bare ≤ 2.0 and due's peak RSS ≤ 1.5 GB.

One more process then runs the library path (load_archive, duelist.due, JSON out) with a
clock around each phase, to show where due's time goes. `--profile` adds a run under
cProfile and prints the top 25 entries by cumulative and by own time.

A benchmark, not a test: nothing here asserts a time; the exit status is 0 unless a run
failed (`--check` makes missing the targets exit 1 too).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_big_archive import archive_in_a_child  # noqa: E402

TARGET_RATIO = 2.0
TARGET_RSS_MB = 1.5 * 1024

BARE = r"""
import json, sys, time
t0 = time.perf_counter()
from python_calamine import CalamineWorkbook
wb = CalamineWorkbook.from_path(sys.argv[1])
rows = {}
for name in wb.sheet_names:
    rows[name] = len(wb.get_sheet_by_name(name).to_python(skip_empty_area=False))
print(json.dumps({"inside": time.perf_counter() - t0, "rows": rows}))
"""

# The library path of `due`, with a clock around each phase. RawSheet.rows is wrapped to
# split calamine's own read from followup's identifying and parsing of the cells.
PHASES = r"""
import json, sys, time
t0 = time.perf_counter()
import datetime as dt
from followup_cli.archive import raw as workbook
from followup_cli.config import load_config
from followup_cli.outputs.due_list import PINNED_FIELDS, due
from followup_cli.outputs.rows import emit_rows
from followup_cli.archive.reading import load_archive
t_import = time.perf_counter() - t0

raw_read = 0.0
_rows = workbook.RawSheet.rows
def timed_rows(self):
    global raw_read
    t = time.perf_counter()
    try:
        return _rows(self)
    finally:
        raw_read += time.perf_counter() - t
workbook.RawSheet.rows = timed_rows

path, as_of, out = sys.argv[1], dt.date.fromisoformat(sys.argv[2]), sys.argv[3]
t = time.perf_counter()
config = load_config([path])
archive = load_archive([path], config)
t_load = time.perf_counter() - t
t = time.perf_counter()
result = due(archive, config, as_of)
t_due = time.perf_counter() - t
t = time.perf_counter()
emit_rows([{k: r[k] for k in PINNED_FIELDS} for r in result.rows], "json", path=out)
t_out = time.perf_counter() - t
print(json.dumps({
    "import": t_import, "calamine read": raw_read, "identify + parse cells": t_load - raw_read,
    "schedule + rows": t_due, "json out": t_out, "total": time.perf_counter() - t0,
    "tasks": len(result.rows), "left out": len(result.left_out), "problems": len(archive.problems),
    "records": {r: len(archive.records(r)) for r in ("customers", "purchases", "visits", "tickets", "staff")},
}))
"""

PROFILE = r"""
import cProfile, io, pstats, sys
from followup_cli.cli import cli
path, as_of, out, top = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
prof = cProfile.Profile()
prof.enable()
try:
    cli.main(["due", path, "--as-of", as_of, "--format", "json", "-o", out, "-q"], standalone_mode=False)
finally:
    prof.disable()
for key in ("cumulative", "tottime"):
    s = io.StringIO()
    stats = pstats.Stats(prof, stream=s)
    stats.sort_stats(key).print_stats(top)
    text = s.getvalue()
    print(f"==== top {top} by {key} ====")
    print(text[text.index("   ncalls"):] if "   ncalls" in text else text)
"""


class Run:
    def __init__(self, wall: float, cpu: float, rss_mb: float, stdout: str):
        self.wall, self.cpu, self.rss_mb, self.stdout = wall, cpu, rss_mb, stdout


def run_child(argv: list[str]) -> Run:
    """Run one process to the end: its wall time, CPU time and the peak RSS of that process alone."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err)
        # wait4 reports the usage of this one child (getrusage(RUSAGE_CHILDREN) would give
        # the maximum over every child waited for so far).
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise SystemExit(f"failed (exit {proc.returncode}): {' '.join(argv)}\n{stderr.strip()}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, usage.ru_maxrss / 1024, stdout)  # ru_maxrss is in KiB on Linux


def count_tasks(path: Path) -> int:
    """Rows in due's JSON, counted in chunks: loading it would grow this process, and every
    later child's peak RSS with it."""
    key = b'"task_id":'
    count, tail = 0, b""
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            count += data.count(key)
            tail = data[-(len(key) - 1) :]  # too short to hold a whole key, so none is counted twice
    return count


def generated_archive(args) -> Path:
    return archive_in_a_child(args.customers, args.purchases, args.visits, args.seed, log)


def followup_command() -> list[str]:
    script = Path(sys.executable).with_name("followup")
    return [str(script)] if script.exists() else [sys.executable, "-m", "followup_cli"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--purchases", type=int, default=500_000)
    ap.add_argument("--visits", type=int, default=300_000)
    ap.add_argument("--seed", type=int, default=20261123)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each, alternating (median is reported)")
    ap.add_argument("--as-of", default="2026-11-23")
    ap.add_argument("--archive", type=Path, default=None, help="time this workbook instead of a generated one")
    ap.add_argument("--no-phases", action="store_true", help="skip the run that splits due's time into phases")
    ap.add_argument("--profile", action="store_true", help="also run due under cProfile and print the top entries")
    ap.add_argument("--top", type=int, default=25, help="entries shown by --profile")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = ap.parse_args(argv)

    archive = args.archive or generated_archive(args)
    size_mb = archive.stat().st_size / 1e6
    log(f"archive: {archive} ({size_mb:.1f} MB)")
    tmp = Path(tempfile.mkdtemp(prefix="bench_due_"))
    due_out = tmp / "due.json"  # a real file, not /dev/null: a future atomic write must not replace /dev/null
    bare_cmd = [sys.executable, "-c", BARE, str(archive)]
    due_cmd = followup_command() + [
        "due",
        str(archive),
        "--as-of",
        args.as_of,
        "--format",
        "json",
        "-o",
        str(due_out),
        "-q",
    ]
    bare, due = [], []
    try:
        for i in range(args.repeat):
            for name, cmd, runs in (("bare", bare_cmd, bare), ("due", due_cmd, due)):
                r = run_child(cmd)
                runs.append(r)
                log(
                    f"  run {i + 1}/{args.repeat} {name:4s} {r.wall:7.2f} s wall {r.cpu:7.2f} s CPU  "
                    f"peak RSS {r.rss_mb:7.0f} MB"
                )
        tasks = count_tasks(due_out)
        bare_info = json.loads(bare[-1].stdout)
        phases = None
        if not args.no_phases:
            p = run_child([sys.executable, "-c", PHASES, str(archive), args.as_of, str(tmp / "phases.json")])
            phases = json.loads(p.stdout)
            phases["wall"], phases["peak RSS MB"] = p.wall, p.rss_mb
        profile = None
        if args.profile:
            log("  profiling due under cProfile (slower than a plain run) ...")
            profile = run_child(
                [sys.executable, "-c", PROFILE, str(archive), args.as_of, str(tmp / "profile.json"), str(args.top)]
            ).stdout
    finally:
        for f in tmp.iterdir():
            f.unlink()
        tmp.rmdir()

    bare_s = statistics.median(r.wall for r in bare)
    due_s = statistics.median(r.wall for r in due)
    bare_cpu = statistics.median(r.cpu for r in bare)
    due_cpu = statistics.median(r.cpu for r in due)
    ratio, cpu_ratio = due_s / bare_s, due_cpu / bare_cpu
    due_rss = max(r.rss_mb for r in due)
    bare_rss = max(r.rss_mb for r in bare)
    rows = bare_info["rows"]

    def runs(rs, key):
        return ", ".join(f"{getattr(r, key):.2f}" for r in rs)

    print(
        f"archive      {archive.name}  {size_mb:.1f} MB  rows per sheet: "
        + ", ".join(f"{k} {v:,}" for k, v in rows.items())
    )
    print(
        f"bare read    {bare_s:7.2f} s wall ({runs(bare, 'wall')})  {bare_cpu:7.2f} s CPU ({runs(bare, 'cpu')})  "
        f"peak RSS {bare_rss:.0f} MB"
    )
    print(
        f"due          {due_s:7.2f} s wall ({runs(due, 'wall')})  {due_cpu:7.2f} s CPU ({runs(due, 'cpu')})  "
        f"peak RSS {due_rss:.0f} MB; {tasks:,} tasks listed"
    )
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(medians of {args.repeat}; a child's peak RSS counts from this process's size at fork: {floor:.0f} MB)")
    # On a shared machine wall time swings with the neighbours' load; CPU time much less.
    ok_ratio, ok_rss = ratio <= TARGET_RATIO, due_rss <= TARGET_RSS_MB
    print(
        f"due / bare   {ratio:7.2f} wall, {cpu_ratio:.2f} CPU   target ≤ {TARGET_RATIO:.1f}  "
        f"{'ok' if ok_ratio else 'MISSED'}"
    )
    print(f"due peak RSS {due_rss:7.0f} MB   target ≤ {TARGET_RSS_MB:.0f} MB  {'ok' if ok_rss else 'MISSED'}")
    if phases:
        print("due's library path, one run (seconds):")
        for key in ("import", "calamine read", "identify + parse cells", "schedule + rows", "json out", "total"):
            print(f"  {key:24s} {phases[key]:7.2f}")
        print(
            f"  records {phases['records']}, {phases['problems']:,} problems, "
            f"{phases['tasks']:,} tasks, {phases['left out']:,} left out; peak RSS {phases['peak RSS MB']:.0f} MB"
        )
    if profile:
        print(profile)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "archive": archive.name,
                    "rows": rows,
                    "bare_s": [r.wall for r in bare],
                    "due_s": [r.wall for r in due],
                    "bare_cpu_s": [r.cpu for r in bare],
                    "due_cpu_s": [r.cpu for r in due],
                    "bare_median_s": bare_s,
                    "due_median_s": due_s,
                    "ratio": ratio,
                    "cpu_ratio": cpu_ratio,
                    "due_peak_rss_mb": due_rss,
                    "bare_peak_rss_mb": bare_rss,
                    "phases": phases,
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    return 1 if args.check and not (ok_ratio and ok_rss) else 0


if __name__ == "__main__":
    sys.exit(main())
