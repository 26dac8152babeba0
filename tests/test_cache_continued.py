"""After `record` appended visits, the next read reads only the rows it appended
(cache/continued.py): what it gives is what reading the whole visit sheet gives, record for
record and problem for problem, and whenever that cannot be promised the whole sheet is read."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import openpyxl
import pytest

from followup_cli.archive.reading import load_archive
from followup_cli.cache import sheets, store
from followup_cli.config import load_config
from tests.helpers import generated_archive, use_cache_dir
from tests.test_cache import AS_OF, _fill_calls, _sheet_values, due_json, run, statuses

VISITS = "回访记录"


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch):
    return use_cache_dir(tmp_path / "cache", monkeypatch, keep_outputs=False)


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """Enough visits (6,000) that the reader's samples of a column lie above any appended row."""
    return generated_archive(tmp_path_factory.mktemp("big") / "archive.xlsx", 1500, 3000, 6000, 11)


def _copy(src: Path, tmp_path: Path, name="archive.xlsx") -> Path:
    dst = tmp_path / name
    shutil.copy(src, dst)
    return dst


def _record(archive: Path, tmp_path: Path, n: int, name="calls.xlsx") -> None:
    calls = tmp_path / name
    run("sheet", str(archive), "--as-of", AS_OF, "-o", str(calls), "-q", "--overwrite")
    _fill_calls(calls, n)
    run("record", str(archive), str(calls), "-q")


def _read(archive: Path, cached: bool, fields=None):
    """The archive as load_archive reads it: (visit records as tuples, every problem, the visit
    sheet's source), from the cache or not."""
    store.disable(not cached)
    try:
        arch = load_archive([archive], load_config([archive]), fields=fields)
    finally:
        store.disable(False)
    names = [f.name for f in dataclasses.fields(arch.visits[0]) if f.name != "src"]
    visits = [tuple(getattr(v, n) for n in names) for v in arch.visits]
    src = next(s for s in arch.sources if s.role == "visits")
    source = {k: v for k, v in vars(src).items() if k not in ("file", "links")}
    return visits, [p.__dict__ for p in arch.problems], repr(source)


def _assert_read_whole(archive: Path, tmp_path: Path, n: int) -> None:
    """The morning's due, a record of `n` calls, then due again: the visit sheet read whole."""
    due_json(archive)
    _record(archive, tmp_path, n)
    _assert_whole_after(archive)


def _assert_whole_after(archive: Path) -> None:
    after = due_json(archive)
    assert statuses(archive)[VISITS] == "stored"  # read whole, not continued
    assert after == due_json(archive, no_cache=True)


def _due_fields():
    from followup_cli.policy.setup import policy_setup
    from followup_cli.schedule.context import needed_fields

    return needed_fields(policy_setup(load_config([])).policy)


def test_every_command_after_record_reads_only_the_appended_rows_and_says_what_a_cold_run_says(
    cache_dir, big, tmp_path
):
    archive = _copy(big, tmp_path)
    due_json(archive)  # the morning: every sheet kept, with due's columns
    run("check", str(archive), "--format", "json")  # and with every column
    run("kpi", str(archive), "--period", "2026-11", "--as-of", AS_OF, "--format", "json")
    _record(archive, tmp_path, 200)
    after = due_json(archive)
    assert statuses(archive)[VISITS] == "continued"
    assert set(v for k, v in statuses(archive).items() if k != VISITS) == {"hit"}
    assert after == due_json(archive, no_cache=True)
    for args in (
        ("check", str(archive), "--format", "json"),
        ("kpi", str(archive), "--period", "2026-11", "--as-of", AS_OF, "--format", "json"),
        ("history", str(archive), "C000001", "--format", "json", "--as-of", AS_OF),
    ):
        warm = run(*args)
        assert statuses(archive)[VISITS] in ("continued", "hit"), (args, sheets.events)
        assert warm == run(*args, no_cache=True), args
    cold_sheet, warm_sheet = tmp_path / "cold.xlsx", tmp_path / "warm.xlsx"
    run("sheet", str(archive), "--as-of", AS_OF, "-o", str(cold_sheet), "-q", no_cache=True)
    run("sheet", str(archive), "--as-of", AS_OF, "-o", str(warm_sheet), "-q")
    assert _sheet_values(warm_sheet) == _sheet_values(cold_sheet)


@pytest.mark.parametrize("columns", ["due", "all"])
def test_the_records_and_problems_are_those_of_a_whole_read(cache_dir, big, tmp_path, columns):
    archive = _copy(big, tmp_path)
    fields = _due_fields() if columns == "due" else None
    _read(archive, True, fields)  # kept
    _record(archive, tmp_path, 300)
    sheets.events.clear()
    continued = _read(archive, True, fields)
    assert statuses(archive)[VISITS] == "continued"
    whole = _read(archive, False, fields)
    assert continued == whole
    assert len(continued[0]) > 6000  # the appended visits are there


