"""Migration 0006_replies on SQLite and PostgreSQL: the agency's answers are stored
with the notice, and going down drops them and makes an answered (已反馈) or waived
(无需整改) notice 待整改 again; up again, the table is back, empty."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from xxgk.store import accounts, agencies, db
from xxgk.store import notice_models as notices
from xxgk.store import reply_models as replies
from xxgk.store.base import Store
from xxgk.store.models import StoredReport

FINDING = {
    "code": "SUM-001",
    "severity": "error",
    "message": "本年新收不等于各项之和",
    "cells": ["t3.new.total", "t3.new.natural"],
}


def test_answers_go_up_and_down_with_the_notice_state(store: Store) -> None:
    with store.session() as s:
        agencies.add(s, "某某县", "县")
        agencies.add(s, "某某县发展和改革局", "部门", parent="某某县")
        boss = accounts.add_user(s, "县监督", "supervisor", "密码-12345678", "某某县")
        clerk = accounts.add_user(s, "发改填报", "clerk", "密码-12345678", "某某县发展和改革局")
        agency = agencies.require(s, "某某县发展和改革局")
        from xxgk.store import reports

        row, _ = reports.add_upload(s, "b" * 64, 1, "某局2023.txt", clerk, agency.id)
        row.status, row.year, row.version = "done", 2023, 1
        row.result = {"findings": [FINDING]}
        s.flush()
        n = notices.issue(
            s, boss, row, [FINDING], date(2026, 1, 5), date(2026, 2, 5), "某某县政务公开办"
        )
        answer = replies.submit(s, clerk, n, "已更正", {0: "以台账为准"}, None)
        assert n.status == "replied" and answer.explanations == [
            {"finding": 0, "code": "SUM-001", "text": "以台账为准"}
        ]
        nid = n.id
        assert isinstance(s.get(StoredReport, row.id), StoredReport)
    assert db.current_revision(store.engine) == "0006_replies"
    db.downgrade(store.engine, "0005_notices")
    assert "notice_replies" not in sa.inspect(store.engine).get_table_names()
    with store.engine.connect() as conn:
        status = conn.execute(sa.text("SELECT status FROM notices WHERE id = :i"), {"i": nid})
        assert status.scalar() == "pending"
    store.upgrade()
    with store.session() as s:
        assert replies.replies_of(s, nid) == []
        n = s.get(notices.IssuedNotice, nid)
        assert n is not None and n.status == "pending"
