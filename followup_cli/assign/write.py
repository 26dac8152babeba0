"""Writing a plan's owner cells into the customer sheets it was made from."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from followup_cli.assign.plan import Plan
from followup_cli.errors import WriteRefused
from followup_cli.text.messages import msg

if TYPE_CHECKING:
    from collections.abc import Iterable


def fingerprints(paths: Iterable[Path]) -> dict[str, str]:
    """Each file's content hash, taken before reading: owner cells are written only into the
    workbook that was read."""
    return {str(p): _fingerprint(p) for p in paths}


def _fingerprint(path) -> str:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return ""
    return h.hexdigest()


def write_plan(plan: Plan, read: dict[str, str], command: str, force: bool = False) -> list:
    """Rewrite the owner cells of every placed move (update_cells: only those cells change).
    `read`: fingerprints() of the archives taken before they were read. Every target is
    checked before the first write, so a refusal leaves every file as it was."""
    from followup_cli.writeback.transaction import WRITABLE_SUFFIXES, update_cells

    if not plan.placed:
        return []
    missing = plan.missing_owner_column()
    if missing:
        src = missing[0]
        raise WriteRefused(
            msg(
                f"{src.file.name} {src.sheet}：客户表没有负责人列，无法写入；请在第 {src.header_row} 行表头加一列“负责人”后重试",
                f"{src.file.name} {src.sheet}: the customer sheet has no owner column to write into; add a column "
                f"headed 负责人 (or Owner) to its header row {src.header_row}, then run again",
            ),
            msg(
                '加 --dry-run 只看计划不写入；或在 followup.toml 中映射自己的表头：[columns.customers] "<表头>" = "owner"',
                "--dry-run shows the plan without writing; or map your own header in followup.toml: "
                '[columns.customers] "<header>" = "owner"',
            ),
        )
    updates = plan.updates()
    for file, _sheet in updates:
        if Path(file).suffix.lower() not in WRITABLE_SUFFIXES:
            raise WriteRefused(
                msg(
                    f"{file}：只写入 .xlsx/.xlsm 工作簿，此文件不会被改写；请把客户表另存为 .xlsx 后再分配",
                    f"{file}: followup only writes into .xlsx/.xlsm workbooks, and this file is never rewritten; "
                    "save the customer sheet as .xlsx, then assign again",
                ),
                msg("加 --dry-run 只看计划不写入", "--dry-run shows the plan without writing"),
            )
        key = next((a for a in read if Path(a).resolve() == Path(file).resolve()), None)
        if key is not None and _fingerprint(key) != read[key]:
            raise WriteRefused(
                msg(
                    f"{file}：读取之后工作簿已被修改，未写入任何内容；请重新运行",
                    f"{file}: the workbook changed after it was read; nothing was written. Run again",
                )
            )
    return [update_cells(file, sheet, cells, command=command, force=force) for (file, sheet), cells in updates.items()]
