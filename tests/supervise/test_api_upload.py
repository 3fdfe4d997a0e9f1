"""The API's upload of a zip (its reports received one by one, as the upload page does,
the members it refuses named) and the report list in pages (``offset``, ``limit``,
``total``), on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from tests.supervise.test_pages import _report
from tests.web.conftest import Site
from xxgk.examples import example_paths
from xxgk.render.text import render_text
from xxgk.web.worker import run_pending

EXAMPLES = {p.name: p.read_bytes() for p in example_paths()}


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _send(site: Site, name: str, data: bytes, user: str = "管理员") -> tuple[int, Any]:
    answer = site.client.post(
        "/api/v1/reports", files={"file": (name, data)}, headers=site.api(user)
    )
    return answer.status_code, answer.json()


def test_a_zip_through_the_api_is_received_report_by_report(site: Site) -> None:
    archive = _zip(
        {
            "2023/发改局.txt": EXAMPLES["bureau-2023-tabs.txt"],
            "2023/某某镇.txt": EXAMPLES["township-2023-errors.txt"],
            "2023/旧的.zip": _zip({"a.txt": EXAMPLES["bureau-2023-tabs.txt"]}),
            "../外面.txt": EXAMPLES["township-2023-errors.txt"],
        }
    )
    status, body = _send(site, "各单位年报.zip", archive)
    assert status == 201, body
    assert body["archive"] == "各单位年报.zip"
    assert len(body["reports"]) == 2 and not any(r["duplicate"] for r in body["reports"])
    refused = "\n".join(body["refused"])
    assert "旧的.zip" in refused and "压缩包中套有压缩包" in refused and "外面.txt" in refused
    run_pending(site.store)
    for r in body["reports"]:
        got = site.client.get(f"/api/v1/reports/{r['id']}", headers=site.api("管理员")).json()
        assert got["status"] == "done" and got["filename"] in ("发改局.txt", "某某镇.txt")
        assert got["error"] is None and got["year"] == 2023
    again_status, again = _send(site, "再传一次.zip", archive)
    assert again_status == 201 and all(r["duplicate"] for r in again["reports"])
    assert [r["id"] for r in again["reports"]] == [r["id"] for r in body["reports"]]


def test_a_zip_without_reports_is_refused_with_the_reason(site: Site) -> None:
    status, body = _send(site, "空的.zip", _zip({"说明.zip": _zip({"a.txt": b"x"})}))
    assert status == 422
    assert "空的.zip" in body["error"]["message"] and "没有可读取的报告" in body["error"]["message"]
    listed = site.client.get("/api/v1/reports", headers=site.api("管理员")).json()
    assert listed["total"] == 0 and listed["reports"] == []


def test_the_report_list_comes_in_pages_with_the_total(site: Site) -> None:
    ids = []
    for year in range(2017, 2024):
        data = render_text(_report("某某县发展和改革局", year, 3, 1, 1, "无。"), "tabs").encode()
        status, body = _send(site, f"发改局{year}.txt", data)
        assert status == 201, body
        ids.append(body["id"])
    newest_first = sorted(ids, reverse=True)
    whole = site.client.get("/api/v1/reports", headers=site.api("管理员")).json()
    assert whole["total"] == 7 and whole["offset"] == 0 and whole["limit"] == 500
    assert [r["id"] for r in whole["reports"]] == newest_first
    pages = []
    for offset in range(0, 8, 3):
        page = site.client.get(
            "/api/v1/reports", params={"offset": offset, "limit": 3}, headers=site.api("管理员")
        ).json()
        assert page["total"] == 7 and page["offset"] == offset and page["limit"] == 3
        pages += [r["id"] for r in page["reports"]]
    assert pages == newest_first
    past = site.client.get(
        "/api/v1/reports", params={"offset": 50}, headers=site.api("管理员")
    ).json()
    assert past["reports"] == [] and past["total"] == 7
    clerk = site.client.get("/api/v1/reports", params={"limit": 2}, headers=site.api("区办填报"))
    assert clerk.json()["total"] == 0  # another agency's reports are not counted
    for bad in ({"limit": 0}, {"limit": 501}, {"offset": -1}):
        answer = site.client.get("/api/v1/reports", params=bad, headers=site.api("管理员"))
        assert answer.status_code == 422, bad
