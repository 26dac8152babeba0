"""Who owns which customer: filling empty owners, handing over a departing clerk's
customers, rebalancing load, and the load report.

Everything here is planning over records: functions take an Archive and return a Plan
(who gets whom, load per staff before and after) without touching any file. The command
writes a plan's owner cells with writing.update_cells.

Rules (docs/assign.md):
- A customer needs an owner when the owner cell is empty or names a staff member who has
  left (the Staff sheet's 在职 = 否, or 离职日期 on or before the as-of date). An owner who is
  still active is never changed by a plain assign. An owner the Staff sheet does not know
  is left alone and reported: it is usually a typo a person must fix.
- Who may own customers goes by role: by default an empty role, clerks, sales and customer
  service (客服, 销售 ...); supervisors, doctors and managers do not. followup.toml
  `[assign] roles = [...]` replaces the list ("" in it means "no role written").
- Candidates for a customer: active staff who may own customers and have a capacity above
  0, in the customer's store; if there are none, in its region; if none, anyone.
- Spreading: customers are handed out one at a time, store-level customers first, then
  region-level, then the rest, each group in sheet order; each goes to the candidate with
  the largest deficit against their capacity share of the candidates' total load
  (current load included), ties to the smaller staff id (then name). No randomness: the
  same input gives the same plan.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from followup_cli.errors import ConfigError, DataProblems, UsageProblem
from followup_cli.text.labels import pick as _label, render
from followup_cli.archive.records import Archive
from followup_cli.archive.staff import (
    ACTIVE, AMBIGUOUS, LEFT, NONE, UNKNOWN, Person, natural_key, staff_directory,
)
from followup_cli.archive.staff import fold as _norm

# Roles that own customers unless followup.toml says otherwise; "" is a staff row with no role.
DEFAULT_OWNER_ROLES = (
    "", "clerk", "sales", "salesperson", "sales rep", "customer service", "cs", "account manager",
    "consultant", "客服", "客服专员", "专员", "销售", "销售顾问", "置业顾问", "客户经理", "导购", "店员", "顾问",
)

BASIS_ORDER = ("store", "region", "any")



# ---------------------------------------------------------------------------
# messages, both languages

MESSAGES = {
    "no_staff_sheet": (
        "档案中没有员工表（员工/Staff），无法分配负责人；请添加员工表：工号、姓名、门店、地区、角色、在职、能力权重",
        "the archive has no staff sheet (员工/Staff), so there is nobody to assign; add one with the columns "
        "staff id, name, store, region, role, active, capacity"),
    "no_eligible": (
        "没有可以负责客户的在职员工（可负责的角色：{roles}）；在员工表中登记在职的客服，或在 followup.toml 的 "
        "[assign] roles 中设置可负责客户的角色",
        "there is no active staff member who may own customers (roles that may: {roles}); add an active clerk to "
        "the staff sheet, or set [assign] roles in followup.toml"),
    "unknown_owner": (
        "{count} 位客户的负责人不在员工表中（{names}），未作改动；请更正姓名或清空该单元格后再分配",
        "{count} customer(s) have an owner the staff sheet does not know ({names}); they were left alone: "
        "correct the name or clear the cell, then assign again"),
    "ambiguous_owner": (
        "{count} 位客户的负责人姓名对应多名员工（{names}），未作改动；请改填工号",
        "{count} customer(s) have an owner name shared by several staff ({names}); they were left alone: "
        "write the staff id instead"),
    "no_id": (
        "{count} 行客户没有客户编号，已跳过",
        "{count} customer row(s) have no customer id and were skipped"),
    "bad_capacity": (
        "员工 {name} 的能力权重 {value} 小于 0，按 0 处理（不分配新客户）",
        "staff {name}: capacity {value} is below 0; taken as 0 (gets no new customers)"),
    "duplicate_staff": (
        "员工表中工号 {id} 出现多次，只使用第一行",
        "staff id {id} appears more than once on the staff sheet; the first row is used"),
    "to_not_owner": (
        "{name} 的角色（{role}）通常不负责客户；按指定仍交接给 {name}",
        "{name}'s role ({role}) does not usually own customers; handing over to {name} as asked"),
    "from_active": (
        "{name} 仍在职；其客户照样交接",
        "{name} is still active; their customers are handed over all the same"),
    "unknown_store": (
        "--store '{store}'：客户表和员工表中都没有这个门店；门店有：{stores}",
        "--store '{store}': no customer or staff member is in that store; stores are: {stores}"),
    "who_unknown": (
        "{option} '{who}'：员工表中没有这名员工（按姓名或工号）；员工有：{names}",
        "{option} '{who}': no such staff member on the staff sheet (by name or staff id); staff are: {names}"),
    "who_ambiguous": (
        "{option} '{who}'：有多名员工同名（{names}）；请改用工号",
        "{option} '{who}': several staff members have that name ({names}); give the staff id instead"),
    "to_same": (
        "--to-staff '{to}' 与 --handover '{who}' 是同一个人",
        "--to-staff '{to}' is the same person as --handover '{who}'"),
    "to_left": (
        "--to-staff '{to}'：{name} 已离职，不能接手客户；请指定在职同事，或不加 --to-staff 以在门店内分配",
        "--to-staff '{to}': {name} has left and cannot take customers; name an active colleague, or leave out --to-staff "
        "to spread the customers across the store"),
    "unowned_waiting": (
        "{count} 位客户没有在职负责人，负载均衡不处理它们；请先运行 followup assign",
        "{count} customer(s) have no active owner and are not part of rebalancing; run `followup assign` first"),
    "pool_no_capacity": (
        "门店 {store} 的员工能力权重合计为 0，跳过均衡",
        "store {store}: the staff's capacities add up to 0; not rebalanced"),
    "max_moves_reached": (
        "已达到 --max-moves {max}；完全均衡还需移动 {left} 位客户",
        "stopped at --max-moves {max}; {left} more move(s) would even the load out fully"),
}


@dataclass(frozen=True)
class Note:
    code: str
    params: dict = field(default_factory=dict, hash=False, compare=False)

    def text(self, lang: str) -> str:
        zh, en = MESSAGES[self.code]
        return render(zh if lang == "zh" else en, self.params, lang)


def message(code: str, lang: str, **params) -> str:
    return Note(code, params).text(lang)


# ---------------------------------------------------------------------------
# staff as assignment sees them


def owner_roles(config_raw: dict | None) -> tuple[str, ...]:
    """The roles that may own customers: followup.toml [assign] roles, else the default list."""
    section = (config_raw or {}).get("assign", {})
    if not isinstance(section, dict):
        raise ConfigError("followup.toml: [assign] must be a table", 'write it as [assign] then roles = ["客服", "销售"]')
    roles = section.get("roles")
    if roles is None:
        return DEFAULT_OWNER_ROLES
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise ConfigError("followup.toml: [assign] roles must be a list of role names",
                          'e.g. roles = ["客服", "销售", ""]  ("" means staff with no role written)')
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

    def resolve(self, owner) -> tuple[str, Person | None, str]:
        """(state, person, matched_by) for an owner cell; matched_by is 'id', 'name' or ''."""
        m = self.directory.resolve(owner)
        return m.state, m.person, m.matched_by

    def find(self, who: str) -> list[Person]:
        return self.directory.find(who)

    def receivers(self, exclude=()) -> list[Person]:
        return [p for p in self.people if p.can_receive and p not in exclude]

    def shares_name(self, p: Person) -> bool:
        return self.directory.shares_name(p)


# ---------------------------------------------------------------------------
# the plan


@dataclass(eq=False)
class Move:
    customer: object
    old_text: str  # the owner cell as read
    old_state: str  # none | left | active | unknown | ambiguous
    old: Person | None
    new: Person | None = None
    basis: str = ""  # store | region | any | named | rebalance; "" when no one could take it
    order: int = 0  # the customer's position in the sheet

    @property
    def cell(self) -> str:
        src = self.customer.src
        if src is None:
            return ""
        return f"{src.sheet}!{src.cell('owner', self.customer.row)}" if "owner" in src.columns \
            else f"{src.sheet}!{self.customer.row}"


@dataclass
class Plan:
    mode: str  # assign | handover | rebalance
    as_of: dt.date
    team: Team
    moves: list[Move]  # in the order they were decided
    before: dict[Person | None, int]  # None: customers with no active owner (unassigned)
    after: dict[Person | None, int]
    notes: list[Note] = field(default_factory=list)
    write_ids: bool = False  # the owner column holds staff ids rather than names
    moves_to_balance: int = 0  # rebalance: moves needed to even out fully

    @property
    def placed(self) -> list[Move]:
        return [m for m in self.moves if m.new is not None]

    @property
    def unplaced(self) -> list[Move]:
        return [m for m in self.moves if m.new is None]

    def owner_value(self, p: Person) -> str:
        """What goes into the owner cell: the staff member's name as on the staff sheet, or the
        staff id where the column is kept by id or the name is shared."""
        if p.staff_id and (self.write_ids or self.team.shares_name(p)):
            return p.staff_id
        return p.name

    def missing_owner_column(self) -> list:
        """The customer sheets (SheetSource) a write would need an owner column in, and lacks."""
        out = []
        for m in self.placed:
            src = m.customer.src
            if src is not None and "owner" not in src.columns and src not in out:
                out.append(src)
        return out

    def updates(self) -> dict[tuple[Path, str], dict[tuple[int, int], str]]:
        """(file, sheet) → {(row, col): owner} for writing.update_cells, both 1-based."""
        out: dict[tuple[Path, str], dict[tuple[int, int], str]] = {}
        for m in self.placed:
            src = m.customer.src
            col = src.columns.get("owner") if src is not None else None
            if col is None:
                continue
            out.setdefault((src.file, src.sheet), {})[(m.customer.row, col + 1)] = self.owner_value(m.new)
        return out

    def load_rows(self, store: str | None = None) -> list[tuple[Person | None, int, int]]:
        """(person, before, after) for everyone who owns, owned or may own customers; None last."""
        rows = []
        touched = {m.old for m in self.moves} | {m.new for m in self.moves}
        for p in self.team.people:
            b, a = self.before.get(p, 0), self.after.get(p, 0)
            if p not in touched:
                if store and _norm(p.store) != _norm(store):
                    continue
                if not (b or a or p.can_receive):
                    continue
            rows.append((p, b, a))
        b, a = self.before.get(None, 0), self.after.get(None, 0)
        if b or a:
            rows.append((None, b, a))
        return rows


def _loads(archive: Archive, team: Team) -> tuple[dict, list[Note], bool]:
    """Customers per person (any state) and per None (no active owner); notes; owner column by id?"""
    load: dict[Person | None, int] = defaultdict(int)
    unknown, ambiguous = [], []
    by_id = by_name = 0
    for c in archive.customers:
        if not c.id:
            continue
        state, p, how = team.resolve(c.owner)
        if p is not None:
            load[p] += 1
        if state in (NONE, LEFT):
            load[None] += 1
        if state == UNKNOWN:
            unknown.append(str(c.owner))
        elif state == AMBIGUOUS:
            ambiguous.append(str(c.owner))
        by_id += how == "id"
        by_name += how == "name"
    notes = []
    if unknown:
        notes.append(Note("unknown_owner", {"count": len(unknown), "names": _names(unknown)}))
    if ambiguous:
        notes.append(Note("ambiguous_owner", {"count": len(ambiguous), "names": _names(ambiguous)}))
    return load, notes, by_id > by_name


def _names(values: list[str], limit: int = 5) -> str:
    distinct = list(dict.fromkeys(values))
    return ", ".join(distinct[:limit]) + (" …" if len(distinct) > limit else "")


def _in_store(customer, store: str | None) -> bool:
    return not store or _norm(customer.store) == _norm(store)


def _candidates(team: Team, customer, exclude=(), home: Person | None = None) -> tuple[str, list[Person]]:
    """(basis, pool): the customer's store, else its region, else anyone; `home` fills a blank store/region."""
    eligible = team.receivers(exclude)
    store = _norm(customer.store) or (_norm(home.store) if home else "")
    if store:
        pool = [p for p in eligible if _norm(p.store) == store]
        if pool:
            return "store", pool
    region = _norm(customer.region) or team.store_region.get(store, "") or (_norm(home.region) if home else "")
    if region:
        pool = [p for p in eligible if _norm(p.region) == region]
        if pool:
            return "region", pool
    return ("any", eligible) if eligible else ("", [])


