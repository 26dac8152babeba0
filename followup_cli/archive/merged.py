"""Cells merged down a column of data: one order over several item rows.

A shop's order book often merges 订单号, 客户编号 and 下单日期 down the rows of one order's items;
the value sits in the top cell only and Excel shows it on every row. Each row of such a range
takes the top cell's value, and `check` says so in a note naming the ranges. Only ranges one
column wide and below the header row are filled: a title or a note merged across columns is
not the value of the columns it covers.
"""

from __future__ import annotations

from followup_cli.archive.problems import NOTE, Problem
from followup_cli.text.messages import msg
from followup_cli.xlsx.refs import cell_ref


def fill_merged_down(rows: list[list], merges: list, header_idx: int, file: str, sheet: str) -> Problem | None:
    """Fill each one-column merged range below the header from its top cell; the note, or None."""
    filled = []
    for (r0, c0), (r1, c1) in sorted(merges or ()):
        if c0 != c1 or r1 <= r0 or r0 <= header_idx or r0 >= len(rows):
            continue
        top = rows[r0][c0] if c0 < len(rows[r0]) else None
        if top is None or top == "":
            continue
        for r in range(r0 + 1, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if c0 >= len(row):
                row.extend([""] * (c0 + 1 - len(row)))
            if row[c0] is None or row[c0] == "":
                row[c0] = top
        filled.append(f"{cell_ref(r0, c0)}:{cell_ref(r1, c0)}")
    if not filled:
        return None
    shown = filled[:6]
    more_zh = f" 等 {len(filled)} 处" if len(filled) > 6 else ""
    more_en = f" and {len(filled) - 6} more" if len(filled) > 6 else ""
    return Problem(
        NOTE,
        file,
        sheet,
        None,
        None,
        msg(
            f"合并单元格 {'、'.join(shown)}{more_zh}：合并的值用于它覆盖的每一行",
            f"merged cells {', '.join(shown)}{more_en}: the merged value is read on every row it covers",
        ),
        "merged-down",
    )
