"""Every command's table on a terminal fits it, at 80 and 120 columns, in Chinese and
English, and says what the piped output says once the wrapping is undone; piped, the lines
stay whole (outputs/screen.py: fit_table)."""

from __future__ import annotations

import io
import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup_cli.outputs.screen import display_width
from followup_cli.outputs.screen_fit import Fit, fit_table, record_blocks, write_pieces
from tests.terminal import SAMPLES, on_a_terminal, piped, same_text, widest

SAMPLE = {"zh": "retail_vip_zh.xlsx", "en": "retail_vip_en.xlsx"}
COMMANDS = {
    "columns": ["columns", "{archive}"],
    "presets": ["presets"],
    "presets-one": ["presets", "distributor"],
    "check": ["check", "{archive}", "--as-of", "2026-11-23"],
    "calendar": ["calendar", "2026"],
    "assign-plan": ["assign", "{archive}", "--dry-run"],
    "assign-report": ["assign", "{archive}", "--report"],
    "kpi": ["kpi", "{archive}", "--period", "2026-11", "--by", "staff", "--explain"],
    "kpi-by-store": ["kpi", "{archive}", "--period", "2026-11", "--by", "store"],
    "history": ["history", "{archive}", "C0002", "--as-of", "2026-11-23"],
    "history-owed": ["history", "{archive}", "C0005", "--as-of", "2026-11-23"],
    "due-wide": ["due", "{archive}", "--as-of", "2026-11-23", "--wide"],
}


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_command_fits_the_terminal_and_says_everything(tmp_path, command, lang, columns):
    shutil.copy(SAMPLES / SAMPLE[lang], tmp_path)
    args = [a.format(archive=SAMPLE[lang]) for a in COMMANDS[command]] + ["--lang", lang]
    code, screen = on_a_terminal(args, columns, tmp_path)
    assert code == 0, screen
    assert widest(screen) <= columns, max(screen.split("\n"), key=display_width)
    code, whole = piped(args, tmp_path)
    assert code == 0
    if widest(whole) <= columns:  # what fits is printed as the pipe gets it
        assert screen == whole
    same_text(screen, whole)


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_due_explain_fits_the_terminal_and_cuts_no_reason(tmp_path, lang, columns):
    """due --explain on a terminal is its own compact table (piped it has every column), so
    it is read back against the same command on a terminal wide enough for every line."""
    shutil.copy(SAMPLES / SAMPLE[lang], tmp_path)
    args = ["due", SAMPLE[lang], "--as-of", "2026-11-23", "--explain", "--lang", lang]
    code, screen = on_a_terminal(args, columns, tmp_path)
    assert code == 0, screen
    assert widest(screen) <= columns, max(screen.split("\n"), key=display_width)
    code, wide = on_a_terminal(args, 1000, tmp_path)
    assert widest(wide) > columns and "…" not in screen
    same_text(screen, wide)


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_messages_on_a_terminal_are_wrapped_to_it(tmp_path, lang, columns):
    """kpi's summary (stderr) at the terminal's width, whole when piped, the same words."""
    shutil.copy(SAMPLES / SAMPLE[lang], tmp_path)
    args = ["kpi", SAMPLE[lang], "--period", "2026-11", "--lang", lang]
    code, screen = on_a_terminal(args, columns, tmp_path, stderr=True)
    assert code == 0, screen
    assert widest(screen) <= columns, max(screen.split("\n"), key=display_width)
    code, whole = piped(args, tmp_path, stderr=True)
    assert widest(whole) > columns  # the summary is one line when piped
    assert "".join(screen.split()) == "".join(whole.split())


@pytest.mark.parametrize("command", ["check", "kpi"])
def test_a_kept_result_is_not_played_back_at_another_width(tmp_path, command):
    """A run's output is kept and played back for the same inputs (cli/replay.py): a terminal
    of another width is not the same, so the table is fitted to it again."""
    shutil.copy(SAMPLES / SAMPLE["zh"], tmp_path)
    args = [a.format(archive=SAMPLE["zh"]) for a in COMMANDS[command]] + ["--lang", "zh"]
    cache = tmp_path / "cache"
    widths = [widest(on_a_terminal(args, columns, tmp_path, cache=cache)[1]) for columns in (120, 80, 80, 120)]
    assert widths[1] == widths[2] <= 80 < widths[0] == widths[3] <= 120
    assert any(cache.iterdir())  # kept, and played back for the second run of each width


words = st.text(alphabet=st.sampled_from(list("回访已离职（）；ab cd-ef 2026,.")), max_size=40)
records = st.lists(st.fixed_dictionaries({"id": st.text("C0123", min_size=1, max_size=6), "note": words}), max_size=4)


