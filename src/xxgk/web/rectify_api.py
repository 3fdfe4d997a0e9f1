"""``/api/v1/rectifications``: the notices issued in the caller's scope with their
整改期限 and status (待整改 / 逾期未整改 / 已反馈（待审核） / 已整改 / 无需整改) — the
due list of ``/rectifications`` (``rectify_pages.due_lines``), for other systems — each
with how many answers it had and where the latest stands (``latest_reply``: when, by
whom, 待审核 / 已通过 / 已退回 with the reason); and the agency's answers (整改反馈:
``/api/v1/notices/{id}/replies``) with the supervisor's acceptance or return
(``rectify_replies``'s steps)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from ..store import notice_models as notices
from ..store import reply_models as replies
from . import rectify_pages
from .auth import ApiCaller, Db
from .errors import ERROR_RESPONSES, ErrorBody
from .rectify_pages import (
    NoticeId,
    as_dict,
    due_lines,
    issue_step,
    notice_in_scope,
    rectified_step,
)
from .rectify_replies import decide_step, reply_step
from .service import _utc

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)

REFUSED: dict[int | str, dict[str, Any]] = {
    409: {
        "model": ErrorBody,
        "description": "已发出尚未整改的审查意见、没有未撤销的问题、已经整改或无需整改，"
        "或整改反馈正在等待审核（或没有待审核的反馈）",
    }
}


class IssueBody(BaseModel):
    report: int = Field(ge=1, le=2**31 - 1, description="报告编号")
    deadline: str = Field(
        default="", max_length=10, description="整改期限（年-月-日；不填为发文之日起 30 日）"
    )
    office: str = Field(default="", max_length=100, description="发文单位")


class RectifiedBody(BaseModel):
    note: str = Field(min_length=1, max_length=2000, description="整改情况")


class NoticedFinding(BaseModel):
    code: str
    severity: str = Field(description="error | warning | info")
    message: str
    cells: list[str]


class LatestReply(BaseModel):
    id: int = Field(description="整改反馈编号（全文见 GET /api/v1/notices/{id}/replies）")
    at: str = Field(description="提交时间（UTC）")
    username: str | None = Field(description="提交人")
    report: int | None = Field(description="随反馈提交的新版本报告编号")
    state: str = Field(
        description="submitted（待审核）| accepted（已通过）| returned（已退回）| closed（已结束）"
    )
    label: str = Field(description="待审核 | 已通过 | 已退回 | 已结束")
    decision: str = Field(
        description="审核意见（已通过）、退回理由（已退回）或结束的原因（已结束）；待审核时为空"
    )
    decided_by: str | None = Field(description="审核人（待审核或由系统结束时：null）")
    decided_at: str | None = Field(description="审核时间（UTC；待审核时：null）")


class Rectification(BaseModel):
    id: int = Field(description="审查意见编号")
    report: int = Field(description="审查意见所针对的报告编号")
    agency: str | None
    agency_id: int | None
    year: int | None
    issued: str = Field(description="发文日期（ISO 8601）")
    deadline: str = Field(description="整改期限（ISO 8601）")
    days_left: int = Field(description="距整改期限的天数（负数：已逾期的天数）")
    status: str = Field(
        description="pending（待整改）| overdue（逾期未整改）| replied（已反馈，待审核）"
        "| rectified（已整改）| waived（无需整改：所列问题经复核均不成立）"
    )
    label: str = Field(description="待整改 | 逾期未整改 | 已反馈（待审核）| 已整改 | 无需整改（…）")
    office: str = Field(description="发文单位")
    findings: list[NoticedFinding] = Field(description="审查意见所列问题（发出时的原文）")
    latest_report: int | None = Field(description="该机关同一年度报告的最新已核查版本")
    remaining: int = Field(description="最新版本中仍存在的所列问题数（已整改：0）")
    settled_at: str | None = Field(description="登记已整改的时间（UTC）")
    settled_report: int | None = Field(description="消除了所列问题的新版本报告编号")
    settled_by: str | None = Field(description="登记已整改的监督人员（自动登记：null）")
    note: str = Field(description="整改情况说明")
    replies: int = Field(description="被通知机关提交整改反馈的次数")
    latest_reply: LatestReply | None = Field(
        description="最近一次整改反馈及其审核结果（没有反馈：null）"
    )


class RectificationList(BaseModel):
    total: int = Field(description="符合条件的审查意见数（不受 offset/limit 影响）")
    offset: int
    limit: int
    rectifications: list[Rectification]


@router.get(
    "/rectifications",
    response_model=RectificationList,
    summary="整改到期：已发出的审查意见及其整改期限和状态（在您的范围内）",
)
def list_rectifications(
    caller: ApiCaller,
    s: Db,
    year: Annotated[int | None, Query(ge=1990, le=2100, description="报告年度")] = None,
    region: Annotated[str | None, Query(max_length=200, description="地区或机关名称")] = None,
    status: Annotated[
        str | None,
        Query(max_length=16, description="pending | overdue | replied | rectified | waived"),
    ] = None,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Any:
    """Overdue first, then pending by deadline, then rectified (newest first)."""
    lines = due_lines(s, caller.user, year, region or "", status or "", api=True)
    return {
        "total": len(lines),
        "offset": offset,
        "limit": limit,
        "rectifications": _with_replies(s, lines[offset : offset + limit]),
    }


@router.get(
    "/rectifications/{notice_id}", response_model=Rectification, summary="一份审查意见的整改情况"
)
def get_rectification(notice_id: NoticeId, caller: ApiCaller, s: Db) -> Any:
    return _one(s, notice_in_scope(s, caller, notice_id).id)


def _one(s: Any, notice_id: int) -> dict[str, Any]:
    n = s.get(notices.IssuedNotice, notice_id)
    found = notices.due(s, None, rectify_pages._today(), report_ids=[n.report_id])
    return _with_replies(s, [d for d in found if d.notice.id == notice_id])[0]


def _with_replies(s: Any, lines: list[notices.Due]) -> list[dict[str, Any]]:
    """The due list's lines as the API answers them, each with its answers' count and
    the latest answer's state."""
    ids = [d.notice.id for d in lines]
    last, counts = replies.latest_of(s, ids), replies.counts_of(s, ids)
    out = []
    for d in lines:
        r = last.get(d.notice.id)
        latest = None
        if r is not None:
            latest = {
                "id": r.id,
                "at": _utc(r.at).isoformat(),
                "username": r.username,
                "report": r.report_id,
                "state": r.state,
                "label": r.label,
                "decision": r.decision,
                "decided_by": r.decided_by,
                "decided_at": _utc(r.decided_at).isoformat() if r.decided_at else None,
            }
        out.append({**as_dict(d), "replies": counts.get(d.notice.id, 0), "latest_reply": latest})
    return out


