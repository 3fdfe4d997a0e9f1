"""Shared fixtures: the corpus beside the clone (../shared), skipped when absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# property and fuzz tests draw the same examples on every run: a failure reproduces
settings.register_profile("xxgk", derandomize=True, print_blob=True)
settings.load_profile("xxgk")


def pytest_configure(config: pytest.Config) -> None:
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        # pytest-xdist's controller: pytest imported readline, which put COLUMNS=80 and
        # LINES=24 in the C environment (not in os.environ).  Workers started with them
        # would have them in os.environ and print the CLI's tables 80 columns wide, where
        # a serial run prints them 120 wide (cli_out: no terminal and no COLUMNS).
        for name in ("COLUMNS", "LINES"):
            if name not in os.environ:
                os.unsetenv(name)


# The test files that take longest (CPU seconds on the 2-core CI machine, longest
# first, from `pytest --durations=0`): under pytest-xdist (`make test`: --dist loadfile
# --no-loadscope-reorder) they are handed out first, so that the workers finish
# together instead of one starting test_variety.py's matrix when the other is done.
SLOW_FILES = (
    "tests/test_variety.py",
    "tests/ocr/test_habits.py",
    "tests/ocr/test_partly.py",
    "tests/batch/test_page_folders.py",
    "tests/ledger/test_web_pages.py",
    "tests/ocr/test_corpus_scans.py",
    "tests/supervise/test_pages.py",
    "tests/web/test_reports.py",
    "tests/fuzz/test_fuzz.py",
    "tests/supervise/test_filing.py",
    "tests/web/test_schemathesis.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not hasattr(config, "workerinput"):
        return  # a serial run keeps the files in their order
    rank = {path: i for i, path in enumerate(SLOW_FILES)}
    items.sort(key=lambda item: rank.get(item.nodeid.partition("::")[0], len(rank)))


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
