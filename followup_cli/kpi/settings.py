"""[kpi] settings of followup.toml: bonus bands, VIP tiers, thresholds."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from followup_cli.errors import ConfigError

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
        return self.zh if lang == "zh" else self.en


DEFAULT_BANDS = (
    Band("bonus", 90, True, "优秀：发放质量奖金", "above 90%: quality bonus"),
    Band("standard", 70, False, "合格", "70-90%: on target"),
    Band("warning", 50, False, "批评教育，酌减奖金", "50-70%: warning, reduced bonus"),
    Band("no_bonus", 0, False, "不发奖金，考虑调岗", "below 50%: no bonus, review placement"),
)


@dataclass(frozen=True)
class KpiSettings:
    bands: tuple[Band, ...] = DEFAULT_BANDS
    vip_tiers: tuple[str, ...] = ("vip", "金卡", "钻石卡", "白金卡", "贵宾")
    win_back_days: int = 30
    top_share: float = 20.0  # per cent of buyers
    ticket_followup_hours: int = 72
    escalation_hours: int = 24
    project_min_visits: int = 3


def settings_from_config(raw: dict, where: str = "followup.toml") -> KpiSettings:
    """[kpi] of followup.toml: bands, vip_tiers, win_back_days, top_share,
    ticket_followup_hours, escalation_hours, project_min_visits."""
    section = raw.get("kpi", {}) if isinstance(raw, dict) else {}
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: [kpi] must be a table")
    known = {f.name for f in dataclasses.fields(KpiSettings)}
    unknown = set(section) - known
    if unknown:
        raise ConfigError(f"{where}: [kpi] {', '.join(sorted(unknown))}: unknown setting",
                          f"settings are: {', '.join(sorted(known))}")
    values: dict = {}
    if "bands" in section:
        values["bands"] = _bands(section["bands"], where)
    if "vip_tiers" in section:
        values["vip_tiers"] = tuple(str(t).strip().lower() for t in _list(section["vip_tiers"], "vip_tiers", where))
    for name in ("win_back_days", "ticket_followup_hours", "escalation_hours", "project_min_visits"):
        if name in section:
            values[name] = _int(section[name], name, where)
    if "top_share" in section:
        v = section["top_share"]
        if not isinstance(v, (int, float)) or not 0 < v <= 100:
            raise ConfigError(f"{where}: [kpi] top_share = {v!r}: give a per cent between 0 and 100, e.g. 20")
        values["top_share"] = float(v)
    return KpiSettings(**values)


def _list(v, name, where):
    if not isinstance(v, list) or not v:
        raise ConfigError(f"{where}: [kpi] {name} must be a non-empty list")
    return v


def _int(v, name, where):
    if not isinstance(v, int) or isinstance(v, bool) or v < 0:
        raise ConfigError(f"{where}: [kpi] {name} = {v!r}: give a whole number ≥ 0")
    return v


def _bands(items, where) -> tuple[Band, ...]:
    example = '{ over = 90, zh = "优秀", en = "bonus" }, { min = 70, zh = "合格", en = "on target" }, ...'
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{where}: [kpi] bands must be a list of tables", f"e.g. bands = [{example}]")
    out = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict) or (("over" in item) == ("min" in item)):
            raise ConfigError(f"{where}: [kpi] bands, entry {i}: give exactly one of over (strictly above) "
                              "or min (at least), in per cent", f"e.g. bands = [{example}]")
        strict = "over" in item
        threshold = item["over" if strict else "min"]
        if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or not 0 <= threshold <= 100:
            raise ConfigError(f"{where}: [kpi] bands, entry {i}: {threshold!r} is not a per cent between 0 and 100")
        label = str(item.get("label", ""))
        zh = str(item.get("zh", label or f"{'>' if strict else '≥'}{threshold}%"))
        en = str(item.get("en", label or zh))
        out.append(Band(str(item.get("id", f"band{i}")), float(threshold), strict, zh, en))
    if any(b.threshold > a.threshold for a, b in zip(out, out[1:])):
        raise ConfigError(f"{where}: [kpi] bands must go from the highest threshold down")
    return tuple(out)


def band_for(pct: float | None, bands) -> Band | None:
    if pct is None:
        return None
    for b in bands:
        if b.fits(pct):
            return b
    return None

