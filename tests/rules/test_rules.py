"""One fixture-driven runner over every rule (cases/<CODE>.yaml).

A case builds a consistent report, changes what it says (cells, narrative, text),
renders it as a text dump, reads it back and checks it: so each case runs the whole
path a user's file takes.  ``previous`` (last year's report), ``peers`` (a list: other
agencies' reports of the same year) and ``approved`` (the approved draft of which the
case is the published file) are built the same way and given to the check.  ``expect``
lists, for each finding of the case's code, cells it must name; the count of findings
must match; ``severity`` (optional) is the severity every finding of the case must
have; ``message`` (optional) are words every finding's message must hold.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from xxgk import checks
from xxgk.api import check_report, load_structured
from xxgk.extract import extract
from xxgk.model import Report
from xxgk.readers.document import Document
from xxgk.readers.text import parse_text
from xxgk.render.data import render_yaml
from xxgk.render.text import render_text
from xxgk.synth import consistent_report

CASES = Path(__file__).parent / "cases"
NEUTRAL = {
    1: "本年度政府信息公开工作有序开展。",
    5: "存在问题：公开形式单一。改进措施：丰富公开形式。",
    6: "本年度未收取信息处理费。",
}


def _load() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert spec["code"] == path.stem, f"{path.name} declares code {spec['code']}"
        for case in spec["cases"]:
            out.append((spec["code"], case))
    return out


def build(case: dict[str, Any], key: str = "") -> Report:
    spec = case.get(key, {}) if key else case
    fmt = str(spec.get("format", "2021"))
    r = consistent_report(
        fmt,
        agency=spec.get("agency", "某某县某某局"),
        year=spec.get("year", 2023),
        published=spec.get("published", "2024-01-20"),
        sections={**NEUTRAL, **{int(k): v for k, v in (spec.get("sections") or {}).items()}},
    )
    for cell, value in (spec.get("set") or {}).items():
        t, row, col = cell.split(".")
        r.tables[t][row][col] = value
    if spec.get("layout") == "data":  # xxgk's own data-entry YAML, as a clerk edits it
        return _data_file(render_yaml(r), spec.get("edit") or [], case["name"])
    text = spec["text"] if "text" in spec else render_text(r, spec.get("layout", "tabs"))
    if spec.get("traditional"):  # as mirror sites serve it
        import opencc

        text = opencc.OpenCC("s2t").convert(text)
    for old, new in spec.get("edit") or []:
        assert old in text, f"edit target not in the rendered text: {old!r}"
        text = text.replace(old, new, 1)
    doc = parse_text(text, f"<{case['name']}>")
    doc.meta.update(spec.get("meta") or {})  # what a reader tells of the file (struck …)
    if spec.get("ocr"):  # as if a scan's recogniser had read these cells with doubt
        _doubtful(doc, spec["ocr"])
    for kind in ("border", "clipped", "shifted"):  # as the PDF reader doubts a number
        if spec.get(kind):
            _doubtful(doc, {key: [None] for key in spec[kind]}, doubt=kind)
    return extract(doc)


def _doubtful(doc: Document, doubts: dict[str, list[str | None]], doubt: str | None = None) -> None:
    """Give the cells named the candidates (the printed reading first) an OCR reader
    gives; with ``doubt``, the PDF reader's doubt of that kind (the printed text the only
    candidate: ``[None]``)."""
    first = extract(doc)
    cells = [c for t in doc.tables() for row in t.rows for c in row]
    for key, alts in doubts.items():
        src = first.cells[key]
        cell = next(c for c in cells if c.where.start == src.start and c.where.line == src.line)
        if doubt is not None:
            cell.where.alts, cell.where.doubt = (cell.text,), doubt
            continue
        assert cell.text == str(alts[0]), (key, cell.text, alts)
        cell.where.alts = tuple(str(a) for a in alts)
        cell.where.conf = 0.5


def _data_file(text: str, edits: list[list[str]], name: str) -> Report:
    for old, new in edits:
        assert old in text, f"edit target not in the data file: {old!r}"
        text = text.replace(old, new, 1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.yaml"
        path.write_text(text, encoding="utf-8")
        return load_structured(path)


@pytest.mark.parametrize(
    ("code", "case"), _load(), ids=lambda x: x if isinstance(x, str) else x["name"]
)
def test_rule_case(code: str, case: dict[str, Any]) -> None:
    report = build(case)
    previous = build(case, "previous") if "previous" in case else None
    peers = [
        build({**p, "name": f"{case['name']} ({i})"}) for i, p in enumerate(case.get("peers") or [])
    ]
    approved = build(case, "approved") if "approved" in case else None
    result = check_report(report, previous, peers=peers, approved=approved)
    findings = [f for f in result.findings if f.code == code]
    if "expect_some" in case:  # one finding at least names these cells (others may exist)
        assert any(set(case["expect_some"]) <= set(f.cells) for f in findings), findings
        return
    expected = case.get("expect") or []
    assert len(findings) == len(expected), [f.message for f in findings]
    for want, got in zip(expected, findings, strict=True):
        assert set(want or []) <= set(got.cells), (want, got.cells, got.message)
        assert got.message and got.severity.value in ("error", "warning", "info")
        assert got.severity.value == case.get("severity", got.severity.value), got.message
        assert all(words in got.message for words in case.get("message") or []), got.message


def test_every_rule_has_a_passing_and_a_failing_case() -> None:
    cases = _load()
    for rule in checks.RULES:
        mine = [c for code, c in cases if code == rule.code]
        assert any(not c.get("expect") and not c.get("expect_some") for c in mine), (
            f"{rule.code}: no passing case"
        )
        assert any(c.get("expect") or c.get("expect_some") for c in mine), (
            f"{rule.code}: no failing case"
        )


CONTRACT_CODES = {
    "FMT-001": "error", "FMT-002": "error", "FMT-005": "warning", "FMT-010": "warning",
    "META-001": "warning", "NUM-001": "error", "NUM-002": "warning", "NUM-004": "error",
    "SUM-001": "error", "SUM-002": "error", "SUM-003": "error", "SUM-004": "error",
    "XYR-001": "warning", "XYR-002": "warning", "XSEC-001": "warning", "XSEC-003": "warning",
    "DATE-001": "error", "TXT-005": "warning", "TXT-006": "warning",
}  # fmt: skip


def test_catalogue_holds_the_contract_codes_with_their_severities() -> None:
    have = {r.code: r.severity.value for r in checks.RULES}
    for code, severity in CONTRACT_CODES.items():
        assert have.get(code) == severity, code


def test_rules_are_documented() -> None:
    codes = [r.code for r in checks.RULES]
    assert len(codes) == len(set(codes))
    for rule in checks.RULES:
        doc = rule.doc()
        assert len(doc.splitlines()) >= 2 and rule.title, rule.code
