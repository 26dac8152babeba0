"""The indexes one scheduling run builds once: every lookup in the per-customer loop is a dict get."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

import followup_cli.calendar as cal
from followup_cli.archive.records import Archive
from followup_cli.archive.staff import staff_directory
from followup_cli.policy.conditions import compile_conditions
from followup_cli.policy.rules import Policy, Rule
from followup_cli.policy.vocabulary import KINDS, visit_outcome
from followup_cli.schedule.tasks import visit_task_ids

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

DAY = dt.timedelta(days=1)
NEVER_DROPS = 3650  # how far back an occurrence of a never-expiring rule is looked for


class Context:
    """Indexes built once per run: every lookup in the per-customer loop is a dict get."""

    def __init__(self, archive: Archive, policy: Policy, as_of: dt.date, workcal, birthday_policy=None):
        self.birthday_policy = birthday_policy
        self.archive = archive
        # Replaying the due list day by day (kpi): occurrences are generated for every day up
        # to the as-of date, each stamped with the days `due` would have seen it.
        self.replay = False
        self._joined: dict = {}
        self.policy = policy
        self.early = dt.timedelta(days=policy.early_days)  # asked of every task (contacts.settle)
        self.as_of = as_of
        self.workcal = workcal
        # The ids of the only customers this run schedules (the others' tasks were taken from a
        # stored schedule, cache/reuse.py): the per-customer indexes then hold only theirs.
        # Every index is keyed by customer id, so what it holds for those ids is the same.
        self.only: set | None = None
        # role → customer id → that customer's records, grouped on first use (one pass each)
        self._groups: dict[str, dict[str, list]] = {}
        # kinds whose every rule is exempt from the yearly cap / the minimum gap
        rules = policy.rules
        self.cap_exempt_kinds = {r.kind for r in rules if r.cap_exempt} - {r.kind for r in rules if not r.cap_exempt}
        self.gap_exempt_kinds = {r.kind for r in rules if r.gap_exempt} - {r.kind for r in rules if not r.gap_exempt}
        # Visits become (date, kind code, outcome code, visit) per customer, in date order, up
        # to the as-of date, only when a customer's tasks need them (most customers have none).
        self._visits: dict[str, tuple[list, dict]] | None = None
        self._calls_make_tasks: bool | None = None

        self.staff = staff_directory(archive, as_of)
        self.festival_cache: dict = {}
        self._when: dict = {}
        self._yearly: dict = {}
        self.contacts_cache: dict = {}
        self._kinds = {r.kind for r in rules}  # the kinds contacts_cache is asked about
        self.rule_plan: dict = {}
        self.task_spans: dict = {}  # id(rule) → (rule, window, drop after): engine._spans
        self._last: dict = {}
        self._recent: dict = {}
        self._customer: dict = {}
        # Milestones for everyone, and rows naming one customer (who came to an event).
        self.milestones_all: list = []
        self.milestones_of: dict[str, list] = defaultdict(list)
        for m in archive.milestones:
            if m.customer_id:
                self.milestones_of[m.customer_id].append(m)
            else:
                self.milestones_all.append(m)

    def visits_of(self, cid: str) -> tuple[list, dict]:
        """(visits as (date, kind, outcome, visit) in date order, {task id: [those items]})."""
        visits = self._visits
        if visits is None:
            visits = self._visits = self._index_visits()
        return visits.get(cid, _NO_VISITS)

    def _mine(self, records: list) -> list:
        """`records` (of customer ids), or only those of the customers in `only`."""
        only = self.only
        if only is None:
            return records
        return [r for r in records if r.customer_id in only]

    def calls_make_tasks(self) -> bool:
        """Whether any visit agrees a next call or raises an issue, the tasks the calls make
        (schedule/followups.py). Most logs do neither: then no customer's visits are looked
        through for them."""
        found = self._calls_make_tasks
        if found is None:
            found = self._calls_make_tasks = any(
                (v.next_action is not None and v.next_action != "") or v.issue or v.issue_category
                for v in self.archive.visits
            )
        return found

    def _index_visits(self) -> dict[str, tuple[list, dict]]:
        """Every customer's visits up to the as-of date, in one pass over the log (nearly every
        customer asks); the kind and outcome of each spelling in the log are looked up once."""
        index: dict[str, tuple[list, dict]] = {}
        as_of = self.as_of
        kinds: dict = {}
        outcomes: dict = {}
        for v in self._mine(self.archive.visits):
            cid = v.customer_id
            d = v.date
            if not cid or d is None:
                continue
            if d.__class__ is dt.datetime:
                d = d.date()
            if d > as_of:
                continue
            k = v.kind
            kind = kinds.get(k, _UNSEEN)
            if kind is _UNSEEN:
                kind = kinds[k] = KINDS.match(k)
            o = v.outcome
            outcome = outcomes.get(o, _UNSEEN)
            if outcome is _UNSEEN:
                outcome = outcomes[o] = visit_outcome(o)
            item = (d, kind, outcome, v)
            found = index.get(cid)
            if found is None:
                found = index[cid] = ([], {})
            found[0].append(item)
            if v.task_id or v.notes:
                by_task = found[1]
                for tid in visit_task_ids(v):
                    by_task.setdefault(tid, []).append(item)
        for items, _ in index.values():
            if len(items) > 1:
                items.sort(key=_first)
        return index

    def let_go(self, cid: str) -> None:
        """Drop what the indexes hold for one customer, once a pass over the customers is done
        with them (the KPIs' replay of a year): a big archive's visits, contacts and records
        are then not all indexed at once. Only for an id no other row shares."""
        if self._visits is not None:
            self._visits.pop(cid, None)
        for kind in (*self._kinds, None):
            self.contacts_cache.pop((cid, kind), None)
        for index in (*self._groups.values(), *self._recent.values()):
            index.pop(cid, None)

    def group(self, role: str) -> dict[str, list]:
        """customer id → that customer's records of `role`."""
        groups = self._groups.get(role)
        if groups is None:
            groups = self._groups[role] = {}
            get = groups.get
            for rec in self._mine(self.archive.records(role)):
                cid = rec.customer_id
                if cid:
                    found = get(cid)
                    if found is None:
                        groups[cid] = [rec]
                    else:
                        found.append(rec)
        return groups

    def last_date(self, role: str, name: str) -> dict[str, dt.date]:
        """customer id → the latest `name` date on or before the as-of day among `role` records."""
        key = (role, name)
        found = self._last.get(key)
        if found is None:
            found = {}
            as_of = self.as_of
            get = found.get
            datetime, date = dt.datetime, dt.date
            for rec in self._mine(self.archive.records(role)):  # `dated`, inline: one pass over a big sheet
                d = getattr(rec, name, None)
                if d is None:
                    continue
                if d.__class__ is datetime:
                    d = d.date()
                elif d.__class__ is not date:
                    continue
                cid = rec.customer_id
                if d <= as_of and cid:
                    best = get(cid)
                    if best is None or d > best:
                        found[cid] = d
            self._last[key] = found
        return found

    def next_yearly(self, month: int, day: int, on_or_after: dt.date, lunar: bool, leap: bool) -> dt.date:
        """calendar.next_birthday, remembered: thousands of customers share each birthday."""
        key = (month, day, on_or_after, lunar, leap)
        found = self._yearly.get(key)
        if found is None:
            found = self._yearly[key] = cal.next_birthday(
                month, day, on_or_after, lunar=lunar, leap=leap, policy=self.birthday_policy
            )
        return found

    def recent(self, rule: Rule, lo: dt.date) -> dict[str, list]:
        """For an 'after' rule: customer id → (date, record) of the records that can still give
        a due date from `lo` on and pass the rule's conditions, found in one pass over the
        sheet instead of one per customer."""
        found = self._recent.get(rule.id)
        if found is not None:
            return found
        test = self.when(rule) if rule.when else None
        name, as_of = rule.date_field, self.as_of
        reach = max(rule.days) * (2 if rule.working_days else 1) + (30 if rule.working_days else 0)
        oldest = None if rule.first_only else lo - dt.timedelta(days=reach)
        found = {}
        if rule.source == "customers":
            source = self.archive.customers
            if self.only is not None:
                source = [c for c in source if c.id in self.only]
        else:
            source = self._mine(self.archive.records(rule.source))
        for d, rec in dated(source, name):
            if d > as_of or (oldest is not None and d < oldest):
                continue
            if test is not None and not test(rec):
                continue
            cid = rec.id if rule.source == "customers" else rec.customer_id
            if cid:
                found.setdefault(cid, []).append((d, rec))
        self._recent[rule.id] = found
        return found

    def when(self, rule: Rule) -> Callable[[object], bool]:
        """The rule's record conditions, compiled once."""
        test = self._when.get(rule.id)
        if test is None:
            test = self._when[rule.id] = compile_conditions(rule.when)
        return test

    def customer_test(self, rule: Rule) -> Callable[[object], bool]:
        test = self._customer.get(rule.id)
        if test is None:
            test = self._customer[rule.id] = compile_conditions(rule.customer)
        return test

    def joined(self, customer: object) -> dt.date | None:
        """When the customer joined: the archive date, or their first purchase where there is none.
        No follow-up falls due before it."""
        cid = customer.id
        if cid in self._joined:
            return self._joined[cid]
        found = as_date(customer.archived_on)
        if found is None:
            days = [d for d in (as_date(p.date) for p in self.group("purchases").get(cid, ())) if d is not None]
            found = min(days) if days else None
        self._joined[cid] = found
        return found

    def bought_from(self, customer: object) -> dt.date | None:
        """The first day the customer counts as a buyer: the buyer flag (always), the 成交日期 or
        the first purchase, whichever comes first; None: never."""
        if customer.buyer is True:
            return dt.date.min
        days = [d for d in (as_date(p.date) for p in self.group("purchases").get(customer.id, ())) if d is not None]
        bought = as_date(customer.bought_on)
        if bought is not None:
            days.append(bought)
        return min(days) if days else None

    def add_days(self, start: dt.date, n: int, working: bool) -> dt.date:
        if working:
            return self.workcal.add_workdays(start, n)
        return start + dt.timedelta(days=n)


_REF_FIELDS = ("phone", "customer_name", "email")


def needed_fields(policy: Policy) -> dict[str, set[str]]:
    """The columns of the big sheets that scheduling reads, so `due` parses only those."""
    need = {
        "customers": {
            "id",
            "name",
            "gender",
            "phone",
            "birthday",
            "birthday_type",
            "tier",
            "grade",
            "type",
            "store",
            "owner",
            "archived_on",
            "points",
            "do_not_contact",
            "region",
            "buyer",
            "bought_on",
            "visited_on",
            "channel",
            "next_follow_up",
            "last_purchase",  # a member export's 最近消费时间: the dormant rule counts from it
            "tags",  # a Tags cell saying VIP is the tier of a sheet without one
            "wechat",  # a customer with no phone is reached on WeChat (outputs show the id)
        },
        # A row whose id is no customer's is linked by its phone, name or email (archive/linking):
        # without them `due` would link fewer rows than `check` or `record` do.
        "purchases": {"customer_id", "date", *_REF_FIELDS},
        "visits": {
            *_REF_FIELDS,
            "customer_id",
            "date",
            "kind",
            "outcome",
            "task_id",
            # the ids `record` writes into the notes of a log without a task id column, which its
            # rows keep once the shop adds one (schedule.tasks.visit_task_ids reads them when the
            # task id cell holds none): read whether or not the log has the column
            "notes",
            # the calls' own next follow-ups and open issues (schedule/followups.py)
            "visit_id",
            "next_action",
            "issue",
            "issue_category",
            "resolved",
        },
    }
    for rule in policy.rules:
        need["customers"] |= set(rule.customer) | set(rule.until)
        if rule.source == "customers" and rule.date_field:
            need["customers"].add(rule.date_field)
        if rule.trigger in ("yearly", "milestone") and rule.date_field:
            need["customers"].add(rule.date_field)
        if rule.source in need:
            need[rule.source] |= set(rule.when) | ({rule.date_field} if rule.date_field else set())
        if (
            rule.source == "purchases"
            and "{products}" in rule.reason_zh + rule.reason_en + rule.script_zh + rule.script_en
        ):
            need["purchases"].add("product")
    return need


def dated(records: Iterable[object], name: str) -> Iterator[tuple[dt.date, object]]:
    """(date, record) for each record whose `name` field holds a date (a time of day dropped)."""
    for rec in records:
        d = getattr(rec, name, None)
        if d is None:
            continue
        if d.__class__ is dt.datetime:
            yield d.date(), rec
        elif d.__class__ is dt.date:
            yield d, rec


_NO_VISITS: tuple[list, dict] = ([], {})  # shared: the callers only read it
_UNSEEN = object()


def _first(item):
    return item[0]


def as_date(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def never_drops(rule: Rule) -> bool:
    """An undone task of this rule stays open (expire_days unset). A while-rule's reminder never
    does: it stays open until the next one falls due (expire_of), whatever expire_days says."""
    return rule.expire_days is None and rule.trigger != "while"


def expire_of(rule: Rule) -> int:
    """Days after the window's end an undone task is dropped. A while-rule's reminder is dropped
    the day the next one falls due (every_days after it), so one is always open while the
    condition holds and none is overdue for longer than the interval (docs/policy.md)."""
    if rule.trigger == "while":
        return max(0, rule.every_days - rule.window_days - 1)
    return NEVER_DROPS if rule.expire_days is None else rule.expire_days


def lookback(rule: Rule) -> int:
    return rule.window_days + expire_of(rule)