def _pick(pool: list[Person], load: dict) -> Person:
    """The candidate furthest below their capacity share of the pool's load once this customer is added.

    deficit = capacity × (pool load + 1) / pool capacity − load, compared multiplied by the
    pool capacity, in integer weights: exact and fast. The pool is in staff-id order, so
    the first of equal deficits is the smaller id.
    """
    total = sum(load.get(p, 0) for p in pool) + 1
    wsum = sum(p.weight for p in pool)
    best, best_d = None, None
    for p in pool:
        d = p.weight * total - load.get(p, 0) * wsum
        if best is None or d > best_d:
            best, best_d = p, d
    return best


def _spread(team: Team, moves: list[Move], load: dict, exclude=(), home: Person | None = None) -> None:
    """Give each move a new owner: store-level first, then region, then anyone; sheet order within."""
    decided = []
    pools: dict[tuple, tuple[str, list[Person]]] = {}
    for m in moves:
        key = (_norm(m.customer.store), _norm(m.customer.region))
        if key not in pools:
            pools[key] = _candidates(team, m.customer, exclude, home)
        basis, pool = pools[key]
        decided.append((basis, pool, m))
    rank = {b: i for i, b in enumerate(BASIS_ORDER)}
    decided.sort(key=lambda t: (rank.get(t[0], len(rank)), t[2].order))
    for basis, pool, m in decided:
        if not pool:
            continue
        p = _pick(pool, load)
        m.new, m.basis = p, basis
        load[p] = load.get(p, 0) + 1


