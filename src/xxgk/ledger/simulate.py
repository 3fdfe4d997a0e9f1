"""A simulated office year, recorded through the same service functions as real work
(for demos and tests): requests by channel and applicant type, 补正, consultations,
extensions, fees, decisions, cases and the proactive register.

Requests still open at the year's end stay open; simulating the next year first
answers them (so its 上年结转 is this year's 结转下年度), then adds its own.
The same ``seed`` gives the same ledger.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store.ledger_models import LedgerCase, LedgerRequest
from .calendar import Calendar, add_workdays
from .service import (
    add_case,
    add_event,
    add_register_item,
    add_request,
    clock,
    decide,
    decide_case,
    load_calendar,
    repeal_item,
    review_item,
)

WHO = "模拟"
APPLICANTS = (
    ("natural", 70),
    ("commercial", 10),
    ("research", 3),
    ("public_interest", 3),
    ("legal_service", 8),
    ("other_org", 6),
)
# results of an ordinary answer (lapses are simulated by their own paths)
RESULTS = (
    ("granted", 40),
    ("partial", 10),
    ("denied_state_secret", 1),
    ("denied_law", 1),
    ("denied_safety", 1),
    ("denied_third_party", 3),
    ("denied_internal", 2),
    ("denied_process", 3),
    ("denied_enforcement", 1),
    ("denied_inquiry", 1),
    ("unable_not_held", 15),
    ("unable_needs_creation", 4),
    ("rejected_petition", 3),
    ("rejected_duplicate", 3),
    ("rejected_publication", 1),
    ("rejected_excessive", 1),
    ("rejected_confirmation", 1),
    ("other_other", 2),
)
CHANNELS = (
    ("online", 60),
    ("in_person", 15),
    ("registered_mail", 15),
    ("ordinary_mail", 5),
    ("fax", 5),
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
ORGS = ("某某科技有限公司", "某某律师事务所", "某某大学", "某某公益基金会", "某某村民委员会")


@dataclass
class Simulated:
    year: int
    agency: str
    added: int
    answered: int
    carried_in_closed: int
    open_at_end: int


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    keys = [k for k, _ in weighted]
    return rng.choices(keys, weights=[w for _, w in weighted])[0]


def _workday_after(d: date, n: int, cal: Calendar) -> date:
    return add_workdays(d, max(1, n), cal)[0]


def _applicant(rng: random.Random, kind: str) -> str:
    if kind == "natural":
        return rng.choice(SURNAMES) + rng.choice("伟芳娜敏静丽强磊军洋") + rng.choice(("", "某"))
    return rng.choice(ORGS)


def simulate(
    s: Session, year: int, requests: int, seed: int, agency: str = "模拟县模拟局"
) -> Simulated:
    rng = random.Random(f"{seed}:{year}:{agency}")
    cal = load_calendar(s)
    start, end = date(year, 1, 1), date(year, 12, 31)
    carried = _close_carried(s, rng, agency, start, end, cal)
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    received_days = sorted(rng.choice(days) for _ in range(requests))
    answered = 0
    for n, day in enumerate(received_days, 1):
        kind = _pick(rng, APPLICANTS)
        channel = _pick(rng, CHANNELS)
        dates: dict[str, date] = {}
        if channel == "in_person":
            day = day if cal.is_workday(day) else _workday_after(day, 1, cal)
            dates["submitted"] = day
        elif channel == "registered_mail":
            dates["signed"] = day  # mail is signed for on any day, holidays included
        elif channel == "ordinary_mail":
            dates["arrived"] = dates["confirmed"] = day
        else:
            dates["confirmed"] = day
        req = add_request(
            s,
            agency=agency,
            channel=channel,
            applicant=_applicant(rng, kind),
            applicant_type=kind,
            who=WHO,
            content=f"模拟申请第{n}件",
            handler=rng.choice(("承办人甲", "承办人乙", "承办人丙")),
            number=f"{year}-{n:04d}",
            cal=cal,
            **dates,
        )
        if _work(s, rng, req, end, cal):
            answered += 1
    _cases(s, rng, agency, start, end)
    _register(s, rng, agency, start, end, cal)
    open_now = s.scalars(
        select(LedgerRequest).where(LedgerRequest.agency == agency, LedgerRequest.state == "open")
    ).all()
    return Simulated(year, agency, requests, answered, carried, len(open_now))


def _work(s: Session, rng: random.Random, req: LedgerRequest, end: date, cal: Calendar) -> bool:
    """Handle one request as far as the year allows; True when it was answered."""
    r = rng.random()
    start = req.received
    if r < 0.10:  # 补正
        notice = _workday_after(req.received, rng.randint(1, 7), cal)
        if notice > end:
            return False
        until = _workday_after(notice, 10, cal)
        add_event(s, req, "correction_notice", notice, WHO, until=until, cal=cal)
        if rng.random() < 0.25:  # never corrected
            lapse = _workday_after(until, rng.randint(1, 3), cal)
            if lapse > end:
                return False
            decide(s, req, "other_no_correction", lapse, WHO, cal=cal)
            return True
        back = _workday_after(notice, rng.randint(1, 9), cal)
        if back > end:
            return False
        add_event(s, req, "correction_received", back, WHO, cal=cal)
        start = back
        if rng.random() < 0.2:  # still unclear after correction
            return _answer(s, rng, req, "unable_unclear", start, end, cal)
    if rng.random() < 0.08:  # consultation
        sent = _workday_after(start, rng.randint(1, 5), cal)
        if sent > end:
            return False
        add_event(s, req, "consultation_sent", sent, WHO, note="第三方", cal=cal)
        if rng.random() < 0.85:
            back = _workday_after(sent, rng.randint(2, 15), cal)
            if back > end:
                return False
            add_event(s, req, "consultation_answered", back, WHO, cal=cal)
    if rng.random() < 0.05:  # extension, approved before the period ends
        c = clock(req, cal)
        if c.due is not None:
            on = min(c.due.due, _workday_after(start, 15, cal))
            if on > end:
                return False
            add_event(s, req, "extension", on, WHO, approver="公开办负责人", cal=cal)
    if rng.random() < 0.03:  # fee
        notice = _workday_after(start, rng.randint(3, 10), cal)
        if notice > end:
            return False
        ev, _ = add_event(
            s,
            req,
            "fee_notice",
            notice,
            WHO,
            method="per_volume",
            pages=rng.randint(31, 260),
            cal=cal,
        )
        if rng.random() < 0.3:  # not paid
            assert ev.until is not None
            lapse = _workday_after(ev.until, 1, cal)
            if lapse > end:
                return False
            decide(s, req, "other_no_fee", lapse, WHO, cal=cal)
            return True
        paid = _workday_after(notice, rng.randint(1, 15), cal)
        if paid > end:
            return False
        add_event(s, req, "fee_paid", paid, WHO, cal=cal)
    return _answer(s, rng, req, _pick(rng, RESULTS), start, end, cal)


def _answer(
    s: Session,
    rng: random.Random,
    req: LedgerRequest,
    result: str,
    start: date,
    end: date,
    cal: Calendar,
) -> bool:
    c = clock(req, cal)
    latest = c.due.due if c.due is not None else _workday_after(start, 20, cal)
    last_event = max((e.on for e in req.events), default=req.received)
    earliest = max(start, last_event)
    span = max(
        0,
        sum(
            1
            for i in range((latest - earliest).days)
            if cal.is_workday(earliest + timedelta(days=i + 1))
        ),
    )
    on = _workday_after(earliest, rng.randint(1, max(1, span)), cal)
    if on > end:
        return False
    _decide(s, req, result, on, cal)
    return True


def _decide(s: Session, req: LedgerRequest, result: str, on: date, cal: Calendar) -> None:
    """Decide and answer; a （五）4 refusal after asking for reasons (条例第三十五条) and
    receiving them the same day, judged unreasonable."""
    if result == "rejected_excessive":
        until = on + timedelta(days=10)
        add_event(s, req, "reasons_asked", on, WHO, until=until, cal=cal)
        add_event(s, req, "reasons_given", on, WHO, note="所述理由不合理", cal=cal)
    decide(s, req, result, on, WHO, cal=cal)


def _close_carried(
    s: Session, rng: random.Random, agency: str, start: date, end: date, cal: Calendar
) -> int:
    """Answer the requests carried over from earlier years (early in this year)."""
    reqs = s.scalars(
        select(LedgerRequest)
        .where(
            LedgerRequest.agency == agency,
            LedgerRequest.state == "open",
            LedgerRequest.received < start,
        )
        .order_by(LedgerRequest.id)
    ).all()
    closed = 0
    for req in reqs:
        kinds = [e.kind for e in req.events]
        day = _workday_after(start - timedelta(days=1), rng.randint(1, 10), cal)
        # past its deadline an outstanding correction or payment is a lapse
        # (视为放弃申请: （六）1 or （六）2), not a late correction or payment
        lapse = None
        if "correction_notice" in kinds and "correction_received" not in kinds:
            until = next(e.until for e in req.events if e.kind == "correction_notice")
            if until is not None and until < day:
                lapse = "other_no_correction"
            else:
                add_event(s, req, "correction_received", day, WHO, cal=cal)
        if kinds.count("consultation_sent") > kinds.count("consultation_answered"):
            add_event(s, req, "consultation_answered", day, WHO, cal=cal)
        if "fee_notice" in kinds and "fee_paid" not in kinds:
            until = next(e.until for e in req.events if e.kind == "fee_notice")
            if until is not None and until < day:
                lapse = "other_no_fee"
            else:
                add_event(s, req, "fee_paid", day, WHO, cal=cal)
        if lapse is not None:
            decide(s, req, lapse, day, WHO, cal=cal)
            closed += 1
            continue
        on = _workday_after(day, rng.randint(1, 5), cal)
        if on <= end:
            _decide(s, req, _pick(rng, RESULTS), on, cal)
            closed += 1
    return closed


def _cases(s: Session, rng: random.Random, agency: str, start: date, end: date) -> None:
    pending = s.scalars(
        select(LedgerCase).where(LedgerCase.agency == agency, LedgerCase.decided.is_(None))
    ).all()
    for case in pending:  # earlier years' cases: most are decided this year
        if rng.random() < 0.8:
            on = start + timedelta(days=rng.randint(10, 200))
            decide_case(s, case, rng.choice(("upheld", "upheld", "corrected", "other")), on, WHO)
    answered = s.scalars(
        select(LedgerRequest).where(
            LedgerRequest.agency == agency,
            LedgerRequest.closed >= start,
            LedgerRequest.closed <= end,
            LedgerRequest.result.not_in(("granted",)),
        )
    ).all()
    for req in answered:
        if rng.random() > 0.06 or req.closed is None:
            continue
        kind = rng.choice(("review", "review", "review", "lit_direct", "lit_after_review"))
        filed = req.closed + timedelta(days=rng.randint(5, 60))
        if filed > end:
            continue
        case = add_case(s, agency=agency, kind=kind, filed=filed, who=WHO, request=req)
        decided = filed + timedelta(days=rng.randint(30, 120))
        if decided <= end:
            decide_case(
                s, case, rng.choice(("upheld", "upheld", "corrected", "other")), decided, WHO
            )


def _register(
    s: Session, rng: random.Random, agency: str, start: date, end: date, cal: Calendar
) -> None:
    plan = (
        (1, "regulation", rng.randint(0, 2)),
        (1, "normative_doc", rng.randint(3, 12)),
        (5, "permit", rng.randint(20, 80)),
        (6, "penalty", rng.randint(5, 40)),
        (6, "compulsion", rng.randint(0, 5)),
        (8, "fee", rng.randint(0, 3)),
        (2, None, rng.randint(2, 6)),
        (7, None, 2),
        (11, None, rng.randint(5, 20)),
    )
    for category, kind, count in plan:
        for i in range(count):
            amount = round(rng.uniform(0.1, 20), 2) if kind == "fee" else None
            item = add_register_item(
                s,
                agency=agency,
                category=category,
                kind=kind,
                title=f"第{category}项信息{i + 1}",
                who=WHO,
                amount=amount,
            )
            day = start + timedelta(days=rng.randint(0, 340))
            review_item(s, item, "初审", "科员", day)
            day = _workday_after(day, 1, cal)
            review_item(s, item, "审核", "科长", day)
            if rng.random() < 0.95:
                day = _workday_after(day, 1, cal)
                if day <= end:
                    review_item(s, item, "审批", "分管负责人", day)
            if (
                kind == "normative_doc"
                and item.approve_on is not None
                and rng.random() < 0.2
                and item.approve_on + timedelta(days=5) <= end
            ):
                repeal_item(s, item, item.approve_on + timedelta(days=5), WHO)
