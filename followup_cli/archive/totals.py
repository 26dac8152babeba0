"""Totals and footer rows under (or between) the data: 合计/总计/小计 lines, a book's 本月合计 |
1次, 制表人/打印时间 notes. They are passed over, never read as records, and reported."""

from __future__ import annotations

import re

from followup_cli.archive import cells as parse
from followup_cli.archive.headers import norm_header
from followup_cli.archive.problems import NOTE, Problem
from followup_cli.archive.records import SheetSource
from followup_cli.archive.schema import header_index, required_groups
from followup_cli.archive.synonyms import FOOTER_WORDS, TOTAL_WORDS
from followup_cli.text.messages import msg


def without_totals(role: str, src: SheetSource, rows: list, kept: list[int], problems: list[Problem]) -> list[int]:
    """The rows left once totals (合计/总计/小计) and footer rows (制表人, 打印时间) are passed over;
    each one passed over is reported. Only rows whose key cell is empty or a word are looked at."""
    keys = [next((src.columns[g] for g in group if g in src.columns), None) for group in required_groups(role)]
    key = next((k for k in keys if k is not None), 0)
    # Cheap passes over the key column pick the suspects (an empty key cell, a key that is a totals
    # word, the last rows); only those few rows are then read properly.
    col = [row[key] if key < len(row) else None for row in map(rows.__getitem__, kept)]
    suspects = {k for k, v in enumerate(col) if not v}
    words = _EXACT.intersection(col)
    if words:
        suspects.update(k for k, v in enumerate(col) if v in words)
    # a count with its unit where the key belongs (本月合计 | 1次): a totals line anywhere in the sheet
    suspects.update(k for k, v in enumerate(col) if v.__class__ is str and v[-1:] in _UNITS and _COUNT.match(v))
    suspects.update(range(max(0, len(kept) - TAIL_ROWS), len(kept)))
    # the header again: a translation row under it (Customer ID | Name under 客户编号 | 姓名), or a
    # second export pasted under the first, its header row and all
    head = src.headers[key] if key < len(src.headers) else None
    again = set(range(min(HEAD_ROWS, len(kept))))
    if head:
        again.update(k for k, v in enumerate(col) if v == head)
    suspects.update(again)
    suspects = [kept[k] for k in sorted(suspects)]
    drop = {}
    headers_again = {kept[k] for k in again}
    for i in suspects:
        kind = _total_or_footer(rows[i], key) or (
            "header" if i in headers_again and _header_again(rows[i], src) else None
        )
        if kind:
            drop[i] = kind
    if not drop:
        return kept
    heads = sorted(i for i, kind in drop.items() if kind == "header")
    if heads:
        problems.append(
            Problem.of_sheet(
                NOTE,
                src,
                msg(
                    f"第 {'、'.join(str(i + 1) for i in heads[:10])} 行是又一行表头（与第 {src.header_row} 行的列相同），"
                    "不作为数据读取",
                    f"row(s) {', '.join(str(i + 1) for i in heads[:10])} repeat the header (the same columns as row "
                    f"{src.header_row}): passed over, not read as data",
                ),
                "header-again",
            )
        )
        src.skipped.extend((i + 1, "header") for i in heads)
        for i in heads:
            del drop[i]
        if not drop:
            return [i for i in kept if i not in set(heads)]
    src.skipped.extend((i + 1, kind) for i, kind in sorted(drop.items()))  # Excel rows
    shown = ", ".join(str(i + 1) for i in sorted(drop)[:10]) + (" …" if len(drop) > 10 else "")
    problems.append(
        Problem.of_sheet(
            NOTE,
            src,
            msg(
                f"跳过 {len(drop)} 行合计/页脚（第 {shown} 行），不作为数据读取",
                f"{len(drop)} totals/footer row(s) passed over, not read as data (row {shown})",
            ),
            "totals-row",
        )
    )
    return [i for i in kept if i not in drop and i not in set(heads)]


TAIL_ROWS = 50  # footers and grand totals sit at the end
HEAD_ROWS = 2  # a translation of the header sits right under it


def _header_again(row, src: SheetSource) -> bool:
    """Whether a row names, column by column, the fields the header row gave those columns: at
    least two of them and most of its filled cells."""
    index = header_index(src.role)
    same = filled = 0
    for field, c in src.columns.items():
        v = row[c] if c < len(row) else None
        if parse.is_blank(v):
            continue
        filled += 1
        if v.__class__ is str and (norm_header(v) == norm_header(src.headers[c]) or index.lookup(v) == field):
            same += 1
    return same >= 2 and 2 * same > filled


_EXACT = frozenset(w for base in TOTAL_WORDS for w in (base, base.upper(), base.title(), base + "：", base + ":"))
_TOTALS = {norm_header(w) for w in TOTAL_WORDS}
_FOOTERS = tuple(norm_header(w) for w in FOOTER_WORDS)


def _period_total(n: str) -> bool:
    """'本月合计', '本周小计', '全年总计': a short period word before a Chinese totals word (a hand-kept
    book's footer line), the same rule as 合计 itself."""
    return any(n.endswith(t) and len(n) <= len(t) + 3 for t in _TOTALS if len(t) >= 2 and not t.isascii())


def _total_or_footer(row, key: int) -> str | None:
    """'total' or 'footer' for a row that is one, else None. The word must open the row (its
    first filled cell) and the key cell must be empty or be that word: a purchase of a 打印机
    is not a footer, a customer called 小计 is not a total."""
    filled = [(j, v) for j, v in enumerate(row) if v is not None and not (v.__class__ is str and not v.strip())]
    if not filled:
        return None
    j, first = filled[0]
    if first.__class__ is not str:
        return None
    n = norm_header(first)
    if j != key and key < len(row) and not parse.is_blank(row[key]):
        # The key cell holds something: a total only when the row opens with a totals word and the
        # key holds a count (本月合计 | 1次, 合计 | 12), never an id (a customer called 小计 | C7).
        if (n in _TOTALS or _period_total(n)) and _is_count(row[key]):
            return "total"
        return None
    if n in _TOTALS or any(n.startswith(t) for t in _TOTALS if len(t) >= 2) or _period_total(n):
        return "total"
    if len(filled) <= 2 and n.startswith(_FOOTERS):
        return "footer"
    if len(filled) == 1 and _LABEL_LINE.match(first.strip()):
        return "footer"  # a lone "label: text" line (填表人：店长, 核对：王) is a note under the data, not a record
    return None


_UNITS = frozenset("次人位条笔单个件项户名家元天")
_COUNT = re.compile(
    r"^\s*[¥￥$]?\s*\d[\d,]*(\.\d+)?\s*([次人位条笔单个件项户名家元天]|times?|visits?|calls?)?\s*$", re.I
)


def _is_count(value) -> bool:
    """A number or a count with its unit ('1次', '12 人', '¥3,200'), as a totals line holds."""
    if value.__class__ in (int, float):
        return True
    return value.__class__ is str and _COUNT.match(value) is not None


_LABEL_LINE = re.compile(r"^[^\d:：]{1,8}[:：]\s*\S")
