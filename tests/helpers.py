"""Building small real workbooks in tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from followup_cli.xlsx.safety import neutralise_formulas


def make_workbook(path: Path, sheets: dict[str, list[list]], number_formats: dict | None = None) -> Path:
    """Write an .xlsx with one sheet per entry; rows are lists of Python values.

    `number_formats` maps (sheet, 'B') → a number format for that whole column.
    """
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        neutralise_formulas(ws)  # a clerk's text that starts with '=' is text, as Excel stores it
    for (sheet, col), fmt in (number_formats or {}).items():
        for cell in wb[sheet][col]:
            cell.number_format = fmt
    path = Path(path)
    wb.save(path)
    return path


CUSTOMER_HEADERS = ["客户编号", "姓名", "性别", "手机", "生日", "会员等级", "负责人", "建档日期", "积分", "拒绝回访"]
PURCHASE_HEADERS = ["客户编号", "消费日期", "商品名称", "金额", "当季新品"]
VISIT_HEADERS = ["客户编号", "回访日期", "回访类型", "结果", "满意度", "任务编号"]
TICKET_HEADERS = ["工单号", "客户编号", "工单类型", "结案时间"]


def customer(
    cid="C1",
    name="王芳",
    gender="女",
    phone="13800000001",
    birthday=None,
    tier="VIP",
    owner="林晓雯",
    archived=dt.date(2025, 1, 10),
    points=0,
    dnc="否",
):
    return [cid, name, gender, phone, birthday, tier, owner, archived, points, dnc]


def archive(
    tmp_path: Path, customers=None, purchases=(), visits=(), tickets=(), name="archive.xlsx", extra_sheets=None
) -> Path:
    sheets = {"客户档案": [CUSTOMER_HEADERS] + [list(c) for c in (customers or [customer()])]}
    sheets["消费记录"] = [PURCHASE_HEADERS] + [list(p) for p in purchases]
    sheets["回访记录"] = [VISIT_HEADERS] + [list(v) for v in visits]
    sheets["售后工单"] = [TICKET_HEADERS] + [list(t) for t in tickets]
    sheets.update(extra_sheets or {})
    return make_workbook(tmp_path / name, sheets)


def generated_archive(path: Path, customers: int, purchases: int, visits: int, seed: int) -> Path:
    """The benchmark's generated archive (benchmarks/make_big_archive.py) at `path`, small."""
    import sys

    benchmarks = str(Path(__file__).resolve().parents[1] / "benchmarks")
    sys.path.insert(0, benchmarks)
    try:
        from make_big_archive import write_archive
    finally:
        sys.path.remove(benchmarks)
    write_archive(path, customers, purchases, visits, seed)
    return path


def use_cache_dir(folder: Path, monkeypatch, keep_outputs: bool) -> Path:
    """Turn followup's cache on in `folder` for one test; `keep_outputs`: whether a command's
    whole result is kept too (cache/replay.py), or only the sheet and schedule caches work."""
    from followup_cli.cache import replay, store

    monkeypatch.setenv("FOLLOWUP_CACHE_DIR", str(folder))
    monkeypatch.delenv("FOLLOWUP_NO_CACHE", raising=False)
    monkeypatch.setattr(replay, "KEEP_OUTPUTS", keep_outputs)
    store.disable(False)
    return folder


def sheet_part(path: Path, sheet: str) -> str:
    """The zip member that holds sheet `sheet` of the workbook at `path`."""
    import zipfile

    from followup_cli.xlsx.package import Package

    with zipfile.ZipFile(path) as zf:
        return next(s.part for s in Package(zf, str(path)).info().sheets if s.name == sheet)


def rewrite_part(path: Path, member: str, edit) -> None:
    """Rewrite one zip member in place with `edit(bytes)`, copying every other one unchanged."""
    import os
    import zipfile

    with zipfile.ZipFile(path) as zf:
        items = [(i, zf.read(i.filename)) for i in zf.infolist()]
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            out.writestr(info, edit(data) if info.filename == member else data)
    os.replace(tmp, path)
