"""The ledger's pages in a real browser (the fixtures of tests/web/test_browser.py): a
clerk registers a request (first with a mistake: the errors beside the fields), sends a
补正 notice, receives the correction, extends the period, downloads the 延期答复告知书,
records the decision and the answer; the list and the year's report.  Screenshots go
to ``$XXGK_ARTIFACTS`` (default ``tests/web/artifacts/``) as ``ledger-*.png``."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.web.live import Server
from tests.web.test_browser import CHROMIUM, browser, log_in, server, shot

__all__ = ["browser", "server"]  # the fixtures, reused

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="browser tests need Debian's Chromium at /usr/bin/chromium (make chromium installs it)",
)


def _record(page: Any, kind: str, **fields: str) -> None:
    form = f"#form-{kind}"
    for name, value in fields.items():
        target = page.locator(f"{form} [name={name}]")
        if target.evaluate("e => e.tagName") == "SELECT":
            target.select_option(value)
        else:
            target.fill(value)
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")


def test_register_correct_extend_and_decide_a_request(
    server: tuple[Server, dict[str, str]], browser: Any, tmp_path: Path
) -> None:
    import docx

    live, _tokens = server
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    problems: list[str] = []
    try:
        page = log_in(context, live.url, "发改填报")
        page.on(
            "console",
            lambda m: (
                problems.append(m.text)
                if m.type == "error" and "status of 422" not in m.text  # the form's own answer
                else None
            ),
        )
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.click("header nav >> text=依申请台账")
        page.wait_for_url(f"{live.url}/ledger")
        page.click("#register-link")
        # a first try without the applicant and with the wrong date
        page.select_option("select[name=channel]", "in_person")
        page.fill("input[name=day]", "2024-09-03")
        page.select_option("select[name=applicant_type]", "natural")
        page.fill("textarea[name=content]", "2024年某路段的规划许可证及附图")
        with page.expect_navigation():
            page.click("#register-form button[type=submit]")
        assert page.inner_text("#error-applicant") == "请填写申请人姓名或名称"
        assert page.input_value("textarea[name=content]") == "2024年某路段的规划许可证及附图"
        shot(page, "ledger-01-register-errors", full_page=True)
        page.fill("input[name=applicant]", "张三")
        with page.expect_navigation():
            page.click("#register-form button[type=submit]")
        assert re.search(r"/ledger/\d+$", page.url), page.url
        request_url = page.url
        page.goto(request_url + "?today=2024-09-05")
        assert page.inner_text("#due-date") == "答复期限：2024-10-08（周二）"
        assert page.inner_text("#days").startswith("已用 2 个工作日，还剩 18 个工作日")
        shot(page, "ledger-02-registered", full_page=True)
        # 补正: the period waits, then restarts from the corrected application; a second
        # tab still shows the form from before
        stale = context.new_page()
        stale.goto(request_url + "?today=2024-09-05")
        _record(
            page, "correction_notice", on="2024-09-06", until="2024-09-20", note="请写明许可证编号"
        )
        assert page.inner_text("#request-state") == "待补正"
        assert "补正期限至 2024-09-20" in page.inner_text("#due-explanation")
        # 条例第三十条: told once; the form is gone, and the stale tab's is refused
        assert page.locator("#form-correction_notice").count() == 0
        shot(page, "ledger-03-correction", full_page=True)
        _record(stale, "correction_notice", on="2024-09-09", until="2024-09-30", note="再补一项")
        assert stale.inner_text("#event-refused").startswith(
            "未能记录补正告知：补正告知只能发一次：本申请已于 2024-09-06 告知补正"
        )
        assert stale.locator("#form-correction_notice").count() == 0
        assert stale.locator("#event-list tbody tr").count() == 1
        shot(stale, "ledger-03b-correction-refused", full_page=True)
        stale.close()
        page.goto(request_url + "?today=2024-09-13")
        _record(page, "correction_received", on="2024-09-13")
        assert page.inner_text("#due-date") == "答复期限：2024-10-17（周四）"
        # extension, approved by the office's head
        page.goto(request_url + "?today=2024-10-14")
        assert page.inner_text("#days").startswith("已用 17 个工作日，还剩 3 个工作日")
        _record(page, "extension", on="2024-10-14", approver="王主任", note="需调取档案")
        explanation = page.inner_text("#due-explanation")
        assert explanation.startswith("2024-09-13（周五）收到补正后的申请，次日起算 20 个工作日，")
        assert "经王主任批准延长 20 个工作日（共 40 个）" in explanation
        due = explanation.rsplit("→ ", 1)[1][:10]
        assert page.inner_text("#due-date").startswith(f"答复期限：{due}")
        shot(page, "ledger-04-extension", full_page=True)
        with page.expect_download() as info:
            page.click("#doc-extension")
        saved = tmp_path / "extension.docx"
        info.value.save_as(saved)
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(saved.read_bytes())).paragraphs)
        assert "张三：" in text and "经王主任同意" in text and "需调取档案" in text
        # the decision (a t3 result row) and the answer close it
        page.goto(request_url + "?today=2024-11-04")
        _record(page, "decision", on="2024-11-01", result="partial")
        _record(page, "answer", on="2024-11-04")
        assert page.inner_text("#request-state").startswith("已办结")
        assert page.locator("#event-list tbody tr").count() == 5
        assert page.locator("form[id^=form-]").count() == 0
        # due 2024-10-17 + 20 working days of extension: answered 11-04 is on time
        assert page.inner_text("#answer-verdict") == "按期答复"
        assert page.inner_text("#due-explanation") == explanation
        shot(page, "ledger-05-closed", full_page=True)
        page.goto(f"{live.url}/ledger?today=2024-11-05")
        row = page.locator("#ledger-all tbody tr", has_text="张三")
        assert "2024-11-04 答复" in row.inner_text() and "部分公开" in row.inner_text()
        assert "按期答复" in row.inner_text()
        shot(page, "ledger-06-list", full_page=True)
        page.click("#report-link")
        page.wait_for_url("**/ledger/report*")
        page.fill("input[name=year]", "2024")
        with page.expect_navigation():
            page.click("#report-filters button")
        assert page.inner_text("#check-status").startswith("按年报规则核查：未发现问题")
        assert page.inner_text("td[id='t3.partial.natural']") == "1"
        assert page.inner_text("#answer-timeliness").startswith(
            "台账：2024 年答复 1 件：按期答复 1 件，逾期答复 0 件。"
        )
        shot(page, "ledger-07-report", full_page=True)
        assert not problems, problems
    finally:
        context.close()


def test_a_supervisor_sees_the_overdue_and_due_soon_requests_of_the_county(
    server: tuple[Server, dict[str, str]], browser: Any
) -> None:
    from sqlalchemy import select

    from xxgk.ledger import service as L
    from xxgk.ledger.simulate import simulate
    from xxgk.store.base import Store
    from xxgk.store.ledger_models import LedgerRequest

    live, _tokens = server
    store = Store(live.data)
    try:
        with store.session() as s:
            simulate(s, 2024, 80, 3, "某某县某某镇人民政府")
        with store.session() as s:  # a request whose correction never came
            unclear = L.add_request(
                s,
                agency="某某县某某镇人民政府",
                channel="当面",
                submitted=date(2024, 12, 2),
                applicant="未补正某",
                applicant_type="自然人",
                content="某村的土地征收批复",
                who="镇办",
            )
            L.add_event(
                s, unclear, "correction_notice", date(2024, 12, 4), "镇办", until=date(2024, 12, 18)
            )
            # and one of the county's other agency, so that the list names each agency
            # whichever test runs first
            L.add_request(
                s,
                agency="某某县发展和改革局",
                channel="当面",
                submitted=date(2024, 12, 27),
                applicant="发改申请人",
                applicant_type="自然人",
                content="某项目的核准文件",
                who="发改填报",
            )
        with store.session() as s:
            cal = L.load_calendar(s)
            closed = s.scalars(
                select(LedgerRequest).where(
                    LedgerRequest.state == "closed", LedgerRequest.agency == "某某县某某镇人民政府"
                )
            )
            verdicts = {r.number: L.clock(r, cal).answered for r in closed}
    finally:
        store.dispose()
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = log_in(context, live.url, "县监督")
        page.goto(f"{live.url}/ledger?today=2025-01-06")
        late = page.locator("#ledger-overdue tbody tr")
        soon = page.locator("#ledger-soon tbody tr")
        assert late.count() + soon.count() > 0
        for i in range(late.count()):
            due = late.nth(i).locator("td").last.inner_text()
            assert due < "2025-01-06" and "已逾期" in late.nth(i).inner_text()
        for i in range(soon.count()):
            assert "2025-01-06" <= soon.nth(i).locator("td").last.inner_text() <= "2025-01-13"
        # a correction deadline passed: listed to be closed as （六）1
        lapsing = page.locator("#ledger-lapsing tbody tr")
        assert lapsing.count() == 1 and "未补正某" in lapsing.inner_text()
        assert lapsing.locator("td").last.inner_text() == (
            "补正期限 2024-12-18 已过，未收到补正：可按逾期不补正办结（（六）1）"
        )
        # the county's two agencies, each request with its agency
        assert "某某县某某镇人民政府" in page.inner_text("#ledger-all")
        # each closed request says whether it was answered on time, as the clock judges
        late_answers = {n: a for n, a in verdicts.items() if a is not None and a.late}
        assert late_answers, "the simulated year has late answers (the time to pay is counted)"
        town = "某某县某某镇人民政府"

        def row_of(number: str) -> Any:
            rows = page.locator("#ledger-all tbody tr", has_text=number)
            return rows.filter(has_text=town) if rows.count() > 1 else rows

        for number, answered in verdicts.items():
            row = row_of(number)
            assert answered is not None and answered.verdict in row.inner_text()
            assert row.locator(".verdict.bad").count() == (1 if answered.late else 0)
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"the page is wider than the window: {widths}"
        shot(page, "ledger-08-supervisor-list", full_page=True)
        number, answered = sorted(late_answers.items())[0]
        row_of(number).locator("a").first.click()
        page.wait_for_selector("#answer-verdict")
        assert page.inner_text("#answer-verdict") == answered.verdict
        assert page.inner_text("#due-explanation") == answered.why
        shot(page, "ledger-09-late-answer", full_page=True)
    finally:
        context.close()
