"""From a Document to a Report: find the sections, tell the format, read the tables.

This package knows the statutory format (through :mod:`xxgk.format`) but nothing of
file types: every reader's Document goes through the same code.
"""

from __future__ import annotations

import re

from ..anomalies import Revised, Traditional
from ..format import VERSIONS, Version
from ..model import Report
from ..readers.document import Document
from .glued import deglue
from .labels import normalize
from .lines import Line, Tok, flatten
from .meta import extract_meta
from .script import is_traditional, simplify
from .sections import Found, find_headings
from .tables import read_tables, regions
from .wrapped import join_wrapped

__all__ = ["detect_format", "extract"]


def detect_format(text: str) -> tuple[str | None, dict[str, list[str]]]:
    """The format version by the phrases only one version prints (statute notes §2.5).

    Returns the version key (None when neither can be told) and the signals found.
    """
    flat = normalize(text)
    found: dict[str, list[str]] = {}
    for key, version in VERSIONS.items():
        hits = [s for s in version.signals if normalize(s) in flat]
        if hits:
            found[key] = hits
    if not found:
        return None, found
    best = max(found, key=lambda k: (len(found[k]), k))
    return best, found


def extract(doc: Document) -> Report:
    traditional = is_traditional(doc)
    if traditional:
        doc = simplify(doc)
    lines = deglue(join_wrapped(flatten(doc)))
    full_text = doc.text or "\n".join(ln.text for ln in lines)
    # version signals count in tables (and short lines: cut tables, headers), not in prose
    # such as "做好政府集中采购信息公开"
    table_text = "\n".join(ln.text for ln in lines if not ln.paragraph or len(ln.text) <= 24)
    fmt, signals = detect_format(table_text)
    version: Version = VERSIONS[fmt or "2021"]
    heads = find_headings(lines)
    head_lines = {f.number: f.line for f in heads}
    first = min(head_lines.values()) if head_lines else None
    meta = extract_meta(lines, first, doc.meta)
    spans = regions(lines, head_lines)
    in_tables = {i for a, b in spans.values() for i in range(a, b)}
    sections = _section_texts(lines, heads, in_tables)
    _drop_signature(sections, meta.agency)
    narrative = "\n".join(v for k, v in sorted(sections.items()) if k in (1, 5, 6))
    cut = 6 not in head_lines
    tables = read_tables(
        lines, version, spans, narrative, cut=cut, cut_tok=_cut_token(doc, lines) if cut else None
    )
    return Report(
        source=doc.source,
        format=fmt,
        agency=meta.agency,
        year=meta.year,
        year_from=meta.year_from,
        published=meta.published,
        tables=tables.values,
        cells=tables.cells,
        headings=[f.heading for f in heads],
        sections=sections,
        text=full_text,
        title=meta.title,
        signals=signals,
        anomalies=[*tables.anomalies, *([Traditional()] if traditional else []), *_revised(doc)],
        places=None if doc.text else _places(lines),
    )


_STRUCK = re.compile(r"(?:第 (\d+) 页：)?([^；]+)")  # a page's (PDF), or the file's


def _revised(doc: Document) -> list[Revised]:
    """The revisions the reader saw: text struck out, per page (PDF) or in the file (a
    web page), and tracked changes not accepted (Word)."""
    struck = doc.meta.get("struck", "")
    out = [
        Revised(
            how="struck",
            page=int(m.group(1)) if m.group(1) else None,
            raw=m.group(2),
            count=m.group(2).count("、") + 1,
        )
        for m in (_STRUCK.finditer(struck) if struck else ())
    ]
    tracked = doc.meta.get("tracked", "")
    if tracked.isdigit():
        out.append(Revised(how="tracked", count=int(tracked)))
    return out


def _places(lines: list[Line]) -> list[tuple[int | None, int | None]]:
    """(page, paragraph) of each line of the text joined from ``lines`` (None where the
    document tells neither: its lines are then no lines a reader sees)."""
    out: list[tuple[int | None, int | None]] = []
    for ln in lines:
        w = ln.toks[0].where if ln.toks else None
        place = (w.page, w.para) if w is not None else (None, None)
        out.extend([place] * (ln.text.count("\n") + 1))
    return out


def _cut_token(doc: Document, lines: list[Line]) -> Tok | None:
    """The last token of a document that breaks off, when the break may have cut it
    short: a text that ends inside it (no space or cell separator after it), or a page
    whose markup stops inside its text (the parser closes what the cut left open)."""
    if not lines:
        return None
    last = next((t for t in reversed(lines[-1].toks) if t.text), None)
    if last is None:
        return None
    if doc.text:
        end = doc.text[-1]
        return (
            last if not end.isspace() and end != "|" and last.where.end == len(doc.text) else None
        )
    tail = doc.meta.get("ends_inside_text", "")
    return last if tail and "".join(last.text.split()).endswith("".join(tail.split())) else None


def _section_texts(lines: list[Line], heads: list[Found], in_tables: set[int]) -> dict[int, str]:
    """The narrative of each section: its paragraphs, less the pieces of its tables
    (captions, headers, labels pushed out of a table); sentences inside a table's
    region stay."""
    found = sorted(heads, key=lambda f: f.line)
    out: dict[int, str] = {}
    for i, f in enumerate(found):
        end = found[i + 1].line if i + 1 < len(found) else len(lines)
        out[f.number] = "\n".join(
            ln.text
            for ln in lines[f.line + 1 : end]
            if ln.paragraph and (ln.index not in in_tables or _sentence(ln.text))
        )
    return out


def _sentence(text: str) -> bool:
    return len(text) > 12 and text.rstrip().endswith(("。", "；", "！", "？"))


_DATE_LINE = re.compile(r"^\s*20\d\d\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}\s*日?\s*$")


def _drop_signature(sections: dict[int, str], agency: str | None) -> None:
    """The signature (agency, date) closing the last section is not its narrative."""
    if not sections:
        return
    last = max(sections)
    lines = sections[last].split("\n")
    while lines and (
        _DATE_LINE.match(lines[-1])
        or (agency and "".join(lines[-1].split()) == "".join(agency.split()))
        or not lines[-1].strip()
    ):
        lines.pop()
    sections[last] = "\n".join(lines)
