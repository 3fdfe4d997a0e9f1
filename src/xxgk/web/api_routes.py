"""``/api/v1``: the same operations as the pages, for other systems (bearer token)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import select

from ..store import reports
from ..store.models import Agency
from . import service
from .auth import ApiCaller, Db, ReportId, store_of, writing
from .errors import ERROR_RESPONSES, ApiError

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)


class UploadAnswer(BaseModel):
    id: int
    status: str
    duplicate: bool = False


class ReportSummary(BaseModel):
    id: int
    status: str = Field(description="queued | processing | done | failed")
    filename: str
    sha256: str
    agency: str | None = Field(description="the agency it is filed under (null: 待归属)")
    agency_reported: str | None = Field(description="the agency as the report names it")
    year: int | None
    format: str | None
    version: int | None
    uploaded: str
    uploader: str | None
    error: str | None
    errors: int
    warnings: int


class ReportDetail(ReportSummary):
    tables: dict[str, Any] | None = Field(description="as `xxgk check --json` prints them")
    findings: list[dict[str, Any]] | None = Field(description="as `xxgk check --json` prints them")


class ReportList(BaseModel):
    total: int = Field(description="符合条件的报告数（不受 offset/limit 影响）")
    offset: int
    limit: int
    reports: list[ReportSummary]


class ArchiveAnswer(BaseModel):
    archive: str = Field(description="上传的压缩包")
    reports: list[UploadAnswer] = Field(description="其中每份报告（已上传过的 duplicate 为 true）")
    refused: list[str] = Field(description="未读取的文件及原因（套娃压缩包、过大的文件等）")


class AgencyEntry(BaseModel):
    id: int
    name: str
    level: str = Field(description="省 | 市 | 县 | 乡 | 部门")
    parent: str | None
    aliases: list[str]


class AgencyList(BaseModel):
    agencies: list[AgencyEntry]


class AssignBody(BaseModel):
    agency: str = Field(min_length=1, max_length=200)


def _read_limited(file: UploadFile) -> bytes:
    data = file.file.read(service.MAX_UPLOAD + 1)
    if len(data) > service.MAX_UPLOAD:
        raise ApiError(413, f"{service.safe_filename(file.filename)}：文件超过 64 MB")
    return data


@router.post(
    "/reports",
    status_code=201,
    response_model=UploadAnswer | ArchiveAnswer,
    responses={
        200: {"model": UploadAnswer, "description": "相同内容已上传过（duplicate）"},
        201: {
            "model": UploadAnswer | ArchiveAnswer,
            "description": "已上传；压缩包（.zip）为其中每份报告（ArchiveAnswer）",
        },
    },
    summary="上传一份报告，或一个装有报告的 .zip 压缩包",
)
def upload_report(
    request: Request,
    file: Annotated[UploadFile, File(description="报告文件，或装有报告的 .zip 压缩包")],
    caller: ApiCaller,
    s: Db,
    agency: Annotated[str | None, Form(max_length=200)] = None,
) -> Any:
    data = _read_limited(file)
    if service.is_archive(file.filename):  # its reports, as the upload page takes them
        with writing(s):
            stored, refused = service.upload_archive(
                s, store_of(request), caller.user, data, file.filename, agency
            )
            answers = [{"id": r.id, "status": r.status, "duplicate": dup} for r, dup in stored]
        request.app.state.worker.wake()
        return ArchiveAnswer(
            archive=service.safe_filename(file.filename),
            reports=[UploadAnswer(**a) for a in answers],
            refused=refused,
        )
    with writing(s):  # committed before the worker looks
        report, duplicate = service.upload(
            s, store_of(request), caller.user, data, file.filename, agency
        )
        answer = {"id": report.id, "status": report.status}
    if duplicate:
        return JSONResponse({**answer, "duplicate": True}, status_code=200)
    request.app.state.worker.wake()
    return UploadAnswer(**answer)


@router.get("/reports", response_model=ReportList, summary="报告列表（在您的范围内，新的在前）")
def list_reports(
    caller: ApiCaller,
    s: Db,
    agency: Annotated[str | None, Query(max_length=200)] = None,
    year: Annotated[int | None, Query(ge=1900, le=9999)] = None,
    unassigned: bool = False,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1, description="跳过前若干份")] = 0,
    limit: Annotated[int, Query(ge=1, le=500, description="本页至多几份")] = 500,
) -> Any:
    scope = reports.scope_of(s, caller.user)
    ids = service.agency_filter(s, agency)
    rows = reports.listing(s, scope, ids, year, unassigned, limit=limit, offset=offset)
    return {
        "total": reports.listing_total(s, scope, ids, year, unassigned),
        "offset": offset,
        "limit": limit,
        "reports": [service.describe(r, full=False) for r in rows],
    }


@router.get("/reports/{report_id}", response_model=ReportDetail, summary="一份报告及其核查结果")
def get_report(report_id: ReportId, caller: ApiCaller, s: Db) -> Any:
    report = reports.get(s, reports.scope_of(s, caller.user), report_id)
    if report is None:
        raise ApiError(404, f"没有编号为 {report_id} 的报告")
    return service.describe(report)


@router.post(
    "/reports/{report_id}/agency", response_model=ReportSummary, summary="为待归属报告指定机关"
)
def assign_agency(
    report_id: ReportId,
    body: AssignBody,
    caller: ApiCaller,
    s: Db,
) -> Any:
    with writing(s):
        report = service.assign(s, caller.user, report_id, body.agency)
    return service.describe(report, full=False)


@router.get("/agencies", response_model=AgencyList, summary="机关目录（在您的范围内）")
def list_agencies(caller: ApiCaller, s: Db) -> Any:
    scope = reports.scope_of(s, caller.user)
    rows = s.scalars(select(Agency).order_by(Agency.id))
    return {
        "agencies": [
            {
                "id": a.id,
                "name": a.name,
                "level": a.level,
                "parent": a.parent.name if a.parent is not None else None,
                "aliases": [x.alias for x in a.aliases],
            }
            for a in rows
            if scope.agencies is None or a.id in scope.agencies
        ]
    }
