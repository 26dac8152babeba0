"""Change plans: one call's appends and updates on one sheet, as edits on its part.

`plan_sheet` scans the sheet part once and turns rows to append and cells to update into
byte-offset edits on the part (and new bytes for a table that has to grow); nothing is
written until `surgery.rewrite_zip` runs the plan.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from xml.parsers import expat

from defusedxml import ElementTree as SafeET

from followup_cli.errors import UnreadableFile, WriteRefused
from followup_cli.text.messages import msg
from followup_cli.text.refusals import totals_row_refusal
from followup_cli.xlsx.cells import CellSeen, attrs_of, cell_xml, row_cells
from followup_cli.xlsx.deflate import open_member
from followup_cli.xlsx.header import check_columns, extend_table, used_width, widen_autofilter
from followup_cli.xlsx.limits import MAX_COL, MAX_ROW
from followup_cli.xlsx.package import MAIN_NS, REL_TABLE, Package, PackageInfo, SheetEntry, check_pivot_sources
from followup_cli.xlsx.refs import col_letters, format_range, parse_range
from followup_cli.xlsx.scan import RowSeen, SheetScan, scan_sheet
from followup_cli.xlsx.surgery import splice


@dataclass
class TablePart:
    part: str
    name: str
    ref: tuple[int, int, int, int]
    totals: int
    header_rows: int
    xml: bytes


@dataclass
class Plan:
    """What one sheet's changes come to: new bytes for its part (and its tables' parts)."""

    replacements: dict[str, Callable[[Callable[[bytes], None]], None]]
    rows_added: list[int]
    rows_updated: list[int]
    cells: int
    changed_parts: list[str]

    @property
    def rows(self) -> list[int]:
        """The rows appended, or, for an update alone, the rows it touches."""
        return self.rows_added or self.rows_updated


def read_tables(zf, sheet: SheetEntry, where: str) -> list[TablePart]:
    tables = []
    package = Package(zf, where)
    for _rid, rtype, target in package.relationships(sheet.part):
        if rtype != REL_TABLE:
            continue
        member = package.member(target)
        if member is None:
            raise UnreadableFile(where, msg(f"工作表“{sheet.name}”指向的表格部件 {target} 不存在", f"sheet '{sheet.name}' points at a table part {target} that is missing"))
        xml = package.read(member)
        root = package.xml(member)
        try:
            ref = parse_range(root.get("ref", ""))
            totals = int(root.get("totalsRowCount", "0"))
            header_rows = int(root.get("headerRowCount", "1"))
        except ValueError:
            raise UnreadableFile(where, msg(f"表格部件 {member} 的范围无效", f"table part {member} has a bad range")) from None
        name = root.get("displayName") or root.get("name") or member
        tables.append(TablePart(member, name, ref, totals, header_rows, xml))
    return tables


_RANGE_ELEMENTS = rb"(?:table|autoFilter|sortState|sortCondition)"


def extend_ranges(xml: bytes, prefix_re: bytes, last: int, new_last: int) -> list[tuple[int, int, bytes]]:
    """Edits that stretch every range reaching row `last` down to `new_last`.

    Applies to table, autoFilter, sortState and sortCondition `ref`s: a range covering the
    last real row (top <= last <= bottom) and ending above the new last row grows; any other
    range (one ending higher up, one already long enough) stays as it is.
    """
    edits = []
    tag_re = re.compile(rb"<" + prefix_re + _RANGE_ELEMENTS + rb"\b[^>]*>")
    ref_re = re.compile(rb"""\sref\s*=\s*["']([^"']*)["']""")
    for tm in tag_re.finditer(xml):
        rm = ref_re.search(xml, tm.start(), tm.end())
        if not rm:
            continue
        try:
            top, left, bottom, right = parse_range(rm.group(1).decode())
        except ValueError:
            continue
        if top <= last <= bottom < new_last:
            edits.append((rm.start(1), rm.end(1), format_range(top, left, new_last, right).encode()))
    return edits


def _apply(xml: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    out, pos = [], 0
    for s, e, rep in sorted(edits):
        out += [xml[pos:s], rep]
        pos = e
    out.append(xml[pos:])
    return b"".join(out)


def _check_fragment(fragment: str, prefix: str, where: str) -> None:
    """Our own XML must be well-formed before it goes into the user's workbook.

    A bare expat pass (no handlers, no tree) is enough for text we generated ourselves.
    """
    decl = f'xmlns:{prefix[:-1]}="{MAIN_NS}"' if prefix else f'xmlns="{MAIN_NS}"'
    parser = expat.ParserCreate(namespace_separator=" ")
    try:
        parser.Parse(f"<{prefix}sheetData {decl}>{fragment}</{prefix}sheetData>".encode(), True)
    except expat.ExpatError as exc:  # pragma: no cover - would be a bug in cell_xml
        raise AssertionError(f"{where}: generated XML does not parse: {exc}") from None


def _row_attrs(row_xml: bytes, keys=("s", "customFormat")) -> str:
    """Row attributes to carry over: the row style; a prepared row's height too."""
    start_tag = row_xml[: row_xml.find(b">") + 1]
    a = attrs_of(start_tag)
    return "".join(f' {k}="{a[k]}"' for k in keys if k in a)


