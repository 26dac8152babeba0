"""Reading a shop's archive: find each sheet's role and header row, map the columns, parse cells.

`load_archive(paths, config)` returns an Archive whose records carry their sheet and row,
and whose `problems` list every cell that could not be read, with the value found and what
was expected. A bad cell never stops the reading: its field is left empty and reported.
"""

from __future__ import annotations

import datetime as dt
import gc
from itertools import repeat
from pathlib import Path
from typing import Callable, Iterable

from followup_cli.archive import cells as parse
from followup_cli.config import Config
from followup_cli.errors import UnreadableFile
from followup_cli.text.messages import msg, text
from followup_cli.archive.problems import ERROR, WARNING, Problem
from followup_cli.archive.records import RECORD_CLASSES, Archive, SheetSource
from followup_cli.archive.schema import (
    BIRTHDAY, BOOL, DATE, DATETIME, ID, INT, MONEY, NUMBER, PHONE, ROLE_ORDER, ROLES, TEXT,
    alias_index, norm_header, sheet_role_by_name,
)
from followup_cli.archive.files import RawSheet, open_book
from followup_cli.xlsx.refs import cell_ref, col_letters

HEADER_SCAN_ROWS = 30  # a title, banner or notes above the header row
MIN_HEADER_HITS = 2


def load_archive(paths: Iterable[str | Path], config: Config | None = None,
                 roles: Iterable[str] | None = None, fields: dict[str, set] | None = None) -> Archive:
    """Read every workbook in `paths` into one Archive. `roles` limits which sheets are parsed,
    `fields` ({role: field names}) which columns of a role are parsed (the rest stay empty and
    unchecked: `check` reads everything, `due` only what its policy needs)."""
    # Reading makes millions of objects and no reference cycles: the cyclic collector would
    # rescan the growing heap again and again for nothing (15-30% of the time, measured).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(paths, config, roles, fields)
    finally:
        if enabled:
            gc.enable()


def _load(paths, config, roles, fields) -> Archive:
    config = config or Config()
    paths = [Path(p) for p in paths]
    if paths:
        # visits and verdicts recorded beside an archive that is never rewritten itself
        for extra in config.companion_paths(paths):
            if extra.exists() and all(extra.resolve() != p.resolve() for p in paths):
                paths.append(extra)
    wanted = set(roles or ROLE_ORDER)
    archive = Archive(paths=paths)
    zh_hits = en_hits = 0
    for path in paths:
        book = open_book(path)
        archive.date1904 = archive.date1904 or book.date1904
        # Roles some sheet claims by its name: another sheet with the same headers (a backup
        # copy such as 客户档案(备份)) is then not read as a second archive.
        named = {config.sheets.get(n) or sheet_role_by_name(n) for n in book.sheet_names} - {None}
        for raw in book.sheets:
            try:
                found = _identify(raw, config, named)
            except UnreadableFile as exc:
                if config.sheets.get(raw.name) or sheet_role_by_name(raw.name):
                    raise  # a sheet the archive needs: say it is damaged, do not carry on without it
                archive.problems.append(Problem(WARNING, str(path), raw.name, None, None, msg(
                    f"这张工作表无法读取，已跳过（{exc.message.split(': ', 1)[-1]}）",
                    f"this sheet cannot be read and was skipped ({exc.message.split(': ', 1)[-1]})"),
                    "unreadable-sheet"))
                continue
            if found is None:
                continue
            role, header_idx, rows, columns, extras, problems = found
            archive.problems.extend(problems)
            headers = ["" if v is None else str(v) for v in rows[header_idx]]
            zh, en = _header_language(headers)
            zh_hits += zh if role == "customers" else 0
            en_hits += en if role == "customers" else 0
            src = SheetSource(role, path, raw.name, header_idx + 1, columns, headers, extras,
                              "zh" if zh >= en else "en")
            archive.sources.append(src)
            if role not in wanted:
                continue
            _check_required(src, archive.problems)
            records = archive.records(role)
            records.extend(_parse_rows(role, src, rows, header_idx, config, raw.date1904, archive.problems,
                                       (fields or {}).get(role)))
    if not any(s.role == "customers" for s in archive.sources):
        names = "; ".join(f"{p.name}: {', '.join(open_book(p).sheet_names) or '(no sheets)'}" for p in paths)
        archive.problems.append(Problem(
            ERROR, str(paths[0]) if paths else "", None, None, None,
            msg(f"没有找到客户工作表（名为 客户/客户档案/会员/Customers，或表头含 客户编号 和 姓名 的工作表）。"
                f"现有工作表：{names}。可在 followup.toml 中指定：[sheets] \"<工作表名>\" = \"customers\"",
                "no customer sheet found (a sheet named 客户/客户档案/会员/Customers, or with headers "
                f"such as 客户编号 and 姓名). Sheets are: {names}. Name the sheet in followup.toml: "
                "[sheets] \"<sheet name>\" = \"customers\""),
            "no-customers"))
    archive.lang = config.lang or ("en" if en_hits > zh_hits else "zh")
    return archive


