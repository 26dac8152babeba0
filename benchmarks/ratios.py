"""Every command's cost as a ratio to a bare python-calamine read of the same archive, cold and
warm (issue 16). The per-command scripts (ratio_due.py, ratio_check.py, ...) run this for one
command; this script alone runs them all.

    python benchmarks/ratios.py [--scales 10k,100k,200k] [--commands due,check,kpi,sheet,record]
                                [--repeat 1] [--json FILE]

For each scale (10k = 10,000 customers, 50,000 purchases, 30,000 visits; 100k and 200k the
same shape ten and twenty times over) the archive comes from make_big_archive.py (cached in
benchmarks/out/) and is copied to a scratch folder with a cache folder of its own
(FOLLOWUP_CACHE_DIR). Then, each its own process, CPU time (user + system) and peak RSS taken
with os.wait4 on exactly that process:

  bare        a fresh Python reads every sheet with python-calamine (the floor)
  cold        the command with --no-cache: nothing read from or written to the cache
  first       the command with an empty cache (what the first run of a day costs: cold + storing)
  warm        the same command again: same archive, settings and as-of date
  record      `followup record` of a call sheet with 1,000 filled rows, with --no-cache and
              with the cache that `sheet` left (record schedules what sheet scheduled)
  after rec.  each command once more after that record, which changed only the visit sheet

Ratios are CPU time over the bare read's CPU time in the same run; wall time swings with the
neighbours on a shared machine, CPU time much less. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_big_archive import archive_in_a_child  # noqa: E402

AS_OF = "2026-11-23"
SCALES = {"10k": (10_000, 50_000, 30_000), "100k": (100_000, 500_000, 300_000), "200k": (200_000, 1_000_000, 600_000)}
SEED = 20261123
COMMANDS = ("due", "check", "kpi", "sheet", "record")

BARE = r"""
import sys
from python_calamine import CalamineWorkbook
wb = CalamineWorkbook.from_path(sys.argv[1])
for name in wb.sheet_names:
    wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
"""

# Fills the first N contacts of a call sheet as a clerk would (done today, reached by phone).
FILL = r"""
import sys
from openpyxl import load_workbook
path, n, day = sys.argv[1], int(sys.argv[2]), sys.argv[3]
wb = load_workbook(path)
left = n
for ws in wb.worksheets:
    if ws.title.startswith("_") or left <= 0:
        continue
    headers = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(headers)}
    for row in ws.iter_rows(min_row=2):
        if left <= 0:
            break
        row[col["完成日期"]].value = day
        row[col["方式"]].value = "电话"
        row[col["结果"]].value = "已联系"
        left -= 1
