"""Reading the State Council's holiday notice (followup_cli/calendar/notice.py).

The fixtures tests/fixtures/notice_2025.txt (国办发明电〔2024〕12号, published 2024-11-12) and
notice_2026.txt (published 2025-11-04) are the notices' texts; the reference for what they
say is chinesecalendar's data for those years, compared day by day.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from chinese_calendar import constants
from hypothesis import given, settings
from hypothesis import strategies as st

from followup_cli.calendar.notice import NoticeError, parse_notice

FIXTURES = Path(__file__).parent / "fixtures"
D = dt.date


def notice_text(year: int) -> str:
    return (FIXTURES / f"notice_{year}.txt").read_text(encoding="utf-8")


def assert_same_as_chinesecalendar(schedule, year):
    d = D(year, 1, 1)
    checked = 0
    while d.year == year:
        assert (d in schedule.holidays) == (d in constants.holidays), d
        assert (d in schedule.workdays) == (d in constants.workdays), d
        d += dt.timedelta(days=1)
        checked += 1
    assert checked in (365, 366)
    assert len(schedule.holidays) == sum(1 for h in constants.holidays if h.year == year)
    assert len(schedule.workdays) == sum(1 for w in constants.workdays if w.year == year)


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_published_notices_give_chinesecalendars_schedule(year):
    notice = parse_notice(notice_text(year))
    assert notice.year == year
    assert notice.title == f"国务院办公厅关于{year}年部分节假日安排的通知"
    assert_same_as_chinesecalendar(notice.schedule(), year)
    assert notice.schedule().source == "imported"


def test_items_keep_their_line_and_names():
    notice = parse_notice(notice_text(2025))
    assert [item.line_no for item in notice.items] == [8, 9, 10, 11, 12, 13]
    national = notice.items[-1]
    assert national.names == ("国庆节、中秋节", "National Day, Mid-Autumn Festival")
    assert national.holidays[0] == D(2025, 10, 1) and national.holidays[-1] == D(2025, 10, 8)
    assert national.workdays == [D(2025, 9, 28), D(2025, 10, 11)]
    assert notice.items[0].holidays == [D(2025, 1, 1)] and notice.items[0].workdays == []  # 放假1天，不调休


def _half_width(text: str) -> str:
    return text.translate(str.maketrans("：（），。；", ":(),.;"))


@pytest.mark.parametrize("year", [2025, 2026])
def test_traditional_characters_and_half_width_punctuation(year):
    from opencc import OpenCC

    traditional = OpenCC("s2t").convert(notice_text(year))
    assert "國務院辦公廳" in traditional and "調休" in traditional
    for text in (traditional, _half_width(notice_text(year)), _half_width(traditional)):
        assert_same_as_chinesecalendar(parse_notice(text).schedule(), year)


def test_full_width_digits_spaces_and_a_wrapped_line():
    text = notice_text(2026).replace("5月1日", "５月１日").replace("放假调休，共5天。", "放假调休，\n共5天。")
    text = text.replace("一、元旦：", "一、 元旦： ")
    assert_same_as_chinesecalendar(parse_notice(text).schedule(), 2026)


def _garble(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    "old, new, line, why",
    [
        ("5月1日（周五）至5日", "5月1曰（周五）至5日", 10, "'5日(周二)' has no month"),  # 日 misread as 曰
        ("5月9日（周六）上班", "5月9日（周六）上斑", 10, "is not understood"),
        ("共9天", "共8天", 8, "'共8天' but 2026-02-15 to 2026-02-23 is 9 days"),
        ("9月20日（周日）", "9月21日（周日）", 13, "2026-09-21 is a Monday, the notice says 周日"),
    ],
)
def test_a_garbled_line_is_refused_naming_it(old, new, line, why):
    text = _garble(notice_text(2026), old, new)
    with pytest.raises(NoticeError) as exc:
        parse_notice(text, source="notice.txt")
    message = exc.value.text("en")
    assert f"notice.txt line {line} cannot be read" in message
    assert why in message
    assert "nothing was written" in message
    zh = exc.value.text("zh")
    assert f"notice.txt 第 {line} 行读不懂" in zh


def test_an_impossible_date_is_refused():
    text = _garble(notice_text(2026), "6月19日（周五）至21日（周日）", "6月31日至7月2日")
    with pytest.raises(NoticeError, match=r"line 11 .*'6月31日' is not a date"):
        parse_notice(text)


def test_a_day_off_outside_the_numbered_lines_is_not_left_out():
    text = notice_text(2026).replace("节假日期间，", "另外，12月31日（周四）下午放假。\n节假日期间，")
    with pytest.raises(NoticeError, match="line 15 .*not a numbered item"):
        parse_notice(text)


def test_the_same_day_twice_is_refused():
    text = _garble(notice_text(2026), "9月25日（周五）至27日（周日）", "10月1日（周四）至3日（周六）")
    with pytest.raises(NoticeError, match=r"line 13 .*2026-10-01 is already given on line 12"):
        parse_notice(text)


def test_the_year_comes_from_the_title_or_the_option():
    body = "\n".join(line for line in notice_text(2026).splitlines() if not re.search(r"\d{4}年", line))
    with pytest.raises(NoticeError, match="--year"):
        parse_notice(body)
    assert_same_as_chinesecalendar(parse_notice(body, year=2026).schedule(), 2026)
    assert parse_notice(notice_text(2026), year=2026).year == 2026
    with pytest.raises(NoticeError, match="the notice is for 2026, but --year says 2025"):
        parse_notice(notice_text(2026), year=2025)
    # the weekdays in brackets catch a notice read for the wrong year
    with pytest.raises(NoticeError, match="is the year right"):
        parse_notice(body, year=2027)


def test_a_text_that_is_not_a_notice():
    with pytest.raises(NoticeError, match="no numbered lines"):
        parse_notice("国务院办公厅关于2027年部分节假日安排的通知\n\n（正文待发布）\n")


def test_the_2006_notice_gives_the_make_up_day_of_the_year_before():
    # 国办发明电〔2005〕35号 has "12月31日（星期六）上班" under 元旦: a day of 2005, which followup's
    # correction table also holds (chinesecalendar has it as a day off)
    from followup_cli.calendar import WorkCalendar

    text = (
        "国务院办公厅关于2006年部分节假日安排的通知\n"
        "一、元旦：1月1日（星期日）至3日（星期二）放假，共3天。12月31日（星期六）上班。\n"
    )
    notice = parse_notice(text)
    assert notice.items[0].workdays == [D(2005, 12, 31)]
    assert WorkCalendar().is_workday(D(2005, 12, 31))
    text = text.replace("12月31日（星期六）上班", "2004年12月31日（星期五）上班")
    with pytest.raises(NoticeError, match="is a day of 2004, not of 2006's schedule"):
        parse_notice(text)


def test_a_december_day_is_the_year_before_only_beside_january():
    # found by the property test below: a 元旦 item without January is all in the notice's year
    text = "国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：11月23日（周一）至12月1日（周二）放假调休。\n"
    assert parse_notice(text).items[0].holidays[-1] == D(2026, 12, 1)


def works(d, holidays, workdays):
    return d in workdays or (d.weekday() < 5 and d not in holidays)


@pytest.mark.parametrize("year", [2023, 2024])
def test_older_notices_agree_with_chinesecalendar_day_by_day(year):
    # 2023 (published 2022-12-08) begins on 2022年12月31日; 2024 (国办发明电〔2023〕7号,
    # 2023-10-25) has "1月1日放假，与周末连休" and an encouragement to rest on 除夕 (not a day off)
    from followup_cli.calendar.importing import compare_with_library

    notice = parse_notice(notice_text(year))
    schedule = notice.schedule()
    d = D(year - 1, 12, 25)
    while d < D(year + 1, 1, 1):
        if d.year == year or d in schedule.holidays or d in schedule.workdays:
            assert works(d, schedule.holidays, schedule.workdays) == works(d, constants.holidays, constants.workdays), d
        d += dt.timedelta(days=1)
    assert [str(n) for n in compare_with_library(notice)] == [
        f"the same, day by day, as chinesecalendar's schedule for {year}"
    ]


def test_an_encouragement_is_said_not_imported():
    notice = parse_notice(notice_text(2024))
    assert D(2024, 2, 9) not in notice.schedule().holidays
    assert [n.text("en") for n in notice.notes] == [
        "line 9: '鼓励各单位结合带薪年休假等制度落实,安排职工在除夕(2月9日)休息' is an encouragement, "
        "not a day off: not imported"
    ]
    assert notice.notes[0].text("zh").startswith("第 9 行")


def test_a_notice_that_differs_from_the_library_is_told():
    from followup_cli.calendar.importing import compare_with_library

    text = notice_text(2026).replace("5月9日（周六）上班。", "")
    assert [n.text("en") for n in compare_with_library(parse_notice(text))] == [
        "days off in the notice that chinesecalendar has as workdays: 2026-05-09"
    ]


def test_the_december_before_is_used_from_the_next_years_notice():
    import tomllib

    from followup_cli.calendar import workcalendar_from_config
    from followup_cli.calendar.importing import plan_import

    plan = plan_import(parse_notice(notice_text(2023)), Path("/nonexistent/followup.toml"), today=D(2022, 12, 9))
    wc = workcalendar_from_config(tomllib.loads(plan.new_text))
    assert wc.schedule_source(2023) == "imported"
    assert not wc.is_workday(D(2022, 12, 31)) and not wc.is_workday(D(2023, 1, 2))
    assert wc.holidays_in_year(2023)[0][:3] == (D(2022, 12, 31), D(2023, 1, 2), "元旦")


# --- any schedule, written the way notices are written, reads back as itself --------------

_NAMES = ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节", "国庆节、中秋节"]
_WEEKDAY_ZH = "一二三四五六日"


@st.composite
def schedules(draw):
    """(year, [(name, start, end, [make-up workdays])]) with no day given twice."""
    year = draw(st.integers(2027, 2099))
    taken: set = set()
    items = []
    for name in draw(st.lists(st.sampled_from(_NAMES), min_size=1, max_size=7, unique=True)):
        start = D(year, 1, 1) + dt.timedelta(days=draw(st.integers(0, 355)))
        end = start + dt.timedelta(days=draw(st.integers(0, 8)))
        days = {start + dt.timedelta(days=i) for i in range((end - start).days + 1)}
        if end.year != year or days & taken:
            continue
        taken |= days
        workdays = []
        for offset in draw(st.lists(st.integers(-14, 14), max_size=2, unique=True)):
            d = (start if offset < 0 else end) + dt.timedelta(days=offset)
            if d.year == year and d not in taken and d.weekday() >= 5:
                workdays.append(d)
                taken.add(d)
        items.append((name, start, end, sorted(workdays)))
    return year, items


def _date(d: D, prev_month, style) -> str:
    weekday = ("星期" if style["xingqi"] else "周") + _WEEKDAY_ZH[d.weekday()]
    month = "" if prev_month == d.month and style["short_end"] else f"{d.month}月"
    return f"{month}{d.day}日（{weekday}）"


def render(year, items, style) -> str:
    numbers = "一二三四五六七八九"
    lines = [f"国务院办公厅关于{year}年部分节假日安排的通知", "", "各省、自治区、直辖市人民政府：", ""]
    for i, (name, start, end, workdays) in enumerate(items):
        days = (end - start).days + 1
        if start == end:
            body = f"{_date(start, None, style)}放假{'1天' if style['count'] else ''}。"
        else:
            body = f"{_date(start, None, style)}至{_date(end, start.month, style)}放假调休"
            body += f"，共{days}天。" if style["count"] else "。"
        if workdays:
            body += "、".join(_date(d, None, style) for d in workdays) + "上班。"
        lines.append(f"{numbers[i]}、{name}：{body}")
    text = "\n".join(lines + ["", "国务院办公厅", f"{year - 1}年11月4日"])
    if style["traditional"]:
        from opencc import OpenCC

        text = OpenCC("s2t").convert(text)
    if style["half_width"]:
        text = text.translate(str.maketrans("：（），。", ":(),."))
    return text


@settings(max_examples=60, deadline=None)
@given(
    schedules(),
    st.fixed_dictionaries(
        {
            "xingqi": st.booleans(),
            "short_end": st.booleans(),
            "count": st.booleans(),
            "traditional": st.booleans(),
            "half_width": st.booleans(),
        }
    ),
)
def test_any_schedule_written_as_a_notice_reads_back(schedule, style):
    year, items = schedule
    if not items:
        return
    notice = parse_notice(render(year, items, style))
    assert notice.year == year
    expected_off = {start + dt.timedelta(days=i) for _, start, end, _ in items for i in range((end - start).days + 1)}
    assert set(notice.schedule().holidays) == expected_off
    assert set(notice.schedule().workdays) == {d for *_, workdays in items for d in workdays}
    assert [item.names[0] for item in notice.items] == [name for name, *_ in items]
