"""Everything the package needs besides its Python modules (templates, static files,
migration script, examples) is declared as package data, so a wheel installed on an
office machine without the source tree has it."""

from __future__ import annotations

import fnmatch
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "xxgk"


def test_every_data_file_of_the_package_is_declared() -> None:
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]["package-data"]["xxgk"]
    try:
        listed = subprocess.run(
            ["git", "ls-files", "src/xxgk"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the tracked files cannot be listed")
    data = [
        str(Path(p).relative_to("src/xxgk"))
        for p in listed
        if not p.endswith((".py", ".c")) and "__pycache__" not in p
    ]
    assert data, "no data files found"
    # a C file is no data: it is the source of an extension setup.py builds
    setup = (ROOT / "setup.py").read_text(encoding="utf-8")
    unbuilt = [p for p in listed if p.endswith(".c") and f'"{p}"' not in setup]
    assert not unbuilt, f"C sources setup.py does not build: {unbuilt}"
    missing = [p for p in data if not any(fnmatch.fnmatch(p, pat) for pat in patterns)]
    assert not missing, f"not in [tool.setuptools.package-data]: {missing}"
