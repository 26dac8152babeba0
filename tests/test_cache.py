"""The sheet cache (followup_cli/cache): a cached run prints exactly what a cold run prints,
an edited sheet is read again (and only that sheet), and a damaged, foreign or hostile cache
file is ignored, never trusted and never an error."""

from __future__ import annotations

import io
import os
import pickle
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_cli.cache import sheets, store
from followup_cli.cli import cli
from tests.helpers import generated_archive, rewrite_part, sheet_part, use_cache_dir

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_workbooks"
AS_OF = "2026-11-23"


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch):
    # a second run's whole output is kept too (tests/test_replay.py): off, to see these caches at work
    return use_cache_dir(tmp_path / "cache", monkeypatch, keep_outputs=False)


def run(*args, no_cache=False) -> str:
    argv = list(args) + (["--no-cache"] if no_cache else [])
    result = CliRunner().invoke(cli, argv, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def due_json(path, no_cache=False, *extra) -> str:
    return run("due", str(path), "--as-of", AS_OF, "--format", "json", "-q", *extra, no_cache=no_cache)


def statuses(path=None) -> dict[str, str]:
    return {
        sheet: status for file, sheet, status in sheets.events if file and (path is None or Path(file) == Path(path))
    }


def schedule_status() -> str | None:
    return next((status for file, what, status in reversed(sheets.events) if what == "schedule"), None)


def copy_sample(tmp_path, name) -> Path:
    dst = tmp_path / name
    shutil.copy(SAMPLES / name, dst)
    toml = SAMPLES / (Path(name).stem + ".followup.toml")
    if toml.exists():
        shutil.copy(toml, tmp_path / toml.name)
    return dst


SAMPLE_NAMES = sorted(p.name for p in SAMPLES.glob("*.xlsx"))


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_samples_cached_due_and_sheet_match_a_cold_run(cache_dir, tmp_path, name):
    archive = copy_sample(tmp_path, name)
    cold = due_json(archive, no_cache=True)
    first = due_json(archive)  # fills the cache
    assert set(statuses(archive).values()) == {"stored"}
    assert schedule_status() == "stored"
    second = due_json(archive)
    assert set(statuses(archive).values()) == {"hit"}
    assert schedule_status() == "hit"  # the same inputs: not scheduled again
    assert first == cold and second == cold

    outs = []
    for i, nc in enumerate((True, False, False)):
        out = tmp_path / f"calls{i}.xlsx"
        run("sheet", str(archive), "--as-of", AS_OF, "-o", str(out), "-q", no_cache=nc)
        outs.append(out)
        if i == 1:  # right after `due`: its sheets and its schedule, nothing read or scheduled again
            assert set(statuses(archive).values()) == {"hit"} and schedule_status() == "hit"
    assert set(statuses(archive).values()) == {"hit"} and schedule_status() == "hit"
    cold_sheet = _sheet_values(outs[0])
    assert _sheet_values(outs[1]) == cold_sheet and _sheet_values(outs[2]) == cold_sheet


def _sheet_values(path: Path) -> list:
    """Every part but the document properties, byte for byte, the time of writing (the
    hidden sheet's 'created') blanked out: it is the only thing two cold runs differ in."""
    import re

    with zipfile.ZipFile(path) as zf:
        return sorted(
            (n, re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", b"(time)", zf.read(n)))
            for n in zf.namelist()
            if not n.startswith("docProps/")
        )


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return generated_archive(tmp_path_factory.mktemp("generated") / "archive.xlsx", 600, 3000, 2000, 7)


def test_generated_archive_cached_matches_cold(cache_dir, generated, tmp_path):
    archive = tmp_path / "archive.xlsx"
    shutil.copy(generated, archive)
    cold = due_json(archive, no_cache=True)
    assert due_json(archive) == cold
    assert due_json(archive) == cold
    assert set(statuses(archive).values()) == {"hit"}
    cold_sheet, warm_sheet = tmp_path / "cold.xlsx", tmp_path / "warm.xlsx"
    run("sheet", str(archive), "--as-of", AS_OF, "-o", str(cold_sheet), "-q", no_cache=True)
    run("sheet", str(archive), "--as-of", AS_OF, "-o", str(warm_sheet), "-q")  # right after due
    assert set(statuses(archive).values()) == {"hit"} and schedule_status() == "hit"
    assert _sheet_values(warm_sheet) == _sheet_values(cold_sheet)
    check_cold = run("check", str(archive), "--format", "json", no_cache=True)
    assert run("check", str(archive), "--format", "json") == check_cold
    assert run("check", str(archive), "--format", "json") == check_cold


def _set_visit_dates(archive: Path, last_row: int) -> int:
    """Visit dates (serial numbers in column C) of rows 2..last_row become 2026-11-22, the
    day before the as-of date, in the visit sheet's part alone; how many cells changed."""
    import datetime as dt
    import re

    yesterday = str((dt.date(2026, 11, 22) - dt.date(1899, 12, 30)).days).encode()
    changed = []

    def edit(data: bytes) -> bytes:
        def one(m):
            if not 2 <= int(m[2]) <= last_row or m[3] == yesterday:
                return m[0]
            changed.append(m[1])
            return m[0][: -len(m[3]) - 4] + yesterday + b"</v>"

        return re.sub(rb'<c r="(C(\d+))"(?: s="\d+")?><v>(\d+)</v>', one, data)

    rewrite_part(archive, sheet_part(archive, "回访记录"), edit)
    return len(changed)


def test_changing_one_cell_invalidates_exactly_that_sheet(cache_dir, generated, tmp_path):
    archive = tmp_path / "archive.xlsx"
    shutil.copy(generated, archive)
    before = due_json(archive)
    assert due_json(archive) == before
    assert set(statuses(archive).values()) == {"hit"}

    assert _set_visit_dates(archive, 2) == 1  # one cell of one sheet
    after = due_json(archive)
    got = statuses(archive)
    assert got.pop("回访记录") == "stored"
    assert got and set(got.values()) == {"hit"}
    assert after == due_json(archive, no_cache=True)

    # Many visits yesterday: those customers are kept off by the minimum gap; the cached
    # run sees it exactly as a cold run does.
    assert _set_visit_dates(archive, 400) > 100
    changed = due_json(archive)
    assert statuses(archive)["回访记录"] == "stored"
    assert changed != before and changed == due_json(archive, no_cache=True)
    assert due_json(archive) == changed
    assert set(statuses(archive).values()) == {"hit"}


def test_an_edited_shared_part_invalidates_every_sheet(cache_dir, tmp_path):
    archive = copy_sample(tmp_path, "retail_vip_zh.xlsx")
    due_json(archive)
    rewrite_part(archive, "xl/styles.xml", lambda data: data.replace(b"</styleSheet>", b"<!-- x --></styleSheet>"))
    due_json(archive)
    assert set(statuses(archive).values()) == {"stored"}


def test_settings_and_reader_version_are_part_of_the_key(cache_dir, tmp_path, monkeypatch):
    archive = copy_sample(tmp_path, "retail_vip_zh.xlsx")
    cold = due_json(archive)
    run("due", str(archive), "--as-of", AS_OF, "--format", "json", "-q", "--date-order", "dmy")
    assert set(statuses(archive).values()) == {"stored"}  # another date order: read again
    monkeypatch.setitem(sheets._version, "v", b"another reader")
    assert due_json(archive) == cold
    assert set(statuses(archive).values()) == {"stored"}


def test_damaged_foreign_and_hostile_cache_files_are_ignored(cache_dir, tmp_path):
    archive = copy_sample(tmp_path, "retail_vip_zh.xlsx")
    cold = due_json(archive, no_cache=True)
    due_json(archive)
    files = sorted(p for p in cache_dir.iterdir() if p.suffix == ".bin")
    assert files
    hostile = pickle.dumps(_Boom())
    for k, f in enumerate(files):
        data = f.read_bytes()
        if k % 3 == 0:
            f.write_bytes(data[: len(data) // 2])  # truncated
        elif k % 3 == 1:
            # a valid-looking header over a payload that would run a command
            f.write_bytes(data[: len(store.MAGIC) + store._HEADER.size] + hostile)
        else:
            f.write_bytes(b"not a cache file at all")
    assert due_json(archive) == cold
    assert set(statuses(archive).values()) == {"stored"}  # all rebuilt
    assert due_json(archive) == cold
    assert set(statuses(archive).values()) == {"hit"}
    assert not (tmp_path / "pwned").exists()


class _Boom:
    def __reduce__(self):
        return (os.system, (f"touch {Path.cwd() / 'pwned'}",))


def test_the_unpickler_refuses_any_other_class_even_with_a_valid_mac():
    with pytest.raises(pickle.UnpicklingError):
        store._SafeUnpickler(io.BytesIO(pickle.dumps(_Boom()))).load()
    with pytest.raises(pickle.UnpicklingError):
        store._SafeUnpickler(io.BytesIO(pickle.dumps(Path("/")))).load()
    with pytest.raises(pickle.PicklingError):
        store._dumps([Path("/")])


def test_a_cache_folder_others_can_write_is_not_used(cache_dir, tmp_path):
    if os.name != "posix":
        pytest.skip("file modes")
    cache_dir.mkdir(parents=True)
    cache_dir.chmod(0o777)
    archive = copy_sample(tmp_path, "retail_vip_zh.xlsx")
    cold = due_json(archive, no_cache=True)
    assert due_json(archive) == cold
    assert due_json(archive) == cold
    assert not [p for p in cache_dir.iterdir()]
    assert set(statuses(archive).values()) == {"not-stored"}


def test_no_cache_option_and_environment(cache_dir, tmp_path, monkeypatch):
    archive = copy_sample(tmp_path, "retail_vip_zh.xlsx")
    due_json(archive, True)
    assert not cache_dir.exists() or not list(cache_dir.glob("*.bin"))
    assert sheets.events == []
    monkeypatch.setenv("FOLLOWUP_NO_CACHE", "1")
    due_json(archive)
    assert not cache_dir.exists() or not list(cache_dir.glob("*.bin"))
    monkeypatch.delenv("FOLLOWUP_NO_CACHE")
    due_json(archive)
    assert list(cache_dir.glob("*.bin"))


def test_csv_archive_is_keyed_by_its_content(cache_dir, tmp_path):
    path = tmp_path / "customers.csv"
    rows = ["客户编号,姓名,手机,生日", "C1,王芳,13800000001,1990-11-25", "C2,李雷,13800000002,1985-11-26"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")

    def check(no_cache=False):
        args = ["check", str(path), "--format", "json"] + (["--no-cache"] if no_cache else [])
        return CliRunner().invoke(cli, args).output

    cold = check(no_cache=True)
    assert check() == cold
    assert check() == cold
    assert set(statuses(path).values()) == {"hit"}
    path.write_text("\n".join(rows[:2] + ["C2,李雷,13800000002,not a date"]) + "\n", encoding="utf-8")
    changed = check()
    assert statuses(path) and set(statuses(path).values()) == {"stored"}
    assert changed == check(no_cache=True) and changed != cold and "not a date" in changed


def test_two_processes_filling_the_cache_at_once(cache_dir, generated, tmp_path):
    archive = tmp_path / "archive.xlsx"
    shutil.copy(generated, archive)
    cmd = [sys.executable, "-m", "followup_cli", "due", str(archive), "--as-of", AS_OF, "--format", "json", "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FOLLOWUP_CACHE_DIR": str(cache_dir)}
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, env=env) for _ in range(3)]
    outs = [p.communicate()[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    cold = subprocess.run(cmd + ["--no-cache"], stdout=subprocess.PIPE, env=env, check=True).stdout
    assert outs == [cold] * 3
    assert subprocess.run(cmd, stdout=subprocess.PIPE, env=env, check=True).stdout == cold
    assert not list(cache_dir.glob("*.part"))


def test_a_schedule_is_not_reused_for_an_archive_changed_in_memory(cache_dir, tmp_path):
    import copy
    import datetime as dt

    from followup_cli.archive.reading import load_archive
    from followup_cli.config import load_config
    from followup_cli.outputs.due_list import due

    archive = copy_sample(tmp_path, "retail_vip_zh.xlsx")
    config = load_config([archive])
    day = dt.date(2026, 11, 23)
    first = due(load_archive([archive], config), config, day)
    assert schedule_status() == "stored"
    loaded = load_archive([archive], config)
    again = due(loaded, config, day)
    assert schedule_status() == "hit" and again.rows == first.rows
    # a visit for the first listed customer, added in memory (as record does before writing)
    task = first.schedule.tasks[0]
    visit = copy.copy(loaded.visits[0])
    visit.customer_id, visit.date = task.customer.id, dt.datetime(2026, 11, 23, 10)
    loaded.visits.append(visit)
    fresh = due(loaded, config, day)
    assert schedule_status() == "not-cached"
    assert fresh.rows == due(loaded, config, day).rows


def test_a_schedule_is_shared_by_reads_of_other_columns_that_hold_what_it_needs(cache_dir, tmp_path):
    """`record` reads every column, `due` and `sheet` only those scheduling needs: one schedule
    serves them all. A read that lacks a column scheduling needs neither uses nor stores one."""
    import datetime as dt

    from followup_cli.archive.reading import load_archive
    from followup_cli.config import load_config
    from followup_cli.outputs.due_list import due
    from followup_cli.policy.setup import policy_setup
    from followup_cli.schedule.context import needed_fields

    archive = copy_sample(tmp_path, "retail_vip_zh.xlsx")
    config = load_config([archive])
    day = dt.date(2026, 11, 23)
    needed = needed_fields(policy_setup(config).policy)
    store.disable(True)
    try:
        cold = due(load_archive([archive], config), config, day)
    finally:
        store.disable(False)
    first = due(load_archive([archive], config, fields=needed), config, day)  # as `due` reads
    assert schedule_status() == "stored" and first.rows == cold.rows
    full = due(load_archive([archive], config), config, day)  # as `record` reads: every column
    assert schedule_status() == "hit" and full.rows == cold.rows
    short = {**needed, "visits": needed["visits"] - {"outcome"}}
    due(load_archive([archive], config, fields=short), config, day)
    assert schedule_status() == "not-cached"
    assert due(load_archive([archive], config, fields=needed), config, day).rows == cold.rows
    assert schedule_status() == "hit"


def _reuse() -> tuple[int, int] | None:
    """(customers whose tasks came from the stored schedule, customers scheduled) of the last run."""
    return next((status for file, what, status in reversed(sheets.events) if what == "schedule-reuse"), None)


def _fill_calls(path: Path, n: int) -> None:
    """The first `n` contacts of a call sheet done on the as-of day, by phone, as a clerk fills it."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if ws.title.startswith("_") or n <= 0:
            continue
        col = {c.value: i for i, c in enumerate(ws[1])}
        for row in ws.iter_rows(min_row=2):
            if n <= 0:
                break
            row[col["完成日期"]].value = AS_OF
            row[col["方式"]].value = "电话"
            row[col["结果"]].value = "已联系"
            n -= 1
    wb.save(path)


def test_due_after_record_schedules_only_the_customers_it_changed(cache_dir, generated, tmp_path):
    """After `record` appended visits, the customers whose visits are unchanged keep their
    stored tasks and only the others are scheduled again: the due list is byte for byte that
    of a cold run, and so is one after visits were edited in the middle of the sheet."""
    archive = tmp_path / "archive.xlsx"
    shutil.copy(generated, archive)
    due_json(archive)  # fills the cache: the schedule and what lets it be reused
    calls = tmp_path / "calls.xlsx"
    run("sheet", str(archive), "--as-of", AS_OF, "-o", str(calls), "-q")
    _fill_calls(calls, 40)
    run("record", str(archive), str(calls), "-q")
    sheets.events.clear()
    after = due_json(archive)
    reused, scheduled = _reuse()
    assert statuses(archive)["回访记录"] == "stored" and schedule_status() == "stored"
    assert reused > 10 * scheduled and 10 <= scheduled <= 40  # the customers record wrote visits for
    assert after == due_json(archive, no_cache=True)
    assert after == due_json(archive) and schedule_status() == "hit"

    assert _set_visit_dates(archive, 300) > 50  # visits edited in place, not appended
    sheets.events.clear()
    edited = due_json(archive)
    reused, scheduled = _reuse()
    assert scheduled > 0
    assert edited != after and edited == due_json(archive, no_cache=True)


def test_record_right_after_sheet_reads_only_the_visit_log_again(cache_dir, generated, tmp_path, monkeypatch):
    """`record` reads every column of the visit log and, of the other sheets, the columns
    `sheet` read: those are cache hits, the visit log is read again (once, with every column:
    a later record finds it too), sheet's schedule is used, and what it writes is what a cold
    record writes."""
    archive, cold_archive = tmp_path / "archive.xlsx", tmp_path / "cold" / "archive.xlsx"
    shutil.copy(generated, archive)
    cold_archive.parent.mkdir()
    shutil.copy(generated, cold_archive)
    calls = tmp_path / "calls.xlsx"
    run("sheet", str(archive), "--as-of", AS_OF, "-o", str(calls), "-q")
    _fill_calls(calls, 25)
    run("record", str(archive), str(calls), "--dry-run", "-q")
    got = statuses(archive)
    assert got.pop("回访记录") == "stored"
    assert got and set(got.values()) == {"hit"}
    assert schedule_status() == "hit"
    run("record", str(archive), str(calls), "-q")
    assert set(statuses(archive).values()) == {"hit"} and schedule_status() == "hit"
    sheets.events.clear()
    run("record", str(cold_archive), str(calls), "-q", "--no-cache")
    assert not sheets.events  # nothing read from or written to the cache
    assert _visit_rows(archive) == _visit_rows(cold_archive)
    assert due_json(archive) == due_json(cold_archive, no_cache=True)


def _visit_rows(path: Path) -> list:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name("回访记录").to_python()


def test_a_sheet_read_with_other_columns_of_its_role_is_read_again(cache_dir, tmp_path):
    """A sheet's records are kept per set of columns of its role: `due` (some columns) and
    `check` (every column) each find their own, and neither is given the other's."""
    archive = copy_sample(tmp_path, "retail_vip_zh.xlsx")
    check_cold = run("check", str(archive), "--format", "json", no_cache=True)
    due_cold = due_json(archive, no_cache=True)
    assert due_json(archive) == due_cold
    run("check", str(archive), "--format", "json")
    assert "stored" in set(statuses(archive).values())
    assert run("check", str(archive), "--format", "json") == check_cold
    assert set(statuses(archive).values()) == {"hit"}
    assert due_json(archive) == due_cold
    assert set(statuses(archive).values()) == {"hit"}


def test_no_reuse_when_another_sheet_changed(cache_dir, generated, tmp_path):
    archive = tmp_path / "archive.xlsx"
    shutil.copy(generated, archive)
    due_json(archive)
    member = sheet_part(archive, "客户档案")
    rewrite_part(archive, member, lambda data: data.replace(b"</sheetData>", b"</sheetData>", 1) + b" ")
    sheets.events.clear()
    changed = due_json(archive)
    assert _reuse() is None
    assert changed == due_json(archive, no_cache=True)


def test_visits_compared_across_a_change_of_column_types():
    """An appended visit whose date carries a time turns a column of dates into a mixed one:
    the old visits still compare equal, value and type; the new one's customer is changed."""
    import datetime as dt

    from followup_cli.cache import reuse

    def visits(dates, cids):
        v = reuse.Visits.__new__(reuse.Visits)
        v.names, v.n = ("customer_id", "date"), len(dates)
        v.raw = [list(cids), list(dates)]
        v.cids = v.raw[0]
        return v

    old = visits([dt.date(2026, 1, 1), dt.date(2026, 1, 2)], ["A", "B"])
    new = visits([dt.date(2026, 1, 1), dt.date(2026, 1, 2), dt.datetime(2026, 1, 3, 9, 30)], ["A", "B", "C"])
    assert reuse.changed(old.kept(), new) == {"C"}
    edited = visits([dt.date(2026, 1, 1), dt.datetime(2026, 1, 2)], ["A", "B"])  # same value, another type
    assert reuse.changed(old.kept(), edited) == {"B"}


def _aged(path: Path, days: float) -> None:
    import time

    then = time.time() - days * 86400
    os.utime(path, (then, then))


def test_entries_unused_for_45_days_are_pruned_at_most_once_a_day(cache_dir):
    cache_dir.mkdir(parents=True, exist_ok=True)
    key = store.digest("k")
    old, fresh = cache_dir / "sheet-old.bin", cache_dir / "sheet-fresh.bin"
    for p in (old, fresh):
        p.write_bytes(b"x")
    _aged(old, store.PRUNE_AFTER_DAYS + 1)
    store._state.pop("pruned", None)
    assert store.save("output", b"n1", key, {"a": 1})
    assert not old.exists() and fresh.exists()  # the first write of the day looks through the folder
    old.write_bytes(b"x")
    _aged(old, store.PRUNE_AFTER_DAYS + 1)
    store._state.pop("pruned", None)  # another process, the same day
    assert store.save("output", b"n2", key, {"a": 2})
    assert old.exists()  # not looked through again today
    _aged(cache_dir / "pruned", 1.5)
    store._state.pop("pruned", None)  # the next day
    assert store.save("output", b"n3", key, {"a": 3})
    assert not old.exists() and fresh.exists()
    assert store.load("output", b"n3", key) == {"a": 3}
