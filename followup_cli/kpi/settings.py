"""[kpi] settings of followup.toml: bonus bands, VIP tiers, thresholds."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from followup_cli.errors import ConfigError
from followup_cli.text.messages import Msg, at, msg, pick
from followup_cli.text.settings import for_example, listing, not_a_table, preset_where, unknown_setting

if TYPE_CHECKING:
    from collections.abc import Sequence

    from followup_cli.kpi.period import Period
    from followup_cli.policy.rules import Policy

# ---- settings (followup.toml [kpi]) ------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """A bonus band on the satisfaction rate: `over` is strictly above, `min` at least."""

    id: str
    threshold: float
    strict: bool
    zh: str
    en: str

    def fits(self, pct: float) -> bool:
        return pct > self.threshold if self.strict else pct >= self.threshold

    def label(self, lang: str) -> str:
        return pick((self.zh, self.en), lang)


DEFAULT_BANDS = (
    Band("bonus", 90, True, "优秀：发放质量奖金", "above 90%: quality bonus"),
    Band("standard", 70, False, "合格", "70-90%: on target"),
    Band("warning", 50, False, "批评教育，酌减奖金", "50-70%: warning, reduced bonus"),
    Band("no_bonus", 0, False, "不发奖金，考虑调岗", "below 50%: no bonus, review placement"),
)


@dataclass(frozen=True)
class KpiSettings:
    """The KPIs a policy defines and their thresholds: the preset's [kpi] table, with
    followup.toml's [kpi] over it (`explicit` names what followup.toml set)."""

    bands: tuple[Band, ...] = DEFAULT_BANDS
    min_rated_visits: int = 5  # a staff member with fewer rated visits gets no bonus band
    vip_tiers: tuple[str, ...] = ("vip", "金卡", "钻石卡", "白金卡", "贵宾")
    win_back_days: int = 30
    top_share: float = 20.0  # per cent of buyers
    # Repair and complaint tickets followed up within N hours (or N working days) of being
    # closed (or opened); complaints alone and repairs alone, when a policy sets them apart.
    ticket_followup_hours: int = 72
    ticket_followup_working_days: int = 0
    ticket_followup_from: str = "closed"  # closed | opened
    complaint_followup_hours: int = 24
    complaint_followup_working_days: int = 0
    repair_followup_hours: int = 72
    escalation_hours: int = 24
    ticket_close_hours: int = 72  # the complaint summary: a ticket still open after this is overdue
    project_min_visits: int = 3
    show: tuple[str, ...] = ()  # the KPIs the policy defines, in its order; () = every KPI
    targets: dict = dataclasses.field(default_factory=dict)  # KPI id → target (≥, or ≤ for dormant rates)
    weekly_report_due: str = ""  # "sunday 17:00": when a week's report is due
    explicit: frozenset = frozenset()


