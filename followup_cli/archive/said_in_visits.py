"""A refusal a customer voiced on a call, as the clerk wrote it in the visit log: 回访结果 "客户说以后别打了",
备注 "要求拉黑", 回访内容 "客户投诉骚扰，要求不再联系". The customer asked not to be contacted again, so they
are do-not-contact from then on, for the channel the words name (不要发短信: the SMS) or every channel,
exactly as the same words in the customer sheet's 备注 (archive/refusals.py, the one list of phrases).
`check` warns at the visit's cell naming the customer; `due --explain` names the cell and the words.

The words are looked for while the sheet is read (`scan` on the raw cells of the notes and content
columns, `outcomes` on the outcome column parse_rows reads; once per distinct text), and folded into the customers once every row knows its
customer (`apply`, after linking). An outcome of the vocabulary (拒绝, 拒接, 拒绝回访: the customer
declined that call, the outcome 'refused') is not one: it says how that call went.
"""

from __future__ import annotations

from operator import itemgetter
from typing import TYPE_CHECKING

from followup_cli.archive.problems import WARNING, Problem
from followup_cli.archive.refusals import may_refuse, refusal
from followup_cli.policy.vocabulary import CHANNELS, OUTCOMES
from followup_cli.text.messages import msg
from followup_cli.xlsx.refs import cell_ref

if TYPE_CHECKING:
    from followup_cli.archive.records import Archive, SheetSource

_TEXT_FIELDS = ("notes", "content")  # free text, read from the raw cells (`due` parses neither)


def scan(src: SheetSource, data: list, width: int, kept: list) -> None:
    """src.said: Excel row → (cell, text, words, channels or None for all) of the visit rows whose notes
    or content say the customer wants no more contact. A column's texts joined are looked at first
    (most logs' notes never refuse: one search); then each distinct text once."""
    for name in _TEXT_FIELDS:
        col = src.columns.get(name)
        if col is not None:
            values = (
                list(map(itemgetter(col), data)) if col < width else [r[col] if col < len(r) else None for r in data]
            )
            _said(src, values, kept, col)


def _said(src: SheetSource, values: list, kept: list, col: int, outcome: bool = False) -> None:
    if not outcome:  # an outcome column holds a few values, each parsed once: no first look needed
        try:
            joined = "\n".join(filter(None, values))
        except TypeError:  # a number among the texts
            joined = "\n".join(v for v in values if v.__class__ is str)
        if not may_refuse(joined):
            return
    hits = {}
    for text in set(values):
        if text.__class__ is not str or not text.strip():
            continue
        if outcome and OUTCOMES.match(text) is not None:
            continue  # 拒接, 拒绝回访: how that call went (the outcome 'refused'), not a wish about later ones
        hit = refusal(text)
        if hit is not None:
            hits[text] = hit
    for k, text in enumerate(values) if hits else ():
        hit = hits.get(text) if text.__class__ is str else None
        if hit is not None:
            words, channels = hit
            src.said.setdefault(kept[k] + 1, (cell_ref(kept[k], col), text, "、".join(words), channels))


def outcomes(src: SheetSource, values: list, kept: list, col: int) -> None:
    """The same for the outcome column, from the values parse_rows read, equal ones one object
    (回访结果 "客户说以后别打了")."""
    _said(src, values, kept, col, outcome=True)


def apply(archive: Archive) -> None:
    """Make the customers whose visits carry such words do-not-contact, each said at its cell."""
    if not any(s.role == "visits" and s.said for s in archive.sources):
        return
    by_id = {c.id: c for c in archive.customers if c.id}
    for v in archive.visits:
        src = v.src
        said = src.said.get(v.row) if src is not None and src.said else None
        customer = by_id.get(v.customer_id) if said else None
        if customer is None:
            continue
        cell, text, words, channels = said
        now = customer.do_not_contact
        if channels is None or now is True:
            customer.do_not_contact = True
        else:
            customer.do_not_contact = channels | (now if isinstance(now, frozenset) else frozenset())
        if customer.src is not None:
            customer.src.refusals.setdefault(customer.row, {"header": f"{src.sheet}!{cell}", "words": words})
        named = sorted(channels or ())
        zh_which = "、".join(CHANNELS.label(c, "zh") for c in named) if named else "所有方式"
        en_which = ", ".join(CHANNELS.label(c, "en") for c in named) if named else "any channel"
        archive.problems.append(
            Problem(
                WARNING,
                str(src.file),
                src.sheet,
                cell,
                text,
                msg(
                    f"回访记录写着“{words}”：客户 {customer.id} 此后按拒绝联系处理（{zh_which}），不再安排回访；"
                    "若不是此意，请改写该单元格",
                    f"the visit log says '{words}': customer {customer.id} is read as do not contact ({en_which}) from "
                    "now on, not called again; reword the cell if that is not meant",
                ),
                "refusal-in-visit",
            )
        )
