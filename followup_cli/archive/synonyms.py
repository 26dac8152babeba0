"""What real systems call each field and each sheet: the reader's header vocabulary.

Gathered from what shops actually export: Chinese POS and member systems (会员卡号, 当前积分,
专属导购, 开卡日期), e-commerce back ends (有赞/微店/淘宝-style order exports: 买家昵称,
实付金额, 商品标题, 下单时间), CRM exports, Shopify-like English exports (First Name,
Accepts Marketing, Lineitem name, Created at, Tags) and hand-kept sheets (客户, 日期, 回访内容).
Headers are compared after `headers.norm_header` (traditional characters, full-width forms,
line breaks, units in brackets and a leading 是否 already gone), so each spelling is listed once.

schema.py keeps the canonical names; these are added to them. A spelling that could mean two
fields of one role belongs to neither (e.g. 日期 in a customer sheet).
"""

from __future__ import annotations

# Any sheet that points at a customer: the id, and what else can name the customer.
CUSTOMER_REF = ("客户编号", "客户id", "客户号", "会员编号", "会员号", "会员卡号", "卡号", "会员id", "客户代码",
                "顾客编号", "顾客id", "vip卡号", "vip编号", "会员卡", "customer id", "customer no", "customer number",
                "member id", "member no", "member number", "card no", "card number", "customer", "客户")
REF_PHONE = ("手机", "手机号", "手机号码", "会员手机", "会员手机号", "客户手机", "客户电话", "顾客手机", "联系电话", "电话",
             "联系手机", "买家手机", "买家电话", "收货人手机", "收货人电话", "收件人手机", "收件人电话", "phone", "mobile",
             "billing phone", "shipping phone", "customer phone", "tel")
REF_NAME = ("客户姓名", "客户名称", "会员姓名", "会员名称", "顾客姓名", "顾客", "姓名", "客户名", "买家姓名", "买家",
            "买家昵称", "收货人", "收件人", "业主", "业主姓名", "customer name", "member name", "billing name",
            "buyer", "buyer name", "client")
REF_EMAIL = ("邮箱", "电子邮箱", "email", "e-mail", "customer email", "买家邮箱")

