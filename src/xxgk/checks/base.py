"""What a rule is, and the context it reads.

A rule is a small class with a stable ``code``, a default ``severity``, a Chinese
``title`` and a docstring that is its user documentation (``xxgk rules`` and
docs/rules.md are made from it).  ``check`` reads a :class:`Context` and yields
findings; it never reads a file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar

from ..format import Version, display
from ..model import Finding, Location, Number, Report, Severity
from ..model import fmt as fmt  # re-exported: the checks' messages use it

if TYPE_CHECKING:
    from ..repair.arith import Candidate


@dataclass(frozen=True)
class Context:
    """What a rule reads: the report, and what it is compared with when the caller has
    it — the same agency's report of the year before (XYR-*, TXT-004), other
    agencies' reports of the same year (TXT-004), the approved draft of which this
    report is the published file (FIL-001)."""

    report: Report
    previous: Report | None = None
    peers: Sequence[Report] = ()
    approved: Report | None = None

    @property
    def version(self) -> Version:
        return self.report.version

    @cached_property
    def values(self) -> dict[str, Number | None]:
        """Every cell of the report's format by key, looked up once."""
        return {k: self.report.value(k) for k in self.version.cell_keys()}

    @cached_property
    def corrections(self) -> list[Candidate]:
        """The repair solver's ranked corrections (empty when every sum holds): the only
        source of a sum finding's suggested numbers, so a suggestion never breaks
        another sum."""
        from ..repair.arith import candidates

        return candidates(self.report)

    def name(self, key: str) -> str:
        """A cell as a person finds it in the printed report (never its key)."""
        return display(key, self.report.format)

    def value(self, key: str) -> Number | None:
        try:
            return self.values[key]
        except KeyError:
            return self.report.value(key)


class Rule:
    code: ClassVar[str]
    severity: ClassVar[Severity]
    title: ClassVar[str]  # short Chinese name

    def check(self, ctx: Context) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(
        self,
        ctx: Context,
        message: str,
        cells: Iterable[str] = (),
        suggestion: str = "",
        page: int | None = None,
        line: int | None = None,
        paragraph: int | None = None,
        span: tuple[int, int] | None = None,
        section: int | None = None,
    ) -> Finding:
        """A finding of this rule.  ``span`` is where in ``report.text`` the problem
        stands: it gives the line of a text file (the page and paragraph of a PDF or
        DOCX) and the words around it; ``section`` points at that section's heading (a
        finding about the section as a whole); ``cells`` give their table positions."""
        cells = list(cells)
        where = Location(page=page, line=line, paragraph=paragraph)
        h = next((h for h in ctx.report.headings if h.number == section), None)
        if h is not None:
            where.page, where.line, where.paragraph = h.page, h.line, h.paragraph
        if span is not None:
            _place(where, ctx.report, span)
        if cells:
            where.cell = ctx.name(cells[0])
        for key in cells:
            src = ctx.report.where(key)
            if src is None or all(v is None for v in (src.page, src.line, src.table, src.start)):
                continue
            if page is None and line is None:
                where.page, where.line = src.page, src.line
            if src.table is not None and src.start is None and src.line is not None:
                where.line = None  # a web page's source line: the table position tells
            if src.table is not None and src.row is not None:
                where.table, where.row = src.table + 1, src.row + 1
                where.col = src.col + 1 if src.col is not None else None
            where.quote = _quote(ctx.report.text, src.start, src.end)
            break
        return Finding(
            code=self.code,
            severity=self.severity,
            message=message,
            cells=cells,
            location=where,
            suggestion=suggestion,
        )

    @classmethod
    def doc(cls) -> str:
        return (cls.__doc__ or "").strip()


def _place(where: Location, report: Report, span: tuple[int, int]) -> None:
    """Fill ``where`` for a stretch of ``report.text``: a line of the file the text was
    decoded from, or the page and paragraph of the block the text was joined from."""
    start, end = span
    line = report.text.count("\n", 0, start) + 1
    if report.places is None:
        where.line = line
    elif line <= len(report.places):
        where.page, where.paragraph = report.places[line - 1]
    where.quote = _quote(report.text, start, end)


def _quote(text: str, start: int | None, end: int | None, around: int = 10) -> str | None:
    """The words printed around a value, on one line, the value marked 【】."""
    if start is None or end is None or not text or end > len(text) or start >= end:
        return None
    before = " ".join(text[max(0, start - around) : start].split()[-3:])
    after = " ".join(text[end : end + around].split()[:3])
    return f"{before}【{text[start:end]}】{after}"


def total(values: Iterable[Number | None]) -> Number:
    s: Number = 0
    for v in values:
        s += v or 0
    if isinstance(s, float):
        s = round(s, 6)
    return s


def walk(rules: Iterable[Rule], ctx: Context) -> Iterator[Finding]:
    for rule in rules:
        yield from rule.check(ctx)
