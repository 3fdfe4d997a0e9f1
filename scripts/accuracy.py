"""Score xxgk against every truth file of ../shared/corpus (run: make accuracy).

Runs shared/tools/score_truth.py on each corpus folder that has truth files, shows
its per-file lines and the total over all folders, then the generality matrix
(xxgk.variety: seeded random reports × layouts × habits, recall % and wrong numbers;
pdf-office's PDFs made once by LibreOffice into artifacts/variety-office, pdf-chromium's
by Chromium into artifacts/variety-chromium),
then 扫描件: scans of the real reports with a page form scored against their truth files
(xxgk.variety.scan_matrix; made once into artifacts/scans, skipped with the reason
without the ocr extra, the OCR reader or LibreOffice).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VARIETY_REPORTS = 8  # random reports per layout × habit ...
VARIETY_PDF_REPORTS = 4  # ... and per PDF layout × habit (half as many with the habits of
# xxgk.variety.publishing: typesetting costs most); about 60 s CPU in all
VARIETY_OFFICE_REPORTS = 4  # ... and per pdf-office × habit (LibreOffice, ~0.5 s a file once:
# its PDFs are kept in artifacts/variety-office by the DOCX's hash, a second run converts none)
VARIETY_BROWSER_REPORTS = 4  # ... and per pdf-chromium × habit (Chromium, ~0.5 s a page once,
# kept in artifacts/variety-chromium by the HTML's hash)
VARIETY_SEED = 7
SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else (ROOT / ".." / "shared").resolve()


def main() -> int:
    tool = SHARED / "tools" / "score_truth.py"
    corpus = SHARED / "corpus"
    if not tool.exists() or not corpus.is_dir():
        print(f"accuracy: {corpus} or {tool} not found (the shared corpus sits beside the clone)")
        return 2
    xxgk = Path(sys.executable).with_name("xxgk")
    exact = cells = clean = files = 0
    status = 0
    for folder in sorted(p for p in corpus.iterdir() if (p / "truth").is_dir()):
        print(f"== {folder.name}")
        proc = subprocess.run(
            [sys.executable, str(tool), str(folder), "--xxgk", str(xxgk)],
            capture_output=True,
            text=True,
        )
        print(proc.stdout.rstrip())
        status |= proc.returncode
        m = re.search(r"cells (\d+)/(\d+) exact, files (\d+)/(\d+) clean", proc.stdout)
        if m:
            a, b, c, d = (int(x) for x in m.groups())
            exact, cells, clean, files = exact + a, cells + b, clean + c, files + d
    print(f"== total: cells {exact}/{cells} exact, files {clean}/{files} clean")
    from xxgk.variety.matrix import main as variety

    status |= variety(
        VARIETY_REPORTS,
        VARIETY_SEED,
        VARIETY_PDF_REPORTS,
        VARIETY_OFFICE_REPORTS,
        ROOT / "artifacts" / "variety-office",
        VARIETY_BROWSER_REPORTS,
        ROOT / "artifacts" / "variety-chromium",
    )
    from xxgk.variety.scan_matrix import main as scans

    status |= scans([str(corpus / "real"), "--cache", str(ROOT / "artifacts" / "scans")])
    return status


if __name__ == "__main__":
    sys.exit(main())
