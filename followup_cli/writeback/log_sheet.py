"""The sheet a log's rows go into (the visit log, the spot-check log): the archive's own sheet
as it is laid out, or a new sheet with the tool's standard columns, headed in its language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from followup_cli.archive.schema import field_by_name
from followup_cli.text.messages import pick

if TYPE_CHECKING:
    from collections.abc import Sequence

    from followup_cli.archive.records import SheetSource


@dataclass
class LogSheet:
    name: str
    header_row: int
    headers: list[str]
    columns: dict[str, int]  # field → 0-based column; a copy, so a plan may add columns to it
    lang: str  # the language its headers and coded values are written in
    create: bool  # there is no such sheet yet: it is made with `headers`


def log_sheet(src: SheetSource | None, role: str, fields: Sequence[str], name: tuple[str, str], lang: str) -> LogSheet:
    """`src` as it is; without one, a new sheet `name` (zh, en) with `fields`, in `lang`."""
    if src is not None:
        return LogSheet(src.sheet, src.header_row, list(src.headers), dict(src.columns), src.lang, False)
    headers = [field_header(role, f, lang) for f in fields]
    return LogSheet(pick(name, lang), 1, headers, {f: i for i, f in enumerate(fields)}, lang, True)


def field_header(role: str, fname: str, lang: str) -> str:
    """The header the tool gives field `fname` of a sheet of `role`, in `lang`."""
    f = field_by_name(role, fname)
    return pick((f.zh, f.en), lang)
