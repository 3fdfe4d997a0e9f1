"""The catalogue (agencies × years: filed, missing, errors, warnings; filters; links)
and the findings of a jurisdiction (by code, filters, the XLSX export), in scope."""

from __future__ import annotations

import io
import re

from tests.web.conftest import Site, login
from xxgk.examples import example_paths
from xxgk.web.worker import run_pending

EXAMPLES = {p.name: p for p in example_paths()}
TOWNSHIP = EXAMPLES["township-2023-errors.txt"]  # 某某县某某镇人民政府 2023, with errors
BUREAU = EXAMPLES["bureau-2023-tabs.txt"]  # 某某县发展和改革局 2023, clean
OFFICE = EXAMPLES["office-2023-old-format.txt"]  # 某某区某某办公室 2023


def _load(site: Site) -> dict[str, int]:
    ids = {}
    for user, path in (("管理员", TOWNSHIP), ("发改填报", BUREAU), ("区办填报", OFFICE)):
        answer = site.client.post(
            "/api/v1/reports",
            files={"file": (path.name, path.read_bytes())},
            headers=site.api(user),
        )
        assert answer.status_code == 201, answer.text
        ids[path.name] = answer.json()["id"]
    run_pending(site.store)
    return ids


def _row(html: str, agency: str) -> str:
    m = re.search(rf"<tr>\s*<th class=\"agency\"[^>]*>{agency}</th>.*?</tr>", html, re.S)
    assert m, f"no row for {agency}"
    return m.group(0)


def _api(site: Site, user: str, rid: int) -> dict[str, list[dict[str, str]]]:
    data: dict[str, list[dict[str, str]]] = site.client.get(
        f"/api/v1/reports/{rid}", headers=site.api(user)
    ).json()
    return data


def test_agencies_by_year_filed_missing_and_counts(site: Site) -> None:
    ids = _load(site)
    login(site.client, "管理员")
    html = site.client.get("/catalogue").text
    assert "2023 年度" in html
    township = _api(site, "管理员", ids[TOWNSHIP.name])["findings"]
    errors = sum(1 for f in township if f["severity"] == "error")
    warnings = sum(1 for f in township if f["severity"] == "warning")
    row = _row(html, "某某县某某镇人民政府")
    assert f'href="/reports/{ids[TOWNSHIP.name]}"' in row
    assert f"错误 {errors}</span>" in row and f"警告 {warnings}</span>" in row
    assert "未报送" in _row(html, "某某市某某局")
    assert "已报送 3 · 未报送 4" in html  # 7 agencies in the tree, 3 filed for 2023


def test_filters_by_region_level_and_year(site: Site) -> None:
    _load(site)
    login(site.client, "管理员")
    county = site.client.get("/catalogue", params={"region": "某某县"}).text
    assert "某某县发展和改革局" in county and "某某区某某办公室" not in county
    towns = site.client.get("/catalogue", params={"level": "乡"}).text
    assert "某某县某某镇人民政府" in towns and "某某县发展和改革局" not in towns
    empty = site.client.get("/catalogue", params={"year": 2019}).text
    assert "2019 年度" in empty and "已报送 0 · 未报送 7" in empty
    bad = site.client.get("/catalogue", params={"region": "不存在的县"})
    assert bad.status_code == 422 and "不存在的县" in bad.text


def test_a_clerk_sees_their_agency_only(site: Site) -> None:
    ids = _load(site)
    login(site.client, "发改填报")
    html = site.client.get("/catalogue").text
    assert "某某县发展和改革局" in html
    assert "某某县某某镇人民政府" not in html and "某某区某某办公室" not in html
    found = site.client.get("/findings").text
    assert f"/reports/{ids[TOWNSHIP.name]}#" not in found
    supervisor = site.fresh_client()
    login(supervisor, "区监督")
    assert "某某县" not in supervisor.get("/catalogue").text.split("<tbody>")[1]


def test_the_findings_of_the_jurisdiction_by_code_and_the_export(site: Site) -> None:
    import openpyxl

    ids = _load(site)
    login(site.client, "管理员")
    township = _api(site, "管理员", ids[TOWNSHIP.name])["findings"]
    office = _api(site, "管理员", ids[OFFICE.name])["findings"]
    every = township + office + _api(site, "管理员", ids[BUREAU.name])["findings"]
    html = site.client.get("/findings").text
    assert f"共 {len(every)} 个问题" in html
    sums = [f for f in every if f["code"] == "SUM-001"]
    assert sums, "the township example has SUM-001"
    only = site.client.get("/findings", params={"code": "SUM-001"}).text
    assert f"共 {len(sums)} 个问题" in only
    assert f'href="/reports/{ids[TOWNSHIP.name]}#f' in only
    warned = site.client.get("/findings", params={"severity": "warning", "region": "某某区"}).text
    assert f"共 {sum(1 for f in office if f['severity'] == 'warning')} 个问题" in warned
    book = openpyxl.load_workbook(
        io.BytesIO(site.client.get("/findings.xlsx", params={"code": "SUM-001"}).content)
    )
    rows = list(book["问题"].iter_rows(min_row=2, values_only=True))
    assert [r[3] for r in rows] == ["SUM-001"] * len(sums)
    assert any("某某县某某镇人民政府" in str(r[0]) for r in rows)
