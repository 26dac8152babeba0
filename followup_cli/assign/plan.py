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
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from followup_cli.archive.records import Archive
from followup_cli.archive.staff import (
    ACTIVE,
    AMBIGUOUS,
    LEFT,
    NONE,
    UNKNOWN,
    Person,
    natural_key,
)
from followup_cli.archive.staff import fold as _norm
from followup_cli.assign.team import BASIS_ORDER, DEFAULT_OWNER_ROLES, Team
from followup_cli.errors import DataProblems, UsageProblem
from followup_cli.text.assign import BLANK_ROLE, LIST_SEP, Note, message
from followup_cli.text.messages import pick

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
        return (
            f"{src.sheet}!{src.cell('owner', self.customer.row)}"
            if "owner" in src.columns
            else f"{src.sheet}!{self.customer.row}"
        )


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


def in_store(customer: object, store: str | None) -> bool:
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


def plan_assign(
    archive: Archive, as_of: dt.date, roles: tuple[str, ...] = DEFAULT_OWNER_ROLES, store: str | None = None
) -> Plan:
    """An owner for every customer whose owner cell is empty or names someone who has left."""
    team = Team(archive, as_of, roles)
    _check_team(team, archive)
    before, notes, write_ids = _loads(archive, team)
    notes = team.notes + notes
    moves = []
    for i, c in _customers(archive, notes):
        if not in_store(c, store):
            continue
        state, p, _ = team.resolve(c.owner)
        if state in (NONE, LEFT):
            moves.append(Move(c, str(c.owner or ""), state, p, order=i))
    if moves and not team.receivers():
        raise DataProblems(message("no_eligible", archive.lang, roles=_role_list(team.roles, archive.lang)))
    _spread(team, moves, dict(before))
    return _finish("assign", as_of, team, moves, before, notes, write_ids)


def plan_handover(
    archive: Archive,
    as_of: dt.date,
    from_: str,
    to: str | None = None,
    roles: tuple[str, ...] = DEFAULT_OWNER_ROLES,
    store: str | None = None,
) -> Plan:
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
        if not in_store(c, store):
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


def plan_rebalance(
    archive: Archive,
    as_of: dt.date,
    max_moves: int | None = None,
    roles: tuple[str, ...] = DEFAULT_OWNER_ROLES,
    store: str | None = None,
) -> Plan:
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
        raise UsageProblem(
            message("who_ambiguous", lang, option=option, who=who, names=", ".join(p.label() for p in found))
        )
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
    shown = [r if r else pick(BLANK_ROLE, lang) for r in roles]
    return pick(LIST_SEP, lang).join(shown)


def _people_list(people: list[Person], limit: int = 12) -> str:
    shown = [p.label() for p in people[:limit]]
    return ", ".join(shown) + (" …" if len(people) > limit else "") if shown else "(none)"
