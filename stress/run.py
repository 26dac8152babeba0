"""The long part of the reliability suite: fuzzing, hostile files, kills and races, with counts.

    python stress/run.py                                   # the CI counts (see .ci/run)
    python stress/run.py --fuzz 10000 --kills 1000 --races 30 --examples 300   # the full run

Sections (each can be set to 0):
  fuzz      mutants of the sample and real workbooks (tests/attacks.mutate: bytes flipped, cut,
            inserted, zeroed, duplicated; XML parts with absurd references, counts, values,
            entities, missing tags) through `check`, and every third through `due`, in a
            bounded child; plus --examples generated workbooks (the hypothesis property of
            tests/test_fuzz.py). A case fails on an exit other than 0/1/2, a traceback, an
            unexpected error, a refusal that does not name the file, or the time bound.
  hostile   tests/attacks.hostile_files (entities in every XML part, counts, references,
            zip bombs), a 2.5 GB lying zip bomb and a sheet of 1,048,576 rows: each refused
            or read within the time and memory bounds.
  kills     a child appends rows with writeback.transaction and is SIGKILLed at a random
            moment; after each trial the workbook opens (zip CRCs and calamine every time,
            openpyxl every 10th, LibreOffice every 100th), holds exactly the old rows or the
            old and all the new, the lock is free, and the next write succeeds. "rows lost"
            counts trials that end in any other state.
  races     two processes at the same moment: log/log, record/record, record/assign on one
            workbook; every row accounted for (each visit once, unique ids, the owners
            written), or one clear refusal.

The last lines print the counts (cases run, failures) for the CI log; the exit status is 1 when
anything failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import attacks  # noqa: E402

AS_OF = "2026-11-23"
results: dict[str, dict] = {}


def section(name: str, **counts) -> None:
    results[name] = counts
    print(
        f"[{name}] " + ", ".join(f"{k}={v if not isinstance(v, list) else len(v)}" for k, v in counts.items()),
        flush=True,
    )
    for f in counts.get("failures", [])[:20]:
        print(f"    {name} failure: {f}", flush=True)


# ---------------------------------------------------------------------------


def fuzz(n: int, examples: int, seed: int, work: Path) -> None:
    rng = random.Random(seed)
    seeds = attacks.seeds()
    worker = attacks.Worker()
    failures, runs = [], 0
    start = time.time()
    try:
        for i in range(n):
            base = rng.choice(seeds)
            path = work / f"m{i}{base.suffix}"
            path.write_bytes(attacks.mutate(base.read_bytes(), rng))
            for args in [["check", path]] + ([["due", path, "--as-of", AS_OF]] if i % 3 == 0 else []):
                out = worker.run(args, seconds=30)
                runs += 1
                problem = attacks.verdict(out, path, seconds=30)
                if problem:
                    kept = work.parent / "findings" / path.name
                    kept.parent.mkdir(exist_ok=True)
                    shutil.copy(path, kept)
                    failures.append(f"{base.name} mutant {i} ({kept}) {args[0]}: {problem}")
            path.unlink()
    finally:
        worker.close()
    if examples:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "tests/test_fuzz.py::test_generated_workbooks_get_an_answer",
            ],
            cwd=ROOT,
            env={**attacks.ENV, "FOLLOWUP_FUZZ_EXAMPLES": str(examples)},
            capture_output=True,
            text=True,
        )
        if proc.returncode:
            failures.append("generated workbooks: " + proc.stdout[-1500:])
    section("fuzz", cases=n + examples, runs=runs + 3 * examples, failures=failures, seconds=round(time.time() - start))


# ---------------------------------------------------------------------------


def million_rows(path: Path) -> Path:
    """A customer sheet of 1,048,576 rows (the header and 1,048,575 customers), written raw."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("客户档案")
    ws.write_row(0, 0, ["客户编号", "姓名", "手机"])
    for r in range(1, 1_048_576):
        ws.write_string(r, 0, f"C{r}")
        ws.write_string(r, 1, "王芳")
        ws.write_string(r, 2, "13800000001")
    wb.close()
    return path


