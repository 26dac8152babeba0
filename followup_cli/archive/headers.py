"""How a header is read: normalised, then matched to a field, with how and how sure.

A header is compared after normalisation: full-width forms folded (NFKC), traditional
characters made simplified (OpenCC), line breaks, spaces, `*` and punctuation dropped, units
and notes in brackets set aside (`金额(元)`, `生日（农历）`: the note is kept as a hint), a
leading 是否 dropped, letters lower-cased. Matching then tries, in order and with the
confidence shown by `followup columns`:

    followup.toml  the shop's own mapping                       1.00
    exact          the field's own name (客户编号, Customer ID)  1.00
    vocabulary     a synonym as typed (会员卡号, First Name)     0.95
    normalised     a name or synonym once normalised            0.90
                   (客户 / 会员 … before one: 客户手机号)        0.88
    fuzzy          close to a synonym (similarity ≥ FUZZY_MIN)   the similarity × 0.9

Matching runs once per header cell of a sheet, never per data cell.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

FUZZY_MIN = 0.82  # below this similarity a header is left unmatched (and named as such)

HOW_CONFIG, HOW_EXACT, HOW_VOCAB, HOW_NORM, HOW_FUZZY, HOW_VALUES = (
    "followup.toml",
    "exact",
    "vocabulary",
    "normalised",
    "fuzzy",
    "values",
)
CONFIDENCE = {HOW_CONFIG: 1.0, HOW_EXACT: 1.0, HOW_VOCAB: 0.95, HOW_NORM: 0.9}
WHOSE_CONFIDENCE = 0.88  # a header that is 客户 / 会员 … and a known one (without_whose)

_BRACKETS = re.compile(r"[(\[{<〔【〈《「『]([^)\]}>〕】〉》」』]*)[)\]}>〕】〉》」』]")
# also the marks a template puts on a header (★ required, ※, ●) and emoji (📱手机, 🎂生日)
_DROP = re.compile(
    r"[\s\*:_\-/\\·.。#\"'“”‘’、,，;；!?！？~～|\u203b\u2190-\u21ff\u2500-\u27bf\u2b00-\u2bff"
    r"\ufe0f\u200d\U0001f000-\U0001faff]+"
)
_LEADING_WHETHER = ("是否", "是不是")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def simplified(text: str) -> str:
    """Traditional → simplified characters (ASCII text is returned as it is)."""
    if text.isascii():
        return text
    return _t2s().convert(text)


@lru_cache(maxsize=65536)
def split_header(text: object) -> tuple[str, tuple[str, ...]]:
    """(the header normalised, the notes that were in brackets, each normalised)."""
    if text is None:
        return "", ()
    s = unicodedata.normalize("NFKC", str(text)).strip().lower()
    s = simplified(s)
    notes = tuple(n for n in (_DROP.sub("", m) for m in _BRACKETS.findall(s)) if n)
    core = _DROP.sub("", _BRACKETS.sub("", s))
    if not core and notes:  # a header that is all brackets: read its text
        core, notes = notes[0], notes[1:]
    for word in _LEADING_WHETHER:
        if core.startswith(word) and len(core) > len(word) + 1:
            core = core[len(word) :]
            break
    return core, notes


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_PART_SEP = re.compile(r"[\s/\\|()（）\[\]【】<>《》]+")


@lru_cache(maxsize=65536)
def script_parts(text: str) -> tuple[str, str] | None:
    """A bilingual header's Chinese and English parts ('会员卡号 Card No', '手机号\nMobile',
    'Mobile 手机号', '手机号/Mobile'), split where a space, line break, slash or bracket stands
    between the scripts; None for a header in one script or whose scripts run together (VIP会员).
    A Chinese word holding Latin letters is the Chinese part when an English one stands apart:
    '会员ID Member ID', '微信ID WeChat'."""
    if not (_CJK.search(text) and _LATIN.search(text)):
        return None
    zh, en = [], []
    for token in _PART_SEP.split(text.strip()):
        if not token:
            continue
        (zh if _CJK.search(token) else en).append(token)  # 会员ID is a Chinese word
    if not zh or not en:
        return None
    return "".join(zh), " ".join(en)


_RUN_TOGETHER = re.compile(
    r"^([A-Za-z][A-Za-z .]*?)\s*([\u3400-\u9fff]+)$|^([\u3400-\u9fff]+)\s*([A-Za-z][A-Za-z .]*)$"
)


@lru_cache(maxsize=65536)
def run_together_parts(text: str) -> tuple[str, str] | None:
    """The Chinese and English parts of a header whose scripts meet with nothing between
    ('Mobile手机', '手机号Mobile'); the reader takes the field only when both parts name it, so
    VIP会员 stays one word."""
    m = _RUN_TOGETHER.match(unicodedata.normalize("NFKC", text).strip())
    if m is None:
        return None
    return (m[2], m[1]) if m[1] else (m[3], m[4])


# Whose field a header says, before the field itself: 客户手机号, 会员积分, 顾客生日, 买家昵称 are the
# field the rest names (an export names its columns after its own object). Only when the whole
# header names nothing, and only when what is left is two characters or more (用户名 is no 名).
_WHOSE = ("消费者", "持卡人", "客户", "会员", "顾客", "用户", "买家", "客人")


def without_whose(key: str) -> str:
    """A normalised header without a leading 客户 / 会员 / 顾客 …, or '' when it has none."""
    for word in _WHOSE:
        if key.startswith(word) and len(key) - len(word) >= 2:
            return key[len(word) :]
    return ""


def norm_header(text: object) -> str:
    """A header as compared with aliases (see the module's docstring)."""
    return split_header(text)[0]


def norm_sheet(name: object) -> str:
    # Unlike a header, a sheet's bracketed note matters: 客户档案(备份) is a copy, not the archive.
    s = simplified(unicodedata.normalize("NFKC", str(name)).strip().lower())
    return _DROP.sub("", s)


@dataclass(frozen=True)
class Match:
    field: str
    how: str
    confidence: float
    alias: str = ""  # the synonym it matched, for a fuzzy match


class HeaderIndex:
    """Every way the fields of one role can be headed, for matching one header at a time."""

    def __init__(self, fields, config_map: dict[str, str] | None = None):
        self.exact: dict[str, str] = {}
        self.raw: dict[str, str] = {}
        self.norm: dict[str, str] = {}
        for f in fields:
            for label in (f.zh, f.en, f.name):
                self.exact.setdefault(str(label).strip().lower(), f.name)
            for alias in f.aliases:
                self.raw.setdefault(str(alias).strip().lower(), f.name)
                self.norm.setdefault(norm_header(alias), f.name)
        self.norm.pop("", None)
        self.config = {norm_header(h): name for h, name in (config_map or {}).items()}
        self._fuzzy_keys = [k for k in self.norm if len(k) >= 2]

    def lookup(self, header: object) -> str | None:
        """The field a header names without guessing (for finding the header row: fast)."""
        if not isinstance(header, str):
            return None
        key = norm_header(header)
        found = self.config.get(key) or self.norm.get(key) or self.norm.get(without_whose(key))
        if found is None and (parts := script_parts(header)) is not None:
            found = _agree(self.lookup(parts[0]), self.lookup(parts[1]))
        if found is None and (parts := run_together_parts(header)) is not None:
            zh, en = self.lookup(parts[0]), self.lookup(parts[1])
            found = zh if zh is not None and zh == en else None
        return found

    def match(self, header: object, fuzzy: bool = True) -> Match | None:
        if not isinstance(header, str) or not header.strip():
            return None
        found = self._match(header, fuzzy)
        if (found is None or found.how == HOW_FUZZY) and (parts := script_parts(header)) is not None:
            # 会员卡号 Card No: each part on its own; the field when both agree or one is unknown
            zh, en = self._match(parts[0], False), self._match(parts[1], False)
            if zh is None and en is None and fuzzy:
                zh, en = self._match(parts[0], True), self._match(parts[1], True)
            field = _agree(zh and zh.field, en and en.field)
            if field is not None:
                best = max((m for m in (zh, en) if m is not None and m.field == field), key=lambda m: m.confidence)
                if best.how == HOW_FUZZY:
                    return Match(field, best.how, best.confidence, best.alias)
                return Match(field, HOW_NORM, CONFIDENCE[HOW_NORM])  # split in two, then named
            if zh is not None or en is not None:
                return None  # the parts name two fields: not a guess to make
        if (found is None or found.how == HOW_FUZZY) and (parts := run_together_parts(header)) is not None:
            zh, en = self._match(parts[0], False), self._match(parts[1], False)
            if zh is not None and en is not None and zh.field == en.field:
                return Match(zh.field, HOW_NORM, CONFIDENCE[HOW_NORM])  # Mobile手机: both parts say phone
        return found

    def _match(self, header, fuzzy: bool) -> Match | None:
        key = norm_header(header)
        if key in self.config:
            return Match(self.config[key], HOW_CONFIG, CONFIDENCE[HOW_CONFIG])
        plain = header.strip().lower()
        if plain in self.exact:
            return Match(self.exact[plain], HOW_EXACT, CONFIDENCE[HOW_EXACT])
        if plain in self.raw:
            return Match(self.raw[plain], HOW_VOCAB, CONFIDENCE[HOW_VOCAB])
        if key in self.norm:
            return Match(self.norm[key], HOW_NORM, CONFIDENCE[HOW_NORM])
        if (bare := without_whose(key)) in self.norm:
            # 客户手机号 is 手机号: a little less sure than a synonym, so its cells are looked at too
            return Match(self.norm[bare], HOW_NORM, WHOSE_CONFIDENCE, bare)
        if fuzzy and key:
            alias, score = self.closest(key)
            if score >= FUZZY_MIN:
                return Match(self.norm[alias], HOW_FUZZY, round(score * 0.9, 2), alias)
        return None

    def closest(self, key: str) -> tuple[str, float]:
        """The synonym most like a normalised header, and how alike (0..1)."""
        best, best_score = "", 0.0
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(key)
        for alias in self._fuzzy_keys:
            if alias in key and (len(alias) >= 3 or 2 * len(alias) > len(key)):
                # '会员手机号码' holds '手机号码': alike by how much of the header the synonym covers
                score = 0.6 + 0.4 * len(alias) / len(key)
            else:
                matcher.set_seq1(alias)
                if matcher.real_quick_ratio() <= best_score or matcher.quick_ratio() <= best_score:
                    continue
                score = matcher.ratio()
            if score > best_score:
                best, best_score = alias, score
        return best, best_score


def _agree(a: str | None, b: str | None) -> str | None:
    """The field two parts of a header name: both the same, or one of them unknown."""
    if a is None or b is None or a == b:
        return a or b
    return None


# ---- who may be contacted: what a consent column's header says -----------------------------

_REFUSE_WORDS = (
    "拒",
    "不",
    "勿",
    "免打扰",
    "退订",
    "黑名单",
    "屏蔽",
    "禁止",
    "optout",
    "optedout",
    "donot",
    "dont",
    "unsubscrib",
    "blacklist",
    "dnc",
    "nocontact",
)
_CONSENT_WORDS = (
    "接受",
    "同意",
    "允许",
    "许可",
    "愿意",
    "可以",
    "可否",
    "能否",
    "可",
    "订阅",
    "accept",
    "consent",
    "optin",
    "subscrib",
    "subscription",
    "allow",
    "agree",
    "permi",
)
_CONTACT_WORDS = (
    "回访",
    "联系",
    "打扰",
    "营销",
    "推送",
    "短信",
    "电话",
    "致电",
    "邮件",
    "微信",
    "marketing",
    "contact",
    "call",
    "sms",
    "email",
    "mail",
    "text",
    "disturb",
    "subscri",
    "opt",
    "phone",
    "wechat",
)
# A channel named in a header; none named means every channel.
_CHANNEL_WORDS = (
    ("sms", ("短信", "sms", "text", "微信", "wechat", "推送", "push")),
    ("email", ("邮件", "邮箱", "email", "mail")),
    ("phone", ("电话", "致电", "来电", "call", "phone", "dnc")),
    ("onsite", ("上门", "拜访", "visit")),
)


_CHANNEL_OK = re.compile(
    r"(?:(?:sms|texts?|textmessages?|e?mails?|phone|calls?|wechat|contact|marketing)(?:is)?"
    r"ok(?:ay)?|ok(?:ay)?to(?:call|text|sms|e?mail|contact))"
)


def consent_field(key: str) -> str | None:
    """do_not_contact / contact_ok for a normalised header that speaks of contact and says
    which way (拒绝电话回访, 同意短信营销, Do not email), else None."""
    spaced = key.replace(" ", "")
    if not any(w in spaced for w in _CONTACT_WORDS):
        return None
    if any(w in spaced for w in _REFUSE_WORDS):
        return "do_not_contact"
    # SMS OK / Email OK / Phone OK: a channel and OK says the channel is allowed
    if any(w in spaced for w in _CONSENT_WORDS) or _CHANNEL_OK.fullmatch(spaced):
        return "contact_ok"
    return None


def channels_named(header: object) -> frozenset | None:
    """The channels a consent header names (接受短信 → sms), or None for all of them."""
    key = norm_header(header)
    # 回访 alone is every kind of follow-up; 电话回访 / 短信回访 name one channel
    if "回访" in key and not any(w in key for w in ("电话回访", "短信回访", "上门回访", "致电回访")):
        return None
    found = {cid for cid, words in _CHANNEL_WORDS if any(w in key for w in words)}
    if "marketing" in key and not found:
        return None
    return frozenset(found) or None
