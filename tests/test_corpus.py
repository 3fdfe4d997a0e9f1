"""The example reports of the shared corpus against their truth files (contract §5)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, SHARED
from tests.truth import cases, problems
from xxgk import api
from xxgk.format import V2021

SEEDS = cases(CORPUS / "seeds") if (CORPUS / "seeds").is_dir() else []
REAL = cases(CORPUS / "real") if (CORPUS / "real").is_dir() else []
FRAGMENTS = sorted((CORPUS / "fragments").glob("*.txt")) if CORPUS.is_dir() else []


@pytest.mark.parametrize(("report", "truth"), SEEDS, ids=lambda p: p.name)
def test_seed_matches_truth(report: Path, truth: Path) -> None:
    result = api.check(report).contract_dict()
    assert problems(result, json.loads(truth.read_text(encoding="utf-8"))) == []


def test_score_truth_tool_reports_seeds_clean() -> None:
    tool = SHARED / "tools" / "score_truth.py"
    if not tool.exists() or not SEEDS:
        pytest.skip("shared/tools/score_truth.py or the seeds are not available")
    xxgk = Path(sys.executable).with_name("xxgk")
    proc = subprocess.run(
        [sys.executable, str(tool), str(CORPUS / "seeds"), "--xxgk", str(xxgk)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.stdout.strip().splitlines()[-1] == "cells 808/808 exact, files 5/5 clean", (
        proc.stdout
    )
    assert proc.returncode == 0


@pytest.mark.parametrize(("report", "truth"), REAL, ids=lambda p: p.name)
def test_real_report_matches_truth(report: Path, truth: Path) -> None:
    result = api.check(report).contract_dict()
    assert problems(result, json.loads(truth.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("fragment", FRAGMENTS, ids=lambda p: p.name)
def test_fragment_parses_with_nulls_and_fmt002(fragment: Path) -> None:
    """Beginnings of reports cut inside a table: what is there, null for the rest."""
    xxgk = Path(sys.executable).with_name("xxgk")
    proc = subprocess.run(
        [str(xxgk), "check", str(fragment), "--json"], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    data = json.loads(proc.stdout)
    codes = {f["code"] for f in data["findings"]}
    assert "FMT-002" in codes
    t4 = data["report"]["tables"]["t4"]
    assert any(v is None for row in t4.values() for v in row.values())


def test_blank_template_is_a_report_with_every_cell_blank() -> None:
    template = CORPUS / "template" / "official-2021-template.docx"
    if not template.exists():
        pytest.skip(f"corpus not available: {template}")
    result = api.check(template)
    report = result.report
    assert report.format == "2021"
    values = [v for rows in report.tables.values() for cols in rows.values() for v in cols.values()]
    assert len(values) == len(V2021.cell_keys())
    assert all(v is None for v in values)
    assert "NUM-002" in {f.code for f in result.findings}


def test_traditional_report_reads_like_the_simplified_one() -> None:
    import opencc

    from xxgk.examples import example_paths
    from xxgk.readers.text import parse_text

    path = next(p for p in example_paths() if p.name == "bureau-2023-tabs.txt")
    text = path.read_text(encoding="utf-8")
    simplified = api.parse_document(parse_text(text, "s.txt"))
    traditional = api.parse_document(parse_text(opencc.OpenCC("s2t").convert(text), "t.txt"))
    assert traditional.tables == simplified.tables
    assert (traditional.agency, traditional.year) == (simplified.agency, simplified.year)


def test_plain_text_of_a_pdf_reads_like_the_pdf() -> None:
    """pdfplumber's text of 洪泽区 2023: numbers before labels, labels over lines,
    vertical group labels, page footers — the text path must still get every cell."""
    import pdfplumber

    from xxgk.readers.text import parse_text

    pdf_path = CORPUS / "real" / "hzq-2023.pdf"
    if not pdf_path.exists():
        pytest.skip(f"corpus not available: {pdf_path}")
    with pdfplumber.open(pdf_path) as pdf:
        text = "\f".join(page.extract_text() or "" for page in pdf.pages)
    from_text = api.parse_document(parse_text(text, "hzq.txt"))
    from_pdf = api.parse(pdf_path)
    assert from_text.tables == from_pdf.tables
    assert (from_text.agency, from_text.year) == (from_pdf.agency, from_pdf.year)


def test_t3_header_in_a_separate_table_does_not_shift_the_values() -> None:
    """Some pages print the column headings as their own table above the data table."""
    from xxgk.format import V2021
    from xxgk.readers import read_bytes

    heads = "".join(f"<td>{c.label}</td>" for c in V2021.table("t3").rows[0].columns)
    rows = "".join(
        f"<tr><td>{row.label}</td><td></td>"
        + "".join(f"<td>{i if c.key != 'total' else 21 * i}</td>" for c in row.columns)
        + "</tr>"
        for i, row in enumerate(V2021.table("t3").rows, start=1)
    )
    page = (
        "<html><body><p>三、收到和处理政府信息公开申请情况</p>"
        f"<table><tr><td>申请人情况</td></tr><tr>{heads}</tr></table>"
        f"<table>{rows}</table><p>四、政府信息公开行政复议、行政诉讼情况</p></body></html>"
    )
    report = api.parse_document(read_bytes(page.encode("utf-8"), "page.html"))
    assert report.value("t3.new.natural") == 1 and report.value("t3.new.total") == 21
    assert report.value("t3.carried_forward.other_org") == len(V2021.table("t3").rows)


def test_t4_value_row_with_a_label_in_front() -> None:
    from xxgk.readers import read_bytes

    heads = "".join(
        f"<td>{c}</td>" for c in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 3
    )
    values = "".join(f"<td>{v}</td>" for v in (1, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
    page = (
        "<html><body><p>四、政府信息公开行政复议、行政诉讼情况</p><table>"
        "<tr><td></td><td colspan=5>行政复议</td><td colspan=10>行政诉讼</td></tr>"
        f"<tr><td></td>{heads}</tr><tr><td>件数</td>{values}</tr></table>"
        "<p>五、存在的主要问题及改进情况</p></body></html>"
    )
    report = api.parse_document(read_bytes(page.encode("utf-8"), "page.html"))
    assert report.tables["t4"]["review"] == {
        "upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2
    }  # fmt: skip
