"""TXT-004 against peers on the command line: ``xxgk check DIR`` compares each report
with the reports of other agencies of the same year among the files (a second-phase
check, as for last year's report), in this process, on worker processes and in JSON
lines alike; another year, the same agency and an own text are not flagged; a report
compared with ``--previous`` keeps that comparison; each report is compared exactly
with a few peers only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.supervise.test_pages import _report
from tests.supervise.test_peers import _text
from xxgk import api
from xxgk.batch import latest
from xxgk.batch.peers import CANDIDATES
from xxgk.checks import copied
from xxgk.checks.copied import PEERS_CHECKED
from xxgk.cli import app
from xxgk.render.text import render_text

AGRI, EDU, FIN = "甲县农业农村局", "甲县教育局", "甲县财政局"


def _write(folder: Path, agency: str, year: int, text: str) -> Path:
    path = folder / f"{agency}{year}.txt"
    path.write_text(render_text(_report(agency, year, 5, 1, 1, text), "tabs"), encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    _write(tmp_path, AGRI, 2023, _text(1))
    _write(tmp_path, EDU, 2023, _text(1)[:-12] + "结尾改写了一句话。")  # copies the bureau's
    _write(tmp_path, FIN, 2023, _text(2))
    _write(tmp_path, AGRI, 2022, _text(1))  # last year's: the same text, another year
    return tmp_path


def _copied(outcomes: list[dict[str, Any]]) -> dict[str, list[str]]:
    return {
        Path(o["source"]).stem: [f["message"] for f in o["findings"] if f["code"] == "TXT-004"]
        for o in outcomes
    }


def test_a_folder_flags_sections_copied_between_agencies_of_a_year(folder: Path) -> None:
    inline = _copied([o.as_dict() for o in api.check_paths([folder])])
    assert set(inline) == {f"{AGRI}2023", f"{EDU}2023", f"{FIN}2023", f"{AGRI}2022"}
    assert inline[f"{FIN}2023"] == [] and inline[f"{AGRI}2022"] == []
    (edu,) = inline[f"{EDU}2023"]
    assert edu.startswith(f"“一、总体情况”与《{AGRI}2023年度报告》的同一部分有")
    agri = inline[f"{AGRI}2023"]
    assert len(agri) == 2  # last year's text, and the education bureau's
    assert any("与2022年度报告的同一部分相同" in m for m in agri)
    assert any(f"《{EDU}2023年度报告》" in m for m in agri)
    pooled = _copied([o.as_dict() for o in latest(api.check_many(folder, jobs=2, pair=True))])
    assert pooled == inline
    lines = CliRunner().invoke(app, ["check", str(folder), "--jsonl", "--jobs", "2"])
    kept: dict[str, dict[str, Any]] = {}
    for line in lines.stdout.splitlines():  # a later line of a file replaces an earlier one
        o = json.loads(line)
        kept[o["source"]] = o
    assert _copied(list(kept.values())) == inline


def test_with_previous_the_comparison_with_last_year_is_kept(folder: Path) -> None:
    agri, edu = folder / f"{AGRI}2023.txt", folder / f"{EDU}2023.txt"
    before = folder / f"{AGRI}2022.txt"
    got = list(api.check_paths([agri, edu], previous=before))
    mine = next(o for o in got if o.source == str(agri))
    assert mine.previous == str(before) and mine.result is not None
    messages = [f.message for f in mine.result.findings if f.code == "TXT-004"]
    assert any("2022年度报告" in m for m in messages) and any(EDU in m for m in messages)


def test_each_report_is_compared_with_a_few_peers_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twenty agencies publishing the same section: every one is flagged, and the
    exact measure runs for a few peers of each, not for every pair."""
    same = _text(7)
    names = [
        "水利局", "交通运输局", "民政局", "司法局", "商务局", "林业局", "统计局", "审计局",
        "文化和旅游局", "卫生健康委员会", "应急管理局", "市场监督管理局", "医疗保障局",
        "退役军人事务局", "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局",
        "农业农村局", "科学技术局",
    ]  # fmt: skip
    for name in names:
        _write(tmp_path, f"乙县{name}", 2023, same)
    exact = copied.repeated
    calls = 0

    def counted(a: str, b: str) -> float:
        nonlocal calls
        calls += 1
        return exact(a, b)

    monkeypatch.setattr(copied, "repeated", counted)  # jobs=1: the checks run here
    batch = api.check_many(tmp_path, jobs=1, pair=True)
    outcomes = list(batch)
    assert batch.pairs == len(names)  # each checked again once, with its peers
    final = latest(outcomes)
    assert all(
        sum(f.code == "TXT-004" for f in o.result.findings) == 1  # type: ignore[union-attr]
        for o in final
    )
    n = len(names)
    assert calls <= n * (CANDIDATES + PEERS_CHECKED) < n * (n - 1), calls
