"""The OCR tests: the recogniser loaded once per session (skipped without the extra)."""

from __future__ import annotations

import importlib.util

import pytest


@pytest.fixture(scope="session", autouse=True)
def recogniser() -> object:
    if importlib.util.find_spec("onnxruntime") is None or importlib.util.find_spec("cv2") is None:
        pytest.skip(
            'the ocr extra is not installed (pip install "xxgk[ocr]"; make test installs it)'
        )
    from xxgk.ocr.engine import recognizer

    return recognizer()
