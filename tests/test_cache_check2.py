"""Cached runs against cold ones, second pass: flows a shop's users and batch scripts run
where a cached answer could differ from a cold one. Each test makes a real archive, fills
the cache as those flows do, and compares what the next run prints with a cold run's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.terminal import on_a_terminal, piped, widest

SAMPLES = Path(__file__).resolve().parent.parent / "sample_workbooks"
AS_OF = "2026-11-23"


@pytest.mark.parametrize(
    "command",
    [
        ("due", "a.xlsx", "--as-of", AS_OF),
        ("check", "a.xlsx", "--as-of", AS_OF),
        ("kpi", "a.xlsx", "--period", "2026-11", "--as-of", AS_OF),
    ],
    ids=lambda c: c[0],
)
def test_messages_played_back_on_a_terminal_are_wrapped_to_it(tmp_path, command):
    """On a terminal a message is wrapped to its width (options.note). A run played back from
    what the one before kept (cache/replay.py) wraps its messages as that run did: on an
    64-column terminal the unassigned-tasks note and the summary are the cold run's lines, not
    one long line each."""
    shutil.copy(SAMPLES / "retail_vip_zh.xlsx", tmp_path / "a.xlsx")
    cache = tmp_path / "cache"
    for columns in (50, 64):
        cold = on_a_terminal(command, columns, tmp_path, stderr=True)
        assert widest(piped(command, tmp_path, stderr=True)[1]) > columns >= widest(cold[1])  # wrapped
        first = on_a_terminal(command, columns, tmp_path, stderr=True, cache=cache)  # kept
        again = on_a_terminal(command, columns, tmp_path, stderr=True, cache=cache)  # played back
        assert first == cold
        assert again == cold


FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reading"


def _shape_files(name: str, scratch: Path) -> list[str]:
    """The files of a reading shape: its workbook, or the several files a shape is made of (the
    generator names those by writing them, into `scratch`)."""
    from tests.fixtures import qa5_fixtures

    if name in qa5_fixtures.FILES:
        return [p.name for p in qa5_fixtures.FILES[name](scratch)]
    if name == "several_files":
        return ["several_files_customers.xlsx", "several_files_sales.xlsx"]
    return [p.name for p in FIXTURES.glob(f"{name}.*") if not p.name.endswith(".json")]


SHAPES = sorted(p.name.removesuffix(".mapping.json") for p in FIXTURES.glob("*.mapping.json"))


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch):
    """The sheet and schedule caches at work, a command's whole result not kept (that one is
    keyed by the files' content, and tests/test_replay.py plays it back on every sample)."""
    from tests.helpers import use_cache_dir

    return use_cache_dir(tmp_path / "cache", monkeypatch, keep_outputs=False)


def _invoke(*args):
    from click.testing import CliRunner

    from followup_cli.cli import cli

    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("name", SHAPES)
def test_every_reading_shape_reads_from_the_cache_as_a_cold_run_does(cache_dir, tmp_path, name):
    """Each shape the reader learnt (blocklists, unheaded columns, tables side by side, second
    phones and birthdays, totals rows, form and ERP exports, struck rows, dates without a year,
    level legends ...) keeps state of its sheet that the sheet cache stores and the schedule and
    replay caches key on. `check` (every column) and `due` (the columns scheduling needs) fill
    the cache; each then answers from it, and `kpi` and `due --explain` from what they left,
    exactly as a cold run."""
    files = _shape_files(name, tmp_path / "names")
    assert files, name
    for f in files:
        shutil.copy(FIXTURES / f, tmp_path / f)
    paths = [tmp_path / f for f in files]
    commands = [
        ("check", *paths, "--as-of", AS_OF, "--format", "json"),
        ("due", *paths, "--as-of", AS_OF, "--format", "json"),
        ("due", *paths, "--as-of", AS_OF, "--explain"),
        ("kpi", *paths, "--period", "2026-11", "--as-of", AS_OF, "--format", "json"),
    ]
    cold = [_invoke(*c, "--no-cache") for c in commands]
    for _ in range(2):  # the first fills the caches, the second reads them
        assert [_invoke(*c) for c in commands] == cold


