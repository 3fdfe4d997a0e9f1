"""GET /api/v1/indicators: figures of the caller's scope from uploaded reports."""

from __future__ import annotations

import pytest

from tests.web.conftest import Site
from xxgk.model import Report
from xxgk.render.text import render_text
from xxgk.synth import consistent_report
from xxgk.web.worker import run_pending

BUREAU = "某某县发展和改革局"
TOWN = "某某县某某镇人民政府"
OFFICE = "某某区某某办公室"
NARRATIVE = {1: "本年度工作有序开展。", 5: "存在问题：形式单一。改进措施：丰富形式。", 6: "无。"}


def _report(agency: str, granted: int, partial: int, unable: int, published: str) -> Report:
    return consistent_report(
        leaves={
            "granted": {"natural": granted},
            "partial": {"natural": partial},
            "unable_not_held": {"natural": unable},
        },
        cases={"review": {"upheld": 2, "corrected": 1, "pending": 1}},
        agency=agency,
        published=published,
        sections=NARRATIVE,
    )


REPORTS = {
    BUREAU: _report(BUREAU, 30, 6, 4, "2024-01-20"),
    TOWN: _report(TOWN, 2, 0, 1, "2024-02-10"),  # late: a township's deadline is 1月31日
    OFFICE: _report(OFFICE, 10, 0, 10, "2024-01-15"),
}


def _t3(agency: str, row: str) -> int:
    return int(REPORTS[agency].tables["t3"][row]["total"] or 0)


def _upload_all(site: Site) -> None:
    for name, report in REPORTS.items():
        answer = site.client.post(
            "/api/v1/reports",
            files={"file": (f"{name}.txt", render_text(report, "tabs").encode())},
            data={"agency": name},
            headers=site.api("管理员"),
        )
        assert answer.status_code == 201, answer.text
    assert run_pending(site.store) == len(REPORTS)


def _get(site: Site, user: str, **params: object) -> dict[str, object]:
    answer = site.client.get("/api/v1/indicators", params=params, headers=site.api(user))
    assert answer.status_code == 200, answer.text
    data: dict[str, object] = answer.json()
    return data


def test_admin_sees_every_report_and_the_pooled_figures(site: Site) -> None:
    _upload_all(site)
    got = _get(site, "管理员", year=2023)
    names = list(REPORTS)
    assert got["reports"] == 3
    assert got["requests_received"] == sum(_t3(n, "new") for n in names)
    granted = sum(_t3(n, "granted") + _t3(n, "partial") for n in names)
    assert got["disclosure_rate"] == pytest.approx(
        granted / sum(_t3(n, "results_total") for n in names)
    )
    assert got["review_correction_rate"] == pytest.approx(3 / (3 * 4 - 3))
    assert got["litigation_correction_rate"] is None  # no lawsuit decided anywhere
    assert got["late"] == 1
    assert got["expected"] == 7 and got["missing"] == 4  # the tree has seven agencies
    assert "某某市" in got["missing_units"]  # type: ignore[operator]
    figures = {f["key"]: f for f in got["indicators"]}  # type: ignore[attr-defined]
    assert len(figures["disclosure_rate"]["reports"]) == 3
    assert figures["late"]["reports"] and figures["disclosure_rate"]["formula"]


def test_a_supervisor_sees_their_region_and_may_narrow_it(site: Site) -> None:
    _upload_all(site)
    county = _get(site, "县监督", year=2023)
    assert county["reports"] == 2  # the bureau and the township, not the 区 office
    assert county["requests_received"] == _t3(BUREAU, "new") + _t3(TOWN, "new")
    assert county["expected"] == 3  # 某某县, its bureau and its township
    narrowed = _get(site, "管理员", year=2023, scope="某某区")
    assert narrowed["reports"] == 1 and narrowed["scope"] == "某某区"
    assert narrowed["disclosure_rate"] == pytest.approx(
        (_t3(OFFICE, "granted") + _t3(OFFICE, "partial")) / _t3(OFFICE, "results_total")
    )
    none_yet = _get(site, "管理员", year=2022)
    assert none_yet["reports"] == 0 and none_yet["disclosure_rate"] is None


def test_outside_the_scope_or_without_a_year_is_refused(site: Site) -> None:
    outside = site.client.get(
        "/api/v1/indicators", params={"year": 2023, "scope": "某某区"}, headers=site.api("县监督")
    )
    assert outside.status_code == 404 and "某某区" in outside.json()["error"]["message"]
    assert site.client.get("/api/v1/indicators", params={"year": 2023}).status_code == 401
    no_year = site.client.get("/api/v1/indicators", headers=site.api("管理员"))
    assert no_year.status_code == 422


def test_stored_entries_carry_region_and_level_for_rankings(site: Site) -> None:
    from xxgk.store import reports
    from xxgk.store.models import User
    from xxgk.supervise import indicators, stored

    _upload_all(site)
    with site.store.session() as s:
        admin = s.query(User).filter_by(name="管理员").one()
        found = stored.entries(s, reports.scope_of(s, admin), year=2023)
        where = {e.agency: (e.region, e.level) for e in found}
        assert where == {
            BUREAU: ("某某县", "部门"),
            TOWN: ("某某县", "乡"),
            OFFICE: ("某某区", "部门"),
        }
        by_region = indicators.ranking(found, 2023, "requests_received", by="region")
        county = next(r for r in by_region if r.group == "某某县")
        assert county.value == _t3(BUREAU, "new") + _t3(TOWN, "new")
        assert county.value >= indicators.MIN_REQUESTS > _t3(OFFICE, "new")  # the premise
        assert county.rank == 1
        assert next(r for r in by_region if r.group == "某某区").rank is None
