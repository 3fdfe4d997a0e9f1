"""Layouts × habits: how much of each printed report xxgk reads, and whether any number
is wrong.

For every cell of the matrix the same seeded random reports are printed in the layout,
the habit is applied, and the file is read back through :func:`xxgk.readers.read_bytes`
and :func:`xxgk.extract.extract`, exactly as ``xxgk parse`` would.  Two counts:

* **wrong** — a cell read as a number other than the one printed, or read at all when
  the habit blanked it or the truncation cut it: must be 0 everywhere;
* **recall** — the share of *required* cells read exactly: every printed cell, and for
  a truncated file only the cells of rows printed whole before the cut (with at least
  one character after the row's last cell: digits that end the file may be cut).

The PDF layouts take about half a second a report to typeset: they are measured over the
first ``pdf_reports`` reports only (and the habits of :mod:`.publishing` there over half
as many; the printed matrix says how many), and shown as skipped, with the reason, where
no Chinese font is installed.  ``pdf-office`` (the DOCX layout printed to PDF by
LibreOffice, :mod:`.office_pdf`) is measured over the first ``office_reports`` reports
with every habit, its PDFs made in one LibreOffice run and cached by the DOCX's hash;
skipped, with the reason, without LibreOffice.  ``pdf-chromium`` (the HTML layout printed
to PDF by Chromium, :mod:`.chromium_pdf`) likewise over the first ``browser_reports``
reports with every habit of the HTML layout, its PDFs printed by one browser and cached
by the HTML's hash; skipped, with the reason, without Chromium or Playwright.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..extract import extract
from ..model import Number, Report
from ..readers import read_bytes
from .generate import random_report
from .habits import HABITS, Case, applies, apply
from .layouts import (
    BROWSER_LAYOUTS,
    LAYOUTS,
    OFFICE_LAYOUTS,
    PDF_LAYOUTS,
    pdf_skipped,
    printed,
)
from .publishing import PDF_NEW


@dataclass
class Miss:
    """One cell read wrong or not read, with the case it came from."""

    key: str
    expected: Number | None
    got: Number | None
    case: Case


@dataclass
class Score:
    required: int = 0
    read: int = 0
    wrong: int = 0
    reports: int = 0
    misses: list[Miss] = field(default_factory=list)  # the first few
    wrongs: list[Miss] = field(default_factory=list)
    skipped: str = ""  # why this cell could not be measured here

    @property
    def recall(self) -> float:
        return 1.0 if self.required == 0 else self.read / self.required


_KEEP = 5


def _row_of(key: str) -> str:
    t, r, _ = key.split(".")
    return t if t == "t4" else f"{t}.{r}"  # t4 prints its fifteen values as one row


def _same(a: Number | None, b: Number | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) < 1e-9


def score_case(report: Report, case: Case, back: Report, score: Score) -> None:
    """Add one read-back to ``score``."""
    spans = case.printed.spans()
    cut = case.cut
    whole_rows: set[str] | None = None
    if cut is not None:
        # a row is whole when something follows its last cell: "…| 25" at the very end
        # of the file may be the start of 253, and a reader rightly leaves it
        rows: dict[str, int] = {}
        for key, (_, end) in spans.items():
            rows[_row_of(key)] = max(rows.get(_row_of(key), 0), end)
        whole_rows = {r for r, end in rows.items() if end < cut}
    score.reports += 1
    for key in report.version.cell_keys():
        printed_whole = cut is None or spans[key][1] <= cut
        expected = None if key in case.blank or not printed_whole else report.value(key)
        got = back.value(key)
        if got is not None and not _same(got, expected):
            score.wrong += 1
            if len(score.wrongs) < _KEEP:
                score.wrongs.append(Miss(key, expected, got, case))
        required = (
            expected is not None
            and (cut is None or spans[key][1] < cut)
            and (whole_rows is None or _row_of(key) in whole_rows)
        )
        if required:
            score.required += 1
            if _same(got, expected):
                score.read += 1
            elif len(score.misses) < _KEEP:
                score.misses.append(Miss(key, expected, got, case))


def read_case(case: Case) -> Report:
    doc = read_bytes(case.data(), case.printed.source())
    return extract(doc)


Matrix = dict[tuple[str, str], Score | None]
PDF_REPORTS = 3  # reports per PDF layout × habit by default (typesetting is slow)
OFFICE_REPORTS = 2  # reports per pdf-office × habit by default (LibreOffice: 0.5 s a file)
BROWSER_REPORTS = 2  # reports per pdf-chromium × habit by default (Chromium: ~0.5 s a file)


def reports_for(
    layout: str,
    n: int,
    pdf_reports: int = PDF_REPORTS,
    habit: str = "",
    office_reports: int = OFFICE_REPORTS,
    browser_reports: int = BROWSER_REPORTS,
) -> int:
    """How many of the ``n`` reports a layout (with a habit) is measured over: the PDF
    layouts over ``pdf_reports``, and the habits of :mod:`.publishing` in them over half
    as many (they cost a typesetting each, like the others); ``pdf-office`` over
    ``office_reports`` with every habit, ``pdf-chromium`` over ``browser_reports``."""
    if layout in OFFICE_LAYOUTS:
        return min(n, office_reports)
    if layout in BROWSER_LAYOUTS:
        return min(n, browser_reports)
    if layout not in PDF_LAYOUTS:
        return n
    k = min(n, pdf_reports)
    return max(1, k // 2) if habit in PDF_NEW else k


def run(
    n: int,
    seed: int = 7,
    layouts: Iterable[str] = LAYOUTS,
    habits: Iterable[str] = HABITS,
    pdf_reports: int = PDF_REPORTS,
    office_reports: int = OFFICE_REPORTS,
    office_cache: Path | None = None,
    browser_reports: int = BROWSER_REPORTS,
    browser_cache: Path | None = None,
) -> Matrix:
    """Score every layout × habit over ``n`` seeded random reports (None: not applicable;
    the PDF layouts over the first ``pdf_reports``, or skipped without a Chinese font;
    ``pdf-office`` over the first ``office_reports``, its PDFs cached in ``office_cache``
    (:func:`.office_pdf.default_cache` when None), or skipped without LibreOffice;
    ``pdf-chromium`` over the first ``browser_reports``, its PDFs cached in
    ``browser_cache`` (:func:`.chromium_pdf.default_cache` when None), or skipped without
    Chromium)."""
    layouts = tuple(layouts)
    habits = tuple(habits)
    reports = [random_report(random.Random(f"{seed}:{i}")) for i in range(n)]
    out: Matrix = {}
    no_pdf = pdf_skipped() if any(lay in PDF_LAYOUTS for lay in layouts) else None
    for layout in layouts:
        for habit in habits:
            out[(layout, habit)] = Score() if applies(layout, habit) else None
        if layout in PDF_LAYOUTS and no_pdf:
            for habit in habits:
                score = out[(layout, habit)]
                if score is not None:
                    score.skipped = no_pdf
            continue
        if layout in OFFICE_LAYOUTS:
            k = reports_for(layout, n, office_reports=office_reports)
            _office(reports[:k], layout, habits, seed, out, office_cache)
            continue
        if layout in BROWSER_LAYOUTS:
            k = reports_for(layout, n, browser_reports=browser_reports)
            _browser(reports[:k], layout, habits, seed, out, browser_cache)
            continue
        for i, report in enumerate(reports[: reports_for(layout, n, pdf_reports)]):
            base = printed(report, layout, random.Random(f"{seed}:{i}:{layout}"))
            for habit in habits:
                score = out[(layout, habit)]
                if score is None or i >= reports_for(layout, n, pdf_reports, habit):
                    continue
                case = apply(base, habit, random.Random(f"{seed}:{i}:{layout}:{habit}"))
                score_case(report, case, read_case(case), score)
    return out


def _office(
    reports: list[Report],
    layout: str,
    habits: tuple[str, ...],
    seed: int,
    out: Matrix,
    cache: Path | None,
) -> None:
    """Score ``pdf-office``: every case's DOCX printed to PDF in one LibreOffice run."""
    from ..office import OfficeError
    from .office_pdf import office_skipped, pdfs

    def make(cases: list[Case]) -> list[bytes]:
        return pdfs([case.printed.docx(case.cut) for case in cases], cache)

    why = office_skipped()
    failed = "LibreOffice 未能把 DOCX 转成 PDF（{}），pdf-office 版式未测"
    _batched(reports, layout, habits, seed, out, why, make, OfficeError, failed)


