"""The raw cells of one file, as every reader (workbook or text) returns them.

A `RawBook` is a file's sheets in order; a `RawSheet` reads its rows when `rows()` is
called, row 0 being Excel's row 1 and column 0 column A, so every later message can name
the exact cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from followup_cli.errors import UnreadableFile


@dataclass
class RawSheet:
    """One sheet's cells, read when `rows()` is called."""

    file: Path
    name: str
    index: int
    _loader: object = field(repr=False, default=None)
    date1904: bool = False
    hidden: bool = False
    _merges: object = field(repr=False, default=None)
    _unread: object = field(repr=False, default=None)
    _marks: object = field(repr=False, default=None)
    # about how many cells the sheet spans (an .xlsx says: archive/files.py), 0 when the file
    # does not say: archive/reading.py reads the biggest sheet first (its cells are the most memory)
    size: int = 0

    def rows(self) -> list[list]:
        """All rows, row 0 = Excel row 1, no leading rows or columns dropped."""
        return self._loader()

    def merges(self) -> list:
        """The sheet's merged ranges, ((first row, first col), (last row, last col)), 0-based and
        inclusive, as the reader found them when `rows()` read the sheet ([] when it gives none)."""
        return list(self._merges() or ()) if self._merges is not None else []

    def unread(self) -> dict:
        """(row, column) → (kind, text) for cells read as empty though the file holds an error
        value or a formula saved without its value (archive/unread_cells.py); {} when the
        reader cannot tell."""
        return self._unread() if self._unread is not None else {}

    def marks(self) -> dict:
        """{'strike' | 'fill': (cells, whole rows)} of the cells struck through or filled with a colour
        (archive/row_marks.py); {} when the reader cannot tell."""
        return self._marks() if self._marks is not None else {}


@dataclass
class RawBook:
    path: Path
    kind: str  # xlsx, xlsm, xlsb, xls, ods, csv
    sheets: list[RawSheet]
    date1904: bool = False

    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.sheets]

    def sheet(self, name: str) -> RawSheet:
        for s in self.sheets:
            if s.name == name:
                return s
        from followup_cli.text.messages import msg

        raise UnreadableFile(
            self.path,
            msg(f"找不到工作表“{name}”", f"sheet '{name}' not found"),
            msg(
                f"现有的工作表：{'、'.join(self.sheet_names) or '（无）'}",
                f"sheets are: {', '.join(self.sheet_names) or '(none)'}",
            ),
        )