def _piped(args, cwd, cache, encoding: str) -> tuple[int, bytes, bytes]:
    """followup run with stdout and stderr on pipes in `encoding` (PYTHONIOENCODING: what a
    Windows console's code page or a redirected file gives), cache in `cache` (None: --no-cache)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("FOLLOWUP_NO_CACHE", "COLUMNS")}
    env.update(PYTHONPATH=str(Path(__file__).resolve().parents[1]), PYTHONIOENCODING=encoding)
    env["FOLLOWUP_CACHE_DIR"] = str(cache or cwd / "unused")
    extra = [] if cache is not None else ["--no-cache"]
    proc = subprocess.run([sys.executable, "-m", "followup_cli", *args, *extra], capture_output=True, env=env, cwd=cwd)
    return proc.returncode, proc.stdout, proc.stderr


def test_a_result_kept_for_one_output_encoding_is_not_played_back_into_another(tmp_path):
    """What reaches the user is the text in the streams' encoding. A KPI report kept while
    stdout was UTF-8 and played back into an ASCII stream (a code page that lacks its '—')
    is written as a cold run writes it, unencodable characters as '?': the kept result is for
    the encoding it was written in."""
    shutil.copy(SAMPLES / "retail_vip_en.xlsx", tmp_path / "e.xlsx")
    cache = tmp_path / "cache"
    command = ("kpi", "e.xlsx", "--period", "2026-11", "--as-of", AS_OF)
    assert _piped(command, tmp_path, cache, "utf-8")[0] == 0  # kept
    cold = _piped(command, tmp_path, None, "ascii")
    assert cold[0] == 0 and b"Completion rate" in cold[1] and b"?" in cold[1]
    assert _piped(command, tmp_path, cache, "ascii") == cold
    assert _piped(command, tmp_path, cache, "utf-8") == _piped(command, tmp_path, None, "utf-8")


@pytest.mark.parametrize("encoding", ["ascii", "gbk"])
def test_a_stdout_that_cannot_encode_a_name_still_gets_every_command_s_output(tmp_path, encoding):
    """A customer named with a character outside the console's code page (𠮷 is not in GBK;
    nothing Chinese is in ASCII) is printed with '?' for it, as a console shows it; the command
    does not end in 'unexpected error'. Cached runs write the same bytes."""
    from openpyxl import load_workbook

    wb = load_workbook(SAMPLES / "retail_vip_zh.xlsx")
    ws = wb.worksheets[0]
    header = next(r for r in range(1, 10) if any(c.value in ("姓名", "客户姓名") for c in ws[r]))
    name_col = next(c.column for c in ws[header] if c.value in ("姓名", "客户姓名"))
    for row in range(header + 1, ws.max_row + 1):
        if ws.cell(row, name_col).value:
            ws.cell(row, name_col).value = f"𠮷{ws.cell(row, name_col).value}"
    wb.save(tmp_path / "z.xlsx")
    cache = tmp_path / "cache"
    commands = [
        ("due", "z.xlsx", "--as-of", AS_OF),
        ("check", "z.xlsx", "--as-of", AS_OF),
        ("columns", "z.xlsx"),
        ("kpi", "z.xlsx", "--period", "2026-11", "--as-of", AS_OF),
    ]
    for command in commands:
        cold = _piped(command, tmp_path, None, encoding)
        assert b"unexpected" not in cold[2] and cold[0] in (0, 1), (command, cold[2])
        assert cold[1], command
        for _ in range(2):  # the first fills the cache, the second plays it back
            assert _piped(command, tmp_path, cache, encoding) == cold, command
    due = _piped(commands[0], tmp_path, None, encoding)[1]
    assert b"?" in due


def test_a_refusal_written_into_a_visits_notes_is_seen_after_the_visit_sheet_changed(tmp_path, monkeypatch):
    """A clerk writes 客户说以后别打了 into the 备注 of an old visit: from then on the customer is not
    to be contacted (archive/said_in_visits.py), though `due` does not read that column as a
    field (the log has a task id column) and the visit's values are what they were. The run
    after that edit schedules again the customers whose visits changed (cache/reuse.py); the
    customer whose visit now refuses is one of them, and is not on the list, as in a cold run."""
    import datetime as dt
    import json
    import re

    from tests.helpers import make_workbook, rewrite_part, sheet_part, use_cache_dir

    use_cache_dir(tmp_path / "cache", monkeypatch, keep_outputs=True)
    archive = make_workbook(
        tmp_path / "a.xlsx",
        {
            "客户档案": [
                ["客户编号", "姓名", "手机", "生日", "会员等级", "负责人", "建档日期"],
                ["C1", "王芳", "13800000001", dt.date(1990, 11, 23), "VIP", "李娜", dt.date(2024, 1, 5)],
                ["C2", "李雷", "13800000002", dt.date(1988, 11, 23), "VIP", "李娜", dt.date(2024, 1, 5)],
            ],
            "回访记录": [
                ["客户编号", "回访日期", "回访类型", "结果", "备注", "任务编号"],
                ["C1", dt.date(2026, 3, 2), "满意度回访", "已联系", "满意", ""],
                ["C2", dt.date(2026, 3, 3), "满意度回访", "已联系", "满意", ""],
            ],
        },
    )
    due = ("due", archive, "--as-of", AS_OF, "--format", "json")

    def listed(result):
        return {row["customer_id"] for row in json.loads(result[1])}

    assert listed(_invoke(*due)) == {"C1", "C2"}  # fills the caches
    member = sheet_part(archive, "回访记录")

    def refuse(xml: bytes) -> bytes:  # C1's visit (row 2): its 备注 (E2) now says so, the rest untouched
        new = '<c r="E2" t="inlineStr"><is><t>客户说以后别打了</t></is></c>'.encode()
        return re.sub(rb'<c r="E2"[^>]*?(?:/>|>.*?</c>)', new, xml, count=1, flags=re.S)

    rewrite_part(archive, member, refuse)
    cold = _invoke(*due, "--no-cache")
    assert listed(cold) == {"C2"}  # C1 asked not to be called again
    assert _invoke(*due) == cold
    assert _invoke(*due) == cold  # and from what that run kept


def test_a_task_id_in_the_notes_of_a_log_with_a_task_id_column_closes_the_task_for_every_command(tmp_path, monkeypatch):
    """`record` writes a task's id into the 备注 of a log without a 任务编号 column; once the shop
    adds the column, those rows keep their ids in 备注 and an empty 任务编号, and the id still
    closes the task (schedule.tasks.visit_task_ids). `sms` reads every column, `due` the columns
    scheduling needs, and the schedule one of them keeps is the other's (cache/schedule.py): so
    `due` reads the notes of such a log too. Cached after `sms`, and cold, `due` says the task
    is done."""
    import datetime as dt
    import json

    from tests.helpers import make_workbook, use_cache_dir

    customers = [
        ["客户编号", "姓名", "手机", "生日", "会员等级", "负责人", "建档日期"],
        ["C1", "王芳", "13800000001", dt.date(1990, 11, 23), "VIP", "李娜", dt.date(2024, 1, 5)],
        ["C2", "李雷", "13800000002", dt.date(1988, 11, 23), "VIP", "李娜", dt.date(2024, 1, 5)],
    ]
    visits = [["客户编号", "回访日期", "回访类型", "结果", "备注", "任务编号"]]
    archive = make_workbook(tmp_path / "a.xlsx", {"客户档案": customers, "回访记录": visits})
    due = ("due", archive, "--as-of", AS_OF, "--format", "json")
    first = {
        r["customer_id"]: r["task_id"] for r in json.loads(_invoke(*due, "--no-cache")[1]) if r["rule"] == "birthday"
    }
    assert set(first) == {"C1", "C2"}
    # C1 was called on the day; record wrote the task's id into 备注 before the log had 任务编号
    visits.append(["C1", dt.date(2026, 11, 23), "电话回访", "已联系", f"followup 任务 {first['C1']}", None])
    make_workbook(archive, {"客户档案": customers, "回访记录": visits})
    use_cache_dir(tmp_path / "cache", monkeypatch, keep_outputs=True)
    cold = _invoke(*due, "--no-cache")
    listed = {r["task_id"] for r in json.loads(cold[1])}
    assert first["C2"] in listed and first["C1"] not in listed  # the id in 备注 closed C1's birthday call
    assert _invoke("sms", archive, "--as-of", AS_OF)[0] == 0  # every column read: keeps its schedule
    assert _invoke(*due) == cold
