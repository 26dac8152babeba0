"""`followup presets`: the shipped policies and every rule of each, in words."""

from __future__ import annotations

import click

from followup_cli.cli.options import check_output, handle_errors, output_options


def _heading(policy, lang: str) -> str:
    zh = lang == "zh"
    parts = []
    if policy.yearly_cap:
        parts.append(f"每年最多 {policy.yearly_cap} 次" if zh else f"at most {policy.yearly_cap} contacts a year")
    if policy.min_gap_days:
        parts.append(f"两次联系至少间隔 {policy.min_gap_days} 天" if zh else f"{policy.min_gap_days} days apart")
    if policy.call_windows:
        parts.append(("通话时段 " if zh else "calls ") + ", ".join(policy.call_windows))
    weekend = getattr(policy, "weekend_call_windows", ())
    if weekend:
        parts.append(("休息日 " if zh else "rest days ") + ", ".join(weekend))
    notes = (policy.notes_zh if zh else policy.notes_en) or ""
    text = f"== {policy.id}  {policy.label(lang)}" + ((("（" + "；".join(parts) + "）") if zh else
                                                      (" (" + "; ".join(parts) + ")")) if parts else "")
    return text + (f"\n{notes}" if notes else "")


@click.command("presets")
@output_options
@click.argument("preset_id", required=False)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, envvar="FOLLOWUP_LANG",
              help="Language of the descriptions.")
@handle_errors
def presets(fmt, output, preset_id, lang):
    """List the shipped policy presets and their rules (or only PRESET_ID's)."""
    from followup_cli.outputs.rows import emit_rows
    from followup_cli.policy.rules import build_policy, preset_ids

    fmt = check_output(fmt, output)
    zh = lang == "zh"
    columns = [("rule", "规则" if zh else "Rule"), ("description", "说明" if zh else "Description")]
    rows = []
    for pid in ([preset_id] if preset_id else preset_ids()):
        policy = build_policy(pid)
        mine = [{"preset": pid, "preset_name": policy.label(lang), "rule": rule.id, "kind": rule.kind,
                 "channel": rule.channel, "priority": rule.priority, "description": rule.describe(lang)}
                for rule in policy.rules]
        if fmt == "table" and not output:
            click.echo(_heading(policy, lang))
            emit_rows(mine, "table", columns)
            click.echo("")
        rows.extend(mine)
    if fmt != "table" or output:
        emit_rows(rows, fmt, None if fmt == "json" else [("preset", "预设" if zh else "Preset")] + columns,
                  path=output, sheet_title="presets")
