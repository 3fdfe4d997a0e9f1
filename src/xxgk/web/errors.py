"""One error shape for the API, ``{"error": {"code": …, "message": …}}``, and the
pages' answers to the same errors (the login page for 401, a Chinese page else)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException

log = logging.getLogger("xxgk.web")

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
    500: "internal",
    503: "unavailable",
}
MESSAGES = {
    400: "请求有误（格式无法解析）",
    401: "请先登录（网页登录，或在 Authorization 头中给出 Bearer 令牌）",
    403: "没有权限",
    404: "没有找到",
    405: "不支持此请求方法",
    413: "文件太大",
    422: "请求参数有误",
    429: "请求过于频繁，请稍后再试",
    500: "服务器内部错误",
    503: "服务暂不可用",
}


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": MESSAGES[status]}
    for status in (400, 401, 403, 404, 413, 422, 429, 500)
}


class ApiError(HTTPException):
    """An error with a Chinese message for the user."""

    def __init__(self, status: int, message: str | None = None) -> None:
        super().__init__(status, message or MESSAGES.get(status, "请求失败"))


class LoginRequired(Exception):
    """A page needs a logged-in user: answered by a redirect to the login page."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def error_json(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    code = CODES.get(status, "error" if status >= 400 else "ok")
    return JSONResponse(
        {"error": {"code": code, "message": message}}, status_code=status, headers=headers
    )


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/healthz"


def _page(request: Request, status: int, message: str) -> Response:
    """The error page; a signed-in user's has the usual navigation bar (the caller is
    looked up again: the request's own database session may be gone)."""
    from .auth import identify, store_of
    from .pages import error_page

    try:
        with store_of(request).readers() as s:
            caller = identify(request, s)
            if caller is not None and caller.session is not None:
                return error_page(request, status, message, caller)  # rendered here
    except Exception:  # the database itself failing: the page without the bar
        log.debug("no caller for the error page", exc_info=True)
    return error_page(request, status, message)


def install(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else ""
        if not message or message.isascii():  # the framework's own English words
            message = MESSAGES.get(exc.status_code, "请求失败")
        if is_api(request):
            return error_json(exc.status_code, message, getattr(exc, "headers", None))
        return _page(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for e in exc.errors()[:3]:
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("body", "query"))
            parts.append(f"{where}：{_why(e)}")
        message = "请求参数有误：" + "；".join(parts)
        if is_api(request):
            return error_json(422, message)
        return _page(request, 422, message)

    @app.exception_handler(LoginRequired)
    async def login(request: Request, exc: LoginRequired) -> Response:
        from urllib.parse import quote

        return RedirectResponse("/login?next=" + quote(exc.next_url, safe="/"), status_code=303)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        if is_api(request):
            return error_json(500, MESSAGES[500])
        return _page(request, 500, MESSAGES[500])


def _why(error: Any) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "缺少此项"
    if "int" in kind:
        return "应为整数"
    if "too_long" in kind or "too_short" in kind or "greater" in kind or "less" in kind:
        return "超出允许范围"
    return "格式不对"
