"""CPU time of the PDF reader per page on a mixed corpus, beside pdfplumber's, and the
4 ms/page target.

PYTHONPATH=src .venv/bin/python benchmarks/bench_pdf.py [--rounds N] [--profile]
PYTHONPATH=src .venv/bin/pytest benchmarks/bench_pdf.py --benchmark-enable -p no:cacheprovider

The corpus: hzq-2023.pdf (../shared/corpus/real, a WPS export: narrative pages and
ruled tables), and typeset variety reports (xxgk.variety, WeasyPrint; skipped without a
Chinese font) in the two PDF layouts: ruled tables ("pdf") and tables without borders
("pdf-unruled").  Each figure is process CPU time (a busy second core does not count),
the lowest of several rounds that take the inputs in turn; ms/page of a group is its
files' summed time over their summed pages, and the mixed figure that of every file.
pdfplumber's figure is its plain ``extract_text`` of every page (no tables), measured
the same way.

The target is hzq-2023's: the published report issue 10 measured the reader on (7.7 ms
a page then, to come down to 4).  A host's speed varies (this one runs at times 1.6x
slower than on the day of those figures), so the target is a ratio to a floor measured
in the same run: PDFium's own loading of the same pages, which any reader built on it
pays.  The 7.7 ms reader (commit 3986b42), run beside that floor on one host, took 5.2x
it (12.16 against 2.33 ms and 12.79 against 2.46 ms a page, lowest of 27 reads; by
instructions under callgrind 548 M against 99 M a read, 5.5x); 4/7.7 of 5.2x is 2.7x,
the target.  The ms figure is printed beside it against the 4 ms, as information on
this host.  The typeset reports are printed beside hzq-2023 for what they tell of other
layouts, with no verdict of their own: PDFium alone spends 2.5-3.2 ms a page on them
(their embedded CID fonts have no glyph-box cache above code 255), so their figure is
mostly PDFium's; xxgk's own work on them is the "above" column.  Exits 1 when hzq-2023
is over the target ratio.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from xxgk.readers.pdf import read_pdf

HZQ = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "real" / "hzq-2023.pdf"
TARGET_MS = 4.0  # CPU per page on hzq-2023, on the host that measured 7.7 (information)
OLD_RATIO = 5.2  # the 7.7 ms reader over PDFium's floor on hzq-2023, on one host
TARGET_RATIO = round(TARGET_MS / 7.7 * OLD_RATIO, 2)  # 2.7: the reader over the floor
TARGET_GROUP = "hzq-2023.pdf"
VARIETY_REPORTS = 3  # typeset reports per PDF layout
GROUPS = {
    "hzq-2023.pdf": "hzq-2023.pdf",
    "pdf": "generated ruled",
    "pdf-unruled": "generated unruled",
}


def test_read_hzq(benchmark: Any) -> None:
    import pytest

    if not HZQ.exists():
        pytest.skip(f"corpus not available: {HZQ}")
    data = HZQ.read_bytes()
    doc = benchmark(read_pdf, data, HZQ.name)
    assert doc.pages == 5


def corpus() -> tuple[dict[str, list[tuple[str, bytes]]], list[str]]:
    """The inputs by group, and why a group is missing."""
    groups: dict[str, list[tuple[str, bytes]]] = {}
    missing: list[str] = []
    if HZQ.exists():
        groups["hzq-2023.pdf"] = [(HZQ.name, HZQ.read_bytes())]
    else:
        missing.append(f"hzq-2023.pdf: corpus not available ({HZQ})")
    try:
        import random

        from xxgk.variety.generate import random_report
        from xxgk.variety.layouts import PDF_LAYOUTS, pdf_skipped, printed
    except ImportError as exc:  # the variety harness needs the test extras
        missing.append(f"generated PDFs: {exc}")
        return groups, missing
    why = pdf_skipped()
    if why is not None:
        missing.append(f"generated PDFs: {why}")
        return groups, missing
    for layout in PDF_LAYOUTS:
        made = []
        for i in range(VARIETY_REPORTS):
            report = random_report(random.Random(f"bench:{i}"))
            made.append((f"{layout}-{i}", printed(report, layout, random.Random(i)).data()))
        groups[layout] = made
    return groups, missing


def pages_of(data: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


def lowest_cpu_ms(
    jobs: dict[str, Callable[[], object]], rounds: int, repeat: int
) -> dict[str, float]:
    """Per job, the lowest CPU ms of one call: ``rounds`` rounds that run each job
    ``repeat`` times in turn (after one call each to warm up)."""
    for job in jobs.values():
        job()
    best = dict.fromkeys(jobs, float("inf"))
    for _ in range(rounds):
        for name, job in jobs.items():
            for _ in range(repeat):
                t0 = time.process_time()
                job()
                best[name] = min(best[name], (time.process_time() - t0) * 1000)
    return best


def pdfium_floor(data: bytes) -> None:
    """What PDFium itself does for a read: open the document, load each page and its
    text page (content, fonts, glyph boxes), close them; no call per character."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        for i in range(len(doc)):
            page = doc[i]
            page.get_textpage().close()
            page.close()
    finally:
        doc.close()


