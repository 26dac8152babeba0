"""A command's kept result (followup_cli/cache/replay.py): a second `due` with the same archive,
settings and day writes, byte for byte, what a cold run writes (stdout, stderr, the output
file, the journal's export line), without reading the archive; anything that changes an
input (a sheet, followup.toml, an option, the as-of date, followup's source) is a miss, and a
damaged kept file is ignored."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_cli.cache import replay, sheets
from followup_cli.cli import cli
from tests.helpers import generated_archive, rewrite_part, sheet_part, use_cache_dir

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_workbooks"
AS_OF = "2026-11-23"


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch):
    return use_cache_dir(tmp_path / "cache", monkeypatch, keep_outputs=True)


def run(*args, no_cache=False, code=0) -> tuple[str, str]:
    argv = [str(a) for a in args] + (["--no-cache"] if no_cache else [])
    result = CliRunner().invoke(cli, argv, catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.stdout, result.stderr


def output_status() -> str | None:
    return next((status for file, what, status in reversed(sheets.events) if what == "output"), None)


def read_any() -> bool:
    """Whether the last command read a sheet (from the workbook or the sheet cache)."""
    return any(file for file, _, _ in sheets.events)


def copy_sample(tmp_path, name) -> Path:
    dst = tmp_path / name
    shutil.copy(SAMPLES / name, dst)
    toml = SAMPLES / (Path(name).stem + ".followup.toml")
    if toml.exists():
        shutil.copy(toml, tmp_path / toml.name)
    return dst


SAMPLE_NAMES = sorted(p.name for p in SAMPLES.glob("*.xlsx"))
VIEWS = (
    ("--format", "json"),
    ("--explain", "--wide"),  # the table, with its notes on stderr
    ("--format", "csv", "--by-task", "--mask-phone"),
)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_samples_a_kept_due_is_a_cold_one(cache_dir, tmp_path, name):
    archive = copy_sample(tmp_path, name)
    for view in VIEWS:
        args = ("due", archive, "--as-of", AS_OF, *view)
        cold = run(*args, no_cache=True)
        first = run(*args)
        assert output_status() == "stored" and read_any()
        again = run(*args)
        assert output_status() == "hit" and not read_any()  # nothing read, nothing scheduled
        assert first == cold and again == cold


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return generated_archive(tmp_path_factory.mktemp("generated") / "archive.xlsx", 600, 3000, 2000, 7)


def _journal(folder: Path) -> list[str]:
    """The journal's export lines, without their time."""
    log = folder / "followup-audit.log"
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return [line.split("\t", 1)[-1] for line in lines if "export" in line]


def test_generated_archive_kept_output_file_and_journal(cache_dir, generated, tmp_path):
    cold_dir, warm_dir = tmp_path / "cold", tmp_path / "warm"
    for d in (cold_dir, warm_dir):
        d.mkdir()
        shutil.copy(generated, d / "archive.xlsx")
    outs = {}
    for d, nc in ((cold_dir, True), (warm_dir, False)):
        for k in range(3):
            target = d / "due.json"
            res = run("due", d / "archive.xlsx", "--as-of", AS_OF, "-o", target, no_cache=nc)
            outs.setdefault(d, []).append((res, target.read_bytes()))
        assert not nc or output_status() is None
    assert output_status() == "hit" and not read_any()
    cold, warm = outs[cold_dir], outs[warm_dir]
    assert cold[0][1] and all(o == cold[0] for o in cold + warm)
    # every run, replayed or not, notes its export of full phone numbers in the journal
    assert len(_journal(warm_dir)) == 3 and len(_journal(cold_dir)) == 3
    assert [line.replace(str(warm_dir), "") for line in _journal(warm_dir)] == [
        line.replace(str(cold_dir), "") for line in _journal(cold_dir)
    ]


