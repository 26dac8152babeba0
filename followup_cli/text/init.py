"""What `followup init` writes, in Chinese and English: the new archive's input prompts and
the commented followup.toml beside it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from followup_cli.text.messages import pick

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
