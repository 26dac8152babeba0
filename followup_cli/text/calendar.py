"""What `followup calendar` prints, in Chinese and English: weekdays, row types, where a
day comes from, and the columns of the year's table and of an imported notice."""

from __future__ import annotations

WEEKDAYS = {
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
TYPE_LABELS = {
    "zh": {"festival": "节日", "holiday": "放假", "workday": "调休上班"},
    "en": {"festival": "festival", "holiday": "holiday", "workday": "make-up workday"},
}
SOURCE_LABELS = {
    "zh": {"official": "官方", "imported": "官方（导入）", "override": "自定义", "computed": "推算"},
    "en": {"official": "official", "imported": "imported", "override": "override", "computed": "computed"},
}
COLUMNS = {
    "zh": [
        ("date", "日期"),
        ("end", "至"),
        ("days", "天数"),
        ("weekday", "星期"),
        ("type", "类型"),
        ("name", "名称"),
        ("source", "来源"),
        ("note", "说明"),
    ],
    "en": [
        ("date", "date"),
        ("end", "end"),
        ("days", "days"),
        ("weekday", "weekday"),
        ("type", "type"),
        ("name", "name"),
        ("source", "source"),
        ("note", "note"),
    ],
}

# `followup calendar import`: the days an official notice gives
NOTICE_KINDS = {"zh": ("放假", "调休上班"), "en": ("day off", "make-up workday")}
NOTICE_COLUMNS = {
    "zh": [("date", "日期"), ("weekday", "星期"), ("type", "类型"), ("name", "节日"), ("line", "通知行")],
    "en": [("date", "date"), ("weekday", "weekday"), ("type", "type"), ("name", "holiday"), ("line", "line")],
}
