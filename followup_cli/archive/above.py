"""Rows above a sheet's header row that hold data: named, never dropped silently.

The header row is the one among the first rows that names most of a role's fields; what lies
above it is usually a title, an export banner, notes or a grouped header row, passed over. A
row there that fills most of the header's width is data or another header row, and `check`
says that it was not read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup_cli.archive.problems import WARNING, Problem
from followup_cli.text.messages import msg

if TYPE_CHECKING:
    from followup_cli.archive.raw import RawSheet
    from followup_cli.archive.sheetmap import SheetMap


def _filled(row) -> int:
    return sum(1 for v in row if v is not None and v != "" and not (v.__class__ is str and not v.strip()))


def rows_above(raw: RawSheet, rows: list, i: int, sheet: SheetMap) -> list:
    """Rows above the header row that look like data or another header row (most of the header's
    width filled) are not read: named, never dropped silently. A title, a grouped header row
    (基本信息 | 联系方式, merged) or a note fills a few cells and is passed over quietly."""
    need = max(3, -(-3 * _filled(rows[i]) // 5))  # 60% of the header's cells
    merged_from_above = any(u.note and u.header and u.header != str(rows[i][u.col] or "").strip() for u in sheet.uses)
    skipped = [k for k in range(i) if _filled(rows[k]) >= need and not (merged_from_above and k == i - 1)]
    if not skipped:
        return []
    shown = _row_list(skipped)
    return [
        Problem(
            WARNING,
            str(raw.file),
            raw.name,
            f"A{skipped[0] + 1}",
            None,
            msg(
                f"表头认定在第 {i + 1} 行；上面的第 {shown} 行看起来是数据或另一行表头，没有读取。"
                "若表头其实在上面，请在 followup.toml 中对应这些表头（运行 followup columns 查看）",
                f"the header row was taken to be row {i + 1}; row(s) {shown} above it look like data or "
                "another header and were not read. If the header is higher up, map its headers in "
                "followup.toml (see followup columns)",
            ),
            "rows-above-header",
        )
    ]


def _row_list(rows0: list[int]) -> str:
    """0-based row indexes as Excel's rows, runs joined: 3-5, 8."""
    runs, start = [], None
    for k, r in enumerate(rows0):
        if start is None:
            start = r
        if k + 1 == len(rows0) or rows0[k + 1] != r + 1:
            runs.append(f"{start + 1}" if start == r else f"{start + 1}-{r + 1}")
            start = None
    return ", ".join(runs)
