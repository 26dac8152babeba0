"""followup.toml: where it is found, what it may say, and how options and FOLLOWUP_* override it.

Precedence, lowest first: built-in defaults < followup.toml < environment FOLLOWUP_* < option.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from followup_cli.archive.schema import ROLES, norm_header
from followup_cli.errors import ConfigError
from followup_cli.text.messages import msg
from followup_cli.text.settings import fix_where, listing

if TYPE_CHECKING:
    from collections.abc import Sequence

CONFIG_NAME = "followup.toml"
DEFAULT_PRESET = "retail-vip"

# Settings that can also come from the environment (FOLLOWUP_<NAME>) and from an option.
ENV_SETTINGS = {
    "preset": "FOLLOWUP_PRESET",
    "lang": "FOLLOWUP_LANG",
    "date_order": "FOLLOWUP_DATE_ORDER",
    "shop_name": "FOLLOWUP_SHOP_NAME",
    "shop_phone": "FOLLOWUP_SHOP_PHONE",
    "visit_log": "FOLLOWUP_VISIT_LOG",
}


@dataclass
class Config:
    path: Path | None = None
    preset: str = DEFAULT_PRESET
    lang: str | None = None  # None: detect from the workbook's headers
    date_order: str = "ymd"
    shop_name: str = ""
    shop_phone: str = ""
    visit_log: str | None = None  # a separate .xlsx for the visit log
    sheets: dict[str, str] = field(default_factory=dict)  # sheet name → role
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # role → {header: field}
    rules: dict[str, dict] = field(default_factory=dict)  # rule id → overrides
    policy: dict = field(default_factory=dict)  # preset-level overrides (cap, gap, call windows)
    raw: dict = field(default_factory=dict)
    # what policy.setup built from these settings (built once, on first use)
    built: dict = field(default_factory=dict, repr=False, compare=False)

    def column_map(self, role: str) -> dict[str, str]:
        return self.columns.get(role, {})

    def log_path(self, archives: Sequence[str | Path]) -> Path:
        """The separate visit log workbook: `visit_log` from the settings, or
        '<first archive>-回访记录.xlsx' beside it (used when the archive cannot be written:
        .xls, .ods, .csv, or when the shop asks for it)."""
        first = Path(list(archives)[0])
        if self.visit_log:
            p = Path(self.visit_log)
            if p.is_absolute():
                return p
            return (self.path.parent if self.path else first.resolve().parent) / p
        return first.with_name(f"{first.stem}-回访记录.xlsx")

    def audit_log_path(self, archives: Sequence[str | Path]) -> Path:
        """Where spot-check verdicts go when the archive has no 抽查记录 sheet of its own."""
        first = Path(list(archives)[0])
        return first.with_name(f"{first.stem}-抽查记录.xlsx")

    def companion_paths(self, archives: Sequence[str | Path]) -> list[Path]:
        """Workbooks the tool keeps beside an archive it does not rewrite itself."""
        return [self.log_path(archives), self.audit_log_path(archives)]


def find_config(archives: list[Path], explicit: str | Path | None) -> Path | None:
    if explicit:
        p = Path(explicit)
        if not p.exists():
            raise ConfigError(
                msg(f"{p}：找不到配置文件", f"{p}: config file not found"),
                msg("请检查 --config 给出的路径", "check the path given to --config"),
            )
        return p
    env = os.environ.get("FOLLOWUP_CONFIG")
    if env:
        p = Path(env)
        if not p.exists():
            raise ConfigError(
                msg(
                    f"{p}：找不到 FOLLOWUP_CONFIG 指定的配置文件",
                    f"{p}: config file named by FOLLOWUP_CONFIG not found",
                )
            )
        return p
    for archive in archives:
        archive = Path(archive).resolve()
        # '<archive>.followup.toml' first: several shops' archives can share one folder
        for candidate in (archive.with_name(f"{archive.stem}.followup.toml"), archive.parent / CONFIG_NAME):
            if candidate.exists():
                return candidate
    return None


def read_toml_text(path: Path) -> str:
    """The text of a followup.toml (a BOM from Notepad dropped); a file that is not UTF-8 or
    cannot be read is a ConfigError naming it."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            msg(f"{path}：不是 UTF-8 文本", f"{path}: not UTF-8 text"),
            msg("把 followup.toml 另存为 UTF-8", "save followup.toml as UTF-8"),
        ) from exc
    except OSError as exc:
        raise ConfigError(msg(f"{path}：读不了（{exc.strerror}）", f"{path}: cannot be read ({exc.strerror})")) from exc


