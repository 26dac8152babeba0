"""Rows a clerk marks void instead of deleting them: struck through, filled with a colour, or with
作废 / 已删除 written in their notes. A hand-kept book often strikes a member out (a member who left,
a duplicate, a wrong entry), voids a visit entered by mistake, and colours rows for reasons of its
own (called today, VIP, a complaint).

- A customer row whose filled cells are mostly struck through is a removed customer: still read
  (their visits and purchases still link), never contacted, and `check` warns naming the rows;
  `due --explain` says "row 5 of 会员资料 is struck through". A struck row of another sheet (a visit,
  an order) is void: not read, and said. (A customer's 备注 saying 作废 is archive/refusals.py's.)
- A visit, purchase, ticket or project row whose notes say it is void (作废, 已删除, 录错, 重复录入,
  无效记录, void) is not read either, and `check` warns at the cell: a void visit must not close a
  task, a void order must not bring a product-use call.
- A customer row filled with a colour is read as written: a colour has no meaning the reader could
  know, so `check` notes the rows, with what to write instead if the colour marks who not to call.

Only an .xlsx says so, in its styles: the cell formats (cellXfs) whose font strikes through or whose
fill is a colour. A workbook with neither (most exports, every workbook followup writes) costs one
look at styles.xml; otherwise the sheet's part is looked at once more for the cells of those formats.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from followup_cli.archive.problems import NOTE, WARNING, Problem
from followup_cli.text.messages import msg
from followup_cli.xlsx import bounds
from followup_cli.xlsx.package import Package, _local
from followup_cli.xlsx.refs import cell_ref, parse_cell_ref

if TYPE_CHECKING:
    from followup_cli.archive.records import SheetSource

STRIKE, FILL = "strike", "fill"
_OFF = ("0", "false")


def mark_styles(path: Path) -> dict[str, frozenset[str]]:
    """{STRIKE: the cellXfs indexes whose font strikes through, FILL: those filled with a colour}."""
    out = {STRIKE: frozenset(), FILL: frozenset()}
    try:
        with zipfile.ZipFile(path) as zf:
            pkg = Package(zf, str(path))
            main = pkg.main_part()
            part = next((t for _r, rtype, t in pkg.relationships(main) if rtype.endswith("/styles")), None)
            if part is None or not pkg.has(part):
                return out
            data = pkg.read(part)
            if b"strike" not in data and b"solid" not in data and b"gradientFill" not in data:
                return out
            root = pkg.xml(part)
    except Exception:  # calamine read the book; a look at its styles that fails changes nothing
        return out
    struck_fonts, coloured_fills = set(), set()
    for el in root.iter():
        tag = _local(el.tag)
        if tag == "fonts":
            for i, font in enumerate(f for f in el if _local(f.tag) == "font"):
                if any(_local(x.tag) == "strike" and x.get("val", "1").lower() not in _OFF for x in font):
                    struck_fonts.add(str(i))
        elif tag == "fills":
            for i, fill in enumerate(f for f in el if _local(f.tag) == "fill"):
                if any(_coloured(x) for x in fill):
                    coloured_fills.add(str(i))
    strike, fill = set(), set()
    for el in root.iter():
        if _local(el.tag) == "cellXfs":
            for i, xf in enumerate(x for x in el if _local(x.tag) == "xf"):
                if xf.get("fontId", "0") in struck_fonts:
                    strike.add(str(i))
                if xf.get("fillId", "0") in coloured_fills:
                    fill.add(str(i))
            break
    return {STRIKE: frozenset(strike), FILL: frozenset(fill)}


def _coloured(el) -> bool:
    tag = _local(el.tag)
    if tag == "gradientFill":
        return True
    if tag != "patternFill" or el.get("patternType", "none") in ("none", "gray125"):
        return False
    fg = next((c for c in el if _local(c.tag) == "fgColor"), None)
    # a solid fill of white or of the automatic colour looks like no fill at all
    return fg is None or (fg.get("rgb", "").upper() not in ("FFFFFFFF", "00FFFFFF") and fg.get("auto") != "1")


_TAG = re.compile(rb"<(?:[\w.-]+:)?(row|c)\s([^>]*)>")
_ATTR_S = re.compile(rb"""\bs\s*=\s*["'](\d+)["']""")
_ATTR_R = re.compile(rb"""\br\s*=\s*["']([A-Za-z]{0,3}\d{1,7})["']""")


def scan(path: Path, part: str, styles: dict[str, frozenset[str]]) -> dict[str, tuple[set, set]]:
    """{STRIKE or FILL: (cells (row, col) 0-based, rows 0-based styled whole)} of the sheet's part."""
    wanted = {s.encode() for s in styles[STRIKE] | styles[FILL]}
    out: dict[str, tuple[set, set]] = {STRIKE: (set(), set()), FILL: (set(), set())}
    if not wanted:
        return out
    strike = {s.encode() for s in styles[STRIKE]}
    fill = {s.encode() for s in styles[FILL]}
    carry = b""
    row = -1
    try:
        with zipfile.ZipFile(path) as zf:
            for chunk in bounds.inflate(zf, zf.getinfo(part), path):
                data = carry + chunk
                cut = data.rfind(b"<")
                carry, data = data[cut:], data[:cut]
                row = _scan_chunk(data, wanted, strike, fill, out, row)
        _scan_chunk(carry, wanted, strike, fill, out, row)
    except Exception:  # calamine read the part; a second look that fails changes nothing
        return {STRIKE: (set(), set()), FILL: (set(), set())}
    return out


def _scan_chunk(data: bytes, wanted, strike, fill, out, row: int) -> int:
    for m in _TAG.finditer(data):
        attrs = m.group(2)
        ref = _ATTR_R.search(attrs)
        if m.group(1) == b"row":
            row = int(ref.group(1)) - 1 if ref else row + 1
        s = _ATTR_S.search(attrs)
        if s is None or s.group(1) not in wanted:
            continue
        for kind, ids in ((STRIKE, strike), (FILL, fill)):
            if s.group(1) not in ids:
                continue
            if m.group(1) == b"row":
                if b"customFormat" in attrs:
                    out[kind][1].add(row)
            elif ref:
                r, c = parse_cell_ref(ref.group(1).decode())
                out[kind][0].add((r - 1, c - 1))
    return row


def marked_rows(rows: list, first: int, cells: set, whole: set) -> list[int]:
    """The rows from `first` on (0-based) whose filled cells are mostly marked (or the whole row)."""
    by_row: dict[int, int] = {}
    for r, c in cells:
        if r >= first and r < len(rows) and c < len(rows[r]) and rows[r][c] not in (None, ""):
            by_row[r] = by_row.get(r, 0) + 1
    out = []
    for r in sorted(set(by_row) | {r for r in whole if first <= r < len(rows)}):
        filled = sum(1 for v in rows[r] if v not in (None, ""))
        if filled and (r in whole or by_row.get(r, 0) * 2 > filled):
            out.append(r)
    return out


def fold(src: SheetSource, kept: list, current: list | None) -> list | None:
    """do_not_contact per row with the struck rows (src.struck) made do-not-contact."""
    if not src.struck:
        return current
    out = list(current) if isinstance(current, list) else [None] * len(kept)
    for k, i in enumerate(kept):
        if i in src.struck:
            out[k] = True
            src.refusals.setdefault(i + 1, {"struck": str(i + 1), "header": src.sheet})
    return out


VOID_ROLES = frozenset({"purchases", "visits", "tickets", "projects"})
_VOID_RE = re.compile(
    r"作废|已删除|删除此行|此行删除|录错|录入错误|填错|重复录入|重复登记|无效记录|\bvoid(?:ed)?\b|\bdeleted\b", re.I
)
_NOTES_WORDS = ("备注", "说明", "备忘", "note", "remark", "comment", "memo")


def passed_over(role: str, src: SheetSource, rows: list, kept: list, problems: list) -> list:
    """`kept` without the rows of a non-customer sheet that are void: struck through (src.struck), or
    whose notes say so; each said. A customer's rows are all kept (fold makes the struck ones
    do-not-contact)."""
    if role not in VOID_ROLES:
        return kept
    if src.struck:
        kept = [i for i in kept if i not in src.struck]
    cols = sorted(
        {c for h, c in src.extra_columns.items() if any(w in str(h).lower() for w in _NOTES_WORDS)}
        | ({src.columns["notes"]} if "notes" in src.columns else set())
    )
    if not cols:
        return kept
    void = {}
    for col in cols:
        texts = [rows[i][col] if col < len(rows[i]) else None for i in kept]
        if not _VOID_RE.search("\n".join(t for t in texts if t.__class__ is str)):
            continue  # one search over the whole column: a log's notes seldom say it
        for i, t in zip(kept, texts, strict=True):
            if t.__class__ is str and i not in void and (m := _VOID_RE.search(t)):
                void[i] = (col, t, m.group())
    for i, (col, t, word) in sorted(void.items()):
        header = src.headers[col] if col < len(src.headers) else ""
        problems.append(
            Problem(
                WARNING,
                str(src.file),
                src.sheet,
                cell_ref(i, col),
                t,
                msg(
                    f"{header}写着“{word}”：这一行按作废处理，不读取；若它有效，请改写该单元格",
                    f"{header} says '{word}': the row is read as void and not read; reword the cell if it stands",
                ),
                "void-row",
            )
        )
    return [i for i in kept if i not in void] if void else kept


def _rows_said(rows: list[int]) -> str:
    shown = ", ".join(str(r + 1) for r in rows[:10])
    return shown + (f" … (+{len(rows) - 10})" if len(rows) > 10 else "")


def struck_problem(src: SheetSource, struck: list[int]) -> Problem:
    rows = _rows_said(struck)
    if src.role == "customers":
        message = msg(
            f"第 {rows.replace(', ', '、')} 行整行有删除线：按已删除的客户处理，仍然读取但不安排回访；"
            "若他们可以联系，请去掉删除线",
            f"row(s) {rows} are struck through: read as removed customers, still read but never contacted; "
            "remove the strikethrough if they may be contacted",
        )
    else:
        message = msg(
            f"第 {rows.replace(', ', '、')} 行整行有删除线：按作废处理，不读取；若这些行有效，请去掉删除线",
            f"row(s) {rows} are struck through: read as void, not read; remove the strikethrough if they stand",
        )
    return Problem.of_sheet(WARNING, src, message, "struck-rows")


def filled_problem(src: SheetSource, filled: list[int]) -> Problem:
    rows = _rows_said(filled)
    return Problem.of_sheet(
        NOTE,
        src,
        msg(
            f"第 {rows.replace(', ', '、')} 行涂了底色；颜色不作为数据读取，这些客户照常回访。"
            "若颜色表示已删除或勿扰，请在“状态”或“备注”中写明（如 已删除、勿扰）",
            f"row(s) {rows} are filled with a colour; colours are not read, so these customers are contacted as "
            "usual. If the colour marks removed or do-not-call customers, write it in a 状态 or 备注 column "
            "(已删除, 勿扰)",
        ),
        "filled-rows",
    )
