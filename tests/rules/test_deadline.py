"""DATE-001: the agency's kind decides the deadline; an unknown kind is never an error
before 31 March."""

from __future__ import annotations

import pytest

from tests.rules.test_rules import build
from xxgk.api import check_report
from xxgk.checks.meta import agency_kind, deadline


@pytest.mark.parametrize(
    ("agency", "kind"),
    [
        ("某某县某某局", "department"),
        ("上海市科学技术委员会", "department"),
        ("某某市人民政府办公室", "department"),
        ("国家税务总局某某县税务局", "department"),
        ("某某县人民政府", "government"),
        ("某某市某某区人民政府", "government"),
        ("平潭综合实验区", "government"),
        ("某某县某某镇人民政府", "township"),
        ("某某区某某街道办事处", "township"),
        ("隆德县神林乡", "township"),
        ("某某经济开发区管理委员会", None),
        ("平潭综合实验区管委会", None),
        ("人民政府", None),
        (None, None),
    ],
)
def test_agency_kind(agency: str | None, kind: str | None) -> None:
    assert agency_kind(agency) == kind


def test_unknown_kind_gets_the_later_deadline() -> None:
    assert deadline(2023, None)[0].isoformat() == "2024-03-31"
    assert deadline(2023, "某某县某某局")[0].isoformat() == "2024-01-31"


def test_unknown_kind_after_january_is_a_warning_that_says_why() -> None:
    report = build({"name": "unknown", "agency": None, "published": "2024-02-20"})
    found = [f for f in check_report(report).findings if f.code == "DATE-001"]
    assert [f.severity.value for f in found] == ["warning"]
    assert "报告未写明机关名称，无法判断是政府还是政府部门" in found[0].message
    assert "已晚于时限2024-01-31 20天" in found[0].message
    named = build({"name": "committee", "agency": "某某新区管委会", "published": "2024-02-20"})
    found = [f for f in check_report(named).findings if f.code == "DATE-001"]
    assert "从机关名称“某某新区管委会”无法判断" in found[0].message
