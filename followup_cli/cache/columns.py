"""One column of records as plain values for the cache (cache/sheets.py, cache/reuse.py), and back."""

from __future__ import annotations

import datetime as dt
from operator import attrgetter
from sys import intern

# A pickled date costs 25 bytes and several calls (its class is named again each time without
# the memo): a column of dates goes as ordinals, of date-times as ISO text, of birthdays as
# tuples; 20x faster to write and 3x to read, measured on 400,000 dates. A column that repeats
# its values (a store, a staff name, a day; the reader made each one object, converters.
# shared_values) goes as its distinct values and each cell's position among them, so reading
# it back makes each value once and shares it again, as a cold read does; ids are interned
# again, so a purchase's customer id is the customer's own string.
_SAMPLE = 2000  # cells looked at to tell whether a column repeats its values
_IDS = ("id", "customer_id")


def encode_column(col: list, name: str = "") -> tuple:
    from dataclasses import fields as dc_fields

    from followup_cli.archive.cells import Birthday

    if col.count(None) == len(col):  # a field not read (`due` reads few): one pass at C speed
        return ("none",)
    kinds = set(map(type, col)) - {type(None)}
    if kinds == {dt.date}:
        return _shared("date", [None if v is None else v.toordinal() for v in col])
    if kinds == {dt.datetime}:
        return _shared("datetime", [None if v is None else v.isoformat() for v in col])
    if kinds == {Birthday}:
        names = tuple(f.name for f in dc_fields(Birthday))
        get = attrgetter(*names)
        return ("birthday", names, [None if v is None else get(v) for v in col])
    if kinds == {str}:
        return _shared("ids" if name in _IDS else "values", col)
    return ("values", col)  # the pickler in store.save refuses a value it cannot keep


def _shared(kind: str, encoded: list) -> tuple:
    """(kind, encoded), or ("shared", kind, distinct values, positions) when the column repeats.
    Only ints, text and None come here: no two of them are equal unless interchangeable."""
    sample = encoded[:_SAMPLE]
    if len(set(sample)) * 2 > len(sample):
        return (kind, encoded)
    index: dict = {}
    put = index.setdefault
    positions = [put(v, len(index)) for v in encoded]
    return ("shared", kind, list(index), positions)


def decode_column(c: tuple) -> list:
    if c[0] == "shared":
        distinct = decode_column((c[1], c[2]))
        return list(map(distinct.__getitem__, c[3]))
    if c[0] == "date":
        fromordinal = dt.date.fromordinal
        return [None if v is None else fromordinal(v) for v in c[1]]
    if c[0] == "datetime":
        fromiso = dt.datetime.fromisoformat
        return [None if v is None else fromiso(v) for v in c[1]]
    if c[0] == "birthday":
        from dataclasses import fields as dc_fields

        from followup_cli.archive.cells import Birthday

        if tuple(f.name for f in dc_fields(Birthday)) != tuple(c[1]):
            raise ValueError("another Birthday")
        return [None if v is None else Birthday(*v) for v in c[2]]
    if c[0] == "values":
        return c[1]
    if c[0] == "ids":
        return [intern(v) if v.__class__ is str else v for v in c[1]]
    raise ValueError(f"unknown column encoding {c[0]!r}")