def _finish(mode, as_of, team, moves, before, notes, write_ids, sort=True) -> Plan:
    after = dict(before)
    for m in moves:
        if m.new is None:
            continue
        if m.old is not None:
            after[m.old] = after.get(m.old, 0) - 1
        after[m.new] = after.get(m.new, 0) + 1
        if m.old_state in (NONE, LEFT):
            after[None] = after.get(None, 0) - 1
    if sort:
        moves = sorted(moves, key=lambda m: m.order)
    return Plan(mode, as_of, team, moves, dict(before), after, notes, write_ids)


def _check_team(team: Team, archive: Archive) -> None:
    if not archive.staff:
        raise DataProblems(message("no_staff_sheet", archive.lang))


def _customers(archive: Archive, notes: list[Note]):
    """(order, customer) for customers with an id, in sheet order."""
    no_id = 0
    out = []
    for i, c in enumerate(archive.customers):
        if not c.id:
            no_id += 1
            continue
        out.append((i, c))
    if no_id:
        notes.append(Note("no_id", {"count": no_id}))
    return out


# ---------------------------------------------------------------------------
# the three plans


def plan_assign(archive: Archive, as_of: dt.date, roles=DEFAULT_OWNER_ROLES, store: str | None = None) -> Plan:
    """An owner for every customer whose owner cell is empty or names someone who has left."""
    team = Team(archive, as_of, roles)
    _check_team(team, archive)
    before, notes, write_ids = _loads(archive, team)
    notes = team.notes + notes
    moves = []
    for i, c in _customers(archive, notes):
        if not _in_store(c, store):
            continue
        state, p, _ = team.resolve(c.owner)
        if state in (NONE, LEFT):
            moves.append(Move(c, str(c.owner or ""), state, p, order=i))
    if moves and not team.receivers():
        raise DataProblems(message("no_eligible", archive.lang, roles=_role_list(team.roles, archive.lang)))
    _spread(team, moves, dict(before))
    return _finish("assign", as_of, team, moves, before, notes, write_ids)


