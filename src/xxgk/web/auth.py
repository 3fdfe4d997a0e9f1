"""Who is asking: a bearer token (API) or the session cookie (pages, and the API
from a logged-in browser, with the CSRF token on every unsafe request)."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session

from ..store import accounts
from ..store.base import Store
from ..store.models import Session as WebSession
from ..store.models import User
from .errors import ApiError, LoginRequired

COOKIE = "xxgk_session"
LOGIN_CSRF_COOKIE = "xxgk_login_csrf"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def db(request: Request) -> Iterator[Session]:
    """The request's database session (one per request), committed when the handler
    returns — before the answer is sent (``scope="function"``).  It reads; a handler
    writes in a ``with writing(s):`` block."""
    s = store_of(request).readers()
    try:
        yield s
        s.commit()
    except BaseException:
        s.rollback()
        raise
    finally:
        s.close()


@contextmanager
def writing(s: Session) -> Iterator[None]:
    """A block that writes: it starts a writing transaction (on SQLite: waits for the
    write lock here) and commits, or rolls back, at its end — inside the handler, so
    no request holds the lock while it waits for a thread."""
    Store.begin_write(s)
    try:
        yield
        s.commit()
    except BaseException:
        s.rollback()
        raise


Db = Annotated[Session, Depends(db, scope="function")]


@dataclass
class Caller:
    user: User
    session: WebSession | None  # None for a bearer token

    @property
    def csrf(self) -> str:
        return self.session.csrf if self.session is not None else ""


def client_address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def identify(request: Request, s: Session) -> Caller | None:
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        user = accounts.token_user(s, header[7:].strip())
        return Caller(user, None) if user is not None else None
    cookie = request.cookies.get(COOKIE)
    if cookie:
        found = accounts.find_session(s, cookie)
        if found is not None:
            return Caller(found.user, found)
    return None


def same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def api_caller(request: Request, s: Db) -> Caller:
    caller = identify(request, s)
    if caller is None:
        raise ApiError(401)
    if (
        caller.session is not None
        and request.method in UNSAFE
        and not same(request.headers.get("x-csrf-token"), caller.session.csrf)
    ):
        raise ApiError(403, "缺少或错误的 CSRF 令牌（X-CSRF-Token 头）")
    return caller


def here(request: Request) -> str:
    """The path and query of the request (where a form or a login sends one back)."""
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def page_caller(request: Request, s: Db) -> Caller:
    caller = identify(request, s)
    if caller is None or caller.session is None:
        raise LoginRequired(here(request) if request.method == "GET" else "/")
    return caller


def check_csrf(caller: Caller, token: str | None) -> None:
    """Every form's hidden ``csrf`` field must carry the session's token."""
    if caller.session is None or not same(token, caller.session.csrf):
        raise ApiError(403, "表单已失效（CSRF 校验失败），请刷新页面后重试")


ApiCaller = Annotated[Caller, Depends(api_caller)]
PageCaller = Annotated[Caller, Depends(page_caller)]
# a report's number in a path: a database integer (larger ones are not reports: 422)
ReportId = Annotated[int, Path(ge=1, le=2**31 - 1, description="报告编号")]
