"""The call sheet: a workbook the clerk fills in, one row per contact (its tasks' ids kept),
with the script or SMS text, dropdowns on every coded result column, and print setup.

The tool creates this workbook itself, so openpyxl writes it. A hidden sheet `_followup`
keeps what `followup record` needs to import it exactly: the as-of date and the archive.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from followup_cli.config import Config
from followup_cli.outputs.due_list import DueResult, best_time, reason, script
from followup_cli.text.labels import UNASSIGNED, pick
from followup_cli.policy.vocabulary import CHANNELS, ISSUE_CATEGORIES, KINDS, OUTCOMES, SATISFACTION
from followup_cli.schedule.engine import Task

META_SHEET = "_followup"
SHEET_KIND = "call-sheet"
YES_NO = {"zh": ["是", "否"], "en": ["yes", "no"]}

# (key, zh header, en header, width); the first block is given, the second is filled in.
GIVEN_COLUMNS = [
    ("task_ids", "任务编号", "Task IDs", 14),
    ("customer_id", "客户编号", "Customer ID", 11),
    ("customer_name", "姓名", "Name", 10),
    ("phone", "电话", "Phone", 14),
    ("kinds", "回访类型", "Kind", 16),
    ("due_date", "应访日期", "Due", 11),
    ("window_end", "最迟日期", "Window end", 11),
    ("best_time", "建议时间", "Best time", 16),
    ("reason", "原因", "Reason", 36),
    ("script", "话术 / 短信内容", "Script / SMS text", 50),
]
RESULT_COLUMNS = [
    ("staff", "回访人", "Staff", 10),  # pre-filled with the task's owner; the clerk who called may change it
    ("done_on", "完成日期", "Date done", 12),
    ("channel", "方式", "Channel", 9),
    ("outcome", "结果", "Outcome", 10),
    ("satisfaction", "满意度", "Satisfaction", 11),
    ("score", "评分(0-5)", "Score (0-5)", 9),
    ("recommend", "愿意推荐", "Would recommend", 9),
    ("issue_category", "问题类别", "Issue category", 11),
    ("issue", "问题描述", "Issue", 24),
    ("resolved", "是否解决", "Resolved", 9),
    ("notes", "备注", "Notes", 24),
    ("next_date", "下次跟进日期", "Next follow-up", 12),
]
ALL_COLUMNS = GIVEN_COLUMNS + RESULT_COLUMNS


def header_index() -> dict[str, str]:
    """Any header, in either language → column key (a sheet may be filled in either)."""
    from followup_cli.archive.schema import norm_header

    return {norm_header(label): k for k, zh, en, _ in ALL_COLUMNS for label in (zh, en, k)}


def active_staff(staff, as_of: dt.date) -> list[str]:
    """Names on the staff sheet of those still there on the sheet's day (the 回访人 dropdown)."""
    names = []
    for s in staff or ():
        if not s.name or s.active is False or (s.left_on and s.left_on <= as_of):
            continue
        names.append(str(s.name))
    return list(dict.fromkeys(names))


def choices(key: str, lang: str) -> list[str] | None:
    vocab = {"channel": CHANNELS, "outcome": OUTCOMES, "satisfaction": SATISFACTION,
             "issue_category": ISSUE_CATEGORIES}.get(key)
    if vocab:
        return vocab.labels(lang)
    if key in ("resolved", "recommend"):
        return YES_NO[lang]
    return None


@dataclass
class Contact:
    tasks: list[Task]

    @property
    def first(self) -> Task:
        return self.tasks[0]


def contacts_of(result: DueResult, statuses=("due", "overdue")) -> list[Contact]:
    groups: dict[str, Contact] = {}
    for t in result.schedule.tasks:
        if t.status not in statuses:
            continue
        groups.setdefault(t.contact or t.task_id, Contact([])).tasks.append(t)
    return list(groups.values())


def contact_row(c: Contact, result: DueResult, config: Config, lang: str) -> dict:
    t = c.first
    cust = t.customer
    sep = "；" if lang == "zh" else "; "
    scripts = [s for s in (script(x, lang, config, result.schedule.as_of) for x in c.tasks) if s]
    return {
        "task_ids": " ".join(x.task_id for x in c.tasks),
        "customer_id": cust.id,
        "customer_name": cust.name or "",
        "phone": cust.phone or "",
        "kinds": " + ".join(KINDS.label(x.kind, lang) for x in c.tasks),
        "due_date": min(x.due_date for x in c.tasks),
        "window_end": min(x.window_end for x in c.tasks),
        "best_time": best_time(t, result.schedule.policy, lang, result.schedule),
        "reason": sep.join(reason(x, lang, config) for x in c.tasks),
        "script": "\n".join(dict.fromkeys(scripts)),
        "staff": t.staff,
    }


