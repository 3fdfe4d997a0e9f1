"""The seeded fuzz budget of ``make test``: about 2,000 mutants of the examples (every
input type) and the shared corpus, each held to the output contract (issue 9)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import CORPUS
from xxgk.cli import app

from .harness import cases, run_one, seeds

SEED = 20261201
BUDGET = 2000
BOUND = 10.0  # seconds one file may take


@pytest.fixture(scope="module")
def seed_files() -> list[tuple[str, bytes]]:
    return seeds(CORPUS if CORPUS.is_dir() else None)


def test_seeds_cover_every_reader_and_the_loader(seed_files: list[tuple[str, bytes]]) -> None:
    suffixes = {Path(name).suffix for name, _ in seed_files}
    assert {".txt", ".md", ".html", ".docx", ".yaml", ".json"} <= suffixes
    if CORPUS.is_dir():
        assert ".pdf" in suffixes


def test_mutants_are_reproducible(seed_files: list[tuple[str, bytes]]) -> None:
    first = [m for _, _, _, m in cases(seed_files, 20, SEED)]
    again = [m for _, _, _, m in cases(seed_files, 20, SEED)]
    assert first == again


def test_fuzz_budget_keeps_the_contract(
    seed_files: list[tuple[str, bytes]], tmp_path: Path
) -> None:
    counts = {"ok": 0, "error": 0, "crash": 0}
    crashes: list[str] = []
    slow: list[str] = []
    for i, name, suffix, data in cases(seed_files, BUDGET, SEED):
        path = tmp_path / f"m{i}{suffix}"
        path.write_bytes(data)
        outcome = run_one(path)
        path.unlink()
        counts[outcome.status] += 1
        if outcome.status == "crash":
            crashes.append(f"#{i} from {name}: {outcome.detail}")
        if outcome.seconds > BOUND:
            slow.append(f"#{i} from {name}: {outcome.seconds:.1f} s")
    assert not crashes, f"{len(crashes)} crashes (seed {SEED}):\n" + "\n".join(crashes[:20])
    assert not slow, "\n".join(slow)
    assert counts["ok"] > BUDGET // 4  # most mutants still read as reports


def test_command_line_contract_on_mutants(
    seed_files: list[tuple[str, bytes]], tmp_path: Path
) -> None:
    """``xxgk check --json`` on mutants: exit 0/1 with strict JSON on standard output,
    or exit 2 with one line per problem on standard error naming the file."""
    runner = CliRunner()
    rng = random.Random(SEED)
    picked = rng.sample(list(cases(seed_files, BUDGET, SEED)), 40)
    for i, name, suffix, data in picked:
        path = tmp_path / f"c{i}{suffix}"
        path.write_bytes(data)
        result = runner.invoke(app, ["check", "--json", str(path)])
        assert result.exit_code in (0, 1, 2), (i, name, result.output)
        stdout = result.stdout
        if result.exit_code in (0, 1) or stdout.strip():
            json.loads(stdout, parse_constant=_refuse)  # strict: no NaN / Infinity
        if result.exit_code == 2:
            lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
            assert lines, (i, name)
            assert all("内部错误" not in ln for ln in lines), (i, name, lines)
            assert str(path) in result.stderr or str(path) in stdout, (i, name, lines)


def _refuse(constant: str) -> object:
    raise AssertionError(f"output is not strict JSON: {constant}")
