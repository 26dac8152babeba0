"""Spot-check verdicts (followup audit → filled → record) into the archive's 抽查记录 sheet,
or a separate '<archive>-抽查记录.xlsx', checked against the visit log, never stored twice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from followup_cli.archive.records import Archive, row_in_sheet_order
from followup_cli.config import Config
from followup_cli.errors import UnreadableFile
from followup_cli.text.messages import msg
from followup_cli.text.record import AUDIT_LOG_SHEET
from followup_cli.writeback.log_sheet import log_sheet
from followup_cli.writeback.results import Rejection

if TYPE_CHECKING:
    from followup_cli.writeback.outcome import WriteResult

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


def plan_audit_record(
    archive: Archive, config: Config, filled: Path, today: dt.date, lang: str | None = None
) -> AuditPlan:
    """Verdicts of a filled audit sheet → rows for the archive's 抽查记录 sheet (or a separate
    '<archive>-抽查记录.xlsx'), checked against the visit log, never stored twice."""
    from followup_cli.outputs.audit_sheet import read_audit_verdicts
    from followup_cli.policy.vocabulary import VERDICTS

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
    layout = log_sheet(src, "audits", AUDIT_FIELDS, AUDIT_LOG_SHEET, lang)
    columns, headers, sheet_lang = layout.columns, layout.headers, layout.lang
    rows, rejected, duplicates = [], [], 0
    for v in verdicts:
        where = f"{filled.name} {v['sheet']}!{v['cell']}"
        if v["problem"]:
            rejected.append(Rejection(f"{filled.name} {v['problem_at']}", v["verdict_text"], v["reason"]))
            continue
        visit = by_id.get(str(v["visit_id"])) if v["visit_id"] else by_row.get(v["visit_row"])
        if visit is None:
            rejected.append(
                Rejection(
                    where,
                    v["visit_id"] or str(v["visit_row"]),
                    msg(
                        "回访记录中没有这条记录；这份抽查表是从这份档案生成的吗？",
                        "no such visit in the visit log; was the audit made from this archive?",
                    ),
                )
            )
            continue
        checked_on = v["checked_on"] or today
        if checked_on > today:
            rejected.append(
                Rejection(
                    where,
                    str(checked_on),
                    msg(f"核查日期 {checked_on} 在未来", f"the check date {checked_on} is in the future"),
                )
            )
            continue
        label = VERDICTS.label(v["verdict"], sheet_lang)
        key = (str(visit.visit_id or visit.row), checked_on, label)
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        values = {
            "visit_id": visit.visit_id,
            "visit_row": visit.row,
            "customer_id": visit.customer_id,
            "checked_on": checked_on,
            "checker": v["checker"],
            "verdict": label,
            "notes": v["notes"],
        }
        rows.append(row_in_sheet_order(values, columns, len(headers)))
    target = src.file if src else separate
    return AuditPlan(target, layout.name, layout.header_row, headers, rows, rejected, duplicates, layout.create)


def apply_audit_record(plan: AuditPlan, command: str, force: bool = False) -> WriteResult | None:
    from followup_cli.writeback import locks
    from followup_cli.writeback.transaction import append_rows
    from followup_cli.writeback.visits import create_log_workbook

    if not plan.rows:
        return None
    with locks.hold(plan.target):
        if plan.create:
            if plan.target.exists():
                raise UnreadableFile(
                    plan.target,
                    msg(f"已存在，但没有工作表“{plan.sheet}”", f"exists but has no sheet '{plan.sheet}'"),
                    msg("请把它的工作表命名为“抽查记录”（或 Audits）", "name its sheet 抽查记录 / Audits"),
                )
            create_log_workbook(plan.target, plan.sheet, plan.headers, {AUDIT_FIELDS.index("checked_on")})
        return append_rows(plan.target, plan.sheet, plan.rows, command=command, force=force, header_row=plan.header_row)
