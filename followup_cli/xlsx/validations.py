"""The list dropdowns (data validation) a sheet already has, read without loading the workbook.

`record` writes a visit's kind in the word the shop's own 回访类型 dropdown uses (新品回访, not
产品使用回访), so a value it writes passes the book's validation. Only lists written out in the
rule ("a,b,c") are read; a list taken from a range of cells is left to the default words.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

from followup_cli.xlsx.deflate import open_member
from followup_cli.xlsx.package import read_package
from followup_cli.xlsx.refs import parse_range

_CHUNK = 1 << 20
_RULE = re.compile(rb"<(?:\w+:)?dataValidation\b([^>]*)>(.*?)</(?:\w+:)?dataValidation>", re.S)
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
_FORMULA1 = re.compile(rb"<(?:\w+:)?formula1>(.*?)</(?:\w+:)?formula1>", re.S)


def _tail(stream) -> bytes:
    """What follows </sheetData>: the validations sit there, after every row."""
    keep, seen = b"", False
    while chunk := stream.read(_CHUNK):
        keep = keep + chunk if seen else (keep[-16:] + chunk)
        if not seen and (at := keep.find(b"</sheetData>")) >= 0:
            keep, seen = keep[at:], True
    return keep if seen else b""


def list_choices(path: Path, sheet_name: str, column: int, row: int) -> list[str] | None:
    """The choices of the literal list validation covering (row, column) (1-based), or None."""
    try:
        with zipfile.ZipFile(path) as zf:
            entry = read_package(zf, str(path)).sheet(sheet_name, str(path))
            with open_member(zf, entry.part) as stream:
                tail = _tail(stream)
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    for m in _RULE.finditer(tail):
        attrs = {k.split(b":")[-1]: v for k, v in _ATTR.findall(m.group(1))}
        if attrs.get(b"type") != b"list":
            continue
        covers = False
        for part in attrs.get(b"sqref", b"").decode("ascii", "replace").split():
            try:
                top, left, bottom, right = parse_range(part)
            except ValueError:
                continue
            covers = covers or (left <= column <= right and top <= row <= bottom)
        formula = _FORMULA1.search(m.group(2))
        if not covers or formula is None:
            continue
        text = html.unescape(formula.group(1).decode("utf-8", "replace")).strip()
        if len(text) >= 2 and text[0] == text[-1] == '"':
            return [c.strip() for c in text[1:-1].split(",") if c.strip()]
        return None  # a list from cells: not followed
    return None
