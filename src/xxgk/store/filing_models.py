"""Filing before publishing (报送审核) and clerks' corrections of values (made by
migration 0004_filing).

A filing is one agency's report for one year on its way to publication: 起草 (no
filing yet, or a draft not submitted) → 报送 → 退回修改 / 审核通过 → 已发布.  Every step
is a ``FilingEvent`` (when, who, the draft, the reason) and an audit-log entry.  A
draft with errors is approved only with a recorded override and its reason.  When the
published file is registered, it is compared with the approved draft (the file's hash,
then every cell's value); the differing cells are kept on the filing, and the
published report's check holds them as findings (FIL-001, ``approved_draft`` gives
the web app's re-check the draft to compare with).

The local deadline for submitting is the nearest ``FilingDeadline`` on the agency or
a region above it; without one, the statutory deadline (``checks.meta.deadline``).

A ``Correction`` is one cell changed by a clerk or supervisor: the new version of the
report it made, the version it was made from, the value before and after, the source
of the old value, the reason, who and when."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from . import accounts
from .models import Agency, Base, StoredReport, User, now

STATES = {
    "draft": "起草",
    "submitted": "报送",
    "returned": "退回修改",
    "approved": "审核通过",
    "published": "已发布",
}
# the states a step may start from
_FROM = {
    "submitted": ("draft", "returned"),
    "returned": ("submitted",),
    "approved": ("submitted",),
    "published": ("approved",),
}


class FilingError(ValueError):
    """A step that is not allowed, in one Chinese sentence."""


class FilingDeadline(Base):
    __tablename__ = "filing_deadlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), unique=True
    )
    month: Mapped[int]
    day: Mapped[int]


class Filing(Base):
    __tablename__ = "filings"
    __table_args__ = (UniqueConstraint("agency_id", "year", name="uq_filing_agency_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    year: Mapped[int]
    state: Mapped[str] = mapped_column(String(16), default="draft")
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"))
    approved_sha256: Mapped[str | None] = mapped_column(String(64))
    override: Mapped[str | None] = mapped_column(Text)  # why a draft with errors was approved
    published_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"))
    differences: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    submitted: Mapped[datetime | None]
    updated: Mapped[datetime] = mapped_column(default=now)

    agency: Mapped[Agency] = relationship()
    report: Mapped[StoredReport | None] = relationship(foreign_keys=[report_id])
    published: Mapped[StoredReport | None] = relationship(foreign_keys=[published_id])
    events: Mapped[list[FilingEvent]] = relationship(
        back_populates="filing", cascade="all, delete-orphan", order_by="FilingEvent.id"
    )


class FilingEvent(Base):
    __tablename__ = "filing_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(16))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    username: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=now)

    filing: Mapped[Filing] = relationship(back_populates="events")


class Correction(Base):
    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    base_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"))
    cell: Mapped[str] = mapped_column(String(100))
    before: Mapped[str | None] = mapped_column(String(100))
    after: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(Text, default="")  # where the old value was read
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    username: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=now)


# ---------------------------------------------------------------- deadlines


def deadline_of(session: Session, agency: Agency, year: int) -> tuple[date, str]:
    """The local deadline for ``agency``'s report of ``year``: the nearest one set on it
    or a region above it, else the statutory one; and where it comes from."""
    seen: set[int] = set()
    node: Agency | None = agency
    while node is not None and node.id not in seen:
        seen.add(node.id)
        row = session.scalars(
            select(FilingDeadline).where(FilingDeadline.agency_id == node.id)
        ).first()
        if row is not None:
            return date(year + 1, row.month, row.day), f"{node.name}规定"
        node = node.parent
    from ..checks.meta import deadline

    when, who = deadline(year, agency.name)
    return when, f"法定时限：{who}"


# deadlines are days in China: a filing's day is its date in China Standard Time
CHINA = timezone(timedelta(hours=8), "CST")


def filed_day(f: Filing) -> date | None:
    """The day (in China) ``f`` was submitted; None when it was not."""
    if f.submitted is None:
        return None
    at = f.submitted if f.submitted.tzinfo is not None else f.submitted.replace(tzinfo=UTC)
    return at.astimezone(CHINA).date()


def set_deadline(session: Session, user: User, agency: Agency, month: int, day: int) -> None:
    date(2001, month, day)  # raises ValueError for a day that does not exist
    row = session.scalars(
        select(FilingDeadline).where(FilingDeadline.agency_id == agency.id)
    ).first()
    if row is None:
        row = FilingDeadline(agency_id=agency.id, month=month, day=day)
        session.add(row)
    row.month, row.day = month, day
    accounts.audit(session, user, "filing.deadline", f"{agency.name}：报送期限 {month}月{day}日")
    session.flush()


# ---------------------------------------------------------------- the steps


def find(session: Session, agency_id: int, year: int) -> Filing | None:
    return session.scalars(
        select(Filing).where(Filing.agency_id == agency_id, Filing.year == year)
    ).first()


def of_agencies(session: Session, ids: Iterable[int] | None, year: int) -> dict[int, Filing]:
    q = select(Filing).where(Filing.year == year)
    if ids is not None:
        q = q.where(Filing.agency_id.in_(sorted(set(ids))))
    return {f.agency_id: f for f in session.scalars(q)}


def _step(
    session: Session,
    user: User,
    filing: Filing,
    state: str,
    report_id: int | None,
    reason: str = "",
) -> FilingEvent:
    if filing.state not in _FROM[state]:
        raise FilingError(f"这份报告当前为“{STATES[filing.state]}”，不能{_VERB[state]}")
    filing.state = state
    filing.updated = now()
    event = FilingEvent(
        state=state, report_id=report_id, reason=reason, user_id=user.id, username=user.name
    )
    filing.events.append(event)
    tail = f"；理由：{reason}" if reason else ""
    accounts.audit(
        session,
        user,
        f"filing.{state}",
        f"{filing.agency.name} {filing.year} 年度报告（报告 {report_id}）：{STATES[state]}{tail}",
    )
    session.flush()
    return event


_VERB = {"submitted": "报送", "returned": "退回", "approved": "审核通过", "published": "登记发布稿"}


def submit(session: Session, user: User, report: StoredReport) -> Filing:
    """The clerk files ``report`` (checked, assigned) with its supervisor."""
    if report.status != "done" or report.agency_id is None or report.year is None:
        raise FilingError("只能报送已核查完毕、已归属机关并识别出年度的报告")
    filing = find(session, report.agency_id, report.year)
    if filing is None:
        filing = Filing(agency_id=report.agency_id, year=report.year, state="draft")
        session.add(filing)
        session.flush()
    _step(session, user, filing, "submitted", report.id)
    filing.report_id = report.id
    filing.submitted = now()
    filing.override = None
    return filing


def errors_of(
    report: StoredReport, dismissed: set[tuple[str, str, str, str]]
) -> list[dict[str, Any]]:
    """The draft's errors a supervisor has not dismissed."""
    from .review_models import key_of

    return [
        f
        for f in (report.result or {}).get("findings") or []
        if f.get("severity") == "error" and key_of(report.file_sha256, f) not in dismissed
    ]


