"""Chinese working days: statutory holidays and 调休 make-up days.

A period of *n* working days "from receipt" starts the day after receipt (条例第三十三条
as practised: 次日起算) and ends on the *n*-th working day.  A working day is a weekday
that is not a statutory holiday, or a weekend day the State Council made a working day
(调休上班).  ``chinese-calendar`` seeds the calendar; the ledger keeps an editable copy in
its database.  A year the calendar does not cover (its 放假安排 not yet published) is
refused with :class:`CalendarNotPublished`, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

WEEKDAYS = "一二三四五六日"
ANSWER_DAYS = 20  # 条例第三十三条第二款
EXTENSION_DAYS = 20  # at most 20 more (第三十三条第二款)
CORRECTION_NOTICE_DAYS = 7  # 补正告知 within 7 working days of receipt (第三十条)
CONSULTATION_DAYS = 15  # 第三十二条、第三十四条
FEE_PAYMENT_DAYS = 20  # 国办函〔2020〕109号 (as restated by 四川): 次日起 20 个工作日

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


class CalendarNotPublished(ValueError):
    """A date falls in a year whose holiday arrangement the calendar does not hold."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year} 年的节假日安排（国务院办公厅放假通知）尚未收录，无法按工作日计算期限；"
            f"请在通知公布后将 {year} 年的放假和调休日期录入日历（xxgk ledger calendar），"
            "本程序不会猜测。"
        )


def weekday(d: date) -> str:
    return "周" + WEEKDAYS[d.weekday()]


def short(d: date, year: int) -> str:
    """``MM-DD`` within ``year``, the full date otherwise."""
    return d.strftime("%m-%d") if d.year == year else d.isoformat()


@dataclass(frozen=True)
class Calendar:
    """Statutory off days (``holidays``) and make-up working days (``workdays``), with
    the years whose arrangement is known (``years``)."""

    holidays: Mapping[date, str] = field(default_factory=dict)
    workdays: Mapping[date, str] = field(default_factory=dict)
    years: frozenset[int] = frozenset()

    def covers(self, d: date) -> bool:
        return d.year in self.years

    def is_workday(self, d: date) -> bool:
        if d.year not in self.years:
            raise CalendarNotPublished(d.year)
        if d in self.workdays:
            return True
        if d in self.holidays:
            return False
        return d.weekday() < 5

    def edited(
        self, day: date, workday: bool | None, name: str = "", *, year_known: bool = True
    ) -> Calendar:
        """A copy with ``day`` set: a working day (True), an off day (False) or back to the
        weekday rule (None)."""
        holidays = dict(self.holidays)
        workdays = dict(self.workdays)
        holidays.pop(day, None)
        workdays.pop(day, None)
        if workday is True and day.weekday() >= 5:
            workdays[day] = name or "调休上班"
        elif workday is False:
            holidays[day] = name or "放假"
        years = self.years | {day.year} if year_known else self.years
        return Calendar(holidays, workdays, frozenset(years))


_DEFAULT: Calendar | None = None


def default_calendar() -> Calendar:
    """The calendar as ``chinese-calendar`` publishes it (loaded once)."""
    global _DEFAULT
    if _DEFAULT is None:
        from chinese_calendar import constants  # type: ignore[import-untyped]

        holidays = {d: HOLIDAY_NAMES.get(str(v), str(v)) for d, v in constants.holidays.items()}
        workdays = {d: HOLIDAY_NAMES.get(str(v), str(v)) for d, v in constants.workdays.items()}
        years = frozenset(range(min(holidays).year, max(holidays).year + 1))
        _DEFAULT = Calendar(holidays, workdays, years)
    return _DEFAULT


@dataclass(frozen=True)
class Pause:
    """Working days not counted: from the day after ``start`` to ``end`` inclusive
    (e.g. a consultation letter sent on ``start`` and answered on ``end``)."""

    start: date
    end: date
    why: str = "征求意见"


