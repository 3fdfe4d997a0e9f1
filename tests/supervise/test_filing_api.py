"""The filing API (``/api/v1/filings``) on SQLite and PostgreSQL: the year's list of the
caller's scope with states, deadlines and pages; one filing with its dated steps; the
steps (submit, return with a reason, approve with an override reason, publish) with
the pages' permission rules, the same audit log and FIL-001 on a differing published
file; and the API's own habits (bearer token, CSRF with a cookie, one error shape)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tests.supervise.test_filing import _draft
from tests.supervise.test_pages import BUREAU
from tests.web.conftest import Site, login
from xxgk.store.models import AuditEntry

COUNTY = {"某某县", BUREAU, "某某县某某镇人民政府"}


def _get(site: Site, user: str, path: str, **params: Any) -> Any:
    answer = site.client.get(path, params=params, headers=site.api(user))
    assert answer.status_code == 200, answer.text
    return answer.json()


def _post(site: Site, user: str, path: str, body: dict[str, Any] | None, status: int = 200) -> Any:
    answer = site.client.post(path, json=body, headers=site.api(user))
    assert answer.status_code == status, answer.text
    data = answer.json()
    if status >= 400:
        assert set(data) == {"error"} and data["error"]["message"], data
    return data


def test_the_list_of_a_year_in_scope_with_states_deadlines_and_pages(site: Site) -> None:
    got = _get(site, "县监督", "/api/v1/filings", year=2023)
    assert got["year"] == 2023 and got["total"] == 3 and got["offset"] == 0
    lines = {line["agency"]: line for line in got["filings"]}
    assert set(lines) == COUNTY
    assert all(line["state"] == "draft" and line["filing"] is None for line in lines.values())
    assert lines[BUREAU]["deadline"] == "2024-01-31" and lines["某某县"]["deadline"] == "2024-03-31"
    assert all(line["late"] for line in lines.values())  # 2023's deadlines have passed
    first = _get(site, "县监督", "/api/v1/filings", year=2023, limit=2)
    rest = _get(site, "县监督", "/api/v1/filings", year=2023, limit=2, offset=2)
    assert first["total"] == rest["total"] == 3
    assert len(first["filings"]) == 2 and len(rest["filings"]) == 1
    assert [x["agency"] for x in first["filings"] + rest["filings"]] == [
        x["agency"] for x in got["filings"]
    ]
    town = _get(site, "县监督", "/api/v1/filings", year=2023, region="某某县某某镇人民政府")
    assert [x["agency"] for x in town["filings"]] == ["某某县某某镇人民政府"]
    outside = site.client.get(
        "/api/v1/filings", params={"region": "某某区"}, headers=site.api("县监督")
    )
    assert outside.status_code == 404 and "不在您的管理范围内" in outside.json()["error"]["message"]
    bad = site.client.get("/api/v1/filings", params={"state": "x"}, headers=site.api("县监督"))
    assert bad.status_code == 422
    clerk = _get(site, "发改填报", "/api/v1/filings", year=2023)
    assert [x["agency"] for x in clerk["filings"]] == [BUREAU] and not clerk["filings"][0][
        "may_decide"
    ]


def test_the_steps_through_the_api_with_their_rules_and_audit(site: Site) -> None:
    rid = _draft(site, broken=True)  # a draft with a SUM error
    submitted = _post(site, "发改填报", "/api/v1/filings", {"report": rid})
    fid = submitted["filing"]
    assert submitted["state"] == "submitted" and submitted["report"] == rid
    assert [(x["state"], x["user"], x["report"]) for x in submitted["steps"]] == [
        ("submitted", "发改填报", rid)
    ]
    assert submitted["errors"] >= 1 and not submitted["may_decide"]
    # a clerk does not decide; another region does not see it; a reason is required
    _post(site, "发改填报", f"/api/v1/filings/{fid}/approve", {}, 403)
    _post(site, "区监督", f"/api/v1/filings/{fid}/approve", {}, 404)
    _post(site, "区办填报", "/api/v1/filings", {"report": rid}, 404)
    _post(site, "县监督", f"/api/v1/filings/{fid}/return", {"reason": ""}, 422)
    back = _post(site, "县监督", f"/api/v1/filings/{fid}/return", {"reason": "表三本年新收有误"})
    assert back["state"] == "returned" and back["steps"][-1]["reason"] == "表三本年新收有误"
    body = {"override": "已核实"}
    refused = _post(site, "县监督", f"/api/v1/filings/{fid}/approve", body, 409)
    assert "退回修改" in refused["error"]["message"]  # not a step from 退回修改
    _post(site, "发改填报", "/api/v1/filings", {"report": rid})
    errors = _post(site, "县监督", f"/api/v1/filings/{fid}/approve", None, 409)
    assert "个错误，不能审核通过" in errors["error"]["message"]
    ok = _post(site, "县监督", f"/api/v1/filings/{fid}/approve", {"override": "差额系统导出所致"})
    assert ok["state"] == "approved" and ok["override"] == "差额系统导出所致"
    assert [x["state"] for x in ok["steps"]] == ["submitted", "returned", "submitted", "approved"]
    assert all(x["at"].endswith("+00:00") for x in ok["steps"])
    detail = _get(site, "发改填报", f"/api/v1/filings/{fid}")
    assert {**detail, "may_decide": True} == ok  # the same filing, seen by its clerk
    assert site.client.get(f"/api/v1/filings/{fid}", headers=site.api("区监督")).status_code == 404
    # the published file differs: the differences and FIL-001 on the published report
    published = _draft(site, granted=31)
    done = _post(site, "发改填报", f"/api/v1/filings/{fid}/publish", {"report": published})
    assert done["state"] == "published" and done["published"] == published
    cells = {d["cell"]: d for d in done["differences"]}
    assert cells["t3.granted.natural"]["published"] == 31
    assert "予以公开" in cells["t3.granted.natural"]["label"]
    report = _get(site, "发改填报", f"/api/v1/reports/{published}")
    fil = [f for f in report["findings"] if f["code"] == "FIL-001"]
    assert {f["cells"][0] for f in fil} == set(cells)
    with site.store.session() as s:
        actions = [a.action for a in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert [a for a in actions if a.startswith("filing.")] == [
        "filing.submitted",
        "filing.returned",
        "filing.submitted",
        "filing.approved",
        "filing.published",
    ]
    listed = _get(site, "县监督", "/api/v1/filings", year=2023, state="published")
    assert [x["filing"] for x in listed["filings"]] == [fid] and listed["total"] == 1


def test_a_browser_session_needs_the_csrf_header(site: Site) -> None:
    rid = _draft(site)
    csrf = login(site.client, "发改填报")
    bare = site.client.post("/api/v1/filings", json={"report": rid})
    assert bare.status_code == 403 and "CSRF" in bare.json()["error"]["message"]
    ok = site.client.post("/api/v1/filings", json={"report": rid}, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200 and ok.json()["state"] == "submitted"
    assert site.client.get("/api/v1/filings").status_code == 200  # reading needs no token
    anonymous = site.fresh_client().get("/api/v1/filings")
    assert anonymous.status_code == 401
