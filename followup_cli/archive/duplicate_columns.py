"""A second column for a field a column already gives (sheetmap.py): said, and used where the
first is empty for the fields in FILLS_EMPTY (parsing.py)."""

from __future__ import annotations

from followup_cli.archive.problems import NOTE, WARNING, Problem
from followup_cli.archive.schema import field_by_name
from followup_cli.text.messages import msg
from followup_cli.xlsx.refs import cell_ref, col_letters


def _zh(role: str, name: str) -> str:
    f = field_by_name(role, name)
    return f.zh if f else name


# A second column of these gives the rows whose first one is empty (parsing.py): Phone and Default
# Address Phone; 公历生日 and 农历生日, each member's birthday in one or the other.
FILLS_EMPTY = ("phone", "birthday")


def duplicate(raw: object, sheet: object, use: object, columns: dict, i: int, clock: bool = False) -> None:
    used = col_letters(columns[use.field] + 1)
    if clock:
        # the time of day of the date in the other column: not needed to plan or close a task
        sheet.problems.append(
            Problem(
                NOTE,
                str(raw.file),
                raw.name,
                cell_ref(i, use.col),
                use.header,
                msg(
                    f"这一列是 {used} 列日期的时刻，排期和核销不需要它，未读取",
                    f"this column holds the time of day of the date in column {used}: not needed to plan or "
                    "close a follow-up, not read",
                ),
                "time-of-day",
            )
        )
        use.note = msg(f"{used} 列日期的时刻，未读取", f"the time of day of the date in column {used}: not read")
        use.resembles, use.similarity, use.duplicate = use.field, use.confidence, True  # said here, not again
        use.field, use.how, use.confidence = None, "", 0.0
        return
    sheet.problems.append(
        Problem(
            WARNING,
            str(raw.file),
            raw.name,
            cell_ref(i, use.col),
            use.header,
            msg(
                f"“{_zh(sheet.role, use.field)}”的第二列；使用的是 {used} 列"
                + ("，它为空时用这一列" if use.field in FILLS_EMPTY else ""),
                f"a second column for {use.field}; the one in column {used} is used"
                + (", this one where it is empty" if use.field in FILLS_EMPTY else ""),
            ),
            "duplicate-column",
        )
    )
    use.resembles, use.similarity, use.duplicate = use.field, use.confidence, True
    use.note = (
        msg(f"与 {used} 列重复：{used} 列为空时采用", f"same field as column {used}: used where {used} is empty")
        if use.field in FILLS_EMPTY
        else msg(f"与 {used} 列重复，未采用", f"same field as column {used}: not used")
    )
    use.field, use.how, use.confidence = None, "", 0.0
