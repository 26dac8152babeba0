"""A column's fast path (archive/converters._first_pass, a list comprehension over the commonest
cell forms) gives what the per-cell parsers of archive/cells.py give, cell for cell, on
generated cells of every kind calamine or a CSV hands over: text with spaces, numbers as
text, mobiles as text or numbers, dates with and without a time, placeholders past 2100,
times of day, booleans, blanks."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup_cli.archive import converters
from followup_cli.archive.schema import BIRTHDAY, BOOL, DATE, DATETIME, ID, INT, MONEY, NUMBER, PHONE, TEXT

TYPES = (TEXT, ID, DATE, DATETIME, BIRTHDAY, PHONE, BOOL, MONEY, NUMBER, INT)

mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
phone_text = st.one_of(
    mobiles,
    mobiles.map(lambda m: f"{m[:3]}-{m[3:7]}-{m[7:]}"),
    mobiles.map(lambda m: f"+86 {m}"),
    mobiles.map(lambda m: f" {m} "),
    st.from_regex(r"1[0-9]{8,12}", fullmatch=True),  # a digit too few or too many
    st.from_regex(r"0[0-9]{2,3}-?[0-9]{7,8}", fullmatch=True),  # a landline
    st.floats(min_value=9e9, max_value=2.1e10),  # a mobile read as a number, or not quite one
    st.sampled_from(
        ["１３８１２３４５６７８", "138１２３４５６７８", "n/a", "无", "13812345678x", 13812345678.5, 1.9e10]
    ),
)
dates = st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(9999, 12, 31))
date_cells = st.one_of(
    dates,
    st.datetimes(min_value=dt.datetime(1800, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    dates.map(lambda d: f"{d.year}/{d.month}/{d.day}"),
    dates.map(lambda d: f"{d.year}年{d.month}月{d.day}日"),
    dates.map(lambda d: d.isoformat() + " 10:30"),
)
cells = st.one_of(
    st.none(),
    st.just(""),
    st.sampled_from(["  ", "是", "否", "Y", "n", "√", "×", "1", "0", "yes", "No", "TRUE", "false", "-"]),
    st.text(max_size=12),
    phone_text,
    mobiles.map(float),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=3e10),
    st.integers(-(10**12), 10**12),
    st.booleans(),
    dates,
    st.datetimes(min_value=dt.datetime(1800, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.times(),
    dates.map(lambda d: f"{d.year}/{d.month}/{d.day}"),
    dates.map(lambda d: f"{d.year}年{d.month}月{d.day}日"),
    dates.map(lambda d: d.isoformat() + " 10:30"),
    st.floats(min_value=1, max_value=80000),  # Excel serials
)


def _one_by_one(ftype: str, raw: list, date_order: str) -> tuple[list, list]:
    """The general path: every cell through its parser, the way a cell the fast path leaves goes."""
    conv = converters.converter(ftype, date_order, False)
    values, bad = [], []
    for k, v in enumerate(raw):
        if v is None or v == "":
            values.append(None)
            continue
        try:
            values.append(conv(v))
        except converters.BadCell as exc:
            bad.append((k, str(exc.problem), exc.ambiguous))
            values.append(exc.value if isinstance(exc, converters.PhoneWarning) else None)
    return values, bad


@settings(max_examples=300, deadline=None)
@given(data=st.data(), ftype=st.sampled_from(TYPES), order=st.sampled_from(["ymd", "dmy"]))
def test_a_columns_fast_path_agrees_with_the_cell_parsers(data, ftype, order):
    # half the cells of the column's own kind (mobiles for a phone column, dates for a date one)
    own = {PHONE: phone_text, DATE: date_cells, DATETIME: date_cells, BIRTHDAY: date_cells}.get(ftype, cells)
    raw = data.draw(st.lists(st.one_of(own, cells), max_size=40))
    values, bad = converters.parse_column(ftype, list(raw), order, False)
    expected_values, expected_bad = _one_by_one(ftype, raw, order)
    assert [(k, str(e.problem), e.ambiguous) for k, e in bad] == expected_bad
    assert values == expected_values
    assert [type(v) for v in values] == [type(v) for v in expected_values]


@pytest.mark.parametrize(
    "ftype, cell, value",
    [
        (PHONE, "13812345678", "13812345678"),
        (PHONE, 13812345678.0, "13812345678"),
        (DATETIME, dt.date(2026, 3, 5), dt.datetime(2026, 3, 5)),
        (DATE, dt.datetime(2026, 3, 5, 10, 30), dt.date(2026, 3, 5)),
    ],
)
def test_the_common_cells_take_the_fast_path(monkeypatch, ftype, cell, value):
    def no_converter(*args):
        raise AssertionError("the converter was asked")

    monkeypatch.setattr(converters, "converter", no_converter)
    assert converters.parse_column(ftype, [cell], "ymd", False) == ([value], [])


@pytest.mark.parametrize(
    "ftype, texts",
    [
        (BIRTHDAY, ["3月5日", "1990-03-05", "农历八月十五", "03-05", "2月30日"]),
        (DATE, ["2025/6/3", "2025年6月3日", "2025.6.3", "6/3/2025", "下个月"]),
        (DATETIME, ["2025/6/3 10:30", "2025-06-03", "2025/13/1"]),
        (PHONE, ["138-1234-5678", "+86 13812345678", "问前台"]),
    ],
)
def test_a_repeated_text_is_parsed_once_and_every_bad_cell_is_still_told(monkeypatch, ftype, texts):
    raw = [texts[k % len(texts)] for k in range(7 * len(texts))]
    expected_values, expected_bad = _one_by_one(ftype, raw, "ymd")
    asked = []
    real = converters.converter

    def counting(*args):
        conv = real(*args)

        def one(v):
            asked.append(v)
            return conv(v)

        return one

    monkeypatch.setattr(converters, "converter", counting)
    values, bad = converters.parse_column(ftype, list(raw), "ymd", False)
    assert values == expected_values
    assert [(k, str(e.problem), e.ambiguous) for k, e in bad] == expected_bad
    assert expected_bad  # each list holds a text that cannot be read, on every seventh row
    unreadable = {raw[k] for k, _, _ in expected_bad}
    # a text read once is not read again; one that could not be read is read (and told) each time
    assert sorted(asked) == sorted([t for t in raw if t in unreadable] + list(set(texts) - unreadable))
