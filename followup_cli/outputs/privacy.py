"""Phone numbers, per the archive rules of the seeds: exports that leave the shop must not
leak them (`--mask-phone` gives 138****0001), and every export that carries full numbers is
noted in the write journal (followup-audit.log beside the archive: when, who, what, rows).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

PHONE_KEYS = ("phone",)


def mask_phone(phone: object) -> str:
    """138****0001: the first three and last four digits of a number kept, the middle starred.

    Short numbers keep only their last two digits; separators (spaces, dashes) go.
    """
    if phone is None:
        return ""
    text = str(phone).strip()
    digits = re.sub(r"\D", "", text)
    if not digits:
        return text
    if len(digits) >= 8:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * max(len(digits) - 2, 1) + digits[-2:]


def mask_rows(rows: list[dict], keys: Iterable[str] = PHONE_KEYS) -> list[dict]:
    out = []
    for r in rows:
        row = dict(r)
        for k in keys:
            if row.get(k):
                row[k] = mask_phone(row[k])
        out.append(row)
    return out


def phones_in(rows: list[dict], keys: Iterable[str] = PHONE_KEYS) -> int:
    """How many rows carry a phone number."""
    return sum(1 for r in rows if any(r.get(k) for k in keys))


def journal_export(archive: Path, command: str, output: str | Path, rows: int) -> str | None:
    """Note an export of `rows` rows with full phone numbers in the archive's write journal.

    Returns the journal line, or None when nothing carried a number. Uses the one journal
    writer (writeback.backups.write_audit), so exports and writes share one log.
    """
    if rows <= 0:
        return None
    from followup_cli.writeback.backups import write_audit

    where = "stdout" if output in (None, "-") else str(Path(output).resolve())
    return write_audit(Path(archive), "-", command, f"export with full phone numbers: {rows} row(s) → {where}")
