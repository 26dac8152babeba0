"""What one write did: the figures `transaction.apply_changes` returns, and its audit line's text.

`WriteResult` is the whole write (one lock, one backup, one replace, one audit line);
`SheetResult` one sheet's rows and cells; `audit_fields` the sheet and detail fields of the
line written to followup-audit.log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from followup_cli.xlsx.package import SheetEntry
from followup_cli.xlsx.plan import Plan


@dataclass
class SheetResult:
    """What one write did to one sheet."""

    sheet: str  # as the workbook spells it
    rows_added: list[int]  # row numbers appended, ascending
    rows_updated: list[int]  # rows holding updated (or created) cells, ascending
    cells_changed: int
    changed_parts: list[str]  # the sheet's part, and any table part that grew


@dataclass
class WriteResult:
    """One write: one lock, one backup, one replace, one audit line.

    `sheet`, `rows_written` and `cells_changed` describe the first sheet (in the order of
    the changes) that changed: `rows_written` is the rows appended to it, or, when nothing
    was appended to it, the rows its updates touched. `sheets` has every sheet's own figures;
    `changed_parts` every package part rewritten.
    """

    path: Path
    sheet: str
    rows_written: list[int]
    backup_path: Path | None
    audit_line: str
    cells_changed: int = 0
    changed_parts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sheets: list[SheetResult] = field(default_factory=list)

    def for_sheet(self, name: str) -> SheetResult | None:
        """The result for sheet `name` (exact, else case-insensitive), or None if it did not change."""
        for s in self.sheets:
            if s.sheet == name:
                return s
        folded = [s for s in self.sheets if s.sheet.casefold() == name.casefold()]
        return folded[0] if len(folded) == 1 else None


def _detail(plan: Plan) -> str:
    parts = []
    if plan.rows_added:
        r = plan.rows_added
        span = f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0])
        parts.append(f"rows added: {len(r)} ({span})")
    if plan.cells:
        r = plan.rows_updated
        parts.append(f"cells changed: {plan.cells} (rows {', '.join(map(str, r[:20]))}{' …' if len(r) > 20 else ''})")
    return "; ".join(parts)


def audit_fields(plans: list[tuple[SheetEntry, Plan]]) -> tuple[str, str]:
    """(sheet field, detail field): one sheet as before; several as `[name] detail; [name] detail`."""
    if len(plans) == 1:
        entry, plan = plans[0]
        return entry.name, _detail(plan)
    # Excel forbids [ and ] in sheet names, so the brackets cannot be misread.
    return ", ".join(e.name for e, _ in plans), "; ".join(f"[{e.name}] {_detail(p)}" for e, p in plans)
