"""Each command's one-line summary, as `followup --help` lists it, in both languages.

The command list is drawn from this table without importing the commands (cli/__init__.py),
so `followup --help` starts in about the time click itself takes; each command's full --help
text stays with the command (English) and in text/click_zh.py (Chinese). A summary fits one
line of an 80-column terminal: at most 64 columns, a Chinese character counting two.
"""

from __future__ import annotations

from followup_cli.text.messages import Msg, msg

SUMMARY: dict[str, Msg] = {
    "assign": msg(
        "按员工表给客户分配负责人，并保持工作量均衡。",
        "Give customers owners from the staff sheet, keeping loads even.",
    ),
    "audit": msg("抽取回访记录样本供主管核查（抽查）。", "Draw a spot-check sample of the period's visit records."),
    "calendar": msg(
        "某年的节日、法定节假日和调休；导入放假通知。", "Festivals, holidays and make-up workdays; holiday notices."
    ),
    "calendar show": msg(
        "某一年的节日、法定节假日和调休上班日。", "A year's festivals, public holidays and make-up workdays."
    ),
    "calendar import": msg(
        "把国务院放假安排通知读入 followup.toml。", "Read a State Council holiday notice into followup.toml."
    ),
    "check": msg(
        "检查档案：每个问题的单元格、值和应填内容。", "Validate archives: every problem with its cell and the fix."
    ),
    "columns": msg(
        "显示每张工作表和每一列是怎样读取的。", "Show how each sheet and column of an archive was understood."
    ),
    "due": msg("列出谁该做哪项回访、原因和最迟日期。", "Who is due for which follow-up, why, and by when."),
    "history": msg("一位客户的全部往来，最新的在前。", "One customer's history: card, purchases, tickets, visits."),
    "init": msg("为某个行业的回访制度新建空白档案工作簿。", "Create an empty archive workbook for a trade's policy."),
    "kpi": msg(
        "某一期间的考核指标，每项附分子和分母。", "The KPIs of a period, each with its numerator and denominator."
    ),
    "log": msg(
        "从命令行记录一次回访，检查与 record 相同。", "Record one visit from the command line, checked as record is."
    ),
    "presets": msg("列出内置的回访制度及其规则。", "List the shipped policy presets and their rules."),
    "record": msg(
        "把填好的回访单或抽查表导入档案。", "Import a filled call sheet or spot-check sheet into the archive."
    ),
    "sheet": msg(
        "生成可打印的回访单，带话术和结果下拉框。", "Write a printable call sheet with scripts and result dropdowns."
    ),
    "sms": msg(
        "某天要发的短信，导出为群发平台可导入的 CSV。", "The day's text messages, as CSV for a bulk SMS platform."
    ),
}
