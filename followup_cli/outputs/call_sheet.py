"""The call sheet: a workbook the clerk fills in, one row per contact (its tasks' ids kept),
with the script or SMS text, dropdowns on every coded result column, and print setup.

The tool creates this workbook itself: the one builder (xlsx/builder.py: XlsxWriter, shared
formats) writes it. A hidden sheet `_followup`
keeps what `followup record` needs to import it exactly: the as-of date and the archive.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from followup_cli.config import Config
from followup_cli.outputs.due_list import Contact, DueResult, best_time, contacts, reach, reason, script, task_params
from followup_cli.policy.vocabulary import CHANNELS, ISSUE_CATEGORIES, KINDS, OUTCOMES, SATISFACTION
from followup_cli.text import call_sheet as words
from followup_cli.text.labels import UNASSIGNED, pick
from followup_cli.xlsx.builder import META_SHEET  # noqa: F401  the hidden sheet record reads (re-exported)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

SHEET_KIND = "call-sheet"

# (key, width, block); the headers are in text/call_sheet.py. The printed columns come first,
# so the print area is one block (A:H) and prints on one page width; the rest stays in the
# workbook beside it.
PRINTED_COLUMNS = [
    ("customer_name", 9, "given"),
    ("phone", 13, "given"),
    ("kinds", 13, "given"),
    ("reason", 26, "given"),
    ("script", 44, "given"),
    ("outcome", 10, "result"),
    ("satisfaction", 10, "result"),
    ("notes", 16, "result"),
]
OTHER_COLUMNS = [
    ("staff", 10, "result"),  # pre-filled with the task's owner; whoever called may change it
    ("done_on", 12, "result"),
    ("channel", 9, "result"),
    ("score", 9, "result"),
    ("recommend", 9, "result"),
    ("issue_category", 11, "result"),
    ("issue", 24, "result"),
    ("resolved", 9, "result"),
    ("next_date", 12, "result"),
    ("task_ids", 14, "given"),
    ("customer_id", 11, "given"),
    ("due_date", 11, "given"),
    ("window_end", 11, "given"),
    ("best_time", 16, "given"),
]
LETTER_WIDTHS = {"reason": 23, "script": 39, "notes": 14}
DATE_KEYS = ("due_date", "window_end", "done_on", "next_date")
GIVEN_COLUMNS = [c[0] for c in PRINTED_COLUMNS + OTHER_COLUMNS if c[2] == "given"]
RESULT_COLUMNS = [c[0] for c in PRINTED_COLUMNS + OTHER_COLUMNS if c[2] == "result"]
ALL_COLUMNS = [c[0] for c in PRINTED_COLUMNS + OTHER_COLUMNS]


def header_index() -> dict[str, str]:
    """Any header, in either language → column key (a sheet may be filled in either)."""
    from followup_cli.archive.schema import norm_header

    return {norm_header(label): k for k in ALL_COLUMNS for label in (*words.HEADERS[k], k)}


def active_staff(staff: Iterable[object], as_of: dt.date) -> list[str]:
    """Names on the staff sheet of those still there on the sheet's day (the 回访人 dropdown)."""
    names = []
    for s in staff or ():
        if not s.name or s.active is False or (s.left_on and s.left_on <= as_of):
            continue
        names.append(str(s.name))
    return list(dict.fromkeys(names))


def choices(key: str, lang: str) -> list[str] | None:
    vocab = {
        "channel": CHANNELS,
        "outcome": OUTCOMES,
        "satisfaction": SATISFACTION,
        "issue_category": ISSUE_CATEGORIES,
    }.get(key)
    if vocab:
        return vocab.labels(lang)
    if key in ("resolved", "recommend"):
        return pick(words.YES_NO, lang)
    return None


def contacts_of(result: DueResult, statuses: tuple[str, ...] = ("due", "overdue")) -> list[Contact]:
    due_now = [t for t in result.schedule.tasks if t.status in statuses]
    return contacts(due_now, key=lambda t: t.contact or t.task_id, priority=lambda t: t.rule.priority)


