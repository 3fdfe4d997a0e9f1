"""Year over year for one agency: the three tables side by side with what changed, and
the narrative compared section by section with a Chinese-aware diff (sentences cut at
。；！？, then characters inside a changed sentence).  Also a section against peer
agencies' sections (the copied-text measure of TXT-004, for the web app).

A report is a ``Report`` or the stored JSON (``CheckResult.contract_dict()`` or a parse
object): both give ``tables`` and ``sections``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..checks.copied import (
    THRESHOLD,
    flat,
    judged_text,
    matcher,
    repeated,
    sentence_matcher,
    sentences,
)
from ..format import SECTIONS, VERSIONS, display
from ..model import Number, Report

Tables = Mapping[str, Mapping[str, Mapping[str, Number | None]]]
AnyReport = Report | Mapping[str, Any]


def _tables(r: AnyReport) -> Tables:
    if isinstance(r, Report):
        return r.tables
    inner = r.get("report", r)
    tables: Tables = inner.get("tables") or {}
    return tables


def _sections(r: AnyReport) -> dict[int, str]:
    if isinstance(r, Report):
        return dict(r.sections)
    inner = r.get("report", r)
    return {int(k): str(v or "") for k, v in (inner.get("sections") or {}).items()}


def _format(r: AnyReport) -> str:
    if isinstance(r, Report):
        return r.format or "2021"
    inner = r.get("report", r)
    return str(inner.get("format") or "2021")


# ---------------------------------------------------------------- tables


@dataclass
class CellChange:
    """One cell this year and last: ``delta`` is after − before (None when either is
    blank)."""

    cell: str
    label: str
    before: Number | None
    after: Number | None

    @property
    def delta(self) -> Number | None:
        if self.before is None or self.after is None:
            return None
        d = self.after - self.before
        return round(d, 6) if isinstance(d, float) else d

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def as_dict(self) -> dict[str, Any]:
        return {
            "cell": self.cell,
            "label": self.label,
            "before": self.before,
            "after": self.after,
            "delta": self.delta,
            "changed": self.changed,
        }


def _value(tables: Tables, key: str) -> Number | None:
    t, r, c = key.split(".")
    return tables.get(t, {}).get(r, {}).get(c)


def compare_tables(
    current: AnyReport, previous: AnyReport, changed_only: bool = False
) -> dict[str, list[CellChange]]:
    """t2, t3 and t4 cell by cell in this year's format (cells only last year's format
    has follow, their ``after`` None), by table."""
    fmt = _format(current)
    keys = list(VERSIONS[fmt].cell_keys())
    keys += [k for k in VERSIONS[_format(previous)].cell_keys() if k not in set(keys)]
    now, then = _tables(current), _tables(previous)
    out: dict[str, list[CellChange]] = {}
    for key in keys:
        change = CellChange(key, display(key, fmt), _value(then, key), _value(now, key))
        if changed_only and not change.changed:
            continue
        out.setdefault(key.split(".")[0], []).append(change)
    return out


# ---------------------------------------------------------------- narrative


@dataclass
class Op:
    """One step of the sentence diff: ``equal``, ``replace``, ``delete`` (only last
    year) or ``insert`` (only this year); a ``replace`` also carries the character
    diff of its text as (tag, before, after) pieces."""

    tag: str
    before: list[str]
    after: list[str]
    chars: list[tuple[str, str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "tag": self.tag,
            "before": list(self.before),
            "after": list(self.after),
            "chars": [list(c) for c in self.chars],
        }


@dataclass
class SectionDiff:
    """One section this year against last year: ``ratio`` is difflib's similarity of
    the two texts (2·M/T on characters, white space left out), ``repeated`` the share of
    this year's text found in last year's (what TXT-004 measures), ``copied`` whether it
    reaches the threshold (a section TXT-004 does not judge never does: shorter than its
    MIN_CHARS, or one of the tables' sections)."""

    number: int
    heading: str
    ratio: float
    repeated: float
    copied: bool
    ops: list[Op]

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "heading": self.heading,
            "ratio": self.ratio,
            "repeated": self.repeated,
            "copied": self.copied,
            "ops": [o.as_dict() for o in self.ops],
        }


def diff_text(current: str, previous: str) -> list[Op]:
    """The sentence diff of two texts (last year's → this year's), with a character
    diff inside each replaced stretch."""
    a, b = sentences(previous), sentences(current)
    ops = []
    for tag, i1, i2, j1, j2 in sentence_matcher(a, b).get_opcodes():
        op = Op(tag, a[i1:i2], b[j1:j2])
        if tag == "replace":
            x, y = "".join(op.before), "".join(op.after)
            op.chars = [(t, x[p:q], y[r:s]) for t, p, q, r, s in matcher(x, y).get_opcodes()]
        ops.append(op)
    return ops


def ratio(a: str, b: str) -> float:
    x, y = flat(a), flat(b)
    if not x and not y:
        return 1.0
    return matcher(x, y).ratio()


def _heading(number: int) -> str:
    return SECTIONS[number - 1].heading if 1 <= number <= len(SECTIONS) else f"第{number}部分"


def compare_sections(
    current: AnyReport, previous: AnyReport, threshold: float = THRESHOLD
) -> list[SectionDiff]:
    """Each section either year has, in order."""
    now, then = _sections(current), _sections(previous)
    out = []
    for n in sorted(set(now) | set(then)):
        a, b = now.get(n, ""), then.get(n, "")
        share = repeated(a, b)
        judged = judged_text(n, a)  # as TXT-004: a short section, or a table's, is not judged
        out.append(SectionDiff(n, _heading(n), ratio(a, b), share,
                               judged and share >= threshold, diff_text(a, b)))  # fmt: skip
    return out


@dataclass
class Comparison:
    tables: dict[str, list[CellChange]]
    sections: list[SectionDiff]

    def as_dict(self) -> dict[str, Any]:
        return {
            "tables": {t: [c.as_dict() for c in cs] for t, cs in self.tables.items()},
            "sections": [s.as_dict() for s in self.sections],
        }


def year_over_year(current: AnyReport, previous: AnyReport) -> Comparison:
    """The tables and the narrative of two reports of one agency side by side."""
    return Comparison(compare_tables(current, previous), compare_sections(current, previous))


# ---------------------------------------------------------------- peers


@dataclass
class PeerMatch:
    peer: str
    ratio: float
    repeated: float
    copied: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "peer": self.peer,
            "ratio": self.ratio,
            "repeated": self.repeated,
            "copied": self.copied,
        }


def compare_peers(
    text: str, peers: Mapping[str, str] | Iterable[tuple[str, str]], threshold: float = THRESHOLD
) -> list[PeerMatch]:
    """A section's text against other agencies' texts of the same section (name → text),
    most repeated first; ``copied`` where the share reaches the threshold."""
    items = peers.items() if isinstance(peers, Mapping) else peers
    out = []
    for name, other in items:
        share = repeated(text, other)
        out.append(PeerMatch(name, ratio(text, other), share, share >= threshold))
    out.sort(key=lambda m: (-m.repeated, m.peer))
    return out


def peer_sections(
    report: AnyReport, peers: Mapping[str, AnyReport], number: int, threshold: float = THRESHOLD
) -> list[PeerMatch]:
    """Section ``number`` of ``report`` against the same section of each peer report."""
    text = _sections(report).get(number, "")
    return compare_peers(
        text, {name: _sections(p).get(number, "") for name, p in peers.items()}, threshold
    )
