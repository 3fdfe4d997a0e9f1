"""A zip uploaded on the upload page: each report in it is received as its own upload;
a nested archive, an unsafe path or a suspected zip bomb is named on the page, never
dropped silently."""

from __future__ import annotations

import io
import zipfile

from tests.web.conftest import Site, login
from xxgk.examples import example_paths
from xxgk.web.worker import run_pending

EXAMPLES = {p.name: p for p in example_paths()}


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _ids(site: Site) -> set[int]:
    answer = site.client.get("/api/v1/reports", headers=site.api("管理员"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    rows = body["reports"] if isinstance(body, dict) else body
    return {int(r["id"]) for r in rows}


def test_a_zip_of_reports_is_received_report_by_report(site: Site) -> None:
    csrf = login(site.client, "管理员")
    before = _ids(site)
    bureau = EXAMPLES["bureau-2023-tabs.txt"].read_bytes()
    township = EXAMPLES["township-2023-errors.txt"].read_bytes()
    archive = _zip(
        {
            "2023/发改局.txt": bureau,
            "2023/某某镇.txt": township,
            "2023/旧的.zip": _zip({"a.txt": bureau}),
            "../外面.txt": township,
            "大文件.txt": b"0" * (3 * 1024 * 1024),
        }
    )
    page = site.client.post(
        "/upload", data={"csrf": csrf}, files={"files": ("各单位年报.zip", archive)}
    )
    assert page.status_code == 200, page.text
    assert "已接收 2 份报告" in page.text
    assert "旧的.zip：压缩包中套有压缩包" in page.text
    assert "外面.txt：压缩包中的路径不安全" in page.text
    assert "大文件.txt：压缩比异常" in page.text
    new = _ids(site) - before
    assert len(new) == 2
    run_pending(site.store)
    for rid in new:
        got = site.client.get(f"/api/v1/reports/{rid}", headers=site.api("管理员")).json()
        assert got["status"] == "done", got
        assert got["year"] == 2023


def test_a_zip_without_reports_says_so(site: Site) -> None:
    csrf = login(site.client, "管理员")
    page = site.client.post(
        "/upload",
        data={"csrf": csrf},
        # (page images at an archive's top are a scanned report since 0fc8e25)
        files={"files": ("空.zip", _zip({"安装程序.exe": b"MZ\x90\x00"}))},
    )
    assert page.status_code == 422
    assert "压缩包中没有报告文件" in page.text