def test_records_in_a_row_continue_from_the_sheet_last_kept(cache_dir, big, tmp_path):
    """Three records with no read between them: the note carries all three writes."""
    archive = _copy(big, tmp_path)
    fields = _due_fields()
    _read(archive, True, fields)
    for i, n in enumerate((50, 80, 120)):
        _record(archive, tmp_path, n, f"calls{i}.xlsx")
    sheets.events.clear()
    continued = _read(archive, True, fields)
    assert statuses(archive)[VISITS] == "continued"
    assert continued == _read(archive, False, fields)


def test_an_edit_after_the_record_reads_the_whole_sheet(cache_dir, big, tmp_path):
    archive = _copy(big, tmp_path)
    due_json(archive)
    _record(archive, tmp_path, 100)
    wb = openpyxl.load_workbook(archive)  # the book opened and saved: every part written anew
    wb[VISITS].cell(row=3, column=2).value = "C000002"
    wb.save(archive)
    _assert_whole_after(archive)


def test_a_sheet_with_fewer_rows_than_the_samples_is_read_whole(cache_dir, tmp_path):
    """With fewer visits than a column's sample, new rows could change what the values decide."""
    archive = generated_archive(tmp_path / "small.xlsx", 300, 600, 400, 5)
    _assert_read_whole(archive, tmp_path, 40)


def test_a_row_passed_over_reads_the_whole_sheet(cache_dir, big, tmp_path):
    """A row the reader passes over (the header again, from a second export pasted under the
    first): which rows are passed over is said for the whole sheet, so it is read whole."""
    archive = _copy(big, tmp_path)
    wb = openpyxl.load_workbook(archive)
    ws = wb[VISITS]
    for c in range(1, ws.max_column + 1):
        ws.cell(row=50, column=c).value = ws.cell(row=1, column=c).value
    wb.save(archive)
    _assert_read_whole(archive, tmp_path, 60)


def test_a_write_that_adds_header_columns_leaves_no_note(cache_dir, big, tmp_path):
    """A visit log without a 任务编号 column: record adds the columns it needs to the header, so
    the header the old entry was read with is not the sheet's any more."""
    archive = _copy(big, tmp_path)
    wb = openpyxl.load_workbook(archive)
    ws = wb[VISITS]
    head = [c.value for c in ws[1]]
    for name in ("任务编号",):
        if name in head:
            ws.delete_cols(head.index(name) + 1)
    wb.save(archive)
    _assert_read_whole(archive, tmp_path, 60)


def test_record_without_the_cache_leaves_no_note(cache_dir, big, tmp_path):
    archive = _copy(big, tmp_path)
    due_json(archive)
    calls = tmp_path / "calls.xlsx"
    run("sheet", str(archive), "--as-of", AS_OF, "-o", str(calls), "-q")
    _fill_calls(calls, 50)
    run("record", str(archive), str(calls), "-q", "--no-cache")
    assert not list(cache_dir.glob("continued-*"))
    due_json(archive)
    assert statuses(archive)[VISITS] == "stored"


def test_rows_written_struck_through_read_the_whole_sheet(cache_dir, big, tmp_path):
    """The new rows take the last row's style: struck through, they are rows a whole read names."""
    from openpyxl.styles import Font

    archive = _copy(big, tmp_path)
    wb = openpyxl.load_workbook(archive)
    ws = wb[VISITS]
    for cell in ws[ws.max_row]:
        cell.font = Font(strike=True)
    wb.save(archive)
    _assert_read_whole(archive, tmp_path, 40)


def test_a_refusal_said_in_a_new_visit_reads_the_whole_sheet(cache_dir, big, tmp_path):
    """A call noted 客户说以后别打了: the customer is do-not-contact from then on, and the rows
    saying so are kept for the whole sheet (archive/said_in_visits.py)."""
    archive = _copy(big, tmp_path)
    due_json(archive)
    calls = tmp_path / "calls.xlsx"
    run("sheet", str(archive), "--as-of", AS_OF, "-o", str(calls), "-q")
    _fill_calls(calls, 30)
    wb = openpyxl.load_workbook(calls)
    ws = wb.worksheets[0]
    col = {c.value: i for i, c in enumerate(ws[1])}
    ws.cell(row=2, column=col["备注"] + 1).value = "客户说以后别打了"
    wb.save(calls)
    run("record", str(archive), str(calls), "-q")
    _assert_whole_after(archive)