def contact_row(c: Contact, result: DueResult, config: Config, lang: str) -> dict:
    t = c.lead
    cust = t.customer
    sep = pick(words.SCRIPT_SEP, lang)
    as_of = result.schedule.as_of
    reasons, scripts = [], []
    for x in c.items:
        params = task_params(x, lang, config)  # once for both texts
        reasons.append(reason(x, lang, config, params))
        said = script(x, lang, config, as_of, params)
        if said:
            scripts.append(said)
    return {
        "task_ids": " ".join(x.task_id for x in c.items),
        "customer_id": cust.id,
        "customer_name": cust.name or "",
        "phone": reach(cust.phone, cust.wechat, lang),
        "kinds": " + ".join(KINDS.label(x.kind, lang) for x in c.items),
        "due_date": min(x.due_date for x in c.items),
        "window_end": min(x.window_end for x in c.items),
        "best_time": best_time(t, result.schedule.policy, lang, result.schedule),
        "reason": sep.join(reasons),
        "script": "\n".join(dict.fromkeys(scripts)),
        "staff": t.staff,
    }


def write_call_sheet(
    result: DueResult,
    config: Config,
    out: Path,
    archives: list[Path],
    by_staff: bool = False,
    ahead: int = 0,
    staff: str | None = None,
    paper: str | None = None,
    mask_phone: bool = False,
    progress: Callable[[int], None] | None = None,
    created: dt.datetime | None = None,
) -> dict:
    """Write the call sheet workbook; returns {'contacts': n, 'tasks': n, 'sheets': [...]}.

    Made for paper: `paper` (a4/letter, default from the locale), landscape, the caller's
    columns as the print area, 10 pt text, row heights that fit the wrapped text, the staff
    member and the day in the page header, page numbers in the footer, the header row on
    every page. `--by-staff` gives one sheet per person, each printing on its own pages.
    `staff`: the archive's staff records; the 回访人 column gets a dropdown of the active ones
    (kept in column D of the hidden sheet, so a long list still fits Excel's limits).
    XlsxWriter writes it with a handful of shared formats (no style object per cell).
    `progress(done, total)` is called as rows are written. `created`: the local time (to the
    second) the sheet says it was made, in its hidden sheet and its properties; default now.
    """
    from followup_cli.outputs.paper import default_paper

    lang = result.lang
    staff_names = active_staff(staff, result.schedule.as_of)
    grouped = contacts_of(result)
    rows = [contact_row(c, result, config, lang) for c in grouped]
    if mask_phone:
        from followup_cli.outputs.privacy import mask_rows

        rows = mask_rows(rows)
    everyone = pick(words.EVERYONE, lang)
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
    created = created or dt.datetime.now().replace(microsecond=0)
    titles = _write_book(out, groups, everyone, result, config, archives, ahead, staff_names, paper, progress, created)
    return {
        "contacts": len(rows),
        "tasks": sum(len(c.items) for c in grouped),
        "sheets": titles,
        "paper": paper,
        "phones": sum(1 for r in rows if r.get("phone")) if not mask_phone else 0,
        "left_off": left_off(result),
    }


def left_off(result: DueResult, statuses: tuple[str, ...] = ("due", "overdue")) -> dict[str, list[str]]:
    """{status: [customer names]} of the tasks `due` lists that a call sheet leaves off (upcoming,
    unreachable ...): said by `sheet`, never dropped silently."""
    out: dict[str, list[str]] = {}
    for t in result.schedule.tasks:
        if t.status not in statuses:
            out.setdefault(t.status, []).append(str(t.customer.name or t.customer.id))
    return {k: list(dict.fromkeys(v)) for k, v in out.items()}


