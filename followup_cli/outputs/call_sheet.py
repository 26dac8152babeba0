"""The call sheet: a workbook the clerk fills in, one row per contact (its tasks' ids kept),
with the script or SMS text, dropdowns on every coded result column, and print setup.

The tool creates this workbook itself, so XlsxWriter writes it (fast, shared formats). A hidden sheet `_followup`
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

# (key, zh header, en header, width). The printed columns come first, so the print area is
# one block (A:H) and prints on one page width; the rest stays in the workbook beside it.
PRINTED_COLUMNS = [
    ("customer_name", "姓名", "Name", 9, "given"),
    ("phone", "电话", "Phone", 13, "given"),
    ("kinds", "回访类型", "Kind", 13, "given"),
    ("reason", "原因", "Reason", 26, "given"),
    ("script", "话术 / 短信内容", "Script / SMS text", 44, "given"),
    ("outcome", "结果", "Outcome", 10, "result"),
    ("satisfaction", "满意度", "Satisfaction", 10, "result"),
    ("notes", "备注", "Notes", 16, "result"),
]
OTHER_COLUMNS = [
    ("staff", "回访人", "Staff", 10, "result"),  # pre-filled with the task's owner; whoever called may change it
    ("done_on", "完成日期", "Date done", 12, "result"),
    ("channel", "方式", "Channel", 9, "result"),
    ("score", "评分(0-5)", "Score (0-5)", 9, "result"),
    ("recommend", "愿意推荐", "Would recommend", 9, "result"),
    ("issue_category", "问题类别", "Issue category", 11, "result"),
    ("issue", "问题描述", "Issue", 24, "result"),
    ("resolved", "是否解决", "Resolved", 9, "result"),
    ("next_date", "下次跟进日期", "Next follow-up", 12, "result"),
    ("task_ids", "任务编号", "Task IDs", 14, "given"),
    ("customer_id", "客户编号", "Customer ID", 11, "given"),
    ("due_date", "应访日期", "Due", 11, "given"),
    ("window_end", "最迟日期", "Window end", 11, "given"),
    ("best_time", "建议时间", "Best time", 16, "given"),
]
LETTER_WIDTHS = {"reason": 23, "script": 39, "notes": 14}
DATE_KEYS = ("due_date", "window_end", "done_on", "next_date")
GIVEN_COLUMNS = [c[:4] for c in PRINTED_COLUMNS + OTHER_COLUMNS if c[4] == "given"]
RESULT_COLUMNS = [c[:4] for c in PRINTED_COLUMNS + OTHER_COLUMNS if c[4] == "result"]
ALL_COLUMNS = [c[:4] for c in PRINTED_COLUMNS + OTHER_COLUMNS]


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
                     ahead: int = 0, staff=None, paper: str | None = None, mask_phone: bool = False,
                     progress=None) -> dict:
    """Write the call sheet workbook; returns {'contacts': n, 'tasks': n, 'sheets': [...]}.

    Made for paper: `paper` (a4/letter, default from the locale), landscape, the caller's
    columns as the print area, 10 pt text, row heights that fit the wrapped text, the staff
    member and the day in the page header, page numbers in the footer, the header row on
    every page. `--by-staff` gives one sheet per person, each printing on its own pages.
    `staff`: the archive's staff records; the 回访人 column gets a dropdown of the active ones
    (kept in column D of the hidden sheet, so a long list still fits Excel's limits).
    XlsxWriter writes it with a handful of shared formats (no style object per cell).
    `progress(done, total)` is called as rows are written.
    """
    from followup_cli.outputs.paper import default_paper

    lang = result.lang
    staff_names = active_staff(staff, result.schedule.as_of)
    contacts = contacts_of(result)
    rows = [contact_row(c, result, config, lang) for c in contacts]
    if mask_phone:
        from followup_cli.outputs.privacy import mask_rows

        rows = mask_rows(rows)
    everyone = pick(("回访清单", "Calls"), lang)
    groups: dict[str, list[dict]] = {}
    if by_staff:
        for r in rows:
            groups.setdefault(r["staff"] or pick(UNASSIGNED, lang), []).append(r)
        if not groups:
            groups[everyone] = []
    else:
        groups[everyone] = rows
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    paper = paper or default_paper(lang)
    titles = _write_book(out, groups, everyone, result, config, archives, ahead, staff_names, paper, progress)
    return {"contacts": len(rows), "tasks": sum(len(c.tasks) for c in contacts), "sheets": titles,
            "paper": paper, "phones": sum(1 for r in rows if r.get("phone")) if not mask_phone else 0}


def _write_book(out: Path, groups, everyone: str, result: DueResult, config: Config, archives, ahead: int,
                staff_names: list[str], paper: str, progress) -> list[str]:
    import xlsxwriter

    from followup_cli.outputs.paper import BODY_PT, PAPERS, header_text, row_height

    lang = result.lang
    as_of = result.schedule.as_of
    # strings_to_formulas off: a clerk's "=1+1" or "+86 138..." stays text, never a formula
    wb = xlsxwriter.Workbook(str(out), {"strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
    base = {"font_size": BODY_PT, "valign": "top", "text_wrap": True, "border": 1, "border_color": "#BFBFBF"}
    head = {**base, "bold": True, "valign": "vcenter"}
    fmt = {"given": wb.add_format(base), "result": wb.add_format({**base, "bg_color": "#FFFDF0"}),
           "date": wb.add_format({**base, "num_format": "yyyy-mm-dd"}),
           "head_given": wb.add_format({**head, "bg_color": "#F2F2F2"}),
           "head_result": wb.add_format({**head, "bg_color": "#FFF2CC"})}
    columns = PRINTED_COLUMNS + OTHER_COLUMNS
    # Letter is 6% narrower than A4: the long text columns give up the room, so text stays >= 9 pt
    narrow = LETTER_WIDTHS if paper == "letter" else {}
    printed = {k: narrow.get(k, w) for k, _, _, w, _ in PRINTED_COLUMNS}
    shop = config.shop_name or ""
    total = sum(len(g) for g in groups.values())
    done = 0
    used: set = set()
    titles = []
    for name, group in groups.items():
        title = _sheet_title(name, used)
        titles.append(title)
        ws = wb.add_worksheet(title)
        for j, (key, zh, en, width, block) in enumerate(columns):
            ws.set_column(j, j, printed.get(key, width), fmt["date"] if key in DATE_KEYS else fmt[block])
            ws.write_string(0, j, zh if lang == "zh" else en, fmt["head_" + block])
        ws.set_row(0, 30)
        for i, r in enumerate(group, start=1):
            for j, (key, _zh, _en, _w, block) in enumerate(columns):
                value = r.get(key)
                if value is None or value == "":
                    continue
                if isinstance(value, dt.date):
                    ws.write_datetime(i, j, dt.datetime(value.year, value.month, value.day), fmt["date"])
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    ws.write_number(i, j, value, fmt[block])
                else:
                    ws.write_string(i, j, str(value), fmt[block])
            ws.set_row(i, row_height(r, printed))
            done += 1
            if progress and done % 200 == 0:
                progress(done, total)
        last = max(len(group), 1)
        _validations(ws, columns, lang, max(last, 500), staff_names)
        ws.freeze_panes(1, 1)
        ws.autofilter(0, 0, last, len(columns) - 1)
        # paper
        ws.set_paper(PAPERS[paper])
        ws.set_landscape()
        ws.set_margins(left=0.4, right=0.4, top=0.75, bottom=0.6)
        ws.print_area(0, 0, last, len(PRINTED_COLUMNS) - 1)
        ws.repeat_rows(0)
        ws.fit_to_pages(1, 0)  # one page wide (the widths already fit: no shrinking in practice)
        who = name if name != everyone else pick(("全部负责人", "All staff"), lang)
        left = header_text(f"{pick(('回访人：', 'Staff: '), lang)}{who}")
        centre = header_text(f"{pick(('回访清单', 'Call sheet'), lang)} {as_of.isoformat()}")
        ws.set_header(f"&L&{BODY_PT} {left}&C&{BODY_PT + 2}&\"-,Bold\" {centre}&R&{BODY_PT} {header_text(shop)}",
                      {"margin": 0.3})
        ws.set_footer(f"&C&{BODY_PT} " + pick(("第 &P 页，共 &N 页", "Page &P of &N"), lang), {"margin": 0.3})
    if progress:
        progress(total, total)
    meta = wb.add_worksheet(META_SHEET)
    for i, (key, value) in enumerate((("kind", SHEET_KIND), ("as_of", as_of.isoformat()), ("ahead", ahead),
                                      ("lang", lang), ("preset", config.preset),
                                      ("archives", "\n".join(str(Path(a).resolve()) for a in archives)),
                                      ("created", dt.datetime.now().replace(microsecond=0).isoformat()),
                                      ("paper", paper))):
        meta.write_string(i, 0, key)
        if isinstance(value, int):
            meta.write_number(i, 1, value)
        else:
            meta.write_string(i, 1, str(value or ""))
    for i, name in enumerate(staff_names):
        meta.write_string(i, 3, name)
    meta.hide()
    wb.close()
    return titles


def _validations(ws, columns, lang: str, last: int, staff_names: list[str]) -> None:
    """Dropdowns and checks on the result columns, rows 2..last."""
    error = {"show_error": True, "error_title": pick(("输入有误", "Not in the list"), lang),
             "error_message": pick(("请从下拉列表中选择", "Pick a value from the list"), lang)}
    for j, (key, *_rest) in enumerate(columns):
        opts = choices(key, lang)
        if key == "staff":
            if not staff_names:
                continue
            # A list, not a strict choice: a clerk not yet on the staff sheet may still have called.
            rule = {"validate": "list", "source": f"='{META_SHEET}'!$D$1:$D${len(staff_names)}",
                    "show_error": False}
        elif opts:
            rule = {"validate": "list", "source": opts, **error}
        elif key == "score":
            rule = {"validate": "integer", "criteria": "between", "minimum": 0, "maximum": 5, "show_error": True,
                    "error_message": pick(("评分为 0-5 的整数", "A whole number 0-5"), lang)}
        elif key in ("done_on", "next_date"):
            rule = {"validate": "date", "criteria": ">", "value": dt.date(2000, 1, 1), "show_error": True,
                    "error_message": pick(("请输入日期，如 2026-11-23", "Enter a date, e.g. 2026-11-23"), lang)}
        else:
            continue
        ws.data_validation(1, j, last, j, {"ignore_blank": True, **rule})


def _sheet_title(name: str, used: set) -> str:
    bad = '[]:*?/\\'
    title = "".join("_" if ch in bad else ch for ch in str(name))[:31] or "Sheet"
    base, i = title, 2
    while title in used:
        title = f"{base[:28]}-{i}"
        i += 1
    used.add(title)
    return title
