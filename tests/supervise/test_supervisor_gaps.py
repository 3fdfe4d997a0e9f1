"""What a supervisor hit using the example app (on SQLite and PostgreSQL): the links the
pages make from their own filter forms (``year=&deadline=``: fields left empty) open
instead of answering 422; the review page filters by rule and an undecided finding is
not pre-set to 确认; the report page says which notices were issued on it."""

from __future__ import annotations

import re

from tests.supervise.test_pages import BUREAU, _upload_all
from tests.supervise.test_rectify import _issue
from tests.web.conftest import Site, login


def test_the_links_with_empty_fields_open(site: Site) -> None:
    ids = _upload_all(site)
    login(site.client, "县监督")
    findings = site.client.get("/findings", params={"code": "SUM-001", "region": "", "year": ""})
    assert findings.status_code == 200, findings.text
    assert "SUM-001" in findings.text and "SUM-003" not in findings.text.split("问题明细", 1)[1]
    page = site.client.get("/findings")
    links = set(re.findall(r'href="(/findings[^"]*year=&[^"]*)"', page.text))
    assert links, "the findings page makes links with an empty year"
    for link in links:
        assert site.client.get(link.replace("&amp;", "&")).status_code == 200, link
    notices = site.client.get("/notices").text
    for link in re.findall(r'href="(/notices[^"]*deadline=&[^"]*)"', notices):
        got = site.client.get(link.replace("&amp;", "&"))
        assert got.status_code == 200, (link, got.text[:300])
    docx = site.client.get(f"/notices/{ids[1]}.docx?deadline=&office=")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    # the API keeps its strict parameters
    api = site.client.get("/api/v1/filings", params={"year": ""}, headers=site.api("管理员"))
    assert api.status_code == 422


def test_the_review_page_filters_by_rule_and_presets_no_conclusion(site: Site) -> None:
    _upload_all(site)
    login(site.client, "县监督")
    page = site.client.get("/review", params={"code": "SUM-003"}).text
    codes = re.findall(r"<td><code>([A-Z]+-\d+)</code></td>", page)
    assert codes == ["SUM-003"]
    assert "<option selected>SUM-003</option>" in page
    everything = site.client.get("/review").text
    assert len(re.findall(r"<td><code>", everything)) > len(codes)
    assert everything.count('<option value="" selected>请选择</option>') == len(
        re.findall(r"<td><code>", everything)
    )


def test_the_report_page_names_the_notices_issued(site: Site) -> None:
    ids = _upload_all(site)
    csrf = login(site.client, "县监督")
    bureau = ids[1]
    assert 'id="notice-line"' not in site.client.get(f"/reports/{bureau}").text
    nid = _issue(site, csrf, bureau, "2099-01-31")
    page = site.client.get(f"/reports/{bureau}").text
    line = re.sub(r"<[^>]+>", "", page.split('id="notice-line"', 1)[1].split("</p>", 1)[0])
    assert f"第 {nid} 号" in line and "整改期限 2099-01-31" in line and "待整改" in line
    assert BUREAU in page


def test_the_notices_page_warns_of_a_deadline_already_past(site: Site) -> None:
    _upload_all(site)
    login(site.client, "县监督")
    past = site.client.get("/notices", params={"year": 2023, "deadline": "2001-06-30"}).text
    assert 'id="deadline-past"' in past and "2001-06-30 早于今天" in past
    later = site.client.get("/notices", params={"year": 2023, "deadline": "2099-06-30"}).text
    assert 'id="deadline-past"' not in later and 'id="issue-all"' in later


def test_after_a_decision_the_review_page_opens_at_its_row(site: Site) -> None:
    ids = _upload_all(site)
    csrf = login(site.client, "县监督")
    answer = site.client.post(
        "/review",
        data={
            "report": ids[1],
            "index": 1,
            "decision": "confirmed",
            "reason": "属实",
            "csrf": csrf,
            "next": "/review?year=2023&state=open",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/review?year=2023&state=open#r{ids[1]}-1"
    page = site.client.get(answer.headers["location"].split("#")[0]).text
    assert f'id="r{ids[1]}-1"' in page


def test_an_error_after_a_form_leads_back_to_the_form(site: Site) -> None:
    ids = _upload_all(site)
    csrf = login(site.client, "县监督")
    form = "http://testserver/notices?year=2023"
    data = {"deadline": "2099-01-01", "csrf": csrf}
    first = site.client.post(f"/notices/{ids[1]}/issue", data=data, follow_redirects=False)
    assert first.status_code == 303
    again = site.client.post(f"/notices/{ids[1]}/issue", data=data, headers={"referer": form})
    assert again.status_code == 409
    assert '<a href="/notices?year=2023" id="back">返回上一页</a>' in again.text
    elsewhere = site.client.post(
        f"/notices/{ids[1]}/issue", data=data, headers={"referer": "https://example.com/x"}
    )
    assert elsewhere.status_code == 409 and 'id="back"' not in elsewhere.text
