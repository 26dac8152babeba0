"""The period's due set as a KPI result lists it (`KpiResult.due_tasks`): one row per task,
kept as a tuple and shown as a dict (task_id, customer_id, kind, rule, due_date, status,
done_on). A year of a big archive holds hundreds of thousands of them; a dict each cost
three times the memory of the tuple. The rows may be longer tuples made for another use
(the facts of kpi/task_facts.py): `fields` names where in each row the keys are, so one
tuple per task serves both."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from operator import itemgetter

KEYS = ("task_id", "customer_id", "kind", "rule", "due_date", "status", "done_on")


class DueRows(Sequence):
    def __init__(self, rows: list[tuple] | None = None, fields: Sequence[int] | None = None):
        self._rows: list[tuple] = rows if rows is not None else []
        # row → the KEYS' values, in order (None: the row is exactly those values)
        self._values = itemgetter(*fields) if fields is not None else None

    def add(self, *values: object) -> None:
        self._rows.append(values)

    def append(self, row: tuple) -> None:
        self._rows.append(row)

    def _dict(self, row: tuple) -> dict:
        return dict(zip(KEYS, row if self._values is None else self._values(row)))

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i: int | slice) -> dict | list[dict]:
        if isinstance(i, slice):
            return [self._dict(row) for row in self._rows[i]]
        return self._dict(self._rows[i])

    def __iter__(self) -> Iterator[dict]:
        for row in self._rows:
            yield self._dict(row)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (DueRows, list, tuple)):
            return len(other) == len(self._rows) and list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"DueRows({list(self)!r})"