def plan_handover(archive: Archive, as_of: dt.date, from_: str, to: str | None = None,
                  roles=DEFAULT_OWNER_ROLES, store: str | None = None) -> Plan:
    """Every customer of `from_` to `to`, or spread over `from_`'s store (then region, then anyone)."""
    team = Team(archive, as_of, roles)
    _check_team(team, archive)
    lang = archive.lang
    before, notes, write_ids = _loads(archive, team)
    notes = team.notes + notes
    giver = _one(team, from_, "--handover", lang)
    target = None
    if to is not None:
        target = _one(team, to, "--to-staff", lang)
        if target is giver:
            raise UsageProblem(message("to_same", lang, to=to, who=from_))
        if not target.active:
            raise DataProblems(message("to_left", lang, to=to, name=target.label()))
        if not target.owns:
            notes.append(Note("to_not_owner", {"name": target.name, "role": target.role}))
    if giver.active:
        notes.append(Note("from_active", {"name": giver.name}))
    moves = []
    for i, c in _customers(archive, notes):
        if not _in_store(c, store):
            continue
        state, p, _ = team.resolve(c.owner)
        if p is giver:
            moves.append(Move(c, str(c.owner or ""), state, p, order=i))
    if target is not None:
        for m in moves:
            m.new, m.basis = target, "named"
    else:
        if moves and not team.receivers(exclude=(giver,)):
            raise DataProblems(message("no_eligible", lang, roles=_role_list(team.roles, lang)))
        _spread(team, moves, dict(before), exclude=(giver,), home=giver)
    return _finish("handover", as_of, team, moves, before, notes, write_ids)


