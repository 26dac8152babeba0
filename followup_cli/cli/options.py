"""What every command shares: archive and output options, error mapping, messages to stderr.

Only click code lives in followup_cli/commands; each command parses its options, calls one
core function and hands rows to output.emit_rows.
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime as dt
import functools
import os
import sys
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from followup_cli.errors import EXIT_BUG, FollowupError

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Sequence

    from followup_cli.archive.records import Archive
    from followup_cli.config import Config
    from followup_cli.policy.rules import Policy

FORMATS = ["table", "csv", "json", "xlsx"]


class DateType(click.ParamType):
    """YYYY-MM-DD (also 2026/11/23 and 20261123), or 'today'."""

    name = "date"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        if text.lower() in ("today", "今天"):
            return dt.date.today()
        for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d"):
            try:
                day = dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
            if not 1900 <= day.year <= 2100:  # date arithmetic past 9999 overflows; no shop plans there
                from followup_cli.text.messages import msg

                self.fail(
                    msg(
                        f"“{value}”：年份 {day.year} 不在 1900-2100 之内",
                        f"'{value}': the year {day.year} is outside 1900-2100",
                    ),
                    param,
                    ctx,
                )
            return day
        from followup_cli.text.messages import msg

        self.fail(
            msg(
                f"“{value}”不是日期；请写成 YYYY-MM-DD，如 2026-11-23",
                f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-23",
            ),
            param,
            ctx,
        )


DATE = DateType()


def with_options(f: Callable, decorators: Sequence[Callable]) -> Callable:
    """`f` under every decorator of the list, the first outermost, as if stacked above it in order."""
    for d in reversed(decorators):
        f = d(f)
    return f


def bundled_as(cls: type) -> Callable[[Callable], Callable]:
    """A decorator: the parameters named as the fields of dataclass `cls` reach the command
    as one `cls` value, its parameter `opts`, which it passes on whole."""
    names = tuple(field.name for field in dataclasses.fields(cls))

    def decorator(f: Callable) -> Callable:
        @functools.wraps(f)
        def bundled(**kwargs):
            given = {name: kwargs.pop(name) for name in names}
            return f(opts=cls(**given), **kwargs)

        return bundled

    return decorator


# Options several commands declare, each declared once here; a command's help may say what it
# is the language of, or what notes it stays quiet about.
def config_option(help: str) -> Callable:
    return click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None, help=help)


def lang_option(help: str) -> Callable:
    return click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help=help)


def quiet_option(help: str = "No notes or warnings on stderr.") -> Callable:
    return click.option("-q", "--quiet", is_flag=True, help=help)


def as_of_option(help: str, dest: str = "as_of") -> Callable:
    """--as-of DATE, default None: each command says what the day is for (and defaults to today)."""
    return click.option("--as-of", dest, type=DATE, default=None, help=help)


verbose_option = click.option("--verbose", is_flag=True, help="Show the full traceback of an unexpected error.")


@dataclass(frozen=True)
class ArchiveOptions:
    """ARCHIVE… and how to read it, as `archive_options` hands them to a command: one value
    the command passes on whole (to `load`) instead of naming each option again."""

    archives: tuple[str, ...]
    config_path: str | None = None
    preset: str | None = None
    lang: str | None = None
    date_order: str | None = None
    quiet: bool = False
    verbose: bool = False


def archive_options(f: Callable) -> Callable:
    """ARCHIVE… plus the options that say how to read it, given to `f` as one ArchiveOptions
    in its parameter `opts`."""
    decorators = [
        click.argument("archives", nargs=-1, required=True, type=click.Path(dir_okay=False), metavar="ARCHIVE..."),
        config_option("followup.toml to use (default: the one beside the first archive; env FOLLOWUP_CONFIG)."),
        click.option("--preset", default=None, help="Policy preset (overrides followup.toml; env FOLLOWUP_PRESET)."),
        lang_option("Language of what is printed (default: from the workbook's headers; env FOLLOWUP_LANG)."),
        click.option(
            "--date-order",
            type=click.Choice(["ymd", "dmy", "mdy"]),
            default=None,
            help="How to read text dates like 03/05/2024 (default ymd: never guessed; env FOLLOWUP_DATE_ORDER).",
        ),
        quiet_option(),
        verbose_option,
        no_cache_option,
    ]
    return with_options(bundled_as(ArchiveOptions)(f), decorators)


def _no_cache(ctx, param, value):
    """--no-cache, on every command that reads an archive (archive_options, record, log)."""
    from followup_cli.cache import store

    store.disable(bool(value))  # set on every run: one process may run several commands (tests)
    return value


no_cache_option = click.option(
    "--no-cache",
    is_flag=True,
    expose_value=False,
    callback=_no_cache,
    help="Read every sheet afresh and keep nothing for the next run (env FOLLOWUP_NO_CACHE=1).",
)


def _set_raw_csv(ctx, param, value):
    from followup_cli.outputs.rows import RAW_CSV

    RAW_CSV.set(bool(value))  # called on every run, so a previous run's choice never lingers
    return value


def _allow_read_only(ctx, param, value):
    from followup_cli.writeback.transaction import ALLOW_READ_ONLY

    ALLOW_READ_ONLY.set(bool(value))  # called on every run, so a previous run's choice never lingers
    return value


# For the commands that write into a workbook (record, log, assign).
ignore_readonly_option = click.option(
    "--ignore-readonly",
    is_flag=True,
    expose_value=False,
    callback=_allow_read_only,
    help="Write even into a workbook marked read-only.",
)


output_file_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write to this file instead of stdout ('-' for stdout).",
)


def output_options(f: Callable) -> Callable:
    decorators = [
        click.option(
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            default="table",
            show_default=True,
            help="Output format; xlsx needs -o.",
        ),
        output_file_option,
        click.option(
            "--raw-csv",
            is_flag=True,
            expose_value=False,
            callback=_set_raw_csv,
            help="CSV for programs: cells starting with = + - @ are written as they are "
            "(by default they get a leading ' so Excel shows them as text).",
        ),
    ]
    return with_options(f, decorators)


def mask_phone_option(f: Callable) -> Callable:
    return click.option(
        "--mask-phone", is_flag=True, help="Show phone numbers as 138****0001 (for lists that leave the shop)."
    )(f)


def check_output(fmt: str, output: str | None) -> str:
    """The format to use: an -o file ending .xlsx/.csv/.json implies it unless --format says otherwise."""
    if output and output != "-" and fmt == "table":
        ext = os.path.splitext(output)[1].lower()
        fmt = {".xlsx": "xlsx", ".csv": "csv", ".json": "json"}.get(ext, fmt)
    if fmt == "xlsx" and (not output or output == "-"):
        from followup_cli.text.clerk import FORMAT_NEEDS_FILE

        raise click.UsageError(FORMAT_NEEDS_FILE)
    return fmt


# The command's result being kept (cli/replay.py), if any: every note it prints is part of it.
KEPT: contextvars.ContextVar = contextvars.ContextVar("followup_kept", default=None)


def note(message: str, quiet: bool = False) -> None:
    """A message on stderr; on a terminal wrapped to its width (outputs/screen.py), piped whole."""
    if not quiet:
        from followup_cli.outputs.screen import fit_lines

        shown = fit_lines(message, sys.stderr)
        kept = KEPT.get()
        if kept is not None:
            kept.note(shown)  # as written: a run played back writes these lines (its key has the width)
        click.echo(shown, err=True)


def handle_errors(f: Callable) -> Callable:
    """FollowupError → one line and its exit code; anything else → one line, trace with --verbose."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            from followup_cli.inputs import writing

            writing([_given(kwargs, "output")])  # never opened as an input of this run (inputs.py)
            return f(*args, **kwargs)
        except FollowupError as err:
            lang = message_lang(_given(kwargs, "lang"), getattr(err, "lang", None))
            exc = click.ClickException(err.text(lang))
            exc.exit_code = err.exit_code
            exc.lang = lang  # the "Error:" prefix in the message's language (cli/language.py)
            raise exc from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            sys.exit(0)
        except Exception as err:  # a bug: say so in one line
            if _given(kwargs, "verbose"):
                traceback.print_exc()
            from followup_cli.text.messages import msg

            exc = click.ClickException(
                msg(
                    f"意外错误（{type(err).__name__}: {err}）；这是 followup 的缺陷。请加 --verbose 再运行一次，并报告调用栈。",
                    f"unexpected error ({type(err).__name__}: {err}); this is a bug in followup. "
                    "Run again with --verbose and report the trace.",
                )
            )
            exc.exit_code = EXIT_BUG
            raise exc from None

    return wrapper


