"""Helpers shared by the ledger's service tests."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xxgk.ledger import service as L
from xxgk.store.ledger_models import LedgerAudit, LedgerEvent, LedgerRequest

AGENCY = "某某县某某局"


def new_request(
    s: Session, day: date, applicant: str = "张三", content: str = "某路段规划许可"
) -> LedgerRequest:
    """A request of ``applicant`` received on ``day`` in person by 李四."""
    return L.add_request(
        s,
        agency=AGENCY,
        channel="当面",
        submitted=day,
        applicant=applicant,
        applicant_type="自然人",
        content=content,
        who="李四",
    )


def counts(s: Session) -> tuple[int, int]:
    """The stored events and audit rows (a refusal stores neither)."""
    events = s.scalar(select(func.count()).select_from(LedgerEvent)) or 0
    audit = s.scalar(select(func.count()).select_from(LedgerAudit)) or 0
    return events, audit
