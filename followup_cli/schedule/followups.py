"""Tasks the calls themselves create: a next follow-up agreed on a call, and reminders of
issues raised and not yet resolved.

- A visit whose 下次跟进日期 / next action holds a date becomes a task due that day, of the
  visit's own kind, with the reason "agreed on the call of <date>". A combined call recorded
  as one row per kind, each carrying the same date, is one agreement: one task, of the
  first row's kind. It is done like any
  task: by a visit carrying its id, or a closing visit of the same customer and kind inside
  its window.
- An issue raised on a call (an entry of 问题跟踪, or a visit row with an issue and no
  tracking sheet) that is not marked resolved reminds the customer's owner every N days
  (followup.toml `[followups] issue_reminder_days`, default 7; 0 turns reminders off),
  on a fixed grid from the day it was raised, until a visit resolves it. Only the latest
  reminder on the grid is listed: an unanswered older one is superseded, not piled up.

- A customer sheet's own next follow-up date (a CRM export's 下次跟进时间 / 下次回访日期 /
  Next follow-up) becomes a task due that day, a periodic check-in, closed the same way.

These tasks are fed into the schedule next to the rules' own tasks (see
`schedule.engine.customer_tasks`), so `due` and `sheet` list them, `record` closes them and
the KPIs' due set, replayed from the same function (schedule/replay.py), counts them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from followup_cli.archive import cells as parse
from followup_cli.errors import ConfigError
from followup_cli.policy.rules import Rule
from followup_cli.policy.vocabulary import KINDS
from followup_cli.text.messages import at, msg
from followup_cli.text.settings import listing

if TYPE_CHECKING:
    from collections.abc import Callable

    from followup_cli.schedule.context import Context
    from followup_cli.schedule.tasks import Task

NEXT_RULE = "next_follow_up"
SHEET_RULE = "next_follow_up_sheet"
ISSUE_RULE = "issue_reminder"
DEFAULT_REMINDER_DAYS = 7
ISSUE_KIND = "after_sales"  # an issue whose raising visit's kind is unknown


@dataclass(frozen=True)
class FollowupSettings:
    issue_reminder_days: int = DEFAULT_REMINDER_DAYS
    window_days: int = 3  # an agreed call is due on the day, and still "due" this many days after
    expire_days: int = 30  # after that it is overdue, then dropped


def settings_from_config(cfg: dict | None, where: str = "followup.toml") -> FollowupSettings:
    """The settings from followup.toml's [followups] table (defaults when absent); `where`
    names the file in a refusal."""
    section = (cfg or {}).get("followups") or {}
    if not isinstance(section, dict):
        raise ConfigError(
            at(where, msg("[followups] 不是表", "[followups] is not a table")),
            msg("请写成 [followups] 一行，下面再写各个键", "write it as [followups] with keys below it"),
        )
    allowed = ("issue_reminder_days", "window_days", "expire_days")
    unknown = sorted(set(section) - set(allowed))
    if unknown:
        raise ConfigError(
            at(
                where,
                msg(f"[followups]：不认识的键 {'、'.join(unknown)}", f"[followups]: unknown key {', '.join(unknown)}"),
            ),
            listing("键", "keys", allowed),
        )
    values = {}
    for key, value in section.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(
                at(
                    where,
                    msg(
                        f"[followups] {key} = {value!r} 不是天数（0 或更大的整数）",
                        f"[followups] {key} = {value!r} is not a whole number of days (0 or more)",
                    ),
                ),
                msg(f"例如 {key} = 7", f"for example {key} = 7"),
            )
        values[key] = value
    return FollowupSettings(**values)


_RULES: dict[tuple, Rule] = {}


def _rule(rule_id: str, kind: str, settings: FollowupSettings, reason_zh: str, reason_en: str) -> Rule:
    key = (rule_id, kind, settings, reason_zh)
    found = _RULES.get(key)
    if found is None:
        # Agreed with the customer: the yearly cap and the minimum gap do not hold it back.
        found = _RULES[key] = Rule(
            id=f"{rule_id}:{kind}",
            kind=kind,
            trigger="agreed",
            window_days=settings.window_days,
            expire_days=settings.expire_days,
            gap_exempt=True,
            cap_exempt=True,
            priority=60,
            reason_zh=reason_zh,
            reason_en=reason_en,
        )
    return found


def _date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    got = parse.parse_datetime(value, "ymd")
    return got.value.date() if got.value is not None else None


def next_date_of(visit: object) -> dt.date | None:
    """The date in a visit's next-action cell, if it holds one."""
    return _date(getattr(visit, "next_action", None))


