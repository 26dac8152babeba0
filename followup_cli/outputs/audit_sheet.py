"""The supervisor's spot check (抽查): a reproducible random sample of a period's visit records
to verify, the workbook it is checked in, and reading the verdicts back.

The sample: every visit dated in the period (up to the as-of day) is a candidate; within each
staff member's visits the `rate` share (rounded up, so everyone with visits is checked at
least once) is drawn. The draw ranks visits by a hash of the seed and the visit's identity
(its visit id, else customer, date and sheet row), so the same archive, period and seed give
the same sample on any machine and any Python, and adding visits to other periods changes
nothing. The default seed comes from the period's label.

The workbook (made by the tool's one builder, xlsx/builder.py) has one sheet, 抽查 / Audit: the visit
as recorded (the phone is there: checking a record means calling the customer back; this
sheet stays in the shop), then the columns the supervisor fills in: 核查结果 (准确/不准确,
a dropdown), 核查人, 核查日期, 核查说明. A hidden `_followup` sheet says it is an audit sheet
(kind = audit-sheet) with the period, seed and rate.

Verdicts are stored in the archive's 抽查记录 sheet (role `audits`: 回访编号 visit id,
原表行号 visit row, 客户编号, 核查日期 checked on, 核查人 checker, 核查结果 verdict, 核查说明
notes); `followup record audit.xlsx` imports them with `read_audit_verdicts`, and
`followup kpi` reads them for record accuracy. The headers of the audit sheet are the
`audits` role's own aliases, so its rows map onto that sheet one to one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from followup_cli.archive import cells as parse
from followup_cli.archive import unread_cells
from followup_cli.archive.files import open_book
from followup_cli.archive.records import Archive
from followup_cli.archive.schema import alias_index, norm_header
from followup_cli.archive.staff import staff_directory
from followup_cli.errors import UnreadableFile, UsageProblem
from followup_cli.kpi import Period
from followup_cli.policy.vocabulary import CHANNELS, KINDS, OUTCOMES, SATISFACTION, VERDICTS
from followup_cli.text import audit as words
from followup_cli.text.kpi import period_after_as_of
from followup_cli.text.messages import at, msg, pick
from followup_cli.xlsx.builder import META_SHEET  # the same hidden sheet the call sheet carries
from followup_cli.xlsx.refs import cell_ref

if TYPE_CHECKING:
    from collections.abc import Sequence

SHEET_KIND = "audit-sheet"
# (key, width); the headers are in text/audit.py. The first block is the record as found;
# the second is filled in by the checker.
GIVEN_COLUMNS = [
    ("visit_id", 12),
    ("visit_row", 9),
    ("source", 22),
    ("customer_id", 11),
    ("customer_name", 10),
    ("phone", 14),
    ("date", 11),
    ("kind", 14),
    ("channel", 9),
    ("staff", 10),
    ("outcome", 10),
    ("satisfaction", 11),
    ("score", 7),
    ("issue", 24),
    ("visit_notes", 24),
]
FILL_COLUMNS = [
    ("verdict", 11),
    ("checker", 10),
    ("checked_on", 12),
    ("notes", 28),
]
ALL_COLUMNS = GIVEN_COLUMNS + FILL_COLUMNS


def parse_rate(text: object) -> float:
    """'5%', '5' (per cent) or '0.05' → 0.05."""
    s = str(text).strip().replace("％", "%")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(%?)", s)
    if not m:
        raise UsageProblem(
            msg(f"--rate“{text}”不是一个比例", f"--rate '{text}' is not a share"),
            msg("请写百分数，例如 5%（或 0.05）", "write a per cent such as 5% (or 0.05)"),
        )
    value = float(m.group(1))
    fraction = value / 100 if m.group(2) or value >= 1 else value
    if not 0 < fraction <= 1:
        raise UsageProblem(
            msg(f"--rate“{text}”必须大于 0%，且不超过 100%", f"--rate '{text}' must be more than 0% and at most 100%")
        )
    return fraction


def default_seed(period: Period) -> int:
    return int(hashlib.sha1(period.label.encode()).hexdigest()[:8], 16)


@dataclass
class AuditSample:
    period: Period
    cutoff: dt.date
    rate: float
    seed: int
    population: int  # visits in the period
    by_staff: dict[str, tuple[int, int]]  # staff → (visits, drawn)
    rows: list[dict]  # the drawn visits, in date order


def _text(v) -> str:
    return "" if v is None else str(v).strip()


def _visit_key(v) -> str:
    if _text(v.visit_id):
        return "id:" + _text(v.visit_id)
    d = v.date.isoformat() if v.date is not None else ""
    return f"row:{_text(v.customer_id)}|{d}|{v.src.sheet if v.src else ''}|{v.row}"


def draw_sample(archive: Archive, period: Period, as_of: dt.date, rate: float, seed: int | None = None) -> AuditSample:
    """The visits to spot-check: `rate` of each staff member's visits in the period."""
    if as_of < period.start:
        raise UsageProblem(*period_after_as_of(period.label, as_of))
    seed = default_seed(period) if seed is None else seed
    cutoff = min(period.end, as_of)
    customers = {c.id: c for c in archive.customers if c.id}
    directory = staff_directory(archive, as_of)
    groups: dict[str, list] = defaultdict(list)
    population = 0
    for v in archive.visits:
        d = v.date.date() if isinstance(v.date, dt.datetime) else v.date
        if not isinstance(d, dt.date) or not period.start <= d <= cutoff:
            continue
        population += 1
        staff = directory.display(v.staff) or ""
        groups[staff].append((d, v))
    drawn, by_staff = [], {}
    for staff in sorted(groups):
        items = groups[staff]
        k = min(len(items), math.ceil(len(items) * rate - 1e-9))
        ranked = sorted(items, key=lambda item: hashlib.sha1(f"{seed}\x1f{_visit_key(item[1])}".encode()).digest())
        drawn.extend(ranked[:k])
        by_staff[staff] = (len(items), k)
    drawn.sort(key=lambda item: (item[0], _text(item[1].customer_id), item[1].row))
    rows = [_sample_row(d, v, customers.get(v.customer_id), directory) for d, v in drawn]
    return AuditSample(period, cutoff, rate, seed, population, by_staff, rows)


