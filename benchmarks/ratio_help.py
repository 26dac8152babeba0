"""`followup --help` against `python -c pass`: what starting the program costs (issue 16's
target: at most 2x). Each its own process, CPU time and wall time from os.wait4, medians of
--repeat runs, alternating so both see the same neighbours.

    python benchmarks/ratio_help.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import statistics
import sys

from ratios import followup, precompile, run_child


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args(argv)
    precompile()  # as installed: compiled once, not on every start (PYTHONDONTWRITEBYTECODE)
    bare, click_, help_, sub = [], [], [], []
    for _ in range(args.repeat):
        bare.append(run_child([sys.executable, "-c", "pass"]))
        click_.append(run_child([sys.executable, "-c", "import click"]))
        help_.append(run_child(followup() + ["--help"]))
        sub.append(run_child(followup() + ["due", "--help"]))
    processes = (
        ("python -c pass", bare),
        ('python -c "import click" (the floor of any click program)', click_),
        ("followup --help", help_),
        ("followup due --help", sub),
    )
    for name, runs in processes:
        wall = statistics.median(r.wall for r in runs)
        cpu = statistics.median(r.cpu for r in runs)
        base_wall = statistics.median(r.wall for r in bare)
        base_cpu = statistics.median(r.cpu for r in bare)
        print(
            f"| {name} | {wall * 1000:.0f} ms | {cpu * 1000:.0f} ms | {wall / base_wall:.2f} | {cpu / base_cpu:.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