FIELD_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "customers": {
        "id": ("会员id", "会员卡", "客户id", "顾客编号", "顾客id", "vip卡号", "vip编号", "vip号", "卡号码", "会员代码",
               "用户id", "用户编号", "档案号", "档案编号", "客户档案号", "customer number", "member number",
               "card no", "card number", "client id", "contact id", "record id"),
        "name": ("会员名称", "顾客姓名", "顾客名称", "客户名", "会员名", "用户名称", "真实姓名", "客户", "顾客", "业主",
                 "业主姓名", "member name", "client name", "contact name", "name"),
        "first_name": ("名", "first name", "firstname", "given name", "forename"),
        "last_name": ("姓", "姓氏", "last name", "lastname", "surname", "family name"),
        "gender": ("会员性别", "客户性别", "男/女", "gender code"),
        "phone": ("会员手机", "会员手机号", "会员电话", "客户手机", "客户电话", "顾客手机", "顾客电话", "移动电话",
                  "手机号码1", "联系手机", "手机/电话", "电话/手机", "mobile number", "phone number", "cell phone",
                  "contact number", "default address phone"),
        "email": ("邮箱", "电子邮箱", "电子邮件", "email", "e-mail", "email address", "mail"),
        "birthday": ("会员生日", "客户生日", "顾客生日", "出生年月日", "出生日", "生辰", "公历生日", "阳历生日", "农历生日",
                     "阴历生日", "birth", "birthdate", "date of birth", "birthday date"),
        "birthday_type": ("生日类型", "生日类别", "农历/公历", "阴历/阳历", "农历", "阴历", "是否农历", "农历生日标志",
                          "birthday calendar", "lunar"),
        "tier": ("会员级别", "卡类型", "卡类别", "卡级别", "卡等级", "会员卡类型", "会员卡等级", "会员卡级别", "会员类别",
                 "级别", "vip级别", "vip类型", "会员身份", "等级名称", "membership level", "membership tier", "tier",
                 "level", "card type", "loyalty tier"),
        "grade": ("客户分类", "客户星级", "星级", "客户评级", "意向级别", "意向程度", "customer rating", "rating"),
        "type": ("客户性质", "客户属性", "客户种类", "顾客类型", "customer category", "account type"),
        "source": ("渠道来源", "获客渠道", "客户渠道", "来源方式", "注册来源", "注册渠道", "开卡渠道", "开卡来源",
                   "source channel", "acquisition channel", "referral source"),
        "store": ("所属门店", "分店名称", "门市", "门店名称", "所属店铺", "店铺名称", "开卡门店", "办卡门店", "注册门店",
                  "归属门店", "所属分店", "所属店", "分店", "店名", "网点", "所属网点", "store name", "location",
                  "shop name", "outlet"),
        "owner": ("导购", "专属导购", "导购员", "责任客服", "所属导购", "归属导购", "专属顾问", "服务导购", "开卡导购",
                  "服务人员", "责任人", "客服", "维护人", "跟进人员", "跟单员", "业务员", "所属销售", "销售员", "顾问",
                  "专属客服", "所属员工", "归属人", "客户负责人", "assigned to", "sales rep", "salesperson",
                  "account owner", "contact owner", "owner name", "associate"),
        "archived_on": ("入会时间", "注册时间", "开卡日期", "开卡时间", "入会日期", "办卡日期", "办卡时间", "建档时间",
                        "创建时间", "创建日期", "登记时间", "加入时间", "成为会员时间", "录入时间", "录入日期",
                        "created at", "created", "created date", "date created", "signup date", "sign up date",
                        "registration date", "member since", "customer since", "first seen"),
        "points": ("积分", "当前积分", "可用积分", "积分余额", "剩余积分", "会员积分", "有效积分", "积分数", "现有积分",
                   "累计积分", "points balance", "reward points", "loyalty points", "available points"),
        "do_not_contact": ("拒绝回访", "是否拒绝回访", "拒访", "免打扰", "勿扰", "不回访", "请勿打扰", "拒绝联系", "拒绝营销",
                           "拒收短信", "拒接电话", "退订", "退订短信", "黑名单", "屏蔽", "不再联系", "do not call",
                           "do not contact", "do not disturb", "dnc", "opt out", "opted out", "unsubscribed",
                           "unsubscribe", "blacklist", "no contact"),
        "contact_ok": ("接受回访", "同意回访", "允许回访", "愿意回访", "可回访", "可否回访", "能否回访", "接受短信",
                       "接收短信", "同意短信", "允许短信", "接受营销", "同意营销", "接受推送", "接收推送", "接受电话",
                       "接受电话回访", "允许联系", "同意联系", "可联系", "短信订阅", "订阅短信", "订阅", "营销许可",
                       "accepts marketing", "accepts email marketing", "accepts sms marketing", "marketing consent",
                       "email marketing consent", "sms marketing consent", "subscribed", "opt in", "opted in",
                       "consent", "contact allowed", "accepts contact"),
        "contact_wish": ("回访意愿", "联系意愿", "回访意向", "沟通意愿", "联系偏好设置", "打扰意愿", "contact preference",
                         "marketing status", "email marketing status", "sms marketing status"),
        "account_status": ("顾客状态", "vip状态", "会员卡状况", "账户状况", "membership status", "contact status",
                           "client status", "customer state"),
        "channel": ("联系偏好", "首选渠道", "偏好联系方式", "首选联系方式", "回访渠道", "preferred contact method",
                    "preferred channel"),
        "region": ("所在地区", "所在城市", "省份", "城市", "区县", "所在区域", "省市", "province", "city", "state",
                   "region", "default address city", "default address province"),
        "tags": ("标签", "客户标签", "会员标签", "tags", "labels"),
        "spent": ("累计消费", "累计消费金额", "消费总额", "消费总金额", "总消费", "累计金额", "total spent", "amount spent",
                  "lifetime value"),
        "visited_on": ("首次来访", "到访时间", "来访时间", "首访日期"),
        "bought_on": ("成交时间", "签约时间", "首次购买日期", "首购日期", "购房日期"),
        "buyer": ("是否购买", "是否成交", "已购", "成交客户", "是否购房"),
    },
    "purchases": {
        "customer_id": CUSTOMER_REF,
        "phone": REF_PHONE,
        "customer_name": REF_NAME,
        "email": REF_EMAIL,
        "date": ("交易时间", "交易日期", "销售日期", "销售时间", "消费时间", "购买时间", "下单时间", "付款时间", "支付时间",
                 "成交时间", "订单时间", "开单日期", "开单时间", "单据日期", "业务日期", "收银时间", "结账时间",
                 "created at", "paid at", "order date", "purchase date", "transaction date", "sale date", "date"),
        "amount": ("实付金额", "实收金额", "实付", "实收", "成交金额", "支付金额", "付款金额", "应收金额", "订单金额",
                   "销售额", "消费金额", "小计金额", "折后金额", "商品金额", "金额合计", "总金额", "买家实付",
                   "total", "amount", "subtotal", "paid", "net sales", "lineitem price", "price"),
        "product": ("商品", "商品名", "商品名称", "货品名称", "货品", "款式", "款名", "品名", "产品名", "商品标题", "宝贝标题",
                    "宝贝名称", "商品信息", "商品简称", "lineitem name", "product name", "item name", "product title",
                    "title", "sku name"),
        "new_season": ("当季新品", "新品", "是否新品", "当季", "新款", "是否新款", "当季款", "新品标识", "new season",
                       "new arrival", "is new"),
        "order_id": ("订单号", "单号", "订单编号", "小票号", "流水号", "单据号", "单据编号", "交易号", "交易单号", "销售单号",
                     "收银单号", "主订单编号", "子订单编号", "order number", "order no", "receipt no", "transaction id",
                     "order id"),
        "shipped_on": ("发货日期", "发货时间", "出库日期", "出库时间", "fulfilled at", "shipped at", "ship date"),
        "quantity": ("数量", "件数", "购买数量", "销售数量", "商品数量", "lineitem quantity", "qty", "quantity"),
        "store": ("门店", "门店名称", "销售门店", "所属门店", "店铺", "店铺名称", "分店", "门市", "location", "store"),
    },
    "visits": {
        "customer_id": CUSTOMER_REF,
        "phone": REF_PHONE,
        "customer_name": REF_NAME,
        "date": ("日期", "时间", "回访时间", "回访日期", "跟进时间", "跟进日期", "联系日期", "联系时间", "拜访日期",
                 "沟通时间", "沟通日期", "记录时间", "date", "contact date", "call date"),
        "kind": ("回访类型", "回访类别", "回访项目", "回访事由", "回访主题", "跟进类型", "事项", "follow-up type"),
        "content": ("回访内容", "跟进内容", "沟通内容", "沟通记录", "回访记录", "回访情况", "内容", "详情", "记录", "摘要",
                    "content", "summary", "details", "call notes"),
        "channel": ("回访方式", "跟进方式", "联系方式", "沟通方式", "回访渠道", "method", "channel", "contact method"),
        "staff": ("回访人", "回访人员", "回访员", "跟进人", "经办人", "客服", "负责人", "导购", "记录人", "操作人",
                  "回访客服", "staff", "agent", "caller", "handled by", "by"),
        "outcome": ("回访结果", "结果", "联系结果", "接通情况", "是否接通", "result", "outcome", "call result"),
    },
    "tickets": {
        "customer_id": CUSTOMER_REF,
        "phone": REF_PHONE,
        "customer_name": REF_NAME,
        "opened_at": ("受理时间", "申请时间", "创建时间", "报修时间", "投诉时间", "登记时间", "售后申请时间", "退款申请时间",
                      "created at", "opened at"),
        "closed_at": ("结案时间", "完成时间", "处理完成时间", "关闭时间", "退款完成时间", "售后完成时间", "closed at"),
        "type": ("售后类型", "工单类型", "服务类型", "退款类型", "问题类型", "type"),
    },
    "projects": {
        "customer_id": CUSTOMER_REF,
        "phone": REF_PHONE,
        "customer_name": REF_NAME,
    },
    "staff": {
        "name": ("员工姓名", "姓名", "导购姓名", "导购", "客服姓名", "客服", "人员", "店员", "name", "staff name"),
        "staff_id": ("工号", "员工编号", "员工号", "导购编号", "staff no", "employee no"),
        "capacity": ("能力系数", "能力值", "能力", "系数", "权重", "权重系数", "接待能力", "承接能力", "分配权重", "分配系数",
                     "接单系数", "capacity", "weight", "capacity weight", "load factor"),
        "active": ("在职", "是否在职", "active", "employed"),
        "left_on": ("离职日期", "离职时间", "left on", "end date"),
        "store": ("门店", "所属门店", "门店名称", "分店", "门市", "店铺", "store", "location"),
    },
    "milestones": {},
    "issues": {},
    "audits": {},
}

