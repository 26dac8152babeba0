"""Hostile and broken workbooks, and the CLI run on them in a bounded child process.

Shared by the fast tests (tests/test_hostile_files.py, tests/test_fuzz.py) and the long run
(stress/run.py). Nothing here is a test itself.

A run is judged by `verdict`: it must end with exit 0, 1 or 2, print no traceback and no
"unexpected error" (handle_errors' words for a bug), name the file when it refuses, and stay
within the time and memory bounds; anything else is a finding.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import resource
import select
import subprocess
import sys
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"  # beside the repository, as tests/test_real_workbooks.py finds it
REAL = SHARED / "real-workbooks" / "calamine-tests"
SAMPLES = ROOT / "sample_workbooks"
MEMORY_LIMIT = 2 << 30  # address space of a child run
SECONDS = 60  # wall time of one child run
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT)] + [p for p in sys.path if p])}


# ---------------------------------------------------------------------------
# running the CLI


@dataclass
class Outcome:
    rc: int  # exit code, or -signal
    output: str  # stdout + stderr (the tail)
    seconds: float
    peak_mb: float


def _limits(memory: int):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def run_cli(args, timeout: float = SECONDS, memory: int = MEMORY_LIMIT, cwd=None) -> Outcome:
    """`followup ARGS` in a child process with an address-space limit; never raises."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "followup_cli", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        preexec_fn=_limits(memory),
        env=ENV,
        cwd=cwd,
    )
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        return Outcome(
            -9, (out or b"").decode("utf-8", "replace")[-3000:] + "\n[timed out]", time.perf_counter() - start, 0.0
        )
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Outcome(
        proc.returncode, out.decode("utf-8", "replace")[-3000:], time.perf_counter() - start, usage.ru_maxrss / 1024
    )


def verdict(outcome: Outcome, path: Path, seconds: float = SECONDS) -> str | None:
    """None when the run ended as it must; else what was wrong."""
    if outcome.rc not in (0, 1, 2):
        return f"exit {outcome.rc}"
    if "Traceback" in outcome.output:
        return "traceback"
    if "unexpected error" in outcome.output:
        return "unexpected error: " + outcome.output.strip().splitlines()[-1][:300]
    if outcome.rc == 2 and path.name not in outcome.output:
        return "refusal does not name the file"
    if outcome.seconds > seconds:
        return f"{outcome.seconds:.1f} s"
    return None


