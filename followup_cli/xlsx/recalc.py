"""Asking Excel to calculate again on opening, after a write its cached results do not know.

Excel shows a formula's cached result and, when the file says it was calculated by the
same version, does not calculate again on opening: a 本月回访数 =COUNTIF(回访记录!D:D,"已联系")
on another sheet would show the count from before `record` until something made it
recalculate, and a formula `record` filled into a new row (it writes none of its results)
would show nothing. So when the workbook has formulas (Excel keeps a calculation chain,
xl/calcChain.xml, in any workbook that has them) or the write added some, the workbook
part's `<calcPr>` gets `fullCalcOnLoad="1"`: Excel calculates every formula on opening (and
drops the flag when it saves). LibreOffice calculates formulas without a result anyway.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from followup_cli.xlsx.package import Package, PackageInfo

if TYPE_CHECKING:
    from zipfile import ZipFile

_CALC_PR = re.compile(rb"<([\w.-]+:)?calcPr\b([^>]*?)(/?)>")
_FULL_CALC = re.compile(rb"""\sfullCalcOnLoad\s*=\s*["'](1|true)["']""")
# what follows <calcPr> in a workbook, in the schema's order: the new element goes before it
_AFTER_CALC_PR = re.compile(
    rb"<([\w.-]+:)?(?:oleSize|customWorkbookViews|pivotCaches|smartTagPr|smartTagTypes|webPublishing"
    rb"|fileRecoveryPr|webPublishObjects|extLst)\b|</([\w.-]+:)?workbook>"
)
_ROOT = re.compile(rb"<([\w.-]+:)?workbook\b")


def has_calc_chain(zf: ZipFile) -> bool:
    return any(n.lower().endswith("calcchain.xml") for n in zf.namelist())


def recalc_on_load(zf: ZipFile, info: PackageInfo, where: str) -> tuple[str, bytes] | None:
    """(zip member, new bytes) of the workbook part with fullCalcOnLoad set, or None when it is set."""
    package = Package(zf, where)
    member = package.member(info.workbook_part)
    if member is None:
        return None
    xml = package.read(member)
    m = _CALC_PR.search(xml)
    if m:
        if _FULL_CALC.search(m.group(2)):
            return None
        attrs = re.sub(rb"""\sfullCalcOnLoad\s*=\s*["'][^"']*["']""", b"", m.group(2))
        new = b"<" + (m.group(1) or b"") + b"calcPr" + attrs + b' fullCalcOnLoad="1"' + m.group(3) + b">"
        return member, xml[: m.start()] + new + xml[m.end() :]
    root = _ROOT.search(xml)
    at = _AFTER_CALC_PR.search(xml, root.end() if root else 0)
    if root is None or at is None:
        return None
    prefix = root.group(1) or b""
    return member, xml[: at.start()] + b"<" + prefix + b'calcPr fullCalcOnLoad="1"/>' + xml[at.start() :]
