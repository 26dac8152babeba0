"""The one-scan sheet extent (xlsx/extent.py) against the plain count of every reference, on
generated worksheet parts: rows in order, shuffled or reversed, formatting-only cells, wide
and narrow columns, prefixed tags, references beyond Excel, and chunks small enough that a
part is read in many pieces."""

from __future__ import annotations

import random
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup_cli.errors import UnreadableFile
from followup_cli.xlsx import bounds, extent
from followup_cli.xlsx.refs import col_index, col_letters


def _reference(zf, info, path, sheet):
    """The extent as counted before the one-scan search: a list of every reference per chunk."""
    max_row, widest = 0, b""
    for data in bounds._chunks_with_carry(zf, info, path):
        found = extent.by_findall(data, max_row, widest)
        if found is None:
            return "beyond", extent.beyond(data)
        max_row, widest = found
    if widest:
        return max_row, col_index(widest)
    if max_row * 26 <= bounds.MAX_SHEET_CELLS:
        return max_row, 26
    narrow = b""
    for data in bounds._chunks_with_carry(zf, info, path):
        found = extent.NARROW_CELL_RE.findall(data)
        if found:
            narrow = max(narrow, max(found))
    return max_row, col_index(narrow) if narrow else 0


def _fast(zf, info, path, sheet):
    try:
        return bounds.sheet_extent(zf, info, path, sheet)
    except UnreadableFile as exc:
        return "beyond", exc.message


cells = st.tuples(
    st.integers(1, 3000),  # row
    st.one_of(st.integers(1, 30), st.integers(1, 800), st.sampled_from([1, 26, 27, 702, 703, 16384, 16385, 20000])),
    st.booleans(),  # holds a value
)


def _sheet_xml(items, order: str, prefix: str, seed: int, extra_refs: list[str]) -> bytes:
    rows: dict[int, list] = {}
    for r, c, value in items:
        rows.setdefault(r, []).append((c, value))
    numbers = sorted(rows)
    if order == "shuffled":
        random.Random(seed).shuffle(numbers)
    elif order == "reversed":
        numbers.reverse()
    p = f"{prefix}:" if prefix else ""
    ns = f' xmlns{":" + prefix if prefix else ""}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    out = [f"<{p}worksheet{ns}><{p}sheetData>"]
    for r in numbers:
        out.append(f'<{p}row r="{r}" spans="1:9">')
        for c, value in rows[r]:
            ref = f"{col_letters(c)}{r}"
            if value:
                out.append(f'<{p}c r="{ref}" s="1" t="n"><{p}v>{r * 7}</{p}v></{p}c>')
            else:
                out.append(f'<{p}c r="{ref}" s="2"/>')
        out.append(f"</{p}row>")
    for ref in extra_refs:
        out.append(f'<{p}row r="9"><{p}c r="{ref}"><{p}v>1</{p}v></{p}c></{p}row>')
    out.append(f"</{p}sheetData>" + "<x:pad>" + "z" * 5000 + "</x:pad>" + f"</{p}worksheet>")
    return "".join(out).encode()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    items=st.lists(cells, min_size=0, max_size=400),
    order=st.sampled_from(["ordered", "shuffled", "reversed"]),
    prefix=st.sampled_from(["", "x"]),
    seed=st.integers(0, 1000),
    chunk=st.sampled_from([64, 300, 4096, 1 << 20]),
    tail=st.sampled_from([16, 200, 4096]),
    extra=st.lists(st.sampled_from(["AAAA1", "A12345678", "XFD1048577", "B7"]), max_size=1),
    cell_limit=st.sampled_from([20_000_000, 5_000]),
)
def test_one_scan_agrees_with_the_plain_count(
    tmp_path, monkeypatch, items, order, prefix, seed, chunk, tail, extra, cell_limit
):
    monkeypatch.setattr(bounds, "CHUNK", chunk)
    monkeypatch.setattr(extent, "TAIL", tail)
    monkeypatch.setattr(bounds, "MAX_SHEET_CELLS", cell_limit)  # small: the single-letter pass runs too
    path = tmp_path / f"s{seed}-{chunk}.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", _sheet_xml(items, order, prefix, seed, extra))
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        expected = _reference(zf, info, path, "S")
        got = _fast(zf, info, path, "S")
    if expected[0] == "beyond":
        m = expected[1]
        ref = (m.group(1) if m.re is extent.ROW_TAG_RE else m.group(0).split(b'"')[1]).decode()
        assert got[0] == "beyond" and ref in str(got[1])
    else:
        assert got == expected


