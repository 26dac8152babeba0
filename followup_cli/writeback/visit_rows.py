"""One visit as a row of the shop's visit book: its fields, their headers, their values.

The standard fields of a visit sheet (what a new log workbook gets), the fields a book may
lack and is given a column for, and `visit_values` / `visit_row`: a ResultRow written in the
book's own columns and language (vocabulary labels, 是/否, the kind in the word of the
column's own dropdown).
"""

from __future__ import annotations

from followup_cli.archive.records import row_in_sheet_order
from followup_cli.policy.vocabulary import CHANNELS, ISSUE_CATEGORIES, KINDS, OUTCOMES, SATISFACTION
from followup_cli.text.labels import YES_NO
from followup_cli.text.messages import pick
from followup_cli.writeback.results import FINDINGS, ResultRow

# The columns of a new visit log, in order.
STANDARD_VISIT_FIELDS = [
    "visit_id",
    "customer_id",
    "date",
    "kind",
    "channel",
    "staff",
    *FINDINGS,
    "resolved_on",
    "notes",
    "next_action",
    "task_id",
]
# What a book may lack and is given a column for, in this order, when a visit carries it:
# every standard field but the three a visit row cannot be without.
EXTENDABLE_FIELDS = [f for f in STANDARD_VISIT_FIELDS if f not in ("visit_id", "customer_id", "date")]
RATING_FIELDS = ("satisfaction", "score", "recommend", "issue_category", "issue", "resolved", "next_date")


def _yes_no(value: bool | None, lang: str):
    if value is None:
        return None
    return pick(YES_NO[bool(value)], lang)


def visit_values(r: ResultRow, lang: str, visit_id: str | None) -> dict:
    return {
        "visit_id": visit_id,
        "customer_id": r.customer_id,
        "date": r.done_at or r.done_on,
        "kind": KINDS.label(r.kind, lang) if r.kind else None,
        "content": KINDS.label(r.kind, lang) if r.kind else None,  # only where the book has no kind column
        "customer_name": r.customer_name,
        "phone": r.phone,
        "channel": CHANNELS.label(r.channel, lang) if r.channel else None,
        "staff": r.staff,
        "outcome": OUTCOMES.label(r.outcome, lang) if r.outcome else None,
        "satisfaction": SATISFACTION.label(r.satisfaction, lang) if r.satisfaction else None,
        "score": r.score,
        "recommend": _yes_no(r.recommend, lang),
        "issue_category": ISSUE_CATEGORIES.label(r.issue_category, lang) if r.issue_category else None,
        "issue": r.issue,
        "resolved": _yes_no(r.resolved, lang),
        "resolved_on": r.done_on if r.resolved else None,
        "notes": r.notes,
        # ISO text: a date serial would show as a number in a column without a date format
        "next_action": r.next_date.isoformat() if r.next_date else None,
        "task_id": " ".join(r.task_ids) or None,
    }


def visit_row(
    r: ResultRow,
    columns: dict[str, int],
    width: int,
    lang: str,
    visit_id: str | None,
    by_name: set[str] = frozenset(),
    kind_words: dict[str, str] | None = None,
    lists: dict[str, dict[str, str]] | None = None,
) -> list:
    """One visit as a row of the book: values placed by its own columns and language (the
    customer's name in a customer column that holds names, see book_shape.names_in_id_column; the kind
    in the word of the column's own dropdown, see book_shape.kind_words; the outcome, satisfaction
    and channel in their columns' dropdown words, `lists`, see book_shape.list_words)."""
    values = visit_values(r, lang, visit_id)
    if kind_words and r.kind in kind_words:
        values["kind"] = kind_words[r.kind]
    for name, words in (lists or {}).items():
        if getattr(r, name) in words:
            values[name] = words[getattr(r, name)]
    if "kind" in columns:
        values.pop("content")
    if str(r.customer_id) in by_name:
        values["customer_id"] = r.customer_name
    if "task_id" not in columns and r.task_ids:
        # no task-id column and none could be added: the ids in the notes still close the task
        values["notes"] = ((r.notes + " ") if r.notes else "") + "[" + " ".join(r.task_ids) + "]"
    return row_in_sheet_order(values, columns, width)
