"""The due list: a Schedule turned into rows a clerk reads, with the pinned JSON fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from followup_cli.archive.records import Archive
from followup_cli.cache.schedule import schedule as cached_schedule
from followup_cli.calendar import WorkCalendar
from followup_cli.config import Config
from followup_cli.policy.rules import Policy
from followup_cli.policy.setup import policy_setup
from followup_cli.policy.vocabulary import CHANNELS, KINDS
from followup_cli.schedule.engine import Schedule, Task, compute_schedule
from followup_cli.text.clerk import DAY_KIND, OUR_SHOP, REASON_SEP, STATUS_SHORT, sms_at
from followup_cli.text.labels import DUE_COLUMNS, LEFT_OUT, STATUS, UNASSIGNED, pick, render, salutation, template_names
from followup_cli.text.messages import msg
from followup_cli.text.scripts import late, polish, staff_for_script

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable

PINNED_FIELDS = (
    "task_id",
    "customer_id",
    "customer_name",
    "phone",
    "kind",
    "rule",
    "due_date",
    "window_end",
    "status",
    "channel",
    "staff",
    "reason",
)


def task_params(task: Task, lang: str, config: Config | None = None, names: Collection[str] | None = None) -> dict:
    """The values a reason or script template may name. `names`: the ones a template does name,
    when only those are needed (the salutation and the speaker's name cost more than the rest)."""
    c = task.customer
    params = dict(task.params)
    params.update(
        {
            "name": c.name or "",
            "due": task.due_date,
            "window_end": task.window_end,
            "points": c.points,
            "shop": (config.shop_name if config else "") or pick(OUR_SHOP, lang),
            "shop_phone": (config.shop_phone if config else "") or "",
        }
    )
    if names is None or "staff" in names:
        params["staff"] = staff_for_script(task.staff, lang)
    if names is None or "salutation" in names:
        params["salutation"] = salutation(c.name, c.gender, lang)
    if "festival_zh" in params:
        params["festival"] = pick((params["festival_zh"], params["festival_en"]), lang)
    return params


NEVER_BOUGHT = msg("自 {last} 建档以来没有消费", "no purchase since joining on {last}")


def reason(task: Task, lang: str, config: Config | None = None, params: dict | None = None) -> str:
    """Why the task is due, in `lang`; `params`: its task_params when the caller has them."""
    if task.params.get("never_bought"):  # a win-back counted from the archive date: no purchase to name
        template = NEVER_BOUGHT.text(lang)
        return render(template, params or task_params(task, lang, config, template_names(template)), lang)
    template = pick((task.rule.reason_zh, task.rule.reason_en), lang)
    if not template:
        return task.rule.label(lang)
    return render(template, params or task_params(task, lang, config, template_names(template)), lang)


def script(
    task: Task, lang: str, config: Config | None = None, as_of: dt.date | None = None, params: dict | None = None
) -> str:
    """The words to say or send, in `lang`; a greeting after its day (as_of) says it is late."""
    template = pick((task.rule.script_zh, task.rule.script_en), lang)
    if not template:
        return ""
    params = params or task_params(task, lang, config)
    text = polish(render(template, params, lang), lang)
    return late(text, task.kind, task.due_date, as_of, lang, str(params.get("festival") or ""))


def best_time(task: Task, policy: Policy, lang: str, schedule: Schedule | None = None) -> str:
    """When to call (or send): the policy's windows for the day of the contact.

    A policy with weekend_call_windows has other windows on rest days (a distributor is
    not called on weekday mornings); the day is the due date, or the as-of date once due.
    """
    if task.rule.channel == "sms":
        return sms_at(policy.sms_time).text(lang) if policy.sms_time else ""
    if not policy.weekend_call_windows:
        return ", ".join(policy.call_windows)
    day = max(task.due_date, schedule.as_of) if schedule else task.due_date
    workcal = schedule.workcal if schedule and schedule.workcal else WorkCalendar()
    workday = workcal.is_workday(day)
    return pick(DAY_KIND[bool(workday)], lang) + ", ".join(policy.windows_on(workday))


def left_out_text(task: Task, lang: str) -> str:
    if not task.left_out:
        return ""
    key = task.left_out
    if key == "do_not_contact" and task.left_out_params.get("unclear"):
        key = "do_not_contact_unclear"  # a consent or status cell the reader could not place
    elif key == "do_not_contact" and task.left_out_params.get("listed"):
        # a do-not-contact sheet names them (archive/blocklist.py), with its 原因 when it gives one
        key = "do_not_contact_listed_why" if task.left_out_params.get("reason") else "do_not_contact_listed"
    elif key == "do_not_contact" and task.left_out_params.get("cell"):
        key = "do_not_contact_status"  # an account status, with its cell
    elif key == "do_not_contact" and task.left_out_params.get("struck"):
        key = "do_not_contact_struck"  # the customer's row is struck through (archive/row_marks.py)
    elif key == "do_not_contact" and task.left_out_params.get("words"):
        key = "do_not_contact_said"
    return render(pick(LEFT_OUT[key], lang), task.left_out_params, lang)


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
        "wechat": c.wechat or "",
    }