def plan_rebalance(archive: Archive, as_of: dt.date, max_moves: int | None = None,
                   roles=DEFAULT_OWNER_ROLES, store: str | None = None) -> Plan:
    """Even out load within each store with as few moves as possible.

    Each active staff member who may own customers is given a target: their exact capacity
    share of the store's customers, rounded down or up so the targets add up; the round-ups
    go first to those who already have more (so they need not give one away), then to the
    largest fraction, then by staff id. Only customers of someone above their target move,
    to whoever is furthest below theirs; a giver's last customers in sheet order move first
    (the newest, least developed relationships). The number of moves is the least that
    reaches targets within one customer of everyone's exact share.
    """
    team = Team(archive, as_of, roles)
    _check_team(team, archive)
    before, notes, write_ids = _loads(archive, team)
    notes = team.notes + notes
    owned: dict[Person, list[tuple[int, object]]] = defaultdict(list)
    for i, c in _customers(archive, notes):
        state, p, _ = team.resolve(c.owner)
        if state == ACTIVE:
            owned[p].append((i, c))
    if before.get(None):
        notes.append(Note("unowned_waiting", {"count": before[None]}))
    pools: dict[str, list[Person]] = defaultdict(list)
    for p in team.people:
        if p.active and p.owns and (not store or _norm(p.store) == _norm(store)):
            pools[_norm(p.store)].append(p)
    load = {p: len(owned.get(p, ())) for pool in pools.values() for p in pool}
    targets: dict[Person, int] = {}
    scale: dict[Person, tuple[int, int]] = {}  # person → (pool total load, pool weight)
    for key in sorted(pools):
        pool = pools[key]
        wsum = sum(p.weight for p in pool)
        total = sum(load[p] for p in pool)
        if wsum == 0:
            if total:
                notes.append(Note("pool_no_capacity", {"store": pool[0].store or "-"}))
            continue
        rest = {}
        for p in pool:
            targets[p], rest[p] = divmod(p.weight * total, wsum)  # the exact share, rounded down, and its fraction
            scale[p] = (total, wsum)
        spare = total - sum(targets[p] for p in pool)
        fractional = [p for p in pool if rest[p]]
        fractional.sort(key=lambda p: (load[p] <= targets[p], -rest[p], p.sort_key))
        for p in fractional[:spare]:
            targets[p] += 1

    def over(p: Person) -> float:
        """load − exact share; a correctly rounded quotient of integers, so equal shares compare equal."""
        total, wsum = scale[p]
        return (load[p] * wsum - p.weight * total) / wsum

    needed = sum(max(0, load[p] - targets[p]) for p in targets)
    limit = needed if max_moves is None else min(max_moves, needed)
    # A giver's customers, the ones to move first at the end: customers of another store first
    # (they go last), then the pool's own store, each in sheet order (the newest move first).
    remaining = {}
    for p in targets:
        mine = sorted(owned.get(p, ()), key=lambda t: t[0])
        home = _norm(p.store)
        remaining[p] = [t for t in mine if _norm(t[1].store) != home] + [t for t in mine if _norm(t[1].store) == home]
    moves: list[Move] = []
    while len(moves) < limit:
        givers = [p for p in targets if load[p] > targets[p]]
        if not givers:
            break
        giver = max(givers, key=lambda p: (over(p), _Reverse(p.sort_key)))
        takers = [p for p in pools[_norm(giver.store)] if p in targets and load[p] < targets[p]]
        if not takers:  # cannot happen: the targets add up to the pool's load
            break
        taker = min(takers, key=lambda p: (over(p), p.sort_key))
        i, c = remaining[giver].pop()
        moves.append(Move(c, str(c.owner or ""), ACTIVE, giver, taker, "rebalance", order=i))
        load[giver] -= 1
        load[taker] += 1
    if max_moves is not None and needed > max_moves:
        notes.append(Note("max_moves_reached", {"max": max_moves, "left": needed - max_moves}))
    plan = _finish("rebalance", as_of, team, moves, before, notes, write_ids)
    plan.moves_to_balance = needed
    return plan


