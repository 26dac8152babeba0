"""One customer's history, what a clerk looks at before calling: the card, purchases, tickets,
visits with their results, open issues and upcoming tasks, newest first.

The customer is found by id, phone number or name; a name several customers share, or one
that matches nobody, is a usage error naming the candidates or the nearest names.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field

from followup_cli.archive.records import Archive
from followup_cli.archive.schema import ROLES
from followup_cli.config import Config
from followup_cli.errors import UsageProblem
from followup_cli.policy.vocabulary import CHANNELS, KINDS, OUTCOMES, SATISFACTION
from followup_cli.text.clerk import customer_ambiguous, customer_not_found, nearest
from followup_cli.text.history import CARD_TITLE, ISSUE_FIELDS, SECTIONS, TASK_FIELDS
from followup_cli.text.labels import STATUS, YES_NO, pick
from followup_cli.text.messages import msg

# Which fields of each record go in the history, in this order (labels from archive/schema.py).
FIELDS = {
    "purchases": ("date", "product", "amount", "quantity", "new_season", "order_id", "shipped_on"),
    "tickets": ("opened_at", "ticket_id", "type", "severity", "closed_at", "outcome"),
    "visits": ("date", "kind", "channel", "staff", "outcome", "satisfaction", "score", "issue", "resolved", "notes"),
}


@dataclass
class History:
    customer: object
    card: list[tuple[str, str, object]]  # (field, label, value)
    sections: dict[str, list[dict]] = field(default_factory=dict)
    columns: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    lang: str = "zh"


def _digits(text) -> str:
    return re.sub(r"\D", "", str(text or ""))


def find_customer(archive: Archive, query: str) -> object:
    """The customer an id, a phone number (any separators; the last 8+ digits) or a name names."""
    from followup_cli.archive.staff import fold

    q = fold(query)
    by_id = [c for c in archive.customers if c.id is not None and fold(c.id) == q]
    if by_id:
        return by_id[0]
    digits = _digits(query)
    if len(digits) >= 7:
        by_phone = [c for c in archive.customers if c.phone and _digits(c.phone).endswith(digits[-11:])]
        if len(by_phone) == 1:
            return by_phone[0]
        if by_phone:
            raise UsageProblem(*customer_ambiguous(query, [f"{c.name}（{c.id}）" for c in by_phone]))
    by_name = [c for c in archive.customers if c.name and fold(c.name) == q]
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        raise UsageProblem(*customer_ambiguous(query, [f"{c.name}（{c.id}）" for c in by_name[:10]]))
    raise UsageProblem(*customer_not_found(query, nearest(query, [c.name for c in archive.customers if c.name])))


def _label(role: str, name: str, lang: str) -> str:
    for f in ROLES[role]["fields"]:
        if f.name == name:
            return pick((f.zh, f.en), lang)
    return name


def _when(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _newest_first(rows: list, key: str) -> list:
    return sorted(rows, key=lambda r: (_when(getattr(r, key, None)) or dt.date.min, r.row), reverse=True)


def customer_history(
    archive: Archive,
    config: Config,
    customer: object,
    as_of: dt.date,
    lang: str | None = None,
    ahead: int = 30,
    mask_phone: bool = False,
) -> History:
    """The history of `customer` up to `as_of` (later records are not yet there), with the tasks
    due now or in the next `ahead` days."""
    from followup_cli.outputs.due_list import due
    from followup_cli.outputs.privacy import mask_phone as mask

    lang = lang or archive.lang
    cid = customer.id
    card = []
    for f in ROLES["customers"]["fields"]:
        value = getattr(customer, f.name, None)
        if value in (None, ""):
            continue
        if f.name == "phone" and mask_phone:
            value = mask(value)
        card.append((f.name, pick((f.zh, f.en), lang), value))
    hist = History(customer, card, lang=lang)

    def seen(rec, key) -> bool:
        d = _when(getattr(rec, key, None))
        return d is None or d <= as_of

    for role, date_key in (("purchases", "date"), ("tickets", "opened_at"), ("visits", "date")):
        recs = [r for r in archive.records(role) if r.customer_id == cid and seen(r, date_key)]
        keys = FIELDS[role]
        hist.columns[role] = [(k, _label(role, k, lang)) for k in keys]
        rows = []
        for r in _newest_first(recs, date_key):
            row = {k: getattr(r, k, None) for k in keys}
            if role == "visits":
                # a word of the lists (kind, channel, outcome, satisfaction) in the run's language
                for key, vocabulary in (
                    ("kind", KINDS),
                    ("channel", CHANNELS),
                    ("outcome", OUTCOMES),
                    ("satisfaction", SATISFACTION),
                ):
                    if row.get(key):
                        found = vocabulary.match(row[key])
                        row[key] = vocabulary.label(found, lang) if found else row[key]
            rows.append(row)
        hist.sections[role] = rows
    hist.sections["open_issues"] = _open_issues(archive, cid, as_of)
    hist.columns["open_issues"] = [(k, pick(label, lang)) for k, label in ISSUE_FIELDS]
    # the schedule of this customer alone: the same rules, caps and gaps, much less to read
    alone = dataclasses.replace(archive, customers=[customer])
    result = due(alone, config, as_of, ahead=ahead, lang=lang)
    tasks = sorted(result.rows, key=lambda r: r["due_date"], reverse=True)
    hist.sections["upcoming"] = [
        {
            "due_date": r["due_date"],
            "status": pick(STATUS[r["status"]], lang) if r["status"] in STATUS else r["status"],
            "kind": KINDS.label(r["kind"], lang),
            "staff": r["staff"] or "",
            "reason": r["reason"],
            "task_id": r["task_id"],
        }
        for r in tasks
    ]
    hist.columns["upcoming"] = [(k, pick(label, lang)) for k, label in TASK_FIELDS]
    return hist


def _open_issues(archive: Archive, cid, as_of: dt.date) -> list[dict]:
    """Unresolved issues: from the 问题跟踪 sheet when there is one, else from the visit rows."""
    out = []
    if archive.source("issues") is not None:
        for rec in _newest_first([i for i in archive.issues if i.customer_id == cid], "raised_on"):
            if rec.resolved is True or (_when(rec.raised_on) or dt.date.min) > as_of:
                continue
            out.append({"raised_on": rec.raised_on, "category": rec.category, "text": rec.text, "staff": rec.staff})
        return out
    for v in _newest_first([v for v in archive.visits if v.customer_id == cid], "date"):
        if not (v.issue or v.issue_category) or v.resolved is True or (_when(v.date) or dt.date.min) > as_of:
            continue
        out.append({"raised_on": _when(v.date), "category": v.issue_category, "text": v.issue, "staff": v.staff})
    return out


def shown(value: object, lang: str, for_json: bool = False) -> object:
    """A value as a clerk reads it: dates without a midnight time, 520 not 520.0, 是/否,
    a birthday as 7月11日 (json: ISO dates, true/false, the birthday in words)."""
    from followup_cli.archive.cells import Birthday

    if isinstance(value, Birthday):
        text = value.describe(lang)
        return (
            msg(f"{value.year}年{text}", f"{text}, {value.year}").text(lang) if value.year and not value.lunar else text
        )
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time(0) else value.replace(microsecond=0)
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return value if for_json else pick(YES_NO[value], lang)
    if isinstance(value, (set, frozenset)):
        # a do-not-contact for some channels only (接受短信 = 否): the channels, never a Python repr
        channels = sorted(value)
        if for_json:
            return channels
        names = [CHANNELS.label(c, lang) for c in channels]
        return msg(f"是（{'、'.join(names)}）", f"yes ({', '.join(names)})").text(lang)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def table_rows(rows: list[dict], lang: str) -> list[dict]:
    return [{k: shown(v, lang) for k, v in r.items()} for r in rows]


def as_json(hist: History) -> dict:
    card = {name: shown(value, hist.lang, True) for name, _label_, value in hist.card}
    return {
        "customer": card,
        **{
            name: [{k: shown(v, hist.lang, True) for k, v in r.items()} for r in rows]
            for name, rows in hist.sections.items()
        },
    }


def section_title(name: str, lang: str, n: int | None = None) -> str:
    title = pick(CARD_TITLE if name == "card" else SECTIONS[name], lang)
    if n is None:
        return title
    return msg(f"{title}（{n}）", f"{title} ({n})").text(lang)
