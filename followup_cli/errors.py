"""The package's exceptions and exit codes, defined once.

Core modules raise these; the CLI maps them to a one-line message and an exit code.
"""

EXIT_OK = 0
EXIT_DATA = 1  # the data has problems (check found some, record rejected rows)
EXIT_USAGE = 2  # usage error or a file that cannot be read
EXIT_BUG = 3  # an unexpected error inside followup: a bug to report (one line; the trace with --verbose)


class FollowupError(Exception):
    """Base class: a user-facing problem with a clear message."""

    exit_code = EXIT_DATA

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str | None) -> str:
        """The message (and the fix) in `lang` when they carry both languages (messages.Msg)."""
        from followup_cli.text.messages import text

        message = text(self.message, lang)
        return f"{message}\n  → {text(self.hint, lang)}" if self.hint else message


class UsageProblem(FollowupError):
    """A wrong option or argument (exit 2)."""

    exit_code = EXIT_USAGE


class FileError(FollowupError):
    """A problem with one file: the message starts with its path (kept as `path`)."""

    def __init__(self, path, message: str, hint: str | None = None):
        from followup_cli.text.messages import Msg, msg

        full = msg(f"{path}：{message.zh}", f"{path}: {message}") if isinstance(message, Msg) else f"{path}: {message}"
        super().__init__(full, hint)
        self.path = path


class UnreadableFile(FileError):
    """A file that is missing, locked, corrupt, encrypted or of an unknown kind (exit 2)."""

    exit_code = EXIT_USAGE


class ConfigError(FollowupError):
    """followup.toml or a preset is wrong (exit 2)."""

    exit_code = EXIT_USAGE


class DataProblems(FollowupError):
    """The data has problems that stop the command (exit 1)."""

    exit_code = EXIT_DATA


class WriteRefused(FollowupError):
    """A write was refused to protect the user's workbook (exit 2)."""

    exit_code = EXIT_USAGE


class CannotWrite(FileError):
    """An output file that cannot be written: missing folder, no permission, full disk (exit 2)."""

    exit_code = EXIT_USAGE
