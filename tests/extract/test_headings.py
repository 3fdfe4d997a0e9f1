"""Section headings by numeral and title, also misspelled (xxgk.extract.sections)."""

from __future__ import annotations

import pytest

from tests.samples import sample
from xxgk.extract import extract
from xxgk.extract.sections import classify
from xxgk.readers.text import parse_text
from xxgk.render.text import render_text


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("一、总休情况", 1),  # 体 -> 休
        ("二、主动公升政府信息情况", 2),
        ("三、收到和处里政府信息公开甲请情况", 3),
        ("四、政府信息公开行政法复议、行政诉讼情况", 4),
        ("五、存在的主要问提及改进情况", 5),
        ("六、其它需要报告的事项", 6),
    ],
)
def test_misspelled_heading_is_found_by_numeral_and_title(text: str, number: int) -> None:
    assert classify(text) == (number, True, number)


@pytest.mark.parametrize(
    "text",
    [
        "一、加强组织领导",
        "二、主要做法",
        "三、工作情况",
        "二、政府信息公开平台建设情况",
        "总休情况",
    ],
)
def test_other_numbered_lines_are_no_headings(text: str) -> None:
    assert classify(text) is None


def test_report_with_misspelled_headings_keeps_its_sections() -> None:
    report = sample("2021")
    text = render_text(report, "tabs")
    for right, wrong in (
        ("一、总体情况", "一、总休情况"),
        ("二、主动公开政府信息情况", "二、主动公升政府信息情况"),
        ("六、其他需要报告的事项", "六、其它需要报告的事项"),
    ):
        assert right in text
        text = text.replace(right, wrong)
    back = extract(parse_text(text, "x.txt"))
    assert [h.number for h in back.headings] == [1, 2, 3, 4, 5, 6]
    assert back.sections[1] == report.sections[1]
    assert back.sections[6] == report.sections[6]
    assert back.tables == report.tables
