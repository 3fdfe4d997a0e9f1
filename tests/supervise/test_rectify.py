"""整改期限 stored with the notice (on SQLite and PostgreSQL): a supervisor issues a
notice from the notices page, it goes on the due list with its deadline and 待整改, is
逾期未整改 after the deadline, becomes 已整改 when the agency uploads a corrected
version of the report (or a supervisor says so with a note), and the API answers the
same list; the notice as issued keeps its findings and dates; the dashboard counts
what the list shows; a clerk sees their own agency's notices and cannot settle one."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.supervise.test_pages import (
    BUREAU,
    CHANGED,
    THIS_YEAR,
    _docx_text,
    _report,
    _rows,
    _upload,
    _upload_all,
)
from tests.web.conftest import Site, login
from xxgk.store.models import AuditEntry
from xxgk.web import rectify_pages
from xxgk.web.worker import run_pending


def _row_of(page: str, notice_id: int) -> list[str]:
    m = re.search(rf'<tr id="notice-{notice_id}"[^>]*>(.*?)</tr>', page, re.S)
    assert m, f"no line for notice {notice_id}"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", m.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]


def _issue(site: Site, csrf: str, report: int, deadline: str) -> int:
    page = site.client.get("/notices", params={"year": 2023}).text
    assert f'action="/notices/{report}/issue"' in page  # the page offers it
    answer = site.client.post(
        f"/notices/{report}/issue",
        data={"deadline": deadline, "office": "某某县政务公开办公室", "csrf": csrf},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    listed = site.client.get(
        "/api/v1/rectifications", params={"year": 2023}, headers=site.api("管理员")
    ).json()
    return int(next(r["id"] for r in listed["rectifications"] if r["report"] == report))


def test_an_issued_notice_is_due_overdue_then_rectified_by_a_new_version(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _upload_all(site)
    bureau = ids[1]  # 2023 with two SUM errors
    csrf = login(site.client, "县监督")
    today = date.today()
    deadline = today + timedelta(days=20)
    nid = _issue(site, csrf, bureau, deadline.isoformat())
    page = site.client.get("/rectifications", params={"year": 2023}).text
    line = _row_of(page, nid)
    assert line[0] == BUREAU and line[2] == today.isoformat()
    assert line[3] == f"{deadline.isoformat()} 还有 20 天"
    assert line[4] == "待整改"
    assert line[5].startswith("2 个") and "SUM-001" in line[5]
    assert "尚未上传新版本" in line[6]
    # the notices page says it was issued, and does not offer it twice
    notices = site.client.get("/notices", params={"year": 2023}).text
    assert f"第 {nid} 号" in notices and f'action="/notices/{bureau}/issue"' not in notices
    twice = site.client.post(
        f"/notices/{bureau}/issue", data={"deadline": "", "csrf": csrf}, follow_redirects=False
    )
    assert twice.status_code == 409 and "尚未整改" in twice.text
    # the document as issued: its deadline and date, whatever the preview says now
    doc = site.client.get(f"/notices/issued/{nid}.docx")
    assert doc.status_code == 200
    text = _docx_text(doc.content)
    assert f"{deadline.year}年{deadline.month}月{deadline.day}日" in text
    assert "某某县政务公开办公室" in text
    # after the deadline: 逾期未整改, first in the list, counted on the dashboard
    monkeypatch.setattr(rectify_pages, "_today", lambda: deadline + timedelta(days=3))
    line = _row_of(site.client.get("/rectifications").text, nid)
    assert line[4] == "逾期未整改" and "已逾期 3 天" in line[3]
    overdue = site.client.get("/rectifications", params={"status": "overdue"}).text
    assert f'id="notice-{nid}"' in overdue
    assert (
        f'id="notice-{nid}"'
        not in site.client.get("/rectifications", params={"status": "pending"}).text
    )
    board = site.client.get("/dashboard", params={"year": 2023}).text
    summary = re.sub(r"<[^>]+>", "", board.split('id="due-summary"', 1)[1].split("</p>", 1)[0])
    assert "逾期未整改 1 份" in summary and "待整改 0 份" in summary
    api = site.client.get(f"/api/v1/rectifications/{nid}", headers=site.api("管理员")).json()
    assert api["status"] == "overdue" and api["label"] == "逾期未整改"
    assert api["days_left"] == -3 and api["deadline"] == deadline.isoformat()
    assert api["remaining"] == 2 and api["latest_report"] == bureau
    # the agency uploads a corrected version: the noticed findings are gone → 已整改
    fixed = _upload(
        site, BUREAU, _report(BUREAU, 2023, 30, 6, 4, THIS_YEAR + CHANGED), "第二版.txt"
    )
    run_pending(site.store)
    line = _row_of(site.client.get("/rectifications").text, nid)
    assert line[4].startswith("已整改") and "已无审查意见所列问题" in line[4]
    api = site.client.get(f"/api/v1/rectifications/{nid}", headers=site.api("管理员")).json()
    assert api["status"] == "rectified" and api["settled_report"] == fixed
    assert api["settled_by"] is None and api["remaining"] == 0
    with site.store.session() as s:
        logged = [
            e.action
            for e in s.scalars(select(AuditEntry).where(AuditEntry.action.like("notice.%")))
        ]
    assert logged == ["notice.issue", "notice.rectified"]


def test_a_new_version_that_keeps_a_finding_does_not_settle_and_a_supervisor_can(
    site: Site,
) -> None:
    ids = _upload_all(site)
    bureau = ids[1]
    csrf = login(site.client, "县监督")
    nid = _issue(site, csrf, bureau, "")
    line = _row_of(site.client.get("/rectifications").text, nid)
    default = date.today() + timedelta(days=30)
    assert line[3].startswith(default.isoformat())  # 30 days when none is given
    # a second version with the same error: still 待整改, the list says what is left
    from tests.supervise.test_pages import _broken

    again = _upload(
        site, BUREAU, _broken(_report(BUREAU, 2023, 30, 6, 4, THIS_YEAR + "再改。")), "第三版.txt"
    )
    run_pending(site.store)
    line = _row_of(site.client.get("/rectifications").text, nid)
    assert line[4] == "待整改" and "仍有 2 个所列问题" in line[6]
    notices = site.client.get("/notices", params={"year": 2023}).text
    assert f"第 {nid} 号" in notices and f'action="/notices/{again}/issue"' not in notices
    assert f'href="/reports/{again}"' in site.client.get("/rectifications").text
    # a clerk sees the notice of their agency, without the form; cannot settle it
    clerk = site.fresh_client()
    clerk_csrf = login(clerk, "发改填报")
    mine = clerk.get("/rectifications").text
    assert f'id="notice-{nid}"' in mine and f"/rectifications/{nid}/done" not in mine
    refused = clerk.post(f"/rectifications/{nid}/done", data={"note": "x", "csrf": clerk_csrf})
    assert refused.status_code == 403
    other = site.fresh_client()
    login(other, "区办填报")
    assert f'id="notice-{nid}"' not in other.get("/rectifications").text
    assert other.get(f"/notices/issued/{nid}.docx").status_code == 404
    assert (
        site.client.get(f"/api/v1/rectifications/{nid}", headers=site.api("区办填报")).status_code
        == 404
    )
    # by hand, with a note
    empty = site.client.post(f"/rectifications/{nid}/done", data={"note": " ", "csrf": csrf})
    assert empty.status_code == 422 and "整改情况" in empty.text
    done = site.client.post(
        f"/rectifications/{nid}/done",
        data={"note": "已在政府网站更正并重新发布", "csrf": csrf},
        follow_redirects=False,
    )
    assert done.status_code == 303
    line = _row_of(site.client.get("/rectifications").text, nid)
    assert line[4].startswith("已整改") and "已在政府网站更正并重新发布（县监督）" in line[4]
    assert (
        site.client.post(
            f"/rectifications/{nid}/done", data={"note": "再次", "csrf": csrf}
        ).status_code
        == 409
    )
    # the notices page now offers a new notice on the newest version
    assert (
        f'action="/notices/{again}/issue"'
        in site.client.get("/notices", params={"year": 2023}).text
    )


def test_issue_all_and_the_api_list(site: Site) -> None:
    ids = _upload_all(site)
    csrf = login(site.client, "管理员")
    page = site.client.get("/notices", params={"year": 2023}).text
    listed = page.count('class="notice-row"')
    assert listed >= 1
    answer = site.client.post(
        "/notices/issue",
        data={"year": "2023", "region": "", "deadline": "2099-06-30", "csrf": csrf},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and "/rectifications?year=2023" in answer.headers["location"]
    rows = _rows(site.client.get("/rectifications?year=2023").text, "rectifications-table")
    assert len(rows) == listed
    api = site.client.get(
        "/api/v1/rectifications",
        params={"year": 2023, "status": "pending"},
        headers=site.api("管理员"),
    ).json()
    assert api["total"] == listed
    assert {r["report"] for r in api["rectifications"]} <= set(ids)
    assert all(
        r["deadline"] == "2099-06-30" and r["label"] == "待整改" for r in api["rectifications"]
    )
    assert all(r["findings"] for r in api["rectifications"])
    again = site.client.post(
        "/notices/issue", data={"year": "2023", "csrf": csrf}, follow_redirects=False
    )
    assert again.status_code == 409  # each already has a pending notice
    bad = site.client.get(
        "/api/v1/rectifications", params={"status": "late"}, headers=site.api("管理员")
    )
    assert bad.status_code == 422 and "状态" in bad.json()["error"]["message"]
    outside = site.client.get(
        "/api/v1/rectifications", params={"region": "某某区"}, headers=site.api("发改填报")
    )
    assert outside.status_code == 404
    early = site.client.post(
        f"/notices/{ids[1]}/issue", data={"deadline": "2001-01-01", "csrf": csrf}
    )
    assert early.status_code == 422 and "整改期限" in early.text


def test_the_api_issues_a_notice_and_marks_it_rectified(site: Site) -> None:
    ids = _upload_all(site)
    bureau = ids[1]
    admin = site.api("管理员")
    refused = site.client.post(
        "/api/v1/rectifications", json={"report": bureau}, headers=site.api("发改填报")
    )
    assert refused.status_code == 403 and "监督人员" in refused.json()["error"]["message"]
    made = site.client.post(
        "/api/v1/rectifications",
        json={"report": bureau, "deadline": "2099-03-31", "office": "某某县政务公开办"},
        headers=admin,
    )
    assert made.status_code == 201, made.text
    got = made.json()
    assert got["report"] == bureau and got["deadline"] == "2099-03-31"
    assert got["status"] == "pending" and got["office"] == "某某县政务公开办"
    assert {f["code"] for f in got["findings"]} == {"SUM-001", "SUM-003"}
    again = site.client.post("/api/v1/rectifications", json={"report": bureau}, headers=admin)
    assert again.status_code == 409 and "尚未整改" in again.json()["error"]["message"]
    clean = site.client.post("/api/v1/rectifications", json={"report": ids[0]}, headers=admin)
    assert clean.status_code == 409 and "没有未撤销的问题" in clean.json()["error"]["message"]
    bad = site.client.post(
        "/api/v1/rectifications", json={"report": ids[2], "deadline": "明年"}, headers=admin
    )
    assert bad.status_code == 422 and "整改期限" in bad.json()["error"]["message"]
    done = site.client.post(
        f"/api/v1/rectifications/{got['id']}/rectified",
        json={"note": "已重新发布"},
        headers=admin,
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "rectified" and done.json()["settled_by"] == "管理员"
    assert done.json()["note"] == "已重新发布"
    twice = site.client.post(
        f"/api/v1/rectifications/{got['id']}/rectified", json={"note": "x"}, headers=admin
    )
    assert twice.status_code == 409
    login(site.client, "县监督")
    line = _row_of(site.client.get("/rectifications").text, got["id"])
    assert line[4].startswith("已整改") and "已重新发布（管理员）" in line[4]
