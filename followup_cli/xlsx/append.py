"""The XML of rows appended below a sheet's last real row, and the checks an append passes.

`append_edits` refuses an append that would break the sheet (past Excel's last row or
column, into a table's totals row, into merged cells), styles each new cell like the last
real row (or, below the header, like a prepared empty row or the column), writes a date
into a column that shows no date as text (`as_shown`), and grows the ranges and tables
that reach the last real row (autofilter, tables, validations, conditional formats).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import BinaryIO

from defusedxml import ElementTree as SafeET

from followup_cli.errors import WriteRefused
from followup_cli.text.messages import msg
from followup_cli.text.refusals import totals_row_refusal
from followup_cli.xlsx.cells import attrs_of, cell_xml, check_fragment, row_cells, xml_escape
from followup_cli.xlsx.formulas import FillDown, calculated_columns, prepared_formulas, shared_formula_finder
from followup_cli.xlsx.limits import MAX_COL, MAX_ROW
from followup_cli.xlsx.package import PackageInfo, SheetEntry
from followup_cli.xlsx.refs import col_letters, parse_range
from followup_cli.xlsx.scan import SheetScan
from followup_cli.xlsx.tables import TablePart, apply_edits, extend_ranges, extend_sqrefs


def append_edits(
    scan: SheetScan,
    info: PackageInfo,
    sheet: SheetEntry,
    tables: list[TablePart],
    rows: list[list],
    by_row: dict[int, dict[int, object]],
    where: str,
    header_row: int | None,
    open_part: Callable[[], BinaryIO] | None = None,
) -> tuple:
    """Edits for appending `rows`: (edits, the insert, the box for the dimension, new table XML,
    row numbers, whether a formula was written)."""
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
        raise WriteRefused(
            msg(
                f"{where}：工作表“{sheet.name}”将超出 Excel 的最后一行（{MAX_ROW}）",
                f"{where}: sheet '{sheet.name}' would pass Excel's last row ({MAX_ROW})",
            )
        )
    width = max((len(r) for r in rows), default=0)
    if width > MAX_COL:
        raise WriteRefused(
            msg(
                f"{where}：一行有 {width} 个值，超过 Excel 的 {MAX_COL} 列",
                f"{where}: a row of {width} values is wider than Excel's {MAX_COL} columns",
            )
        )

    for t in tables:
        top, left, bottom, right = t.ref
        if t.totals and bottom >= last >= top:
            raise WriteRefused(*totals_row_refusal(where, t.name, sheet.name))
    tail_pb = re.escape(p.encode())
    for mm in re.finditer(rb"<" + tail_pb + rb"mergeCell\b[^>]*?\sref\s*=\s*[\"']([^\"']*)[\"']", scan.tail):
        top, left, bottom, right = parse_range(mm.group(1).decode())
        if top <= new_last and bottom >= first_new:
            raise WriteRefused(
                msg(
                    f"{where}：工作表“{sheet.name}”上的合并单元格 {mm.group(1).decode()} 覆盖了第 {first_new}-{new_last} 行，即新行要写入的位置",
                    f"{where}: merged cells {mm.group(1).decode()} on sheet '{sheet.name}' cover rows "
                    f"{first_new}-{new_last}, where the new rows would go",
                ),
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

    calculated: dict[int, str] = {}
    for t in tables:  # a table the new rows join fills its calculated columns in them
        top, left, bottom, _right = t.ref
        if top <= last <= bottom:
            calculated.update(calculated_columns(t.xml, left))
    fill = FillDown(
        None if header_like else scan.last_real,
        scan.prev_real,
        p,
        where,
        calculated,
        shared_formula_finder(open_part, p) if open_part else lambda _si: None,
    )
    out = []
    max_col = 0
    wrote_formulas = False
    for i, values in enumerate(rows):
        n = first_new + i
        if not header_like:
            attrs = row_attrs
        else:
            attrs = _row_attrs(existing[n].xml, ("s", "customFormat", "ht", "customHeight")) if n in existing else ""
        cells: dict[int, str] = {}
        for j, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            style = style_for(n, j)
            cells[j] = cell_xml(p, f"{col_letters(j)}{n}", as_shown(value, style, info), style, info.date1904)
            max_col = max(max_col, j)
        if n in existing:  # a prepared row's formulas stay, where the visit leaves the cell empty
            for j, xml in prepared_formulas(existing[n].xml, p, n, where).items():
                if j not in cells:
                    cells[j] = xml.decode()
                    max_col = max(max_col, j)
                    wrote_formulas = True
        for j in sorted(set(fill.calculated) | set(fill.by_col)):  # a formula column's formula
            if j not in cells and (text := fill.formula(j, n)) is not None:
                style = style_for(n, j)
                s_attr = f' s="{style}"' if style is not None else ""
                cells[j] = f'<{p}c r="{col_letters(j)}{n}"{s_attr}><{p}f>{xml_escape(text)}</{p}f></{p}c>'
                max_col = max(max_col, j)
                wrote_formulas = True
        out.append(f'<{p}row r="{n}"{attrs}>{"".join(cells[j] for j in sorted(cells))}</{p}row>')
    fragment = "".join(out)
    check_fragment(fragment, p, where)

    if scan.sheetdata_selfclosed:
        at = scan.sheetdata_close
        edits = []
    else:
        at = scan.last_real.end if scan.last_real else scan.sheetdata_open_end
        edits = [(r.start, r.end, b"") for r in existing.values()]  # a new row takes a formatted empty row's place
    edits += [
        (scan.tail_start + s, scan.tail_start + e, rep)
        for s, e, rep in extend_ranges(scan.tail, tail_pb, last, new_last) + extend_sqrefs(scan.tail, last, new_last)
    ]
    table_xml: dict[str, bytes] = {}
    for t in tables:
        t_edits = extend_ranges(t.xml, rb"(?:[\w.-]+:)?", last, new_last)
        if t_edits:
            new_xml = apply_edits(t.xml, t_edits)
            try:
                SafeET.fromstring(new_xml)
            except Exception as exc:  # pragma: no cover
                raise AssertionError(f"{where}: table {t.part} would not parse: {exc}") from None
            table_xml[t.part] = new_xml
    box = (first_new, 1, new_last, max(max_col, 1))
    added = list(range(first_new, new_last + 1))
    return edits, (at, first_new, fragment.encode()), box, table_xml, added, wrote_formulas


def _row_attrs(row_xml: bytes, keys=("s", "customFormat")) -> str:
    """Row attributes to carry over: the row style; a prepared row's height too."""
    start_tag = row_xml[: row_xml.find(b">") + 1]
    a = attrs_of(start_tag)
    return "".join(f' {k}="{a[k]}"' for k in keys if k in a)


def as_shown(value: object, style: str | None, info: PackageInfo) -> object:
    """A date for a cell whose style shows no date is written as ISO text (the way such a column
    already holds its dates), never as a serial number the clerk would read as 46351."""
    if isinstance(value, (dt.date, dt.datetime)) and (style or "0") not in info.date_styles:
        if isinstance(value, dt.datetime):
            return (
                value.strftime("%Y-%m-%d %H:%M") if (value.hour, value.minute) != (0, 0) else value.date().isoformat()
            )
        return value.isoformat()
    return value
