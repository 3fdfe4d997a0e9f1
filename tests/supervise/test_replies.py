"""整改反馈 (on SQLite and PostgreSQL): the noticed agency's clerk sees the notice on
their home page and its own page (the findings linked to where they stand), answers it
(a text, an explanation per finding, a corrected version), the supervisor sees
已反馈（待审核） and returns it (the clerk reads the reason) or accepts it (已整改);
the refusals (another agency's clerk: 404; a supervisor answering, a clerk deciding:
403; an empty or too long text: 422; a second answer while one waits, an answer to a
settled notice: 409); the API's replies and accept/return; every step audited.  A
notice whose findings were all dismissed on review is 无需整改 and leaves the due list."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.supervise.test_pages import (
    BUREAU,
    CHANGED,
    THIS_YEAR,
    _broken,
    _report,
    _upload_all,
)
from tests.supervise.test_rectify import _issue, _row_of
from tests.web.conftest import Site, csrf_of, login
from xxgk.render.text import render_text
from xxgk.store.models import AuditEntry
from xxgk.web.worker import run_pending


def _text(html: str, element_id: str) -> str:
    m = re.search(rf'<(\w+)[^>]*id="{element_id}"[^>]*>(.*?)</\1>', html, re.S)
    assert m, f"no element {element_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", m.group(2)).split())


def _actions(site: Site) -> list[str]:
    with site.store.session() as s:
        q = select(AuditEntry.action).where(AuditEntry.action.like("notice.%"))
        return list(s.scalars(q.order_by(AuditEntry.id)))


def test_the_clerk_answers_the_supervisor_returns_then_a_new_version_settles_it(
    site: Site,
) -> None:
    ids = _upload_all(site)
    bureau = ids[1]
    boss_csrf = login(site.client, "县监督")
    nid = _issue(site, boss_csrf, bureau, "2099-06-30")
    clerk = site.fresh_client()
    clerk_csrf = login(clerk, "发改填报")
    # the clerk's home page lists the notice, and its page shows the findings
    home = clerk.get("/").text
    assert f"第 {nid} 号" in _text(home, f"my-notice-{nid}")
    assert f'href="/rectifications/{nid}"' in home
    page = clerk.get(f"/rectifications/{nid}")
    assert page.status_code == 200
    noticed = _text(page.text, "noticed")
    assert "SUM-001" in noticed and "SUM-003" in noticed
    assert re.search(rf'href="/reports/{bureau}\?show=\d+#f\d+"', page.text)
    assert 'id="reply-form"' in page.text and "待整改" in _text(page.text, "notice-state")
    # refusals: empty or too long text, a supervisor answering, another agency's clerk
    empty = clerk.post(f"/rectifications/{nid}/reply", data={"text": "  ", "csrf": clerk_csrf})
    assert empty.status_code == 422 and "请填写整改反馈" in empty.text
    assert "整改通知" in empty.text  # the error page has the nav bar
    long = clerk.post(
        f"/rectifications/{nid}/reply", data={"text": "长" * 2001, "csrf": clerk_csrf}
    )
    assert long.status_code == 422 and "不能超过 2000 字" in long.text
    wordy = clerk.post(
        f"/rectifications/{nid}/reply",
        data={"text": "已更正", "explain": ["说" * 1001], "csrf": clerk_csrf},
    )
    assert wordy.status_code == 422 and "情况说明不能超过 1000 字" in wordy.text
    boss = site.client.post(f"/rectifications/{nid}/reply", data={"text": "x", "csrf": boss_csrf})
    assert boss.status_code == 403 and "填报人员" in boss.text
    other = site.fresh_client()
    other_csrf = login(other, "区办填报")
    assert other.get(f"/rectifications/{nid}").status_code == 404
    assert (
        other.post(
            f"/rectifications/{nid}/reply", data={"text": "x", "csrf": other_csrf}
        ).status_code
        == 404
    )
    assert f"my-notice-{nid}" not in other.get("/").text
    # the answer, with an explanation for the second finding
    sent = clerk.post(
        f"/rectifications/{nid}/reply",
        data={
            "text": "已核对第三部分数据并更正",
            "explain": ["", "该行数据以原始台账为准"],
            "csrf": clerk_csrf,
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    page = clerk.get(f"/rectifications/{nid}").text
    assert "已反馈（待审核）" in _text(page, "notice-state")
    assert "已核对第三部分数据并更正" in page
    assert "该行数据以原始台账为准" in _text(page, "item-1")  # beside the finding it explains
    assert "情况说明" not in _text(page, "item-0")
    assert 'id="reply-form"' not in page and 'id="awaiting"' in page
    again = clerk.post(f"/rectifications/{nid}/reply", data={"text": "再次", "csrf": clerk_csrf})
    assert again.status_code == 409 and "等待审核" in again.text
    refused = clerk.post(f"/rectifications/{nid}/accept", data={"note": "x", "csrf": clerk_csrf})
    assert refused.status_code == 403
    # the supervisor sees it waiting, and returns it with a reason
    line = _row_of(site.client.get("/rectifications").text, nid)
    assert line[4] == "已反馈（待审核）" and line[8].startswith("审核反馈")
    assert line[8].endswith("发改填报提交 · 待审核")  # the latest answer: who, its state
    assert 'id="accept-form"' in site.client.get(f"/rectifications/{nid}").text
    no_reason = site.client.post(
        f"/rectifications/{nid}/return", data={"reason": " ", "csrf": boss_csrf}
    )
    assert no_reason.status_code == 422 and "退回的理由" in no_reason.text
    back = site.client.post(
        f"/rectifications/{nid}/return",
        data={"reason": "数据仍未改正，请上传新版本", "csrf": boss_csrf},
        follow_redirects=False,
    )
    assert back.status_code == 303
    line = _row_of(site.client.get("/rectifications").text, nid)
    assert line[4] == "待整改" and line[8].endswith("已退回：数据仍未改正，请上传新版本")
    page = clerk.get(f"/rectifications/{nid}").text
    assert "数据仍未改正，请上传新版本" in _text(page, "returned")
    assert "反馈被退回：数据仍未改正" in _text(clerk.get("/").text, f"my-notice-{nid}")
    # a second answer with the corrected version: checked, the findings gone → 已整改
    fixed = render_text(_report(BUREAU, 2023, 30, 6, 4, THIS_YEAR + CHANGED), "tabs").encode()
    sent = clerk.post(
        f"/rectifications/{nid}/reply",
        data={"text": "已更正并重新发布", "csrf": clerk_csrf},
        files={"file": ("第二版.txt", fixed)},
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    run_pending(site.store)
    page = clerk.get(f"/rectifications/{nid}").text
    assert _text(page, "notice-state").startswith("已整改")
    assert "已无审查意见所列问题" in page and "已结束" in page
    late = clerk.post(f"/rectifications/{nid}/reply", data={"text": "补充", "csrf": clerk_csrf})
    assert late.status_code == 409 and "已经整改完毕" in late.text
    assert f"my-notice-{nid}" not in clerk.get("/").text
    assert _actions(site) == [
        "notice.issue",
        "notice.reply",
        "notice.reply.returned",
        "notice.reply",
        "notice.rectified",
    ]


def test_the_api_answers_and_the_supervisor_accepts(site: Site) -> None:
    ids = _upload_all(site)
    bureau = ids[1]
    made = site.client.post(
        "/api/v1/rectifications",
        json={"report": bureau, "deadline": "2099-03-31"},
        headers=site.api("管理员"),
    ).json()
    nid = made["id"]
    clerk, boss = site.api("发改填报"), site.api("县监督")
    got = site.client.get(f"/api/v1/notices/{nid}/replies", headers=clerk).json()
    assert got == {"notice": nid, "status": "pending", "replies": []}
    assert (
        site.client.get(f"/api/v1/notices/{nid}/replies", headers=site.api("区办填报")).status_code
        == 404
    )
    # a new version uploaded first (still broken), then named in the answer
    sent = site.client.post(
        "/api/v1/reports",
        files={
            "file": (
                "第二版.txt",
                render_text(_broken(_report(BUREAU, 2023, 30, 6, 4, "改")), "tabs").encode(),
            )
        },
        headers=clerk,
    )
    assert sent.status_code == 201, sent.text
    version = sent.json()["id"]
    run_pending(site.store)
    wrong = site.client.post(
        f"/api/v1/notices/{nid}/replies", json={"text": "x", "report": bureau}, headers=clerk
    )
    assert wrong.status_code == 422 and "新版本" in wrong.json()["error"]["message"]
    by_boss = site.client.post(f"/api/v1/notices/{nid}/replies", json={"text": "x"}, headers=boss)
    assert by_boss.status_code == 403
    answer = site.client.post(
        f"/api/v1/notices/{nid}/replies",
        json={
            "text": "已按要求整改",
            "report": version,
            "explanations": [{"finding": 0, "text": "原数据无误"}],
        },
        headers=clerk,
    )
    assert answer.status_code == 201, answer.text
    reply = answer.json()
    assert reply["state"] == "submitted" and reply["report"] == version
    assert reply["explanations"] == [{"finding": 0, "text": "原数据无误"}]
    assert (
        site.client.get(f"/api/v1/rectifications/{nid}", headers=boss).json()["status"] == "replied"
    )
    assert (
        site.client.post(
            f"/api/v1/rectifications/{nid}/accept", json={"note": "x"}, headers=clerk
        ).status_code
        == 403
    )
    elsewhere = site.client.post(
        f"/api/v1/rectifications/{nid}/accept", json={"note": "x"}, headers=site.api("区监督")
    )
    assert elsewhere.status_code == 404  # another region's supervisor
    done = site.client.post(
        f"/api/v1/rectifications/{nid}/accept", json={"note": "经核实情况属实"}, headers=boss
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "rectified" and done.json()["settled_by"] == "县监督"
    assert "经核实情况属实" in done.json()["note"]
    listed = site.client.get(f"/api/v1/notices/{nid}/replies", headers=clerk).json()
    assert [r["state"] for r in listed["replies"]] == ["accepted"]
    assert listed["replies"][0]["decision"] == "经核实情况属实"
    none_waiting = site.client.post(
        f"/api/v1/rectifications/{nid}/return", json={"note": "x"}, headers=boss
    )
    assert none_waiting.status_code == 409
    settled = site.client.post(f"/api/v1/notices/{nid}/replies", json={"text": "x"}, headers=clerk)
    assert settled.status_code == 409 and "整改完毕" in settled.json()["error"]["message"]
    assert _actions(site)[-3:] == ["notice.reply", "notice.reply.accepted", "notice.rectified"]


def test_a_notice_whose_findings_were_all_dismissed_needs_no_rectification(site: Site) -> None:
    ids = _upload_all(site)
    bureau = ids[1]
    csrf = login(site.client, "县监督")
    nid = _issue(site, csrf, bureau, "2099-06-30")
    review = site.client.get("/review", params={"report": bureau}).text
    indices = sorted(set(re.findall(r'name="index" value="(\d+)"', review)))
    assert len(indices) >= 2
    decide = {"report": bureau, "decision": "dismissed", "reason": "经核实数据无误", "csrf": csrf}
    first, *rest = indices
    site.client.post("/review", data={**decide, "index": first})
    assert _row_of(site.client.get("/rectifications").text, nid)[4] == "待整改"  # one left
    for i in rest:
        site.client.post("/review", data={**decide, "index": i})
    line = _row_of(site.client.get("/rectifications").text, nid)
    assert line[4].startswith("无需整改（所列问题经复核不成立）")
    pending = site.client.get("/rectifications", params={"status": "pending"}).text
    assert f'id="notice-{nid}"' not in pending
    board = site.client.get("/dashboard", params={"year": 2023}).text
    summary = re.sub(r"<[^>]+>", "", board.split('id="due-summary"', 1)[1].split("</p>", 1)[0])
    assert "待整改 0 份" in summary and "无需整改 1 份" in summary
    clerk = site.fresh_client()
    clerk_csrf = login(clerk, "发改填报")
    assert f"my-notice-{nid}" not in clerk.get("/").text
    answer = clerk.post(f"/rectifications/{nid}/reply", data={"text": "x", "csrf": clerk_csrf})
    assert answer.status_code == 409 and "无需整改" in answer.text
    # a finding confirmed again: 待整改 again
    site.client.post("/review", data={**decide, "index": first, "decision": "confirmed"})
    assert _row_of(site.client.get("/rectifications").text, nid)[4] == "待整改"
    assert _actions(site) == ["notice.issue", "notice.waived", "notice.reopened"]
    assert csrf_of(site.client.get("/rectifications").text)


def test_the_rectification_api_tells_the_latest_answer_and_its_review(site: Site) -> None:
    ids = _upload_all(site)
    bureau = ids[1]
    admin, clerk, boss = site.api("管理员"), site.api("发改填报"), site.api("县监督")
    nid = site.client.post(
        "/api/v1/rectifications", json={"report": bureau, "deadline": "2099-03-31"}, headers=admin
    ).json()["id"]

    def one() -> dict[str, object]:
        got = site.client.get(f"/api/v1/rectifications/{nid}", headers=boss)
        assert got.status_code == 200, got.text
        listed = site.client.get("/api/v1/rectifications", headers=boss).json()
        line = next(r for r in listed["rectifications"] if r["id"] == nid)
        assert line == got.json()  # the list says the same
        return dict(got.json())

    fresh = one()
    assert fresh["replies"] == 0 and fresh["latest_reply"] is None
    first = site.client.post(f"/api/v1/notices/{nid}/replies", json={"text": "已改"}, headers=clerk)
    assert first.status_code == 201, first.text
    waiting = one()
    latest = waiting["latest_reply"]
    assert waiting["status"] == "replied" and waiting["replies"] == 1
    assert isinstance(latest, dict)
    assert latest["id"] == first.json()["id"] and latest["at"] == first.json()["at"]
    assert (latest["state"], latest["label"], latest["username"]) == (
        "submitted",
        "待审核",
        "发改填报",
    )
    assert (latest["decision"], latest["decided_by"], latest["decided_at"]) == ("", None, None)
    back = site.client.post(
        f"/api/v1/rectifications/{nid}/return", json={"note": "表三的总数仍不对"}, headers=boss
    )
    assert back.status_code == 200, back.text
    returned = back.json()
    assert returned == one()  # the step's answer is the rectification as it now stands
    latest = returned["latest_reply"]
    assert returned["status"] == "pending" and returned["replies"] == 1
    assert (latest["state"], latest["label"]) == ("returned", "已退回")
    assert latest["decision"] == "表三的总数仍不对" and latest["decided_by"] == "县监督"
    assert str(latest["decided_at"]) >= str(latest["at"])
    # what the clerk's system sees too, through the due list filtered by state
    pending = site.client.get(
        "/api/v1/rectifications", params={"status": "pending"}, headers=clerk
    ).json()
    mine = next(r for r in pending["rectifications"] if r["id"] == nid)
    assert mine["latest_reply"]["decision"] == "表三的总数仍不对"
    again = site.client.post(
        f"/api/v1/notices/{nid}/replies", json={"text": "已重新核对表三"}, headers=clerk
    )
    assert again.status_code == 201, again.text
    assert one()["replies"] == 2 and one()["latest_reply"]["state"] == "submitted"
    done = site.client.post(
        f"/api/v1/rectifications/{nid}/accept", json={"note": "经核实已改正"}, headers=boss
    ).json()
    assert done["status"] == "rectified" and done["replies"] == 2
    assert done["latest_reply"]["id"] == again.json()["id"]
    assert (done["latest_reply"]["state"], done["latest_reply"]["decision"]) == (
        "accepted",
        "经核实已改正",
    )
    # the OpenAPI document describes it
    schema = site.client.get("/openapi.json").json()["components"]["schemas"]
    assert {"replies", "latest_reply"} <= set(schema["Rectification"]["required"])
    assert {"state", "decision", "decided_by", "at", "username"} <= set(
        schema["LatestReply"]["properties"]
    )
