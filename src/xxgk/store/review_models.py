"""A supervisor's decision on a finding: 确认 (it stands) or 不成立 (dismissed), with a
reason (made by migration 0003_review).

A decision belongs to the file and the finding, not to one stored version: it is keyed
by the file's SHA-256, the rule's code and the finding's cells, so the same file checked
again (a re-parse, a new version of the same bytes) finds its decisions again.  Each
decision is written to the audit log."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from . import accounts
from .models import Base, StoredReport, User, now

DECISIONS = {"confirmed": "确认", "dismissed": "不成立"}
Key = tuple[str, str, str]  # (file SHA-256, code, cells)


class FindingReview(Base):
    __tablename__ = "finding_reviews"
    __table_args__ = (UniqueConstraint("file_sha256", "code", "cells", name="uq_finding_review"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    code: Mapped[str] = mapped_column(String(32))
    cells: Mapped[str] = mapped_column(String(2000))  # the finding's cells, sorted, joined by ","
    decision: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    username: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=now)


def cells_of(finding: Mapping[str, Any]) -> str:
    return ",".join(sorted(str(c) for c in finding.get("cells") or []))[:2000]


def key_of(sha256: str, finding: Mapping[str, Any]) -> Key:
    """What a decision is matched by: the file, the rule and the cells."""
    return sha256, str(finding.get("code", "")), cells_of(finding)


def decisions(session: Session, shas: Iterable[str]) -> dict[Key, FindingReview]:
    """Every decision on the files ``shas``, by key."""
    wanted = sorted(set(shas))
    if not wanted:
        return {}
    rows = session.scalars(select(FindingReview).where(FindingReview.file_sha256.in_(wanted)))
    return {(r.file_sha256, r.code, r.cells): r for r in rows}


def dismissed(session: Session, shas: Iterable[str]) -> set[Key]:
    return {k for k, r in decisions(session, shas).items() if r.decision == "dismissed"}


def standing(
    sha256: str, findings: Iterable[Mapping[str, Any]], gone: set[Key]
) -> list[Mapping[str, Any]]:
    """The findings not dismissed (confirmed or not yet decided)."""
    return [f for f in findings if key_of(sha256, f) not in gone]


def decide(
    session: Session,
    user: User,
    report: StoredReport,
    finding: Mapping[str, Any],
    decision: str,
    reason: str,
) -> FindingReview:
    """Record (or change) the decision on one finding of ``report``; audited."""
    if decision not in DECISIONS:
        raise ValueError(decision)
    sha, code, cells = key_of(report.file_sha256, finding)
    row = session.scalars(
        select(FindingReview).where(
            FindingReview.file_sha256 == sha,
            FindingReview.code == code,
            FindingReview.cells == cells,
        )
    ).first()
    before = row.decision if row is not None else None
    if row is None:
        row = FindingReview(file_sha256=sha, code=code, cells=cells)
        session.add(row)
    row.decision = decision
    row.reason = reason
    row.user_id = user.id
    row.username = user.name
    row.at = now()
    change = f"（原为{DECISIONS[before]}）" if before and before != decision else ""
    accounts.audit(
        session,
        user,
        "finding_review",
        f"报告 {report.id} {code} [{cells}]：{DECISIONS[decision]}{change}；理由：{reason}",
    )
    session.flush()
    return row