# Exact sheet names (after normalisation) per role, beyond schema's own.
SHEET_NAMES: dict[str, tuple[str, ...]] = {
    "customers": ("会员列表", "会员资料", "会员档案", "会员信息", "会员明细", "会员名单", "会员表", "会员", "客户列表", "客户名单",
                  "客户资料表", "客户表", "客户档案表", "客户管理", "顾客资料", "顾客信息", "顾客", "vip", "vip会员",
                  "vip客户", "vip档案", "vip资料", "members", "member list", "customer list", "contacts", "clients"),
    "purchases": ("消费流水", "销售明细", "消费明细", "销售流水", "订单明细", "订单列表", "购买明细", "交易明细", "交易记录",
                  "交易流水", "零售明细", "零售单", "收银流水", "orders", "order list", "sales", "transactions"),
    "visits": ("回访本", "回访表", "回访登记", "回访登记表", "回访记录表", "跟进记录", "跟进表", "客户回访", "会员回访",
               "电话回访", "回访明细", "visits", "call log", "follow ups"),
    "tickets": ("售后单", "退换货记录", "售后申请", "退款售后", "维修记录", "客诉记录", "complaints", "returns"),
    "staff": ("员工列表", "员工信息", "员工表", "导购", "导购列表", "导购名单", "店员", "人员名单", "客服名单", "staff list",
              "employees", "users"),
}

