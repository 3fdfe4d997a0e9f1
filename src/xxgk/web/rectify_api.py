"""``/api/v1/rectifications``: the notices issued in the caller's scope with their
整改期限 and status (待整改 / 逾期未整改 / 已整改) — the due list of
``/rectifications`` (``rectify_pages.due_lines``), for other systems."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from ..store import notice_models as notices
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

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)

REFUSED: dict[int | str, dict[str, Any]] = {
    409: {
        "model": ErrorBody,
        "description": "已发出尚未整改的审查意见、没有未撤销的问题，或已经整改",
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


class Rectification(BaseModel):
    id: int = Field(description="审查意见编号")
    report: int = Field(description="审查意见所针对的报告编号")
    agency: str | None
    agency_id: int | None
    year: int | None
    issued: str = Field(description="发文日期（ISO 8601）")
    deadline: str = Field(description="整改期限（ISO 8601）")
    days_left: int = Field(description="距整改期限的天数（负数：已逾期的天数）")
    status: str = Field(description="pending（待整改）| overdue（逾期未整改）| rectified（已整改）")
    label: str = Field(description="待整改 | 逾期未整改 | 已整改")
    office: str = Field(description="发文单位")
    findings: list[NoticedFinding] = Field(description="审查意见所列问题（发出时的原文）")
    latest_report: int | None = Field(description="该机关同一年度报告的最新已核查版本")
    remaining: int = Field(description="最新版本中仍存在的所列问题数（已整改：0）")
    settled_at: str | None = Field(description="登记已整改的时间（UTC）")
    settled_report: int | None = Field(description="消除了所列问题的新版本报告编号")
    settled_by: str | None = Field(description="登记已整改的监督人员（自动登记：null）")
    note: str = Field(description="整改情况说明")


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
        Query(max_length=16, description="pending | overdue | rectified"),
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
        "rectifications": [as_dict(d) for d in lines[offset : offset + limit]],
    }


@router.get(
    "/rectifications/{notice_id}", response_model=Rectification, summary="一份审查意见的整改情况"
)
def get_rectification(notice_id: NoticeId, caller: ApiCaller, s: Db) -> Any:
    return _one(s, notice_in_scope(s, caller, notice_id).id)


def _one(s: Any, notice_id: int) -> dict[str, Any]:
    n = s.get(notices.IssuedNotice, notice_id)
    found = notices.due(s, None, rectify_pages._today(), report_ids=[n.report_id])
    return as_dict(next(d for d in found if d.notice.id == notice_id))


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
