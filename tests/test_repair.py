"""Minimal repairs (xxgk fix), data entry (xxgk new) and the render gate."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.conftest import corpus_path
from tests.test_properties import reports
from xxgk import api, checks
from xxgk.cli import app
from xxgk.model import Report
from xxgk.repair import repair
from xxgk.synth import consistent_report

runner = CliRunner()
SUMS = {"SUM-001", "SUM-002", "SUM-003", "SUM-004"}


def _changes(result_dict: dict, rank: int) -> list[tuple[str, int, int]]:
    cand = result_dict["candidates"][rank - 1]
    return [(c["cell"], c["old"], c["new"]) for c in cand["changes"]]


def test_seed_004_narrative_decides_between_new_and_carried_over() -> None:
    res = runner.invoke(
        app, ["fix", str(corpus_path("seeds", "004_0ff62b739310a2bd.txt")), "--json"]
    )
    data = json.loads(res.stdout)
    assert _changes(data, 1) == [("t3.new.natural", 0, 1), ("t3.new.total", 0, 1)]
    assert _changes(data, 2) == [("t3.carried_over.natural", 0, 1), ("t3.carried_over.total", 0, 1)]
    assert "今年收到依申请答复1条" in data["candidates"][0]["evidence"]
    assert data["applied"] == 1 and res.exit_code == 0


def test_hzq_totals_are_corrected_before_parts() -> None:
    res = runner.invoke(app, ["fix", str(corpus_path("real", "hzq-2023.pdf")), "--json"])
    data = json.loads(res.stdout)
    assert _changes(data, 1) == [("t4.lit_after_review.total", 0, 5), ("t4.review.total", 0, 11)]
    assert ("t4.lit_after_review.upheld", 5, 0) in _changes(data, 2)
    assert data["applied"] == 1


def _tied() -> Report:
    r = consistent_report(leaves={"granted": {"natural": 1}})
    r.tables["t3"]["new"]["natural"] = 0
    r.tables["t3"]["new"]["total"] = 0
    return r


def test_a_tie_changes_nothing_until_told(tmp_path: Path) -> None:
    result = repair(_tied())
    assert result.tied and result.applied is None
    assert {c.changes[0].cell for c in result.candidates[:2]} == {
        "t3.new.natural",
        "t3.carried_over.natural",
    }
    path = tmp_path / "r.json"
    path.write_text(json.dumps(_tied().contract_dict(), ensure_ascii=False), encoding="utf-8")
    res = runner.invoke(app, ["fix", str(path), "--json"])
    assert res.exit_code == 1 and json.loads(res.stdout)["applied"] is None
    out = tmp_path / "fixed.yaml"
    res = runner.invoke(app, ["fix", str(path), "--apply", "2", "-o", str(out)])
    assert res.exit_code == 0
    fixed = api.parse(out)
    assert not [f for f in checks.run(fixed) if f.code in SUMS]


@settings(max_examples=40, deadline=None)
@given(reports(), st.data())
def test_one_wrong_cell_is_found_and_restored(report: Report, data: st.DataObject) -> None:
    keys = [k for k in report.version.cell_keys() if not k.startswith("t2.")]
    key = data.draw(st.sampled_from(keys))
    t, r, c = key.split(".")
    old = report.tables[t][r][c]
    assert isinstance(old, int)
    report.tables[t][r][c] = old + data.draw(st.sampled_from([1, 2, 9]))
    result = repair(report)
    best = result.candidates[0]
    assert len(best.changes) == 1 and result.applied == 1
    if sum(key in i.cells for i in report.version.identities) >= 2:
        # only the changed cell sits in every identity it broke: it is put back
        assert [(ch.cell, ch.new) for ch in best.changes] == [(key, old)]
    else:
        # a t4 part: recomputing the group's total ranks before changing the part back
        assert best.changes[0].cell.endswith(".total") or best.changes[0].cell == key
    assert not [f for f in checks.run(result.report) if f.code in SUMS]


def test_2019_format_report_is_converted_with_a_list_of_what_did_not_map() -> None:
    r = consistent_report("2019", leaves={"other": {"natural": 2}}, t2={"permit": {"decisions": 7}})
    result = repair(r)
    assert result.conversion is not None and result.report.format == "2021"
    assert result.report.value("t2.permit.decisions") == 7
    assert result.report.value("t3.other_other.natural") == 2
    unmapped = {c for c, _ in result.conversion.unmapped}
    assert {"t2.fee.amount", "t2.procurement.amount", "t2.other_service.decisions"} <= unmapped
    assert not [f for f in checks.run(result.report) if f.code in SUMS]


def test_narrative_sentence_gets_the_tables_figure() -> None:
    r = consistent_report(
        leaves={"granted": {"natural": 3}}, sections={1: "全年共受理政府信息公开申请5件。"}
    )
    fixes = repair(r).sentences
    assert [(s.old, s.new) for s in fixes] == [
        ("共受理政府信息公开申请5件", "共受理政府信息公开申请3件")
    ]


def test_new_template_checks_clean_and_render_refuses_errors(tmp_path: Path) -> None:
    res = runner.invoke(app, ["new", "--year", "2024", "--agency", "某某局"])
    assert res.exit_code == 0 and "本年制发件数" in res.stdout
    path = tmp_path / "report.yaml"
    path.write_text(res.stdout, encoding="utf-8")
    checked = runner.invoke(app, ["check", str(path), "--json"])
    assert checked.exit_code == 1  # only the narrative's hint text is left to replace
    errors = [f for f in json.loads(checked.stdout)["findings"] if f["severity"] == "error"]
    assert {f["code"] for f in errors} == {"TXT-008"}
    wrong = path.read_text(encoding="utf-8").replace(
        "    new:  # 一、本年新收政府信息公开申请数量\n      natural: 0",
        "    new:  # 一、本年新收政府信息公开申请数量\n      natural: 3",
    )
    path.write_text(wrong, encoding="utf-8")
    out = tmp_path / "r.txt"
    refused = runner.invoke(app, ["render", str(path), "--to", "txt", "-o", str(out)])
    assert refused.exit_code == 1 and not out.exists()
    forced = runner.invoke(app, ["render", str(path), "--to", "txt", "-o", str(out), "--force"])
    assert forced.exit_code == 0 and out.exists()
    assert api.parse(out).value("t3.new.natural") == 3
