"""The smallest corrections that make every prescribed sum hold.

A candidate is a set of cells with new values such that every identity of the format
(``Version.identities``) holds.  Candidates with the fewest changed cells are found by
iterative deepening: a violated identity must contain a changed cell, and the values
of the changed cells are the unique solution of the identities that touch them.

Ranking (best first): fewer cells changed; agreement with figures the narrative
states; more totals changed (a total can be recomputed from its parts, a part cannot
be recovered from its total); smaller absolute change.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from ..format import Identity, Kind, Version
from ..model import Number, Report
from ..narrative import statements

MAX_CELLS = 4  # the largest correction searched for
MAX_NODES = 30_000
MAX_SOLVES = 1_000  # linear systems solved per report (bounded time; real reports need < 30)


@dataclass(frozen=True)
class Change:
    cell: str
    old: Number | None
    new: Number


@dataclass
class Candidate:
    changes: tuple[Change, ...]
    agrees: list[str]  # narrative words the corrected tables agree with
    totals: int  # how many changed cells are totals
    delta: float  # sum of absolute changes
    rank: int = 0

    def key(self) -> tuple[int, int, int, float]:
        return (len(self.changes), -len(self.agrees), -self.totals, self.delta)


def _holds(ident: Identity, value: dict[str, Number | None]) -> bool:
    left = sum(value[c] or 0 for c in ident.left)
    right = sum(value[c] or 0 for c in ident.right)
    return abs(left - right) < 1e-9


def _is_total(cell: str, version: Version) -> bool:
    t, r, c = cell.split(".")
    return c == "total" or version.table(t).row(r).role == "total"


def violated(report: Report) -> bool:
    """True when some prescribed sum with every cell filled does not hold."""
    value = {k: report.value(k) for k in report.version.cell_keys()}
    return any(
        not _holds(i, value)
        for i in report.version.identities
        if all(value[c] is not None for c in i.cells)
    )


def candidates(report: Report, frozen: frozenset[str] = frozenset()) -> list[Candidate]:
    """Ranked minimal corrections (empty when every sum holds or nothing fits); the
    ``frozen`` cells are never changed (a figure known from elsewhere)."""
    version = report.version
    value: dict[str, Number | None] = {k: report.value(k) for k in version.cell_keys()}
    idents = [i for i in version.identities if all(value[c] is not None for c in i.cells)]
    violated = [i for i in idents if not _holds(i, value)]
    if not violated:
        return []
    touching: dict[str, list[Identity]] = {}
    for ident in idents:
        for c in ident.cells:
            touching.setdefault(c, []).append(ident)
    found: dict[frozenset[str], dict[str, Number]] = {}
    budget = [MAX_SOLVES]
    for limit in range(1, MAX_CELLS + 1):
        _search(limit, violated, touching, value, version, found, frozen, budget)
        if budget[0] < 0:
            return []  # past the budget: no claim of a smallest correction
        if found:
            break
    said = statements(report)
    out: list[Candidate] = []
    for cells, sol in found.items():
        changes = tuple(Change(c, value[c], sol[c]) for c in sorted(cells))
        after = copy.deepcopy(report)
        for ch in changes:
            t, r, c = ch.cell.split(".")
            after.tables[t][r][c] = ch.new
        agrees = [
            s.text
            for s in said
            if s.agrees(after) and not s.agrees(report) and set(s.cells) & cells
        ]
        out.append(
            Candidate(
                changes,
                agrees,
                sum(1 for c in cells if _is_total(c, version)),
                float(sum(abs(ch.new - (ch.old or 0)) for ch in changes)),
            )
        )
    out.sort(key=Candidate.key)
    for i, cand in enumerate(out):
        cand.rank = i + 1
    return out


def _search(
    limit: int,
    violated: list[Identity],
    touching: dict[str, list[Identity]],
    value: dict[str, Number | None],
    version: Version,
    found: dict[frozenset[str], dict[str, Number]],
    frozen: frozenset[str] = frozenset(),
    budget: list[int] | None = None,
) -> None:
    seen: set[frozenset[str]] = set()
    nodes = 0

    def go(chosen: frozenset[str]) -> None:
        nonlocal nodes
        if chosen in seen or nodes > MAX_NODES:
            return
        seen.add(chosen)
        nodes += 1
        open_ = [i for i in violated if not chosen & set(i.cells)]
        if open_:
            if len(chosen) < limit:
                for c in open_[0].cells:
                    if c not in frozen:
                        go(chosen | {c})
            return
        touched = {id(i): i for c in chosen for i in touching.get(c, [])}
        if budget is not None:
            budget[0] -= 1
            if budget[0] < 0:
                return
        sol = _solve(sorted(chosen), list(touched.values()), value, version)
        if sol is not None:
            if not any(f < chosen for f in found):
                found[chosen] = sol
            return
        if len(chosen) < limit:
            for ident in touched.values():
                for c in ident.cells:
                    if c not in chosen and c not in frozen:
                        go(chosen | {c})

    go(frozenset())


def _solve(
    cells: list[str], idents: Iterable[Identity], value: dict[str, Number | None], version: Version
) -> dict[str, Number] | None:
    """The unique valid values of ``cells`` under ``idents`` (others fixed), or None."""
    index = {c: i for i, c in enumerate(cells)}
    n = len(cells)
    rows: list[list[Fraction]] = []
    for ident in idents:
        row = [Fraction(0)] * (n + 1)
        for sign, side in ((1, ident.left), (-1, ident.right)):
            for c in side:
                if c in index:
                    row[index[c]] += sign
                else:
                    row[n] -= sign * Fraction(str(value[c] or 0))
        rows.append(row)
    # Gauss-Jordan elimination; every variable needs a pivot (a unique solution)
    for col in range(n):
        pivot = next((i for i in range(col, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            return None  # a free variable: not a unique correction
        rows[col], rows[pivot] = rows[pivot], rows[col]
        p = rows[col][col]
        rows[col] = [x / p for x in rows[col]]
        for i in range(len(rows)):
            if i != col and rows[i][col] != 0:
                f = rows[i][col]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[col], strict=True)]
    if any(all(x == 0 for x in row[:n]) and row[n] != 0 for row in rows):
        return None  # inconsistent
    out: dict[str, Number] = {}
    for i, c in enumerate(cells):
        x = rows[i][n]
        kind = version.kind(c)
        if kind is not Kind.AMOUNT and x.denominator != 1:
            return None
        if kind is not Kind.SIGNED and x < 0:
            return None
        new: Number = int(x) if x.denominator == 1 else float(x)
        if value[c] is not None and new == value[c]:
            return None  # not a change: a smaller set does it
        out[c] = new
    return out
