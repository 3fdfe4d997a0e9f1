"""What XSEC-001 tells the user about figures the narrative states (xxgk.narrative)."""

from __future__ import annotations

from typing import Any

from tests.rules.test_rules import build
from xxgk.api import check_report
from xxgk.format import VERSIONS
from xxgk.model import Finding
from xxgk.narrative import outcomes, statements


def _xsec001(case: dict[str, Any]) -> list[Finding]:
    case = {"name": "narrative", **case}
    return [f for f in check_report(build(case)).findings if f.code == "XSEC-001"]


def test_a_figure_with_the_carry_over_says_so() -> None:
    found = _xsec001(
        {
            "set": {"t3.new.natural": 21, "t3.new.total": 21, "t3.carried_over.natural": 2,
                    "t3.carried_over.total": 2},
            "sections": {1: "全年共受理政府信息公开申请23件。"},
        }
    )  # fmt: skip
    assert len(found) == 1
    f = found[0]
    assert f.severity.value == "warning"
    assert "本年新收（21）加上年结转（2）" in f.message and "不含上年结转" in f.message
    assert "21 件" in f.suggestion


def test_an_outcome_message_names_the_row_and_the_table_figure() -> None:
    found = _xsec001(
        {
            "set": {"t3.denied_state_secret.total": 1, "t3.denied_law.total": 2},
            "sections": {1: "办结的政府信息公开申请中，不予公开4件。"},
        }
    )
    assert [f.message for f in found] == [
        "正文写“不予公开4件”，而第三部分表格“（三）不予公开”总计为 3。"
    ]


def test_outcome_cells_come_from_the_format() -> None:
    for version in VERSIONS.values():
        rows = version.table("t3").rows
        got = outcomes(version)
        for word, (label, cells) in got.items():
            assert word in label
            under = [r for r in rows if r.role == "leaf" and word in r.label + (r.group or "")]
            assert cells == tuple(f"t3.{r.key}.total" for r in under)
        assert {"予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"} == set(got)
    assert len(outcomes(VERSIONS["2021"])["其他处理"][1]) == 3
    assert outcomes(VERSIONS["2019"])["其他处理"][1] == ("t3.other.total",)


def test_only_disclosure_requests_are_counted_as_received() -> None:
    report = build(
        {
            "name": "kinds",
            "sections": {
                1: "全年受理行政许可申请1325件，收到信访申请8件。本年度共收到政府信息公开申请21件。"
            },
        }
    )
    assert [s.value for s in statements(report) if s.what == "received"] == [21]
