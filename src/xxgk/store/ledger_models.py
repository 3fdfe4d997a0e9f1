"""The request ledger's tables (made by migration 0002): requests and their dated
events, review and litigation cases, the proactive-disclosure register, the editable
working-day calendar and an append-only audit trail (the database refuses UPDATE and
DELETE on ``ledger_audit`` through triggers, on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .models import Base, now

REQUEST_STATES = ("open", "closed")
EVENT_KINDS = (
    "correction_notice",  # 补正告知 (date sent; ``until``: the correction deadline)
    "correction_received",  # 补正后的申请收到 (the answer period restarts)
    "consultation_sent",  # 征求意见函发出 (第三十二、三十四条)
    "consultation_delivered",  # 征求意见书送达 (the third party's 15 days count from it)
    "consultation_answered",  # 意见收到
    "extension",  # 延期 (``approver``; ``days`` ≤ 20)
    "fee_notice",  # 收费通知 (``amount``, ``method``)
    "fee_paid",  # 缴费
    "reasons_asked",  # 要求说明理由 (第三十五条; ``until``: the period for the reasons)
    "reasons_given",  # 申请人说明理由
    "delay",  # 延迟答复 (第三十五条; ``until``: the reasonable period the office sets)
    "decision",  # 办理结果 (``result``: a t3 result-row key)
    "answer",  # 答复送达 (closes the request)
)
CASE_KINDS = ("review", "lit_direct", "lit_after_review")
CASE_RESULTS = ("upheld", "corrected", "other", "pending")
REVIEW_STEPS = ("初审", "审核", "审批")


class LedgerRequest(Base):
    __tablename__ = "ledger_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency: Mapped[str] = mapped_column(String(200), index=True)
    number: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(32))
    submitted: Mapped[date | None] = mapped_column(Date)
    received: Mapped[date] = mapped_column(Date, index=True)
    receipt_note: Mapped[str] = mapped_column(Text, default="")
    applicant: Mapped[str] = mapped_column(String(200))
    applicant_type: Mapped[str] = mapped_column(String(32))  # a t3 applicant column key
    content: Mapped[str] = mapped_column(Text, default="")
    handler: Mapped[str] = mapped_column(String(100), default="")
    state: Mapped[str] = mapped_column(String(16), default="open")
    result: Mapped[str | None] = mapped_column(String(32))  # a t3 result-row key
    closed: Mapped[date | None] = mapped_column(Date, index=True)  # the answer date
    due: Mapped[date | None] = mapped_column(Date, index=True)
    due_note: Mapped[str] = mapped_column(Text, default="")
    fee_method: Mapped[str | None] = mapped_column(String(16))
    fee_amount: Mapped[int | None] = mapped_column(Integer)  # 元
    created: Mapped[datetime] = mapped_column(default=now)

    events: Mapped[list[LedgerEvent]] = relationship(
        back_populates="request", order_by="LedgerEvent.id", cascade="all, delete-orphan"
    )

    __table_args__ = (Index("ix_ledger_requests_number", "agency", "number", unique=True),)


class LedgerEvent(Base):
    __tablename__ = "ledger_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_requests.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    on: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)  # a deadline the event sets
    days: Mapped[int | None] = mapped_column(Integer)
    approver: Mapped[str | None] = mapped_column(String(100))
    result: Mapped[str | None] = mapped_column(String(32))
    method: Mapped[str | None] = mapped_column(String(16))
    amount: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    by: Mapped[str] = mapped_column(String(100), default="")
    created: Mapped[datetime] = mapped_column(default=now)

    request: Mapped[LedgerRequest] = relationship(back_populates="events")


class LedgerCase(Base):
    """A 行政复议 or 行政诉讼 case arising from a request (→ t4)."""

    __tablename__ = "ledger_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency: Mapped[str] = mapped_column(String(200), index=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_requests.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))  # CASE_KINDS
    filed: Mapped[date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(16), default="pending")  # CASE_RESULTS
    decided: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class RegisterItem(Base):
    """An item of proactive disclosure (第二十条 category 1–15) and its three-step
    review (初审、审核、审批); only approved items count."""

    __tablename__ = "ledger_register"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency: Mapped[str] = mapped_column(String(200), index=True)
    category: Mapped[int] = mapped_column(Integer)  # 第二十条第（N）项
    kind: Mapped[str | None] = mapped_column(String(32))  # a t2 row key, or None
    title: Mapped[str] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date, index=True)  # 制发/决定/公开日期
    repealed: Mapped[date | None] = mapped_column(Date)  # 废止日期 (规章、规范性文件)
    amount: Mapped[float | None] = mapped_column(
        Numeric(14, 4, asdecimal=False)
    )  # 收费金额（万元）
    first_review_by: Mapped[str | None] = mapped_column(String(100))
    first_review_on: Mapped[date | None] = mapped_column(Date)
    review_by: Mapped[str | None] = mapped_column(String(100))
    review_on: Mapped[date | None] = mapped_column(Date)
    approve_by: Mapped[str | None] = mapped_column(String(100))
    approve_on: Mapped[date | None] = mapped_column(Date)


class CalendarDay(Base):
    """A day that departs from the weekday rule: an off weekday (放假) or a worked
    weekend day (调休上班); ``source`` is chinese-calendar or the editor's name."""

    __tablename__ = "ledger_calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    workday: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(64), default="")
    source: Mapped[str] = mapped_column(String(100), default="chinese-calendar")


class CalendarYear(Base):
    """A year whose 放假安排 the calendar holds (other years are refused, not guessed)."""

    __tablename__ = "ledger_calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(100), default="chinese-calendar")


class LedgerAudit(Base):
    """Every change to the ledger: who, when, what, before and after (JSON text).
    Append-only: the database refuses UPDATE and DELETE (migration 0002's triggers)."""

    __tablename__ = "ledger_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now, index=True)
    who: Mapped[str] = mapped_column(String(100))
    table: Mapped[str] = mapped_column("table_name", String(64))
    row: Mapped[str] = mapped_column("row_key", String(64))
    action: Mapped[str] = mapped_column(String(32))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
