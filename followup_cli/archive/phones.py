"""A phone cell as the number a clerk dials: full-width digits folded, +86 / 0086 / 86 set aside,
two numbers in one cell (the first used, said), a note in words beside the number (本人, 微信同号)
dropped, scientific notation refused."""

from __future__ import annotations

import re

from followup_cli.archive.cells import fold_width, is_blank, is_unfilled
from followup_cli.text.messages import msg

# a note in words beside a number (本人, 微信同号, 王姐：), never a bracketed area code like (021)
_CJK_NOTE = re.compile(r"[(（][^)）]*[\u3400-\u9fff][^)）]*[)）]|[\u3400-\u9fff：:]+")
_PHONE_STRIP = re.compile(r"[\s\-()（）.·]+")


_SCIENTIFIC = re.compile(r"\s*\d(?:\.\d+)?[eE]\+?\d{1,2}\s*")
# two numbers in one cell: 138…/139…, 138…；139…, 138…、139…, 138… 139… (each a whole number)
_LIST_SEP = re.compile(r"[/／;；,，、|]+")
_MOBILE = re.compile(r"1\d{10}\|1\d{10}")


def parse_phone(value: object) -> tuple[str | None, str | None]:
    if is_blank(value) or is_unfilled(value):
        return None, None
    if isinstance(value, float):
        if not value.is_integer():
            return None, msg(f"“{value}”不是电话号码", f"'{value}' is not a phone number")
        text = str(int(value))
    else:
        text = str(value).strip()
    raw = text
    text = fold_width(text).lstrip("'")  # '+8613800138000: a leading ' keeps Excel from reading a number
    if _SCIENTIFIC.fullmatch(text):
        return None, msg(
            f"“{raw}”是科学计数法，号码的后几位已经丢失；请把这一列设为文本格式后重新输入号码",
            f"'{raw}' is in scientific notation: the number's last digits are lost; format the column as text "
            "and type the number again",
        )
    parts = [p for p in _LIST_SEP.split(text) if p.strip()]
    if (
        len(parts) == 1
        and len(run := _PHONE_STRIP.sub("", text)) == 22
        and _MOBILE.fullmatch(run[:11] + "|" + run[11:])
    ):
        parts = [run[:11], run[11:]]  # two mobiles with only spaces between
    if len(parts) == 2 and "+" not in parts[1][1:]:
        first, second = parse_phone(parts[0]), parse_phone(parts[1])
        if first[1] is None and second[1] is None:
            return first[0], msg(
                f"“{raw}”写了两个号码：使用第一个（{first[0]}），另一个（{second[0]}）未使用",
                f"'{raw}' holds two phone numbers: the first ({first[0]}) is used, the other ({second[0]}) is not",
            )
    if _CJK_NOTE.search(text):
        # 13800138000(本人), 138 0013 8000 微信同号, 王姐 13800138000: the words around the number are a note
        bare = _CJK_NOTE.sub("", text)
        if bare != text and bare.strip() and parse_phone(bare)[1] is None:
            return parse_phone(bare)
    text = _PHONE_STRIP.sub("", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    elif text.startswith("86") and len(text) == 13:
        text = text[2:]
    digits = text.replace("+", "")
    if not (digits.isascii() and digits.isdigit()) or not 5 <= len(digits) <= 15:
        return text, msg(f"“{raw}”看起来不像电话号码", f"'{raw}' does not look like a phone number")
    if digits.startswith("1") and len(digits) != 11 and len(digits) > 8:
        return text, msg(
            f"“{raw}”像手机号，但有 {len(digits)} 位而不是 11 位",
            f"'{raw}' looks like a mobile number but has {len(digits)} digits, not 11",
        )
    return text, None
