"""What the printed call sheet (`followup sheet`) says, in Chinese and English: its column
headers (read back by `followup record` in either language), page header and footer, and
the prompts of its dropdowns and checks."""

from __future__ import annotations

HEADERS = {
    "customer_name": ("姓名", "Name"),
    "phone": ("电话", "Phone"),
    "kinds": ("回访类型", "Kind"),
    "reason": ("原因", "Reason"),
    "script": ("话术 / 短信内容", "Script / SMS text"),
    "outcome": ("结果", "Outcome"),
    "satisfaction": ("满意度", "Satisfaction"),
    "notes": ("备注", "Notes"),
    "staff": ("回访人", "Staff"),
    "done_on": ("完成日期", "Date done"),
    "channel": ("方式", "Channel"),
    "score": ("评分(0-5)", "Score (0-5)"),
    "recommend": ("愿意推荐", "Would recommend"),
    "issue_category": ("问题类别", "Issue category"),
    "issue": ("问题描述", "Issue"),
    "resolved": ("是否解决", "Resolved"),
    "next_date": ("下次跟进日期", "Next follow-up"),
    "task_ids": ("任务编号", "Task IDs"),
    "customer_id": ("客户编号", "Customer ID"),
    "due_date": ("应访日期", "Due"),
    "window_end": ("最迟日期", "Window end"),
    "best_time": ("建议时间", "Best time"),
}
YES_NO = (["是", "否"], ["yes", "no"])  # the recommend and resolved dropdowns
SCRIPT_SEP = ("；", "; ")  # between the scripts of one contact's tasks

EVERYONE = ("回访清单", "Calls")  # the one sheet without --by-staff
ALL_STAFF = ("全部负责人", "All staff")
STAFF_LABEL = ("回访人：", "Staff: ")
TITLE = ("回访清单", "Call sheet")
PAGE_FOOTER = ("第 &P 页，共 &N 页", "Page &P of &N")  # Excel's page number codes

NOT_IN_LIST = ("输入有误", "Not in the list")
PICK_FROM_LIST = ("请从下拉列表中选择", "Pick a value from the list")
SCORE_RULE = ("评分为 0-5 的整数", "A whole number 0-5")
ENTER_DATE = ("请输入日期，如 2026-11-23", "Enter a date, e.g. 2026-11-23")
