"""整改反馈 on the pages: one notice's page ``/rectifications/{id}`` (its findings with
links to where each stands in the report, the answers and their outcome), the noticed
agency's answer (a clerk of that agency: a text, optionally a new version of the
report — the upload path, checked, settling the notice when the findings are gone —
and an explanation per finding), and the supervisor's acceptance (已整改, with a
note) or return (待整改 again, with a reason).  The steps are what the API
(``rectify_api``) calls too; the clerk's list of their agency's notices is a template
global (``my_notices``: the home page)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store import notice_models as notices
from ..store import reply_models as replies
from ..store import reports
from ..store.base import Store
from ..store.models import StoredReport, User
from . import service
from .auth import Caller, Db, PageCaller, check_csrf, here, store_of, writing
from .errors import ApiError
from .pages import render, templates
from .rectify_pages import NoticeId, _today, notice_in_scope
from .supervise_pages import _may_decide

router = APIRouter(include_in_schema=False)

# a form's field: the checks below give the Chinese line for a text too long
Long = Annotated[str, Form(max_length=20000)]
Csrf = Annotated[str, Form(max_length=200)]


def may_reply(user: User, n: notices.IssuedNotice) -> bool:
    """A clerk of the noticed agency answers for it."""
    return user.role == "clerk" and n.agency_id is not None and user.scope_id == n.agency_id


def _refused(exc: notices.NoticeError) -> ApiError:
    return ApiError(422 if isinstance(exc, replies.ReplyInvalid) else 409, str(exc))


def reply_step(
    s: Session,
    caller: Caller,
    notice_id: int,
    text: str,
    explanations: dict[int, str],
    report_id: int | None = None,
    upload: tuple[Store, bytes, str] | None = None,
) -> replies.NoticeReply:
    """The agency's answer (the page and the API): 404 outside the scope (another
    agency's clerk), 403 unless a clerk of the noticed agency, 422 an empty or too long
    text or a bad report, 409 when the notice is settled or an answer awaits review.
    ``report_id`` names a new version uploaded before (the API), ``upload`` one sent
    with the answer (store, bytes, file name: the page)."""
    n = notice_in_scope(s, caller, notice_id)
    if not may_reply(caller.user, n):
        raise ApiError(403, "只有被通知机关的填报人员可以提交整改反馈")
    with writing(s):
        s.refresh(n, with_for_update=True)  # two answers at once: one waits, then 409
        if n.status in notices.OPEN and not text.strip():
            raise ApiError(422, "请填写整改反馈（整改了什么、怎样整改的）")
        if report_id is not None:
            row = reports.get(s, reports.scope_of(s, caller.user), report_id)
            if row is None or row.agency_id != n.agency_id:
                raise ApiError(422, f"报告 {report_id} 不是本机关上传的报告")
            if row.id == n.report_id:
                raise ApiError(
                    422, f"报告 {report_id} 就是审查意见所针对的版本，请上传改正后的新版本"
                )
        if upload is not None and n.status == "pending":
            store, data, name = upload
            row, duplicate = service.upload(s, store, caller.user, data, name, None)
            if duplicate:
                raise ApiError(
                    422,
                    f"{service.safe_filename(name)}：与已上传的报告 {row.id} 内容相同，"
                    "请上传改正后的新版本",
                )
            report_id = row.id
        try:
            return replies.submit(s, caller.user, n, text, explanations, report_id)
        except notices.NoticeError as exc:
            raise _refused(exc) from None


def decide_step(s: Session, caller: Caller, notice_id: int, accept: bool, words: str) -> None:
    """The supervisor accepts (``words``: the note) or returns (the reason) the answer
    awaiting review: 403, 404, 422 without words, 409 when none awaits review."""
    if not _may_decide(caller.user):
        raise ApiError(403, "只有监督人员可以审核整改反馈")
    n = notice_in_scope(s, caller, notice_id)
    if not words.strip():
        raise ApiError(422, "请写明审核意见" if accept else "请写明退回的理由（被通知机关会看到）")
    with writing(s):
        s.refresh(n, with_for_update=True)
        try:
            if accept:
                replies.accept(s, caller.user, n, words.strip())
            else:
                replies.give_back(s, caller.user, n, words.strip())
        except notices.NoticeError as exc:
            raise ApiError(409, str(exc)) from None


def _where(row: StoredReport | None, finding: dict[str, Any]) -> int | None:
    """The index of ``finding`` among ``row``'s findings (its place on the report page)."""
    if row is None or row.result is None:
        return None
    wanted = notices.match_of(finding)
    for i, f in enumerate(row.result.get("findings") or []):
        if notices.match_of(f) == wanted:
            return i
    return None


