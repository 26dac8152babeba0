"""A schedule worked out once for the same inputs: `due` twice, or `record` right after the
`sheet` it imports, does not schedule again.

The key is everything a schedule is made from: the archive exactly as read (the content
key of every file and sheet, from cache/sheets.py, with the roles read and how cells are
read, but not which columns: a schedule reads only the columns `needed_fields` names, so
it is kept and used only when the archive was read with at least those, and `due`, `sheet`
and `record`, which read different column sets, share it), all of
followup.toml and the options (as-of date, days ahead, kinds, staff, store), and followup's
version (a digest of its whole source and of the calendar packages it uses). It is used only
when the archive's files have not changed since they were read and no record was added in
memory since.

A Schedule is stored as plain values: each task's customer and visit as their position in
the archive (checked against their row when read back), its rule by id (a task whose rule is
not the policy's own is not stored), the policy and work calendar rebuilt from the settings.
"""

from __future__ import annotations

import dataclasses
import weakref
from typing import TYPE_CHECKING

from followup_cli.cache import reuse, sheets, store
from followup_cli.schedule import engine

if TYPE_CHECKING:
    from collections.abc import Callable

    from followup_cli.archive.records import Archive
    from followup_cli.config import Config
    from followup_cli.policy.setup import PolicySetup
    from followup_cli.schedule.tasks import Schedule

KIND = "schedule"
_REC, _RULE, _TUPLE, _SAME = "\0rec", "\0rule", "\0tuple", "\0setup"

# id(archive) → (weak reference, identity): set when load_archive read it through the cache
_identities: dict[int, tuple] = {}


class _NotKept(Exception):
    """Something in the schedule this format does not keep: computed, not stored."""


def register(archive: Archive, identity: bytes | None) -> None:
    """Called by load_archive: the content key of what was read, or None."""
    if identity is None:
        _identities.pop(id(archive), None)
        return
    counts = _counts(archive)
    _identities[id(archive)] = (weakref.ref(archive), identity, counts)


def _counts(archive) -> tuple:
    from followup_cli.archive.records import RECORD_CLASSES

    return tuple(len(archive.records(role)) for role in RECORD_CLASSES)


def _identity(archive):
    entry = _identities.get(id(archive))
    if entry is None or entry[0]() is not archive:
        return None
    _, identity, counts = entry
    if counts != _counts(archive) or not identity.unchanged():
        return None  # records added in memory, or a file written since it was read
    return identity


def _covers(fields, policy) -> bool:
    """Whether an archive read with `fields` ({role: names}, None: every column) holds every
    column scheduling reads, so its schedule is the one any fuller read would give."""
    if fields is None:
        return True
    from followup_cli.schedule.context import needed_fields

    return all(role not in fields or need <= set(fields[role]) for role, need in needed_fields(policy).items())


def _version() -> bytes:
    if "schedule" not in sheets._version:
        sheets._version["schedule"] = store.digest(
            sheets.reader_version(), store.package_fingerprint("chinese_calendar", "borax", "lunardate", "lunar_python")
        )
    return sheets._version["schedule"]


def _settings(config) -> tuple:
    out = []
    for f in dataclasses.fields(config):
        if f.compare:  # not the things policy.setup built from the settings
            out.append((f.name, sheets._plain(getattr(config, f.name))))
    out.append(("preset file", _preset_digest(config.preset)))
    return tuple(out)


def _preset_digest(preset: object) -> bytes | None:
    """The content of the file the preset is read from (policy.rules.load_preset). A shipped
    preset is in followup's source digest already, but a preset is a file name under
    policy/presets/ that can lead out of it (--preset ../../shop/mine)."""
    import hashlib
    from importlib import resources

    try:
        path = resources.files("followup_cli.policy") / "presets" / f"{preset}.toml"
        return hashlib.blake2b(path.read_bytes(), digest_size=32).digest()
    except (OSError, ValueError, TypeError):
        return None


