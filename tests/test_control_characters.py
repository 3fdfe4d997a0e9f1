"""Control characters (\\x01, \\x0b, form feed ...) in a report's text, end to end."""

from __future__ import annotations

import re

import pytest

from xxgk import api
from xxgk.examples import example_paths
from xxgk.model import Report
from xxgk.readers.text import parse_text
from xxgk.render import render


def _report_with_controls() -> Report:
    path = next(p for p in example_paths() if p.name == "bureau-2023-tabs.txt")
    text = path.read_text(encoding="utf-8").replace(
        "坚持以公开为常态", "坚持以\x01公开为\x0b常态\x0c"
    )
    return api.parse_document(parse_text(text, "controls.txt"))


def test_a_text_report_with_control_characters_is_read_and_flagged() -> None:
    report = _report_with_controls()
    assert report.value("t3.new.total") == 6
    codes = {f.code for f in api.check_report(report).findings}
    assert "TXT-006" in codes


@pytest.mark.parametrize("to", ["xlsx", "html", "md"])
def test_it_renders(to: str) -> None:
    assert render(_report_with_controls(), to)


def test_it_renders_as_word_without_the_control_characters() -> None:
    from xxgk.readers import read_bytes

    report = _report_with_controls()
    data = render(report, "docx")
    assert isinstance(data, bytes)
    back = api.parse_document(read_bytes(data, "back.docx"))
    assert back.value("t3.new.total") == 6
    assert back.sections[1] == re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", report.sections[1])
