"""The visits already in a book, by their natural key, so that a call is recognised again.

A visit is the same call as one being recorded when customer, day and outcome agree, and
kind and staff member too where both sides name one; a visit carrying the same task id on
that day counts as well. A visit typed into the book by hand counts the same way.
"""

from __future__ import annotations

import datetime as dt

from followup_cli.policy.vocabulary import KINDS, visit_outcome
from followup_cli.schedule.engine import visit_task_ids


def _day(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


class VisitIndex:
    """The visits already in the book, by (customer, date, outcome), to recognise a call again."""

    def __init__(self, visits, person):
        self.person = person  # staff cell → a comparable person key, or None
        self.by_day: dict[tuple, list[tuple]] = {}  # (customer, day) → [(outcome, kind, person, task ids)]
        # A customer's visits are looked at when a call of theirs is recorded: a sheet of
        # 1,000 calls touches a few thousand of a log's 300,000 visits.
        self.unread: dict[str, list] = {}
        for v in visits:
            if v.customer_id:
                self.unread.setdefault(str(v.customer_id), []).append(v)

    def _read(self, cid: str) -> None:
        for v in self.unread.pop(cid, ()):
            d = _day(v.date)
            if d is None:
                continue
            kind = KINDS.match(v.kind) if v.kind else None
            # a sheet without an outcome column cannot tell a missed call from a made one
            cols = getattr(v.src, "columns", None)
            outcome = visit_outcome(v.outcome) if cols is None or "outcome" in cols else None
            self._add(cid, d, outcome, kind, v.staff, set(visit_task_ids(v)))

    def add(
        self, cid: str, day: dt.date, outcome: str | None, kind: str | None, staff: object, task_ids: set[str]
    ) -> None:
        if cid in self.unread:
            self._read(cid)
        self._add(cid, day, outcome, kind, staff, task_ids)

    def _add(self, cid, day, outcome, kind, staff, task_ids) -> None:
        self.by_day.setdefault((cid, day), []).append((outcome, kind, self.person(staff), task_ids))

    def holds(
        self, cid: str, day: dt.date, outcome: str | None, kind: str | None, staff: object, task_id: str | None
    ) -> bool:
        if cid in self.unread:
            self._read(cid)
        who = self.person(staff)
        for o_outcome, o_kind, o_who, o_ids in self.by_day.get((cid, day), ()):
            if o_outcome is not None and o_outcome != outcome:
                continue  # (an outcome the vocabulary does not know matches any)
            if task_id and task_id in o_ids:
                return True
            if o_kind is not None and o_kind != kind:
                continue  # (a book without a kind column cannot tell: the same call)
            if o_who is not None and who is not None and o_who != who:
                continue  # two people called that customer that day
            return True
        return False