wb.save(path)
print(n - left)
"""


class Run:
    def __init__(self, wall: float, cpu: float, rss_mb: float):
        self.wall, self.cpu, self.rss_mb = wall, cpu, rss_mb

    def as_dict(self) -> dict:
        return {"wall": round(self.wall, 3), "cpu": round(self.cpu, 3), "rss_mb": round(self.rss_mb)}


def run_child(argv: list[str], env: dict | None = None, ok=(0,)) -> Run:
    """One process to its end: wall time, CPU time and the peak RSS of that process alone."""
    with tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's usage, not the maximum over all children
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in ok:
            err.seek(0)
            raise SystemExit(f"failed (exit {code}): {' '.join(map(str, argv))}\n{err.read().strip()[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def followup() -> list[str]:
    script = Path(sys.executable).with_name("followup")
    return [str(script)] if script.exists() else [sys.executable, "-m", "followup_cli"]


def command_argv(cmd: str, archive: Path, out: Path) -> tuple[list[str], tuple]:
    """The command line of each command, and the exit codes that mean it ran to its end."""
    base = followup()
    if cmd == "due":
        return base + ["due", str(archive), "--as-of", AS_OF, "--format", "json", "-o", str(out / "due.json"), "-q"], (
            0,
        )
    if cmd == "check":  # exit 1: the archive has data problems (the generated one has a clerk's mess)
        return base + ["check", str(archive), "--format", "json", "-o", str(out / "check.json"), "-q"], (0, 1)
    if cmd == "kpi":
        return base + [
            "kpi",
            str(archive),
            "--period",
            "2026",
            "--by",
            "staff",
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "-o",
            str(out / "kpi.json"),
            "-q",
        ], (0,)
    if cmd == "sheet":
        return base + ["sheet", str(archive), "--as-of", AS_OF, "-o", str(out / "calls.xlsx"), "--overwrite", "-q"], (
            0,
        )
    raise ValueError(cmd)


def archive_for(scale: str) -> Path:
    customers, purchases, visits = SCALES[scale]
    return archive_in_a_child(customers, purchases, visits, SEED, log)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure(scale: str, commands: list[str], repeat: int = 1) -> dict:
    source = archive_for(scale)
    work = Path(tempfile.mkdtemp(prefix=f"ratios_{scale}_"))
    try:
        return _measure(scale, source, work, commands, repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _median(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda r: r.cpu)[len(runs) // 2]


def _measure(scale, source, work, commands, repeat) -> dict:
    archive = work / "archive.xlsx"
    shutil.copy(source, archive)
    cache = work / "cache"
    env = {**os.environ, "FOLLOWUP_CACHE_DIR": str(cache)}
    env.pop("FOLLOWUP_NO_CACHE", None)
    nocache = {**env, "FOLLOWUP_NO_CACHE": "1"}
    out = work / "out"
    out.mkdir()
    bare = _median([run_child([sys.executable, "-c", BARE, str(archive)]) for _ in range(repeat)])
    log(f"[{scale}] bare read: {bare.cpu:.2f} s CPU, {bare.rss_mb:.0f} MB")
    result = {"scale": scale, "bare": bare.as_dict(), "commands": {}}
    timed = [c for c in commands if c != "record"]
    if "record" in commands and "sheet" not in timed:
        timed.append("sheet")  # record imports the call sheet that sheet writes
    for cmd in timed:
        argv, ok = command_argv(cmd, archive, out)
        cold = _median([run_child(argv, nocache, ok) for _ in range(repeat)])
        first = run_child(argv, env, ok)
        warm = _median([run_child(argv, env, ok) for _ in range(repeat)])
        result["commands"][cmd] = {"cold": cold.as_dict(), "first": first.as_dict(), "warm": warm.as_dict()}
        log(
            f"[{scale}] {cmd}: cold {cold.cpu / bare.cpu:.2f}, first {first.cpu / bare.cpu:.2f}, "
            f"warm {warm.cpu / bare.cpu:.2f} ({warm.wall:.2f} s wall), peak {max(cold.rss_mb, first.rss_mb):.0f} MB"
        )
    if "record" in commands:
        calls = out / "calls.xlsx"
        filled = work / "filled.xlsx"
        shutil.copy(calls, filled)
        n = subprocess.run(
            [sys.executable, "-c", FILL, str(filled), "1000", AS_OF], capture_output=True, text=True, check=True
        ).stdout.strip()
        before = work / "before-record.xlsx"
        shutil.copy(archive, before)
        rec = followup() + ["record", str(archive), str(filled), "-q"]
        cold = run_child(rec, nocache)
        shutil.copy(before, archive)  # the same bytes again: the cache's entries still hold
        warm = run_child(rec, env)
        result["commands"]["record"] = {"rows": int(n), "cold": cold.as_dict(), "warm": warm.as_dict()}
        log(
            f"[{scale}] record of {n} rows: cold {cold.cpu / bare.cpu:.2f}, after sheet {warm.cpu / bare.cpu:.2f}, "
            f"peak {max(cold.rss_mb, warm.rss_mb):.0f} MB"
        )
        for cmd in timed:
            argv, ok = command_argv(cmd, archive, out)
            after = run_child(argv, env, ok)
            result["commands"][cmd]["after_record"] = after.as_dict()
            log(f"[{scale}] {cmd} after record: {after.cpu / bare.cpu:.2f}")
    return result


def table(results: list[dict]) -> str:
    """The README's table: ratios of CPU time to the bare read."""
    lines = [
        "| scale | command | cold | first (fills cache) | warm | warm wall | after record | peak RSS |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for res in results:
        bare = res["bare"]["cpu"]
        lines.append(f"| {res['scale']} | bare read | 1.00 ({bare:.2f} s CPU) | | | | | {res['bare']['rss_mb']} MB |")
        for cmd, r in res["commands"].items():

            def ratio(key):
                return f"{r[key]['cpu'] / bare:.2f}" if key in r else ""

            peak = max(v["rss_mb"] for k, v in r.items() if isinstance(v, dict))
            warm_wall = f"{r['warm']['wall']:.2f} s" if "warm" in r else ""
            name = f"record ({r['rows']} rows)" if cmd == "record" else cmd
            warm = ratio("warm") + (" (after sheet)" if cmd == "record" else "")
            lines.append(
                f"| {res['scale']} | {name} | {ratio('cold')} | {ratio('first')} | {warm} | {warm_wall} | "
                f"{ratio('after_record')} | {peak} MB |"
            )
    return "\n".join(lines)


def precompile() -> None:
    """Byte-compile the followup_cli the children import, as pip does when it installs a package.
    Where PYTHONDONTWRITEBYTECODE is set (as on the shared machine), every run would otherwise
    compile the whole package from source: about 0.3 s CPU, half the bare read at 10k."""
    where = subprocess.run(
        [sys.executable, "-c", "import os, followup_cli; print(os.path.dirname(followup_cli.__file__))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tempfile.gettempdir(),  # not this folder: the children do not import from it either
    ).stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", where], check=True, stdout=subprocess.DEVNULL)
    log(f"byte-compiled {where}")


def main(argv: list[str] | None = None, commands: tuple = COMMANDS) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", default="10k", help="comma-separated: 10k, 100k, 200k (default 10k)")
    ap.add_argument("--commands", default=",".join(commands))
    ap.add_argument("--repeat", type=int, default=1, help="runs of bare, cold and warm (the median is shown)")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    precompile()
    results = []
    for scale in args.scales.split(","):
        results.append(measure(scale.strip(), [c.strip() for c in args.commands.split(",")], args.repeat))
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
