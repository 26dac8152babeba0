"""Make the sample archives in this folder, deterministically (same bytes of data every run).

    python sample_workbooks/make_samples.py

The retail VIP shop (seed 000) comes twice, with Chinese and with English headers: about
300 customers, 2 stores, 4 staff, 18 months of purchases up to 2026-11-22, a visit log and
after-sales tickets. The clerks' mess is on purpose, the kind real archives have: a title
banner above the header row, blank rows, dates typed as text in several forms or stored as
serial numbers, birthdays without a year and lunar birthdays, phones as numbers or with
dashes and +86, yes/no written many ways, amounts with ¥ and thousands separators.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
TODAY = dt.date(2026, 11, 23)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅海燕晨宇欣怡子涵浩然梓萱思远雨桐嘉怡"
PINYIN_SURNAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun",
                   "Ma", "Zhu", "Hu", "Guo", "He", "Gao", "Lin", "Luo"]
PINYIN_GIVEN = ["Wei", "Fang", "Na", "Min", "Jing", "Li", "Qiang", "Lei", "Jun", "Yang", "Yong", "Yan", "Jie",
                "Juan", "Tao", "Ming", "Chao", "Xia", "Ping", "Gang", "Hua", "Hong", "Yu", "Mei", "Chen"]
PRODUCTS_NEW = ["秋冬羊绒大衣", "新款针织衫", "冬季羽绒服", "新款围巾", "当季毛呢裙"]
PRODUCTS_OLD = ["基础款T恤", "牛仔裤", "衬衫", "运动袜", "休闲裤", "皮带"]
PRODUCTS_EN = {"秋冬羊绒大衣": "Cashmere coat", "新款针织衫": "New knit sweater", "冬季羽绒服": "Down jacket",
               "新款围巾": "New scarf", "当季毛呢裙": "Wool skirt", "基础款T恤": "Basic T-shirt", "牛仔裤": "Jeans",
               "衬衫": "Shirt", "运动袜": "Sports socks", "休闲裤": "Chinos", "皮带": "Belt"}
LUNAR_MONTHS = ["正", "二", "三", "四", "五", "六", "七", "八", "九", "十", "冬", "腊"]
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
        return rng.choice(["Y", "Yes", "1"]) if value else rng.choice(["N", "No", "0", ""])
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
        en_name = f"{rng.choice(PINYIN_GIVEN)} {rng.choice(PINYIN_SURNAMES)}"
        staff = rng.choice(STAFF)
        archived = TODAY - dt.timedelta(days=rng.randint(20, 900))
        byear = rng.randint(1960, 2002)
        bday = dt.date(byear, rng.randint(1, 12), rng.randint(1, 28))
        if i % 37 == 0:
            bday = TODAY.replace(year=byear)  # birthdays today
        lunar = i % 23 == 0
        tier = "VIP" if rng.random() < 0.45 else "普通"
        points = rng.choice([0, 80, 120, 300, 520, 800, 1200, 2500]) if tier == "VIP" else rng.choice([0, 50, 200, 600])
        customers.append({
            "id": cid, "zh_name": zh_name, "en_name": en_name, "gender": gender,
            "phone": "1" + rng.choice("3578") + "".join(str(rng.randint(0, 9)) for _ in range(9)),
            "birthday": bday, "lunar": lunar,
            "lunar_text": f"农历{rng.choice(LUNAR_MONTHS)}月{rng.choice(LUNAR_DAYS)}",
            "tier": tier, "store": staff[3], "store_en": staff[4], "owner": staff[1], "owner_en": staff[2],
            "archived": archived, "points": points, "dnc": i % 41 == 0, "region": "上海",
        })
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
            purchases.append({"customer": c["id"], "date": d, "amount": round(rng.uniform(89, 4800), 2),
                              "product": product, "new": new, "order": f"SO{order:06d}"})
            order += 1
    # Recent new-season purchases so the product-use calls come due around the demo day.
    for k, c in enumerate(rng.sample(customers, 18)):
        d = TODAY - dt.timedelta(days=rng.choice([6, 7, 8, 9, 10]))
        purchases.append({"customer": c["id"], "date": d, "amount": round(rng.uniform(599, 3999), 2),
                          "product": rng.choice(PRODUCTS_NEW), "new": True, "order": f"SO{order:06d}"})
        order += 1
    purchases.sort(key=lambda p: (p["date"], p["order"]))
    ticket_no = 1
    for c in rng.sample(customers, 30):
        opened = TODAY - dt.timedelta(days=rng.randint(3, 200))
        closed = opened + dt.timedelta(days=rng.randint(0, 5))
        kind = rng.choice(["退换", "退换", "维修", "投诉"])
        tickets.append({"id": f"TK{ticket_no:04d}", "customer": c["id"], "opened": opened,
                        "type": kind, "severity": rng.choice(["一般", "一般", "重大"]),
                        "closed": closed if closed < TODAY else None,
                        "outcome": rng.choice(["已换货", "已退款", "已维修", "已道歉并补偿"])})
        ticket_no += 1
    for j, c in enumerate(rng.sample(customers, 4)):
        opened = TODAY - dt.timedelta(days=4 + j)
        tickets.append({"id": f"TK{ticket_no:04d}", "customer": c["id"], "opened": opened, "type": "退换",
                        "severity": "一般", "closed": opened + dt.timedelta(days=1), "outcome": "已换货"})
        ticket_no += 1
    kinds = ["产品使用回访", "生日回访", "售后回访", "沉睡唤醒", "积分提醒", "节日问候"]
    sats = ["非常满意", "满意", "满意", "一般", "不满意"]
    visit_no = 1
    for _ in range(420):
        c = rng.choice(customers)
        d = TODAY - dt.timedelta(days=rng.randint(1, 500))
        outcome = rng.choice(["已联系", "已联系", "已联系", "未接通"])
        visits.append({"id": f"V{visit_no:05d}", "customer": c["id"], "date": d,
                       "kind": rng.choice(kinds), "channel": rng.choice(["电话", "电话", "短信"]),
                       "staff": c["owner"], "outcome": outcome,
                       "satisfaction": rng.choice(sats) if outcome == "已联系" else "",
                       "score": rng.randint(2, 5) if outcome == "已联系" else None,
                       "notes": rng.choice(["", "", "客户建议增加大码", "希望有更多颜色", "对店员服务很满意"])})
        visit_no += 1
    visits.sort(key=lambda v: (v["date"], v["id"]))
    return customers, purchases, visits, tickets


ZH = {
    "customers": ["客户编号", "姓名", "性别", "手机", "生日", "生日类型", "会员等级", "门店", "负责人", "建档日期",
                  "积分", "拒绝回访", "地区", "备注"],
    "purchases": ["客户编号", "消费日期", "商品名称", "金额", "当季新品", "订单号"],
    "visits": ["回访编号", "客户编号", "回访日期", "回访类型", "回访方式", "回访人", "结果", "满意度", "评分",
               "备注", "任务编号"],
    "tickets": ["工单号", "客户编号", "受理时间", "工单类型", "严重程度", "结案时间", "处理结果"],
    "staff": ["工号", "姓名", "门店", "地区", "角色", "离职日期", "能力权重"],
}
EN = {
    "customers": ["Customer ID", "Name", "Gender", "Phone", "Birthday", "Birthday type", "Tier", "Store", "Owner",
                  "Archived on", "Points", "Do not contact", "Region", "Notes"],
    "purchases": ["Customer ID", "Date", "Product", "Amount", "New season", "Order ID"],
    "visits": ["Visit ID", "Customer ID", "Date", "Kind", "Channel", "Staff", "Outcome", "Satisfaction", "Score",
               "Notes", "Task ID"],
    "tickets": ["Ticket ID", "Customer ID", "Opened at", "Type", "Severity", "Closed at", "Outcome"],
    "staff": ["Staff ID", "Name", "Store", "Region", "Role", "Left on", "Capacity"],
}
SHEETS = {"zh": {"customers": "客户档案", "purchases": "消费记录", "visits": "回访记录", "tickets": "售后工单",
                 "staff": "员工"},
          "en": {"customers": "Customers", "purchases": "Purchases", "visits": "Visits", "tickets": "Tickets",
                 "staff": "Staff"}}
EN_WORDS = {"男": "M", "女": "F", "普通": "Regular", "退换": "Return/exchange", "维修": "Repair", "投诉": "Complaint",
            "一般": "General", "重大": "Major", "已换货": "Exchanged", "已退款": "Refunded", "已维修": "Repaired",
            "已道歉并补偿": "Apologised and compensated", "产品使用回访": "product-use check-in",
            "生日回访": "birthday greeting", "售后回访": "after-sales follow-up", "沉睡唤醒": "dormant win-back",
            "积分提醒": "points reminder", "节日问候": "festival greeting", "电话": "phone", "短信": "SMS",
            "已联系": "reached", "未接通": "no answer", "非常满意": "very satisfied", "满意": "satisfied",
            "不满意": "dissatisfied", "客户建议增加大码": "asks for larger sizes", "希望有更多颜色": "wants more colours",
            "对店员服务很满意": "happy with the staff", "上海": "Shanghai", "clerk": "clerk", "supervisor": "supervisor"}


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
    rng = random.Random(7 if lang == "zh" else 8)
    H = ZH if lang == "zh" else EN
    S = SHEETS[lang]
    zh = lang == "zh"
    wb = Workbook()
    wb.remove(wb.active)
    ws = _sheet(wb, S["customers"], H["customers"],
                "锦绣服饰 VIP 客户档案（内部资料，请勿外传）" if zh else "Jinxiu Apparel - VIP customer archive (internal)")
    for i, c in enumerate(customers):
        if c["lunar"]:
            bday, btype = (c["lunar_text"], "农历") if zh else (f"{c['birthday'].month:02d}-{c['birthday'].day:02d}", "lunar")
        else:
            r = rng.random()
            if r < 0.6:
                bday = messy_date(rng, c["birthday"])
            elif r < 0.8:
                bday = f"{c['birthday'].month}月{c['birthday'].day}日" if zh else f"{c['birthday'].month:02d}-{c['birthday'].day:02d}"
            else:
                bday = f"{c['birthday'].month:02d}-{c['birthday'].day:02d}"
            btype = ("公历" if zh else "solar") if rng.random() < 0.5 else ""
        ws.append([
            c["id"], c["zh_name"] if zh else c["en_name"], c["gender"] if zh else _en(c["gender"]),
            messy_phone(rng, c["phone"]), bday, btype, c["tier"] if zh else _en(c["tier"]),
            c["store"] if zh else c["store_en"], c["owner"] if zh else c["owner_en"],
            messy_date(rng, c["archived"]), c["points"], yes_no(rng, c["dnc"], lang),
            c["region"] if zh else "Shanghai", rng.choice(["", "", "喜欢深色系", "常买童装"]) if zh else "",
        ])
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
        ws.append([p["customer"], messy_date(rng, p["date"], 0.85),
                   p["product"] if zh else PRODUCTS_EN[p["product"]], amount, yes_no(rng, p["new"], lang), p["order"]])
    for row in ws.iter_rows(min_row=4, min_col=2, max_col=2):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    ws = _sheet(wb, S["visits"], H["visits"], "回访记录" if zh else "Visit log")
    for v in visits:
        ws.append([v["id"], v["customer"], v["date"], v["kind"] if zh else _en(v["kind"]),
                   v["channel"] if zh else _en(v["channel"]), v["staff"] if zh else _staff_en(v["staff"]),
                   v["outcome"] if zh else _en(v["outcome"]), v["satisfaction"] if zh else _en(v["satisfaction"]),
                   v["score"], v["notes"] if zh else _en(v["notes"]), None])
    for row in ws.iter_rows(min_row=4, min_col=3, max_col=3):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    ws = _sheet(wb, S["tickets"], H["tickets"], "售后与投诉" if zh else "After-sales and complaints")
    for t in tickets:
        ws.append([t["id"], t["customer"], t["opened"], t["type"] if zh else _en(t["type"]),
                   t["severity"] if zh else _en(t["severity"]), t["closed"],
                   t["outcome"] if zh else _en(t["outcome"])])
    ws = wb.create_sheet(S["staff"])
    ws.append(H["staff"])
    for s in STAFF:
        ws.append([s[0], s[1] if zh else s[2], s[3] if zh else s[4], s[5] if zh else "Shanghai",
                   s[6], s[7], s[8]])
    for ws in wb.worksheets:
        for col in "ABCDEFGHIJKLMN":
            ws.column_dimensions[col].width = 14
    wb.properties.creator = "followup sample generator"
    wb.properties.created = dt.datetime(2026, 11, 23)
    wb.properties.modified = dt.datetime(2026, 11, 23)
    wb.save(path)


def _staff_en(name: str) -> str:
    for s in STAFF:
        if s[1] == name:
            return s[2]
    return name


SAMPLES = {
    "retail_vip_zh.xlsx": lambda p: write_retail(p, "zh"),
    "retail_vip_en.xlsx": lambda p: write_retail(p, "en"),
}


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else HERE
    out.mkdir(parents=True, exist_ok=True)
    for name, make in SAMPLES.items():
        make(out / name)
        print(out / name)


if __name__ == "__main__":
    main(sys.argv[1:])