@router.post(
    "/rectifications",
    response_model=Rectification,
    status_code=201,
    responses=REFUSED,
    summary="发出审查意见并登记整改期限（所列问题为报告未撤销的错误、警告和已确认的问题）",
)
def issue_notice(body: IssueBody, caller: ApiCaller, s: Db) -> Any:
    made = issue_step(s, caller, body.report, body.deadline, body.office)
    return _one(s, made.id)


@router.post(
    "/rectifications/{notice_id}/rectified",
    response_model=Rectification,
    responses=REFUSED,
    summary="登记已整改（须写明整改情况）",
)
def mark_rectified(notice_id: NoticeId, body: RectifiedBody, caller: ApiCaller, s: Db) -> Any:
    rectified_step(s, caller, notice_id, body.note)
    return _one(s, notice_id)


class DecisionBody(BaseModel):
    note: str = Field(min_length=1, max_length=2000, description="审核意见（通过）或退回理由")


@router.post(
    "/rectifications/{notice_id}/accept",
    response_model=Rectification,
    responses=REFUSED,
    summary="整改反馈审核通过：登记已整改（须写明审核意见）",
)
def accept_reply(notice_id: NoticeId, body: DecisionBody, caller: ApiCaller, s: Db) -> Any:
    decide_step(s, caller, notice_id, True, body.note)
    return _one(s, notice_id)


