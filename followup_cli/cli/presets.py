"""`followup presets`: the shipped policies and every rule of each, in words."""

from __future__ import annotations

import sys

import click

from followup_cli.cli.options import check_output, handle_errors, lang_option, message_lang, output_options


@click.command("presets")
@output_options
@click.argument("preset_id", required=False)
@lang_option("Language of the descriptions (default: FOLLOWUP_LANG, then the system's language).")
@handle_errors
def presets(fmt: str, output: str | None, preset_id: str | None, lang: str | None) -> None:
    """List the shipped policy presets and their rules (or only PRESET_ID's)."""
    from followup_cli.outputs.presets import columns, preset_listings
    from followup_cli.outputs.rows import emit_rows
    from followup_cli.outputs.screen import on_terminal, terminal_width, wrap_text
    from followup_cli.outputs.screen_fit import Fit, fit_table, write_pieces

    fmt = check_output(fmt, output)
    lang = message_lang(lang)
    listings = preset_listings(preset_id, lang)
    if fmt == "table" and not output:
        width = terminal_width() if on_terminal(fmt) else None  # a terminal: the descriptions wrapped
        for listing in listings:
            heading = listing.heading.split("\n")
            cols = columns(("rule", "description"), lang)
            if width is None:
                click.echo(listing.heading)
                emit_rows(listing.rows, "table", cols)
            else:
                click.echo("\n".join(wrap_text(line, width) for line in heading))
                write_pieces(fit_table(listing.rows, cols, width, Fit(wrap=("description",))), sys.stdout)
            click.echo("")
        return
    rows = [row for listing in listings for row in listing.rows]
    emit_rows(
        rows,
        fmt,
        None if fmt == "json" else columns(("preset", "rule", "description"), lang),
        path=output,
        sheet_title="presets",
    )
