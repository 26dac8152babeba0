"""Everything a shop user reads, in Chinese and English.

Chinese is first-class: every label and message here exists in both languages, and the
language comes from --lang, followup.toml, or the archive's own headers.
"""

from __future__ import annotations

import datetime as dt
import functools
import string
from typing import TYPE_CHECKING

from followup_cli.policy.vocabulary import CHANNELS, KINDS
from followup_cli.text.messages import Msg, pick

if TYPE_CHECKING:
    from followup_cli.policy.rules import Rule

STATUS = {
    "due": ("今日应访", "due"),
    "overdue": ("已逾期", "overdue"),
    "upcoming": ("即将到期", "upcoming"),
    "done": ("已完成", "done"),
    "missed": ("已过期未访", "missed"),
    "unreachable": ("多次未接通", "unreachable"),
}

DUE_COLUMNS = {
    "task_id": ("任务编号", "Task ID"),
    "customer_id": ("客户编号", "Customer ID"),
    "customer_name": ("姓名", "Name"),
    "phone": ("电话", "Phone"),
    "kind": ("回访类型", "Kind"),
    "rule": ("规则", "Rule"),
    "due_date": ("应访日期", "Due"),
    "window_end": ("最迟日期", "Window end"),
    "status": ("状态", "Status"),
    "channel": ("方式", "Channel"),
    "staff": ("负责人", "Staff"),
    "reason": ("原因", "Reason"),
    "best_time": ("建议时间", "Best time"),
    "left_out": ("未列入原因", "Left out because"),
}

UNASSIGNED = ("（未分配）", "(unassigned)")
YES_NO = {True: ("是", "yes"), False: ("否", "no")}
# `followup presets`: the table beside each rule's sentence (describe_rule)
PRESET_COLUMNS = {"preset": ("预设", "Preset"), "rule": ("规则", "Rule"), "description": ("说明", "Description")}

LEFT_OUT = {
    "gap": (
        "距上次联系（{last}）不足 {gap} 天，{next} 后再联系",
        "last contact on {last} is less than {gap} days ago; contact again from {next}",
    ),
    "cap": (
        "{year} 年已联系 {count} 次，达到每年 {cap} 次上限",
        "already contacted {count} times in {year}, the yearly cap of {cap}",
    ),
    "do_not_contact": ("客户拒绝回访", "the customer asked not to be contacted"),
    # two customer rows with one key (archive/duplicates.py)
    "duplicate_id": (
        "客户编号“{key}”同时属于几行（{cells}），分不清是谁",
        "the customer key '{key}' belongs to several rows ({cells}): cannot tell who is who",
    ),
    # a refusal read from the words of a tags or notes cell (archive/refusals.py)
    "do_not_contact_said": (
        "{header}写着“{words}”（按拒绝联系处理）",
        "{header} says '{words}' (read as do not contact)",
    ),
    # an account status that refuses (状态 = 已拉黑, archive/consent.py), with its cell
    "do_not_contact_status": (
        "{header}为“{words}”（{cell}，按拒绝联系处理）",
        "{header} is '{words}' ({cell}, read as do not contact)",
    ),
    # a customer row struck through in the sheet (archive/row_marks.py)
    "do_not_contact_struck": (
        "“{header}”第 {struck} 行有删除线（按已删除的客户处理）",
        "row {struck} of '{header}' is struck through (read as a removed customer)",
    ),
    # a sheet listing customers not to contact (黑名单, archive/blocklist.py), with its row
    "do_not_contact_listed": ("列在“{header}”中（{listed}）", "listed in '{header}' ({listed})"),
    "do_not_contact_listed_why": (
        "列在“{header}”中（{listed}）：{reason}",
        "listed in '{header}' ({listed}): {reason}",
    ),
    # a consent or status cell whose meaning is not clear: nobody calls until it is (archive/consent.py)
    "do_not_contact_unclear": (
        "{header}为“{value}”（{unclear}），不清楚能否联系，暂不回访",
        "{header} is '{value}' ({unclear}): not clear whether they may be contacted, not called for now",
    ),
}


class _SafeDict(dict):
    def __missing__(self, key):
        return ""


def fmt_value(value: object, lang: str) -> object:
    if isinstance(value, Msg):  # a sentence given as a parameter is shown in the same language
        return value.text(lang)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


@functools.lru_cache(maxsize=1024)
def _names(template: str) -> tuple[str, ...] | None:
    try:
        return tuple({name for _, name, _, _ in string.Formatter().parse(template) if name})
    except ValueError:
        return None


def template_names(template: str) -> tuple[str, ...] | None:
    """The {names} a template fills (None: it cannot be read as a template, and is shown as it is)."""
    return _names(template)


