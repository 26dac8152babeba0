"""Click in the user's language: its own usage errors ("No such option", "Missing argument",
"Invalid value for ..."), the "Error:" prefix, --help's headings, command summaries and
option help, all following --lang / FOLLOWUP_LANG / the locale.

Click marks every message it prints for gettext (`_("Error: {message}")` in each of its
modules); while a command runs in Chinese, those modules' `_` is pointed at our catalogue
(text/click_zh.py) and put back afterwards. Our own messages are `Msg` values and are
picked in the user's language when shown.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import sys
from typing import TYPE_CHECKING

import click

from followup_cli.inputs import run_scope
from followup_cli.text.messages import Msg, text, user_lang

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

_CLICK_MODULES = ("core", "exceptions", "types", "parser", "formatting", "decorators", "termui", "utils")


# The language of this run before any archive is read: what --lang, FOLLOWUP_LANG, the named
# workbook or the locale say (lang_from_args). message_lang falls back to it.
RUN_LANG: contextvars.ContextVar[str | None] = contextvars.ContextVar("followup_run_lang", default=None)


def lang_from_args(args: Sequence[str] | None) -> str:
    """--lang zh / --lang=zh anywhere in the arguments, else FOLLOWUP_LANG, else the language
    of the first workbook named (archive/language.py: its sheet names or first strings), else
    the locale."""
    args = list(args or ())
    for i, a in enumerate(args):
        if a == "--lang" and i + 1 < len(args):
            return user_lang(args[i + 1])
        if a.startswith("--lang="):
            return user_lang(a.split("=", 1)[1])
    if os.environ.get("FOLLOWUP_LANG") in ("zh", "en"):
        return user_lang(None)
    if any(a.lower().endswith((".xlsx", ".xlsm", ".csv", ".tsv")) for a in args if isinstance(a, str)):
        from followup_cli.archive.language import guess_from_args  # not for --help: zipfile costs

        found = guess_from_args(args)
        if found:
            return found
    return user_lang(None)


# While click_in runs in Chinese: a function that translates a command imported meanwhile (the
# root group imports its commands when they are first used; see cli/__init__.py).
_TRANSLATORS: list = []


def translate_loaded(name: str, command: click.Command) -> None:
    """Called by the root group when it imports `command`: put its help in the active language."""
    for translate in _TRANSLATORS:
        translate(name, command)


@contextlib.contextmanager
def click_in(lang: str, group: click.Group) -> Iterator[None]:
    """Click's own strings and the commands' help in `lang` for the duration of one run."""
    if lang != "zh":
        yield
        return
    import importlib

    from followup_cli.text.click_zh import CLICK_ZH, COMMAND_ZH, OPTION_ZH
    from followup_cli.text.commands import SUMMARY

    def zh(message: str) -> str:
        return CLICK_ZH.get(message, message)

    def zh_plural(singular: str, plural: str, n: int) -> str:
        return zh(singular if n == 1 else plural)

    saved = []

    def swap(obj, attr, value):
        saved.append((obj, attr, getattr(obj, attr)))
        setattr(obj, attr, value)

    def translate(name, cmd):
        if name in COMMAND_ZH:
            swap(cmd, "help", COMMAND_ZH[name])
        if name in SUMMARY:
            swap(cmd, "short_help", SUMMARY[name].zh)
        # click builds --help's own option once and keeps it (_help_option): translate it too
        for p in [*cmd.params, *([cmd._help_option] if getattr(cmd, "_help_option", None) else [])]:
            help_text = getattr(p, "help", None)
            if isinstance(help_text, str) and help_text in OPTION_ZH:
                swap(p, "help", OPTION_ZH[help_text])
        if name is not None:  # a command group's own commands ("calendar import"); never the root's
            for sub, subcmd in getattr(cmd, "commands", {}).items():
                translate(f"{name} {sub}", subcmd)

    for module_name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{module_name}")
        if hasattr(module, "_"):
            swap(module, "_", zh)
        if hasattr(module, "ngettext"):
            swap(module, "ngettext", zh_plural)
    swap(group, "help_lang", "zh")
    translate(None, group)
    loaded = group.commands.loaded() if hasattr(group.commands, "loaded") else group.commands
    for name, cmd in list(loaded.items()):
        translate(name, cmd)
    _TRANSLATORS.append(translate)
    try:
        yield
    finally:
        _TRANSLATORS.remove(translate)
        for obj, attr, value in reversed(saved):
            setattr(obj, attr, value)


def show_error(err: click.ClickException, lang: str, group: click.Group) -> None:
    """What click's ClickException.show prints, in the language the message chose (handle_errors
    sets err.lang: --lang, FOLLOWUP_LANG, the archive's language, the locale) or `lang`."""
    lang = getattr(err, "lang", None) if getattr(err, "lang", None) in ("zh", "en") else lang
    if isinstance(getattr(err, "message", None), Msg):
        err.message = text(err.message, lang)
    with click_in(lang, group):
        err.show()  # usage line, "Try ... for help." and "Error: ...", all through the catalogue


class FollowupGroup(click.Group):
    """The root group: runs every command with click speaking the user's language."""

    help_lang = "en"  # the language --help is being shown in (click_in sets it)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: object,
    ) -> object:
        args = sys.argv[1:] if args is None else list(args)
        lang = lang_from_args(args)
        token = RUN_LANG.set(lang)  # put back when the run ends: a test's next run starts afresh
        try:
            with run_scope():  # the files this run reads, which no output may replace (inputs.py)
                return self._run(args, prog_name, complete_var, standalone_mode, lang, **extra)
        finally:
            RUN_LANG.reset(token)

    def _run(self, args, prog_name, complete_var, standalone_mode, lang, **extra) -> object:
        if not standalone_mode:
            with click_in(lang, self):
                return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        error, aborted, rv = None, False, None
        with click_in(lang, self):
            try:
                rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            except click.ClickException as err:
                error = err
            except click.Abort:
                aborted = True
            except OSError as err:
                if err.errno == errno.EPIPE:
                    sys.exit(1)
                raise
        if error is not None:
            show_error(error, lang, self)
            sys.exit(error.exit_code)
        if aborted:
            with click_in(lang, self):
                from click.core import _ as gettext

                click.echo(gettext("Aborted!"), err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)
