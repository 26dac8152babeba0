"""What `followup init` writes, in Chinese and English: the new archive's input prompts and
the commented followup.toml beside it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from followup_cli.text.messages import Msg, msg, pick

if TYPE_CHECKING:
    from followup_cli.policy.rules import Policy

# Excel's data validation on the new archive's coded columns and on the score
DROPDOWN_ERROR = ("请从下拉列表中选择", "Pick a value from the list")
SCORE_ERROR = ("0-5 分", "a score from 0 to 5")


def config_lines(
    lang: str,
    workbook_name: str,
    today: dt.date,
    policy: Policy,
    preset: str,
    q: Callable[[str], str],
    shop_name: str,
    shop_phone: str,
) -> list[str]:
    """followup.toml for a new archive: the preset, the shop, and commented examples of a change."""
    first = policy.rules[0]
    windows = ", ".join(q(w) for w in policy.call_windows)
    zh = [
        f"# {workbook_name} 的回访设置，由 `followup init` 于 {today.isoformat()} 生成。",
        f"# 回访政策：{policy.zh}。查看每条规则：followup presets {preset}",
        f"preset = {q(preset)}",
        f"lang = {q(lang)}",
        "",
        "[shop]",
        f"name = {q(shop_name)}    # 话术和短信里的 {{shop}}",
        f"phone = {q(shop_phone)}   # 固定的门店电话 {{shop_phone}}",
        "",
        "# 修改某条规则的数字，例如：",
        f"# [rules.{first.id}]",
        f"# window_days = {first.window_days + 2}",
        "",
        "# 修改通话时段：",
        "# [policy]",
        f"# call_windows = [{windows}]",
    ]
    en = [
        f"# Follow-up settings for {workbook_name}, written by `followup init` on {today.isoformat()}.",
        f"# The policy: {policy.en}. See every rule with: followup presets {preset} --lang en",
        f"preset = {q(preset)}",
        f"lang = {q(lang)}",
        "",
        "[shop]",
        f"name = {q(shop_name)}    # {{shop}} in scripts and messages",
        f"phone = {q(shop_phone)}   # the one fixed shop number, {{shop_phone}}",
        "",
        "# Change a rule's numbers, for example:",
        f"# [rules.{first.id}]",
        f"# window_days = {first.window_days + 2}",
        "",
        "# Change the call windows:",
        "# [policy]",
        f"# call_windows = [{windows}]",
    ]
    return pick((zh, en), lang)


# The first line config_lines writes, read back: which workbook a followup.toml was made for.
_WRITTEN_FOR = (
    re.compile(r"^# (.+) 的回访设置，由 `followup init` 于 \d{4}-\d{2}-\d{2} 生成。"),
    re.compile(r"^# Follow-up settings for (.+), written by `followup init` on \d{4}-\d{2}-\d{2}\."),
)


def written_for(first_line: str) -> str | None:
    """The workbook `followup init` wrote a followup.toml for, from its first line, or None."""
    for pattern in _WRITTEN_FOR:
        m = pattern.match(first_line.strip())
        if m:
            return m[1]
    return None


def settings_of_another(config_file: str, made_for: str, archives: list[str]) -> Msg:
    """A followup.toml that init wrote for another workbook, read for these archives: said."""
    names = "、".join(archives)
    return msg(
        f"注意：{config_file} 是 `followup init` 为 {made_for} 写的，现在也用于 {names}"
        f"（preset、lang 等设置）；若不是此意，请把 {archives[0]} 的设置写进 "
        f"{archives[0].rsplit('.', 1)[0]}.followup.toml",
        f"attention: {config_file} was written by `followup init` for {made_for} and is used for "
        f"{', '.join(archives)} too (preset, lang ...); if that is not meant, put {archives[0]}'s settings in "
        f"{archives[0].rsplit('.', 1)[0]}.followup.toml",
    )
