"""A supervisor's decision on a finding: 确认 (it stands) or 不成立 (dismissed), with a
reason (made by migration 0003_review).

A decision belongs to the file and the finding, not to one stored version: it is keyed
by the file's SHA-256, the rule's code, the finding's cells and, for a finding without
cells, its subject (``subject_of``: TXT-004's section and the report it names; another
rule's message without its percentages), so the same file checked again (a re-parse, a
new version of the same bytes, a peer's share changing) finds its decisions again and
two findings of one rule without cells are decided each on its own (migration
0005_notices made the subjects of the decisions stored before).  Each decision is
written to the audit log."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from . import accounts
from .models import Base, StoredReport, User, now

DECISIONS = {"confirmed": "确认", "dismissed": "不成立"}
Key = tuple[str, str, str, str]  # (file SHA-256, code, cells, subject)
SUBJECT_MAX = 500


class FindingReview(Base):
    __tablename__ = "finding_reviews"
    __table_args__ = (
        UniqueConstraint("file_sha256", "code", "cells", "subject", name="uq_finding_review"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    code: Mapped[str] = mapped_column(String(32))
    cells: Mapped[str] = mapped_column(String(2000))  # the finding's cells, sorted, joined by ","
    subject: Mapped[str] = mapped_column(String(SUBJECT_MAX), default="")  # ``subject_of``
    decision: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    username: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=now)


def cells_of(finding: Mapping[str, Any]) -> str:
    return ",".join(sorted(str(c) for c in finding.get("cells") or []))[:2000]


# TXT-004's two messages (checks/copied.py): the section, then last year's report or
# the peer it names; the share between them changes when the other report does
_COPIED = (
    re.compile(r"^(“[^”]*”)有[\d.]+%的文字与(.+?)报告的同一部分"),
    re.compile(r"^(“[^”]*”)与(.+?)的同一部分有[\d.]+%的文字"),
)
_SHARE = re.compile(r"\d+(?:\.\d+)?%")


def subject_of(finding: Mapping[str, Any]) -> str:
    """What a finding without cells is about, stable across re-checks: for TXT-004 its
    section and the report it names (“一、总体情况” · 《某局2023年度报告》, or 2022年度);
    for another rule its message without percentages.  "" for a finding with cells
    (they say what it is about)."""
    if finding.get("cells"):
        return ""
    message = " ".join(str(finding.get("message") or "").split())
    if finding.get("code") == "TXT-004":
        for pattern in _COPIED:
            m = pattern.match(message)
            if m:
                return f"{m.group(1)} · {m.group(2)}"[:SUBJECT_MAX]
    return _SHARE.sub("%", message)[:SUBJECT_MAX]


def key_of(sha256: str, finding: Mapping[str, Any]) -> Key:
    """What a decision is matched by: the file, the rule, the cells and (no cells) the
    subject."""
    return sha256, str(finding.get("code", "")), cells_of(finding), subject_of(finding)


def decisions(session: Session, shas: Iterable[str]) -> dict[Key, FindingReview]:
    """Every decision on the files ``shas``, by key."""
    wanted = sorted(set(shas))
    if not wanted:
        return {}
    rows = session.scalars(select(FindingReview).where(FindingReview.file_sha256.in_(wanted)))
    return {(r.file_sha256, r.code, r.cells, r.subject): r for r in rows}


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
    sha, code, cells, subject = key_of(report.file_sha256, finding)
    row = session.scalars(
        select(FindingReview).where(
            FindingReview.file_sha256 == sha,
            FindingReview.code == code,
            FindingReview.cells == cells,
            FindingReview.subject == subject,
        )
    ).first()
    before = row.decision if row is not None else None
    if row is None:
        row = FindingReview(file_sha256=sha, code=code, cells=cells, subject=subject)
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
        f"报告 {report.id} {code} [{cells or subject}]：{DECISIONS[decision]}{change}；理由：{reason}",
    )
    session.flush()
    return row
