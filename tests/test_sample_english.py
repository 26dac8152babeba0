"""The English sample archive is the Chinese one's shop, in English words a reader knows."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from followup_cli.archive.reading import load_archive
from followup_cli.cli import cli
from followup_cli.text.names import romanise

SAMPLES = Path(__file__).resolve().parents[1] / "sample_workbooks"


def test_the_same_customers_in_both_languages():
    zh = {c.id: c for c in load_archive([SAMPLES / "retail_vip_zh.xlsx"]).customers}
    en = {c.id: c for c in load_archive([SAMPLES / "retail_vip_en.xlsx"]).customers}
    assert zh.keys() == en.keys() and len(zh) == 300
    for cid, c in zh.items():
        e = en[cid]
        assert e.name == romanise(c.name)  # 李娜 → Li Na
        assert re.sub(r"\D", "", str(e.phone))[-11:] == re.sub(r"\D", "", str(c.phone))[-11:]
        assert (e.birthday.month, e.birthday.day, e.birthday.lunar) == (
            c.birthday.month,
            c.birthday.day,
            c.birthday.lunar,
        )
        assert (e.points, e.do_not_contact) == (c.points, c.do_not_contact)


def test_check_finds_the_same_problems_and_no_unknown_words():
    out = {}
    for lang in ("zh", "en"):
        result = CliRunner().invoke(
            cli,
            [
                "check",
                str(SAMPLES / f"retail_vip_{lang}.xlsx"),
                "--as-of",
                "2026-11-23",
                "--format",
                "json",
                "--lang",
                "en",
            ],
        )
        out[lang] = json.loads(result.stdout)
    assert len(out["zh"]) == len(out["en"])
    assert [(p.get("code"), p.get("cell")) for p in out["zh"]] == [(p.get("code"), p.get("cell")) for p in out["en"]]
    assert not [p for p in out["en"] if "unknown" in p["message"]]


def test_the_same_day_gives_the_same_greetings_in_english():
    result = CliRunner().invoke(
        cli, ["due", str(SAMPLES / "retail_vip_en.xlsx"), "--as-of", "2026-11-23", "--format", "json"]
    )
    rows = json.loads(result.stdout)
    assert rows and not any(re.search(r"[\u4e00-\u9fff]", r["customer_name"] + r["reason"]) for r in rows)
