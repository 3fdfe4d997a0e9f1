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

SEEDS = cases(CORPUS / "seeds") if (CORPUS / "seeds").is_dir() else []


@pytest.mark.parametrize(("report", "truth"), SEEDS, ids=lambda p: p.name)
def test_seed_matches_truth(report: Path, truth: Path) -> None:
    result = api.check(report).contract_dict()
    assert problems(result, json.loads(truth.read_text(encoding="utf-8"))) == []


def test_corpus_present_or_skipped() -> None:
    if not SEEDS:
        pytest.skip(
            f"corpus not available: {CORPUS} (tests read ../shared/corpus beside the clone)"
        )
    assert len(SEEDS) == 5


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
