"""Time the PDF reader on hzq-2023.pdf (5 pages).

PYTHONPATH=src .venv/bin/python benchmarks/bench_pdf.py [--profile]
PYTHONPATH=src .venv/bin/pytest benchmarks/bench_pdf.py --benchmark-enable -p no:cacheprovider
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import time
from pathlib import Path
from typing import Any

from xxgk.readers.pdf import read_pdf

HZQ = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "real" / "hzq-2023.pdf"


def test_read_hzq(benchmark: Any) -> None:
    import pytest

    if not HZQ.exists():
        pytest.skip(f"corpus not available: {HZQ}")
    data = HZQ.read_bytes()
    doc = benchmark(read_pdf, data, HZQ.name)
    assert doc.pages == 5


def main() -> None:
    data = HZQ.read_bytes()
    doc = read_pdf(data, HZQ.name)  # warm up (imports, PDFium init)
    times = []
    for _ in range(30):
        start = time.perf_counter()
        read_pdf(data, HZQ.name)
        times.append(time.perf_counter() - start)
    times.sort()
    median = times[len(times) // 2]
    pages = doc.pages or 1
    print(
        f"{HZQ.name}: {pages} pages, median {median * 1000:.1f} ms "
        f"({median * 1000 / pages:.1f} ms/page), best {times[0] * 1000:.1f} ms"
    )
    if "--profile" in sys.argv:
        profile = cProfile.Profile()
        profile.runcall(read_pdf, data, HZQ.name)
        pstats.Stats(profile).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
