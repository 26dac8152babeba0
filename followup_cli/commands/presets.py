"""`followup presets`: the shipped policies and every rule of each, in words."""

from __future__ import annotations

import click

from followup_cli.commands.common import check_output, handle_errors, output_options


@click.command("presets")
@output_options
@click.argument("preset_id", required=False)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, envvar="FOLLOWUP_LANG",
              help="Language of the descriptions.")
@handle_errors
def presets(fmt, output, preset_id, lang):
    """List the shipped policy presets and their rules (or only PRESET_ID's)."""
    from followup_cli.output import emit_rows
    from followup_cli.policy import build_policy, preset_ids

    fmt = check_output(fmt, output)
    zh = lang == "zh"
    rows = []
    for pid in ([preset_id] if preset_id else preset_ids()):
        policy = build_policy(pid)
        for rule in policy.rules:
            rows.append({"preset": pid, "preset_name": policy.label(lang), "rule": rule.id, "kind": rule.kind,
                         "channel": rule.channel, "priority": rule.priority,
                         "description": rule.describe(lang)})
        if fmt == "table" and not output:
            cap = policy.yearly_cap
            click.echo(f"{pid}  {policy.label(lang)}" + (
                f"（每年最多 {cap} 次，间隔至少 {policy.min_gap_days} 天；通话时段 {', '.join(policy.call_windows)}）" if zh and cap
                else f" (at most {cap} a year, {policy.min_gap_days} days apart; calls {', '.join(policy.call_windows)})"
                if cap else ""))
    columns = [("preset", "预设" if zh else "Preset"), ("rule", "规则" if zh else "Rule"),
               ("description", "说明" if zh else "Description")]
    emit_rows(rows, fmt, None if fmt == "json" else columns, path=output, sheet_title="presets")
