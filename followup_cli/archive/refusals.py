"""A refusal written in words in a tags or notes cell (标签 = 勿扰, 备注 "客户要求勿扰，不要打电话",
Tags "VIP, do not call"), or the row marked void in words (已删除, 作废, 已注销): the customer is
do-not-contact, for the channel the words name if they name one (不要发短信 stops the SMS only),
else for every channel.

The phrases and the sentence patterns (不要再打电话了, 拒绝推销, "stop calling", "remove me from
your list") live here, in one place, and are matched on normalised text (NFKC, traditional →
simplified, lower case; Chinese without spaces or punctuation, English as words). A negation
("不勿扰") is rare and not told apart: when unsure the customer is not called, and it is said,
as a warning of `check` naming the cell and the words, and in `due --explain`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from followup_cli.archive import cells as parse
from followup_cli.archive.headers import norm_header, simplified
from followup_cli.archive.problems import WARNING, Problem
from followup_cli.archive.unheaded import is_unheaded
from followup_cli.policy.vocabulary import CHANNELS
from followup_cli.text.messages import msg
from followup_cli.xlsx.refs import cell_ref, col_letters

if TYPE_CHECKING:
    from followup_cli.archive.records import SheetSource

ALL = None  # every channel
# (phrase, the channels it refuses or ALL)
_ZH = (
    ("勿扰", ALL),
    ("免打扰", ALL),
    ("别打扰", ALL),
    ("不要打扰", ALL),
    ("请勿打扰", ALL),
    ("拒绝回访", ALL),
    ("拒访", ALL),
    ("不回访", ALL),
    ("不要回访", ALL),
    ("别回访", ALL),
    ("勿回访", ALL),
    ("不接受回访", ALL),
    ("不要联系", ALL),
    ("别联系", ALL),
    ("勿联系", ALL),
    ("不再联系", ALL),
    ("拒绝联系", ALL),
    ("禁止联系", ALL),
    ("拒接", ALL),
    ("黑名单", ALL),
    ("拉黑", ALL),
    ("拒绝营销", ALL),
    ("退订", ALL),
    ("不要打电话", {"phone"}),
    ("别打电话", {"phone"}),
    ("勿打电话", {"phone"}),
    ("不要来电", {"phone"}),
    ("别来电", {"phone"}),
    ("勿来电", {"phone"}),
    ("不接电话", {"phone"}),
    ("拒绝电话", {"phone"}),
    ("不要致电", {"phone"}),
    ("勿致电", {"phone"}),
    ("不要发短信", {"sms"}),
    ("别发短信", {"sms"}),
    ("勿发短信", {"sms"}),
    ("不要短信", {"sms"}),
    ("拒收短信", {"sms"}),
    ("拒绝短信", {"sms"}),
    ("短信退订", {"sms"}),
    ("不要发邮件", {"email"}),
    ("别发邮件", {"email"}),
    ("拒收邮件", {"email"}),
    ("不要上门", {"onsite"}),
    ("别上门", {"onsite"}),
    ("勿上门", {"onsite"}),
    # the customer has died: a birthday call or a promotion to the family is the worst call of all
    ("已故", ALL),
    ("去世", ALL),
    ("过世", ALL),
    ("身故", ALL),
    ("病故", ALL),
    ("逝世", ALL),
    ("离世", ALL),
    # the row itself is marked void: a hand-kept book keeps a deleted or closed member and writes so
    ("删除", ALL),
    ("作废", ALL),
    ("注销", ALL),
    ("销户", ALL),
    ("退会", ALL),
    ("退卡", ALL),
)
_EN = (
    ("do not contact", ALL),
    ("dont contact", ALL),
    ("no contact", ALL),
    ("do not disturb", ALL),
    ("dnd", ALL),
    ("unsubscribe", ALL),
    ("unsubscribed", ALL),
    ("opt out", ALL),
    ("opted out", ALL),
    ("optout", ALL),
    ("blacklist", ALL),
    ("blacklisted", ALL),
    ("no marketing", ALL),
    ("do not call", {"phone"}),
    ("dont call", {"phone"}),
    ("dnc", {"phone"}),
    ("no calls", {"phone"}),
    ("no call", {"phone"}),
    ("no phone", {"phone"}),
    ("no sms", {"sms"}),
    ("no text", {"sms"}),
    ("no texts", {"sms"}),
    ("do not text", {"sms"}),
    ("no email", {"email"}),
    ("no emails", {"email"}),
    ("do not email", {"email"}),
    ("deceased", ALL),
    ("passed away", ALL),
    ("deleted", ALL),
    ("void", ALL),
    ("voided", ALL),
    ("account closed", ALL),
)
# Refusals in a sentence rather than a set phrase: a "don't" (or "dislike") word, maybe 再 / 总 / 被 /
# 给他, then a contact verb (不要再打电话了, 别再打了, 不想被打扰, 不喜欢被电话打扰, 勿call); 拒绝 and what is refused (拒绝推销); a
# complaint of harassment (客户投诉过骚扰). 打 alone counts only before 了 / 啦 or at the end (别再打了),
# so 不要打折 is no refusal; the verb must follow the "don't" word, so 不要紧 is none either.
_ZH_GENERAL = (
    r"(?:不要|不用|不必|不需要|不想|不愿意?|不希望|不喜欢|讨厌|反感|不许|不准|请勿|勿|别|禁止|莫)"
    r"(?:再|总|老|总是|老是|一直|经常|频繁|继续|随便|多)*(?:被|让|给|跟|和)?(?:他|她|我|我们|客户|本人|人)?"
    r"(?:打电话|打来|打过来|打扰|打(?=了|啦|$)|来电|致电|电话|联系|骚扰|回访|推销|营销|发短信|短信|call)",
    r"拒(?:绝|收|接)?(?:推销|营销|广告|电话|来电|联系|回访|骚扰|打扰|短信)",
    r"投诉.{0,6}骚扰|(?:觉得|认为|嫌|说)(?:是|我们|被)?骚扰",
)
# English likewise: stop / quit ... calling, no more calls, remove ... from ... list, take me off the
# list, does not want calls, asked not to be called, harassment.
_EN_GENERAL = (
    r"(?:stop|quit|cease)(?: \w+){0,2}? (?:calling|calls|phoning|contacting|contact|texting|texts|messaging|"
    r"emailing|emails|bothering|spamming)",
    r"no (?:more|further) (?:calls?|phone calls?|contact|texts?|sms|messages|emails?|marketing)",
    r"remove (?:\w+ ){0,3}?from (?:\w+ ){0,2}?(?:list|lists|database|contacts)",
    r"take (?:\w+ ){0,2}?off (?:\w+ ){0,2}?(?:list|lists|database)",
    r"(?:doesnt|does not|dont|do not|didnt|did not) want (?:to be |any |more |further )*"
    r"(?:calls?|called|contacted|contact|texts?|texted|emails?|emailed|bothered|disturbed)",
    r"not to be (?:called|contacted|texted|emailed|disturbed|bothered)",
    r"never (?:call|contact|text|email)",
    r"harass\w*",
)
_ZH_CHANNELS = {p: c for p, c in _ZH}
_EN_CHANNELS = {p: c for p, c in _EN}
_ZH_RE = re.compile("|".join(sorted((re.escape(p) for p, _ in _ZH), key=len, reverse=True)))
_EN_RE = re.compile(r"\b(?:" + "|".join(sorted((re.escape(p) for p, _ in _EN), key=len, reverse=True)) + r")\b")
# The sentence patterns run only on text holding a word they start with: most notes hold none.
_ZH_GENERAL_RE = re.compile("|".join(f"(?:{g})" for g in _ZH_GENERAL))
_EN_GENERAL_RE = re.compile(r"\b(?:" + "|".join(f"(?:{g})" for g in _EN_GENERAL) + r")\b")
_ZH_STARTS = frozenset("不请勿别禁莫拒投觉认嫌说讨反")
_EN_STARTS = re.compile(r"\b(?:stop|quit|cease|no|remove|take|doesnt|does|dont|do|didnt|did|not|never|harass)")
# The channel a sentence's verb names (打电话 / calling → phone); anything else refuses every channel.
_ZH_VERBS = (("sms", ("短信",)), ("email", ("邮件",)), ("phone", ("电话", "来电", "致电", "打来", "打过来", "call")))
_EN_VERBS = (("sms", ("text", "sms")), ("email", ("email",)), ("phone", ("call", "phon")))


def _channels_of(phrase: str, table, verbs):
    if phrase in table:
        return table[phrase]
    if verbs is _ZH_VERBS and phrase.endswith("打"):  # 别再打了: a call
        return {"phone"}
    found = {cid for cid, words in verbs if any(w in phrase for w in words)}
    return found if len(found) == 1 and not any(w in phrase for w in ("打扰", "联系", "contact", "list")) else ALL


# A character or word every refusal holds (the phrases above, the sentences' verbs), traditional forms
# too: a column's texts joined are searched for one first, so a log whose notes never refuse costs one
# search (tests/test_reading_qa6.py checks every phrase holds one).
_ANCHOR_ZH = re.compile(r"[扰擾拒访訪联聯黑订訂电電致信邮郵门門故世删刪废廢销銷退打营營骚騷]")
_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
_ANCHOR_EN = re.compile(
    r"call|contact|disturb|dnd|dnc|unsub|opt|black|deceas|passed|delet|void|closed|text|sms|e-?mail|list|harass"
    r"|remove|stop|never|no ",
    re.I,
)


def may_refuse(text: str) -> bool:
    """False when `text` (one cell, or many joined) cannot hold a refusal: a cheap first look (the
    English words only where there are Latin letters at all)."""
    if _ANCHOR_ZH.search(text):
        return True
    return _LATIN.search(text) is not None and _ANCHOR_EN.search(unicodedata.normalize("NFKC", text)) is not None


_NOT_WORD = re.compile(r"[\W_]+")
_DROP_ZH = re.compile(r"[\s\W_]+")

# Headers whose free text is looked at: tags and notes (the tags field and any such unused column).
_TEXT_HEADERS = ("标签", "备注", "说明", "备忘", "tag", "label", "note", "remark", "comment", "memo")


def is_text_column(header: object) -> bool:
    key = norm_header(header)
    return bool(key) and any(w in key for w in _TEXT_HEADERS)


@lru_cache(maxsize=4096)
def refusal(text: str) -> tuple[tuple[str, ...], frozenset | None] | None:
    """(the refusal phrases found, the channels refused or None for all), or None."""
    s = simplified(unicodedata.normalize("NFKC", text).lower())
    hits = []  # (language, position, phrase)
    chinese = _DROP_ZH.sub("", s)
    hits += [(0, m.start(), m.group()) for m in _ZH_RE.finditer(chinese)]
    if not _ZH_STARTS.isdisjoint(chinese):
        hits += [(0, m.start(), m.group()) for m in _ZH_GENERAL_RE.finditer(chinese)]
    english = " ".join(_NOT_WORD.sub(" ", s.replace("'", "").replace("’", "")).split())
    hits += [(1, m.start(), m.group()) for m in _EN_RE.finditer(english)]
    if _EN_STARTS.search(english):
        hits += [(1, m.start(), m.group()) for m in _EN_GENERAL_RE.finditer(english)]
    if not hits:
        return None
    found, channels, every = [], set(), False
    for lang, _, phrase in sorted(hits):
        found.append(phrase)
        c = _channels_of(phrase, _EN_CHANNELS, _EN_VERBS) if lang else _channels_of(phrase, _ZH_CHANNELS, _ZH_VERBS)
        every = every or c is ALL
        channels |= c or set()
    return tuple(dict.fromkeys(found)), (None if every else frozenset(channels))


def text_columns(src: SheetSource) -> list[tuple[int, str]]:
    """(column, header) of the tags and notes columns of a customer sheet."""
    cols = {}
    if "tags" in src.columns:
        cols[src.columns["tags"]] = src.headers[src.columns["tags"]]
    for header, col in src.extra_columns.items():
        if is_text_column(header):
            cols.setdefault(col, header)
    for u in src.uses:  # a second 备注 column: extra_columns keeps one column per header
        if u.field is None and u.header and not u.duplicate and is_text_column(u.header):
            cols.setdefault(u.col, u.header)
        elif is_unheaded(u):  # a column never headed: what a clerk typed there still counts
            cols.setdefault(u.col, f"[{col_letters(u.col + 1)}]")
    consent = {c for c, _, _ in src.consent}
    out = sorted((c, h) for c, h in cols.items() if c not in consent)
    for u in src.uses:
        if u.field is None and u.col in cols and u.col not in consent and not u.note:
            u.note = SCANNED  # not a field, but not ignored either: `columns` and `check` say so
    return out


SCANNED = msg(
    "只用来查看是否写有拒绝联系的话（勿扰、不要打电话……）", "read only for a refusal in words (勿扰, do not call ...)"
)


def fold(src: SheetSource, data: list, kept: list, current: list | None, problems: list) -> list | None:
    """do_not_contact per row once refusals written in tags and notes are added to `current`
    (the consent columns' answer, or None when the sheet has none); records each refusal on
    src.refusals (Excel row → header and words) for `due --explain`."""
    columns = text_columns(src)
    if not columns:
        return current
    out = list(current) if isinstance(current, list) else [None] * len(data)
    file, sheet = str(src.file), src.sheet
    for col, header in columns:
        for k, row in enumerate(data):
            v = row[col] if col < len(row) else None
            if parse.is_blank(v) or not isinstance(v, str):
                continue
            hit = refusal(v)
            if hit is None:
                continue
            words, channels = hit
            said = "、".join(words)
            now = out[k]
            if channels is None or now is True:
                out[k] = True
            else:
                out[k] = channels | (now if isinstance(now, frozenset) else frozenset())
            src.refusals.setdefault(kept[k] + 1, {"header": str(header), "words": said, "text": v})
            named = sorted(channels or ())
            which = (
                ("、".join(CHANNELS.label(c, "zh") for c in named), ", ".join(CHANNELS.label(c, "en") for c in named))
                if named
                else ("所有方式", "any channel")
            )
            problems.append(
                Problem(
                    WARNING,
                    file,
                    sheet,
                    cell_ref(kept[k], col),
                    v,
                    msg(
                        f"{header}写着“{said}”：按拒绝联系处理（{which[0]}），不安排回访；若不是此意，请改写该单元格",
                        f"{header} says '{said}': read as do not contact ({which[1]}), not called; reword the cell if "
                        "that is not meant",
                    ),
                    "refusal-in-text",
                )
            )
    return out
