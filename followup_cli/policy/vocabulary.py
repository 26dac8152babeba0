"""One vocabulary across the product: follow-up kinds, channels, outcomes, satisfaction levels,
issue categories. Each code has a Chinese and an English label and the synonyms a clerk may type.
"""

from __future__ import annotations

from dataclasses import dataclass

from followup_cli.archive.schema import norm_header
from followup_cli.text.messages import pick


@dataclass(frozen=True)
class Term:
    id: str
    zh: str
    en: str
    synonyms: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        return pick((self.zh, self.en), lang)


class Vocabulary:
    def __init__(self, name: str, terms: list[Term]):
        self.name = name
        self.terms = terms
        self.by_id = {t.id: t for t in terms}
        self._index: dict[str, str] = {}
        self._seen: dict = {}
        self._words: list | None = None
        for t in terms:
            for text in (t.id, t.zh, t.en, *t.synonyms):
                self._index.setdefault(norm_header(text), t.id)

    def match(self, text: object) -> str | None:
        """The id for what a clerk typed (a code, a label or a synonym), or None."""
        if text is None:
            return None
        try:
            return self._seen[text]
        except (KeyError, TypeError):
            pass
        found = self._index.get(norm_header(text))
        if isinstance(text, str) and len(self._seen) < 10000:  # a log repeats a few dozen spellings
            self._seen[text] = found
        return found

    def find_in(self, text: object) -> str | None:
        """The id whose label or synonym occurs in free text ("生日祝福，客户很开心" → birthday);
        the longest one found wins, so 投诉处理回访 is a complaint, not just any 回访."""
        if not isinstance(text, str) or not text.strip():
            return None
        key = norm_header(text)
        if self._words is None:
            self._words = sorted(
                ((k, tid) for k, tid in self._index.items() if len(k) >= 2), key=lambda kv: -len(kv[0])
            )
        for word, term_id in self._words:
            if word in key:
                return term_id
        return None

    def label(self, term_id: str | None, lang: str) -> str:
        if term_id is None:
            return ""
        t = self.by_id.get(term_id)
        return t.label(lang) if t else term_id

    def labels(self, lang: str) -> list[str]:
        return [t.label(lang) for t in self.terms]

    def ids(self) -> list[str]:
        return [t.id for t in self.terms]


KINDS = Vocabulary(
    "kind",
    [
        Term(
            "product_use", "产品使用回访", "product-use check-in", ("新品回访", "使用回访", "购后回访", "product use")
        ),
        Term("birthday", "生日回访", "birthday greeting", ("生日祝福", "生日问候", "生日")),
        Term("festival", "节日问候", "festival greeting", ("节日祝福", "节日短信", "节假日问候", "节日")),
        Term(
            "after_sales",
            "售后回访",
            "after-sales follow-up",
            ("退换回访", "维修回访", "退换货回访", "售后", "after sales"),
        ),
        Term("points", "积分提醒", "points reminder", ("积分兑换提醒", "积分")),
        Term("dormant", "沉睡唤醒", "dormant win-back", ("未回头回访", "流失挽回", "唤醒回访", "沉睡客户")),
        Term("new_customer", "新客户回访", "new-customer contact", ("首次回访", "新客回访", "new customer")),
        Term("shipment", "发货回访", "shipment follow-up", ("到货确认", "动销跟进", "市场反馈")),
        Term("periodic", "定期回访", "periodic check-in", ("例行回访", "老客户回访")),
        Term("project", "工程回访", "project visit", ("开工回访", "中期回访", "竣工回访")),
        Term("warranty", "质保回访", "warranty check-in", ("保修回访",)),
        Term("complaint", "投诉回访", "complaint follow-up", ("投诉处理回访", "投诉")),
        Term("lead", "意向客户跟进", "lead follow-up", ("来电回访", "来访回访", "邀约")),
        Term("event", "活动回访", "event follow-up", ("活动后回访",)),
        Term("survey", "满意度调查", "satisfaction survey", ("满意度回访", "问卷")),
    ],
)

