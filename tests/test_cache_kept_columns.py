"""A sheet the cache stores is encoded from the columns parse_rows made its records from
(archive/parsing.py KEEP_COLUMNS): what is stored is exactly what taking every field out of
every record gives, on every sample, a generated archive and the golden reading shapes, and
the columns are not held once stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from followup_cli.archive import parsing, reading
from followup_cli.archive.files import open_book
from followup_cli.archive.schema import ROLE_ORDER, sheet_role_by_name
from followup_cli.cache import sheets
from followup_cli.config import load_config
from tests.helpers import generated_archive, use_cache_dir

ROOT = Path(__file__).resolve().parent.parent
BOOKS = sorted((ROOT / "sample_workbooks").glob("*.xlsx")) + sorted((ROOT / "tests/fixtures/reading").glob("*.xlsx"))


def _parts(path: Path, keep: bool, fields=None) -> list:
    config = load_config([path])
    book = open_book(path)
    named = {config.sheets.get(n) or sheet_role_by_name(n) for n in book.sheet_names} - {None}
    out = []
    for raw in book.sheets:
        token = parsing.KEEP_COLUMNS.set(keep)
        try:
            part = reading._read_sheet(raw, path, config, named, set(ROLE_ORDER), fields)
        finally:
            parsing.KEEP_COLUMNS.reset(token)
        if keep and part.records is not None:
            assert isinstance(part.records, parsing.Records) and part.records.columns
        out.append(sheets.encode_part(part))
    return out


def _same(path: Path, fields=None) -> None:
    kept, taken = _parts(path, True, fields), _parts(path, False, fields)
    assert kept == taken
    assert any(p is not None and p["records"] is not None for p in kept)


@pytest.mark.parametrize("path", BOOKS, ids=lambda p: p.stem)
def test_stored_from_the_columns_as_from_the_records(path):
    _same(path)


def test_a_generated_archive_read_with_few_columns(tmp_path):
    from followup_cli.policy.setup import policy_setup
    from followup_cli.schedule.context import needed_fields

    path = generated_archive(tmp_path / "archive.xlsx", 500, 2500, 1500, 11)
    _same(path)
    _same(path, needed_fields(policy_setup(load_config([path])).policy))  # as `due` reads


def test_the_columns_are_let_go_once_stored(tmp_path, monkeypatch):
    use_cache_dir(tmp_path / "cache", monkeypatch, False)
    path = generated_archive(tmp_path / "archive.xlsx", 200, 800, 500, 3)
    seen = []
    encode = sheets.encode_part

    def spy(part):
        seen.append(part.records)
        assert part.records is None or part.records.columns  # what it is encoded from
        return encode(part)

    monkeypatch.setattr(sheets, "encode_part", spy)
    reading.load_archive([path])
    assert "stored" in {status for _f, _s, status in sheets.events}
    assert [r for r in seen if r is not None] and all(r.columns is None for r in seen if r is not None)