def _one(team: Team, who: str, option: str, lang: str) -> Person:
    """The one staff member `who` names (id or name), or a usage error saying who there is."""
    found = team.find(who)
    if len(found) > 1:
        raise UsageProblem(message("who_ambiguous", lang, option=option, who=who,
                                   names=", ".join(p.label() for p in found)))
    if not found:
        raise UsageProblem(message("who_unknown", lang, option=option, who=who, names=_people_list(team.people)))
    return found[0]


def check_store(archive: Archive, store: str | None) -> None:
    """A --store that names no store of the archive is a typo: say which stores there are."""
    if not store:
        return
    known = {}
    for rec in list(archive.customers) + list(archive.staff):
        if rec.store:
            known.setdefault(_norm(rec.store), str(rec.store).strip())
    if _norm(store) not in known:
        names = ", ".join(sorted(known.values(), key=natural_key)) or "(none)"
        raise UsageProblem(message("unknown_store", archive.lang, store=store, stores=names))


class _Reverse:
    """Inside max(): of equal keys, the smallest staff id wins."""

    __slots__ = ("key",)

    def __init__(self, key):
        self.key = key

    def __eq__(self, other):
        return self.key == other.key

    def __lt__(self, other):
        return self.key > other.key


def _role_list(roles, lang: str) -> str:
    shown = [r if r else ("（未填）" if lang == "zh" else "(blank)") for r in roles]
    return ("、" if lang == "zh" else ", ").join(shown)


