"""Every message a user reads when something goes wrong exists in Chinese and English.

A Chinese shop on a Chinese archive reads its errors in Chinese: the error classes
(errors.FollowupError and its subclasses, usage_error, refuse, a check Problem, a record
Rejection) carry a `msg(zh, en)` (or a name or call that builds one), never a bare literal
in one language, and a msg's Chinese half is Chinese. The AST walks below fail naming
file:line; the CLI tests show the Chinese message on a Chinese archive and the English one
with --lang en.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_cli.cli import cli

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "followup_cli"
SAMPLE_ZH = ROOT / "sample_workbooks" / "retail_vip_zh.xlsx"

# The user-facing error classes and the helpers that build one: their text arguments
# (message, hint) must be msg(zh, en) or something that returns one.
ERRORS = {
    "FollowupError",
    "UsageProblem",
    "FileError",
    "UnreadableFile",
    "ConfigError",
    "DataProblems",
    "WriteRefused",
    "CannotWrite",
    "CannotExtend",
    "usage_error",
    "refuse",
}
FIRST_IS_PATH = {"FileError", "UnreadableFile", "CannotWrite"}  # (path, message, hint)
TWO_HALVES = {"usage_error", "refuse"}  # (zh, en, ...): the Chinese text first, then the English
_CJK = re.compile("[\u3400-\u9fff]")
# where the message is among the arguments of what carries a problem to the user
MESSAGE_AT = {
    "Problem": 5,  # Problem(severity, file, sheet, cell, value, message, code): check's findings
    "Rejection": 2,  # Rejection(where, value, message): a row record refuses
}


def _name(func: ast.AST) -> str:
    return getattr(func, "id", None) or getattr(func, "attr", "")


def _is_literal_text(node: ast.AST) -> bool:
    """A string literal, an f-string, or literals joined with + or %: text written in one language."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _is_literal_text(node.left) or _is_literal_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("join", "format"):
        return _is_literal_text(node.func.value) and node.func.attr == "format"
    return False


def _text_arguments(call: ast.Call) -> list[ast.AST]:
    name = _name(call.func)
    if name in MESSAGE_AT:
        args = call.args[MESSAGE_AT[name] : MESSAGE_AT[name] + 1]
        return args + [k.value for k in call.keywords if k.arg == "message"]
    if name in TWO_HALVES:
        return []  # checked by _halves_missing
    args = call.args[1:] if name in FIRST_IS_PATH else call.args
    return list(args) + [k.value for k in call.keywords if k.arg in ("message", "hint")]


def _halves_missing(call: ast.Call) -> bool:
    """usage_error(zh, en) / refuse(zh, en) given one text only, or a first half with no Chinese."""
    if _name(call.func) not in TWO_HALVES:
        return False
    if len(call.args) < 2:
        return True
    zh = call.args[0]
    return _is_literal_text(zh) and not any(
        isinstance(n, ast.Constant) and isinstance(n.value, str) and _CJK.search(n.value) for n in ast.walk(zh)
    )


def one_language_messages(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, code) of each user-facing error or Problem built from a literal text."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _name(node.func) not in ERRORS | set(MESSAGE_AT):
            continue
        if _halves_missing(node) or any(_is_literal_text(a) for a in _text_arguments(node)):
            found.append((node.lineno, " ".join(ast.unparse(node).split())))
    return sorted(found)


