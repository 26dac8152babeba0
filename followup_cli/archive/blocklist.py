"""A list of customers not to contact, kept in a sheet of its own (黑名单, 勿扰名单, Do Not Call).

A hand-kept book often says "don't call these" not in a column of the customer sheet but in a
sheet listing them: 客户编号 or 手机号, maybe 姓名 and 原因. Read as the `blocklist` role (found by
its sheet name only: its headers are a customer sheet's), each row is linked to its customer like
a purchase row (archive/linking.py), and that customer is then not contacted by any channel: the
list is the shop's own word, so it wins over every consent column. `check` says how many
customers the sheet keeps off the list (a note), and warns at every row that names no customer
of the archive (the refusal would otherwise be lost without a word); `due --explain` names the
sheet and the row.
"""

from __future__ import annotations

from followup_cli.archive.problems import NOTE, WARNING, Problem
from followup_cli.archive.records import Archive
from followup_cli.text.messages import msg


def apply_blocklist(archive: Archive) -> None:
    """Every customer a do-not-contact sheet names: do_not_contact, with the sheet's row as why."""
    if not archive.blocklist:
        return
    by_id = {}
    for c in archive.customers:
        if c.id is not None:
            by_id.setdefault(c.id, c)
    listed: dict = {}  # SheetSource -> customer ids kept off the list, in row order
    for rec in archive.blocklist:
        src = rec.src
        customer = by_id.get(rec.customer_id) if rec.customer_id is not None else None
        named = rec.customer_id or rec.phone or rec.customer_name
        field = next((f for f in ("customer_id", "phone", "customer_name") if f in src.columns), "customer_id")
        cell = src.cell(field, rec.row)
        if customer is None:
            if named is None:
                continue
            archive.problems.append(
                Problem(
                    WARNING,
                    str(src.file),
                    src.sheet,
                    cell,
                    str(named),
                    msg(
                        f"勿扰名单“{src.sheet}”列出的“{named}”不是档案中的客户，这一行没有让任何人免于回访；"
                        "请写客户表中的客户编号或手机号",
                        f"the do-not-contact list '{src.sheet}' names '{named}', who is no customer of the archive: "
                        "this row keeps nobody off the call list; write the customer id or phone the customer "
                        "sheet has",
                    ),
                    "blocklist-unknown",
                )
            )
            continue
        customer.do_not_contact = True
        reason = str(rec.reason).strip() if rec.reason not in (None, "") else ""
        if customer.src is not None:
            customer.src.refusals[customer.row] = {
                "header": src.sheet,
                "listed": f"{src.sheet}!{cell}",
                "reason": reason,
            }
        listed.setdefault(id(src), (src, []))[1].append(str(customer.id))
    for src, ids in listed.values():
        more = "…" if len(ids) > 10 else ""
        zh_ids, en_ids = "、".join(ids[:10]) + more, ", ".join(ids[:10]) + more
        archive.problems.append(
            Problem(
                NOTE,
                str(src.file),
                src.sheet,
                None,
                None,
                msg(
                    f"勿扰名单：其中 {len(ids)} 位客户不安排任何回访（{zh_ids}）",
                    f"a do-not-contact list: the {len(ids)} customer(s) it names are not contacted by any "
                    f"channel ({en_ids})",
                ),
                "blocklist-read",
            )
        )
