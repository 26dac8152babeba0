"""Follow-up policies: a preset is a list of rules in TOML; followup.toml picks one and overrides.

A rule says when a follow-up of one kind becomes due for a customer:
  trigger = "after"     N days (or N working days) after a date on a record
                        (a purchase, the archive entry, a ticket closed, a shipment, a project milestone)
  trigger = "yearly"    a date that comes back every year (a solar or lunar birthday)
  trigger = "festival"  on calendar festivals (春节, 中秋 ...)
  trigger = "inactive"  no record (purchase) for N days; again at most every M days
  trigger = "every"     every N days or months after an anchor date, optionally in stages,
                        with the clock restarting at the customer's last real contact
  trigger = "while"     while the customer's condition (`customer`) holds, at most once every
                        `every_days`: due as soon as no contact of its kind came in that many
                        days (no anchor date; the first one is due when the customer joined);
                        its task stays open while the condition holds
  trigger = "milestone" N days after (or, with a negative N, before) a dated event in the
                        milestones sheet; with date_field, only events on or after that
                        customer date (a buyer hears of the milestones after the purchase)
and for whom (`when` on the record, `customer` on the customer, `buyer` = true/false for
customers who have or have not bought), until when (`until`), how (channel, priority),
by whom (`staff_role`: the staff member with that role instead of the owner) and how long
it stays open (window_days, expire_days). An "after" rule with `first_only` counts only the
customer's earliest matching record (a new customer's first purchase).

`within = true` (after and milestone rules) reads `days` as deadlines, as the seeds' 内 does:
"within 3 days" of the trigger. A contact any day from the stage's window start (the trigger
for the first stage, the day after the previous stage's deadline for the next) up to the day
before the next stage opens completes it; the due list still shows it from its due day.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from importlib import resources

from followup_cli.errors import ConfigError
from followup_cli.policy.conditions import validate as validate_conditions
from followup_cli.policy.vocabulary import CHANNELS, KINDS
from followup_cli.text.messages import Msg, at, msg, pick, text
from followup_cli.text.settings import listing, preset_where, unknown_setting

TRIGGERS = ("after", "yearly", "festival", "inactive", "every", "milestone", "while")
SOURCES = ("customers", "purchases", "tickets", "projects", "visits", "milestones")


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    trigger: str
    zh: str = ""
    en: str = ""
    source: str = "customers"
    date_field: str = ""
    days: tuple[int, ...] = (0,)
    working_days: bool = False
    when: dict = field(default_factory=dict)
    customer: dict = field(default_factory=dict)
    festivals: tuple[str, ...] = ()
    inactive_days: int = 0
    repeat_days: int = 0
    every_days: int = 0
    every_months: int = 0
    stages: tuple[dict, ...] = ()
    restart_on: str = "any_contact"  # any_contact | same_kind | none
    until: tuple[str, ...] = ()  # customer date fields: no occurrence after that date
    channel: str = "phone"
    priority: int = 50
    window_days: int = 3
    expire_days: int | None = 30  # None: an undone task never drops
    gap_exempt: bool = False
    cap_exempt: bool = False
    staff_role: str | tuple[str, ...] = ""  # assign to the staff member with this role (or any of these names)
    buyer: bool | None = None  # True: only customers who have bought; False: only those who have not
    first_only: bool = False  # "after": only the customer's earliest matching record counts
    within: bool = False  # "after"/"milestone": days are deadlines; a contact from the window start completes it
    reason_zh: str = ""
    reason_en: str = ""
    script_zh: str = ""
    script_en: str = ""

    def label(self, lang: str) -> str:
        return pick((self.zh, self.en), lang) or KINDS.label(self.kind, lang)

    def describe(self, lang: str) -> str:
        """The rule in words, for `followup presets`."""
        from followup_cli.text.labels import describe_rule

        return describe_rule(self, lang)


@dataclass(frozen=True)
class Policy:
    id: str
    zh: str
    en: str
    rules: tuple[Rule, ...]
    yearly_cap: int | None = None
    min_gap_days: int = 3
    early_days: int = 3  # a hand-logged visit this many days before the due date still counts
    call_windows: tuple[str, ...] = ()
    weekend_call_windows: tuple[str, ...] = ()  # on rest days, when they differ from working days
    sms_time: str = ""
    notes_zh: str = ""
    notes_en: str = ""
    kpi: dict = field(default_factory=dict)  # the preset's [kpi]: the KPIs this policy defines (kpi.settings)

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def label(self, lang: str) -> str:
        return pick((self.zh, self.en), lang)

    def windows_on(self, workday: bool) -> tuple[str, ...]:
        """The call windows of a working day or of a rest day (weekend or holiday)."""
        if not workday and self.weekend_call_windows:
            return self.weekend_call_windows
        return self.call_windows


_RULE_FIELDS = {f.name for f in fields(Rule)}
_POLICY_KEYS = {
    "id",
    "zh",
    "en",
    "yearly_cap",
    "min_gap_days",
    "early_days",
    "call_windows",
    "weekend_call_windows",
    "sms_time",
    "notes_zh",
    "notes_en",
}
_TUPLE_FIELDS = {"days", "festivals", "stages", "until"}


def preset_ids() -> list[str]:
    folder = resources.files("followup_cli.policy") / "presets"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_preset(preset_id: str) -> dict:
    path = resources.files("followup_cli.policy") / "presets" / f"{preset_id}.toml"
    if not path.is_file():
        from followup_cli.text.clerk import unknown_preset

        raise ConfigError(*unknown_preset(preset_id, preset_ids()))
    return tomllib.loads(path.read_text(encoding="utf-8"))


def build_policy(
    preset_id: str, overrides: dict | None = None, policy_overrides: dict | None = None, where: str = "followup.toml"
) -> Policy:
    """The preset's rules with followup.toml's [rules.<id>] and [policy] overrides applied."""
    data = load_preset(preset_id)
    overrides = overrides or {}
    rules = []
    seen = set()
    for raw in data.get("rules", []):
        rid = raw.get("id")
        merged = dict(raw)
        if rid in overrides:
            merged.update(overrides[rid])
        if merged.get("enabled", True) is False:
            seen.add(rid)
            continue
        merged.pop("enabled", None)
        rules.append(_make_rule(merged, preset_where(preset_id) if rid not in overrides else where))
        seen.add(rid)
    for rid, raw in overrides.items():
        if rid in seen:
            continue
        if "trigger" not in raw:
            known = [r.get("id", "?") for r in data.get("rules", [])]
            raise ConfigError(
                msg(
                    f"{where}：[rules.{rid}]：预设 {preset_id} 没有规则“{rid}”",
                    f"{where}: [rules.{rid}]: preset {preset_id} has no rule '{rid}'",
                ),
                msg(
                    f"它的规则有：{'、'.join(known)}；新规则需要写 kind 和 trigger",
                    f"its rules are: {', '.join(known)}; a new rule needs kind and trigger",
                ),
            )
        rules.append(_make_rule({"id": rid, **raw}, where))
    top = {k: v for k, v in data.items() if k in _POLICY_KEYS}
    for key, value in (policy_overrides or {}).items():
        if key not in _POLICY_KEYS - {"id"}:
            raise ConfigError(*unknown_setting(where, "[policy]", key, sorted(_POLICY_KEYS - {"id"})))
        top[key] = value
    top["id"] = preset_id
    if isinstance(data.get("kpi"), dict):
        top["kpi"] = data["kpi"]
    top.setdefault("zh", preset_id)
    top.setdefault("en", preset_id)
    for key in ("call_windows", "weekend_call_windows"):
        if key in top:
            value = top[key]
            top[key] = tuple(value) if isinstance(value, list) else (value,)
    return Policy(rules=tuple(rules), **top)


def _make_rule(raw: dict, where: str | Msg) -> Rule:
    rid = raw.get("id", "?")
    unknown = set(raw) - _RULE_FIELDS
    if unknown:
        names = sorted(unknown)
        raise ConfigError(
            msg(
                f"{text(where, 'zh')}：规则“{rid}”：不认识的设置 {'、'.join(names)}",
                f"{where}: rule '{rid}': unknown setting(s) {', '.join(names)}",
            ),
            msg(
                f"规则可用的设置：{'、'.join(sorted(_RULE_FIELDS))}",
                f"a rule takes: {', '.join(sorted(_RULE_FIELDS))}",
            ),
        )
    for key in ("id", "kind", "trigger"):
        if key not in raw:
            raise ConfigError(
                msg(f"{text(where, 'zh')}：规则“{rid}”没有写 {key}", f"{where}: rule '{rid}' has no {key}")
            )
    values = dict(raw)
    for key in _TUPLE_FIELDS:
        if key in values:
            v = values[key]
            values[key] = tuple(v) if isinstance(v, list) else (v,)
    if isinstance(values.get("staff_role"), list):
        values["staff_role"] = tuple(values["staff_role"])
    rule = Rule(**values)
    _validate(rule, where)
    return rule


def _validate(rule: Rule, where: str | Msg) -> None:
    def bad(problem: Msg, hint: Msg | None = None):
        raise ConfigError(at(where, msg(f"规则“{rule.id}”：{problem.zh}", f"rule '{rule.id}': {problem}")), hint)

    for conditions in (rule.when, rule.customer):
        problem = validate_conditions(conditions)
        if problem:
            bad(problem)
    if rule.trigger not in TRIGGERS:
        bad(
            msg(f"不认识的 trigger“{rule.trigger}”", f"trigger '{rule.trigger}' is unknown"),
            listing("trigger", "triggers", TRIGGERS),
        )
    if rule.kind not in KINDS.by_id:
        bad(msg(f"不认识的 kind“{rule.kind}”", f"kind '{rule.kind}' is unknown"), listing("kind", "kinds", KINDS.ids()))
    if rule.channel not in CHANNELS.by_id:
        bad(
            msg(f"不认识的 channel“{rule.channel}”", f"channel '{rule.channel}' is unknown"),
            listing("channel", "channels", CHANNELS.ids()),
        )
    if rule.source not in SOURCES:
        bad(
            msg(f"不认识的 source“{rule.source}”", f"source '{rule.source}' is unknown"),
            listing("source", "sources", SOURCES),
        )
    if rule.restart_on not in ("any_contact", "same_kind", "none"):
        bad(
            msg("restart_on 只能是 any_contact、same_kind 或 none", "restart_on must be any_contact, same_kind or none")
        )
    for name in ("window_days", "inactive_days", "repeat_days", "every_days", "every_months"):
        if getattr(rule, name) < 0:
            bad(msg(f"{name} 不能是负数", f"{name} must not be negative"))
    if any(not isinstance(d, int) for d in rule.days):
        bad(msg("days 必须是整数", "days must be whole numbers"))
    if any(d < 0 for d in rule.days) and (rule.trigger != "milestone" or rule.working_days):
        bad(
            msg(
                "days 必须 ≥ 0（只有按日历天计的 milestone 规则可以往事件之前数天）",
                "days must be ≥ 0 (only a milestone rule in calendar days may count days before the event)",
            )
        )
    if rule.buyer not in (None, True, False):
        bad(
            msg(
                "buyer 只能是 true（只针对买过东西的客户）或 false（只针对没买过的客户）",
                "buyer must be true (only customers who have bought) or false (only those who have not)",
            )
        )
    if rule.within and rule.trigger not in ("after", "milestone"):
        bad(msg("within 只用于 after 和 milestone 规则", "within applies to 'after' and 'milestone' rules only"))
    if rule.within and (any(d < 0 for d in rule.days) or list(rule.days) != sorted(set(rule.days))):
        bad(
            msg(
                "within 规则的 days 是期限：≥ 0 的整数，一个比一个晚",
                "a within rule's days are deadlines: whole numbers ≥ 0, each later than the one before",
            )
        )
    if rule.trigger == "while":
        if not rule.every_days:
            bad(
                msg(
                    "while 规则需要 every_days（每 N 天最多一次）",
                    "a while rule needs every_days (at most once every N days)",
                )
            )
        if not rule.customer:
            bad(
                msg(
                    'while 规则需要把条件写成 customer = { ... }，例如 customer = { points = { ">=" = 500 } }',
                    'a while rule needs its condition as customer = { ... }, e.g. customer = { points = { ">=" = 500 } }',
                )
            )
    if rule.first_only and rule.trigger != "after":
        bad(msg("first_only 只用于 after 规则", "first_only applies to 'after' rules only"))
    if rule.expire_days is not None and rule.expire_days < 0:
        bad(msg("expire_days 不能是负数", "expire_days must not be negative"))
    if rule.trigger in ("after", "yearly", "every") and not rule.date_field:
        bad(
            msg(
                f"{rule.trigger} 规则需要 date_field（从哪个日期算起）",
                f"a '{rule.trigger}' rule needs date_field (the date it counts from)",
            )
        )
    if rule.trigger == "festival":
        if not rule.festivals:
            bad(msg("festival 规则需要 festivals = [...]", "a festival rule needs festivals = [...]"))
        from followup_cli.calendar import find_festival

        for name in rule.festivals:
            try:
                find_festival(name)
            except ConfigError as exc:  # said with the file and the rule it is written in
                bad(exc.message, exc.hint)
    if rule.trigger == "inactive" and not rule.inactive_days:
        bad(msg("inactive 规则需要 inactive_days", "an inactive rule needs inactive_days"))
    if rule.trigger == "every" and not (rule.every_days or rule.every_months or rule.stages):
        bad(
            msg(
                "every 规则需要 every_days、every_months 或 stages",
                "an every rule needs every_days, every_months or stages",
            )
        )
    for stage in rule.stages:
        if not (stage.get("every_days") or stage.get("every_months")):
            bad(
                msg(
                    "每个阶段都需要 every_days 或 every_months（除最后一个外还要 until_months）",
                    "each stage needs every_days or every_months (and until_months except the last)",
                )
            )
