"""`followup init`: a new, empty archive workbook for a trade, with a followup.toml beside it."""

from __future__ import annotations

import click

from followup_cli.cli.options import handle_errors, lang_option, message_lang, note, quiet_option, verbose_option


def _preset_choices() -> list[str]:
    from followup_cli.policy.rules import preset_ids

    return preset_ids()


class _PresetOption(click.Option):
    """--preset, whose help names every preset: read when the help is shown, not at import
    (loading the presets is most of what `followup --help` would otherwise cost)."""

    def get_help_record(self, ctx):
        self.help = "The trade's policy: " + ", ".join(_preset_choices()) + " (see `followup presets`)."
        return super().get_help_record(ctx)


@click.command("init")
@click.argument("path", type=click.Path(dir_okay=True), metavar="PATH.xlsx")
@click.option("--preset", cls=_PresetOption, required=True, metavar="PRESET")
@lang_option(
    "Language of the sheet names, headers and dropdown values (default: FOLLOWUP_LANG, then the system's language)."
)
@click.option("--shop", "shop_name", default="", help="Shop name for scripts and messages ({shop}).")
@click.option("--shop-phone", default="", help="The shop's fixed phone number ({shop_phone}).")
@click.option("--overwrite", "force", is_flag=True, help="Overwrite PATH and followup.toml if they exist.")
@quiet_option("No notes on stderr.")
@verbose_option
@handle_errors
def init(
    path: str, preset: str, lang: str | None, shop_name: str, shop_phone: str, force: bool, quiet: bool, verbose: bool
) -> None:
    """Create an empty archive workbook for a trade's follow-up policy.

    Writes PATH.xlsx with the sheets the preset reads (customers, purchases, projects,
    tickets, milestones, visits, staff as the trade needs), headers in the --lang language
    (Chinese or English; on a machine whose language is not Chinese, add --lang zh),
    dropdowns on coded columns and a frozen header row, and followup.toml beside it naming
    the preset. Refuses to overwrite either file unless --overwrite is given.

    \b
    Example:
      followup init 客户档案.xlsx --preset real-estate
      followup init archive.xlsx --preset sales --lang en --shop "Acme Tools"
    """
    from followup_cli.archive.create import create_archive
    from followup_cli.errors import UsageProblem
    from followup_cli.policy.rules import preset_ids
    from followup_cli.text.messages import msg

    if preset not in preset_ids():
        raise UsageProblem(*_unknown_preset(preset))
    lang = message_lang(lang)
    result = create_archive(path, preset, lang, force, shop_name, shop_phone)
    click.echo(str(result.workbook))
    click.echo(str(result.config))
    note(
        msg(
            f"已创建空白档案（{result.preset}），工作表：{'、'.join(result.sheets)}。"
            f"填好客户后运行：followup check {result.workbook}",
            f"created an empty archive ({result.preset}) with sheets: {', '.join(result.sheets)}. "
            f"Fill in the customers, then run: followup check {result.workbook}",
        ).text(lang),
        quiet,
    )


def _unknown_preset(preset: str):
    from followup_cli.policy.rules import preset_ids
    from followup_cli.text.clerk import unknown_preset

    return unknown_preset(preset, preset_ids())
