"""Results back into the visit log: validate every filled row, then append, all or nothing.

    filled call sheet ─┐
    followup log …   ──┴→ ResultRow → validate against the schedule of the sheet's as-of day
                         → visit rows in the visit sheet's own column order and language
                         → one surgical append (writing.append_rows), or a dry-run listing

Recording the same results twice adds nothing: a row whose task already has that visit
in the log is reported as already recorded and skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from followup_cli.archive import cells as parse
from followup_cli.outputs.call_sheet import META_SHEET, SHEET_KIND, header_index
from followup_cli.config import Config
from followup_cli.errors import DataProblems, UnreadableFile, UsageProblem
from followup_cli.writeback.issues import IssueChanges, plan_issues
from followup_cli.text.messages import msg, text
from followup_cli.policy.vocabulary import (
    CHANNELS, ISSUE_CATEGORIES, KINDS, OUTCOMES, REACHED_OUTCOMES, SATISFACTION, visit_outcome,
)
from followup_cli.archive.records import Archive, SheetSource, id_counter, row_in_sheet_order
from followup_cli.archive.schema import norm_header
from followup_cli.schedule.engine import Task, visit_task_ids
from followup_cli.archive.files import open_book
from followup_cli.xlsx.refs import cell_ref

VISIT_LOG_SHEET = {"zh": "回访记录", "en": "Visits"}
STANDARD_VISIT_FIELDS = ["visit_id", "customer_id", "date", "kind", "channel", "staff", "outcome", "satisfaction",
                         "score", "issue_category", "issue", "resolved", "resolved_on", "notes", "next_action",
                         "task_id"]


@dataclass
class ResultRow:
    where: str  # 'calls.xlsx 回访清单!row 5', for messages
    cells: dict[str, str]  # field → cell ref, for messages
    task_ids: list[str]
    customer_id: str | None = None
    kind: str | None = None
    done_on: dt.date | None = None
    channel: str | None = None
    outcome: str | None = None
    satisfaction: str | None = None
    score: float | None = None
    issue_category: str | None = None
    issue: str | None = None
    resolved: bool | None = None
    notes: str | None = None
    next_date: dt.date | None = None
    staff: str | None = None
    raw: dict = field(default_factory=dict)


@dataclass
class Rejection:
    where: str
    value: str | None
    message: str
    row: ResultRow | None = None


@dataclass
class RecordPlan:
    target: Path  # the workbook the visit rows go into
    sheet: str
    header_row: int
    headers: list[str]
    rows: list[list]  # values in the sheet's column order
    results: list[ResultRow]  # the accepted rows, same order
    rejected: list[Rejection]
    duplicates: list[ResultRow]
    blank: int
    create_log: bool = False  # the separate log workbook does not exist yet
    lang: str = "zh"
    unstored: list[str] = field(default_factory=list)  # filled fields the log has no column for
    issues: IssueChanges = field(default_factory=IssueChanges)  # entries opened, earlier issues closed


# ---- reading a filled call sheet --------------------------------------------------------

def read_call_sheet(path: Path) -> tuple[dict, list[ResultRow], list[Rejection], int]:
    """(meta, filled rows, rows rejected while parsing, number of blank result rows)."""
    book = open_book(path)
    meta = {}
    if META_SHEET in book.sheet_names:
        for row in book.sheet(META_SHEET).rows():
            if len(row) >= 2 and row[0]:
                meta[str(row[0])] = row[1]
    if meta.get("kind") not in (SHEET_KIND, None):
        raise UsageProblem(f"{path}: is a '{meta.get('kind')}' sheet, not a call sheet",
                           "give `followup record` the call sheet made by `followup sheet`")
    if not meta:
        raise UsageProblem(f"{path}: not a call sheet made by `followup sheet` (no {META_SHEET} sheet)",
                           "make one with `followup sheet ARCHIVE -o calls.xlsx`, fill it in, then record it")
    index = header_index()
    results, rejected, blank = [], [], 0
    for raw in book.sheets:
        if raw.name == META_SHEET:
            continue
        rows = raw.rows()
        if not rows:
            continue
        cols = {}
        for j, value in enumerate(rows[0]):
            key = index.get(norm_header(value)) if isinstance(value, str) else None
            if key and key not in cols:
                cols[key] = j
        if "task_ids" not in cols:
            raise UsageProblem(f"{path} {raw.name}!A1: no task id column (任务编号)",
                               "do not delete or rename the call sheet's columns")
        for i in range(1, len(rows)):
            row = rows[i]
            values = {k: (row[j] if j < len(row) else "") for k, j in cols.items()}
            if parse.is_blank(values.get("task_ids")):
                continue
            filled = [k for k in ("done_on", "channel", "outcome", "satisfaction", "score", "issue_category",
                                  "issue", "resolved", "notes", "next_date") if not parse.is_blank(values.get(k))]
            if not filled:
                blank += 1
                continue
            cells = {k: cell_ref(i, j) for k, j in cols.items()}
            where = f"{path.name} {raw.name}!"
            r, problems = parse_result(values, where, cells, book.date1904)
            r.task_ids = str(values["task_ids"]).split()
            r.customer_id = parse.parse_id(values.get("customer_id"))[0]
            rejected.extend(problems)
            if not problems:
                results.append(r)
    return meta, results, rejected, blank


def parse_result(values: dict, where: str, cells: dict, date1904: bool = False) -> tuple[ResultRow, list[Rejection]]:
    """Check one row of results; every problem names its cell."""
    r = ResultRow(where=where + (cells.get("task_ids") or ""), cells=cells, task_ids=[], raw=values)
    problems = []

    def bad(key, message):
        problems.append(Rejection(where + cells.get(key, "?"), _show(values.get(key)), message, r))

    def vocab(key, vocabulary, lang_labels):
        value = values.get(key)
        if parse.is_blank(value):
            return None
        code = vocabulary.match(value)
        if code is None:
            bad(key, msg(f"“{_show(value)}”不在下拉列表中；请选：{lang_labels}",
                         f"'{_show(value)}' is not in the list; use one of: {lang_labels}"))
        return code

    def date_cell(key):
        if parse.is_blank(values.get(key)):
            return None
        d = parse.parse_datetime(values[key], "ymd", date1904)
        if d.value is None:
            bad(key, d.problem or msg("不是日期", "not a date"))
            return None
        return d.value.date()

    r.done_on = date_cell("done_on")
    r.channel = vocab("channel", CHANNELS, "、".join(CHANNELS.labels("zh")) + " / " + ", ".join(CHANNELS.labels("en")))
    r.outcome = vocab("outcome", OUTCOMES, "、".join(OUTCOMES.labels("zh")) + " / " + ", ".join(OUTCOMES.labels("en")))
    r.satisfaction = vocab("satisfaction", SATISFACTION,
                           "、".join(SATISFACTION.labels("zh")) + " / " + ", ".join(SATISFACTION.labels("en")))
    r.issue_category = vocab("issue_category", ISSUE_CATEGORIES,
                             "、".join(ISSUE_CATEGORIES.labels("zh")) + " / " + ", ".join(ISSUE_CATEGORIES.labels("en")))
    if not parse.is_blank(values.get("score")):
        score, problem = parse.parse_number(values["score"])
        if problem or score is None or score != int(score) or not 0 <= score <= 5:
            bad("score", msg("评分应为 0 到 5 的整数", "the score is a whole number from 0 to 5"))
        else:
            r.score = int(score)
    if not parse.is_blank(values.get("resolved")):
        resolved, problem = parse.parse_bool(values["resolved"])
        if problem:
            bad("resolved", msg("请填 是 或 否", "use 是 or 否 (yes or no)"))
        r.resolved = resolved
    r.issue = parse.parse_text(values.get("issue"))[0]
    r.notes = parse.parse_text(values.get("notes"))[0]
    r.next_date = date_cell("next_date")
    if r.done_on is None and not any(p.where.endswith(cells.get("done_on", "?")) for p in problems):
        bad("done_on", msg("完成日期为空；请填写（YYYY-MM-DD），或整行留空",
                           "the date done is empty; fill it in (YYYY-MM-DD) or leave the whole row blank"))
    if r.outcome is None and parse.is_blank(values.get("outcome")):
        bad("outcome", msg("结果为空：请填 已联系 / 未接通 / 拒绝 / 号码错误",
                           "the outcome is empty: 已联系 / 未接通 / 拒绝 / 号码错误 "
                           "(reached / no answer / refused / wrong number)"))
    if r.outcome and r.outcome not in REACHED_OUTCOMES:
        if r.satisfaction:
            bad("satisfaction", msg("没有联系上客户，却填了满意度",
                                    "satisfaction is given for a call that did not reach the customer"))
        if r.score is not None:
            bad("score", msg("没有联系上客户，却填了评分", "a score is given for a call that did not reach the customer"))
    return r, problems


def _show(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---- planning the append ----------------------------------------------------------------

def visit_log_target(archive: Archive, config: Config) -> tuple[Path, SheetSource | None]:
    """Where visit rows go: the archive's own visit sheet in an .xlsx/.xlsm, else a separate
    log workbook (followup.toml `visit_log`, or '<archive>-回访记录.xlsx' beside it)."""
    separate = config.log_path(archive.paths)
    own = archive.source("visits")
    if not config.visit_log and own and own.file.suffix.lower() in (".xlsx", ".xlsm") \
            and own.file.resolve() != separate.resolve():
        return own.file, own
    src = next((s for s in archive.sources if s.role == "visits" and s.file.resolve() == separate.resolve()), None)
    return separate, src


def known_tasks(schedule) -> dict[str, Task]:
    return {t.task_id: t for t in (*schedule.tasks, *schedule.left_out, *schedule.closed)}


def plan_record(archive: Archive, config: Config, results: list[ResultRow], tasks: dict[str, Task],
                today: dt.date, lang: str | None = None, rejected: list[Rejection] | None = None,
                blank: int = 0) -> RecordPlan:
    """Validate rows against the tasks and the log; build the rows to append."""
    rejected = list(rejected or [])
    target, src = visit_log_target(archive, config)
    existing = _existing_visits(archive)
    accepted: list[ResultRow] = []
    duplicates: list[ResultRow] = []
    for r in results:
        problems = []
        for tid in r.task_ids:
            if tid not in tasks:
                problems.append(msg(f"任务编号“{tid}”不存在：不是这份档案在回访表当天的任务",
                                    f"unknown task id '{tid}': not a task of this archive on the sheet's day"))
        if r.done_on and r.done_on > today:
            problems.append(msg(f"完成日期 {r.done_on} 在未来", f"the date done {r.done_on} is in the future"))
        if r.task_ids and not problems:
            task = tasks[r.task_ids[0]]
            if r.customer_id and str(r.customer_id) != str(task.customer.id):
                problems.append(msg(f"客户“{r.customer_id}”与任务 {task.task_id} 的客户（{task.customer.id}）不符",
                                    f"customer '{r.customer_id}' does not match task {task.task_id} "
                                    f"(customer {task.customer.id})"))
            r.customer_id = task.customer.id
            r.kind = r.kind or task.kind
            r.staff = r.staff or task.staff
        if problems:
            for p in problems:
                rejected.append(Rejection(r.where, " ".join(r.task_ids), p, r))
            continue
        key = (tuple(sorted(r.task_ids)) or (r.customer_id, r.kind, id(r)), r.done_on, r.outcome)
        already_closed = r.outcome != "no_answer" and any(t in existing.closed_ids for t in r.task_ids)
        if key in existing or already_closed:
            duplicates.append(r)
            continue
        existing.add(key)
        accepted.append(r)
    headers, create = _log_headers(src, lang or archive.lang)
    sheet_lang = src.lang if src else (lang or archive.lang)
    columns = src.columns if src else {f: i for i, f in enumerate(STANDARD_VISIT_FIELDS)}
    next_id = id_counter((v.visit_id for v in archive.visits), "V", 5)
    ids = [next_id() for _ in accepted]
    rows = [visit_row(r, columns, len(headers), sheet_lang, vid) for r, vid in zip(accepted, ids)]
    unstored = _unstored_fields(accepted, columns, sheet_lang)
    issues = plan_issues(archive, target, src, accepted, ids)
    return RecordPlan(target, src.sheet if src else VISIT_LOG_SHEET[sheet_lang], src.header_row if src else 1,
                      headers, rows, accepted, rejected, duplicates, blank, create, sheet_lang, unstored, issues)


_RESULT_FIELDS = {"channel": "channel", "staff": "staff", "satisfaction": "satisfaction", "score": "score",
                  "issue_category": "issue_category", "issue": "issue", "resolved": "resolved", "notes": "notes",
                  "next_date": "next_action"}


def _unstored_fields(results: list[ResultRow], columns: dict[str, int], lang: str) -> list[str]:
    """Headers (in the log's language) of filled values the visit log has no column for."""
    from followup_cli.archive.schema import field_by_name

    missing = []
    for attr, fname in _RESULT_FIELDS.items():
        if fname in columns:
            continue
        if attr == "notes" and "task_id" not in columns:
            continue  # the notes column is then needed for the task ids: reported below anyway
        if any(getattr(r, attr) not in (None, "") for r in results):
            f = field_by_name("visits", fname)
            missing.append(f.zh if lang == "zh" else f.en)
    return missing


class _Existing(set):
    closed_ids: set


def _existing_visits(archive: Archive) -> _Existing:
    seen = _Existing()
    seen.closed_ids = set()
    for v in archive.visits:
        ids = visit_task_ids(v)
        if not ids:
            continue
        d = v.date.date() if isinstance(v.date, dt.datetime) else v.date
        outcome = visit_outcome(v.outcome)
        seen.add((tuple(sorted(ids)), d, outcome))
        if outcome != "no_answer":
            seen.closed_ids.update(ids)
    return seen


def _log_headers(src: SheetSource | None, lang: str) -> tuple[list[str], bool]:
    if src:
        return list(src.headers), False
    from followup_cli.archive.schema import field_by_name

    return [(field_by_name("visits", f).zh if lang == "zh" else field_by_name("visits", f).en)
            for f in STANDARD_VISIT_FIELDS], True


def visit_row(r: ResultRow, columns: dict[str, int], width: int, lang: str, visit_id: str | None) -> list:
    """One visit as a row of the log: values placed by the log's own columns and language."""
    values = {
        "visit_id": visit_id,
        "customer_id": r.customer_id,
        "date": r.done_on,
        "kind": KINDS.label(r.kind, lang) if r.kind else None,
        "channel": CHANNELS.label(r.channel, lang) if r.channel else None,
        "staff": r.staff,
        "outcome": OUTCOMES.label(r.outcome, lang) if r.outcome else None,
        "satisfaction": SATISFACTION.label(r.satisfaction, lang) if r.satisfaction else None,
        "score": r.score,
        "issue_category": ISSUE_CATEGORIES.label(r.issue_category, lang) if r.issue_category else None,
        "issue": r.issue,
        "resolved": (("是" if r.resolved else "否") if lang == "zh" else ("yes" if r.resolved else "no"))
        if r.resolved is not None else None,
        "resolved_on": r.done_on if r.resolved else None,
        "notes": r.notes,
        "next_action": r.next_date.isoformat() if r.next_date else None,
        "task_id": " ".join(r.task_ids) or None,
    }
    if "task_id" not in columns and r.task_ids:
        values["notes"] = ((r.notes + " ") if r.notes else "") + "[" + " ".join(r.task_ids) + "]"
    return row_in_sheet_order(values, columns, width)


def apply_record(plan: RecordPlan, command: str, force: bool = False):
    """Append the visit rows, open the issue entries and close the resolved issues: one write,
    all or nothing (creating the separate log workbook first when needed)."""
    from followup_cli.writeback.transaction import Append, Update, apply_changes

    if not plan.rows:
        return None
    if plan.create_log:
        if plan.target.exists():
            raise UnreadableFile(plan.target, f"exists but has no visit sheet '{plan.sheet}'",
                                 "name its visit sheet 回访记录 / Visits, or set visit_log in followup.toml")
        create_log_workbook(plan.target, plan.sheet, plan.headers,
                            {i for i, f in enumerate(STANDARD_VISIT_FIELDS) if f in ("date", "resolved_on")})
    changes = [Append(plan.sheet, plan.rows, plan.header_row)]
    if plan.issues.rows:
        changes.append(Append(plan.issues.sheet, plan.issues.rows, plan.issues.header_row))
    for sheet, cells in plan.issues.updates.items():
        changes.append(Update(sheet, cells))
    return apply_changes(plan.target, changes, command=command, force=force)


def create_log_workbook(path: Path, sheet: str, headers: list[str], date_columns: set[int] = frozenset()) -> None:
    """A new, tool-owned visit log workbook (openpyxl is right for files we create)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for j, h in enumerate(headers):
        dim = ws.column_dimensions[ws.cell(row=1, column=j + 1).column_letter]
        dim.width = max(10, len(h) * 2)
        if j in date_columns:
            dim.number_format = "yyyy-mm-dd"  # appended dates then show as dates in Excel
    ws.freeze_panes = "A2"
    tmp = path.with_name(f".{path.name}.new")
    wb.save(tmp)
    tmp.replace(path)


def write_rejects(path: Path, rejected: list[Rejection], lang: str) -> Path:
    from followup_cli.outputs.rows import emit_rows

    zh = lang == "zh"
    rows = [{"where": r.where, "value": r.value, "message": text(r.message, lang)} for r in rejected]
    emit_rows(rows, "xlsx", [("where", "位置" if zh else "Where"), ("value", "值" if zh else "Value"),
                             ("message", "原因" if zh else "Reason")], path=path, sheet_title="rejects")
    return path


def require_clean(plan: RecordPlan) -> None:
    if plan.rejected:
        raise DataProblems(msg(f"{len(plan.rejected)} 行被拒绝；没有写入任何内容",
                               f"{len(plan.rejected)} row(s) rejected; nothing was written"),
                           msg("请改正后再记录，或加 --skip-invalid 只写入有效的行",
                               "fix them and record again, or pass --skip-invalid to write the valid rows"))


# ---- spot-check verdicts (followup audit → filled → record) ------------------------------

AUDIT_FIELDS = ["visit_id", "visit_row", "customer_id", "checked_on", "checker", "verdict", "notes"]


@dataclass
class AuditPlan:
    target: Path
    sheet: str
    header_row: int
    headers: list[str]
    rows: list[list]
    rejected: list[Rejection]
    duplicates: int
    create: bool = False


def plan_audit_record(archive: Archive, config: Config, filled: Path, today: dt.date,
                      lang: str | None = None) -> AuditPlan:
    """Verdicts of a filled audit sheet → rows for the archive's 抽查记录 sheet (or a separate
    '<archive>-抽查记录.xlsx'), checked against the visit log, never stored twice."""
    from followup_cli.outputs.audit_sheet import read_audit_verdicts
    from followup_cli.policy.vocabulary import VERDICTS
    from followup_cli.archive.schema import field_by_name

    lang = lang or archive.lang
    verdicts = read_audit_verdicts(filled)
    by_id = {str(v.visit_id): v for v in archive.visits if v.visit_id}
    by_row = {v.row: v for v in archive.visits}
    src = archive.source("audits")
    if src is not None and src.file.suffix.lower() not in (".xlsx", ".xlsm"):
        src = None
    separate = config.audit_log_path(archive.paths)
    if src is None:
        src = next((s for s in archive.sources if s.role == "audits" and s.file.resolve() == separate.resolve()), None)
    seen = {(str(a.visit_id or a.visit_row), a.checked_on, str(a.verdict)) for a in archive.audits}
    sheet_lang = src.lang if src else lang
    if src:
        columns, headers = src.columns, list(src.headers)
    else:
        columns = {f: i for i, f in enumerate(AUDIT_FIELDS)}
        headers = [field_by_name("audits", f).zh if sheet_lang == "zh" else field_by_name("audits", f).en
                   for f in AUDIT_FIELDS]
    rows, rejected, duplicates = [], [], 0
    for v in verdicts:
        where = f"{filled.name} {v['sheet']}!{v['cell']}"
        if v["problem"]:
            rejected.append(Rejection(f"{filled.name} {v['problem'].split(':')[0]}", v["verdict_text"],
                                      v["problem"].split(": ", 1)[-1]))
            continue
        visit = by_id.get(str(v["visit_id"])) if v["visit_id"] else by_row.get(v["visit_row"])
        if visit is None:
            rejected.append(Rejection(where, v["visit_id"] or str(v["visit_row"]),
                                      msg("回访记录中没有这条记录；这份抽查表是从这份档案生成的吗？",
                                          "no such visit in the visit log; was the audit made from this archive?")))
            continue
        checked_on = v["checked_on"] or today
        if checked_on > today:
            rejected.append(Rejection(where, str(checked_on), msg(f"核查日期 {checked_on} 在未来",
                                                                   f"the check date {checked_on} is in the future")))
            continue
        label = VERDICTS.label(v["verdict"], sheet_lang)
        key = (str(visit.visit_id or visit.row), checked_on, label)
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        values = {"visit_id": visit.visit_id, "visit_row": visit.row, "customer_id": visit.customer_id,
                  "checked_on": checked_on, "checker": v["checker"], "verdict": label, "notes": v["notes"]}
        rows.append(row_in_sheet_order(values, columns, len(headers)))
    target = src.file if src else separate
    return AuditPlan(target, src.sheet if src else ("抽查记录" if sheet_lang == "zh" else "Audits"),
                     src.header_row if src else 1, headers, rows, rejected, duplicates, src is None)


def apply_audit_record(plan: AuditPlan, command: str, force: bool = False):
    from followup_cli.writeback.transaction import append_rows

    if not plan.rows:
        return None
    if plan.create:
        if plan.target.exists():
            raise UnreadableFile(plan.target, f"exists but has no sheet '{plan.sheet}'",
                                 "name its sheet 抽查记录 / Audits")
        create_log_workbook(plan.target, plan.sheet, plan.headers, {AUDIT_FIELDS.index("checked_on")})
    return append_rows(plan.target, plan.sheet, plan.rows, command=command, force=force, header_row=plan.header_row)