CHANNELS = Vocabulary(
    "channel",
    [
        Term("phone", "电话", "phone", ("致电", "打电话", "call", "tel")),
        Term("sms", "短信", "SMS", ("信息", "微信", "text", "message", "wechat")),
        Term("email", "邮件", "email", ("电子邮件", "e-mail", "mail")),
        Term("onsite", "上门", "on-site", ("拜访", "面访", "到店", "visit", "on site")),
        Term("survey", "问卷", "online survey", ("在线问卷", "网络问卷", "questionnaire")),
    ],
)

OUTCOMES = Vocabulary(
    "outcome",
    [
        Term("reached", "已联系", "reached", ("接通", "已接通", "已回访", "完成", "已完成", "成功", "done", "ok")),
        Term("no_answer", "未接通", "no answer", ("无人接听", "未接", "关机", "占线", "no reply")),
        Term("refused", "拒绝", "refused", ("拒绝回访", "拒接", "declined")),
        Term("wrong_number", "号码错误", "wrong number", ("空号", "错号", "停机", "invalid number")),
    ],
)

SATISFACTION = Vocabulary(
    "satisfaction",
    [
        Term("very_satisfied", "非常满意", "very satisfied", ("很满意", "5")),
        Term("satisfied", "满意", "satisfied", ("比较满意", "4")),
        Term("neutral", "一般", "neutral", ("还行", "3", "ok")),
        Term("dissatisfied", "不满意", "dissatisfied", ("不太满意", "2")),
        Term("very_dissatisfied", "非常不满意", "very dissatisfied", ("很不满意", "1")),
    ],
)

ISSUE_CATEGORIES = Vocabulary(
    "issue_category",
    [
        Term("product", "产品质量", "product quality", ("质量", "产品", "quality")),
        Term("service", "服务质量", "service quality", ("服务", "态度")),
        Term("technical", "技术问题", "technical", ("技术",)),
        Term("price", "价格", "price", ("价格问题", "费用")),
        Term("other", "其他", "other", ("其它",)),
    ],
)

REACHED_OUTCOMES = {"reached"}


def visit_outcome(text: object) -> str | None:
    """A visit's outcome code. The one rule for a blank outcome: a visit row with nothing in its
    result column is a contact that took place ('reached'); an unknown text is None."""
    if text is None or not str(text).strip():
        return "reached"
    return OUTCOMES.match(text)


# A task is closed by these outcomes; 'no_answer' only counts an attempt.
CLOSING_OUTCOMES = {"reached", "refused", "wrong_number"}
MAX_ATTEMPTS = 3

# A supervisor's spot-check verdict on one visit record.
VERDICTS = Vocabulary(
    "verdict",
    [
        Term("accurate", "准确", "accurate", ("正确", "属实", "无误", "是", "y", "yes", "ok", "√")),
        Term("inaccurate", "不准确", "inaccurate", ("不正确", "不属实", "有误", "错误", "否", "n", "no", "×", "x")),
    ],
)

# Ticket types and severities (after-sales / complaints sheet).
TICKET_TYPES = Vocabulary(
    "ticket_type",
    [
        Term("repair", "报修", "repair", ("维修", "保修", "报修单", "维修单", "fix")),
        Term("complaint", "投诉", "complaint", ("客诉", "投诉单", "complain")),
        Term("return", "退换", "return/exchange", ("退换货", "退货", "换货", "退款", "return", "exchange", "refund")),
    ],
)

SEVERITIES = Vocabulary(
    "severity",
    [
        Term("major", "重大", "major", ("重大投诉", "严重", "紧急", "高", "high", "critical", "severe")),
        Term("general", "一般", "general", ("普通", "轻微", "低", "中", "normal", "minor", "low", "medium")),
    ],
)
