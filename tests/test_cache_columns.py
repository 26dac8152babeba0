"""The cache's column codec (cache/columns.py): every column comes back equal, and a column
that repeats its values comes back sharing them, as a cold read makes it (converters.shared_values),
with ids interned, so a cached archive takes no more memory than a freshly read one."""

from __future__ import annotations

import datetime as dt
import pickle
import random
import sys

import pytest

from followup_cli.archive.cells import Birthday
from followup_cli.cache.columns import decode_column, encode_column


def _round_trip(col, name=""):
    return decode_column(pickle.loads(pickle.dumps(encode_column(col, name))))


rng = random.Random(7)
DAYS = [dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(60)) for _ in range(5000)]
STORES = [rng.choice(["静安寺店", "淮海路店", None]) for _ in range(5000)]
STAMPS = [dt.datetime(2026, 5, 1, 9, 30) + dt.timedelta(minutes=rng.randrange(40)) for _ in range(5000)]
UNIQUE = [f"C{i:07d}" for i in range(5000)]


@pytest.mark.parametrize(
    "col",
    [
        DAYS,
        DAYS[:3] + [None],
        STORES,
        STAMPS,
        UNIQUE,
        [1.5, None, 2.0, -0.0, 0.0] * 1000,  # numbers are kept as they are (-0.0 stays -0.0)
        [True, False, None, 1, 0] * 1000,  # True and 1 are not the same cell
        [Birthday(3, 5, True, False, None), None, Birthday(12, 1, False, False, 1990)] * 10,
        ["C1", 5.0, None] * 10,
    ],
)
def test_every_column_comes_back_equal_with_its_types(col):
    back = _round_trip(col)
    assert back == col
    assert [type(v) for v in back] == [type(v) for v in col]
    assert [str(v) for v in back] == [str(v) for v in col]


@pytest.mark.parametrize("col", [DAYS, STORES, STAMPS])
def test_a_repeating_column_comes_back_sharing_its_values(col):
    back = _round_trip(col)
    assert len({id(v) for v in back if v is not None}) == len({v for v in col if v is not None})


def test_ids_come_back_interned():
    ids = [f"C{i % 900:07d}" for i in range(3000)]  # a purchases sheet: customers repeat
    back = _round_trip(ids, "customer_id") + _round_trip(UNIQUE, "id")
    assert all(v is sys.intern(v) for v in back)
    assert back[:3000] == ids
