"""Make the sample archives in this folder, deterministically (same bytes of data every run).

    python sample_workbooks/make_samples.py

The retail VIP shop (seed 000) comes twice, with Chinese and with English headers: about
300 customers, 2 stores, 4 staff, 18 months of purchases up to 2026-11-22, a visit log and
after-sales tickets. The clerks' mess is on purpose, the kind real archives have: a title
banner above the header row, blank rows, dates typed as text in several forms or stored as
serial numbers, birthdays without a year and lunar birthdays, phones as numbers or with
dashes and +86, yes/no written many ways, amounts with ¥ and thousands separators.

One more archive per trade preset, Chinese headers, demo day 2026-11-23 as well, each with a
'<name>.followup.toml' naming its preset (`followup due sample_workbooks/<file> --as-of 2026-11-23`):
  distributor_zh.xlsx   a health-wine maker's dealers, partners, group buyers; orders with ship dates
  sales_zh.xlsx         an office-equipment seller: graded accounts, orders, projects, complaints,
                        and the sign-in lists of its marketing events
  health_zh.xlsx        a health-products shop: customers met at events, buyers and non-buyers, a doctor
  decoration_zh.xlsx    a home-decoration company: projects with start, mid payment, completion, warranty;
                        repair and complaint tickets
  real_estate_zh.xlsx   a sales office: inbound-call and walk-in leads graded A-D, special customers,
                        buyers, and the project's marketing and construction milestones
  property_zh.xlsx      a residential estate's property office: residents, complaints and repairs
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from followup_cli.text.names import romanise  # noqa: E402  (the same romanisation the scripts use)

HERE = Path(__file__).resolve().parent
TODAY = dt.date(2026, 11, 23)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅海燕晨宇欣怡子涵浩然梓萱思远雨桐嘉怡"
PINYIN_SURNAMES = [
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Xu",
    "Sun",
    "Ma",
    "Zhu",
    "Hu",
    "Guo",
    "He",
    "Gao",
    "Lin",
    "Luo",
]
PINYIN_GIVEN = [
    "Wei",
    "Fang",
    "Na",
    "Min",
    "Jing",
    "Li",
    "Qiang",
    "Lei",
    "Jun",
    "Yang",
    "Yong",
    "Yan",
    "Jie",
    "Juan",
    "Tao",
    "Ming",
    "Chao",
    "Xia",
    "Ping",
    "Gang",
    "Hua",
    "Hong",
    "Yu",
    "Mei",
    "Chen",
]
PRODUCTS_NEW = ["秋冬羊绒大衣", "新款针织衫", "冬季羽绒服", "新款围巾", "当季毛呢裙"]
PRODUCTS_OLD = ["基础款T恤", "牛仔裤", "衬衫", "运动袜", "休闲裤", "皮带"]
PRODUCTS_EN = {
    "秋冬羊绒大衣": "Cashmere coat",
    "新款针织衫": "New knit sweater",
    "冬季羽绒服": "Down jacket",
    "新款围巾": "New scarf",
    "当季毛呢裙": "Wool skirt",
    "基础款T恤": "Basic T-shirt",
    "牛仔裤": "Jeans",
    "衬衫": "Shirt",
    "运动袜": "Sports socks",
    "休闲裤": "Chinos",
    "皮带": "Belt",
}
LUNAR_MONTHS = ["正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊"]
LUNAR_DAYS_N = [1, 2, 3, 5, 8, 10, 12, 15, 18, 20, 23, 28, 30]
LUNAR_DAYS = ["初一", "初二", "初三", "初五", "初八", "初十", "十二", "十五", "十八", "二十", "廿三", "廿八", "三十"]

STAFF = [
    ("S01", "林晓雯", "Lin Xiaowen", "南京路店", "Nanjing Rd", "上海", "clerk", None, 1),
    ("S02", "周建华", "Zhou Jianhua", "南京路店", "Nanjing Rd", "上海", "clerk", None, 1),
    ("S03", "陈雅琪", "Chen Yaqi", "淮海路店", "Huaihai Rd", "上海", "clerk", None, 2),
    ("S04", "赵磊", "Zhao Lei", "淮海路店", "Huaihai Rd", "上海", "supervisor", dt.date(2026, 10, 31), 1),
]


def excel_serial(d: dt.date) -> int:
    return (d - dt.date(1899, 12, 30)).days


def messy_date(rng: random.Random, d: dt.date, style_bias: float = 0.75):
    """A date as a clerk might have entered it: mostly a real date, sometimes text or a serial."""
    r = rng.random()
    if r < style_bias:
        return d
    forms = [
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year}年{d.month}月{d.day}日",
        f"{d.year}.{d.month}.{d.day}",
        d.isoformat(),
        excel_serial(d),
    ]
    return rng.choice(forms)


def messy_phone(rng: random.Random, digits: str):
    r = rng.random()
    if r < 0.55:
        return int(digits)
    if r < 0.7:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    if r < 0.8:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if r < 0.9:
        return f"+86 {digits}"
    return digits


def yes_no(rng: random.Random, value: bool, lang: str):
    if lang == "en":
        return rng.choice(["Yes", "y", "Y", "1"]) if value else rng.choice(["No", "", "N", "0"])  # as zh, word for word
    return rng.choice(["是", "√", "Y", "1"]) if value else rng.choice(["否", "", "N", "0"])


def retail_data(seed: int = 20261123):
    """The shop's records as plain Python values (language-neutral, Chinese product names)."""
    rng = random.Random(seed)
    customers, purchases, visits, tickets = [], [], [], []
    n = 300
    for i in range(1, n + 1):
        cid = f"C{i:04d}" if i % 10 else f"00{i:03d}"  # some ids keep their leading zeros
        gender = rng.choice(["男", "女", "女"])
        zh_name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
        rng.choice(PINYIN_GIVEN), rng.choice(PINYIN_SURNAMES)  # kept: the draws after it stay as they were
        en_name = romanise(zh_name)  # the same person: 李娜 → Li Na, surname first
        staff = rng.choice(STAFF)
        archived = TODAY - dt.timedelta(days=rng.randint(20, 900))
        byear = rng.randint(1960, 2002)
        bday = dt.date(byear, rng.randint(1, 12), rng.randint(1, 28))
        if i % 37 == 0:
            bday = TODAY.replace(year=byear)  # birthdays today
        lunar = i % 23 == 0
        tier = "VIP" if rng.random() < 0.45 else "普通"
        points = rng.choice([0, 80, 120, 300, 520, 800, 1200, 2500]) if tier == "VIP" else rng.choice([0, 50, 200, 600])
        customers.append(
            {
                "id": cid,
                "zh_name": zh_name,
                "en_name": en_name,
                "gender": gender,
                "phone": "1" + rng.choice("3578") + "".join(str(rng.randint(0, 9)) for _ in range(9)),
                "birthday": bday,
                "lunar": lunar,
                "lunar_month": rng.randrange(len(LUNAR_MONTHS)) + 1,
                "lunar_day": rng.choice(LUNAR_DAYS),
                "tier": tier,
                "store": staff[3],
                "store_en": staff[4],
                "owner": staff[1],
                "owner_en": staff[2],
                "archived": archived,
                "points": points,
                "dnc": i % 41 == 0,
                "region": "上海",
            }
        )
    start = TODAY - dt.timedelta(days=548)
    order = 1
    for c in customers:
        active = rng.random()
        count = rng.randint(1, 12) if active > 0.2 else rng.randint(0, 2)
        for _ in range(count):
            d = start + dt.timedelta(days=rng.randint(0, 547))
            if active < 0.2:
                d = start + dt.timedelta(days=rng.randint(0, 300))  # dormant customers stop early
            new = rng.random() < 0.4
            product = rng.choice(PRODUCTS_NEW if new else PRODUCTS_OLD)
            purchases.append(
                {
                    "customer": c["id"],
                    "date": d,
                    "amount": round(rng.uniform(89, 4800), 2),
                    "product": product,
                    "new": new,
                    "order": f"SO{order:06d}",
                }
            )
            order += 1
    # Recent new-season purchases so the product-use calls come due around the demo day.
    for k, c in enumerate(rng.sample(customers, 18)):
        d = TODAY - dt.timedelta(days=rng.choice([6, 7, 8, 9, 10]))
        purchases.append(
            {
                "customer": c["id"],
                "date": d,
                "amount": round(rng.uniform(599, 3999), 2),
                "product": rng.choice(PRODUCTS_NEW),
                "new": True,
                "order": f"SO{order:06d}",
            }
        )
        order += 1
    purchases.sort(key=lambda p: (p["date"], p["order"]))
    ticket_no = 1
    for c in rng.sample(customers, 30):
        opened = TODAY - dt.timedelta(days=rng.randint(3, 200))
        closed = opened + dt.timedelta(days=rng.randint(0, 5))
        kind = rng.choice(["退换", "退换", "维修", "投诉"])
        tickets.append(
            {
                "id": f"TK{ticket_no:04d}",
                "customer": c["id"],
                "opened": opened,
                "type": kind,
                "severity": rng.choice(["一般", "一般", "重大"]),
                "closed": closed if closed < TODAY else None,
                "outcome": rng.choice(["已换货", "已退款", "已维修", "已道歉并补偿"]),
            }
        )
        ticket_no += 1
    for j, c in enumerate(rng.sample(customers, 4)):
        opened = TODAY - dt.timedelta(days=4 + j)
        tickets.append(
            {
                "id": f"TK{ticket_no:04d}",
                "customer": c["id"],
                "opened": opened,
                "type": "退换",
                "severity": "一般",
                "closed": opened + dt.timedelta(days=1),
                "outcome": "已换货",
            }
        )
        ticket_no += 1
    kinds = ["产品使用回访", "生日回访", "售后回访", "沉睡唤醒", "积分提醒", "节日问候"]
    sats = ["非常满意", "满意", "满意", "一般", "不满意"]
    visit_no = 1
    for _ in range(420):
        c = rng.choice(customers)
        d = TODAY - dt.timedelta(days=rng.randint(1, 500))
        outcome = rng.choice(["已联系", "已联系", "已联系", "未接通"])
        visits.append(
            {
                "id": f"V{visit_no:05d}",
                "customer": c["id"],
                "date": d,
                "kind": rng.choice(kinds),
                "channel": rng.choice(["电话", "电话", "短信"]),
                "staff": c["owner"],
                "outcome": outcome,
                "satisfaction": rng.choice(sats) if outcome == "已联系" else "",
                "score": rng.randint(2, 5) if outcome == "已联系" else None,
                "notes": rng.choice(["", "", "客户建议增加大码", "希望有更多颜色", "对店员服务很满意"]),
            }
        )
        visit_no += 1
    visits.sort(key=lambda v: (v["date"], v["id"]))
    return customers, purchases, visits, tickets


