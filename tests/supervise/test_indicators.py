"""Indicators computed from generated reports: every expected figure is worked out
here from the leaves the report was built with."""

from __future__ import annotations

import copy

import pytest

from xxgk.api import check_report
from xxgk.model import Report
from xxgk.supervise import indicators as ind
from xxgk.supervise.indicators import Entry
from xxgk.synth import consistent_report

BUREAU = "某某县发展和改革局"
TOWN = "某某县某某镇人民政府"
LEAVES = {
    "granted": {"natural": 20},
    "partial": {"commercial": 5},
    "denied_state_secret": {"natural": 2},
    "denied_third_party": {"natural": 3},
    "unable_not_held": {"natural": 4},
    "rejected_duplicate": {"natural": 1},
}
OVER = {"natural": 2}
FORWARD = {"natural": 3}
CASES = {
    "review": {"upheld": 3, "corrected": 1, "pending": 1},
    "lit_direct": {"corrected": 2, "other": 1, "pending": 1},
    "lit_after_review": {"upheld": 1},
}


def _n(row: str) -> int:
    return sum(LEAVES.get(row, {}).values())


RESULTS = sum(sum(cols.values()) for cols in LEAVES.values())
NEW = RESULTS + sum(FORWARD.values()) - sum(OVER.values())


def bureau(year: int = 2023, published: str | None = None) -> Report:
    return consistent_report(
        leaves=LEAVES, carried_over=OVER, carried_forward=FORWARD, cases=CASES,
        agency=BUREAU, year=year, published=published,
    )  # fmt: skip


def town(granted: int = 3, published: str = "2024-02-10") -> Report:
    return consistent_report(
        leaves={"granted": {"natural": granted}}, agency=TOWN, published=published
    )


def test_one_report_gives_each_formula_of_its_cells() -> None:
    got = ind.compute([Entry.of_report(bureau())], 2023)
    assert got.value("reports") == 1
    assert got.value("requests_received") == NEW
    assert got.value("carried_over") == sum(OVER.values())
    assert got.value("carried_forward") == sum(FORWARD.values())
    assert got.value("disclosure_rate") == pytest.approx((_n("granted") + _n("partial")) / RESULTS)
    denied = _n("denied_state_secret") + _n("denied_third_party")
    assert got.value("denied_share") == pytest.approx(denied / RESULTS)
    assert got.value("unable_share") == pytest.approx(_n("unable_not_held") / RESULTS)
    review = CASES["review"]
    assert got.value("review_correction_rate") == pytest.approx(
        review["corrected"] / (sum(review.values()) - review["pending"])
    )
    lit = [CASES["lit_direct"], CASES["lit_after_review"]]
    corrected = sum(g.get("corrected", 0) for g in lit)
    decided = sum(sum(g.values()) - g.get("pending", 0) for g in lit)
    assert got.value("litigation_correction_rate") == pytest.approx(corrected / decided)
    assert got.value("late") == 0 and got.value("sum_errors") == 0
    assert got.figures["disclosure_rate"].reports == ["<synth>"]


def test_rates_are_pooled_over_reports_and_late_follows_the_deadline() -> None:
    a = Entry.of_report(bureau(), ref="a")
    b = Entry.of_report(town(granted=3), ref="b")  # a township: 1月31日
    got = ind.compute([a, b], 2023, expected=[BUREAU, TOWN, "某某县"])
    assert got.value("reports") == 2 and got.value("expected") == 3
    assert got.value("missing") == 1 and got.figures["missing"].units == ["某某县"]
    assert got.value("late") == 1 and got.figures["late"].reports == ["b"]
    pooled = (_n("granted") + _n("partial") + 3) / (RESULTS + 3)
    assert got.value("disclosure_rate") == pytest.approx(pooled)
    assert got.value("requests_received") == NEW + 3
    # the town had no review cases: the review rate is the bureau's alone
    assert got.figures["review_correction_rate"].reports == ["a", "b"]


def test_a_zero_denominator_or_a_blank_cell_gives_none() -> None:
    empty = Entry.of_report(consistent_report(agency=TOWN))
    got = ind.compute([empty], 2023)
    assert got.value("disclosure_rate") is None  # nothing handled: 0 ÷ 0
    assert got.value("review_correction_rate") is None
    assert got.value("requests_received") == 0
    blank = bureau()
    blank.tables["t3"]["partial"]["total"] = None
    got = ind.compute([Entry.of_report(blank, ref="blank")], 2023)
    assert got.value("disclosure_rate") is None
    assert got.figures["disclosure_rate"].incomplete == ["blank"]
    assert got.value("requests_received") == NEW  # its own cells are all there


