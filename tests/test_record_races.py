"""Two writers at once (issue 17): two `record` or two `log` processes started together end
with every row once and unique ids, also when the separate visit log must first be created."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

from openpyxl import load_workbook

from followup_cli.archive.reading import load_archive
from tests.helpers import CUSTOMER_HEADERS, PURCHASE_HEADERS, customer, make_workbook

D = dt.date
AS_OF = "2026-11-23"
TRIALS = int(os.environ.get("FOLLOWUP_RACE_TRIALS", "2"))  # per scenario: two real processes started at once
ROOT = Path(__file__).resolve().parent.parent

# Waits for the go file, so both processes reach the lock at the same moment.
RUNNER = """
import os, sys, time
from followup_cli.cli import cli
import followup_cli.writeback.record, followup_cli.outputs.due_list  # loaded before the start
go = sys.argv[1]
print("READY", flush=True)
while not os.path.exists(go):
    time.sleep(0.002)
cli.main(sys.argv[2:], prog_name="followup")
"""


def run_together(tmp_path: Path, *commands: list[str]) -> list[subprocess.CompletedProcess]:
    runner = tmp_path / "runner.py"
    runner.write_text(RUNNER, encoding="utf-8")
    go = tmp_path / f"go-{time.monotonic_ns()}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FOLLOWUP_LANG": "en"}
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
    for p in procs:  # both are started, loaded and waiting
        assert p.stdout.readline().strip() == "READY"
    go.write_text("go")
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=120)
        out.append(subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr))
    return out


def shop(path: Path) -> Path:
    return make_workbook(
        path,
        {
            "客户档案": [
                CUSTOMER_HEADERS,
                customer("C1", birthday=D(1990, 11, 23)),
                customer("C2", name="李雷"),
                customer("C3", name="赵敏"),
            ],
            "消费记录": [
                PURCHASE_HEADERS,
                ["C2", D(2026, 11, 16), "大衣", 1999, "是"],
                ["C3", D(2026, 11, 16), "围巾", 299, "是"],
            ],
            "回访登记": [
                ["回访编号", "客户编号", "回访日期", "回访类型", "回访人", "满意度"],
                ["V00007", "C9", D(2026, 10, 1), "定期回访", "林晓雯", "满意"],
            ],
        },
    )


def test_two_records_of_one_sheet_at_once_write_every_visit_once(tmp_path):
    from tests.test_record_shop_book import fill, invoke, reached

    for trial in range(TRIALS):
        folder = tmp_path / f"t{trial}"
        folder.mkdir()
        path = shop(folder / "shop.xlsx")
        out = folder / "calls.xlsx"
        assert invoke("sheet", path, "-o", out, "--as-of", AS_OF).exit_code == 0
        fill(out, {"C1": reached(), "C2": reached(), "C3": {"完成日期": AS_OF, "结果": "未接通"}})
        results = run_together(folder, ["record", path, out, "--as-of", AS_OF], ["record", path, out, "--as-of", AS_OF])
        assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
        ws = load_workbook(out).worksheets[0]
        col = [c.value for c in ws[1]].index("任务编号")
        tasks = sorted(t for r in ws.iter_rows(min_row=2, values_only=True) if r[col] for t in r[col].split())
        visits = [v for v in load_archive([path]).visits if v.customer_id != "C9"]
        assert sorted(v.task_id for v in visits) == tasks  # every task's visit, once
        ids = [v.visit_id for v in load_archive([path]).visits]
        assert len(ids) == len(set(ids))
        assert sum("already recorded" in r.stderr for r in results) == 1
        assert not list(folder.glob(".*.followup.lock")) and not list(folder.glob(".*followup-tmp"))


def _log(path, cid, kind="产品使用回访"):
    return ["log", path, "--customer", cid, "--kind", kind, "--outcome", "已联系", "--date", AS_OF]


def test_two_logs_at_once_keep_both_rows_with_unique_ids(tmp_path):
    for trial in range(TRIALS):
        folder = tmp_path / f"t{trial}"
        folder.mkdir()
        path = shop(folder / "shop.xlsx")
        results = run_together(folder, _log(path, "C2"), _log(path, "C3"))
        assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
        visits = load_archive([path]).visits
        assert sorted(v.customer_id for v in visits) == ["C2", "C3", "C9"]
        assert sorted(v.visit_id for v in visits) == ["V00007", "V00008", "V00009"]


def test_the_same_log_twice_at_once_is_written_once(tmp_path):
    for trial in range(TRIALS):
        folder = tmp_path / f"t{trial}"
        folder.mkdir()
        path = shop(folder / "shop.xlsx")
        results = run_together(folder, _log(path, "C2"), _log(path, "C2"))
        assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
        assert sorted(v.customer_id for v in load_archive([path]).visits) == ["C2", "C9"]
        assert sum("already recorded" in r.stderr for r in results) == 1


def test_two_logs_creating_the_separate_log_at_once_keep_both_rows(tmp_path):
    for trial in range(TRIALS):
        folder = tmp_path / f"t{trial}"
        folder.mkdir()
        archive = folder / "nolog.csv"
        archive.write_text("客户编号,姓名,生日\nC2,李雷,1990-01-02\nC3,赵敏,1991-03-04\n", encoding="utf-8-sig")
        results = run_together(folder, _log(archive, "C2", "定期回访"), _log(archive, "C3", "定期回访"))
        assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
        log = folder / "nolog-回访记录.xlsx"
        rows = [[c.value for c in r] for r in load_workbook(log).active.iter_rows(min_row=2)]
        assert sorted(r[1] for r in rows) == ["C2", "C3"]
        assert len({r[0] for r in rows}) == 2  # unique visit ids
        assert not [p for p in folder.iterdir() if p.name.endswith((".new", ".followup-tmp", ".followup.lock"))]
