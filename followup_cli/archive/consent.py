"""Who may be contacted: every consent column of a customer sheet folded into do_not_contact.

Shops say it four ways: a refusal (拒绝回访 = 是, Do Not Call = TRUE, Opt-out = yes), a
consent (是否接受回访 / 同意回访 / 接受短信 = 否, Accepts Marketing = no) and a wish in words
(回访意愿 = 勿扰 / 拒绝), and an account status (状态 / 会员状态 = 已拉黑 / 已注销 / 冻结, Status =
blocked / closed: every channel refused; 正常 / 有效 / Active say nothing either way). A header that names channels (接受短信, Do Not Call, Accepts Email
Marketing) limits the refusal to them. The result per customer:

    True                every channel refused (or it is unclear: then nobody calls, and it is said)
    frozenset({...})    only these channels refused (CHANNELS ids: phone, sms, email ...)
    False               a consent column says yes
    None                nothing said
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup_cli.archive import cells as parse
from followup_cli.archive.headers import norm_header
from followup_cli.archive.problems import WARNING, Problem
from followup_cli.text.messages import msg
from followup_cli.xlsx.refs import cell_ref

if TYPE_CHECKING:
    from followup_cli.archive.records import SheetSource

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


# An account status (会员状态, Account status): what stops every contact, and what says nothing.
# Compared after norm_header (simplified, lower case, no spaces), once per distinct value.
_STATUS_BLOCKED = (
    "拉黑",
    "黑名单",
    "注销",
    "冻结",
    "停用",
    "禁用",
    "封禁",
    "封号",
    "作废",
    "销户",
    "关闭",
    "锁定",
    "删除",
    "退会",
    "退卡",
    "已故",
    "去世",
    "过世",
    "身故",
    "逝世",
    "blocked",
    "blacklist",
    "banned",
    "closed",
    "suspended",
    "disabled",
    "deactivated",
    "deleted",
    "terminated",
    "frozen",
    "cancelled",
    "canceled",
    "deceased",
)
_STATUS_FINE = {
    "正常",
    "有效",
    "活跃",
    "普通",
    "启用",
    "已启用",
    "在用",
    "使用中",
    "激活",
    "已激活",
    "未激活",
    "新客",
    "老客",
    "新客户",
    "老客户",
    "会员",
    "新会员",
    "老会员",
    "vip",
    "意向",
    "跟进中",
    "已成交",
    "未成交",
    "潜在",
    "沉睡",
    "休眠",
    "不活跃",
    "流失",
    "过期",
    "已过期",
    "到期",
    "已到期",
    "active",
    "inactive",
    "normal",
    "enabled",
    "valid",
    "open",
    "regular",
    "new",
    "member",
    "lead",
    "prospect",
    "dormant",
    "lapsed",
    "expired",
    "pending",
    "invited",
    "ok",
}


def status_word(value: object) -> str | None:
    """'refuse' (已拉黑, 已注销, Blocked), 'fine' (正常, Active), or None when the status is unknown."""
    key = norm_header(value)
    if not key:
        return None
    if key in _STATUS_FINE:
        return "fine"
    if any(w in key for w in _STATUS_BLOCKED):
        return "refuse"
    word = _word(value)  # Do not contact, 勿扰, 退订 ...; 是 / Yes say nothing about an account
    if word == "refuse":
        return "refuse"
    if word is None and isinstance(value, str):
        from followup_cli.archive.refusals import refusal

        if refusal(value) is not None:  # 投诉过，勿联系: a refusal in words, typed where the status goes
            return "refuse"
    return "fine" if word == "accept" else None


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


def says_refused(field: str, value: object) -> bool | None:
    """Whether one cell of a consent column refuses contact; None when it is not clear (for an
    account status, False also when the status says nothing either way)."""
    if field == "account_status":
        said = status_word(value)
        return None if said is None else said == "refuse"
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


def fold(src: SheetSource, data: list, kept: list, problems: list) -> list:
    """do_not_contact per row of `data` (see the module's docstring)."""
    out: list = [None] * len(data)
    file, sheet = str(src.file), src.sheet
    for col, field, channels in src.consent:
        header = src.headers[col] if col < len(src.headers) else field
        status = field == "account_status"
        said: dict = {}  # a value is judged once per column, not once per cell
        for k, row in enumerate(data):
            v = row[col] if col < len(row) else None
            if parse.is_blank(v):
                continue
            key = v if v.__class__ in (str, bool) else str(v)
            if key not in said:
                said[key] = says_refused(field, v)
            refused = said[key]
            current = out[k]
            where = cell_ref(kept[k], col)
            if refused is None:
                out[k] = True
                src.refusals.setdefault(
                    kept[k] + 1, {"header": str(header), "value": str(v), "unclear": f"{sheet}!{where}"}
                )
                problems.append(
                    Problem(WARNING, file, sheet, where, str(v), _unclear(header, v, status), "unclear-consent")
                )
            elif refused:
                if channels is None or current is True:
                    out[k] = True
                else:
                    out[k] = frozenset(channels) | (current if isinstance(current, frozenset) else frozenset())
                if status:  # the status, not a consent question, decided it: say so with the cell
                    src.refusals.setdefault(
                        kept[k] + 1,
                        {"header": str(header), "words": str(v), "text": str(v), "cell": f"{sheet}!{where}"},
                    )
                    problems.append(
                        Problem(
                            WARNING,
                            file,
                            sheet,
                            where,
                            str(v),
                            msg(
                                f"{header}为“{v}”：按拒绝联系处理（所有方式），不安排回访；若可以联系，请改为“正常”",
                                f"{header} is '{v}': read as do not contact (any channel), not called; write 正常 "
                                "(normal) there if they may be contacted",
                            ),
                            "status-blocked",
                        )
                    )
            elif current is None and not status:  # 正常 / Active says nothing about consent
                out[k] = False
    return out


def _unclear(header, v, status: bool):
    if status:
        return msg(
            f"不清楚“{header}”为“{v}”的客户能否联系；在弄清之前不安排回访：可以联系请改为“正常”，不可以请写“已拉黑”",
            f"not clear whether a customer whose {header} is '{v}' may be contacted; not called until it is "
            "clear: write 正常 (normal) if they may be, 已拉黑 (blacklisted) if not",
        )
    return msg(
        f"不清楚能否联系这位客户（{header}：“{v}”）；在写明 是/否 之前不安排回访",
        f"not clear whether this customer may be contacted ({header}: '{v}'); they are not called "
        "until the cell says yes or no",
    )


def refuses(do_not_contact: bool | frozenset | None, channel: str | None) -> bool:
    """Whether a customer's do_not_contact keeps a contact by `channel` off the list."""
    if do_not_contact is True:
        return True
    if isinstance(do_not_contact, frozenset):
        return channel is None or channel in do_not_contact
    return False
