"""A rule for customers of some kind (the festival greeting for tier VIP / 金卡) whose condition no
customer of the archive meets, while the column holds values: the rule lists nobody, and `check`
says so rather than leaving a shop wondering why no VIP is ever greeted. Numbers in the column (a
level kept as 1 / 2 / 3 with no legend, archive/legends.py) make it a warning; words a note (a shop
with no VIP members at all is told, not blamed).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from followup_cli.archive.problems import NOTE, WARNING, Problem
from followup_cli.archive.sniff import code_key
from followup_cli.policy.conditions import field_value, satisfies
from followup_cli.text.messages import msg
from followup_cli.xlsx.refs import cell_ref

if TYPE_CHECKING:
    from followup_cli.archive.records import Archive
    from followup_cli.policy.rules import Policy

_SHOWN = 6


def unreached(archive: Archive, policy: Policy) -> list[Problem]:
    customers = archive.customers
    if not customers:
        return []
    groups: dict = {}  # (field, condition) → (condition, rules)
    roles = {s.role for s in archive.sources}
    for rule in policy.rules:
        if rule.source != "customers" and rule.source not in roles:
            continue  # cannot run at all: rule_problems says so
        for name, cond in rule.customer.items():
            if isinstance(cond, (str, list)):  # a value or any of several: what a list of tiers is
                groups.setdefault((name, json.dumps(cond, ensure_ascii=False)), (cond, []))[1].append(rule)
    out = []
    for (name, _), (cond, rules) in groups.items():
        src = next((s for s in archive.sources if s.role == "customers" and name in s.columns), None)
        if src is None:
            continue  # no such column: rule_problems says the rule cannot run
        values = {field_value(c, name) for c in customers} - {None, ""}
        if not values or any(satisfies(v, cond) for v in values):
            continue
        seen = sorted(map(str, values))
        shown = "、".join(seen[:_SHOWN]) + (" …" if len(seen) > _SHOWN else "")
        wanted = "、".join(map(str, cond if isinstance(cond, list) else [cond]))
        header = src.headers[src.columns[name]]
        codes = all(code_key(v) is not None for v in values)
        zh_rules = "、".join(f"“{r.label('zh')}”" for r in rules)
        en_rules = ", ".join(f"'{r.label('en')}'" for r in rules)
        out.append(
            Problem(
                WARNING if codes else NOTE,
                str(src.file),
                src.sheet,
                cell_ref(src.header_row - 1, src.columns[name]),
                None,
                msg(
                    f"规则{zh_rules}只针对“{header}”为 {wanted} 的客户，但没有客户是（此列的值：{shown}），"
                    "这些规则不会安排任何回访"
                    + (
                        f"；若这些数字是代码，请在表头写明含义，如“{header}(1普通 2银卡 3金卡)”，或在表头上方写一行说明"
                        if codes
                        else ""
                    ),
                    f"rule(s) {en_rules} are for customers whose {header} is {wanted.replace('、', ', ')}, but no "
                    f"customer's is (the column holds {shown.replace('、', ', ')}): they list nobody"
                    + (
                        f"; if the numbers are codes, spell them in the header, e.g. '{header}(1普通 2银卡 3金卡)', "
                        "or in a line above it"
                        if codes
                        else ""
                    ),
                ),
                "rule-reaches-nobody",
            )
        )
    return out