def _header_language(headers: list[str]) -> tuple[int, int]:
    zh = sum(1 for h in headers if any("\u4e00" <= ch <= "\u9fff" for ch in h))
    en = sum(1 for h in headers if h and h.isascii() and any(ch.isalpha() for ch in h))
    return zh, en


def _identify(raw: RawSheet, config: Config, named: set = frozenset()):
    """(role, header row index, rows, columns, extra columns, problems) or None for an unrelated sheet."""
    role = config.sheets.get(raw.name) or sheet_role_by_name(raw.name)
    rows = raw.rows()
    if not rows:
        return None
    scan = rows[:HEADER_SCAN_ROWS]
    candidates = [role] if role else [r for r in ROLE_ORDER if r not in named]
    best = None  # (score, role, row index, columns)
    for cand in candidates:
        index = alias_index(cand, config.column_map(cand))
        for i, row in enumerate(scan):
            columns: dict[str, int] = {}
            for j, value in enumerate(row):
                name = index.get(norm_header(value)) if isinstance(value, str) else None
                if name and name not in columns:
                    columns[name] = j
            required = [f.name for f in ROLES[cand]["fields"] if f.required]
            has_required = all(r in columns for r in required)
            score = len(columns) + (3 if has_required else 0)
            if best is None or score > best[0]:
                best = (score, cand, i, columns)
    if best is None:
        return None
    score, cand, i, columns = best
    if role is None:
        # A sheet recognised by its headers alone must show the role's required columns.
        required = [f.name for f in ROLES[cand]["fields"] if f.required]
        if not all(r in columns for r in required) or len(columns) < MIN_HEADER_HITS + 1:
            return None
    problems = []
    if len(columns) < 1:
        problems.append(Problem(
            ERROR, str(raw.file), raw.name, "A1", None,
            msg(f"前 {HEADER_SCAN_ROWS} 行中没有找到表头；应有 " + "、".join(f.zh for f in ROLES[cand]["fields"][:4])
                + " 等列",
                f"no header row found in the first {HEADER_SCAN_ROWS} rows of this {ROLES[cand]['en'].lower()} sheet; "
                "expected headers such as " + ", ".join(f.zh for f in ROLES[cand]["fields"][:4])),
            "no-header"))
        return cand, 0, rows, {}, {}, problems
    header = rows[i]
    known_cols = set(columns.values())
    index = alias_index(cand, config.column_map(cand))
    extras = {}
    for j, value in enumerate(header):
        if j in known_cols or parse.is_blank(value):
            continue
        extras[str(value).strip()] = j
        name = index.get(norm_header(value))
        if name in columns:
            used = col_letters(columns[name] + 1)
            problems.append(Problem(
                WARNING, str(raw.file), raw.name, cell_ref(i, j), str(value),
                msg(f"{name} 的第二列；使用的是 {used} 列", f"a second column for {name}; the one in column {used} is used"),
                "duplicate-column"))
    return cand, i, rows, columns, extras, problems


def _check_required(src: SheetSource, problems: list) -> None:
    for f in ROLES[src.role]["fields"]:
        if f.required and f.name not in src.columns:
            found = ", ".join(h for h in src.headers if h) or "(empty)"
            problems.append(Problem(
                ERROR, str(src.file), src.sheet, f"A{src.header_row}", None,
                msg(f"缺少必需的列 {f.zh}；现有表头：{found}。请添加这一列，或在 followup.toml 中对应："
                    f"[columns.{src.role}] \"<你的表头>\" = \"{f.name}\"",
                    f"missing required column {f.zh} ({f.en}); headers found: {found}. Add the column, "
                    f"or map your header to it in followup.toml: [columns.{src.role}] \"<your header>\" = \"{f.name}\""),
                "missing-column"))


class _Bad(Exception):
    """A cell that cannot be read: raised by a converter, rare, so the common path stays fast."""

    def __init__(self, problem, ambiguous=False):
        self.problem, self.ambiguous = problem, ambiguous


def _converter(ftype: str, date_order: str, date1904: bool) -> Callable:
    """value → typed value, raising _Bad, for the cells `_first_pass` left over."""
    if ftype in (DATE, DATETIME):
        want_date = ftype == DATE

        def date_conv(v):
            r = parse.parse_datetime(v, date_order, date1904)
            if r.value is None:
                raise _Bad(r.problem, r.ambiguous)
            return r.value.date() if want_date else r.value

        return date_conv
    if ftype == PHONE:
        def phone_conv(v):
            value, problem = parse.parse_phone(v)
            if problem:
                raise _PhoneWarning(problem, value)
            return value

        return phone_conv
    if ftype == BIRTHDAY:
        def birthday_conv(v):
            value, problem = parse.parse_birthday(v, False, date_order, date1904)
            if problem:
                raise _Bad(problem, getattr(problem, "ambiguous", False))
            return value

        return birthday_conv
    parser = {TEXT: parse.parse_text, ID: parse.parse_id, BOOL: parse.parse_bool,
              MONEY: parse.parse_number, NUMBER: parse.parse_number, INT: parse.parse_number}[ftype]

    def conv(v):
        value, problem = parser(v)
        if problem:
            raise _Bad(problem)
        return value

    return conv


