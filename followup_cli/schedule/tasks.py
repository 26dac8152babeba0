"""Tasks: one occurrence of a rule for a customer, with a stable id.

The id is made from the customer id, the rule id and the occurrence (the date it counts
from, the festival and year ...), so the same archive and as-of date always give the same
ids, and adding unrelated rows never changes them. Printed call sheets carry these ids.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from followup_cli.policy.rules import Policy, Rule

# Two base32 characters (RFC 4648 alphabet) for every 10 bits.
_B32_PAIRS = [a + b for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"]


def task_id(customer_id: str, rule_id: str, occurrence: str) -> str:
    """'T' + the first 10 base32 characters of the SHA-1 of the three parts. The characters are
    the digest's first 50 bits, five table look-ups of 10 bits each: base64.b32encode is pure
    Python and was a sixth of `kpi` (tests/test_task_ids.py pins the ids and checks the two agree)."""
    n = _from_bytes(_sha1(f"{customer_id}\x1f{rule_id}\x1f{occurrence}".encode()).digest()[:7], "big") >> 6
    p = _B32_PAIRS
    return f"T{p[n >> 40]}{p[n >> 30 & 1023]}{p[n >> 20 & 1023]}{p[n >> 10 & 1023]}{p[n & 1023]}"


_sha1, _from_bytes = hashlib.sha1, int.from_bytes  # looked up once: a year's replay makes an id per task


_TASK_ID_RE = re.compile(r"\bT[A-Z2-7]{10}\b")


_ONE_TASK_ID_RE = re.compile(r"T[A-Z2-7]{10}")


def task_ids_in(text: object) -> list[str]:
    """The followup task ids written in a cell; a hand-typed 任务编号 (生日, T123, 见上) holds none."""
    if not text:
        return []
    text = str(text)
    if len(text) == 11 and _ONE_TASK_ID_RE.fullmatch(text):  # the common case: one id
        return [text]
    return _TASK_ID_RE.findall(text)


def visit_task_ids(visit: object) -> list[str]:
    """The task ids a visit carries: its task-id cell (one contact may close several tasks),
    or, when that cell is empty or holds no task id, the ids `followup record` wrote into the
    notes. A visit carrying none is matched by customer, kind and date (schedule/contacts.py)."""
    found = task_ids_in(visit.task_id)
    if found:
        return found
    notes = getattr(visit, "notes", None)
    return _TASK_ID_RE.findall(notes) if notes and "T" in notes else []


@dataclass(slots=True)
class Task:
    task_id: str
    customer: object
    rule: Rule
    due_date: dt.date
    window_end: dt.date
    drop_date: dt.date | None
    occurrence: str
    params: dict
    status: str = ""  # due | overdue | upcoming | done | missed | unreachable | left_out
    staff: str | None = None
    attempts: int = 0
    done_on: dt.date | None = None
    done_by: object = None
    left_out: str = ""  # why the cap or the gap kept it off the list (code)
    left_out_params: dict = field(default_factory=dict)
    contact: str = ""  # tasks of one customer on one day share a contact
    # A "within N days" stage: a contact from `opens` (the trigger, or the day after the
    # previous stage's deadline) to `closes` (the day before the next stage opens) completes
    # it. None: from `early_days` before the due date to the drop date.
    opens: dt.date | None = None
    closes: dt.date | None = None
    unreachable_on: dt.date | None = None  # the day of the last no-answer that made it unreachable
    # On which days `due` sees this occurrence at all (a series waits while its previous
    # occurrence is open; a win-back counts from the purchase before that day): for replaying
    # the due list day by day (kpi). None: no limit on that side.
    visible_from: dt.date | None = None
    visible_to: dt.date | None = None
    stop: dt.date | None = None  # the rule's `until` date: nothing of it is listed from that day on

    @property
    def kind(self) -> str:
        return self.rule.kind

    @property
    def open(self) -> bool:
        return self.status in ("due", "overdue", "upcoming")


@dataclass
class Schedule:
    as_of: dt.date
    tasks: list[Task]  # listed: due, overdue, upcoming
    left_out: list[Task]  # open tasks the cap, the gap or do-not-contact kept off
    closed: list[Task]  # done, missed or unreachable occurrences inside the horizon
    warnings: list  # calendar.CalendarWarning: .text(lang)
    policy: Policy
    workcal: object = None  # calendar.WorkCalendar: which days are working days (call windows)
