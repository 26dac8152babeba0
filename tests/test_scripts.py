"""Scripts that sound right: greetings, names, staff, titles, late greetings, language."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from followup_cli.text.names import english_surname, romanise, salutation
from followup_cli.text.scripts import late, polish, staff_for_script
from tests.helpers import archive, customer

D = dt.date


@pytest.mark.parametrize(
    "name, gender, lang, expected",
    [
        ("欧阳明", None, "zh", "尊敬的贵宾"),
        ("欧阳明", "", "zh", "尊敬的贵宾"),
        ("欧阳明", "男", "zh", "欧阳先生您好"),
        ("李娜", "女", "zh", "李女士您好"),
        ("", "女", "zh", "尊敬的贵宾"),
        ("李娜", "女", "en", "Dear Ms Li"),
        ("吴磊", "男", "en", "Dear Mr Wu"),
        ("Li Na", "F", "en", "Dear Ms Li"),
        ("Min Wu", "male", "en", "Dear Mr Wu"),
        ("吴磊", None, "en", "Dear valued customer"),
    ],
)
def test_salutation(name, gender, lang, expected):
    assert salutation(name, gender, lang) == expected


def test_romanised_names_put_the_surname_first():
    assert romanise("李娜") == "Li Na" and romanise("欧阳明") == "Ouyang Ming" and romanise("曾伟") == "Zeng Wei"
    assert romanise("Zhou Jianhua") == "Zhou Jianhua"
    assert english_surname("Zhou Jianhua") == "Zhou" and english_surname("Anna Smith") == "Smith"


def test_no_empty_staff_and_no_doubled_title():
    assert staff_for_script("", "zh") == "客服" and staff_for_script(None, "en") == "the customer service team"
    assert staff_for_script("林晓雯", "en") == "Lin Xiaowen"
    assert polish("我是锦绣店的李医生医生。", "zh") == "我是锦绣店的李医生。"
    assert polish("我是锦绣店客服客服。", "zh") == "我是锦绣店客服。"
    assert polish("this is Dr the customer service team from X", "en") == "this is the customer service team from X"


def test_a_late_greeting_says_it_is_late():
    on_time = late("王女士您好，今天是您的生日，锦绣祝您生日快乐！", "birthday", D(2026, 11, 17), D(2026, 11, 17), "zh")
    assert "今天是您的生日" in on_time and "迟到" not in on_time
    text = late("王女士您好，今天是您的生日，锦绣祝您生日快乐！", "birthday", D(2026, 11, 17), D(2026, 11, 20), "zh")
    assert "今天是您的生日" not in text and "11月17日" in text and "迟到的祝福" in text
    en = late(
        "Dear Ms Wang, happy birthday from all of us at Acme!", "birthday", D(2026, 11, 17), D(2026, 11, 20), "en"
    )
    assert en == "Dear Ms Wang, a belated happy birthday from all of us at Acme!"
    assert late("Hi", "product_use", D(2026, 11, 1), D(2026, 11, 20), "zh") == "Hi"


def _sheet_scripts(tmp_path, *args, customers):
    from click.testing import CliRunner

    from followup_cli.cli import cli

    path = archive(tmp_path, customers=customers)
    out = tmp_path / "calls.xlsx"
    result = CliRunner().invoke(cli, ["sheet", str(path), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    ws = load_workbook(out).worksheets[0]
    headers = [c.value for c in ws[1]]
    col = next(i for i, h in enumerate(headers) if h in ("话术 / 短信内容", "Script / SMS text"))
    return [row[col] for row in ws.iter_rows(min_row=2, values_only=True)]


def test_call_sheet_scripts_sound_right(tmp_path):
    late_birthday = customer("C1", "欧阳明", gender=None, birthday=D(1980, 11, 17), owner="")
    scripts = _sheet_scripts(tmp_path, "--as-of", "2026-11-20", customers=[late_birthday])
    (script,) = [s for s in scripts if s and "生日" in s]
    assert script.startswith("尊敬的贵宾") and "迟到的祝福" in script and "尊敬的欧阳明" not in script
    scripts = _sheet_scripts(
        tmp_path,
        "--as-of",
        "2026-11-20",
        "--lang",
        "en",
        "--overwrite",
        customers=[customer("C1", "吴磊", gender="男", birthday=D(1980, 11, 17))],
    )
    (english,) = [s for s in scripts if s and "birthday" in s]
    assert english.startswith("Dear Mr Wu") and "吴磊" not in english and "belated" in english
    assert all("吴磊" not in s for s in scripts if s)