def _given(kwargs: dict, name: str) -> object:
    """An option of the command being run: its own parameter, or a field of its ArchiveOptions."""
    return kwargs[name] if name in kwargs else getattr(kwargs.get("opts"), name, None)


ARCHIVE_LANG = "followup.archive_lang"


def message_lang(explicit: str | None = None, archive_lang: str | None = None) -> str:
    """The language of what a command says, the same way in every command: --lang, then
    FOLLOWUP_LANG, then the language of the archive's own headers (once it has been read),
    then the first guess from the workbook named (before it is read), then the locale."""
    from followup_cli.cli.language import RUN_LANG
    from followup_cli.text.messages import user_lang

    if explicit in ("zh", "en") or os.environ.get("FOLLOWUP_LANG") in ("zh", "en"):
        return user_lang(explicit)
    ctx = click.get_current_context(silent=True)
    found = ctx.meta.get(ARCHIVE_LANG) if ctx is not None else None
    # archive_lang: what a library error learnt; RUN_LANG: the guess from the command line
    return found or archive_lang or RUN_LANG.get() or user_lang(None)


def usage_error(zh: str, en: str, lang: str | None = None) -> click.UsageError:
    """A usage error in the user's language (click prints it with its usage line, exit 2)."""
    from followup_cli.text.messages import msg

    return click.UsageError(msg(zh, en).text(message_lang(lang)))


