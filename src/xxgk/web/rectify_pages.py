"""年报审查意见 as issued and where their corrections stand (整改): issuing a notice
records it with its 整改期限 (``store.notice_models``), the due list
``/rectifications`` shows 待整改 / 逾期未整改 / 已整改 with the days left and what the
newest version of the report still has, and a supervisor may mark one 已整改 by hand
(with a note).  A later version of the report without the noticed findings settles it
(``history.after_finish`` calls ``notice_models.settle``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from ..office import soffice
from ..store import notice_models as notices
from ..store import reply_models as replies
from ..store import reports
from ..store import review_models as review
from ..store.models import StoredReport, User
from .auth import Caller, Db, PageCaller, ReportId, check_csrf, here, writing
from .errors import ApiError
from .pages import render, templates
from .report_view import attachment
from .service import _utc
from .supervise_pages import _DOCX, Text, Year, _ids, _latest, _may_decide, _notice_docx
from .supervise_pages import _open_findings as open_findings

router = APIRouter(include_in_schema=False)

NoticeId = Annotated[int, Path(ge=1, le=2**31 - 1, description="审查意见编号")]
FormText = Annotated[str, Form(max_length=2000)]


def _today() -> date:
    return date.today()


def _next(target: str, fallback: str) -> str:
    ok = target.startswith("/") and not target.startswith("//") and "\\" not in target
    return target if ok else fallback


def _deadline(text: str, issued: date) -> date:
    """The 整改期限 of a form: a date, or (empty) DEFAULT_DAYS after issuing."""
    from ..supervise.notice import DEFAULT_DAYS

    if not text.strip():
        return issued + timedelta(days=DEFAULT_DAYS)
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ApiError(422, f"整改期限“{text}”不是日期（应为 年-月-日，如 2024-06-30）") from None
    if day < issued:
        raise ApiError(422, "整改期限不能早于发文日期")
    return day


def notice_in_scope(s: Session, caller: Caller, notice_id: int) -> notices.IssuedNotice:
    """The notice (404 when it does not exist or its report lies outside the scope)."""
    n = s.get(notices.IssuedNotice, notice_id)
    if n is None or reports.get(s, reports.scope_of(s, caller.user), n.report_id) is None:
        raise ApiError(404, "没有这份审查意见，或它不在您的管理范围内")
    return n


def _pending(s: Session, row: StoredReport) -> list[notices.IssuedNotice]:
    """The notices not yet settled (待整改, 已反馈) on any version of ``row``'s report."""
    found = notices.of_reports(s, [row]).get((row.agency_id, row.year), [])
    return [n for n in found if n.status in notices.OPEN]


def _issue(
    s: Session, user: User, row: StoredReport, deadline: date, office: str, today: date
) -> notices.IssuedNotice | None:
    """Issue a notice on ``row`` (None when it has no open finding or already has a
    pending notice)."""
    if row.status != "done" or row.result is None:
        return None
    if _pending(s, row):
        return None
    found = open_findings(row, review.decisions(s, [row.file_sha256]))
    if not found:
        return None
    from ..supervise.notice import DEFAULT_OFFICE

    return notices.issue(s, user, row, found, today, deadline, office.strip() or DEFAULT_OFFICE)


@router.post("/notices/{report_id}/issue")
def issue_one(
    report_id: ReportId,
    caller: PageCaller,
    s: Db,
    deadline: FormText = "",
    office: Annotated[str, Form(max_length=100)] = "",
    csrf: FormText = "",
    next_url: Annotated[str, Form(alias="next", max_length=2000)] = "",
) -> Response:
    """发出审查意见: the notice is recorded with its 整改期限 and goes on the due list."""
    check_csrf(caller, csrf)
    made = issue_step(s, caller, report_id, deadline, office)
    return RedirectResponse(_next(next_url, f"/rectifications?year={made.year or ''}"), 303)


