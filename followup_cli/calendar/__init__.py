"""The Chinese calendar every rule uses: festivals, lunar birthdays, statutory holidays and
make-up workdays (调休). See docs/calendar.md.

- lunar.py: lunar ⇄ solar (borax, corrected where it stands alone: corrections.py)
- festivals.py: the festivals and their dates
- birthdays.py, lunar_text.py: birthdays and lunar birthday text
- schedules.py: a year's schedule, official (chinesecalendar) or computed (the statutory rule)
- workdays.py: WorkCalendar, working-day arithmetic
- settings.py: followup.toml's [calendar]
- notice.py, importing.py: reading a State Council notice and writing it into followup.toml
- rows.py: rows for `followup calendar YEAR`

Plain functions and classes: no click, no printing. Other packages import from here.
"""

from followup_cli.calendar.birthdays import (
    DEFAULT_POLICY,
    BirthdayPolicy,
    birthday_in_year,
    next_birthday,
    previous_birthday,
)
from followup_cli.calendar.festivals import (
    FESTIVALS,
    Festival,
    festival_date,
    festivals_in_year,
    find_festival,
    next_festival_date,
)
from followup_cli.calendar.lunar import (
    MAX_YEAR,
    MIN_YEAR,
    CalendarError,
    leap_month,
    lunar_md_text,
    lunar_month_days,
    lunar_to_solar,
    solar_to_lunar,
)
from followup_cli.calendar.lunar_text import parse_lunar
from followup_cli.calendar.rows import calendar_columns, calendar_rows, schedule_origin
from followup_cli.calendar.schedules import (
    YearSchedule,
    computed_schedule,
    official_years,
)
from followup_cli.calendar.settings import (
    birthday_policy_from_config,
    workcalendar_from_config,
)
from followup_cli.calendar.workdays import (
    SOURCES,
    CalendarWarning,
    HolidayRange,
    WorkCalendar,
)

__all__ = [
    "DEFAULT_POLICY",
    "FESTIVALS",
    "MAX_YEAR",
    "MIN_YEAR",
    "SOURCES",
    "BirthdayPolicy",
    "CalendarError",
    "CalendarWarning",
    "Festival",
    "HolidayRange",
    "WorkCalendar",
    "YearSchedule",
    "birthday_in_year",
    "birthday_policy_from_config",
    "calendar_columns",
    "calendar_rows",
    "computed_schedule",
    "festival_date",
    "festivals_in_year",
    "find_festival",
    "leap_month",
    "lunar_md_text",
    "lunar_month_days",
    "lunar_to_solar",
    "next_birthday",
    "next_festival_date",
    "official_years",
    "parse_lunar",
    "previous_birthday",
    "schedule_origin",
    "solar_to_lunar",
    "workcalendar_from_config",
]
