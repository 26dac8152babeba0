"""The SMS batch of a day: the due text-message tasks (festival and birthday greetings, points
reminders ...) as rows a bulk-SMS platform imports: the mobile number, the rendered text, and
each template variable in a column of its own (platforms that fill templates themselves use
those). Customers who asked not to be contacted are not in it (the schedule leaves them out);
a number that is not a mobile is listed as left out; a customer whose preferred channel is
WeChat goes to the WeChat batch instead (`channel="wechat"`), never to both.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

from followup_cli.config import Config
from followup_cli.outputs.due_list import DueResult, script, task_params
from followup_cli.policy.vocabulary import KINDS
from followup_cli.text.labels import fmt_value
from followup_cli.text.messages import Msg, msg, pick

WECHAT_WORDS = ("微信", "wechat", "weixin", "wx", "企业微信")
CHANNELS = ("sms", "wechat")
FIXED_COLUMNS = ("phone", "text", "customer_id", "name", "kind", "due_date", "task_id")
LEFT_OUT = {
    "no_mobile": msg("没有手机号（{phone}）", "no mobile number ({phone})"),
    "wechat": msg("偏好微信：在微信批次中", "prefers WeChat: in the WeChat batch"),
    "sms": msg("不偏好微信：在短信批次中", "does not prefer WeChat: in the SMS batch"),
    "do_not_contact": msg("客户拒绝回访", "the customer asked not to be contacted"),
}


@dataclass
class SmsBatch:
    channel: str
    rows: list[dict]
    columns: list[str]  # FIXED_COLUMNS, then the template variables in the order they appear
    left_out: list[dict] = field(default_factory=list)  # {customer_id, name, kind, task_id, why}
    lang: str = "zh"


def mobile(phone: object) -> str | None:
    """The number as an SMS platform takes it (digits only), or None for a landline or nothing."""
    digits = re.sub(r"\D", "", str(phone or ""))
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if len(digits) == 11 and digits.startswith("1"):
        return digits
    if digits.startswith("0") or not 8 <= len(digits) <= 15:
        return None  # a Chinese landline (021-...) or not a number
    return digits


def prefers_wechat(customer: object) -> bool:
    """The customer's preferred channel says WeChat, or WeChat is all there is (a 微信号, no mobile)."""
    value = str(getattr(customer, "channel", None) or "").strip().lower()
    if any(w in value for w in WECHAT_WORDS):
        return True
    return bool(getattr(customer, "wechat", None)) and mobile(getattr(customer, "phone", None)) is None


def template_names(template: str) -> list[str]:
    try:
        return [name for _, name, _, _ in string.Formatter().parse(template or "") if name]
    except ValueError:
        return []


def sms_batch(result: DueResult, config: Config, channel: str = "sms", mask_phone: bool = False) -> SmsBatch:
    """The text-message tasks due (or overdue) on the result's day, for `channel`."""
    from followup_cli.outputs.privacy import mask_phone as mask

    lang = result.lang
    as_of = result.schedule.as_of
    batch = SmsBatch(channel, [], list(FIXED_COLUMNS), lang=lang)
    variables: list[str] = []
    for task in result.schedule.tasks:
        if task.rule.channel != "sms" or task.status not in ("due", "overdue"):
            continue
        c = task.customer
        base = {
            "customer_id": c.id,
            "name": c.name or "",
            "kind": KINDS.label(task.kind, lang),
            "task_id": task.task_id,
        }
        if prefers_wechat(c) != (channel == "wechat"):
            batch.left_out.append({**base, "why": LEFT_OUT["wechat" if channel == "sms" else "sms"].text(lang)})
            continue
        number = mobile(c.phone)
        if channel == "sms" and number is None:
            batch.left_out.append({**base, "why": _fill(LEFT_OUT["no_mobile"], lang, phone=c.phone or "—")})
            continue
        template = pick((task.rule.script_zh, task.rule.script_en), lang)
        params = task_params(task, lang, config)
        row = {
            "phone": (mask(number) if mask_phone else number) if number else "",
            "text": script(task, lang, config, as_of),
            **base,
            "due_date": task.due_date,
        }
        for name in template_names(template):
            if name not in variables:
                variables.append(name)
            row[name] = fmt_value(params.get(name, ""), lang)
        if channel == "wechat":
            row["wechat"] = c.wechat or ""  # the id to send it to when there is no mobile
        batch.rows.append(row)
    for t in result.schedule.left_out:
        if t.rule.channel == "sms" and t.left_out == "do_not_contact":
            batch.left_out.append(
                {
                    "customer_id": t.customer.id,
                    "name": t.customer.name or "",
                    "kind": KINDS.label(t.kind, lang),
                    "task_id": t.task_id,
                    "why": LEFT_OUT["do_not_contact"].text(lang),
                }
            )
    batch.columns += [v for v in variables if v not in batch.columns]
    if channel == "wechat" and any(r["wechat"] for r in batch.rows):
        batch.columns.insert(1, "wechat")
    return batch


def _fill(m: Msg, lang: str, **values) -> str:
    return m.text(lang).format(**values)
