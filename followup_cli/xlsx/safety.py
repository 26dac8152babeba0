"""Keep user text from becoming a formula in workbooks the tool creates with openpyxl."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@")


def neutralise_formulas(ws: Worksheet) -> None:
    """Mark every string cell that looks like a formula as plain text.

    openpyxl stores a str starting with '=' as a formula; setting data_type to 's' keeps
    it a string, so a customer named '=HYPERLINK(...)' stays a name.
    """
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
