"""Validation of an archive: every problem with its file, sheet!cell, the value found and
what was expected. Reading already reports cells it could not parse; this adds the checks
that need more than one cell: duplicates, references to unknown customers, missing values,
owners who have left, codes nobody can read.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from followup_cli.archive.coverage import coverage_problems
from followup_cli.archive.problems import ERROR, NOTE, WARNING, Problem
from followup_cli.archive.records import Archive
from followup_cli.archive.staff import AMBIGUOUS, LEFT, UNKNOWN, left_on_of, staff_directory
from followup_cli.errors import DataProblems
from followup_cli.policy.vocabulary import KINDS, OUTCOMES, SATISFACTION
from followup_cli.schedule.context import as_date
from followup_cli.schedule.tasks import task_ids_in
from followup_cli.text.messages import Msg, msg, text

if TYPE_CHECKING:
    from followup_cli.archive.staff import Match as StaffMatch
    from followup_cli.policy.rules import Policy

# Visit fields a clerk types from a list: a value the vocabulary does not know is named.
_CODED_VISIT_FIELDS = (
    ("kind", KINDS, "回访类型", "follow-up kind"),
    ("outcome", OUTCOMES, "回访结果", "outcome"),
    ("satisfaction", SATISFACTION, "满意度", "satisfaction level"),
)


def _problem(severity, rec, field_name, value, message, code) -> Problem:
    src = rec.src
    return Problem(
        severity,
        str(src.file),
        src.sheet,
        src.cell(field_name, rec.row),
        None if value is None else str(value),
        message,
        code,
    )


def check_archive(archive: Archive, as_of: dt.date | None = None, policy: Policy | None = None) -> list[Problem]:
    """All problems: reading's plus the cross-record checks, plus what the reading left out or
    guessed (coverage.py; with `policy`, the rules that cannot run), errors first, in sheet order."""
    as_of = as_of or dt.date.today()
    problems = list(archive.problems) + coverage_problems(archive, policy)
    reported = {(p.file, p.sheet, p.cell) for p in problems}

    def unreported(rec, field_name) -> bool:
        return (str(rec.src.file), rec.src.sheet, rec.src.cell(field_name, rec.row)) not in reported

    first_seen: dict[str, object] = {}
    for c in archive.customers:
        if not c.id:
            problems.append(
                _problem(
                    ERROR,
                    c,
                    "id",
                    None,
                    msg(
                        "客户编号为空；每位客户都需要编号", "客户编号 (customer id) is empty; every customer needs one"
                    ),
                    "missing-id",
                )
            )
            continue
        if c.id not in first_seen:  # a shared key is reported by reading (archive/duplicates.py)
            first_seen[c.id] = c
        if not c.name:
            problems.append(_problem(WARNING, c, "name", None, msg("姓名为空", "姓名 (name) is empty"), "missing-name"))
    known = set(first_seen)
    for role in ("purchases", "visits", "tickets", "projects"):
        for rec in archive.records(role):
            cid = rec.customer_id
            if not cid:
                problems.append(
                    _problem(
                        ERROR,
                        rec,
                        "customer_id",
                        None,
                        msg(
                            "客户编号为空：这一行不属于任何客户",
                            "客户编号 (customer id) is empty: the row belongs to nobody",
                        ),
                        "missing-customer",
                    )
                )
            elif cid not in known and known and unreported(rec, "customer_id"):  # not twice for one cell
                problems.append(
                    _problem(
                        ERROR,
                        rec,
                        "customer_id",
                        cid,
                        msg(
                            f"客户“{cid}”不在客户表中；请改正编号或添加这位客户",
                            f"customer '{cid}' is not in the customer sheet; fix the id or add the customer",
                        ),
                        "unknown-customer",
                    )
                )
    problems.extend(_joined_later(archive, as_of, first_seen, unreported))
    for v in archive.visits:
        if v.date is None and v.src and "date" in v.src.columns and unreported(v, "date"):
            problems.append(
                _problem(ERROR, v, "date", None, msg("回访日期为空", "回访日期 (visit date) is empty"), "missing-date")
            )
        elif v.date is not None:
            d = v.date.date() if isinstance(v.date, dt.datetime) else v.date
            if d > as_of:
                problems.append(
                    _problem(
                        WARNING,
                        v,
                        "date",
                        d.isoformat(),
                        msg("回访日期在未来", "visit date is in the future"),
                        "future-date",
                    )
                )
        if v.task_id and not task_ids_in(v.task_id) and unreported(v, "task_id"):
            problems.append(
                _problem(
                    WARNING,
                    v,
                    "task_id",
                    v.task_id,
                    msg(
                        f"任务编号“{v.task_id}”不是 followup 回访单上的任务编号：这条回访按客户、回访类型和日期"
                        "对应任务；若是别的编号，请放到备注列",
                        f"task id '{v.task_id}' is not a task id from a followup call sheet: the visit is matched to"
                        " a task by customer, kind and date; if it is another number, move it to the notes column",
                    ),
                    "not-a-task-id",
                )
            )
        for field_name, vocabulary, zh, en in _CODED_VISIT_FIELDS:
            value = getattr(v, field_name)
            if value and not vocabulary.match(value):
                problems.append(
                    _problem(
                        WARNING,
                        v,
                        field_name,
                        value,
                        msg(
                            f"无法识别的{zh}；请用：" + "、".join(vocabulary.labels("zh")),
                            f"unknown {en}; use one of: " + ", ".join(vocabulary.labels("en")),
                        ),
                        f"unknown-{field_name}",
                    )
                )
    for p in archive.purchases:
        if p.date is None and p.src and "date" in p.src.columns and unreported(p, "date"):
            problems.append(
                _problem(ERROR, p, "date", None, msg("消费日期为空", "日期 (purchase date) is empty"), "missing-date")
            )
    problems.extend(_owner_problems(archive, as_of))
    order = {ERROR: 0, WARNING: 1, NOTE: 2}
    problems.sort(key=lambda p: (order.get(p.severity, 2), p.file, p.sheet or "", _cell_key(p.cell)))
    return problems


def _cell_key(cell: str | None):
    if not cell:
        return (0, 0)
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = "".join(ch for ch in cell if ch.isdigit())
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return (int(digits or 0), col)


def _left_message(owner, left_on: str):
    when = (f"{left_on} 离职", f"left on {left_on}") if left_on else ("员工表写明离职，离职日期不详", "date unknown")
    return msg(
        f"负责人“{owner}”已离职（{when[0]}）；这位客户的任务未分配（运行 followup assign 交接）",
        f"owner '{owner}' has left ({when[1]}); this customer's tasks are unassigned "
        "(run `followup assign` to hand them over)",
    )


def _joined_later(archive: Archive, as_of: dt.date, customers: dict, unreported) -> list[Problem]:
    """A customer joins on their archive date, or their first purchase where there is none, and
    nothing falls due before that (schedule/context.py `joined`): a join day after the as-of day
    (a typo, most often) silently keeps every follow-up of the customer off the list. Said at
    the cell that gives the day."""
    out = []
    first: dict[str, object] = {}
    for p in archive.purchases:
        d = as_date(p.date)
        if d is not None and p.customer_id in customers:
            known = first.get(p.customer_id)
            if known is None or d < as_date(known.date):
                first[p.customer_id] = p
    for cid, c in customers.items():
        joined = as_date(c.archived_on)
        rec, field_name = (c, "archived_on") if joined is not None else (first.get(cid), "date")
        if joined is None and rec is not None:
            joined = as_date(rec.date)
        if joined is None or joined <= as_of or not rec.src or field_name not in rec.src.columns:
            continue
        if not unreported(rec, field_name):
            continue
        col = rec.src.columns[field_name]
        header = rec.src.headers[col] if col < len(rec.src.headers) else field_name
        what_zh = f"“{header}”" if field_name == "archived_on" else f"第一笔消费（“{header}”）"
        what_en = f"{header}" if field_name == "archived_on" else f"first purchase ({header})"
        out.append(
            _problem(
                WARNING,
                rec,
                field_name,
                joined.isoformat(),
                msg(
                    f"客户“{cid}”的{what_zh}在 {as_of} 之后（{joined}）：在那天之前这位客户不会有任何回访；"
                    "日期有误请改正",
                    f"customer '{cid}': the {what_en} {joined} is after {as_of}, so no follow-up falls due for "
                    "them before that day; correct the date if it is wrong",
                ),
                "joins-later",
            )
        )
    return out


def _owner_problems(archive: Archive, as_of: dt.date) -> list[Problem]:
    if not archive.staff:
        return []
    directory = staff_directory(archive, as_of)
    out = []
    for c in archive.customers:
        if not c.owner:
            continue
        said = _owner_problem(directory.resolve(c.owner), c.owner, archive.staff)
        if said is not None:
            out.append(_problem(WARNING, c, "owner", c.owner, *said))
    return out


def _titled(owner: object, staff: list) -> object | None:
    """The one staff member an owner written with a title means (王店长, 张伟 店长, 李姐): the full
    name inside it, else the surname and a title their role holds. Only suggested, never taken."""
    text_ = "".join(str(owner).split())
    inside = [s for s in staff if s.name and len(str(s.name)) >= 2 and str(s.name) in text_ and str(s.name) != text_]
    if len(inside) == 1:
        return inside[0]
    titled = [
        s
        for s in staff
        if s.name and len(text_) >= 2 and str(s.name)[0] == text_[0] and s.role and text_[1:] in str(s.role)
    ]
    return titled[0] if len(titled) == 1 else None


def _owner_problem(found: StaffMatch, owner: object, staff: list = ()) -> tuple[Msg, str] | None:
    """(message, code) for an owner cell the staff sheet does not resolve to one active person."""
    state = found.state
    if state == UNKNOWN:
        meant = _titled(owner, staff)
        if meant is not None:
            who = f"{meant.name}（{meant.role}）" if meant.role else str(meant.name)
            return (
                msg(
                    f"负责人“{owner}”不在员工表中；是不是 {who}？请改成员工表中的名字，或把此人加入员工表",
                    f"owner '{owner}' is not on the staff sheet; is it {who}? write the name as the staff sheet "
                    "has it, or add them to it",
                ),
                "unknown-owner",
            )
        return (
            msg(
                f"负责人“{owner}”不在员工表中；请把此人加入员工表，或运行 followup assign 重新分配",
                f"owner '{owner}' is not on the staff sheet; add them to it, or reassign with `followup assign`",
            ),
            "unknown-owner",
        )
    if state == LEFT:
        return _left_message(owner, left_on_of(found.person)), "owner-left"
    if state == AMBIGUOUS:
        return (
            msg(
                f"负责人“{owner}”对应员工表中多名同名员工；这位客户的任务未分配，请改填工号",
                f"owner '{owner}' matches several staff members of that name; this customer's "
                "tasks are unassigned: write the staff id instead",
            ),
            "ambiguous-owner",
        )
    return None


def require_customers(archive: Archive, allow_empty_sheet: bool = False) -> None:
    """The one guard of the commands that work on customers: an archive with no customer rows
    stops them (exit 1) with the first error that explains why. `allow_empty_sheet`: a customer
    sheet that is there but has no rows yet (a new archive from `followup init`) is fine."""
    if archive.customers:
        return
    errors = [p for p in archive.problems if p.severity == ERROR]
    if allow_empty_sheet and not errors and archive.source("customers") is not None:
        return
    first = errors[0].message if errors else msg("客户表没有数据行", "the customer sheet has no rows")
    where = archive.paths[0] if archive.paths else ""
    raise DataProblems(
        msg(f"{where}：没有客户数据：{text(first, 'zh')}", f"{where}: no customers: {text(first, 'en')}"),
        msg("运行 followup check 查看所有问题", "run `followup check` to see every problem"),
    )


def problems_note(archive: Archive) -> Msg | None:
    """One line saying the archive has problems that reading passed over (None when it has none)."""
    errors = sum(1 for p in archive.problems if p.severity == ERROR)
    warnings = sum(1 for p in archive.problems if p.severity == WARNING)
    if not errors and not warnings:
        return None  # notes (a totals row passed over) are for `check`
    # These are reading's own problems; `check` adds the cross-record ones and what was not read,
    # so its counts can be higher: say whose counts these are, and that rows were skipped only if so.
    skipped_zh = "；有错误的行已跳过或只读取了一部分" if errors else ""
    skipped_en = "; rows with errors are skipped or partly read" if errors else ""
    return msg(
        f"注意：读取档案时发现 {errors} 个错误、{warnings} 个警告{skipped_zh}。运行 followup check 查看全部问题。",
        f"note: reading the archive found {errors} error(s) and {warnings} warning(s){skipped_en}. "
        "Run `followup check` to see every problem.",
    )
