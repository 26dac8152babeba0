"""The calendar's working days: official, imported, computed (补假) and override schedules,
the corrections, rows for the command. Festivals, lunar dates and birthdays:
tests/test_calendar_lunar.py.
"""

import datetime as dt
import timeit
import tomllib

import pytest

import followup_cli.calendar as cal
from followup_cli.calendar import (
    CalendarError,
    WorkCalendar,
    calendar_rows,
    next_birthday,
    workcalendar_from_config,
)
from followup_cli.errors import ConfigError

D = dt.date

# --- working days ------------------------------------------------------------------------

OFFICIAL_2025 = [
    (D(2025, 1, 1), D(2025, 1, 1), "元旦"),
    (D(2025, 1, 28), D(2025, 2, 4), "春节"),
    (D(2025, 4, 4), D(2025, 4, 6), "清明节"),
    (D(2025, 5, 1), D(2025, 5, 5), "劳动节"),
    (D(2025, 5, 31), D(2025, 6, 2), "端午节"),
    (D(2025, 10, 1), D(2025, 10, 8), "国庆节、中秋节"),
]
OFFICIAL_2026 = [
    (D(2026, 1, 1), D(2026, 1, 3), "元旦"),
    (D(2026, 2, 15), D(2026, 2, 23), "春节"),
    (D(2026, 4, 4), D(2026, 4, 6), "清明节"),
    (D(2026, 5, 1), D(2026, 5, 5), "劳动节"),
    (D(2026, 6, 19), D(2026, 6, 21), "端午节"),
    (D(2026, 9, 25), D(2026, 9, 27), "中秋节"),
    (D(2026, 10, 1), D(2026, 10, 7), "国庆节"),
]
MAKEUP_2025 = [D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)]
MAKEUP_2026 = [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)]


@pytest.fixture(scope="module")
def wc():
    return WorkCalendar()


@pytest.mark.parametrize(
    "year, ranges, makeup", [(2025, OFFICIAL_2025, MAKEUP_2025), (2026, OFFICIAL_2026, MAKEUP_2026)]
)
def test_official_schedules(wc, year, ranges, makeup):
    assert wc.schedule_source(year) == "official"
    got = wc.holidays_in_year(year)
    assert [(r.start, r.end, r.name_zh) for r in got] == ranges
    assert {r.source for r in got} == {"official"}
    assert wc.makeup_workdays(year) == makeup
    for d in makeup:
        assert d.weekday() >= 5 and wc.is_workday(d)
    for start, end, _ in ranges:
        d = start
        while d <= end:
            assert not wc.is_workday(d), d
            d += dt.timedelta(days=1)
    assert wc.warnings_for([D(year, 1, 1), D(year, 12, 31)]) == []


