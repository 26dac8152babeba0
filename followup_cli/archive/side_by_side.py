"""A second table beside the first in one sheet (一店 | 二店 side by side, an empty column between):
never read as the first table's columns, never dropped unsaid.

The reader takes one header row per sheet, so the second table's headers are second columns of
fields the first already has. Before this, `check` said only "a second column for id" (six times)
and its rows were lost; worse, a second phone column fills the first's empty cells, so a customer
of the first table took the phone of the customer beside them in the second. Now the second table
is one warning naming its columns and how many rows it holds (not read: put it below the first or
in a sheet of its own), and none of its columns stands in for the first table's.
"""

from __future__ import annotations

from followup_cli.archive.problems import WARNING, Problem
from followup_cli.text.messages import msg
from followup_cli.xlsx.refs import cell_ref, col_letters

MIN_REPEATED = 2  # headers of the first table the second one repeats


def tables_beside(raw: object, sheet: object, rows: list, start: int, header_idx: int) -> None:
    """Find a second table to the right of an empty column whose headers repeat the first's."""
    uses = sheet.uses
    for gap in (u.col for u in uses if not u.header and u.field is None and u.values in ("", "empty")):
        right = [u for u in uses if u.col > gap and u.header]
        left = [u for u in uses if u.col < gap and u.header]
        repeated = [u for u in right if u.duplicate]
        if len(repeated) < MIN_REPEATED or len(repeated) * 2 < len(right) or not left:
            continue
        if any(u.field for u in right):
            continue  # a column right of the gap is read: one table with an empty column in it
        first, last = right[0].col, right[-1].col
        filled = sum(1 for row in rows[start:] if any(v not in (None, "") for v in row[first : last + 1]))
        where = f"{col_letters(first + 1)}-{col_letters(last + 1)}"
        dropped = {cell_ref(header_idx, u.col) for u in right}
        sheet.problems[:] = [p for p in sheet.problems if not (p.code == "duplicate-column" and p.cell in dropped)]
        for u in right:
            u.resembles, u.similarity = None, 0.0  # never fills the first table's empty cells
            u.note = msg(
                f"旁边第二张表（{where} 列）的一列，未读取",
                f"a column of a second table beside the first ({where}): not read",
            )
        sheet.problems.append(
            Problem(
                WARNING,
                str(raw.file),
                raw.name,
                cell_ref(header_idx, first),
                right[0].header,
                msg(
                    f"{where} 列是并排放在旁边的第二张表（表头与 {col_letters(left[0].col + 1)}-"
                    f"{col_letters(left[-1].col + 1)} 列相同），其中 {filled} 行没有读取；请把它移到第一张表下方，"
                    "或放到单独的工作表",
                    f"columns {where} are a second table beside the first (the headers of columns "
                    f"{col_letters(left[0].col + 1)}-{col_letters(left[-1].col + 1)} again): its {filled} row(s) "
                    "are not read; move it below the first table or into a sheet of its own",
                ),
                "table-beside",
            )
        )
        return
