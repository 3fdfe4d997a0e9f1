"""The ledger in the database: requests through their events, the clock, the calendar,
due lists, and the audit trail the database itself keeps append-only."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from xxgk.ledger import service as L
from xxgk.store.base import Store
from xxgk.store.db import MIGRATIONS
from xxgk.store.ledger_models import LedgerAudit

AGENCY = "某某县某某局"


def _request(s, day: date = date(2024, 9, 3), **kw):  # type: ignore[no-untyped-def]
    return L.add_request(
        s,
        agency=AGENCY,
        channel=kw.pop("channel", "当面"),
        submitted=day,
        applicant=kw.pop("applicant", "张三"),
        applicant_type=kw.pop("applicant_type", "自然人"),
        content="某路段规划许可",
        who="李四",
        **kw,
    )


def test_single_migration_head() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert len(ScriptDirectory.from_config(cfg).get_heads()) == 1


def test_worked_example_through_correction_consultation_extension_fee(store: Store) -> None:
    with store.session() as s:
        req = _request(s)
        assert req.number == "2024-0001"
        assert req.due == date(2024, 10, 8)
        _, c = L.add_event(
            s, req, "correction_notice", date(2024, 9, 6), "李四", until=date(2024, 9, 20)
        )
        assert c.state == "waiting_correction" and req.due is None
        _, c = L.add_event(s, req, "correction_received", date(2024, 9, 13), "李四")
        assert req.due == date(2024, 10, 17)  # restarted from 09-13
        assert c.due is not None and c.due.explanation.startswith(
            "2024-09-13（周五）收到补正后的申请"
        )
        L.add_event(s, req, "consultation_sent", date(2024, 9, 18), "李四", note="某公司")
        _, c = L.add_event(s, req, "consultation_answered", date(2024, 10, 10), "李四")
        assert req.due == date(2024, 11, 4)  # 12 working days not counted
        with pytest.raises(L.LedgerError, match="批准人"):
            L.add_event(s, req, "extension", date(2024, 10, 28), "李四")
        _, c = L.add_event(s, req, "extension", date(2024, 10, 28), "李四", approver="王主任")
        assert req.due == date(2024, 12, 2)
        assert c.due is not None and "经王主任批准延长 20 个工作日" in c.due.explanation
        with pytest.raises(L.LedgerError, match="最长不得超过 20"):
            L.add_event(s, req, "extension", date(2024, 10, 29), "李四", approver="王主任", days=1)
        fee, c = L.add_event(
            s, req, "fee_notice", date(2024, 11, 1), "李四", method="per_volume", pages=150
        )
        assert fee.amount == 1700 and fee.until == date(2024, 11, 29)
        L.add_event(s, req, "fee_paid", date(2024, 11, 8), "李四")
        c = L.decide(
            s, req, "部分公开（区分处理的，只计这一情形，不计其他情形）", date(2024, 11, 20), "李四"
        )
        assert (req.state, req.result, req.closed) == ("closed", "partial", date(2024, 11, 20))
        with pytest.raises(L.LedgerError, match="已于 2024-11-20 办结"):
            L.add_event(s, req, "fee_paid", date(2024, 11, 21), "李四")
        actions = s.scalars(select(LedgerAudit.action).order_by(LedgerAudit.id)).all()
        assert actions[1] == "request_added" and actions.count("event_added") == 9


def test_lapses_need_their_deadline_passed(store: Store) -> None:
    with store.session() as s:
        req = _request(s)
        L.add_event(s, req, "correction_notice", date(2024, 9, 6), "李四", until=date(2024, 9, 20))
        with pytest.raises(L.LedgerError, match="尚未届满"):
            L.decide(s, req, "other_no_correction", date(2024, 9, 20), "李四")
        L.decide(s, req, "other_no_correction", date(2024, 9, 23), "李四")
        assert req.result == "other_no_correction"


def test_per_piece_fee_falls_on_the_application_crossing_a_band(store: Store) -> None:
    with store.session() as s:
        reqs = [_request(s, date(2024, 3, 1 + i // 3), applicant="赵六") for i in range(12)]
        ev, _ = L.add_event(s, reqs[10], "fee_notice", date(2024, 3, 8), "李四", method="per_piece")
        assert ev.amount == 100  # the 11th of the month
        ev, _ = L.add_event(s, reqs[3], "fee_notice", date(2024, 3, 8), "李四", method="per_piece")
        assert ev.amount == 0
        with pytest.raises(L.LedgerError, match="只能选择"):
            L.add_event(
                s, reqs[3], "fee_notice", date(2024, 3, 9), "李四", method="per_volume", pages=50
            )


def test_editing_the_calendar_recomputes_open_due_dates(store: Store) -> None:
    with store.session() as s:
        req = _request(s, date(2024, 9, 27))
        assert req.due == date(2024, 10, 30)
        moved = L.set_calendar_day(s, date(2024, 10, 29), False, "临时放假", "管理员")
        assert moved == [req] and req.due == date(2024, 10, 31)
        L.set_calendar_day(s, date(2024, 10, 29), None, "", "管理员")
        assert req.due == date(2024, 10, 30)


def test_unpublished_year_is_flagged_in_the_ledger(store: Store) -> None:
    with store.session() as s:
        year = max(L.load_calendar(s).years) + 1
        req = _request(s, date(year, 1, 6))
        assert req.due is None and f"{year} 年的节假日安排" in req.due_note
        L.publish_year(s, year, "管理员")
        assert req.due is not None  # once entered, the weekday rule and entered days apply


def test_due_soon_and_overdue(store: Store) -> None:
    with store.session() as s:
        early = _request(s, date(2024, 9, 2))
        late = _request(s, date(2024, 10, 8))
        today = date(2024, 10, 28)
        assert early.due is not None and early.due < today
        assert L.overdue(s, today, AGENCY) == [early]
        assert L.due_soon(s, date(2024, 10, 31), 5, AGENCY) == [late]  # due 11-05


def test_audit_trail_refuses_update_and_delete(store: Store) -> None:
    with store.session() as s:
        _request(s)
    for stmt in (
        update(LedgerAudit).values(who="someone else"),
        delete(LedgerAudit),
    ):
        with pytest.raises(DBAPIError, match="append-only"), store.session() as s:
            s.execute(stmt)
    if store.engine.dialect.name == "postgresql":
        with pytest.raises(DBAPIError, match="append-only"), store.session() as s:
            s.execute(text("TRUNCATE ledger_audit"))
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(LedgerAudit)) == 2
        assert (
            s.scalar(select(LedgerAudit.who).where(LedgerAudit.action == "request_added")) == "李四"
        )
