"""Customers with no phone, said by `check`: those with a 微信号 are listed with it where the phone
would be (a call sheet's 电话 reads 微信 wxid_abc123, their messages go to the WeChat batch), those
with neither are listed with an empty phone. Notes, not warnings: nothing is guessed, but a clerk
should not find out on the call list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup_cli.archive.problems import NOTE, Problem
from followup_cli.text.messages import msg

if TYPE_CHECKING:
    from followup_cli.archive.records import Archive

_SHOWN = 8


def no_phone_notes(archive: Archive) -> list[Problem]:
    by_src: dict = {}
    for c in archive.customers:
        if not c.phone and c.src is not None and "phone" in c.src.columns:
            by_src.setdefault(id(c.src), (c.src, [], []))[1 if c.wechat else 2].append(str(c.id or c.row))
    out = []
    for src, wechat, neither in by_src.values():
        for ids, code in ((wechat, "wechat-only"), (neither, "no-phone")):
            if not ids:
                continue
            shown = "、".join(ids[:_SHOWN]) + ("…" if len(ids) > _SHOWN else "")
            shown_en = ", ".join(ids[:_SHOWN]) + (" …" if len(ids) > _SHOWN else "")
            message = (
                msg(
                    f"{len(ids)} 位客户没有手机号，只有微信号：回访清单的电话一栏写着他们的微信号，短信改入微信批次（{shown}）",
                    f"{len(ids)} customer(s) have no phone, only a WeChat ID: the call list shows the WeChat ID in "
                    f"the phone column, and their messages go to the WeChat batch ({shown_en})",
                )
                if code == "wechat-only"
                else msg(
                    f"{len(ids)} 位客户既没有手机号也没有微信号：回访清单上他们的电话为空（{shown}）",
                    f"{len(ids)} customer(s) have neither a phone nor a WeChat ID: the call list shows no number "
                    f"for them ({shown_en})",
                )
            )
            out.append(Problem.of_sheet(NOTE, src, message, code))
    return out