def _people_list(people: list[Person], limit: int = 12) -> str:
    shown = [p.label() for p in people[:limit]]
    return ", ".join(shown) + (" …" if len(people) > limit else "") if shown else "(none)"


# ---------------------------------------------------------------------------
# the load report


@dataclass
class LoadLine:
    person: Person | None
    label: str  # the owner as written, for owners the staff sheet does not know
    status: str  # active | left | not_owner | unknown | unassigned
    customers: int = 0
    open_tasks: int = 0


def load_report(archive: Archive, config, as_of: dt.date, roles=DEFAULT_OWNER_ROLES,
                store: str | None = None) -> list[LoadLine]:
    """Customers and open tasks (due and overdue on `as_of`, as `followup due` lists them) per staff member.

    Tasks go to whoever `due` shows: the owner, or the staff of a rule's role (a doctor's
    calls); a task whose owner has left or is missing counts under "unassigned".
    """
    from followup_cli.policy.setup import policy_setup
    from followup_cli.schedule.engine import compute_schedule

    team = Team(archive, as_of, roles)
    lines: dict[object, LoadLine] = {}
    for p in team.people:
        if not store or _norm(p.store) == _norm(store):
            lines[p] = LoadLine(p, p.label(), p.status)
    unassigned = LoadLine(None, "", "unassigned")

    def line_for(owner_text) -> LoadLine:
        state, p, _ = team.resolve(owner_text)
        if p is not None:
            return lines.setdefault(p, LoadLine(p, p.label(), p.status))
        if state in (NONE, LEFT):
            return unassigned
        key = ("?", _norm(owner_text))
        return lines.setdefault(key, LoadLine(None, str(owner_text).strip(), "unknown"))

    for c in archive.customers:
        if c.id and _in_store(c, store):
            line_for(c.owner).customers += 1
    setup = policy_setup(config)
    schedule = compute_schedule(archive, setup.policy, as_of, 0, setup.workcal, store=store,
                                birthday_policy=setup.birthday_policy, followups=setup.followups)
    for t in schedule.tasks:
        (line_for(t.staff) if t.staff else unassigned).open_tasks += 1
    out = sorted((ln for ln in lines.values() if ln.person is not None),
                 key=lambda ln: (ln.status == "left", ln.person.sort_key))
    out += sorted((ln for ln in lines.values() if ln.person is None), key=lambda ln: natural_key(ln.label))
    if unassigned.customers or unassigned.open_tasks:
        out.append(unassigned)
    return out


# ---------------------------------------------------------------------------
# rows for output.emit_rows: json keeps codes, table/csv/xlsx show labels

STATUS_LABELS = {
    "active": ("在职", "active"),
    "left": ("已离职", "left"),
    "not_owner": ("在职（不负责客户）", "active (does not own customers)"),
    "unknown": ("不在员工表", "not on the staff sheet"),
    "unassigned": ("未分配", "unassigned"),
    "none": ("（空）", "(empty)"),
    "ambiguous": ("重名", "ambiguous name"),
}
BASIS_LABELS = {
    "store": ("同门店", "same store"),
    "region": ("同地区", "same region"),
    "any": ("跨地区", "other region"),
    "named": ("指定交接", "named colleague"),
    "rebalance": ("负载均衡", "rebalance"),
    "": ("无人可接", "nobody available"),
}
UNASSIGNED_LABEL = ("（未分配）", "(unassigned)")

PLAN_COLUMNS = [("customer_id", "客户编号", "Customer ID"), ("customer_name", "姓名", "Name"),
                ("store", "门店", "Store"), ("cell", "单元格", "Cell"), ("from", "原负责人", "From"),
                ("to", "新负责人", "To"), ("basis", "依据", "Basis")]
LOAD_COLUMNS = [("staff_id", "工号", "Staff ID"), ("name", "姓名", "Name"), ("store", "门店", "Store"),
                ("role", "角色", "Role"), ("status", "状态", "Status"), ("capacity", "能力权重", "Capacity"),
                ("before", "之前", "Before"), ("after", "之后", "After"), ("change", "变化", "Change")]
