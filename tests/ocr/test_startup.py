"""Checking a text report loads none of the OCR packages."""

from __future__ import annotations

import subprocess
import sys

from xxgk.examples import example_paths

_PROBE = """
import sys
sys.argv = ["xxgk", "check", {path!r}, "--json"]
try:
    from xxgk.cli import main
    main()
except SystemExit:
    pass
heavy = ("numpy", "cv2", "onnxruntime", "PIL", "xxgk.ocr")
sys.stderr.write("LOADED " + " ".join(m for m in heavy if m in sys.modules) + "\\n")
"""


def test_checking_a_text_report_imports_no_ocr_package() -> None:
    good = next(p for p in example_paths() if p.name == "bureau-2023-tabs.txt")
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE.format(path=str(good))],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    line = next(x for x in proc.stderr.splitlines() if x.startswith("LOADED"))
    assert line.split()[1:] == [], line
    assert '"findings"' in proc.stdout