ZH = {
    "customers": [
        "客户编号",
        "姓名",
        "性别",
        "手机",
        "生日",
        "生日类型",
        "会员等级",
        "门店",
        "负责人",
        "建档日期",
        "积分",
        "拒绝回访",
        "地区",
        "备注",
    ],
    "purchases": ["客户编号", "消费日期", "商品名称", "金额", "当季新品", "订单号"],
    "visits": [
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
    "tickets": ["工单号", "客户编号", "受理时间", "工单类型", "严重程度", "结案时间", "处理结果"],
    "staff": ["工号", "姓名", "门店", "地区", "角色", "离职日期", "能力权重"],
}
EN = {
    "customers": [
        "Customer ID",
        "Name",
        "Gender",
        "Phone",
        "Birthday",
        "Birthday type",
        "Tier",
        "Store",
        "Owner",
        "Archived on",
        "Points",
        "Do not contact",
        "Region",
        "Notes",
    ],
    "purchases": ["Customer ID", "Date", "Product", "Amount", "New season", "Order ID"],
    "visits": [
        "Visit ID",
        "Customer ID",
        "Date",
        "Kind",
        "Channel",
        "Staff",
        "Outcome",
        "Satisfaction",
        "Score",
        "Notes",
        "Task ID",
    ],
    "tickets": ["Ticket ID", "Customer ID", "Opened at", "Type", "Severity", "Closed at", "Outcome"],
    "staff": ["Staff ID", "Name", "Store", "Region", "Role", "Left on", "Capacity"],
}
SHEETS = {
    "zh": {
        "customers": "客户档案",
        "purchases": "消费记录",
        "visits": "回访记录",
        "tickets": "售后工单",
        "staff": "员工",
    },
    "en": {
        "customers": "Customers",
        "purchases": "Purchases",
        "visits": "Visits",
        "tickets": "Tickets",
        "staff": "Staff",
    },
}
EN_WORDS = {
    "男": "M",
    "女": "F",
    "普通": "Regular",
    "退换": "Return/exchange",
    "维修": "Repair",
    "投诉": "Complaint",
    "一般": "General",
    "重大": "Major",
    "已换货": "Exchanged",
    "已退款": "Refunded",
    "已维修": "Repaired",
    "已道歉并补偿": "Apologised and compensated",
    "产品使用回访": "product-use check-in",
    "生日回访": "birthday greeting",
    "售后回访": "after-sales follow-up",
    "沉睡唤醒": "dormant win-back",
    "积分提醒": "points reminder",
    "节日问候": "festival greeting",
    "电话": "phone",
    "短信": "SMS",
    "已联系": "reached",
    "未接通": "no answer",
    "非常满意": "very satisfied",
    "满意": "satisfied",
    "不满意": "dissatisfied",
    "客户建议增加大码": "asks for larger sizes",
    "希望有更多颜色": "wants more colours",
    "对店员服务很满意": "happy with the staff",
    "上海": "Shanghai",
    "clerk": "clerk",
    "supervisor": "supervisor",
}


SATISFACTION_EN = {
    "非常满意": "very satisfied",
    "满意": "satisfied",
    "一般": "neutral",
    "不满意": "dissatisfied",
    "非常不满意": "very dissatisfied",
}
CUSTOMER_NOTES_EN = {"喜欢深色系": "likes dark colours", "常买童装": "often buys children's clothes"}


def _en(value):
    return EN_WORDS.get(value, value) if isinstance(value, str) else value


def _sheet(wb, title, headers, banner):
    ws = wb.create_sheet(title)
    ws.append([banner])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([])
    ws.append(headers)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A4"
    return ws


def write_retail(path: Path, lang: str) -> None:
    customers, purchases, visits, tickets = retail_data()
    rng = random.Random(7)  # the same draws in both languages: the same shop, the same mess
    H = ZH if lang == "zh" else EN
    S = SHEETS[lang]
    zh = lang == "zh"
    wb = Workbook()
    wb.remove(wb.active)
    ws = _sheet(
        wb,
        S["customers"],
        H["customers"],
        "锦绣服饰 VIP 客户档案（内部资料，请勿外传）" if zh else "Jinxiu Apparel - VIP customer archive (internal)",
    )
    for i, c in enumerate(customers):
        if c["lunar"]:
            day = LUNAR_DAYS_N[LUNAR_DAYS.index(c["lunar_day"])]
            bday, btype = (
                (f"农历{LUNAR_MONTHS[c['lunar_month'] - 1]}月{c['lunar_day']}", "农历")
                if zh
                else (f"{c['lunar_month']:02d}-{day:02d}", "lunar")
            )
        else:
            r = rng.random()
            if r < 0.6:
                bday = messy_date(rng, c["birthday"])
            elif r < 0.8:
                bday = (
                    f"{c['birthday'].month}月{c['birthday'].day}日"
                    if zh
                    else f"{c['birthday'].month:02d}-{c['birthday'].day:02d}"
                )
            else:
                bday = f"{c['birthday'].month:02d}-{c['birthday'].day:02d}"
            btype = ("公历" if zh else "solar") if rng.random() < 0.5 else ""
        ws.append(
            [
                c["id"],
                c["zh_name"] if zh else c["en_name"],
                c["gender"] if zh else _en(c["gender"]),
                messy_phone(rng, c["phone"]),
                bday,
                btype,
                c["tier"] if zh else _en(c["tier"]),
                c["store"] if zh else c["store_en"],
                c["owner"] if zh else c["owner_en"],
                messy_date(rng, c["archived"]),
                c["points"],
                yes_no(rng, c["dnc"], lang),
                c["region"] if zh else "Shanghai",
                _note(rng.choice(["", "", "喜欢深色系", "常买童装"]), zh),
            ]
        )
        if i in (40, 150):
            ws.append([])  # a blank row inside the data
    for row in ws.iter_rows(min_row=4, min_col=1, max_col=1):
        for cell in row:
            cell.number_format = "@"  # ids are text, so 00010 keeps its zeros
    ws = _sheet(wb, S["purchases"], H["purchases"], "消费明细" if zh else "Purchases")
    for p in purchases:
        amount = p["amount"]
        r = rng.random()
        if r < 0.15:
            amount = f"¥{amount:,.2f}"
        elif r < 0.25:
            amount = f"{amount:,.2f}"
        ws.append(
            [
                p["customer"],
                messy_date(rng, p["date"], 0.85),
                p["product"] if zh else PRODUCTS_EN[p["product"]],
                amount,
                yes_no(rng, p["new"], lang),
                p["order"],
            ]
        )
    for row in ws.iter_rows(min_row=4, min_col=2, max_col=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    ws = _sheet(wb, S["visits"], H["visits"], "回访记录" if zh else "Visit log")
    for v in visits:
        ws.append(
            [
                v["id"],
                v["customer"],
                v["date"],
                v["kind"] if zh else _en(v["kind"]),
                v["channel"] if zh else _en(v["channel"]),
                v["staff"] if zh else _staff_en(v["staff"]),
                v["outcome"] if zh else _en(v["outcome"]),
                v["satisfaction"] if zh else SATISFACTION_EN.get(v["satisfaction"], v["satisfaction"]),
                v["score"],
                v["notes"] if zh else _en(v["notes"]),
                None,
            ]
        )
    for row in ws.iter_rows(min_row=4, min_col=3, max_col=3):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    ws = _sheet(wb, S["tickets"], H["tickets"], "售后与投诉" if zh else "After-sales and complaints")
    for t in tickets:
        ws.append(
            [
                t["id"],
                t["customer"],
                t["opened"],
                t["type"] if zh else _en(t["type"]),
                t["severity"] if zh else _en(t["severity"]),
                t["closed"],
                t["outcome"] if zh else _en(t["outcome"]),
            ]
        )
    ws = wb.create_sheet(S["staff"])
    ws.append(H["staff"])
    for s in STAFF:
        ws.append([s[0], s[1] if zh else s[2], s[3] if zh else s[4], s[5] if zh else "Shanghai", s[6], s[7], s[8]])
    for ws in wb.worksheets:
        for col in "ABCDEFGHIJKLMN":
            ws.column_dimensions[col].width = 14
    wb.properties.creator = "followup sample generator"
    wb.properties.created = dt.datetime(2026, 11, 23)
    wb.properties.modified = dt.datetime(2026, 11, 23)
    wb.save(path)


def _note(text: str, zh: bool) -> str:
    return text if zh or not text else CUSTOMER_NOTES_EN[text]


def _staff_en(name: str) -> str:
    for s in STAFF:
        if s[1] == name:
            return s[2]
    return name


# ---- the trade presets' samples ------------------------------------------------------------------


def _zh_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def _mobile(rng: random.Random) -> str:
    return "1" + rng.choice("3578") + "".join(str(rng.randint(0, 9)) for _ in range(9))


def _days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def _write_book(path: Path, sheets: list[tuple[str, list[str], list[list], str | None]]) -> None:
    """Sheets as (name, headers, rows, banner): a banner above the header row when given."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, headers, rows, banner in sheets:
        if banner:
            ws = _sheet(wb, name, headers, banner)
        else:
            ws = wb.create_sheet(name)
            ws.append(headers)
            for cell in ws[1]:
                cell.font = Font(bold=True)
            ws.freeze_panes = "A2"
        for row in rows:
            ws.append(row)
        first = 4 if banner else 2
        for col, header in enumerate(headers, start=1):
            letter = get_column_letter(col)
            ws.column_dimensions[letter].width = 16 if len(header) > 4 else 12
            if any(word in header for word in ("日期", "时间", "开始")):
                for (cell,) in ws.iter_rows(min_row=first, min_col=col, max_col=col):
                    if isinstance(cell.value, (dt.date, dt.datetime)):
                        cell.number_format = (
                            "yyyy-mm-dd" if not isinstance(cell.value, dt.datetime) else "yyyy-mm-dd hh:mm"
                        )
            if header in ("客户编号", "工号", "订单号", "工单号", "项目编号", "回访编号"):
                for (cell,) in ws.iter_rows(min_row=first, min_col=col, max_col=col):
                    cell.number_format = "@"
    wb.properties.creator = "followup sample generator"
    wb.properties.created = dt.datetime(2026, 11, 23)
    wb.properties.modified = dt.datetime(2026, 11, 23)
    wb.save(path)


VISIT_HEADERS = ["回访编号", "客户编号", "回访日期", "回访类型", "回访方式", "回访人", "结果", "满意度", "备注"]
STAFF_HEADERS = ["工号", "姓名", "门店", "角色", "在职", "离职日期"]


def _visit_rows(rng: random.Random, contacts: list[tuple[str, dt.date, str, str]]) -> list[list]:
    """(customer, date, kind label, staff) → visit rows, most reached, some no answer."""
    rows = []
    for i, (cid, d, kind, staff) in enumerate(sorted(contacts, key=lambda c: (c[1], c[0])), start=1):
        outcome = rng.choice(["已联系", "已联系", "已联系", "已联系", "未接通"])
        rows.append(
            [
                f"V{i:05d}",
                cid,
                messy_date(rng, d, 0.9),
                kind,
                rng.choice(["电话", "电话", "短信"]),
                staff,
                outcome,
                rng.choice(["非常满意", "满意", "满意", "一般"]) if outcome == "已联系" else "",
                "",
            ]
        )
    return rows


def write_distributor(path: Path) -> None:
    """福源养生酒业: dealers, partners, group buyers and end customers; orders and ship dates."""
    rng = random.Random(1001)
    staff = [("D01", "孙丽娟", "clerk"), ("D02", "郭建军", "clerk"), ("D03", "何静", "supervisor")]
    regions = ["郑州", "洛阳", "开封", "新乡", "许昌"]
    customers, orders, contacts = [], [], []
    order_no = 1
    for i in range(1, 91):
        cid = f"K{i:04d}"
        ctype = "经销商" if i <= 25 else "合作伙伴" if i <= 35 else "团购" if i <= 50 else "一般客户"
        archived = _days_ago(rng.randint(30, 720))
        if i in (5, 30, 60):
            archived = _days_ago({5: 1, 30: 3, 60: 0}[i])  # new customers to contact this week
        owner = rng.choice(staff[:2])[1]
        bday = dt.date(rng.randint(1960, 1995), rng.randint(1, 12), rng.randint(1, 28))
        if i % 29 == 0:
            bday = TODAY.replace(year=bday.year)
        company = (
            (
                rng.choice(regions)
                + rng.choice(["福运", "金樽", "百川", "聚源", "瑞丰"])
                + rng.choice(["酒业商行", "贸易有限公司", "烟酒店"])
            )
            if ctype != "一般客户"
            else ""
        )
        customers.append(
            [
                cid,
                _zh_name(rng),
                company,
                ctype,
                rng.choice(["男", "男", "女"]),
                messy_phone(rng, _mobile(rng)),
                messy_date(rng, bday, 0.8),
                rng.choice(regions),
                owner,
                messy_date(rng, archived, 0.85),
                yes_no(rng, i % 43 == 0, "zh"),
            ]
        )
        # Dealers and partners order every few weeks, others now and then; every order ships in 0-2 days.
        day = max(archived, dt.date(2025, 6, 1))
        while True:
            step = rng.randint(18, 40) if ctype in ("经销商", "合作伙伴") else rng.randint(60, 200)
            day = day + dt.timedelta(days=step)
            if day >= TODAY:
                break
            shipped = day + dt.timedelta(days=rng.randint(0, 2))
            qty = rng.choice([10, 20, 30, 50, 100]) if ctype in ("经销商", "合作伙伴") else rng.choice([1, 2, 6, 12])
            orders.append(
                [
                    f"SO{order_no:05d}",
                    cid,
                    day,
                    rng.choice(["玛咖养生酒 500ml", "玛咖养生酒礼盒", "人参养生酒 750ml"]),
                    qty,
                    round(qty * rng.choice([168, 298, 398]), 2),
                    shipped if shipped < TODAY else None,
                ]
            )
            order_no += 1
            if rng.random() < 0.5 and shipped + dt.timedelta(days=3) < TODAY:
                contacts.append((cid, shipped + dt.timedelta(days=3), "到货确认", owner))
    for cid, ago, ship_ago in (("K0003", 9, 7), ("K0012", 24, 21), ("K0027", 5, 3), ("K0040", 4, 3), ("K0008", 3, 1)):
        d = _days_ago(ago)
        orders.append([f"SO{order_no:05d}", cid, d, "玛咖养生酒礼盒", 30, 11940.0, _days_ago(ship_ago)])
        order_no += 1
    orders.sort(key=lambda o: (o[2], o[0]))
    for o in orders:
        o[2] = messy_date(rng, o[2], 0.85)
    visits = _visit_rows(rng, contacts)
    _write_book(
        path,
        [
            (
                "客户档案",
                [
                    "客户编号",
                    "姓名",
                    "单位名称",
                    "客户类型",
                    "性别",
                    "手机",
                    "生日",
                    "地区",
                    "负责人",
                    "建档日期",
                    "拒绝回访",
                ],
                customers,
                "福源养生酒业 客户档案（内部资料）",
            ),
            ("订单", ["订单号", "客户编号", "下单日期", "产品名称", "数量", "金额", "发货日期"], orders, None),
            ("回访记录", VISIT_HEADERS, visits, None),
            ("员工", STAFF_HEADERS, [[s[0], s[1], "郑州", s[2], "是", None] for s in staff], None),
        ],
    )


def write_sales(path: Path) -> None:
    """恒信办公设备: graded accounts, orders, projects, complaints and event sign-in lists."""
    rng = random.Random(1002)
    staff = [
        ("H01", "王志强", "sales"),
        ("H02", "李晓燕", "sales"),
        ("H03", "陈浩", "sales"),
        ("H04", "赵敏", "supervisor"),
    ]
    customers, orders, projects, tickets, signins, contacts = [], [], [], [], [], []
    order_no = 1
    ids = []
    for i in range(1, 121):
        cid = f"HX{i:04d}"
        ids.append(cid)
        grade = rng.choice("AABBBCCD")
        archived = _days_ago(rng.randint(10, 800))
        owner = rng.choice(staff[:3])[1]
        company = (
            rng.choice(["华东", "鼎盛", "新纪元", "蓝海", "东方", "金桥"])
            + rng.choice(["科技", "物流", "实业", "医药", "教育"])
            + "有限公司"
        )
        customers.append(
            [
                cid,
                _zh_name(rng),
                company,
                rng.choice(["男", "女"]),
                messy_phone(rng, _mobile(rng)),
                grade,
                rng.choice(["一般客户", "一般客户", "合作伙伴"]),
                rng.choice(["上海", "杭州", "苏州"]),
                owner,
                messy_date(rng, archived, 0.85),
                rng.choice(["电话", "邮件", "上门", ""]),
                yes_no(rng, i % 47 == 0, "zh"),
            ]
        )
        day = archived
        for _ in range(rng.randint(0 if i % 9 == 0 else 1, 6)):
            day = day + dt.timedelta(days=rng.randint(20, 160))
            if day >= TODAY:
                break
            orders.append(
                [
                    f"PO{order_no:05d}",
                    cid,
                    day,
                    rng.choice(["彩色激光打印机", "复印一体机", "投影仪", "碎纸机", "耗材年度合同"]),
                    round(rng.uniform(1800, 98000), 2),
                ]
            )
            order_no += 1
        if rng.random() < 0.35:
            contacts.append((cid, _days_ago(rng.randint(5, 120)), "例行回访", owner))
    for i, ago in enumerate((6, 5, 3, 2), start=121):  # new accounts whose first order was last week
        cid = f"HX{i:04d}"
        ids.append(cid)
        customers.append(
            [
                cid,
                _zh_name(rng),
                "启明星文化传媒有限公司",
                "女",
                _mobile(rng),
                "B",
                "一般客户",
                "上海",
                staff[i % 3][1],
                _days_ago(ago + 1),
                "电话",
                "否",
            ]
        )
        orders.append([f"PO{order_no:05d}", cid, _days_ago(ago), "复印一体机", 26800.0])
        order_no += 1
    for j in range(30):
        cid = rng.choice(ids[:120])
        start = dt.date(2025, 3, 1) + dt.timedelta(days=rng.randint(0, 560))
        done = start + dt.timedelta(days=rng.randint(20, 90))
        projects.append(
            [
                f"PJ{j + 1:03d}",
                cid,
                rng.choice(["办公室网络布线", "会议室音视频系统", "全楼打印管理系统"]),
                start,
                done if done < TODAY else None,
            ]
        )
    projects.append(["PJ031", "HX0007", "总部会议室改造", _days_ago(60), _days_ago(7)])
    for j in range(36):
        cid = rng.choice(ids[:120])
        opened = dt.datetime.combine(dt.date(2025, 6, 1) + dt.timedelta(days=rng.randint(0, 530)), dt.time(10, 30))
        closed = opened + dt.timedelta(days=rng.randint(1, 6), hours=3)
        kind = rng.choice(["投诉", "投诉", "报修"])
        tickets.append(
            [
                f"TS{j + 1:04d}",
                cid,
                opened,
                kind,
                rng.choice(["一般", "一般", "重大"]),
                closed if closed.date() < TODAY else None,
                rng.choice(["已更换设备", "已上门维修", "已道歉并补偿"]),
            ]
        )
    tickets.append(
        [
            "TS0037",
            "HX0015",
            dt.datetime(2026, 11, 12, 9, 0),
            "投诉",
            "一般",
            dt.datetime(2026, 11, 16, 17, 0),
            "已更换设备",
        ]
    )
    events = [
        (dt.date(2025, 9, 18), "秋季新品发布会", "新品发布会"),
        (dt.date(2026, 1, 9), "年终客户答谢会", "客户答谢会"),
        (dt.date(2026, 3, 20), "春季新品发布会", "新品发布会"),
        (dt.date(2026, 5, 22), "华东办公展", "展会"),
        (dt.date(2026, 7, 17), "暑期以旧换新促销", "促销活动"),
        (dt.date(2026, 9, 11), "秋季新品发布会", "新品发布会"),
        (dt.date(2026, 11, 18), "智慧办公体验日", "促销活动"),
        (dt.date(2026, 12, 11), "年终客户答谢会", "客户答谢会"),
    ]
    for d, name, kind in events:
        if d >= TODAY:
            continue
        for cid in rng.sample(ids[:120], 12):
            signins.append([cid, d, name, kind])
    visits = _visit_rows(rng, contacts)
    _write_book(
        path,
        [
            (
                "客户档案",
                [
                    "客户编号",
                    "姓名",
                    "单位名称",
                    "性别",
                    "手机",
                    "客户等级",
                    "客户类型",
                    "地区",
                    "负责人",
                    "建档日期",
                    "偏好渠道",
                    "拒绝回访",
                ],
                customers,
                "恒信办公设备 客户档案",
            ),
            ("订单", ["订单号", "客户编号", "下单日期", "产品名称", "金额"], orders, None),
            ("项目", ["项目编号", "客户编号", "项目名称", "开工日期", "竣工日期"], projects, None),
            (
                "投诉记录",
                ["工单号", "客户编号", "受理时间", "工单类型", "严重程度", "结案时间", "处理结果"],
                tickets,
                None,
            ),
            ("活动签到", ["客户编号", "活动日期", "活动名称", "活动类型"], signins, None),
            ("回访记录", VISIT_HEADERS, visits, None),
            ("员工", STAFF_HEADERS, [[s[0], s[1], "上海", s[2], "是", None] for s in staff], None),
        ],
    )


def write_health(path: Path) -> None:
    """康乐源健康馆: customers met at events, buyers and non-buyers, a supervising doctor."""
    rng = random.Random(1003)
    clerks = ["周桂兰", "吴秀英", "郑海燕"]
    customers, purchases, contacts = [], [], []
    # Customers are archived at the shop's fortnightly health talks (联谊会).
    events = [dt.date(2025, 10, 11) + dt.timedelta(days=14 * k) for k in range(60)]
    events = [d for d in events if d < TODAY] + [_days_ago(3)]
    i = 0
    for d in events:
        for _ in range(rng.randint(1, 3)):
            i += 1
            cid = f"J{i:04d}"
            owner = rng.choice(clerks)
            buys = rng.random() < 0.55
            flag = "是" if buys else rng.choice(["否", ""])
            customers.append(
                [
                    cid,
                    _zh_name(rng),
                    rng.choice(["男", "女", "女"]),
                    messy_phone(rng, _mobile(rng)),
                    messy_date(rng, dt.date(rng.randint(1938, 1965), rng.randint(1, 12), rng.randint(1, 28)), 0.8),
                    flag if rng.random() < 0.6 else "",
                    "健康馆",
                    owner,
                    messy_date(rng, d, 0.9),
                    rng.choice(["高血压", "睡眠不好", "关节痛", "血糖偏高", ""]),
                    yes_no(rng, i % 37 == 0, "zh"),
                ]
            )
            if buys:
                first = d + dt.timedelta(days=rng.choice([0, 0, 1, 5]))
                for k in range(rng.randint(1, 4)):
                    pd = first + dt.timedelta(days=45 * k)
                    if pd < TODAY:
                        purchases.append(
                            [
                                cid,
                                pd,
                                rng.choice(["深海鱼油", "氨基葡萄糖", "蛋白粉", "灵芝孢子粉"]),
                                rng.choice([1, 2, 3]),
                                rng.choice([398, 680, 1280, 2360]),
                            ]
                        )
            if d + dt.timedelta(days=3) < TODAY and rng.random() < 0.7:
                contacts.append((cid, d + dt.timedelta(days=3), "首次回访", owner))
    purchases.sort(key=lambda p: (p[1], p[0]))
    visits = _visit_rows(rng, contacts)
    staff = [
        ["JK01", "周桂兰", "健康馆", "满意代表", "是", None],
        ["JK02", "吴秀英", "健康馆", "满意代表", "是", None],
        ["JK03", "郑海燕", "健康馆", "满意代表", "是", None],
        ["JK04", "林国华", "健康馆", "医生", "是", None],
        ["JK05", "马秀兰", "健康馆", "销售经理", "是", None],
    ]
    _write_book(
        path,
        [
            (
                "顾客档案",
                [
                    "客户编号",
                    "姓名",
                    "性别",
                    "手机",
                    "出生日期",
                    "是否购买",
                    "门店",
                    "负责人",
                    "建档日期",
                    "健康状况",
                    "拒绝回访",
                ],
                customers,
                "康乐源健康馆 顾客档案表（严禁外传，不得向顾客展示）",
            ),
            ("消费记录", ["客户编号", "购买日期", "产品名称", "数量", "金额"], purchases, None),
            ("回访记录", VISIT_HEADERS, visits, None),
            ("员工", STAFF_HEADERS, staff, None),
        ],
    )


def write_decoration(path: Path) -> None:
    """匠心家装: projects through their stages and warranty, repair and complaint tickets."""
    rng = random.Random(1004)
    staff = [("Z01", "刘婷", "clerk"), ("Z02", "黄磊", "clerk"), ("Z03", "徐丽", "supervisor")]
    estates = ["翠湖苑", "金色家园", "阳光花城", "碧桂园", "香樟湾"]
    customers, projects, tickets, contacts = [], [], [], []
    starts = [dt.date(2023, 3, 1) + dt.timedelta(days=rng.randint(0, 1320)) for _ in range(64)]
    starts += [_days_ago(10), _days_ago(42), _days_ago(95)]  # early, mid and completion visits this week
    for i, start in enumerate(sorted(starts), start=1):
        cid = f"Z{i:04d}"
        owner = rng.choice(staff[:2])[1]
        customers.append(
            [
                cid,
                _zh_name(rng),
                rng.choice(["男", "女"]),
                messy_phone(rng, _mobile(rng)),
                f"{rng.choice(estates)}{rng.randint(1, 30)}栋{rng.randint(1, 3)}单元{rng.randint(101, 2802)}",
                "旗舰店",
                owner,
                messy_date(rng, start - dt.timedelta(days=rng.randint(10, 40)), 0.9),
                "否",
            ]
        )
        mid = start + dt.timedelta(days=rng.randint(30, 40))
        done = start + dt.timedelta(days=rng.randint(80, 100))
        if start == _days_ago(42):
            mid = _days_ago(1)
        if start == _days_ago(95):
            done = _days_ago(4)
        projects.append(
            [
                f"GC{i:04d}",
                cid,
                rng.choice(["张设计", "王设计", "李设计"]),
                rng.choice(["老周", "老孙", "小马"]),
                messy_date(rng, start, 0.9),
                mid if mid < TODAY else None,
                start + dt.timedelta(days=15) if start + dt.timedelta(days=15) < TODAY else None,
                done if done < TODAY else None,
                done if done < TODAY else None,
            ]
        )
        for when in (start + dt.timedelta(days=10), mid + dt.timedelta(days=1), done + dt.timedelta(days=5)):
            if when < TODAY and rng.random() < 0.8:
                contacts.append((cid, when, "工程回访", owner))
    # About one ticket a week: repairs under warranty, now and then a complaint about the works.
    ids = [c[0] for c in customers]
    week = dt.date(2025, 6, 2)
    while week < TODAY:
        if rng.random() < 0.7:
            opened = dt.datetime.combine(week + dt.timedelta(days=rng.randint(0, 6)), dt.time(rng.randint(8, 18), 15))
            if opened.date() < TODAY:
                closed = opened + dt.timedelta(days=rng.randint(1, 4), hours=2)
                tickets.append(
                    [
                        f"BX{len(tickets) + 1:04d}",
                        rng.choice(ids),
                        opened,
                        rng.choice(["报修", "报修", "投诉"]),
                        rng.choice(["一般", "一般", "重大"]),
                        closed if closed.date() < TODAY else None,
                        rng.choice(["已上门维修", "已返工", "已道歉并补偿"]),
                    ]
                )
        week += dt.timedelta(days=7)
    tickets.append(
        [
            f"BX{len(tickets) + 1:04d}",
            "Z0003",
            dt.datetime.combine(_days_ago(2), dt.time(16, 40)),
            "报修",
            "一般",
            None,
            "",
        ]
    )
    tickets.sort(key=lambda t: t[2])
    visits = _visit_rows(rng, contacts)
    _write_book(
        path,
        [
            (
                "客户档案",
                ["客户编号", "姓名", "性别", "手机", "小区地址", "门店", "负责人", "建档日期", "拒绝回访"],
                customers,
                "匠心家装 客户档案",
            ),
            (
                "工程",
                [
                    "项目编号",
                    "客户编号",
                    "设计师",
                    "项目经理",
                    "开工日期",
                    "中期款日期",
                    "隐蔽工程完成",
                    "竣工日期",
                    "保修开始",
                ],
                projects,
                None,
            ),
            (
                "售后工单",
                ["工单号", "客户编号", "受理时间", "工单类型", "严重程度", "结案时间", "处理结果"],
                tickets,
                None,
            ),
            ("回访记录", VISIT_HEADERS, visits, None),
            ("员工", STAFF_HEADERS, [[s[0], s[1], "旗舰店", s[2], "是", None] for s in staff], None),
        ],
    )


def write_real_estate(path: Path) -> None:
    """锦绣华庭 sales office: leads by phone and walk-in, graded A-D; special customers; buyers;
    the project's marketing and construction milestones."""
    rng = random.Random(1005)
    advisers = ["沈佳怡", "韩子涵", "杨浩然", "冯思远"]
    customers, contacts = [], []
    for i in range(1, 161):
        cid = f"L{i:04d}"
        archived = _days_ago(rng.randint(0, 420))
        if i <= 12:
            archived = _days_ago(i % 6)  # this week's leads
        source = rng.choice(["来电", "来电", "来访", "来访", "转介绍"])
        grade = rng.choice("AABBBCCD")
        ctype = "特殊客户" if i % 31 == 0 else "一般客户"
        visited = None
        if source in ("来访", "转介绍"):
            visited = archived
        elif rng.random() < 0.4:
            visited = archived + dt.timedelta(days=rng.randint(2, 20))
            visited = visited if visited < TODAY else None
        bought = None
        if visited and rng.random() < 0.35:
            bought = visited + dt.timedelta(days=rng.randint(3, 60))
            bought = bought if bought < TODAY else None
        if i in (15, 16):
            visited, bought = _days_ago(30), _days_ago(i - 15)  # deals signed yesterday and today
        if bought is None and archived < _days_ago(45) and rng.random() < 0.75:
            grade = "D"  # the advisers downgrade leads that went quiet: festival and milestone messages only
        owner = rng.choice(advisers)
        customers.append(
            [
                cid,
                _zh_name(rng),
                rng.choice(["男", "女"]),
                messy_phone(rng, _mobile(rng)),
                source,
                grade,
                ctype,
                "锦绣华庭",
                owner,
                messy_date(rng, archived, 0.9),
                visited,
                bought,
                rng.choice(["89㎡两房", "118㎡三房", "143㎡四房", ""]),
                yes_no(rng, i % 53 == 0, "zh"),
            ]
        )
        if rng.random() < 0.5:
            contacts.append((cid, archived, "来电回访" if source == "来电" else "来访回访", owner))
    milestones = [
        [dt.date(2025, 9, 28), "首期开盘", "营销节点", "锦绣华庭"],
        [dt.date(2025, 12, 20), "主体封顶", "工程节点", "锦绣华庭"],
        [dt.date(2026, 1, 17), "新春购房优惠", "营销节点", "锦绣华庭"],
        [dt.date(2026, 3, 28), "样板间开放", "营销节点", "锦绣华庭"],
        [dt.date(2026, 4, 25), "园林景观施工", "工程节点", "锦绣华庭"],
        [dt.date(2026, 6, 13), "二期开盘", "营销节点", "锦绣华庭"],
        [dt.date(2026, 7, 18), "外立面完工", "工程节点", "锦绣华庭"],
        [dt.date(2026, 9, 26), "国庆购房节", "营销节点", "锦绣华庭"],
        [dt.date(2026, 10, 24), "业主工地开放日", "工程节点", "锦绣华庭"],
        [dt.date(2026, 11, 26), "三期认筹", "营销节点", "锦绣华庭"],
        [dt.date(2026, 12, 19), "一期交房", "工程节点", "锦绣华庭"],
    ]
    visits = _visit_rows(rng, contacts)
    _write_book(
        path,
        [
            (
                "客户档案",
                [
                    "客户编号",
                    "姓名",
                    "性别",
                    "手机",
                    "客户来源",
                    "意向等级",
                    "客户类型",
                    "楼盘",
                    "置业顾问",
                    "建档日期",
                    "到访日期",
                    "成交日期",
                    "意向户型",
                    "拒绝回访",
                ],
                customers,
                "锦绣华庭 客户档案（来电、来访、成交）",
            ),
            ("节点", ["节点日期", "节点名称", "节点类型", "楼盘"], milestones, None),
            ("回访记录", VISIT_HEADERS, visits, None),
            (
                "员工",
                STAFF_HEADERS,
                [["F01", a, "锦绣华庭", "置业顾问", "是", None] for a in advisers]
                + [["F05", "彭建国", "锦绣华庭", "销售主管", "是", None]],
                None,
            ),
        ],
    )


def write_property(path: Path) -> None:
    """翠湖苑 property office: residents, complaints and repairs, yearly surveys."""
    rng = random.Random(1006)
    clerks = ["唐晓梅", "许志刚"]
    customers, tickets, contacts = [], [], []
    for i in range(1, 131):
        cid = f"CH{i:04d}"
        moved = dt.date(2019, 6, 1) + dt.timedelta(days=rng.randint(0, 2700))
        owner = rng.choice(clerks)
        customers.append(
            [
                cid,
                _zh_name(rng),
                rng.choice(["男", "女"]),
                messy_phone(rng, _mobile(rng)),
                f"{rng.randint(1, 18)}-{rng.randint(1, 3)}-{rng.randint(1, 26):02d}{rng.randint(1, 4):02d}",
                "翠湖苑",
                owner,
                messy_date(rng, moved, 0.85),
                yes_no(rng, i % 59 == 0, "zh"),
            ]
        )
        if rng.random() < 0.6:
            contacts.append((cid, _days_ago(rng.randint(30, 500)), "满意度调查", owner))
    ids = [c[0] for c in customers]
    for j in range(150):  # two or three tickets a week: mostly repairs, some complaints
        cid = rng.choice(ids)
        opened = dt.datetime.combine(
            dt.date(2025, 9, 1) + dt.timedelta(days=rng.randint(0, 440)), dt.time(rng.randint(8, 20), 10)
        )
        kind = rng.choice(["报修", "报修", "投诉"])
        severity = "重大" if kind == "投诉" and rng.random() < 0.25 else "一般"
        closed = opened + dt.timedelta(hours=rng.randint(3, 96))
        tickets.append(
            [
                f"WY{j + 1:04d}",
                cid,
                opened,
                kind,
                severity,
                opened + dt.timedelta(hours=6) if severity == "重大" else None,
                closed if closed.date() < TODAY else None,
                rng.choice(["已维修", "已协调邻居", "已清理", "已更换设施"]),
            ]
        )
    tickets += [
        [
            "WY0151",
            "CH0009",
            dt.datetime(2026, 11, 22, 19, 30),
            "投诉",
            "重大",
            dt.datetime(2026, 11, 22, 21, 0),
            None,
            "",
        ],
        [
            "WY0152",
            "CH0021",
            dt.datetime(2026, 11, 20, 9, 0),
            "投诉",
            "一般",
            None,
            dt.datetime(2026, 11, 22, 16, 0),
            "已协调邻居",
        ],
        [
            "WY0153",
            "CH0033",
            dt.datetime(2026, 11, 19, 14, 0),
            "报修",
            "一般",
            None,
            dt.datetime(2026, 11, 21, 11, 0),
            "已维修",
        ],
    ]
    tickets.sort(key=lambda t: t[2])
    visits = _visit_rows(rng, contacts)
    _write_book(
        path,
        [
            (
                "业主档案",
                ["客户编号", "姓名", "性别", "手机", "房号", "门店", "负责人", "入住日期", "拒绝回访"],
                customers,
                "翠湖苑物业服务中心 业主档案",
            ),
            (
                "投诉报修",
                ["工单号", "客户编号", "受理时间", "工单类型", "严重程度", "上报时间", "结案时间", "处理结果"],
                tickets,
                None,
            ),
            ("回访记录", VISIT_HEADERS, visits, None),
            (
                "员工",
                STAFF_HEADERS,
                [
                    ["W01", "唐晓梅", "翠湖苑", "客服专员", "是", None],
                    ["W02", "许志刚", "翠湖苑", "客服专员", "是", None],
                    ["W03", "罗建平", "翠湖苑", "物业经理", "是", None],
                ],
                None,
            ),
        ],
    )


SAMPLES = {
    "retail_vip_zh.xlsx": lambda p: write_retail(p, "zh"),
    "retail_vip_en.xlsx": lambda p: write_retail(p, "en"),
    "distributor_zh.xlsx": write_distributor,
    "sales_zh.xlsx": write_sales,
    "health_zh.xlsx": write_health,
    "decoration_zh.xlsx": write_decoration,
    "real_estate_zh.xlsx": write_real_estate,
    "property_zh.xlsx": write_property,
}

# The preset each sample is made for (tests and docs run `followup due FILE --preset PRESET`).
SAMPLE_PRESETS = {
    "retail_vip_zh.xlsx": "retail-vip",
    "retail_vip_en.xlsx": "retail-vip",
    "distributor_zh.xlsx": "distributor",
    "sales_zh.xlsx": "sales",
    "health_zh.xlsx": "health",
    "decoration_zh.xlsx": "decoration",
    "real_estate_zh.xlsx": "real-estate",
    "property_zh.xlsx": "property",
}


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else HERE
    out.mkdir(parents=True, exist_ok=True)
    for name, make in SAMPLES.items():
        make(out / name)
        print(out / name)
        preset = SAMPLE_PRESETS[name]
        if preset != "retail-vip":  # the default needs no settings file
            toml = out / f"{Path(name).stem}.followup.toml"
            toml.write_text(
                f'# Settings for {name} (found beside it by its name).\npreset = "{preset}"\n', encoding="utf-8"
            )
            print(toml)


if __name__ == "__main__":
    main(sys.argv[1:])
