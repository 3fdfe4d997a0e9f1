"""Rows read in text order: the strategy for tables that are not grids.

Text dumps print a table as a stream of cells: a row per line (tabs, pipes), one cell
per line, one cell per paragraph, or a whole table as one scraped row.  The stream is
cut at every row label; the value tokens after a label are its values:

* on the label's own physical line, every value token up to the next label;
* on later lines, value tokens while the row still has room (a row has as many cells
  as the format gives it columns); an empty cell (``|`` alone, an extra blank line
  between one-cell paragraphs) is a value token too, so the cells after it keep their
  columns;
* text that is neither a value nor a label ends the row.  When such text is followed
  by values on its own line, it is a row the format does not have (:class:`StrayRow`);
* a label with no values after it takes the values printed just before it on its line
  (PDF text puts numbers before vertically centred labels), or the row of values
  before it that no label took (as many as the row has columns) — unless another whole
  row of values follows it that no label takes: then either row may be its own (a
  label above the first row misread), and the row is left null with both printed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..format import APPLICANTS, CONTENT, ORGANISATIONS, T3_GROUPS, VERSIONS, Table
from ..readers.document import Where
from .labels import Match, Matcher, core, normalize
from .lines import Line, Tok
from .rows import RowRead, StrayRow, real, valueish, width

# words of captions and headers: text that never labels a row of its own
_HEADER = re.compile(
    "|".join(
        re.escape(w) for w in ("第二十条", "勾稽", APPLICANTS, ORGANISATIONS, CONTENT, "单位:")
    )
)
_MAX_UNKNOWN_LABEL = 120
# text, then digits glued to it (``三、本法提供５５``)
_GLUED_DIGITS = re.compile(r"^(.*[^\d\s])(\d+)$")
# a line of first pieces of numbers wrapped after a thousands separator (``17， 17，``)
_OPEN_PIECES = re.compile(r"(?:[-+]?\d[\d,，]*[,，]\s*)+")


@dataclass
class _Open:
    """A row whose values are still being collected."""

    row: RowRead
    phys: object  # the physical line of its label
    n: int
    same: list[Tok] = field(default_factory=list)  # tokens after the label on its own line
    later: list[Tok] = field(default_factory=list)  # value tokens from the lines after it
    before: list[Tok] = field(default_factory=list)  # values just before it on its line
    paragraph: bool = False
    closed: bool = False  # text ended it; later values are not its own
    pieces: list[Tok] = field(default_factory=list)  # wrapped numbers' first pieces

    def room(self) -> bool:
        return len([t for t in self.same if valueish(t)]) + len(self.later) < self.n


@dataclass
class _Claim:
    """Text that is not a label, and the values printed after it."""

    label: Tok
    phys: object  # its physical line: only values on that line, or in the same row, are its own
    line: int
    values: list[Tok] = field(default_factory=list)


def _phys(tok: Tok, line: Line) -> object:
    return tok.where.line if tok.where.line is not None else ("L", line.index)


def _base_gap(region: list[Line]) -> int:
    """Blank lines that normally separate two paragraphs of this region."""
    gaps = Counter(ln.gap for ln in region if ln.paragraph and ln.toks)
    return gaps.most_common(1)[0][0] if gaps else 0


def read_stream(
    region: list[Line], table: Table, m: Matcher, cut: bool = False, prefer: int = 1
) -> tuple[list[RowRead], list[StrayRow]]:
    """Rows of the non-grid lines of a region.  ``cut``: the text breaks off inside
    this region, so the last row keeps the values it printed, from the left.

    Where one cell stands per paragraph, an empty cell shows as extra blank lines:
    one (``a\\n\\n\\nb``) or two (an empty paragraph, ``a\\n\\n\\n\\nb``) per
    cell, depending on the converter.  Both readings are tried and the one whose rows
    fit their widths, leaving no value unplaced, is kept; on a tie, ``prefer`` (the
    reading the whole document supports, see :func:`gap_reading`)."""
    base, step = gap_reading([region])
    if step == 1:
        return _read(region, table, m, cut, base, 1)[:2]
    one = _read(region, table, m, cut, base, 1)
    two = _read(region, table, m, cut, base, 2)
    if one[2] == two[2]:
        return (two if prefer == 2 else one)[:2]
    return (two if two[2] < one[2] else one)[:2]


def gap_reading(regions: list[list[Line]]) -> tuple[int, int]:
    """The blank lines that separate two paragraphs in these table regions, and how
    many more stand for one empty cell: 1, or 2 when every extra run could be empty
    paragraphs (an odd run anywhere rules 2 out)."""
    body = [ln for region in regions for ln in region[1:]]  # a first line's gap stood before
    base = _base_gap(body)
    extras = {ln.gap - base for ln in body if ln.paragraph and ln.toks and ln.gap > base}
    return base, 2 if extras and not any(e % 2 for e in extras) else 1


def _read(
    region: list[Line], table: Table, m: Matcher, cut: bool, base: int, step: int
) -> tuple[list[RowRead], list[StrayRow], int]:
    """The rows, the unknown rows, and how badly they fit (values no row took, rows
    short of their width)."""
    rows: list[RowRead] = []
    unknown: list[StrayRow] = []
    column_words = {core(c.label)[0] for r in table.rows for c in r.columns}
    widest = max(len(r.columns) for r in table.rows)
    misfit = 0
    cur: _Open | None = None
    claim: _Claim | None = None
    orphans: list[Tok] = []
    pieces: list[Tok] = []  # wrapped numbers' first pieces no row has taken yet
    # the row that took the values printed before its label, while no label came after
    before_row: _Open | None = None

    def drop_orphans() -> None:
        """Values no row takes.  A whole row of them after a row that took the values
        before its label: either row of values may be that label's (its label printed
        below its values, or a label above them misread, as OCR may read 行政处罚 as
        行政處), so the row is left null with both printed (NUM-004)."""
        nonlocal orphans
        o = before_row
        if o is not None and len(orphans) == o.n and real(orphans):
            o.pieces.extend([*o.later, *orphans])  # (both rows, as printed)
            o.later = []
            o.row.pieces, o.row.values = tuple(o.pieces), []
        orphans = []

    def finish() -> None:
        nonlocal cur, orphans
        if cur is None:
            return
        o, cur = cur, None
        same = [t for t in o.same if t.text or valueish(t)]
        filled = [t for t in same if t.text]
        if len(filled) == o.n and not o.paragraph and not o.later:
            vals = same  # every position filled: text stands where a number belongs
        elif any(t.loose and t.text and not valueish(t) for t in same):
            vals = same  # a glued piece that is no number: the row cannot be split safely
        else:
            vals = [t for t in o.same if valueish(t)] + o.later
        if not real(vals) and real(o.before):
            vals = o.before
        o.row.values = vals
        o.row.pieces = tuple(o.pieces)
        rows.append(o.row)

    def finish_claim() -> None:
        nonlocal claim
        if claim is not None and real(claim.values):
            unknown.append(StrayRow(claim.label.text, claim.label, tuple(claim.values)))
        claim = None

    def rowlike(text: str) -> bool:
        c = core(text)[0]
        return (
            1 < len(c) <= _MAX_UNKNOWN_LABEL
            and any("\u4e00" <= ch <= "\u9fff" for ch in c)
            and c not in column_words
            and not _HEADER.search(normalize(text))
            and not text.rstrip().endswith(("。", "；"))
        )

    for line in region:
        if line.grid_width is not None:
            finish()
            finish_claim()
            drop_orphans()
            before_row = None
            continue
        if line.paragraph and _OPEN_PIECES.fullmatch(line.text.strip()):
            # numbers wrapped in a table's narrow cells: the row above or below (or
            # both) goes on in them, and which number each piece begins is not known
            if cur is not None and not cur.closed:
                cur.pieces.extend(line.toks)
            pieces.extend(line.toks)
            continue
        ln = line.split_values() if line.paragraph else line
        beside = _beside_fragment(ln, m, table)
        if beside is not None:
            # pieces of wrapped numbers printed beside the next line of a label: of the
            # row above or the row below, which one is not known
            text, rest = beside
            if cur is not None:
                cur.pieces.extend(rest)
            pieces.extend(rest)
            ln = Line(ln.index, [text], None, None, True, ln.gap)
        elif cur is not None and not cur.closed and _rest_pieces(ln, cur):
            # numbers alone on a line of a PDF table, fewer than a row, after a row that
            # printed numbers on its own line: pieces of numbers wrapped in their cells
            # (of this row, or of the next one where rows stand as close as a cell's
            # lines), not cells of their own
            cur.pieces.extend(ln.toks)
            pieces.extend(ln.toks)
            continue
        toks = [t for t in ln.toks if not t.merged]
        extra = (line.gap - base) // step if line.paragraph else 0
        if extra > 0:
            # empty cells between the lines: of the row before, not of this line's label
            w = toks[0].where if toks else Where()
            toks = [Tok("", Where(page=w.page, start=w.start)) for _ in range(extra)] + toks
        hits = _hits(toks, m)
        befores = {i: _before(toks, hits, i, line) for i, h in enumerate(hits) if h is not None}
        reserved = {id(t) for b in befores.values() for t in b}
        labelled = {_phys(toks[i], line) for i in befores}
        for i, t in enumerate(toks):
            phys = _phys(t, line)
            hit = hits[i]
            if hit is not None:
                finish()
                finish_claim()
                n = width(table, hit.key)
                cur = _Open(RowRead(hit.key, hit.alien, t), phys, n, paragraph=line.paragraph)
                cur.before = befores[i]
                cur.pieces, pieces = pieces, []
                took = False
                if (
                    not cur.before
                    and len(orphans) == n
                    and real(orphans)
                    and not _after(toks, i, line)
                ):
                    # a whole row of values just before the label, that no label took
                    cur.later, cur.closed = orphans, True
                    misfit -= sum(1 for o in orphans if o.text)
                    took, orphans = True, []
                drop_orphans()
                before_row = cur if took else None
                continue
            if id(t) in reserved or (phys in labelled and (cur is None or phys != cur.phys)):
                continue  # before the label of its own line: never the previous row's
            if cur is not None and phys == cur.phys:
                cur.same.append(t)
                continue
            if valueish(t):
                if cur is not None and not cur.closed and cur.room():
                    cur.later.append(t)
                elif (
                    claim is not None
                    and (phys == claim.phys or line.index == claim.line)
                    and len(claim.values) < widest
                ):
                    claim.values.append(t)
                else:
                    orphans.append(t)
                    misfit += bool(t.text)
                continue
            if not t.text:
                continue
            if cur is not None and not cur.closed and not cur.later and not real(cur.same):
                continue  # the rest of a label broken over lines
            # text on a line of its own: the open row is complete
            if cur is not None:
                cur.closed = True
            finish_claim()
            drop_orphans()
            before_row = None
            if rowlike(t.text):
                claim = _Claim(t, phys, line.index)
    if cut and cur is not None:
        cur.row.final = True
    drop_orphans()
    finish()
    finish_claim()
    misfit += sum(1 for r in rows if 0 < len(r.values) < width(table, r.key))
    return rows, unknown, misfit


def _rest_pieces(ln: Line, cur: _Open) -> bool:
    """Whether a paragraph is numbers only, of a PDF page (its box known), fewer than
    a row, under a row with numbers on its label's line: a row of a table printed by
    position never goes on on a line of its own, its numbers do when they wrap in
    their narrow cells (a row that seems whole may have its last digits there)."""
    if not ln.paragraph or not ln.toks or ln.toks[0].where.bbox is None:
        return False
    if not all(t.loose and valueish(t) and any(c.isdigit() for c in t.text) for t in ln.toks):
        return False
    return real([t for t in cur.same if valueish(t)]) and len(ln.toks) < cur.n


def _beside_fragment(ln: Line, m: Matcher, table: Table) -> tuple[Tok, list[Tok]] | None:
    """The numbers of a PDF line whose text is no row label but pieces of the table's
    labels (``理结果（四）无２``: the next lines of 三、本年度办理结果 and （四）无法提供,
    and the last digit of a number wrapped in its cell), fewer than a row: pieces of
    numbers wrapped in their cells, not a row's values: the text and the pieces."""
    if not ln.paragraph or not ln.toks or ln.toks[0].where.bbox is None:
        return None
    label, vals = ln.toks[0], ln.toks[1:]
    glued = _GLUED_DIGITS.match(label.text)
    if glued is not None:  # (a page prints no space between a label and full-width digits)
        label = Tok(glued.group(1), label.where)
        vals = [Tok(glued.group(2), label.where, loose=True), *vals]
    if not vals:
        return None
    if not all(t.loose and any(c.isdigit() for c in t.text) for t in vals):
        return None
    if label.loose or len(vals) >= max(len(r.columns) for r in table.rows):
        return None
    if m.match(label.text) is not None or not _fragments(normalize(label.text), table):
        return None
    return label, vals


