"""Chinese everywhere: click's own usage errors, the "Error:" prefix, --help and our own
messages follow --lang, FOLLOWUP_LANG and the locale."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_cli.cli import cli
from tests.helpers import archive, customer

SAMPLES = Path(__file__).resolve().parents[1] / "sample_workbooks"
ZH_ENVS = [{"FOLLOWUP_LANG": "zh"}, {"LANG": "zh_CN.UTF-8", "FOLLOWUP_LANG": "", "LC_ALL": ""}]
EN_ENV = {"FOLLOWUP_LANG": "en"}


def run(args, env=None):
    return CliRunner(env=env or {}).invoke(cli, [str(a) for a in args])


@pytest.fixture
def book(tmp_path):
    return archive(tmp_path, customers=[customer(birthday=dt.date(1990, 11, 23))])


# (arguments, the Chinese that must appear, the English click or we print otherwise)
CASES = [
    (["due", "{book}", "--as-of", "2026-13-01"], "不是日期", "is not a date"),
    (["due", "{book}", "--bogus"], "没有选项 '--bogus'", "No such option"),
    (["due"], "缺少参数", "Missing argument"),
    (["due", "{book}", "--ahead", "999"], "不在范围", "is not in the range"),
    (["due", "{book}", "--format", "pdf"], "不是以下之一", "is not one of"),
    (["due", "{book}", "--as-of"], "需要一个值", "requires an argument"),
    (["nocmd"], "没有命令 'nocmd'", "No such command"),
    (["due", "{book}", "--format", "xlsx"], "需要 -o", "needs -o"),
    (["due", "{book}", "--kind", "nonsense"], "不是回访类型", "is not a follow-up kind"),
    (["due", "{book}", "--staff", "nobody"], "档案中没有负责人", "no staff member"),
    (["sheet", "{book}", "-o", "calls.csv"], "回访单是 .xlsx 文件", "the call sheet is an .xlsx file"),
    (["due", "{book}", "extra", "--lang", "xx"], "不是以下之一", "is not one of"),
]


def _args(args, book):
    return [a.replace("{book}", str(book)) for a in args]


@pytest.mark.parametrize("env", ZH_ENVS, ids=["FOLLOWUP_LANG", "LANG"])
@pytest.mark.parametrize("args, zh, en", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_usage_errors_in_chinese(book, env, args, zh, en):
    result = run(_args(args, book), env)
    assert result.exit_code == 2, result.output
    assert zh in result.stderr and en not in result.stderr
    assert "错误：" in result.stderr and "Error:" not in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args, zh, en", CASES, ids=[" ".join(c[0]) for c in CASES])
def test_usage_errors_in_english(book, args, zh, en):
    result = run(_args(args, book), EN_ENV)
    assert result.exit_code == 2, result.output
    assert en in result.stderr and zh not in result.stderr and "Error:" in result.stderr


def test_lang_option_wins_over_the_environment(book):
    result = run(["due", book, "--as-of", "2026-13-01", "--lang", "zh"], EN_ENV)
    assert "错误：" in result.stderr and "不是日期" in result.stderr
    result = run(["due", book, "--as-of", "2026-13-01", "--lang", "en"], {"FOLLOWUP_LANG": "zh"})
    assert "Error:" in result.stderr and "is not a date" in result.stderr


def test_a_library_error_follows_the_language(tmp_path):
    result = run(["due", tmp_path / "nope.xlsx"], {"FOLLOWUP_LANG": "zh"})
    assert result.exit_code == 2 and result.stderr.startswith("错误：")


def test_help_in_chinese_lists_chinese_summaries():
    result = run(["--help"], {"FOLLOWUP_LANG": "zh"})
    assert result.exit_code == 0
    assert "用法：" in result.stdout and "命令" in result.stdout and "选项" in result.stdout
    assert "列出谁该做哪项回访、原因和最迟日期" in result.stdout
    assert "Who is due" not in result.stdout and "Show this message" not in result.stdout
    due = run(["due", "--help"], {"FOLLOWUP_LANG": "zh"})
    assert "只列这位负责人的任务" in due.stdout and "Only tasks of this staff member" not in due.stdout
    english = run(["due", "--help"], EN_ENV)
    assert "Only tasks of this staff member" in english.stdout and "只列" not in english.stdout


def test_every_command_has_a_chinese_description():
    from followup_cli.text.click_zh import COMMAND_ZH

    assert set(cli.commands) <= set(COMMAND_ZH)


def test_every_command_has_a_summary_in_both_languages_that_fits_80_columns():
    from wcwidth import wcswidth

    from followup_cli.text.commands import SUMMARY

    names = set(cli.commands) | {f"calendar {sub}" for sub in cli.commands["calendar"].commands}
    assert names == set(SUMMARY)
    for name, summary in SUMMARY.items():
        assert summary.zh != str(summary), name
        assert max(wcswidth(summary.zh), len(summary)) <= 64, name


def test_help_imports_no_command_and_lists_each_summary():
    """`followup --help` in a fresh process: the list comes from text/commands.py, and not one
    command module is imported for it (issue 10/16: start-up)."""
    import json
    import subprocess
    import sys

    from followup_cli.text.commands import SUMMARY

    probe = (
        "import json, sys\nfrom followup_cli.cli import cli\n"
        "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('followup_cli.'))))"
    )
    for lang in ("en", "zh"):
        out = subprocess.run(
            [sys.executable, "-c", probe],
            capture_output=True,
            text=True,
            env={**os.environ, "FOLLOWUP_LANG": lang, "COLUMNS": "80"},
            check=True,
        ).stdout
        *help_lines, modules = out.rstrip().splitlines()
        for name, summary in SUMMARY.items():
            if " " not in name:
                assert any(line.split()[:1] == [name] and summary.text(lang) in line for line in help_lines), (
                    lang,
                    name,
                )
        extra = set(json.loads(modules)) - {
            "followup_cli.cli",
            "followup_cli.cli.language",
            "followup_cli.errors",
            "followup_cli.inputs",  # the run's files read, reset per run (stdlib only)
            "followup_cli.text",
            "followup_cli.text.messages",
            "followup_cli.text.commands",
            "followup_cli.text.click_zh",
        }
        assert not extra, (lang, sorted(extra))


def test_a_command_loaded_while_chinese_is_active_is_translated_and_put_back():
    """`followup due --help` imports `due` inside the Chinese run: its help is translated on
    import and English again afterwards."""
    due = run(["due", "--help"], {"FOLLOWUP_LANG": "zh"})
    assert "只列这位负责人的任务" in due.stdout
    assert cli.commands["due"].help.startswith("Who is due")
    assert str(cli.commands["due"].short_help).startswith("Who is due")


def test_translation_is_put_back_after_a_run():
    import click.exceptions

    run(["nocmd"], {"FOLLOWUP_LANG": "zh"})
    assert click.exceptions._("Error: {message}") == "Error: {message}"
    assert cli.commands["due"].help.startswith("Who is due")


def test_check_summary_in_chinese_names_the_sheets_in_chinese():
    result = run(["check", SAMPLES / "retail_vip_zh.xlsx", "--as-of", "2026-11-23"])
    last = result.stderr.strip().splitlines()[-1]
    assert "已读取：客户 300 行" in last and "customers" not in last and "purchases" not in last
    english = run(["check", SAMPLES / "retail_vip_zh.xlsx", "--as-of", "2026-11-23", "--lang", "en"])
    assert "(read: customers 300" in english.stderr


# The messages the issue found English under --lang zh, each in both languages.
def _lock(path):
    (path.parent / f".~lock.{path.name}#").write_text("x", encoding="utf-8")


def _text_file(path):
    bad = path.parent / "notes.xlsx"
    bad.write_text("hello\n", encoding="utf-8")
    return bad


MESSAGE_CASES = [
    ("preset", lambda p: ["due", p, "--preset", "retail-vipp"], "没有回访制度“retail-vipp”", "unknown preset"),
    (
        "init preset",
        lambda p: ["init", p.parent / "new.xlsx", "--preset", "salse"],
        "最接近的是：sales",
        "the nearest: sales",
    ),
    ("period", lambda p: ["kpi", p, "--period", "2026-13"], "不是一个期间", "is not a period"),
    (
        "log kind",
        lambda p: ["log", p, "--customer", "C1", "--kind", "birthdy", "--outcome", "reached"],
        "不是回访类型",
        "is not a follow-up kind",
    ),
    ("not a call sheet", lambda p: ["record", p, p], "不是 `followup sheet` 生成的", "not a call sheet"),
    (
        "unknown customer",
        lambda p: ["log", p, "--customer", "C9", "--kind", "birthday", "--outcome", "reached"],
        "客户“C9”",
        "C9",
    ),
    ("text named .xlsx", lambda p: ["due", _text_file(p)], "是纯文本", "is plain text"),
    (
        "lock",
        lambda p: (_lock(p), ["log", p, "--customer", "C1", "--kind", "birthday", "--outcome", "reached"])[1],
        "工作簿正在表格软件中打开",
        "is open in a spreadsheet program",
    ),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name, args, zh, en", MESSAGE_CASES, ids=[c[0] for c in MESSAGE_CASES])
def test_each_message_path_speaks_the_language(book, lang, name, args, zh, en):
    result = run(args(book) + ["--lang", lang])
    assert result.exit_code in (1, 2), result.output
    assert "Traceback" not in result.output
    if lang == "zh":
        assert zh in result.stderr and result.stderr.startswith("错误："), result.stderr
    else:
        assert (
            en in result.stderr
            and result.stderr.startswith("Error:")
            and not re.search(r"[\u4e00-\u9fff]{3}", result.stderr.replace(str(book.parent), ""))
        ), result.stderr


def test_the_options_of_the_clerks_commands_have_chinese_help():
    from followup_cli.text.click_zh import OPTION_ZH

    for name in ("due", "sheet", "sms", "history", "check"):
        missing = [p.opts for p in cli.commands[name].params if getattr(p, "help", None) and p.help not in OPTION_ZH]
        assert not missing, (name, missing)


NO_LANG = {"FOLLOWUP_LANG": "", "LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}


@pytest.mark.parametrize(
    ("book", "expected", "other"),
    [(SAMPLES / "retail_vip_zh.xlsx", "错误：", "Error:"), (SAMPLES / "retail_vip_en.xlsx", "Error:", "错误：")],
)
def test_a_command_that_stops_before_reading_speaks_the_workbooks_language(tmp_path, book, expected, other):
    """On a machine whose locale names no language, a mistake found before the archive is read
    (a mistyped --kind, a workbook that is not a call sheet, an unknown customer for `log`) is
    told in the language of the workbook named, as the rest of the run will be."""
    copy = tmp_path / book.name
    copy.write_bytes(book.read_bytes())
    for args in (
        ["due", copy, "--kind", "birthdy"],
        ["record", copy, copy],
        ["log", copy, "--customer", "Z999", "--kind", "birthday", "--outcome", "reached", "--date", "2026-11-23"],
    ):
        result = run(args, NO_LANG)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.startswith(expected) and other not in result.stderr, (args, result.stderr)
    assert copy.read_bytes() == book.read_bytes()


def test_an_explicit_language_still_wins_over_the_workbooks():
    result = run(["due", SAMPLES / "retail_vip_zh.xlsx", "--kind", "birthdy", "--lang", "en"], NO_LANG)
    assert result.stderr.startswith("Error:") and "is not a follow-up kind" in result.stderr


def test_the_language_guess_reads_sheet_names_strings_and_csv(tmp_path):
    from followup_cli.archive.language import guess_lang

    assert guess_lang(SAMPLES / "retail_vip_zh.xlsx") == "zh"
    assert guess_lang(SAMPLES / "retail_vip_en.xlsx") == "en"
    zh_csv = tmp_path / "会员.csv"
    zh_csv.write_bytes("会员卡号,姓名\n001,王芳\n".encode("gb18030"))
    assert guess_lang(zh_csv) == "zh"
    (tmp_path / "not.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    assert guess_lang(tmp_path / "not.xlsx") is None
    assert guess_lang(tmp_path / "missing.xlsx") is None