def _sheet_part_writer(zf, part: str, edits, expected_length: int, where: str):
    def produce(write):
        with open_member(zf, part) as stream:
            n = splice(stream, edits, write)
        if n != expected_length:
            raise WriteRefused(msg(f"{where}：工作表在改写过程中被修改了", f"{where}: the sheet changed while it was being rewritten"))

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
    zf,
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
    header = header or {}
    if header:
        if header_row is None:
            raise TypeError(f"{where}: a header extension needs the header row")
        with open_member(zf, sheet.part) as stream:
            width = used_width(stream, f"{where}: sheet '{sheet.name}'")
        first_new_col, last_new_col = check_columns(header, width, f"{where}: sheet '{sheet.name}'")
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
            new_xml = extend_table(t.xml, t.name, t.ref, header_row, first_new_col, names,
                                   f"{where}: sheet '{sheet.name}'")
            if new_xml is not None:
                t.xml, t.ref = new_xml, (t.ref[0], t.ref[1], t.ref[2], last_new_col)
                grown_tables.add(t.part)
    for t in tables:
        top, left, bottom, right = t.ref
        for (r, c) in updates:
            if t.header_rows and r == top and left <= c <= right:
                raise WriteRefused(
                    msg(f"{where}：{sheet.name}!{col_letters(c)}{r} 是表格“{t.name}”的标题；修改它会破坏该表格",
                        f"{where}: {sheet.name}!{col_letters(c)}{r} is a header of table '{t.name}'; "
                        "changing it would break the table")
                )
    header_cols = set()
    for c, name in header.items():
        if (header_row, c) in updates:
            raise TypeError(f"{where}: sheet '{sheet.name}': cell {col_letters(c)}{header_row} is both a new header and updated")
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
        a_edits, a_insert, a_box, table_xml, added = _append_edits(scan, info, sheet, tables, rows, by_row, where, header_row)
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
        widened = {(scan.tail_start + s, scan.tail_start + e): rep
                   for s, e, rep in widen_autofilter(scan.tail, header_row, first_new_col - 1, last_new_col)}
        merged = []
        for s, e, rep in edits:  # an autofilter that also grows down: one range, both ways
            wide = widened.pop((s, e), None)
            if wide is not None:
                a, b = parse_range(rep.decode()), parse_range(wide.decode())
                rep = format_range(min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])).encode()
            merged.append((s, e, rep))
        edits = merged + [(s, e, rep) for (s, e), rep in widened.items()]
    if updates:
        u_edits, u_inserts = _update_edits(scan, info, sheet, by_row, where, header_cols)
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
    return Plan(replacements, added, sorted(by_row), len(updates), changed)


def plan_append(zf, info: PackageInfo, sheet: SheetEntry, rows: list[list], where: str, header_row: int | None = None) -> Plan:
    return plan_sheet(zf, info, sheet, where, rows=rows, header_row=header_row)


def plan_update(zf, info: PackageInfo, sheet: SheetEntry, updates: dict[tuple[int, int], object], where: str) -> Plan:
    return plan_sheet(zf, info, sheet, where, updates=updates)


