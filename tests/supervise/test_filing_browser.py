"""Filing before publishing in a real browser (the fixtures of tests/web/test_browser.py):
a clerk submits a draft with an error, the supervisor returns it with a reason, the
clerk corrects the value (a new version, checked again) and submits that, the
supervisor approves it.  Screenshots go to ``$XXGK_ARTIFACTS`` (default
``tests/web/artifacts/``) as ``filing-*.png``."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from tests.supervise.test_pages import BUREAU, _broken, _report
from tests.web.live import Server
from tests.web.test_browser import CHROMIUM, browser, log_in, server, shot
from xxgk.render.text import render_text

__all__ = ["browser", "server"]  # the fixtures, reused

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="browser tests need Debian's Chromium at /usr/bin/chromium (make chromium installs it)",
)


def _uploaded(live: Server, tokens: dict[str, str]) -> tuple[int, int]:
    """The bureau's 2023 draft with 本年新收 (自然人) one too many; its id and that value."""
    report = _broken(_report(BUREAU, 2023, 30, 6, 4, "本年度我局工作有序开展。"))
    auth = {"Authorization": f"Bearer {tokens['管理员']}"}
    sent = httpx.post(
        live.url + "/api/v1/reports",
        files={"file": ("发改局2023草稿.txt", render_text(report, "tabs").encode())},
        data={"agency": BUREAU},
        headers=auth,
    )
    assert sent.status_code == 201, sent.text
    rid: int = sent.json()["id"]
    deadline = time.monotonic() + 120
    while httpx.get(f"{live.url}/api/v1/reports/{rid}", headers=auth).json()["status"] != "done":
        assert time.monotonic() < deadline, "the draft was not checked in time"
        time.sleep(0.3)
    return rid, int(report.tables["t3"]["new"]["natural"] or 0)


def _page(browser: Any, live: Server, user: str) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = log_in(context, live.url, user)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return context, page, problems


def test_a_filing_is_returned_corrected_and_approved(
    server: tuple[Server, dict[str, str]], browser: Any
) -> None:
    live, tokens = server
    rid, wrong = _uploaded(live, tokens)
    clerk_ctx, clerk, clerk_problems = _page(browser, live, "发改填报")
    boss_ctx, boss, boss_problems = _page(browser, live, "县监督")
    try:
        # the clerk submits the draft from its report page
        clerk.goto(f"{live.url}/reports/{rid}")
        assert "尚未报送" in clerk.inner_text("#filing-line")
        clerk.click("#filing-line a")
        clerk.click("#submit-form button")
        clerk.wait_for_url(f"**/filings/report/{rid}")
        assert clerk.inner_text("#filing-state").startswith("报送")
        # the supervisor sees it, with its error, and returns it
        boss.goto(f"{live.url}/filings?year=2023")
        row = boss.locator("#filings-submitted tbody tr", has_text=BUREAU)
        assert int(row.locator("td.num").inner_text()) >= 1
        shot(boss, "filing-01-submitted", full_page=True)
        row.locator("input[name=reason]").fill("本年新收合计与分项不符，请核对后重报")
        row.locator("text=退回修改").click()
        boss.wait_for_load_state()
        returned = boss.locator("#filings-returned tbody tr", has_text=BUREAU)
        assert "本年新收合计与分项不符" in returned.inner_text()
        # the clerk corrects the value (version 2, checked again) and submits that
        clerk.goto(f"{live.url}/reports/{rid}")
        assert "退回修改" in clerk.inner_text("#filing-line")
        shot(clerk, "filing-00-report-returned")
        clerk.click("#filing-line a")
        clerk.select_option("#correct-form select[name=cell]", "t3.new.natural")
        clerk.fill("#correct-form input[name=value]", str(wrong - 1))
        clerk.fill("#correct-form input[name=reason]", "录入时多计 1 件")
        clerk.click("#correct-form button")
        clerk.wait_for_load_state()
        assert "/filings/report/" in clerk.url and not clerk.url.endswith(f"/{rid}")
        trail = clerk.inner_text("#correction-trail")
        assert str(wrong) in trail and str(wrong - 1) in trail and "录入时多计 1 件" in trail
        shot(clerk, "filing-02-corrected", full_page=True)
        clerk.click("#submit-form button")
        clerk.wait_for_load_state()
        # the supervisor approves version 2 (no error left: no override needed)
        boss.goto(f"{live.url}/filings?year=2023")
        row = boss.locator("#filings-submitted tbody tr", has_text=BUREAU)
        assert row.locator("td.num").inner_text() == "0"
        row.locator("text=审核通过").click()
        boss.wait_for_load_state()
        approved = boss.locator("#filings-approved tbody tr", has_text=BUREAU)
        assert "审核通过 · 县监督" in approved.inner_text()
        shot(boss, "filing-03-approved", full_page=True)
        clerk.reload()
        steps = [
            clerk.locator("#filing-events tbody tr").nth(i).locator("td").nth(1).inner_text()
            for i in range(clerk.locator("#filing-events tbody tr").count())
        ]
        assert steps == ["报送", "退回修改", "报送", "审核通过"]
        shot(clerk, "filing-04-clerk-view", full_page=True)
        assert not clerk_problems and not boss_problems, clerk_problems + boss_problems
    finally:
        clerk_ctx.close()
        boss_ctx.close()