def issue_step(
    s: Session, caller: Caller, report_id: int, deadline: str, office: str
) -> notices.IssuedNotice:
    """Issue a notice on one report (the page and the API): 403 unless a supervisor or
    an admin, 404 outside the scope, 422 a bad deadline, 409 when a notice on the
    agency's report for the year is still pending or nothing is open."""
    if not _may_decide(caller.user):
        raise ApiError(403, "只有监督人员可以发出审查意见")
    row = reports.get(s, reports.scope_of(s, caller.user), report_id)
    if row is None:
        raise ApiError(404, "没有这份报告，或它不在您的管理范围内")
    if row.agency_id is None:
        raise ApiError(409, "这份报告尚未归属机关，请先在报告页指定机关，再发出审查意见")
    today = _today()
    day = _deadline(deadline, today)
    with writing(s):
        pending = _pending(s, row)
        if pending:
            raise ApiError(
                409,
                f"已对该机关这一年度的报告发出审查意见（第 {pending[0].id} 号），尚未整改："
                "请先在“整改到期”中登记整改情况",
            )
        made = _issue(s, caller.user, row, day, office, today)
        if made is None:
            raise ApiError(409, "这份报告没有未撤销的问题，无需发出审查意见")
    return made


@router.post("/notices/issue")
def issue_all(
    caller: PageCaller,
    s: Db,
    year_text: Annotated[str, Form(alias="year", max_length=8)] = "",
    region: Annotated[str, Form(max_length=200)] = "",
    deadline: FormText = "",
    office: Annotated[str, Form(max_length=100)] = "",
    csrf: FormText = "",
) -> Response:
    """Issue a notice to every agency of the list (year, region) with open findings
    and no pending notice yet."""
    check_csrf(caller, csrf)
    if not _may_decide(caller.user):
        raise ApiError(403, "只有监督人员可以发出审查意见")
    if year_text.strip() and not year_text.strip().isdigit():
        raise ApiError(422, f"年度“{year_text}”不是数字")
    year = int(year_text) if year_text.strip() else None
    scope, ids = _ids(s, caller.user, region.strip())
    today = _today()
    day = _deadline(deadline, today)
    with writing(s):
        made = [
            n
            for r in _latest(s, scope, ids, year)
            if (n := _issue(s, caller.user, r, day, office, today)) is not None
        ]
    if not made:
        raise ApiError(409, "没有需要发出审查意见的报告（均无未撤销问题，或已发出尚未整改）")
    query = urlencode({"year": year or "", "region": region.strip()})
    return RedirectResponse(f"/rectifications?{query}", status_code=303)


@router.get("/notices/issued/{notice_id}.{fmt}")
def issued_document(notice_id: NoticeId, fmt: str, caller: PageCaller, s: Db) -> Response:
    """The notice as it was issued: its findings, date and 整改期限."""
    from ..supervise import notice as texts

    if fmt not in ("docx", "pdf"):
        raise ApiError(404, "审查意见只能下载 DOCX 或 PDF")
    n = notice_in_scope(s, caller, notice_id)
    name, data = _notice_docx(n.report, list(n.findings), n.deadline, n.office, n.issued)
    if fmt == "docx":
        return attachment(data, name, _DOCX)
    try:
        pdf = texts.to_pdf(data)
    except texts.NoticeError as exc:
        raise ApiError(503, str(exc)) from None
    return attachment(pdf, name.rsplit(".", 1)[0] + ".pdf", "application/pdf")


def due_lines(
    s: Session, user: User, year: int | None, region: str, status: str, api: bool = False
) -> list[notices.Due]:
    """The due list of the caller's scope (a bad status: 422; a region outside the
    scope: 422 on a page, 404 in the API as elsewhere)."""
    if status and status not in notices.STATUSES:
        raise ApiError(422, f"状态“{status}”不对，可选：{'、'.join(notices.STATUSES)}")
    try:
        _, ids = _ids(s, user, region.strip())
    except ApiError as exc:
        raise ApiError(404 if api else exc.status_code, str(exc.detail)) from None
    return notices.due(s, ids, _today(), year, status or None)


def summary(s: Session, user: User, year: int | None, region: str) -> dict[str, int]:
    """The dashboard's counts: 待整改, 逾期未整改, 7 日内到期, 已反馈（待审核）, 已整改,
    无需整改."""
    lines = due_lines(s, user, year, region, "")
    counts = {k: sum(1 for d in lines if d.status == k) for k in notices.STATUSES}
    return {**counts, "soon": sum(1 for d in lines if d.soon), "days": notices.SOON_DAYS}


