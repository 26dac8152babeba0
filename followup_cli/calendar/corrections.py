"""Where followup knows better than the libraries it reads: one table per library, each entry
with its source. Kept small on purpose: an entry belongs here only when the library stands
alone against the published source (docs/calendar.md, "Corrections").
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple


class Correction(NamedTuple):
    value: object
    source: str


# borax's lunar tables: the first solar day of a lunar month, (lunar year, month, leap) →
# date. borax starts both months one day late; the Hong Kong Observatory's conversion tables
# (公历与农历日期对照表), lunar-python 1.4.8, lunardate 0.3.0, zhdate, cnlunar and Reingold &
# Dershowitz, *Calendrical Calculations* (with its erratum) all give the day below. The month
# before each one is a day shorter, the month itself a day longer.
LUNAR_MONTH_STARTS: dict[tuple[int, int, bool], Correction] = {
    (2089, 8, False): Correction(
        dt.date(2089, 9, 4),  # borax 2089-09-05: 中秋 2089-09-18, not 09-19
        "Hong Kong Observatory 2089 conversion table; lunar-python, lunardate, Calendrical Calculations",
    ),
    (2097, 7, False): Correction(
        dt.date(2097, 8, 7),  # borax 2097-08-08: 七夕 2097-08-13, not 08-14
        "Hong Kong Observatory 2097 conversion table; lunar-python, lunardate, Calendrical Calculations",
    ),
}
# Not corrected: lunar 2057 month 9 stays as borax has it (first day 2057-09-29, 重阳 10-07,
# with lunar-python and Calendrical Calculations). The Hong Kong Observatory has 09-28 (重阳
# 10-06): the new moon falls within minutes of Beijing midnight, so it is genuinely uncertain
# until the Purple Mountain Observatory publishes that year.

# chinesecalendar's official schedules: date → (True = make-up workday / False = day off,
# holiday it belongs to (festival id), source).
SCHEDULE_DAYS: dict[dt.date, Correction] = {
    # chinesecalendar 1.11 has 2005-12-31 (Saturday) as a weekend day off.
    dt.date(2005, 12, 31): Correction(
        (True, "new_year"),
        "国务院办公厅关于2006年部分节假日安排的通知（国办发明电〔2005〕35号）：元旦 1月1日至3日放假，"
        "“12月31日（星期六）上班”",
    ),
}
