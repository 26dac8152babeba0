"""`followup sms`: the day's text messages as a CSV for a bulk-SMS platform."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from followup_cli.cli.options import archive_options, as_of_option, handle_errors, load, mask_phone_option, note

if TYPE_CHECKING:
    import datetime as dt

    from followup_cli.cli.options import ArchiveOptions


@click.command("sms")
@archive_options
@as_of_option("The day to plan for (default today).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="The SMS batch to write (.csv).")
@click.option(
    "--channel",
    type=click.Choice(["sms", "wechat"]),
    default="sms",
    show_default=True,
    help="Which channel's messages: sms (default) or wechat.",
)
@click.option("--staff", default=None, help="Only tasks of this staff member.")
@click.option("--store", default=None, help="Only customers of this store.")
@click.option(
    "--explain", is_flag=True, help="Also list the customers left out (do-not-contact, no mobile number) and why."
)
@mask_phone_option
@handle_errors
def sms(
    opts: ArchiveOptions,
    as_of: dt.date | None,
    output: str | None,
    channel: str,
    staff: str | None,
    store: str | None,
    explain: bool,
    mask_phone: bool,
) -> None:
    """The text messages due on the as-of date (festival and birthday greetings, points
    reminders ...) as a CSV that bulk-SMS platforms import: the mobile number, the message
    text, and each template variable (salutation, festival, points ...) in a column of its
    own. Customers who asked not to be contacted are left out; customers who prefer WeChat
    get a batch of their own (--channel wechat). UTF-8 with BOM, as Excel and the platforms read it.

    \b
    Example:
      followup sms 客户档案.xlsx --as-of 2026-09-25 -o 中秋短信.csv
    """
    import datetime as dt

    from followup_cli.outputs.due_list import check_filters, due
    from followup_cli.outputs.privacy import journal_export
    from followup_cli.outputs.rows import emit_rows
    from followup_cli.outputs.sms import sms_batch
    from followup_cli.text import clerk
    from followup_cli.text.clerk import SMS_HEADERS
    from followup_cli.text.messages import pick

    as_of = as_of or dt.date.today()
    lang, quiet = opts.lang, opts.quiet
    config, archive = load(opts)
    check_filters(archive, staff, store)
    result = due(archive, config, as_of, staff=staff, store=store, lang=lang)
    batch = sms_batch(result, config, channel, mask_phone)
    columns = [(k, pick(SMS_HEADERS[k], batch.lang) if k in SMS_HEADERS else k) for k in batch.columns]
    emit_rows(batch.rows, "csv", columns, path=output if output and output != "-" else None)
    if explain:
        for r in batch.left_out:
            note(f"{r['customer_id']} {r['name']} {r['kind']} {r['task_id']}: {r['why']}", quiet)
    skipped = sum(1 for r in batch.left_out if "WeChat" not in r["why"] and "微信" not in r["why"])
    other = len(batch.left_out) - skipped
    note(clerk.batch_written(output or "stdout", len(batch.rows), skipped, other, channel).text(batch.lang), quiet)
    phones = sum(1 for r in batch.rows if r["phone"])
    if output and output != "-" and not mask_phone and journal_export(opts.archives[0], "sms", output, phones):
        note(clerk.journaled(phones).text(batch.lang), quiet)
