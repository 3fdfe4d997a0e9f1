"""Loose ends a supervisor would hit (on SQLite and PostgreSQL): /filings opens on the
newest year that has reports or filings and says which year it shows (the choice
stays in the query string), and an agency not yet filed whose report is stored says
so; the dashboard's 应报送报告 names the agencies of the
directory it counts (not "0 reports"); a signed-in user's error pages (404, 403, 422)
keep the navigation bar and the way back, a signed-out one's do not show it."""

from __future__ import annotations

import csv
import io
import re

from tests.supervise.test_pages import BUREAU, _rows, _upload_all
from tests.web.conftest import Site, login


def _shown(html: str) -> str:
    m = re.search(r'id="year-shown"[^>]*>(.*?)</p>', html, re.S)
    assert m, "the page does not say which year it shows"
    return " ".join(re.sub(r"<[^>]+>", " ", m.group(1)).split())


def test_filings_open_on_the_newest_year_with_reports(site: Site) -> None:
    login(site.client, "县监督")
    empty = site.client.get("/filings").text  # nothing yet: last year, and it says why
    assert "尚无报告或报送" in _shown(empty)
    ids = _upload_all(site)  # reports of 2022 and 2023
    page = site.client.get("/filings").text
    missing = {r[0]: r[2] for r in _rows(page, "filings-missing")}
    assert "已上传报告（第 1 版），尚未报送审核" in missing[BUREAU]  # not "no report"
    assert f'href="/filings/report/{ids[1]}"' in page
    assert "已上传报告" not in missing["某某县"]  # the county itself has none
    assert "<h1>报送审核 · 2023 年度</h1>" in page
    assert "显示 2023 年度" in _shown(page) and "最近年度" in _shown(page)
    assert 'href="/filings?year=2022"' in page  # the other year, a link away
    chosen = site.client.get("/filings", params={"year": 2022}).text
    assert "<h1>报送审核 · 2022 年度</h1>" in chosen and "最近年度" not in _shown(chosen)
    api = site.client.get("/api/v1/filings", headers=site.api("县监督")).json()
    assert api["year"] == 2023


def test_the_expected_reports_row_names_the_directory_agencies(site: Site) -> None:
    _upload_all(site)
    login(site.client, "县监督")  # 某某县: the county, its bureau and its town
    params = {"year": 2023}
    page = site.client.get("/dashboard", params=params).text
    rows = {r[0]: r for r in _rows(page, "table-indicators")}
    expected = rows["应报送报告"]
    assert expected[1] == "3"
    assert expected[6].startswith("机关目录 3 个机关") and expected[6] != "0"
    for name in ("某某县", "某某县发展和改革局", "某某县某某镇人民政府"):
        assert f'href="/catalogue?region={name}"' in page or name in expected[6]
    assert rows["已报送报告"][6].startswith("2 份")  # the reports it rests on
    lines = list(
        csv.reader(
            io.StringIO(
                site.client.get("/dashboard/indicators.csv", params=params).content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    exported = next(r for r in lines if r[0] == "应报送报告")
    assert exported[6] == "机关目录 3 个机关"


def test_error_pages_keep_the_navigation_bar(site: Site) -> None:
    anonymous = site.fresh_client().get("/no-such-page")
    assert anonymous.status_code == 404 and "<nav>" not in anonymous.text
    csrf = login(site.client, "发改填报")
    missing = site.client.get("/reports/424242")
    assert missing.status_code == 404 and "没有编号为 424242 的报告" in missing.text
    assert "<nav>" in missing.text and 'href="/upload"' in missing.text
    assert "发改填报（填报人员" in missing.text and 'href="/"' in missing.text
    refused = site.client.post(
        "/review",
        data={"report": 1, "index": 0, "decision": "dismissed", "reason": "x", "csrf": csrf},
        headers={"referer": str(site.client.base_url) + "/review"},
    )
    assert refused.status_code == 403 and "<nav>" in refused.text
    assert 'id="back" href="/review"' in refused.text or 'href="/review" id="back"' in refused.text
    bad = site.client.get("/reports/abc")
    assert bad.status_code == 422 and "<nav>" in bad.text and "返回报告列表" in bad.text