def hostile(work: Path) -> None:
    start = time.time()
    base = attacks.base_archive(work / "base.xlsx")
    files = attacks.hostile_files(base, work / "hostile")
    files["zip bomb, 2.5 GB behind a lying header"] = attacks.zip_bomb(base, work / "bomb25.xlsx", 5 << 29, lie=True)
    failures, refused = [], 0
    for what, path in files.items():
        out = attacks.run_cli(["check", path, "--lang", "en"], timeout=120)
        problem = attacks.verdict(out, path, seconds=120) or (None if out.rc == 2 else f"exit {out.rc}: not refused")
        if problem:
            failures.append(f"{what}: {problem}: {out.output[-300:]}")
        else:
            refused += 1
    big = million_rows(work / "million.xlsx")
    out = attacks.run_cli(["check", big, "-q"], timeout=600, memory=4 << 30)
    problem = attacks.verdict(out, big, seconds=600)
    if problem:
        failures.append(f"1,048,576 rows: {problem}: {out.output[-300:]}")
    section(
        "hostile",
        files=len(files),
        refused=refused,
        million_rows_seconds=round(out.seconds),
        million_rows_peak_mb=round(out.peak_mb),
        failures=failures,
        seconds=round(time.time() - start),
    )


# ---------------------------------------------------------------------------

KILL_CHILD = """
import sys
from followup_cli.writeback import transaction
n, tag = int(sys.argv[2]), sys.argv[3]
rows = [[f"{tag}-{i}", "2026-11-23", "电话回访", "已接通", 5, "x" * 40] for i in range(n)]
print("READY", flush=True)
transaction.append_rows(sys.argv[1], "回访记录", rows, command="stress-kill")
print("DONE", flush=True)
"""


