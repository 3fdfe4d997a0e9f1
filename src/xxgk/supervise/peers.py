"""Peers in the store for TXT-004: the reports of the other agencies of a jurisdiction
for the same year (the newest checked version of each), and among them the few whose
sections may repeat a report's text, or whose text it may repeat.

A jurisdiction is what the dashboard calls a region: the nearest 省/市/县 at or above
an agency (``stored.region_of``), so a county's departments and townships are each
other's peers.  Hundreds of peers are searched by their sections' sketches
(``checks.copied.estimate``; kept in this process by report id and file, so a sketch
is made once per stored report: a few hundred bytes), never by comparing texts; the
rule then compares only the most similar ones exactly."""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..checks.copied import (
    PEERS_CHECKED,
    PREFILTER,
    compact,
    estimate,
    judged_text,
    most_similar,
    sketches,
)
from ..store.models import Agency, StoredReport
from .stored import REGION_LEVELS

CACHE_SIZE = 20_000  # sketched reports kept in this process (about 600 bytes each)
_CACHE: OrderedDict[tuple[int, str], dict[int, array[int]]] = OrderedDict()
_LOCK = threading.Lock()


@dataclass
class Found:
    """What the search found for one report.

    ``peers``: the ids of the most similar peers (at most PEERS_CHECKED, most similar
    first) to compare exactly, with ``shares`` their estimated share of this report's
    text; ``holders``: peers whose text this report may repeat (their estimated share),
    whose own check may name it; ``others``: every peer searched (the newest report of
    each other agency of the jurisdiction and year), id → agency id."""

    peers: list[int] = field(default_factory=list)
    shares: dict[int, float] = field(default_factory=dict)
    holders: dict[int, float] = field(default_factory=dict)
    others: dict[int, int] = field(default_factory=dict)


def jurisdiction(session: Session, agency_id: int) -> set[int]:
    """The agencies sharing ``agency_id``'s region (the nearest 省/市/县 at or above)."""
    rows = session.execute(select(Agency.id, Agency.parent_id, Agency.level))
    tree = {aid: (parent, level) for aid, parent, level in rows}

    def region(aid: int) -> int:
        seen: set[int] = set()
        at: int | None = aid
        while at is not None and at in tree and at not in seen:
            parent, level = tree[at]
            if level in REGION_LEVELS:
                return at
            seen.add(at)
            at = parent
        return aid

    if agency_id not in tree:
        return set()
    mine = region(agency_id)
    return {aid for aid in tree if region(aid) == mine}


def newest(session: Session, agency_ids: set[int], year: int) -> list[tuple[int, int, str]]:
    """(id, agency id, file SHA-256) of the newest checked version of each agency's
    report for ``year`` (highest version, then id, as ``web.history.latest``)."""
    if not agency_ids:
        return []
    q = select(
        StoredReport.id, StoredReport.agency_id, StoredReport.version, StoredReport.file_sha256
    ).where(
        StoredReport.agency_id.in_(sorted(agency_ids)),
        StoredReport.year == year,
        StoredReport.status == "done",
    )
    best: dict[int, Any] = {}
    for row in session.execute(q):
        old = best.get(row.agency_id)
        if old is None or (row.version or 0, row.id) > (old.version or 0, old.id):
            best[row.agency_id] = row
    return sorted((r.id, r.agency_id, r.file_sha256) for r in best.values())


def _sections(data: Any) -> dict[int, str]:
    if not isinstance(data, Mapping):
        return {}
    out = {}
    for k, v in data.items():
        if isinstance(v, str) and str(k).isdigit() and judged_text(int(k), v):
            out[int(k)] = v
    return out


def _sketched(
    session: Session, rows: list[tuple[int, int, str]]
) -> dict[int, dict[int, array[int]]]:
    """Each report's section sketches: from this process's cache, else made from the
    sections of its stored check (read from the database as JSON, not the file)."""
    out: dict[int, dict[int, array[int]]] = {}
    missing = []
    with _LOCK:
        for rid, _, sha in rows:
            got = _CACHE.get((rid, sha))
            if got is None:
                missing.append((rid, sha))
            else:
                _CACHE.move_to_end((rid, sha))
                out[rid] = got
    if missing:
        shas = dict(missing)
        sections = StoredReport.result["report"]["sections"]
        q = select(StoredReport.id, sections).where(StoredReport.id.in_(sorted(shas)))
        made = {
            rid: {n: compact(sk) for n, sk in sketches(_sections(data)).items()}
            for rid, data in session.execute(q)
        }
        with _LOCK:
            for rid, sk in made.items():
                _CACHE[(rid, shas[rid])] = sk
            while len(_CACHE) > CACHE_SIZE:
                _CACHE.popitem(last=False)
        out.update(made)
    return out


def compared(session: Session, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The ``peers`` each report's stored check names (what it was compared with)."""
    if not ids:
        return {}
    q = select(StoredReport.id, StoredReport.result["peers"]).where(StoredReport.id.in_(ids))
    return {rid: list(v) if isinstance(v, list) else [] for rid, v in session.execute(q)}


def find(
    session: Session,
    agency_id: int,
    year: int,
    sections: Mapping[int, str] | Mapping[str, str],
) -> Found:
    """The peers of a report of ``agency_id`` for ``year`` whose sections (``sections``,
    as a Report or its stored JSON has them) may repeat its text, or it theirs: one
    report against the cached sketches of the others (``checks.copied.estimate``, a
    few microseconds a peer), never a comparison of texts."""
    others = newest(session, jurisdiction(session, agency_id) - {agency_id}, year)
    found = Found(others={rid: aid for rid, aid, _ in others})
    mine = sketches(_sections(sections))
    if not others or not mine:
        return found
    for rid, theirs in _sketched(session, others).items():
        for number, sk in theirs.items():
            if number not in mine:
                continue
            share, contained = estimate(mine[number], sk)
            if share >= PREFILTER:
                found.shares[rid] = max(share, found.shares.get(rid, 0.0))
            if contained >= PREFILTER:
                found.holders[rid] = max(contained, found.holders.get(rid, 0.0))
    found.peers = most_similar(found.shares, PEERS_CHECKED)
    return found
