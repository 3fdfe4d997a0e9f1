"""整改反馈: the noticed agency's answer to a notice (made by migration 0006_replies) —
a text, optionally the new version of the report uploaded with it, and an explanation
per noticed finding (情况说明: why the finding is wrong).  The notice is then
已反馈（待审核） until a supervisor accepts the answer (已整改, with a note) or returns
it (待整改 again, with the reason the agency reads).  A notice settled otherwise
(a later version without the findings, by hand, or every finding dismissed on review)
closes the answer still waiting.  Every step is written to the audit log."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from . import accounts
from . import notice_models as notices
from .models import Base, User, now

MAX_TEXT = 2000  # characters of the answer
MAX_EXPLANATION = 1000  # characters of one finding's explanation
STATES = {
    "submitted": "待审核",
    "accepted": "已通过",
    "returned": "已退回",
    "closed": "已结束",  # the notice was settled otherwise
}


class ReplyInvalid(notices.NoticeError):
    """The answer itself is wrong (empty, too long, a finding the notice has not)."""


class NoticeReply(Base):
    __tablename__ = "notice_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    # the new version of the report uploaded with the answer
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"))
    # [{"finding": index in the notice's findings, "code": …, "text": …}]
    explanations: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), default="submitted")
    decision: Mapped[str] = mapped_column(Text, default="")  # the note or the reason
    decided_by: Mapped[str | None] = mapped_column(String(100))  # None: the system
    decided_at: Mapped[datetime | None]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    username: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=now)

    @property
    def label(self) -> str:
        return STATES[self.state]


def replies_of(session: Session, notice_id: int) -> list[NoticeReply]:
    """The answers to a notice, oldest first."""
    q = select(NoticeReply).where(NoticeReply.notice_id == notice_id).order_by(NoticeReply.id)
    return list(session.scalars(q))


def waiting(session: Session, notice_id: int) -> NoticeReply | None:
    """The answer awaiting review (at most one)."""
    q = select(NoticeReply).where(
        NoticeReply.notice_id == notice_id, NoticeReply.state == "submitted"
    )
    return session.scalars(q.order_by(NoticeReply.id.desc())).first()


def close_waiting(session: Session, user: User | None, notice_id: int, note: str) -> None:
    """The answer still waiting on a notice settled otherwise: 已结束 with ``note``."""
    row = waiting(session, notice_id)
    if row is not None:
        row.state = "closed"
        row.decision = note
        row.decided_by = user.name if user is not None else None
        row.decided_at = now()


def submit(
    session: Session,
    user: User,
    notice: notices.IssuedNotice,
    text: str,
    explanations: Mapping[int, str],
    report_id: int | None,
) -> NoticeReply:
    """Record the agency's answer (``explanations``: a noticed finding's index → why it
    is wrong); the notice is 已反馈（待审核）.  NoticeError when the notice's state or
    the text does not allow it."""
    if notice.status == "rectified":
        raise notices.NoticeError("这份审查意见已经整改完毕，无需再反馈")
    if notice.status == "waived":
        raise notices.NoticeError("这份审查意见所列问题经复核均不成立，无需整改")
    if notice.status == "replied":
        raise notices.NoticeError("已提交整改反馈，正在等待审核，审核后才能再次反馈")
    text = text.strip()
    if not text:
        raise ReplyInvalid("请填写整改反馈（整改了什么、怎样整改的）")
    if len(text) > MAX_TEXT:
        raise ReplyInvalid(f"整改反馈不能超过 {MAX_TEXT} 字（现有 {len(text)} 字）")
    said: list[dict[str, Any]] = []
    for index, why in sorted(explanations.items()):
        why = why.strip()
        if not why:
            continue
        if not 0 <= index < len(notice.findings):
            raise ReplyInvalid(f"审查意见没有第 {index + 1} 个问题")
        if len(why) > MAX_EXPLANATION:
            raise ReplyInvalid(f"第 {index + 1} 个问题的情况说明不能超过 {MAX_EXPLANATION} 字")
        code = str(notice.findings[index].get("code", ""))
        said.append({"finding": index, "code": code, "text": why})
    row = NoticeReply(
        notice_id=notice.id,
        text=text,
        report_id=report_id,
        explanations=said,
        state="submitted",
        decision="",
        user_id=user.id,
        username=user.name,
    )
    session.add(row)
    notice.status = "replied"
    session.flush()
    version = f"，附新版本报告 {report_id}" if report_id is not None else ""
    accounts.audit(
        session,
        user,
        "notice.reply",
        f"审查意见 {notice.id}：整改反馈 {row.id}{version}，情况说明 {len(said)} 条",
    )
    return row


def _waiting_or_refuse(session: Session, notice: notices.IssuedNotice) -> NoticeReply:
    row = waiting(session, notice.id)
    if notice.status != "replied" or row is None:
        raise notices.NoticeError("这份审查意见没有待审核的整改反馈")
    return row


def accept(session: Session, user: User, notice: notices.IssuedNotice, note: str) -> NoticeReply:
    """The supervisor accepts the waiting answer: 已整改 with ``note``."""
    row = _waiting_or_refuse(session, notice)
    row.state = "accepted"
    row.decision = note
    row.decided_by = user.name
    row.decided_at = now()
    accounts.audit(
        session,
        user,
        "notice.reply.accepted",
        f"审查意见 {notice.id}：整改反馈 {row.id} 通过；{note}",
    )
    notices.mark_rectified(session, user, notice, f"整改反馈审核通过：{note}", row.report_id)
    return row


def give_back(
    session: Session, user: User, notice: notices.IssuedNotice, reason: str
) -> NoticeReply:
    """The supervisor returns the waiting answer: 待整改 again, ``reason`` for the agency."""
    row = _waiting_or_refuse(session, notice)
    row.state = "returned"
    row.decision = reason
    row.decided_by = user.name
    row.decided_at = now()
    notice.status = "pending"
    accounts.audit(
        session,
        user,
        "notice.reply.returned",
        f"审查意见 {notice.id}：整改反馈 {row.id} 退回；理由：{reason}",
    )
    session.flush()
    return row


def latest_of(session: Session, notice_ids: Sequence[int]) -> dict[int, NoticeReply]:
    """The newest answer to each of ``notice_ids`` (those answered)."""
    out: dict[int, NoticeReply] = {}
    if not notice_ids:
        return out
    q = select(NoticeReply).where(NoticeReply.notice_id.in_(set(notice_ids)))
    for row in session.scalars(q.order_by(NoticeReply.id)):
        out[row.notice_id] = row
    return out


def counts_of(session: Session, notice_ids: Sequence[int]) -> dict[int, int]:
    """How many answers each of ``notice_ids`` had (those answered)."""
    if not notice_ids:
        return {}
    q = (
        select(NoticeReply.notice_id, func.count())
        .where(NoticeReply.notice_id.in_(set(notice_ids)))
        .group_by(NoticeReply.notice_id)
    )
    return {nid: n for nid, n in session.execute(q)}