def _append_edits(
    scan: SheetScan,
    info: PackageInfo,
    sheet: SheetEntry,
    tables: list[TablePart],
    rows: list[list],
    by_row: dict[int, dict[int, object]],
    where: str,
    header_row: int | None,
):
    """Edits for appending `rows`: (edits, the insert, the box for the dimension, new table XML, row numbers)."""
    p = scan.prefix
    last = scan.last_real.number if scan.last_real else 0
    first_new, new_last = last + 1, last + len(rows)
    clash = sorted(r for r in by_row if first_new <= r <= new_last)
    if clash:
        raise TypeError(
            f"{where}: sheet '{sheet.name}': row {clash[0]} is both appended and updated in one call "
            f"(the new rows are {first_new}-{new_last}); give its values in the appended row instead"
        )
    if new_last > MAX_ROW:
        raise WriteRefused(msg(f"{where}：工作表“{sheet.name}”将超出 Excel 的最后一行（{MAX_ROW}）", f"{where}: sheet '{sheet.name}' would pass Excel's last row ({MAX_ROW})"))
    width = max((len(r) for r in rows), default=0)
    if width > MAX_COL:
        raise WriteRefused(msg(f"{where}：一行有 {width} 个值，超过 Excel 的 {MAX_COL} 列", f"{where}: a row of {width} values is wider than Excel's {MAX_COL} columns"))

    for t in tables:
        top, left, bottom, right = t.ref
        if t.totals and bottom >= last >= top:
            raise WriteRefused(*totals_row_refusal(where, t.name, sheet.name))
    tail_pb = re.escape(p.encode())
    for mm in re.finditer(rb"<" + tail_pb + rb"mergeCell\b[^>]*?\sref\s*=\s*[\"']([^\"']*)[\"']", scan.tail):
        top, left, bottom, right = parse_range(mm.group(1).decode())
        if top <= new_last and bottom >= first_new:
            raise WriteRefused(
                msg(f"{where}：工作表“{sheet.name}”上的合并单元格 {mm.group(1).decode()} 覆盖了第 {first_new}-{new_last} 行，即新行要写入的位置",
                    f"{where}: merged cells {mm.group(1).decode()} on sheet '{sheet.name}' cover rows "
                    f"{first_new}-{new_last}, where the new rows would go"),
                msg("请在 Excel 中取消合并这些单元格，然后重试", "unmerge those cells in Excel, then try again"),
            )

    # Styles: like the last real row, unless that row is the header.
    template: dict[int, str | None] = {}
    template_row_style = None
    row_attrs = ""
    if header_row is not None:
        header_like = last <= header_row
    else:  # a single real row in a visit log is its header
        header_like = scan.real_rows <= 1
    if not header_like:
        start_tag, cells = row_cells(scan.last_real.xml, p, where)
        template = {c.col: c.attrs.get("s") for c in cells}
        ra = attrs_of(start_tag[len(p) + 4 :])
        if ra.get("customFormat") in ("1", "true"):
            template_row_style = ra.get("s")
        row_attrs = _row_attrs(start_tag)
    existing = {r.number: r for r in scan.after_last if first_new <= r.number <= new_last}

    def style_for(rownum: int, col: int) -> str | None:
        if not header_like:
            if col in template:
                return template[col]
            return template_row_style if template_row_style is not None else scan.col_style(col)
        prepared = existing.get(rownum)
        if prepared is not None:
            _tag, cells = row_cells(prepared.xml, p, where)
            for c in cells:
                if c.col == col and "s" in c.attrs:
                    return c.attrs["s"]
        return scan.col_style(col)

    out = []
    max_col = 0
    for i, values in enumerate(rows):
        n = first_new + i
        if not header_like:
            attrs = row_attrs
        else:
            attrs = _row_attrs(existing[n].xml, ("s", "customFormat", "ht", "customHeight")) if n in existing else ""
        cells = []
        for j, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            style = style_for(n, j)
            cells.append(cell_xml(p, f"{col_letters(j)}{n}", _as_shown(value, style, info), style, info.date1904))
            max_col = max(max_col, j)
        out.append(f'<{p}row r="{n}"{attrs}>{"".join(cells)}</{p}row>')
    fragment = "".join(out)
    _check_fragment(fragment, p, where)

    if scan.sheetdata_selfclosed:
        at = scan.sheetdata_close
        edits = []
    else:
        at = scan.last_real.end if scan.last_real else scan.sheetdata_open_end
        edits = [(r.start, r.end, b"") for r in existing.values()]  # a new row takes a formatted empty row's place
    edits += [
        (scan.tail_start + s, scan.tail_start + e, rep)
        for s, e, rep in extend_ranges(scan.tail, tail_pb, last, new_last)
    ]
    table_xml: dict[str, bytes] = {}
    for t in tables:
        t_edits = extend_ranges(t.xml, rb"(?:[\w.-]+:)?", last, new_last)
        if t_edits:
            new_xml = _apply(t.xml, t_edits)
            try:
                SafeET.fromstring(new_xml)
            except Exception as exc:  # pragma: no cover
                raise AssertionError(f"{where}: table {t.part} would not parse: {exc}") from None
            table_xml[t.part] = new_xml
    box = (first_new, 1, new_last, max(max_col, 1))
    return edits, (at, first_new, fragment.encode()), box, table_xml, list(range(first_new, new_last + 1))


