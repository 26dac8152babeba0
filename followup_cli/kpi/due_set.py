"""The period's due set as a KPI result lists it (`KpiResult.due_tasks`): one row per task,
kept as a tuple and shown as a dict (task_id, customer_id, kind, rule, due_date, status,
done_on). A year of a big archive holds hundreds of thousands of them; a dict each cost
three times the memory of the tuple."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

KEYS = ("task_id", "customer_id", "kind", "rule", "due_date", "status", "done_on")


class DueRows(Sequence):
    def __init__(self, rows: list[tuple] | None = None):
        self._rows: list[tuple] = rows if rows is not None else []

    def add(self, *values: object) -> None:
        self._rows.append(values)

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i: int | slice) -> dict | list[dict]:
        if isinstance(i, slice):
            return [dict(zip(KEYS, row)) for row in self._rows[i]]
        return dict(zip(KEYS, self._rows[i]))

    def __iter__(self) -> Iterator[dict]:
        for row in self._rows:
            yield dict(zip(KEYS, row))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DueRows):
            return self._rows == other._rows
        if isinstance(other, (list, tuple)):
            return len(other) == len(self._rows) and list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"DueRows({list(self)!r})"