class _PhoneWarning(_Bad):
    """A phone that looks wrong is kept (and warned about): the clerk may still dial it."""

    def __init__(self, problem, value):
        super().__init__(problem)
        self.value = value


_BOOL_FAST = {"是": True, "否": False, "Y": True, "N": False, "y": True, "n": False, "√": True, "×": False,
              "1": True, "0": False, "Yes": True, "No": False, "yes": True, "no": False}


def _first_pass(ftype: str, raw: list) -> list:
    """The commonest cell forms of a whole column at once (a list comprehension is several
    times faster than a call per cell); what is left over goes through the converter."""
    if ftype in (TEXT, ID):
        return [v.strip() or None if v.__class__ is str else v for v in raw]
    if ftype == DATE:
        return [v.date() if v.__class__ is dt.datetime else v for v in raw]
    if ftype == BOOL:
        return [_BOOL_FAST.get(v, v) if v.__class__ is str else v for v in raw]
    if ftype in (MONEY, NUMBER, INT):
        return [float(v) if v.__class__ is int else v for v in raw]
    if ftype == BIRTHDAY:
        Birthday = parse.Birthday
        return [Birthday(v.month, v.day, False, False, v.year) if v.__class__ in _DATES else v for v in raw]
    return list(raw)


_DATES = (dt.date, dt.datetime)


_DONE = {
    TEXT: lambda v: v.__class__ is str,
    ID: lambda v: v.__class__ is str,
    DATE: lambda v: v.__class__ is dt.date,
    DATETIME: lambda v: v.__class__ is dt.datetime,
    BOOL: lambda v: v is True or v is False,
    MONEY: lambda v: v.__class__ is float,
    NUMBER: lambda v: v.__class__ is float,
    INT: lambda v: v.__class__ is float,
    BIRTHDAY: lambda v: v.__class__ is parse.Birthday,
}


def _parse_rows(role, src: SheetSource, rows, header_idx, config: Config, date1904, problems,
                only: set | None = None) -> list:
    """Records of one sheet, column by column; `only` limits the fields parsed (the others stay None)."""
    cls = RECORD_CLASSES[role]
    order = {name: k for k, name in enumerate(cls.__dataclass_fields__)}
    if only is not None and role == "visits" and "task_id" in src.columns:
        only = only - {"notes"}  # task ids in the notes are only looked for in a log without that column
    fields = {f.name: f for f in ROLES[role]["fields"]}
    file, sheet = str(src.file), src.sheet
    # blank rows are harmless; a row of zeros is not blank (the slow test runs only on rows that look so)
    kept = [i for i in range(header_idx + 1, len(rows))
            if any(rows[i]) or any(v is not None and v != "" for v in rows[i])]
    data = [rows[i] for i in kept]
    columns: list = [repeat(None)] * len(order)
    for name, col in src.columns.items():
        if only is not None and name not in only:
            continue
        f = fields[name]
        raw = [row[col] if col < len(row) else "" for row in data]
        values = _first_pass(f.type, raw)
        done = _DONE.get(f.type)
        conv = None
        for k, v in enumerate(values):
            if v is None or (done is not None and done(v)):
                continue
            r = raw[k]
            if r == "" or r is None:
                values[k] = None
                continue
            conv = conv or _converter(f.type, config.date_order, date1904)
            try:
                values[k] = conv(r)
            except _Bad as bad:
                i = kept[k]
                severity = WARNING if f.type == PHONE else ERROR
                code = "ambiguous-date" if bad.ambiguous else f"bad-{f.type}"
                problems.append(Problem(severity, file, sheet, cell_ref(i, col), _show(r),
                                        msg(f"{f.zh}：{text(bad.problem, 'zh')}", f"{f.zh} ({f.en}): {bad.problem}"),
                                        code))
                values[k] = bad.value if isinstance(bad, _PhoneWarning) else None
        columns[order[name]] = values
    bday_type_col = src.columns.get("birthday_type")
    if bday_type_col is not None and isinstance(columns[order["birthday"]], list):
        births = columns[order["birthday"]]
        col = src.columns["birthday"]
        for k, row in enumerate(data):
            if births[k] is None or bday_type_col >= len(row) or not parse.is_lunar_marker(row[bday_type_col]):
                continue
            b, problem = parse.parse_birthday(row[col], True, config.date_order, date1904)
            if problem:
                problems.append(Problem(ERROR, file, sheet, cell_ref(kept[k], col), _show(row[col]),
                                        msg(f"生日：{text(problem, 'zh')}", f"生日 (Birthday): {problem}"),
                                        "bad-birthday"))
            births[k] = b
    columns[order["src"]] = repeat(src)
    columns[order["row"]] = [i + 1 for i in kept]
    if role == "customers" and src.extra_columns and (only is None or set(src.extra_columns) & only):
        extra_cols = list(src.extra_columns.items())
        columns[order["extra"]] = [{h: row[c] for h, c in extra_cols if c < len(row) and row[c] not in ("", None)}
                                   for row in data]
    return list(map(cls, *columns))


def _show(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
