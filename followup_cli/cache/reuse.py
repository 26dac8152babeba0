"""After `record` changed only the visit sheet: schedule again only the customers whose visits
changed, take every other customer's tasks from the schedule stored before.

Why that is exact. `compute_schedule` works customer by customer: a customer's tasks come
from their own record, their own rows of every other sheet (grouped by customer id), and
what all customers share: the settings, the options, the as-of day, the calendar, the
staff sheet, the milestones for everyone. Nothing of one customer's tasks depends on
another customer's visits (the yearly cap and the minimum gap count one customer's own
contacts; staff are assigned from the owner and the staff sheet). So when every input but
the visit sheet is the same (the key here: the archive's content without the visit sheet's
part, the settings, the options, followup's version) and a customer's visits are the same
(every field of each, compared value for value, with the sheet each came from), that
customer's tasks are the ones stored. What concerns several customers is worked out again
from the per-customer lists as a cold run does: the lists are joined in the archive's
customer order and the due list sorted by the same key (a stable sort: ties keep their
order, which is each customer's own).

Kept beside the schedule entry (cache/schedule.py), under the same name: the key of that
entry, each customer's visits as compared, and for each stored task, the customer it belongs to. A
visit sheet that is also another role's source (issues kept in the visit log's columns), a
visit log that is not a sheet part of an .xlsx (CSV, .xls: its whole file is its key), or
anything unusual turns the reuse off: every customer is scheduled, as without it.
"""

from __future__ import annotations

import operator
from bisect import bisect_left, bisect_right
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from followup_cli.cache import sheets, store
from followup_cli.cache.columns import decode_column, encode_column

if TYPE_CHECKING:
    from followup_cli.archive.records import Archive
    from followup_cli.policy.rules import Policy
    from followup_cli.schedule.tasks import Schedule

KIND = "schedule-index"


def base_key(identity: object, archive: Archive, version: bytes, settings: tuple, args: object) -> bytes | None:
    """The key of everything but the visit sheets' parts; None when that cannot be said."""
    visit_parts = set()
    by_file = {}
    for path, fk in identity.files.items():
        by_file[Path(path).resolve()] = (path, fk)
    for src in archive.sources:
        if src.role != "visits":
            continue
        found = by_file.get(Path(src.file).resolve())
        if found is None or found[1].members is None:
            return None
        member = found[1].sheet_parts.get(src.sheet)
        if member is None or member not in found[1].members:
            return None
        visit_parts.add((found[0], member))
    if len(visit_parts) != 1 or sum(src.role == "visits" for src in archive.sources) != 1:
        return None  # one visit sheet: a row names one visit
    for src in archive.sources:  # another role read from a visit sheet: its rows changed too
        if src.role == "visits":
            continue
        found = by_file.get(Path(src.file).resolve())
        if found is None or (found[0], found[1].sheet_parts.get(src.sheet)) in visit_parts:
            return None
    content = []
    for path, fk in identity.files.items():
        if fk.members is None:
            content.append((str(path), fk.whole()))
        else:
            content.append((str(path), sorted((n, c) for n, c in fk.members.items() if (path, n) not in visit_parts)))
    return store.digest(
        "reuse", version, identity.name, content, sorted((str(p), m) for p, m in visit_parts), settings, args
    )


# A refusal the customer voiced on a call (archive/said_in_visits.py) is kept on the visit sheet's
# source, by row, not in the visit's fields: it is read from the notes and content cells even when
# `due` reads neither column, so a visit whose 备注 now says 别再打了 has the same values as before.
SAID = "(said)"


def _said(archive: Archive, visits: list) -> list:
    """Per visit, the refusal its words say (the words and channels), or None."""
    if not any(src.role == "visits" and src.said for src in archive.sources):
        return [None] * len(visits)
    out = []
    for v in visits:
        hit = v.src.said.get(v.row) if v.src is not None and v.src.said else None
        out.append(None if hit is None else f"{hit[2]}\0{'*' if hit[3] is None else ','.join(sorted(hit[3]))}")
    return out


class Visits:
    """Every visit as compared, a column per field (the customer's id, the row and every other
    value) and one of the refusal its words say (SAID), encoded as the sheet cache encodes
    columns (dates as day numbers). With a single
    visit sheet a row names one visit; a customer whose visits all sit at the same positions
    with the same values has the same visits."""

    def __init__(self, archive):
        from followup_cli.archive.records import RECORD_CLASSES

        cls = RECORD_CLASSES["visits"]
        fields = ("customer_id", *(f for f in cls.__dataclass_fields__ if f not in ("src", "customer_id")))
        self.names = (*fields, SAID)
        visits = archive.records("visits")
        self.n = len(visits)
        self.raw = [list(map(operator.attrgetter(n), visits)) for n in fields]
        self.raw.append(_said(archive, visits))
        self.cids = self.raw[0]

    def kept(self) -> dict:
        encoded = [encode_column(col, n) for col, n in zip(self.raw, self.names)]
        return {"names": self.names, "n": self.n, "columns": encoded, "cids": self.cids}


def _values(column: tuple, n: int) -> list:
    return [None] * n if column[0] == "none" else decode_column(column)


