"""Filing before publishing (报送审核) and the correction of a value, on SQLite and
PostgreSQL: the steps with their dates and users, a return and a resubmission, an
approval refused for a draft with errors unless overridden with a reason, the agencies
missing by the local deadline, the published file compared with the approved draft,
scope and CSRF; a correction making version 2 with its trail, checked again."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.supervise.test_pages import BUREAU, _broken, _report, _upload
from tests.web.conftest import Site, csrf_of, login
from xxgk.store.filing_models import Filing
from xxgk.store.models import AuditEntry, StoredReport
from xxgk.web.worker import run_pending


def _draft(site: Site, broken: bool = False, granted: int = 30) -> int:
    report = _report(BUREAU, 2023, granted, 6, 4, "本年度我局工作有序开展。")
    rid = _upload(site, BUREAU, _broken(report) if broken else report)
    run_pending(site.store)
    return rid


def _as(site: Site, user: str) -> tuple[TestClient, str]:
    client = site.fresh_client()
    return client, login(client, user)


def _submit(client: TestClient, csrf: str, rid: int) -> int:
    answer = client.post(
        "/filings/submit", data={"report": rid, "csrf": csrf}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    return answer.status_code


def _filing(site: Site) -> tuple[int, str, list[tuple[str, str | None, int | None, str]]]:
    with site.store.session() as s:
        f = s.scalars(select(Filing)).one()
        return f.id, f.state, [(e.state, e.username, e.report_id, e.reason) for e in f.events]


def _rows(html: str, table: str) -> list[list[str]]:
    m = re.search(rf'<table[^>]*id="{table}".*?<tbody>(.*?)</tbody>', html, re.S)
    assert m, f"no table {table}"
    out = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", m.group(1), re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        out.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return out


def test_a_filing_is_returned_resubmitted_and_approved_each_step_dated_and_signed(
    site: Site,
) -> None:
    rid = _draft(site)
    clerk, c_csrf = _as(site, "发改填报")
    report_page = clerk.get(f"/reports/{rid}").text
    assert "报送审核：尚未报送" in report_page and f'href="/filings/report/{rid}"' in report_page
    page = clerk.get(f"/filings/report/{rid}").text
    assert 'id="submit-form"' in page and "起草（尚未报送）" in page
    assert "2024-01-31（法定时限" in page  # a department: 1月31日
    _submit(clerk, c_csrf, rid)
    fid, state, _ = _filing(site)
    assert state == "submitted"
    # the supervisor sees it among the submitted, returns it with a reason
    boss, b_csrf = _as(site, "县监督")
    listing = boss.get("/filings", params={"year": 2023}).text
    assert BUREAU in _rows(listing, "filings-submitted")[0][0]
    assert BUREAU not in listing.split('id="h-missing"')[1]
    empty = boss.post(f"/filings/{fid}/return", data={"reason": " ", "csrf": b_csrf})
    assert empty.status_code == 409 and "理由" in empty.text
    back = boss.post(
        f"/filings/{fid}/return",
        data={"reason": "第五部分未写改进措施", "csrf": b_csrf},
        follow_redirects=False,
    )
    assert back.status_code == 303
    assert _filing(site)[1] == "returned"
    assert "退回修改" in clerk.get(f"/reports/{rid}").text
    # approving a returned filing is not a step; the clerk submits again, then approval
    assert boss.post(f"/filings/{fid}/approve", data={"csrf": b_csrf}).status_code == 409
    _submit(clerk, c_csrf, rid)
    ok = boss.post(f"/filings/{fid}/approve", data={"csrf": b_csrf}, follow_redirects=False)
    assert ok.status_code == 303
    _, state, events = _filing(site)
    assert state == "approved"
    assert [(e[0], e[1], e[2]) for e in events] == [
        ("submitted", "发改填报", rid),
        ("returned", "县监督", rid),
        ("submitted", "发改填报", rid),
        ("approved", "县监督", rid),
    ]
    assert events[1][3] == "第五部分未写改进措施"
    trail = _rows(clerk.get(f"/filings/report/{rid}").text, "filing-events")
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    assert [r[1] for r in trail] == ["报送", "退回修改", "报送", "审核通过"]
    assert all(r[0].startswith(today) for r in trail) and trail[1][4] == "第五部分未写改进措施"
    assert _rows(boss.get("/filings?year=2023").text, "filings-approved")[0][0] == BUREAU
    with site.store.session() as s:
        actions = [a.action for a in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert [a for a in actions if a.startswith("filing.")] == [
        "filing.submitted",
        "filing.returned",
        "filing.submitted",
        "filing.approved",
    ]


def test_a_draft_with_errors_is_approved_only_with_a_recorded_override(site: Site) -> None:
    rid = _draft(site, broken=True)
    clerk, c_csrf = _as(site, "发改填报")
    _submit(clerk, c_csrf, rid)
    fid = _filing(site)[0]
    boss, b_csrf = _as(site, "县监督")
    row = _rows(boss.get("/filings?year=2023").text, "filings-submitted")[0]
    assert int(row[4]) >= 1  # the errors column
    refused = boss.post(f"/filings/{fid}/approve", data={"csrf": b_csrf})
    assert refused.status_code == 409 and "个错误，不能审核通过" in refused.text
    assert _filing(site)[1] == "submitted"
    ok = boss.post(
        f"/filings/{fid}/approve",
        data={"csrf": b_csrf, "override": "差额系统导出所致，已书面说明"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    _, state, events = _filing(site)
    assert state == "approved" and "仍予通过：差额系统导出所致，已书面说明" in events[-1][3]
    page = clerk.get(f"/filings/report/{rid}").text
    assert "仍予通过</dt><dd>差额系统导出所致，已书面说明" in page


def test_the_supervisor_sees_who_has_not_submitted_by_the_local_deadline(site: Site) -> None:
    boss, b_csrf = _as(site, "县监督")
    missing = {r[0]: r for r in _rows(boss.get("/filings?year=2023").text, "filings-missing")}
    assert set(missing) == {"某某县", BUREAU, "某某县某某镇人民政府"}  # the county's tree
    assert missing["某某县某某镇人民政府"][1].startswith("2024-01-31")
    assert missing["某某县"][1].startswith("2024-03-31")  # a government: 3月31日
    assert all(r[2] == "已过期限未报送" for r in missing.values())
    future = _rows(boss.get("/filings?year=2099").text, "filings-missing")
    assert all(r[2] == "起草中（未到期限）" for r in future)
    # a local deadline on the county applies to its units
    set_ = boss.post(
        "/filings/deadline",
        data={"agency": "某某县", "month": 2, "day": 15, "csrf": b_csrf},
        follow_redirects=False,
    )
    assert set_.status_code == 303
    missing = {r[0]: r for r in _rows(boss.get("/filings?year=2023").text, "filings-missing")}
    assert missing["某某县某某镇人民政府"][1] == "2024-02-15 某某县规定"
    assert missing["某某县"][1] == "2024-02-15 某某县规定"
    bad = boss.post(
        "/filings/deadline", data={"agency": "某某县", "month": 2, "day": 30, "csrf": b_csrf}
    )
    assert bad.status_code == 422 and "2月30日" in bad.text
    other = boss.post(
        "/filings/deadline", data={"agency": "某某区", "month": 2, "day": 1, "csrf": b_csrf}
    )
    assert other.status_code == 404
    # a submitted report leaves the missing list
    rid = _draft(site)
    clerk, c_csrf = _as(site, "发改填报")
    _submit(clerk, c_csrf, rid)
    listing = boss.get("/filings?year=2023").text
    assert BUREAU not in {r[0] for r in _rows(listing, "filings-missing")}
    assert "逾期报送" in _rows(listing, "filings-submitted")[0][3]  # filed after 2024-02-15


def test_the_published_file_is_compared_with_the_approved_draft(site: Site) -> None:
    rid = _draft(site)
    clerk, c_csrf = _as(site, "发改填报")
    _submit(clerk, c_csrf, rid)
    fid = _filing(site)[0]
    boss, b_csrf = _as(site, "县监督")
    boss.post(f"/filings/{fid}/approve", data={"csrf": b_csrf})
    # the file published differs: 予以公开 31 instead of 30 (still consistent)
    published = _draft(site, granted=31)
    page = clerk.get(f"/filings/report/{published}").text
    assert 'id="publish-form"' in page
    answer = clerk.post(
        f"/filings/{fid}/publish",
        data={"report": published, "csrf": csrf_of(page)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert _filing(site)[1] == "published"
    page = clerk.get(f"/filings/report/{published}").text
    assert 'id="published-differs"' in page
    diffs = {r[0].split()[-1]: r[1:] for r in _rows(page, "differences") if r}
    assert diffs["t3.granted.natural"] == ["30", "31"]
    assert diffs["t3.granted.total"] == ["30", "31"]
    report_page = clerk.get(f"/reports/{published}").text
    assert "发布稿与审核通过稿不一致" in report_page and "30 → 31" in report_page
    listing = boss.get("/filings?year=2023").text
    assert "与审核稿不同" in _rows(listing, "filings-published")[0][1]


def test_the_same_file_published_is_no_difference(site: Site) -> None:
    rid = _draft(site)
    clerk, c_csrf = _as(site, "发改填报")
    _submit(clerk, c_csrf, rid)
    fid = _filing(site)[0]
    boss, b_csrf = _as(site, "县监督")
    boss.post(f"/filings/{fid}/approve", data={"csrf": b_csrf})
    clerk.post(f"/filings/{fid}/publish", data={"report": rid, "csrf": c_csrf})
    assert _filing(site)[1] == "published"
    page = clerk.get(f"/filings/report/{rid}").text
    assert "发布稿与审核通过稿是同一文件" in page and 'id="published-differs"' not in page


def test_scope_and_csrf(site: Site) -> None:
    rid = _draft(site)
    other, o_csrf = _as(site, "区办填报")
    assert other.get(f"/filings/report/{rid}").status_code == 404
    assert other.post("/filings/submit", data={"report": rid, "csrf": o_csrf}).status_code == 404
    clerk, c_csrf = _as(site, "发改填报")
    forged = clerk.post("/filings/submit", data={"report": rid, "csrf": "forged"})
    assert forged.status_code == 403 and "CSRF" in forged.text
    _submit(clerk, c_csrf, rid)
    fid = _filing(site)[0]
    # a clerk does not approve their own draft; another region's supervisor sees nothing
    assert clerk.post(f"/filings/{fid}/approve", data={"csrf": c_csrf}).status_code == 403
    region, r_csrf = _as(site, "区监督")
    assert region.post(f"/filings/{fid}/approve", data={"csrf": r_csrf}).status_code == 404
    assert BUREAU not in region.get("/filings?year=2023").text
    boss, _ = _as(site, "县监督")
    assert boss.post(f"/filings/{fid}/approve", data={"csrf": ""}).status_code == 403
    assert boss.post(f"/filings/{fid}/return", data={"reason": "x"}).status_code == 403
    fix = clerk.post(
        f"/reports/{rid}/correct", data={"cell": "t3.new.natural", "value": "1", "reason": "x"}
    )
    assert fix.status_code == 403
    assert _filing(site)[1] == "submitted"
    assert (
        other.post(
            f"/reports/{rid}/correct",
            data={"cell": "t3.new.natural", "value": "1", "reason": "x", "csrf": o_csrf},
        ).status_code
        == 404
    )


def test_a_correction_makes_version_2_with_the_trail_and_is_checked_again(site: Site) -> None:
    rid = _draft(site, broken=True)
    with site.store.session() as s:
        row = s.get(StoredReport, rid)
        assert row is not None and row.result is not None
        wrong = row.result["report"]["tables"]["t3"]["new"]["natural"]
        sums = [f for f in row.result["findings"] if f["code"].startswith("SUM-")]
        raw = row.result["report"]["cells"]["t3.new.natural"]["raw"]
    assert sums and any("t3.new.natural" in f["cells"] for f in sums)
    clerk, c_csrf = _as(site, "发改填报")
    page = clerk.get(f"/filings/report/{rid}").text
    assert 'id="correct-form"' in page
    no_reason = clerk.post(
        f"/reports/{rid}/correct",
        data={"cell": "t3.new.natural", "value": str(wrong - 1), "reason": "", "csrf": c_csrf},
    )
    assert no_reason.status_code == 422 and "更正理由" in no_reason.text
    not_a_number = clerk.post(
        f"/reports/{rid}/correct",
        data={"cell": "t3.new.natural", "value": "三十", "reason": "笔误", "csrf": c_csrf},
    )
    assert not_a_number.status_code == 422 and "不是数值" in not_a_number.text
    answer = clerk.post(
        f"/reports/{rid}/correct",
        data={
            "cell": "t3.new.natural",
            "value": str(wrong - 1),
            "reason": "录入时多计 1 件",
            "csrf": c_csrf,
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    new = int(answer.headers["location"].rsplit("/", 1)[1])
    assert new != rid
    with site.store.session() as s:
        old, fixed = s.get(StoredReport, rid), s.get(StoredReport, new)
        assert old is not None and fixed is not None
        assert old.version == 1 and fixed.version == 2
        assert old.result is not None and fixed.result is not None and fixed.status == "done"
        assert old.result["report"]["tables"]["t3"]["new"]["natural"] == wrong  # kept
        assert fixed.result["report"]["tables"]["t3"]["new"]["natural"] == wrong - 1
        assert not [f for f in fixed.result["findings"] if f["code"].startswith("SUM-")]
        assert fixed.file_sha256 != old.file_sha256
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "report.correct")).one()
        assert f"{wrong} → {wrong - 1}" in audit.detail
    trail = _rows(clerk.get(f"/filings/report/{new}").text, "correction-trail")
    assert len(trail) == 1
    _, cell, before, after, source, reason, who, made = trail[0]
    assert "t3.new.natural" in cell and before == str(wrong) and after == str(wrong - 1)
    assert f"原文“{raw}”" in source and reason == "录入时多计 1 件" and who == "发改填报"
    assert f"报告 {new}" in made and f"由报告 {rid} 更正" in made
    shown = clerk.get(f"/reports/{new}")
    assert shown.status_code == 200 and "第 2 版" in shown.text
    # a second correction on version 2 keeps the first in the trail (version 3)
    again = clerk.post(
        f"/reports/{new}/correct",
        data={"cell": "t3.granted.legal_service", "value": "1", "reason": "补录", "csrf": c_csrf},
        follow_redirects=False,
    )
    assert again.status_code == 303, again.text
    third = int(again.headers["location"].rsplit("/", 1)[1])
    trail = _rows(clerk.get(f"/filings/report/{third}").text, "correction-trail")
    assert [r[1].split()[-1] for r in trail] == ["t3.new.natural", "t3.granted.legal_service"]
    # the corrected version is what gets submitted
    _submit(clerk, c_csrf, third)
    with site.store.session() as s:
        assert s.scalars(select(Filing)).one().report_id == third


def test_a_filing_is_late_by_its_day_in_china(site: Site) -> None:
    rid = _draft(site)
    clerk, c_csrf = _as(site, "发改填报")
    _submit(clerk, c_csrf, rid)  # a department's 2023 report: due 2024-01-31
    boss, _ = _as(site, "县监督")

    def shown(at: datetime) -> tuple[str, bool]:
        with site.store.session() as s:
            f = s.scalars(select(Filing)).one()
            f.submitted = at
        cell = _rows(boss.get("/filings", params={"year": 2023}).text, "filings-submitted")[0][3]
        api = boss.get("/api/v1/filings", params={"year": 2023}, headers=site.api("县监督"))
        line = next(x for x in api.json()["filings"] if x["agency"] == BUREAU)
        return " ".join(cell.split()), line["late"]

    # 23:59 on 1月31日 in Beijing is 15:59 UTC; 00:30 on 2月1日 is still 1月31日 in UTC
    on_time = shown(datetime(2024, 1, 31, 15, 59, tzinfo=UTC))
    assert on_time[0].endswith("2024-01-31 报送 按期报送") and on_time[1] is False
    late = shown(datetime(2024, 1, 31, 16, 30, tzinfo=UTC))
    assert late[0].endswith("2024-02-01 报送 逾期报送") and late[1] is True
