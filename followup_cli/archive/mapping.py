"""The mapping view behind `followup columns`: per sheet its role and header row, per column
the field it became, how and how sure; then what was not used. `write_mapping` saves it to
followup.toml, the way a CRM importer remembers a mapping, after which reading is exact.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from followup_cli.archive.records import Archive
from followup_cli.archive.schema import ROLES, field_by_name
from followup_cli.archive.unheaded import is_unheaded
from followup_cli.config import CONFIG_NAME
from followup_cli.text.columns import COLUMNS, HOW, ROLE_HOW
from followup_cli.text.messages import msg, pick, text
from followup_cli.xlsx.refs import col_letters

if TYPE_CHECKING:
    from followup_cli.config import Config

FIELDS = ("file", "sheet", "role", "role_how", "header_row", "column", "header", "field", "how", "confidence", "note")


def _field_label(role: str, name: str | None, lang: str) -> str:
    if not name:
        return ""
    f = field_by_name(role, name)
    return msg(f"{f.zh}（{name}）", f"{name} ({f.zh})").text(lang) if f else name


# A sheet whose role was found but whose header could not be read: no row of it is used.
UNREADABLE_CODES = ("no-header", "missing-column")


def unreadable_sheets(archive: Archive, codes: tuple[str, ...] = UNREADABLE_CODES) -> list:
    """The problems that keep a sheet from being read whole (no header row, a required column
    missing), one per sheet, so that `columns` names the sheet and why instead of an empty table."""
    seen, out = set(), []
    for p in archive.problems:
        if p.code in codes and (p.file, p.sheet) not in seen:
            seen.add((p.file, p.sheet))
            out.append(p)
    return out


# How a sheet's rows found their customer (archive/linking.py), as `columns` says it.
_LINKED_BY = {
    "id": ("按编号 {n} 行", "id {n}"),
    "phone": ("按手机 {n} 行", "phone {n}"),
    "email": ("按邮箱 {n} 行", "email {n}"),
    "name": ("按姓名 {n} 行", "name {n}"),
    "parts": ("按单元格中的编号、手机或姓名 {n} 行", "id, phone or name inside the cell {n}"),
    "ambiguous": ("同名无法确定 {n} 行", "ambiguous {n}"),
}


def describe_mapping(archive: Archive, lang: str = "zh") -> list[dict]:
    """One row per column of every sheet read, then one per sheet not read."""
    rows = []
    unreadable = {(Path(p.file).name, p.sheet): p for p in unreadable_sheets(archive)}
    for src in archive.sources:
        base = {
            "file": src.file.name,
            "sheet": src.sheet,
            "role": pick((ROLES[src.role]["zh"], src.role), lang),  # in English the role's code
            "role_how": pick(ROLE_HOW.get(src.role_how, (src.role_how, src.role_how)), lang)
            + (text(msg("（隐藏的工作表）", " (hidden sheet)"), lang) if src.hidden else ""),
            "header_row": src.header_row,
        }
        why = unreadable.get((src.file.name, src.sheet))
        if why is not None:
            rows.append(
                {
                    **base,
                    "column": "",
                    "header": "",
                    "field": "",
                    "how": text(msg("无法读取", "cannot be read"), lang),
                    "confidence": None,
                    "note": text(why.message, lang),
                }
            )
        for u in sorted(src.uses, key=lambda u: (u.field is None, u.col)):
            if u.field is None and not u.header and not is_unheaded(u):
                continue
            note = text(u.note, lang)
            if u.field is None and u.resembles:
                like = msg(
                    f"像“{_field_label(src.role, u.resembles, 'zh')}”",
                    f"resembles {_field_label(src.role, u.resembles, 'en')}",
                )
                note = "; ".join(n for n in (text(like, lang), note) if n)
            rows.append(
                {
                    **base,
                    "column": col_letters(u.col + 1),
                    "header": u.header,
                    "field": _field_label(src.role, u.field, lang),
                    "how": pick(HOW.get(u.how, (u.how, u.how)), lang),
                    "confidence": round(u.confidence, 2) if u.field else None,
                    "note": note,
                }
            )
        for name, stand in src.stand_ins.items():
            rows.append(
                {
                    **base,
                    "column": col_letters(src.columns[stand] + 1) if stand in src.columns else "",
                    "header": "",
                    "field": _field_label(src.role, name, lang),
                    "how": text(msg(f"取自 {_field_label(src.role, stand, 'zh')}", f"from {stand}"), lang),
                    "confidence": None,
                    "note": "",
                }
            )
        if src.links and set(src.links) - {"id"}:
            shown = text(
                msg(
                    "，".join(_LINKED_BY.get(how, (how + " {n}",) * 2)[0].format(n=n) for how, n in src.links.items()),
                    ", ".join(_LINKED_BY.get(how, (how + " {n}",) * 2)[1].format(n=n) for how, n in src.links.items()),
                ),
                lang,
            )
            rows.append(
                {
                    **base,
                    "column": "",
                    "header": "",
                    "field": _field_label(src.role, "customer_id", lang),
                    "how": text(msg("对应客户", "linked"), lang),
                    "confidence": None,
                    "note": shown,
                }
            )
    for u in archive.unused_sheets:
        rows.append(
            {
                "file": Path(u.file).name,
                "sheet": u.sheet,
                "role": text(msg("未读取", "not read"), lang),
                "role_how": "",
                "header_row": None,
                "column": "",
                "header": "",
                "field": "",
                "how": "",
                "confidence": None,
                "note": text(u.reason, lang),
            }
        )
    return rows


def mapping_columns(lang: str) -> list[tuple[str, str]]:
    return [(k, pick(COLUMNS[k], lang)) for k in FIELDS]


def config_target(archive: Archive, config: Config) -> Path:
    """Where --write saves: the followup.toml in use, else a new one beside the first archive."""
    if config is not None and config.path:
        return Path(config.path)
    return Path(archive.paths[0]).resolve().parent / CONFIG_NAME


def write_mapping(archive: Archive, path: Path) -> dict:
    """Save every sheet's role and every used column's field into followup.toml at `path`,
    changing only the [sheets] and [columns.*] entries it sets (comments and the rest kept).
    Returns {'sheets': n, 'columns': n}."""
    import tomlkit

    doc = tomlkit.parse(path.read_text(encoding="utf-8-sig")) if path.exists() else tomlkit.document()
    sheets = doc.get("sheets")
    if sheets is None:
        sheets = tomlkit.table()
        doc["sheets"] = sheets
    columns = doc.get("columns")
    if columns is None:
        columns = tomlkit.table(is_super_table=True)
        doc["columns"] = columns
    n_sheets = n_cols = 0
    for src in archive.sources:
        if sheets.get(src.sheet) != src.role:
            sheets[src.sheet] = src.role
            n_sheets += 1
        table = columns.get(src.role)
        if table is None:
            table = tomlkit.table()
            columns[src.role] = table
        for u in src.uses:
            if u.field and u.header and table.get(u.header) != u.field:
                table[u.header] = u.field
                n_cols += 1
    data = tomlkit.dumps(doc)
    fd, tmp = tempfile.mkstemp(prefix=".followup-", suffix=".toml", dir=str(path.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return {"sheets": n_sheets, "columns": n_cols}
