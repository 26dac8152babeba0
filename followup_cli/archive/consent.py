"""Who may be contacted: every consent column of a customer sheet folded into do_not_contact.

Shops say it three ways: a refusal (拒绝回访 = 是, Do Not Call = TRUE, Opt-out = yes), a
consent (是否接受回访 / 同意回访 / 接受短信 = 否, Accepts Marketing = no) and a wish in words
(回访意愿 = 勿扰 / 拒绝). A header that names channels (接受短信, Do Not Call, Accepts Email
Marketing) limits the refusal to them. The result per customer:

    True                every channel refused (or it is unclear: then nobody calls, and it is said)
    frozenset({...})    only these channels refused (CHANNELS ids: phone, sms, email ...)
    False               a consent column says yes
    None                nothing said
"""

from __future__ import annotations

from followup_cli.archive import cells as parse
from followup_cli.archive.headers import norm_header
from followup_cli.archive.problems import WARNING, Problem
from followup_cli.text.messages import msg
from followup_cli.xlsx.refs import cell_ref

_REFUSE = {
    "勿扰",
    "免打扰",
    "请勿打扰",
    "拒绝",
    "拒访",
    "拒绝回访",
    "不接受",
    "不愿意",
    "不同意",
    "不要",
    "不需要",
    "请勿",
    "拒接",
    "黑名单",
    "退订",
    "已退订",
    "否",
    "不",
    "不可",
    "不可以",
    "不能",
    "no",
    "n",
    "false",
    "f",
    "×",
    "✗",
    "unsubscribed",
    "notsubscribed",
    "optedout",
    "optout",
    "refused",
    "refuse",
    "dnc",
    "donotcontact",
    "donotcall",
    "never",
    "declined",
}
_ACCEPT = {
    "接受",
    "愿意",
    "同意",
    "可以",
    "可",
    "正常",
    "是",
    "允许",
    "欢迎",
    "能",
    "yes",
    "y",
    "true",
    "t",
    "√",
    "✓",
    "subscribed",
    "optedin",
    "optin",
    "ok",
    "allowed",
    "accept",
    "accepted",
}


def _word(value) -> str | None:
    """'refuse', 'accept', or None when the cell says neither clearly."""
    if isinstance(value, bool):
        return "accept" if value else "refuse"
    key = norm_header(value)
    if key in _REFUSE:
        return "refuse"
    if key in _ACCEPT:
        return "accept"
    if any(w in key for w in ("勿扰", "拒", "不接受", "不愿", "不同意", "退订", "黑名单", "unsubscrib", "optout")):
        return "refuse"
    return None


def says_refused(field: str, value) -> bool | None:
    """Whether one cell of a consent column refuses contact; None when it is not clear."""
    if field in ("do_not_contact", "contact_ok"):
        flag, problem = parse.parse_bool(value)
        if problem is None and flag is not None:
            return flag if field == "do_not_contact" else not flag
        word = _word(value)
        if word is None:
            return None
        # a word answers the question the header asks: 拒绝回访 = 拒绝 refuses, 接受回访 = 接受 accepts
        return word == "refuse"
    word = _word(value)
    return None if word is None else word == "refuse"


def fold(src, data: list, kept: list, problems: list) -> list:
    """do_not_contact per row of `data` (see the module's docstring)."""
    out: list = [None] * len(data)
    file, sheet = str(src.file), src.sheet
    unsure = 0
    for col, field, channels in src.consent:
        header = src.headers[col] if col < len(src.headers) else field
        for k, row in enumerate(data):
            v = row[col] if col < len(row) else None
            if parse.is_blank(v):
                continue
            refused = says_refused(field, v)
            current = out[k]
            if refused is None:
                unsure += 1
                out[k] = True
                problems.append(
                    Problem(
                        WARNING,
                        file,
                        sheet,
                        cell_ref(kept[k], col),
                        str(v),
                        msg(
                            f"不清楚能否联系这位客户（{header}：“{v}”）；在写明 是/否 之前不安排回访",
                            f"not clear whether this customer may be contacted ({header}: '{v}'); they are not called "
                            "until the cell says yes or no",
                        ),
                        "unclear-consent",
                    )
                )
            elif refused:
                if channels is None or current is True:
                    out[k] = True
                else:
                    out[k] = frozenset(channels) | (current if isinstance(current, frozenset) else frozenset())
            elif current is None:
                out[k] = False
    return out


def refuses(do_not_contact, channel: str | None) -> bool:
    """Whether a customer's do_not_contact keeps a contact by `channel` off the list."""
    if do_not_contact is True:
        return True
    if isinstance(do_not_contact, frozenset):
        return channel is None or channel in do_not_contact
    return False
