"""The due list: a Schedule turned into rows a clerk reads, with the pinned JSON fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from followup_cli.config import Config
from followup_cli.text.labels import DUE_COLUMNS, LEFT_OUT, STATUS, UNASSIGNED, pick, render, salutation
from followup_cli.policy.vocabulary import CHANNELS, KINDS
from followup_cli.calendar import WorkCalendar
from followup_cli.policy.rules import Policy
from followup_cli.policy.setup import policy_setup
from followup_cli.archive.records import Archive
from followup_cli.schedule.engine import Schedule, Task, compute_schedule

PINNED_FIELDS = ("task_id", "customer_id", "customer_name", "phone", "kind", "rule", "due_date",
                 "window_end", "status", "channel", "staff", "reason")


def task_params(task: Task, lang: str, config: Config | None = None) -> dict:
    c = task.customer
    params = dict(task.params)
    params.update({
        "name": c.name or "",
        "due": task.due_date,
        "window_end": task.window_end,
        "points": c.points,
        "staff": task.staff or "",
        "shop": (config.shop_name if config else "") or ("本店" if lang == "zh" else "our shop"),
        "shop_phone": (config.shop_phone if config else "") or "",
        "salutation": salutation(c.name, c.gender, lang),
    })
    if "festival_zh" in params:
        params["festival"] = params["festival_zh"] if lang == "zh" else params["festival_en"]
    return params


def reason(task: Task, lang: str, config: Config | None = None) -> str:
    template = task.rule.reason_zh if lang == "zh" else task.rule.reason_en
    if not template:
        return task.rule.label(lang)
    return render(template, task_params(task, lang, config), lang)


def script(task: Task, lang: str, config: Config | None = None) -> str:
    template = task.rule.script_zh if lang == "zh" else task.rule.script_en
    return render(template, task_params(task, lang, config), lang) if template else ""


def best_time(task: Task, policy: Policy, lang: str, schedule: Schedule | None = None) -> str:
    """When to call (or send): the policy's windows for the day of the contact.

    A policy with weekend_call_windows has other windows on rest days (a distributor is
    not called on weekday mornings); the day is the due date, or the as-of date once due.
    """
    if task.rule.channel == "sms":
        return (f"短信 {policy.sms_time}" if lang == "zh" else f"SMS at {policy.sms_time}") if policy.sms_time else ""
    if not policy.weekend_call_windows:
        return ", ".join(policy.call_windows)
    day = max(task.due_date, schedule.as_of) if schedule else task.due_date
    workcal = schedule.workcal if schedule and schedule.workcal else WorkCalendar()
    workday = workcal.is_workday(day)
    label = ("工作日 " if workday else "休息日 ") if lang == "zh" else ("working day " if workday else "rest day ")
    return label + ", ".join(policy.windows_on(workday))


def left_out_text(task: Task, lang: str) -> str:
    return render(pick(LEFT_OUT[task.left_out], lang), task.left_out_params, lang) if task.left_out else ""


def task_row(task: Task, schedule: Schedule, lang: str, config: Config | None = None) -> dict:
    c = task.customer
    return {
        "task_id": task.task_id,
        "customer_id": c.id,
        "customer_name": c.name or "",
        "phone": c.phone or "",
        "kind": task.kind,
        "rule": task.rule.id,
        "due_date": task.due_date,
        "window_end": task.window_end,
        "status": task.status,
        "channel": task.rule.channel,
        "staff": task.staff,
        "reason": reason(task, lang, config),
        "priority": task.rule.priority,
        "contact": task.contact,
        "store": c.store or "",
        "attempts": task.attempts,
        "best_time": best_time(task, schedule.policy, lang, schedule),
        "left_out": left_out_text(task, lang),
    }


def due_columns(lang: str, explain: bool = False) -> list[tuple[str, str]]:
    keys = ["due_date", "status", "customer_id", "customer_name", "phone", "kind", "channel", "staff",
            "best_time", "reason", "task_id"]
    if explain:
        keys.append("left_out")
    return [(k, pick(DUE_COLUMNS[k], lang)) for k in keys]


def localise(row: dict, lang: str) -> dict:
    """Codes → labels for the table, csv and xlsx views (json keeps the codes)."""
    out = dict(row)
    kinds = row["kind"] if isinstance(row["kind"], list) else [row["kind"]]
    out["kind"] = " + ".join(KINDS.label(k, lang) for k in kinds)
    out["status"] = pick(STATUS[row["status"]], lang) if row["status"] in STATUS else row["status"]
    out["channel"] = CHANNELS.label(row["channel"], lang)
    out["staff"] = row["staff"] or pick(UNASSIGNED, lang)
    return out


def group_contacts(rows: list[dict]) -> list[dict]:
    """Several tasks for one customer on one day read as one contact with several purposes."""
    merged: dict[str, dict] = {}
    order = []
    for row in rows:
        key = row["contact"] or row["task_id"]
        if key not in merged:
            first = dict(row)
            first["kind"] = [row["kind"]]
            first["task_id"] = [row["task_id"]]
            first["reason"] = [row["reason"]]
            merged[key] = first
            order.append(key)
        else:
            m = merged[key]
            m["kind"].append(row["kind"])
            m["task_id"].append(row["task_id"])
            m["reason"].append(row["reason"])
            if row["status"] == "overdue":
                m["status"] = "overdue"
    out = []
    for key in order:
        m = merged[key]
        m["reason"] = "；".join(m["reason"]) if any("\u4e00" <= ch <= "\u9fff" for r in m["reason"] for ch in r) \
            else "; ".join(m["reason"])
        m["task_id"] = " ".join(m["task_id"])
        out.append(m)
    return out


@dataclass
class DueResult:
    schedule: Schedule
    rows: list[dict]  # one per task, pinned fields first
    left_out: list[dict]
    lang: str


def due(archive: Archive, config: Config, as_of: dt.date, ahead: int = 0, kinds=None, staff=None,
        store=None, lang: str | None = None) -> DueResult:
    """Who is due for which follow-up on `as_of`, why, and by when."""
    lang = lang or archive.lang
    setup = policy_setup(config)
    schedule = compute_schedule(archive, setup.policy, as_of, ahead, setup.workcal, kinds, staff, store,
                                setup.birthday_policy, setup.followups)
    rows = [task_row(t, schedule, lang, config) for t in schedule.tasks]
    left = [task_row(t, schedule, lang, config) for t in schedule.left_out]
    return DueResult(schedule, rows, left, lang)