def _sample_row(d, v, customer, directory) -> dict:
    src = v.src
    return {
        "visit_id": _text(v.visit_id) or None,
        "visit_row": v.row,
        "source": f"{src.file.name} {src.sheet}!{v.row}" if src else "",
        "customer_id": v.customer_id,
        "customer_name": customer.name if customer is not None else None,
        "phone": customer.phone if customer is not None else None,
        "date": v.date,
        "kind": KINDS.match(v.kind) or _text(v.kind) or None,
        "channel": CHANNELS.match(v.channel) or _text(v.channel) or None,
        "staff": directory.display(v.staff),
        "outcome": OUTCOMES.match(v.outcome) or _text(v.outcome) or None,
        "satisfaction": SATISFACTION.match(v.satisfaction) or _text(v.satisfaction) or None,
        "score": v.score,
        "issue": _text(v.issue) or None,
        "visit_notes": _text(v.notes) or None,
    }


def _label(key: str, value, lang: str):
    vocab = {"kind": KINDS, "channel": CHANNELS, "outcome": OUTCOMES, "satisfaction": SATISFACTION}.get(key)
    if vocab is not None and value in vocab.by_id:
        return vocab.label(value, lang)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def write_audit_workbook(
    sample: AuditSample, path: str | Path, lang: str, archives: Sequence[str | Path] = (), mask_phone: bool = False
) -> Path:
    """The audit sheet to fill in; returns its path. `mask_phone`: 138****0001 instead of the number."""
    from followup_cli.xlsx.builder import Book, Column, PrintSetup

    rows = []
    for r in sample.rows:
        row = {key: _label(key, r.get(key), lang) for key, _ in ALL_COLUMNS}
        if isinstance(row["date"], dt.datetime) and row["date"].time() == dt.time(0):
            row["date"] = row["date"].date()
        if mask_phone and row.get("phone"):
            from followup_cli.outputs.privacy import mask_phone as mask

            row["phone"] = mask(row["phone"])
        rows.append(row)
    head = {"text_wrap": True, "valign": "vcenter"}
    verdict = {
        "choices": [VERDICTS.label(v, lang) for v in VERDICTS.ids()],
        "error_title": pick(words.NOT_IN_LIST, lang),
        "error_message": pick(words.PICK_VERDICT, lang),
    }
    checked_on = {
        "kind": "date",
        "rule": {
            "validate": "date",
            "criteria": ">",
            "value": dt.date(2000, 1, 1),
            "error_message": pick(words.ENTER_DATE, lang),
        },
    }
    columns = [
        Column(
            key,
            pick(words.HEADERS[key], lang),
            width,
            kind="date" if key == "date" else "text",
            head={**head, "bg_color": "#F2F2F2"},
        )
        for key, width in GIVEN_COLUMNS
    ]
    columns += [
        Column(
            key,
            pick(words.HEADERS[key], lang),
            width,
            head={**head, "bg_color": "#FFF2CC"},
            **(verdict if key == "verdict" else checked_on if key == "checked_on" else {}),
        )
        for key, width in FILL_COLUMNS
    ]
    with Book(path, creator="followup audit") as book:
        book.sheet(
            pick(words.SHEET_TITLE, lang),
            columns,
            rows,
            base={"text_wrap": True, "valign": "top"},
            freeze=(1, 4),
            validate_to=max(len(rows) + 1, 200),
            print_setup=PrintSetup(paper=None),
        )
        book.meta(
            (
                ("kind", SHEET_KIND),
                ("period", sample.period.label),
                ("from", sample.period.start.isoformat()),
                ("to", sample.cutoff.isoformat()),
                ("rate", sample.rate),
                ("seed", sample.seed),
                ("population", sample.population),
                ("drawn", len(sample.rows)),
                ("lang", lang),
                ("archives", "\n".join(str(Path(a).resolve()) for a in archives)),
                ("created", dt.datetime.now().replace(microsecond=0).isoformat()),
            )
        )
    return Path(path)


