"""Parse+check speed per input type (run: make bench).

Prints, per input type, the median time to parse and check one report (and one PDF
page), the target, and for PDFs the ratio to pdfplumber's plain text extraction of the
same file.  Reads ../shared/corpus when present, else the example reports.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from xxgk import api
from xxgk.examples import example_paths
from xxgk.readers import detect

ROOT = Path(__file__).resolve().parents[1]
CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()
TARGET_MS = {"txt": 5.0, "md": 5.0, "html": 5.0, "docx": 20.0, "pdf": 40.0}  # pdf: per page
REPEAT = 15


def files() -> list[Path]:
    found: list[Path] = []
    if CORPUS.is_dir():
        for sub in ("seeds", "real", "template"):
            found += sorted(p for p in (CORPUS / sub).glob("*") if p.is_file())
    return found or example_paths()


def median_ms(fn: object, repeat: int = REPEAT) -> float:
    assert callable(fn)
    fn()  # warm up (imports, caches)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> int:
    by_kind: dict[str, list[tuple[str, float, int]]] = defaultdict(list)
    plumber: list[float] = []
    for path in files():
        kind = detect(path.read_bytes()[:65536], path.name)
        if kind not in TARGET_MS:
            continue
        ms = median_ms(lambda p=path: api.check(p))
        pages = 1
        if kind == "pdf":
            import pdfplumber

            with pdfplumber.open(path) as pdf:
                pages = len(pdf.pages)

            def raw(p: Path = path) -> None:
                with pdfplumber.open(p) as pdf:
                    for page in pdf.pages:
                        page.extract_text()

            plumber.append(ms / median_ms(raw, 5))
        by_kind[kind].append((path.name, ms, pages))
    print(f"{'type':6} {'files':>5} {'median ms/report':>17} {'ms/page':>8} {'target':>8}  verdict")
    ok = True
    for kind, rows in sorted(by_kind.items()):
        per_report = statistics.median(r[1] for r in rows)
        per_page = statistics.median(r[1] / r[2] for r in rows)
        measured = per_page if kind == "pdf" else per_report
        good = measured <= TARGET_MS[kind]
        ok &= good
        unit = "/page" if kind == "pdf" else "/report"
        print(
            f"{kind:6} {len(rows):5d} {per_report:17.2f} {per_page:8.2f} "
            f"{TARGET_MS[kind]:6.0f}ms{unit:8} {'ok' if good else 'SLOWER'}"
        )
    if plumber:
        print(
            f"pdf: xxgk parse+check / pdfplumber extract_text = {statistics.median(plumber):.2f}x"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
