"""The one place a shop's settings become what scheduling runs on: the policy (preset plus
followup.toml overrides), the work calendar (official schedules plus [calendar] overrides),
the birthday policy ([calendar.birthday]) and the agreed follow-ups ([followups])."""

from __future__ import annotations

from dataclasses import dataclass

from followup_cli.calendar import (
    BirthdayPolicy,
    WorkCalendar,
    birthday_policy_from_config,
    workcalendar_from_config,
)
from followup_cli.config import Config
from followup_cli.errors import ConfigError
from followup_cli.policy.rules import Policy, build_policy
from followup_cli.schedule.followups import FollowupSettings, settings_from_config
from followup_cli.text.messages import at, msg, text


@dataclass(frozen=True)
class PolicySetup:
    policy: Policy
    workcal: WorkCalendar
    birthday_policy: BirthdayPolicy
    followups: FollowupSettings


def policy_setup(config: Config) -> PolicySetup:
    """Policy, work calendar and birthday policy for these settings (built once per Config)."""
    found = config.built.get("policy_setup")
    if found is None:
        where = str(config.path) if config.path else "followup.toml"
        found = config.built["policy_setup"] = PolicySetup(
            build_policy(config.preset, config.rules, config.policy, where),
            _in_file(where, workcalendar_from_config, config.raw),
            _in_file(where, birthday_policy_from_config, config.raw),
            settings_from_config(config.raw, where),
        )
    return found


def _in_file(where: str, build, raw: dict):
    """`build(raw)`, a refusal of its [calendar] settings naming the file they are in."""
    try:
        return build(raw)
    except ConfigError as exc:
        raise ConfigError(at(where, msg(text(exc.message, "zh"), str(exc.message))), exc.hint) from None