def write_call_sheet(result: DueResult, config: Config, out: Path, archives: list[Path], by_staff: bool = False,
                     ahead: int = 0, staff=None) -> dict:
    """Write the call sheet workbook; returns {'contacts': n, 'tasks': n, 'sheets': [...]}.

    `staff`: the archive's staff records; the 回访人 column gets a dropdown of the active ones
    (kept in column D of the hidden sheet, so a long list still fits Excel's limits).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from followup_cli.xlsx.safety import neutralise_formulas

    lang = result.lang
    staff_names = active_staff(staff, result.schedule.as_of)
    contacts = contacts_of(result)
    rows = [contact_row(c, result, config, lang) for c in contacts]
    groups: dict[str, list[dict]] = {}
    if by_staff:
        for r in rows:
            groups.setdefault(r["staff"] or pick(UNASSIGNED, lang), []).append(r)
        if not groups:
            groups[pick(("回访清单", "Calls"), lang)] = []
    else:
        groups[pick(("回访清单", "Calls"), lang)] = rows
    wb = Workbook()
    wb.remove(wb.active)
    given_fill = PatternFill("solid", fgColor="F2F2F2")
    result_fill = PatternFill("solid", fgColor="FFF2CC")
    used_titles = set()
    for name, group in groups.items():
        title = _sheet_title(name, used_titles)
        ws = wb.create_sheet(title)
        ws.append([zh if lang == "zh" else en for _, zh, en, _ in ALL_COLUMNS])
        for r in group:
            ws.append([r.get(k) if k in r else None for k, *_ in ALL_COLUMNS])
        neutralise_formulas(ws)
        n = len(group)
        last = max(n + 1, 2)
        for j, (key, _, _, width) in enumerate(ALL_COLUMNS, start=1):
            letter = get_column_letter(j)
            ws.column_dimensions[letter].width = width
            cell = ws.cell(row=1, column=j)
            cell.font = Font(bold=True)
            cell.fill = result_fill if j > len(GIVEN_COLUMNS) else given_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in ws.iter_rows(min_row=2, max_row=n + 1):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if cell.column in (6, 7):
                    cell.number_format = "yyyy-mm-dd"
        first_result = len(GIVEN_COLUMNS) + 1
        for j, (key, *_rest) in enumerate(RESULT_COLUMNS, start=first_result):
            letter = get_column_letter(j)
            ref = f"{letter}2:{letter}{max(last, 500)}"
            opts = choices(key, lang)
            if key == "staff":
                if not staff_names:
                    continue
                # A list, not a strict choice: a clerk not yet on the staff sheet may still have called.
                dv = DataValidation(type="list", formula1=f"'{META_SHEET}'!$D$1:$D${len(staff_names)}",
                                    allow_blank=True, showErrorMessage=False)
            elif opts:
                dv = DataValidation(type="list", formula1='"' + ",".join(opts) + '"', allow_blank=True,
                                    showErrorMessage=True, errorTitle=pick(("输入有误", "Not in the list"), lang),
                                    error=pick(("请从下拉列表中选择", "Pick a value from the list"), lang))
            elif key == "score":
                dv = DataValidation(type="whole", operator="between", formula1="0", formula2="5", allow_blank=True,
                                    showErrorMessage=True, error=pick(("评分为 0-5 的整数", "A whole number 0-5"), lang))
            elif key in ("done_on", "next_date"):
                dv = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                                    showErrorMessage=True, error=pick(("请输入日期，如 2026-11-23",
                                                                       "Enter a date, e.g. 2026-11-23"), lang))
                for r in range(2, max(last, 500) + 1):
                    ws[f"{letter}{r}"].number_format = "yyyy-mm-dd"
            else:
                continue
            dv.add(ref)
            ws.add_data_validation(dv)
        ws.freeze_panes = "D2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(ALL_COLUMNS))}{last}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "1:1"
    meta = wb.create_sheet(META_SHEET)
    for key, value in (("kind", SHEET_KIND), ("as_of", result.schedule.as_of.isoformat()), ("ahead", ahead),
                       ("lang", lang), ("preset", config.preset),
                       ("archives", "\n".join(str(Path(a).resolve()) for a in archives)),
                       ("created", dt.datetime.now().replace(microsecond=0).isoformat())):
        meta.append([key, value])
    for i, name in enumerate(staff_names, start=1):
        meta.cell(row=i, column=4, value=name)
    meta.sheet_state = "hidden"
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return {"contacts": len(rows), "tasks": sum(len(c.tasks) for c in contacts), "sheets": list(wb.sheetnames[:-1])}


def _sheet_title(name: str, used: set) -> str:
    bad = '[]:*?/\\'
    title = "".join("_" if ch in bad else ch for ch in str(name))[:31] or "Sheet"
    base, i = title, 2
    while title in used:
        title = f"{base[:28]}-{i}"
        i += 1
    used.add(title)
    return title
