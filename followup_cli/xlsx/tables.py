"""Table parts on a sheet, and the ranges that grow with an append.

`read_tables` reads the tables (`xl/tables/tableN.xml`) a sheet points at; `extend_ranges`
finds every table, autoFilter, sortState and sortCondition range reaching the last real row,
as edits that stretch it down to the new last row; `extend_sqrefs` does the same for the cell
lists of validations, conditional formats, editable ranges and ignored errors; `apply_edits`
makes such edits on a part's bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from followup_cli.errors import UnreadableFile
from followup_cli.text.messages import msg
from followup_cli.xlsx.package import REL_TABLE, Package, SheetEntry
from followup_cli.xlsx.refs import format_range, parse_range

if TYPE_CHECKING:
    from zipfile import ZipFile


@dataclass
class TablePart:
    part: str
    name: str
    ref: tuple[int, int, int, int]
    totals: int
    header_rows: int
    xml: bytes


def read_tables(zf: ZipFile, sheet: SheetEntry, where: str) -> list[TablePart]:
    tables = []
    package = Package(zf, where)
    for _rid, rtype, target in package.relationships(sheet.part):
        if rtype != REL_TABLE:
            continue
        member = package.member(target)
        if member is None:
            raise UnreadableFile(
                where,
                msg(
                    f"工作表“{sheet.name}”指向的表格部件 {target} 不存在",
                    f"sheet '{sheet.name}' points at a table part {target} that is missing",
                ),
            )
        xml = package.read(member)
        root = package.xml(member)
        try:
            ref = parse_range(root.get("ref", ""))
            totals = int(root.get("totalsRowCount", "0"))
            header_rows = int(root.get("headerRowCount", "1"))
        except ValueError:
            raise UnreadableFile(
                where, msg(f"表格部件 {member} 的范围无效", f"table part {member} has a bad range")
            ) from None
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


# Elements whose `sqref` lists the cells a rule applies to, and Excel 2010's <xm:sqref> (a
# validation whose list is on another sheet, a conditional format with x14 features).
_SQREF_TAG = re.compile(rb"<(?:[\w.-]+:)?(?:dataValidation|conditionalFormatting|protectedRange|ignoredError)\b[^>]*>")
_SQREF_ATTR = re.compile(rb"""\ssqref\s*=\s*["']([^"']*)["']""")
_SQREF_ELEMENT = re.compile(rb"<([\w.-]+:)?sqref>([^<]*)</\1?sqref>")


def extend_sqrefs(xml: bytes, last: int, new_last: int) -> list[tuple[int, int, bytes]]:
    """Edits that stretch each cell range of a validation, conditional format, editable range
    (sheet protection) or ignored error reaching row `last` down to `new_last`, as Excel does
    for the rows a table grows by: the new rows get the dropdown, the colours and the unlocked
    cells the rows above have. Only a range of more than one row grows (top < last <= bottom <
    new_last): one on the last row alone marks that row, a whole column needs nothing."""

    def grow(value: bytes) -> bytes | None:
        parts, changed = [], False
        for part in value.decode("ascii", "replace").split():
            try:
                top, left, bottom, right = parse_range(part)
            except ValueError:
                parts.append(part)
                continue
            if top < last <= bottom < new_last:
                part, changed = format_range(top, left, new_last, right), True
            parts.append(part)
        return " ".join(parts).encode() if changed else None

    edits = []
    for tm in _SQREF_TAG.finditer(xml):
        am = _SQREF_ATTR.search(xml, tm.start(), tm.end())
        if am and (new := grow(am.group(1))) is not None:
            edits.append((am.start(1), am.end(1), new))
    for em in _SQREF_ELEMENT.finditer(xml):
        if (new := grow(em.group(2))) is not None:
            edits.append((em.start(2), em.end(2), new))
    return edits


def apply_edits(xml: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """`xml` with each (start, end, new bytes) edit made; the edits do not overlap."""
    out, pos = [], 0
    for s, e, rep in sorted(edits):
        out += [xml[pos:s], rep]
        pos = e
    out.append(xml[pos:])
    return b"".join(out)
