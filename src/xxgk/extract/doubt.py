"""Numbers a scan's recogniser read with doubt: null, unless the arithmetic decides.

The OCR reader gives such a cell its candidate readings (``Where.alts``, its own
reading first).  The same principle as glued digits: the format's identities (row
totals, 勾稽关系) may decide between candidates — when exactly one value of a cell is
left in every combination of the doubtful cells' candidates under which every identity
that can be evaluated holds — and a guess never does.  Either way an
:class:`~xxgk.anomalies.OcrDoubt` says so (OCR-001 when left null, OCR-002 when decided).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ..anomalies import AnyAnomaly, OcrDoubt
from ..format import Identity, Kind, Version
from ..model import Number
from .glued import _holds
from .lines import Tok
from .values import parse_value

MAX_COMBINATIONS = 4096  # of the candidates of one group of doubtful cells


@dataclass(slots=True)
class Doubt:
    key: str
    kind: Kind
    tok: Tok


def resolve(
    doubts: list[Doubt], version: Version, values: dict[str, Number | None]
) -> list[AnyAnomaly]:
    """Fill ``values`` for the doubtful cells the identities decide; the anomalies."""
    options = {d.key: _numbers(d) for d in doubts}
    for d in doubts:
        values[d.key] = None
    idents = [i for i in version.identities if i.cell_set & options.keys()]
    decided: dict[str, Number] = {}
    for group in _groups(list(options), idents):
        decided.update(_decide(group, options, idents, values))
    out: list[AnyAnomaly] = []
    for d in doubts:
        value = decided.get(d.key)
        values[d.key] = value
        w = d.tok.where
        out.append(
            OcrDoubt(
                cells=[d.key],
                raw=d.tok.text,
                candidates=list(w.alts or ()),
                value=None if value is None else _shown(value),
                page=w.page,
                line=w.line,
                # (OCR gives every cell it doubts a confidence)
                wrapped=w.conf is None and w.doubt is None,
                layout=w.doubt or "",
            )
        )
    return out


def _numbers(d: Doubt) -> list[Number]:
    out: list[Number] = []
    for text in d.tok.where.alts or ():
        v = parse_value(text)
        if v.number is None or v.number < 0:
            continue
        if d.kind is not Kind.AMOUNT and (v.decimal or isinstance(v.number, float)):
            continue
        if v.number not in out:
            out.append(v.number)
    return out


def _groups(keys: list[str], idents: list[Identity]) -> list[list[str]]:
    """The doubtful cells, grouped where an identity links them."""
    parent = {k: k for k in keys}

    def root(k: str) -> str:
        while parent[k] != k:
            k = parent[k]
        return k

    for ident in idents:
        linked = [k for k in ident.cells if k in parent]
        for a, b in itertools.pairwise(linked):
            parent[root(a)] = root(b)
    groups: dict[str, list[str]] = {}
    for k in keys:
        groups.setdefault(root(k), []).append(k)
    return list(groups.values())


def _decide(
    group: list[str],
    options: dict[str, list[Number]],
    idents: list[Identity],
    values: dict[str, Number | None],
) -> dict[str, Number]:
    choices = [options[k] for k in group]
    count = 1
    for c in choices:
        count *= len(c)
    if not count or count > MAX_COMBINATIONS:
        return {}
    touching = [i for i in idents if i.cell_set & set(group)]
    trial = dict(values)
    kept: list[tuple[Number, ...]] = []
    for combo in itertools.product(*choices):
        trial.update(zip(group, combo, strict=True))
        checked = [_holds(i, trial) for i in touching]
        if all(h is not False for h in checked) and any(h is True for h in checked):
            kept.append(combo)
        elif not any(h is not None for h in checked):
            return {}  # no identity can be evaluated: nothing decides
    out: dict[str, Number] = {}
    for i, key in enumerate(group):
        seen = {combo[i] for combo in kept}
        if len(seen) == 1:
            out[key] = seen.pop()
    return out


def _shown(value: Number) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
