"""due's json written a block of rows at a time (issue 16: the whole text at once was three copies
of it in memory) is the text written at once, and reads back as the rows."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from followup_cli.outputs.rows import emit_rows


@pytest.mark.parametrize("n", [0, 1, 1999, 2000, 2001, 4500])
def test_json_written_a_block_at_a_time_is_the_text_written_at_once(n):
    rows = [
        {"task_id": f"T{k}", "姓名": "王芳", "due": dt.date(2026, 11, 1 + k % 20), "n": k, "x": None} for k in range(n)
    ]
    out = io.StringIO()
    emit_rows(rows, "json", stream=out)
    lines = [json.dumps({**r, "due": r["due"].isoformat()}, ensure_ascii=False) for r in rows]
    assert out.getvalue() == "[\n" + ",\n".join(lines) + ("\n]\n" if rows else "]\n")
    assert json.loads(out.getvalue()) == [{**r, "due": r["due"].isoformat()} for r in rows]