def test_every_changed_input_is_a_miss(cache_dir, generated, tmp_path, monkeypatch):
    archive = tmp_path / "archive.xlsx"
    shutil.copy(generated, archive)
    args = ("due", archive, "--as-of", AS_OF, "--format", "json")

    def same_as_cold(*extra):
        got = run(*args, *extra)
        assert output_status() == "stored" and read_any()
        assert got == run(*args, *extra, no_cache=True)
        assert run(*args, *extra) == got and output_status() == "hit"
        return got

    before = same_as_cold()
    # one visit a day earlier, in the visit sheet's part alone
    import re

    def edit(data: bytes) -> bytes:
        return re.sub(
            rb'(<c r="C2"(?: s="\d+")?><v>)(\d+)', lambda m: m[1] + str(int(m[2]) - 1).encode(), data, count=1
        )

    rewrite_part(archive, sheet_part(archive, "回访记录"), edit)
    same_as_cold()
    same_as_cold("--ahead", "3")  # another option
    run("due", archive, "--as-of", "2026-11-24", "--format", "json")  # another day
    assert output_status() == "stored"
    toml = tmp_path / "followup.toml"
    toml.write_text("[policy]\nyearly_cap = 1\n", encoding="utf-8")
    capped = same_as_cold()  # other settings
    assert capped != before
    monkeypatch.setitem(sheets._version, "replay", b"another followup")
    run(*args)  # another version of followup's source
    assert output_status() == "stored"