def render(template: str, params: dict, lang: str) -> str:
    """Fill {names} in a template; an unknown name becomes empty rather than an error."""
    names = _names(template)
    if names is None:
        return template
    values = _SafeDict({k: fmt_value(params[k], lang) for k in names if k in params})
    try:
        return template.format_map(values)
    except (ValueError, IndexError, KeyError, AttributeError):
        return template


def salutation(name: str | None, gender: str | None, lang: str) -> str:
    """'王先生您好' / '尊敬的贵宾' / 'Dear Ms Li' (see text/names.py)."""
    from followup_cli.text.names import salutation as greet

    return greet(name, gender, lang)


_SOURCE_WORDS = {
    "customers": ("建档", "the archive entry"),
    "purchases": ("消费", "a purchase"),
    "tickets": ("工单", "a ticket"),
    "projects": ("工程", "a project"),
    "visits": ("回访", "a visit"),
    "milestones": ("节点", "a milestone"),
}


def _field_label(role: str, name: str, lang: str) -> str:
    from followup_cli.archive.schema import field_by_name

    f = field_by_name(role, name) if role else None
    if f is None and role != "customers":
        f = field_by_name("customers", name)
    if f is None:
        return name
    return f.zh if lang == "zh" else f.en.lower()


def _values(values, lang: str) -> str:
    """['VIP', 'vip', '金卡'] → 'VIP/金卡' (case variants once, at most five)."""
    seen, out = set(), []
    for v in values if isinstance(values, (list, tuple)) else [values]:
        if isinstance(v, bool):
            v = ("是" if v else "否") if lang == "zh" else ("yes" if v else "no")
        key = str(v).lower()
        if key not in seen:
            seen.add(key)
            out.append(str(v))
    more = len(out) > 5
    return "/".join(out[:5]) + (("等" if lang == "zh" else " …") if more else "")


def _condition(role: str, name: str, cond, lang: str) -> str:
    zh = lang == "zh"
    label = _field_label(role, name, lang)
    if isinstance(cond, dict):
        parts = []
        for op, arg in cond.items():
            if op == "set":
                parts.append(
                    f"{label}{'已填' if arg else '为空'}" if zh else f"{label} {'filled in' if arg else 'empty'}"
                )
            elif op == "contains":
                parts.append(f"{label}含“{_values(arg, lang)}”" if zh else f"{label} contains {_values(arg, lang)}")
            elif op == "not":
                parts.append(f"{label}不是 {_values(arg, lang)}" if zh else f"{label} is not {_values(arg, lang)}")
            else:
                parts.append(f"{label} {op.replace('>=', '≥').replace('<=', '≤')} {arg}")
        return ("且" if zh else " and ").join(parts)
    if isinstance(cond, bool):
        return f"{label}为{'是' if cond else '否'}" if zh else f"{label}: {'yes' if cond else 'no'}"
    return f"{label}为 {_values(cond, lang)}" if zh else f"{label} is {_values(cond, lang)}"


