"""A filled call sheet, read: one ResultRow per filled row, every problem named by its cell.

Rows made by `followup sheet` carry their task ids. A row the clerk added by hand (a
customer who called in) has no task id: it is read the same way when it names the
customer, the kind (回访类型), the date done and the outcome, and becomes a visit of its
own; what it lacks is reported with its row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from followup_cli.archive import cells as parse
from followup_cli.archive import unread_cells
from followup_cli.archive.files import open_book
from followup_cli.archive.schema import norm_header
from followup_cli.errors import UsageProblem
from followup_cli.outputs.call_sheet import META_SHEET, SHEET_KIND, header_index
from followup_cli.outputs.due_list import WECHAT
from followup_cli.policy.vocabulary import (
    CHANNELS,
    ISSUE_CATEGORIES,
    KINDS,
    OUTCOMES,
    REACHED_OUTCOMES,
    SATISFACTION,
)
from followup_cli.text.messages import msg
from followup_cli.xlsx.refs import cell_ref

# What a call found: fields a filled call-sheet row and a visit row both have, by the same name
# (visit_rows.visit_values writes each into the visit's field of that name).
FINDINGS = ("outcome", "satisfaction", "score", "recommend", "issue_category", "issue", "resolved")
RESULT_KEYS = ("done_on", "channel", *FINDINGS, "notes", "next_date")


@dataclass
class ResultRow:
    where: str  # 'calls.xlsx 回访清单!A5': the row, for messages
    cells: dict[str, str]  # field → cell ref, for messages
    task_ids: list[str]
    customer_id: str | None = None
    kind: str | None = None
    kinds: list[str] = field(default_factory=list)  # a hand-added row may name several kinds
    done_on: dt.date | None = None
    done_at: dt.datetime | None = None  # the time too, when the clerk gave one (2026-11-23 15:30)
    channel: str | None = None
    outcome: str | None = None
    satisfaction: str | None = None
    score: float | None = None
    recommend: bool | None = None
    issue_category: str | None = None
    issue: str | None = None
    resolved: bool | None = None
    notes: str | None = None
    next_date: dt.date | None = None
    staff: str | None = None
    staff_given: bool = False  # the 回访人 cell (or --staff) named someone
    hand_added: bool = False
    customer_name: str | None = None  # a hand-added row without an id: linked by phone, then name
    phone: str | None = None
    linked_by: str = ""  # "phone" or "name" when the customer was found that way
    raw: dict = field(default_factory=dict)
    read_as: list = field(default_factory=list)  # (cell, as typed, (zh, en) word): a synonym read as the list's word


@dataclass
class Rejection:
    where: str  # the cell (or option) at fault
    value: str | None
    message: str
    row: ResultRow | None = None

    @property
    def row_where(self) -> str:
        """The row this problem belongs to: rejections are counted and listed by row."""
        return self.row.where if self.row is not None else self.where


def rejected_rows(rejected: list[Rejection]) -> list[tuple[str, list[Rejection]]]:
    """[(row, its problems)], in the order the rows were first rejected."""
    rows: dict[str, list[Rejection]] = {}
    for r in rejected:
        rows.setdefault(r.row_where, []).append(r)
    return list(rows.items())


def read_call_sheet(path: Path) -> tuple[dict, list[ResultRow], list[Rejection], int]:
    """(meta, filled rows, rows rejected while parsing, number of blank result rows)."""
    book = open_book(path)
    meta = {}
    if META_SHEET in book.sheet_names:
        for row in book.sheet(META_SHEET).rows():
            if len(row) >= 2 and row[0]:
                meta[str(row[0])] = row[1]
    if meta.get("kind") not in (SHEET_KIND, None):
        raise UsageProblem(
            msg(
                f"{path}：这是“{meta.get('kind')}”表，不是回访表",
                f"{path}: is a '{meta.get('kind')}' sheet, not a call sheet",
            ),
            msg(
                "请把 `followup sheet` 生成的回访表交给 `followup record`",
                "give `followup record` the call sheet made by `followup sheet`",
            ),
        )
    if not meta:
        raise UsageProblem(
            msg(
                f"{path}：不是 `followup sheet` 生成的回访表（没有 {META_SHEET} 工作表）",
                f"{path}: not a call sheet made by `followup sheet` (no {META_SHEET} sheet)",
            ),
            msg(
                "先用 `followup sheet 档案 -o calls.xlsx` 生成，填好后再记录",
                "make one with `followup sheet ARCHIVE -o calls.xlsx`, fill it in, then record it",
            ),
        )
    index = header_index()
    results, rejected, blank = [], [], 0
    for raw in book.sheets:
        if raw.name == META_SHEET:
            continue
        rows = raw.rows()
        if not rows:
            continue
        cols, unread = {}, []
        where = f"{path.name} {raw.name}!"
        for j, value in enumerate(rows[0]):
            key = index.get(norm_header(value)) if isinstance(value, str) else None
            if key and key not in cols:
                cols[key] = j
            elif not parse.is_blank(value):
                unread.append((where + cell_ref(0, j), str(value).strip()))
        _required_columns(cols, unread, path, raw.name)
        meta.setdefault(UNREAD_COLUMNS, []).extend(unread)
        hidden = raw.unread()  # cells read as empty that hold an error value or a formula without one
        for i in range(1, len(rows)):
            row = rows[i]
            values = {k: (row[j] if j < len(row) else "") for k, j in cols.items()}
            held = {k: hidden[i, j] for k, j in cols.items() if (i, j) in hidden} if hidden else {}
            filled = [k for k in RESULT_KEYS if not parse.is_blank(values.get(k))]
            hand = parse.is_blank(values.get("task_ids"))
            if hand and not filled and not held and parse.is_blank(values.get("customer_id")):
                continue  # an empty row
            if not filled and not held:
                blank += 1
                meta.setdefault(BLANK_ROWS, []).append(f"{where}A{i + 1}")
                continue
            cells = {k: cell_ref(i, j) for k, j in cols.items()}
            r, problems = parse_result(values, where, cells, book.date1904)
            if held:
                problems = _unread_cells(r, held, where, cells) + [
                    p for p in problems if p.where not in {where + cells[k] for k in held}
                ]
            r.where = f"{where}A{i + 1}"
            r.customer_id = parse.parse_id(values.get("customer_id"))[0]
            staff = parse.parse_text(values.get("staff"))[0]
            r.staff, r.staff_given = staff, bool(staff)
            if hand:
                r.hand_added = True
                problems += _hand_added(r, values, where, cells)
            else:
                r.task_ids = str(values["task_ids"]).split()
            rejected.extend(problems)
            if not problems:
                results.append(r)
    return meta, results, rejected, blank


def _unread_cells(r: ResultRow, held: dict, where: str, cells: dict) -> list[Rejection]:
    """A rejection for each cell of the row that reads as empty though something is written in it:
    never recorded without what the clerk wrote, never taken for a row left blank."""
    return [
        Rejection(where + cells[key], shown, unread_cells.typed_over(kind, shown), r)
        for key, (kind, shown) in held.items()
    ]


UNREAD_COLUMNS = "unread columns"  # meta key: (cell, header) of call-sheet columns record does not know
BLANK_ROWS = "blank rows"  # meta key: the rows left without a result, named when said


# The columns without which a filled row cannot be read: refused whole rather than every row
# rejected for an "empty" result that sits in a renamed column.
_REQUIRED = (
    ("task_ids", "任务编号", "task id", "Task IDs"),
    ("outcome", "结果", "outcome", "Outcome"),
    ("done_on", "完成日期", "date done", "Date done"),
)


def _required_columns(cols: dict, unread: list, path: Path, sheet: str) -> None:
    for key, zh, en, header_en in _REQUIRED:
        if key in cols:
            continue
        others = "、".join(f"{cell.rsplit('!', 1)[-1]}“{h}”" for cell, h in unread[:6])
        others_en = ", ".join(f"{cell.rsplit('!', 1)[-1]} '{h}'" for cell, h in unread[:6])
        raise UsageProblem(
            msg(
                f"{path} {sheet}!A1：没有{zh}列" + (f"（不认识的表头：{others}）" if others else ""),
                f"{path} {sheet}!A1: no {en} column ({zh})" + (f" (headers not known: {others_en})" if others else ""),
            ),
            msg(
                f"请不要删除或改名回访表的列：把表头改回“{zh}”",
                f"do not delete or rename the call sheet's columns: name it '{zh}' or '{header_en}' again",
            ),
        )


def _hand_added(r: ResultRow, values: dict, where: str, cells: dict) -> list[Rejection]:
    """A row without a task id: it needs the customer and the kind to be a visit."""
    problems = []
    r.customer_name = parse.parse_text(values.get("customer_name"))[0]
    r.phone = parse.parse_text(values.get("phone"))[0]
    if r.phone and r.phone.split(" ", 1)[0] in WECHAT:
        r.phone = None  # 微信 wxid_abc123: the call sheet's stand-in for a customer with no phone
    if not (r.customer_id or r.customer_name or r.phone):
        problems.append(
            Rejection(
                where + cells.get("customer_id", "B?"),
                None,
                msg(
                    "手工添加的行没有客户编号、姓名或电话：请填写客户编号（或姓名、电话）",
                    "a row added by hand names no customer: fill in 客户编号 (or 姓名, 电话)",
                ),
                r,
            )
        )
    text = parse.parse_text(values.get("kinds"))[0]
    if not text:
        problems.append(
            Rejection(
                where + cells.get("kinds", "?"),
                None,
                msg(
                    "手工添加的行没有回访类型：请填写（如 生日回访）",
                    "a row added by hand has no kind: fill in 回访类型 (e.g. 生日回访)",
                ),
                r,
            )
        )
        return problems
    for part in str(text).replace("＋", "+").split("+"):
        code = KINDS.match(part.strip())
        if code is None:
            problems.append(
                Rejection(
                    where + cells.get("kinds", "?"),
                    part.strip(),
                    msg(
                        f"“{part.strip()}”不是回访类型；可用：{'、'.join(KINDS.labels('zh'))}",
                        f"'{part.strip()}' is not a follow-up kind; kinds are: {', '.join(KINDS.labels('en'))}",
                    ),
                    r,
                )
            )
        elif code not in r.kinds:
            r.kinds.append(code)
    r.kind = r.kinds[0] if r.kinds else None
    return problems


def _labels(vocab) -> str:
    return "、".join(vocab.labels("zh")) + " / " + ", ".join(vocab.labels("en"))


def _typed(value) -> str:
    return str(value).strip().casefold()


def parse_result(values: dict, where: str, cells: dict, date1904: bool = False) -> tuple[ResultRow, list[Rejection]]:
    """Check one row of results; every problem names its cell."""
    r = ResultRow(where=where + (cells.get("task_ids") or ""), cells=cells, task_ids=[], raw=values)
    problems = []

    def bad(key, message):
        problems.append(Rejection(where + cells.get(key, "?"), _show(values.get(key)), message, r))

    def vocab(key, vocabulary):
        value = values.get(key)
        if parse.is_blank(value):
            return None
        code = vocabulary.match(value)
        if code is not None and _typed(value) not in {_typed(vocabulary.label(code, lg)) for lg in ("zh", "en")} | {
            code
        }:
            stored = (vocabulary.label(code, "zh"), vocabulary.label(code, "en"))  # said in the run's language
            r.read_as.append((where + cells.get(key, "?"), _show(value), stored))
        if code is None:
            labels = _labels(vocabulary)
            bad(
                key,
                msg(
                    f"“{_show(value)}”不在下拉列表中；请选：{labels}",
                    f"'{_show(value)}' is not in the list; use one of: {labels}",
                ),
            )
        return code

    def date_cell(key):
        if parse.is_blank(values.get(key)):
            return None
        d = parse.parse_datetime(values[key], "ymd", date1904)
        if d.value is None:
            bad(key, d.problem or msg("不是日期", "not a date"))
            return None
        return d.value.date()

    def yes_no(key):
        if parse.is_blank(values.get(key)):
            return None
        value, problem = parse.parse_bool(values[key])
        if problem:
            bad(key, msg("请填 是 或 否", "use 是 or 否 (yes or no)"))
        return value

    r.done_on = date_cell("done_on")
    if r.done_on is not None:
        when = parse.parse_datetime(values["done_on"], "ymd", date1904).value
        r.done_at = when if when is not None and when.time() != dt.time() else None
    r.channel = vocab("channel", CHANNELS)
    r.outcome = vocab("outcome", OUTCOMES)
    r.satisfaction = vocab("satisfaction", SATISFACTION)
    r.issue_category = vocab("issue_category", ISSUE_CATEGORIES)
    if not parse.is_blank(values.get("score")):
        score, problem = parse.parse_number(values["score"])
        if problem or score is None or score != int(score) or not 0 <= score <= 5:
            bad("score", msg("评分应为 0 到 5 的整数", "the score is a whole number from 0 to 5"))
        else:
            r.score = int(score)
    r.resolved = yes_no("resolved")
    r.recommend = yes_no("recommend")
    r.issue = parse.parse_text(values.get("issue"))[0]
    r.notes = parse.parse_text(values.get("notes"))[0]
    r.next_date = date_cell("next_date")
    if r.done_on is None and not any(p.where.endswith(cells.get("done_on", "?")) for p in problems):
        bad(
            "done_on",
            msg(
                "完成日期为空；请填写（YYYY-MM-DD），或整行留空",
                "the date done is empty; fill it in (YYYY-MM-DD) or leave the whole row blank",
            ),
        )
    if r.outcome is None and parse.is_blank(values.get("outcome")):
        bad(
            "outcome",
            msg(
                "结果为空：请填 已联系 / 未接通 / 拒绝 / 号码错误",
                "the outcome is empty: 已联系 / 未接通 / 拒绝 / 号码错误 "
                "(reached / no answer / refused / wrong number)",
            ),
        )
    if r.outcome and r.outcome not in REACHED_OUTCOMES:
        if r.satisfaction:
            bad(
                "satisfaction",
                msg("没有联系上客户，却填了满意度", "satisfaction is given for a call that did not reach the customer"),
            )
        if r.score is not None:
            bad(
                "score",
                msg("没有联系上客户，却填了评分", "a score is given for a call that did not reach the customer"),
            )
    if r.next_date and r.done_on and r.next_date <= r.done_on:
        bad(
            "next_date",
            msg(
                f"下次跟进日期 {r.next_date} 不在完成日期 {r.done_on} 之后",
                f"the next follow-up date {r.next_date} is not after the date done {r.done_on}",
            ),
        )
    return r, problems


def _show(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
