"""`check`'s table for people: one problem repeated down a column said once.

A shop's archive often has one cause behind thousands of problems (an owner who left is the
owner of 2,500 customers; a column of dates typed one odd way): the table would repeat the
same line for every cell, and the other problems drown in it. In the table, a problem found
in more than SHOWN cells of one column, with the same value and the same words, is one row:
its first cells named, and how many more there are and where the whole list is (the csv,
json and xlsx outputs keep one row per cell, for scripts and for filtering in Excel). The
summary line still counts every cell.
"""

from __future__ import annotations

import re
import shlex

from followup_cli.text.clerk import repeated_problem

SHOWN = 3  # cells named in a folded row
_COLUMN = re.compile(r"[A-Z]+")


def fold_repeats(problems: list, rows: list[dict], lang: str, archives: tuple[str, ...] = ()) -> list[dict]:
    """`rows` (one per problem of `problems`, in the same order) with each problem repeated in
    more than SHOWN cells of one column folded into the row of its first cell; `archives`, the
    command's ARCHIVE... as typed, go into the command it gives for the whole list."""
    typed = " ".join(shlex.quote(str(a)) for a in archives)
    groups: dict[tuple, list[int]] = {}
    for i, p in enumerate(problems):
        if not p.cell or not p.sheet:
            continue
        m = _COLUMN.match(p.cell)
        if m is None:
            continue
        key = (p.severity, p.file, p.sheet, m.group(0), p.value, p.code, p.text(lang))
        groups.setdefault(key, []).append(i)
    # the first row of each repeated problem -> its rows and its column
    folded = {m[0]: (m, key[3]) for key, m in groups.items() if len(m) > SHOWN}
    if not folded:
        return rows
    dropped = {i for members, _ in folded.values() for i in members[1:]}
    out = []
    for i, row in enumerate(rows):
        if i in dropped:
            continue
        if i in folded:
            members, column = folded[i]
            cells = [problems[k].cell for k in members[1:SHOWN]]
            row = dict(row)
            row["where"] = f"{row['where']}, {', '.join(cells)} …"
            more = repeated_problem(len(members) - SHOWN, column, typed).text(lang)
            row["message"] = f"{row['message']}{more}"
        out.append(row)
    return out
