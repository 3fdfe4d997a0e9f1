"""One JSON error shape for every API error; /healthz; the OpenAPI document."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import Site, login
from xxgk.store.base import Store
from xxgk.web import service
from xxgk.web.app import create_app


def _shape(answer: object, status: int, code: str) -> str:
    from httpx import Response

    assert isinstance(answer, Response)
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    message = body["error"]["message"]
    assert isinstance(message, str) and message
    return message


def test_every_api_error_has_one_shape(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    c, admin = site.client, site.api("管理员")
    _shape(c.get("/api/v1/reports"), 401, "unauthorized")
    _shape(c.get("/api/v1/reports/424242", headers=admin), 404, "not_found")
    _shape(c.get("/api/v1/nothing-here", headers=admin), 404, "not_found")
    message = _shape(c.get("/api/v1/reports?year=abc", headers=admin), 422, "invalid")
    assert "year" in message and "整数" in message
    _shape(c.post("/api/v1/reports", headers=admin), 422, "invalid")  # no file
    _shape(c.get("/api/v1/reports?agency=不存在的局", headers=admin), 422, "invalid")
    _shape(c.delete("/api/v1/reports", headers=admin), 405, "method_not_allowed")
    csrf_less = c.__class__(site.app)
    login(csrf_less, "管理员")
    _shape(csrf_less.post("/api/v1/reports", files={"file": ("a.txt", b"x")}), 403, "forbidden")
    huge = {"content-length": str(service.MAX_UPLOAD * 2), **admin}
    _shape(c.post("/api/v1/reports", headers=huge, content=b"x"), 413, "too_large")

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(service, "agency_filter", broken)
    message = _shape(c.get("/api/v1/reports", headers=admin), 500, "internal")
    assert "a bug" not in message  # no internals shown


def test_healthz_answers_for_the_database(site: Site, tmp_path: Path) -> None:
    assert site.client.get("/healthz").json() == {"status": "ok"}
    store = Store(tmp_path / "down", "sqlite:///" + str(tmp_path / "no" / "such" / "dir.db"))
    down = TestClient(create_app(store, worker=False), raise_server_exceptions=False)
    _shape(down.get("/healthz"), 503, "unavailable")


def test_pages_answer_errors_in_chinese(site: Site) -> None:
    login(site.client, "管理员")
    page = site.client.get("/reports/424242")
    assert page.status_code == 404 and "没有编号为 424242 的报告" in page.text
    assert "text/html" in page.headers["content-type"]


def test_the_openapi_document_lists_the_api(site: Site) -> None:
    doc = site.client.get("/openapi.json").json()
    assert {"/api/v1/reports", "/api/v1/reports/{report_id}", "/healthz"} <= set(doc["paths"])
    post = doc["paths"]["/api/v1/reports"]["post"]
    assert {"200", "201", "401", "413", "422"} <= set(post["responses"])
    assert "/login" not in doc["paths"]
