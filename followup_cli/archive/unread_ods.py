"""Error cells of an .ods workbook, which python-calamine reads as empty.

LibreOffice saves a formula's error (#N/A, #REF! …) as a cell with an empty string value and
calcext:value-type="error", its text the error: calamine gives ''. As for an .xlsx
(archive/unread_cells.py), such a cell in a column that is read must not be read as empty
unsaid. content.xml is searched once for the marker (a book without one costs that search);
only a book that has one is parsed, streamed, counting rows and cells with their repeats.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from defusedxml import ElementTree as SafeET

from followup_cli.archive.unread_cells import ERROR
from followup_cli.xlsx import bounds

_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_CALC = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_MARKER = b'value-type="error"'
_MAX_REPEAT = 1 << 20  # repeats past Excel's size are refused before calamine reads (bounds.check_ods_repeats)


def scan_ods(path: Path) -> dict[str, dict[tuple[int, int], tuple[str, str]]]:
    """sheet name → {(row, column), 0-based: (ERROR, '#N/A')} for every error cell; {} when none
    (or when the part cannot be read: calamine has read it already)."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("content.xml")
            tail, found = b"", False
            for chunk in bounds.inflate(zf, info, path):
                if _MARKER in chunk or _MARKER in tail + chunk[: len(_MARKER)]:
                    found = True
                    break
                tail = chunk[-len(_MARKER) :]
            if not found:
                return {}
            with zf.open(info) as fh:
                return _errors(fh)
    except Exception:  # a second look that fails changes nothing
        return {}


def _errors(fh) -> dict[str, dict[tuple[int, int], tuple[str, str]]]:
    out: dict[str, dict] = {}
    sheet, row, col, cells = None, -1, 0, None
    for event, el in SafeET.iterparse(fh, events=("start", "end")):
        tag = el.tag
        if event == "start":
            if tag == _T + "table":
                sheet, row, cells = el.get(_T + "name"), -1, {}
            elif tag == _T + "table-row":
                row, col = row + 1, 0
            continue
        if tag in (_T + "table-cell", _T + "covered-table-cell"):
            repeat = min(int(el.get(_T + "number-columns-repeated", "1") or 1), _MAX_REPEAT)
            if cells is not None and el.get(_CALC + "value-type") == "error":
                text = "".join(el.itertext()).strip() or "#N/A"
                for k in range(repeat):
                    cells[(row, col + k)] = (ERROR, text)
            col += repeat
            el.clear()
        elif tag == _T + "table-row":
            rows = min(int(el.get(_T + "number-rows-repeated", "1") or 1), _MAX_REPEAT)
            if rows > 1 and cells is not None:
                # a repeated row repeats its cells, errors included
                same = {(r, c): v for (r, c), v in cells.items() if r == row}
                for k in range(1, rows):
                    cells.update({(row + k, c): v for (_, c), v in same.items()})
            row += rows - 1
            el.clear()
        elif tag == _T + "table":
            if cells:
                out[sheet] = cells
            sheet, cells = None, None
            el.clear()
    return out
