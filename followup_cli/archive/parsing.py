"""Cells of one sheet turned into records, column by column (the fast path), then what
needs more than one cell: codes, lunar birthdays, consent folded into do_not_contact, names
joined, the phone standing in for a missing id, the kind read from a visit's free text, and
totals or footer rows passed over (and reported).
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from itertools import repeat
from operator import itemgetter

from followup_cli.archive import birth_dates, order_status, refusals, row_marks, said_in_visits, written_dates
from followup_cli.archive import cells as parse
from followup_cli.archive import consent as consent_mod
from followup_cli.archive.converters import (
    BadCell,
    Kept,
    PhoneWarning,
    Unfilled,
    converter,
    parse_column,
    shared_values,
)
from followup_cli.archive.headers import split_header
from followup_cli.archive.problems import ERROR, NOTE, WARNING, Problem
from followup_cli.archive.records import RECORD_CLASSES, SheetSource
from followup_cli.archive.schema import (
    DATE,
    DATETIME,
    PHONE,
    ROLES,
)
from followup_cli.archive.sniff import code_key
from followup_cli.archive.totals import without_totals
from followup_cli.config import Config
from followup_cli.text.messages import msg, text
from followup_cli.xlsx.refs import cell_ref

# Set by the sheet cache while it reads a sheet it will store (cache/sheets.py): the records
# then come as a Records list that also holds the columns they were made from, so storing
# them does not take every field out of every record again.
KEEP_COLUMNS: ContextVar[bool] = ContextVar("followup_keep_columns", default=False)


class Records(list):
    """Records, and `columns`: field name → the list each record's value came from, or NONE
    for a field no record holds; None once the cache has used them (they are not kept)."""

    columns: dict | None = None


NONE = "none"

# what stands in for a missing name or id, and who may be called, are always read
_ALWAYS_READ = frozenset(
    "first_name last_name nickname contact_ok contact_wish account_status do_not_contact content".split()
)


def parse_rows(
    role: str,
    src: SheetSource,
    rows: list[list],
    header_idx: int,
    config: Config,
    date1904: bool,
    problems: list,
    only: set | None = None,
) -> list:
    """Records of one sheet, column by column; `only` limits the fields parsed (the others stay None).
    The rows below the header are taken out of `rows` once read (the records hold what is kept)."""
    cls = RECORD_CLASSES[role]
    order = {name: k for k, name in enumerate(cls.__dataclass_fields__)}
    if only is not None:
        only = only | _ALWAYS_READ
        if "customer_id" not in src.columns:
            only |= {"phone", "customer_name", "email"}
    fields = {f.name: f for f in ROLES[role]["fields"]}
    file, sheet = str(src.file), src.sheet
    # blank rows are harmless; a row of zeros is not blank (the slow test runs only on rows that look so)
    kept = [
        i
        for i, row in enumerate(rows[header_idx + 1 :], header_idx + 1)
        if any(row) or any(v is not None and v != "" for v in row)
    ]
    kept = without_totals(role, src, rows, kept, problems)
    kept = row_marks.passed_over(role, src, rows, kept, problems)  # a visit struck through or noted 作废
    if role == "purchases":
        kept = order_status.passed_over(src, rows, kept, problems)  # 交易关闭, 已退款, 待付款: no purchase
    data = [rows[i] for i in kept]
    width = min(map(len, data), default=0)  # calamine's rows are all as wide; a CSV's may not be
    if role == "visits":
        said_in_visits.scan(src, data, width, kept)  # 回访结果 "客户说以后别打了"
    nothing = repeat(None)
    columns: list = [nothing] * len(order)
    consent_cols = {c for c, _, _ in src.consent}
    for name, col in src.columns.items():
        if (only is not None and name not in only) or col in consent_cols:
            continue
        f = fields[name]
        raw = list(map(itemgetter(col), data)) if col < width else [row[col] if col < len(row) else "" for row in data]
        codes = src.codes.get(name)
        if codes:
            raw = [codes.get(code_key(v) if v.__class__ is not str else v.strip(), v) for v in raw]
        values, bad = parse_column(f.type, raw, config.date_order, date1904)
        if bad and f.type in (DATE, DATETIME):  # 11-23 in a visit book: the year of the dates around it
            label = msg(f.zh, f"{f.zh} ({f.en})")
            bad = written_dates.resolve(src, values, bad, kept, col, label, problems, f.type == DATE)
        for k, exc in bad:
            problems.append(
                Problem(
                    WARNING if f.type == PHONE or isinstance(exc, (Unfilled, Kept)) else ERROR,
                    file,
                    sheet,
                    cell_ref(kept[k], col),
                    _show(raw[k]),
                    msg(f"{f.zh}：{text(exc.problem, 'zh')}", f"{f.zh} ({f.en}): {exc.problem}"),
                    "ambiguous-date"
                    if exc.ambiguous
                    else "weekday-mismatch"
                    if isinstance(exc, Kept) and f.type != PHONE
                    else "placeholder"
                    if isinstance(exc, Unfilled)
                    else f"bad-{f.type}",
                )
            )
        columns[order[name]] = shared_values(values, f.type, name)
        if role == "visits" and name == "outcome":
            said_in_visits.outcomes(src, columns[order[name]], kept, col)  # 回访结果 "客户说以后别打了"
    if only is not None and "customer_id" in src.columns:
        _refs_where_no_id(src, columns, order, fields, data, config, date1904, only)
    if role == "customers":
        birth_dates.fill(src, columns, order, data, kept, problems)  # 生日月份 + 生日日, 身份证号
        _lunar_birthdays(src, columns, order, data, kept, config, date1904, problems)
        dnc = consent_mod.fold(src, data, kept, problems) if src.consent else columns[order["do_not_contact"]]
        dnc = refusals.fold(src, data, kept, dnc, problems)  # 标签 = 勿扰, 备注 "不要打电话"
        dnc = row_marks.fold(src, kept, dnc)  # a row struck through: a removed customer
        if dnc is not None:
            columns[order["do_not_contact"]] = dnc
        _second_phone(src, columns, order, data, config, date1904)
        _second_birthday(src, columns, order, data, kept, config, date1904, problems)
        _stand_ins(src, columns, order, len(data))
        _names_from_nicknames(src, columns, order, kept, problems)
    if role == "visits" and "content" in src.columns:
        _kinds_from_text(columns, order)
        if "outcome" not in src.columns:
            _missed_calls_from_text(columns, order)
    columns[order["src"]] = repeat(src)
    columns[order["row"]] = [i + 1 for i in kept]
    if role == "customers" and src.extra_columns and (only is None or set(src.extra_columns) & only):
        extra_cols = list(src.extra_columns.items())
        columns[order["extra"]] = [
            {h: row[c] for h, c in extra_cols if c < len(row) and row[c] not in ("", None)} for row in data
        ]
    # The sheet's rows are not needed any more: let them (and the cells of the columns not
    # parsed) go before the records are made, so the two are not held at once.
    data.clear()
    del rows[header_idx + 1 :]
    records = list(map(cls, *columns))
    if not KEEP_COLUMNS.get():
        return records
    kept_columns = Records(records)
    kept_columns.columns = {
        name: NONE if columns[k] is nothing else columns[k]
        for name, k in order.items()
        if columns[k] is nothing or (columns[k].__class__ is list and len(columns[k]) == len(records))
    }
    return kept_columns


def _second_phone(src, columns, order, data, config, date1904) -> None:
    """Phone and Default Address Phone: the second phone column gives the phone of the rows whose
    first one is empty (a Shopify export fills one or the other), never overrides it."""
    second = [u.col for u in src.uses if u.duplicate and u.resembles == "phone"]
    phones = columns[order["phone"]]
    if not second or not isinstance(phones, list):
        return
    conv = converter(PHONE, config.date_order, date1904)
    for k, value in enumerate(phones):
        if value is not None:
            continue
        for col in second:
            row = data[k]
            if col < len(row) and not parse.is_blank(row[col]):
                try:
                    phones[k] = conv(row[col])
                except BadCell as bad:
                    phones[k] = bad.value if isinstance(bad, PhoneWarning) else None
                break


def _second_birthday(src, columns, order, data, kept, config, date1904, problems) -> None:
    """公历生日 and 农历生日 side by side, each member's birthday typed in one of them: a row whose first
    birthday column is empty takes the second's, lunar when that column's header says 农历. A note
    names the rows, so a birthday from the second column is never a surprise."""
    second = [u for u in src.uses if u.duplicate and u.resembles == "birthday"]
    births = columns[order["birthday"]]
    if not second or not isinstance(births, list) or "birthday" not in src.columns:
        return
    filled = []
    for u in second:
        core, notes = split_header(u.header)
        lunar = any(w in core + "".join(notes) for w in ("农历", "阴历", "lunar"))
        for k, value in enumerate(births):
            row = data[k]
            if value is not None or u.col >= len(row) or parse.is_blank(row[u.col]):
                continue
            b, problem = parse.parse_birthday(row[u.col], lunar, config.date_order, date1904)
            if problem:
                problems.append(
                    Problem(
                        ERROR,
                        str(src.file),
                        src.sheet,
                        cell_ref(kept[k], u.col),
                        _show(row[u.col]),
                        msg(f"{u.header}：{text(problem, 'zh')}", f"{u.header} (Birthday): {problem}"),
                        "bad-birthday",
                    )
                )
                continue
            births[k] = b
            filled.append(cell_ref(kept[k], u.col))
    if filled:
        first = src.headers[src.columns["birthday"]]
        shown = ", ".join(filled[:10]) + (" …" if len(filled) > 10 else "")
        problems.append(
            Problem.of_sheet(
                NOTE,
                src,
                msg(
                    f"{len(filled)} 行“{first}”为空，生日取自第二个生日列（{shown.replace(', ', '、')}）",
                    f"{len(filled)} row(s) with an empty {first}: the birthday from the second birthday column "
                    f"({shown})",
                ),
                "birthday-from-second-column",
            )
        )


def _names_from_nicknames(src, columns, order, kept, problems) -> None:
    """An export's 客户姓名 left empty where the member never gave one (有赞's 匿名用户): the row's
    昵称 is its name, said in a note naming the rows."""
    names, nicks = columns[order["name"]], columns[order["nickname"]]
    if "name" not in src.columns or not isinstance(names, list) or not isinstance(nicks, list):
        return
    rows = [k for k, (n, nick) in enumerate(zip(names, nicks)) if n is None and nick is not None]
    if not rows:
        return
    for k in rows:
        names[k] = nicks[k]
    name_h, nick_h = src.headers[src.columns["name"]], src.headers[src.columns["nickname"]]
    shown = ", ".join(str(kept[k] + 1) for k in rows[:10]) + (" …" if len(rows) > 10 else "")
    problems.append(
        Problem.of_sheet(
            NOTE,
            src,
            msg(
                f"{len(rows)} 行“{name_h}”为空，姓名取自“{nick_h}”（第 {shown.replace(', ', '、')} 行）",
                f"{len(rows)} row(s) with an empty {name_h}: the name from {nick_h} (row {shown})",
            ),
            "name-from-nickname-rows",
        )
    )


def _refs_where_no_id(src, columns, order, fields, data, config, date1904, only) -> None:
    """The phone or name of the rows whose customer cell is empty (a visit book giving one or the
    other), read only for those rows: a big sheet with an id on every row pays nothing."""
    ids = columns[order["customer_id"]]
    if not isinstance(ids, list):
        return
    blank = [k for k, v in enumerate(ids) if v is None]
    for name in ("phone", "customer_name", "email"):
        col = src.columns.get(name)
        if col is None or name in only or not blank:
            continue
        conv = converter(fields[name].type, config.date_order, date1904)
        values = [None] * len(data)
        for k in blank:
            row = data[k]
            if col < len(row) and not parse.is_blank(row[col]):
                try:
                    values[k] = conv(row[col])
                except BadCell as bad:
                    values[k] = bad.value if isinstance(bad, PhoneWarning) else None
        columns[order[name]] = values


def _lunar_birthdays(src, columns, order, data, kept, config, date1904, problems) -> None:
    """Birthdays a 生日类型 cell (or the header: 生日（农历）) says are lunar, re-read as lunar dates:
    a POS system writes 农历八月十五 as an ordinary date, 1990-08-15."""
    births = columns[order["birthday"]]
    if not isinstance(births, list) or "birthday" not in src.columns:  # from parts or an ID: done there
        return
    bday_type_col = src.columns.get("birthday_type")
    if src.lunar is None and bday_type_col is None:
        return
    col = src.columns["birthday"]
    codes = src.codes.get("birthday_type") or {}
    file, sheet = str(src.file), src.sheet
    for k, row in enumerate(data):
        if births[k] is None or births[k].lunar:
            continue
        if bday_type_col is not None and bday_type_col < len(row) and not parse.is_blank(row[bday_type_col]):
            marker = row[bday_type_col]
            marker = codes.get(code_key(marker) if marker.__class__ is not str else marker.strip(), marker)
            lunar = parse.is_lunar_marker(marker)
        else:
            lunar = bool(src.lunar)
        if not lunar:
            continue
        b, problem = parse.parse_birthday(row[col], True, config.date_order, date1904)
        if problem:
            problems.append(
                Problem(
                    ERROR,
                    file,
                    sheet,
                    cell_ref(kept[k], col),
                    _show(row[col]),
                    msg(f"生日：{text(problem, 'zh')}", f"生日 (Birthday): {problem}"),
                    "bad-birthday",
                )
            )
        births[k] = b


def _stand_ins(src, columns, order, n) -> None:
    """A name from First/Last (姓/名), else from a nickname (昵称); the phone as the id of a member list keyed by mobile."""
    first, last = columns[order["first_name"]], columns[order["last_name"]]
    if "name" not in src.columns and (isinstance(first, list) or isinstance(last, list)):
        first = first if isinstance(first, list) else [None] * n
        last = last if isinstance(last, list) else [None] * n
        columns[order["name"]] = [_join_name(f, g) for f, g in zip(first, last)]
        src.stand_ins["name"] = "first_name" if "first_name" in src.columns else "last_name"
    elif "name" not in src.columns and isinstance(columns[order["nickname"]], list):
        columns[order["name"]] = list(columns[order["nickname"]])  # 昵称: the only name the export has
        src.stand_ins["name"] = "nickname"
    if "tier" not in src.columns and "tags" in src.columns:
        _tier_from_tags(src, columns, order)
    if "id" not in src.columns and "phone" in src.columns and isinstance(columns[order["phone"]], list):
        columns[order["id"]] = list(columns[order["phone"]])
        src.stand_ins["id"] = "phone"


# A tag that is a membership tier (VIP, SVIP, 金卡, 钻石卡, 普通会员, Gold member ...), whole.
_TIER_TAG = re.compile(
    r"(?:s?vip\d?|(?:超级|至尊)?vip会员|[金银铜钻铂]卡(?:会员)?|(?:钻石|白金|黑金|铂金)卡?(?:会员)?|普通会员|"
    r"(?:gold|silver|platinum|diamond|bronze)(?: ?member)?)",
    re.I,
)
_TAG_SPLIT = re.compile(r"[,，;；、/|]+")


def _tier_from_tags(src, columns, order) -> None:
    """With no tier column, a Shopify-like Tags cell saying VIP is the tier (`columns` says so)."""
    tags = columns[order["tags"]]
    if not isinstance(tags, list):
        return
    tiers = []
    for t in tags:
        found = None
        if t.__class__ is str:
            for token in _TAG_SPLIT.split(t):
                token = token.strip()
                if token and _TIER_TAG.fullmatch(token):
                    found = token
                    break
        tiers.append(found)
    if any(tiers):
        columns[order["tier"]] = tiers
        src.stand_ins["tier"] = "tags"


def _join_name(first, last):
    if not first and not last:
        return None
    first, last = first or "", last or ""
    if (first + last).isascii():
        return f"{first} {last}".strip()
    return f"{last}{first}"  # 姓 then 名, no space


def _kinds_from_text(columns, order) -> None:
    """A hand-kept visit book says what the call was in its 回访内容: 生日祝福… is a birthday greeting."""
    from followup_cli.policy.vocabulary import KINDS

    kinds, content = columns[order["kind"]], columns[order["content"]]
    if not isinstance(content, list):
        return
    if not isinstance(kinds, list):
        kinds = [None] * len(content)
    columns[order["kind"]] = [
        k if k and KINDS.match(k) else (KINDS.find_in(c) if c else k) or k for k, c in zip(kinds, content)
    ]


def _missed_calls_from_text(columns, order) -> None:
    """A book with no 结果 column says a call that did not reach the customer in its 回访内容
    ("打电话祝生日快乐，未接通"): an attempt, not a visit that closes the task."""
    from followup_cli.policy.vocabulary import OUTCOMES

    content = columns[order["content"]]
    if not isinstance(content, list):
        return
    found = [OUTCOMES.find_in(c) if c else None for c in content]
    columns[order["outcome"]] = [OUTCOMES.label(o, "zh") if o in ("no_answer", "wrong_number") else None for o in found]


def _show(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