def is_audit_workbook(path: str | Path) -> bool:
    """True when the workbook is an audit sheet made by `followup audit`."""
    book = open_book(path)
    if META_SHEET not in book.sheet_names:
        return False
    meta = {str(r[0]): r[1] for r in book.sheet(META_SHEET).rows() if len(r) >= 2 and r[0]}
    return meta.get("kind") == SHEET_KIND


def read_audit_verdicts(path: str | Path) -> list[dict]:
    """The verdicts filled into an audit sheet: one dict per row whose verdict cell is not blank.

    Keys: visit_id, visit_row (int or None), customer_id, verdict ('accurate' | 'inaccurate' |
    None when unreadable), verdict_text (as typed), checker, checked_on (date or None), notes,
    sheet, row (the audit sheet's 1-based row), cell (the verdict cell, e.g. 'P5') and
    problem (None, or a message naming the cell and the fix). Rows with a problem are
    returned too, so an importer can report each one and decide.
    """
    path = Path(path)
    book = open_book(path)
    sheet = None
    index = alias_index("audits")
    for raw in book.sheets:
        if raw.name == META_SHEET:
            continue
        rows = raw.rows()
        for i, row in enumerate(rows[:10]):
            names = {index.get(norm_header(v)) for v in row if isinstance(v, str)}
            if "verdict" in names:
                sheet = (raw, rows, i)
                break
        if sheet:
            break
    if sheet is None:
        raise UnreadableFile(
            path,
            msg(
                "找不到抽查表（含“核查结果”列的工作表）",
                "no audit sheet found (a sheet with a 核查结果 / Verdict column)",
            ),
            msg(
                "请用 `followup audit 档案.xlsx --rate 5% -o 抽查.xlsx` 生成一份，填好后再导入",
                "make one with `followup audit ARCHIVE --rate 5% -o audit.xlsx` and fill it in",
            ),
        )
    raw, rows, header_at = sheet
    columns: dict[str, int] = {}
    for j, value in enumerate(rows[header_at]):
        name = index.get(norm_header(value)) if isinstance(value, str) else None
        if name and name not in columns:
            columns[name] = j
    hidden = raw.unread()  # cells read as empty that hold an error value or a formula without one
    out = []
    for i in range(header_at + 1, len(rows)):
        row = rows[i]

        def cell(name):
            j = columns.get(name)
            return row[j] if j is not None and j < len(row) else None

        held = [(j, hidden[i, j]) for j in sorted(columns.values()) if (i, j) in hidden] if hidden else []
        typed = cell("verdict")
        if parse.is_blank(typed) and not held:
            continue
        where = f"{raw.name}!{cell_ref(i, columns['verdict'])}"
        verdict = VERDICTS.match(typed)
        problem = None  # (sheet!cell, why): the first thing wrong with the row
        if held:  # what the checker wrote there cannot be read: never taken as empty
            j, (kind, shown) = held[0]
            problem = (f"{raw.name}!{cell_ref(i, j)}", unread_cells.typed_over(kind, shown))
        elif verdict is None:
            problem = (where, words.not_a_verdict(typed))
        checked_on = None
        if not parse.is_blank(cell("checked_on")):
            r = parse.parse_datetime(cell("checked_on"), "ymd", book.date1904)
            if r.value is None:
                col = cell_ref(i, columns["checked_on"])
                problem = problem or (f"{raw.name}!{col}", words.not_a_check_date(cell("checked_on")))
            else:
                checked_on = r.value.date()
        visit_id = parse.parse_id(cell("visit_id"))[0] if not parse.is_blank(cell("visit_id")) else None
        visit_row, _ = parse.parse_number(cell("visit_row")) if not parse.is_blank(cell("visit_row")) else (None, None)
        if visit_id is None and visit_row is None:
            problem = problem or (where, words.NO_VISIT_NAMED)
        out.append(
            {
                "visit_id": visit_id,
                "visit_row": int(visit_row) if visit_row is not None else None,
                "customer_id": parse.parse_id(cell("customer_id"))[0]
                if not parse.is_blank(cell("customer_id"))
                else None,
                "verdict": verdict,
                "verdict_text": _text(typed),
                "checker": _text(cell("checker")) or None,
                "checked_on": checked_on,
                "notes": _text(cell("notes")) or None,
                "sheet": raw.name,
                "row": i + 1,
                "cell": cell_ref(i, columns["verdict"]),
                "problem": at(*problem) if problem else None,
                "problem_at": problem[0] if problem else None,
                "reason": problem[1] if problem else None,
            }
        )
    return out
