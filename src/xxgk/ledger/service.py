"""The ledger kept in the store's database: requests, their events and clocks, the
editable calendar, cases and the proactive register, each change audited.

Every function takes an open SQLAlchemy ``Session`` (the caller commits) and ``who``
(the person recorded in ``ledger_audit``).  Errors are :class:`LedgerError` with one
Chinese line.

Clock rules (条例第三十、三十二、三十三、三十四条; 国办函〔2020〕109号):
- the answer period is 20 working days from the day after receipt, or from the day
  after the corrected application arrives (补正 restarts it);
- while a 补正 notice is outstanding the period has not started: the request waits for
  the correction deadline (lapse → （六）1);
- working days from the day after a consultation letter is sent to the day its answer
  arrives are not counted; while unanswered, the pause is taken to run to the 15th
  working day (the consulted party's deadline), and the explanation says so;
- a third party's or other agency's late answer does not lengthen the pause: working
  days after its 15th working day count again (第三十二条: the agency then decides itself);
- the 补正 notice is given once (第三十条: 一次性告知); a correction after its deadline
  needs the applicant's good reason in the note (无正当理由逾期不补正 → （六）1);
- an approved extension adds at most 20 working days in all (approver recorded), and
  only while the period runs (not once the due date has passed);
- a fee notice gives 20 working days from the day after to pay (lapse → （六）2); the
  time to pay is counted in the answer period (whether it is excluded is UNCONFIRMED in
  the spec; counting it gives the earlier, safer due date); a payment after that
  deadline is refused (逾期未缴费视为放弃申请 → （六）2);
- the consulted party's 15 working days count from the day it receives the letter
  (第三十二条: 自收到征求意见书之日起); until its delivery is recorded
  (``consultation_delivered``, e.g. from the postal receipt) they count from the day
  the letter is sent, the earliest and safest reading;
- 第三十五条 (requests clearly beyond a reasonable volume or frequency): the office may
  ask for reasons (``reasons_asked``, with a period for them), record them
  (``reasons_given``), then either close the request as （五）4 (the reasons judged
  unreasonable, or none given within the period) or set a reasonable delayed period
  (``delay``: a new due date later than the statutory one, set before that one
  passes).  Whether asking for reasons pauses the answer period the statute does not
  say: the choice is :data:`REASONS_PAUSE` (explained by :data:`REASONS_RULE`);
- a closed request says whether it was answered on time (:class:`Answered`), judged
  against the due date the same clock gives, in working days.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..format import T3_APPLICANTS, VERSIONS
from ..store.ledger_models import (
    CASE_KINDS,
    CASE_RESULTS,
    EVENT_KINDS,
    REVIEW_STEPS,
    CalendarDay,
    CalendarYear,
    LedgerAudit,
    LedgerCase,
    LedgerEvent,
    LedgerRequest,
    RegisterItem,
)
from . import fees
from .calendar import (
    ANSWER_DAYS,
    CONSULTATION_DAYS,
    CORRECTION_NOTICE_DAYS,
    EXTENSION_DAYS,
    FEE_PAYMENT_DAYS,
    Calendar,
    CalendarNotPublished,
    Due,
    Pause,
    add_workdays,
    deadline,
    default_calendar,
    weekday,
)
from .channels import ReceiptError, receipt

APPLICANT_LABELS = {
    c.key: c.label for c in VERSIONS["2021"].table("t3").row("new").columns if c.key != "total"
}
RESULT_LABELS = {r.key: r.label for r in VERSIONS["2021"].table("t3").rows if r.role == "leaf"}
T2_KINDS = {
    "regulation": 1,
    "normative_doc": 1,
    "permit": 5,
    "penalty": 6,
    "compulsion": 6,
    "fee": 8,
}
EVENT_LABELS = {
    "correction_notice": "补正告知",
    "correction_received": "收到补正",
    "consultation_sent": "征求意见函发出",
    "consultation_delivered": "征求意见书送达",
    "consultation_answered": "收到意见",
    "extension": "延期答复",
    "fee_notice": "收费通知",
    "fee_paid": "缴费",
    "reasons_asked": "要求说明理由",
    "reasons_given": "申请人说明理由",
    "delay": "延迟答复",
    "decision": "办理决定",
    "answer": "答复",
}


# 第三十五条 is silent on whether the answer period stops while the applicant is asked
# for reasons; this ledger keeps it running (the earlier, safer due date: the statute
# stops the clock only for 补正 (第三十条) and consultations (第三十三条), and gives the
# delayed period as the remedy when the reasons are reasonable but time is short).  The
# one place the choice is made: True would leave the days from the request for reasons
# to the reasons (or to their period's end) uncounted, like a consultation.
REASONS_PAUSE = False
REASONS_RULE = (
    "条例第三十五条未规定要求说明理由期间是否中止答复期限，本台账按不中止计算：答复期限照常计算"
    "（期限较早，较为稳妥）；理由合理但无法按期答复的，可在答复期限届满前确定延迟答复的合理期限"
    if not REASONS_PAUSE
    else "条例第三十五条未规定要求说明理由期间是否中止答复期限，本台账按中止计算：自要求说明理由"
    "次日至收到理由之日（未收到的，至说明理由期限）的工作日不计入答复期限"
)
DELIVERY_RULE = (
    "第三方自收到征求意见书之日起 15 个工作日内提出意见（条例第三十二条）；"
    "未记录送达日期的，按发函当日送达计算（期限较早，较为稳妥）"
)


class LedgerError(ValueError):
    pass


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def snapshot(row: Any) -> dict[str, Any]:
    return {c.key: _plain(getattr(row, c.key)) for c in row.__mapper__.column_attrs}


def audit(
    s: Session,
    who: str,
    row: Any,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one entry (the database refuses to change or delete it)."""
    s.flush()
    key = ",".join(str(getattr(row, k.key)) for k in row.__mapper__.primary_key)
    s.add(
        LedgerAudit(
            who=who or "—",
            table=row.__tablename__,
            row=key,
            action=action,
            before=None if before is None else json.dumps(before, ensure_ascii=False),
            after=None if after is None else json.dumps(after, ensure_ascii=False, sort_keys=True),
        )
    )


# -- the calendar --------------------------------------------------------------------