def plumber_text(data: bytes) -> None:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--no-pdfplumber", action="store_true", help="skip pdfplumber")
    parser.add_argument("--profile", action="store_true", help="cProfile of the reader")
    args = parser.parse_args(argv)

    groups, missing = corpus()
    files = [(group, name, data) for group, made in groups.items() for name, data in made]
    if not files:
        print("no input:", "; ".join(missing))
        return 1
    pages = {name: pages_of(data) for _, name, data in files}
    ours = lowest_cpu_ms(
        {name: partial(read_pdf, data, name) for _, name, data in files},
        args.rounds,
        repeat=5,
    )
    floor = lowest_cpu_ms(
        {name: partial(pdfium_floor, data) for _, name, data in files}, args.rounds, repeat=5
    )
    theirs: dict[str, float] = {}
    if not args.no_pdfplumber:
        theirs = lowest_cpu_ms(
            {name: partial(plumber_text, data) for _, name, data in files},
            max(args.rounds // 2, 2),
            repeat=1,
        )

    def per_page(times: dict[str, float], names: list[str]) -> float:
        return sum(times[n] for n in names) / sum(pages[n] for n in names)

    print(
        f"PDF reader, CPU ms per page (lowest of {args.rounds} rounds), target "
        f"{TARGET_RATIO:g}x PDFium's floor on {TARGET_GROUP} ({TARGET_MS:g} ms on the host "
        "that measured 7.7)"
    )
    print(
        f"{'input':20} {'files':>5} {'pages':>5} {'xxgk':>7} {'pdfium':>7} {'above':>6} "
        f"{'xfloor':>6} {'pdfplumber':>11} {'':>7}  verdict"
    )
    ok = TARGET_GROUP in groups
    rows = [(g, [n for gg, n, _ in files if gg == g]) for g in groups]
    rows.append(("mixed", [n for _, n, _ in files]))
    for group, names in rows:
        label = GROUPS.get(group, "mixed (all above)")
        mine = per_page(ours, names)
        base = per_page(floor, names)
        good = mine / base <= TARGET_RATIO
        if group == TARGET_GROUP:
            ok &= good
            verdict = f"{'ok' if good else 'SLOWER'} (<= {TARGET_RATIO:g}x the floor)"
        else:
            verdict = "info"
        other = f"{per_page(theirs, names):11.2f}" if theirs else f"{'-':>11}"
        ratio = f"{per_page(theirs, names) / mine:6.1f}x" if theirs else f"{'':7}"
        print(
            f"{label:20} {len(names):5d} {sum(pages[n] for n in names):5d} {mine:7.2f} "
            f"{base:7.2f} {mine - base:6.2f} {mine / base:5.2f}x "
            f"{other} {ratio}  {verdict}"
        )
    print(
        "pdfium: PDFium's own loading of each page and text page (the floor of any reader "
        "built on it); above: xxgk's work beyond it; xfloor: xxgk over the floor"
    )
    for why in missing:
        print("skipped:", why)
    print(
        f"target {TARGET_RATIO:g}x PDFium's floor on {TARGET_GROUP}: {'met' if ok else 'NOT met'}"
    )

    if args.profile:
        profile = cProfile.Profile()
        for _, name, data in files:
            profile.runcall(read_pdf, data, name)
        pstats.Stats(profile).sort_stats("tottime").print_stats(20)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
