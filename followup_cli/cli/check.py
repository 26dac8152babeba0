"""`followup check`: every problem in the archive, with file, sheet!cell and the fix."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from followup_cli.cli.options import (
    archive_options,
    as_of_option,
    check_output,
    handle_errors,
    load,
    message_lang,
    note,
    output_options,
    settings,
)

if TYPE_CHECKING:
    import datetime as dt

    from followup_cli.cli.options import ArchiveOptions
    from followup_cli.cli.replay import Recording
    from followup_cli.config import Config


@click.command("check")
@archive_options
@output_options
@as_of_option("The day to check against (future dates, owners who left).")
@click.option("--errors-only", is_flag=True, help="Leave warnings out.")
@handle_errors
def check(
    opts: ArchiveOptions,
    fmt: str,
    output: str | None,
    as_of: dt.date | None,
    errors_only: bool,
) -> None:
    """Validate ARCHIVE workbooks: every problem with its sheet!cell, the value found and what is expected.

    Exit 0 when clean (warnings allowed), 1 when there are errors, 2 when a file cannot be read.
    """
    import datetime as dt

    from followup_cli.cli import replay

    fmt = check_output(fmt, output)
    as_of = as_of or dt.date.today()
    config = settings(opts)
    # The same archive, settings and day as a run before: what it wrote, written again.
    replay.run(
        "check",
        opts.archives,
        config,
        lambda kept: _check(kept, opts, config, fmt, output, as_of, errors_only),
        as_of=as_of,
    )


def _check(
    kept: Recording,
    opts: ArchiveOptions,
    config: Config,
    fmt: str,
    output: str | None,
    as_of: dt.date,
    errors_only: bool,
) -> None:
    """The check, written through `kept` (cli/replay.py); exit 1 when there are errors."""
    from followup_cli.archive.check import check_archive
    from followup_cli.cli.progress import Progress
    from followup_cli.errors import EXIT_DATA
    from followup_cli.outputs.screen_fit import Fit, emit_fitted
    from followup_cli.policy.setup import policy_setup
    from followup_cli.text.clerk import CHECK_COLUMNS, SEVERITY
    from followup_cli.text.messages import pick

    lang, quiet = opts.lang, opts.quiet
    progress = Progress(message_lang(lang), quiet)
    with progress.step("read"):
        config, archive = load(opts, config=config)
    with progress.step("check"):
        problems = check_archive(archive, as_of, policy_setup(config).policy)
    if errors_only:
        problems = [p for p in problems if p.severity == "error"]
    out_lang = lang or archive.lang
    columns = [(k, pick(label, out_lang)) for k, label in CHECK_COLUMNS.items()]
    rows = []
    for p in problems:
        row = p.as_row(out_lang)
        row["where"] = p.where
        if fmt != "json":
            row["severity"] = pick(SEVERITY[p.severity], out_lang) if p.severity in SEVERITY else p.severity
        rows.append(row)
    n_err = sum(1 for p in problems if p.severity == "error")
    n_warn = sum(1 for p in problems if p.severity == "warning")
    n_note = len(problems) - n_err - n_warn
    if fmt == "table":  # for people: a problem repeated down a column said once (csv/json: every cell)
        from followup_cli.outputs.check_list import fold_repeats

        rows = fold_repeats(problems, rows, out_lang, opts.archives)
    if rows or fmt != "table":
        # a terminal: the problems wrapped to fit it, a quoted value cut to 16 columns
        fit = Fit(wrap=("message",), caps={"value": 16}, fold=("where",), minimum=24)
        cols = None if fmt == "json" else columns
        emit_fitted(rows, fmt, cols, fit, path=output, sheet_title="check", stream=kept.stream)
        if output and output != "-":
            kept.file(output)
    counts = {r.role: 0 for r in archive.sources}
    for s in archive.sources:
        counts[s.role] = len(archive.records(s.role))
    from followup_cli.text.clerk import check_summary

    note(check_summary(n_err, n_warn, counts, n_note, len(archive.unused_sheets)).text(out_lang), quiet)
    if n_err:
        raise SystemExit(EXIT_DATA)