def test_add_workdays_over_the_2026_spring_festival(wc):
    # Fri 02-13 → Sat 02-14 (make-up workday) is 1; 02-15..02-23 off; 02-24 is 2, 02-25 is 3.
    assert wc.add_workdays(D(2026, 2, 13), 3) == D(2026, 2, 25)
    assert wc.add_workdays(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert wc.add_workdays(D(2026, 2, 13), 2) == D(2026, 2, 24)
    assert wc.add_workdays(D(2026, 2, 13), 0) == D(2026, 2, 13)
    assert wc.add_workdays(D(2026, 2, 14), 0) == D(2026, 2, 14)
    assert wc.add_workdays(D(2026, 2, 15), 0) == D(2026, 2, 24)
    assert wc.add_workdays(D(2026, 2, 21), 1) == D(2026, 2, 24)  # counted strictly after the day off
    assert wc.add_workdays(dt.datetime(2026, 2, 13, 9, 30), 3) == D(2026, 2, 25)
    with pytest.raises(CalendarError):
        wc.add_workdays(D(2026, 2, 13), -1)


def test_add_workdays_plain_weekends_and_across_years(wc):
    assert wc.add_workdays(D(2026, 3, 6), 1) == D(2026, 3, 9)  # Fri → Mon
    assert wc.add_workdays(D(2026, 3, 7), 1) == D(2026, 3, 9)  # Sat → Mon
    assert wc.add_workdays(D(2025, 12, 31), 1) == D(2026, 1, 4)  # 01-01..03 off, Sun 01-04 works
    assert wc.add_workdays(D(2025, 9, 30), 1) == D(2025, 10, 9)


# 《全国年节及纪念日放假办法》 (revised by State Council decree No. 795, in force 2025-01-01),
# article 2: 元旦 1 day, 春节 4 days (除夕, 正月初一 to 初三), 清明 1, 劳动节 2 (5月1日、2日),
# 端午 1, 中秋 1, 国庆 3 (10月1日至3日); article 6: "全体公民放假的假日，如果适逢周六、周日，
# 应当在工作日补假". 2027: 春节 02-05 (Fri) to 02-08 (Mon) has Sat 02-06 and Sun 02-07, so
# 02-09 and 02-10 are off; 劳动节 is Sat 05-01 and Sun 05-02, so 05-03 and 05-04; 国庆 10-01
# (Fri) to 10-03 (Sun), so 10-04 and 10-05.
IN_LIEU_2027 = [D(2027, 2, 9), D(2027, 2, 10), D(2027, 5, 3), D(2027, 5, 4), D(2027, 10, 4), D(2027, 10, 5)]


def test_2027_is_computed_with_in_lieu_days_and_a_warning(wc):
    assert wc.schedule_source(2027) == "computed"
    got = wc.holidays_in_year(2027)
    assert [(r.start, r.end, r.name_zh, r.source) for r in got] == [
        (D(2027, 1, 1), D(2027, 1, 1), "元旦", "computed"),
        (D(2027, 2, 5), D(2027, 2, 10), "春节", "computed"),  # 除夕 to 初三, then 补假 02-09, 02-10
        (D(2027, 4, 5), D(2027, 4, 5), "清明节", "computed"),
        (D(2027, 5, 1), D(2027, 5, 4), "劳动节", "computed"),
        (D(2027, 6, 9), D(2027, 6, 9), "端午节", "computed"),
        (D(2027, 9, 15), D(2027, 9, 15), "中秋节", "computed"),
        (D(2027, 10, 1), D(2027, 10, 5), "国庆节", "computed"),
    ]
    assert sorted(wc.in_lieu_days(2027)) == IN_LIEU_2027
    for d in IN_LIEU_2027:
        assert d.weekday() < 5 and not wc.is_workday(d), d
    assert sum((r.end - r.start).days + 1 for r in got) == 13 + 6
    assert wc.makeup_workdays(2027) == []
    assert wc.add_workdays(D(2027, 2, 4), 1) == D(2027, 2, 11)
    assert wc.add_workdays(D(2027, 4, 30), 1) == D(2027, 5, 5)
    warnings = wc.warnings_for([D(2026, 12, 30), D(2027, 1, 5)])
    assert [w.year for w in warnings] == [2027]
    assert "2027" in warnings[0].zh and "补假" in warnings[0].zh and "calendar import" in warnings[0].zh
    assert "2027" in warnings[0].en and "computed" in warnings[0].en
    assert warnings[0].text("en") == warnings[0].en and warnings[0].text("zh") == warnings[0].zh
    # every year spanned counts, not only the dates given
    assert [w.year for w in wc.warnings_for([D(2026, 6, 1), D(2029, 1, 1)])] == [2027, 2028, 2029]


def test_computed_in_lieu_days_follow_the_weekend_count():
    # every year 2027-2099: one weekday off per statutory day on a weekend, never a weekend
    # day, never a statutory day, and each one after its own holiday within a fortnight
    from followup_cli.calendar.schedules import computed_schedule, statutory_days

    for year in range(2027, 2100):
        schedule = computed_schedule(year)
        blocks = statutory_days(year)
        statutory = {d for _, days in blocks for d in days}
        weekend = sum(1 for d in statutory if d.weekday() >= 5)
        assert len(schedule.in_lieu) == weekend, year
        assert set(schedule.holidays) == statutory | schedule.in_lieu
        for d in schedule.in_lieu:
            assert d.weekday() < 5 and d not in statutory
            assert any(0 < (d - days[-1]).days <= 14 for _, days in blocks)


def test_computed_days_off_of_2025_and_2026_are_all_off_officially(wc):
    # the rule the fallback computes is the one the 2025 and 2026 notices apply: every day it
    # gives off (补假 included) is off in the official schedule too
    from followup_cli.calendar.schedules import computed_schedule

    for year in (2025, 2026):
        for d in computed_schedule(year).holidays:
            assert not wc.is_workday(d), d


def test_2005_12_31_was_a_make_up_workday(wc):
    # 国办发明电〔2005〕35号 (2006 schedule): 元旦 1月1日至3日放假, "12月31日（星期六）上班".
    # chinesecalendar 1.11 has it as a weekend day off.
    import chinese_calendar

    assert not chinese_calendar.is_workday(D(2005, 12, 31))
    assert D(2005, 12, 31).weekday() == 5
    assert wc.is_workday(D(2005, 12, 31))
    assert D(2005, 12, 31) in wc.makeup_workdays(2005)
    assert wc.schedule_source(2005) == "official"
    assert wc.add_workdays(D(2005, 12, 30), 1) == D(2005, 12, 31)
    assert wc.add_workdays(D(2005, 12, 31), 1) == D(2006, 1, 4)
    rows = calendar_rows(2005, wc, "en")
    assert any(r["date"] == D(2005, 12, 31) and r["name"] == "make-up workday for New Year's Day" for r in rows)


def test_years_before_the_official_data_are_computed(wc):
    assert cal.official_years()[0] == 2004
    assert wc.schedule_source(2004) == "official"
    assert wc.schedule_source(2003) == "computed"


# 2027 as a shop would add it to followup.toml once the State Council announces it
# (made-up dates: what matters is that they replace the computed guess).
OVERRIDE_TOML = """
[calendar]
workdays = ["2027-02-20", 2027-09-26]

[[calendar.holidays]]
start = "2027-01-01"
end = "2027-01-03"
name = "元旦"

[[calendar.holidays]]
start = 2027-02-05
end = 2027-02-12
name = "春节"

[[calendar.holidays]]
start = "2027-06-09"
name = "端午"
"""


def test_override_from_config_replaces_a_computed_year():
    wc = workcalendar_from_config(tomllib.loads(OVERRIDE_TOML))
    assert wc.schedule_source(2027) == "override"
    assert wc.schedule_source(2026) == "official"
    assert wc.warnings_for([D(2027, 1, 1)]) == []
    assert [(r.start, r.end, r.name_zh, r.name_en, r.source) for r in wc.holidays_in_year(2027)] == [
        (D(2027, 1, 1), D(2027, 1, 3), "元旦", "New Year's Day", "override"),
        (D(2027, 2, 5), D(2027, 2, 12), "春节", "Spring Festival", "override"),
        (D(2027, 6, 9), D(2027, 6, 9), "端午", "Dragon Boat Festival", "override"),
    ]
    assert wc.makeup_workdays(2027) == [D(2027, 2, 20), D(2027, 9, 26)]
    computed = WorkCalendar()
    assert computed.add_workdays(D(2027, 2, 4), 1) == D(2027, 2, 11)
    assert wc.add_workdays(D(2027, 2, 4), 1) == D(2027, 2, 15)  # 02-05..12 off, then the weekend
    assert wc.add_workdays(D(2027, 2, 19), 1) == D(2027, 2, 20)  # make-up Saturday
    assert wc.is_workday(D(2027, 10, 1))  # the computed guess is gone once the year is overridden


def test_override_in_an_official_year_corrects_day_by_day():
    wc = WorkCalendar(holidays=[(D(2026, 12, 31), D(2026, 12, 31), "年终休息")], workdays=[D(2026, 2, 23)])
    assert wc.schedule_source(2026) == "override"
    assert not wc.is_workday(D(2026, 12, 31))
    assert wc.is_workday(D(2026, 2, 23))
    assert not wc.is_workday(D(2026, 2, 22))  # the rest of the official schedule stays
    assert D(2026, 2, 14) in wc.makeup_workdays(2026)
    ranges = wc.holidays_in_year(2026)
    assert (D(2026, 2, 15), D(2026, 2, 22), "春节", "Spring Festival", "official") in ranges
    assert ranges[-1] == (D(2026, 12, 31), D(2026, 12, 31), "年终休息", "年终休息", "override")


@pytest.mark.parametrize(
    "toml_text, message",
    [
        ("[calendar]\nholiday = []\n", "unknown key holiday"),
        ('[[calendar.holidays]]\nstart = "2027-13-01"\nname = "x"\n', "is not a date"),
        ('[[calendar.holidays]]\nstart = "2027-02-05"\nend = "2027-02-01"\nname = "春节"\n', "before start"),
        ('[[calendar.holidays]]\nstart = "2027-02-05"\n', "start and name are required"),
        ('[[calendar.holidays]]\nstart = "2027-02-05"\nname = "x"\ndays = 3\n', "unknown key days"),
        ('[calendar]\nworkdays = "2027-02-20"\n', "workdays must be a list"),
        (
            '[calendar]\nworkdays = ["2027-02-05"]\n[[calendar.holidays]]\nstart = "2027-02-05"\nname = "春节"\n',
            "both as a holiday and as a make-up workday",
        ),
    ],
)
def test_config_errors(toml_text, message):
    with pytest.raises(ConfigError, match=message):
        workcalendar_from_config(tomllib.loads(toml_text))


def test_no_calendar_table_means_the_library_schedule():
    assert workcalendar_from_config({}).schedule_source(2026) == "official"
    assert workcalendar_from_config({"shop": {"name": "x"}}).schedule_source(2027) == "computed"


# --- rows for the command ----------------------------------------------------------------


def test_calendar_rows_2026(wc):
    rows = calendar_rows(2026, wc, "en")
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    assert set(rows[0]) == {key for key, _ in cal.calendar_columns("en")}
    workdays = [r for r in rows if r["type"] == "make-up workday"]
    assert [r["date"] for r in workdays] == MAKEUP_2026
    assert {r["source"] for r in workdays} == {"official"}
    spring = next(r for r in rows if r["type"] == "holiday" and r["date"] == D(2026, 2, 15))
    assert (spring["end"], spring["days"], spring["weekday"]) == (D(2026, 2, 23), 9, "Sun–Mon")
    festivals = [r for r in rows if r["type"] == "festival"]
    assert len(festivals) == 18 and all(r["source"] is None for r in festivals)
    zh = calendar_rows(2026, wc, "zh")
    assert any(r["name"] == "中秋节" and r["date"] == D(2026, 9, 25) and r["weekday"] == "周五" for r in zh)
    assert {r["source"] for r in zh if r["type"] == "放假"} == {"官方"}
    with pytest.raises(ConfigError):
        calendar_rows(2026, wc, "fr")


# --- speed ---------------------------------------------------------------------------------


def test_hot_calls_take_microseconds(wc):
    # Warm the per-year tables, then time: the scheduler calls these for every customer.
    day = D(2026, 2, 13)
    next_birthday(12, 30, day, lunar=True)
    wc.add_workdays(day, 3)
    n = 20_000
    per_lunar = timeit.timeit(lambda: next_birthday(12, 30, day, lunar=True), number=n) / n
    per_solar = timeit.timeit(lambda: next_birthday(2, 29, day), number=n) / n
    per_workdays = timeit.timeit(lambda: wc.add_workdays(day, 3), number=n) / n
    # generous bounds so a slow CI box passes; typical numbers are in docs/calendar.md
    assert per_lunar < 50e-6 and per_solar < 50e-6 and per_workdays < 50e-6


def test_the_next_years_notice_reaches_into_this_december_even_when_overridden():
    from followup_cli.calendar.schedules import YearSchedule

    following = YearSchedule(
        2028, "imported", {D(2027, 12, 31): ("元旦", "New Year's Day"), D(2028, 1, 1): ("元旦", "New Year's Day")}, {}
    )
    for overrides in ([], [(D(2027, 3, 1), D(2027, 3, 1), "店庆")]):
        wc = WorkCalendar(holidays=overrides, imported={2028: following})
        assert not wc.is_workday(D(2027, 12, 31))  # a Friday, off by the 2028 notice
        assert (D(2027, 12, 31), D(2027, 12, 31), "元旦", "New Year's Day", "imported") in wc.holidays_in_year(2027)
    assert wc.schedule_source(2027) == "override" and not wc.is_workday(D(2027, 3, 1))
    assert wc.is_workday(D(2027, 10, 4))  # the computed 补假 is dropped once the year is overridden