REPORT_COLUMNS = [("staff_id", "工号", "Staff ID"), ("name", "姓名", "Name"), ("store", "门店", "Store"),
                  ("role", "角色", "Role"), ("status", "状态", "Status"), ("capacity", "能力权重", "Capacity"),
                  ("customers", "客户数", "Customers"), ("open_tasks", "待办回访", "Open tasks")]


def columns(which: list[tuple[str, str, str]], lang: str) -> list[tuple[str, str]]:
    return [(k, zh if lang == "zh" else en) for k, zh, en in which]


def _number(value: Fraction):
    return int(value) if value.denominator == 1 else float(value)


def plan_rows(plan: Plan, lang: str, labels: bool) -> list[dict]:
    """One row per customer in the plan. `labels`: words for people (table/csv); else codes (json)."""
    rows = []
    for m in plan.moves:
        c = m.customer
        old = m.old_text or ""
        if labels:
            if m.old_state == NONE:
                shown_from = _label(STATUS_LABELS["none"], lang)
            elif m.old_state == LEFT:
                shown_from = f"{old}（已离职）" if lang == "zh" else f"{old} (left)"
            else:
                shown_from = old
            row = {"from": shown_from, "to": plan.owner_value(m.new) if m.new else _label(BASIS_LABELS[""], lang),
                   "basis": _label(BASIS_LABELS[m.basis], lang)}
        else:
            row = {"from": old or None, "from_status": m.old_state,
                   "to": plan.owner_value(m.new) if m.new else None,
                   "to_staff_id": m.new.staff_id if m.new else None, "basis": m.basis or None}
        rows.append({"customer_id": c.id, "customer_name": c.name or "", "store": c.store or "",
                     "row": c.row, "cell": m.cell, **row})
    return rows


def load_table(plan: Plan, lang: str, labels: bool, store: str | None = None) -> list[dict]:
    """Load per staff member before and after the plan, and the customers left without an owner."""
    rows = []
    for p, before, after in plan.load_rows(store):
        if p is None:
            rows.append({"staff_id": "", "name": _label(UNASSIGNED_LABEL, lang) if labels else None,
                         "store": "", "region": "", "role": "",
                         "status": _label(STATUS_LABELS["unassigned"], lang) if labels else "unassigned",
                         "capacity": None, "before": before, "after": after, "change": _change(after - before, labels)})
            continue
        rows.append({"staff_id": p.staff_id, "name": p.name, "store": p.store, "region": p.region, "role": p.role,
                     "status": _label(STATUS_LABELS[p.status], lang) if labels else p.status,
                     "capacity": _number(p.capacity), "before": before, "after": after,
                     "change": _change(after - before, labels)})
    return rows


def _change(n: int, labels: bool):
    if not labels:
        return n
    return f"+{n}" if n > 0 else str(n) if n else ""


def report_rows(lines: list[LoadLine], lang: str, labels: bool) -> list[dict]:
    rows = []
    for ln in lines:
        p = ln.person
        if p is None:
            name = ln.label if ln.status == "unknown" else (_label(UNASSIGNED_LABEL, lang) if labels else None)
            rows.append({"staff_id": "", "name": name, "store": "", "region": "", "role": "",
                         "status": _label(STATUS_LABELS[ln.status], lang) if labels else ln.status,
                         "capacity": None, "customers": ln.customers, "open_tasks": ln.open_tasks})
        else:
            rows.append({"staff_id": p.staff_id, "name": p.name, "store": p.store, "region": p.region,
                         "role": p.role, "status": _label(STATUS_LABELS[ln.status], lang) if labels else ln.status,
                         "capacity": _number(p.capacity), "customers": ln.customers, "open_tasks": ln.open_tasks})
    return rows
