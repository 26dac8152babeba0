"""Which customer each purchase, ticket, visit or project row belongs to.

A row names its customer by id, or, where a shop keys members by mobile number or a clerk
kept the book by hand, by phone, email or name (客户 = 王芳), or by several of them in one cell
(R01 王芳, 王芳 13800000001, 王芳（R01）: linked when every piece that names a customer names the same one,
and warned). A customer reference that is
not an id is looked up among the phones, emails and names of the customer sheet; a name
links only when one customer bears it, and a name two customers share is an error naming
both, never a guess. How the rows of each sheet were linked is kept in `src.links`.
"""

from __future__ import annotations

import re

from followup_cli.archive.cells import fold_width
from followup_cli.archive.problems import ERROR, Problem
from followup_cli.archive.records import Archive
from followup_cli.text.messages import msg

REF_ROLES = ("purchases", "visits", "tickets", "projects", "milestones", "issues", "audits", "blocklist")
_DIGITS = re.compile(r"\D+")
# what a clerk puts between an id, a name and a phone typed in one cell
_PIECES = re.compile(r"[\s()（）\[\]【】<>《》,，、;；/|:：]+|(?<=\D)-|-(?=\D)")


def _phone_key(value) -> str | None:
    if value is None:
        return None
    digits = _DIGITS.sub("", str(value))
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits if len(digits) >= 7 else None


class _Keys:
    """The customer sheet's ids, phones, emails and names, built once per run."""

    def __init__(self, customers):
        self.ids = {c.id for c in customers if c.id}
        # an id typed in full-width forms (Ｆ０１) is found by the F01 another sheet typed, and back
        self.wide = {fold_width(i): i for i in self.ids if not i.isascii()}
        self.phones: dict[str, object] = {}
        self.emails: dict[str, object] = {}
        self.names: dict[str, list] = {}
        self.built = False
        self._customers = customers

    def build(self):
        if self.built:
            return
        self.built = True
        for c in self._customers:
            if not c.id:
                continue
            key = _phone_key(c.phone)
            if key:
                self.phones[key] = None if key in self.phones and self.phones[key] is not c else c
            if getattr(c, "email", None):
                self.emails[str(c.email).strip().lower()] = c
            if c.name:
                self.names.setdefault(str(c.name).strip(), []).append(c)

    def find(self, rec):
        """(customer id, how) or (None, why not)."""
        self.build()
        ref = rec.customer_id
        if isinstance(ref, str) and ref:
            folded = fold_width(ref)
            if folded in self.ids:
                return folded, "id"
            if folded in self.wide:
                return self.wide[folded], "id"
        for how, value in (("phone", ref), ("phone", getattr(rec, "phone", None))):
            key = _phone_key(value)
            if key and self.phones.get(key):
                return self.phones[key].id, how
        email = getattr(rec, "email", None) or (ref if isinstance(ref, str) and "@" in ref else None)
        if email and str(email).strip().lower() in self.emails:
            return self.emails[str(email).strip().lower()].id, "email"
        for value in (ref, getattr(rec, "customer_name", None)):
            if not value:
                continue
            named = self.names.get(str(value).strip(), [])
            if len(named) == 1:
                return named[0].id, "name"
            if len(named) > 1:
                return None, named
        if isinstance(ref, str) and ref:
            found = self._by_parts(fold_width(ref).strip())
            if found is not None:
                return found, "parts"
        return None, None

    def _by_parts(self, text: str):
        """The one customer the pieces of a longer cell name (R01 王芳, 王芳 13800000001, 王芳（R01）):
        every piece that names a customer names the same one; None when none does or two differ."""
        pieces = [p for p in _PIECES.split(text) if p]
        if len(pieces) < 2:
            return None
        found = set()
        for p in pieces:
            if p in self.ids:
                found.add(p)
            elif p in self.wide:
                found.add(self.wide[p])
            elif (key := _phone_key(p)) and self.phones.get(key):
                found.add(self.phones[key].id)
            elif len(named := self.names.get(p, [])) == 1:
                found.add(named[0].id)
        return found.pop() if len(found) == 1 else None


def customer_keys(archive: Archive) -> _Keys:
    """The lookup link_customers uses, for a row found elsewhere (a hand-added call-sheet row)."""
    return _Keys(archive.customers)


def link_customers(archive: Archive) -> None:
    """Give every row of the sheets that point at customers the id of its customer."""
    keys = _Keys(archive.customers)
    ids = keys.ids
    for role in REF_ROLES:
        records = archive.records(role)
        if not records:
            continue
        # the common case in one pass: the row's id is a customer's id
        unknown = [rec for rec in records if rec.customer_id not in ids]
        role_sources = [s for s in archive.sources if s.role == role]
        if len(role_sources) == 1:
            src = role_sources[0]
            if len(records) > len(unknown):
                src.links["id"] = src.links.get("id", 0) + len(records) - len(unknown)
        else:
            unknown_ids = {id(r) for r in unknown}
            for rec in records:
                if id(rec) not in unknown_ids:
                    rec.src.links["id"] = rec.src.links.get("id", 0) + 1
        for rec in unknown:
            cid = rec.customer_id
            if cid is None and not any(getattr(rec, k, None) for k in ("phone", "customer_name", "email")):
                continue
            found, how = keys.find(rec)
            if found is not None:
                rec.customer_id = found
                rec.src.links[how] = rec.src.links.get(how, 0) + 1
            elif isinstance(how, list):
                name = cid or rec.customer_name
                where = "、".join(f"{c.src.sheet}!{c.src.cell('name', c.row)}" for c in how[:5])
                archive.problems.append(
                    Problem(
                        ERROR,
                        str(rec.src.file),
                        rec.src.sheet,
                        rec.src.cell("customer_id" if "customer_id" in rec.src.columns else "customer_name", rec.row),
                        str(name),
                        msg(
                            f"有 {len(how)} 位客户叫“{name}”（{where}），无法确定是哪一位；请写客户编号或手机号",
                            f"{len(how)} customers are called '{name}' ({where}); write the customer id or "
                            "phone so the row names one",
                        ),
                        "ambiguous-customer",
                    )
                )
                rec.src.links["ambiguous"] = rec.src.links.get("ambiguous", 0) + 1
            elif cid is None:
                # no id column: keep what the row gave, so `check` can name it as unknown
                rec.customer_id = getattr(rec, "phone", None) or getattr(rec, "customer_name", None)