def test_a_row_tag_numbered_past_excel_is_refused_but_a_cell_value_is_not(tmp_path):
    ok = b'<worksheet><sheetData><row r="1"><c r="A1" t="str"><v>r="123456789"</v></c></row></sheetData></worksheet>'
    bad = b'<worksheet><sheetData><row spans="1:1" r="123456789"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
    for name, xml in (("ok", ok), ("bad", bad)):
        with zipfile.ZipFile(tmp_path / f"{name}.xlsx", "w") as zf:
            zf.writestr("xl/worksheets/sheet1.xml", xml)
    with zipfile.ZipFile(tmp_path / "ok.xlsx") as zf:
        assert bounds.sheet_extent(zf, zf.getinfo("xl/worksheets/sheet1.xml"), tmp_path / "ok.xlsx", "S") == (1, 26)
    with zipfile.ZipFile(tmp_path / "bad.xlsx") as zf, pytest.raises(UnreadableFile, match="123456789"):
        bounds.sheet_extent(zf, zf.getinfo("xl/worksheets/sheet1.xml"), tmp_path / "bad.xlsx", "S")


@pytest.mark.parametrize("n", [0, 1, 9, 10, 99, 100, 50001, 999_999, 1_048_576])
def test_the_digits_pattern_matches_exactly_the_greater_numbers(n):
    import re

    above = re.compile(b"(?:" + extent._digits_above(n) + b")$")
    for k in sorted({0, 1, 2, n - 1, n, n + 1, n + 2, n * 10, n * 10 + 9, 10 ** len(str(n)), 10 ** len(str(n)) - 1}):
        if k >= 0:
            matched = bool(above.match(str(k).encode()))
            assert matched == (k > n) or (n == 0 and matched), k  # 0: any number, a look too many at most


@pytest.mark.parametrize("widest", [b"", b"A", b"Z", b"AA", b"AZ", b"BA", b"ZZ", b"AAA", b"XFD", b"ZZY", b"ZZZ"])
def test_the_letters_pattern_matches_exactly_the_wider_columns(widest):
    import re

    above = re.compile(b"(?:" + extent._letters_above(widest) + b")$")
    for c in (1, 2, 25, 26, 27, 28, 52, 53, 702, 703, 704, 16384, 18278):
        name = col_letters(c).encode()
        if len(name) >= 2:
            assert bool(above.match(name)) == (extent.wider(name, widest) == name and name != widest), name


