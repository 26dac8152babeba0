"""`followup log`: one visit from the command line, with record's checks and safety."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from followup_cli.cli.options import (
    DATE,
    check_output,
    config_option,
    handle_errors,
    ignore_readonly_option,
    invocation,
    no_cache_option,
)
from followup_cli.cli.record import SayOptions, message_options, say_outcome
from followup_cli.text.messages import msg

if TYPE_CHECKING:
    import datetime as dt


@click.command("log")
@click.argument("archive", type=click.Path(dir_okay=False))
@click.option("--customer", "customer_id", required=True, help="Customer id.")
@click.option("--kind", required=True, help="Follow-up kind (code, label or synonym, e.g. birthday or 生日回访).")
@click.option("--outcome", required=True, help="reached / no answer / refused / wrong number (or 已联系 / 未接通 ...).")
@click.option("--date", "done_on", type=DATE, default=None, help="Date of the contact (default today).")
@click.option("--channel", default=None, help="phone, SMS, email, on-site, survey (or 电话 ...).")
@click.option("--satisfaction", default=None, help="非常满意 / 满意 / 一般 / 不满意 / 非常不满意.")
@click.option("--score", default=None, help="0-5.")
@click.option("--recommend", default=None, help="Would recommend: 是/否 (yes/no).")
@click.option("--issue-category", default=None, help="product quality, service quality, technical, price, other.")
@click.option("--issue", default=None, help="The issue in the customer's words.")
@click.option("--resolved", default=None, help="是/否 (yes/no).")
@click.option("--notes", default=None, help="Notes.")
@click.option("--next-date", default=None, help="The next follow-up agreed on the call (YYYY-MM-DD): a task that day.")
@click.option(
    "--staff",
    default=None,
    help="Who made the contact (default the customer's owner while on the staff, else "
    "$FOLLOWUP_STAFF; never the login name).",
)
@click.option("--task-id", default=None, help="The task this contact completes, if known.")
@click.option(
    "--allow-duplicate",
    is_flag=True,
    help="Add the visit even if the log already has one of this customer, kind, date and outcome.",
)
@config_option("followup.toml to use.")
@click.option("--dry-run", is_flag=True, help="Show what would be appended; write nothing.")
@click.option("--ignore-lock", "force", is_flag=True, help="Write even if the workbook looks open (a stale lock).")
@ignore_readonly_option
@no_cache_option
@message_options
@handle_errors
def log(
    archive: str,
    customer_id: str,
    kind: str,
    outcome: str,
    done_on: dt.date | None,
    channel: str | None,
    satisfaction: str | None,
    score: str | None,
    recommend: str | None,
    issue_category: str | None,
    issue: str | None,
    resolved: str | None,
    notes: str | None,
    next_date: str | None,
    staff: str | None,
    task_id: str | None,
    allow_duplicate: bool,
    config_path: str | None,
    dry_run: bool,
    force: bool,
    opts: SayOptions,
) -> None:
    """Record one visit from the command line or a script, with the same checks and safety as
    record. Run twice (a retry, a script run again), it adds the visit once: a visit of the
    same customer, kind, date and outcome already in the log is reported and skipped."""
    import datetime as dt

    from followup_cli.policy.vocabulary import KINDS
    from followup_cli.writeback.record import RecordRun, log_visit

    lang, quiet, output = opts.lang, opts.quiet, opts.output
    fmt = check_output(opts.fmt, output)
    kind_id = KINDS.match(kind)
    if kind_id is None:
        from followup_cli.errors import UsageProblem
        from followup_cli.outputs.due_list import match_kinds

        match_kinds([kind])  # a usage error naming the nearest kinds
        raise UsageProblem(msg(f"“{kind}”不是回访类型", f"'{kind}' is not a follow-up kind"))
    values = {
        "done_on": done_on or dt.date.today(),
        "channel": channel,
        "outcome": outcome,
        "satisfaction": satisfaction,
        "score": score,
        "recommend": recommend,
        "issue_category": issue_category,
        "issue": issue,
        "resolved": resolved,
        "notes": notes,
        "next_date": next_date,
    }
    run = RecordRun(config_path, lang, dry_run=dry_run, force=force, command=invocation())
    result = log_visit(
        [archive],
        values,
        run,
        customer_id=customer_id,
        kind=kind_id,
        staff=staff,
        task_id=task_id,
        allow_duplicate=allow_duplicate,
    )
    say_outcome(result, dry_run, fmt, output, quiet)