def _browser(
    reports: list[Report],
    layout: str,
    habits: tuple[str, ...],
    seed: int,
    out: Matrix,
    cache: Path | None,
) -> None:
    """Score ``pdf-chromium``: every case's HTML printed to PDF by one browser."""
    from .chromium_pdf import ChromiumError, chromium_skipped, pdfs

    def make(cases: list[Case]) -> list[bytes]:
        return pdfs([case.printed.html(case.cut) for case in cases], cache)

    why = chromium_skipped()
    failed = "Chromium 未能把网页打印成 PDF（{}），pdf-chromium 版式未测"
    _batched(reports, layout, habits, seed, out, why, make, ChromiumError, failed)


def _batched(
    reports: list[Report],
    layout: str,
    habits: tuple[str, ...],
    seed: int,
    out: Matrix,
    why: str | None,
    make: Callable[[list[Case]], list[bytes]],
    error: type[Exception],
    failed: str,
) -> None:
    """Score a layout whose files are printed in one batch by another program: every
    case made first, ``make`` prints them all, each PDF read back; without the program
    (``why``), or when the batch raises ``error`` (``failed`` with its reason), every
    cell of the layout is skipped with the reason."""
    scores = [(h, s) for h in habits if (s := out[(layout, h)]) is not None]
    cases: list[tuple[Report, Case, Score]] = []
    files: list[bytes] = []
    if why is None:
        for i, report in enumerate(reports):
            base = printed(report, layout, random.Random(f"{seed}:{i}:{layout}"))
            for habit, score in scores:
                case = apply(base, habit, random.Random(f"{seed}:{i}:{layout}:{habit}"))
                cases.append((report, case, score))
        try:
            files = make([case for _, case, _ in cases])
        except error as exc:
            why = failed.format(getattr(exc, "reason", exc))
    if why is not None:
        for _, score in scores:
            score.skipped = why
        return
    for (report, case, score), pdf in zip(cases, files, strict=True):
        back = extract(read_bytes(pdf, case.printed.source()))
        score_case(report, case, back, score)