@router.get("/rectifications/{notice_id}", response_class=HTMLResponse)
def notice_page(request: Request, notice_id: NoticeId, caller: PageCaller, s: Db) -> Response:
    """One notice: its findings (with where each stands), the answers, and the forms
    the caller may use (answer; accept or return)."""
    n = notice_in_scope(s, caller, notice_id)
    line = next(
        d for d in notices.due(s, None, _today(), report_ids=[n.report_id]) if d.notice.id == n.id
    )
    left = {notices.match_of(f) for f in line.left}
    newest = line.latest if line.latest is not None and line.latest.id != n.report_id else None
    answered = replies.replies_of(s, n.id)
    last = answered[-1] if answered else None
    said = {e["finding"]: e["text"] for e in last.explanations} if last is not None else {}
    items = []
    for i, f in enumerate(n.findings):
        items.append(
            {
                "finding": f,
                "index": i,
                "at": _where(n.report, f),
                "newest": _where(newest, f) if newest is not None else None,
                "left": notices.match_of(f) in left,
                "said": said.get(i, ""),  # the newest answer's explanation
                "said_by": last.username if last is not None else "",
            }
        )
    versions = {
        r.report_id: s.get(StoredReport, r.report_id) for r in answered if r.report_id is not None
    }
    return render(
        request,
        "rectification.html",
        caller=caller,
        n=n,
        d=line,
        items=items,
        newest=newest,
        replies=answered,
        versions=versions,
        returned=next((r for r in reversed(answered) if r.state == "returned"), None),
        may_reply=may_reply(caller.user, n) and n.status == "pending",
        may_decide=_may_decide(caller.user) and n.status == "replied",
        max_text=replies.MAX_TEXT,
        max_explanation=replies.MAX_EXPLANATION,
        here=here(request),
    )


@router.post("/rectifications/{notice_id}/reply")
def reply(
    request: Request,
    notice_id: NoticeId,
    caller: PageCaller,
    s: Db,
    text: Long = "",
    explain: Annotated[list[str] | None, Form()] = None,
    csrf: Csrf = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """提交整改反馈: the text, the explanations (``explain``, one field per noticed
    finding in order, empty ones included), a new version (``file``)."""
    check_csrf(caller, csrf)
    explanations = dict(enumerate(explain or []))
    upload = None
    if file is not None and file.filename:
        data = file.file.read(service.MAX_UPLOAD + 1)
        upload = (store_of(request), data, file.filename)
    reply_step(s, caller, notice_id, text, explanations, upload=upload)
    if upload is not None:
        request.app.state.worker.wake()
    return RedirectResponse(f"/rectifications/{notice_id}#replies", status_code=303)


@router.post("/rectifications/{notice_id}/accept")
def accept(
    notice_id: NoticeId, caller: PageCaller, s: Db, note: Long = "", csrf: Csrf = ""
) -> Response:
    """整改反馈审核通过: 已整改 with the note."""
    check_csrf(caller, csrf)
    _limit(note, "审核意见")
    decide_step(s, caller, notice_id, True, note)
    return RedirectResponse(f"/rectifications/{notice_id}#replies", status_code=303)


@router.post("/rectifications/{notice_id}/return")
def give_back(
    notice_id: NoticeId, caller: PageCaller, s: Db, reason: Long = "", csrf: Csrf = ""
) -> Response:
    """退回整改反馈: 待整改 again, the reason shown to the agency."""
    check_csrf(caller, csrf)
    _limit(reason, "退回理由")
    decide_step(s, caller, notice_id, False, reason)
    return RedirectResponse(f"/rectifications/{notice_id}#replies", status_code=303)


def _limit(words: str, what: str) -> None:
    if len(words.strip()) > replies.MAX_TEXT:
        raise ApiError(422, f"{what}不能超过 {replies.MAX_TEXT} 字")


def my_notices(request: Request, caller: Caller | None) -> list[dict[str, Any]]:
    """A clerk's home page: the notices addressed to their agency not yet settled
    (a template global; other roles: none)."""
    if caller is None or caller.user.role != "clerk" or caller.user.scope_id is None:
        return []
    today = _today()
    with store_of(request).readers() as s:
        q = select(notices.IssuedNotice).where(
            notices.IssuedNotice.agency_id == caller.user.scope_id,
            notices.IssuedNotice.status.in_(notices.OPEN),
        )
        found = list(s.scalars(q.order_by(notices.IssuedNotice.deadline)))
        last = replies.latest_of(s, [n.id for n in found])
        return [
            {
                "id": n.id,
                "year": n.year,
                "issued": n.issued.isoformat(),
                "deadline": n.deadline.isoformat(),
                "days": (n.deadline - today).days,
                "status": n.status_on(today),
                "label": notices.STATUSES[n.status_on(today)],
                "findings": len(n.findings),
                "returned": last[n.id].decision
                if n.id in last and last[n.id].state == "returned"
                else "",
            }
            for n in found
        ]


templates.env.globals["my_notices"] = my_notices
templates.env.globals["REPLY_STATES"] = replies.STATES
