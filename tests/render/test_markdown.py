"""The Markdown renderer: pipe tables that read back to the same numbers, a row per line."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from tests.samples import assert_same, reports, sample
from xxgk.api import parse_document
from xxgk.format import SECTIONS, T3_NOTE, VERSIONS
from xxgk.model import Report
from xxgk.readers import read_bytes
from xxgk.render.markdown import render_markdown, row_label


def read_back(text: str) -> Report:
    return parse_document(read_bytes(text.encode("utf-8"), "x.md"))


def table_lines(text: str) -> list[list[str]]:
    """Every pipe-table line as its cells."""
    return [
        [c.strip() for c in line.strip().strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith("|")
    ]


@pytest.mark.parametrize("key", ["2021", "2019"])
def test_markdown_reads_back_to_the_same_report(key: str) -> None:
    report = sample(key)
    back = read_back(render_markdown(report))
    assert_same(report, back)
    assert back.anomalies == []
    assert [h.number for h in back.headings] == [1, 2, 3, 4, 5, 6]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_any_consistent_report_reads_back_from_markdown(report: Report) -> None:
    assert_same(report, read_back(render_markdown(report)))


def test_title_and_headings_are_markdown_headings() -> None:
    lines = render_markdown(sample("2021")).splitlines()
    assert lines[0] == "# 某某市某某区人民政府2023年政府信息公开工作年度报告"
    numerals = "一二三四五六"
    for s in SECTIONS:
        assert f"## {numerals[s.number - 1]}、{s.title}" in lines
    assert lines[-2:] == ["", "2024年1月20日"]
    assert "某某市某某区人民政府" in lines[-3:]


@pytest.mark.parametrize("key", ["2021", "2019"])
def test_one_line_per_statutory_row(key: str) -> None:
    report = sample(key)
    text = render_markdown(report)
    rows = table_lines(text)
    v = VERSIONS[key]
    for table in v.tables:
        for row in table.rows:
            label = row_label(key, row) if table.key == "t3" else row.label
            hits = [r for r in rows if r[0] == label]
            assert len(hits) == 1, label
            values = [report.value(f"{table.key}.{row.key}.{c.key}") for c in row.columns]
            assert hits[0][1:] == [str(x) for x in values], label


def test_group_labels_stand_in_front_of_the_row_label() -> None:
    rows = {r[0] for r in table_lines(render_markdown(sample("2021")))}
    assert "（三）不予公开 1.属于国家秘密" in rows
    assert "（四）无法提供 3.补正后申请内容仍不明确" in rows
    assert "（七）总计" in rows
    assert "（六）其他处理 3.其他" in rows


def test_tables_are_well_formed_pipe_tables() -> None:
    text = render_markdown(sample("2021"))
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.startswith("|"):
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    assert len(blocks) == 4 + 1 + 1  # four 第二十条 blocks, t3, t4
    for block in blocks:
        widths = {line.count("|") for line in block}
        assert len(widths) == 1, block[0]
        assert set(block[1].replace("|", "").replace(" ", "")) <= {"-", ":"}
    t3 = blocks[4]
    assert t3[0].startswith(f"| {T3_NOTE} | 自然人 | 商业企业 |")
    assert len(t3) == 2 + len(VERSIONS["2021"].table("t3").rows)


def test_blank_values_are_dashes() -> None:
    report = sample("2021")
    blanks = ["t2.regulation.repealed", "t3.new.research", "t3.other_other.total"]
    for key in blanks:
        t, r, c = key.split(".")
        report.tables[t][r][c] = None
    text = render_markdown(report)
    assert "| 规章 | 1 | — | 3 |" in text
    back = read_back(text)
    assert_same(report, back)
    assert sorted(k for a in back.anomalies if a.kind == "blank" for k in a.cells) == sorted(blanks)


@pytest.mark.parametrize("key", ["t2.regulation.issued", "t3.new.natural", "t4.review.upheld"])
def test_a_blank_first_value_reads_back(key: str) -> None:
    report = sample("2021")
    t, r, c = key.split(".")
    report.tables[t][r][c] = None
    assert_same(report, read_back(render_markdown(report)))
