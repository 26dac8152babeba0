"""Append 1,000 visits to a 300,000-row visit log: followup's surgical writer vs openpyxl.

    python benchmarks/bench_record_append.py [--rows 300000] [--append 1000] [--workdir DIR]

Generates (once, deterministically, cached in --workdir) a visit log workbook shaped like
one Excel writes: shared strings, a date style, an autofilter, 12 columns, a second sheet.
Then, in one run, on two fresh copies of it:
  * followup: `writing.append_rows` of 1,000 rows;
  * openpyxl: `load_workbook` → `ws.append` × 1,000 → `save`, the plain way.
Each runs in its own child process; wall time is measured around the child (interpreter
start included); CPU time (user + system) and peak memory (ru_maxrss) are the child's own,
from os.wait4. On a busy machine wall time varies; CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

SHEET = "回访记录"
HEADER = [
    "回访日期",
    "客户编号",
    "姓名",
    "手机",
    "回访类型",
    "渠道",
    "结果",
    "满意度",
    "评分",
    "问题类别",
    "备注",
    "任务编号",
]
KINDS = ["生日关怀", "节日问候", "售后回访", "沉睡唤醒", "新品推荐"]
CHANNELS = ["电话", "短信", "微信"]
OUTCOMES = ["已接通", "未接通", "拒绝", "空号"]
SATISFACTION = ["非常满意", "满意", "一般", "不满意", "非常不满意", ""]
ISSUES = ["", "", "", "产品质量", "服务质量", "技术问题", "价格", "其他"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "芳伟娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
NOTES = ["", "客户满意", "要求下次周末联系", "对新款感兴趣", "反映尺码偏小", "已处理退换", "价格敏感", "暂不需要"]


def visit_row(i: int, rng: random.Random) -> list:
    day = dt.date(2020, 1, 1) + dt.timedelta(days=i * 1826 // 300_000)
    return [
        day,
        f"C{rng.randrange(1, 40_000):06d}",
        rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", rng.choice(GIVEN)]),
        f"1{rng.randrange(30, 90)}{rng.randrange(10**8):08d}",
        rng.choice(KINDS),
        rng.choice(CHANNELS),
        rng.choice(OUTCOMES),
        rng.choice(SATISFACTION),
        rng.randrange(0, 6),
        rng.choice(ISSUES),
        rng.choice(NOTES),
        f"T{i:07d}",
    ]


def new_rows(n: int) -> list[list]:
    rng = random.Random(20240601)
    return [visit_row(300_000 + i, rng) for i in range(n)]


# ---------------------------------------------------------------------------
# the workbook, written the way Excel lays it out


def generate(path: Path, rows: int) -> None:
    from followup_cli.xlsx.refs import col_letters as _col

    rng = random.Random(7)
    strings: dict[str, int] = {}

    def sst(text: str) -> int:
        idx = strings.get(text)
        if idx is None:
            idx = strings[text] = len(strings)
        return idx

    epoch = dt.date(1899, 12, 30)
    tmp = path.with_suffix(".partial")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=False) as f:
            last = rows + 1
            f.write(
                (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                    f'<dimension ref="A1:L{last}"/><sheetViews><sheetView tabSelected="1" workbookViewId="0">'
                    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
                    '<sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="1" width="12" customWidth="1"/>'
                    '<col min="11" max="11" width="30" customWidth="1"/></cols><sheetData>'
                ).encode()
            )
            cells = "".join(f'<c r="{_col(j)}1" s="1" t="s"><v>{sst(h)}</v></c>' for j, h in enumerate(HEADER, 1))
            f.write(f'<row r="1" spans="1:12">{cells}</row>'.encode())
            buf = []
            for i in range(rows):
                r = i + 2
                row = visit_row(i, rng)
                out = [f'<row r="{r}" spans="1:12">', f'<c r="A{r}" s="2"><v>{(row[0] - epoch).days}</v></c>']
                for j, v in enumerate(row[1:], 2):
                    if v == "":
                        continue
                    if isinstance(v, int):
                        out.append(f'<c r="{_col(j)}{r}"><v>{v}</v></c>')
                    else:
                        out.append(f'<c r="{_col(j)}{r}" t="s"><v>{sst(v)}</v></c>')
                out.append("</row>")
                buf.append("".join(out))
                if len(buf) == 5000:
                    f.write("".join(buf).encode())
                    buf = []
            f.write("".join(buf).encode())
            f.write(
                f'</sheetData><autoFilter ref="A1:L{last}"/>'
                '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
                "</worksheet>".encode()
            )
        z.writestr(
            "xl/worksheets/sheet2.xml",
            (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                '<row r="1"><c r="A1" t="inlineStr"><is><t>回访总数</t></is></c>'
                f"<c r=\"B1\"><f>COUNTA('{SHEET}'!B:B)-1</f><v>{rows}</v></c></row>"
                "</sheetData></worksheet>"
            ),
        )
        items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        z.writestr(
            "xl/sharedStrings.xml",
            (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
            ),
        )
        z.writestr(
            "xl/styles.xml",
            (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
                '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
                '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
                '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
            ),
        )
        z.writestr(
            "xl/workbook.xml",
            (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                f'<sheet name="{SHEET}" sheetId="1" r:id="rId1"/><sheet name="汇总" sheetId="2" r:id="rId2"/></sheets>'
                f'<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">\'{SHEET}\'!$A$1:$L${rows + 1}</definedName></definedNames>'
                "</workbook>"
            ),
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>'
                '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
                '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                "</Relationships>"
            ),
        )
        z.writestr(
            "_rels/.rels",
            (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                "</Relationships>"
            ),
        )
        ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        z.writestr(
            "[Content_Types].xml",
            (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
                f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
                f'<Override PartName="/xl/worksheets/sheet2.xml" ContentType="{ct}.worksheet+xml"/>'
                f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>'
                f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/>'
                "</Types>"
            ),
        )
    os.replace(tmp, path)


# ---------------------------------------------------------------------------
# the two contestants, each in a child process


def child_followup(path: str, n: int) -> None:
    from followup_cli.writeback.transaction import append_rows

    result = append_rows(path, SHEET, new_rows(n), command="bench", backup=True)
    print(f"rows {result.rows_written[0]}-{result.rows_written[-1]}", file=sys.stderr)


def child_openpyxl(path: str, n: int) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET]
    for row in new_rows(n):
        ws.append(row)
    wb.save(path)
    print(f"max_row {ws.max_row}", file=sys.stderr)


def measure(kind: str, path: Path, n: int) -> tuple[float, float, float, str]:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", kind, str(path), "--append", str(n)], stderr=subprocess.PIPE, text=True
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    note = proc.stderr.read().strip()
    if proc.returncode:
        raise SystemExit(f"{kind} failed ({proc.returncode}): {note}")
    rss_mb = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
    return wall, usage.ru_utime + usage.ru_stime, rss_mb, note


def last_row(path: Path) -> int:
    from followup_cli.xlsx.scan import scan_sheet

    with zipfile.ZipFile(path) as z, z.open("xl/worksheets/sheet1.xml") as f:
        return scan_sheet(f, str(path)).last_real.number


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=300_000)
    ap.add_argument("--append", type=int, default=1_000)
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "followup-bench")
    ap.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    ap.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.generate:
        generate(args.generate, args.rows)
        return
    if args.child:
        kind, path = args.child
        (child_followup if kind == "followup" else child_openpyxl)(path, args.append)
        return

    args.workdir.mkdir(parents=True, exist_ok=True)
    source = args.workdir / f"visit-log-{args.rows}.xlsx"
    if not source.exists():
        # In a child: a parent grown by generating would count in the children's
        # ru_maxrss (Linux hands a vfork'd child's exec the parent's high-water mark).
        t = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--generate", str(source), "--rows", str(args.rows)], check=True)
        print(f"generated {source} in {time.perf_counter() - t:.1f} s")
    print(
        f"visit log: {args.rows:,} rows x {len(HEADER)} columns, {source.stat().st_size / 2**20:.1f} MB; "
        f"appending {args.append:,} rows"
    )

    results = {}
    for kind in ("followup", "openpyxl"):
        run_dir = args.workdir / kind
        shutil.rmtree(run_dir, ignore_errors=True)
        run_dir.mkdir()
        copy = run_dir / "visits.xlsx"
        shutil.copyfile(source, copy)
        wall, cpu, rss, note = measure(kind, copy, args.append)
        check = last_row(copy)
        assert check == args.rows + 1 + args.append, (kind, check)
        results[kind] = (wall, cpu, rss)
        print(
            f"  {kind:9s} wall {wall:8.2f} s   cpu {cpu:8.2f} s   peak RSS {rss:8.1f} MB   "
            f"({note}; last row now {check:,})"
        )

    (fw, fc, fm), (ow, oc, om) = results["followup"], results["openpyxl"]
    print(
        f"followup: {ow / fw:.1f}x faster by wall time ({oc / fc:.1f}x by CPU time), "
        f"{fm / om:.3f} of the peak memory (1/{om / fm:.0f}); target: >= 10x faster, <= 1/10 of the memory"
    )


if __name__ == "__main__":
    main()
