"""The supervision pages: dashboard (indicators with formulas and report links, trends
and rankings as tables with CSV/XLSX export), year over year, the review of findings
(确认 / 不成立 that sticks across re-checks, audited, left out of the counts) and the
年报审查意见 downloads."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.web.conftest import Site, login
from xxgk.model import Report
from xxgk.render.text import render_text
from xxgk.store.models import AuditEntry, StoredReport
from xxgk.supervise import indicators
from xxgk.synth import consistent_report
from xxgk.web.worker import run_pending

BUREAU = "某某县发展和改革局"
TOWN = "某某县某某镇人民政府"
OFFICE = "某某区某某办公室"
LAST_YEAR = "本年度我局认真贯彻落实政府信息公开条例，主动公开各类信息，依申请公开工作规范有序。"
THIS_YEAR = "本年度我局认真贯彻落实政府信息公开条例，主动公开各类信息，依申请公开工作规范有序。"
CHANGED = "今年我局继续推进政务公开标准化规范化，新增公开专栏三个。"


def _report(agency: str, year: int, granted: int, partial: int, unable: int, one: str) -> Report:
    return consistent_report(
        leaves={
            "granted": {"natural": granted},
            "partial": {"natural": partial},
            "unable_not_held": {"natural": unable},
        },
        cases={"review": {"upheld": 2, "corrected": 1, "pending": 1}},
        agency=agency,
        year=year,
        published=f"{year + 1}-01-20",
        sections={1: one, 5: "存在问题：形式单一。改进措施：丰富形式。", 6: "无。"},
    )


def _broken(report: Report) -> Report:
    """The report with 本年新收 (自然人) one more than its parts: a SUM error."""
    t3 = report.tables["t3"]
    t3["new"]["natural"] = int(t3["new"]["natural"] or 0) + 1  # type: ignore[index]
    return report


REPORTS = [
    (BUREAU, _report(BUREAU, 2022, 20, 5, 5, LAST_YEAR)),
    (BUREAU, _broken(_report(BUREAU, 2023, 30, 6, 4, THIS_YEAR + CHANGED))),
    (TOWN, _report(TOWN, 2023, 2, 0, 1, "本镇工作有序开展。")),
    (OFFICE, _report(OFFICE, 2023, 10, 0, 10, "本办工作有序开展。")),
]


def _upload(site: Site, agency: str, report: Report, name: str | None = None) -> int:
    answer = site.client.post(
        "/api/v1/reports",
        files={
            "file": (name or f"{agency}{report.year}.txt", render_text(report, "tabs").encode())
        },
        data={"agency": agency},
        headers=site.api("管理员"),
    )
    assert answer.status_code == 201, answer.text
    rid: int = answer.json()["id"]
    return rid


def _upload_all(site: Site) -> list[int]:
    ids = [_upload(site, a, r) for a, r in REPORTS]
    run_pending(site.store)
    return ids


def _api(site: Site, user: str, year: int) -> dict[str, object]:
    got: dict[str, object] = site.client.get(
        "/api/v1/indicators", params={"year": year}, headers=site.api(user)
    ).json()
    return got


def _rows(html: str, table: str) -> list[list[str]]:
    """The body rows of the table with id ``table`` as the page prints them."""
    m = re.search(rf'<table[^>]*id="{table}".*?<tbody>(.*?)</tbody>', html, re.S)
    assert m, f"no table {table}"
    rows = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", m.group(1), re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr, re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


def test_the_dashboard_states_each_indicator_with_its_formula_and_reports(site: Site) -> None:
    ids = _upload_all(site)
    login(site.client, "管理员")
    page = site.client.get("/dashboard", params={"year": 2023})
    assert page.status_code == 200, page.text
    for ind in indicators.INDICATORS:
        assert ind.label in page.text and ind.formula in page.text
    api = _api(site, "管理员", 2023)
    rows = {r[0]: r for r in _rows(page.text, "table-indicators")}
    assert rows["已报送报告"][1] == "3"
    assert rows["收到申请"][1] == str(api["requests_received"])
    assert rows["实质公开率"][1] == str(round(float(api["disclosure_rate"]) * 100, 1))  # type: ignore[arg-type]
    assert rows["勾稽错误报告"][1] == "1"  # the bureau's broken 本年新收
    for rid in ids[1:]:  # 2023's reports are linked from the indicators they rest on
        assert f'href="/reports/{rid}"' in page.text
    assert f'href="/reports/{ids[0]}"' not in page.text.split('id="table-trend"')[0]
    # the trend covers both years; the ranking leaves units under 30 requests unranked
    trend = _rows(page.text, "table-trend")
    assert [r[0] for r in trend] == ["2022", "2023"]
    assert trend[0][1] == "1" and trend[1][1] == "3"
    region = {r[1]: r for r in _rows(page.text, "table-region")}
    assert region["某某区"][0] == "—" and "不足30件" in region["某某区"][4]
    assert region["某某县"][0] == "1"
    level = {r[1] for r in _rows(page.text, "table-level")}
    assert level == {"部门", "乡"}
    assert "vendor/echarts.min.js" in page.text and "cdn" not in page.text.lower()


def test_each_table_exports_as_csv_and_xlsx_with_the_page_numbers(site: Site) -> None:
    from openpyxl import load_workbook

    _upload_all(site)
    login(site.client, "管理员")
    params = {"year": 2023, "key": "requests_received"}
    page = site.client.get("/dashboard", params=params).text
    for name in ("indicators", "trend", "region", "level"):
        got = site.client.get(f"/dashboard/{name}.csv", params=params)
        assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
        lines = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
        shown = _rows(page, f"table-{name}")
        assert len(set(lines[0])) == len(lines[0]), lines[0]  # 收到申请 not twice
        assert len(lines) == len(shown) + 1
        for printed, exported in zip(shown, lines[1:], strict=True):
            assert printed[1].replace("—", "") in (exported[1], exported[1].split(" ")[0])
        book = site.client.get(f"/dashboard/{name}.xlsx", params=params)
        assert book.status_code == 200
        ws = load_workbook(io.BytesIO(book.content)).active
        assert ws is not None
        values = list(ws.iter_rows(values_only=True))
        assert list(values[0]) == lines[0]
        assert [str(v) if v is not None else "" for v in values[1]] == lines[1]
    region = list(
        csv.reader(
            io.StringIO(
                site.client.get("/dashboard/region.csv", params=params).content.decode("utf-8-sig")
            )
        )
    )
    county = next(r for r in region if r[1] == "某某县")
    assert int(county[2]) == sum(int(r.tables["t3"]["new"]["total"] or 0) for a, r in REPORTS[1:3])
    assert site.client.get("/dashboard/nothing.csv").status_code == 404


def test_a_clerk_sees_their_agency_only(site: Site) -> None:
    _upload_all(site)
    login(site.client, "区办填报")
    rows = {
        r[0]: r for r in _rows(site.client.get("/dashboard?year=2023").text, "table-indicators")
    }
    assert rows["已报送报告"][1] == "1"
    assert site.client.get("/dashboard?region=某某县").status_code == 422


def test_year_over_year_shows_changed_cells_and_the_repeated_text(site: Site) -> None:
    ids = _upload_all(site)
    login(site.client, "县监督")
    page = site.client.get(f"/compare/{ids[1]}")
    assert page.status_code == 200, page.text
    assert f'href="/reports/{ids[0]}"' in page.text  # last year's report named
    for title in ("表二", "表三", "表四"):
        assert title in page.text
    # 予以公开 went from 20 to 30: a highlighted row with its change
    m = re.search(r'<tr class="changed" id="c-t3\.granted\.natural">(.*?)</tr>', page.text, re.S)
    assert m, "the changed cell is not highlighted"
    assert ">20<" in m.group(1) and ">30<" in m.group(1) and "+10" in m.group(1)
    # section 1 repeats last year's sentence and adds one: the same text marked, TXT-004's share
    assert '<span class="same">' + LAST_YEAR in page.text
    assert "<ins>" + CHANGED in page.text or CHANGED in page.text.split("<ins")[1]
    assert re.search(r"与上年重复 \d+%", page.text)
    assert "TXT-004" in page.text
    none = site.client.get(f"/compare/{ids[0]}")
    assert none.status_code == 200 and "没有该机关上一年度" in none.text
    clerk = site.fresh_client()
    login(clerk, "区办填报")
    assert clerk.get(f"/compare/{ids[1]}").status_code == 404


def _sum_finding(site: Site, rid: int, after: int = -1) -> int:
    with site.store.session() as s:
        row = s.get(StoredReport, rid)
        assert row is not None and row.result is not None
        found = row.result["findings"]
    return next(i for i, f in enumerate(found) if f["code"].startswith("SUM-") and i > after)


def test_a_dismissed_finding_stays_dismissed_after_a_recheck_and_is_not_counted(
    site: Site,
) -> None:
    ids = _upload_all(site)
    bureau = ids[1]
    index = _sum_finding(site, bureau)
    csrf = login(site.client, "县监督")
    before = site.client.get("/catalogue", params={"year": 2023}).text
    errors_before = int(re.search(r"错误 (\d+)", before.split(BUREAU)[1]).group(1))  # type: ignore[union-attr]
    assert errors_before >= 1
    page = site.client.get("/review", params={"report": bureau})
    assert page.status_code == 200 and "form" in page.text
    no_reason = site.client.post(
        "/review",
        data={"report": bureau, "index": index, "decision": "dismissed", "csrf": csrf},
    )
    assert no_reason.status_code == 422 and "理由" in no_reason.text
    done = site.client.post(
        "/review",
        data={
            "report": bureau,
            "index": index,
            "decision": "dismissed",
            "reason": "原表如此，已电话核实",
            "csrf": csrf,
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    page = site.client.get("/review", params={"report": bureau}).text
    assert "不成立" in page and "原表如此，已电话核实" in page and "县监督" in page
    after = site.client.get("/catalogue", params={"year": 2023}).text
    errors_after = int(re.search(r"错误 (\d+)", after.split(BUREAU)[1]).group(1))  # type: ignore[union-attr]
    assert errors_after == errors_before - 1
    rows = {
        r[0]: r for r in _rows(site.client.get("/dashboard?year=2023").text, "table-indicators")
    }
    assert rows["勾稽错误报告"][1] == "1"  # its other SUM error still stands
    other = _sum_finding(site, bureau, after=index)
    site.client.post(
        "/review",
        data={
            "report": bureau,
            "index": other,
            "decision": "dismissed",
            "reason": "同上",
            "csrf": csrf,
        },
    )
    rows = {
        r[0]: r for r in _rows(site.client.get("/dashboard?year=2023").text, "table-indicators")
    }
    assert rows["勾稽错误报告"][1] == "0"
    with site.store.session() as s:
        logged = s.scalars(select(AuditEntry).where(AuditEntry.action == "finding_review")).all()
        assert len(logged) == 2 and "不成立" in logged[0].detail and logged[0].username == "县监督"
        # the same file checked again (a re-parse): the decision is found again
        row = s.get(StoredReport, bureau)
        assert row is not None
        row.status, row.result = "queued", None
    run_pending(site.store)
    page = site.client.get("/review", params={"report": bureau, "state": "dismissed"}).text
    assert "原表如此，已电话核实" in page
    again = site.client.get("/catalogue", params={"year": 2023}).text
    assert int(re.search(r"错误 (\d+)", again.split(BUREAU)[1]).group(1)) == errors_after - 1  # type: ignore[union-attr]


def test_a_clerk_cannot_decide_and_the_csrf_token_is_checked(site: Site) -> None:
    ids = _upload_all(site)
    csrf = login(site.client, "发改填报")
    data = {"report": ids[1], "index": 0, "decision": "dismissed", "reason": "x", "csrf": csrf}
    assert site.client.post("/review", data=data).status_code == 403
    supervisor = site.fresh_client()
    csrf = login(supervisor, "县监督")
    assert supervisor.post("/review", data={**data, "csrf": "wrong"}).status_code == 403
    wrong = {**data, "decision": "maybe", "csrf": csrf}
    assert supervisor.post("/review", data=wrong).status_code == 422
    outside = {**data, "report": ids[3], "csrf": csrf}
    assert supervisor.post("/review", data=outside).status_code == 404


def _docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    bits = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            bits.extend(c.text for c in row.cells)
    return "\n".join(bits)


def test_notices_for_one_agency_and_a_zip_of_those_with_open_findings(site: Site) -> None:
    ids = _upload_all(site)
    bureau = ids[1]
    csrf = login(site.client, "管理员")
    page = site.client.get("/notices", params={"year": 2023})
    assert page.status_code == 200 and BUREAU in page.text
    one = site.client.get(f"/notices/{bureau}.docx", params={"deadline": "2024-06-30"})
    assert one.status_code == 200, one.text
    text = _docx_text(one.content)
    assert BUREAU in text and "2024年6月30日" in text
    index = _sum_finding(site, bureau)
    with site.store.session() as s:
        row = s.get(StoredReport, bureau)
        assert row is not None and row.result is not None
        message = row.result["findings"][index]["message"]
    assert message in text
    site.client.post(
        "/review",
        data={
            "report": bureau,
            "index": index,
            "decision": "dismissed",
            "reason": "核实无误",
            "csrf": csrf,
        },
    )
    assert message not in _docx_text(site.client.get(f"/notices/{bureau}.docx").content)
    bundle = site.client.get("/notices.zip", params={"year": 2023, "deadline": "2024-06-30"})
    assert bundle.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(bundle.content)).namelist()
    listed = site.client.get("/notices", params={"year": 2023}).text
    assert len(names) == listed.count('class="notice-row"')
    assert all(n.endswith(".docx") for n in names)
    assert site.client.get(f"/notices/{bureau}.txt").status_code == 404
    clerk = site.fresh_client()
    login(clerk, "区办填报")
    assert clerk.get(f"/notices/{bureau}.docx").status_code == 404


@pytest.mark.parametrize("path", ["/dashboard", "/review", "/notices", "/compare/1"])
def test_the_pages_need_a_login(site: Site, path: str) -> None:
    got = site.fresh_client().get(path, follow_redirects=False)
    assert got.status_code == 303 and "/login" in got.headers["location"]


def test_the_api_serves_the_dashboards_trend_and_rankings(site: Site) -> None:
    _upload_all(site)
    got = site.client.get(
        "/api/v1/indicators",
        params={"year": 2023, "rank": "disclosure_rate"},
        headers=site.api("管理员"),
    )
    assert got.status_code == 200, got.text
    data = got.json()
    assert [t["year"] for t in data["trend"]] == [2022, 2023]
    assert data["reports"] == 3  # the year's figures are still the year's alone
    login(site.client, "管理员")
    page = site.client.get("/dashboard", params={"year": 2023}).text
    trend = _rows(page, "table-trend")
    for row, t in zip(trend, data["trend"], strict=True):
        assert row[3] == str(round(t["disclosure_rate"] * 100, 1))
    region = {r[1]: r for r in _rows(page, "table-region")}
    for r in data["rankings"]["region"]:
        assert region[r["group"]][0] == (str(r["rank"]) if r["rank"] else "—")
        assert region[r["group"]][2] == str(round(r["value"] * 100, 1))
    assert {r["group"] for r in data["rankings"]["level"]} == {"部门", "乡"}
    plain = site.client.get("/api/v1/indicators", params={"year": 2023}, headers=site.api("管理员"))
    assert plain.json()["trend"] == [] and plain.json()["rankings"] == {}
    bad = site.client.get(
        "/api/v1/indicators", params={"year": 2023, "rank": "late"}, headers=site.api("管理员")
    )
    assert bad.status_code == 422 and "不能排名" in bad.json()["error"]["message"]


def test_a_county_report_beside_the_sums_of_its_units(site: Site) -> None:
    _upload_all(site)
    county = _report("某某县", 2023, 200, 10, 5, "本县工作有序开展。")
    whole = _upload(site, "某某县", county)
    run_pending(site.store)
    login(site.client, "县监督")
    page = site.client.get("/hierarchy", params={"year": 2023})
    assert page.status_code == 200, page.text
    assert f'id="whole-{whole}"' in page.text and "并不要求两者相等" in page.text
    parts = [r for a, r in REPORTS if a in (BUREAU, TOWN) and r.year == 2023]
    m = re.search(rf'<tr([^>]*) id="h{whole}-t3\.new\.total">(.*?)</tr>', page.text, re.S)
    assert m, "no row for 本年新收"
    cells = [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", m.group(2))
    ]
    expected = sum(int(r.tables["t3"]["new"]["total"] or 0) for r in parts)
    mine = int(county.tables["t3"]["new"]["total"] or 0)
    assert cells[1:4] == [str(mine), str(expected), f"{mine - expected:+d}"]
    assert 'class="changed"' in m.group(1) and "差异较大" in cells[4]
    review_rows = re.findall(rf'<tr([^>]*) id="h{whole}-t4\.review\.total">', page.text)
    assert review_rows == [""]  # 4 against 4 + 4: a small difference is not flagged
    assert "某某区" not in page.text.split("</form>")[1]  # no 区 report: nothing to compare


def test_the_example_years_are_stable_and_one_section_is_copied(tmp_path: Path) -> None:
    from xxgk import api
    from xxgk.supervise.demo import example_reports

    first = example_reports()
    assert first == example_reports()  # init-example run twice stores nothing twice
    paths = {}
    for name, data in first:
        paths[name] = tmp_path / name
        paths[name].write_bytes(data)
    copied = []
    for name, path in paths.items():
        year = re.search(r"(\d{4})年度", name)
        assert year, name
        before = paths.get(name.replace(year.group(1), str(int(year.group(1)) - 1)))
        if before is None:
            continue
        found = api.check_report(api.parse(path), api.parse(before)).findings
        if any(f.code == "TXT-004" for f in found):
            copied.append(name)
    assert copied == ["某某区卫生健康局2023年度报告.txt"]


@pytest.mark.parametrize("path", ["/dashboard", "/review", "/notices", "/hierarchy"])
def test_the_pages_with_nothing_stored_yet(site: Site, path: str) -> None:
    login(site.client, "县监督")
    page = site.client.get(path)
    assert page.status_code == 200, page.text
    assert "没有" in page.text or "—" in page.text
    assert site.client.get("/dashboard/trend.xlsx").status_code == 200