def changed(old: dict, new: Visits) -> set | None:
    """The customers some visit of whom is not the same in `old` and `new` (a value, its type,
    its position); None: too different to tell."""
    if tuple(old["names"]) != new.names or len(old["columns"]) != len(new.raw):
        return None
    n = min(old["n"], new.n)
    bad: set[int] = set()
    for oc, col in zip(old["columns"], new.raw):
        a, b = _values(oc, old["n"])[:n], col[:n]
        if a == b and list(map(type, a)) == list(map(type, b)):
            continue
        bad.update(i for i in range(n) if a[i] != b[i] or type(a[i]) is not type(b[i]))
    ocids, ncids = old["cids"], new.cids
    return {ocids[i] for i in bad} | {ncids[i] for i in bad} | set(ocids[n:]) | set(ncids[n:])


def index(result: Schedule, archive: Archive, key: bytes, visits: Visits) -> dict:
    """What is kept beside a schedule: its key, each visit as compared, and for each stored list
    of tasks the position of each task's customer in the archive (a list of ints: a few map
    calls to make and cheap to pickle; cache/reuse.py groups it when it is read back)."""
    pos = {id(c): p for p, c in enumerate(archive.customers)}
    owners = []
    for name in ("closed", "left_out", "tasks"):
        ps = list(map(pos.get, map(id, map(operator.attrgetter("customer"), getattr(result, name)))))
        if None in ps:
            raise ValueError("a task of a customer not in the archive")
        owners.append(ps)
    return {"key": key, "ids": [c.id for c in archive.customers], "visits": visits.kept(), "owners": owners}


class _Owners:
    """The tasks of each customer in one stored list: its positions, in the list's order."""

    def __init__(self, ps: list[int]):
        if all(map(operator.le, ps, islice(ps, 1, None))):
            self.order, self.sorted = None, ps  # customer by customer, as compute_schedule appends
        else:  # the due list, sorted by date: positions grouped by customer, each group in order
            self.order = sorted(range(len(ps)), key=ps.__getitem__)
            self.sorted = list(map(ps.__getitem__, self.order))

    def of(self, p: int):
        lo = bisect_left(self.sorted, p)
        hi = bisect_right(self.sorted, p, lo)
        return range(lo, hi) if self.order is None else self.order[lo:hi]


class Reuse:
    """The tasks of the customers whose inputs did not change, from the stored schedule."""

    def __init__(self, archive, setup, args, kept: dict, stored: dict, visits: Visits, dec):
        import dataclasses

        from followup_cli.archive.records import RECORD_CLASSES
        from followup_cli.schedule.tasks import Task

        self.archive, self.setup, self.args = archive, setup, args
        self.ids = kept["ids"]
        self.owners = [_Owners(ps) for ps in kept["owners"]]
        names = tuple(f.name for f in dataclasses.fields(Task))
        if tuple(stored["task_fields"]) != names:
            raise ValueError("other task fields")
        self.lists = []
        for name in ("closed", "left_out", "tasks"):
            v = stored["fields"][name]
            if v is None or v[0] != "tasks":
                raise ValueError("not a list of tasks")
            self.lists.append((v[1], v[2]))
        if [len(rows) for rows, _ in self.lists] != [len(ps) for ps in kept["owners"]]:
            raise ValueError("an index of other lists")
        if len(self.ids) != len(archive.customers):
            raise ValueError("another number of customers")
        self.changed = changed(kept["visits"], visits)
        if self.changed is None:
            raise ValueError("the visits are too different to compare")
        self.pos = {id(c): p for p, c in enumerate(archive.customers)}
        self.rules = {r.id: r for r in setup.policy.rules}
        self.dec, self.Task, self.visit_class = dec, Task, RECORD_CLASSES["visits"]
        # id(task) → (its stored row, the positions holding references): valid in this archive
        self.rows: dict[int, tuple] = {}
        self.reused = self.scheduled = 0

    def fits(self, archive: Archive, policy: Policy, args: tuple) -> bool:
        return archive is self.archive and policy is self.setup.policy and sheets._plain(args) == self.args

    def tasks(self, customer: object) -> tuple[list, list, list] | None:
        """(closed, left out, listed) as the stored schedule has them, or None: schedule it."""
        found = None if customer.id in self.changed else self._tasks(customer)
        if found is None:
            self.scheduled += 1
        else:
            self.reused += 1
        return found

    def _tasks(self, customer):
        p = self.pos.get(id(customer))
        if p is None or self.ids[p] != customer.id:
            return None
        out = ([], [], [])
        rows_of = {}
        try:
            for k, owners in enumerate(self.owners):
                rows, special = self.lists[k]
                for j in owners.of(p):
                    row = rows[j]
                    t = list(row)
                    for s in special:
                        t[s] = self._dec(t[s], customer.id)
                    task = self.Task(*t)
                    if task.customer is not customer:
                        return None
                    out[k].append(task)
                    rows_of[id(task)] = (row, special)
        except Exception:  # not where it was: scheduled again
            return None
        self.rows.update(rows_of)
        return out

    def _dec(self, value, cid):
        """A stored value back; a visit in it only when it is this customer's (the visit sheet
        changed: a stored position could now name another row)."""
        out = self.dec(value, self.archive, self.rules)
        self._check(out, cid)
        return out

    def _check(self, value, cid) -> None:
        t = type(value)
        if t is self.visit_class:
            if value.customer_id != cid:
                raise ValueError("not this customer's visit")
        elif t is list or t is tuple:
            for v in value:
                self._check(v, cid)
        elif t is dict:
            for v in value.values():
                self._check(v, cid)
