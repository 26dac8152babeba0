"""One sheet understood: its role, its header row, and what every column became (or not).

A sheet's role comes from followup.toml, from its name (会员资料, 消费流水), from a word in
its name (一店会员), or from its headers alone. The header row is the row among the first
HEADER_SCAN_ROWS that names most of a role's fields (a title, a grouped header row such as
基本信息 | 联系方式, or notes above it are passed over). Each column is then matched by its
header (headers.py), checked and completed by a sample of its values (sniff.py): the result
is a ColumnUse per column, used or not, with how it was decided and how sure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from followup_cli.archive import sniff
from followup_cli.archive.above import rows_above
from followup_cli.archive.consent import says_refused
from followup_cli.archive.date_parts import birthday_day, times_of_day
from followup_cli.archive.duplicate_columns import duplicate as _duplicate
from followup_cli.archive.employment import employment_words
from followup_cli.archive.headers import (
    CONFIDENCE,
    HOW_CONFIG,
    HOW_EXACT,
    HOW_FUZZY,
    HOW_NORM,
    HOW_VALUES,
    Match,
    channels_named,
    consent_field,
    split_header,
)
from followup_cli.archive.legends import level_codes
from followup_cli.archive.problems import ERROR, Problem
from followup_cli.archive.raw import RawSheet
from followup_cli.archive.schema import (
    ROLE_ORDER,
    ROLES,
    copy_of,
    field_by_name,
    header_index,
    is_not_data_sheet,
    missing_required,
    name_for_role,
    norm_sheet,
    sheet_role_by_name,
    sheet_role_by_words,
)
from followup_cli.archive.side_by_side import tables_beside
from followup_cli.archive.synonyms import SHEET_KEYWORDS
from followup_cli.archive.unheaded import name_unheaded
from followup_cli.text.messages import msg

if TYPE_CHECKING:
    from followup_cli.config import Config

HEADER_SCAN_ROWS = 30  # a title, banner or notes above the header row
MIN_HEADER_HITS = 2
CONSENT_FIELDS = ("do_not_contact", "contact_ok", "contact_wish", "account_status")
RESEMBLES_MIN = 0.7  # an unused header this like a synonym is named in `check`

# How a sheet's role was decided.
ROLE_BY_CONFIG, ROLE_BY_NAME, ROLE_BY_WORDS, ROLE_BY_HEADERS = (
    "followup.toml",
    "sheet name",
    "word in sheet name",
    "headers",
)


@dataclass
class ColumnUse:
    col: int
    header: str
    field: str | None = None
    how: str = ""
    confidence: float = 0.0
    note: object = ""  # a Msg: a code set, the channels a consent column names, why it was dropped
    values: str = ""  # what the sampled cells hold (sniff kinds)
    resembles: str | None = None  # for an unused column: the field it looks like
    similarity: float = 0.0
    duplicate: bool = False  # a second column for a field already read (reported as such)


@dataclass
class SheetMap:
    role: str
    role_how: str
    header_idx: int
    columns: dict[str, int]
    uses: list[ColumnUse]
    extras: dict[str, int]
    problems: list = field(default_factory=list)
    consent: list = field(default_factory=list)  # (col, field, channels or None = all)
    codes: dict = field(default_factory=dict)  # field → {code: label}
    lunar: bool | None = None  # the birthday header says 农历 / 公历 for every row
    store_hint: str = ""  # a store the sheet's name gives (一店会员 → 一店)


@dataclass
class UnusedSheet:
    file: str
    sheet: str
    reason: object  # Msg
    headers: list = field(default_factory=list)
    looks_like: str | None = None  # the role it resembles, if any


BY_NAME_ONLY = frozenset({"blocklist"})


def identify(raw: RawSheet, rows: list, config: Config, named: set, siblings: tuple = ()) -> SheetMap | UnusedSheet:
    """The sheet's role and column mapping, or why it is not read; `siblings` the workbook's sheet names."""
    cfg_role = config.sheets.get(raw.name)
    original = None if cfg_role else copy_of(raw.name, siblings)
    if original is not None:
        return UnusedSheet(
            str(raw.file),
            raw.name,
            msg(
                f"名称表明这是工作表“{original}”的副本（Excel 和 WPS 这样命名复制的工作表），不作为数据读取；"
                "若它的内容不同，请改名",
                f"its name says it is a copy of the sheet '{original}' (Excel and WPS name a copied sheet so): not "
                "read as data; rename it if it holds other rows",
            ),
            _first_headers(rows),
        )
    if not cfg_role and is_not_data_sheet(raw.name):
        return UnusedSheet(
            str(raw.file),
            raw.name,
            msg(
                "名称表明这是备份、副本、模板或说明，不作为数据读取",
                "its name says it is a backup, copy, template or notes: not read as data",
            ),
            _first_headers(rows),
        )
    if not rows:
        return UnusedSheet(str(raw.file), raw.name, msg("工作表是空的", "the sheet is empty"))
    said = name_for_role(raw.name, raw.file)  # Sheet1 of 黑名单.xlsx: the file's name says it
    by_name = sheet_role_by_name(said)
    by_words = None if cfg_role or by_name else sheet_role_by_words(said)
    role = cfg_role or by_name
    scan = rows[:HEADER_SCAN_ROWS]
    # a do-not-contact list has a customer sheet's headers: it is found by its name alone
    candidates = (
        [role] if role else [r for r in ROLE_ORDER if (r not in named and r not in BY_NAME_ONLY) or r == by_words]
    )
    best = None  # (score, role, row index, hits)
    for cand in candidates:
        index = header_index(cand, config.column_map(cand))
        for i, row in enumerate(scan):
            hits = {index.lookup(v) for v in row if v.__class__ is str} - {None}
            score = len(hits) + (3 if not missing_required(cand, hits) else 0) + (2 if cand == by_words else 0)
            if best is None or score > best[0]:
                best = (score, cand, i, hits)
    score, cand, i, hits = best
    if role is None:
        # A sheet recognised by its headers (and maybe a word in its name) must show the role's
        # required columns and enough others.
        need = 1 if cand in BY_NAME_ONLY else MIN_HEADER_HITS if cand == by_words else MIN_HEADER_HITS + 1
        if missing_required(cand, hits) or len(hits) < need:
            return UnusedSheet(
                str(raw.file),
                raw.name,
                _no_role_reason(by_words, cand, hits),
                _first_headers(rows),
                cand if len(hits) >= 2 else None,
            )
    role_how = (
        ROLE_BY_CONFIG
        if cfg_role
        else ROLE_BY_NAME
        if by_name
        else ROLE_BY_WORDS
        if cand == by_words
        else ROLE_BY_HEADERS
    )
    if not hits:
        problem = Problem(
            ERROR,
            str(raw.file),
            raw.name,
            "A1",
            None,
            msg(
                f"前 {HEADER_SCAN_ROWS} 行中没有找到表头；应有 "
                + "、".join(f.zh for f in ROLES[cand]["fields"][:4])
                + " 等列",
                f"no header row found in the first {HEADER_SCAN_ROWS} rows of this {ROLES[cand]['en'].lower()} sheet; "
                "expected headers such as " + ", ".join(f.zh for f in ROLES[cand]["fields"][:4]),
            ),
            "no-header",
        )
        return SheetMap(cand, role_how, 0, {}, [], {}, [problem])
    sheet = map_columns(raw, rows, cand, i, config)
    sheet.role_how = role_how
    if i > 0:
        sheet.problems.extend(rows_above(raw, rows, i, sheet))
    if by_words:
        sheet.store_hint = store_from_name(said, by_words)
    return sheet


def _first_headers(rows) -> list[str]:
    for row in rows[:HEADER_SCAN_ROWS]:
        texts = [str(v).strip() for v in row if v not in (None, "")]
        if len(texts) >= 2:
            return texts
    # one column of data (a list of phone numbers) is no empty sheet: its first cell is shown
    filled = [r for r in rows[:HEADER_SCAN_ROWS] if any(v not in (None, "") for v in r)]
    return [str(next(v for v in filled[0] if v not in (None, ""))).strip()] if len(filled) >= 2 else []


def _no_role_reason(by_words, cand, hits):
    label = ROLES[cand]
    if by_words:
        missing = "、".join(field_by_name(cand, f).zh for f in missing_required(cand, hits))
        return msg(
            f"名称像{label['zh']}表，但表头中缺少 {missing or '足够的已知列'}",
            f"its name suggests {label['en'].lower()}, but its headers lack {missing or 'enough known columns'}",
        )
    return msg(
        "表头与任何已知的表（客户、消费、回访、售后……）都不相符",
        "its headers match no known sheet (customers, purchases, visits, tickets ...)",
    )


def store_from_name(sheet_name: str, role: str) -> str:
    """一店会员 → 一店, 南京路店-消费流水 → 南京路店: the sheet name without its role words."""
    n = norm_sheet(sheet_name)
    words = dict(SHEET_KEYWORDS)[role] + ROLES[role]["sheet_names"]
    for w in sorted({norm_sheet(w) for w in words}, key=len, reverse=True):
        if w and w in n:
            n = n.replace(w, "")
    for filler in ("资料", "列表", "信息", "明细", "名单", "档案", "记录", "数据", "表"):
        n = n.replace(filler, "")
    if _PERIOD_ONLY.fullmatch(n.strip()) or re.sub(r"[()（）\s]", "", n) in _NOT_A_STORE:
        return ""  # 11月回访, 2026年11月, 历史会员, 旧会员(停用): a period's or old members' sheet, not a store's
    return n.strip() if len(n.strip()) >= 2 or any(ch.isdigit() for ch in n) else ""


_NOT_A_STORE = frozenset({"历史", "往期", "以前", "过往", "停用", "已停用", "作废", "旧", "旧停用", "老", "过期"})
# a year alone (2025会员: one sheet per year), with 年 / 年度 or without, then maybe a month or a quarter
_PERIOD_ONLY = re.compile(
    r"(?:\d{2,4}\s*年度?|(?:19|20)\d{2})?\s*"
    r"(?:(?:\d{1,2}|[一二三四五六七八九十]|十[一二])\s*月份?|第?[一二三四1-4]\s*季度|上半年|下半年)?"
    r"|\d{4}[-._]?\d{1,2}"
)


def map_columns(raw: RawSheet, rows: list, role: str, i: int, config: Config) -> SheetMap:
    index = header_index(role, config.column_map(role))
    header = rows[i]
    above = rows[i - 1] if i > 0 else []
    width = max(len(header), len(above))
    fields = {f.name: f for f in ROLES[role]["fields"]}
    uses: list[ColumnUse] = []
    for j in range(width):
        value = header[j] if j < len(header) else None
        text = "" if value is None else str(value).strip()
        use = ColumnUse(j, text)
        m = index.match(text) if text else None
        if m is not None and m.field == "account_status" and m.how == HOW_FUZZY:
            m = None  # a status that only looks like one (Customer State) must not stop calls: named, not read
        if m is None and not text and j < len(above) and isinstance(above[j], str):
            # a header merged over two rows keeps its text in the upper cell
            m = index.match(above[j])
            if m:
                use.header = above[j].strip()
                use.note = msg("表头取自上一行（合并单元格）", "header taken from the row above (merged cells)")
        if (m is None or m.how == HOW_FUZZY) and text and "do_not_contact" in fields:
            consent = consent_field(split_header(text)[0])  # Phone OK is consent, not a look-alike of Phone
            if consent:
                m = Match(consent, HOW_FUZZY, 0.75)  # a header that speaks of contact and says which way
        if m is not None:
            use.field, use.how, use.confidence = m.field, m.how, m.confidence
        uses.append(use)
    start = i + 1
    for use in uses:
        s = None
        doubtful = use.how == HOW_FUZZY or (use.field is not None and use.confidence < CONFIDENCE[HOW_NORM])
        if use.field is None or doubtful or use.field in ("gender", "birthday_type") + CONSENT_FIELDS:
            s = sniff.classify(sniff.sample(rows, start, use.col))
            use.values = s.kind
        if (
            use.field
            and doubtful
            and s is not None
            and sniff.contradicts(fields[use.field].type, s)
            and not _consent_words(use.field, s)
        ):
            use.note = msg(
                f"表头像“{fields[use.field].zh}”，但单元格内容不符（{s.kind}），未采用",
                f"the header resembles {fields[use.field].zh} ({fields[use.field].en}) but the cells "
                f"do not ({s.kind}): not used",
            )
            use.resembles, use.similarity, use.field, use.how, use.confidence = use.field, use.confidence, None, "", 0.0
        if use.field is None and use.header:
            alias, score = index.closest(split_header(use.header)[0])
            if score >= RESEMBLES_MIN and use.resembles is None:
                use.resembles, use.similarity = index.norm[alias], round(score, 2)
        use._sample = s
    columns: dict[str, int] = {}
    sheet = SheetMap(role, "", i, columns, uses, {})
    # The same field claimed twice: a named column beats a guessed one, the field's own name
    # (Phone) a synonym (Default Address Phone), else the leftmost wins.
    # a 回访时间 of times of day beside a 回访日期 is the date's time, never the date itself
    clock = {
        u.col
        for u in uses
        if u.field and fields[u.field].type in ("date", "datetime") and times_of_day(rows, start, u.col)
    }
    for use in sorted(
        (u for u in uses if u.field),
        key=lambda u: (
            u.col in clock,
            u.confidence < 0.9,
            u.how not in (HOW_CONFIG, HOW_EXACT),
            -u.confidence if u.confidence < 0.9 else 0,
            u.col,
        ),
    ):
        if use.field in CONSENT_FIELDS:
            # an account status stops every channel, whatever its header names (Contact Status)
            channels = None if use.field == "account_status" else channels_named(use.header)
            # a second consent column for the same channels is read too: a refusal in either counts
            sheet.consent.append((use.col, use.field, channels))
            columns.setdefault(use.field, use.col)
            if channels:
                use.note = msg("只限渠道：" + "、".join(sorted(channels)), "channels: " + ", ".join(sorted(channels)))
            continue
        if use.field in columns:
            _duplicate(raw, sheet, use, columns, i, use.col in clock)
            continue
        columns[use.field] = use.col
    _fill_from_values(role, uses, columns, fields)
    if role == "customers":
        _tier_or_grade(rows, start, uses, columns)
        birthday_day(rows, start, uses, columns)
    _codes(sheet, uses, fields)
    if role == "customers":
        level_codes(sheet, uses, rows, start, i)  # 会员等级 1 / 2 / 3 and its legend
    name_unheaded(rows, start, uses, role)
    tables_beside(raw, sheet, rows, start, i)
    if role == "staff" and "active" in columns:
        employment_words(sheet, uses, rows, start)
    sheet.consent.sort()
    for use in uses:
        if use.field is None and use.header:
            sheet.extras.setdefault(use.header, use.col)
        use.__dict__.pop("_sample", None)
    return sheet


def _consent_words(name: str, s) -> bool:
    """A consent column answered in words (subscribed / unsubscribed, 正常 / 已拉黑), each understood."""
    seen = set(s.values)
    return name in CONSENT_FIELDS and bool(seen) and all(says_refused(name, v) is not None for v in seen)


# The fields values alone may decide, per role: (field, value kind) when no header named them.
_BY_VALUES = {
    "customers": (("phone", sniff.MOBILE),),
    "purchases": (("phone", sniff.MOBILE), ("date", sniff.DATE), ("amount", sniff.AMOUNT)),
    "visits": (("phone", sniff.MOBILE), ("date", sniff.DATE)),
    "tickets": (("phone", sniff.MOBILE),),
    "projects": (("phone", sniff.MOBILE),),
}


def _fill_from_values(role, uses, columns, fields) -> None:
    for name, kind in _BY_VALUES.get(role, ()):
        if name in columns:
            continue
        fits = [
            u
            for u in uses
            if u.field is None and u._sample is not None and u._sample.kind == kind and u.resembles in (None, name)
        ]
        if len(fits) == 1:  # two candidate columns: the values cannot say which
            u = fits[0]
            u.field, u.how, u.confidence = name, HOW_VALUES, round(0.8 * u._sample.share, 2)
            u.resembles = None
            columns[name] = u.col


_TIER_WORDS = re.compile(r"vip|卡|会员|普通|银|金|钻|铂|白金|黑金|gold|silver|platinum|diamond|member|regular", re.I)
_GRADE_VALUE = re.compile(r"^[A-Da-d][+\-]?$")


def _tier_or_grade(rows, start, uses, columns) -> None:
    """等级 / 级别 may be the membership tier (VIP, 金卡) or the customer grade (A/B/C/D): the
    cells say which, when only one of the two was found."""
    for have, other in (("grade", "tier"), ("tier", "grade")):
        if have not in columns or other in columns:
            continue
        u = next(x for x in uses if x.col == columns[have])
        if u.how in (HOW_CONFIG, HOW_EXACT):
            continue
        values = [str(v).strip() for v in sniff.sample(rows, start, u.col)]
        if not values:
            continue
        tierish = sum(1 for v in values if _TIER_WORDS.search(v)) / len(values)
        gradish = sum(1 for v in values if _GRADE_VALUE.match(v)) / len(values)
        target = "tier" if tierish >= 0.5 and gradish < 0.5 else "grade" if gradish >= 0.5 else have
        if target != have:
            del columns[have]
            columns[target] = u.col
            u.field, u.how = target, HOW_VALUES
            u.note = msg(
                f"按单元格内容（{values[0]} …）读作会员等级"
                if target == "tier"
                else f"按单元格内容（{values[0]} …）读作客户等级",
                f"read as the {'membership tier' if target == 'tier' else 'customer grade'} from its cells "
                f"({values[0]} ...)",
            )


def _codes(sheet: SheetMap, uses, fields) -> None:
    for u in uses:
        if u.field not in ("gender", "birthday_type", "birthday") or u.col != sheet.columns.get(u.field):
            continue
        core, notes = split_header(u.header)
        if u.field == "birthday":
            words = core + "".join(notes)
            if any(w in words for w in ("农历", "阴历", "lunar")):
                sheet.lunar = True
            elif any(w in words for w in ("公历", "阳历", "新历", "solar")):
                sheet.lunar = False
            continue
        s = u._sample
        codes = None
        if s is not None and s.kind == sniff.CODES:
            codes = sniff.codes_in_notes(notes) or sniff.DEFAULT_CODES[u.field]
        elif u.field == "birthday_type" and s is not None and s.kind == sniff.FLAG:
            solar = any(w in core for w in ("公历", "阳历", "solar"))
            yes, no = ("公历", "农历") if solar else ("农历", "公历")
            codes = {
                w: (yes if w.lower() in ("是", "y", "yes", "true", "√", "✓", "✔", "t", "有") else no)
                for w in s.distinct
            }
        elif s is not None and s.kind == sniff.TEXT:
            # codes and words in one column (0 and 农历): each cell decides, a code is translated and
            # a word is read as it is; only when every code seen belongs to the code set
            known = sniff.codes_in_notes(notes) or sniff.DEFAULT_CODES[u.field]
            seen = {k for k in map(sniff.code_key, s.values) if k is not None}
            if seen and seen <= set(known):
                codes = known
                u.note = msg(
                    "代码与文字混用，逐格判断；代码：" + " / ".join(f"{k} {v}" for k, v in codes.items()),
                    "codes and words mixed, each cell decides; codes: "
                    + " / ".join(f"{k} {v}" for k, v in codes.items()),
                )
                sheet.codes[u.field] = codes
                continue
        if codes:
            sheet.codes[u.field] = codes
            u.note = msg(
                "代码：" + " / ".join(f"{k} {v}" for k, v in codes.items()),
                "codes: " + " / ".join(f"{k} {v}" for k, v in codes.items()),
            )