@given(records, st.integers(30, 90))
def test_a_fitted_table_fits_and_keeps_every_character(rows, width):
    cols = [("id", "编号"), ("note", "说明 notes")]
    pieces = fit_table(rows, cols, width, Fit(wrap=("note",), minimum=8))
    shown = io.StringIO()
    write_pieces(pieces, shown)
    assert widest(shown.getvalue()) <= width
    for piece in pieces:
        if isinstance(piece, tuple):
            shown, shown_cols = piece
            assert len(shown) == len(rows)
            for before, after in zip(rows, shown):
                assert after["id"] == before["id"]  # an id is never broken
                assert "".join(after["note"].split()) == "".join(before["note"].split())


@given(records, st.integers(20, 90))
def test_a_record_block_fits_and_keeps_every_character(rows, width):
    cols = [("id", "编号"), ("note", "说明")]
    lines = record_blocks(rows, cols, width)
    assert all(display_width(line) <= width for line in lines)
    text = "".join("".join(lines).split())
    assert text == "".join("".join(("编号" + r["id"] + "说明" + r["note"]).split()) for r in rows)


HEADS = {  # the call sheet's result columns, by language
    "zh": ("客户编号", "完成日期", "结果", "满意度", "备注"),
    "en": ("Customer ID", "Date done", "Outcome", "Satisfaction", "Notes"),
}
WORDS = {
    "zh": ("已联系", "满意", "客户说新款外套的尺码偏小，希望下次到店时帮她换大一号，并留意有没有同款的其他颜色"),
    "en": ("reached", "satisfied", "says the new coat runs small; wants a size up next visit, and asks for it in blue"),
}


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_record_dry_run_fits_the_terminal(tmp_path, lang, columns):
    """The visit rows `record --dry-run` would append: the notes wrapped, ids and dates whole."""
    from openpyxl import load_workbook

    shutil.copy(SAMPLES / SAMPLE[lang], tmp_path)
    code, _ = piped(["sheet", SAMPLE[lang], "-o", "calls.xlsx", "--as-of", "2026-11-23", "--lang", lang], tmp_path)
    assert code == 0
    wb = load_workbook(tmp_path / "calls.xlsx")
    ws = wb.worksheets[0]
    heads = [c.value for c in ws[1]]
    cid, done, outcome, satisfaction, notes = (heads.index(h) for h in HEADS[lang])
    for row in list(ws.iter_rows(min_row=2))[:3]:
        row[done].value = "2026-11-23"
        row[outcome].value, row[satisfaction].value, row[notes].value = WORDS[lang]
    wb.save(tmp_path / "calls.xlsx")
    args = ["record", SAMPLE[lang], "calls.xlsx", "--dry-run", "--as-of", "2026-11-23", "--lang", lang]
    code, screen = on_a_terminal(args, columns, tmp_path)
    assert code == 0, screen
    assert widest(screen) <= columns, max(screen.split("\n"), key=display_width)
    code, whole = piped(args, tmp_path)
    assert widest(whole) > columns and "…" not in screen
    same_text(screen, whole)


wide_records = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.sampled_from(["C0001", "C0002", "00010"]),
            "name": st.sampled_from(["王艳", "Lin Xiaowen", "Zhou Jian Hua", "（未分配）"]),
            "kind": st.sampled_from(["生日回访", "birthday greeting + points reminder"]),
            "note": words,
        }
    ),
    max_size=5,
)


@given(wide_records, st.integers(24, 100))
def test_every_layout_fits_and_names_every_record(rows, width):
    """Wrapped, noted under the row, grouped or in blocks: no line past `width`, every id whole."""
    cols = [("kind", "类型"), ("id", "客户编号"), ("name", "Name"), ("note", "备注 notes")]
    fit = Fit(wrap=("note",), fold=("name", "kind"), below=("note",), group=("kind",))
    out = io.StringIO()
    write_pieces(fit_table(rows, cols, width, fit), out)
    assert widest(out.getvalue()) <= width
    for r in rows:
        assert r["id"] in out.getvalue()


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_morning_list_cuts_no_name(tmp_path, lang, columns):
    """`due` keeps one line a contact, the reason and kinds shortened; a name, a phone and a
    staff member are never cut."""
    import json

    shutil.copy(SAMPLES / SAMPLE[lang], tmp_path)
    args = ["due", SAMPLE[lang], "--as-of", "2026-11-23", "--lang", lang]
    code, screen = on_a_terminal(args, columns, tmp_path)
    assert code == 0 and widest(screen) <= columns
    tasks = json.loads(piped([*args, "--format", "json"], tmp_path)[1])
    for t in tasks:
        assert t["customer_name"] in screen and t["phone"] in screen
        assert not t["staff"] or t["staff"] in screen
