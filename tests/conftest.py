"""Shared fixtures: the corpus beside the clone (../shared), skipped when absent."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# property and fuzz tests draw the same examples on every run: a failure reproduces
settings.register_profile("xxgk", derandomize=True, print_blob=True)
settings.load_profile("xxgk")

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()
CORPUS = SHARED / "corpus"


def corpus_path(*parts: str) -> Path:
    """A path inside ../shared/corpus; the calling test is skipped when it is absent."""
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"corpus not available: {path} (tests read ../shared/corpus beside the clone)")
    return path


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(
            f"corpus not available: {CORPUS} (tests read ../shared/corpus beside the clone)"
        )
    return CORPUS