WECHAT = ("微信", "WeChat")


def reach(phone: object, wechat: object, lang: str) -> str:
    """What the phone cell of a due list or a call sheet shows: the phone, else the WeChat id
    (微信 wxid_abc123) of a customer who has only that."""
    if phone or not wechat:
        return phone or ""
    return f"{pick(WECHAT, lang)} {wechat}"


COMPACT_KEYS = ["due_date", "status", "customer_name", "phone", "kind", "staff", "reason"]
WIDE_KEYS = [
    "due_date",
    "status",
    "customer_id",
    "customer_name",
    "phone",
    "kind",
    "channel",
    "staff",
    "best_time",
    "reason",
    "task_id",
]
# What gives up room first when the compact table is wider than the terminal.
SHRINK_FIRST = ("reason", "kind", "staff", "customer_name")


def screen_caps(width: int) -> dict[str, int]:
    """How wide the kind, staff and name columns may grow on a screen `width` wide."""
    return {"kind": max(10, width // 6), "staff": max(10, width // 10), "customer_name": max(8, width // 10)}


def due_columns(lang: str, explain: bool = False, compact: bool = False) -> list[tuple[str, str]]:
    """The table's columns: every one (csv, xlsx, --wide), or the compact screen's seven."""
    keys = list(COMPACT_KEYS if compact else WIDE_KEYS)
    if explain:
        keys.append("left_out")
    return [(k, pick(DUE_COLUMNS[k], lang)) for k in keys]


def localise(row: dict, lang: str, short: bool = False) -> dict:
    """Codes → labels for the table, csv and xlsx views (json keeps the codes); `short`: the
    screen's two-character status words."""
    out = dict(row)
    if short and row["status"] in STATUS_SHORT:
        out = localise(row, lang)
        out["status"] = pick(STATUS_SHORT[row["status"]], lang)
        return out
    kinds = row["kind"] if isinstance(row["kind"], list) else [row["kind"]]
    out["kind"] = " + ".join(KINDS.label(k, lang) for k in kinds)
    out["status"] = pick(STATUS[row["status"]], lang) if row["status"] in STATUS else row["status"]
    out["channel"] = CHANNELS.label(row["channel"], lang)
    out["staff"] = row["staff"] or pick(UNASSIGNED, lang)
    out["phone"] = reach(row["phone"], row.get("wechat"), lang)
    return out


@dataclass
class Contact:
    """Tasks of one customer on one day: one call (or message) with several purposes. `items`
    are tasks or due-list rows, the highest-priority first: it decides the channel, the day and
    the best time of the contact (a points SMS never turns a birthday call into a message)."""

    items: list

    @property
    def lead(self) -> object:
        return self.items[0]


def contacts(items: Iterable, key: Callable[[object], object], priority: Callable[[object], float]) -> list[Contact]:
    """Group tasks (or rows) into contacts, in the order their first task appears: the one
    grouping the due list and the call sheet share."""
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return [Contact(sorted(group, key=lambda x: -priority(x))) for group in groups.values()]


def group_contacts(rows: list[dict], lang: str) -> list[dict]:
    """The due list with one row per contact: the lead task's fields, every kind, task id and
    reason, overdue when any task is. A task left out (--explain) is a row of its own with its
    own reason: it never shares a row with a listed task, nor with another left-out one."""
    out = []
    sep = pick(REASON_SEP, lang)
    for c in contacts(rows, key=_contact_key, priority=lambda r: r.get("priority") or 0):
        m = dict(c.lead)
        m["kind"] = [r["kind"] for r in c.items]
        m["task_id"] = " ".join(r["task_id"] for r in c.items)
        m["reason"] = sep.join(r["reason"] for r in c.items)
        if any(r["status"] == "overdue" for r in c.items):
            m["status"] = "overdue"
        out.append(m)
    return out


def _contact_key(row: dict) -> str:
    if row.get("left_out"):
        return f"{row['contact']}!{row['task_id']}"
    return row["contact"] or row["task_id"]


def match_kinds(kinds: Iterable[str]) -> list[str]:
    """Kind ids for what was typed after --kind (ids, labels or synonyms); an unknown one is a
    usage error naming the nearest kinds."""
    from followup_cli.errors import UsageProblem
    from followup_cli.text.clerk import unknown_value

    ids = []
    for k in kinds or ():
        kid = KINDS.match(k)
        if kid is None:
            known = [t.id for t in KINDS.terms] + [t.zh for t in KINDS.terms] + [t.en for t in KINDS.terms]
            raise UsageProblem(*unknown_value("--kind", k, known))
        ids.append(kid)
    return ids


def staff_names(archive: Archive) -> set[str]:
    """Every way the archive names a person: staff names and ids, and the owners' cells."""
    names = {str(s.name) for s in archive.staff if s.name} | {str(s.staff_id) for s in archive.staff if s.staff_id}
    names |= {str(c.owner) for c in archive.customers if c.owner}
    return names


def store_names(archive: Archive) -> set[str]:
    return {str(c.store) for c in archive.customers if c.store} | {str(s.store) for s in archive.staff if s.store}


def check_filters(archive: Archive, staff: str | None, store: str | None) -> None:
    """--staff / --store must name someone or something in the archive: a typo is a usage
    error listing the nearest names, not an empty list."""
    from followup_cli.archive.staff import fold
    from followup_cli.errors import UsageProblem
    from followup_cli.text.clerk import unknown_value

    if staff:
        known = staff_names(archive)
        if fold(staff) not in {fold(k) for k in known}:
            raise UsageProblem(*unknown_value("--staff", staff, known))
    if store:
        known = store_names(archive)
        if store not in known:  # the schedule compares stores exactly
            raise UsageProblem(*unknown_value("--store", store, known))


@dataclass
class DueResult:
    schedule: Schedule
    rows: list[dict]  # one per task, pinned fields first
    left_out: list[dict]
    lang: str


def due(
    archive: Archive,
    config: Config,
    as_of: dt.date,
    ahead: int = 0,
    kinds: Iterable[str] | None = None,
    staff: str | None = None,
    store: str | None = None,
    lang: str | None = None,
    rows: bool = True,
) -> DueResult:
    """Who is due for which follow-up on `as_of`, why, and by when. `rows=False`: the schedule
    alone (a call sheet renders its own rows, per contact)."""
    lang = lang or archive.lang
    setup = policy_setup(config)
    schedule = cached_schedule(  # the same inputs as an earlier run: its schedule (cache/schedule.py)
        archive,
        config,
        setup,
        (as_of, ahead, kinds, staff, store),
        lambda: compute_schedule(
            archive,
            setup.policy,
            as_of,
            ahead,
            setup.workcal,
            kinds,
            staff,
            store,
            setup.birthday_policy,
            setup.followups,
        ),
    )
    if not rows:
        return DueResult(schedule, [], [], lang)
    listed = [task_row(t, schedule, lang, config) for t in schedule.tasks]
    left = [task_row(t, schedule, lang, config) for t in schedule.left_out]
    return DueResult(schedule, listed, left, lang)
