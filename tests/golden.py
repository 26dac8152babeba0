"""What every golden-workbook test of reading checks (tests/fixtures/*_fixtures.py): the
generator still makes the committed workbooks, and `columns` and `due` give the mapping and the
due list kept beside each."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.fixtures.make_fixtures import DUE_KEYS
from tests.test_reading_shapes import FIXTURES, due_rows, run


def copy_shape(tmp_path: Path, name: str) -> list[Path]:
    """A shape's workbook copied alone into a fresh folder (no followup.toml around)."""
    shutil.copy(FIXTURES / f"{name}.xlsx", tmp_path / f"{name}.xlsx")
    return [tmp_path / f"{name}.xlsx"]


def assert_generator_makes_the_committed(built: dict[str, list[Path]]) -> None:
    from python_calamine import CalamineWorkbook

    for paths in built.values():
        for p in paths:
            ours, committed = CalamineWorkbook.from_path(str(p)), CalamineWorkbook.from_path(str(FIXTURES / p.name))
            assert ours.sheet_names == committed.sheet_names, p.name
            for sheet in ours.sheet_names:
                assert ours.get_sheet_by_name(sheet).to_python() == committed.get_sheet_by_name(sheet).to_python()


def assert_mapping_and_due(paths: list[Path], name: str) -> None:
    result = run("columns", *paths, "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads((FIXTURES / f"{name}.mapping.json").read_text(encoding="utf-8"))
    got = [{k: r[k] for k in DUE_KEYS} for r in due_rows(paths)]
    assert got == json.loads((FIXTURES / f"{name}.due.json").read_text(encoding="utf-8"))