@router.get("/rectifications", response_class=HTMLResponse)
def rectifications_page(
    request: Request,
    caller: PageCaller,
    s: Db,
    year: Year = None,
    region: Text = "",
    status: Text = "",
) -> Response:
    """整改到期: every notice issued in the scope, overdue first, then by deadline."""
    lines = due_lines(s, caller.user, year, region, status.strip())
    ids = [d.notice.id for d in lines]
    return render(
        request,
        "rectifications.html",
        caller=caller,
        lines=lines,
        answered=replies.latest_of(s, ids),  # the latest answer to each (as the API)
        answers=replies.counts_of(s, ids),
        year=year,
        region=region,
        wanted=status.strip(),
        statuses=notices.STATUSES,
        soon_days=notices.SOON_DAYS,
        may_decide=_may_decide(caller.user),
        pdf=soffice() is not None,
        here=here(request),
    )


@router.post("/rectifications/{notice_id}/done")
def mark_done(
    notice_id: NoticeId,
    caller: PageCaller,
    s: Db,
    note: FormText = "",
    csrf: FormText = "",
    next_url: Annotated[str, Form(alias="next", max_length=2000)] = "",
) -> Response:
    """已整改, marked by a supervisor (a note is required: what was seen)."""
    check_csrf(caller, csrf)
    rectified_step(s, caller, notice_id, note)
    return RedirectResponse(_next(next_url, "/rectifications"), status_code=303)


def rectified_step(s: Session, caller: Caller, notice_id: int, note: str) -> None:
    """已整改 by hand (the page and the API): 403, 404, 422 without a note, 409 when it
    is rectified already."""
    if not _may_decide(caller.user):
        raise ApiError(403, "只有监督人员可以确认整改")
    n = notice_in_scope(s, caller, notice_id)
    if not note.strip():
        raise ApiError(422, "请写明整改情况（如：已重新发布，经核实问题已改正）")
    with writing(s):
        try:
            notices.mark_rectified(s, caller.user, n, note.strip(), None)
        except notices.NoticeError as exc:
            raise ApiError(409, str(exc)) from None


def as_dict(d: notices.Due) -> dict[str, Any]:
    """One line of the due list as the API answers it."""
    n = d.notice
    return {
        "id": n.id,
        "report": n.report_id,
        "agency": n.agency.name if n.agency is not None else None,
        "agency_id": n.agency_id,
        "year": n.year,
        "issued": n.issued.isoformat(),
        "deadline": n.deadline.isoformat(),
        "days_left": d.days,
        "status": d.status,
        "label": d.label,
        "office": n.office,
        "findings": [
            {
                "code": str(f.get("code", "")),
                "severity": str(f.get("severity", "")),
                "message": str(f.get("message", "")),
                "cells": [str(c) for c in f.get("cells") or []],
            }
            for f in n.findings
        ],
        "latest_report": d.latest.id if d.latest is not None else None,
        "remaining": len(d.left) if d.status != "rectified" else 0,
        "settled_at": _utc(n.settled_at).isoformat() if n.settled_at else None,
        "settled_report": n.settled_report_id,
        "settled_by": n.settled_by,
        "note": n.note,
    }


def notice_line(request: Request, report_id: int) -> list[dict[str, Any]]:
    """The report page's line of notices issued on this agency's report for the year
    (a template global: the page checked the scope)."""
    from .auth import store_of

    with store_of(request).readers() as s:
        row = s.get(StoredReport, report_id)
        if row is None or row.agency_id is None:
            return []
        today = _today()
        return [
            {
                "id": n.id,
                "issued": n.issued.isoformat(),
                "deadline": n.deadline.isoformat(),
                "status": n.status_on(today),
                "label": notices.STATUSES[n.status_on(today)],
                "here": n.report_id == row.id,
            }
            for n in notices.of_reports(s, [row]).get((row.agency_id, row.year), [])
        ]


templates.env.globals["notice_line"] = notice_line
