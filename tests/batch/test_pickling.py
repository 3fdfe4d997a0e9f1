"""What a worker sends back: the model pickled compactly (Report packs its cells, the
anomalies, findings and locations travel as their values) comes back equal, of the same
types, sharing what it shared, and behaving as the original under copy, deepcopy,
``dataclasses.replace`` and the rules."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xxgk import anomalies as A
from xxgk import api
from xxgk.batch import Outcome
from xxgk.batch.outcome import json_text
from xxgk.examples import example_paths
from xxgk.model import CellSource, CheckResult, Finding, Location, Report, Severity
from xxgk.render.text import render_text

from ..conftest import CORPUS
from ..samples import reports

PROTOCOLS = sorted({2, pickle.DEFAULT_PROTOCOL, pickle.HIGHEST_PROTOCOL})


def real_files() -> list[Path]:
    found = list(example_paths())
    for sub in ("real", "seeds", "template"):
        if (CORPUS / sub).is_dir():
            found += sorted(
                p
                for p in (CORPUS / sub).iterdir()
                if p.suffix.lower() in {".txt", ".md", ".html", ".docx", ".pdf"}
            )
    return found


def outcome_of(result: CheckResult) -> Outcome:
    return Outcome(source=result.source, report=result.report, result=result, order=3)


def assert_round_trip(result: CheckResult) -> None:
    o = outcome_of(result)
    for protocol in PROTOCOLS:
        back: Outcome = pickle.loads(pickle.dumps(o, protocol))
        assert back == o
        assert back.result is not None and back.result.report is back.report
        report, was = back.result.report, result.report
        assert report == was and report is not was
        assert list(vars(report)) == list(vars(was))  # the same fields, in the same order
        assert {type(c) for c in report.cells.values()} <= {CellSource}
        assert list(report.cells) == list(was.cells)
        assert [type(a) for a in report.anomalies] == [type(a) for a in was.anomalies]
        assert [(type(f.severity), type(f.location)) for f in back.result.findings] == [
            (Severity, Location)
        ] * len(result.findings)
        assert json_text(back.as_dict()) == json_text(o.as_dict())
    back = pickle.loads(pickle.dumps(o))
    assert back.report is not None and back.result is not None
    # behaves as the original: the rules find the same, copies are the same kind of copy
    again = api.check_report(back.report)
    assert [f.contract_dict() for f in again.findings] == [
        f.contract_dict() for f in result.findings
    ]
    deep = copy.deepcopy(back.report)
    assert deep == result.report and deep.cells is not back.report.cells
    if deep.cells:
        key = next(iter(deep.cells))
        assert deep.cells[key] is not back.report.cells[key]
    shallow = copy.copy(back.report)
    assert shallow == result.report and shallow.cells is back.report.cells
    renamed = dataclasses.replace(back.report, agency="某某县另一局")
    assert renamed == dataclasses.replace(result.report, agency="某某县另一局")
    assert renamed.cells is back.report.cells
    assert copy.deepcopy(back.result) == result
    assert pickle.loads(pickle.dumps(deep)) == deep


@pytest.mark.parametrize("path", real_files(), ids=lambda p: p.name)
def test_a_real_report_comes_back_from_a_worker_as_it_went(path: Path) -> None:
    assert_round_trip(api.check(path))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report=reports(), kind=st.sampled_from(["txt", "md", "html"]))
def test_a_generated_report_comes_back_as_it_went(report: Report, kind: str) -> None:
    # a report as published (rendered, then read back: cells with their provenance)
    data = render_text(report) if kind == "txt" else api.render_report(report, kind).decode()
    read = api.parse_bytes(data.encode("utf-8"), f"生成.{kind}")
    assert read.cells
    assert_round_trip(api.check_report(read))


texts = st.none() | st.text(max_size=12)
ints = st.none() | st.integers(-(2**40), 2**40)
cell_keys = st.lists(st.sampled_from(["t1.a.b", "t3.new.natural", "t4.review.upheld"]))
common: dict[str, Any] = {"cells": cell_keys, "raw": texts, "page": ints, "line": ints}


def _anomaly_strategy(cls: type[A.Anomaly]) -> st.SearchStrategy[A.Anomaly]:
    extra: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name in common or f.name == "kind":
            continue
        if f.type in ("int",):
            extra[f.name] = st.integers(0, 99)
        elif f.type in ("float",):
            extra[f.name] = st.floats(allow_nan=False)
        elif f.type.startswith("list"):
            extra[f.name] = st.lists(st.text(max_size=4), max_size=3)
        elif f.name == "problem":
            extra[f.name] = st.sampled_from(["text", "decimal", "negative"])
        else:
            extra[f.name] = texts if "None" in f.type else st.text(max_size=8)
    return st.builds(cls, **common, **extra)


ANOMALY_TYPES: list[type[A.Anomaly]] = list(A.AnyAnomaly.__args__)  # type: ignore[attr-defined]
any_anomaly = st.one_of(*[_anomaly_strategy(t) for t in ANOMALY_TYPES])
boxes = st.none() | st.lists(st.floats(allow_nan=False, width=32), min_size=4, max_size=4)
cells = st.builds(
    CellSource,
    raw=texts,
    page=ints,
    line=ints,
    start=ints,
    end=ints,
    table=ints,
    row=ints,
    col=ints,
    bbox=boxes,
    pixels=st.none() | st.lists(st.integers(0, 9999), min_size=4, max_size=4),
)
locations = st.builds(
    Location,
    page=ints,
    line=ints,
    paragraph=ints,
    table=ints,
    row=ints,
    col=ints,
    cell=texts,
    quote=texts,
)
findings = st.builds(
    Finding,
    code=st.sampled_from(["SUM-001", "NUM-006", "OCR-001"]),
    severity=st.sampled_from(list(Severity)),
    message=st.text(max_size=20),
    cells=cell_keys,
    location=locations,
    suggestion=st.text(max_size=8),
)


@settings(max_examples=150, deadline=None)
@given(
    anomalies=st.lists(any_anomaly, max_size=6),
    sources=st.dictionaries(st.sampled_from(["t1.a.b", "t3.new.natural", "x"]), cells),
    found=st.lists(findings, max_size=4),
)
def test_every_kind_of_value_comes_back_as_it_went(
    anomalies: list[A.Anomaly], sources: dict[str, CellSource], found: list[Finding]
) -> None:
    report = Report(source="a.txt", cells=sources, anomalies=anomalies)  # type: ignore[arg-type]
    result = CheckResult("a.txt", report, found)
    for protocol in PROTOCOLS:
        back = pickle.loads(pickle.dumps(result, protocol))
        assert back == result
        assert [type(a) for a in back.report.anomalies] == [type(a) for a in anomalies]
        assert json.dumps(back.contract_dict()) == json.dumps(result.contract_dict())
        for a in anomalies:  # each alone, and deep-copied
            assert pickle.loads(pickle.dumps(a, protocol)) == a
            assert copy.deepcopy(a) == a
        for c in sources.values():
            assert pickle.loads(pickle.dumps(c, protocol)) == c
    assert copy.deepcopy(result) == result


def test_what_a_value_holds_beyond_its_fields_travels_too() -> None:
    report = api.parse(next(p for p in example_paths() if p.suffix == ".txt"))
    report.cache = {"seen": 1}  # type: ignore[attr-defined]
    report.cells["odd"] = "not a CellSource"  # type: ignore[assignment]
    finding = Finding("SUM-001", Severity.ERROR, "不符", ["t3.new.natural"])
    finding.note = "附注"  # type: ignore[attr-defined]
    finding.location.extra = 2  # type: ignore[attr-defined]
    back = pickle.loads(pickle.dumps(CheckResult(report.source, report, [finding])))
    assert back.report.cache == {"seen": 1} and back.report.cells == report.cells
    assert back.findings[0].note == "附注" and back.findings[0].location.extra == 2
    assert back.findings == [finding]


def test_two_references_to_one_cell_stay_one() -> None:
    shared = CellSource(raw="5", page=1)
    report = Report(source="a.txt", cells={"t1.a.b": shared, "t1.a.c": shared})
    for back in (pickle.loads(pickle.dumps(report)), copy.deepcopy(report)):
        assert back == report and back.cells["t1.a.b"] is back.cells["t1.a.c"]


ERRORS = next(p for p in example_paths() if p.name == "township-2023-errors.txt")


def test_an_outcome_comes_back_packed_and_unpacks_when_read() -> None:
    result = api.check(ERRORS)
    o = outcome_of(result)
    assert o.status == 1 and o.counts()[0] > 0
    back: Outcome = pickle.loads(pickle.dumps(o))
    # what a caller that hands results on asks for does not unpack the Report
    assert back.packed()
    assert (back.source, back.order, back.error) == (o.source, 3, None)
    assert (back.status, back.counts()) == (o.status, o.counts())
    assert back.packed()
    again: Outcome = pickle.loads(pickle.dumps(back))  # sent on still packed: the same
    assert again.packed() and again == o
    assert json_text(back.as_dict()) == json_text(o.as_dict())  # reading it unpacks it
    assert not back.packed() and back.result is not None
    assert back.result.report is back.report and back.report == result.report
    # setting one of the two while packed keeps the other
    other: Outcome = pickle.loads(pickle.dumps(o))
    other.report = None
    assert other.report is None and other.result == result
    # copies are those of an Outcome never packed
    packed: Outcome = pickle.loads(pickle.dumps(o))
    shallow = copy.copy(packed)
    assert shallow.report is packed.report and shallow == o
    deep = copy.deepcopy(pickle.loads(pickle.dumps(o)))
    assert deep == o and deep.report is not None and deep.report.cells == result.report.cells
    moved = dataclasses.replace(pickle.loads(pickle.dumps(o)), order=7)
    assert moved.order == 7 and moved.result == result


def test_a_failure_comes_back_as_it_went() -> None:
    o = Outcome(source="坏.txt", error="不是报告", order=2)
    back: Outcome = pickle.loads(pickle.dumps(o))
    assert back == o and not back.packed()
    assert (back.status, back.counts(), back.report, back.result) == (2, (0, 0, 0), None, None)
    assert back.line() == "xxgk: 无法读取 坏.txt：不是报告"


def test_outcomes_from_worker_processes_arrive_packed() -> None:
    paths = [p for p in example_paths() if p.suffix == ".txt"][:4]
    alone = {str(p): api.check(p) for p in paths}
    got = list(api.check_many(paths, jobs=2))
    assert len(got) == len(paths) and all(o.packed() for o in got)
    assert {o.source: (o.status, o.counts()) for o in got} == {
        s: (outcome_of(r).status, outcome_of(r).counts()) for s, r in alone.items()
    }
    assert {o.source: o.result for o in got} == alone


def test_threads_reading_one_packed_outcome_see_the_same_report() -> None:
    from concurrent.futures import ThreadPoolExecutor

    o = outcome_of(api.check(ERRORS))
    for _ in range(20):
        back: Outcome = pickle.loads(pickle.dumps(o))
        with ThreadPoolExecutor(4) as pool:
            seen = list(pool.map(lambda b: (b.report, b.result), [back] * 8))
        assert all(r is seen[0][0] and c is seen[0][1] for r, c in seen)
        assert seen[0][0] is not None and seen[0][1] == o.result
