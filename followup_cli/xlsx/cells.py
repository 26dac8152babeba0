"""Cell XML: values written as `<c>` elements, a row's XML split into its cells, and the
well-formedness check every fragment we generate passes before it goes into a workbook.

Text is always an inline string, so text starting with = + - @ stays text and never
becomes a formula; dates become serial numbers in the workbook's date system.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from xml.parsers import expat

from followup_cli.errors import DataProblems, WriteRefused
from followup_cli.text.messages import msg
from followup_cli.xlsx.limits import MAX_TEXT
from followup_cli.xlsx.package import MAIN_NS
from followup_cli.xlsx.refs import parse_cell_ref

_ATTR_RE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def attrs_of(tag: bytes) -> dict[str, str]:
    return {
        m.group(1).decode(): (m.group(2) if m.group(2) is not None else m.group(3)).decode()
        for m in _ATTR_RE.finditer(tag)
    }


_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ESCAPE_LIKE = re.compile("_(x[0-9A-Fa-f]{4}_)")
_DATE_1900 = date(1899, 12, 30)
_DATE_1900_BUG = date(1900, 3, 1)  # Excel counts a 1900-02-29 that never was
_DATE_1904 = date(1904, 1, 1)


def clean_text(text: str) -> str:
    """Drop characters XML 1.0 cannot carry; protect literal `_xHHHH_` (ECMA-376 escape)."""
    text = _ILLEGAL_XML.sub("", text)
    return _ESCAPE_LIKE.sub(r"_x005F_\1", text)


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def excel_serial(value: date | datetime, date1904: bool, cell: str) -> str:
    if isinstance(value, datetime):
        if value.utcoffset() is not None:
            raise ValueError(f"{cell}: {value!r} has a time zone; pass local wall-clock time")
        day = value.date()
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    else:
        day, seconds = value, 0.0
    if date1904:
        days = (day - _DATE_1904).days
    elif day >= _DATE_1900_BUG:
        days = (day - _DATE_1900).days
    else:
        days = (day - _DATE_1900).days - 1
    if days < (0 if date1904 else 1):
        raise DataProblems(
            msg(
                f"{cell}：{day.isoformat()} 早于 Excel 能保存的最早日期",
                f"{cell}: {day.isoformat()} is before the first date Excel can store",
            )
        )
    if not seconds:
        return str(days)
    return repr(round(days + seconds / 86400, 10))


def _not_a_number(ref: str, value: object):
    return msg(f"{ref}：{value} 不是 Excel 能保存的数字", f"{ref}: {value} is not a number Excel can store")


def cell_xml(p: str, ref: str, value: object, style: str | None, date1904: bool, extra_attrs: str = "") -> str:
    """One `<c>` element. `p` is the namespace prefix of the sheet ('' or 'x:')."""
    s = f' s="{style}"' if style is not None else ""
    head = f'<{p}c r="{ref}"{s}{extra_attrs}'
    if value is None:
        return head + "/>"
    if isinstance(value, str):
        if value == "":
            return head + "/>"
        text = clean_text(value)
        if len(text) > MAX_TEXT:
            raise DataProblems(
                msg(
                    f"{ref}：文字有 {len(text)} 个字符；Excel 一个单元格最多能放 {MAX_TEXT} 个",
                    f"{ref}: text of {len(text)} characters; Excel holds at most {MAX_TEXT} in a cell",
                )
            )
        space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
        # Always a string cell: text starting with = + - @ stays text, never a formula.
        return f'{head} t="inlineStr"><{p}is><{p}t{space}>{xml_escape(text)}</{p}t></{p}is></{p}c>'
    if isinstance(value, bool):
        return f'{head} t="b"><{p}v>{int(value)}</{p}v></{p}c>'
    if isinstance(value, int):
        return f"{head}><{p}v>{value}</{p}v></{p}c>"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise DataProblems(_not_a_number(ref, value))
        return f"{head}><{p}v>{repr(value)}</{p}v></{p}c>"
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise DataProblems(_not_a_number(ref, value))
        return f"{head}><{p}v>{value}</{p}v></{p}c>"
    if isinstance(value, (date, datetime)):
        return f"{head}><{p}v>{excel_serial(value, date1904, ref)}</{p}v></{p}c>"
    raise TypeError(f"{ref}: cannot write a {type(value).__name__} into a cell: {value!r}")


def check_value_type(value: object) -> None:
    if value is None or isinstance(value, (str, int, float, Decimal, date)):
        return
    raise TypeError(f"cannot write a {type(value).__name__} into a cell: {value!r}")


@dataclass
class CellSeen:
    col: int
    start: int  # offsets inside the row's XML
    end: int
    attrs: dict[str, str]
    has_r: bool
    xml: bytes


def row_cells(row_xml: bytes, prefix: str, where: str) -> tuple[bytes, list[CellSeen]]:
    """Split a row's XML into its start tag and its cells."""
    pb = prefix.encode()
    gt = row_xml.find(b">")
    start_tag = row_xml[: gt + 1]
    if row_xml[gt - 1] == 0x2F:
        return start_tag, []
    cell_re = re.compile(rb"<" + re.escape(pb) + rb"c\b([^>]*?)(/?)>")
    close = b"</" + pb + b"c>"
    cells: list[CellSeen] = []
    col = 0
    pos = gt + 1
    while True:
        m = cell_re.search(row_xml, pos)
        if not m:
            break
        if m.group(2):
            end = m.end()
        else:
            c = row_xml.find(close, m.end())
            if c < 0:
                raise WriteRefused(
                    msg(
                        f"{where}：有个单元格缺少结束标签；followup 不会改写此工作表",
                        f"{where}: a cell without its end tag; followup will not rewrite this sheet",
                    )
                )
            end = c + len(close)
        attrs = attrs_of(m.group(1))
        if "r" in attrs:
            try:
                _r, col = parse_cell_ref(attrs["r"])
            except ValueError:
                raise WriteRefused(
                    msg(
                        f"{where}：单元格引用 {attrs['r']!r} 无效；followup 不会改写此工作表",
                        f"{where}: cell reference {attrs['r']!r}; followup will not rewrite this sheet",
                    )
                ) from None
        else:
            col += 1
        cells.append(CellSeen(col, m.start(), end, attrs, "r" in attrs, row_xml[m.start() : end]))
        pos = end
    return start_tag, cells


def check_fragment(fragment: str, prefix: str, where: str) -> None:
    """Our own XML must be well-formed before it goes into the user's workbook.

    A bare expat pass (no handlers, no tree) is enough for text we generated ourselves. It
    checks well-formedness only, not namespaces: a row we rewrite keeps attributes whose
    prefixes the worksheet root declares (Excel's x14ac:dyDescent on every row).
    """
    decl = f'xmlns:{prefix[:-1]}="{MAIN_NS}"' if prefix else f'xmlns="{MAIN_NS}"'
    parser = expat.ParserCreate()
    try:
        parser.Parse(f"<{prefix}sheetData {decl}>{fragment}</{prefix}sheetData>".encode(), True)
    except expat.ExpatError as exc:  # pragma: no cover - would be a bug in cell_xml
        raise AssertionError(f"{where}: generated XML does not parse: {exc}") from None
