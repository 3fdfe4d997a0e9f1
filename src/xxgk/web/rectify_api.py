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
from .errors import ERROR_RESPONSES
from .rectify_pages import NoticeId, as_dict, due_lines, notice_in_scope

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)


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
    n = notice_in_scope(s, caller, notice_id)
    found = notices.due(s, None, rectify_pages._today(), report_ids=[n.report_id])
    return as_dict(next(d for d in found if d.notice.id == n.id))
