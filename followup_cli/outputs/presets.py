"""The shipped presets in words: a heading per policy and a row per rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from followup_cli.policy.rules import build_policy, preset_ids
from followup_cli.text.labels import PRESET_COLUMNS as COLUMNS
from followup_cli.text.messages import msg, pick

if TYPE_CHECKING:
    from collections.abc import Iterable


@dataclass
class PresetListing:
    preset: str
    heading: str
    rows: list[dict]


def _heading(policy, lang: str) -> str:
    parts = []
    if policy.yearly_cap:
        parts.append(msg(f"每年最多 {policy.yearly_cap} 次", f"at most {policy.yearly_cap} contacts a year"))
    if policy.min_gap_days:
        parts.append(msg(f"两次联系至少间隔 {policy.min_gap_days} 天", f"{policy.min_gap_days} days apart"))
    if policy.call_windows:
        windows = ", ".join(policy.call_windows)
        parts.append(msg(f"通话时段 {windows}", f"calls {windows}"))
    weekend = getattr(policy, "weekend_call_windows", ())
    if weekend:
        windows = ", ".join(weekend)
        parts.append(msg(f"休息日 {windows}", f"rest days {windows}"))
    said = [p.text(lang) for p in parts]
    limits = msg("（" + "；".join(said) + "）", " (" + "; ".join(said) + ")").text(lang) if said else ""
    notes = msg(policy.notes_zh or "", policy.notes_en or "").text(lang)
    return f"== {policy.id}  {policy.label(lang)}{limits}" + (f"\n{notes}" if notes else "")


def preset_listings(preset_id: str | None, lang: str) -> list[PresetListing]:
    """Every shipped preset (or one), each with its heading and one row per rule."""
    out = []
    for pid in [preset_id] if preset_id else preset_ids():
        policy = build_policy(pid)
        rows = [
            {
                "preset": pid,
                "preset_name": policy.label(lang),
                "rule": rule.id,
                "kind": rule.kind,
                "channel": rule.channel,
                "priority": rule.priority,
                "description": rule.describe(lang),
            }
            for rule in policy.rules
        ]
        out.append(PresetListing(pid, _heading(policy, lang), rows))
    return out


def columns(names: Iterable[str], lang: str) -> list[tuple[str, str]]:
    return [(n, pick(COLUMNS[n], lang)) for n in names]