# Words inside a sheet name that say its role ("一店会员", "2024年销售明细"); first match wins,
# so the specific roles come before the customers' generic words.
SHEET_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("audits", ("抽查",)),
    ("issues", ("问题跟踪", "问题记录")),
    ("visits", ("回访", "跟进", "拜访", "随访", "visit", "followup", "follow-up", "call log")),
    ("tickets", ("售后", "投诉", "工单", "报修", "维修", "退换", "ticket", "complaint")),
    ("purchases", ("消费", "销售", "订单", "流水", "购买", "交易", "零售", "成交", "order", "sale", "purchase",
                   "transaction")),
    ("staff", ("员工", "导购", "店员", "人员", "staff", "employee")),
    ("projects", ("工程", "项目", "project")),
    ("milestones", ("节点", "里程碑", "活动", "签到", "milestone", "event")),
    ("customers", ("会员", "客户", "顾客", "业主", "档案", "vip", "member", "customer", "client", "contact")),
)

# A sheet that is a copy, a template or notes is never read as data, whatever its headers say.
NOT_DATA_WORDS = ("备份", "副本", "拷贝", "复制", "旧版", "作废", "模板", "样表", "示例", "说明", "填写说明", "使用说明",
                  "backup", "copy", "template", "sample", "example", "readme", "instructions", "old")

# Words that mark a totals or footer row.
TOTAL_WORDS = ("合计", "总计", "小计", "汇总", "累计", "总数", "共计", "本页合计", "total", "totals", "subtotal",
               "grand total", "sum")
FOOTER_WORDS = ("制表", "制表人", "打印", "打印时间", "打印日期", "导出时间", "导出日期", "导出人", "审核", "备注：",
                "填表", "填表人", "填报人", "填写人", "登记人", "制单", "制单人", "经办人", "复核", "签字", "签名", "说明：",
                "prepared by", "checked by", "approved by",
                "数据截止", "截止日期", "报表日期", "printed", "exported", "generated")
