"""What real systems call each field and each sheet: the reader's header vocabulary.

Gathered from what shops actually export: Chinese POS and member systems (会员卡号, 当前积分,
专属导购, 开卡日期), e-commerce back ends (有赞/微店/淘宝-style order exports: 买家昵称,
实付金额, 商品标题, 下单时间), CRM exports, Shopify-like English exports (First Name,
Accepts Marketing, Lineitem name, Created at, Tags) and hand-kept sheets (客户, 日期, 回访内容).
Headers are compared after `headers.norm_header` (traditional characters, full-width forms,
line breaks, units in brackets and a leading 是否 already gone), so each spelling is listed once.

schema.py keeps the canonical names; these are added to them. A spelling that could mean two
fields of one role belongs to neither (e.g. 日期 in a customer sheet).

The words are data, in archive/header_words/: one file per role (`customers.toml`: field →
spellings), `references.toml` (what points at a customer from any sheet) and `sheets.toml`
(sheet names, words in sheet names, the words of copies, totals and footers). This module
reads them once, at import, into the tuples the reader uses.
"""

from __future__ import annotations

import tomllib
from importlib import resources

# Every role, in the order the reader knows them; a role without a file has no extra spellings.
ROLES = (
    "customers",
    "purchases",
    "visits",
    "tickets",
    "projects",
    "staff",
    "milestones",
    "issues",
    "audits",
    "blocklist",
)


def _read(name: str) -> dict:
    path = resources.files("followup_cli.archive") / "header_words" / f"{name}.toml"
    if not path.is_file():
        return {}
    return tomllib.loads(path.read_text(encoding="utf-8"))


_refs = _read("references")
# Any sheet that points at a customer: the id, and what else can name the customer.
CUSTOMER_REF = tuple(_refs["customer_ref"])
REF_PHONE = tuple(_refs["ref_phone"])
REF_NAME = tuple(_refs["ref_name"])
REF_EMAIL = tuple(_refs["ref_email"])

FIELD_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    role: {name: tuple(spellings) for name, spellings in _read(role).items()} for role in ROLES
}

_sheets = _read("sheets")
# Exact sheet names (after normalisation) per role, beyond schema's own.
SHEET_NAMES: dict[str, tuple[str, ...]] = {role: tuple(names) for role, names in _sheets["sheet_names"].items()}
# Words inside a sheet name that say its role; first match wins (the file keeps the order).
SHEET_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (k["role"], tuple(k["words"])) for k in _sheets["sheet_keywords"]
)
# A sheet that is a copy, a template or notes is never read as data, whatever its headers say.
NOT_DATA_WORDS = tuple(_sheets["rows"]["not_data"])
# Words that mark a totals or footer row.
TOTAL_WORDS = tuple(_sheets["rows"]["total"])
FOOTER_WORDS = tuple(_sheets["rows"]["footer"])