def seed_calendar(s: Session, who: str = "chinese-calendar") -> int:
    """Copy chinese-calendar's years into the calendar tables (once); returns the days."""
    if s.scalar(select(CalendarYear).limit(1)) is not None:
        return 0
    base = default_calendar()
    for year in sorted(base.years):
        s.add(CalendarYear(year=year, source="chinese-calendar"))
    n = 0
    for d, name in base.holidays.items():
        s.add(CalendarDay(day=d, workday=False, name=name, source="chinese-calendar"))
        n += 1
    for d, name in base.workdays.items():
        s.add(CalendarDay(day=d, workday=True, name=name, source="chinese-calendar"))
        n += 1
    s.flush()
    s.add(
        LedgerAudit(
            who=who,
            table="ledger_calendar_days",
            row="*",
            action="seed",
            before=None,
            after=json.dumps(
                {"years": [min(base.years), max(base.years)], "days": n}, ensure_ascii=False
            ),
        )
    )
    return n


def load_calendar(s: Session) -> Calendar:
    seed_calendar(s)
    holidays: dict[date, str] = {}
    workdays: dict[date, str] = {}
    for day in s.scalars(select(CalendarDay)):
        (workdays if day.workday else holidays)[day.day] = day.name
    years = frozenset(y.year for y in s.scalars(select(CalendarYear)))
    return Calendar(holidays, workdays, years)


def set_calendar_day(
    s: Session, day: date, workday: bool | None, name: str, who: str
) -> list[LedgerRequest]:
    """Make ``day`` an off day (False), a worked day (True) or follow the weekday rule
    (None); the open requests' due dates are recomputed (returned: those that moved)."""
    seed_calendar(s)
    row = s.get(CalendarDay, day)
    before = snapshot(row) if row is not None else None
    if workday is None or (workday == (day.weekday() < 5)):
        if row is not None:
            s.delete(row)
            audit(s, who, row, "calendar_reset", before, None)
    elif row is None:
        row = CalendarDay(day=day, workday=workday, name=name, source=who)
        s.add(row)
        audit(s, who, row, "calendar_set", None, snapshot(row))
    else:
        row.workday, row.name, row.source = workday, name, who
        audit(s, who, row, "calendar_set", before, snapshot(row))
    return recompute_open(s, who)


def publish_year(s: Session, year: int, who: str) -> None:
    """Mark ``year``'s 放假安排 as entered (its days set with set_calendar_day)."""
    seed_calendar(s)
    if s.get(CalendarYear, year) is None:
        row = CalendarYear(year=year, source=who)
        s.add(row)
        audit(s, who, row, "calendar_year", None, snapshot(row))
    recompute_open(s, who)


def recompute_open(s: Session, who: str) -> list[LedgerRequest]:
    cal = load_calendar(s)
    moved = []
    for req in s.scalars(select(LedgerRequest).where(LedgerRequest.state == "open")):
        old = req.due
        _refresh(req, cal)
        if req.due != old:
            audit(s, who, req, "due_recomputed", {"due": _plain(old)}, {"due": _plain(req.due)})
            moved.append(req)
    return moved


# -- the clock ----------------------------------------------------------------------


ON_TIME = "按期答复"
LAPSES = {
    "other_no_correction": "申请人逾期未补正，视为放弃申请",
    "other_no_fee": "申请人逾期未缴费，视为放弃申请",
}


@dataclass(frozen=True)
class Answered:
    """Whether a closed request was answered on time: ``late`` working days after the
    due date the clock gives (0: on time).  ``due`` is None when no answer period ran
    out against the office (the answer came while a 补正 notice was outstanding, or the
    request lapsed: （六）1 and （六）2 are not judged), or the calendar lacks a year."""

    on: date
    late: int
    due: Due | None
    verdict: str  # 按期答复 | 逾期答复（超过期限 N 个工作日） | …
    why: str  # the due date's explanation, or why there is none
    fee_doubt: bool = False  # late only because the time to pay is counted

    @property
    def on_time(self) -> bool:
        return self.late == 0


