"""Time of the HTML and DOCX readers alone, and of parse+check, per file.

Run: .venv/bin/python benchmarks/bench_readers.py [repeat] [files...]

Prints the median and the fastest of ``repeat`` runs (default 30) for reading each file
into a Document and for ``api.check`` on it, with the load average before and after:
on a shared machine the median moves with the load, the fastest run much less.
Without files, reads the HTML and DOCX reports of ../shared/corpus (real, template).
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from xxgk import api
from xxgk.readers.docx import read_docx
from xxgk.readers.html import read_html

ROOT = Path(__file__).resolve().parents[1]
CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()
READERS: dict[str, Callable[[bytes, str], object]] = {".html": read_html, ".docx": read_docx}


def timings(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and fastest run in milliseconds, after one warm-up run."""
    fn()
    gc.collect()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), min(times)


def default_files() -> list[Path]:
    found: list[Path] = []
    for sub in ("real", "template"):
        folder = CORPUS / sub
        if folder.is_dir():
            found += sorted(p for p in folder.iterdir() if p.suffix in READERS)
    return found


def main(argv: list[str]) -> int:
    repeat = int(argv[0]) if argv and argv[0].isdigit() else 30
    files = [Path(a) for a in argv if not a.isdigit()] or default_files()
    if not files:
        print(f"no HTML or DOCX files given and no corpus at {CORPUS}")
        return 1
    print(f"load average {os.getloadavg()[0]:.2f}; {repeat} runs each, milliseconds")
    print(f"{'file':40} {'read med':>9} {'read min':>9} {'check med':>10} {'check min':>10}")
    for path in files:
        reader = READERS[path.suffix.lower()]
        read = timings(partial(reader, path.read_bytes(), str(path)), repeat)
        check = timings(partial(api.check, path), repeat)
        print(f"{path.name:40} {read[0]:9.2f} {read[1]:9.2f} {check[0]:10.2f} {check[1]:10.2f}")
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