def test_a_damaged_kept_file_is_ignored(cache_dir, tmp_path):
    archive = copy_sample(tmp_path, "retail_vip_zh.xlsx")
    args = ("due", archive, "--as-of", AS_OF, "--format", "json")
    cold = run(*args, no_cache=True)
    run(*args)
    kept = list(cache_dir.glob("output-*.bin"))
    assert len(kept) == 1
    data = kept[0].read_bytes()
    for damaged in (data[: len(data) // 2], data[:-1] + bytes([data[-1] ^ 1]), b"not a cache file"):
        kept[0].write_bytes(damaged)
        assert run(*args) == cold
        assert output_status() == "stored" and read_any()  # read and kept again
        assert run(*args) == cold and output_status() == "hit"


def test_a_due_list_workbook_is_not_kept(cache_dir, tmp_path):
    """An .xlsx due list says when it was made (its properties): not played back."""
    archive = copy_sample(tmp_path, "retail_vip_zh.xlsx")
    for _ in range(2):
        run("due", archive, "--as-of", AS_OF, "-o", tmp_path / "due.xlsx")
        assert output_status() is None and read_any()
    assert not list(cache_dir.glob("output-*.bin"))


def test_a_run_that_fails_is_not_kept(cache_dir, tmp_path):
    archive = copy_sample(tmp_path, "retail_vip_zh.xlsx")
    args = ("due", archive, "--as-of", AS_OF, "--staff", "nobody-of-this-name")
    run(*args, code=2)
    assert not list(cache_dir.glob("output-*.bin"))
    run(*args, code=2)


def test_no_cache_keeps_nothing(cache_dir, tmp_path):
    archive = copy_sample(tmp_path, "retail_vip_zh.xlsx")
    run("due", archive, "--as-of", AS_OF, no_cache=True)
    run("due", archive, "--as-of", AS_OF, no_cache=True)
    assert not list(cache_dir.glob("output-*.bin")) and output_status() is None


def _sheet_values(path: Path) -> list:
    """Every part, unpacked, the times of making blanked out: all two cold runs differ in."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return sorted((n, re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ?", b"(time)", zf.read(n))) for n in zf.namelist())


def _times(path: Path) -> tuple[list, list]:
    import re
    import zipfile

    with zipfile.ZipFile(path) as zf:
        local = re.findall(rb">(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)<", zf.read("xl/sharedStrings.xml"))
        utc = re.findall(rb">(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)<", zf.read("docProps/core.xml"))
    return local, utc


@pytest.mark.parametrize("name", ["retail_vip_zh.xlsx", "retail_vip_en.xlsx", "health_zh.xlsx"])
def test_a_kept_call_sheet_is_a_cold_one_made_now(cache_dir, tmp_path, name):
    archive = copy_sample(tmp_path, name)
    outs = []
    out = tmp_path / "calls.xlsx"
    for k, nc in enumerate((True, False, False)):
        res = run("sheet", archive, "--as-of", AS_OF, "-o", out, "--overwrite", no_cache=nc)
        outs.append((res, shutil.copy(out, tmp_path / f"calls{k}.xlsx")))
    assert output_status() == "hit" and not read_any()
    (cold, cold_out), (first, first_out), (again, again_out) = outs
    assert first == cold and again == cold  # stdout and the notes on stderr
    assert _sheet_values(again_out) == _sheet_values(cold_out) == _sheet_values(first_out)
    # it says when it was made as a run does: one local time and the same instant in UTC
    import datetime as dt

    (local,), (created, modified) = _times(again_out)
    when = dt.datetime.fromisoformat(local.decode())
    assert created == modified == when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()


def test_a_kept_call_sheet_says_the_time_it_is_played_back():
    """restamped: the kept workbook's times replaced by those of another moment, exactly where
    they were; refused when the new time is already a text of the workbook."""
    import datetime as dt
    import io
    import zipfile

    made = dt.datetime(2026, 11, 23, 8, 0, 5)
    later = dt.datetime(2026, 11, 23, 9, 30, 0)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/sharedStrings.xml", b"<sst><si><t>kind</t></si><si><t>2026-11-23T08:00:05</t></si></sst>")
        core = "<c><created>{0}</created><modified>{0}</modified></c>"
        zf.writestr("docProps/core.xml", core.format(replay._stamp(made, "utc").decode()).encode())
    data = buf.getvalue()
    stamps = replay.stamps_in(data, made)
    assert stamps is not None
    assert replay.stamps_in(data, later) is None  # not the time it says: not kept
    parts = replay.restamped(data, stamps, later)
    assert (
        b">2026-11-23T09:30:00<" in parts["xl/sharedStrings.xml"] and b"08:00:05" not in parts["xl/sharedStrings.xml"]
    )
    assert parts["docProps/core.xml"].count(replay._stamp(later, "utc")) == 2
    # a shared string that is already the new time: a run now would share it, so no replay
    clash = data.replace(b"<t>kind</t>", b"<t>2026-11-23T09:30:00</t>")
    assert replay.restamped(clash, replay.stamps_in(clash, made), later) is None


def test_record_imports_a_kept_call_sheet_as_a_cold_one(cache_dir, generated, tmp_path, monkeypatch):
    import openpyxl

    warm_dir, cold_dir = tmp_path / "warm", tmp_path / "cold"
    for d in (warm_dir, cold_dir):
        d.mkdir()
        shutil.copy(generated, d / "archive.xlsx")
    calls = warm_dir / "calls.xlsx"
    run("sheet", warm_dir / "archive.xlsx", "--as-of", AS_OF, "-o", calls)
    run("sheet", warm_dir / "archive.xlsx", "--as-of", AS_OF, "-o", calls, "--overwrite")
    assert output_status() == "hit"
    wb = openpyxl.load_workbook(calls)  # the replayed package opens
    ws = wb.worksheets[0]
    col = {c.value: i for i, c in enumerate(ws[1])}
    for row in list(ws.iter_rows(min_row=2))[:30]:
        row[col["完成日期"]].value = AS_OF
        row[col["方式"]].value = "电话"
        row[col["结果"]].value = "已联系"
    wb.save(calls)
    run("record", warm_dir / "archive.xlsx", calls, "-q")
    with monkeypatch.context() as m:
        m.setenv("FOLLOWUP_NO_CACHE", "1")
        run("record", cold_dir / "archive.xlsx", calls, "-q")  # the same archive's content, read cold
    from python_calamine import CalamineWorkbook

    def visits(path):
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_name("回访记录").to_python()

    assert len(visits(warm_dir / "archive.xlsx")) >= len(visits(generated)) + 30  # a call may close several tasks
    assert visits(warm_dir / "archive.xlsx") == visits(cold_dir / "archive.xlsx")
    after = run("due", warm_dir / "archive.xlsx", "--as-of", AS_OF, "--format", "json")
    assert output_status() == "stored"  # the visit sheet changed: not the kept result
    assert after == run("due", warm_dir / "archive.xlsx", "--as-of", AS_OF, "--format", "json", no_cache=True)


def _check(archive, *extra, no_cache=False):
    result = CliRunner().invoke(cli, ["check", str(archive), *map(str, extra)] + (["--no-cache"] if no_cache else []))
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, result.stdout, result.stderr


def _bad_archive(path: Path) -> Path:
    """A duplicate id, an impossible birthday and a visit of nobody: errors, exit 1."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "客户档案"
    ws.append(["客户编号", "姓名", "手机", "生日"])
    ws.append(["C1", "王芳", "13800000001", "1990-11-25"])
    ws.append(["C1", "李雷", "13800000002", "1985-13-45"])
    visits = wb.create_sheet("回访记录")
    visits.append(["客户编号", "回访日期", "回访类型", "结果"])
    visits.append(["C9", "2026-11-01", "生日回访", "已联系"])
    wb.save(path)
    return path


@pytest.mark.parametrize("view", [("--format", "json"), ("--errors-only",)])
def test_a_kept_check_is_a_cold_one_exit_code_and_all(cache_dir, tmp_path, view):
    archive = _bad_archive(tmp_path / "archive.xlsx")
    cold = _check(archive, *view, no_cache=True)
    assert cold[0] == 1 and cold[2]  # errors: exit 1, and the summary on stderr
    assert _check(archive, *view) == cold and output_status() == "stored"
    assert _check(archive, *view) == cold and output_status() == "hit" and not read_any()
    out = tmp_path / "check.csv"
    cold_file = (_check(archive, "-o", out, no_cache=True), out.read_bytes())
    _check(archive, "-o", out)
    assert (_check(archive, "-o", out), out.read_bytes()) == cold_file and output_status() == "hit"


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_samples_a_kept_check_is_a_cold_one(cache_dir, tmp_path, name):
    archive = copy_sample(tmp_path, name)
    cold = _check(archive, "--format", "json", no_cache=True)
    assert _check(archive, "--format", "json") == cold
    assert _check(archive, "--format", "json") == cold and output_status() == "hit"


KPI_VIEWS = (
    ("--period", "2026", "--by", "staff", "--format", "json"),
    ("--period", "2026-11", "--explain"),  # the screen's tables and their notes
    ("--period", "2026", "--format", "csv", "-o", "kpi.csv"),
)


@pytest.mark.parametrize("view", KPI_VIEWS)
def test_a_kept_kpi_is_a_cold_one(cache_dir, generated, tmp_path, monkeypatch, view):
    archive = tmp_path / "archive.xlsx"
    shutil.copy(generated, archive)
    monkeypatch.chdir(tmp_path)  # -o kpi.csv: in the test's folder
    args = ("kpi", archive, "--as-of", AS_OF, *view)

    def once(no_cache=False):
        res = run(*args, no_cache=no_cache)
        return res, (tmp_path / "kpi.csv").read_bytes() if "-o" in view else None

    cold = once(no_cache=True)
    assert once() == cold and output_status() == "stored"
    assert once() == cold and output_status() == "hit" and not read_any()
    run("kpi", archive, "--as-of", "2026-11-24", *view)  # another day: computed again
    assert output_status() == "stored"


def test_a_kpi_report_workbook_is_not_kept(cache_dir, tmp_path):
    archive = copy_sample(tmp_path, "retail_vip_zh.xlsx")
    for _ in range(2):
        run("kpi", archive, "--as-of", AS_OF, "--period", "2026", "-o", tmp_path / "report.xlsx")
        assert output_status() is None and read_any()
