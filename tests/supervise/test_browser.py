"""The supervision pages in a real browser (Playwright driving Debian's Chromium against
``xxgk serve``, the fixtures of tests/web/test_browser.py): the dashboard's charts
render without console errors and show the numbers of the tables beside them; the
year-over-year page; a review decision made through the form; a notice downloaded.
Screenshots go to ``$XXGK_ARTIFACTS`` (default ``tests/web/artifacts/``) as
``supervise-*.png``."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.supervise.test_pages import BUREAU, CHANGED, REPORTS
from tests.web.live import Server
from tests.web.test_browser import ARTIFACTS, CHROMIUM, browser, log_in, server, shot
from xxgk.render.text import render_text

__all__ = ["browser", "server"]  # the fixtures, reused

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="browser tests need Debian's Chromium at /usr/bin/chromium (make chromium installs it)",
)

CHART_OF = """el => {
  const o = echarts.getInstanceByDom(el).getOption();
  return {x: o.xAxis[0].data.map(String), y: o.series[0].data.map(d => Number(typeof d === 'object' ? d.value : d)),
          grey: o.series[0].data.filter(d => typeof d === 'object').length,
          canvas: el.querySelectorAll('canvas').length};
}"""
TABLE_OF = """t => {
  const x = Number(t.dataset.x), y = Number(t.dataset.y), xs = [], ys = [];
  for (const tr of t.querySelectorAll('tbody tr')) {
    const v = tr.children[y].textContent.trim();
    if (v === '' || v === '—') continue;
    xs.push(tr.children[x].textContent.trim()); ys.push(Number(v));
  }
  return {x: xs, y: ys};
}"""


@pytest.fixture(scope="module")
def uploaded(server: tuple[Server, dict[str, str]]) -> list[int]:
    """The reports of tests/supervise/test_pages.py uploaded and checked."""
    live, tokens = server
    auth = {"Authorization": f"Bearer {tokens['管理员']}"}
    ids = []
    for agency, report in REPORTS:
        sent = httpx.post(
            live.url + "/api/v1/reports",
            files={"file": (f"{agency}{report.year}.txt", render_text(report, "tabs").encode())},
            data={"agency": agency},
            headers=auth,
        )
        assert sent.status_code == 201, sent.text
        ids.append(sent.json()["id"])
    deadline = time.monotonic() + 120
    for rid in ids:
        while True:
            got = httpx.get(f"{live.url}/api/v1/reports/{rid}", headers=auth).json()
            if got["status"] in ("done", "failed"):
                assert got["status"] == "done", got
                break
            assert time.monotonic() < deadline, f"report {rid} not checked in time"
            time.sleep(0.3)
    return ids


def _page(browser: Any, live: Server, user: str = "管理员") -> tuple[Any, Any, list[str]]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = log_in(context, live.url, user)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return context, page, problems


def test_the_dashboard_charts_render_and_show_the_numbers_of_their_tables(
    server: tuple[Server, dict[str, str]], browser: Any, uploaded: list[int]
) -> None:
    live, _ = server
    context, page, problems = _page(browser, live)
    try:
        for key in ("disclosure_rate", "requests_received"):
            page.goto(f"{live.url}/dashboard?year=2023&key={key}")
            page.wait_for_selector("#chart-level canvas")
            for name in ("trend", "region", "level"):
                chart = page.eval_on_selector(f"#chart-{name}", CHART_OF)
                table = page.eval_on_selector(f"#table-{name}", TABLE_OF)
                assert chart["canvas"] >= 1, f"{name}: no canvas"
                assert chart["x"] and chart["x"] == table["x"], name
                assert chart["y"] == table["y"], name
            region = page.locator("#table-region tbody tr td:first-child", has_text="—")
            assert page.eval_on_selector("#chart-region", CHART_OF)["grey"] == region.count()
            shot(page, f"supervise-01-dashboard-{key}", full_page=True)
        trend = page.eval_on_selector("#table-trend", TABLE_OF)
        assert trend["x"] == ["2022", "2023"]
        # the link behind an indicator opens a report
        page.locator("#table-indicators tr[data-key=sum_errors] summary").click()
        page.locator("#table-indicators tr[data-key=sum_errors] details a").first.click()
        page.wait_for_url(f"{live.url}/reports/{uploaded[1]}")
        assert not problems, problems
    finally:
        context.close()


def test_the_year_over_year_page(
    server: tuple[Server, dict[str, str]], browser: Any, uploaded: list[int]
) -> None:
    live, _ = server
    context, page, problems = _page(browser, live, "县监督")
    try:
        page.goto(f"{live.url}/compare/{uploaded[1]}")
        row = page.locator("tr[id='c-t3.granted.natural']")
        assert "changed" in (row.get_attribute("class") or "")
        assert row.locator("td.delta").inner_text() == "+10"
        section = page.locator("#section-1")
        assert CHANGED in section.locator("ins").first.inner_text()
        assert "与上年重复" in section.locator("h3").inner_text()
        shot(page, "supervise-02-compare", full_page=True)
        page.goto(f"{live.url}/compare/{uploaded[1]}?changed=1")
        assert page.locator("#compare-t3 tbody tr").count() < 30
        assert page.locator("#compare-t3 tbody tr:not(.changed)").count() == 0
        shot(page, "supervise-03-compare-changed")
        assert not problems, problems
    finally:
        context.close()


def test_a_review_decision_through_the_form(
    server: tuple[Server, dict[str, str]], browser: Any, uploaded: list[int]
) -> None:
    live, _ = server
    context, page, problems = _page(browser, live, "县监督")
    try:
        page.goto(f"{live.url}/review?report={uploaded[1]}")
        row = page.locator("#review-table tbody tr", has=page.locator("code", has_text="SUM-003"))
        row.locator("select[name=decision]").select_option("dismissed")
        row.locator("input[name=reason]").fill("总计以原件为准，已核实")
        row.locator("button[type=submit]").click()
        page.wait_for_load_state()
        row = page.locator("#review-table tbody tr", has=page.locator("code", has_text="SUM-003"))
        assert "不成立" in row.locator("td.decision").inner_text()
        assert "总计以原件为准，已核实" in row.locator("td.decision").inner_text()
        shot(page, "supervise-04-review", full_page=True)
        page.goto(f"{live.url}/review?report={uploaded[1]}&state=open")
        assert page.locator("code", has_text="SUM-003").count() == 0
        assert not problems, problems
    finally:
        context.close()


def test_a_notice_downloads_from_the_notices_page(
    server: tuple[Server, dict[str, str]], browser: Any, uploaded: list[int], tmp_path: Path
) -> None:
    from docx import Document

    live, _ = server
    context, page, problems = _page(browser, live)
    try:
        page.goto(f"{live.url}/notices?year=2023")
        page.fill("input[name=deadline]", "2024-06-30")
        page.click("#notice-form button[type=submit]")
        page.wait_for_url("**deadline=2024-06-30**")
        shot(page, "supervise-05-notices", full_page=True)
        row = page.locator("tr.notice-row", has=page.locator("a", has_text=BUREAU))
        with page.expect_download() as info:
            row.locator("a.notice-docx").click()
        saved = tmp_path / info.value.suggested_filename
        info.value.save_as(str(saved))
        assert saved.name.endswith("年报审查意见.docx") and BUREAU in saved.name
        doc = Document(str(saved))
        text = "\n".join(p.text for p in doc.paragraphs)
        text += "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
        assert BUREAU in text and "2024年6月30日" in text and "本年新收" in text
        with page.expect_download() as info:
            page.click("#notices-zip")
        assert info.value.suggested_filename.endswith(".zip")
        if row.locator("a.notice-pdf").count():
            with page.expect_download() as info:
                row.locator("a.notice-pdf").click()
            pdf = tmp_path / "notice.pdf"
            info.value.save_as(str(pdf))
            _first_page_png(pdf, ARTIFACTS / "supervise-06-notice-page1.png")
        assert not problems, problems
    finally:
        context.close()


def _first_page_png(pdf: Path, out: Path) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        image = doc[0].render(scale=1.5).to_pil()
        buf = io.BytesIO()
        image.save(buf, format="PNG")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(buf.getvalue())
    finally:
        doc.close()


def test_the_hierarchy_page(
    server: tuple[Server, dict[str, str]], browser: Any, uploaded: list[int]
) -> None:
    from tests.supervise.test_pages import _report

    live, tokens = server
    county = _report("某某县", 2023, 200, 10, 5, "本县工作有序开展。")
    sent = httpx.post(
        live.url + "/api/v1/reports",
        files={"file": ("某某县2023.txt", render_text(county, "tabs").encode())},
        data={"agency": "某某县"},
        headers={"Authorization": f"Bearer {tokens['管理员']}"},
    )
    assert sent.status_code == 201, sent.text
    rid = sent.json()["id"]
    context, page, problems = _page(browser, live, "县监督")
    try:
        deadline = time.monotonic() + 60
        while True:
            page.goto(f"{live.url}/hierarchy?year=2023")
            if page.locator(f"#whole-{rid}").count():
                break
            assert time.monotonic() < deadline, "the county report was not checked in time"
            time.sleep(0.5)
        row = page.locator(f"tr[id='h{rid}-t3.new.total']")
        assert "差异较大" in row.inner_text()
        shot(page, "supervise-07-hierarchy", full_page=True)
        assert not problems, problems
    finally:
        context.close()


def test_a_notice_issued_goes_on_the_due_list_and_is_marked_rectified(
    server: tuple[Server, dict[str, str]], browser: Any, uploaded: list[int]
) -> None:
    from datetime import date, timedelta

    live, _ = server
    context, page, problems = _page(browser, live, "县监督")
    try:
        deadline = date.today() + timedelta(days=5)
        page.goto(f"{live.url}/notices?year=2023&deadline={deadline.isoformat()}")
        row = page.locator("tr.notice-row", has=page.locator("a", has_text=BUREAU))
        row.locator("button.issue-one").click()
        page.wait_for_url("**/notices?**")
        row = page.locator("tr.notice-row", has=page.locator("a", has_text=BUREAU))
        assert "待整改" in row.locator("td.issued").inner_text()
        assert row.locator("button.issue-one").count() == 0
        shot(page, "supervise-10-notice-issued", full_page=True)
        page.click("header nav a:has-text('整改到期')")
        page.wait_for_url("**/rectifications")
        line = page.locator("#rectifications-table tbody tr", has_text=BUREAU)
        text = line.inner_text()
        assert deadline.isoformat() in text and "还有 5 天" in text and "即将到期" in text
        shot(page, "supervise-11-rectifications", full_page=True)
        line.locator("input[name=note]").fill("已重新发布，经核实已改正")
        line.locator("button[type=submit]").click()
        page.wait_for_load_state()
        line = page.locator("#rectifications-table tbody tr", has_text=BUREAU)
        assert "已整改" in line.inner_text() and "已重新发布，经核实已改正" in line.inner_text()
        shot(page, "supervise-12-rectified", full_page=True)
        page.goto(f"{live.url}/dashboard?year=2023")
        assert "已整改 1 份" in page.locator("#due-summary").inner_text()
        assert not problems, problems
    finally:
        context.close()


def test_the_agency_answers_a_notice_and_the_supervisor_returns_then_accepts(
    server: tuple[Server, dict[str, str]], browser: Any, uploaded: list[int]
) -> None:
    """整改反馈 through the forms: the clerk's home page and notice page, the answer
    with an explanation, the supervisor's list showing 已反馈（待审核）, a return the
    clerk reads, a second answer accepted."""
    live, tokens = server
    made = httpx.post(
        live.url + "/api/v1/rectifications",
        json={"report": uploaded[1], "deadline": "2099-06-30"},
        headers={"Authorization": f"Bearer {tokens['县监督']}"},
    )
    assert made.status_code == 201, made.text
    nid = made.json()["id"]
    clerk, page, problems = _page(browser, live, "发改填报")
    boss, boss_page, boss_problems = _page(browser, live, "县监督")
    try:
        mine = page.locator(f"#my-notice-{nid}")
        assert "待整改" in mine.inner_text()
        shot(page, "supervise-12b-clerk-home", full_page=True)
        mine.locator("a").click()
        page.wait_for_url(f"**/rectifications/{nid}")
        assert "SUM-001" in page.locator("#noticed").inner_text()
        page.locator("#noticed a", has_text="在报告中查看").first.click()
        page.wait_for_url(f"**/reports/{uploaded[1]}?show=*")
        page.go_back()
        page.fill(
            "#reply-form textarea[name=text]", "已核对第三部分本年新收数据，原表录入有误，已更正。"
        )
        page.locator("#reply-form textarea.explain").last.fill(
            "该行数据以办理台账为准，经核对无误。"
        )
        shot(page, "supervise-13-clerk-notice", full_page=True)
        page.click("#reply-form button[type=submit]")
        page.wait_for_url(f"**/rectifications/{nid}#replies")
        assert "已反馈（待审核）" in page.locator("#notice-state").inner_text()
        boss_page.goto(f"{live.url}/rectifications?year=2023")
        line = boss_page.locator(f"#notice-{nid}")
        assert "已反馈（待审核）" in line.inner_text()
        shot(boss_page, "supervise-14-rectifications-replied", full_page=True)
        line.locator("a", has_text="审核反馈").click()
        boss_page.wait_for_url(f"**/rectifications/{nid}")
        assert "办理台账为准" in boss_page.locator("#replies ~ .reply").first.inner_text()
        shot(boss_page, "supervise-15-reply-to-review", full_page=True)
        boss_page.fill(
            "#return-form input[name=reason]", "第二部分数据仍未更正，请一并改正后重新上传。"
        )
        boss_page.click("#return-form button[type=submit]")
        boss_page.wait_for_url(f"**/rectifications/{nid}#replies")
        assert "待整改" in boss_page.locator("#notice-state").inner_text()
        page.goto(f"{live.url}/rectifications/{nid}")
        assert "第二部分数据仍未更正" in page.locator("#returned").inner_text()
        shot(page, "supervise-16-clerk-returned", full_page=True)
        page.fill("#reply-form textarea[name=text]", "已一并更正第二部分数据。")
        page.click("#reply-form button[type=submit]")
        page.wait_for_url(f"**/rectifications/{nid}#replies")
        boss_page.goto(f"{live.url}/rectifications/{nid}")
        boss_page.fill("#accept-form input[name=note]", "经核实已改正")
        boss_page.click("#accept-form button[type=submit]")
        boss_page.wait_for_url(f"**/rectifications/{nid}#replies")
        assert boss_page.locator("#notice-state").inner_text().startswith("已整改")
        shot(boss_page, "supervise-17-reply-accepted", full_page=True)
        assert not problems and not boss_problems, problems + boss_problems
    finally:
        clerk.close()
        boss.close()
