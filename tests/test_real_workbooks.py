"""Reading never falls over: `check` and `due` answer each of calamine's own test files
(real Excel/LibreOffice output, broken and hostile files among them) with a result or a clear
error naming the file, quickly, in bounded memory, never with a traceback.

The files live in ../shared/real-workbooks beside the repository; without them the module is
skipped, except on CI, where their absence is a failure.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup_cli.cli import cli

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-workbooks"
FOLDER = REAL / "calamine-tests"

if not FOLDER.is_dir():
    if os.environ.get("CI"):
        pytest.fail(f"{FOLDER} is missing: CI must check out shared/ beside the repository", pytrace=False)
    pytest.skip(f"{FOLDER} not found (the shared real workbooks sit beside the repository)", allow_module_level=True)

FILES = sorted(p for p in FOLDER.iterdir() if p.is_file())
PASSWORD_PROTECTED = {"pass_protected.xlsx", "pass_protected.xlsb", "pass_protected.ods", "issue_385.xls"}
# Built to make a reader allocate or loop without end, and the biggest files.
HOSTILE = [
    "OOM_alloc.xls",
    "OOM_alloc2.xls",
    "OOM_alloc3.xls",
    "issue_594_dos.ods",
    "gh548_incorrect_sst_unique_count.xls",
    "picture_richdata.xlsx",
    "issue_174.xlsx",
]
# A hostile file must not make followup work without end: a bound on the CPU time of the run
# (each file takes well under 0.1 s of it here), not on wall-clock time, which a loaded
# machine stretches; the timeout only catches a hang.
CPU_SECONDS_PER_RUN = 20
HANG_SECONDS = 300
PEAK_RSS_MB = 400  # the whole process, Python included (about 30 MB here)
COMMANDS = {"check": ["check"], "due": ["due", "--as-of", "2026-11-23"]}


def test_the_snapshot_is_complete():
    assert len(FILES) >= 132, f"{FOLDER} holds {len(FILES)} files, expected the 132 of the snapshot"
    names = {p.name for p in FILES}
    assert PASSWORD_PROTECTED <= names and set(HOSTILE) <= names


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_file_gets_an_answer(path, command):
    args = [COMMANDS[command][0], str(path), *COMMANDS[command][1:]]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert "unexpected error" not in result.output, result.output  # handle_errors' wording for a bug
    if result.exit_code:
        assert path.name in result.output, result.output


@pytest.mark.parametrize("name", sorted(PASSWORD_PROTECTED))
def test_password_protected_files_say_so(name):
    for args in (["check", str(FOLDER / name)], ["due", str(FOLDER / name), "--as-of", "2026-11-23"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, result.output
        assert "password" in result.output.lower()
        assert name in result.output


def test_no_sheet_is_reported_unreadable():
    """Chart sheets (any_sheets.xlsb) have no cells; they are not damaged sheets."""
    from followup_cli.archive.reading import load_archive
    from followup_cli.errors import UnreadableFile

    reported = []
    for path in FILES:
        try:
            archive = load_archive([path])
        except UnreadableFile:
            continue
        reported += [f"{path.name} {p.sheet}: {p.message}" for p in archive.problems if p.code == "unreadable-sheet"]
    assert reported == []


_MEASURE = """
import resource, sys
from followup_cli.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="followup")
except SystemExit as exc:
    code = exc.code
else:
    code = 0
usage = resource.getrusage(resource.RUSAGE_SELF)
# The peak of this process alone: Linux carries ru_maxrss over from the parent at fork (a test
# run of 400 MB made every child "peak" at 400 MB); VmHWM is this program's own high-water mark.
peak = usage.ru_maxrss
try:
    with open("/proc/self/status") as fh:
        peak = next((int(line.split()[1]) for line in fh if line.startswith("VmHWM:")), peak)
except OSError:
    pass
sys.stderr.write("\\nMEASURE %s %.3f %d\\n" % (code, usage.ru_utime + usage.ru_stime, peak))
"""


def _limit_memory():
    # A runaway allocation fails in the child instead of taking the machine down.
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_files_in_a_separate_process_with_cpu_and_memory_limits(name):
    args = [sys.executable, "-c", _MEASURE, "due", str(FOLDER / name), "--as-of", "2026-11-23"]
    try:
        proc = subprocess.run(args, capture_output=True, text=True, timeout=HANG_SECONDS, preexec_fn=_limit_memory)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: `followup due` did not finish in {HANG_SECONDS} s")
    lines = [line for line in proc.stderr.splitlines() if line.startswith("MEASURE ")]
    assert lines, proc.stderr[-2000:]
    _, code, cpu_seconds, rss_kb = lines[-1].split()
    assert code in ("0", "1", "2"), proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert float(cpu_seconds) < CPU_SECONDS_PER_RUN, f"{name}: {cpu_seconds} s of CPU"
    assert int(rss_kb) / 1024 < PEAK_RSS_MB, f"{name}: peak RSS {int(rss_kb) / 1024:.0f} MB"