_INTS = (
    "min_rated_visits",
    "win_back_days",
    "ticket_followup_hours",
    "ticket_followup_working_days",
    "complaint_followup_hours",
    "complaint_followup_working_days",
    "repair_followup_hours",
    "escalation_hours",
    "ticket_close_hours",
    "project_min_visits",
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def settings_from_config(raw: dict, where: str = "followup.toml") -> KpiSettings:
    """[kpi] of followup.toml (docs/kpi.md lists the settings)."""
    section = raw.get("kpi", {}) if isinstance(raw, dict) else {}
    values = parse_section(section, where)
    return KpiSettings(**values, explicit=frozenset(values))


def with_policy(settings: KpiSettings, policy: Policy) -> KpiSettings:
    """The policy's own KPIs and thresholds (its preset's [kpi]), under what followup.toml set."""
    table = getattr(policy, "kpi", None) or {}
    if not table:
        return settings
    values = parse_section(table, preset_where(policy.id))
    values.update({name: getattr(settings, name) for name in settings.explicit})
    return KpiSettings(**values, explicit=settings.explicit)


def parse_section(section: object, where: str | Msg) -> dict:
    if not isinstance(section, dict):
        raise ConfigError(not_a_table(where, "[kpi]"))
    known = {f.name for f in dataclasses.fields(KpiSettings)} - {"explicit"}
    unknown = set(section) - known
    if unknown:
        raise ConfigError(*unknown_setting(where, "[kpi]", ", ".join(sorted(unknown)), sorted(known)))
    values: dict = {}
    if "bands" in section:
        values["bands"] = _bands(section["bands"], where)
    if "vip_tiers" in section:
        values["vip_tiers"] = tuple(str(t).strip().lower() for t in _list(section["vip_tiers"], "vip_tiers", where))
    for name in _INTS:
        if name in section:
            values[name] = _int(section[name], name, where)
    if "top_share" in section:
        v = section["top_share"]
        if not isinstance(v, (int, float)) or not 0 < v <= 100:
            raise ConfigError(
                _kpi(
                    where,
                    f"top_share = {v!r}：请写 0 到 100 之间的百分数，例如 20",
                    f"top_share = {v!r}: give a per cent between 0 and 100, e.g. 20",
                )
            )
        values["top_share"] = float(v)
    if "ticket_followup_from" in section:
        v = section["ticket_followup_from"]
        if v not in ("closed", "opened"):
            raise ConfigError(
                _kpi(
                    where,
                    f'ticket_followup_from = {v!r}：请写 "closed"（结单时）或 "opened"（开单时）',
                    f'ticket_followup_from = {v!r}: give "closed" or "opened"',
                )
            )
        values["ticket_followup_from"] = v
    if "show" in section:
        from followup_cli.kpi.measures import KPIS

        show = _list(section["show"], "show", where)
        bad = [k for k in show if k not in KPIS]
        if bad:
            raise ConfigError(
                _kpi(
                    where,
                    f"show：不认识的指标 {'、'.join(map(str, bad))}",
                    f"show: unknown KPI {', '.join(map(str, bad))}",
                ),
                listing("指标", "KPIs", KPIS),
            )
        values["show"] = tuple(show)
    if "targets" in section:
        from followup_cli.kpi.measures import KPIS

        targets = section["targets"]
        if (
            not isinstance(targets, dict)
            or any(k not in KPIS for k in targets)
            or any(not isinstance(v, (int, float)) or isinstance(v, bool) for v in targets.values())
        ):
            raise ConfigError(
                _kpi(where, "targets 必须把指标编号对应到数字", "targets must map KPI ids to numbers"),
                for_example("targets = { completion_tasks = 90 }"),
            )
        values["targets"] = dict(targets)
    if "weekly_report_due" in section:
        v = str(section["weekly_report_due"]).strip().lower()
        parts = v.split()
        try:
            ok = len(parts) == 2 and parts[0] in _WEEKDAYS and dt.time.fromisoformat(parts[1]) is not None
        except ValueError:
            ok = False
        if not ok:
            given = section["weekly_report_due"]
            raise ConfigError(
                _kpi(
                    where,
                    f"weekly_report_due = {given!r}：请写英文的星期几和时间",
                    f"weekly_report_due = {given!r}: give a weekday and a time",
                ),
                for_example('weekly_report_due = "sunday 17:00"'),
            )
        values["weekly_report_due"] = v
    return values


def report_due(settings: KpiSettings, period: Period) -> dt.datetime | None:
    """When a week's report is due (the policy's weekday and time inside that ISO week)."""
    if period.unit != "week" or not settings.weekly_report_due:
        return None
    day, time = settings.weekly_report_due.split()
    date = period.start + dt.timedelta(days=_WEEKDAYS.index(day))
    return dt.datetime.combine(date, dt.time.fromisoformat(time))


def _list(v, name, where):
    if not isinstance(v, list) or not v:
        raise ConfigError(_kpi(where, f"{name} 必须是非空的列表", f"{name} must be a non-empty list"))
    return v


def _int(v, name, where):
    if not isinstance(v, int) or isinstance(v, bool) or v < 0:
        raise ConfigError(_kpi(where, f"{name} = {v!r}：请写 ≥ 0 的整数", f"{name} = {v!r}: give a whole number ≥ 0"))
    return v


def _bands(items, where) -> tuple[Band, ...]:
    example = 'bands = [{ over = 90, zh = "优秀", en = "bonus" }, { min = 70, zh = "合格", en = "on target" }, ...]'
    if not isinstance(items, list) or not items:
        raise ConfigError(_kpi(where, "bands 必须是表的列表", "bands must be a list of tables"), for_example(example))
    out = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict) or (("over" in item) == ("min" in item)):
            raise ConfigError(
                _kpi(
                    where,
                    f"bands 第 {i} 项：over（高于）和 min（至少）只能写一个，单位是百分数",
                    f"bands, entry {i}: give exactly one of over (strictly above) or min (at least), in per cent",
                ),
                for_example(example),
            )
        strict = "over" in item
        threshold = item["over" if strict else "min"]
        if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or not 0 <= threshold <= 100:
            raise ConfigError(
                _kpi(
                    where,
                    f"bands 第 {i} 项：{threshold!r} 不是 0 到 100 之间的百分数",
                    f"bands, entry {i}: {threshold!r} is not a per cent between 0 and 100",
                )
            )
        label = str(item.get("label", ""))
        zh = str(item.get("zh", label or f"{'>' if strict else '≥'}{threshold}%"))
        en = str(item.get("en", label or zh))
        out.append(Band(str(item.get("id", f"band{i}")), float(threshold), strict, zh, en))
    if any(b.threshold > a.threshold for a, b in zip(out, out[1:])):
        raise ConfigError(_kpi(where, "bands 必须从最高的门槛往下排", "bands must go from the highest threshold down"))
    return tuple(out)


def band_for(pct: float | None, bands: Sequence[Band]) -> Band | None:
    if pct is None:
        return None
    for b in bands:
        if b.fits(pct):
            return b
    return None


def _kpi(where: str | Msg, zh: str, en: str) -> Msg:
    """A problem with one [kpi] setting, after the place it was written."""
    return at(where, msg(f"[kpi] {zh}", f"[kpi] {en}"))