@dataclass
class Clock:
    """Where a request stands: its answer due date (None while waiting for 补正 or once
    closed), the explanation, and the other deadlines that run."""

    state: str  # open | waiting_correction | closed
    due: Due | None
    note: str
    deadlines: list[tuple[str, Due]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    start: date | None = None  # the answer period counts from the day after this
    pauses: list[Pause] = field(default_factory=list)  # working days not counted
    answered: Answered | None = None  # once closed: on time or late
    article35: str = ""  # where a 第三十五条 request for reasons stands, in Chinese

    def progress(self, today: date, cal: Calendar) -> tuple[int, int, int]:
        """(working days of the period used by ``today``, left until the due date,
        overdue by) — days inside ``pauses`` are neither used nor left."""
        if self.due is None or self.start is None:
            return 0, 0, 0
        used = left = late = 0
        d, end = self.start, max(today, self.due.due)
        while d < end:
            d += timedelta(days=1)
            if not cal.is_workday(d) or any(p.start < d <= p.end for p in self.pauses):
                continue
            if d > self.due.due:
                late += 1
            elif d <= today:
                used += 1
            else:
                left += 1
        return used, left, late


def _events(req: LedgerRequest, kind: str) -> list[LedgerEvent]:
    return [e for e in req.events if e.kind == kind]


def clock(req: LedgerRequest, cal: Calendar) -> Clock:
    events = sorted(req.events, key=lambda e: (e.on, e.id or 0))
    warnings: list[str] = []
    others: list[tuple[str, Due]] = []
    notice_due = deadline(req.received, CORRECTION_NOTICE_DAYS, cal)
    notices = [e for e in events if e.kind == "correction_notice"]
    if notices:
        others.append(("补正告知期限（条例第三十条）", notice_due))
        if notices[0].on > notice_due.due:
            warnings.append(
                f"补正告知 {notices[0].on.isoformat()} 晚于收到申请后 7 个工作日"
                f"（{notice_due.due.isoformat()}）"
            )
    if req.state == "closed" and req.closed is not None:
        answered = _answered(req, events, cal, others, warnings)
        note = f"已于 {_plain(req.closed)} 答复办结；{answered.verdict}；{answered.why}"
        c = Clock("closed", None, note, others, warnings, answered=answered)
    else:
        c = _running(req, events, cal, others, warnings)
    c.article35 = article35(req, events)
    return c


def article35(req: LedgerRequest, events: Sequence[LedgerEvent] | None = None) -> str:
    """Where a 第三十五条 request for reasons stands, in one Chinese sentence ("" when
    none was asked)."""
    events = events if events is not None else sorted(req.events, key=lambda e: (e.on, e.id or 0))
    asked = next((e for e in events if e.kind == "reasons_asked"), None)
    if asked is None:
        return ""
    given = next((e for e in events if e.kind == "reasons_given"), None)
    delay = next((e for e in events if e.kind == "delay"), None)
    until = f"，说明理由期限至 {asked.until.isoformat()}" if asked.until else ""
    head = f"已于 {asked.on.isoformat()} 要求申请人说明理由（条例第三十五条）{until}"
    if req.state == "closed" and req.result == "rejected_excessive":
        why = "申请人说明的理由不合理" if given is not None else "申请人逾期未说明理由"
        return f"{head}；{why}，不予处理（（五）4.无正当理由大量反复申请）"
    if delay is not None and delay.until is not None:
        return (
            f"{head}；申请人于 {given.on.isoformat() if given else '—'} 说明理由，认定合理，"
            f"已于 {delay.on.isoformat()} 确定延迟答复的合理期限至 {delay.until.isoformat()}"
        )
    if req.state == "closed":
        return head
    if given is not None:
        return (
            f"{head}；申请人已于 {given.on.isoformat()} 说明理由，待认定：理由不合理的，"
            "作出办理决定“（五）4.无正当理由大量反复申请”；理由合理但无法按期答复的，"
            "可确定延迟答复的合理期限"
        )
    return (
        f"{head}；待申请人说明理由，逾期未说明的，可作出办理决定“（五）4.无正当理由大量反复申请”。"
        + REASONS_RULE
    )


def _answered(
    req: LedgerRequest,
    events: list[LedgerEvent],
    cal: Calendar,
    others: list[tuple[str, Due]],
    warnings: list[str],
) -> Answered:
    """The verdict on a closed request: its answer date against the due date the
    running clock gives for the events before the answer (whose other deadlines and
    warnings go to ``others`` and ``warnings``)."""
    on = req.closed
    assert on is not None
    before = [e for e in events if e.kind != "answer"]
    try:
        c = _running(req, before, cal, others, warnings)
        if req.result in LAPSES:
            text = LAPSES[req.result]
            return Answered(on, 0, None, "不计答复期限", f"{text}，不判断是否按期")
        if c.due is None or c.start is None:
            return Answered(on, 0, None, ON_TIME, "补正期间答复，答复期限尚未起算")
        late = c.progress(on, cal)[2]
    except CalendarNotPublished as exc:
        return Answered(on, 0, None, "无法判断是否按期", str(exc))
    verdict = ON_TIME if late == 0 else f"逾期答复（超过期限 {late} 个工作日）"
    why = c.due.explanation
    doubt = False
    if late and any(e.kind == "fee_notice" for e in before):
        # the clock counts the time to pay (UNCONFIRMED in the spec): say what the
        # other reading gives rather than call the answer late on one reading alone
        other = _running(req, before, cal, [], [], fee_paused=True)
        if other.due is not None:
            again = other.progress(on, cal)[2]
            if again < late:
                doubt = True
                verdict_b = ON_TIME if again == 0 else f"超过期限 {again} 个工作日"
                why += (
                    f"；若缴费期间不计入答复期限（国办函〔2020〕109号未明确），期限为 "
                    f"{other.due.due.isoformat()}，则为{verdict_b}"
                )
    return Answered(on, late, c.due, verdict, why, doubt)


def _running(
    req: LedgerRequest,
    events: list[LedgerEvent],
    cal: Calendar,
    others: list[tuple[str, Due]],
    warnings: list[str],
    *,
    fee_paused: bool = False,
) -> Clock:
    """The clock of an open request (or of a closed one up to its answer);
    ``fee_paused``: the other reading of 109号, the time to pay not counted."""
    notices = [e for e in events if e.kind == "correction_notice"]
    corrected = [e for e in events if e.kind == "correction_received"]
    start, what = req.received, "收到"
    if corrected:
        start, what = corrected[-1].on, "收到补正后的申请"
    if notices and (not corrected or corrected[-1].on < notices[-1].on):
        until = notices[-1].until
        note = "已发补正告知，答复期限自收到补正后的申请起算"
        if until is not None:
            note += f"；补正期限至 {until.isoformat()}，逾期未补正视为放弃申请（（六）1）"
        return Clock("waiting_correction", None, note, others, warnings)
    pauses: list[Pause] = []
    letters = [e for e in events if e.kind == "consultation_sent"]
    # the n-th delivery recorded is the n-th letter's (each letter is delivered once)
    deliveries = sorted(
        (e for e in events if e.kind == "consultation_delivered"), key=lambda e: e.id or 0
    )
    delivered = {id(letter): got.on for letter, got in zip(letters, deliveries, strict=False)}
    sent = [e for e in letters if e.on >= start]
    answers = [e for e in events if e.kind == "consultation_answered"]
    for letter in sent:
        got_on = delivered.get(id(letter))
        if got_on is not None:
            reply_due = deadline(got_on, CONSULTATION_DAYS, cal, what="征求意见书送达")
            reply_due = replace(
                reply_due,
                explanation=f"{letter.on.isoformat()}（{weekday(letter.on)}）发出征求意见函，"
                + reply_due.explanation,
            )
        else:
            reply_due = deadline(
                letter.on,
                CONSULTATION_DAYS,
                cal,
                what="发出征求意见函（未记录送达日期，按当日送达计）",
            )
        others.append((f"征求意见答复期限（{letter.note or '第三方'}）", reply_due))
        reply = next((a for a in answers if a.on >= letter.on), None)
        if reply is not None and reply.on > reply_due.due:
            # 第三十二条: past its 15 working days the agency decides itself, so the
            # days after them count again
            answers.remove(reply)
            pauses.append(
                Pause(letter.on, reply_due.due, "征求意见（对方逾期答复，按 15 个工作日计）")
            )
            warnings.append(
                f"征求意见的答复 {reply.on.isoformat()} 晚于答复期限 "
                f"{reply_due.due.isoformat()}：超过期限的工作日计入答复期限（条例第三十二条）"
            )
        elif reply is not None:
            answers.remove(reply)
            pauses.append(Pause(letter.on, reply.on, "征求意见"))
        else:
            end = reply_due.due
            pauses.append(Pause(letter.on, end, "征求意见（尚未答复，暂按答复期限计）"))
    asked = next((e for e in events if e.kind == "reasons_asked"), None)
    given = next((e for e in events if e.kind == "reasons_given"), None)
    if asked is not None and asked.until is not None:
        others.append(
            (
                "说明理由期限（条例第三十五条）",
                Due(
                    asked.until,
                    f"{asked.on.isoformat()}（{weekday(asked.on)}）要求申请人说明理由，"
                    f"期限由本机关确定 → {asked.until.isoformat()}",
                    0,
                ),
            )
        )
        if given is not None and given.on > asked.until:
            warnings.append(
                f"申请人 {given.on.isoformat()} 说明理由，晚于说明理由期限 {asked.until.isoformat()}"
            )
        if REASONS_PAUSE and asked.on >= start:
            end = given.on if given is not None else asked.until
            pauses.append(Pause(asked.on, end, "要求说明理由"))
    if fee_paused:
        paid = next((e.on for e in events if e.kind == "fee_paid"), None)
        for fee in (e for e in events if e.kind == "fee_notice" and e.on >= start):
            end = paid or fee.until or add_workdays(fee.on, FEE_PAYMENT_DAYS, cal)[0]
            pauses.append(Pause(fee.on, end, "缴费期间"))
    extension = sum(e.days or 0 for e in events if e.kind == "extension")
    approver = "、".join(e.approver or "" for e in events if e.kind == "extension")
    for fee in (e for e in events if e.kind == "fee_notice"):
        others.append(
            (
                "缴费期限（国办函〔2020〕109号）",
                deadline(fee.on, FEE_PAYMENT_DAYS, cal, what="收费通知"),
            )
        )
    due = deadline(
        start, ANSWER_DAYS, cal, extension=extension, pauses=pauses, what=what, approver=approver
    )
    delay = next((e for e in events if e.kind == "delay"), None)
    if delay is not None and delay.until is not None and delay.until > due.due:
        others.append(("法定答复期限（条例第三十三条）", due))
        more = sum(
            1
            for i in range((delay.until - due.due).days)
            if cal.is_workday(d := due.due + timedelta(days=i + 1))
            and not any(p.start < d <= p.end for p in pauses)
        )
        text = (
            f"法定答复期限：{due.explanation}；{delay.on.isoformat()} 认定申请理由合理，"
            f"依条例第三十五条确定延迟答复的合理期限 → {delay.until.isoformat()}"
            f"（{weekday(delay.until)}）"
        )
        due = Due(delay.until, text, due.counted + more, due.paused)
    elif delay is not None and delay.until is not None:
        # a consultation after the delay moved the statutory due date past it
        warnings.append(
            f"延迟答复的合理期限 {delay.until.isoformat()} 早于顺延后的法定答复期限 "
            f"{due.due.isoformat()}（征求意见的时间不计入法定期限）：按法定答复期限计算"
        )
    for fee in (e for e in events if e.kind == "fee_notice" and e.on > due.due):
        warnings.append(
            f"收费通知 {fee.on.isoformat()} 晚于答复期限 {due.due.isoformat()}："
            "收费通知应在答复期限内发出"
        )
    return Clock("open", due, due.explanation, others, warnings, start, pauses)


def _refresh(req: LedgerRequest, cal: Calendar) -> Clock:
    try:
        c = clock(req, cal)
    except CalendarNotPublished as exc:
        req.due, req.due_note = None, str(exc)
        return Clock("open", None, str(exc))
    req.due = c.due.due if c.due is not None else None
    req.due_note = c.note
    return c


# -- requests and events -------------------------------------------------------------


def _next_number(s: Session, agency: str, year: int) -> str:
    prefix = f"{year}-"
    taken = s.scalars(
        select(LedgerRequest.number).where(
            LedgerRequest.agency == agency, LedgerRequest.number.like(prefix + "%")
        )
    ).all()
    n = 1 + max((int(t[len(prefix) :]) for t in taken if t[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{n:04d}"


def applicant_key(word: str) -> str:
    word = word.strip()
    if word in APPLICANT_LABELS:
        return word
    for key, label in APPLICANT_LABELS.items():
        if word == label or (word == "其他组织" and key == "other_org"):
            return key
    raise LedgerError(f"不认识的申请人类型“{word}”；可用：" + "、".join(APPLICANT_LABELS.values()))


def _result_words(label: str) -> set[str]:
    """ "（二）部分公开（区分处理的…）" is also "部分公开（区分处理的…）" and "部分公开"."""
    bare = re.sub(r"^(?:（[一二三四五六七]）|\d\.)", "", label)
    return {label, bare, re.sub(r"（.*）$", "", bare)}


def result_key(word: str) -> str:
    word = word.strip()
    if word in RESULT_LABELS:
        return word
    for key, label in RESULT_LABELS.items():
        if word in _result_words(label):
            return key
    raise LedgerError(
        f"不认识的办理结果“{word}”；应为年报表三的结果行之一，例如 granted（予以公开）、"
        "partial（部分公开）、unable_not_held（本机关不掌握相关政府信息）"
    )


def add_request(
    s: Session,
    *,
    agency: str,
    channel: str,
    applicant: str,
    applicant_type: str,
    who: str,
    submitted: date | None = None,
    signed: date | None = None,
    arrived: date | None = None,
    confirmed: date | None = None,
    content: str = "",
    handler: str = "",
    number: str | None = None,
    cal: Calendar | None = None,
) -> LedgerRequest:
    """Register a request; its receipt date follows 条例第三十一条 for ``channel``."""
    cal = cal or load_calendar(s)
    if not agency.strip():
        raise LedgerError("请填写受理机关")
    try:
        r = receipt(
            channel,
            submitted=submitted,
            signed=signed,
            arrived=arrived,
            confirmed=confirmed,
            cal=cal,
        )
    except ReceiptError as exc:
        raise LedgerError(str(exc)) from None
    kind = applicant_key(applicant_type)
    number = number or _next_number(s, agency, r.received.year)
    if s.scalar(
        select(LedgerRequest.id).where(
            LedgerRequest.agency == agency, LedgerRequest.number == number
        )
    ):
        raise LedgerError(f"编号 {number} 已在 {agency} 的台账中")
    note = r.explanation + ("；" + "；".join(r.warnings) if r.warnings else "")
    req = LedgerRequest(
        agency=agency,
        number=number,
        channel=r.channel,
        submitted=submitted,
        received=r.received,
        receipt_note=note,
        applicant=applicant,
        applicant_type=kind,
        content=content,
        handler=handler,
        state="open",
        due_note="",
        events=[],
    )
    s.add(req)
    _refresh(req, cal)
    audit(s, who, req, "request_added", None, snapshot(req))
    return req


def get_request(s: Session, ref: int | str, agency: str | None = None) -> LedgerRequest:
    """A request by id or by number (within ``agency`` when given)."""
    req: LedgerRequest | None = None
    if isinstance(ref, int) or str(ref).isdigit():
        req = s.get(LedgerRequest, int(ref))
    if req is None:
        q = select(LedgerRequest).where(LedgerRequest.number == str(ref))
        if agency:
            q = q.where(LedgerRequest.agency == agency)
        found = s.scalars(q).all()
        if len(found) > 1:
            raise LedgerError(f"编号 {ref} 在多个机关的台账中，请用 --agency 指明")
        req = found[0] if found else None
    if req is None:
        raise LedgerError(f"台账中没有申请 {ref}")
    return req


def nth_in_month(s: Session, req: LedgerRequest) -> int:
    """Which application of the applicant's natural month this is (109号 art. 4)."""
    first = req.received.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    rows = s.execute(
        select(LedgerRequest.id, LedgerRequest.received).where(
            LedgerRequest.agency == req.agency,
            LedgerRequest.applicant == req.applicant,
            LedgerRequest.received >= first,
            LedgerRequest.received < nxt,
        )
    ).all()
    order = sorted(rows, key=lambda r: (r[1], r[0]))
    return 1 + [r[0] for r in order].index(req.id)


def refusal(req: LedgerRequest, kind: str) -> str | None:
    """Why an event of ``kind`` cannot be recorded on ``req`` now, whatever its date and
    fields (None: it can).  The web page offers the forms this allows; ``add_event``
    refuses the others with this message."""
    label = EVENT_LABELS.get(kind, kind)
    if req.state == "closed":
        return f"申请 {req.number} 已于 {_plain(req.closed)} 办结，不能再记录{label}"
    events = sorted(req.events, key=lambda e: (e.on, e.id or 0))
    kinds = [e.kind for e in events]
    waiting = "correction_notice" in kinds and "correction_received" not in kinds
    if waiting and kind in ("consultation_sent", "fee_notice", "reasons_asked", "delay"):
        return (
            f"已发补正告知，答复期限待收到补正后的申请才起算：收到补正前不能记录{label}"
            "（可记录收到补正，或补正期限届满后按逾期不补正作出办理决定）"
        )
    if kind == "correction_notice" and "correction_notice" in kinds:
        first = next(e for e in events if e.kind == "correction_notice")
        return (
            f"补正告知只能发一次：本申请已于 {first.on.isoformat()} 告知补正（条例第三十条："
            "一次性告知申请人需要补正的事项和合理的补正期限）。补正后申请内容仍不明确的，"
            "请记录办理决定“（五）无法提供 3.补正后申请内容仍不明确”"
        )
    if kind == "correction_received":
        if "correction_notice" not in kinds:
            return "没有补正告知，不能记录收到补正"
        if "correction_received" in kinds:
            got = next(e for e in events if e.kind == "correction_received")
            return f"已于 {got.on.isoformat()} 收到补正后的申请，不能再记录收到补正"
    if kind == "consultation_answered" and kinds.count("consultation_sent") <= kinds.count(
        "consultation_answered"
    ):
        return "没有待答复的征求意见函"
    if kind == "consultation_delivered" and kinds.count("consultation_sent") <= kinds.count(
        "consultation_delivered"
    ):
        return "没有待记录送达日期的征求意见函（每份征求意见函记录一次送达）"
    if kind == "reasons_asked" and "reasons_asked" in kinds:
        first = next(e for e in events if e.kind == "reasons_asked")
        return f"已于 {first.on.isoformat()} 要求申请人说明理由（条例第三十五条），不能再次要求"
    if kind == "reasons_given":
        if "reasons_asked" not in kinds:
            return "没有要求说明理由（条例第三十五条），不能记录申请人说明理由"
        if "reasons_given" in kinds:
            got = next(e for e in events if e.kind == "reasons_given")
            return f"已于 {got.on.isoformat()} 记录申请人说明的理由"
    if kind == "delay":
        if "delay" in kinds:
            d = next(e for e in events if e.kind == "delay")
            return (
                f"已于 {d.on.isoformat()} 确定延迟答复的合理期限至 {_plain(d.until)}，不能再次延迟"
            )
        if "reasons_asked" not in kinds:
            return (
                "延迟答复须先要求申请人说明理由（条例第三十五条：申请数量、频次明显超过合理范围的，"
                "可以要求说明理由；理由合理但无法按期答复的，才可确定延迟答复的合理期限）"
            )
        if "reasons_given" not in kinds:
            return (
                "申请人尚未说明理由：认定理由合理后才能确定延迟答复的合理期限（理由不合理或逾期未说明的，"
                "作出办理决定“（五）4.无正当理由大量反复申请”）"
            )
    if kind == "extension" and "delay" in kinds:
        return "已确定延迟答复的合理期限（条例第三十五条），不再延期答复"
    if kind == "extension":
        used = sum(e.days or 0 for e in events if e.kind == "extension")
        if used >= EXTENSION_DAYS:
            return (
                f"延长答复期限最长不得超过 {EXTENSION_DAYS} 个工作日（条例第三十三条），"
                f"已延长 {used} 个"
            )
    if kind == "fee_notice" and "fee_notice" in kinds:
        return "该申请已发出收费通知：每件申请只能选择一种计费方式、一次收费"
    if kind == "fee_paid":
        if "fee_notice" not in kinds:
            return "没有收费通知，不能记录缴费"
        if "fee_paid" in kinds:
            paid = next(e for e in events if e.kind == "fee_paid")
            return f"已于 {paid.on.isoformat()} 记录缴费"
    if kind == "answer" and "decision" not in kinds:
        return "答复前须先记录办理决定（decision）"
    return None


def _check_order(req: LedgerRequest, kind: str, on: date, until: date | None, note: str) -> None:
    """Date checks of an event against the earlier events it follows."""
    label = EVENT_LABELS[kind]
    events = sorted(req.events, key=lambda e: (e.on, e.id or 0))

    def last(k: str) -> LedgerEvent | None:
        return next((e for e in reversed(events) if e.kind == k), None)

    follows = {
        "correction_received": "correction_notice",
        "fee_paid": "fee_notice",
        "answer": "decision",
        "reasons_given": "reasons_asked",
        "delay": "reasons_given",
    }
    if kind in follows:
        prior = last(follows[kind])
        if prior is not None and on < prior.on:
            raise LedgerError(
                f"{label}日期 {on.isoformat()} 早于{EVENT_LABELS[prior.kind]}之日 "
                f"{prior.on.isoformat()}"
            )
    if kind == "consultation_answered":
        answered = len([e for e in events if e.kind == "consultation_answered"])
        pending = [e for e in events if e.kind == "consultation_sent"][answered:]
        if pending and on < pending[0].on:
            raise LedgerError(
                f"收到意见日期 {on.isoformat()} 早于征求意见函发出之日 {pending[0].on.isoformat()}"
            )
        got = [e for e in events if e.kind == "consultation_delivered"]
        if pending and len(got) > answered and on < got[answered].on:
            raise LedgerError(
                f"收到意见日期 {on.isoformat()} 早于征求意见书送达之日 {got[answered].on.isoformat()}"
            )
    if kind == "consultation_delivered":
        letters = [e for e in events if e.kind == "consultation_sent"]
        n = len([e for e in events if e.kind == "consultation_delivered"])
        answers = [e for e in events if e.kind == "consultation_answered"]
        if n < len(letters) and on < letters[n].on:
            raise LedgerError(
                f"送达日期 {on.isoformat()} 早于征求意见函发出之日 {letters[n].on.isoformat()}"
            )
        if n < len(answers) and on > answers[n].on:
            raise LedgerError(
                f"送达日期 {on.isoformat()} 晚于收到该函意见之日 {answers[n].on.isoformat()}"
            )
    if kind in ("reasons_asked", "delay") and until is None:
        what = "说明理由的期限" if kind == "reasons_asked" else "延迟答复的合理期限"
        raise LedgerError(f"{label}须写明{what}（--until）")
    if kind == "reasons_asked" and until is not None and until <= on:
        raise LedgerError(f"说明理由期限 {until.isoformat()} 应晚于要求日期 {on.isoformat()}")
    if kind == "correction_notice" and until is not None and until <= on:
        raise LedgerError(f"补正期限 {until.isoformat()} 应晚于告知日期 {on.isoformat()}")
    if kind == "correction_received":
        notice = last("correction_notice")
        limit = notice.until if notice is not None else None
        if limit is not None and on > limit and not note.strip():
            raise LedgerError(
                f"补正期限 {limit.isoformat()} 已届满：申请人无正当理由逾期不补正的，视为放弃申请"
                "（条例第三十条），请记录办理决定“逾期不补正”；申请人有正当理由的，"
                "请在备注中写明理由（--note）后再记录收到补正"
            )


def add_event(
    s: Session,
    req: LedgerRequest,
    kind: str,
    on: date,
    who: str,
    *,
    until: date | None = None,
    days: int | None = None,
    approver: str | None = None,
    result: str | None = None,
    method: str | None = None,
    pages: int | None = None,
    note: str = "",
    cal: Calendar | None = None,
) -> tuple[LedgerEvent, Clock]:
    """Record a dated event on ``req`` after checking it against the statute."""
    cal = cal or load_calendar(s)
    if kind not in EVENT_KINDS:
        names = "、".join(f"{k}（{EVENT_LABELS[k]}）" for k in EVENT_KINDS)
        raise LedgerError(f"不认识的事项“{kind}”；可用：{names}")
    label = EVENT_LABELS[kind]
    why = refusal(req, kind)
    if why is not None:
        raise LedgerError(why)
    if on < req.received:
        raise LedgerError(
            f"{label}日期 {on.isoformat()} 早于收到申请之日 {req.received.isoformat()}"
        )
    _check_order(req, kind, on, until, note)
    before = snapshot(req)
    amount: int | None = None
    if kind == "extension":
        if not approver:
            raise LedgerError(
                "延期答复须经政府信息公开工作机构负责人同意：请填写批准人（--approver）"
            )
        days = days or EXTENSION_DAYS
        used = sum(e.days or 0 for e in req.events if e.kind == "extension")
        if days < 1 or used + days > EXTENSION_DAYS:
            raise LedgerError(
                f"延长答复期限最长不得超过 {EXTENSION_DAYS} 个工作日（条例第三十三条），"
                f"已延长 {used} 个"
            )
        now = clock(req, cal)
        if now.due is None:
            raise LedgerError("答复期限尚未起算（待收到补正后的申请），不需要延期")
        if on > now.due.due:
            raise LedgerError(
                f"答复期限已于 {now.due.due.isoformat()} 届满，不能再延期：延期须在答复期限内"
                "经政府信息公开工作机构负责人同意并告知申请人（条例第三十三条）"
            )
    if kind == "delay":
        assert until is not None  # _check_order
        now = clock(req, cal)
        if now.due is None:
            raise LedgerError("答复期限尚未起算（待收到补正后的申请），不需要延迟答复")
        if on > now.due.due:
            raise LedgerError(
                f"答复期限已于 {now.due.due.isoformat()} 届满，不能再确定延迟答复期限：理由合理但"
                "无法在法定期限内答复的，应在期限届满前确定延迟答复的合理期限并告知申请人（条例第三十五条）"
            )
        if until <= now.due.due:
            raise LedgerError(
                f"延迟答复期限 {until.isoformat()} 应晚于法定答复期限 {now.due.due.isoformat()}"
                "（条例第三十三条）：能在法定期限内答复的，不需要延迟答复"
            )
    if kind == "fee_notice":
        try:
            if method == fees.PER_PIECE:
                nth = nth_in_month(s, req)
                amount = fees.piece_increment(nth)
                note = note or (
                    f"本申请为该申请人 {req.received:%Y年%m月} 第 {nth} 件；"
                    + fees.per_piece(nth).explanation
                )
            elif method == fees.PER_VOLUME:
                if pages is None:
                    raise LedgerError("按量计收需要页数（--pages）")
                fee = fees.per_volume(pages)
                amount, note = fee.amount, note or fee.explanation
            else:
                raise LedgerError("收费通知须选择按件计收（per_piece）或按量计收（per_volume）")
        except fees.FeeError as exc:
            raise LedgerError(str(exc)) from None
        until = until or deadline(on, FEE_PAYMENT_DAYS, cal, what="收费通知").due
        req.fee_method, req.fee_amount = method, amount
    if kind == "fee_paid":
        notice = _events(req, "fee_notice")[-1]
        limit = notice.until or add_workdays(notice.on, FEE_PAYMENT_DAYS, cal)[0]
        if on > limit:
            raise LedgerError(
                f"缴费期限 {limit.isoformat()} 已届满：申请人逾期未缴费的，视为放弃申请"
                "（国办函〔2020〕109号），请记录办理决定“逾期未缴费”"
            )
    if kind == "correction_notice" and until is None:
        raise LedgerError("补正告知须写明补正期限（--until）")
    if kind == "decision":
        if result is None:
            raise LedgerError("办理决定须写明结果（--result，年报表三的结果行）")
        result = result_key(result)
        _check_lapse(req, result, on, cal)
    if kind == "answer":
        decision = next((e for e in reversed(req.events) if e.kind == "decision"), None)
        if decision is None:
            raise LedgerError("答复前须先记录办理决定（decision）")
        req.state, req.closed, req.result = "closed", on, decision.result
    event = LedgerEvent(
        kind=kind,
        on=on,
        until=until,
        days=days,
        approver=approver,
        result=result,
        method=method,
        amount=amount,
        note=note,
        by=who,
    )
    req.events.append(event)
    s.flush()
    c = _refresh(req, cal)
    audit(s, who, event, "event_added", None, snapshot(event))
    audit(s, who, req, "request_changed", before, snapshot(req))
    return event, c


def _check_lapse(req: LedgerRequest, result: str, on: date, cal: Calendar) -> None:
    kinds = [e.kind for e in req.events]
    if result == "rejected_excessive":
        asked = _events(req, "reasons_asked")
        given = _events(req, "reasons_given")
        if not asked:
            raise LedgerError(
                "以“无正当理由大量反复申请”不予处理，须先要求申请人说明理由（条例第三十五条）："
                "请先记录要求说明理由（reasons_asked）"
            )
        if "delay" in kinds:
            raise LedgerError(
                "已认定申请理由合理并确定延迟答复的合理期限，不能再以理由不合理不予处理"
            )
        until = asked[0].until
        if not given and until is not None and on <= until:
            raise LedgerError(
                f"说明理由期限 {until.isoformat()} 尚未届满，申请人尚未说明理由：说明的理由不合理、"
                "或期限届满仍未说明的，才能不予处理（（五）4）"
            )
        if given and on < given[0].on:
            raise LedgerError(
                f"办理决定日期 {on.isoformat()} 早于申请人说明理由之日 {given[0].on.isoformat()}"
            )
    if result == "other_no_correction":
        notices = _events(req, "correction_notice")
        if not notices or "correction_received" in kinds:
            raise LedgerError("“逾期不补正”须有补正告知且未收到补正")
        until = notices[-1].until
        if until is not None and on <= until:
            raise LedgerError(f"补正期限 {until.isoformat()} 尚未届满，不能按逾期不补正处理")
    if result == "other_no_fee":
        notices = _events(req, "fee_notice")
        if not notices or "fee_paid" in kinds:
            raise LedgerError("“逾期未缴费”须有收费通知且未缴费")
        until = notices[-1].until or add_workdays(notices[-1].on, FEE_PAYMENT_DAYS, cal)[0]
        if on <= until:
            raise LedgerError(f"缴费期限 {until.isoformat()} 尚未届满，不能按逾期未缴费处理")


def decide(
    s: Session,
    req: LedgerRequest,
    result: str,
    on: date,
    who: str,
    answered: date | None = None,
    cal: Calendar | None = None,
) -> Clock:
    """The decision and its answer (closing the request) in one step."""
    add_event(s, req, "decision", on, who, result=result, cal=cal)
    return add_event(s, req, "answer", answered or on, who, cal=cal)[1]


@dataclass(frozen=True)
class Timeliness:
    """A year's answers: how many, on time, late (and by how many working days in all),
    not judged (lapses, or a calendar year missing)."""

    year: int
    answered: int
    on_time: int
    late: int
    late_days: int
    not_judged: int
    fee_doubt: int = 0  # late only because the time to pay is counted (UNCONFIRMED)

    def sentence(self) -> str:
        text = (
            f"{self.year} 年答复 {self.answered} 件：按期答复 {self.on_time} 件，"
            f"逾期答复 {self.late} 件"
        )
        if self.late:
            text += f"（共超过期限 {self.late_days} 个工作日"
            if self.fee_doubt:
                text += f"；其中 {self.fee_doubt} 件若缴费期间不计入答复期限则不逾期或逾期更少"
            text += "）"
        if self.not_judged:
            text += f"；视为放弃申请等不计答复期限的 {self.not_judged} 件"
        return text


def timeliness(
    s: Session, year: int, agency: str | None = None, cal: Calendar | None = None
) -> Timeliness:
    """The requests answered in ``year``, judged by the clock (:func:`clock`)."""
    cal = cal or load_calendar(s)
    q = select(LedgerRequest).where(
        LedgerRequest.state == "closed",
        LedgerRequest.closed >= date(year, 1, 1),
        LedgerRequest.closed <= date(year, 12, 31),
    )
    if agency:
        q = q.where(LedgerRequest.agency == agency)
    answered = on_time = late = late_days = not_judged = fee_doubt = 0
    for req in s.scalars(q):
        a = clock(req, cal).answered
        answered += 1
        if a is None or (a.due is None and a.verdict != ON_TIME):
            not_judged += 1
        elif a.late:
            late += 1
            late_days += a.late
            fee_doubt += a.fee_doubt
        else:
            on_time += 1
    return Timeliness(year, answered, on_time, late, late_days, not_judged, fee_doubt)


def open_requests(s: Session, agency: str | None = None) -> Sequence[LedgerRequest]:
    q = select(LedgerRequest).where(LedgerRequest.state == "open")
    if agency:
        q = q.where(LedgerRequest.agency == agency)
    return s.scalars(q.order_by(LedgerRequest.due, LedgerRequest.id)).all()


def due_soon(
    s: Session, today: date, within: int = 5, agency: str | None = None, cal: Calendar | None = None
) -> list[LedgerRequest]:
    """Open requests due within ``within`` working days of ``today`` (not yet overdue)."""
    cal = cal or load_calendar(s)
    limit = add_workdays(today, within, cal)[0]
    return [r for r in open_requests(s, agency) if r.due is not None and today <= r.due <= limit]


def overdue(s: Session, today: date, agency: str | None = None) -> list[LedgerRequest]:
    return [r for r in open_requests(s, agency) if r.due is not None and r.due < today]


def lapsing(
    s: Session, today: date, agency: str | None = None, cal: Calendar | None = None
) -> list[tuple[LedgerRequest, str]]:
    """Open requests whose correction or payment deadline passed before ``today``
    unmet, each with what it may be closed as (视为放弃申请: （六）1 or （六）2), and
    those asked for reasons (第三十五条) whose period for them passed with none given
    (（五）4).  They are in neither the overdue nor the due-soon list: a 补正 pauses
    the clock, and the answer period of an unpaid request may still run (as it does
    while reasons are awaited: such a request may be in those lists too)."""
    out: list[tuple[date, int, LedgerRequest, str]] = []
    for req in open_requests(s, agency):
        kinds = [e.kind for e in req.events]
        if "correction_notice" in kinds and "correction_received" not in kinds:
            until = _events(req, "correction_notice")[-1].until
            if until is not None and until < today:
                out.append(
                    (
                        until,
                        req.id,
                        req,
                        f"补正期限 {until.isoformat()} 已过，未收到补正：可按逾期不补正办结（（六）1）",
                    )
                )
        elif "fee_notice" in kinds and "fee_paid" not in kinds:
            notice = _events(req, "fee_notice")[-1]
            if notice.until is not None:
                until = notice.until
            else:
                until = add_workdays(notice.on, FEE_PAYMENT_DAYS, cal or load_calendar(s))[0]
            if until < today:
                out.append(
                    (
                        until,
                        req.id,
                        req,
                        f"缴费期限 {until.isoformat()} 已过，未缴费：可按逾期未缴费办结（（六）2）",
                    )
                )
        elif "reasons_asked" in kinds and "reasons_given" not in kinds:
            until = _events(req, "reasons_asked")[0].until
            if until is not None and until < today:
                out.append(
                    (
                        until,
                        req.id,
                        req,
                        f"说明理由期限 {until.isoformat()} 已过，申请人未说明理由：可按"
                        "“无正当理由大量反复申请”不予处理（（五）4，条例第三十五条）",
                    )
                )
    return [(req, why) for _, _, req, why in sorted(out, key=lambda x: (x[0], x[1]))]


# -- cases and the register ----------------------------------------------------------


def add_case(
    s: Session,
    *,
    agency: str,
    kind: str,
    filed: date,
    who: str,
    request: LedgerRequest | None = None,
    note: str = "",
) -> LedgerCase:
    if kind not in CASE_KINDS:
        raise LedgerError(
            "案件类型应为 review（行政复议）、lit_direct（未经复议直接起诉）或 lit_after_review（复议后起诉）"
        )
    case = LedgerCase(
        agency=agency,
        kind=kind,
        filed=filed,
        result="pending",
        note=note,
        request_id=request.id if request is not None else None,
    )
    s.add(case)
    audit(s, who, case, "case_added", None, snapshot(case))
    return case


def decide_case(s: Session, case: LedgerCase, result: str, on: date, who: str) -> LedgerCase:
    if result not in CASE_RESULTS or result == "pending":
        raise LedgerError("案件结果应为 upheld（维持）、corrected（纠正）或 other（其他结果）")
    if on < case.filed:
        raise LedgerError(f"审结日期 {on.isoformat()} 早于立案日期 {case.filed.isoformat()}")
    before = snapshot(case)
    case.result, case.decided = result, on
    audit(s, who, case, "case_decided", before, snapshot(case))
    return case


def add_register_item(
    s: Session,
    *,
    agency: str,
    category: int,
    title: str,
    who: str,
    kind: str | None = None,
    amount: float | None = None,
) -> RegisterItem:
    """A proactive-disclosure item, to be reviewed in three steps before it counts."""
    if not 1 <= category <= 15:
        raise LedgerError(f"第二十条只有第（一）至（十五）项，没有第 {category} 项")
    if kind is not None and T2_KINDS.get(kind) != category:
        raise LedgerError(
            f"类型 {kind} 不属于第二十条第 {category} 项；可用："
            + "、".join(f"{k}（第{c}项）" for k, c in T2_KINDS.items())
        )
    item = RegisterItem(agency=agency, category=category, kind=kind, title=title, amount=amount)
    s.add(item)
    audit(s, who, item, "register_added", None, snapshot(item))
    return item


def review_item(
    s: Session, item: RegisterItem, step: str, by: str, on: date, *, published: date | None = None
) -> RegisterItem:
    """One step of 初审 → 审核 → 审批, in that order; 审批 publishes the item."""
    if step not in REVIEW_STEPS:
        raise LedgerError("审核步骤应为 初审、审核 或 审批")
    done = [item.first_review_on, item.review_on, item.approve_on]
    i = REVIEW_STEPS.index(step)
    if any(d is None for d in done[:i]):
        raise LedgerError(f"{step}之前须完成" + "、".join(REVIEW_STEPS[:i]))
    if done[i] is not None:
        raise LedgerError(f"该条目已完成{step}")
    before = snapshot(item)
    if i == 0:
        item.first_review_by, item.first_review_on = by, on
    elif i == 1:
        item.review_by, item.review_on = by, on
    else:
        item.approve_by, item.approve_on = by, on
        item.published = published or on
    audit(s, who=by, row=item, action=f"register_{step}", before=before, after=snapshot(item))
    return item


def repeal_item(s: Session, item: RegisterItem, on: date, who: str) -> RegisterItem:
    if item.kind not in ("regulation", "normative_doc") or item.approve_on is None:
        raise LedgerError("只有已公开的规章、行政规范性文件可以登记废止")
    before = snapshot(item)
    item.repealed = on
    audit(s, who, item, "register_repealed", before, snapshot(item))
    return item


def requests_of(s: Session, agency: str | None) -> Iterable[LedgerRequest]:
    q = select(LedgerRequest)
    if agency:
        q = q.where(LedgerRequest.agency == agency)
    return s.scalars(q)


def applicant_types() -> tuple[str, ...]:
    return T3_APPLICANTS