@dataclass(frozen=True)
class Due:
    """A due date and the sentence that explains it."""

    due: date
    explanation: str
    counted: int  # working days counted
    paused: int = 0  # working days not counted

    def contract_dict(self) -> dict[str, str]:
        return {"due": self.due.isoformat(), "explanation": self.explanation}


def add_workdays(
    start: date,
    days: int,
    cal: Calendar | None = None,
    *,
    pauses: Iterable[Pause] = (),
    paused_days: int = 0,
) -> tuple[date, int]:
    """The ``days``-th working day after ``start`` (the day after counts first), skipping
    working days inside ``pauses`` and ``paused_days`` more; returns it and the number of
    working days skipped."""
    cal = cal or default_calendar()
    excluded = list(pauses)
    d = start
    left = days
    skipped = 0
    owed = paused_days
    while left > 0 or owed > 0:
        d += timedelta(days=1)
        if not cal.is_workday(d):
            continue
        if any(p.start < d <= p.end for p in excluded):
            skipped += 1
            continue
        if left > 0:
            left -= 1
        else:
            owed -= 1
            skipped += 1
    return d, skipped


def _runs(days: list[date]) -> list[tuple[date, date]]:
    runs: list[tuple[date, date]] = []
    for d in sorted(days):
        if runs and d - runs[-1][1] == timedelta(days=1):
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


def span_notes(start: date, end: date, cal: Calendar, year: int) -> list[str]:
    """ "10-01 至 10-07 放假", "09-29、10-12 调休上班" for the days after ``start`` up to ``end``."""
    off: list[date] = []
    made: list[date] = []
    d = start
    while d < end:
        d += timedelta(days=1)
        if d in cal.workdays:
            made.append(d)
        elif d in cal.holidays:
            off.append(d)
    notes: list[str] = []
    for a, b in _runs(off):
        notes.append(
            f"{short(a, year)} 放假" if a == b else f"{short(a, year)} 至 {short(b, year)} 放假"
        )
    if made:
        notes.append("、".join(short(d, year) for d in made) + " 调休上班")
    return notes


def deadline(
    received: date,
    days: int = ANSWER_DAYS,
    cal: Calendar | None = None,
    *,
    extension: int = 0,
    pauses: Iterable[Pause] = (),
    paused_days: int = 0,
    what: str = "收到",
    approver: str = "",
) -> Due:
    """The date ``days`` (+ ``extension``) working days after ``received``, explained:
    "2024-09-27（周五）收到，次日起算 20 个工作日；10-01 至 10-07 放假，09-29、10-12 调休上班
    → 2024-10-30"."""
    cal = cal or default_calendar()
    pauses = list(pauses)
    due, skipped = add_workdays(
        received, days + extension, cal, pauses=pauses, paused_days=paused_days
    )
    head = f"{received.isoformat()}（{weekday(received)}）{what}，次日起算 {days} 个工作日"
    parts = [head]
    if extension:
        by = f"经{approver}批准" if approver else ""
        parts[0] += f"，{by}延长 {extension} 个工作日（共 {days + extension} 个）"
    for p in pauses:
        n = sum(
            1
            for i in range((p.end - p.start).days)
            if cal.is_workday(p.start + timedelta(days=i + 1))
        )
        if n:
            parts.append(
                f"{p.why}（{short(p.start, received.year)} 起至 {short(p.end, received.year)}）"
                f"{n} 个工作日不计入"
            )
    if paused_days:
        parts.append(f"不计入期限的 {paused_days} 个工作日顺延")
    notes = span_notes(received, due, cal, received.year)
    text = "；".join(parts)
    if notes:
        text += "；" + "，".join(notes)
    text += f" → {due.isoformat()}"
    if due.weekday() >= 5:
        text += f"（{weekday(due)}，调休上班）"
    return Due(due, text, days + extension, skipped)
