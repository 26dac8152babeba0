"""Two customer rows with one key (a customer id, or the phone where the phone is the key).

Visits, purchases and tickets name their customer by that key, so the rows cannot be told
apart: whose birthday is due, whose call was recorded, which number to ring. Nothing about
such a customer is guessed. Every row sharing a key is named by its cell in one error, and
the schedule leaves their tasks out with that reason (schedule/engine.py) until the shop
gives each customer a key of their own.
"""

from __future__ import annotations

from followup_cli.archive.problems import ERROR, Problem
from followup_cli.archive.records import Archive
from followup_cli.text.messages import Msg, msg


def _where(c) -> str:
    return f"{c.src.sheet}!{c.src.cell('id', c.row)}" if c.src is not None else "?"


def find_duplicates(archive: Archive) -> None:
    """Fill archive.duplicates ({key: the customers that share it}) and add one error per key."""
    seen: dict[str, list] = {}
    for c in archive.customers:
        if c.id:
            seen.setdefault(c.id, []).append(c)
    archive.duplicates = {key: rows for key, rows in seen.items() if len(rows) > 1}
    for key, rows in archive.duplicates.items():
        first, *others = rows
        cells = "、".join(_where(c) for c in rows)
        cells_en = ", ".join(_where(c) for c in rows)
        by_phone = first.src is not None and first.src.stand_ins.get("id") == "phone"
        for c in others:
            if by_phone:
                text = msg(
                    f"手机号“{key}”重复（{cells}）；没有客户编号列时手机号就是客户的编号，这几行分不清是谁，"
                    "他们的任务都不列入：请删去重复的一行或添加客户编号列",
                    f"duplicate phone '{key}' ({cells_en}); without an id column the phone is the customer's key, "
                    "so these rows cannot be told apart and none of their tasks is listed: remove one or add a "
                    "customer id column",
                )
            else:
                text = msg(
                    f"客户编号“{key}”重复（{cells}）；回访和消费记录分不清属于谁，这几位客户的任务都不列入："
                    "请给每位客户各自的编号",
                    f"duplicate customer id '{key}' ({cells_en}); visits and purchases cannot be told apart, so "
                    "none of these customers' tasks is listed: give each customer their own id",
                )
            archive.problems.append(
                Problem(
                    ERROR,
                    str(c.src.file) if c.src is not None else "",
                    c.src.sheet if c.src is not None else None,
                    c.src.cell("id", c.row) if c.src is not None else None,
                    key,
                    text,
                    "duplicate-id",
                )
            )


def shared_key(archive: Archive, customer: object) -> dict | None:
    """The reason's parameters when this customer's key is shared (their tasks are left out),
    else None: one answer for `due` and the KPIs' replay."""
    shared = archive.duplicates.get(customer.id) if archive.duplicates else None
    if not shared:
        return None
    return {"key": customer.id, "cells": ", ".join(_where(c) for c in shared if c.src is not None)}


def duplicate_note(archive: Archive) -> Msg | None:
    """One line for the due list: how many customers are left out because their key is shared."""
    if not archive.duplicates:
        return None
    keys = sorted(archive.duplicates)
    shown = "、".join(keys[:5]) + ("……" if len(keys) > 5 else "")
    shown_en = ", ".join(keys[:5]) + (", ..." if len(keys) > 5 else "")
    n = sum(len(rows) for rows in archive.duplicates.values())
    return msg(
        f"{n} 位客户的编号与别人相同（{shown}），他们的任务未列入；运行 followup check 查看所在单元格",
        f"{n} customers share a key with someone else ({shown_en}); their tasks are not listed. "
        "Run `followup check` to see the cells",
    )