def _update_edits(scan: SheetScan, info: PackageInfo, sheet: SheetEntry, by_row: dict[int, dict[int, object]], where: str,
                  header_cols: set[int] = frozenset()):
    """Edits for updating cells in place: (edits on existing rows, inserts of missing rows)."""
    p = scan.prefix
    for ref in scan.array_refs:
        top, left, bottom, right = parse_range(ref)
        for r, cols in by_row.items():
            for c in cols:
                if top <= r <= bottom and left <= c <= right:
                    raise WriteRefused(
                        msg(f"{where}：{sheet.name}!{col_letters(c)}{r} 属于 {ref} 上的数组公式；修改它会破坏该公式",
                            f"{where}: {sheet.name}!{col_letters(c)}{r} is part of the array formula over {ref}; "
                            "changing it would break that formula")
                    )
    edits = []
    inserts = []
    for r in sorted(by_row):
        cols = by_row[r]
        seen = scan.wanted.get(r)
        if seen is None:
            cells = "".join(
                cell_xml(p, f"{col_letters(c)}{r}", cols[c], scan.col_style(c), info.date1904) for c in sorted(cols)
            )
            fragment = f'<{p}row r="{r}">{cells}</{p}row>'
            _check_fragment(fragment, p, where)
            at = scan.sheetdata_close if scan.sheetdata_selfclosed else scan.insert_at[r]
            inserts.append((at, r, fragment.encode()))
        else:
            edits.append((seen.start, seen.end, _rewrite_row(seen, cols, scan, info.date1904, f"{where}: {sheet.name}",
                                                             header_cols)))
    return edits, inserts

def _rewrite_row(seen: RowSeen, cols: dict[int, object], scan: SheetScan, date1904: bool, where: str,
                 header_cols: set[int] = frozenset()) -> bytes:
    p = scan.prefix
    start_tag, cells = row_cells(seen.xml, p, where)
    # New header cells look like the header's last cell (its bold, fill and border).
    header_style = max(cells, key=lambda c: c.col).attrs.get("s") if cells and header_cols else None
    ra = attrs_of(start_tag[len(p) + 4 :])
    row_style = ra.get("s") if ra.get("customFormat") in ("1", "true") else None
    if "r" not in ra:
        start_tag = start_tag[: len(p) + 4] + f' r="{seen.number}"'.encode() + start_tag[len(p) + 4 :]
    if start_tag.endswith(b"/>"):
        start_tag = start_tag[:-2].rstrip() + b">"
    if "spans" in ra and cols:
        try:
            bounds = [int(x) for x in re.split(r"[\s:]+", ra["spans"].strip())]
            lo, hi = min(bounds + list(cols)), max(bounds + list(cols))
            start_tag = re.sub(rb"""(\sspans\s*=\s*["'])[^"']*""", lambda m: m.group(1) + f"{lo}:{hi}".encode(), start_tag)
        except ValueError:
            pass
    pending = dict(cols)
    out = [start_tag.decode()]

    def new_cell(col: int, old: CellSeen | None) -> str:
        ref = f"{col_letters(col)}{seen.number}"
        if old is None:
            if col in header_cols and header_style is not None:
                style = header_style
            else:
                style = row_style if row_style is not None else scan.col_style(col)
            return cell_xml(p, ref, pending.pop(col), style, date1904)
        if re.search(rb"<" + re.escape(p.encode()) + rb"f[\s/>]", old.xml):
            raise WriteRefused(msg(f"{where}!{ref} 含有公式；followup 不会覆盖它", f"{where}!{ref} holds a formula; followup will not overwrite it"))
        # attribute values are kept as raw XML text, entities and all
        keep = "".join(
            f" {k}='{v}'" if '"' in v else f' {k}="{v}"'
            for k, v in old.attrs.items()
            if k not in ("r", "s", "t", "cm", "vm")
        )
        return cell_xml(p, ref, pending.pop(col), old.attrs.get("s"), date1904, keep)

    for cell in cells:
        for col in sorted(c for c in pending if c < cell.col):
            out.append(new_cell(col, None))
        if cell.col in pending:
            out.append(new_cell(cell.col, cell))
        elif cell.has_r:
            out.append(cell.xml.decode())
        else:  # give it its reference, so an inserted cell cannot shift it
            ref = f' r="{col_letters(cell.col)}{seen.number}"'.encode()
            out.append((cell.xml[: len(p) + 2] + ref + cell.xml[len(p) + 2 :]).decode())
    for col in sorted(pending):
        out.append(new_cell(col, None))
    out.append(f"</{p}row>")
    fragment = "".join(out)
    _check_fragment(fragment, p, where)
    return fragment.encode()


def _as_shown(value, style: str | None, info: PackageInfo):
    """A date for a cell whose style shows no date is written as ISO text (the way such a column
    already holds its dates), never as a serial number the clerk would read as 46351."""
    if isinstance(value, (dt.date, dt.datetime)) and (style or "0") not in info.date_styles:
        if isinstance(value, dt.datetime):
            return value.strftime("%Y-%m-%d %H:%M") if (value.hour, value.minute) != (0, 0) else value.date().isoformat()
        return value.isoformat()
    return value
