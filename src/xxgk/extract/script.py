"""Reports served in traditional characters (mirror sites convert whole pages).

The format's labels are simplified; a traditional report is converted character by
character (OpenCC t2s) before labels are matched.  Positions stay those of the source.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..readers.document import Cell, Document, Paragraph, Table

_SAMPLE = 4000
_CJK = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


# characters only traditional text uses, common in any report (開 報 條 項 數 資 …)
_TRADITIONAL = re.compile("[開報條項數資們這個國會關發過時點區為與後從來對說務機構處理請]")


def is_traditional(doc: Document) -> bool:
    parts: list[str] = []
    size = 0
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            text = b.text
        else:  # a table's first rows carry its headings and labels
            text = "".join(c.text for row in b.rows[:3] for c in row)
        parts.append(text)
        size += len(text)
        if size >= _SAMPLE:
            break
    sample = "".join(parts)[:_SAMPLE]
    if len(_TRADITIONAL.findall(sample)) < 5:
        return False
    cjk = _CJK.findall(sample)
    if len(cjk) < 20:
        return False
    converted = _converter().convert("".join(cjk))
    changed = sum(1 for a, b in zip(cjk, converted, strict=False) if a != b)
    return changed >= max(5, len(cjk) // 30)


def simplify(doc: Document) -> Document:
    conv = _converter().convert
    blocks: list[Paragraph | Table] = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            blocks.append(Paragraph(conv(b.text), b.where))
        else:
            rows = [
                [Cell(conv(c.text), c.where, c.merged, c.colspan, c.rowspan) for c in row]
                for row in b.rows
            ]
            blocks.append(Table(rows, b.where, b.grid))
    meta = {k: conv(v) for k, v in doc.meta.items()}
    return Document(doc.source, doc.kind, blocks, doc.pages, conv(doc.text), meta)