@router.post(
    "/rectifications/{notice_id}/return",
    response_model=Rectification,
    responses=REFUSED,
    summary="退回整改反馈：重新为待整改（须写明理由，被通知机关可见）",
)
def return_reply(notice_id: NoticeId, body: DecisionBody, caller: ApiCaller, s: Db) -> Any:
    decide_step(s, caller, notice_id, False, body.note)
    return _one(s, notice_id)


class Explanation(BaseModel):
    finding: int = Field(ge=0, le=100000, description="所列问题的序号（从 0 起）")
    text: str = Field(min_length=1, max_length=replies.MAX_EXPLANATION, description="情况说明")


class ReplyBody(BaseModel):
    text: str = Field(min_length=1, max_length=replies.MAX_TEXT, description="整改情况")
    report: int | None = Field(
        default=None,
        ge=1,
        le=2**31 - 1,
        description="随反馈提交的新版本报告编号（先用 POST /api/v1/reports 上传）",
    )
    explanations: list[Explanation] = Field(
        default_factory=list,
        max_length=1000,
        description="对所列问题的情况说明（认为不成立的理由）",
    )


class Reply(BaseModel):
    id: int = Field(description="整改反馈编号")
    notice: int = Field(description="审查意见编号")
    text: str
    report: int | None = Field(description="随反馈提交的新版本报告编号")
    explanations: list[Explanation]
    state: str = Field(
        description="submitted（待审核）| accepted（已通过）| returned（已退回）| closed（已结束）"
    )
    label: str
    decision: str = Field(description="审核意见或退回理由")
    decided_by: str | None
    decided_at: str | None = Field(description="审核时间（UTC）")
    username: str | None = Field(description="提交人")
    at: str = Field(description="提交时间（UTC）")


class ReplyList(BaseModel):
    notice: int
    status: str = Field(description="审查意见的状态（同 Rectification.status）")
    replies: list[Reply]


def _reply(r: replies.NoticeReply) -> dict[str, Any]:
    return {
        "id": r.id,
        "notice": r.notice_id,
        "text": r.text,
        "report": r.report_id,
        "explanations": [{"finding": e["finding"], "text": e["text"]} for e in r.explanations],
        "state": r.state,
        "label": r.label,
        "decision": r.decision,
        "decided_by": r.decided_by,
        "decided_at": _utc(r.decided_at).isoformat() if r.decided_at else None,
        "username": r.username,
        "at": _utc(r.at).isoformat(),
    }


@router.get(
    "/notices/{notice_id}/replies",
    response_model=ReplyList,
    summary="一份审查意见的整改反馈（最早的在前）",
)
def list_replies(notice_id: NoticeId, caller: ApiCaller, s: Db) -> Any:
    n = notice_in_scope(s, caller, notice_id)
    return {
        "notice": n.id,
        "status": n.status_on(rectify_pages._today()),
        "replies": [_reply(r) for r in replies.replies_of(s, n.id)],
    }


@router.post(
    "/notices/{notice_id}/replies",
    response_model=Reply,
    status_code=201,
    responses=REFUSED,
    summary="被通知机关的填报人员提交整改反馈（审查意见随即为“已反馈，待审核”）",
)
def add_reply(notice_id: NoticeId, body: ReplyBody, caller: ApiCaller, s: Db) -> Any:
    said: dict[int, str] = {}
    for e in body.explanations:
        said[e.finding] = e.text
    return _reply(reply_step(s, caller, notice_id, body.text, said, report_id=body.report))
