"""Files the tests leave under ``artifacts/`` for a person to look at.

Tests run in parallel (``pytest -n 2``) and some read what others left there
(tests/ocr/test_habits.py reads every PDF and DOCX of ``artifacts/render/``), so a
file is written beside its place under another name and then renamed into it: a
reader sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
from pathlib import Path


def save(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` at once (its folder made when missing); ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    part.write_bytes(data)
    os.replace(part, path)
    return path