def _fragments(text: str, table: Table, most: int = 3) -> bool:
    """Whether ``text`` is at most ``most`` pieces (two characters or more each) of the
    table's labels, glued."""
    known = _label_text(table)
    best = [0] + [most + 1] * len(text)  # best[i]: fewest pieces covering text[:i]
    for i in range(2, len(text) + 1):
        for j in range(i - 1):
            if best[j] < best[i] - 1 and text[j:i] in known:
                best[i] = best[j] + 1
    return len(text) >= 2 and best[len(text)] <= most


_LABEL_TEXT: dict[str, str] = {}


def _label_text(table: Table) -> str:
    found = _LABEL_TEXT.get(table.key)
    if found is None:
        labels = {
            lab for v in VERSIONS.values() for r in v.table(table.key).rows for lab in r.labels
        }
        labels.update(T3_GROUPS if table.key == "t3" else ())
        found = _LABEL_TEXT[table.key] = "\x00".join(normalize(x) for x in sorted(labels))
    return found


def _hits(toks: list[Tok], m: Matcher) -> list[Match | None]:
    """The row each token labels; a group label right before a row label labels nothing."""
    hits: list[Match | None] = [m.match(t.text) if t.text else None for t in toks]
    for i, hit in enumerate(hits):
        if hit is None or not m.is_group(toks[i].text):
            continue
        nxt = next((j for j in range(i + 1, len(toks)) if toks[j].text), None)
        if nxt is not None and hits[nxt] is not None:
            hits[i] = None
    return hits


def _after(toks: list[Tok], i: int, line: Line) -> bool:
    """Some token follows label i on its own physical line."""
    phys = _phys(toks[i], line)
    return any(_phys(t, line) == phys and t.text for t in toks[i + 1 :])


def _before(toks: list[Tok], hits: list[Match | None], i: int, line: Line) -> list[Tok]:
    """Values printed before label i on its own physical line, when none follow it."""
    phys = _phys(toks[i], line)
    j = i + 1
    while j < len(toks) and hits[j] is None and _phys(toks[j], line) == phys:
        if toks[j].text and valueish(toks[j]):
            return []
        j += 1
    out: list[Tok] = []
    k = i - 1
    while k >= 0 and hits[k] is None and _phys(toks[k], line) == phys and valueish(toks[k]):
        out.insert(0, toks[k])
        k -= 1
    return out if real(out) else []