def offences(root: Path) -> list[str]:
    out = []
    for path in sorted(root.rglob("*.py")):
        for line, code in one_language_messages(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            out.append(f"{path.relative_to(root.parent).as_posix()}:{line}: {code[:140]}")
    return out


def test_every_user_facing_error_has_a_chinese_twin():
    found = offences(PACKAGE)
    assert not found, (
        "a message or hint the user reads is written in one language; give it as msg(zh, en) "
        "(or a function in followup_cli/text/ that returns one):\n" + "\n".join(found)
    )


def untranslated_halves(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, code) of each msg(zh, en) whose Chinese half is literal text with no Chinese in it
    (a copy of the English); a half that only wraps other text (f"[kpi] {zh}") is left alone."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _name(node.func) == "msg" and node.args):
            continue
        zh = node.args[0]
        if not isinstance(zh, (ast.Constant, ast.JoinedStr)) or (
            isinstance(zh, ast.JoinedStr) and any(isinstance(v, ast.FormattedValue) for v in zh.values)
        ):
            continue
        words = [n.value for n in ast.walk(zh) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        if not any(_CJK.search(w) for w in words):
            found.append((node.lineno, ast.unparse(node)))
    return found


def test_every_chinese_half_is_chinese():
    found = [
        f"{path.relative_to(ROOT).as_posix()}:{line}: {code[:140]}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, code in untranslated_halves(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not found, "msg(zh, en) with no Chinese in its Chinese half:\n" + "\n".join(found)


def test_an_untranslated_half_is_caught():
    assert untranslated_halves(ast.parse('m = msg("file not found", "file not found")'))
    assert not untranslated_halves(ast.parse('m = msg(f"[kpi] {zh}", f"[kpi] {en}")'))
    assert not untranslated_halves(ast.parse('m = msg("找不到文件", "file not found")'))


CAUGHT = [
    'raise ConfigError(f"{where}: [kpi] must be a table")',
    'raise ConfigError(msg("不是表", "not a table"), "write it as [kpi]")',  # the hint in English only
    'raise UnreadableFile(path, "no such file")',
    'raise UsageProblem("--rate " + text + " is not a share")',
    'raise WriteRefused(hint="try again", message=msg("忙", "busy"))',
    'raise CannotExtend("{}: no list of columns".format(where))',
    'raise errors.DataProblems(f"{ref}: not a number")',
    'raise UnreadableFile(p, f"exists but has no sheet {s}", "name its sheet 抽查记录 / Audits")',  # Chinese inside
    'raise UsageProblem("请给出 --period")',  # Chinese only is one language too
    'raise usage_error("give both dates", lang)',
    'raise refuse("no <sheetData>", "no <sheetData> in the first 256 MB")',  # no Chinese half
    'problems.append(Problem(ERROR, f, s, c, v, f"bad date {v}", "bad-date"))',
    'exc = ConfigError("lang is not zh or en")',  # built, raised later
    'rejected.append(Rejection(where, v, f"{v} is not a verdict"))',
]
LEFT_ALONE = [
    'raise ConfigError(msg("不是表", "not a table"), msg("请写成 [kpi]", "write it as [kpi]"))',
    "raise UsageProblem(*period_after_as_of(label, day))",
    "raise WriteRefused(refusals.lock_busy(where, path)) from None",
    'raise UnreadableFile(f"{folder}/x.xlsx", NO_SUCH_FILE)',  # the path is no message
    'raise usage_error("只能二选一", "choose one", lang)',
    'raise refuse(f"行号 {n} 超出 Excel 的最后一行", f"row number {n} beyond Excel\'s last row")',
    "raise ConfigError(message, hint)",
    'raise TypeError(f"{where}: caller bug")',  # a bug, not a user's mistake
    'problems.append(Problem(ERROR, f, s, c, v, msg("日期不对", "bad date"), "bad-date"))',
    'rejected.append(Rejection(f"{book} {cell}", "也许", words.not_a_verdict(typed)))',
]


@pytest.mark.parametrize("source", CAUGHT)
def test_the_shapes_are_caught(source):
    assert one_language_messages(ast.parse(source)), source


@pytest.mark.parametrize("source", LEFT_ALONE)
def test_bilingual_messages_are_left_alone(source):
    assert not one_language_messages(ast.parse(source)), source


def test_an_offence_is_named_by_file_and_line(tmp_path):
    pkg = tmp_path / "followup_cli"
    (pkg / "kpi").mkdir(parents=True)
    (pkg / "kpi" / "x.py").write_text('a = 1\n\nraise ConfigError(f"{w}: [kpi] must be a table")\n', encoding="utf-8")
    assert offences(pkg) == ["followup_cli/kpi/x.py:3: ConfigError(f'{w}: [kpi] must be a table')"]


# ---------------------------------------------------------------------------
# through the CLI: a Chinese archive gets Chinese, --lang en gets the English


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def zh_archive(tmp_path, toml: str | None = None) -> Path:
    path = tmp_path / "档案.xlsx"
    shutil.copy(SAMPLE_ZH, path)
    if toml is not None:
        (tmp_path / "followup.toml").write_text(toml, encoding="utf-8")
    return path


def assert_both_languages(args, zh: str, en: str, code: int = 2):
    """The Chinese message on the Chinese archive (no English left in it), the English with --lang en."""
    shown = run(*args)
    assert shown.exit_code == code, shown.output
    assert zh in shown.stderr and "错误：" in shown.stderr, shown.stderr
    assert en not in shown.stderr and "Traceback" not in shown.output
    english = run(*args, "--lang", "en")
    assert english.exit_code == code, english.output
    assert en in english.stderr and zh not in english.stderr, english.stderr


DUE = ("due", "--as-of", "2026-11-23")
KPI = ("kpi", "--period", "2026-11", "--as-of", "2026-12-05")


@pytest.mark.parametrize(
    "toml, command, zh, en",
    [
        ("[policy]\nbogus = 1\n", DUE, "[policy] bogus：不认识的设置", "[policy] bogus: unknown setting"),
        ('date_order = "xyz"\n', DUE, "date_order“xyz”不是 ymd、dmy、mdy 之一", "date_order 'xyz' is not one of"),
        ('[rules.birthday]\nchannel = "pigeon"\n', DUE, "不认识的 channel“pigeon”", "channel 'pigeon' is unknown"),
        ("[followups]\nwindow_days = -1\n", DUE, "window_days = -1 不是天数", "is not a whole number of days"),
        ("[calendar.birthday]\nbogus = 1\n", DUE, "[calendar.birthday]：不认识的键 bogus", "unknown key bogus"),
        (
            '[rules.birthday]\ntrigger = "festival"\nfestivals = ["无此节"]\n',
            DUE,
            "规则“birthday”：不认识的节日“无此节”",
            "rule 'birthday': unknown festival '无此节'",
        ),
        ("[kpi]\ntop_share = 300\n", KPI, "请写 0 到 100 之间的百分数", "give a per cent between 0 and 100"),
        ('[assign]\nroles = "销售"\n', ("assign", "--report"), "roles 必须是角色名的列表", "must be a list of role"),
    ],
)
def test_a_wrong_setting_in_followup_toml_is_told_in_the_archives_language(tmp_path, toml, command, zh, en):
    path = zh_archive(tmp_path, toml)
    assert_both_languages((command[0], path, *command[1:]), zh, en)
    assert "followup.toml" in run(command[0], path, *command[1:]).stderr or command[0] == "assign"


@pytest.mark.parametrize(
    "args, zh, en",
    [
        (
            ("audit", "--period", "2026-11", "--as-of", "2026-12-05", "--rate", "200%", "-o", "抽查.xlsx"),
            "--rate“200%”必须大于 0%，且不超过 100%",
            "--rate '200%' must be more than 0% and at most 100%",
        ),
        (
            ("audit", "--period", "2026-11", "--as-of", "2026-12-05", "--rate", "lots", "-o", "抽查.xlsx"),
            "请写百分数，例如 5%",
            "write a per cent such as 5%",
        ),
        (
            ("kpi", "--from", "2026-11-05", "--to", "2026-11-01"),
            "时期的结束日（2026-11-01）早于开始日（2026-11-05）\n  → 请把 --from 和 --to 对调",
            "the period ends (2026-11-01) before it starts (2026-11-05)\n  → swap --from and --to",
        ),
        (
            ("due", "--as-of", "3000-01-01"),
            "“3000-01-01”：年份 3000 不在 1900-2100 之内",
            "'3000-01-01': the year 3000 is outside 1900-2100",
        ),
        (
            ("kpi", "--period", "2027-01", "--as-of", "2026-12-05"),
            "时期 2027-01 在截止日期 2026-12-05 之后才开始",
            "the period 2027-01 starts after the as-of date 2026-12-05",
        ),
    ],
)
def test_a_wrong_option_is_told_in_the_archives_language(tmp_path, args, zh, en):
    path = zh_archive(tmp_path)
    assert_both_languages((args[0], path, *args[1:]), zh, en)


def test_an_unreadable_file_is_told_in_the_language_asked_for(tmp_path):
    path = tmp_path / "customers.csv"
    path.write_bytes(b"id,\x00\x01\x02name\n")
    zh = run("check", path, "--lang", "zh")
    assert zh.exit_code == 2 and "看起来是二进制文件，不是 CSV" in zh.stderr and "请打开正确的文件" in zh.stderr
    en = run("check", path, "--lang", "en")
    assert en.exit_code == 2 and "looks like a binary file, not CSV" in en.stderr


HOLD_LOCK = """
import sys, time, filelock
lock = filelock.FileLock(sys.argv[1])
lock.acquire()
print("READY", flush=True)
time.sleep(60)
"""


def test_a_workbook_locked_by_another_run_is_refused_in_the_archives_language(tmp_path, monkeypatch):
    import subprocess
    import sys

    import filelock

    from followup_cli.writeback import locks
    from followup_cli.xlsx.lockfiles import followup_lock

    path = zh_archive(tmp_path)
    real = filelock.FileLock
    monkeypatch.setattr(locks.filelock, "FileLock", lambda lock, timeout=10: real(lock, timeout=0.2))
    script = tmp_path / "hold.py"
    script.write_text(HOLD_LOCK, encoding="utf-8")
    holder = subprocess.Popen(
        [sys.executable, str(script), str(followup_lock(path))], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "READY"
        before = path.read_bytes()
        args = ("log", path, "--customer", "00200", "--kind", "生日回访", "--outcome", "已联系", "--date", "2026-11-23")
        assert_both_languages(
            args,
            "另一个 followup 正在写这个工作簿（锁文件",
            "another followup run is writing this workbook (lock file",
        )
        assert path.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()


def test_a_journal_that_cannot_be_written_is_said_in_the_archives_language(tmp_path, monkeypatch):
    """The visit is written; the write journal beside it is not: record and log say so, never silently."""
    from followup_cli.writeback import transaction

    def no_journal(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(transaction, "write_audit", no_journal)
    path = zh_archive(tmp_path)
    args = ("log", path, "--customer", "00200", "--kind", "生日回访", "--outcome", "已联系", "--date", "2026-11-23")
    shown = run(*args)
    assert shown.exit_code == 0, shown.output
    assert "警告：工作簿已写入，但写入日志没能写上" in shown.stderr and "No space left on device" in shown.stderr
    english = run(*args[:-2], "--date", "2026-11-24", "--lang", "en")
    assert english.exit_code == 0, english.output
    assert "warning: the workbook was written, but the audit log could not be" in english.stderr


@pytest.mark.parametrize(
    "value, zh, en",
    [
        (float("nan"), "D7：nan 不是 Excel 能保存的数字", "D7: nan is not a number Excel can store"),
        ("长" * 32768, "D7：文字有 32768 个字符；Excel 一个单元格最多能放 32767 个", "Excel holds at most 32767"),
        (dt.date(1899, 1, 1), "D7：1899-01-01 早于 Excel 能保存的最早日期", "is before the first date Excel can store"),
    ],
)
def test_a_value_excel_cannot_hold_is_refused_in_both_languages(value, zh, en):
    from followup_cli.errors import DataProblems
    from followup_cli.xlsx.cells import cell_xml

    with pytest.raises(DataProblems) as e:
        cell_xml("", "D7", value, None, False)
    assert zh in e.value.text("zh") and en in e.value.text("en")


def test_an_english_archive_is_told_in_english_and_lang_zh_asks_for_chinese(tmp_path):
    path = tmp_path / "archive.xlsx"
    shutil.copy(ROOT / "sample_workbooks" / "retail_vip_en.xlsx", path)
    (tmp_path / "followup.toml").write_text("[policy]\nbogus = 1\n", encoding="utf-8")
    english = run("due", path, "--as-of", "2026-11-23")
    assert (
        english.exit_code == 2 and "Error: " in english.stderr and "[policy] bogus: unknown setting" in english.stderr
    )
    chinese = run("due", path, "--as-of", "2026-11-23", "--lang", "zh")
    assert (
        chinese.exit_code == 2 and "[policy] bogus：不认识的设置" in chinese.stderr and "unknown" not in chinese.stderr
    )
