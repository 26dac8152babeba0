"""What followup says about a wrong setting in followup.toml or a preset, in Chinese and
English: the sentences that recur across config.py, policy/rules.py, kpi/settings.py,
schedule/followups.py and assign/team.py (each raises them as a ConfigError)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from followup_cli.text.messages import Msg, msg, text

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path


def preset_where(preset_id: str) -> Msg:
    """A preset named as the place a setting comes from."""
    return msg(f"预设 {preset_id}", f"preset {preset_id}")


def listing(zh_what: str, en_what: str, items: Iterable[str]) -> Msg:
    """The hint naming what may be written: "settings are: a, b" / "可用的设置：a、b"."""
    items = [str(i) for i in items]
    return msg(f"可用的{zh_what}：{'、'.join(items)}", f"{en_what} are: {', '.join(items)}")


def fix_where(path: Path | None) -> Msg:
    """Where to correct a setting: the followup.toml it came from, or the option/environment."""
    if path:
        return msg(f"请在 {path} 中改正", f"fix it in {path}")
    return msg("请改正该选项或 FOLLOWUP_* 环境变量", "fix the option or the FOLLOWUP_* variable")


def unknown_setting(where: object, section: str, names: str, known: Iterable[str]) -> tuple[Msg, Msg]:
    """(message, hint) for a key a [section] does not take."""
    return (
        msg(f"{text(where, 'zh')}：{section} {names}：不认识的设置", f"{where}: {section} {names}: unknown setting"),
        listing("设置", "settings", known),
    )


def not_a_table(where: object, section: str) -> Msg:
    """A [section] written as something other than a table."""
    return msg(f"{text(where, 'zh')}：{section} 必须是表", f"{where}: {section} must be a table")


def for_example(example: str) -> Msg:
    """A hint showing the setting written right."""
    return msg(f"例如 {example}", f"e.g. {example}")
