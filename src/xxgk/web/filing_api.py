"""``/api/v1/filings``: filing before publishing (报送审核) for other systems — the list of
a year's filings in the caller's scope (with who has not submitted by the deadline),
one filing with its dated steps, and the steps themselves: submit, return with a
reason, approve (a draft with errors only with an override reason), publish.

The same functions as the pages (``filing_pages``: who may see and do what, the list,
the publish step that checks the published file against the approved draft) and the
same store functions (``store.filing_models``: the steps, their events and audit)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from ..store import filing_models as filing
from ..store import reports
from ..store.models import User
from ..supervise import stored
from .auth import ApiCaller, Caller, Db, store_of, writing
from .errors import ERROR_RESPONSES, ApiError, ErrorBody
from .filing_pages import (
    FilingId,
    _names,
    default_year,
    filing_in_scope,
    overview,
    publish_step,
    report_in_scope,
    supervises,
    years_of,
)
from .service import _utc

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)

STEP_REFUSED: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorBody, "description": "报送当前的状态不允许这一步（如未报送的不能审核）"}
}
ReportRef = Annotated[int, Field(ge=1, le=2**31 - 1, description="报告编号")]
Value = int | float | None


class FilingStep(BaseModel):
    state: str = Field(description="submitted | returned | approved | published")
    label: str = Field(description="报送 | 退回修改 | 审核通过 | 已发布")
    report: int | None = Field(description="这一步所涉报告的编号")
    reason: str = Field(description="理由或说明（退回理由、仍予通过的理由、与审核稿的比较）")
    user: str | None
    at: str = Field(description="时间（UTC，ISO 8601）")


class FilingLine(BaseModel):
    agency: str
    agency_id: int
    year: int
    filing: int | None = Field(description="报送编号（尚未报送：null）")
    state: str = Field(description="draft | submitted | returned | approved | published")
    label: str = Field(description="起草 | 报送 | 退回修改 | 审核通过 | 已发布")
    report: int | None = Field(description="报送稿的报告编号")
    published: int | None = Field(description="发布稿的报告编号")
    deadline: str = Field(description="报送期限（本地规定，未规定的为法定时限）")
    deadline_source: str
    late: bool = Field(description="期限已过仍未报送，或在期限之后报送")
    submitted: str | None = Field(description="最近一次报送的时间（UTC）")
    errors: int | None = Field(description="报送稿中未认定不成立的错误数")
    may_decide: bool = Field(description="您可以审核通过或退回")


class FilingList(BaseModel):
    year: int
    total: int = Field(description="符合条件的机关数（不受 offset/limit 影响）")
    offset: int
    limit: int
    filings: list[FilingLine]


class CellDifference(BaseModel):
    cell: str
    label: str
    approved: Value = Field(description="审核通过稿的数值")
    published: Value = Field(description="发布稿的数值")


class FilingDetail(FilingLine):
    override: str | None = Field(description="有错误仍予通过的理由")
    approved_sha256: str | None = Field(description="审核通过稿文件的 SHA-256")
    differences: list[CellDifference] = Field(
        description="发布稿与审核通过稿数值不同的单元格（发布稿的 FIL-001）"
    )
    steps: list[FilingStep]


class SubmitBody(BaseModel):
    report: ReportRef


class ReturnBody(BaseModel):
    reason: str = Field(min_length=1, max_length=2000, description="退回理由")


class ApproveBody(BaseModel):
    override: str = Field(
        default="", max_length=2000, description="报送稿有错误时仍予通过的理由（有错误时必填）"
    )


class PublishBody(BaseModel):
    report: ReportRef = Field(description="发布稿（同一机关、同一年度、已核查完毕的报告）")


def _line(line: dict[str, Any], year: int) -> dict[str, Any]:
    f: filing.Filing | None = line["filing"]
    state = f.state if f is not None else "draft"
    return {
        "agency": line["agency"].name,
        "agency_id": line["agency"].id,
        "year": year,
        "filing": f.id if f is not None else None,
        "state": state,
        "label": filing.STATES[state],
        "report": f.report_id if f is not None else None,
        "published": f.published_id if f is not None else None,
        "deadline": line["deadline"].isoformat(),
        "deadline_source": line["source"],
        "late": bool(line["late"]),
        "submitted": _utc(f.submitted).isoformat() if f is not None and f.submitted else None,
        "errors": line.get("errors"),
        "may_decide": bool(line.get("supervises")),
    }


def _detail(s: Session, user: User, f: filing.Filing) -> dict[str, Any]:
    line = overview(s, user, {f.agency_id}, f.year, date.today())[0]
    name = _names(f.report.format if f.report is not None else None)
    return {
        **_line(line, f.year),
        "override": f.override,
        "approved_sha256": f.approved_sha256,
        "differences": [
            {
                "cell": d.get("cell", ""),
                "label": name(str(d.get("cell", ""))),
                "approved": d.get("approved"),
                "published": d.get("published"),
            }
            for d in f.differences or []
        ],
        "steps": [
            {
                "state": e.state,
                "label": filing.STATES[e.state],
                "report": e.report_id,
                "reason": e.reason,
                "user": e.username,
                "at": _utc(e.at).isoformat(),
            }
            for e in f.events
        ],
    }


@router.get("/filings", response_model=FilingList, summary="报送审核列表（在您的范围内）")
def list_filings(
    caller: ApiCaller,
    s: Db,
    year: Annotated[
        int | None,
        Query(
            ge=1990,
            le=2100,
            description="报告年度（默认：范围内有报告或报送的最近年度，都没有时为上一年）",
        ),
    ] = None,
    region: Annotated[str | None, Query(max_length=200, description="地区或机关名称")] = None,
    state: Annotated[
        str | None,
        Query(
            max_length=16,
            description="draft（未报送）| submitted | returned | approved | published",
        ),
    ] = None,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Any:
    if state is not None and state not in filing.STATES:
        raise ApiError(422, f"状态“{state}”不对，可选：{'、'.join(filing.STATES)}")
    scope = reports.scope_of(s, caller.user)
    try:
        ids = stored.within(s, scope, region.strip() if region and region.strip() else None)
    except LookupError:
        raise ApiError(404, f"没有名为“{region}”的地区或机关，或它不在您的管理范围内") from None
    if year is None:
        year = default_year(years_of(s, scope, ids))
    lines = [_line(line, year) for line in overview(s, caller.user, ids, year, date.today())]
    if state is not None:
        lines = [line for line in lines if line["state"] == state]
    return {
        "year": year,
        "total": len(lines),
        "offset": offset,
        "limit": limit,
        "filings": lines[offset : offset + limit],
    }


@router.get("/filings/{filing_id}", response_model=FilingDetail, summary="一份报送及其各步骤")
def get_filing(filing_id: FilingId, caller: ApiCaller, s: Db) -> Any:
    return _detail(s, caller.user, filing_in_scope(s, caller, filing_id))


@router.post(
    "/filings",
    response_model=FilingDetail,
    responses=STEP_REFUSED,
    summary="报送：把一份已核查的报告报送上级审核",
)
def submit_filing(body: SubmitBody, caller: ApiCaller, s: Db) -> Any:
    row = report_in_scope(s, caller, body.report)
    try:
        with writing(s):
            f = filing.submit(s, caller.user, row)
            fid = f.id
    except filing.FilingError as exc:
        raise ApiError(409, str(exc)) from None
    return _detail(s, caller.user, filing_in_scope(s, caller, fid))


def _supervisor_step(s: Session, caller: Caller, filing_id: int, refused: str) -> filing.Filing:
    f = filing_in_scope(s, caller, filing_id)
    if not supervises(caller.user, f.agency_id, s):
        raise ApiError(403, refused)
    return f


@router.post(
    "/filings/{filing_id}/return",
    response_model=FilingDetail,
    responses=STEP_REFUSED,
    summary="退回修改（须写明理由）",
)
def return_filing(filing_id: FilingId, body: ReturnBody, caller: ApiCaller, s: Db) -> Any:
    f = _supervisor_step(s, caller, filing_id, "只有上级监督人员可以退回报送的报告")
    try:
        with writing(s):
            filing.give_back(s, caller.user, f, body.reason)
    except filing.FilingError as exc:
        raise ApiError(409, str(exc)) from None
    return _detail(s, caller.user, filing_in_scope(s, caller, filing_id))


@router.post(
    "/filings/{filing_id}/approve",
    response_model=FilingDetail,
    responses=STEP_REFUSED,
    summary="审核通过（报送稿有错误时须给出仍予通过的理由）",
)
def approve_filing(
    filing_id: FilingId, caller: ApiCaller, s: Db, body: ApproveBody | None = None
) -> Any:
    f = _supervisor_step(s, caller, filing_id, "只有上级监督人员可以审核报送的报告")
    try:
        with writing(s):
            filing.approve(s, caller.user, f, body.override if body is not None else "")
    except filing.FilingError as exc:
        raise ApiError(409, str(exc)) from None
    return _detail(s, caller.user, filing_in_scope(s, caller, filing_id))


@router.post(
    "/filings/{filing_id}/publish",
    response_model=FilingDetail,
    responses=STEP_REFUSED,
    summary="登记发布稿（与审核通过稿比较，数值不同的单元格为 FIL-001）",
)
def publish_filing(
    request: Request, filing_id: FilingId, body: PublishBody, caller: ApiCaller, s: Db
) -> Any:
    f = filing_in_scope(s, caller, filing_id)
    row = report_in_scope(s, caller, body.report)
    try:
        with writing(s):
            publish_step(s, store_of(request), caller.user, f, row)
    except filing.FilingError as exc:
        raise ApiError(409, str(exc)) from None
    return _detail(s, caller.user, filing_in_scope(s, caller, filing_id))