def _visit_ids(path: Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("回访记录").to_python()
    return [str(r[0]) for r in rows[1:]]


def kills(n: int, seed: int, work: Path, soffice: str | None) -> None:
    import filelock
    import openpyxl

    from followup_cli.writeback import transaction
    from followup_cli.xlsx.lockfiles import followup_lock
    from tests.helpers import make_workbook

    rng = random.Random(seed)
    start = time.time()
    path = make_workbook(
        work / "kill.xlsx",
        {
            "客户档案": [["客户编号", "姓名"], ["C1", "王芳"]],
            "回访记录": [["客户编号", "回访日期", "回访类型", "结果", "满意度", "备注"]]
            + [[f"OLD-{i}", "2026-01-01", "电话回访", "已接通", 4, "y" * 40] for i in range(3000)],
        },
    )
    script = work / "kill_child.py"
    script.write_text(KILL_CHILD, encoding="utf-8")
    committed = _visit_ids(path)
    per_write = 50
    # how long an undisturbed write takes: the kill moments are spread over it
    cal = subprocess.Popen(
        [sys.executable, str(script), str(path), str(per_write), "CAL"],
        env=attacks.ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    cal.stdout.readline()
    t0 = time.perf_counter()
    cal.wait()
    span = max(0.05, (time.perf_counter() - t0) * 1.2)
    committed = _visit_ids(path)
    lost, killed_mid, failures = 0, 0, []
    lo_checks = 0
    for t in range(n):
        tag = f"K{t}"
        proc = subprocess.Popen(
            [sys.executable, str(script), str(path), str(per_write), tag],
            env=attacks.ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        proc.stdout.readline()  # READY: imports done, the write starts now
        time.sleep(rng.uniform(0, span))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        try:
            with zipfile.ZipFile(path) as z:
                bad = z.testzip()
                assert bad is None, f"bad CRC in {bad}"
            ids = _visit_ids(path)
            new = [f"{tag}-{i}" for i in range(per_write)]
            if ids == committed:
                state = "old"
            elif ids == committed + new:
                state = "new"
            else:
                raise AssertionError(f"{len(ids)} rows: neither the {len(committed)} old nor old + {per_write} new")
            if t % 10 == 0:
                wb = openpyxl.load_workbook(path, read_only=True)
                got = [str(r[0]) for r in wb["回访记录"].iter_rows(min_row=2, values_only=True)]
                wb.close()
                assert got == ids, "openpyxl and calamine disagree"
            if soffice and t % 100 == 0:
                lo = work / f"lo{t}"
                subprocess.run(
                    [
                        soffice,
                        f"-env:UserInstallation=file://{work}/lo-profile",
                        "--headless",
                        "--norestore",
                        "--convert-to",
                        "xlsx:Calc MS Excel 2007 XML",
                        "--outdir",
                        str(lo),
                        str(path),
                    ],
                    check=True,
                    capture_output=True,
                    timeout=300,
                )
                assert _visit_ids(lo / path.name) == ids, "LibreOffice sees other rows"
                lo_checks += 1
            lock = filelock.FileLock(str(followup_lock(path)), timeout=0)
            lock.acquire()
            lock.release()
            if state == "new":
                committed = ids
            else:
                killed_mid += 1
            # the next write succeeds
            transaction.append_rows(
                path, "回访记录", [[f"AFTER-{t}", "2026-11-23", "电话回访", "已接通", 3, "z"]], command="stress-after"
            )
            committed = committed + [f"AFTER-{t}"]
            assert _visit_ids(path) == committed, "the write after the kill lost or doubled rows"
        except Exception as exc:  # a finding: count it, note it, go on from the state found
            lost += 1
            failures.append(f"trial {t}: {type(exc).__name__}: {exc}")
            committed = _visit_ids(path) if path.exists() else committed
    temp_left = [p.name for p in work.rglob("*") if p.name.endswith(".followup-tmp")]
    section(
        "kills",
        trials=n,
        write_seconds=round(span / 1.2, 3),
        killed_before_replace=killed_mid,
        rows_lost=lost,
        libreoffice_checks=lo_checks,
        temp_files_left=len(temp_left),
        failures=failures,
        seconds=round(time.time() - start),
    )


# ---------------------------------------------------------------------------

RACE_RUNNER = """
import os, sys, time
from followup_cli.cli import cli
import followup_cli.writeback.transaction, followup_cli.outputs.due_list  # loaded before the start
go = sys.argv[1]
print("READY", flush=True)
while not os.path.exists(go):
    time.sleep(0.002)
cli.main(sys.argv[2:], prog_name="followup")
"""


def _together(work: Path, *commands) -> list[subprocess.CompletedProcess]:
    runner = work / "race_runner.py"
    runner.write_text(RACE_RUNNER, encoding="utf-8")
    go = work / f"go-{time.monotonic_ns()}"
    env = {**attacks.ENV, "FOLLOWUP_LANG": "en"}
    procs = [
        subprocess.Popen(
            [sys.executable, str(runner), str(go), *map(str, c)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for c in commands
    ]
    for p in procs:
        p.stdout.readline()
    go.write_text("go")
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=300)
        out.append(subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr))
    return out


def _race_shop(path: Path) -> Path:
    from tests.helpers import make_workbook

    D = dt.date
    return make_workbook(
        path,
        {
            "客户档案": [["客户编号", "姓名", "性别", "手机", "生日", "会员等级", "负责人", "建档日期"]]
            + [
                [f"C{i}", f"客户{i}", "女", "13800000001", D(1990, 11, 23), "VIP", None, D(2025, 1, 10)]
                for i in range(1, 7)
            ],
            "员工": [
                ["工号", "姓名", "门店", "地区", "角色", "在职", "离职日期", "能力权重"],
                ["S1", "林晓雯", "", "", "客服", "是", None, 1],
                ["S2", "周敏", "", "", "客服", "是", None, 1],
            ],
            "回访记录": [
                ["回访编号", "客户编号", "回访日期", "回访类型", "回访方式", "回访人", "结果", "满意度", "任务编号"]
            ],
        },
    )


def _fill_sheet(sheet: Path) -> list[str]:
    import openpyxl

    wb = openpyxl.load_workbook(sheet)
    tasks = []
    for ws in wb.worksheets:
        if ws.title.startswith("_"):
            continue
        head = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            if not row[head.index("客户编号")].value:
                continue  # a prepared empty row
            values = {"完成日期": AS_OF, "结果": "已联系", "满意度": "满意"}
            for k, v in values.items():
                if k in head:
                    row[head.index(k)].value = v
            if "任务编号" in head and row[head.index("任务编号")].value:
                tasks += str(row[head.index("任务编号")].value).split()
    wb.save(sheet)
    return sorted(tasks)


def races(n: int, work: Path) -> None:
    from followup_cli.archive.reading import load_archive

    start = time.time()
    failures, trials = [], 0
    for t in range(n):
        for scenario in ("log/log", "record/record", "record/assign"):
            folder = work / f"race{t}-{scenario.replace('/', '-')}"
            folder.mkdir()
            path = _race_shop(folder / "shop.xlsx")
            trials += 1
            try:
                if scenario == "log/log":
                    res = _together(
                        folder,
                        *[
                            ["log", path, "--customer", c, "--kind", "生日回访", "--outcome", "已联系", "--date", AS_OF]
                            for c in ("C1", "C2")
                        ],
                    )
                    assert [r.returncode for r in res] == [0, 0], [r.stderr[-300:] for r in res]
                    visits = load_archive([path]).visits
                    assert sorted(v.customer_id for v in visits) == ["C1", "C2"], [v.customer_id for v in visits]
                    assert len({v.visit_id for v in visits}) == 2, "visit ids not unique"
                else:
                    sheet = folder / "calls.xlsx"
                    made = subprocess.run(
                        [
                            sys.executable,
                            "-m",
                            "followup_cli",
                            "sheet",
                            str(path),
                            "-o",
                            str(sheet),
                            "--as-of",
                            AS_OF,
                            "-q",
                        ],
                        env=attacks.ENV,
                        capture_output=True,
                        text=True,
                    )
                    assert made.returncode == 0, made.stderr[-300:]
                    tasks = _fill_sheet(sheet)
                    record = ["record", path, sheet, "--as-of", AS_OF, "-q"]
                    other = record if scenario == "record/record" else ["assign", path, "--as-of", AS_OF, "-q"]
                    res = _together(folder, record, other)
                    assert [r.returncode for r in res] == [0, 0], [r.stderr[-300:] for r in res]
                    archive = load_archive([path])
                    got = sorted(v.task_id for v in archive.visits if v.task_id)
                    assert got == tasks, f"{len(got)} visits recorded for {len(tasks)} tasks"
                    assert len({v.visit_id for v in archive.visits}) == len(archive.visits), "visit ids not unique"
                    if scenario == "record/assign":
                        owners = [c.owner for c in archive.customers]
                        assert all(owners), f"owners lost: {owners}"
                leftovers = [p.name for p in folder.iterdir() if p.name.endswith((".followup-tmp", ".followup.lock"))]
                assert not leftovers, leftovers
            except Exception as exc:
                failures.append(f"{scenario} trial {t}: {type(exc).__name__}: {exc}")
            shutil.rmtree(folder, ignore_errors=True)
    section("races", trials=trials, failures=failures, seconds=round(time.time() - start))


# ---------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fuzz", type=int, default=1500, help="mutated workbooks (default 1500)")
    ap.add_argument("--examples", type=int, default=100, help="generated workbooks (default 100)")
    ap.add_argument("--kills", type=int, default=150, help="SIGKILL trials (default 150)")
    ap.add_argument("--races", type=int, default=3, help="trials of each race scenario (default 3)")
    ap.add_argument("--no-hostile", action="store_true", help="skip the hostile files")
    ap.add_argument("--seed", type=int, default=int(os.environ.get("FOLLOWUP_STRESS_SEED", "1")))
    args = ap.parse_args()
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    with tempfile.TemporaryDirectory(prefix="followup-stress-") as tmp:
        work = Path(tmp)
        for name, run in (
            ("fuzz", lambda w: fuzz(args.fuzz, args.examples, args.seed, w)),
            ("hostile", None if args.no_hostile else hostile),
            ("kills", lambda w: kills(args.kills, args.seed, w, soffice) if args.kills else None),
            ("races", lambda w: races(args.races, w) if args.races else None),
        ):
            if run is None:
                continue
            folder = work / name
            folder.mkdir()
            run(folder)
    print("STRESS SUMMARY", flush=True)
    failed = 0
    for name, counts in results.items():
        n = len(counts.get("failures", []))
        failed += n
        shown = {k: v for k, v in counts.items() if k != "failures"}
        print(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in shown.items()) + f", failures {n}")
    print(f"STRESS {'FAILED' if failed else 'OK'}: {failed} failures", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
