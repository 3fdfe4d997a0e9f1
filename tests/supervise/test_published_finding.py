"""FIL-001 on SQLite and PostgreSQL: the published file differing from the approved draft
is a finding of the published report — one per differing cell, with the approved and
the published value — stored with its findings, so it is on the report page (the cells
marked), in the catalogue's counts and the findings list, in the notice; it survives a
re-check (the same file checked again, last year's report stored later) and a
supervisor can dismiss it like any finding."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from tests.supervise.test_filing import _as, _draft, _filing, _submit
from tests.supervise.test_pages import BUREAU, _docx_text, _report, _upload
from tests.web.conftest import Site
from xxgk.store.filing_models import Filing
from xxgk.store.models import StoredReport
from xxgk.web.worker import run_pending


def _result(site: Site, rid: int) -> dict[str, Any]:
    with site.store.session() as s:
        row = s.get(StoredReport, rid)
        assert row is not None and row.result is not None
        return row.result


def _fil(site: Site, rid: int) -> dict[str, dict[str, Any]]:
    """FIL-001 findings of a stored report, by the cell each names."""
    found = [f for f in _result(site, rid)["findings"] if f["code"] == "FIL-001"]
    assert all(len(f["cells"]) == 1 for f in found), found
    return {f["cells"][0]: f for f in found}


def _published(site: Site, granted: int = 31) -> tuple[int, int]:
    """The bureau's draft (予以公开 30) submitted and approved, then a later file with
    予以公开 ``granted`` registered as the published one: (draft, published)."""
    draft = _draft(site)
    clerk, c_csrf = _as(site, "发改填报")
    _submit(clerk, c_csrf, draft)
    fid = _filing(site)[0]
    boss, b_csrf = _as(site, "县监督")
    assert boss.post(f"/filings/{fid}/approve", data={"csrf": b_csrf}).status_code == 200
    published = _draft(site, granted=granted) if granted != 30 else draft
    answer = clerk.post(
        f"/filings/{fid}/publish",
        data={"report": published, "csrf": c_csrf},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return draft, published


def test_each_differing_cell_is_a_finding_with_both_values(site: Site) -> None:
    draft, published = _published(site)
    with site.store.session() as s:
        f = s.scalars(select(Filing)).one()
        recorded = {d["cell"]: (d["approved"], d["published"]) for d in f.differences or []}
    got = _fil(site, published)
    assert set(got) == set(recorded) and "t3.granted.natural" in got
    one = got["t3.granted.natural"]
    assert one["severity"] == "warning"
    assert "审核通过稿为30，发布稿为31" in one["message"] and "予以公开" in one["message"]
    for cell, (before, after) in recorded.items():
        assert f"审核通过稿为{before}，发布稿为{after}" in got[cell]["message"]
    assert _fil(site, draft) == {}  # the draft itself has no such finding
    assert _result(site, published)["approved"] == {"id": draft}


def test_it_is_on_the_report_page_in_the_counts_and_in_the_notice(site: Site) -> None:
    _draft_id, published = _published(site)
    boss, _ = _as(site, "县监督")
    page = boss.get(f"/reports/{published}").text
    assert "FIL-001" in page and "审核通过稿为30，发布稿为31" in page
    index = next(i for i, f in enumerate(_result(site, published)["findings"]) if f["code"] == "FIL-001" and f["cells"] == ["t3.granted.natural"])  # fmt: skip
    cell = re.search(r'<td id="t3\.granted\.natural" class="([^"]*)"[^>]*>(.*?)</td>', page, re.S)
    assert cell and "mark-warning" in cell.group(1) and f'href="#f{index}"' in cell.group(2)
    listed = boss.get("/findings", params={"code": "FIL-001", "year": 2023}).text
    assert listed.count(f'href="/reports/{published}') == len(_fil(site, published))
    assert "发布稿与审核通过稿不一致" in listed  # the rule's title from the registry
    catalogue = boss.get("/catalogue", params={"year": 2023}).text
    warnings = int(re.search(r"警告 (\d+)", catalogue.split(BUREAU)[1]).group(1))  # type: ignore[union-attr]
    stored = [f for f in _result(site, published)["findings"] if f["severity"] == "warning"]
    assert warnings == len(stored) >= len(_fil(site, published))
    notice = _docx_text(boss.get(f"/notices/{published}.docx").content)
    assert "FIL-001" in notice and "审核通过稿为30，发布稿为31" in notice


def test_it_survives_a_recheck_and_last_years_report_stored_later(site: Site) -> None:
    _draft_id, published = _published(site)
    before = _fil(site, published)
    with site.store.session() as s:  # the same file checked again (a re-parse)
        row = s.get(StoredReport, published)
        assert row is not None
        row.status, row.result = "queued", None
    run_pending(site.store)
    assert _fil(site, published) == before
    # last year's report arrives: the published one is compared with it and keeps FIL-001
    _upload(site, BUREAU, _report(BUREAU, 2022, 20, 5, 5, "上年度工作有序开展。"))
    run_pending(site.store)
    result = _result(site, published)
    assert result["previous"]["year"] == 2022
    assert _fil(site, published) == before


def test_the_same_file_published_is_no_finding(site: Site) -> None:
    draft, published = _published(site, granted=30)
    assert draft == published and _fil(site, published) == {}


def test_a_dismissed_difference_leaves_the_counts(site: Site) -> None:
    _draft_id, published = _published(site)
    boss, b_csrf = _as(site, "县监督")
    findings = _result(site, published)["findings"]
    index = next(i for i, f in enumerate(findings) if f["code"] == "FIL-001")
    shown = boss.get("/findings", params={"code": "FIL-001", "year": 2023}).text
    answer = boss.post(
        "/review",
        data={
            "report": published,
            "index": index,
            "decision": "dismissed",
            "reason": "发布前按上级意见改正，已书面说明",
            "csrf": b_csrf,
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    after = boss.get("/findings", params={"code": "FIL-001", "year": 2023}).text
    count = after.count(f'href="/reports/{published}')
    assert count == shown.count(f'href="/reports/{published}') - 1
