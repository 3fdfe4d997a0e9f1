"""In a real browser (Playwright driving Debian's Chromium, ``make chromium``) against
a real server: log in, upload a PDF, open its report, click a finding, see the cell
outlined on the page image, download the corrected Word file; a clerk opening
another agency's report gets 404.  Screenshots go to ``$XXGK_ARTIFACTS`` (default
``tests/web/artifacts/``, ignored by git)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web.conftest import PASSWORD
from tests.web.live import Server, prepare
from xxgk import api
from xxgk.examples import example_paths

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(os.environ.get("XXGK_ARTIFACTS") or Path(__file__).parent / "artifacts")
TOWNSHIP = next(p for p in example_paths() if p.name == "township-2023-errors.txt")
BUREAU = next(p for p in example_paths() if p.name == "bureau-2023-tabs.txt")

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="browser tests need Debian's Chromium at /usr/bin/chromium (make chromium installs it)",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("live")
    tokens = prepare(folder / "data")
    live = Server(folder / "data").start()
    try:
        yield live, tokens
    finally:
        live.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def township_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from xxgk.render import RenderError

    try:
        data = api.render_report(api.parse(TOWNSHIP), "pdf")
    except RenderError as exc:
        pytest.skip(f"PDF output unavailable here ({exc}); make fonts installs it")
    path = tmp_path_factory.mktemp("pdf") / "某某镇2023年报告.pdf"
    path.write_bytes(data)
    return path


def shot(page: Any, name: str, **kw: Any) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), **kw)
    return path


def log_in(context: Any, url: str, user: str) -> Any:
    page = context.new_page()
    page.goto(url + "/")
    assert "/login" in page.url
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(url + "/")
    assert user in page.inner_text("header")
    return page


def test_upload_a_pdf_see_the_cell_outlined_and_download_the_corrected_docx(
    server: tuple[Server, dict[str, str]], browser: Any, township_pdf: Path, tmp_path: Path
) -> None:
    live, _tokens = server
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(live.url + "/login")
        shot(page, "01-login")
        page.close()
        page = log_in(context, live.url, "管理员")
        page.goto(live.url + "/upload")
        page.set_input_files("input[type=file]", str(township_pdf))
        shot(page, "02-upload")
        page.click("main form button[type=submit]")
        page.wait_for_url(re.compile(r".*/reports/\d+$"))
        # the page refreshes itself until the background check is done
        page.wait_for_selector("ol.finding-list li", timeout=60_000)
        page.wait_for_selector("#viewer-img")
        page.wait_for_function("document.getElementById('viewer-img').complete")
        shot(page, "03-report", full_page=True)
        assert page.get_attribute("td[id='t3.new.natural']", "class") == "num mark-error"
        # click the SUM-001 finding: its page, the cell outlined on the image
        item = page.locator("li.finding", has=page.locator("code", has_text="SUM-001")).first
        item.click()
        assert "active" in (item.get_attribute("class") or "")
        outlined = page.eval_on_selector_all("td.hl", "tds => tds.map(td => td.id)")
        assert "t3.new.natural" in outlined and "t2.regulation.issued" not in outlined
        page.wait_for_function(
            "(() => { const i = document.getElementById('viewer-img');"
            " return i.complete && i.naturalWidth > 0 })()"
        )
        caption = page.inner_text("#viewer-caption")
        assert "原文第 2 页" in caption, caption
        image = page.locator("#viewer-img").bounding_box()
        boxes = page.locator("#viewer-page .box")
        assert boxes.count() >= 1
        box = boxes.first.bounding_box()
        assert image and box
        # inside the page image, and where the PDF has the cell (points → screen)
        assert image["x"] <= box["x"] and box["x"] + box["width"] <= image["x"] + image["width"]
        assert image["y"] <= box["y"] and box["y"] + box["height"] <= image["y"] + image["height"]
        parse = page.request.get(page.url + "/parse.json").json()
        x0, top, _x1, _bottom = parse["cells"]["t3.new.natural"]["bbox"]
        ratio = image["width"] / 595
        assert abs(box["x"] - (image["x"] + x0 * ratio)) < 3
        assert abs(box["y"] - (image["y"] + top * ratio)) < 3
        page.locator("#viewer").scroll_into_view_if_needed()
        shot(page, "04-finding-outlined")
        page.locator("#viewer").screenshot(path=str(ARTIFACTS / "05-viewer.png"))
        # the corrected Word file
        with page.expect_download() as info:
            page.click("#corrected-docx")
        download = info.value
        assert download.suggested_filename.endswith("更正稿.docx")
        saved = tmp_path / "更正稿.docx"
        download.save_as(str(saved))
        fixed = api.check(saved)
        assert fixed.report.value("t3.new.natural") == 2
        assert not [f for f in fixed.findings if f.code.startswith("SUM-")]
        # a text report: the passage around the value, the value highlighted
        sent = httpx.post(
            live.url + "/api/v1/reports",
            files={"file": (TOWNSHIP.name, TOWNSHIP.read_bytes())},
            headers={"Authorization": f"Bearer {_tokens['管理员']}"},
        )
        assert sent.status_code == 201, sent.text
        page.goto(f"{live.url}/reports/{sent.json()['id']}")
        page.wait_for_selector("ol.finding-list li", timeout=60_000)
        item = page.locator("li.finding", has=page.locator("code", has_text="SUM-001")).first
        assert item.locator("blockquote.passage mark").first.inner_text() == "1"
        shot(page, "09-text-report")
        page.goto(live.url + "/catalogue")
        shot(page, "06-catalogue", full_page=True)
        page.goto(live.url + "/findings")
        shot(page, "07-findings", full_page=True)
    finally:
        context.close()


def test_a_clerk_cannot_open_another_agencys_report(
    server: tuple[Server, dict[str, str]], browser: Any
) -> None:
    live, tokens = server
    sent = httpx.post(
        live.url + "/api/v1/reports",
        files={"file": (BUREAU.name, BUREAU.read_bytes())},
        headers={"Authorization": f"Bearer {tokens['发改填报']}"},
    )
    assert sent.status_code in (200, 201), sent.text
    rid = sent.json()["id"]
    context = browser.new_context(viewport={"width": 1200, "height": 700})
    try:
        page = log_in(context, live.url, "区办填报")
        answer = page.goto(f"{live.url}/reports/{rid}")
        assert answer is not None and answer.status == 404
        assert f"没有编号为 {rid} 的报告" in page.inner_text("main")
        assert "某某县发展和改革局" not in page.content()
        shot(page, "08-clerk-404")
        image = page.request.get(f"{live.url}/reports/{rid}/file")
        assert image.status == 404
    finally:
        context.close()
    context = browser.new_context(viewport={"width": 1200, "height": 700})
    try:
        own = log_in(context, live.url, "发改填报")
        answer = own.goto(f"{live.url}/reports/{rid}")
        assert answer is not None and answer.status == 200
    finally:
        context.close()
