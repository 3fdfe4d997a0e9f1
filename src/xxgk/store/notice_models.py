"""年报审查意见 as issued (made by migration 0005_notices): which report, which findings
(their text as the notice printed them), the date it was issued, the 整改期限 and where
the correction stands — 待整改, 已整改 (a later version of the agency's report for the
same year no longer has the noticed findings, or a supervisor says so with a note),
已反馈（待审核） (the agency answered: ``reply_models``), 无需整改 (every noticed finding
was dismissed on review: ``reconsider``) and 逾期未整改 (still pending after the
deadline: worked out from the date, never stored).

``issue`` records one, ``settle`` looks at a newly checked version of the report,
``mark_rectified`` is the hand-made 已整改, ``reconsider`` follows the review decisions,
``due`` is the supervisor's list; every step is written to the audit log."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from . import accounts, reports
from .models import Agency, Base, StoredReport, User, now
from .review_models import cells_of, dismissed, key_of, subject_of

STATUSES = {
    "pending": "待整改",
    "overdue": "逾期未整改",
    "replied": "已反馈（待审核）",
    "rectified": "已整改",
    "waived": "无需整改（所列问题经复核不成立）",
}
# "overdue" is a pending notice past its deadline
STORED = ("pending", "replied", "rectified", "waived")
OPEN = ("pending", "replied")  # still to be settled: on the due list
WAIVED_NOTE = "所列问题经复核均不成立"
SOON_DAYS = 7  # a pending notice due within this many days is 即将到期


class NoticeError(Exception):
    """A step the notice's state does not allow (the message is the user's line)."""


class IssuedNotice(Base):
    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int | None]
    issued: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    office: Mapped[str] = mapped_column(String(100))
    # the findings as the notice listed them (contract dicts) — the report may change
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    settled_at: Mapped[datetime | None]
    settled_report_id: Mapped[int | None] = mapped_column(
        ForeignKey("reports.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(Text, default="")  # how it was settled
    settled_by: Mapped[str | None] = mapped_column(String(100))  # a user, or None: the system
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    username: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=now)

    report: Mapped[StoredReport] = relationship(foreign_keys=[report_id])
    agency: Mapped[Agency | None] = relationship()

    def status_on(self, today: date) -> str:
        """pending | replied | rectified | waived | overdue (pending after the deadline)."""
        if self.status == "pending" and today > self.deadline:
            return "overdue"
        return self.status


Match = tuple[str, str, str]  # (code, cells, subject): a finding across versions


def match_of(finding: Mapping[str, Any]) -> Match:
    """A finding as a later version of the report would repeat it (no file hash)."""
    return str(finding.get("code", "")), cells_of(finding), subject_of(finding)


def remaining(notice: IssuedNotice, report: StoredReport | None) -> list[dict[str, Any]]:
    """The noticed findings that ``report`` (a version of the same report) still has."""
    if report is None or report.result is None:
        return list(notice.findings)
    now_found = {match_of(f) for f in report.result.get("findings") or []}
    return [f for f in notice.findings if match_of(f) in now_found]


def issue(
    session: Session,
    user: User,
    report: StoredReport,
    findings: Sequence[Mapping[str, Any]],
    issued: date,
    deadline: date,
    office: str,
) -> IssuedNotice:
    """Record a notice on ``report`` listing ``findings``; audited."""
    if deadline < issued:
        raise NoticeError("整改期限不能早于发文日期")
    row = IssuedNotice(
        report_id=report.id,
        agency_id=report.agency_id,
        year=report.year,
        issued=issued,
        deadline=deadline,
        office=office,
        findings=[dict(f) for f in findings],
        status="pending",
        note="",
        user_id=user.id,
        username=user.name,
    )
    session.add(row)
    session.flush()
    accounts.audit(
        session,
        user,
        "notice.issue",
        f"审查意见 {row.id}：报告 {report.id}，{len(row.findings)} 个问题，"
        f"发文 {issued.isoformat()}，整改期限 {deadline.isoformat()}",
    )
    return row


def mark_rectified(
    session: Session, user: User | None, notice: IssuedNotice, note: str, report_id: int | None
) -> None:
    """已整改 (by a supervisor with ``note``, or by the system when a later version no
    longer has the findings: ``user`` None, ``report_id`` that version)."""
    if notice.status == "rectified":
        raise NoticeError("这份审查意见已经整改完毕")
    if notice.status == "waived":
        raise NoticeError("这份审查意见所列问题经复核均不成立，无需整改")
    from .reply_models import close_waiting

    close_waiting(session, user, notice.id, note)
    notice.status = "rectified"
    notice.settled_at = now()
    notice.settled_report_id = report_id
    notice.note = note
    notice.settled_by = user.name if user is not None else None
    accounts.audit(session, user, "notice.rectified", f"审查意见 {notice.id}：已整改；{note}")
    session.flush()


def settle(session: Session, report: StoredReport) -> list[IssuedNotice]:
    """The pending notices on earlier versions of ``report`` (same agency and year)
    that ``report`` no longer repeats any finding of: 已整改 now.  Returns them."""
    if report.status != "done" or report.agency_id is None or report.year is None:
        return []
    pending = session.scalars(
        select(IssuedNotice).where(
            IssuedNotice.agency_id == report.agency_id,
            IssuedNotice.year == report.year,
            IssuedNotice.status.in_(OPEN),
            IssuedNotice.report_id != report.id,
        )
    ).all()
    done = []
    for n in pending:
        noticed = session.get(StoredReport, n.report_id)
        if noticed is not None and (noticed.version or 0) >= (report.version or 0):
            continue  # an older version than the one noticed
        if remaining(n, report):
            continue
        version = f"第 {report.version} 版" if report.version else f"报告 {report.id}"
        mark_rectified(session, None, n, f"{version}已无审查意见所列问题", report.id)
        done.append(n)
    return done


def all_dismissed(session: Session, notice: IssuedNotice) -> bool:
    """Every noticed finding dismissed (不成立) on review, on the version noticed or on
    the newest version of the report."""
    noticed = session.get(StoredReport, notice.report_id)
    shas = {noticed.file_sha256} if noticed is not None else set()
    newest = _newest(session, notice.agency_id, notice.year)
    if newest is not None:
        shas.add(newest.file_sha256)
    gone = dismissed(session, shas)
    return bool(notice.findings) and all(
        any(key_of(sha, f) in gone for sha in shas) for f in notice.findings
    )


def reconsider(session: Session, user: User, report: StoredReport) -> list[IssuedNotice]:
    """After a review decision on ``report``: its agency's notices for the year whose
    noticed findings are now all dismissed are 无需整改 (an answer waiting is closed);
    a 无需整改 one of which a finding stands again is 待整改 again.  Returns those
    changed; audited."""
    if report.agency_id is None or report.year is None:
        return []
    q = select(IssuedNotice).where(
        IssuedNotice.agency_id == report.agency_id,
        IssuedNotice.year == report.year,
        IssuedNotice.status.in_((*OPEN, "waived")),
    )
    changed = []
    for n in session.scalars(q.order_by(IssuedNotice.id)).all():
        gone = all_dismissed(session, n)
        if gone and n.status in OPEN:
            from .reply_models import close_waiting

            close_waiting(session, user, n.id, WAIVED_NOTE)
            n.status, n.note, n.settled_by, n.settled_at = "waived", WAIVED_NOTE, user.name, now()
            accounts.audit(
                session, user, "notice.waived", f"审查意见 {n.id}：无需整改；{WAIVED_NOTE}"
            )
            changed.append(n)
        elif not gone and n.status == "waived":
            n.status, n.note, n.settled_by, n.settled_at = "pending", "", None, None
            accounts.audit(
                session,
                user,
                "notice.reopened",
                f"审查意见 {n.id}：所列问题经复核又有成立的，待整改",
            )
            changed.append(n)
    session.flush()
    return changed


@dataclass
class Due:
    """One line of the due list."""

    notice: IssuedNotice
    status: str  # pending | replied | rectified | waived | overdue
    days: int  # days left to the deadline (negative: days overdue)
    latest: StoredReport | None  # the newest checked version of the report
    left: list[dict[str, Any]]  # the noticed findings the newest version still has

    @property
    def label(self) -> str:
        return STATUSES[self.status]

    @property
    def soon(self) -> bool:
        return self.status == "pending" and self.days <= SOON_DAYS


def _newest(session: Session, agency_id: int | None, year: int | None) -> StoredReport | None:
    if agency_id is None or year is None:
        return None
    return reports.newest_version(session, agency_id, year)


def due(
    session: Session,
    agencies: set[int] | None,
    today: date,
    year: int | None = None,
    status: str | None = None,
    report_ids: Iterable[int] | None = None,
) -> list[Due]:
    """The notices of ``agencies`` (None: every agency), of ``year`` and ``status``
    (a key of STATUSES) when given, or on ``report_ids``: overdue first, then answered
    (awaiting review), then pending by deadline, then the settled, newest first."""
    if status is not None and status not in STATUSES:
        raise ValueError(status)
    q = select(IssuedNotice)
    if agencies is not None:
        q = q.where(IssuedNotice.agency_id.in_(agencies))
    if year is not None:
        q = q.where(IssuedNotice.year == year)
    if report_ids is not None:
        q = q.where(IssuedNotice.report_id.in_(set(report_ids)))
    lines = []
    newest: dict[tuple[int | None, int | None], StoredReport | None] = {}
    for n in session.scalars(q.order_by(IssuedNotice.id)):
        st = n.status_on(today)
        if status is not None and st != status:
            continue
        k = (n.agency_id, n.year)
        if k not in newest:
            newest[k] = _newest(session, *k)
        last = newest[k]
        left = remaining(n, last) if st not in ("rectified", "waived") else []
        lines.append(Due(n, st, (n.deadline - today).days, last, left))
    order = {"overdue": 0, "replied": 1, "pending": 2, "rectified": 3, "waived": 3}
    lines.sort(
        key=lambda d: (
            order[d.status],
            d.notice.deadline.toordinal() * (1 if order[d.status] < 3 else -1),
            -d.notice.id,
        )
    )
    return lines


Filed = tuple[int | None, int | None]  # (agency id, year)


def of_reports(session: Session, rows: Iterable[StoredReport]) -> dict[Filed, list[IssuedNotice]]:
    """The notices issued on any version of each of ``rows``' reports (same agency and
    year), oldest first, by (agency id, year)."""
    wanted = {(r.agency_id, r.year) for r in rows if r.agency_id is not None}
    out: dict[Filed, list[IssuedNotice]] = {}
    if not wanted:
        return out
    q = select(IssuedNotice).where(
        IssuedNotice.agency_id.in_({a for a, _ in wanted}),
        IssuedNotice.year.in_({y for _, y in wanted if y is not None}),
    )
    for n in session.scalars(q.order_by(IssuedNotice.id)):
        if (n.agency_id, n.year) in wanted:
            out.setdefault((n.agency_id, n.year), []).append(n)
    return out
