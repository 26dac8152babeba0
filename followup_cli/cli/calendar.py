"""`followup calendar YEAR`: festivals, statutory holidays and make-up workdays of a year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

CONFIG_NAME = "followup.toml"


def _check_year(ctx, param, value):
    if value is not None and not 1901 <= value <= 2099:
        raise click.BadParameter(f"{value} is outside 1901-2099, the years the calendar covers")
    return value


def _fail(err) -> None:
    """A FollowupError as a one-line click error with the package's exit code."""
    exc = click.ClickException(str(err))
    exc.exit_code = err.exit_code
    raise exc


def _load_toml(path: Path) -> dict:
    import tomllib

    from followup_cli.errors import ConfigError

    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})", "fix the line it names; strings need quotes") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text", "save followup.toml as UTF-8") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from exc


@click.command("calendar")
@click.argument("year", type=int, callback=_check_year)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              envvar="FOLLOWUP_LANG", help="Language of names and headers.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "xlsx"]), default="table",
              show_default=True, help="Output format (xlsx needs -o).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file instead of stdout.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              envvar="FOLLOWUP_CONFIG",
              help="followup.toml with [calendar] holiday overrides (default: ./followup.toml if present).")
def calendar(year, lang, fmt, output, config_path):
    """Festivals, statutory holidays and make-up workdays (调休) of YEAR (1901-2099).

    Each holiday range and make-up workday is marked official (the State Council schedule),
    override (from followup.toml's [calendar] table) or computed (no schedule published yet:
    the statutory days without make-up workdays).
    """
    import followup_cli.calendar as cal
    from followup_cli.errors import FollowupError

    if fmt == "xlsx" and not output:
        raise click.UsageError("--format xlsx needs -o FILE.xlsx")
    try:
        path = Path(config_path) if config_path else None
        if path is None and Path(CONFIG_NAME).is_file():
            path = Path(CONFIG_NAME)
        cfg = _load_toml(path) if path else {}
        workcal = cal.workcalendar_from_config(cfg)
        rows = cal.calendar_rows(year, workcal, lang)
        warnings = workcal.warnings_for([dt.date(year, 1, 1)])
    except FollowupError as err:
        _fail(err)
    for warning in warnings:
        click.echo(("警告：" if lang == "zh" else "warning: ") + warning.text(lang), err=True)
    from followup_cli.outputs.rows import emit_rows

    emit_rows(rows, fmt, cal.calendar_columns(lang), path=output, sheet_title=str(year))
