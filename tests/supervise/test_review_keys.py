"""Review decisions on TXT-004 (copied text) one by one, on SQLite and PostgreSQL: a
report copying one section from one peer and another section from another has two
TXT-004 findings without cells, and dismissing one leaves the other open — on the review
page, in the catalogue's count and in the notice; the decision is found again after a
re-check and when the peer's share changes."""

from __future__ import annotations

import re
from typing import Any

from tests.supervise.test_pages import BUREAU, TOWN
from tests.supervise.test_peers import _text
from tests.web.conftest import Site, login
from xxgk.render.text import render_text
from xxgk.store import agencies
from xxgk.store.models import StoredReport
from xxgk.synth import consistent_report
from xxgk.web.worker import run_pending

SCHOOL = "某某县教育局"
FIRST = _text(11)  # the bureau's 一、总体情况, which the township copies
FIFTH = _text(12)  # the school board's 五、存在的主要问题, which the township copies


def _upload(site: Site, agency: str, sections: dict[int, str], name: str = "") -> int:
    report = consistent_report(
        leaves={"granted": {"natural": 5}},
        agency=agency,
        year=2023,
        published="2024-01-20",
        sections={6: "无。", **sections},
    )
    answer = site.client.post(
        "/api/v1/reports",
        files={"file": (name or f"{agency}2023.txt", render_text(report, "tabs").encode())},
        data={"agency": agency},
        headers=site.api("管理员"),
    )
    assert answer.status_code == 201, answer.text
    run_pending(site.store)
    rid: int = answer.json()["id"]
    return rid


def _copied(site: Site, rid: int) -> list[tuple[int, dict[str, Any]]]:
    with site.store.session() as s:
        row = s.get(StoredReport, rid)
        assert row is not None and row.result is not None
        return [(i, f) for i, f in enumerate(row.result["findings"]) if f["code"] == "TXT-004"]


def _state(site: Site, rid: int, index: int) -> str:
    """The review page's 审查结论 cell of one finding."""
    page = site.client.get("/review", params={"report": rid}).text
    row = page.split(f'id="r{rid}-{index}"', 1)[1].split("</tr>", 1)[0]
    return (
        "不成立" if "badge dismissed" in row else "确认" if "badge confirmed" in row else "未审查"
    )


def _warnings(site: Site, rid: int) -> int:
    """The catalogue's count of warnings of one report (错误 N · 警告 M)."""
    page = site.client.get("/catalogue", params={"year": 2023}).text
    cell = page.split(f'href="/reports/{rid}"', 1)[1].split("</a>", 1)[0]
    m = re.search(r"警告 (\d+)", re.sub(r"<[^>]+>", "", cell))
    assert m, cell
    return int(m.group(1))


def test_each_copied_section_is_decided_on_its_own(site: Site) -> None:
    with site.store.session() as s:
        agencies.add(s, SCHOOL, "部门", parent="某某县")
    _upload(site, BUREAU, {1: FIRST, 5: _text(13)})
    _upload(site, SCHOOL, {1: _text(14), 5: FIFTH})
    town = _upload(site, TOWN, {1: FIRST, 5: FIFTH})
    found = _copied(site, town)
    assert len(found) == 2, found
    by_peer = {(BUREAU in f["message"]): i for i, f in found}
    first, fifth = by_peer[True], by_peer[False]
    assert "“一、总体情况”" in found[0][1]["message"] or "“一、总体情况”" in found[1][1]["message"]
    csrf = login(site.client, "县监督")
    warnings = _warnings(site, town)
    answer = site.client.post(
        "/review",
        data={
            "report": town,
            "index": first,
            "decision": "dismissed",
            "reason": "两单位联合撰写，经核实属实",
            "csrf": csrf,
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert _state(site, town, first) == "不成立"
    assert _state(site, town, fifth) == "未审查"  # the other peer's copy stays open
    assert _warnings(site, town) == warnings - 1
    notice = site.client.get("/notices", params={"year": 2023}).text
    row = notice.split(TOWN, 1)[1].split("</tr>", 1)[0]
    assert f'<td class="num">{warnings - 1}</td>' in row  # the fifth section's still open
    # a re-check of the same file, and a share that changes when the peer's text does:
    # the decision is found again
    cut = FIRST[: len(FIRST) * 9 // 10] + "本局另行补充说明若干事项。"  # the share drops
    _upload(site, BUREAU, {1: cut, 5: _text(13)}, "发改局第二版.txt")
    again = _copied(site, town)
    assert len(again) == 2 and [f["message"] for _, f in again] != [f["message"] for _, f in found]
    with site.store.session() as s:
        row_ = s.get(StoredReport, town)
        assert row_ is not None
        row_.status, row_.result = "queued", None
    run_pending(site.store)
    again = _copied(site, town)
    by_peer = {(BUREAU in f["message"]): i for i, f in again}
    assert _state(site, town, by_peer[True]) == "不成立"
    assert _state(site, town, by_peer[False]) == "未审查"
