"""Chinese for what click itself prints (its gettext message ids, verbatim from click's
source) and for `--help`: every command's description and every option's help.

An entry that no longer matches (a command's help rewritten in English) falls back to the
English text; tests/test_language.py lists every command and option without Chinese.
"""

from __future__ import annotations

CLICK_ZH = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Did you mean {possibility}?": "您是不是想用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（您是不是想用其中之一：{possibilities}？）",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Got unexpected extra argument ({args})": "多出了参数（{args}）",
    "Got unexpected extra arguments ({args})": "多出了参数（{args}）",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，但只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，但给了 {len} 个。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是以下之一：{choices}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是是/否值。可用：{states}",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "{value!r} 不符合以下格式：{formats}。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是一个文件夹。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是一个文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 无法读取。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 无法写入。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "unknown error": "未知错误",
    "Aborted!": "已中止！",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "(dynamic)": "（动态）",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "Value must be an iterable.": "值必须是一个列表。",
}

# Each command's --help description in Chinese (the first sentence is its summary in the
# command list). "\b" keeps the lines after it unwrapped, as in click.
COMMAND_ZH = {
    None: "按店里自己的 Excel 工作簿执行客户回访制度。\n\n"
    "每天早上运行 `followup due 客户档案.xlsx` 得到当天的回访清单；用 `followup check` 检查档案；"
    "用 `followup presets` 查看各行业的回访制度。",
    "due": "列出截至指定日期谁该做哪项回访、原因和最迟日期。\n\n"
    "读取每个档案工作簿（客户、消费、回访、工单……），按 followup.toml 选定的回访制度"
    "（默认 retail-vip）计算，每次联系一行：同一客户同一天的多项任务合成一次联系。"
    "终端里默认显示简表并适应窗口宽度，--wide 显示全部列。json 与 csv 每项任务一行，字段为 "
    "task_id, customer_id, customer_name, phone, kind, rule, due_date, window_end, status, "
    "channel, staff, reason。",
    "check": "检查档案工作簿：列出每个问题的 工作表!单元格、单元格的值和应填的内容。\n\n"
    "没有错误时退出码 0（可有警告），有错误时 1，文件无法读取时 2。",
    "columns": "显示档案是怎样读取的：每张工作表的用途和表头行，每一列对应到哪个字段、依据"
    "（原名、规范化后、同义词、单元格内容、followup.toml）和把握；然后列出没有使用的工作表和列。",
    "sheet": "生成回访单：每次应访或逾期的联系一行，附话术或短信内容，以及带下拉框的结果列"
    "（完成日期、方式、结果、满意度、评分、问题……）。为打印设计：A4 横向，页眉有负责人和日期，"
    "页脚有页码。填好后用 `followup record 档案.xlsx 回访单.xlsx` 导入。",
    "record": "把填好的回访单导入档案的回访记录（或把填好的抽查表结果导入抽查记录）。\n\n"
    "每一行填写的内容都会检查（未知任务、将来的日期、不在下拉框中的值、评分超出 0-5、"
    "未接通却填了满意度），并指出所在单元格。默认只要有一行无效就什么都不写（退出码 1）。"
    "空行表示还没打的电话。同一张回访单导入两次不会重复记录。",
    "log": "从命令行或脚本记录一次回访，检查和安全措施与 record 相同。",
    "assign": "按员工表给客户分配负责人，并保持工作量均衡。\n\n"
    "不带选项时：负责人为空或已离职的客户分给在职同事：先同门店，再同地区，再任何人，"
    "按各人能力权重和现有负责客户数分配。负责人仍在职的客户不会被移动。"
    "不加 --dry-run 时只改写客户表的负责人单元格，并先备份、记入审计日志。"
    "退出码 0 完成，1 没有人能接手，2 用法错误、文件无法读取或拒绝写入。",
    "kpi": "某一期间的考核指标，每项都附分子和分母。\n\n"
    "回访完成率、满意度、平均评分、推荐意愿、问题解决率、记录准确率（来自 followup audit 抽查）、"
    "72 小时内跟进的工单、24 小时内上报的重大投诉、工程回访以及客户价值。"
    "`-o 报表.xlsx` 生成带图表的报表工作簿，其中不含电话号码。",
    "audit": "从期间内的回访记录中抽取样本供主管核查（抽查）。\n\n"
    "按 RATE 抽取每位员工的回访记录（每人至少一条），可重复：同一档案、期间和 --seed 得到同样的样本。"
    "填好核查结果后用 `followup record 档案.xlsx 抽查.xlsx` 导入，`followup kpi` 即报告记录准确率。"
    "抽查表含电话号码，请勿带出店外。",
    "init": "为某个行业的回访制度新建空白档案工作簿。\n\n"
    "生成 PATH.xlsx：含该制度需要的工作表、下拉框和冻结的表头行，表头用 --lang 所指的语言（中文或英文；系统语言不是中文时请加 --lang zh）；"
    "并在旁边写 followup.toml。文件夹里已有别的档案的 followup.toml 时，写 <档案名>.followup.toml。"
    "除非加 --overwrite，不会覆盖已有文件。\n\n\b\n示例：\n"
    "  followup init 客户档案.xlsx --preset real-estate\n"
    '  followup init archive.xlsx --preset sales --lang en --shop "Acme Tools"',
    "presets": "列出内置的回访制度及其规则（或只列出 PRESET_ID 的）。",
    "calendar": "某一年的节日、法定节假日和调休上班日及其来源；导入国务院放假安排通知。\n\n\b\n"
    "followup calendar 2026              这一年的节日、放假日和调休上班日\n"
    "followup calendar import 通知.txt   把国务院放假安排通知读入 followup.toml\n\n"
    "`followup calendar 年份 --help` 列出前者的选项，`followup calendar import --help` 列出后者的。",
    "calendar show": "某一年（1901-2099）的节日、法定节假日和调休上班日。\n\n"
    "每个假期和调休日标明来源：official（chinesecalendar 所载的国务院安排）、imported"
    "（用 `followup calendar import` 导入的通知）、override（followup.toml 里手写的 [calendar]）"
    "或 computed（尚未公布安排：法定假日及逢周末的补假，没有调休上班日）。"
    "stderr 上的一行说明这一年的安排来自哪里。",
    "calendar import": "读入国务院办公厅的放假安排通知（国务院办公厅关于YYYY年部分节假日安排的通知），"
    '写入 followup.toml 的 [calendar]，标为 "official (imported)"。\n\n'
    "NOTICE 是按原文保存的通知文本文件（'-' 表示标准输入）：其中编号的各行，如"
    "“一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。”，"
    "简体或繁体，全角或半角标点均可。先列出读到的每个放假日和调休上班日，确认后写入"
    "（脚本用 --yes）。有一行读不完整就报错并指出是哪一行（退出码 2），什么都不写。"
    "followup.toml 的其余内容保持原样。",
    "history": "一位客户的全部往来：客户卡片、消费、工单、回访及结果、未解决的问题和即将到期的任务，"
    "最新的在前。打电话之前先看一眼。",
    "sms": "某一天要发的短信（节日、生日祝福、积分提醒），生成群发短信平台可导入的 CSV：手机号、"
    "短信正文以及各模板变量各占一列。拒绝回访的客户不发；偏好微信的客户单独一类（--channel wechat）。",
}

