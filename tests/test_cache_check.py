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
