"""A tier or grade column of numbers (会员等级 1 / 2 / 3) and where the shop says what they mean.

A member system or a hand-kept book often keeps the level as a number and spells the meaning once:
in the header's brackets (会员等级(1普通 2银卡 3金卡)) or in a legend line above the header
(会员等级说明：1=普通 2=银卡 3=金卡). The numbers are then read as those words (so a rule for 金卡
members finds them), and `columns` and `check` name the code set and where it came from. With no
legend, the numbers stay as they are, and a rule for 金卡 that no customer's cell matches is a
warning of `check` (archive/coverage.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup_cli.archive import sniff
from followup_cli.archive.headers import norm_header, split_header
from followup_cli.text.messages import msg

if TYPE_CHECKING:
    from followup_cli.archive.sheetmap import SheetMap

FIELDS = ("tier", "grade")
_LEVEL_WORDS = ("等级", "级别", "level", "tier", "grade")


def _legend_above(rows: list, i: int, header: str) -> tuple[dict, int] | None:
    """(code set, 1-based row) of a line above the header that names this column and its codes."""
    core = norm_header(split_header(header)[0])
    for r in range(i):
        for v in rows[r]:
            if v.__class__ is not str:
                continue
            key = norm_header(v)
            if (core and core in key) or any(w in key for w in _LEVEL_WORDS):
                codes = sniff.codes_in_notes([v])
                if codes:
                    return codes, r + 1
    return None


def level_codes(sheet: SheetMap, uses: list, rows: list, start: int, i: int) -> None:
    """Give a tier or grade column of numbers the code set its header or a legend above spells."""
    for u in uses:
        if u.field not in FIELDS or u.col != sheet.columns.get(u.field) or u.field in sheet.codes:
            continue
        codes = sniff.codes_in_notes(split_header(u.header)[1])
        where = None
        if codes is None:
            found = _legend_above(rows, i, u.header)
            if found is None:
                continue
            codes, where = found
        seen = {k for k in map(sniff.code_key, sniff.sample(rows, start, u.col)) if k is not None}
        if not seen or not seen <= set(codes):
            continue  # words, or a number the legend does not name: the cells are read as they are
        sheet.codes[u.field] = codes
        spelled = " / ".join(f"{k} {v}" for k, v in codes.items())
        u.note = (
            msg(f"代码：{spelled}（见表头）", f"codes: {spelled} (from the header)")
            if where is None
            else msg(f"代码：{spelled}（见第 {where} 行的说明）", f"codes: {spelled} (from the legend in row {where})")
        )
