"""Every output file is written like a workbook write: a temporary file, then a rename.

A failure (a full disk, no permission, a missing or unmakeable folder, a folder given as the
file) is one clear message naming the path, exit 2, and no partial file is left behind. A
workbook marked read-only is not written into, even by root, unless --ignore-readonly.
"""

from __future__ import annotations

import errno
import os
import stat

import pytest
from click.testing import CliRunner

from followup_cli.cli import cli
from followup_cli.errors import EXIT_USAGE
from followup_cli.outputs import files
from tests.helpers import archive, customer

AS_OF = "2026-11-23"


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def shop(tmp_path):
    import datetime as dt

    staff = [
        ["工号", "姓名", "门店", "地区", "角色", "在职", "离职日期", "能力权重"],
        ["S1", "林晓雯", "", "", "客服", "是", None, 1],
    ]
    return archive(
        tmp_path,
        customers=[customer("C1", birthday=dt.date(1990, 11, 23)), customer("C2", owner=None)],
        extra_sheets={"员工": staff},
    )


COMMANDS = {
    "due csv": lambda shop, out: ("due", shop, "--as-of", AS_OF, "-o", out.with_suffix(".csv")),
    "due xlsx": lambda shop, out: ("due", shop, "--as-of", AS_OF, "-o", out.with_suffix(".xlsx")),
    "sheet": lambda shop, out: ("sheet", shop, "--as-of", AS_OF, "-o", out.with_suffix(".xlsx")),
    "kpi report": lambda shop, out: ("kpi", shop, "--period", "2026-11", "-o", out.with_suffix(".xlsx")),
    "check json": lambda shop, out: ("check", shop, "-o", out.with_suffix(".json")),
}


def _no_traceback(result):
    assert "Traceback" not in result.output and "unexpected error" not in result.output, result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_a_full_disk_leaves_no_partial_file(shop, tmp_path, monkeypatch, name):
    def full_disk(fd):  # the disk fills up while the file is flushed to it
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full_disk)
    out = tmp_path / "out" / "result"
    args = COMMANDS[name](shop, out)
    result = invoke(*args)
    assert result.exit_code == EXIT_USAGE, result.output
    _no_traceback(result)
    target = args[-1]
    assert str(target) in result.output and ("disk is full" in result.output or "磁盘已满" in result.output)
    assert not target.exists()
    assert [p.name for p in target.parent.iterdir()] == []  # no temp file either


@pytest.mark.parametrize("name", COMMANDS)
def test_output_path_is_a_folder(shop, tmp_path, name):
    out = tmp_path / "folder"
    args = list(COMMANDS[name](shop, out))
    args[-1].mkdir()
    result = invoke(*args, "--lang", "en")
    assert result.exit_code == EXIT_USAGE, result.output
    _no_traceback(result)
    assert str(args[-1]) in result.output and ("is a folder" in result.output or "is a directory" in result.output)


def test_a_folder_that_cannot_be_made(shop, tmp_path):
    (tmp_path / "plain-file").write_text("x")
    out = tmp_path / "plain-file" / "sub" / "due.csv"
    result = invoke("due", shop, "--as-of", AS_OF, "-o", out, "--lang", "en")
    assert result.exit_code == EXIT_USAGE, result.output
    _no_traceback(result)
    assert str(out) in result.output


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_folder_without_write_permission(shop, tmp_path, monkeypatch):
    real_open = open

    def denied(file, mode="r", *a, **k):
        if str(file).endswith(files.TEMP_SUFFIX):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, mode, *a, **k)

    monkeypatch.setattr(files, "open", denied, raising=False)  # root ignores chmod, so the OS error is injected
    out = tmp_path / "due.csv"
    result = invoke("due", shop, "--as-of", AS_OF, "-o", out)
    assert result.exit_code == EXIT_USAGE, result.output
    _no_traceback(result)
    assert str(out) in result.output and "没有写入权限" in result.output
    assert not out.exists()


def test_an_earlier_output_survives_a_failed_rewrite(shop, tmp_path, monkeypatch):
    out = tmp_path / "due.csv"
    assert invoke("due", shop, "--as-of", AS_OF, "-o", out).exit_code == 0
    before = out.read_bytes()

    def broken(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken)
    result = invoke("due", shop, "--as-of", "2026-11-24", "-o", out)
    assert result.exit_code == EXIT_USAGE
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".due.csv")) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize(
    "command",
    [
        ("log", "--customer", "C2", "--kind", "生日回访", "--outcome", "已接通", "--date", AS_OF),
        ("assign", "--as-of", AS_OF),
    ],
)
def test_a_read_only_archive_is_refused_unless_asked(shop, command):
    mode = stat.S_IMODE(os.stat(shop).st_mode)
    os.chmod(shop, 0o444)
    before = shop.read_bytes()
    try:
        result = invoke(command[0], shop, *command[1:], "--lang", "en")
        assert result.exit_code == EXIT_USAGE, result.output
        _no_traceback(result)
        assert "read-only" in result.output and str(shop) in result.output
        assert shop.read_bytes() == before  # also when the tests run as root
        allowed = invoke(command[0], shop, *command[1:], "--ignore-readonly")
        assert allowed.exit_code in (0, 1), allowed.output
        _no_traceback(allowed)
        if command[0] == "log":
            assert shop.read_bytes() != before
    finally:
        os.chmod(shop, mode)


def test_an_output_file_marked_read_only_is_not_replaced(shop, tmp_path):
    out = tmp_path / "due.csv"
    out.write_text("keep me")
    os.chmod(out, 0o444)
    result = invoke("due", shop, "--as-of", AS_OF, "-o", out, "--lang", "en")
    assert result.exit_code == EXIT_USAGE and "read-only" in result.output
    assert out.read_text() == "keep me"
