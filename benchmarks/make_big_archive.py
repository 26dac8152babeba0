"""Generate a large retail archive for the scale benchmark, deterministically.

    python benchmarks/make_big_archive.py OUT.xlsx [--customers 100000 --purchases 500000
                                                    --visits 300000] [--seed N]

The workbook has the shape followup reads (sheets 客户档案, 消费记录, 回访记录, 售后工单, 员工
with Chinese headers, as in sample_workbooks/make_samples.py) and a little of a real
archive's mess: a title banner above the customer header row, mostly real Excel dates
with some typed as text (2025/6/3, 2025年6月3日, 2025.6.3) or left as serial numbers,
birthdays without a year and lunar birthdays (农历八月十五), phones as numbers or with
dashes and +86, amounts with ¥ and thousands separators, yes/no written several ways.
Purchases and visits are dated 2025-05-01 .. 2026-11-22; the benchmark plans for
2026-11-23.

The same parameters and seed give the same rows every run. `ensure_archive()` caches the
file under benchmarks/out/ (git-ignored), keyed by the parameters and by this script's own
text, so a rerun skips the generation and an edited generator makes a fresh file.

Writing is done with xlsxwriter when it is installed (about 2.5x faster than openpyxl),
otherwise with openpyxl's write-only mode. Both write a shared-strings table as Excel and
WPS do (xlsxwriter's constant-memory mode would write inline strings instead, which is not
what a shop's file looks like); at full size xlsxwriter holds about 1.2 GB while writing.
xlsxwriter is a tool of this benchmark only, not a dependency of followup.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.util
import os
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT_DIR = HERE / "out"

FIRST_DAY = dt.date(2025, 5, 1)
LAST_DAY = dt.date(2026, 11, 22)
SPAN = (LAST_DAY - FIRST_DAY).days
EXCEL_EPOCH = dt.date(1899, 12, 30)
FIXED_TIME = dt.datetime(2026, 11, 23)  # workbook properties, so the file does not carry today's date

SHEETS = {
    "客户档案": [
        "客户编号",
        "姓名",
        "性别",
        "手机",
        "生日",
        "会员等级",
        "门店",
        "负责人",
        "建档日期",
        "积分",
        "拒绝回访",
    ],
    "消费记录": ["客户编号", "消费日期", "商品名称", "金额", "当季新品", "订单号"],
    "回访记录": [
        "回访编号",
        "客户编号",
        "回访日期",
        "回访类型",
        "回访方式",
        "回访人",
        "结果",
        "满意度",
        "评分",
        "备注",
        "任务编号",
    ],
    "售后工单": ["工单号", "客户编号", "受理时间", "工单类型", "严重程度", "结案时间", "处理结果"],
    "员工": ["工号", "姓名", "门店", "地区", "角色", "离职日期", "能力权重"],
}
BANNER = "锦绣服饰 VIP 客户档案（内部资料，请勿外传）"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉梅海燕晨宇欣怡子涵浩然梓萱思远雨桐嘉"
STORES = ["南京路店", "淮海路店", "徐家汇店", "五角场店", "陆家嘴店", "静安寺店", "中山公园店", "七宝店"]
PRODUCTS_NEW = ["秋冬羊绒大衣", "新款针织衫", "冬季羽绒服", "新款围巾", "当季毛呢裙"]
PRODUCTS_OLD = ["基础款T恤", "牛仔裤", "衬衫", "运动袜", "休闲裤", "皮带"]
LUNAR_MONTHS = ["正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊"]
LUNAR_DAYS = ["初一", "初二", "初三", "初五", "初八", "初十", "十二", "十五", "十八", "二十", "廿三", "廿八", "三十"]
VISIT_KINDS = ["产品使用回访", "生日回访", "售后回访", "沉睡唤醒", "积分提醒", "节日问候"]
OUTCOMES = ["已联系", "已联系", "已联系", "未接通"]
SATISFACTION = ["非常满意", "满意", "满意", "一般", "不满意"]
NOTES = ["", "", "", "", "客户建议增加大码", "希望有更多颜色", "对店员服务很满意"]
TICKET_TYPES = ["退换", "退换", "维修", "投诉"]
TICKET_OUTCOMES = ["已换货", "已退款", "已维修", "已道歉并补偿"]


def archive_key(customers: int, purchases: int, visits: int, seed: int) -> str:
    """The cache file name: the parameters, plus a digest of this script so edits regenerate."""
    digest = hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:8]
    return f"archive_c{customers}_p{purchases}_v{visits}_s{seed}_{digest}.xlsx"


def ensure_archive(
    customers: int = 100_000, purchases: int = 500_000, visits: int = 300_000, seed: int = 20261123, log=None
) -> Path:
    """The cached archive for these parameters, generated first if it is not there yet."""
    path = OUT_DIR / archive_key(customers, purchases, visits, seed)
    if path.exists():
        return path
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.xlsx")
    try:
        write_archive(tmp, customers, purchases, visits, seed)
        tmp.replace(path)  # a half-written file is never taken for a cached one
    finally:
        tmp.unlink(missing_ok=True)
    if log:
        log(f"generated {path} in {time.perf_counter() - start:.1f} s ({path.stat().st_size / 1e6:.1f} MB)")
    return path


def archive_in_a_child(customers: int, purchases: int, visits: int, seed: int, log=None) -> Path:
    """The cached archive, generated first by a child process when it is missing.

    Not in the caller's process: the generator peaks at about 1.2 GB, Python keeps that memory,
    and a child's peak RSS starts from its parent's size at fork (Linux carries the high-water
    mark across exec), so every later measurement would read about 1 GB.
    """
    import subprocess

    path = OUT_DIR / archive_key(customers, purchases, visits, seed)
    if not path.exists():
        if log:
            log("generating the archive (about a minute at full size) ...")
        argv = [sys.executable, str(Path(__file__).resolve()), "--customers", str(customers)]
        argv += ["--purchases", str(purchases), "--visits", str(visits), "--seed", str(seed)]
        proc = subprocess.run(argv, stdout=subprocess.DEVNULL)
        if proc.returncode != 0 or not path.exists():
            raise SystemExit(f"generating {path} failed (exit {proc.returncode})")
    return path


# ---- the rows ---------------------------------------------------------------------------------
# Dates are yielded as dt.date (written as a real Excel date), str (typed as text) or int
# (a bare serial number, as when a clerk pastes values without formats).


def _serial(d: dt.date) -> int:
    return (d - EXCEL_EPOCH).days


def _messy_date(rng: random.Random, d: dt.date, real: float):
    r = rng.random()
    if r < real:
        return d
    r = rng.randrange(5)
    if r == 0:
        return f"{d.year}/{d.month}/{d.day}"
    if r == 1:
        return f"{d.year}年{d.month}月{d.day}日"
    if r == 2:
        return f"{d.year}.{d.month}.{d.day}"
    if r == 3:
        return d.isoformat()
    return _serial(d)


def _day(rng: random.Random) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=rng.randint(0, SPAN))


def _staff(n_customers: int) -> list[tuple]:
    """About one clerk per 2,500 customers, at least 4; two of them have left."""
    count = max(4, n_customers // 2500)
    rng = random.Random(4)
    staff = []
    for k in range(count):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        left = dt.date(2026, 10, 31) if k in (3, 17) else None
        staff.append(
            (
                f"S{k + 1:03d}",
                name,
                STORES[k % len(STORES)],
                "上海",
                "supervisor" if k % 10 == 0 else "clerk",
                left,
                1 + k % 3,
            )
        )
    return staff


def _customer_id(i: int) -> str:
    """C000001 ..., every 50th a bare number with a leading zero (0000050), kept as text."""
    return f"C{i:06d}" if i % 50 else f"0{i:06d}"


def customer_rows(rng: random.Random, n: int, staff: list[tuple]):
    for i in range(1, n + 1):
        s = staff[rng.randrange(len(staff))]
        digits = "1" + "3578"[rng.randrange(4)] + f"{rng.randrange(10**9):09d}"
        r = rng.random()
        if r < 0.6:
            phone = int(digits)
        elif r < 0.8:
            phone = digits
        elif r < 0.9:
            phone = f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
        else:
            phone = f"+86 {digits}"
        r = rng.random()
        bday = dt.date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28))
        if r < 0.05:
            bday = f"农历{LUNAR_MONTHS[rng.randrange(12)]}月{LUNAR_DAYS[rng.randrange(len(LUNAR_DAYS))]}"
        elif r < 0.10:
            bday = f"{bday.month}月{bday.day}日"
        elif r < 0.12:
            bday = f"{bday.month:02d}-{bday.day:02d}"
        else:
            bday = _messy_date(rng, bday, 0.9)
        vip = rng.random() < 0.4
        points = rng.choice((0, 80, 120, 300, 520, 800, 1200, 2500)) if vip else rng.choice((0, 50, 200, 600))
        archived = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, (LAST_DAY - dt.date(2023, 1, 1)).days))
        r = rng.random()
        dnc = "是" if r < 0.01 else ("否" if r < 0.3 else "")
        yield [
            _customer_id(i),
            rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else ""),
            "女" if rng.random() < 0.65 else "男",
            phone,
            bday,
            "VIP" if vip else "普通",
            s[2],
            s[1],
            _messy_date(rng, archived, 0.9),
            points,
            dnc,
        ]


def purchase_rows(rng: random.Random, n: int, n_customers: int):
    # A few busy customers buy much more than most: draw the customer from a skewed spread.
    for k in range(1, n + 1):
        c = min(n_customers, 1 + int(n_customers * rng.random() ** 1.3))
        new = rng.random() < 0.3
        amount = round(rng.uniform(89, 4800), 2)
        r = rng.random()
        if r < 0.05:
            amount = f"¥{amount:,.2f}"
        elif r < 0.08:
            amount = f"{amount:,.2f}"
        flag = ("是" if new else "否") if rng.random() < 0.9 else ("Y" if new else "")
        products = PRODUCTS_NEW if new else PRODUCTS_OLD
        yield [
            _customer_id(c),
            _messy_date(rng, _day(rng), 0.93),
            products[rng.randrange(len(products))],
            amount,
            flag,
            f"SO{k:07d}",
        ]


def visit_rows(rng: random.Random, n: int, n_customers: int, staff: list[tuple]):
    for k in range(1, n + 1):
        c = 1 + rng.randrange(n_customers)
        outcome = OUTCOMES[rng.randrange(4)]
        reached = outcome == "已联系"
        yield [
            f"V{k:07d}",
            _customer_id(c),
            _messy_date(rng, _day(rng), 0.95),
            VISIT_KINDS[rng.randrange(len(VISIT_KINDS))],
            "电话" if rng.random() < 0.7 else "短信",
            staff[rng.randrange(len(staff))][1],
            outcome,
            SATISFACTION[rng.randrange(5)] if reached else "",
            rng.randint(2, 5) if reached else "",
            NOTES[rng.randrange(len(NOTES))],
            "",
        ]


def ticket_rows(rng: random.Random, n: int, n_customers: int):
    for k in range(1, n + 1):
        opened = _day(rng)
        closed = opened + dt.timedelta(days=rng.randint(0, 5))
        yield [
            f"TK{k:06d}",
            _customer_id(1 + rng.randrange(n_customers)),
            opened,
            TICKET_TYPES[rng.randrange(4)],
            "重大" if rng.random() < 0.2 else "一般",
            closed if closed <= LAST_DAY else "",
            TICKET_OUTCOMES[rng.randrange(4)],
        ]


def staff_rows(staff: list[tuple]):
    for s in staff:
        yield [s[0], s[1], s[2], s[3], s[4], s[5] or "", s[6]]


def sheets(customers: int, purchases: int, visits: int, seed: int):
    """(sheet name, header row index, row iterator) for every sheet, in workbook order."""
    staff = _staff(customers)
    tickets = max(1, customers // 20)
    return [
        ("客户档案", 2, customer_rows(random.Random(f"{seed}-customers"), customers, staff)),
        ("消费记录", 0, purchase_rows(random.Random(f"{seed}-purchases"), purchases, customers)),
        ("回访记录", 0, visit_rows(random.Random(f"{seed}-visits"), visits, customers, staff)),
        ("售后工单", 0, ticket_rows(random.Random(f"{seed}-tickets"), tickets, customers)),
        ("员工", 0, staff_rows(staff)),
    ]


# ---- writers ----------------------------------------------------------------------------------


def write_archive(path: Path, customers: int, purchases: int, visits: int, seed: int) -> None:
    if importlib.util.find_spec("xlsxwriter") is None:
        _write_openpyxl(path, customers, purchases, visits, seed)
    else:
        _write_xlsxwriter(path, customers, purchases, visits, seed)


def _write_xlsxwriter(path: Path, customers: int, purchases: int, visits: int, seed: int) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    wb.set_properties({"author": "followup benchmark generator", "created": FIXED_TIME})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    text_fmt = wb.add_format({"num_format": "@"})
    bold = wb.add_format({"bold": True})
    for name, header_idx, rows in sheets(customers, purchases, visits, seed):
        ws = wb.add_worksheet(name)
        headers = SHEETS[name]
        if header_idx:
            ws.merge_range(0, 0, 0, len(headers) - 1, BANNER, wb.add_format({"bold": True, "align": "center"}))
        ws.write_row(header_idx, 0, headers, bold)
        write_string, write_number = ws.write_string, ws.write_number
        r = header_idx
        for row in rows:
            r += 1
            for c, v in enumerate(row):
                if v == "":
                    continue
                if v.__class__ is str:
                    if c == 0:
                        write_string(r, c, v, text_fmt)  # ids are text: 0000050 keeps its zeros
                    else:
                        write_string(r, c, v)
                elif v.__class__ is dt.date:
                    write_number(r, c, _serial(v), date_fmt)
                else:
                    write_number(r, c, v)
        ws.set_column(0, len(headers) - 1, 14)
        ws.freeze_panes(header_idx + 1, 0)
    wb.close()


def _write_openpyxl(path: Path, customers: int, purchases: int, visits: int, seed: int) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    wb.properties.creator = "followup benchmark generator"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    for name, header_idx, rows in sheets(customers, purchases, visits, seed):
        ws = wb.create_sheet(name)
        headers = SHEETS[name]
        if header_idx:
            ws.append([BANNER])
            ws.append([])
        ws.append(headers)
        for row in rows:
            out = []
            for v in row:
                if v.__class__ is dt.date:
                    cell = WriteOnlyCell(ws, value=v)
                    cell.number_format = "yyyy-mm-dd"
                    out.append(cell)
                else:
                    out.append(None if v == "" else v)
            ws.append(out)
    wb.save(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", nargs="?", help="where to copy the archive (default: just the cache in benchmarks/out/)")
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--purchases", type=int, default=500_000)
    ap.add_argument("--visits", type=int, default=300_000)
    ap.add_argument("--seed", type=int, default=20261123)
    args = ap.parse_args(argv)
    cached = ensure_archive(
        args.customers, args.purchases, args.visits, args.seed, log=lambda m: print(m, file=sys.stderr)
    )
    if args.out:
        out = Path(args.out)
        if out.resolve() != cached.resolve():
            import shutil

            shutil.copyfile(cached, out)
        print(out)
    else:
        print(cached)
    return 0


if __name__ == "__main__":
    sys.exit(main())
