"""A problem found in a user's data, located to the cell."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from followup_cli.text.messages import text

ERROR, WARNING = "error", "warning"
# Something the reader did on purpose and says so (a totals row passed over, a column not
# used): not a problem, never counted as one, shown so that nothing is left out silently.
NOTE = "note"


@dataclass(frozen=True)
class Problem:
    severity: str  # error | warning
    file: str
    sheet: str | None
    cell: str | None  # 'D17', or None for a whole-file problem
    value: str | None
    message: str
    code: str = ""  # stable short id, e.g. 'bad-date', for scripts and tests

    @property
    def where(self) -> str:
        name = Path(self.file).name
        if self.sheet and self.cell:
            return f"{name} {self.sheet}!{self.cell}"
        if self.sheet:
            return f"{name} {self.sheet}"
        return name

    @classmethod
    def of_sheet(cls, severity: str, src: object, message: object, code: str = "") -> Problem:
        """A problem of a whole sheet (no cell, no value): `src` the sheet's SheetSource."""
        return cls(severity, str(src.file), src.sheet, None, None, message, code)

    def text(self, lang: str | None) -> str:
        return text(self.message, lang)

    def as_row(self, lang: str | None = "en") -> dict:
        return {
            "severity": self.severity,
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "value": self.value,
            "message": self.text(lang),
            "code": self.code,
        }

    def __str__(self) -> str:
        return f"{self.severity}: {self.where}: {self.message}"
