"""Value cells as publishers write them: full-width digits, units, thousands
separators, the numeral zero 〇 and the word 无 (a blank by the contract)."""

from __future__ import annotations

import pytest

from xxgk.extract import extract
from xxgk.extract.values import parse_value
from xxgk.readers.text import parse_text


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("１２３", 123),
        ("－１２", -12),
        ("７７３０．２８", 7730.28),
        ("12件", 12),
        ("3 件", 3),
        ("5项", 5),
        ("1,234", 1234),
        ("1，234", 1234),
        ("246,900.5万元", 246900.5),
        ("〇", 0),
        ("○", 0),
        ("零", 0),
    ],
)
def test_a_number_however_printed(text: str, number: float) -> None:
    v = parse_value(text)
    assert v.number == number and not v.blank


@pytest.mark.parametrize("text", ["无", " 无 ", "/", "—"])
def test_none_and_slashes_are_blanks_never_zero(text: str) -> None:
    v = parse_value(text)
    assert v.number is None and v.blank


@pytest.mark.parametrize("text", ["〇〇", "二〇", "12〇", "1,23"])
def test_other_text_is_not_a_number(text: str) -> None:
    assert parse_value(text).number is None


def test_a_report_with_ling_zeros_and_wu_cells() -> None:
    text = (
        "二、主动公开政府信息情况\n"
        "第二十条第（一）项\n"
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
        "规章\t〇\t无\t1,234\n"
        "行政规范性文件\t１２\t〇\t5件\n"
    )
    report = extract(parse_text(text, "x.txt"))
    assert report.tables["t2"]["regulation"] == {"issued": 0, "repealed": None, "in_force": 1234}
    assert report.tables["t2"]["normative_doc"] == {"issued": 12, "repealed": 0, "in_force": 5}
    blanks = [a for a in report.anomalies if type(a).__name__ == "Blank"]
    assert [a.cells for a in blanks] == [["t2.regulation.repealed"]]