def test_sum_errors_come_from_the_checks_and_from_stored_findings() -> None:
    broken = bureau()
    broken.tables["t3"]["new"]["natural"] = int(broken.tables["t3"]["new"]["natural"] or 0) + 1
    fine = bureau()
    fine.agency = "某某县财政局"
    got = ind.compute([Entry.of_report(broken, ref="x"), Entry.of_report(fine, ref="y")], 2023)
    assert got.value("sum_errors") == 1 and got.figures["sum_errors"].reports == ["x"]
    stored = check_report(broken).contract_dict()  # what the store keeps
    entry = Entry.of_contract(stored, ref="7")
    assert entry.sum_errors and entry.agency == BUREAU and entry.year == 2023
    again = ind.compute([entry], 2023)
    assert again.value("disclosure_rate") == ind.compute([Entry.of_report(broken)], 2023).value(
        "disclosure_rate"
    )


def test_the_last_entry_of_a_unit_and_year_counts_once() -> None:
    first = Entry.of_report(town(granted=3), ref="v1")
    second = Entry.of_report(town(granted=5), ref="v2")
    got = ind.compute([first, second], 2023)
    assert got.value("reports") == 1 and got.value("requests_received") == 5


def test_every_indicator_declares_label_formula_and_the_api_keys() -> None:
    for i in ind.INDICATORS:
        assert i.label and i.formula, i.key
        assert (i.kind == "reports") == (not i.numerator), i.key
    out = ind.compute([Entry.of_report(bureau())], 2023).as_dict()
    for key in ("reports", "requests_received", "disclosure_rate", "review_correction_rate",
                "litigation_correction_rate"):  # fmt: skip
        assert key in out
    listed = {f["key"]: f for f in out["indicators"]}
    assert listed["disclosure_rate"]["formula"] == "（予以公开 + 部分公开）÷ 办理结果总计"


def test_units_under_the_threshold_are_listed_but_not_ranked() -> None:
    small = Entry.of_report(town(granted=ind.MIN_REQUESTS - 1), ref="small", region="某某县")
    big = Entry.of_report(bureau(), ref="big", region="某某县")
    other = consistent_report(
        leaves={"granted": {"natural": 40}, "partial": {"natural": 10}, "unable_unclear": {"natural": 50}},
        agency="某某区某某局",
    )  # fmt: skip
    third = Entry.of_report(other, ref="other", region="某某区")
    rows = ind.ranking([small, big, third], 2023, "disclosure_rate")
    assert [(r.group, r.rank) for r in rows] == [(BUREAU, 1), ("某某区某某局", 2), (TOWN, None)]
    assert rows[1].value == pytest.approx(50 / 100)
    assert "不足30件" in rows[2].reason and rows[2].requests == ind.MIN_REQUESTS - 1
    by_region = ind.ranking([small, big, third], 2023, "disclosure_rate", by="region")
    county = next(r for r in by_region if r.group == "某某县")
    assert county.value == pytest.approx(
        (_n("granted") + _n("partial") + ind.MIN_REQUESTS - 1) / (RESULTS + ind.MIN_REQUESTS - 1)
    )
    assert [r.group for r in by_region] == ["某某县", "某某区"]
    with pytest.raises(ValueError):
        ind.ranking([big], 2023, "late")


def test_equal_values_share_a_rank() -> None:
    a, b = bureau(), bureau()
    b.agency = "某某县财政局"
    rows = ind.ranking([Entry.of_report(a), Entry.of_report(b)], 2023, "disclosure_rate")
    assert [r.rank for r in rows] == [1, 1]


def test_trend_gives_each_year_oldest_first() -> None:
    last = copy.deepcopy(town(granted=8))
    last.year, last.published = 2022, "2023-01-10"
    rows = ind.trend([Entry.of_report(bureau()), Entry.of_report(last)])
    assert [r["year"] for r in rows] == [2022, 2023]
    assert rows[0]["requests_received"] == 8 and rows[0]["disclosure_rate"] == 1.0
    assert rows[1]["requests_received"] == NEW
