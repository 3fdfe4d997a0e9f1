"""Reports of one agency for consecutive years, paired for the cross-year rules (XYR-*).

Pairing needs only a small index per report (agency key, year, input order), never
the reports themselves: :class:`YearIndex` is what the engine keeps while the stream
runs; :func:`pair_years` is the same rule over Reports in memory.
"""

from __future__ import annotations

import sys
import unicodedata
from dataclasses import dataclass, field

from ..model import Report


def agency_key(name: str | None) -> str | None:
    """An agency name compared across years: width, spaces and brackets ignored."""
    if not name:
        return None
    text = unicodedata.normalize("NFKC", name)
    return "".join(ch for ch in text if not ch.isspace() and ch not in "()（）") or None


def year_key(report: Report) -> tuple[str, int] | None:
    """What pairing knows of a report: its agency key and year (None without either)."""
    key = agency_key(report.agency)
    if key is None or report.year is None:
        return None
    return key, report.year


def same_agency(a: Report, b: Report) -> bool | None:
    """True/False, or None when either report does not say."""
    ka, kb = agency_key(a.agency), agency_key(b.agency)
    if ka is None or kb is None:
        return None
    return ka == kb


def previous_mismatch(report: Report, previous: Report) -> str | None:
    """Why ``previous`` is not last year's report of the same agency (None if it is,
    or if the reports do not say)."""
    bits = []
    if same_agency(report, previous) is False:
        bits.append(f"机关是“{previous.agency}”，不是“{report.agency}”")
    if report.year is not None and previous.year is not None and previous.year != report.year - 1:
        bits.append(f"年度是{previous.year}年，不是{report.year - 1}年")
    if not bits:
        return None
    return f"--previous 给出的报告 {previous.source} " + "，".join(bits) + "，未作跨年核对（XYR-*）"


def pair_years(reports: list[Report]) -> dict[int, int]:
    """For each report, the index of the same agency's report of the year before."""
    by: dict[tuple[str, int], int] = {}
    for i, r in enumerate(reports):
        key = agency_key(r.agency)
        if key is not None and r.year is not None:
            by.setdefault((key, r.year), i)
    pairs: dict[int, int] = {}
    for i, r in enumerate(reports):
        key = agency_key(r.agency)
        if key is None or r.year is None:
            continue
        j = by.get((key, r.year - 1))
        if j is not None and j != i:
            pairs[i] = j
    return pairs


@dataclass
class YearIndex:
    """Agency key and year of every report seen, by input order: a few dozen bytes per
    report (agency keys are interned, so a thousand reports of one agency share one)."""

    first: dict[tuple[str, int], int] = field(default_factory=dict)  # lowest order
    seen: list[tuple[int, str, int]] = field(default_factory=list)  # (order, key, year)
    excluded: set[int] = field(default_factory=set)  # compared with --previous already

    def add(
        self, order: int, report: Report | tuple[str, int] | None, with_previous: bool = False
    ) -> None:
        """A report seen, or its ``year_key`` (None or a report without agency or year:
        nothing to pair)."""
        found = year_key(report) if isinstance(report, Report) else report
        if found is None:
            return
        key, year = sys.intern(found[0]), found[1]
        at = self.first.get((key, year))
        if at is None or order < at:
            self.first[(key, year)] = order
        self.seen.append((order, key, year))
        if with_previous:
            self.excluded.add(order)

    def pairs(self) -> list[tuple[int, int]]:
        """(order of a report, order of its agency's report of the year before), sorted
        by agency and year so that one agency's years sit side by side; the same pairs
        as :func:`pair_years` over the reports in input order."""
        found = []
        for order, key, year in self.seen:
            if order in self.excluded:
                continue
            prev = self.first.get((key, year - 1))
            if prev is not None and prev != order:
                found.append((key, year, order, prev))
        found.sort()
        return [(order, prev) for _, _, order, prev in found]


def chunks(pairs: list[tuple[int, int]], size: int = 8) -> list[list[tuple[int, int]]]:
    """Pairs in groups of at most ``size``, one agency's consecutive years together, so
    that a worker reads each report of a group once (2021 is 2022's previous and
    2021's own report)."""
    return [pairs[i : i + size] for i in range(0, len(pairs), size)]