def followup_tasks(
    ctx: Context,
    customer: object,
    hi: dt.date,
    settings: FollowupSettings,
    make_task: Callable[..., Task],
    settle: Callable[[Context, Task], None],
    since: dt.date | None = None,
) -> list:
    """The agreed next calls and issue reminders of one customer, settled like any task.

    In a replay (`ctx.replay`, the KPIs' due set) a task missed by the as-of day is kept (the
    replay decides on which days it was listed), and every reminder on the grid from `since`
    to `hi` is made, each seen only until the next one supersedes it."""
    out = []
    as_of = ctx.as_of
    replay = ctx.replay

    def call_task(base: str, kind: str, reason: tuple[str, str], due: dt.date, key: str, params: dict) -> Task:
        """One task the calls made (or the customer sheet set), settled like any other."""
        task = make_task(ctx, _rule(base, kind, settings, *reason), customer, due, key, params)
        settle(ctx, task)
        return task

    when = _date(getattr(customer, "next_follow_up", None))
    if when is not None and when <= hi:
        # the customer sheet's own next follow-up date (a CRM's 下次跟进时间): a task that day
        src = customer.src
        column = src.headers[src.columns["next_follow_up"]] if src and "next_follow_up" in src.columns else ""
        task = call_task(
            SHEET_RULE,
            "periodic",
            ("客户表约定的下次跟进（{column}：{on}）", "next follow-up set in the customer sheet ({column}: {on})"),
            when,
            f"sheet>{when.isoformat()}",
            {"column": column, "on": when.isoformat()},
        )
        if replay or task.status != "missed":
            out.append(task)
    visits = ctx.group("visits").get(customer.id, ())
    agreed = set()
    for v in visits:
        if v.next_action is None or v.next_action == "":
            continue  # most calls agree no next one
        when = next_date_of(v)
        on = _date(v.date)
        if when is None or on is None or on > as_of or when > hi or when <= on:
            continue
        if (on, when) in agreed:
            continue  # one call that served several purposes (a row per kind): one agreed follow-up
        agreed.add((on, when))
        kind = KINDS.match(v.kind) if v.kind else None
        task = call_task(
            NEXT_RULE,
            kind or "periodic",
            ("通话中约定（{agreed_on} 的回访）", "agreed on the call of {agreed_on}"),
            when,
            f"{on.isoformat()}>{when.isoformat()}",
            {"agreed_on": on.isoformat()},
        )
        if replay or task.status != "missed":
            out.append(task)
    n = settings.issue_reminder_days
    if n:
        for raised_on, issue_key, kind in _open_issues(ctx, customer):
            if raised_on > as_of:
                continue
            steps = (hi - raised_on).days // n
            first = max(1, steps)  # only the latest reminder: an older one is superseded
            if replay:  # every reminder seen from `since` on, each until the next one's day
                first = max(1, ((since or hi) - raised_on).days // n)
            for step in range(first, steps + 1):
                due = raised_on + dt.timedelta(days=step * n)
                task = call_task(
                    ISSUE_RULE,
                    kind,
                    ("未解决的问题（{raised_on} 提出）：请跟进", "open issue raised on {raised_on}: follow it up"),
                    due,
                    f"{issue_key}@{due.isoformat()}",
                    {"raised_on": raised_on.isoformat()},
                )
                if replay:
                    task.visible_to = due + dt.timedelta(days=n - 1)
                    out.append(task)
                elif task.status != "missed":
                    out.append(task)
    return out


def _open_issues(ctx, customer):
    """(raised on, a stable key, kind) of each unresolved issue of the customer."""
    entries = ctx.group("issues").get(customer.id, ()) if ctx.archive.issues else ()
    if entries:
        for rec in entries:
            d = _date(rec.raised_on)
            if d is None or rec.resolved is True:
                continue
            yield d, str(rec.issue_id or f"row{rec.row}"), ISSUE_KIND
        return
    if ctx.archive.source("issues") is not None:
        return  # a tracking sheet with no entry for this customer: nothing open
    for v in ctx.group("visits").get(customer.id, ()):
        if not (v.issue or v.issue_category) or v.resolved is True:
            continue
        d = _date(v.date)
        if d is None:
            continue
        yield d, str(v.visit_id or f"row{v.row}"), (KINDS.match(v.kind) if v.kind else None) or ISSUE_KIND
