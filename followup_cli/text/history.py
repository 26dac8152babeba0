"""What `followup history` shows, in Chinese and English: the titles of the customer card and
of each section, and the columns of the sections that are not archive records (the records'
own columns are labelled from archive/schema.py)."""

from __future__ import annotations

SECTIONS = {
    "purchases": ("消费记录", "Purchases"),
    "tickets": ("售后工单", "Tickets"),
    "visits": ("回访记录", "Visits"),
    "open_issues": ("未解决的问题", "Open issues"),
    "upcoming": ("待办任务", "Upcoming tasks"),
}
CARD_TITLE = ("客户卡片", "Customer")
ISSUE_FIELDS = (
    ("raised_on", ("提出日期", "Raised on")),
    ("category", ("问题类别", "Category")),
    ("text", ("问题描述", "Issue")),
    ("staff", ("登记人", "Raised by")),
)
TASK_FIELDS = (
    ("due_date", ("应访日期", "Due")),
    ("status", ("状态", "Status")),
    ("kind", ("回访类型", "Kind")),
    ("staff", ("负责人", "Staff")),
    ("reason", ("原因", "Reason")),
)

CARD_COLUMNS = (("field", ("项目", "Field")), ("value", ("内容", "Value")))
