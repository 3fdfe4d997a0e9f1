"""Peers for TXT-004 among the files of one batch: the reports of other agencies of
the same year whose section repeats a report's text (内容雷同 between agencies).

A first-phase worker sends each report's section sketches back with its Outcome
(``Outcome.sketches``: ``checks.copied.sketches``, a few hundred bytes, the same on
every machine).  The engine matches them as they come in a ``checks.copied.PeerIndex``
— each pair estimated once, when the later report arrives, never all pairs — and
keeps for each report its CANDIDATES most similar peers, and the judged sections'
text (compressed: about 1.5 KB a report; from the Outcome's report, or from its
JSON line when the workers send no objects).  When the first phase is over, each
report's candidates are compared exactly (``checks.copied.copied_share``: the rule's
own measure), so that only a report whose section does repeat a peer's is checked
again; ``jobs`` merges those checks with the cross-year pairs.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..checks.copied import PEERS_CHECKED, PeerIndex, copied_share, judged_text, most_similar

if TYPE_CHECKING:
    from .outcome import Outcome

CANDIDATES = 8  # the most similar peers of a report (by the sketches) compared exactly
Job = tuple[int, int | None, tuple[int, ...]]  # (order, last year's order or None, peers)
_SECTIONS = '"sections": '


def _sections(o: Outcome) -> dict[int, str]:
    """The judged sections of an Outcome's report: from the report, or from its JSON
    line (``Outcome.slim``)."""
    if o.report is not None:
        found: Mapping[Any, Any] = o.report.sections
    else:
        line = o.json_line() if o.error is None else ""
        at = line.find(_SECTIONS)
        if at < 0:
            return {}
        try:
            found, _ = json.JSONDecoder().raw_decode(line, at + len(_SECTIONS))
        except ValueError:
            return {}
    out = {}
    for k, v in found.items():
        n = int(k) if isinstance(k, int | str) and str(k).isdigit() else 0
        if isinstance(v, str) and judged_text(n, v):
            out[n] = v
    return out


class PeerPairs:
    """The reports seen so far (their sketches and judged sections) and, for each, its
    most similar peers."""

    def __init__(self) -> None:
        self.index = PeerIndex()
        self.near: dict[int, dict[int, float]] = {}
        self.texts: dict[int, bytes] = {}

    def add(self, o: Outcome, key: tuple[str, int] | None) -> None:
        """A first-phase Outcome and its ``year_key`` (agency key, year)."""
        sketched = o.sketches
        if key is None or not sketched:
            return
        sections = _sections(o)
        if not sections:
            return
        agency, year = key
        mine, theirs = self.index.match(agency, year, sketched)
        for other, share in mine.items():
            self._offer(o.order, other, share)
        for other, share in theirs.items():
            self._offer(other, o.order, share)
        self.index.add(o.order, agency, year, sketched)
        self.texts[o.order] = zlib.compress(json.dumps(sections, ensure_ascii=False).encode())

    def _offer(self, order: int, peer: int, share: float) -> None:
        near = self.near.setdefault(order, {})
        near[peer] = max(share, near.get(peer, 0.0))
        if len(near) > CANDIDATES:
            kept = set(most_similar(near, CANDIDATES))
            for k in [k for k in near if k not in kept]:
                del near[k]

    def _text(self, order: int) -> dict[str, str]:
        data = self.texts.get(order)
        if data is None:
            return {}
        found: dict[str, str] = json.loads(zlib.decompress(data))
        return found

    def of(self, order: int) -> tuple[int, ...]:
        """The peers whose same section ``order``'s report repeats (the rule's measure),
        most repeated first, at most PEERS_CHECKED."""
        near = self.near.get(order)
        if not near:
            return ()
        mine = self._text(order)
        best: dict[int, float] = {}
        for peer in most_similar(near, CANDIDATES):
            theirs = self._text(peer)
            shares = [copied_share(t, theirs[n]) for n, t in mine.items() if n in theirs]
            found = [s for s in shares if s is not None]
            if found:
                best[peer] = max(found)
        return tuple(most_similar(best, PEERS_CHECKED))

    def jobs(
        self, pairs: Iterable[tuple[int, int]], with_previous: Mapping[int, int] | None = None
    ) -> list[Job]:
        """The second phase's checks: each cross-year pair (in its order) with the
        report's peers, then each other report that repeats a peer (by input order) —
        with its ``--previous`` when the first phase compared it with one
        (``with_previous``: order → the order of that file)."""
        out: list[Job] = []
        seen: set[int] = set()
        for order, prev in pairs:
            out.append((order, prev, self.of(order)))
            seen.add(order)
        for order in sorted(self.near):
            if order in seen:
                continue
            peers = self.of(order)
            if peers:
                out.append((order, (with_previous or {}).get(order), peers))
        return out


def groups(jobs: list[Job], size: int = 8) -> list[list[Job]]:
    """Jobs in tasks of at most ``size``, in order (one agency's years side by side, as
    ``pairing.chunks``), so a worker reads each report of a task once."""
    return [jobs[i : i + size] for i in range(0, len(jobs), size)]
