"""Uploads and processing through the API: the stored check is `xxgk check --json`
of the file, duplicates and versions, scope, the unassigned list, a restart."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from typer.testing import CliRunner

from tests.web.conftest import Site, login
from xxgk.cli import app as cli_app
from xxgk.examples import example_paths
from xxgk.store import reports
from xxgk.web import service
from xxgk.web.app import create_app
from xxgk.web.worker import run_pending

EXAMPLES = {p.name: p for p in example_paths()}
BUREAU = EXAMPLES["bureau-2023-tabs.txt"]  # 某某县发展和改革局 2023
TOWNSHIP = EXAMPLES["township-2023-errors.txt"]  # 某某县某某镇人民政府 2023
OFFICE = EXAMPLES["office-2023-old-format.txt"]  # 某某区某某办公室 2023


def _upload(site: Site, user: str, path: Path, agency: str | None = None) -> dict[str, object]:
    answer = site.client.post(
        "/api/v1/reports",
        files={"file": (path.name, path.read_bytes())},
        data={"agency": agency} if agency else {},
        headers=site.api(user),
    )
    assert answer.status_code in (200, 201), answer.text
    data: dict[str, object] = answer.json()
    return data


def _get(site: Site, user: str, rid: object) -> dict[str, object]:
    answer = site.client.get(f"/api/v1/reports/{rid}", headers=site.api(user))
    assert answer.status_code == 200, answer.text
    data: dict[str, object] = answer.json()
    return data


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_a_processed_upload_gives_what_xxgk_check_json_prints(site: Site, name: str) -> None:
    path = EXAMPLES[name]
    made = _upload(site, "管理员", path)
    assert made["status"] == "queued" and not made["duplicate"]
    assert _get(site, "管理员", made["id"])["tables"] is None  # not processed yet
    assert run_pending(site.store) == 1
    got = _get(site, "管理员", made["id"])
    printed = json.loads(CliRunner().invoke(cli_app, ["check", "--json", str(path)]).stdout)
    assert got["status"] == "done"
    assert got["tables"] == printed["report"]["tables"]
    assert got["findings"] == printed["findings"]
    assert got["year"] == printed["report"]["year"]
    assert got["format"] == printed["report"]["format"]
    assert got["agency_reported"] == printed["report"]["agency"]
    assert got["agency"] == printed["report"]["agency"]  # matched to the tree by name


def test_identical_bytes_are_a_duplicate_and_a_change_is_a_new_version(
    site: Site, tmp_path: Path
) -> None:
    first = _upload(site, "发改填报", BUREAU)
    again = site.client.post(
        "/api/v1/reports",
        files={"file": ("另一个名字.txt", BUREAU.read_bytes())},
        headers=site.api("发改填报"),
    )
    assert again.status_code == 200
    assert again.json() == {"id": first["id"], "status": "queued", "duplicate": True}
    changed = tmp_path / "bureau-2023-tabs.txt"
    changed.write_bytes(BUREAU.read_bytes().replace("156条".encode(), "157条".encode()))
    second = _upload(site, "发改填报", changed)
    assert second["id"] != first["id"] and second.get("duplicate") is False
    run_pending(site.store)
    one, two = _get(site, "发改填报", first["id"]), _get(site, "发改填报", second["id"])
    assert (one["version"], two["version"]) == (1, 2)
    assert one["sha256"] != two["sha256"]
    assert site.store.file_path(str(one["sha256"])).read_bytes() == BUREAU.read_bytes()
    listed = site.client.get(
        "/api/v1/reports?agency=某某县发展和改革局&year=2023", headers=site.api("县监督")
    ).json()["reports"]
    assert sorted(r["version"] for r in listed) == [1, 2]


def test_a_report_outside_the_users_scope_is_not_found(site: Site) -> None:
    bureau = _upload(site, "发改填报", BUREAU)["id"]
    township = _upload(site, "县监督", TOWNSHIP)["id"]
    office = _upload(site, "区办填报", OFFICE)["id"]
    run_pending(site.store)
    for user, seen in (
        ("管理员", {bureau, township, office}),
        ("县监督", {bureau, township}),
        ("区监督", {office}),
        ("发改填报", {bureau}),
        ("区办填报", {office}),
    ):
        listed = site.client.get("/api/v1/reports", headers=site.api(user)).json()["reports"]
        assert {r["id"] for r in listed} == seen, user
        for rid in {bureau, township, office} - seen:
            hidden = site.client.get(f"/api/v1/reports/{rid}", headers=site.api(user))
            assert hidden.status_code == 404, (user, rid)
            assert hidden.json()["error"]["code"] == "not_found"
    # the same answer as for a report that does not exist: its existence is not revealed
    missing = site.client.get("/api/v1/reports/999999", headers=site.api("区办填报"))
    assert missing.status_code == 404
    # a page of another agency's report is 404 too
    login(site.client, "区办填报")
    assert site.client.get(f"/reports/{bureau}").status_code == 404
    assert site.client.get(f"/reports/{office}").status_code == 200


def test_a_clerks_upload_belongs_to_the_clerks_agency(site: Site) -> None:
    # the bureau's report uploaded by the office's clerk is filed under the office
    made = _upload(site, "区办填报", BUREAU)
    run_pending(site.store)
    got = _get(site, "区办填报", made["id"])
    assert got["agency"] == "某某区某某办公室"
    assert got["agency_reported"] == "某某县发展和改革局"
    refused = site.client.post(
        "/api/v1/reports",
        files={"file": ("x.txt", b"x")},
        data={"agency": "某某县发展和改革局"},
        headers=site.api("区办填报"),
    )
    assert refused.status_code == 422
    assert "不在您的管理范围" in refused.json()["error"]["message"]


def test_an_unmatched_report_waits_for_a_supervisor(site: Site, tmp_path: Path) -> None:
    stray = tmp_path / "stray.txt"
    stray.write_bytes(TOWNSHIP.read_bytes().replace("某某县某某镇".encode(), "某某乡".encode()))
    made = _upload(site, "县监督", stray)
    run_pending(site.store)
    got = _get(site, "县监督", made["id"])
    assert got["agency"] is None and got["agency_reported"] == "某某乡人民政府"
    waiting = site.client.get("/api/v1/reports?unassigned=true", headers=site.api("县监督"))
    assert [r["id"] for r in waiting.json()["reports"]] == [made["id"]]
    assert site.client.get("/api/v1/reports", headers=site.api("区监督")).json()["reports"] == []
    csrf = login(site.client, "县监督")
    home = site.client.get("/")
    assert "待归属（1）" in home.text
    assigned = site.client.post(
        f"/reports/{made['id']}/agency",
        data={"agency": "某某县某某镇人民政府", "csrf": csrf},
        follow_redirects=False,
    )
    assert assigned.status_code == 303
    got = _get(site, "县监督", made["id"])
    assert got["agency"] == "某某县某某镇人民政府" and got["version"] == 1


def test_a_restart_takes_up_the_reports_left_queued_or_half_done(site: Site) -> None:
    queued = _upload(site, "管理员", BUREAU)["id"]
    interrupted = _upload(site, "管理员", TOWNSHIP)["id"]
    with site.store.session() as s:
        assert reports.claim(s) == queued  # a worker took it, then the server stopped
    with TestClient(create_app(site.store, worker=True)) as client:  # the restart
        deadline = time.monotonic() + 60
        states: list[str] = []
        while time.monotonic() < deadline:
            states = [
                client.get(f"/api/v1/reports/{rid}", headers=site.api("管理员")).json()["status"]
                for rid in (queued, interrupted)
            ]
            if states == ["done", "done"]:
                break
            time.sleep(0.2)
        assert states == ["done", "done"]


def test_an_unreadable_file_fails_with_the_reason(site: Site) -> None:
    answer = site.client.post(
        "/api/v1/reports",
        files={"file": ("picture.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100)},
        headers=site.api("管理员"),
    )
    run_pending(site.store)
    got = _get(site, "管理员", answer.json()["id"])
    assert got["status"] == "failed" and "图片" in str(got["error"])


def test_the_pages_list_upload_and_show_a_report(site: Site) -> None:
    csrf = login(site.client, "发改填报")
    form = site.client.get("/upload")
    assert form.status_code == 200 and 'name="csrf"' in form.text
    sent = site.client.post(
        "/upload",
        data={"csrf": csrf},
        files={"files": (TOWNSHIP.name, TOWNSHIP.read_bytes())},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    target = sent.headers["location"]
    assert "正在核查" in site.client.get(target).text
    assert "排队中" in site.client.get("/").text
    run_pending(site.store)
    page = site.client.get(target).text
    rid = int(target.rsplit("/", 1)[1])
    got = _get(site, "发改填报", rid)
    findings = got["findings"]
    assert isinstance(findings, list) and findings
    for f in findings:
        assert str(escape(f["message"])) in page and f["code"] in page
    assert "发现的问题（" + str(len(findings)) + "）" in page
    assert "三、收到和处理政府信息公开申请情况" in page or "收到和处理政府信息公开申请情况" in page
    # a cell a finding names is marked and links to the finding
    sum_cell = next(k for f in findings for k in f["cells"] if f["code"] == "SUM-001")
    assert re.search(rf'<td id="{re.escape(sum_cell)}"[^>]*class="[^"]*mark-error', page)
    assert "已核查" in site.client.get("/").text


def test_the_upload_size_is_limited(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "MAX_UPLOAD", 1000)
    from xxgk.web import api_routes

    monkeypatch.setattr(api_routes.service, "MAX_UPLOAD", 1000)
    answer = site.client.post(
        "/api/v1/reports", files={"file": ("big.txt", b"x" * 2000)}, headers=site.api("管理员")
    )
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "too_large"


def test_many_reports_are_checked_together_on_worker_processes(site: Site) -> None:
    made = [_upload(site, "管理员", p)["id"] for p in (BUREAU, TOWNSHIP, OFFICE)]
    assert run_pending(site.store, jobs=2) == 3
    for rid, path in zip(made, (BUREAU, TOWNSHIP, OFFICE), strict=True):
        got = _get(site, "管理员", rid)
        printed = json.loads(CliRunner().invoke(cli_app, ["check", "--json", str(path)]).stdout)
        assert got["status"] == "done" and got["findings"] == printed["findings"]


def test_assigning_an_agency_through_the_api_stays_in_scope(site: Site, tmp_path: Path) -> None:
    stray = tmp_path / "stray.txt"
    stray.write_bytes(TOWNSHIP.read_bytes().replace("某某县某某镇".encode(), "某某乡".encode()))
    rid = _upload(site, "县监督", stray)["id"]
    run_pending(site.store)
    url = f"/api/v1/reports/{rid}/agency"
    other = site.client.post(url, json={"agency": "某某区某某办公室"}, headers=site.api("区监督"))
    assert other.status_code == 404  # not theirs to see
    outside = site.client.post(url, json={"agency": "某某区某某办公室"}, headers=site.api("县监督"))
    assert outside.status_code == 422 and "管理范围" in outside.json()["error"]["message"]
    done = site.client.post(
        url, json={"agency": "某某县某某镇人民政府"}, headers=site.api("县监督")
    )
    assert done.status_code == 200 and done.json()["agency"] == "某某县某某镇人民政府"
    assert _get(site, "管理员", rid)["agency"] == "某某县某某镇人民政府"


def test_a_non_finite_number_is_stored_and_served_as_null(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xxgk.model import CheckResult

    original = CheckResult.contract_dict

    def with_nan(self: CheckResult) -> dict[str, object]:
        data = original(self)
        data["report"]["tables"]["t2"]["fee"]["amount"] = float("nan")
        return data

    monkeypatch.setattr(CheckResult, "contract_dict", with_nan)
    rid = _upload(site, "管理员", BUREAU)["id"]
    run_pending(site.store)
    got = _get(site, "管理员", rid)
    assert got["status"] == "done"
    tables = got["tables"]
    assert isinstance(tables, dict) and tables["t2"]["fee"]["amount"] is None


def test_a_failure_while_storing_marks_the_report_failed(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xxgk.web import worker

    def broken(*_a: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(worker.history, "after_finish", broken)
    rid = _upload(site, "管理员", BUREAU)["id"]
    assert run_pending(site.store) == 1
    got = _get(site, "管理员", rid)
    assert got["status"] == "failed" and "保存核查结果时出错" in str(got["error"])
    assert run_pending(site.store) == 0  # not taken up again


def test_the_agency_list_is_the_callers_scope(site: Site) -> None:
    def names(user: str) -> set[str]:
        answer = site.client.get("/api/v1/agencies", headers=site.api(user))
        assert answer.status_code == 200
        return {a["name"] for a in answer.json()["agencies"]}

    assert names("县监督") == {"某某县", "某某县发展和改革局", "某某县某某镇人民政府"}
    assert names("区办填报") == {"某某区某某办公室"}
    everything = site.client.get("/api/v1/agencies", headers=site.api("管理员")).json()
    dev = next(a for a in everything["agencies"] if a["name"] == "某某县发展和改革局")
    assert dev == {
        "id": dev["id"],
        "name": "某某县发展和改革局",
        "level": "部门",
        "parent": "某某县",
        "aliases": ["县发改局"],
    }
    assert site.client.get("/api/v1/agencies").status_code == 401