def test_a_part_whose_last_input_inflates_past_one_chunk_is_read_whole(tmp_path, monkeypatch):
    # A long run at the end of a part: zlib takes in the last compressed bytes and holds more
    # output than one chunk, which it hands out only when asked again with no more input
    # (found by the test above: once called "the compressed data ends early").
    monkeypatch.setattr(bounds, "CHUNK", 64)
    body = _sheet_xml([(238, 27, True)], "ordered", "", 0, [])
    with zipfile.ZipFile(tmp_path / "z.xlsx", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", body)
    with zipfile.ZipFile(tmp_path / "z.xlsx") as zf:
        assert b"".join(bounds.inflate(zf, zf.getinfo("xl/worksheets/sheet1.xml"), tmp_path / "z.xlsx")) == body


refs = st.one_of(
    st.tuples(
        st.sampled_from(["A", "F", "G", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD", "ABCD"]), st.integers(0, 10**9)
    ),
    st.tuples(st.just(""), st.integers(0, 10**9)),  # a row tag's number
)
KIND = {"beyond": "beyond", "beyond8": "beyond", "rowtag": "rowtag", "row": "cell", "col": "cell", "narrow": "cell"}


def _plain_pattern(max_row: int, widest: bytes) -> bytes:
    """The scanner as it was first written: one alternation of the cases, `beyond` first."""
    return (
        rb' r="(?:(?P<beyond>[A-Z]{4,}\d+"|[A-Z]{1,3}\d{8,}")|(?P<rowtag>\d{8,}")'
        rb"|[A-Z]{1,3}(?P<row>" + extent._digits_above(max_row) + rb')"(?!(?: [\w:.-]+="[^"<>/]*")*\s*/>)'
        rb"|(?P<col>" + extent._letters_above(widest) + rb')\d+"(?!(?: [\w:.-]+="[^"<>/]*")*\s*/>))'
    )


@settings(max_examples=300, deadline=None)
@given(
    items=st.lists(st.tuples(refs, st.booleans()), min_size=1, max_size=60),
    max_row=st.one_of(st.integers(0, 12), st.integers(0, 2_000_000), st.sampled_from([9, 99, 100001, 9999999])),
    widest=st.sampled_from([b"", b"AA", b"AZ", b"ZZ", b"AAA", b"ZZZ"]),
    narrow=st.sampled_from([b"", b"A", b"F", b"Y", b"Z"]),
)
def test_the_quick_and_the_exact_search_stop_where_the_plain_one_does(items, max_row, widest, narrow):
    """At every reference: the exact scanner matches what the plain alternation matches (plus a
    value cell in a one-letter column past `narrow`, while no column is wider than Z), and the
    quick one, used while none is, stops at the same references, or at one of two letters or
    more for the exact one to judge."""
    import re

    parts = []
    for (letters, number), value in items:
        ref = f"{letters}{number}"
        parts.append(f'<c r="{ref}" s="1"><v>1</v></c>' if value else f'<c r="{ref}" s="2"/>')
    data = "".join(parts).encode()
    plain = re.compile(_plain_pattern(max_row, widest))
    exact = extent._scanner(max_row, widest, b"" if widest else narrow)
    quick = extent._quick(max_row, narrow)
    one_letter = re.compile(rb' r="([A-Z])\d+"(?!(?: [\w:.-]+="[^"<>/]*")*\s*/>)')
    for start in (m.start() for m in re.finditer(rb' r="', data)):
        p, e = plain.match(data, start), exact.match(data, start)
        n = one_letter.match(data, start)
        if p is None and not widest and n is not None and n.group(1) > narrow and narrow < b"Z":
            assert e is not None and e.lastgroup == "narrow" and e.end() == n.end()
        else:
            assert (e and (KIND[e.lastgroup], e.end())) == (p and (KIND[p.lastgroup], p.end())), data[
                start : start + 40
            ]
        if widest or max_row >= 10_000_000:
            continue  # the quick search is not used then
        q = quick.match(data, start)
        moves = e is not None and not (e.lastgroup == "row" and int(e.group("row")) <= max_row)  # 0 is "past" 0
        if moves:  # the quick search stops here too: at the same cell, or for the exact one to judge
            assert q is not None, data[start : start + 40]
        if q is not None and q.lastgroup not in extent._JUDGE:
            assert (KIND[q.lastgroup], q.end()) == (e and (KIND[e.lastgroup], e.end())), data[start : start + 40]


def _verdict(check, zf, info, path):
    try:
        check(zf, info, path, "S")
        return "accepted"
    except UnreadableFile as exc:
        return str(exc.message)


def _exact_check(zf, info, path, sheet):
    """check_sheet as it was before the quick search: every chunk counted."""
    rows, cols = bounds.sheet_extent(zf, info, path, sheet)
    if rows > bounds.MAX_ROW or cols > bounds.MAX_COL or rows * cols > bounds.MAX_SHEET_CELLS:
        raise UnreadableFile(path, f"too big {rows}x{cols}")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    items=st.lists(cells, min_size=0, max_size=300),
    order=st.sampled_from(["ordered", "shuffled", "reversed"]),
    seed=st.integers(0, 1000),
    chunk=st.sampled_from([64, 300, 1 << 20]),
    extra=st.lists(
        st.sampled_from(
            ["T999999", "U99999", "Z5", "A1000000", "T1048576", "S1048576", "AA1", "XFD1048577", "A12345678", "B7"]
        ),
        max_size=2,
    ),
    cell_limit=st.sampled_from([20_000_000, 19_999_979, 5_000]),
)
def test_the_quick_check_refuses_exactly_what_the_exact_count_refuses(
    tmp_path, monkeypatch, items, order, seed, chunk, extra, cell_limit
):
    monkeypatch.setattr(bounds, "CHUNK", chunk)
    monkeypatch.setattr(bounds, "MAX_SHEET_CELLS", cell_limit)
    path = tmp_path / f"q{seed}-{chunk}.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", _sheet_xml(items, order, "", seed, extra))
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        exact = _verdict(_exact_check, zf, info, path)
        quick = _verdict(bounds.check_sheet, zf, info, path)
    assert (quick == "accepted") == (exact == "accepted"), (quick, exact)


@pytest.mark.parametrize(
    ("xml", "inside"),
    [
        (b'<row r="999999"><c r="T999999" s="1"><v>1</v></c></row>', True),
        (b'<row r="5"><c r="U5"><v>1</v></c></row>', False),  # past T: counted
        (b'<row r="5"><c r="AB5"><v>1</v></c></row>', False),
        (b'<row r="1000000"><c r="A1000000"><v>1</v></c></row>', False),
        (b'<row r="1000000"><c r="A1"><v>1</v></c></row>', True),  # a row tag alone places no cell
        (b'<x:row r="3"><x:c r="B3" t="s"><x:v>7</x:v></x:c></x:row>', True),
    ],
)
def test_inside_passes_only_chunks_within_t999999(xml, inside):
    assert extent.inside(xml) is inside