class Worker:
    """A child process that runs many CLI cases in-process (cheaper than one process each),
    under the memory limit, with a time bound per case; a case that kills it is a finding,
    and the worker is started afresh."""

    SCRIPT = r"""
import json, resource, signal, sys, time
from click.testing import CliRunner
from followup_cli.cli import cli
def alarm(*a):
    raise TimeoutError("case took too long")
signal.signal(signal.SIGALRM, alarm)
for line in sys.stdin:
    case = json.loads(line)
    start = time.perf_counter()
    signal.alarm(case["seconds"])
    try:
        r = CliRunner().invoke(cli, case["args"])
        rc, out = r.exit_code, r.output
        if r.exception is not None and not isinstance(r.exception, SystemExit):
            rc, out = 99, out + "\nTraceback: " + repr(r.exception)
    except TimeoutError:
        rc, out = -14, "timed out"
    finally:
        signal.alarm(0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rc": rc, "output": out[-3000:], "seconds": time.perf_counter() - start, "peak": peak}),
          flush=True)
"""

    def __init__(self, memory: int = MEMORY_LIMIT, recycle: int = 150):
        self.memory, self.recycle = memory, recycle
        self.proc = None
        self.done = 0

    def _start(self):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", self.SCRIPT],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            preexec_fn=_limits(self.memory),
            env=ENV,
            cwd=ROOT,
        )
        self.done = 0

    def run(self, args, seconds: int = 30) -> Outcome:
        if self.proc is None or self.proc.poll() is not None or self.done >= self.recycle:
            self.close()
            self._start()
        self.done += 1
        self.proc.stdin.write(json.dumps({"args": [str(a) for a in args], "seconds": seconds}) + "\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], seconds + 15)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            self.proc.kill()
            code = self.proc.wait()
            self.proc = None
            return Outcome(code if code < 0 else -9, "worker died or hung", float(seconds), 0.0)
        data = json.loads(line)
        return Outcome(data["rc"], data["output"], data["seconds"], data["peak"])

    def close(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


# ---------------------------------------------------------------------------
# rewriting packages


def read_members(path: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(info, zf.read(info)) for info in zf.infolist()]


def write_members(dst: Path, members: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return dst


def rewrite(src: Path, dst: Path, edits: dict) -> Path:
    """A copy of the package with `edits[name](bytes) -> bytes` applied to those members."""
    out = []
    for info, data in read_members(src):
        fn = edits.get(info.filename)
        out.append((info.filename, fn(data) if fn else data))
    return write_members(dst, out)


def xml_members(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return [n for n in zf.namelist() if n.lower().endswith((".xml", ".rels"))]


def sheet1(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return next(n for n in zf.namelist() if re.search(r"worksheets/sheet1\.xml$", n))


# ---------------------------------------------------------------------------
# hostile XML


BILLION_LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">'
        % (i, b"".join(b"&lol%s;" % (b"" if i == 1 else str(i - 1).encode()) for _ in range(10)))
        for i in range(1, 10)
    )
    + b"]>"
)
EXTERNAL_ENTITY = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
PLAIN_DOCTYPE = b"<!DOCTYPE workbook>"


def with_doctype(xml: bytes, doctype: bytes) -> bytes:
    """The DTD after the XML declaration (or first)."""
    m = re.match(rb"\s*(<\?xml[^>]*\?>)?", xml)
    return xml[: m.end()] + doctype + xml[m.end() :]


def huge_unique_count(xml: bytes) -> bytes:
    return re.sub(rb'uniqueCount="\d+"', b'uniqueCount="999999999"', xml, count=1)


def add_cell(xml: bytes, ref: str, value: str = "1") -> bytes:
    """A value cell at `ref`, in a row of its own at the end of <sheetData>."""
    row = re.match(r"[A-Z]+(\d+)", ref).group(1)
    cell = f'<row r="{row}"><c r="{ref}"><v>{value}</v></c></row>'.encode()
    if b"<sheetData/>" in xml:
        return xml.replace(b"<sheetData/>", b"<sheetData>" + cell + b"</sheetData>")
    return xml.replace(b"</sheetData>", cell + b"</sheetData>", 1)


def small_dimension(xml: bytes) -> bytes:
    return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:C3"', xml, count=1)


def huge_style_count(xml: bytes) -> bytes:
    return re.sub(rb'<cellXfs count="\d+"', b'<cellXfs count="999999999"', xml, count=1)


def zip_bomb(src: Path, dst: Path, inflated: int, lie: bool = False) -> Path:
    """The package with sheet1 replaced by `inflated` bytes of one repeated empty row.

    `lie`: the zip headers declare 1 MB, however far the deflate stream really runs."""
    name = sheet1(src)
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>'
    )
    tail = b"</sheetData></worksheet>"
    unit = b'<row r="1" spans="1:1"/>' * 40000
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    parts = [comp.compress(head)]
    crc = zlib.crc32(head)
    size = len(head)
    while size < inflated:
        parts.append(comp.compress(unit))
        crc = zlib.crc32(unit, crc)
        size += len(unit)
    parts += [comp.compress(tail), comp.flush()]
    crc = zlib.crc32(tail, crc)
    size += len(tail)
    raw = b"".join(parts)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in read_members(src):
            if info.filename == name:
                zf.writestr(info.filename, b"placeholder")
            else:
                zf.writestr(info.filename, data)
    _swap_member(dst, name, raw, crc, 1 << 20 if lie else size)
    return dst


def _swap_member(path: Path, name: str, raw: bytes, crc: int, size: int) -> None:
    """Put raw deflate data in place of `name` (the last-but-any member), patching both headers."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        infos = zf.infolist()
        info = zf.getinfo(name)
    n, m = (
        int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little"),
        int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little"),
    )
    start = info.header_offset + 30 + n + m
    end = start + info.compress_size
    delta = len(raw) - info.compress_size
    local = bytearray(data[info.header_offset : start])
    local[14:26] = crc.to_bytes(4, "little") + len(raw).to_bytes(4, "little") + size.to_bytes(4, "little")
    body = data[: info.header_offset] + local + raw + data[end:]
    # central directory: fix this member's sizes and every later member's offset
    eocd = body.rfind(b"PK\x05\x06")
    cd_off = int.from_bytes(body[eocd + 16 : eocd + 20], "little") + delta
    body[eocd + 16 : eocd + 20] = cd_off.to_bytes(4, "little")
    pos = cd_off
    for other in infos:
        assert body[pos : pos + 4] == b"PK\x01\x02"
        ln, lm, lk = (int.from_bytes(body[pos + k : pos + k + 2], "little") for k in (28, 30, 32))
        if other.filename == name:
            body[pos + 16 : pos + 28] = (
                crc.to_bytes(4, "little") + len(raw).to_bytes(4, "little") + size.to_bytes(4, "little")
            )
        if other.header_offset > info.header_offset:
            body[pos + 42 : pos + 46] = (other.header_offset + delta).to_bytes(4, "little")
        pos += 46 + ln + lm + lk
    path.write_bytes(bytes(body))


def base_archive(path: Path, customers: int = 30) -> Path:
    """A small real archive written by xlsxwriter, as Excel writes one: shared strings, styles."""
    import datetime as dt

    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    sheets = {
        "客户档案": (
            ["客户编号", "姓名", "手机", "生日", "负责人", "建档日期"],
            [
                [
                    f"C{i}",
                    f"客户{i}",
                    f"1380000{i:04d}",
                    dt.date(1990, 1 + i % 12, 1 + i % 28),
                    "林晓雯",
                    dt.date(2025, 1, 10),
                ]
                for i in range(customers)
            ],
        ),
        "消费记录": (
            ["客户编号", "消费日期", "商品名称", "金额"],
            [[f"C{i}", dt.date(2026, 11, 1 + i % 20), "大衣", 1999] for i in range(customers)],
        ),
        "回访记录": (["客户编号", "回访日期", "回访类型", "结果", "满意度"], []),
    }
    for name, (header, rows) in sheets.items():
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, header)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
                else:
                    ws.write(r, c, value)
    wb.close()
    return path


def hostile_files(base: Path, folder: Path) -> dict[str, Path]:
    """Every hostile variant of the archive `base`: {what: path}. Each must be refused (exit 2)."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for part in xml_members(base):
        tag = re.sub(r"\W+", "_", part)
        out[f"billion laughs in {part}"] = rewrite(
            base, folder / f"laughs_{tag}.xlsx", {part: lambda x: with_doctype(x, BILLION_LAUGHS)}
        )
        out[f"external entity in {part}"] = rewrite(
            base, folder / f"xxe_{tag}.xlsx", {part: lambda x: with_doctype(x, EXTERNAL_ENTITY)}
        )
    with zipfile.ZipFile(base) as zf:
        names = zf.namelist()
    sheet = sheet1(base)
    if "xl/sharedStrings.xml" in names:
        out["uniqueCount 999999999"] = rewrite(base, folder / "sst.xlsx", {"xl/sharedStrings.xml": huge_unique_count})
    if "xl/styles.xml" in names:
        out["cellXfs count 999999999"] = rewrite(base, folder / "styles.xlsx", {"xl/styles.xml": huge_style_count})
    out["an 11-digit row"] = rewrite(base, folder / "row11.xlsx", {sheet: lambda x: add_cell(x, "A12345678901")})
    out["XFD1048576 beyond a small dimension"] = rewrite(
        base, folder / "far.xlsx", {sheet: lambda x: add_cell(small_dimension(x), "XFD1048576")}
    )
    out["a far cell with a DTD in workbook.xml"] = rewrite(
        base,
        folder / "dtd_far.xlsx",
        {"xl/workbook.xml": lambda x: with_doctype(x, PLAIN_DOCTYPE), sheet: lambda x: add_cell(x, "XFD900000")},
    )
    out["a column past XFD"] = rewrite(base, folder / "wide.xlsx", {sheet: lambda x: add_cell(x, "XFE2")})
    out["zip bomb (ratio)"] = zip_bomb(base, folder / "bomb.xlsx", 300 << 20)
    out["zip bomb (lying header)"] = zip_bomb(base, folder / "bomb_lie.xlsx", 300 << 20, lie=True)
    return out


# ---------------------------------------------------------------------------
# a byte- and structure-level mutator


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One random corruption of a file's bytes, or of one XML part inside a zip package."""
    if data[:4] == b"PK\x03\x04" and rng.random() < 0.5:
        try:
            return _mutate_part(data, rng)
        except (zipfile.BadZipFile, KeyError, ValueError, EOFError, zlib.error, OSError):
            pass
    buf = bytearray(data)
    how = rng.randrange(6)
    if how == 0:  # flip a few bytes
        for _ in range(rng.randint(1, 20)):
            buf[rng.randrange(len(buf))] = rng.randrange(256)
    elif how == 1:  # cut short
        del buf[rng.randrange(len(buf)) :]
    elif how == 2:  # insert junk
        at = rng.randrange(len(buf))
        buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 200)))
    elif how == 3:  # zero a range
        at = rng.randrange(len(buf))
        buf[at : at + rng.randint(1, 4096)] = b"\0" * len(buf[at : at + 4096])
    elif how == 4:  # duplicate a range
        at = rng.randrange(len(buf))
        buf[at:at] = buf[at : at + rng.randint(1, 2048)]
    else:  # flip one bit in the middle of the compressed data
        at = rng.randrange(len(buf) // 4, max(len(buf) // 4 + 1, 3 * len(buf) // 4))
        buf[at] ^= 1 << rng.randrange(8)
    return bytes(buf) or b"\0"


_XML_MUTATIONS = [
    lambda x, r: re.sub(
        rb'r="([A-Z]+)\d+"',
        lambda m: b'r="%s%d"' % (m.group(1), r.choice([0, 1048576, 1048577, 99999999999, r.randrange(1, 2000)])),
        x,
        count=r.randint(1, 5),
    ),
    lambda x, r: re.sub(
        rb'(count|uniqueCount)="\d+"', lambda m: m.group(1) + b'="%d"' % r.choice([0, 2**31, 999999999, 2**64]), x
    ),
    lambda x, r: re.sub(
        rb"<v>[^<]*</v>",
        lambda m: r.choice(
            [b"<v>1e308</v>", b"<v>-1</v>", b"<v>NaN</v>", b"<v>99999999</v>", b"<v></v>", b"<v>2958466</v>"]
        ),
        x,
        count=r.randint(1, 20),
    ),
    lambda x, r: x.replace(b"</row>", b"", r.randint(1, 3)),
    lambda x, r: with_doctype(x, r.choice([BILLION_LAUGHS, EXTERNAL_ENTITY, PLAIN_DOCTYPE])),
    lambda x, r: re.sub(
        rb't="s"', r.choice([b't="str"', b't="e"', b't="b"', b't="d"', b't="x"']), x, count=r.randint(1, 10)
    ),
    lambda x, r: x[: r.randrange(len(x))],
    lambda x, r: re.sub(
        rb"<t>([^<]*)</t>",
        lambda m: (
            b"<t>"
            + r.choice([b"=cmd|' /C calc'!A0", b"\xef\xbf\xbe", b"&#1;", b"x" * 40000, b"9999-12-31", b""])
            + b"</t>"
        ),
        x,
        count=r.randint(1, 10),
    ),
]


def _mutate_part(data: bytes, rng: random.Random) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = [(i.filename, zf.read(i)) for i in zf.infolist()]
    xml = [k for k, (name, _) in enumerate(members) if name.lower().endswith((".xml", ".rels"))]
    if not xml:
        raise ValueError("no XML part")
    k = rng.choice(xml)
    name, body = members[k]
    members[k] = (name, rng.choice(_XML_MUTATIONS)(body, rng) if body else body)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, b in members:
            zf.writestr(n, b)
    return out.getvalue()


def seeds() -> list[Path]:
    """The files the mutator starts from: the samples and the real workbooks."""
    found = sorted(SAMPLES.glob("*.xlsx"))
    if REAL.is_dir():
        found += sorted(
            p for p in REAL.iterdir() if p.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb", ".csv")
        )
    return found
