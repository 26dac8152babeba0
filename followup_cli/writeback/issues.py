"""Issues raised on a call, tracked to resolution.

A visit that raises an issue (a category or a description) opens an entry in the archive's
issue-tracking sheet (问题跟踪) when it has one; otherwise the visit row itself carries the
issue in its 问题类别/问题描述/是否解决 columns. A later reached visit marked 是否解决 = 是
closes the customer's open issues: the entries (or the earlier visit rows) get 是否解决 = 是
and the date, so the resolution rate and the days to resolve can be measured.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from followup_cli.archive.records import Archive, SheetSource, id_counter, row_in_sheet_order
from followup_cli.policy.vocabulary import ISSUE_CATEGORIES
from followup_cli.text.labels import YES_NO
from followup_cli.text.messages import pick


@dataclass
class IssueChanges:
    sheet: str | None = None  # the issue-tracking sheet in the target workbook, if any
    header_row: int = 1
    rows: list[list] = field(default_factory=list)  # new entries, in that sheet's column order
    updates: dict[str, dict[tuple[int, int], object]] = field(default_factory=dict)  # sheet → cells
    opened: int = 0
    resolved: int = 0


def _yes_no(value: bool, lang: str) -> str:
    return pick(YES_NO[bool(value)], lang)


def _same_file(a: Path, b: Path) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def plan_issues(
    archive: Archive, target: Path, visit_src: SheetSource | None, results: list, visit_ids: list[str | None]
) -> IssueChanges:
    """Entries to open and cells to update for `results` (accepted ResultRows, in order)."""
    changes = IssueChanges()
    src = archive.source("issues")
    if src is not None and not _same_file(src.file, target):
        src = None  # the tracking sheet lives elsewhere: keep the issue on the visit row
    if src is not None:
        changes.sheet, changes.header_row = src.sheet, src.header_row
    next_id = id_counter((i.issue_id for i in archive.issues), "Q", 4)
    closed: set[int] = set()
    for r, vid in zip(results, visit_ids):
        if r.resolved and r.outcome == "reached":
            changes.resolved += _close_open_issues(archive, src, visit_src, target, r, changes, closed)
        if src is None or not (r.issue or r.issue_category):
            continue
        lang = src.lang
        values = {
            "issue_id": next_id(),
            "visit_id": vid,
            "task_id": " ".join(r.task_ids) or None,
            "customer_id": r.customer_id,
            "raised_on": r.done_on,
            "category": ISSUE_CATEGORIES.label(r.issue_category, lang) if r.issue_category else None,
            "text": r.issue,
            "resolved": _yes_no(bool(r.resolved), lang),
            "resolved_on": r.done_on if r.resolved else None,
            "staff": r.staff,
        }
        changes.rows.append(row_in_sheet_order(values, src.columns, len(src.headers)))
        changes.opened += 1
    return changes


def _close_open_issues(archive, src, visit_src, target, r, changes: IssueChanges, closed: set) -> int:
    """Mark the customer's open issues raised on or before this visit resolved; count them."""
    count = 0
    if src is not None:
        candidates, sheet_src = archive.issues, src
        cols = ("resolved", "resolved_on")
        raised = "raised_on"
    elif visit_src is not None and _same_file(visit_src.file, target):
        candidates = [v for v in archive.visits if v.src is visit_src and (v.issue or v.issue_category)]
        sheet_src = visit_src
        cols = ("resolved", "resolved_on")
        raised = "date"
    else:
        return 0
    if cols[0] not in sheet_src.columns:
        return 0
    for rec in candidates:
        if rec.customer_id != r.customer_id or rec.resolved is True or id(rec) in closed:
            continue
        d = _date(getattr(rec, raised))
        if d is None or d > r.done_on:
            continue
        cells = changes.updates.setdefault(sheet_src.sheet, {})
        cells[(rec.row, sheet_src.columns[cols[0]] + 1)] = _yes_no(True, sheet_src.lang)
        if cols[1] in sheet_src.columns:
            cells[(rec.row, sheet_src.columns[cols[1]] + 1)] = r.done_on
        closed.add(id(rec))
        count += 1
    return count
