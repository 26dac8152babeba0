"""`followup calendar YEAR` (festivals, holidays, make-up workdays of a year) and
`followup calendar import NOTICE` (a State Council notice into followup.toml)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import click

from followup_cli.cli.options import (
    bundled_as,
    check_output,
    config_option,
    handle_errors,
    lang_option,
    note,
    output_options,
    quiet_option,
    verbose_option,
    with_options,
)

CONFIG_NAME = "followup.toml"


class YearOrCommand(click.Group):
    """`followup calendar 2026` runs `show 2026`: a first word that names no subcommand is the
    YEAR of the default command, so the old form keeps working beside `calendar import`."""

    default_command = "show"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "YEAR [OPTIONS] | import NOTICE [OPTIONS]")


def _check_year(ctx, param, value):
    from followup_cli.text.messages import msg, user_lang

    if value is not None and not 1901 <= value <= 2099:
        text = msg(
            f"{value} 不在 1901-2099 之内（日历覆盖的年份）",
            f"{value} is outside 1901-2099, the years the calendar covers",
        )
        raise click.BadParameter(text.text(user_lang(ctx.params.get("lang"))))
    return value


@dataclass(frozen=True)
class CalendarOptions:
    """Which followup.toml the calendar commands use (--config, --archive) and how they speak."""

    config_path: str | None = None
    archive: str | None = None
    lang: str | None = None
    quiet: bool = False
    verbose: bool = False

    def config(self, for_writing: bool = False) -> Path | None:
        """--config, FOLLOWUP_CONFIG, beside --archive (as `due` finds it), ./followup.toml.
        For writing, the file need not exist yet: it is created where it would be looked for."""
        import os

        from followup_cli.config import find_config

        config_path, archive = self.config_path, self.archive
        if for_writing and config_path:
            return Path(config_path)
        if for_writing and os.environ.get("FOLLOWUP_CONFIG"):
            return Path(os.environ["FOLLOWUP_CONFIG"])
        found = find_config([Path(archive)] if archive else [], config_path)
        if found is not None:
            return found
        if for_writing:
            return (Path(archive).resolve().parent if archive else Path.cwd()) / CONFIG_NAME
        return Path(CONFIG_NAME) if Path(CONFIG_NAME).is_file() else None


def _config_options(f):
    """The calendar commands' shared options, given to `f` as one CalendarOptions, `opts`."""
    decorators = [
        config_option(
            "followup.toml to use (default: FOLLOWUP_CONFIG, else the one beside --archive, else ./followup.toml)."
        ),
        click.option(
            "--archive",
            "archive",
            type=click.Path(dir_okay=False),
            default=None,
            help="Use the followup.toml that `due` uses for this archive (beside it).",
        ),
        lang_option("Language of what is printed (default: env FOLLOWUP_LANG, else the system locale)."),
        quiet_option(),
        verbose_option,
    ]
    return with_options(bundled_as(CalendarOptions)(f), decorators)


@click.group("calendar", cls=YearOrCommand, no_args_is_help=True)
def calendar() -> None:
    """Festivals, statutory holidays and make-up workdays (调休) of a year, and where they come from.

    \b
    followup calendar 2026              the year's festivals, days off and make-up workdays
    followup calendar import NOTICE     read a State Council holiday notice into followup.toml

    `followup calendar YEAR --help` lists the options of the first, `followup calendar
    import --help` those of the second.
    """


