"""A first guess at a workbook's language, before it is read: whether its sheet names or the
first of its strings are Chinese. It lets a command that stops early (a mistyped --kind, a
file that is not a call sheet) speak the archive's language, as it will once the archive is
read (Archive.lang, from the customer sheet's headers). Cheap and bounded: the zip directory,
the workbook part and at most 64 KB of the shared strings; any trouble is "no guess"."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
_PEEK = 64 * 1024
_FIRST = 40  # strings looked at: sheet names, a title, the header row
SPREADSHEETS = (".xlsx", ".xlsm", ".csv", ".tsv")  # a workbook; not a notice (.txt), always Chinese


def _peek(archive: zipfile.ZipFile, name: str) -> str:
    try:
        with archive.open(name) as part:
            return part.read(_PEEK).decode("utf-8", "ignore")
    except KeyError:
        return ""


def _lang_of(texts: list[str]) -> str | None:
    """The language most of the first strings are in (headers and titles come first; a date
    written 1990年3月5日 in an English book does not make it Chinese)."""
    zh = en = 0
    for text in texts[:_FIRST]:
        if _CJK.search(text):
            zh += 1
        elif _LATIN_WORD.search(text):
            en += 1
    if not zh and not en:
        return None
    return "zh" if zh >= en else "en"


def guess_lang(path: str | Path) -> str | None:
    """ "zh", "en", or None (not a file, not a spreadsheet this can peek into, no words)."""
    path = Path(path)
    try:
        if not path.is_file() or path.suffix.lower() not in SPREADSHEETS:
            return None
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            with zipfile.ZipFile(path) as archive:
                names = re.findall(r'<sheet\b[^>]*\bname="([^"]*)"', _peek(archive, "xl/workbook.xml"))
                strings = _peek(archive, "xl/sharedStrings.xml")
                if not strings:  # strings written inline: the first sheet's first cells
                    first = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
                    strings = _peek(archive, first[0]) if first else ""
                return _lang_of(names + re.findall(r"<t[^>]*>([^<]*)</t>", strings))
        with open(path, "rb") as f:
            head = f.read(_PEEK)
        if len(head) == _PEEK:  # whole lines only: a character cut in two is no encoding's
            head = head[: head.rfind(b"\n") + 1] or head
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return _lang_of(re.split(r"[,;\t\r\n]+", head.decode(encoding)))
            except UnicodeDecodeError:
                continue
        return None
    except Exception:  # a damaged or hostile file: no guess; reading it will say what is wrong
        return None


def guess_from_args(args: list) -> str | None:
    """The guess for the first argument that names an existing spreadsheet."""
    for arg in args:
        if isinstance(arg, str) and not arg.startswith("-") and arg.lower().endswith(SPREADSHEETS):
            found = guess_lang(arg)
            if found:
                return found
    return None