def _write_book(
    out: Path,
    groups,
    everyone: str,
    result: DueResult,
    config: Config,
    archives,
    ahead: int,
    staff_names: list[str],
    paper: str,
    progress,
    created: dt.datetime,
) -> list[str]:
    from followup_cli.outputs.paper import BODY_PT, row_height
    from followup_cli.xlsx.builder import Book, PrintSetup, header_text

    lang = result.lang
    as_of = result.schedule.as_of
    base = {"font_size": BODY_PT, "valign": "top", "text_wrap": True, "border": 1, "border_color": "#BFBFBF"}
    # Letter is 6% narrower than A4: the long text columns give up the room, so text stays >= 9 pt
    narrow = LETTER_WIDTHS if paper == "letter" else {}
    printed = {k: narrow.get(k, w) for k, w, _ in PRINTED_COLUMNS}
    shop = config.shop_name or ""
    total = sum(len(g) for g in groups.values())
    done = [0]

    def tick(_row: int) -> None:
        done[0] += 1
        if progress and done[0] % 200 == 0:
            progress(done[0], total)

    with Book(out, creator="followup sheet", created=created.astimezone(dt.UTC)) as book:
        # The 回访人 list in column D of the hidden sheet, so a long list still fits Excel's limits.
        staff_source = book.list_source(staff_names) if staff_names else None
        columns = _columns(lang, staff_source, printed)
        for name, group in groups.items():
            who = name if name != everyone else pick(words.ALL_STAFF, lang)
            left = header_text(f"{pick(words.STAFF_LABEL, lang)}{who}")
            centre = header_text(f"{pick(words.TITLE, lang)} {as_of.isoformat()}")
            setup = PrintSetup(
                paper=paper,
                columns=len(PRINTED_COLUMNS),
                margins={"left": 0.4, "right": 0.4, "top": 0.75, "bottom": 0.6},
                header=f'&L&{BODY_PT} {left}&C&{BODY_PT + 2}&"-,Bold" {centre}&R&{BODY_PT} {header_text(shop)}',
                footer=f"&C&{BODY_PT} " + pick(words.PAGE_FOOTER, lang),
            )
            book.sheet(
                name,
                columns,
                group,
                base=base,
                freeze=(1, 1),
                header_height=30,
                validate_to=max(len(group), 500) + 1,
                row_height=lambda r: row_height(r, printed),
                print_setup=setup,
                progress=tick,
            )
        if progress:
            progress(total, total)
        book.meta(
            (
                ("kind", SHEET_KIND),
                ("as_of", as_of.isoformat()),
                ("ahead", ahead),
                ("lang", lang),
                ("preset", config.preset),
                ("archives", "\n".join(str(Path(a).resolve()) for a in archives)),
                ("created", created.isoformat()),
                ("paper", paper),
            )
        )
    return book.sheets


def _columns(lang: str, staff_source: str | None, widths: dict[str, float]) -> list:
    """The builder's columns: headers in the sheet's language, the caller's result columns
    shaded, dropdowns and checks on the result columns."""
    from followup_cli.xlsx.builder import Column

    head = {"valign": "vcenter"}
    out = []
    for key, width, block in PRINTED_COLUMNS + OTHER_COLUMNS:
        extra: dict = {}
        opts = choices(key, lang)
        if key == "staff":
            # A list, not a strict choice: a clerk not yet on the staff sheet may still have called.
            if staff_source:
                extra["rule"] = {"validate": "list", "source": staff_source, "on_error": "none"}
        elif opts:
            extra = {
                "choices": opts,
                "error_title": pick(words.NOT_IN_LIST, lang),
                "error_message": pick(words.PICK_FROM_LIST, lang),
            }
        elif key == "score":
            extra["rule"] = {
                "validate": "integer",
                "criteria": "between",
                "minimum": 0,
                "maximum": 5,
                "error_message": pick(words.SCORE_RULE, lang),
            }
        elif key in ("done_on", "next_date"):
            extra["rule"] = {
                "validate": "date",
                "criteria": ">",
                "value": dt.date(2000, 1, 1),
                "error_message": pick(words.ENTER_DATE, lang),
            }
        date = key in DATE_KEYS
        out.append(
            Column(
                key,
                pick(words.HEADERS[key], lang),
                widths.get(key, width),
                kind="date" if date else "text",
                head={**head, "bg_color": "#FFF2CC" if block == "result" else "#F2F2F2"},
                body={"bg_color": "#FFFDF0"} if block == "result" and not date else {},
                **extra,
            )
        )
    return out
