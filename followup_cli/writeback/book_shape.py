"""How a visit is shaped for the shop's own book, and whom it names.

- which customer a hand-added call-sheet row without an id is (by phone, then a unique name,
  the reader's own lookup in archive/linking.py);
- who recorded, when they name themselves (--staff, $FOLLOWUP_STAFF) and are on the staff;
- what each column holds in that book: names in a 客户 column that holds names, the phone in a
  phone column, the words of the book's own 回访类型 dropdown;
- whether there is room: a footer line under the last visit stops the write.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from followup_cli.archive.records import Archive, SheetSource
from followup_cli.errors import DataProblems
from followup_cli.policy.vocabulary import KINDS, Vocabulary
from followup_cli.text.messages import msg
from followup_cli.writeback.results import ResultRow

if TYPE_CHECKING:
    from followup_cli.archive.staff import StaffDirectory
    from followup_cli.text.messages import Msg


def link_hand_added(r: ResultRow, archive: Archive) -> Msg | None:
    """Find the customer of a hand-added row without an id the way the reader links purchases
    (archive/linking.py: phone, then a name one customer bears). None when found, else a Msg."""
    from types import SimpleNamespace

    from followup_cli.archive.linking import customer_keys

    found, how = customer_keys(archive).find(
        SimpleNamespace(customer_id=None, phone=r.phone, customer_name=r.customer_name)
    )
    if found is not None:
        r.customer_id, r.linked_by = found, how
        return None
    given = " / ".join(x for x in (r.customer_name, r.phone) if x)
    if isinstance(how, list):
        names = "、".join(f"{c.id} {c.name or ''} {c.phone or ''}".strip() for c in how[:5])
        return msg(
            f"有 {len(how)} 位客户叫“{r.customer_name}”（{names}），无法确定是哪一位；请填写客户编号或电话",
            f"{len(how)} customers are called '{r.customer_name}' ({names}); fill in 客户编号 or 电话 "
            "so the row names one",
        )
    return msg(
        f"档案中没有客户“{given}”（按电话、姓名都没有找到）；请填写客户编号，或先把客户加入档案",
        f"no customer '{given}' in the archive (by phone or by name); fill in 客户编号, or add the "
        "customer to the archive first",
    )


def recording_staff(directory: StaffDirectory, named: str | None) -> tuple[str | None, Msg | None]:
    """(the person recording as the staff sheet names them, or None; a Msg when a name was given
    and cannot be used). Only a named member of staff stands in: an archive without a staff
    sheet takes the name as given."""
    if not named:
        return None, None
    m = directory.resolve(named)
    if m.state == "active":
        return m.person.name, None
    if not directory.people:
        return named.strip(), None
    why = {"left": ("已离职", "has left"), "ambiguous": ("有重名", "is a name several staff share")}.get(
        m.state, ("不在员工表中", "is not on the staff sheet")
    )
    return None, msg(f"记录人“{named}”{why[0]}，没有用作回访人", f"the recorder '{named}' {why[1]}: not used as 回访人")


def names_in_id_column(src: SheetSource | None, entries: list[ResultRow], archive: Archive) -> set[str]:
    """Give each visit its customer's name and phone (for a book with a name or phone column), and
    say which customers go into the customer column by name: a hand-kept book whose 客户 column
    holds names (the reader linked its rows by name, none by id) gets names, except a name two
    customers share, which gets the id so the row still names one customer."""
    by_id = {str(c.id): c for c in archive.customers if c.id}
    for e in entries:
        c = by_id.get(str(e.customer_id))
        if c is not None:
            e.customer_name = str(c.name).strip() if c.name else None
            e.phone = str(c.phone).strip() if c.phone else None
    links = src.links if src is not None else {}
    if not links.get("name") or links.get("id"):
        return set()
    counts: dict[str, int] = {}
    for c in archive.customers:
        if c.name:
            counts[str(c.name).strip()] = counts.get(str(c.name).strip(), 0) + 1
    return {str(e.customer_id) for e in entries if e.customer_name and counts.get(e.customer_name) == 1}


def kind_words(target: Path, src: SheetSource | None, columns: dict[str, int]) -> dict[str, str]:
    """{kind: the word for it} from the list dropdown on the book's own 回访类型 column, if any:
    the book's 生日祝福 / 新品回访 are written instead of 生日回访 / 产品使用回访."""
    return list_words(target, src, columns, "kind", KINDS) or {}


def list_words(
    target: Path, src: SheetSource | None, columns: dict[str, int], name: str, vocabulary: Vocabulary
) -> dict[str, str] | None:
    """{code: the book's word} from the list dropdown on the book's own column for `name` (回访类型,
    结果, 满意度, 回访方式), or None when that column has no list: the book's 未接通 / 拒绝 are written
    in its words, and a code its list has no word for is the caller's to say."""
    from followup_cli.xlsx.validations import list_choices

    if src is None or name not in columns or target.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    choices = list_choices(target, src.sheet, columns[name] + 1, src.header_row + 1)
    if not choices:
        return None
    words: dict[str, str] = {}
    for choice in choices:
        code = vocabulary.match(choice)
        if code is not None:
            words.setdefault(code, choice)
    return words


def refuse_below_footer(archive: Archive, src: SheetSource | None) -> None:
    """A totals or footer line under the last visit (本月合计 | 1次): new rows would go below it,
    outside what the clerk counts. Refused with the fix, never written there silently."""
    if src is None or not src.skipped:
        return
    last = max((v.row for v in archive.visits if v.src is src), default=src.header_row)
    below = [row for row, _ in src.skipped if row > last]  # (Excel rows)
    if not below:
        return
    where = f"{src.file.name} {src.sheet}!A{below[0]}"
    raise DataProblems(
        msg(
            f"{where} 是合计/页脚行，在最后一条回访记录下面；新的记录会写在它下面，没有写入任何内容",
            f"{where} is a totals/footer line under the last visit; new rows would go below it, so nothing was written",
        ),
        msg(
            f"请把第 {'、'.join(map(str, below))} 行剪切到别处（或删除；合计可以用公式放在表头上方；若是 Excel 表格的"
            "汇总行，请在 表设计 → 汇总行 关闭），再运行一次；或在 followup.toml 中设置 visit_log，把记录写到单独的工作簿",
            f"cut row(s) {', '.join(map(str, below))} somewhere else (or delete them; a total can sit above the "
            "header as a formula; an Excel table's Total Row is turned off in Table Design → Total Row) and run "
            "again; or set visit_log in followup.toml to record into a separate workbook",
        ),
    )


def kept_newest_first(archive: Archive, src: SheetSource | None) -> bool:
    """The visit sheet lists its visits newest first (the clerk types each on top): at least
    three visits on different days, and every change of day from one row to the next going
    back in time. New rows still go at the bottom (moving every row down is no surgical
    write), and `record` says so."""
    if src is None:
        return False
    days = [
        d.date() if isinstance(d, dt.datetime) else d
        for _row, d in sorted((v.row, v.date) for v in archive.visits if v.src is src and v.row is not None)
        if isinstance(d, dt.date)
    ]
    steps = [(a > b) for a, b in zip(days, days[1:]) if a != b]
    return len(steps) >= 2 and all(steps)