# Option help, keyed by the English help text (the same text in several commands is one entry).
OPTION_ZH = {
    "Read every sheet afresh and keep nothing for the next run (env FOLLOWUP_NO_CACHE=1).": "每个工作表都重新读取，也不为下次运行保留任何内容（环境变量 FOLLOWUP_NO_CACHE=1）。",
    "Upcoming tasks of the next N days.": "列出未来 N 天内的待办任务。",
    "table (a section per kind of record) or json (one object).": "table（每类记录一节）或 json（一个对象）。",
    "Show exactly what would be appended; write nothing anywhere.": "只显示将追加的内容，不写入任何地方。",
    "Who is recording: the staff for calls whose owner has left and whose 回访人 is blank (default: the login name).": "谁在登记：负责人已离职且回访人为空的回访记在此人名下（默认：登录名）。",
    "非常满意 / 满意 / 一般 / 不满意 / 非常不满意.": "非常满意 / 满意 / 一般 / 不满意 / 非常不满意。",
    "0-5.": "0-5 分。",
    "Would recommend: 是/否 (yes/no).": "是否愿意推荐：是/否。",
    "product quality, service quality, technical, price, other.": "产品质量、服务质量、技术、价格、其他。",
    "The next follow-up agreed on the call (YYYY-MM-DD): a task that day.": "通话中约定的下次跟进日期（YYYY-MM-DD）：当天生成任务。",
    "Who made the contact (default the customer's owner, else the login name).": "谁联系的（默认客户的负责人，否则为登录名）。",
    "Add the visit even if the log already has one of this customer, kind, date and outcome.": "即使回访记录中已有同一客户、类型、日期和结果的记录也添加。",
    "Hand over every customer of FROM (staff name or id): to --to-staff, or spread across the store.": "把 FROM（员工姓名或工号）的全部客户交接出去：交给 --to-staff，或分给同店的同事。",
    "What to print: the plan (one row per customer) or the load per staff member. Default: both in a table, the plan in csv/json/xlsx.": "输出什么：分配计划（每位客户一行）或每位员工的工作量。默认：表格两者都显示，csv/json/xlsx 只输出计划。",
    "An ISO week (2026-W47, Monday to Sunday), a month (2026-11), a quarter (2026-Q4) or a year (2026).": "一个 ISO 周（2026-W47，周一至周日）、一个月（2026-11）、一个季度（2026-Q4）或一年（2026）。",
    "Also break the KPIs down by staff (ranked, with bonus bands), store, kind, week, month or quarter.": "同时按员工（排名，含奖金档）、门店、回访类型、周、月或季度细分指标。",
    "Add the seasonal feedback summary (default: when the period is March, May, September or December).": "附上季度反馈汇总（默认：期间为 3、5、9、12 月时）。",
    "Language of the sheet names, headers and dropdown values (default: FOLLOWUP_LANG, then the system's language).": "工作表名、表头和下拉值的语言（默认：FOLLOWUP_LANG，其次为系统语言）。",
    "Language of the descriptions (default: FOLLOWUP_LANG, then the system's language).": "说明的语言（默认：FOLLOWUP_LANG，其次为系统语言）。",
    "Save this mapping to followup.toml ([sheets] and [columns.*]; the rest of the file is kept), so the next "
    "reading is exact.": "把这份对应关系写入 followup.toml（[sheets] 与 [columns.*]；文件其余内容保持不变），"
    "以后按它准确读取。",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "followup.toml to use (default: the one beside the first archive; env FOLLOWUP_CONFIG).": "使用的 followup.toml（默认：第一个档案旁边的；环境变量 FOLLOWUP_CONFIG）。",
    "Policy preset (overrides followup.toml; env FOLLOWUP_PRESET).": "回访制度（优先于 followup.toml；环境变量 FOLLOWUP_PRESET）。",
    "Language of what is printed (default: from the workbook's headers; env FOLLOWUP_LANG).": "输出语言（默认：按工作簿表头的语言；环境变量 FOLLOWUP_LANG）。",
    "How to read text dates like 03/05/2024 (default ymd: never guessed; env FOLLOWUP_DATE_ORDER).": "如何读取 03/05/2024 这样的文本日期（默认 ymd：从不猜测；环境变量 FOLLOWUP_DATE_ORDER）。",
    "No notes or warnings on stderr.": "不在 stderr 上显示提示和警告。",
    "Show the full traceback of an unexpected error.": "出现意外错误时显示完整的调用栈。",
    "Output format; xlsx needs -o.": "输出格式；xlsx 需要 -o。",
    "Write to this file instead of stdout ('-' for stdout).": "写入这个文件而不是标准输出（'-' 表示标准输出）。",
    "The day to plan for (default today), YYYY-MM-DD.": "按哪一天安排（默认今天），YYYY-MM-DD。",
    "Also list tasks coming due in the next N days.": "同时列出未来 N 天内到期的任务。",
    "Only these kinds (repeatable), e.g. birthday.": "只列这些回访类型（可重复），如 birthday 或 生日回访。",
    "Only tasks of this staff member.": "只列这位负责人的任务。",
    "Only customers of this store.": "只列这家门店的客户。",
    "Also list tasks left out by the yearly cap, the minimum gap or do-not-contact, and why.": "同时列出因每年上限、最短间隔或拒绝回访而未列入的任务及原因。",
    "One row per task in the table (default: one row per contact).": "表格中每项任务一行（默认：每次联系一行）。",
    "Every column in the table, uncut (default: the columns a caller needs, fitted to the terminal's width).": "表格显示全部列且不截断（默认：只显示打电话需要的列，并适应终端宽度）。",
    "Show phone numbers as 138****0001 (for lists that leave the shop).": "电话号码显示为 138****0001（用于带出店外的清单）。",
    "The day to check against (future dates, owners who left).": "按哪一天检查（将来的日期、已离职的负责人）。",
    "Leave warnings out.": "不列警告。",
    "The call sheet to write (.xlsx).": "要生成的回访单（.xlsx）。",
    "The day to plan for (default today).": "按哪一天安排（默认今天）。",
    "Only this staff member's calls.": "只列这位负责人的回访。",
    "One sheet per staff member, each printing on its own pages.": "每位负责人一个工作表，各自单独打印。",
    "Paper size for printing (default A4; Letter for an English locale in the US or Canada).": "打印纸张（默认 A4；美国、加拿大等地的英文环境默认 Letter）。",
    "Overwrite OUTPUT if it exists.": "OUTPUT 已存在时覆盖。",
    "followup.toml to use.": "使用的 followup.toml。",
    "Show exactly what would be appended; write nothing.": "只显示将追加的内容，不写入。",
    "Write the valid rows; put the rejected ones, with the reason, in a rejects workbook.": "写入有效的行；无效的行连同原因放进一个退回工作簿。",
    "Write even if the workbook looks open in Excel/WPS/LibreOffice (a stale lock).": "即使工作簿看起来在 Excel/WPS/LibreOffice 中打开（残留的锁文件）也写入。",
    "Treat this as today (for dates in the future).": "把这一天当作今天（用于判断将来的日期）。",
    "CSV for programs: cells starting with = + - @ are written as they are (by default they get a leading ' so "
    "Excel shows them as text).": "给程序用的 CSV：以 = + - @ 开头的单元格原样写出（默认在前面加 '，让 Excel 当作文本显示）。",
    "Write even into a workbook marked read-only.": "即使工作簿被设为只读也写入。",
    "Language of messages.": "提示信息的语言。",
    "No notes on stderr.": "不在 stderr 上显示提示。",
    "Customer id.": "客户编号。",
    "Follow-up kind (code, label or synonym, e.g. birthday or 生日回访).": "回访类型（代码、名称或同义词，如 birthday 或 生日回访）。",
    "reached / no answer / refused / wrong number (or 已联系 / 未接通 ...).": "已联系 / 未接通 / 拒绝 / 空号（或 reached / no answer ...）。",
    "Date of the contact (default today).": "联系日期（默认今天）。",
    "phone, SMS, email, on-site, survey (or 电话 ...).": "电话、短信、邮件、上门、问卷（或 phone ...）。",
    "The issue in the customer's words.": "客户原话描述的问题。",
    "是/否 (yes/no).": "是/否。",
    "Notes.": "备注。",
    "Who made the contact (default the customer's owner).": "谁联系的（默认客户的负责人）。",
    "The task this contact completes, if known.": "这次联系完成的任务编号（如已知）。",
    "Show what would be appended; write nothing.": "只显示将追加的内容，不写入。",
    "Write even if the workbook looks open (a stale lock).": "即使工作簿看起来已打开（残留的锁文件）也写入。",
    "Show the plan; write nothing.": "只显示计划，不写入。",
    "Only customers of this store (and, for --rebalance, its staff).": "只处理这家门店的客户（--rebalance 时也只用该店员工）。",
    "With --handover: the colleague who takes them all.": "与 --handover 一起用：接手全部客户的同事。",
    "Even out load between active staff, moving as few customers as possible.": "在在职员工之间均衡工作量，尽量少移动客户。",
    "With --rebalance: move at most N customers (default: as many as evening out needs).": "与 --rebalance 一起用：最多移动 N 位客户（默认：均衡所需的数量）。",
    "Customers and open tasks per staff member; changes nothing.": "每位员工的客户数和未完成任务数；不做任何修改。",
    "The day that decides who has left, and the open tasks of --report (default today).": "判断谁已离职以及 --report 未完成任务所用的日期（默认今天）。",
    "Write even when a spreadsheet program seems to have the workbook open.": "即使表格软件似乎打开了工作簿也写入。",
    "A month (2026-11), a quarter (2026-Q4) or a year (2026).": "一个月（2026-11）、一个季度（2026-Q4）或一年（2026）。",
    "First day of a custom period.": "自定义期间的第一天。",
    "Last day of a custom period.": "自定义期间的最后一天。",
    "The report day (default today): nothing after it is seen; the period is cut off there.": "报表日期（默认今天）：之后的记录不计入，期间到此为止。",
    "Add each KPI's definition to the table.": "在表格中附上每项指标的定义。",
    "Share of each staff member's visits to draw, e.g. 5%.": "每位员工的回访记录抽取比例，如 5%。",
    "Seed of the draw (default: from the period, so the same period gives the same sample).": "抽样种子（默认按期间生成，同一期间得到同样的样本）。",
    "The audit workbook to write (.xlsx).": "要生成的抽查工作簿（.xlsx）。",
    "Language of the sheet names, headers and dropdown values.": "工作表名、表头和下拉值的语言。",
    "Shop name for scripts and messages ({shop}).": "话术和短信中的店名（{shop}）。",
    "The shop's fixed phone number ({shop_phone}).": "店里的固定电话（{shop_phone}）。",
    "Overwrite PATH and followup.toml if they exist.": "PATH 和 followup.toml 已存在时覆盖。",
    "Language of the descriptions.": "说明的语言。",
    "followup.toml to use (default: FOLLOWUP_CONFIG, else the one beside --archive, else ./followup.toml).": "使用的 followup.toml（默认：环境变量 FOLLOWUP_CONFIG，否则 --archive 旁边的，"
    "否则当前文件夹的 followup.toml）。",
    "Use the followup.toml that `due` uses for this archive (beside it).": "使用 `due` 对这个档案所用的 followup.toml（档案旁边的）。",
    "Language of what is printed (default: env FOLLOWUP_LANG, else the system locale).": "输出的语言（默认：环境变量 FOLLOWUP_LANG，否则系统语言）。",
    "The notice's year, when its text does not say it (it is checked when it does).": "通知的年份，通知正文没写年份时用（写了的话会核对）。",
    "Write without asking (for scripts; needed when NOTICE is '-').": "不询问直接写入（脚本用；NOTICE 为 '-' 时必须加）。",
    "The customer: an id, a phone number or a name.": "客户：客户编号、手机号或姓名。",
    "The day of the history (default today): later records are not shown.": "按哪一天查看（默认今天）：之后的记录不显示。",
    "The SMS batch to write (.csv).": "要生成的短信批次（.csv）。",
    "Which channel's messages: sms (default) or wechat.": "哪种渠道的消息：sms（默认）或 wechat。",
    "Also list the customers left out (do-not-contact, no mobile number) and why.": "同时列出未发送的客户（拒绝回访、没有手机号）及原因。",
}
