"""`followup columns`: how every sheet and column of the archive was read, and what was not."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from followup_cli.cli.options import archive_options, check_output, handle_errors, load, note, output_options

if TYPE_CHECKING:
    from followup_cli.cli.options import ArchiveOptions


@click.command("columns")
@archive_options
@output_options
@click.option(
    "--write",
    "write",
    is_flag=True,
    help="Save this mapping to followup.toml ([sheets] and [columns.*]; the rest of the file is kept), "
    "so the next reading is exact.",
)
@handle_errors
def columns(
    opts: ArchiveOptions,
    fmt: str,
    output: str | None,
    write: bool,
) -> None:
    """Show how ARCHIVE was understood: per sheet its role and header row, per column the field it
    became, how (exact name, normalised, vocabulary, values, followup.toml) and how sure; then the
    sheets and columns not used.
    """
    from followup_cli.archive.mapping import (
        config_target,
        describe_mapping,
        mapping_columns,
        unreadable_sheets,
        write_mapping,
    )
    from followup_cli.errors import DataProblems
    from followup_cli.outputs.screen_fit import Fit, emit_fitted
    from followup_cli.text.messages import msg, text

    fmt = check_output(fmt, output)
    config, archive = load(opts)
    out_lang = opts.lang or archive.lang
    rows = describe_mapping(archive, out_lang)
    # On a narrow terminal: a heading per sheet over its columns, the note wrapped.
    fit = Fit(wrap=("note",), fold=("field", "header"), group=("file", "sheet", "role", "role_how", "header_row"))
    emit_fitted(
        rows, fmt, None if fmt == "json" else mapping_columns(out_lang), fit, path=output, sheet_title="columns"
    )
    if write:
        target = config_target(archive, config)
        counts = write_mapping(archive, target)
        note(
            text(
                msg(
                    f"已写入 {target}：{counts['sheets']} 张工作表、{counts['columns']} 列的对应",
                    f"wrote {target}: the mapping of {counts['sheets']} sheet(s) and {counts['columns']} column(s)",
                ),
                out_lang,
            ),
            opts.quiet,
        )
    bad = unreadable_sheets(archive, ("no-header",))
    if bad:  # a sheet of which not one column could be read: say which and why, exit 1
        named = "; ".join(f"{p.where}: {text(p.message, out_lang)}" for p in bad)
        raise DataProblems(
            msg(f"{len(bad)} 张工作表无法读取：{named}", f"{len(bad)} sheet(s) cannot be read: {named}"),
            msg(
                "请检查表头行，或在 followup.toml 中对应表头（[columns.<用途>]）",
                "check the header row, or map the headers in followup.toml ([columns.<role>])",
            ),
        )
