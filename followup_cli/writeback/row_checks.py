"""What a row of a filled call sheet (or a `log`) must agree with before it becomes a visit,
and what is said about it: its 客户编号 against its own 姓名/电话, its task ids against the book
(a task the schedule no longer has whose visit the book holds is "already recorded"), and
whether the customer asked not to be contacted that way (recorded, since it happened, and said).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from followup_cli.archive.records import Archive
from followup_cli.text.messages import msg
from followup_cli.writeback.results import Rejection, ResultRow

if TYPE_CHECKING:
    from followup_cli.schedule.tasks import Task
    from followup_cli.writeback.visit_index import VisitIndex


def refused(e: ResultRow, by_id: dict, tasks: dict[str, Task]) -> bool:
    """The customer asked not to be contacted this way (by the visit's channel, else its task's;
    a refusal of SMS alone does not make a phone call one)."""
    from followup_cli.archive.consent import refuses

    dnc = getattr(by_id.get(str(e.customer_id)), "do_not_contact", None)
    if not dnc:
        return False
    task = tasks.get(e.task_ids[0]) if e.task_ids else None
    return refuses(dnc, e.channel or (task.rule.channel if task is not None else None))


def _digits(phone) -> str:
    return "".join(ch for ch in str(phone or "") if ch.isdigit())[-11:]


def contradicts(r: ResultRow, by_id: dict, archive: Archive) -> Rejection | None:
    """A hand-added row whose 客户编号 names one customer while its 姓名 or 电话 are another's
    (or no one's): rejected with the cells named, never recorded under the wrong customer."""
    if not r.hand_added or not r.customer_id or not (r.customer_name or r.phone):
        return None
    c = by_id.get(str(r.customer_id))
    if c is None:
        return None  # not in the archive: _expand says so
    name_ok = not r.customer_name or not c.name or str(c.name).strip().casefold() == r.customer_name.strip().casefold()
    phone_ok = not r.phone or not c.phone or _digits(c.phone) == _digits(r.phone)
    if name_ok and phone_ok:
        return None
    from types import SimpleNamespace

    from followup_cli.archive.linking import customer_keys

    found, _how = customer_keys(archive).find(
        SimpleNamespace(customer_id=None, phone=r.phone, customer_name=r.customer_name)
    )
    prefix = r.where.rsplit("!", 1)[0] + "!" if "!" in r.where else ""
    cells = [
        r.cells[f]
        for f, ok in (("customer_id", False), ("customer_name", name_ok), ("phone", phone_ok))
        if not ok and f in r.cells
    ]
    where = prefix + "、".join(cells) if cells else r.where
    given = " / ".join(x for x in ((None if name_ok else r.customer_name), (None if phone_ok else r.phone)) if x)
    own = f"{c.name or ''} {c.phone or ''}".strip()
    other = by_id.get(str(found)) if found is not None else None
    whose = (
        (f"是 {other.id} {other.name or ''} 的", f"are those of {other.id} {other.name or ''}".strip())
        if other is not None
        else ("不是这位客户的", "are not this customer's")
    )
    return Rejection(
        where,
        str(r.customer_id),
        msg(
            f"客户编号“{r.customer_id}”是 {own}，但同一行的 {given} {whose[0]}；请改正客户编号，或姓名/电话",
            f"客户编号 '{r.customer_id}' is {own}, but the row's {given} {whose[1]}; correct the 客户编号, "
            "or the name/phone",
        ),
        r,
    )


def known_to_the_book(r: ResultRow, tasks: dict[str, Task], index: VisitIndex) -> tuple[ResultRow, bool]:
    """Task ids the schedule no longer knows but the book already holds a visit for (the row was
    recorded before, and the task has since moved on: closed, dropped, or the policy changed) are
    'already recorded', not unknown: the book is asked before a task is called unknown. Returns
    the row without them, and True when nothing of it is left to record."""
    unknown = [t for t in r.task_ids if t not in tasks]
    if not unknown or not r.customer_id or not r.done_on:
        return r, False
    kinds = [k for k in (r.kinds or [r.kind]) if k not in {tasks[t].kind for t in r.task_ids if t in tasks}]
    staff = r.staff if r.staff_given else None
    held = [
        t
        for t in unknown
        if any(index.holds(str(r.customer_id), r.done_on, r.outcome, k, staff, t) for k in (kinds or [None]))
    ]
    if not held:
        return r, False
    left = [t for t in r.task_ids if t not in held]
    return (dataclasses.replace(r, task_ids=left), False) if left else (r, True)


def _cell(r: ResultRow, key: str) -> str:
    """'calls.xlsx 回访清单!F5': the row's cell for `key`, else the row itself."""
    prefix = r.where.rsplit("!", 1)[0] + "!" if "!" in r.where else ""
    found = (r.cells or {}).get(key)
    return prefix + found if found else r.where


def row_problems(
    r: ResultRow, tasks: dict[str, Task], customers: set[str], today: dt.date, with_tasks: bool = True
) -> list[Rejection]:
    """Every check of a row against the archive, each naming its cell and the fix, all at once
    (a row rejected for its score is also told that its date is in the future)."""
    out = []
    if with_tasks:
        for tid in r.task_ids:
            if tid not in tasks:
                out.append(
                    Rejection(
                        _cell(r, "task_ids"),
                        tid,
                        msg(
                            f"任务编号“{tid}”不存在：不是这份档案在回访表当天的任务；请用这份档案生成的回访单",
                            f"unknown task id '{tid}': not a task of this archive on the sheet's day; "
                            "use a call sheet made from this archive",
                        ),
                        r,
                    )
                )
    if r.done_on and r.done_on > today:
        out.append(
            Rejection(
                _cell(r, "done_on"),
                r.done_on.isoformat(),
                msg(
                    f"完成日期 {r.done_on} 在未来；请填实际联系的日期（最晚 {today}）",
                    f"the date done {r.done_on} is in the future; write the day of the call ({today} at the latest)",
                ),
                r,
            )
        )
    if r.hand_added and r.customer_id and str(r.customer_id) not in customers:
        out.append(
            Rejection(
                _cell(r, "customer_id"),
                str(r.customer_id),
                msg(
                    f"客户“{r.customer_id}”不在档案中；请改正客户编号，或先把这位客户加到客户表",
                    f"customer '{r.customer_id}' is not in the archive; fix the id or add the customer to the "
                    "customer sheet first",
                ),
                r,
            )
        )
    first = tasks.get(r.task_ids[0]) if (with_tasks and r.task_ids) else None
    if first is not None and r.customer_id and str(r.customer_id) != str(first.customer.id):
        out.append(
            Rejection(
                _cell(r, "customer_id"),
                str(r.customer_id),
                msg(
                    f"客户“{r.customer_id}”与任务 {first.task_id} 的客户（{first.customer.id}）不符；"
                    "请不要改动回访单上的客户编号",
                    f"customer '{r.customer_id}' does not match task {first.task_id} (customer {first.customer.id}); "
                    "leave the call sheet's customer ids as they are",
                ),
                r,
            )
        )
    return out
