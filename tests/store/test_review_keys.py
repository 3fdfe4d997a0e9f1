"""Review decisions keyed by subject (migration 0005_notices), on SQLite and PostgreSQL:
a decision stored before on a finding without cells (which stood for every TXT-004 of
the file) becomes one decision per TXT-004, each then changed on its own; decisions on
cells are kept as they were; the subject of TXT-004 does not move with the share."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from xxgk.store import db
from xxgk.store import review_models as review
from xxgk.store.base import Store

SHA = "a" * 64
PEER_A = "“一、总体情况”与《某某县某某镇人民政府2023年度报告》的同一部分有92%的文字相同，内容雷同。"
PEER_B = "“五、存在的主要问题及改进情况”与《某某县教育局2023年度报告》的同一部分有88%的文字相同，内容雷同。"
LAST_YEAR = "“一、总体情况”有95%的文字与2022年度报告的同一部分相同，内容雷同。"


def _finding(code: str, message: str, cells: list[str] | None = None) -> dict[str, object]:
    return {"code": code, "severity": "warning", "message": message, "cells": cells or []}


FINDINGS = [
    _finding("TXT-004", PEER_A),
    _finding("TXT-004", PEER_B),
    _finding("TXT-004", LAST_YEAR),
    _finding("SUM-001", "本年新收不等于各项之和", ["t3.new.total", "t3.new.natural"]),
]


def test_the_subject_names_the_section_and_the_other_report_not_the_share() -> None:
    a = review.subject_of(FINDINGS[0])
    assert a == "“一、总体情况” · 《某某县某某镇人民政府2023年度报告》"
    assert review.subject_of(_finding("TXT-004", PEER_A.replace("92%", "97%"))) == a
    assert review.subject_of(FINDINGS[2]) == "“一、总体情况” · 2022年度"
    assert len({review.subject_of(f) for f in FINDINGS[:3]}) == 3
    assert review.subject_of(FINDINGS[3]) == ""  # its cells say what it is about


def test_old_cell_less_decisions_are_split_per_finding(store: Store) -> None:
    db.downgrade(store.engine, "0004_filing")
    at = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    with store.engine.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO report_files (sha256, size, created) VALUES (:s, 1, :at)"),
            {"s": SHA, "at": at},
        )
        reports = sa.table(
            "reports",
            sa.column("file_sha256"),
            sa.column("filename"),
            sa.column("status"),
            sa.column("uploaded"),
            sa.column("result", sa.JSON),
        )
        conn.execute(
            reports.insert().values(
                file_sha256=SHA,
                filename="某局2023.txt",
                status="done",
                uploaded=at,
                result={"findings": FINDINGS},
            )
        )
        for code, cells, decision in (
            ("TXT-004", "", "dismissed"),
            ("SUM-001", "t3.new.natural,t3.new.total", "confirmed"),
        ):
            conn.execute(
                sa.text(
                    "INSERT INTO finding_reviews (file_sha256, code, cells, decision, reason,"
                    " username, at) VALUES (:s, :c, :cells, :d, '旧结论', '县监督', :at)"
                ),
                {"s": SHA, "c": code, "cells": cells, "d": decision, "at": at},
            )
    store.upgrade()
    assert db.current_revision(store.engine) == "0006_replies"
    with store.session() as s:
        got = review.decisions(s, [SHA])
        keys = {review.key_of(SHA, f) for f in FINDINGS}
        assert set(got) == keys  # every finding has its own decision, none left over
        assert {r.decision for k, r in got.items() if k[1] == "TXT-004"} == {"dismissed"}
        assert all(r.reason == "旧结论" and r.username == "县监督" for r in got.values())
        assert got[review.key_of(SHA, FINDINGS[3])].decision == "confirmed"
    # and back: one decision per (file, rule, cells) again
    db.downgrade(store.engine, "0004_filing")
    with store.engine.connect() as conn:
        n = conn.execute(sa.text("SELECT COUNT(*) FROM finding_reviews")).scalar()
    assert n == 2
    store.upgrade()
