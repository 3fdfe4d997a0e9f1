"""条例第三十五条 and the consultation letter's delivery on /ledger/{id} (SQLite and
PostgreSQL) and through ``xxgk ledger event``: the forms offered in turn, the state and
dates the clerk sees, the refusals (422 on the page, exit 2 in the CLI, nothing
stored), and the year's table counting the （五）4 closing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.ledger.test_web_pages import _as, _event, _new, _ok, _part, _rows
from tests.web.conftest import Site, site
from xxgk.cli import app
from xxgk.store.ledger_models import LedgerAudit, LedgerEvent

__all__ = ["site"]  # the fixture, reused

runner = CliRunner()


def _stored(site: Site) -> tuple[int, int]:
    with site.store.session() as s:
        events = s.scalar(select(func.count()).select_from(LedgerEvent)) or 0
        audit = s.scalar(select(func.count()).select_from(LedgerAudit)) or 0
        return events, audit


def _forms(html: str) -> list[str]:
    return [k for k in ("reasons_asked", "reasons_given", "delay") if f'id="form-{k}"' in html]


def test_reasons_then_a_delayed_period_on_the_request_page(site: Site) -> None:
    client, csrf = _as(site, "发改填报")
    rid = _new(client, csrf, day="2024-09-27")
    page = client.get(f"/ledger/{rid}").text
    assert _part(page, "due-date") == "答复期限：2024-10-30（周三）"
    assert _forms(page) == ["reasons_asked"]
    assert "本台账按不中止计算" in _part(page, "form-reasons_asked")
    # refused outright: the page says why, offers no form for it, stores nothing
    before = _stored(site)
    refused = _event(client, csrf, rid, "delay", "2024-10-21", until="2024-11-29")
    assert refused.status_code == 422
    assert _part(refused.text, "error-delay").startswith("延迟答复须先要求申请人说明理由")
    missing = _event(client, csrf, rid, "reasons_asked", "2024-10-08")
    assert missing.status_code == 422
    assert _part(missing.text, "error-until") == "请填写说明理由期限"
    assert _stored(site) == before
    page = _ok(client, csrf, rid, "reasons_asked", "2024-10-08", until="2024-10-15")
    assert _part(page, "request-state").startswith("第三十五条：要求说明理由")
    assert "说明理由期限至 2024-10-15；待申请人说明理由" in _part(page, "article35")
    assert _part(page, "due-date") == "答复期限：2024-10-30（周三）"
    assert "说明理由期限（条例第三十五条）：2024-10-15（周二）" in _part(page, "other-deadlines")
    assert _forms(page) == ["reasons_given"]
    assert 'id="doc-reasons"' in page and 'id="doc-delay"' not in page
    word = client.get(f"/ledger/{rid}/documents/reasons.docx")
    assert word.status_code == 200 and word.content[:2] == b"PK"
    page = _ok(client, csrf, rid, "reasons_given", "2024-10-14", note="课题研究需要")
    assert _forms(page) == ["delay"]
    assert "须晚于法定答复期限 2024-10-30" in _part(page, "form-delay")
    before = _stored(site)
    early = _event(client, csrf, rid, "delay", "2024-10-21", until="2024-10-30")
    assert early.status_code == 422
    assert _part(early.text, "error-delay").startswith(
        "延迟答复期限 2024-10-30 应晚于法定答复期限 2024-10-30"
    )
    assert 'class="failed"' in early.text and 'value="2024-10-30"' in early.text
    assert _stored(site) == before
    page = _ok(client, csrf, rid, "delay", "2024-10-21", until="2024-11-29", note="申请件数多")
    assert _part(page, "due-date") == "答复期限：2024-11-29（周五）"
    assert _part(page, "request-state").startswith("延迟答复")
    assert "确定延迟答复的合理期限至 2024-11-29" in _part(page, "article35")
    assert "法定答复期限（条例第三十三条）：2024-10-30（周三）" in _part(page, "other-deadlines")
    assert _forms(page) == [] and 'id="form-extension"' not in page
    rows = _rows(page, "event-list")
    assert [r[1] for r in rows] == ["要求说明理由", "申请人说明理由", "延迟答复"]
    assert rows[0][2] == "说明理由期限 2024-10-15" and rows[2][2].startswith(
        "延迟答复期限 2024-11-29"
    )
    # the lists use the delayed period: due soon on 11-28, overdue from 12-02
    soon = client.get("/ledger?today=2024-11-28").text
    assert [r[6] for r in _rows(soon, "ledger-all")] == ["延迟答复"]
    assert _part(soon, "h-overdue") == "已逾期（0）"
    assert any("2024-11-29" in c for r in _rows(soon, "ledger-soon") for c in r)
    assert _part(client.get("/ledger?today=2024-12-02").text, "h-overdue") == "已逾期（1）"
    _ok(client, csrf, rid, "decision", "2024-12-02", result="granted")
    page = _ok(client, csrf, rid, "answer", "2024-12-02")
    assert _part(page, "answer-verdict") == "逾期答复（超过期限 1 个工作日）"
    closed = _event(client, csrf, rid, "reasons_given", "2024-12-03")
    assert closed.status_code == 422
    assert "已于 2024-12-02 办结，不能再记录申请人说明理由" in _part(closed.text, "event-refused")


def test_row_5_4_after_the_reasons_period_and_the_delivery_form(site: Site) -> None:
    client, csrf = _as(site, "发改填报")
    rid = _new(client, csrf, day="2025-01-24")
    refused = _event(client, csrf, rid, "decision", "2025-02-05", result="rejected_excessive")
    assert refused.status_code == 422
    assert "须先要求申请人说明理由" in _part(refused.text, "error-decision")
    _ok(client, csrf, rid, "reasons_asked", "2025-01-27", until="2025-02-10")
    early = _event(client, csrf, rid, "decision", "2025-02-10", result="rejected_excessive")
    assert _part(early.text, "error-decision").startswith("说明理由期限 2025-02-10 尚未届满")
    listed = _rows(client.get("/ledger?today=2025-02-11").text, "ledger-lapsing")
    assert listed[0][6] == "第三十五条：要求说明理由"
    assert len(listed) == 1 and listed[0][-1].startswith(
        "说明理由期限 2025-02-10 已过，申请人未说明理由：可按“无正当理由大量反复申请”不予处理"
    )
    _ok(client, csrf, rid, "decision", "2025-02-11", result="rejected_excessive")
    page = _ok(client, csrf, rid, "answer", "2025-02-11")
    assert 'id="ledger-lapsing"' not in client.get("/ledger?today=2025-02-11").text
    assert _part(page, "answer-verdict") == "按期答复"
    assert "申请人逾期未说明理由，不予处理（（五）4" in _part(page, "article35")
    report = client.get("/ledger/report?year=2025").text
    assert _part(report, "t3.rejected_excessive.natural") == "1"
    # a consultation letter: its delivery moves the third party's deadline
    other = _new(client, csrf, day="2024-09-20")
    page = _ok(client, csrf, other, "consultation_sent", "2024-09-25", note="某公司")
    assert "按发函当日送达计算" in _part(page, "form-consultation_sent")
    assert "征求意见答复期限（某公司）：2024-10-21（周一）" in _part(page, "other-deadlines")
    page = _ok(client, csrf, other, "consultation_delivered", "2024-09-30", note="邮件回执")
    assert "征求意见答复期限（某公司）：2024-10-25（周五）" in _part(page, "other-deadlines")
    assert 'id="form-consultation_delivered"' not in page
    page = _ok(client, csrf, other, "consultation_answered", "2024-10-24")
    assert _part(page, "due-date") == "答复期限：2024-11-18（周一）"


def _cli(*args: str) -> dict:  # type: ignore[type-arg]
    out = runner.invoke(app, ["ledger", *args, "--json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_article_35_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XXGK_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("XXGK_DATABASE_URL", raising=False)
    req = _cli(
        "add",
        "--agency",
        "某某县某某局",
        "--channel",
        "当面",
        "--submitted",
        "2024-09-27",
        "--applicant",
        "张三",
        "--type",
        "自然人",
    )
    n = req["number"]
    out = runner.invoke(app, ["ledger", "event", n, "delay", "--on", "2024-10-21"])
    assert out.exit_code == 2 and "延迟答复须先要求申请人说明理由" in out.output
    asked = _cli("event", n, "reasons_asked", "--on", "2024-10-08", "--until", "2024-10-15")
    assert asked["due"] == "2024-10-30"
    assert asked["article35"].startswith("已于 2024-10-08 要求申请人说明理由")
    _cli("event", n, "reasons_given", "--on", "2024-10-14")
    out = runner.invoke(
        app, ["ledger", "event", n, "delay", "--on", "2024-10-21", "--until", "2024-10-29"]
    )
    assert out.exit_code == 2
    assert "延迟答复期限 2024-10-29 应晚于法定答复期限 2024-10-30" in out.output
    delayed = _cli("event", n, "delay", "--on", "2024-10-21", "--until", "2024-11-29")
    assert delayed["due"] == "2024-11-29"
    assert [e["label"] for e in delayed["events"]] == ["要求说明理由", "申请人说明理由", "延迟答复"]
    shown = runner.invoke(app, ["ledger", "show", n])
    assert shown.exit_code == 0
    assert "答复期限：2024-11-29" in shown.output
    assert "第三十五条：已于 2024-10-08 要求申请人说明理由" in shown.output
    assert "法定答复期限（条例第三十三条）：2024-10-30" in shown.output
    # a second request: no reasons within their period → （五）4, counted in the year's t3
    other = _cli(
        "add",
        "--agency",
        "某某县某某局",
        "--channel",
        "当面",
        "--submitted",
        "2024-09-30",
        "--applicant",
        "张三",
        "--type",
        "自然人",
    )["number"]
    _cli("event", other, "reasons_asked", "--on", "2024-10-08", "--until", "2024-10-15")
    out = runner.invoke(
        app,
        [
            "ledger",
            "event",
            other,
            "decision",
            "--on",
            "2024-10-15",
            "--result",
            "rejected_excessive",
        ],
    )
    assert out.exit_code == 2 and "说明理由期限 2024-10-15 尚未届满" in out.output
    lapsing = runner.invoke(app, ["ledger", "list", "--lapsing", "--today", "2024-10-16"])
    assert other in lapsing.stdout and "可按“无正当理由大量反复申请”不予处理" in lapsing.stdout
    _cli("event", other, "decision", "--on", "2024-10-16", "--result", "无正当理由大量反复申请")
    _cli("event", other, "answer", "--on", "2024-10-16")
    t3 = _cli("report", "2024", "--agency", "某某县某某局")["report"]["tables"]["t3"]
    assert t3["rejected_excessive"]["natural"] == 1 and t3["carried_forward"]["natural"] == 1
