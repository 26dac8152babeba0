"""An Office Open XML package (.xlsx/.xlsm zip) read the way Excel reads it.

The one reader of a package's structure, for both sides: the archive reader (what kind of
workbook a zip holds, where each sheet's part is, whether dates count from 1904) and the
writer (`read_package`, which adds the refusals a rewrite needs). Parts are found through
the relationships; part names are case-insensitive and '\\' is taken as '/' (some writers
use it), as in Excel.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote

from defusedxml import ElementTree as SafeET

from followup_cli.errors import UnreadableFile, WriteRefused
from followup_cli.text.messages import msg

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element
    from zipfile import ZipFile

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_OFFICE_DOCUMENT = DOC_REL_NS + "/officeDocument"
REL_WORKSHEET = DOC_REL_NS + "/worksheet"
REL_TABLE = DOC_REL_NS + "/table"
# The structural parts (workbook, relationships, tables, pivot caches) are small; a bigger
# one is read no further.
MAX_META_PART = 64 << 20

_M = "{%s}" % MAIN_NS

STRICT_REFUSAL = (
    msg(
        "该工作簿以 Strict Open XML 格式保存，followup 不会改写此格式",
        "the workbook is saved as Strict Open XML, which followup does not rewrite",
    ),
    msg(
        "请在 Excel 中另存为普通的“Excel 工作簿 (*.xlsx)”",
        "save it from Excel as an ordinary 'Excel Workbook (*.xlsx)'",
    ),
)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


@dataclass
class SheetEntry:
    name: str
    part: str  # zip member name of the worksheet part ('' when the part is missing)
    rel_type: str
    state: str = "visible"


@dataclass
class PackageInfo:
    workbook_part: str  # the part's name, not necessarily its zip member's
    sheets: list[SheetEntry]
    date1904: bool
    defined_names: list[tuple[str, str]]  # (name, formula text)
    strict: bool = False
    # cellXfs indices (as the text of a cell's s="") whose number format shows a date
    date_styles: frozenset = frozenset()

    def sheet(self, name: str, where: str) -> SheetEntry:
        for entry in self.sheets:
            if entry.name == name:
                break
        else:
            folded = [e for e in self.sheets if e.name.casefold() == name.casefold()]
            if len(folded) != 1:
                names = ", ".join(e.name for e in self.sheets) or "(none)"
                raise WriteRefused(
                    msg(
                        f"{where}：找不到工作表“{name}”；现有工作表：{names}",
                        f"{where}: sheet '{name}' not found; sheets are: {names}",
                    ),
                    msg("请检查 followup.toml 中的工作表名称", "check the sheet name in followup.toml"),
                )
            entry = folded[0]
        if entry.rel_type != REL_WORKSHEET:
            raise WriteRefused(
                msg(
                    f"{where}：“{entry.name}”是图表工作表或对话框工作表，不是普通工作表；无法向其中写入行",
                    f"{where}: '{entry.name}' is a chart or dialog sheet, not a worksheet; cannot write rows into it",
                )
            )
        return entry


def rels_part_for(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve_target(source_part: str, target: str) -> str:
    target = unquote(target).replace("\\", "/")
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def _key(name: str) -> str:
    return name.replace("\\", "/").lstrip("/").casefold()


class Package:
    """The parts of an open zip file, looked up as Excel does."""

    def __init__(self, zf, where: str):
        self.zf = zf
        self.where = where
        self.names = zf.namelist()
        self._exact = set(self.names)
        self._folded: dict[str, list[str]] = {}
        for n in self.names:
            self._folded.setdefault(_key(n), []).append(n)

    def member(self, part: str) -> str | None:
        """The zip member holding a part; None when there is none (or two that differ only in case)."""
        if part in self._exact:
            return part
        found = self._folded.get(_key(part), [])
        return found[0] if len(found) == 1 else None

    def has(self, part: str) -> bool:
        return self.member(part) is not None

    def read(self, part: str, limit: int = MAX_META_PART) -> bytes:
        member = self.member(part)
        if member is None:
            raise UnreadableFile(self.where, msg(f"文件包中没有部件“{part}”", f"the package has no part '{part}'"))
        try:
            with self.zf.open(member) as fh:
                data = fh.read(limit + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
            raise UnreadableFile(
                self.where, msg(f"文件已损坏（部件 {member}：{exc}）", f"the file is damaged (part {member}: {exc})")
            ) from None
        if len(data) > limit:
            raise UnreadableFile(
                self.where,
                msg(f"部件“{member}”大于 {limit >> 20} MB", f"part '{member}' is larger than {limit >> 20} MB"),
            )
        return data

    def xml(self, part: str) -> Element:
        data = self.read(part)
        try:
            return SafeET.fromstring(data)
        except Exception as exc:  # defusedxml raises several kinds; all mean "not safe to touch"
            raise UnreadableFile(
                self.where,
                msg(f"部件“{part}”不是格式正确的 XML（{exc}）", f"part '{part}' is not well-formed XML ({exc})"),
            ) from None

    def relationships(self, source_part: str) -> list[tuple[str, str, str]]:
        """[(rId, type, resolved target part)] of a part ('' for the package's own); internal targets only."""
        rels = self.member(rels_part_for(source_part))
        if rels is None:
            return []
        out = []
        for rel in self.xml(rels).iter():
            if _local(rel.tag) != "Relationship" or rel.get("TargetMode", "Internal") != "Internal":
                continue
            out.append((rel.get("Id", ""), rel.get("Type", ""), resolve_target(source_part, rel.get("Target", ""))))
        return out

    def main_part(self) -> str | None:
        """The workbook part's name (usually xl/workbook.xml; `member` gives the zip member holding
        it), or None when this is no spreadsheet package."""
        for _rid, rtype, target in self.relationships(""):
            if rtype.endswith("/officeDocument") and self.has(target):
                return target
        for fallback in ("xl/workbook.xml", "xl/workbook.bin"):
            if self.has(fallback):
                return fallback
        return None

    def strict_by_relationships(self) -> bool:
        return any(rtype.startswith("http://purl.oclc.org/ooxml/") for _r, rtype, _t in self.relationships(""))

    def info(self) -> PackageInfo:
        """The workbook's sheets (name, part, type, state), date system and defined names."""
        main = self.main_part()
        if main is None or not main.lower().endswith(".xml"):
            raise UnreadableFile(
                self.where,
                msg("不是 Excel 工作簿文件包（没有工作簿部件）", "not an Excel workbook package (no workbook part)"),
            )
        root = self.xml(main)
        strict = root.tag.startswith("{" + STRICT_NS) or self.strict_by_relationships()
        date1904 = False
        for pr in root.iter():
            if _local(pr.tag) == "workbookPr":
                date1904 = pr.get("date1904", "0").strip().lower() in ("1", "true")
                break
        targets = {rid: (rtype, target) for rid, rtype, target in self.relationships(main)}
        sheets = []
        defined = []
        for el in root.iter():
            tag = _local(el.tag)
            if tag == "sheet":
                rid = next((v for k, v in el.attrib.items() if k.startswith("{") and _local(k) == "id"), "")
                rtype, target = targets.get(rid, ("", ""))
                member = (self.member(target) if target else None) or ""
                sheets.append(SheetEntry(el.get("name", ""), member, rtype, el.get("state", "visible")))
            elif tag == "definedName":
                defined.append((el.get("name", ""), el.text or ""))
        return PackageInfo(main, sheets, date1904, defined, strict, self.date_styles(main))

    def date_styles(self, main: str) -> frozenset:
        """The cell styles whose number format shows a date (built-in 14-22, 27-36, 45-47, 50-58,
        or a custom format with d, m or y outside quotes and brackets): a date written with any
        other style would show as a bare serial number such as 46351."""
        part = next((target for _rid, rtype, target in self.relationships(main) if rtype.endswith("/styles")), None)
        if part is None or not self.has(part):
            return frozenset()
        try:
            root = self.xml(part)
        except UnreadableFile:
            return frozenset()
        custom = {}
        for el in root.iter():
            if _local(el.tag) == "numFmt":
                code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", el.get("formatCode", "")).lower()
                custom[el.get("numFmtId", "")] = bool(re.search(r"[dmy]", code))
        out = set()
        for el in root.iter():
            if _local(el.tag) == "cellXfs":
                for i, xf in enumerate(x for x in el if _local(x.tag) == "xf"):
                    fmt = xf.get("numFmtId", "0")
                    if custom.get(fmt, fmt.isdigit() and _is_builtin_date(int(fmt))):
                        out.add(str(i))
                break
        return frozenset(out)


def _is_builtin_date(fmt: int) -> bool:
    return 14 <= fmt <= 22 or 27 <= fmt <= 36 or 45 <= fmt <= 47 or 50 <= fmt <= 58


def read_package(zf: ZipFile, where: str) -> PackageInfo:
    """The package as the writer needs it: a transitional workbook whose every sheet has its part."""
    package = Package(zf, where)
    if package.strict_by_relationships():
        raise WriteRefused(msg(f"{where}：{STRICT_REFUSAL[0].zh}", f"{where}: {STRICT_REFUSAL[0]}"), STRICT_REFUSAL[1])
    info = package.info()
    if info.strict:
        raise WriteRefused(msg(f"{where}：{STRICT_REFUSAL[0].zh}", f"{where}: {STRICT_REFUSAL[0]}"), STRICT_REFUSAL[1])
    for entry in info.sheets:
        if not entry.part:
            raise UnreadableFile(
                where,
                msg(f"工作表“{entry.name}”指向的部件不存在", f"sheet '{entry.name}' points at a part that is missing"),
            )
    return info


# ---------------------------------------------------------------------------
# what else points at a sheet


def _mentions_sheet(formula: str, sheet: str) -> bool:
    quoted = "'" + sheet.replace("'", "''") + "'!"
    return quoted.casefold() in formula.casefold() or (sheet + "!").casefold() in formula.casefold()


def check_pivot_sources(zf: ZipFile, info: PackageInfo, sheet: SheetEntry, table_names: set[str], where: str) -> None:
    """Refuse when a pivot cache is built from this sheet: an append cannot extend it."""
    package = Package(zf, where)
    for member in package.names:
        if not re.search(r"pivotCacheDefinition[^/]*\.xml$", member, re.I) or "/_rels/" in member:
            continue
        root = package.xml(member)
        src = root.find(f"{_M}cacheSource/{_M}worksheetSource")
        if src is None or src.get("{%s}id" % DOC_REL_NS):
            continue  # not a worksheet source, or one in another workbook
        name = src.get("name")
        hit = src.get("sheet") == sheet.name
        if name and not hit:
            hit = name.casefold() in {t.casefold() for t in table_names} or any(
                dn.casefold() == name.casefold() and _mentions_sheet(text, sheet.name)
                for dn, text in info.defined_names
            )
        if hit:
            what = f"{src.get('sheet') or name}!{src.get('ref')}" if src.get("ref") else (name or sheet.name)
            raise WriteRefused(
                msg(
                    f"{where}：工作表“{sheet.name}”是数据透视表的数据源（透视缓存 {member}，来源 {what}）；"
                    "追加行会让该数据透视表的来源和缓存过时，因此 followup 不会写入此工作表",
                    f"{where}: sheet '{sheet.name}' feeds a pivot table (pivot cache {member}, source {what}); "
                    "appending rows would leave that pivot table's source and cache stale, "
                    "so followup will not write into this sheet",
                ),
                msg(
                    '请把回访记录放在单独的工作簿中：在 followup.toml 中设置 visit_log = "visits.xlsx"',
                    'keep the visit log in a separate workbook: set visit_log = "visits.xlsx" in followup.toml',
                ),
            )
