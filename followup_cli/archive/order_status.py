"""An order sheet's status column (订单状态, 交易状态, Financial Status): e-commerce and POS exports
keep every order, finished or not. An order that did not go through (交易关闭, 已取消, 已退款, 待付款,
cancelled, refunded, voided, pending) is no purchase: it brings no product-use call, does not end a
customer's dormancy and is not spend, so its row is not read, and `check` notes how many rows and
which statuses. Any other status (交易成功, 已发货, 部分退款, paid) is a purchase as before. The column
is shown by `columns` as read for this only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup_cli.archive.headers import norm_header, split_header
from followup_cli.archive.problems import NOTE, Problem
from followup_cli.text.messages import msg
from followup_cli.xlsx.refs import col_letters

if TYPE_CHECKING:
    from followup_cli.archive.records import SheetSource

_HEADERS = frozenset(
    {
        "订单状态",
        "交易状态",
        "状态",
        "支付状态",
        "付款状态",
        "订单交易状态",
        "orderstatus",
        "financialstatus",
        "paymentstatus",
        "status",
    }
)
# contained in the cell (交易关闭（超时未付款）); English words compared whole
_NOT_DONE_ZH = (
    "交易关闭",
    "已关闭",
    "关闭",
    "取消",
    "已退款",
    "退款成功",
    "全额退款",
    "退款完成",
    "待付款",
    "未付款",
    "待支付",
    "未支付",
    "等待买家付款",
    "作废",
)
_NOT_DONE_EN = frozenset(
    {"closed", "cancelled", "canceled", "refunded", "voided", "void", "pending", "unpaid", "failed"}
)
_PARTLY = ("部分退款", "partially")
_SHOWN = 10

READ_FOR = msg(
    "只用来跳过未成交的订单（交易关闭、已退款、待付款……）",
    "read only to pass over orders that did not go through (closed, refunded, unpaid ...)",
)


def status_column(src: SheetSource) -> int | None:
    for header, col in src.extra_columns.items():
        if norm_header(split_header(header)[0]) in _HEADERS:
            return col
    return None


def not_done(value: object) -> bool:
    if value.__class__ is not str:
        return False
    text = value.strip().lower()
    if not text or any(w in text for w in _PARTLY):
        return False
    return any(w in text for w in _NOT_DONE_ZH) or text.replace("_", " ").replace("-", " ") in _NOT_DONE_EN


def passed_over(src: SheetSource, rows: list, kept: list, problems: list) -> list:
    """`kept` without the purchase rows whose status says the order did not go through."""
    col = status_column(src)
    if col is None:
        return kept
    for u in src.uses:
        if u.col == col and u.field is None and not u.note:
            u.note = READ_FOR
    seen: dict = {}
    out, dropped, counts = [], [], {}
    for i in kept:
        v = rows[i][col] if col < len(rows[i]) else None
        hit = seen.get(v)
        if hit is None:
            hit = seen[v] = not_done(v) if v.__class__ is str else False
        if hit:
            dropped.append(i)
            counts[v.strip()] = counts.get(v.strip(), 0) + 1
        else:
            out.append(i)
    if not dropped:
        return kept
    header = src.headers[col] if col < len(src.headers) else col_letters(col + 1)
    which_zh = "、".join(f"{k} {n} 行" for k, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    which_en = ", ".join(f"{k} ×{n}" for k, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    shown = ", ".join(str(i + 1) for i in dropped[:_SHOWN]) + (" …" if len(dropped) > _SHOWN else "")
    problems.append(
        Problem.of_sheet(
            NOTE,
            src,
            msg(
                f"{header}：{len(dropped)} 行是未成交的订单（{which_zh}），不作为消费读取（第 {shown.replace(', ', '、')} 行）",
                f"{header}: {len(dropped)} row(s) are orders that did not go through ({which_en}), not read as "
                f"purchases (row(s) {shown})",
            ),
            "order-not-done",
        )
    )
    return out