def table(matrix: Matrix) -> str:
    """The matrix as text: a row per layout, a column per habit, ``recall%/wrong``."""
    layouts = list(dict.fromkeys(k[0] for k in matrix))
    habits = list(dict.fromkeys(k[1] for k in matrix))
    width = max(len(h) for h in habits)
    head = ["layout".ljust(14), *(h.rjust(max(width, 11)) for h in habits)]
    lines = [" ".join(head)]
    for layout in layouts:
        cells = [layout.ljust(14)]
        for habit in habits:
            s = matrix[(layout, habit)]
            if s is None:
                text = "n/a"
            elif s.skipped:
                text = "skipped"
            else:
                text = f"{100 * s.recall:.1f}/{s.wrong}"
            cells.append(text.rjust(max(width, 11)))
        lines.append(" ".join(cells))
    return "\n".join(lines)


def main(
    n: int = 12,
    seed: int = 7,
    pdf_reports: int = PDF_REPORTS,
    office_reports: int = OFFICE_REPORTS,
    office_cache: Path | None = None,
    browser_reports: int = BROWSER_REPORTS,
    browser_cache: Path | None = None,
) -> int:
    t0 = time.time()
    matrix = run(
        n,
        seed,
        pdf_reports=pdf_reports,
        office_reports=office_reports,
        office_cache=office_cache,
        browser_reports=browser_reports,
        browser_cache=browser_cache,
    )
    print(
        f"== variety: {n} random reports per cell ({reports_for('pdf', n, pdf_reports)} for "
        f"{'/'.join(PDF_LAYOUTS)}, {reports_for('pdf', n, pdf_reports, PDF_NEW[0])} with "
        f"{'/'.join(PDF_NEW)}; {min(n, office_reports)} for {'/'.join(OFFICE_LAYOUTS)}; "
        f"{min(n, browser_reports)} for {'/'.join(BROWSER_LAYOUTS)}), "
        f"seed {seed} (recall %/wrong numbers)"
    )
    print(table(matrix))
    skipped = sorted({s.skipped for s in matrix.values() if s is not None and s.skipped})
    for why in skipped:
        print(f"== skipped: {why}")
    measured = {k: s for k, s in matrix.items() if s is not None and not s.skipped}
    wrong = sum(s.wrong for s in measured.values())
    below = [k for k, s in measured.items() if s.recall < 0.999]
    print(
        f"== variety total: {wrong} wrong numbers, {len(below)} of "
        f"{len(measured)} cells below 99.9 % "
        f"({time.time() - t0:.0f} s)"
    )
    return 1 if wrong else 0