def read_toml(path: Path) -> dict:
    """A followup.toml's settings: the one reader of the file (invalid TOML names the line)."""
    try:
        return tomllib.loads(read_toml_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            msg(f"{path}：不是有效的 TOML（{exc}）", f"{path}: not valid TOML ({exc})"),
            msg("改正它说的那一行；文字要加引号", "fix the line it names; strings need quotes"),
        ) from exc


def load_config(archives: Sequence[str | Path] = (), explicit: str | Path | None = None, **options: object) -> Config:
    """The effective configuration for these archives; `options` are command-line values (None = unset)."""
    path = find_config([Path(a) for a in archives], explicit)
    raw = read_toml(path) if path else {}
    if path:
        from followup_cli.inputs import reading

        reading([path])  # never an output of this run (inputs.py)
    cfg = Config(path=path, raw=raw)
    shop = raw.get("shop", {})
    values = {
        "preset": raw.get("preset"),
        "lang": raw.get("lang"),
        "date_order": raw.get("date_order"),
        "shop_name": shop.get("name"),
        "shop_phone": shop.get("phone"),
        "visit_log": raw.get("visit_log"),
    }
    for name, env in ENV_SETTINGS.items():
        if os.environ.get(env):
            values[name] = os.environ[env]
    for name, value in options.items():
        if value is not None:
            values[name] = value
    for name, value in values.items():
        if value is not None:
            setattr(cfg, name, value)
    if cfg.date_order not in ("ymd", "dmy", "mdy"):
        raise ConfigError(
            msg(
                f"date_order“{cfg.date_order}”不是 ymd、dmy、mdy 之一",
                f"date_order '{cfg.date_order}' is not one of ymd, dmy, mdy",
            ),
            fix_where(path),
        )
    if cfg.lang not in (None, "zh", "en"):
        raise ConfigError(
            msg(f"lang“{cfg.lang}”既不是 zh 也不是 en", f"lang '{cfg.lang}' is not zh or en"), fix_where(path)
        )
    for sheet, role in raw.get("sheets", {}).items():
        if role not in ROLES:
            raise ConfigError(
                msg(
                    f"{path}：[sheets] “{sheet}” = “{role}”：不认识的角色",
                    f"{path}: [sheets] '{sheet}' = '{role}': unknown role",
                ),
                listing("角色", "roles", ROLES),
            )
        cfg.sheets[sheet] = role
    for role, mapping in raw.get("columns", {}).items():
        if role not in ROLES:
            raise ConfigError(
                msg(f"{path}：[columns.{role}]：不认识的角色", f"{path}: [columns.{role}]: unknown role"),
                listing("角色", "roles", ROLES),
            )
        known = {f.name for f in ROLES[role]["fields"]}
        for header, fname in mapping.items():
            if fname not in known:
                raise ConfigError(
                    msg(
                        f"{path}：[columns.{role}] “{header}” = “{fname}”：不认识的字段",
                        f"{path}: [columns.{role}] '{header}' = '{fname}': unknown field",
                    ),
                    msg(
                        f"{role} 可用的字段：{'、'.join(sorted(known))}",
                        f"fields of {role} are: {', '.join(sorted(known))}",
                    ),
                )
        cfg.columns[role] = {norm_header(h): f for h, f in mapping.items()}
    cfg.rules = raw.get("rules", {})
    cfg.policy = raw.get("policy", {})
    return cfg