def schedule(
    archive: Archive, config: Config, setup: PolicySetup, args: tuple, compute: Callable[[], Schedule]
) -> Schedule:
    """`compute()` (a Schedule), or the one it gave before for exactly these inputs."""
    if not store.enabled():
        return compute()
    identity = _identity(archive)
    if identity is None or not _covers(identity.fields, setup.policy):
        # changed since it was read, not read through the cache, or without a column it needs
        sheets.events.append(("", "schedule", "not-cached"))
        return compute()
    ident = identity.key
    key = store.digest(_version(), ident, _settings(config), sheets._plain(args))
    name = store.digest(KIND, identity.name)
    value = store.load(KIND, name, key)
    if value is not None:
        try:
            result = _decode_schedule(value, archive, setup)
            sheets.events.append(("", "schedule", "hit"))
            return result
        except Exception:
            pass
    base, visits, helper = _reuse_for(identity, archive, config, setup, args, name)
    token = engine.REUSE.set(helper) if helper is not None else None
    try:
        result = compute()
    finally:
        if token is not None:
            engine.REUSE.reset(token)
    if helper is not None:
        sheets.events.append(("", "schedule-reuse", (helper.reused, helper.scheduled)))
    try:
        encoded = _encode_schedule(result, archive, setup, helper.rows if helper is not None else None)
    except _NotKept:
        encoded = None
    again = _identity(archive)
    stored = encoded is not None and again is not None and again.key == ident and store.save(KIND, name, key, encoded)
    sheets.events.append(("", "schedule", "stored" if stored else "not-stored"))
    if stored and base is not None:
        try:
            store.save(reuse.KIND, name, base, reuse.index(result, archive, key, visits))
        except Exception:  # not kept: the next run schedules every customer
            pass
    return result


def _reuse_for(identity, archive, config, setup, args, name):
    """(the key without the visit sheets, the visits as compared, a Reuse or None): what lets a
    run after `record` schedule only the customers whose visits changed (cache/reuse.py)."""
    try:
        base = reuse.base_key(identity, archive, _version(), _settings(config), sheets._plain(args))
        if base is None:
            return None, None, None
        visits = reuse.Visits(archive)
        kept = store.load(reuse.KIND, name, base)
        old = store.load(KIND, name, kept["key"]) if kept is not None else None
        if old is None:
            return base, visits, None
        return base, visits, reuse.Reuse(archive, setup, sheets._plain(args), kept, old, visits, _dec)
    except Exception:  # anything unexpected: every customer is scheduled
        return None, None, None


# ---- encoding ---------------------------------------------------------------------------


class _Refs:
    def __init__(self, archive, setup):
        from followup_cli.archive.records import RECORD_CLASSES

        self.archive = archive
        self.roles = {cls: role for role, cls in RECORD_CLASSES.items()}
        self.index: dict[str, dict[int, int]] = {}
        self.rules = {r.id: r for r in setup.policy.rules}
        self.setup = setup

    def record(self, obj, role):
        idx = self.index.get(role)
        if idx is None:
            idx = self.index[role] = {id(r): k for k, r in enumerate(self.archive.records(role))}
        k = idx.get(id(obj))
        if k is None:
            raise _NotKept(f"a {role} record that is not in the archive")
        return (_REC, role, k, obj.row)


_PLAIN = frozenset((str, int, float, bool))  # kept as they are (_enc returns them unchanged)


def _enc(value, refs: _Refs):
    """Plain values as they are (the very object when nothing inside needed changing);
    records and rules as references; tuples tagged."""
    t = type(value)
    if t in _PLAIN or value is None:
        return value
    if t is list:
        out = [_enc(v, refs) for v in value]
        return value if all(a is b for a, b in zip(out, value)) else out
    if t is dict:
        out = {k: _enc(v, refs) for k, v in value.items()}
        return value if all(out[k] is v for k, v in value.items()) else out
    if t is tuple:
        return (_TUPLE, *[_enc(v, refs) for v in value])
    role = refs.roles.get(t)
    if role is not None:
        return refs.record(value, role)
    if t.__name__ == "Rule" and t.__module__.startswith("followup_cli.policy"):
        if refs.rules.get(value.id) is not value:
            raise _NotKept("a rule that is not the policy's own")
        return (_RULE, value.id)
    return value  # a date, a Birthday, a Msg ...: the pickler refuses what it cannot keep


