"""A new, empty archive for a trade: the sheets its preset reads, with headers, dropdowns and a
followup.toml beside it naming the preset.

The workbook is the tool's own, so the one builder (xlsx/builder.py) writes it whole. Each sheet gets the columns its
preset needs (headers as schema.py names them, Chinese by default), a frozen bold header row,
sensible widths, text format on id and phone columns (leading zeros survive), date format on
date columns, and a dropdown (data validation) on every coded column, offering the labels the
reader understands: yes/no, gender, tier, grade, customer type and source, follow-up kind,
channel, outcome, satisfaction, ticket type and severity, milestone kind, staff role.

The sheets and columns of each preset are archive/layouts.py (data in layouts.toml); the
dropdown values archive/dropdowns.py.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from followup_cli.archive.dropdowns import OPEN_LISTS, dropdown
from followup_cli.archive.layouts import SheetSpec, headers, layout
from followup_cli.archive.schema import DATE, DATETIME, ID, PHONE, field_by_name
from followup_cli.errors import UsageProblem, WriteRefused
from followup_cli.policy.rules import build_policy
from followup_cli.text.init import DROPDOWN_ERROR, SCORE_ERROR, config_lines
from followup_cli.text.messages import msg, pick

CONFIG_NAME = "followup.toml"

_WIDE = {"issue": 30, "notes": 30, "next_action": 20, "product": 18, "name": 12, "outcome": 14}


@dataclass
class InitResult:
    workbook: Path
    config: Path
    preset: str
    lang: str
    sheets: list[str]


def columns_of(spec: SheetSpec, preset: str, lang: str) -> list:
    """The builder's columns of one sheet: headers, widths (CJK counted double), text format
    on ids and phones (leading zeros survive), date formats, and a dropdown on every coded
    column (an open list warns, a closed vocabulary stops)."""
    from followup_cli.outputs.screen import display_width
    from followup_cli.xlsx.builder import Column

    head = {"bg_color": "#DDEBF7", "align": "center", "valign": "vcenter"}
    error = pick(DROPDOWN_ERROR, lang)
    out = []
    for col, header in zip(spec.columns, headers(spec, lang)):
        f = field_by_name(spec.role, col.field) if col.field else None
        width = max(display_width(header) + 4, 10)
        kind = "text"
        if f is not None and f.type in (DATE, DATETIME):
            width, kind = max(width, 13), "date" if f.type == DATE else "datetime"
        elif f is not None and f.type in (ID, PHONE):
            width, kind = max(width, 14), "id"  # typed ids and phones keep leading zeros
        extra: dict = {}
        values = dropdown(preset, spec.role, col.field, lang) if f is not None else None
        if values:
            if len(",".join(values)) > 255:  # Excel's limit for an inline list
                raise AssertionError(f"dropdown for {spec.role}.{col.field} is too long for Excel")
            extra = {
                "choices": values,
                "error_message": error,
                "on_error": "warning" if (spec.role, col.field) in OPEN_LISTS else "stop",
            }
        elif f is not None and spec.role == "visits" and col.field == "score":
            extra = {
                "rule": {
                    "validate": "integer",
                    "criteria": "between",
                    "minimum": 0,
                    "maximum": 5,
                    "error_message": pick(SCORE_ERROR, lang),
                }
            }
        out.append(
            Column(
                col.field or header,
                header,
                max(width, _WIDE.get(col.field, 0)),
                kind=kind,
                head=head,
                error_title=header,
                **extra,
            )
        )
    return out


def write_workbook(path: Path, preset: str, lang: str = "zh") -> list[str]:
    """Write the empty archive (atomically, through the one builder); its sheet names."""
    from followup_cli.xlsx.builder import MAX_ROW, Book

    if lang not in ("zh", "en"):
        raise UsageProblem(msg(f"语言“{lang}”不是 zh 或 en", f"language '{lang}' is not zh or en"))
    with Book(path, creator="followup init") as book:
        for spec in layout(preset):
            book.sheet(
                pick((spec.zh, spec.en), lang),
                columns_of(spec, preset, lang),
                [],
                freeze=(1, 0),
                autofilter=False,
                validate_to=MAX_ROW + 1,
            )
    return book.sheets


def config_text(
    preset: str, lang: str, workbook_name: str, shop_name: str = "", shop_phone: str = "", today: dt.date | None = None
) -> str:
    policy = build_policy(preset)
    today = today or dt.date.today()

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = config_lines(lang, workbook_name, today, policy, preset, q, shop_name, shop_phone)
    return "\n".join(lines) + "\n"


_WORKBOOKS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".csv")


def _other_workbooks(path: Path) -> bool:
    """Whether the folder holds another workbook (not an Excel/WPS owner file, not a hidden one)."""
    try:
        return any(
            p.suffix.lower() in _WORKBOOKS and p.name != path.name and not p.name.startswith(("~$", "."))
            for p in path.parent.iterdir()
        )
    except OSError:
        return False


def config_path_for(path: Path) -> Path:
    """Where the new archive's settings go: followup.toml beside it, unless the folder already
    has a followup.toml for another archive, or other workbooks that a followup.toml would
    govern too (the shop's old archive beside the new one); then '<archive>.followup.toml', which
    the reader looks for first (config.py), so archives can share a folder."""
    shared = path.parent / CONFIG_NAME
    if not shared.exists():
        return path.with_name(f"{path.stem}.followup.toml") if _other_workbooks(path) else shared
    try:
        mine = path.name in shared.read_text(encoding="utf-8", errors="replace")
    except OSError:
        mine = False
    return shared if mine else path.with_name(f"{path.stem}.followup.toml")


def create_archive(
    path: str | Path, preset: str, lang: str = "zh", force: bool = False, shop_name: str = "", shop_phone: str = ""
) -> InitResult:
    """Write an empty archive for `preset` at `path` and followup.toml beside it (or
    <archive>.followup.toml when the folder's followup.toml belongs to another archive).

    Refuses (WriteRefused) when either file exists, unless `force`. Both files are written to
    temporary names first and renamed into place, so a failure leaves nothing half-written.
    """
    path = Path(path)
    layout(preset)
    if path.suffix.lower() != ".xlsx":
        raise UsageProblem(
            msg(f"{path}：档案必须是 .xlsx 文件", f"{path}: the archive must be an .xlsx file"),
            msg(f"例如：{path.with_suffix('.xlsx')}", f"for example: {path.with_suffix('.xlsx')}"),
        )
    if path.is_dir():
        raise UsageProblem(
            msg(f"{path}：这是一个文件夹", f"{path}: is a folder"),
            msg("请写工作簿的文件名，如 客户档案.xlsx", "give the workbook's file name, e.g. 客户档案.xlsx"),
        )
    config = config_path_for(path)
    existing = [p for p in (path, config) if p.exists()]
    if existing and not force:
        names = " and ".join(str(p) for p in existing)
        raise WriteRefused(
            msg(
                f"{'、'.join(str(p) for p in existing)} 已存在；不会覆盖",
                f"{names} already exist{'s' if len(existing) == 1 else ''}; not overwriting",
            ),
            msg(
                "请换一个路径，或加 --overwrite 替换",
                "choose another path, or add --overwrite to replace " + ("them" if len(existing) > 1 else "it"),
            ),
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    text = config_text(preset, lang, path.name, shop_name, shop_phone)
    # The config goes to a temporary name beside its target first (same file system, so the
    # rename is atomic); the builder writes the workbook the same way.
    tmp_conf = path.with_name(f".{config.name}.{os.getpid()}.init")
    try:
        tmp_conf.write_text(text, encoding="utf-8", newline="\n")
        sheets = write_workbook(path, preset, lang)
        os.replace(tmp_conf, config)
    finally:
        if tmp_conf.exists():
            tmp_conf.unlink()
    return InitResult(path, config, preset, lang, sheets)
