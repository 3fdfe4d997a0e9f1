"""Due dates in Chinese working days: holidays, 调休 make-up days, pauses, extension."""

from __future__ import annotations

from datetime import date

import pytest

from xxgk.ledger.calendar import (
    CalendarNotPublished,
    Pause,
    add_workdays,
    deadline,
    default_calendar,
)
from xxgk.ledger.channels import ReceiptError, receipt


def test_national_day_2024_with_make_up_days() -> None:
    due = deadline(date(2024, 9, 27))
    assert due.due == date(2024, 10, 30)
    assert due.explanation == (
        "2024-09-27（周五）收到，次日起算 20 个工作日；10-01 至 10-07 放假，"
        "09-29、10-12 调休上班 → 2024-10-30"
    )


def test_make_up_saturday_counts_and_holiday_weekdays_do_not() -> None:
    cal = default_calendar()
    assert cal.is_workday(date(2024, 10, 12))  # Saturday, 调休上班
    assert not cal.is_workday(date(2024, 10, 7))  # Monday, 国庆节
    # received Friday 10-11: the make-up Saturday 10-12 is the first working day
    assert add_workdays(date(2024, 10, 11), 1)[0] == date(2024, 10, 12)


def test_spring_festival_2024() -> None:
    # 2024-02-10 … 02-17 off, Sunday 02-04 and 02-18 worked
    due = deadline(date(2024, 2, 8))
    assert due.due == date(2024, 3, 13)
    assert "02-10 至 02-17 放假" in due.explanation
    assert "02-18 调休上班" in due.explanation
    # received on the make-up Sunday 02-04: counting starts on Monday 02-05
    assert add_workdays(date(2024, 2, 4), 1)[0] == date(2024, 2, 5)


def test_spring_festival_2025_across_two_weeks() -> None:
    # 2025: 01-28 … 02-04 off; Sunday 01-26 and Saturday 02-08 worked
    due = deadline(date(2025, 1, 20))
    # 01-21…24, 01-26, 01-27, 02-05…08, 02-10…14, 02-17…21
    assert due.due == date(2025, 2, 21)
    assert "01-26、02-08 调休上班" in due.explanation


def test_extension_adds_twenty_working_days() -> None:
    assert deadline(date(2024, 9, 27), extension=20).due == date(2024, 11, 27)
    assert deadline(date(2024, 9, 27), extension=20).counted == 40


def test_paused_days_push_the_due_date() -> None:
    plain = deadline(date(2024, 9, 27)).due
    paused = deadline(date(2024, 9, 27), paused_days=3)
    assert plain == date(2024, 10, 30)
    assert paused.due == date(2024, 11, 4)  # 10-31, 11-01, 11-04
    assert "不计入期限的 3 个工作日顺延" in paused.explanation


def test_consultation_pause_is_not_counted() -> None:
    # letter sent Tue 10-08, answered Tue 10-15: 10-09 … 10-15 are 6 working days
    # (10-12 is a make-up Saturday)
    due = deadline(date(2024, 9, 27), pauses=[Pause(date(2024, 10, 8), date(2024, 10, 15))])
    assert due.paused == 6
    assert due.due == date(2024, 11, 7)
    assert "征求意见（10-08 起至 10-15）6 个工作日不计入" in due.explanation


def test_unpublished_year_is_flagged_not_guessed() -> None:
    year = max(default_calendar().years) + 1
    with pytest.raises(CalendarNotPublished) as info:
        deadline(date(year, 1, 5))
    assert f"{year} 年的节假日安排" in str(info.value)
    # a period that starts in a known year but ends in an unknown one is refused too
    with pytest.raises(CalendarNotPublished):
        deadline(date(year - 1, 12, 28))


def test_calendar_edit_changes_the_due_date() -> None:
    cal = default_calendar().edited(date(2024, 10, 29), False, "临时放假")
    assert deadline(date(2024, 9, 27), cal=cal).due == date(2024, 10, 31)


def test_receipt_dates_per_channel() -> None:
    assert receipt("当面", submitted=date(2024, 3, 1)).received == date(2024, 3, 1)
    # registered mail: the day the agency signs for it, even on a holiday
    mail = receipt("挂号", signed=date(2024, 10, 3))
    assert mail.received == date(2024, 10, 3)
    assert "国庆节假期，仍为收到日" in mail.explanation
    # ordinary mail: the day the office confirms with the applicant; late confirmation flagged
    plain = receipt("平信", arrived=date(2024, 3, 4), confirmed=date(2024, 3, 6))
    assert plain.received == date(2024, 3, 6)
    assert plain.warnings and "当日与申请人确认" in plain.warnings[0]
    assert receipt("网络", confirmed=date(2024, 3, 5)).received == date(2024, 3, 5)
    assert receipt("传真", confirmed=date(2024, 3, 7)).received == date(2024, 3, 7)
    # the explanation names the channel once
    assert receipt("当面", submitted=date(2024, 3, 1)).explanation == (
        "当面提交的，以提交之日为收到申请之日（条例第三十一条）→ 2024-03-01（周五）"
    )
    assert receipt("网络", confirmed=date(2024, 3, 5)).explanation == (
        "通过网络提交的，以双方确认之日为收到申请之日（条例第三十一条）→ 2024-03-05（周二）"
    )
    assert mail.explanation.startswith("邮寄（挂号）：以邮寄方式提交的，以行政机关签收之日")
    with pytest.raises(ReceiptError, match="双方确认日期"):
        receipt("传真", submitted=date(2024, 3, 7))
    with pytest.raises(ReceiptError, match="不认识的申请渠道"):
        receipt("信鸽", submitted=date(2024, 3, 7))


def test_mail_signed_for_on_a_holiday() -> None:
    # signed for on 2024-10-03 (国庆): counting starts 10-04 and the first working day is 10-08
    assert add_workdays(date(2024, 10, 3), 1)[0] == date(2024, 10, 8)
    due = deadline(date(2024, 10, 3))
    assert due.due == date(2024, 11, 1)
