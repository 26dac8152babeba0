"""The XML of cells updated in place: a row rewritten cell by cell, a missing row created.

`update_edits` refuses a cell inside an array formula, rewrites each touched row keeping
every other cell byte for byte (a formula cell is refused; a new cell takes the row's
style, else its column's, a new header cell the header's), and creates the rows that are
not there yet.
"""

from __future__ import annotations

import re

from followup_cli.errors import WriteRefused
from followup_cli.text.messages import msg
from followup_cli.xlsx.cells import CellSeen, attrs_of, cell_xml, check_fragment, row_cells
from followup_cli.xlsx.package import PackageInfo, SheetEntry
from followup_cli.xlsx.refs import col_letters, parse_range
from followup_cli.xlsx.scan import RowSeen, SheetScan


def update_edits(
    scan: SheetScan,
    info: PackageInfo,
    sheet: SheetEntry,
    by_row: dict[int, dict[int, object]],
    where: str,
    header_cols: set[int] = frozenset(),
) -> tuple[list[tuple[int, int, bytes]], list[tuple[int, int, bytes]]]:
    """Edits for updating cells in place: (edits on existing rows, inserts of missing rows)."""
    p = scan.prefix
    for ref in scan.array_refs:
        top, left, bottom, right = parse_range(ref)
        for r, cols in by_row.items():
            for c in cols:
                if top <= r <= bottom and left <= c <= right:
                    raise WriteRefused(
                        msg(
                            f"{where}：{sheet.name}!{col_letters(c)}{r} 属于 {ref} 上的数组公式；修改它会破坏该公式",
                            f"{where}: {sheet.name}!{col_letters(c)}{r} is part of the array formula over {ref}; "
                            "changing it would break that formula",
                        )
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
            check_fragment(fragment, p, where)
            at = scan.sheetdata_close if scan.sheetdata_selfclosed else scan.insert_at[r]
            inserts.append((at, r, fragment.encode()))
        else:
            edits.append(
                (
                    seen.start,
                    seen.end,
                    _rewrite_row(seen, cols, scan, info.date1904, f"{where}: {sheet.name}", header_cols),
                )
            )
    return edits, inserts


def _rewrite_row(
    seen: RowSeen,
    cols: dict[int, object],
    scan: SheetScan,
    date1904: bool,
    where: str,
    header_cols: set[int] = frozenset(),
) -> bytes:
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
            start_tag = re.sub(
                rb"""(\sspans\s*=\s*["'])[^"']*""", lambda m: m.group(1) + f"{lo}:{hi}".encode(), start_tag
            )
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
            raise WriteRefused(
                msg(
                    f"{where}!{ref} 含有公式；followup 不会覆盖它",
                    f"{where}!{ref} holds a formula; followup will not overwrite it",
                )
            )
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
    check_fragment(fragment, p, where)
    return fragment.encode()
