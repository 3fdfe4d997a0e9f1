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


_PDF_PROBE = """
import sys
from xxgk.readers.pdf import read_pdf
doc = read_pdf(open({path!r}, "rb").read(), "x.pdf")
assert doc.tables()
heavy = ("numpy", "cv2", "onnxruntime", "xxgk.ocr.engine", "xxgk.ocr.page")
sys.stderr.write("LOADED " + " ".join(m for m in heavy if m in sys.modules) + "\\n")
"""


def test_reading_a_pdf_with_a_good_text_layer_loads_no_ocr_package() -> None:
    from ..conftest import corpus_path

    pdf = corpus_path("real", "hzq-2023.pdf")  # a real report, every page with text
    proc = subprocess.run(
        [sys.executable, "-c", _PDF_PROBE.format(path=str(pdf))],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    line = next(x for x in proc.stderr.splitlines() if x.startswith("LOADED"))
    assert line.split()[1:] == [], line