@calendar.command("show")
@click.argument("year", type=int, callback=_check_year)
@output_options
@_config_options
@handle_errors
def show(year: int, fmt: str, output: str | None, opts: CalendarOptions) -> None:
    """Festivals, statutory holidays and make-up workdays (调休) of YEAR (1901-2099).

    Each holiday range and make-up workday is marked official (the State Council schedule
    chinesecalendar carries), imported (a notice read by `followup calendar import`),
    override (followup.toml's hand-written [calendar]) or computed (no schedule published
    yet: the statutory days and their weekday off in lieu, without make-up workdays). A note on
    stderr says where the year's schedule comes from.
    """
    import datetime as dt

    import followup_cli.calendar as cal
    from followup_cli.config import read_toml
    from followup_cli.outputs.screen_fit import Fit, emit_fitted
    from followup_cli.text.messages import msg, user_lang

    lang, quiet = user_lang(opts.lang), opts.quiet
    fmt = check_output(fmt, output)
    path = opts.config()
    workcal = cal.workcalendar_from_config(read_toml(path) if path else {})
    rows = cal.calendar_rows(year, workcal, lang)
    origin = cal.schedule_origin(year, workcal)
    if path and workcal.schedule_source(year) in ("imported", "override"):
        origin = msg(f"{origin.zh}（{path}）", f"{origin} ({path})")
    note(origin.text(lang), quiet)
    for warning in workcal.warnings_for([dt.date(year, 1, 1)]):
        note(msg("警告：", "warning: ").text(lang) + warning.text(lang), quiet)
    # on a narrow terminal: the note wrapped, or under its row
    fit = Fit(wrap=("note", "name"), fold=("type", "name"), below=("note",))
    emit_fitted(rows, fmt, cal.calendar_columns(lang), fit, path=output, sheet_title=str(year))


@calendar.command("import")
@click.argument("notice", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--year",
    type=int,
    default=None,
    callback=_check_year,
    help="The notice's year, when its text does not say it (it is checked when it does).",
)
@click.option("-y", "--yes", is_flag=True, help="Write without asking (for scripts; needed when NOTICE is '-').")
@output_options
@_config_options
@handle_errors
def import_notice(
    notice: str, year: int | None, yes: bool, fmt: str, output: str | None, opts: CalendarOptions
) -> None:
    """Read a State Council holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知) and
    write its schedule into followup.toml's [calendar], marked "official (imported)".

    NOTICE is a text file with the notice as published (or '-' for stdin): its numbered lines
    such as "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。", in
    simplified or traditional characters, with or without full-width punctuation. Every day
    off and every make-up workday understood is shown, then written on confirmation (--yes
    for scripts). A line that cannot be read fully is an error naming it (exit 2), and nothing
    is written. The rest of followup.toml stays as it was.
    """
    from followup_cli.calendar.importing import notice_rows, prepare_import, write_plan
    from followup_cli.errors import UsageProblem
    from followup_cli.outputs.screen_fit import Fit, emit_fitted
    from followup_cli.text.calendar import NOTICE_COLUMNS
    from followup_cli.text.messages import msg, user_lang

    lang, quiet = user_lang(opts.lang), opts.quiet
    fmt = check_output(fmt, output)
    if notice == "-" and not yes:
        raise UsageProblem(
            msg("通知从标准输入读入，无法再询问确认", "the notice comes from stdin, so there is no one to ask"),
            msg("加上 --yes", "add --yes"),
        )
    target = opts.config(for_writing=True)
    plan = prepare_import(notice, target, year=year, stdin_text=sys.stdin.read() if notice == "-" else None)
    parsed = plan.notice
    fit = Fit(fold=("name", "type"))  # a terminal: the names broken at their spaces if need be
    emit_fitted(notice_rows(parsed, lang), fmt, NOTICE_COLUMNS[lang], fit, path=output, sheet_title=str(parsed.year))
    for line in plan.notes:
        note(line.text(lang), quiet)
    if not yes:
        question = msg(
            f"写入 {target}{'（新建）' if plan.created else ''}？",
            f"Write it into {target}{' (new file)' if plan.created else ''}?",
        )
        if not click.confirm(question.text(lang), default=False, err=True):
            note(msg("没有写入任何内容", "nothing was written").text(lang), quiet)
            return
    write_plan(plan)
    note(
        msg(
            f"已写入 {target} 的 [calendar.imported.{parsed.year}]（official (imported)）",
            f"written into [calendar.imported.{parsed.year}] of {target} (official (imported))",
        ).text(lang),
        quiet,
    )
