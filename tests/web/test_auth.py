"""Logging in and out, CSRF on every form, rate limits, the audit log, and what an
anonymous request gets (401 JSON from the API, the login page from a page)."""

from __future__ import annotations

from sqlalchemy import select

from tests.web.conftest import PASSWORD, Site, csrf_of, login
from xxgk.store import accounts
from xxgk.store.models import AuditEntry, LoginAttempt


def _actions(site: Site) -> list[tuple[str | None, str]]:
    with site.store.session() as s:
        return [
            (e.username, e.action) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def test_anonymous_requests_get_401_json_or_the_login_page(site: Site) -> None:
    c = site.client
    answer = c.get("/api/v1/reports")
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "unauthorized"
    assert "登录" in answer.json()["error"]["message"]
    bad = c.get("/api/v1/reports", headers={"Authorization": "Bearer xxgk_not-a-token"})
    assert bad.status_code == 401
    page = c.get("/reports/1", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/reports/1"
    form = c.get(page.headers["location"])
    assert form.status_code == 200 and "用户名" in form.text and "密码" in form.text


def test_login_shows_the_reports_and_logout_ends_the_session(site: Site) -> None:
    c = site.client
    csrf = login(c, "县监督")
    assert "县监督" in c.get("/").text
    cookie = c.cookies.get("xxgk_session")
    assert cookie
    set_cookie = [v for k, v in c.get("/login").headers.items() if k == "set-cookie"]
    assert all("httponly" in v.lower() for v in set_cookie)
    out = c.post("/logout", data={"csrf": csrf}, follow_redirects=False)
    assert out.status_code == 303
    c.cookies.set("xxgk_session", cookie)  # the old cookie no longer opens a session
    assert c.get("/", follow_redirects=False).status_code == 303
    assert ("县监督", "login") in _actions(site)
    assert ("县监督", "logout") in _actions(site)


def test_the_session_cookie_is_httponly(site: Site) -> None:
    c = site.client
    page = c.get("/login")
    answer = c.post(
        "/login",
        data={"username": "管理员", "password": PASSWORD, "csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    cookie = answer.headers["set-cookie"]
    assert "xxgk_session=" in cookie and "httponly" in cookie.lower()


def test_a_wrong_password_is_refused_and_logged(site: Site) -> None:
    c = site.client
    page = c.get("/login")
    answer = c.post(
        "/login",
        data={"username": "县监督", "password": "不对的密码", "csrf": csrf_of(page.text)},
    )
    assert answer.status_code == 401
    assert "用户名或密码不对" in answer.text
    assert c.get("/", follow_redirects=False).status_code == 303
    assert (None, "login.failed") in _actions(site)


def test_forms_without_the_csrf_token_are_refused(site: Site) -> None:
    c = site.client
    c.get("/login")
    no_token = c.post("/login", data={"username": "县监督", "password": PASSWORD})
    assert no_token.status_code == 403 and "CSRF" in no_token.text
    csrf = login(c, "发改填报")
    upload = c.post(
        "/upload",
        data={"csrf": "wrong"},
        files={"files": ("a.txt", "某某县发展和改革局2023年政府信息公开工作年度报告".encode())},
    )
    assert upload.status_code == 403 and "CSRF" in upload.text
    out = c.post("/logout", data={})
    assert out.status_code == 403
    assert c.get("/").status_code == 200  # still logged in
    # the API from a logged-in browser needs the token in a header for a POST
    api = c.post("/api/v1/reports", files={"file": ("a.txt", b"x")})
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "forbidden"
    good = c.post(
        "/api/v1/reports", files={"file": ("a.txt", b"x")}, headers={"X-CSRF-Token": csrf}
    )
    assert good.status_code == 201


def test_failed_logins_are_rate_limited_per_user(site: Site) -> None:
    c = site.client
    for _ in range(accounts.MAX_FAILS_USER):
        page = c.get("/login")
        c.post("/login", data={"username": "县监督", "password": "x", "csrf": csrf_of(page.text)})
    page = c.get("/login")
    blocked = c.post(
        "/login", data={"username": "县监督", "password": PASSWORD, "csrf": csrf_of(page.text)}
    )
    assert blocked.status_code == 429 and "过多" in blocked.text
    assert c.get("/", follow_redirects=False).status_code == 303
    login(c, "区监督")  # another user from the same address still may
    assert (None, "login.blocked") in _actions(site)


def test_failed_logins_are_rate_limited_per_address(site: Site) -> None:
    c = site.client
    for i in range(accounts.MAX_FAILS_CLIENT):
        page = c.get("/login")
        name = f"猜测{i}"
        c.post("/login", data={"username": name, "password": "x", "csrf": csrf_of(page.text)})
    page = c.get("/login")
    blocked = c.post(
        "/login", data={"username": "管理员", "password": PASSWORD, "csrf": csrf_of(page.text)}
    )
    assert blocked.status_code == 429
    with site.store.session() as s:  # the attempts are in the database: every worker sees them
        assert len(s.scalars(select(LoginAttempt)).all()) == accounts.MAX_FAILS_CLIENT


def test_login_never_redirects_to_another_site(site: Site) -> None:
    c = site.client
    page = c.get("/login?next=//evil.example/x")
    answer = c.post(
        "/login",
        data={
            "username": "管理员",
            "password": PASSWORD,
            "csrf": csrf_of(page.text),
            "next": "//evil.example/x",
        },
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/"
