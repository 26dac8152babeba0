"""Columns with values but no header (a column added at the right of a hand-kept sheet and never
headed): never dropped without a word.

The reader matches columns by their headers, so such a column becomes no field; before this it
was not even listed by `followup columns`, and a 勿扰 typed in it was lost. Now each one is named
(`columns`: "no header"; `check`: a warning at its header cell with how many cells it holds and
the first of them), and a customer sheet's is read for a refusal written in words like a 备注
column (archive/refusals.py), so a customer who said 勿扰 there is still not called.
"""

from __future__ import annotations

from followup_cli.archive import sniff
from followup_cli.text.messages import msg
from followup_cli.xlsx.refs import cell_ref

SHOWN = 3  # cells quoted in the warning


def is_unheaded(use: object) -> bool:
    """A column of the header row with no header but values under it, read as no field."""
    return use.field is None and not use.header and use.values not in ("", sniff.EMPTY) and not use.duplicate


def name_unheaded(rows: list, start: int, uses: list, role: str) -> None:
    """A note on each unheaded column with values: how many cells, the first ones."""
    for use in uses:
        if not is_unheaded(use):
            continue
        cells = []
        count = 0
        for k in range(start, len(rows)):
            row = rows[k]
            v = row[use.col] if use.col < len(row) else None
            if v is None or (isinstance(v, str) and not v.strip()):
                continue
            count += 1
            if len(cells) < SHOWN:
                cells.append(f"{cell_ref(k, use.col)} '{v}'")
        shown = ", ".join(cells) + (" …" if count > SHOWN else "")
        scanned_zh = "；只用来查看是否写有拒绝联系的话（勿扰……）" if role == "customers" else ""
        scanned_en = "; read only for a refusal in words (勿扰, do not call ...)" if role == "customers" else ""
        use.note = msg(
            f"这一列没有表头，但有 {count} 个单元格有内容（{shown}），不作为任何字段读取{scanned_zh}；请给它写上表头",
            f"this column has no header but {count} cell(s) hold values ({shown}): not read as any field"
            f"{scanned_en}; give it a header",
        )
