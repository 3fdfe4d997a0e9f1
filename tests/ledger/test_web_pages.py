"""The ledger's web pages (/ledger…) on SQLite and PostgreSQL, through the FastAPI
TestClient: registering a request (the receipt per channel, Chinese errors beside the
fields), recording its events through the worked example (补正, consultation,
extension, fee, decision, answer) with the clock and its explanation as the service
writes it, the notices as DOCX, the overdue and due-soon lists, the year's report
derived from the ledger, scope (another agency's clerk gets 404) and CSRF."""

from __future__ import annotations

import io
import re
from datetime import date
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.web.conftest import Site, login, site
from xxgk.ledger import service as L
from xxgk.ledger.calendar import deadline
from xxgk.store.ledger_models import LedgerAudit, LedgerEvent, LedgerRequest

__all__ = ["site"]  # the fixture, reused

BUREAU = "某某县发展和改革局"  # 发改填报's agency, under 某某县 (县监督)
OFFICE = "某某区某某办公室"  # 区办填报's agency, under 某某区 (区监督)


def _as(site: Site, user: str) -> tuple[TestClient, str]:
    client = site.fresh_client()
    return client, login(client, user)


def _text(html: str) -> str:
    """What a reader sees: inline tags dropped, other tags a space."""
    html = re.sub(r"</?(?:b|span|a|code|em|strong)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def _part(html: str, element_id: str) -> str:
    """The text of the element with ``element_id`` (up to its closing tag)."""
    m = re.search(rf'<(\w+)[^>]*id="{re.escape(element_id)}"[^>]*>(.*?)</\1>', html, re.S)
    assert m, f"no element #{element_id}"
    return _text(m.group(2))


def _rows(html: str, table: str) -> list[list[str]]:
    m = re.search(rf'<table[^>]*id="{table}".*?<tbody>(.*?)</tbody>', html, re.S)
    assert m, f"no table {table}"
    return [
        [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", m.group(1), re.S)
    ]


def _register(client: TestClient, csrf: str, **fields: str) -> Any:
    data = {
        "csrf": csrf,
        "channel": "in_person",
        "day": "2024-09-03",
        "applicant": "张三",
        "applicant_type": "natural",
        "content": "某路段的规划许可",
        "handler": "李四",
        **fields,
    }
    return client.post("/ledger/new", data=data, follow_redirects=False)


def _new(client: TestClient, csrf: str, **fields: str) -> int:
    answer = _register(client, csrf, **fields)
    assert answer.status_code == 303, _text(answer.text)[:500]
    m = re.fullmatch(r"/ledger/(\d+)", answer.headers["location"])
    assert m, answer.headers["location"]
    return int(m.group(1))


def _event(client: TestClient, csrf: str, rid: int, kind: str, on: str, **fields: str) -> Any:
    return client.post(
        f"/ledger/{rid}/events",
        data={"csrf": csrf, "kind": kind, "on": on, **fields},
        follow_redirects=False,
    )


def _ok(client: TestClient, csrf: str, rid: int, kind: str, on: str, **fields: str) -> str:
    answer = _event(client, csrf, rid, kind, on, **fields)
    assert answer.status_code == 303, _text(answer.text)[-800:]
    return client.get(f"/ledger/{rid}").text


def _clock_of(site: Site, rid: int) -> L.Clock:
    with site.store.session() as s:
        req = s.get(LedgerRequest, rid)
        assert req is not None
        return L.clock(req, L.load_calendar(s))


# ---------------------------------------------------------------- registering


def test_a_clerk_registers_a_request_and_sees_its_receipt_and_explained_due_date(
    site: Site,
) -> None:
    client, csrf = _as(site, "发改填报")
    form = client.get("/ledger/new")
    assert form.status_code == 200
    assert all(
        word in form.text for word in ("当面提交", "邮寄（挂号）", "邮寄（平信）", "网络", "传真")
    )
    assert all(
        word in form.text
        for word in ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
    )
    rid = _new(client, csrf, day="2024-09-27")
    page = client.get(f"/ledger/{rid}?today=2024-10-08")
    assert page.status_code == 200
    assert _part(page.text, "due-date") == "答复期限：2024-10-30（周三）"
    assert _part(page.text, "due-explanation") == (
        "2024-09-27（周五）收到，次日起算 20 个工作日；10-01 至 10-07 放假，"
        "09-29、10-12 调休上班 → 2024-10-30"
    )
    # 09-29 (a worked Sunday), 09-30 and 10-08 are used; 17 of the 20 left
    assert _part(page.text, "days") == "已用 3 个工作日，还剩 17 个工作日（共 20 个工作日）"
    assert "当面提交的，以提交之日为收到申请之日（条例第三十一条）→ 2024-09-27（周五）" in (
        _part(page.text, "receipt")
    )
    meta = _part(page.text, "request-meta")
    assert "张三（自然人）" in meta and "某路段的规划许可" in meta and "李四" in meta
    with site.store.session() as s:
        req = s.get(LedgerRequest, rid)
        assert req is not None
        assert (req.agency, req.number, req.channel, req.received, req.due) == (
            BUREAU,
            "2024-0001",
            "in_person",
            date(2024, 9, 27),
            date(2024, 10, 30),
        )
        audit = s.scalars(select(LedgerAudit).where(LedgerAudit.action == "request_added")).one()
        assert audit.who == "发改填报" and audit.row == str(rid) and '"张三"' in (audit.after or "")
    assert "request_added" in _part(page.text, "audit-trail")


@pytest.mark.parametrize(
    ("channel", "fields", "rule"),
    [
        ("registered_mail", {}, "以行政机关签收之日为收到申请之日"),
        ("online", {}, "通过网络提交的，以双方确认之日为收到申请之日"),
        ("fax", {}, "通过传真提交的，以双方确认之日为收到申请之日"),
        ("ordinary_mail", {"arrived": "2024-09-02"}, "2024-09-02 到达，2024-09-03 才与申请人确认"),
    ],
)
def test_the_receipt_follows_article_31_for_the_channel(
    site: Site, channel: str, fields: dict[str, str], rule: str
) -> None:
    client, csrf = _as(site, "发改填报")
    rid = _new(client, csrf, channel=channel, **fields)
    receipt = _part(client.get(f"/ledger/{rid}").text, "receipt")
    assert rule in receipt and receipt.startswith("2024-09-03（周二）")


def test_register_errors_are_chinese_beside_their_fields_and_nothing_is_stored(
    site: Site,
) -> None:
    client, csrf = _as(site, "发改填报")
    answer = _register(
        client, csrf, day="2024-13-01", applicant=" ", applicant_type="", content="", channel="信鸽"
    )
    assert answer.status_code == 422
    errors = {
        name: _part(answer.text, f"error-{name}")
        for name in ("day", "applicant", "applicant_type", "content", "channel")
    }
    assert errors["day"].startswith("收到日期“2024-13-01”不是日期，应写作 YYYY-MM-DD")
    assert errors["applicant"] == "请填写申请人姓名或名称"
    assert errors["applicant_type"].startswith("请选择申请人类型：自然人、商业企业")
    assert errors["content"].startswith("请填写申请内容")
    assert errors["channel"].startswith("请选择申请渠道：当面提交、邮寄（挂号）")
    assert "Traceback" not in answer.text and "有 5 处需要修改" in answer.text
    # what was typed is kept in the form
    assert 'value="2024-13-01"' in answer.text
    missing = _register(client, csrf, day="")
    assert missing.status_code == 422
    assert _part(missing.text, "error-day") == "请填写提交日期"
    with site.store.session() as s:
        assert s.scalar(select(func.count()).select_from(LedgerRequest)) == 0


def test_a_request_in_a_year_without_a_published_calendar_is_flagged(site: Site) -> None:
    with site.store.session() as s:
        last = max(L.load_calendar(s).years)
    client, csrf = _as(site, "发改填报")
    rid = _new(client, csrf, day=f"{last}-12-28")
    page = client.get(f"/ledger/{rid}")
    assert page.status_code == 200
    assert _part(page.text, "due-date") == "答复期限：暂无法计算"
    assert f"{last + 1} 年的节假日安排（国务院办公厅放假通知）尚未收录" in _part(
        page.text, "due-explanation"
    )


# ---------------------------------------------------------------- events and the clock


def test_the_worked_example_through_every_event_with_the_clock_as_the_service_explains_it(
    site: Site,
) -> None:
    client, csrf = _as(site, "发改填报")
    rid = _new(client, csrf, day="2024-09-03")
    page = _ok(client, csrf, rid, "correction_notice", "2024-09-06", until="2024-09-20")
    assert _part(page, "request-state") == "待补正"
    # the period has not started: the correction arrives, or the request lapses
    assert set(re.findall(r'id="form-(\w+)"', page)) == {"correction_received", "decision"}
    assert _part(page, "due-explanation") == (
        "已发补正告知，答复期限自收到补正后的申请起算；补正期限至 2024-09-20，"
        "逾期未补正视为放弃申请（（六）1）"
    )
    page = _ok(client, csrf, rid, "correction_received", "2024-09-13")
    assert _part(page, "due-date") == "答复期限：2024-10-17（周四）"
    assert _part(page, "due-explanation").startswith("2024-09-13（周五）收到补正后的申请，次日起算")
    page = _ok(client, csrf, rid, "consultation_sent", "2024-09-18", note="某公司")
    assert "征求意见答复期限（某公司）" in _part(page, "other-deadlines")
    page = _ok(client, csrf, rid, "consultation_answered", "2024-10-10")
    assert _part(page, "due-date") == "答复期限：2024-11-04（周一）"
    page = _ok(client, csrf, rid, "extension", "2024-10-28", approver="王主任", days="20")
    assert _part(page, "due-date") == "答复期限：2024-12-02（周一）"
    assert "经王主任批准延长 20 个工作日（共 40 个）" in _part(page, "due-explanation")
    assert _part(page, "due-explanation") == _clock_of(site, rid).note
    assert 'id="form-extension"' not in page  # 20 working days: no more extension
    page = _ok(client, csrf, rid, "fee_notice", "2024-11-01", method="per_volume", pages="150")
    assert "缴费期限（国办函〔2020〕109号）：2024-11-29（周五）" in _part(page, "other-deadlines")
    page = _ok(client, csrf, rid, "fee_paid", "2024-11-08")
    page = _ok(client, csrf, rid, "decision", "2024-11-20", result="partial")
    page = _ok(client, csrf, rid, "answer", "2024-11-20")
    assert _part(page, "request-state") == "已办结 （二）部分公开"
    assert 'id="form-' not in page  # a closed request takes no more events
    events = _rows(page, "event-list")
    assert [(e[0][:10], e[1]) for e in events] == [
        ("2024-09-06", "补正告知"),
        ("2024-09-13", "收到补正"),
        ("2024-09-18", "征求意见函发出"),
        ("2024-10-10", "收到意见"),
        ("2024-10-28", "延期答复"),
        ("2024-11-01", "收费通知"),
        ("2024-11-08", "缴费"),
        ("2024-11-20", "办理决定"),
        ("2024-11-20", "答复"),
    ]
    assert "批准人 王主任" in events[4][2] and "1700 元" in events[5][2]
    assert all(e[3] == "发改填报" for e in events)
    with site.store.session() as s:
        req = s.get(LedgerRequest, rid)
        assert req is not None
        assert (req.state, req.result, req.closed, req.fee_amount) == (
            "closed",
            "partial",
            date(2024, 11, 20),
            1700,
        )
        who = set(s.scalars(select(LedgerAudit.who).where(LedgerAudit.action == "event_added")))
        assert who == {"发改填报"}
        changed = s.scalars(
            select(LedgerAudit)
            .where(LedgerAudit.action == "request_changed")
            .order_by(LedgerAudit.id)
        ).all()
        assert len(changed) == 9
        assert '"state": "open"' in (changed[-1].before or "")
        assert '"state": "closed"' in (changed[-1].after or "")


def test_days_used_left_and_overdue_on_a_given_day(site: Site) -> None:
    client, csrf = _as(site, "发改填报")
    rid = _new(client, csrf, day="2024-09-27")
    assert _part(client.get(f"/ledger/{rid}?today=2024-10-30").text, "days") == (
        "已用 20 个工作日，还剩 0 个工作日（共 20 个工作日）"
    )
    late = client.get(f"/ledger/{rid}?today=2024-11-04").text
    assert _part(late, "days") == "已逾期 3 个工作日（期限共 20 个工作日，已全部用完）"
    # a consultation's working days are neither used nor left
    _ok(client, csrf, rid, "consultation_sent", "2024-10-08", note="某局")
    _ok(client, csrf, rid, "consultation_answered", "2024-10-11")
    page = client.get(f"/ledger/{rid}?today=2024-10-14").text
    with site.store.session() as s:
        cal = L.load_calendar(s)
    due = deadline(
        date(2024, 9, 27), 20, cal, pauses=[L.Pause(date(2024, 10, 8), date(2024, 10, 11))]
    )
    assert due.due == date(2024, 11, 4)  # 10-30 and 3 more working days
    assert _part(page, "due-date") == "答复期限：2024-11-04（周一）"
    # used: 09-29, 09-30, 10-08 (the letter's day), 10-12, 10-14; 10-09…10-11 not counted
    assert _part(page, "days") == (
        "已用 5 个工作日，还剩 15 个工作日（共 20 个工作日；另有 3 个工作日不计入期限）"
    )


def test_event_errors_are_shown_at_their_form_and_record_nothing(site: Site) -> None:
    client, csrf = _as(site, "发改填报")
    rid = _new(client, csrf, day="2024-09-03")
    no_approver = _event(client, csrf, rid, "extension", "2024-09-20", days="20")
    assert no_approver.status_code == 422
    assert _part(no_approver.text, "error-approver").startswith("延期答复须经")
    assert 'class="failed"' in no_approver.text
    page = _ok(client, csrf, rid, "extension", "2024-09-20", approver="王主任", days="15")
    assert "延长工作日数（还可延长 5 个）" in _text(page)
    assert 'name="days" min="1" max="5" value="5"' in page
    too_long = _event(client, csrf, rid, "extension", "2024-09-23", approver="王主任", days="6")
    assert too_long.status_code == 422
    message = _part(too_long.text, "error-extension")
    assert message.startswith(
        "延长答复期限最长不得超过 20 个工作日（条例第三十三条），已延长 15 个"
    )
    bad_day = _event(client, csrf, rid, "fee_paid", "2024-09-25")
    assert bad_day.status_code == 422  # no fee notice: the service refuses it
    assert _part(bad_day.text, "error-fee_paid") == "没有收费通知，不能记录缴费"
    early = _event(client, csrf, rid, "decision", "2024-08-01", result="granted")
    assert "早于收到申请之日 2024-09-03" in _part(early.text, "error-decision")
    lapse = _event(client, csrf, rid, "decision", "2024-09-25", result="other_no_correction")
    assert _part(lapse.text, "error-decision") == "“逾期不补正”须有补正告知且未收到补正"
    garbled = _event(client, csrf, rid, "correction_notice", "明天", until="")
    assert garbled.status_code == 422
    assert _part(garbled.text, "error-on").startswith("日期“明天”不是日期")
    assert _part(garbled.text, "error-until") == "请填写补正期限"
    fee = _event(client, csrf, rid, "fee_notice", "2024-09-10", method="per_volume")
    assert _part(fee.text, "error-pages") == "按量计收须填写页数"
    for answer in (no_approver, too_long, bad_day, early, lapse, garbled, fee):
        assert "--" not in _text(answer.text).split("记录办理事项")[-1].split("变更记录")[0]
        assert "Traceback" not in answer.text
    with site.store.session() as s:
        kinds = s.scalars(select(LedgerEvent.kind)).all()
        assert kinds == ["extension"]


# ---------------------------------------------------------------- documents


def _docx_text(data: bytes) -> str:
    import docx

    doc = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in doc.paragraphs)


def test_notices_download_as_docx_that_name_the_applicant(site: Site) -> None:
    client, csrf = _as(site, "发改填报")
    rid = _new(
        client, csrf, day="2024-09-27", applicant="某某科技有限公司", applicant_type="commercial"
    )
    page = client.get(f"/ledger/{rid}").text
    assert 'id="doc-receipt"' in page and 'id="doc-correction"' not in page
    assert "补正告知书（须先记录补正告知）" in _part(page, "document-links")
    receipt = client.get(f"/ledger/{rid}/documents/receipt.docx")
    assert receipt.status_code == 200
    assert receipt.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert "filename*=UTF-8''" in receipt.headers["content-disposition"]
    text = _docx_text(receipt.content)
    assert "政府信息公开申请受理回执" in text and "某某科技有限公司：" in text
    assert "2024年10月30日前作出答复" in text
    refused = client.get(f"/ledger/{rid}/documents/correction.docx")
    assert refused.status_code == 409 and "没有相应的办理事项" in _text(refused.text)
    _ok(client, csrf, rid, "correction_notice", "2024-09-30", until="2024-10-18", note="请写明文号")
    page = client.get(f"/ledger/{rid}").text
    assert 'id="doc-correction"' in page
    text = _docx_text(client.get(f"/ledger/{rid}/documents/correction.docx").content)
    assert "某某科技有限公司" in text and "2024年10月18日前补正" in text and "请写明文号" in text
    _ok(client, csrf, rid, "correction_received", "2024-10-08")
    _ok(client, csrf, rid, "decision", "2024-10-15", result="unable_not_held")
    text = _docx_text(client.get(f"/ledger/{rid}/documents/answer.docx").content)
    assert "某某科技有限公司" in text and "条例第三十六条第（四）项" in text
    assert client.get(f"/ledger/{rid}/documents/nonsense.docx").status_code == 404


# ---------------------------------------------------------------- lists


def test_the_overdue_and_due_soon_lists_are_the_services_with_their_due_dates(
    site: Site,
) -> None:
    client, csrf = _as(site, "发改填报")
    # due 2024-09-30: Mid-Autumn 09-15…17 off, 09-14 and 09-29 worked
    late = _new(client, csrf, day="2024-09-02", applicant="逾期甲")
    soon = _new(client, csrf, day="2024-09-27", applicant="将到期乙")  # due 2024-10-30
    later = _new(client, csrf, day="2024-10-21", applicant="未到期丙")
    done = _new(client, csrf, day="2024-09-02", applicant="已办结丁")
    _ok(client, csrf, done, "decision", "2024-09-20", result="granted")
    _ok(client, csrf, done, "answer", "2024-09-20")
    today = date(2024, 10, 25)
    page = client.get("/ledger?today=2024-10-25&within=5").text
    overdue = _rows(page, "ledger-overdue")
    due_soon = _rows(page, "ledger-soon")
    with site.store.session() as s:
        want_late = [r.number for r in L.overdue(s, today, BUREAU)]
        want_soon = [r.number for r in L.due_soon(s, today, 5, BUREAU)]
        numbers = {r.id: r.number for r in s.scalars(select(LedgerRequest))}
    assert [r[0] for r in overdue] == want_late == [numbers[late]]
    assert [r[0] for r in due_soon] == want_soon == [numbers[soon]]
    assert overdue[0][-1] == "2024-09-30（周一）" and "已逾期" in overdue[0][-2]
    assert due_soon[0][-1] == "2024-10-30（周三）"
    everything = _rows(page, "ledger-all")
    assert {r[0] for r in everything} == set(numbers.values())
    assert next(r for r in everything if r[0] == numbers[done])[-1].startswith("2024-09-20 答复")
    closed = _rows(client.get("/ledger?status=closed&year=2024").text, "ledger-all")
    assert [r[0] for r in closed] == [numbers[done]]
    assert _rows(client.get("/ledger?status=open&year=2024").text, "ledger-all")
    assert "没有符合条件的申请" in client.get("/ledger?year=2023").text
    assert numbers[later] not in {r[0] for r in overdue + due_soon}
    bad = client.get("/ledger?today=去年")
    assert bad.status_code == 422 and "应写作 YYYY-MM-DD" in _text(bad.text)


# ---------------------------------------------------------------- scope and CSRF


def test_another_agencys_clerk_sees_nothing_and_a_supervisor_sees_the_agencies_in_scope(
    site: Site,
) -> None:
    client, csrf = _as(site, "发改填报")
    rid = _new(client, csrf, applicant="本局申请人")
    other, other_csrf = _as(site, "区办填报")
    for url in (f"/ledger/{rid}", f"/ledger/{rid}/documents/receipt.docx"):
        answer = other.get(url)
        assert answer.status_code == 404 and "本局申请人" not in answer.text
    sneaked = _event(other, other_csrf, rid, "decision", "2024-09-20", result="granted")
    assert sneaked.status_code == 404
    assert "本局申请人" not in other.get("/ledger").text
    assert other.get(f"/ledger/report?year=2024&agency={BUREAU}").status_code == 404
    # a clerk registers only for its own agency
    foreign = _register(other, other_csrf, agency=BUREAU)
    assert foreign.status_code == 422 and _part(foreign.text, "error-agency").startswith(
        "请选择受理机关"
    )
    county, county_csrf = _as(site, "县监督")
    assert "本局申请人" in county.get("/ledger").text
    assert county.get(f"/ledger/{rid}").status_code == 200
    district, _ = _as(site, "区监督")
    assert district.get(f"/ledger/{rid}").status_code == 404
    # a supervisor chooses among the agencies in scope
    form = county.get("/ledger/new").text
    assert BUREAU in form and "某某县某某镇人民政府" in form and OFFICE not in form
    town = _new(county, county_csrf, agency="某某县某某镇人民政府", applicant="镇申请人")
    assert town
    admin, _ = _as(site, "管理员")
    listed = admin.get("/ledger").text
    assert "本局申请人" in listed and "镇申请人" in listed and "全部申请（2）" in listed
    assert len(_rows(listed, "ledger-all")) == 2
    with site.store.session() as s:
        assert s.scalar(select(func.count()).select_from(LedgerRequest)) == 2
        assert (
            s.scalar(
                select(LedgerAudit.who).where(
                    LedgerAudit.row == str(town), LedgerAudit.action == "request_added"
                )
            )
            == "县监督"
        )


def test_forms_without_the_csrf_token_are_refused(site: Site) -> None:
    client, csrf = _as(site, "发改填报")
    rid = _new(client, csrf)
    refused = _register(client, "")
    assert refused.status_code == 403 and "CSRF" in _text(refused.text)
    wrong = _event(client, "not-the-token", rid, "extension", "2024-09-20", approver="王主任")
    assert wrong.status_code == 403
    anonymous = site.fresh_client()
    assert anonymous.get("/ledger", follow_redirects=False).status_code == 303
    with site.store.session() as s:
        assert s.scalar(select(func.count()).select_from(LedgerRequest)) == 1
        assert s.scalar(select(func.count()).select_from(LedgerEvent)) == 0


# ---------------------------------------------------------------- the year's report


def test_the_years_report_from_the_ledger_checks_clean_and_chains(site: Site) -> None:
    from xxgk.ledger.simulate import simulate

    with site.store.session() as s:
        simulate(s, 2024, 60, 1, BUREAU)
    with site.store.session() as s:
        simulate(s, 2025, 40, 1, BUREAU)
    with site.store.session() as s:
        received = {
            y: s.scalar(
                select(func.count())
                .select_from(LedgerRequest)
                .where(
                    LedgerRequest.received >= date(y, 1, 1),
                    LedgerRequest.received <= date(y, 12, 31),
                )
            )
            for y in (2024, 2025)
        }
    client, _ = _as(site, "发改填报")
    page = client.get("/ledger/report?year=2025")
    assert page.status_code == 200
    assert _part(page.text, "check-status") == (
        "按年报规则核查：未发现问题（勾稽关系、合计均成立，与 2024 年度台账报告的结转核对一致）。"
    )
    assert _part(page.text, "t3.new.total") == str(received[2025]) == "40"
    last = client.get("/ledger/report?year=2024").text
    assert _part(last, "check-status") == "按年报规则核查：未发现问题（勾稽关系、合计均成立）。"
    assert _part(page.text, "t3.carried_over.total") == _part(last, "t3.carried_forward.total")
    assert 'id="t4"' in page.text and 'id="t2"' in page.text
    assert f"共收到政府信息公开申请{received[2025]}件" in _part(page.text, "narrative")
    word = client.get(f"/ledger/report.docx?year=2025&agency={BUREAU}")
    assert word.status_code == 200
    assert "政府信息公开工作年度报告" in _docx_text(word.content)
    assert client.get("/ledger/report.exe?year=2025").status_code == 404
    none = client.get("/ledger/report?year=2021").text
    assert _part(none, "t3.new.total") == "0"


# ---------------------------------------------------------------- the statute's limits


def _stored(site: Site) -> tuple[int, int]:
    with site.store.session() as s:
        return (
            s.scalar(select(func.count()).select_from(LedgerEvent)) or 0,
            s.scalar(select(func.count()).select_from(LedgerAudit)) or 0,
        )


def test_a_second_correction_notice_is_not_offered_and_is_refused(site: Site) -> None:
    client, csrf = _as(site, "发改填报")
    rid = _new(client, csrf, day="2024-09-03")
    page = client.get(f"/ledger/{rid}").text
    assert 'id="form-correction_notice"' in page and "只能告知一次" in page
    page = _ok(client, csrf, rid, "correction_notice", "2024-09-06", until="2024-09-20")
    assert 'id="form-correction_notice"' not in page
    refused = (
        "未能记录补正告知：补正告知只能发一次：本申请已于 2024-09-06 告知补正（条例第三十条："
        "一次性告知申请人需要补正的事项和合理的补正期限）。补正后申请内容仍不明确的，"
        "请记录办理决定“（五）无法提供 3.补正后申请内容仍不明确”"
    )
    for step in ("waiting", "corrected"):
        before = _stored(site)
        again = _event(client, csrf, rid, "correction_notice", "2024-09-20", until="2024-09-30")
        assert again.status_code == 422, step
        assert _part(again.text, "event-refused") == refused
        assert 'id="form-correction_notice"' not in again.text
        assert _stored(site) == before  # nothing stored, not even an audit entry
        if step == "waiting":
            # after the correction arrives the notice is still not offered again
            page = _ok(client, csrf, rid, "correction_received", "2024-09-13")
            assert 'id="form-correction_notice"' not in page
    # a request never corrected: past the deadline the page says it may lapse
    other = _new(client, csrf, day="2024-09-03", applicant="王五")
    _ok(client, csrf, other, "correction_notice", "2024-09-06", until="2024-09-20")
    assert 'id="correction-lapsed"' not in client.get(f"/ledger/{other}?today=2024-09-20").text
    assert 'id="ledger-lapsing"' not in client.get("/ledger?today=2024-09-20").text
    lapsing = _rows(client.get("/ledger?today=2024-09-23").text, "ledger-lapsing")
    assert [(r[3].split()[0], r[-1]) for r in lapsing] == [
        ("王五", "补正期限 2024-09-20 已过，未收到补正：可按逾期不补正办结（（六）1）")
    ]
    page = client.get(f"/ledger/{other}?today=2024-09-23").text
    assert _part(page, "correction-lapsed").startswith(
        "补正期限 2024-09-20 已届满，尚未收到补正：申请人无正当理由逾期不补正的，视为放弃申请"
    )
    late = _event(client, csrf, other, "correction_received", "2024-09-23")
    assert late.status_code == 422
    assert "请在备注中写明理由后再记录收到补正" in _part(late.text, "error-correction_received")
    assert 'id="form-correction_received"' in late.text  # the reason can still be given
    page = _ok(client, csrf, other, "correction_received", "2024-09-23", note="申请人住院")
    assert _part(page, "due-explanation").startswith("2024-09-23（周一）收到补正后的申请")


def test_a_closed_request_says_whether_it_was_answered_on_time(site: Site) -> None:
    client, csrf = _as(site, "发改填报")
    on_time = _new(client, csrf, day="2024-09-27", applicant="按期甲")  # due 2024-10-30
    late = _new(client, csrf, day="2024-09-27", applicant="逾期乙")
    _ok(client, csrf, on_time, "decision", "2024-10-30", result="granted")
    page = _ok(client, csrf, on_time, "answer", "2024-10-30")
    assert _part(page, "answer-verdict") == "按期答复"
    _ok(client, csrf, late, "decision", "2024-11-01", result="granted")
    page = _ok(client, csrf, late, "answer", "2024-11-04")
    assert _part(page, "answer-verdict") == "逾期答复（超过期限 3 个工作日）"
    assert _part(page, "due-explanation") == (
        "2024-09-27（周五）收到，次日起算 20 个工作日；10-01 至 10-07 放假，"
        "09-29、10-12 调休上班 → 2024-10-30"
    )
    with site.store.session() as s:
        req = s.get(LedgerRequest, late)
        assert req is not None
        answered = L.clock(req, L.load_calendar(s)).answered
        assert answered is not None and answered.late == 3
    listed = _rows(client.get("/ledger").text, "ledger-all")
    rows = {r[3].split()[0]: r for r in listed}  # 申请人 (several=False: no 机关 column)
    assert rows["按期甲"][-1].startswith("2024-10-30 答复 按期答复")
    assert rows["逾期乙"][-1].startswith("2024-11-04 答复 逾期答复（超过期限 3 个工作日）")
    report = client.get("/ledger/report?year=2024").text
    assert _part(report, "answer-timeliness").startswith(
        "台账：2024 年答复 2 件：按期答复 1 件，逾期答复 1 件（共超过期限 3 个工作日）。"
    )
    assert "逾期答复 0 件" in _part(
        client.get("/ledger/report?year=2023").text, "answer-timeliness"
    )
