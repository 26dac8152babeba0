"""What each sheet of an archive holds: roles, their fields, and the header aliases.

A clerk's archive names its columns in Chinese or English and in many ways; this table
is the one place that knows them. `followup.toml` can add to it (column mapping), and
any column the table does not know is kept as an extra field under its own header.

The roles, their fields and canonical headers are data, in archive/roles.toml; the spellings
gathered from real exports (archive/synonyms.py, header_words/) join them here.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from followup_cli.archive.headers import HeaderIndex, norm_header, norm_sheet  # noqa: F401 (norm_header: re-exported)
from followup_cli.archive.synonyms import (
    FIELD_SYNONYMS,
    NOT_DATA_WORDS,
    SHEET_KEYWORDS,
    SHEET_NAMES,
)
from followup_cli.archive.synonyms import ROLES as ROLE_ORDER  # every role, in the order they are read

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

# Field types understood by the parsers in archive/cells.py.
TEXT, ID, DATE, DATETIME, BIRTHDAY, PHONE, BOOL, MONEY, NUMBER, INT = (
    "text",
    "id",
    "date",
    "datetime",
    "birthday",
    "phone",
    "bool",
    "money",
    "number",
    "int",
)


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    aliases: tuple[str, ...]
    required: bool = False
    zh: str = ""
    en: str = ""


def _field(name: str, type_: str, zh: str, en: str, *aliases: str, required: bool = False) -> Field:
    """A field whose aliases start with its Chinese and English headers and its own name."""
    return Field(name, type_, (zh, en, name) + aliases, required, zh, en)


def _load_roles() -> dict[str, dict]:
    """The roles and their fields from roles.toml (what the file says is explained at its top)."""
    data = tomllib.loads((resources.files("followup_cli.archive") / "roles.toml").read_text(encoding="utf-8"))
    customer_ref = tuple(data.pop("customer_ref"))
    roles = {}
    for role, spec in data.items():
        fields = []
        for name, f in spec["fields"].items():
            aliases = tuple(f.get("aliases", ())) + (customer_ref if f.get("customer_ref") else ())
            fields.append(_field(name, f["type"], f["zh"], f["en"], *aliases, required=f.get("required", False)))
        roles[role] = {"zh": spec["zh"], "en": spec["en"], "sheet_names": tuple(spec["sheet_names"]), "fields": fields}
    return roles


ROLES: dict[str, dict] = _load_roles()


def _with_synonyms() -> None:
    """The vocabulary gathered from real exports (synonyms.py) joins each field's aliases."""
    for role, spec in ROLES.items():
        extra = FIELD_SYNONYMS.get(role, {})
        spec["fields"] = [
            replace(f, aliases=tuple(dict.fromkeys(f.aliases + extra.get(f.name, ())))) for f in spec["fields"]
        ]
        spec["sheet_names"] = tuple(dict.fromkeys(spec["sheet_names"] + SHEET_NAMES.get(role, ())))


_with_synonyms()

# A required field that another can stand in for: a member list keyed by mobile number has no
# id column, a hand-kept visit book names the customer or gives the phone, First/Last names.
_REF_KEYS = ("customer_id", "phone", "customer_name", "email")
ALTERNATIVES: dict[tuple[str, str], tuple[str, ...]] = {
    ("customers", "id"): ("id", "phone"),
    ("customers", "name"): ("name", "first_name", "last_name", "nickname"),
}
for _role in ("purchases", "visits", "tickets", "projects", "blocklist"):
    _names = {f.name for f in ROLES[_role]["fields"]}
    ALTERNATIVES[(_role, "customer_id")] = tuple(k for k in _REF_KEYS if k in _names)


def required_groups(role: str) -> list[tuple[str, ...]]:
    """Each required field with the fields that can stand in for it."""
    return [ALTERNATIVES.get((role, f.name), (f.name,)) for f in ROLES[role]["fields"] if f.required]


def missing_required(role: str, columns: Collection[str]) -> list[str]:
    """The required fields (by name) that no column stands for."""
    return [group[0] for group in required_groups(role) if not any(g in columns for g in group)]


def field_by_name(role: str, name: str) -> Field | None:
    for f in ROLES[role]["fields"]:
        if f.name == name:
            return f
    return None


def header_index(role: str, extra: dict[str, str] | None = None) -> HeaderIndex:
    """The role's header matcher; built once per role and mapping, reused by every sheet."""
    key = (role, tuple(sorted((extra or {}).items())))
    index = _INDEXES.get(key)
    if index is None:
        index = _INDEXES[key] = HeaderIndex(ROLES[role]["fields"], extra)
    return index


_INDEXES: dict = {}


def alias_index(role: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """normalised header → field name for a role; `extra` maps header → field from the config."""
    index = header_index(role, extra)
    return {**index.norm, **index.config}


def sheet_role_by_name(sheet_name: str) -> str | None:
    """The role a sheet's name says exactly (会员资料, Customers), else None."""
    return _SHEET_ROLES.get(norm_sheet(sheet_name))


def sheet_role_by_words(sheet_name: str) -> str | None:
    """The role a word in a sheet's name suggests (一店会员, 2024销售明细), else None."""
    n = norm_sheet(sheet_name)
    for role, words in SHEET_KEYWORDS:
        if any(w in n for w in words):
            return role
    return None


_GENERIC_SHEET = re.compile(r"^(?:sheet|工作表|表|页|sheet页)\s*\d*$", re.IGNORECASE)


def name_for_role(sheet_name: str, file: str | Path) -> str:
    """The name a sheet's role is read from: its own, or its file's when the sheet's says nothing
    (黑名单.xlsx holding Sheet1, 客户档案.xlsx holding 工作表1)."""
    if _GENERIC_SHEET.match(str(sheet_name).strip()):
        stem = Path(file).stem
        if stem and not _GENERIC_SHEET.match(stem):
            return stem
    return sheet_name


def is_not_data_sheet(sheet_name: str) -> bool:
    """A copy, template or notes (客户档案(备份), 填写说明): never read as the archive."""
    n = norm_sheet(sheet_name)
    return any(w in n for w in NOT_DATA_WORDS)


# Excel and WPS name a copied sheet after its original: 会员资料 (2), Sheet1(3)
_COPY_RE = re.compile(r"^(.*?)\s*[(（]\s*\d{1,2}\s*[)）]$")


def copy_of(sheet_name: str, siblings: Iterable[str]) -> str | None:
    """The sheet this one is a copy of, by the name Excel gives a copy, when the workbook holds it."""
    m = _COPY_RE.match(sheet_name.strip())
    base = m.group(1).strip() if m else ""
    return base if base and base in set(siblings) else None


_SHEET_ROLES = {}
for _role in ROLE_ORDER:
    for _name in ROLES[_role]["sheet_names"]:
        _SHEET_ROLES.setdefault(norm_sheet(_name), _role)