def invocation() -> str:
    """The running command as a user would type it ("followup record 档案.xlsx calls.xlsx
    --dry-run"), for the write journal: built from click's parsed parameters, so it is the
    command whoever called it (a shell, a script, a Python program), never the host's argv."""
    ctx = click.get_current_context()
    parts = ["followup", ctx.info_name or ctx.command.name]
    for param in ctx.command.params:
        value = ctx.params.get(param.name)
        if param.name in ("verbose", "quiet") or value is None or value == () or value is False:
            continue
        if isinstance(param, click.Option) and param.is_flag:
            parts.append(param.opts[0])
            continue
        if isinstance(param, click.Option) and value == param.default:
            continue
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        for v in values:
            parts += ([] if isinstance(param, click.Argument) else [param.opts[0]]) + [_shell_word(str(v))]
    return " ".join(parts)


def _shell_word(text: str) -> str:
    """A word as a shell reads it back: quoted only when it must be (Chinese text stays readable)."""
    import re
    import shlex

    return shlex.quote(text) if not text or re.search(r"[\s'\"\\$`!*?;&|<>(){}\[\]#~=]", text) else text


def settings(opts: ArchiveOptions) -> Config:
    """followup.toml + options → Config."""
    from followup_cli.config import load_config

    return load_config(opts.archives, opts.config_path, preset=opts.preset, lang=opts.lang, date_order=opts.date_order)


def load(
    opts: ArchiveOptions,
    roles: Collection[str] | None = None,
    for_schedule: bool = False,
    customers: str | None = None,
    config: Config | None = None,
    fields: Callable[[Policy], dict[str, set[str]]] | None = None,
) -> tuple[Config, Archive]:
    """followup.toml + options → (Config, Archive). `for_schedule`: parse only the columns of
    the big sheets that scheduling needs (the others are read by `check`); `fields`: only the
    columns this gives for the policy instead (kpi.fields.kpi_fields). `customers`:
    "required" stops the command when there are no customer rows, "sheet" when there is not
    even a customer sheet (a new, empty archive may plan nothing); either way a note says when
    the archive has problems reading passed over (unless --quiet). `config`: the settings,
    when the command has them already (settings(opts))."""
    from followup_cli.archive.reading import load_archive

    archives, lang = opts.archives, opts.lang
    config = config or settings(opts)
    columns = None
    if for_schedule or fields is not None:
        from followup_cli.policy.setup import policy_setup
        from followup_cli.schedule.engine import needed_fields

        columns = (fields or needed_fields)(policy_setup(config).policy)
    archive = load_archive(archives, config, roles=roles, fields=columns)
    import gc

    gc.freeze()  # a command reads once: later collections need not walk the archive again
    ctx = click.get_current_context(silent=True)
    if ctx is not None and archive.sources:  # headers were recognised, so their language is known
        ctx.meta[ARCHIVE_LANG] = archive.lang
    if customers is not None:
        from followup_cli.archive.check import problems_note, require_customers

        require_customers(archive, allow_empty_sheet=customers == "sheet")
        found = problems_note(archive)
        if found is not None:
            note(found.text(lang or archive.lang), opts.quiet)
    _settings_of_another(config, archives, lang or archive.lang, opts.quiet)
    return config, archive


def _settings_of_another(config: Config, archives, lang: str, quiet: bool) -> None:
    """Say when the followup.toml in use is one `followup init` wrote for another workbook."""
    if config.path is None or config.path.name != "followup.toml":
        return
    from followup_cli.text.init import settings_of_another, written_for

    try:
        with open(config.path, encoding="utf-8-sig") as f:
            made_for = written_for(f.readline())
    except (OSError, UnicodeDecodeError):
        return
    from pathlib import Path

    names = [Path(a).name for a in archives]
    if made_for and made_for not in names:
        note(settings_of_another(str(config.path.name), made_for, names).text(lang), quiet)
