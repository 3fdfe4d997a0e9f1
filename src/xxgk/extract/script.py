"""Reports served in traditional characters (mirror sites convert whole pages).

The format's labels are simplified; a traditional report is converted character by
character (OpenCC t2s) before labels are matched.  Positions stay those of the source.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..lazyre import Lazy
from ..readers.document import Cell, Document, Paragraph, Table

_SAMPLE = 4000
_CJK = Lazy(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _to_traditional() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


_MIN_TRADITIONAL = 6  # fewer traditional characters than this are no ground to convert
# traditional-only forms so common that any traditional page of a report has some
_COMMON_TRADITIONAL = frozenset(
    "們個這為會說過還進動產業義當條項資訊報開關機構務權請處縣鄉鎮區實際經濟發設計據數統範圍"
    "節點單應對導審門網頁錄責總結體務與從將並於"
)


def script_counts(text: str) -> tuple[int, int]:
    """(characters only traditional text writes, characters only simplified text writes)
    among the CJK characters of ``text``.

    A converted page keeps a few simplified forms that have no one traditional form
    (于 范 采 干), and simplified text carries a few traditional words (names,
    quotations, a mirror's chrome); each script still outnumbers the other many times.
    """
    cjk = "".join(_CJK.findall(text))
    if not cjk:
        return 0, 0
    to_simple = _converter().convert(cjk)
    to_trad = _to_traditional().convert(cjk)
    trad = sum(1 for a, b in zip(cjk, to_simple, strict=False) if a != b)
    simp = sum(1 for a, b in zip(cjk, to_trad, strict=False) if a != b)
    return trad, simp


def is_traditional(doc: Document) -> bool:
    """Whether the page is written in traditional characters, from its first
    characters (paragraphs and table cells alike: a short page may be mostly table)."""
    parts: list[str] = []
    size = 0
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            texts = [b.text]
        else:
            texts = [c.text for row in b.rows for c in row if not c.merged]
        for text in texts:
            parts.append(text)
            size += len(text)
        if size >= _SAMPLE:
            break
    sample = "".join(parts)[:_SAMPLE]
    if not any(ch in _COMMON_TRADITIONAL for ch in sample):
        return False  # no common traditional-only character: simplified (no OpenCC needed)
    trad, simp = script_counts(sample)
    return trad >= _MIN_TRADITIONAL and trad > 3 * simp


def simplify(doc: Document) -> Document:
    conv = _converter().convert
    blocks: list[Paragraph | Table] = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            blocks.append(Paragraph(conv(b.text), b.where, b.gap))
        else:
            rows = [
                [Cell(conv(c.text), c.where, c.merged, c.colspan, c.rowspan) for c in row]
                for row in b.rows
            ]
            blocks.append(Table(rows, b.where, b.grid))
    meta = {k: conv(v) for k, v in doc.meta.items()}
    return Document(doc.source, doc.kind, blocks, doc.pages, conv(doc.text), meta)
