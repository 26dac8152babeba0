"""Inputs of a command's kept result (cache/replay.py) that are easy to miss: each one, when it
changes, must make the next run a miss (or keep nothing), never replay what the old input gave.

- another version of a package that changes what is printed or written (the holiday tables of
  chinese_calendar, opencc's conversion of traditional headers, xlsxwriter's workbooks, the
  pinyin of a name): the version digest must see it;
- the locale a call sheet's paper size falls back to when LC_ALL, LC_PAPER and LANG are unset;
- a companion workbook (the visit log beside the archive) that appears while the command runs:
  the result read it, the key was made without it;
- a preset file read from outside policy/presets/ (a preset name is a file name);
- followup.toml's first line (a comment), which a run says something about;
- a sheet skipped because reading it failed (perhaps for a moment): neither it, the schedule
  nor the result is kept.
And two that were covered, kept so: an -o file deleted or edited is written again; a CSV edited
to the same size within the same second is a miss (its key is its content).
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from followup_cli.cache import replay, sheets
from followup_cli.cli import cli
from tests.test_replay import AS_OF, cache_dir, copy_sample, output_status, run

__all__ = ["cache_dir"]  # the fixture, used by name


def _version_now() -> bytes:
    sheets._version.clear()  # taken once per process: taken again
    return replay._version()


@pytest.mark.parametrize("module", ["chinese_calendar", "opencc", "xlsxwriter", "pypinyin", "borax"])
def test_another_version_of_a_package_that_shapes_the_output_is_another_key(tmp_path, monkeypatch, module):
    """A stand-in for the installed package, first on the path: when its files change (an
    upgrade), the version in the key changes."""
    _version_now()  # everything it imports, imported before the stand-in is first on the path
    folder = tmp_path / "site" / module
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text("VERSION = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.delitem(sys.modules, module, raising=False)  # find_spec: the stand-in, not the import
    monkeypatch.setattr(sheets, "_version", {})
    before = _version_now()
    (folder / "__init__.py").write_text("VERSION = 22\n", encoding="utf-8")
    assert _version_now() != before


def test_every_package_in_the_version_is_one_that_is_installed(monkeypatch):
    """A name that is no importable module (chinesecalendar: the module is chinese_calendar)
    is fingerprinted as nothing, silently: every upgrade of it would replay the old output."""
    import importlib.util

    from followup_cli.cache import store

    named = []
    real = store.package_fingerprint

    def recording(*modules):
        named.extend(modules)
        return real(*modules)

    monkeypatch.setattr(store, "package_fingerprint", recording)
    monkeypatch.setattr(sheets, "_version", {})
    replay._version()
    assert {"python_calamine", "chinese_calendar", "tabulate"} <= set(named)
    assert [m for m in named if importlib.util.find_spec(m) is None] == []


def _paper_sizes(path: Path) -> set[bytes]:
    import re

    with zipfile.ZipFile(path) as zf:
        return {
            m
            for n in zf.namelist()
            if n.startswith("xl/worksheets/")
            for m in re.findall(rb'paperSize="(\d+)"', zf.read(n))
        }


def test_the_locale_a_call_sheet_takes_its_paper_from_is_in_the_key(cache_dir, tmp_path, monkeypatch):
    """No LC_ALL, LC_PAPER or LANG: an English call sheet's paper comes from the process's locale
    (LC_CTYPE): Letter in the US, A4 in Britain."""
    import locale

    for var in ("FOLLOWUP_PAPER", "LC_ALL", "LC_PAPER", "LANG", "FOLLOWUP_LANG"):
        monkeypatch.delenv(var, raising=False)
    archive = copy_sample(tmp_path, "retail_vip_en.xlsx")
    out = tmp_path / "calls.xlsx"
    args = ("sheet", archive, "--as-of", AS_OF, "-o", out, "--overwrite")
    sizes = {}
    for where in ("en_US", "en_GB"):
        monkeypatch.setattr(locale, "getlocale", lambda *a, where=where: (where, "UTF-8"))
        run(*args, no_cache=True)
        cold = _paper_sizes(out)
        run(*args)
        assert _paper_sizes(out) == cold, where
        sizes[where] = cold
    assert sizes["en_US"] != sizes["en_GB"]  # the test means something: the locale chose the paper


def _visit_log(path: Path) -> Path:
    """A visit log of a customer the archive does not have: `check` says so."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "回访记录"
    ws.append(["客户编号", "回访日期", "回访类型", "结果"])
    ws.append(["C99999", "2026-11-01", "生日回访", "已联系"])
    wb.save(path)
    return path


def test_a_visit_log_that_appears_while_the_command_runs_is_not_kept_under_the_old_files(
    cache_dir, tmp_path, monkeypatch
):
    from followup_cli.archive import reading

    archive = copy_sample(tmp_path, "retail_vip_zh.xlsx")
    log = tmp_path / "retail_vip_zh-回访记录.xlsx"
    args = ("check", archive, "--as-of", AS_OF, "--format", "json")

    def check(*extra):
        res = CliRunner().invoke(cli, [*map(str, args), *extra])
        assert res.exit_code in (0, 1), res.output
        return res.exit_code, res.stdout, res.stderr

    real = reading.archive_files
    calls = []

    def appearing(paths, config):
        calls.append(1)
        if len(calls) == 2:  # the command's own read, after the key was made: a record run meanwhile
            _visit_log(log)
        return real(paths, config)

    monkeypatch.setattr(reading, "archive_files", appearing)
    with_log = check()
    assert len(calls) >= 2 and "C99999" in with_log[1]  # the run read the log that appeared
    monkeypatch.setattr(reading, "archive_files", real)
    log.unlink()
    cold = check("--no-cache")
    assert "C99999" not in cold[1]
    assert check() == cold  # not the result that read the log