def _dec(value, archive, rules):
    t = type(value)
    if t is list:
        return [_dec(v, archive, rules) for v in value]
    if t is dict:
        return {k: _dec(v, archive, rules) for k, v in value.items()}
    if t is tuple:
        tag = value[0]
        if tag == _REC:
            _, role, k, row = value
            rec = archive.records(role)[k]
            if rec.row != row:
                raise ValueError("the archive's records are not where they were")
            return rec
        if tag == _RULE:
            return rules[value[1]]
        if tag == _TUPLE:
            return tuple(_dec(v, archive, rules) for v in value[1:])
        raise ValueError(f"unknown tag {tag!r}")
    return value


def _encode_tasks(tasks, names, refs, known=None) -> tuple:
    """(rows of encoded values, the positions that hold a reference somewhere): only those
    are looked at again when the schedule is read back. `known`: id(task) → (row, positions)
    of tasks taken unchanged from a stored schedule (cache/reuse.py)."""
    rows, special = [], set()
    for task in tasks:
        if known:
            found = known.get(id(task))
            if found is not None:
                rows.append(found[0])
                special.update(found[1])
                continue
        row = []
        for k, n in enumerate(names):
            v = getattr(task, n)
            if v is None or v.__class__ in _PLAIN:  # most fields: no call
                row.append(v)
                continue
            e = _enc(v, refs)
            if e is not v:
                special.add(k)
            row.append(e)
        rows.append(tuple(row))
    return rows, sorted(special)


def _encode_schedule(result, archive, setup, known=None):
    from followup_cli.schedule.tasks import Schedule, Task

    if type(result) is not Schedule:
        raise _NotKept("not a Schedule")
    refs = _Refs(archive, setup)
    task_names = tuple(f.name for f in dataclasses.fields(Task))
    fields = {}
    for f in dataclasses.fields(Schedule):
        value = getattr(result, f.name)
        if f.name == "policy":
            if value is not setup.policy:
                raise _NotKept("another policy")
            fields[f.name] = (_SAME, "policy")
        elif f.name == "workcal":
            if value is not setup.workcal and value is not None:
                raise _NotKept("another work calendar")
            fields[f.name] = (_SAME, "workcal") if value is not None else None
        elif type(value) is list and all(type(t) is Task for t in value):
            if any(type(t) is not Task for t in value):
                raise _NotKept("a task of another class")
            fields[f.name] = ("tasks", *_encode_tasks(value, task_names, refs, known))
        else:
            fields[f.name] = ("value", _enc(value, refs))
    return {"task_fields": task_names, "fields": fields}


def _decode_schedule(value, archive, setup):
    from followup_cli.schedule.tasks import Schedule, Task

    task_names = tuple(f.name for f in dataclasses.fields(Task))
    if tuple(value["task_fields"]) != task_names:
        raise ValueError("other task fields")
    if set(value["fields"]) != {f.name for f in dataclasses.fields(Schedule)}:
        raise ValueError("other schedule fields")
    rules = {r.id: r for r in setup.policy.rules}
    kwargs = {}
    for name, v in value["fields"].items():
        if v is None:
            kwargs[name] = None
        elif v[0] == _SAME:
            kwargs[name] = getattr(setup, v[1])
        elif v[0] == "tasks":
            _, rows, special = v
            tasks = []
            for t in rows:
                t = list(t)
                for k in special:
                    t[k] = _dec(t[k], archive, rules)
                tasks.append(Task(*t))
            kwargs[name] = tasks
        else:
            kwargs[name] = _dec(v[1], archive, rules)
    return Schedule(**kwargs)