def give_back(session: Session, user: User, filing: Filing, reason: str) -> None:
    if not reason.strip():
        raise FilingError("退回修改须写明理由")
    _step(session, user, filing, "returned", filing.report_id, reason.strip())


def approve(session: Session, user: User, filing: Filing, override: str = "") -> None:
    """Approve the submitted draft; one with errors only with ``override`` (its reason)."""
    from .review_models import dismissed

    draft = filing.report
    if draft is None:
        raise FilingError("报送的报告已不存在")
    errors = errors_of(draft, dismissed(session, [draft.file_sha256]))
    if errors and not override.strip():
        raise FilingError(
            f"报送稿有 {len(errors)} 个错误，不能审核通过；如确需通过，请填写“仍予通过”的理由"
        )
    reason = f"有 {len(errors)} 个错误仍予通过：{override.strip()}" if errors else ""
    _step(session, user, filing, "approved", draft.id, reason)
    filing.approved_sha256 = draft.file_sha256
    filing.override = override.strip() if errors else None


@dataclass
class Difference:
    cell: str
    approved: Any
    published: Any


def differences(
    approved: dict[str, Any] | None, published: dict[str, Any] | None
) -> list[Difference]:
    """Every cell whose value differs between two stored results (their tables): the
    comparison FIL-001 makes (``checks.filing.changed_cells``)."""
    from ..checks.filing import changed_cells

    a = ((approved or {}).get("report") or {}).get("tables") or {}
    b = ((published or {}).get("report") or {}).get("tables") or {}
    return [Difference(*d) for d in changed_cells(a, b)]


def approved_draft(session: Session, report: StoredReport) -> StoredReport | None:
    """The approved draft when ``report`` is the published file of a filing and not the
    same file (its check compares them: FIL-001); else None."""
    if report.agency_id is None or report.year is None:
        return None
    f = find(session, report.agency_id, report.year)
    if f is None or f.published_id != report.id or f.report_id is None:
        return None
    if f.approved_sha256 == report.file_sha256:
        return None
    draft = session.get(StoredReport, f.report_id)
    return draft if draft is not None and draft.result is not None else None


def publish(session: Session, user: User, filing: Filing, report: StoredReport) -> list[Difference]:
    """Register ``report`` as the published file of the approved filing; the cells
    that differ from the approved draft (none when the files are the same bytes)."""
    if (
        report.status != "done"
        or report.agency_id != filing.agency_id
        or report.year != filing.year
    ):
        raise FilingError("发布稿须是同一机关、同一年度、已核查完毕的报告")
    approved = session.get(StoredReport, filing.report_id) if filing.report_id else None
    same = report.file_sha256 == filing.approved_sha256
    diffs = [] if same else differences(approved.result if approved else None, report.result)
    note = (
        "与审核通过稿一致"
        if same
        else (f"与审核通过稿不同（文件哈希不同，{len(diffs)} 个单元格的数值不同）")
    )
    _step(session, user, filing, "published", report.id, note)
    filing.published_id = report.id
    filing.differences = [
        {"cell": d.cell, "approved": d.approved, "published": d.published} for d in diffs
    ]
    return diffs


# ---------------------------------------------------------------- corrections


def trail(session: Session, report_id: int) -> list[Correction]:
    """The corrections that led to ``report_id``, oldest first (following base ids)."""
    out: list[Correction] = []
    seen: set[int] = set()
    rid: int | None = report_id
    while rid is not None and rid not in seen:
        seen.add(rid)
        rows = list(session.scalars(select(Correction).where(Correction.report_id == rid)))
        out = rows + out
        rid = rows[0].base_id if rows else None
    return out
