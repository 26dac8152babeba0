"""The sheets and columns of a new, empty archive for each preset (`followup init`).

The layouts are data, in archive/layouts.toml (what each file says is explained at its top):
`LAYOUTS` maps a preset to its `SheetSpec`s, each every preset's `issues` and `audits` sheets
included; `layout` is one preset's, `headers` a sheet's header row in a language.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources

from followup_cli.archive.schema import field_by_name
from followup_cli.errors import UsageProblem
from followup_cli.policy.rules import preset_ids
from followup_cli.text.messages import pick


@dataclass(frozen=True)
class Column:
    field: str  # a schema field of the sheet's role, or "" for a free column the reader keeps as extra
    zh: str = ""  # header override (must be one of the field's aliases)
    en: str = ""


@dataclass(frozen=True)
class SheetSpec:
    role: str
    zh: str  # sheet name, recognised by schema's sheet_names
    en: str
    columns: tuple[Column, ...]


def _column(item: str | dict) -> Column:
    if isinstance(item, str):
        return Column(item)
    return Column(item.get("field", ""), item["zh"], item["en"])


def _sheet(table: dict) -> SheetSpec:
    return SheetSpec(table["role"], table["zh"], table["en"], tuple(_column(c) for c in table["columns"]))


def _load() -> dict[str, tuple[SheetSpec, ...]]:
    data = tomllib.loads((resources.files("followup_cli.archive") / "layouts.toml").read_text(encoding="utf-8"))
    shared = {name: _sheet(table) for name, table in data["sheets"].items()}
    # Every trade gets the sheets `record` writes beside the visit log: issues raised on calls,
    # tracked to resolution, and the supervisor's spot-check verdicts.
    return {
        preset: tuple(shared[s["sheet"]] if "sheet" in s else _sheet(s) for s in sheets)
        + (shared["issues"], shared["audits"])
        for preset, sheets in data["presets"].items()
    }


LAYOUTS: dict[str, tuple[SheetSpec, ...]] = _load()


def layout(preset: str) -> tuple[SheetSpec, ...]:
    if preset not in LAYOUTS:
        raise UsageProblem(*_unknown_preset(preset))
    return LAYOUTS[preset]


def headers(spec: SheetSpec, lang: str) -> list[str]:
    out = []
    for col in spec.columns:
        override = pick((col.zh, col.en), lang)
        if override:
            out.append(override)
            continue
        f = field_by_name(spec.role, col.field)
        out.append(pick((f.zh, f.en), lang))
    return out


def _unknown_preset(preset: str):
    from followup_cli.text.clerk import unknown_preset

    return unknown_preset(preset, preset_ids())
