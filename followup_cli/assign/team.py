"""The staff sheet as assignment sees it: who may own customers, and their capacities."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from typing import TYPE_CHECKING

from followup_cli.archive.records import Archive
from followup_cli.archive.staff import (
    Person,
    staff_directory,
)
from followup_cli.archive.staff import fold as _norm
from followup_cli.errors import ConfigError
from followup_cli.text.assign import Note
from followup_cli.text.messages import msg
from followup_cli.text.settings import not_a_table

if TYPE_CHECKING:
    from collections.abc import Collection

DEFAULT_OWNER_ROLES = (
    "",
    "clerk",
    "sales",
    "salesperson",
    "sales rep",
    "customer service",
    "cs",
    "account manager",
    "consultant",
    "客服",
    "客服专员",
    "专员",
    "销售",
    "销售顾问",
    "置业顾问",
    "客户经理",
    "导购",
    "店员",
    "顾问",
)

BASIS_ORDER = ("store", "region", "any")


# ---------------------------------------------------------------------------
# staff as assignment sees them


def owner_roles(config_raw: dict | None) -> tuple[str, ...]:
    """The roles that may own customers: followup.toml [assign] roles, else the default list."""
    section = (config_raw or {}).get("assign", {})
    if not isinstance(section, dict):
        raise ConfigError(
            not_a_table("followup.toml", "[assign]"),
            msg(
                '请先写一行 [assign]，再写 roles = ["客服", "销售"]',
                'write it as [assign] then roles = ["客服", "销售"]',
            ),
        )
    roles = section.get("roles")
    if roles is None:
        return DEFAULT_OWNER_ROLES
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise ConfigError(
            msg(
                "followup.toml：[assign] roles 必须是角色名的列表",
                "followup.toml: [assign] roles must be a list of role names",
            ),
            msg(
                '例如 roles = ["客服", "销售", ""]（"" 指没有写角色的员工）',
                'e.g. roles = ["客服", "销售", ""]  ("" means staff with no role written)',
            ),
        )
    return tuple(roles)


class Team:
    """The staff sheet as of a date, as assignment sees it: the shared staff directory
    (archive.staff) plus who may own customers and their capacities as integer weights."""

    def __init__(self, archive: Archive, as_of: dt.date, roles=DEFAULT_OWNER_ROLES):
        self.as_of = as_of
        self.roles = tuple(roles)
        self.directory = staff_directory(archive, as_of)
        self.notes: list[Note] = [Note(n.code, n.params) for n in self.directory.notes]
        self.people = self.directory.people
        allowed = {_norm(r) for r in self.roles}
        for p in self.people:
            p.owns = _norm(p.role) in allowed
        # Capacities as integer weights (one common denominator), for exact and fast arithmetic.
        scale = math.lcm(*(p.capacity.denominator for p in self.people)) if self.people else 1
        for p in self.people:
            p.weight = int(p.capacity * scale)
        # A store's region, when the staff sheet says it unambiguously.
        regions: dict[str, set] = defaultdict(set)
        for p in self.people:
            if p.store and p.region:
                regions[_norm(p.store)].add(_norm(p.region))
        self.store_region = {s: next(iter(r)) for s, r in regions.items() if len(r) == 1}

    def resolve(self, owner: object) -> tuple[str, Person | None, str]:
        """(state, person, matched_by) for an owner cell; matched_by is 'id', 'name' or ''."""
        m = self.directory.resolve(owner)
        return m.state, m.person, m.matched_by

    def find(self, who: str) -> list[Person]:
        return self.directory.find(who)

    def receivers(self, exclude: Collection[Person] = ()) -> list[Person]:
        return [p for p in self.people if p.can_receive and p not in exclude]

    def shares_name(self, p: Person) -> bool:
        return self.directory.shares_name(p)