def describe_rule(rule: Rule, lang: str) -> str:
    """One sentence per rule for `followup presets`."""
    zh = lang == "zh"
    days = "、".join(str(abs(d)) for d in rule.days) if zh else ", ".join(str(abs(d)) for d in rule.days)
    unit = ("个工作日" if rule.working_days else "天") if zh else ("working days" if rule.working_days else "days")
    if not zh and [abs(d) for d in rule.days] == [1]:
        unit = unit[:-1]
    t = rule.trigger
    src = _SOURCE_WORDS[rule.source]
    field = _field_label(rule.source, rule.date_field, lang) if rule.date_field else ""
    if t == "after":
        if rule.source == "customers":  # a date on the customer row: name the column alone
            anchor = field if zh else f"'{field}'"
        elif rule.first_only:
            anchor = f"首次{pick(src, lang)}（{field}）" if zh else f"the first {pick(src, lang)[2:]} ({field})"
        else:
            anchor = f"{pick(src, lang)}（{field}）" if zh else f"{pick(src, lang)} ({field})"
        if list(rule.days) == [0]:
            what = f"{anchor}当天" if zh else f"on the day of {anchor}"
        elif rule.within:
            what = f"{anchor}后 {days} {unit}内" if zh else f"within {days} {unit} of {anchor}"
        else:
            what = f"{anchor}后 {days} {unit}" if zh else f"{days} {unit} after {anchor}"
    elif t == "yearly":
        what = f"每年{field}当天（支持农历）" if zh else f"every year on the {field} (solar or lunar)"
    elif t == "festival":
        from followup_cli.calendar import find_festival

        names = [find_festival(f).zh if zh else find_festival(f).en for f in rule.festivals]
        what = ("节日：" + "、".join(names)) if zh else "festivals: " + ", ".join(names)
    elif t == "inactive":
        what = (
            f"{rule.inactive_days} 天无{pick(src, lang)}，之后最多每 {rule.repeat_days or rule.inactive_days} 天一次"
            if zh
            else f"no {rule.source} for {rule.inactive_days} days, then at most every "
            f"{rule.repeat_days or rule.inactive_days} days"
        )
    elif t == "while":
        what = (
            f"条件成立期间，最多每 {rule.every_days} 天一次（{rule.every_days} 天内没有同类回访即到期）"
            if zh
            else f"while the condition holds, at most once every {rule.every_days} days "
            f"(due when there was no contact of this kind in the last {rule.every_days} days)"
        )
    elif t == "every":
        if rule.stages:
            parts = []
            for s in rule.stages:
                step = f"{s.get('every_months', 0)} 个月" if zh else f"{s.get('every_months', 0)} months"
                if s.get("every_days"):
                    step = f"{s['every_days']} 天" if zh else f"{s['every_days']} days"
                lim = s.get("until_months")
                if zh:
                    parts.append(
                        (f"前 {lim} 个月每 {step}" if not parts else f"至第 {lim} 个月每 {step}")
                        if lim
                        else f"之后每 {step}"
                    )
                else:
                    parts.append(
                        (f"every {step} for the first {lim} months" if not parts else f"every {step} up to month {lim}")
                        if lim
                        else f"then every {step}"
                    )
            what = (f"自{field}起" + "，".join(parts)) if zh else f"from '{field}': " + ", ".join(parts)
        else:
            step = (
                (f"{rule.every_months} 个月" if rule.every_months else f"{rule.every_days} 天")
                if zh
                else (f"{rule.every_months} months" if rule.every_months else f"{rule.every_days} days")
            )
            what = f"自{field}起每 {step}" if zh else f"every {step} from '{field}'"
        if rule.restart_on == "same_kind":
            what += "（从上次同类回访重新计时）" if zh else " (clock restarts at the last contact of this kind)"
        elif rule.restart_on != "none":
            what += "（从上次实际联系重新计时）" if zh else " (clock restarts at the last real contact)"
    else:
        before = all(d < 0 for d in rule.days)
        if list(rule.days) == [0]:
            what = "节点当天" if zh else "on the day of a milestone"
        else:
            what = (
                f"节点{'前' if before else '后'} {days} {unit}{'内' if rule.within else ''}"
                if zh
                else f"{'within ' if rule.within else ''}{days} {unit} {'before' if before else 'after'} a milestone"
            )
        if rule.date_field:
            field = _field_label("customers", rule.date_field, lang)
            what += f"（只含{field}之后的节点）" if zh else f" (only milestones from '{field}' on)"
    conds = []
    if rule.buyer is not None:
        conds.append(
            ("已购买的客户" if rule.buyer else "尚未购买的客户")
            if zh
            else ("the customer has bought" if rule.buyer else "the customer has not bought yet")
        )
    record_role = "milestones" if t == "milestone" else rule.source
    for role, cond in (("customers", rule.customer), (record_role, rule.when)):
        for k, v in cond.items():
            conds.append(_condition(role, k, v, lang))
    if rule.until:
        labels = "/".join(_field_label("customers", f, lang) for f in rule.until)
        conds.append(f"直到{labels}为止" if zh else f"until '{labels}'")
    if t == "while":  # open until the next reminder falls due, whatever expire_days says (schedule/context.expire_of)
        window = (
            f"窗口 {rule.window_days} 天，未完成的提醒保留到下一次提醒（{rule.every_days} 天后）再作废"
            if zh
            else f"window {rule.window_days} day{'' if rule.window_days == 1 else 's'}, an undone reminder kept "
            f"until the next one falls due ({rule.every_days} days on), then dropped"
        )
    else:
        window = None
    window = window or (
        f"窗口 {rule.window_days} 天" + ("" if rule.expire_days is None else f"，逾期 {rule.expire_days} 天后作废")
        if zh
        else f"window {rule.window_days} day{'' if rule.window_days == 1 else 's'}"
        + (
            ""
            if rule.expire_days is None
            else f", dropped {rule.expire_days} day{'' if rule.expire_days == 1 else 's'} after"
        )
    )
    channel = CHANNELS.label(rule.channel, lang)
    if rule.staff_role:
        roles = (rule.staff_role,) if isinstance(rule.staff_role, str) else rule.staff_role
        mine = [r for r in roles if any("\u4e00" <= ch <= "\u9fff" for ch in r) == zh] or list(roles)
        channel += f"，由岗位为“{mine[0]}”的员工负责" if zh else f", by the staff member whose role is {mine[0]}"
    head = KINDS.label(rule.kind, lang)
    own = rule.zh if zh else rule.en
    if own and own != head:
        head += f"（{own}）" if zh else f" ({own})"
    cond_text = ("；条件：" if zh else "; if ") + ("，" if zh else ", ").join(conds) if conds else ""
    return f"{head}: {what}{cond_text}; {channel}; {window}; " + (
        f"优先级 {rule.priority}" if zh else f"priority {rule.priority}"
    )
