"""The rule catalogue: every rule by code, in a stable order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..model import Finding, Report, Severity
from . import copied, filing, fmt, meta, num, ocr, sums, txt, xsec, xyr
from .base import Context, Rule

_FAMILIES = (fmt, meta, num, sums, xyr, xsec, txt, copied, filing, ocr)
RULES: tuple[type[Rule], ...] = tuple(
    sorted((r for fam in _FAMILIES for r in fam.RULES), key=lambda r: r.code)
)
_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def rule(code: str) -> type[Rule]:
    for r in RULES:
        if r.code == code:
            return r
    raise KeyError(code)


def run(
    report: Report,
    previous: Report | None = None,
    only: Iterable[str] | None = None,
    *,
    peers: Sequence[Report] = (),
    approved: Report | None = None,
) -> list[Finding]:
    """Every finding of every rule (or of the codes in ``only``), errors first;
    ``previous``, ``peers`` and ``approved`` as :class:`base.Context` says."""
    ctx = Context(report, previous, tuple(peers), approved)
    wanted = set(only) if only is not None else None
    findings: list[Finding] = []
    for cls in RULES:
        if wanted is not None and cls.code not in wanted:
            continue
        findings.extend(cls().check(ctx))
    findings.sort(key=lambda f: _ORDER[f.severity])
    return findings
