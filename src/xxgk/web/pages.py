"""The pages (Jinja2, Chinese, no JavaScript needed): login, logout, the reports in
scope, upload, one report's tables and findings."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store import accounts, reports
from ..store.models import Agency
from . import service
from .auth import (
    COOKIE,
    LOGIN_CSRF_COOKIE,
    Caller,
    Db,
    PageCaller,
    ReportId,
    check_csrf,
    client_address,
    identify,
    same,
    store_of,
    writing,
)
from .errors import ApiError
from .tables import layout

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(include_in_schema=False)

STATUS = {"queued": "排队中", "processing": "核查中", "done": "已核查", "failed": "无法读取"}
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
templates.env.globals.update(STATUS=STATUS, SEVERITY=SEVERITY, ROLES=accounts.ROLE_NAMES)


def render(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    return templates.TemplateResponse(request, name, context, status_code=status)


def error_page(
    request: Request, status: int, message: str, caller: Caller | None = None
) -> Response:
    """The error page, with a way back to the page the request came from (a form's
    page: the Referer when it is a page of this site); with ``caller``, the nav bar."""
    referer, base = request.headers.get("referer") or "", str(request.base_url)
    back = _safe_next(referer[len(base) - 1 :]) if referer.startswith(base) else ""
    if back == "/" or (back == request.url.path and request.method == "GET"):
        back = ""  # (a form posting to its own page's path links back to that page)
    return render(
        request,
        "error.html",
        status=status,
        status_code=status,
        message=message,
        back=back,
        caller=caller,
    )


def _safe_next(target: str | None) -> str:
    """Only a path of this site (never //host or a scheme) after login."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


@router.get("/login")
def login_form(
    request: Request, s: Db, next_url: Annotated[str, Query(alias="next")] = "/"
) -> Response:
    caller = identify(request, s)
    if caller is not None and caller.session is not None:
        return RedirectResponse(_safe_next(next_url), status_code=303)
    return _login_page(request, next_url)


def _login_page(request: Request, next_url: str, message: str = "", status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(
        request, "login.html", status=status, csrf=token, next=_safe_next(next_url), message=message
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request)
    )
    return response


@router.post("/login")
def login(
    request: Request,
    s: Db,
    username: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
    next_url: Annotated[str, Form(alias="next", max_length=2000)] = "/",
) -> Response:
    if not same(csrf, request.cookies.get(LOGIN_CSRF_COOKIE)):
        return _login_page(request, next_url, "页面已失效（CSRF 校验失败），请重新登录", 403)
    client = client_address(request)
    username = username.strip()
    with writing(s):
        if accounts.login_blocked(s, username, client):
            accounts.audit(s, None, "login.blocked", f"用户 {username}，来自 {client}")
            return _login_page(request, next_url, "登录失败次数过多，请 15 分钟后再试", 429)
        user = accounts.by_name(s, username)
        ok = user is not None and accounts.verify(user, password)
        accounts.record_login(s, username, client, ok)
        if not ok or user is None:
            accounts.audit(s, None, "login.failed", f"用户 {username}，来自 {client}")
            return _login_page(request, next_url, "用户名或密码不对", 401)
        token, _csrf = accounts.open_session(s, user)
        accounts.audit(s, user, "login", f"来自 {client}")
    response = RedirectResponse(_safe_next(next_url), status_code=303)
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        max_age=accounts.SESSION_HOURS * 3600,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(
    request: Request,
    caller: PageCaller,
    s: Db,
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(caller, csrf)
    cookie = request.cookies.get(COOKIE)
    with writing(s):
        if cookie:
            accounts.close_session(s, cookie)
        accounts.audit(s, caller.user, "logout")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    caller: PageCaller,
    s: Db,
    year: int | None = None,
) -> Response:
    scope = reports.scope_of(s, caller.user)
    rows = reports.listing(s, scope, year=year)
    listed = [service.describe(r, full=False) for r in rows]
    waiting = [r for r in listed if r["agency"] is None and r["status"] == "done"]
    return render(
        request,
        "home.html",
        caller=caller,
        reports=listed,
        waiting=waiting,
        year=year,
    )


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request, caller: PageCaller, s: Db) -> Response:
    return render(request, "upload.html", caller=caller, choices=_agency_choices(s, caller))


def _agency_choices(s: Session, caller: Caller) -> list[str]:
    if caller.user.role == "clerk":
        return []
    scope = reports.scope_of(s, caller.user)
    rows = s.scalars(select(Agency).order_by(Agency.id))
    return [a.name for a in rows if scope.agencies is None or a.id in scope.agencies]


@router.post("/upload")
def upload(
    request: Request,
    files: Annotated[list[UploadFile], File()],
    caller: PageCaller,
    s: Db,
    csrf: Annotated[str, Form(max_length=100)] = "",
    agency: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    check_csrf(caller, csrf)
    if not files or len(files) > 200:
        raise ApiError(422, "请选择 1 至 200 个文件")
    ids: list[int] = []
    refused: list[str] = []
    with writing(s):
        for f in files:
            data = f.file.read(service.MAX_UPLOAD + 1)
            parts = [(f.filename or "", data)]
            if service.is_archive(f.filename) and len(data) <= service.MAX_UPLOAD:
                parts, problems = service.unpack(data, f.filename)  # a zip: its reports
                refused += problems
            for name, content in parts:
                report, _dup = service.upload(
                    s, store_of(request), caller.user, content, name, agency or None
                )
                ids.append(report.id)
    request.app.state.worker.wake()
    if refused or not ids:  # say what was not taken; never drop it silently
        return render(
            request,
            "upload.html",
            status=200 if ids else 422,
            caller=caller,
            choices=_agency_choices(s, caller),
            stored=len(ids),
            refused=refused or ["压缩包中没有报告文件"],
        )
    target = f"/reports/{ids[0]}" if len(ids) == 1 else "/"
    return RedirectResponse(target, status_code=303)


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def report_page(
    request: Request,
    report_id: ReportId,
    caller: PageCaller,
    s: Db,
) -> Response:
    scope = reports.scope_of(s, caller.user)
    report = reports.get(s, scope, report_id)
    if report is None:
        raise ApiError(404, f"没有编号为 {report_id} 的报告")
    data = service.describe(report)
    return render(
        request,
        "report.html",
        caller=caller,
        report=data,
        tables=layout(report.format, data["tables"], data["findings"] or []),
        choices=_agency_choices(s, caller) if report.agency_id is None else [],
    )


@router.post("/reports/{report_id}/agency")
def assign(
    request: Request,
    report_id: ReportId,
    caller: PageCaller,
    s: Db,
    agency: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(caller, csrf)
    with writing(s):
        service.assign(s, caller.user, report_id, agency)
    return RedirectResponse(f"/reports/{report_id}", status_code=303)
