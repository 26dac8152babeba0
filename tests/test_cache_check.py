"""Cached runs against cold ones where the caches' keys are easiest to get wrong: each test
makes a real archive, fills the cache one way and then asks for something the cache must not
answer from what it holds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_cli.cli import cli
from tests.helpers import use_cache_dir

SAMPLES = Path(__file__).resolve().parent.parent / "sample_workbooks"
AS_OF = "2026-11-23"


@pytest.fixture(params=[False, True], ids=["caches", "caches+outputs"])
def cache_dir(tmp_path, monkeypatch, request):
    return use_cache_dir(tmp_path / "cache", monkeypatch, keep_outputs=request.param)


def invoke(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_an_archive_named_twice_is_read_twice_from_the_cache_too(cache_dir, tmp_path):
    """`due a.xlsx a.xlsx` reads every customer twice (each then a duplicate of the other, left
    off the list with a warning); the schedule the cache kept for `due a.xlsx` alone is not
    that schedule."""
    archive = tmp_path / "a.xlsx"
    shutil.copy(SAMPLES / "retail_vip_zh.xlsx", archive)
    invoke("due", str(archive), "--as-of", AS_OF, "--format", "json")  # fills the caches
    twice = ("due", str(archive), str(archive), "--as-of", AS_OF, "--format", "json")
    cold = invoke(*twice, "--no-cache")
    assert invoke(*twice) == cold
    assert invoke(*twice) == cold  # and from what the run before kept
    once = invoke("due", str(archive), "--as-of", AS_OF, "--format", "json")
    assert once == invoke("due", str(archive), "--as-of", AS_OF, "--format", "json", "--no-cache")
    assert once[1] != cold[1]


def _id_number(born: str) -> str:
    """An 18-digit ID-card number (area 110101) holding birth date `born` (YYYYMMDD), with a
    right check digit."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    body = f"110101{born}123"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


def _on(monkeypatch, day):
    """The reader sees `day` as today (archive/birth_dates.py asks for the year)."""
    import datetime as dt
    import types

    from followup_cli.archive import birth_dates

    class Date:
        def __new__(cls, *args):
            return dt.date(*args)

        @staticmethod
        def today():
            return day

    monkeypatch.setattr(birth_dates, "dt", types.SimpleNamespace(date=Date))


def test_a_birth_date_read_from_an_id_number_is_read_again_in_a_new_year(tmp_path, monkeypatch):
    """An ID number's birth date later than this year is none (a typo); on New Year's Day the
    same cell is a birth date of this year. A sheet read on 31 December is not what a cold
    read on 1 January gives."""
    import datetime as dt

    import openpyxl

    use_cache_dir(tmp_path / "cache", monkeypatch, keep_outputs=False)
    archive = tmp_path / "a.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "客户档案"
    ws.append(["客户编号", "姓名", "手机", "身份证号", "负责人"])
    ws.append(["C001", "张三", "13800000001", _id_number("19800315"), "李四"])
    ws.append(["C002", "王五", "13800000002", _id_number("20270315"), "李四"])
    wb.save(archive)
    check = ("check", str(archive), "--as-of", "2026-12-31", "--format", "json")
    _on(monkeypatch, dt.date(2026, 12, 31))
    before = invoke(*check)  # fills the cache
    assert before == invoke(*check, "--no-cache")
    _on(monkeypatch, dt.date(2027, 1, 1))
    cold = invoke(*check, "--no-cache")
    assert cold != before  # the reader's own answer changed with the year
    assert invoke(*check) == cold


def test_a_sheet_read_again_from_a_book_the_cache_knows_names_its_error_cells(cache_dir, tmp_path):
    """A formula saved without its value, or an error value, is named by every read of its
    sheet. When the book's sheet list comes from the cache and one sheet must be read again
    (other columns of it asked for, or `log` appended to it), that read names them too."""
    import openpyxl

    archive = tmp_path / "a.xlsx"
    wb = openpyxl.load_workbook(SAMPLES / "retail_vip_zh.xlsx")
    wb["回访记录"]["H5"] = "=1/0"  # openpyxl keeps no value for a formula: none is read
    wb.save(archive)
    commands = [
        ("check", str(archive), "--format", "json"),
        ("due", str(archive), "--as-of", AS_OF),  # the visit log's columns due reads: another entry
        ("kpi", str(archive), "--period", "2026-11"),
    ]
    for command in commands:
        assert invoke(*command) == invoke(*command, "--no-cache"), command
    code, out, err = invoke(
        "log", str(archive), "--customer", "C0002", "--kind", "生日回访", "--outcome", "已联系", "--date", AS_OF
    )
    assert code == 0, err
    for command in commands:
        assert invoke(*command) == invoke(*command, "--no-cache"), command
