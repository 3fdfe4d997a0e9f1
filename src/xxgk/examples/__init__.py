"""Example reports shipped with xxgk (written by the project, not real reports)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent


def example_paths() -> list[Path]:
    return sorted(p for p in HERE.iterdir() if p.suffix in (".txt", ".md", ".html", ".yaml"))
