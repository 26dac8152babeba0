"""Change plans: one call's appends and updates on one sheet, as edits on its part.

`plan_sheet` scans the sheet part once and turns rows to append and cells to update into
byte-offset edits on the part (and new bytes for a table that has to grow); nothing is
written until `surgery.rewrite_zip` runs the plan. The rows' XML is made by xlsx/append.py
(rows below the last real row) and xlsx/update.py (cells in place); the table parts and the
ranges that grow by xlsx/tables.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from followup_cli.errors import WriteRefused
from followup_cli.text.messages import msg
from followup_cli.text.refusals import on_sheet
from followup_cli.xlsx.append import append_edits
from followup_cli.xlsx.deflate import open_member
from followup_cli.xlsx.header import check_columns, extend_table, used_width, widen_autofilter
from followup_cli.xlsx.limits import MAX_COL, MAX_ROW
from followup_cli.xlsx.package import PackageInfo, SheetEntry, check_pivot_sources
from followup_cli.xlsx.refs import col_letters, format_range, parse_range
from followup_cli.xlsx.scan import SheetScan, scan_sheet
from followup_cli.xlsx.surgery import splice
from followup_cli.xlsx.tables import read_tables
from followup_cli.xlsx.update import update_edits

if TYPE_CHECKING:
    from zipfile import ZipFile


@dataclass
class Plan:
    """What one sheet's changes come to: new bytes for its part (and its tables' parts)."""

    replacements: dict[str, Callable[[Callable[[bytes], None]], None]]
    rows_added: list[int]
    rows_updated: list[int]
    cells: int
    changed_parts: list[str]
    wrote_formulas: bool = False  # a formula column filled down (xlsx/formulas.py)
    # (first row, the rows' XML, the namespace prefix) when the change was rows appended alone:
    # no update, no header column, no formula, no merged cells on the sheet (cache/continued.py)
    appended: tuple[int, bytes, str] | None = None

    @property
    def rows(self) -> list[int]:
        """The rows appended, or, for an update alone, the rows it touches."""
        return self.rows_added or self.rows_updated


def _sheet_part_writer(zf, part: str, edits, expected_length: int, where: str):
    def produce(write):
        with open_member(zf, part) as stream:
            n = splice(stream, edits, write)
        if n != expected_length:
            raise WriteRefused(
                msg(f"{where}：工作表在改写过程中被修改了", f"{where}: the sheet changed while it was being rewritten")
            )

    return produce


def _dimension_edit(scan: SheetScan, top: int, left: int, bottom: int, right: int):
    if not scan.dimension:
        return []
    start, end, ref = scan.dimension
    try:
        t, l, b, r = parse_range(ref)
        if scan.last_real is None and scan.max_row == 0:
            t, l, b, r = top, left, bottom, right  # 'A1' on an empty sheet means nothing
    except ValueError:
        t, l, b, r = top, left, bottom, right
    new = format_range(min(t, top), min(l, left), max(b, bottom), max(r, right))
    return [] if new == ref else [(start, end, new.encode())]


def plan_sheet(
    zf: ZipFile,
    info: PackageInfo,
    sheet: SheetEntry,
    where: str,
    *,
    rows: list[list] | None = None,
    updates: dict[tuple[int, int], object] | None = None,
    header_row: int | None = None,
    header: dict[int, str] | None = None,
) -> Plan:
    """All of one call's changes to one sheet: `rows` appended and `updates` made, in one plan.

    The part is scanned once. Row numbers (of the updates, and where the rows go) are those of
    the sheet as it is now: the rows are appended below its last real row, and an update of
    a row the append fills is a caller's bug (TypeError). Every refusal of an append alone or
    an update alone applies.

    `header`: new header cells {column: name} on `header_row`, right of every column the
    sheet uses (xlsx/header.py); a table or autofilter ending there grows to cover them.
    """
    rows = rows or []
    updates = dict(updates or {})
    wrote_formulas = False
    header = header or {}
    if header:
        if header_row is None:
            raise TypeError(f"{where}: a header extension needs the header row")
        with open_member(zf, sheet.part) as stream:
            width = used_width(stream, on_sheet(where, sheet.name))
        first_new_col, last_new_col = check_columns(header, width, on_sheet(where, sheet.name))
    by_row: dict[int, dict[int, object]] = {}
    for (r, c), value in updates.items():
        if not (1 <= r <= MAX_ROW and 1 <= c <= MAX_COL):
            raise ValueError(f"cell ({r}, {c}) is outside a worksheet")
        by_row.setdefault(r, {})[c] = value

    tables = read_tables(zf, sheet, where)
    if rows:
        check_pivot_sources(zf, info, sheet, {t.name for t in tables}, where)
    grown_tables: set[str] = set()
    if header:
        names = [header[c] for c in sorted(header)]
        for t in tables:
            new_xml = extend_table(t.xml, t.name, t.ref, header_row, first_new_col, names, on_sheet(where, sheet.name))
            if new_xml is not None:
                t.xml, t.ref = new_xml, (t.ref[0], t.ref[1], t.ref[2], last_new_col)
                grown_tables.add(t.part)
    for t in tables:
        top, left, bottom, right = t.ref
        for r, c in updates:
            if t.header_rows and r == top and left <= c <= right:
                raise WriteRefused(
                    msg(
                        f"{where}：{sheet.name}!{col_letters(c)}{r} 是表格“{t.name}”的标题；修改它会破坏该表格",
                        f"{where}: {sheet.name}!{col_letters(c)}{r} is a header of table '{t.name}'; "
                        "changing it would break the table",
                    )
                )
    header_cols = set()
    for c, name in header.items():
        if (header_row, c) in updates:
            raise TypeError(
                f"{where}: sheet '{sheet.name}': cell {col_letters(c)}{header_row} is both a new header and updated"
            )
        updates[(header_row, c)] = name
        by_row.setdefault(header_row, {})[c] = name
        header_cols.add(c)
    with open_member(zf, sheet.part) as stream:
        scan = scan_sheet(stream, where, follow_rows=len(rows), want_rows=by_row, arrays=bool(updates))

    edits: list[tuple[int, int, bytes]] = []
    inserts: list[tuple[int, int, bytes]] = []  # (offset, first row number, new rows' XML)
    boxes: list[tuple[int, int, int, int]] = []  # what the dimension must cover
    replacements: dict[str, Callable[[Callable[[bytes], None]], None]] = {}
    changed = [sheet.part]
    added: list[int] = []
    if rows:
        a_edits, a_insert, a_box, table_xml, added, wrote_formulas = append_edits(
            scan, info, sheet, tables, rows, by_row, where, header_row, lambda: open_member(zf, sheet.part)
        )
        edits += a_edits
        inserts.append(a_insert)
        boxes.append(a_box)
        for part, data in table_xml.items():
            replacements[part] = lambda write, data=data: write(data)
            changed.append(part)
    for t in tables:
        if t.part in grown_tables and t.part not in replacements:
            replacements[t.part] = lambda write, data=t.xml: write(data)
            changed.append(t.part)
    if header:
        widened = {
            (scan.tail_start + s, scan.tail_start + e): rep
            for s, e, rep in widen_autofilter(scan.tail, header_row, first_new_col - 1, last_new_col)
        }
        merged = []
        for s, e, rep in edits:  # an autofilter that also grows down: one range, both ways
            wide = widened.pop((s, e), None)
            if wide is not None:
                a, b = parse_range(rep.decode()), parse_range(wide.decode())
                rep = format_range(min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])).encode()
            merged.append((s, e, rep))
        edits = merged + [(s, e, rep) for (s, e), rep in widened.items()]
    if updates:
        u_edits, u_inserts = update_edits(scan, info, sheet, by_row, where, header_cols)
        edits += u_edits
        inserts += u_inserts
        cols = [c for (_r, c) in updates]
        boxes.append((min(by_row), min(cols), max(by_row), max(cols)))

    p = scan.prefix
    if scan.sheetdata_selfclosed:
        s, e = scan.sheetdata_selfclosed
        fragment = b"".join(x for _at, _r, x in sorted(inserts, key=lambda i: i[1]))
        edits.append((s, e, f"<{p}sheetData>".encode() + fragment + f"</{p}sheetData>".encode()))
    else:
        # Rows inserted at the same place go in row order (new rows below the last real row
        # and, say, a cell created further down can meet where </sheetData> is).
        at_offset: dict[int, list[tuple[int, bytes]]] = {}
        for at, r, x in inserts:
            at_offset.setdefault(at, []).append((r, x))
        for at, group in at_offset.items():
            edits.append((at, at, b"".join(x for _r, x in sorted(group))))
    if boxes:
        edits += _dimension_edit(
            scan, min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)
        )
    replacements = {sheet.part: _sheet_part_writer(zf, sheet.part, edits, scan.length, where), **replacements}
    appended = None
    if rows and not updates and not header and not wrote_formulas and not _MERGE.search(scan.tail):
        appended = (inserts[0][1], inserts[0][2], p)
    return Plan(replacements, added, sorted(by_row), len(updates), changed, wrote_formulas, appended)


_MERGE = re.compile(rb"<(?:[\w.-]+:)?mergeCell\b")


def plan_append(
    zf: ZipFile, info: PackageInfo, sheet: SheetEntry, rows: list[list], where: str, header_row: int | None = None
) -> Plan:
    return plan_sheet(zf, info, sheet, where, rows=rows, header_row=header_row)


def plan_update(
    zf: ZipFile, info: PackageInfo, sheet: SheetEntry, updates: dict[tuple[int, int], object], where: str
) -> Plan:
    return plan_sheet(zf, info, sheet, where, updates=updates)
