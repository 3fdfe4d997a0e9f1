"""The year's report from the ledger: sums hold, it checks clean, years chain."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from xxgk.api import check_report, render_report
from xxgk.format import T3_APPLICANTS, T4_PARTS
from xxgk.ledger import service as L
from xxgk.ledger.report import ledger_report
from xxgk.ledger.simulate import simulate
from xxgk.model import Report
from xxgk.store.base import Store

AGENCY = "模拟县模拟局"
COLUMNS = (*T3_APPLICANTS, "total")


def _assert_sums(r: Report) -> None:
    t3 = r.tables["t3"]
    leaves = [k for k in t3 if k not in ("new", "carried_over", "results_total", "carried_forward")]
    for col in COLUMNS:
        assert t3["new"][col] + t3["carried_over"][col] == (
            t3["results_total"][col] + t3["carried_forward"][col]
        ), col  # SUM-001
        assert t3["results_total"][col] == sum(t3[k][col] for k in leaves), col  # SUM-002
    for row, cols in t3.items():
        assert cols["total"] == sum(cols[c] for c in T3_APPLICANTS), row  # SUM-003
    for group, cols in r.tables["t4"].items():
        assert cols["total"] == sum(cols[c] for c in T4_PARTS), group  # SUM-004


def _two_years(store: Store, n: int, seed: int = 1) -> tuple[Report, Report]:
    with store.session() as s:
        simulate(s, 2024, n, seed, AGENCY)
    with store.session() as s:
        first = ledger_report(s, 2024, AGENCY, published="2025-01-20")
    with store.session() as s:
        simulate(s, 2025, n, seed, AGENCY)
    with store.session() as s:
        second = ledger_report(s, 2025, AGENCY, published="2026-01-20")
    return first, second


def test_simulated_year_of_500_checks_clean_and_carries_over(sqlite_store: Store) -> None:
    first, second = _two_years(sqlite_store, 500)
    t3 = first.tables["t3"]
    assert t3["new"]["total"] == 500 and t3["carried_over"]["total"] == 0
    assert 0 < t3["carried_forward"]["total"] < 100
    assert t3["other_no_correction"]["total"] > 0 and t3["other_no_fee"]["total"] > 0
    assert first.tables["t4"]["review"]["total"] > 0
    for r in (first, second):
        _assert_sums(r)
        assert check_report(r).findings == []
    # next year's 上年结转 is this year's 结转下年度, column by column (XYR-001)
    assert second.tables["t3"]["carried_over"] == t3["carried_forward"]
    assert check_report(second, first).findings == []
    # 现行有效 chains too (XYR-002)
    for kind in ("regulation", "normative_doc"):
        a, b = first.tables["t2"][kind], second.tables["t2"][kind]
        assert a["in_force"] + b["issued"] - b["repealed"] == b["in_force"]


def test_simulation_is_reproducible_and_runs_on_both_databases(
    store: Store, tmp_path: Path
) -> None:
    first, second = _two_years(store, 60, seed=7)
    for r in (first, second):
        _assert_sums(r)
        assert check_report(r).findings == []
    assert second.tables["t3"]["carried_over"] == first.tables["t3"]["carried_forward"]
    again = Store(tmp_path / "again")
    again.upgrade()
    try:
        other, _ = _two_years(again, 60, seed=7)
    finally:
        again.dispose()
    assert other.tables == first.tables


def test_report_counts_the_worked_example_and_renders(store: Store) -> None:
    with store.session() as s:
        req = L.add_request(
            s,
            agency="某某县某某局",
            channel="挂号",
            signed=date(2024, 12, 20),
            applicant="张三",
            applicant_type="自然人",
            who="李四",
        )
        done = L.add_request(
            s,
            agency="某某县某某局",
            channel="网络",
            confirmed=date(2024, 3, 4),
            applicant="某公司",
            applicant_type="商业企业",
            who="李四",
        )
        L.add_event(s, done, "fee_notice", date(2024, 3, 6), "李四", method="per_volume", pages=150)
        L.add_event(s, done, "fee_paid", date(2024, 3, 8), "李四")
        L.decide(s, done, "granted", date(2024, 3, 15), "李四")
        case = L.add_case(
            s,
            agency="某某县某某局",
            kind="review",
            filed=date(2024, 5, 6),
            who="李四",
            request=done,
        )
        item = L.add_register_item(
            s, agency="某某县某某局", category=1, kind="normative_doc", title="某办法", who="李四"
        )
        for step in ("初审", "审核"):
            L.review_item(s, item, step, "科长", date(2024, 6, 3))
        unapproved = L.add_register_item(
            s, agency="某某县某某局", category=5, kind="permit", title="某许可", who="李四"
        )
        L.review_item(s, unapproved, "初审", "科员", date(2024, 6, 3))
        with pytest.raises(L.LedgerError, match="之前须完成初审、审核"):
            L.review_item(
                s,
                L.add_register_item(
                    s, agency="某某县某某局", category=5, kind="permit", title="x", who="李四"
                ),
                "审批",
                "主任",
                date(2024, 6, 4),
            )
        L.review_item(s, item, "审批", "主任", date(2024, 6, 4))
    with store.session() as s:
        r = ledger_report(s, 2024, "某某县某某局", published="2025-01-20")
        t3 = r.tables["t3"]
        assert t3["granted"]["commercial"] == 1 and t3["carried_forward"]["natural"] == 1
        assert r.tables["t4"]["review"] == {
            "upheld": 0,
            "corrected": 0,
            "other": 0,
            "pending": 1,
            "total": 1,
        }
        assert r.tables["t2"]["normative_doc"] == {"issued": 1, "repealed": 0, "in_force": 1}
        assert r.tables["t2"]["permit"]["decisions"] == 0  # not approved: not published
        assert "收取信息处理费1700元" in r.sections[6]
        assert check_report(r).findings == []
        L.decide_case(s, s.merge(case), "corrected", date(2025, 2, 1), "李四")
        L.decide(s, s.merge(req), "unable_not_held", date(2025, 1, 10), "李四")
    with store.session() as s:
        r2 = ledger_report(s, 2025, "某某县某某局", published="2026-01-20")
        assert r2.tables["t3"]["carried_over"]["natural"] == 1
        assert r2.tables["t3"]["unable_not_held"]["natural"] == 1
        assert r2.tables["t4"]["review"]["corrected"] == 1
        assert r2.tables["t2"]["normative_doc"] == {"issued": 0, "repealed": 0, "in_force": 1}
        assert check_report(r2, r).findings == []
    md = render_report(r, "md").decode()
    assert "某某县某某局2024年政府信息公开工作年度报告" in md


def test_report_before_2021_is_refused(sqlite_store: Store) -> None:
    with sqlite_store.session() as s, pytest.raises(L.LedgerError, match="2021"):
        ledger_report(s, 2020, AGENCY)
