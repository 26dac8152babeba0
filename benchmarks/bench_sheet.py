"""Time `followup sheet` on a large archive against a bare python-calamine read of it.

    python benchmarks/bench_sheet.py [--archive FILE | --customers 100000 --purchases 500000
                                      --visits 300000] [--repeat 1] [--as-of 2026-11-23]
                                     [--baseline-tree DIR]

In one run, alternating so both see the same machine noise, each its own process timed from
the outside (wall clock, interpreter start included; CPU time and peak RSS from os.wait4):
  bare   a fresh Python reads every sheet with python-calamine
  sheet  the real CLI: followup sheet ARCHIVE --as-of D -o calls.xlsx -q (cache off:
         FOLLOWUP_NO_CACHE=1, so every run reads and schedules from scratch)
  base   with --baseline-tree DIR: the same command from another copy of the package (an
         older commit, say: `git archive COMMIT followup_cli | tar -x -C DIR`)
The medians are compared; the target of issue 16 is sheet/bare <= 2.0.

A benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

BARE = r"""
import sys
from python_calamine import CalamineWorkbook
wb = CalamineWorkbook.from_path(sys.argv[1])
for name in wb.sheet_names:
    wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
"""

SHEET = "import sys; from followup_cli.cli import cli; sys.argv[0] = 'followup'; cli()"


def timed(cmd: list[str], env: dict) -> tuple[float, float, float]:
    """(wall s, cpu s, peak RSS MB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} failed: {err[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--archive")
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--purchases", type=int, default=500_000)
    ap.add_argument("--visits", type=int, default=300_000)
    ap.add_argument("--seed", type=int, default=20261123)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--as-of", default="2026-11-23")
    ap.add_argument("--baseline-tree")
    args = ap.parse_args()
    if args.archive:
        archive = Path(args.archive)
    else:
        from make_big_archive import ensure_archive

        archive = ensure_archive(args.customers, args.purchases, args.visits, args.seed)
    work = Path(tempfile.mkdtemp(prefix="bench-sheet-"))
    local = work / archive.name  # the journal of exports is written beside the archive
    os.symlink(archive.resolve(), local)
    env = {**os.environ, "FOLLOWUP_NO_CACHE": "1", "PYTHONPATH": str(ROOT)}
    runs: dict[str, list] = {"bare": [], "sheet": [], "base": []}
    for i in range(args.repeat):
        runs["bare"].append(timed([sys.executable, "-c", BARE, str(local)], env))
        out = work / f"calls{i}.xlsx"
        runs["sheet"].append(
            timed(
                [
                    sys.executable,
                    "-c",
                    SHEET,
                    "sheet",
                    str(local),
                    "--as-of",
                    args.as_of,
                    "-o",
                    str(out),
                    "-q",
                    "--overwrite",
                ],
                env,
            )
        )
        if args.baseline_tree:
            base_env = {**env, "PYTHONPATH": str(Path(args.baseline_tree).resolve())}
            runs["base"].append(
                timed(
                    [
                        sys.executable,
                        "-c",
                        SHEET,
                        "sheet",
                        str(local),
                        "--as-of",
                        args.as_of,
                        "-o",
                        str(work / f"base{i}.xlsx"),
                        "-q",
                        "--overwrite",
                    ],
                    base_env,
                )
            )
    med = {k: tuple(statistics.median(r[j] for r in v) for j in range(3)) for k, v in runs.items() if v}
    print(f"archive: {archive} ({archive.stat().st_size / 1e6:.1f} MB), {args.repeat} run(s) each")
    for k, (wall, cpu, rss) in med.items():
        print(f"  {k:6s} wall {wall:7.1f} s   cpu {cpu:7.1f} s   peak {rss:7.0f} MB")
    bare = med["bare"]
    print(f"  sheet/bare: wall {med['sheet'][0] / bare[0]:.2f}x, cpu {med['sheet'][1] / bare[1]:.2f}x (target <= 2.0)")
    if "base" in med:
        print(f"  base/bare:  wall {med['base'][0] / bare[0]:.2f}x, cpu {med['base'][1] / bare[1]:.2f}x")


if __name__ == "__main__":
    main()
