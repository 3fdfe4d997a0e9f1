"""The web app on SQLite and on a throwaway PostgreSQL, with an example jurisdiction:
某某市 › 某某县 › 某某县发展和改革局, and 某某市 › 某某区 › 某某区某某办公室."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.pgcluster import CLUSTER, database_url
from xxgk.store import accounts, agencies
from xxgk.store.base import Store
from xxgk.web.app import create_app

PASSWORD = "正确的密码-123"


@pytest.fixture(scope="session", autouse=True)
def _postgres_cluster() -> Iterator[None]:
    yield
    CLUSTER.stop()


@dataclass
class Site:
    store: Store
    app: FastAPI
    client: TestClient
    tokens: dict[str, str]

    def api(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"}

    def fresh_client(self) -> TestClient:
        return TestClient(self.app, raise_server_exceptions=False)


def populate(store: Store) -> dict[str, str]:
    tokens = {}
    with store.session() as s:
        agencies.add(s, "某某市", "市")
        agencies.add(s, "某某县", "县", parent="某某市")
        agencies.add(s, "某某县发展和改革局", "部门", parent="某某县", aliases=["县发改局"])
        agencies.add(s, "某某县某某镇人民政府", "乡", parent="某某县")
        agencies.add(s, "某某区", "县", parent="某某市")
        agencies.add(s, "某某区某某办公室", "部门", parent="某某区")
        agencies.add(s, "某某市某某局", "部门", parent="某某市")
        for name, role, scope in (
            ("管理员", "admin", None),
            ("县监督", "supervisor", "某某县"),
            ("区监督", "supervisor", "某某区"),
            ("发改填报", "clerk", "某某县发展和改革局"),
            ("区办填报", "clerk", "某某区某某办公室"),
        ):
            user = accounts.add_user(s, name, role, PASSWORD, scope)
            tokens[name] = accounts.new_token(s, user)
    return tokens


@pytest.fixture(params=["sqlite", "postgresql"])
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
    store = Store(tmp_path / "data", database_url(request.param, tmp_path))
    store.upgrade()
    tokens = populate(store)
    app = create_app(store, worker=False)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Site(store, app, client, tokens)
    store.dispose()


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "the form has no CSRF field"
    return m.group(1)


def login(client: TestClient, user: str, password: str = PASSWORD) -> str:
    """Log in through the form; the session's CSRF token (from the next page)."""
    page = client.get("/login")
    answer = client.post(
        "/login",
        data={"username": user, "password": password, "csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    home = client.get("/")
    assert home.status_code == 200
    return csrf_of(home.text)