def test_a_preset_read_from_outside_the_package_is_in_the_key(cache_dir, tmp_path):
    """`--preset` (or preset = ...) is a file name under policy/presets/ that may lead out of
    it: its text is then in no source digest, so it is in the key itself."""
    from followup_cli.policy import rules

    archive = copy_sample(tmp_path, "retail_vip_zh.xlsx")
    mine = tmp_path / "mine.toml"
    shipped = Path(str(rules.resources.files("followup_cli.policy") / "presets" / "retail-vip.toml"))
    mine.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    up = Path(*[".."] * len(shipped.parent.resolve().parts)) / mine.resolve().relative_to("/")
    args = ("due", archive, "--as-of", AS_OF, "--format", "json", "--preset", str(up.with_suffix("")))
    first = run(*args)
    assert run(*args) == first and output_status() == "hit"
    mine.write_text(mine.read_text(encoding="utf-8").replace("上午致电祝福", "下午致电祝福"), encoding="utf-8")
    cold = run(*args, no_cache=True)
    assert cold != first  # the edit shows
    assert run(*args) == cold


def test_a_sheet_that_could_not_be_read_is_not_kept(cache_dir, tmp_path, monkeypatch):
    """A sheet skipped because reading it failed (an I/O error, a cloud folder's file not yet
    downloaded): the next run reads it again, rather than replaying the skip."""
    from followup_cli.archive import files
    from followup_cli.xlsx import bounds

    archive = copy_sample(tmp_path, "retail_vip_zh.xlsx")
    wb = openpyxl.load_workbook(archive)
    wb.create_sheet("说明").append(["本档案由门店维护"])
    wb.save(archive)
    args = ("check", archive, "--as-of", AS_OF, "--format", "json")

    def check(*extra):
        res = CliRunner().invoke(cli, [*map(str, args), *extra])
        assert res.exit_code in (0, 1), res.output
        return res.exit_code, res.stdout, res.stderr

    real = files._XlsxParts.check

    def failing(self, name):
        if name == "说明":
            raise bounds.damaged(self.path, None, "Input/output error")
        return real(self, name)

    monkeypatch.setattr(files._XlsxParts, "check", failing)
    run("due", archive, "--as-of", AS_OF, "--format", "json")
    assert ("", "schedule", "not-cached") in sheets.events  # no schedule kept without the sheet
    skipped = check()
    assert "说明" in skipped[1]
    monkeypatch.setattr(files._XlsxParts, "check", real)
    cold = check("--no-cache")
    assert cold != skipped
    assert check() == cold


def test_a_kept_output_file_deleted_or_edited_is_written_again(cache_dir, tmp_path):
    archive = copy_sample(tmp_path, "retail_vip_zh.xlsx")
    out = tmp_path / "due.csv"
    args = ("due", archive, "--as-of", AS_OF, "-o", out)
    run(*args, no_cache=True)
    cold = out.read_bytes()
    run(*args)
    out.unlink()
    run(*args)
    assert output_status() == "hit" and out.read_bytes() == cold
    out.write_bytes(b"edited by hand")
    run(*args)
    assert output_status() == "hit" and out.read_bytes() == cold


@pytest.mark.parametrize("suffix", [".csv"])
def test_an_archive_edited_in_the_same_second_to_the_same_size_is_a_miss(cache_dir, tmp_path, suffix):
    """The key is the content (a digest of a CSV's bytes), not the file's size and time."""
    import os

    archive = tmp_path / f"customers{suffix}"
    archive.write_text("客户编号,姓名,手机,生日\nC1,王芳,13800000001,1990-11-25\n", encoding="utf-8")
    st = archive.stat()
    args = ("check", archive, "--as-of", AS_OF, "--format", "json")
    first = CliRunner().invoke(cli, [*map(str, args)]).stdout
    archive.write_text("客户编号,姓名,手机,生日\nC1,王芳,13800000001,1990-13-25\n", encoding="utf-8")
    os.utime(archive, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert archive.stat().st_size == st.st_size
    again = CliRunner().invoke(cli, [*map(str, args)]).stdout
    assert output_status() == "stored" and again != first
    assert again == CliRunner().invoke(cli, [*map(str, args), "--no-cache"]).stdout


def test_a_comment_of_followup_toml_is_in_the_key(cache_dir, tmp_path):
    """What a run says can depend on followup.toml's text, not only its settings: its first line
    names the workbook `followup init` wrote it for (cli/options.py says so when it is another)."""
    archive = copy_sample(tmp_path, "retail_vip_zh.xlsx")
    toml = tmp_path / "followup.toml"
    toml.write_text("# 旧档案.xlsx 的回访设置，由 `followup init` 于 2026-01-05 生成。\n[policy]\n", encoding="utf-8")
    args = ("due", archive, "--as-of", AS_OF, "--format", "json")
    said = run(*args)
    assert "旧档案.xlsx" in said[1] and run(*args) == said and output_status() == "hit"
    toml.write_text(
        "# retail_vip_zh.xlsx 的回访设置，由 `followup init` 于 2026-01-05 生成。\n[policy]\n", encoding="utf-8"
    )
    cold = run(*args, no_cache=True)
    assert "旧档案.xlsx" not in cold[1]
    assert run(*args) == cold
