"""Crawler dumps whose table cells were glued together without separators.

``（一）予以公开220000022`` is 22,0,0,0,0,0,22 — or 2,20,0,0,0,0,22.  Two steps:

* :func:`deglue` cuts running text at every label the format knows (row labels,
  headers, captions, section headings), so each label gets the digit run after it;
* :func:`solve` splits each digit run into the row's cells using the format's own
  arithmetic: a row's total, then the column identities across rows (勾稽关系), then
  numbers the narrative states.  A run with one consistent split is filled (and an
  ``info`` finding says how); with several, only cells every split agrees on are
  filled and the rest stay ``null`` with the candidates listed — never a guess.  A run
  none of whose splits meets its own row's total stays ``null`` too: a cell printed
  empty leaves no trace in glued digits, so such digits cannot be trusted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from functools import cache

from ..anomalies import AnyAnomaly, GluedAmbiguous, GluedSplit
from ..format import (
    APPLICANTS,
    CONTENT,
    ORGANISATIONS,
    SECTIONS,
    T3_GROUPS,
    T3_NOTE,
    VERSIONS,
    Identity,
    Kind,
    Version,
)
from ..lazyre import Lazy
from ..model import CellSource, Number
from ..readers.document import Where
from ..readers.limits import DEFAULT_LIMITS
from .lines import Line, Tok

_WIDE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}  # full-width ASCII -> ASCII, same length
MAX_CANDIDATES = 2000  # splits of one run before we call it hopeless
MAX_NODES = 200_000  # search budget over all runs of one table
MAX_SPLIT_NODES = 200_000  # cutting budget of one run


def _wide_free(text: str) -> str:
    return text.translate(_WIDE)


@cache
def _label_pattern() -> re.Pattern[str]:
    labels: set[str] = {T3_NOTE, CONTENT, APPLICANTS, ORGANISATIONS, *T3_GROUPS}
    for s in SECTIONS:
        labels.add(s.heading)
    for v in VERSIONS.values():
        labels.update(v.printed_labels())
    alts = sorted({_wide_free(x) for x in labels if len(x) >= 2}, key=len, reverse=True)
    return re.compile("|".join(re.escape(a) for a in alts))


_TABLE_MARKS = ("第二十条", "本年新收", "结果维持", CONTENT, APPLICANTS)
# units printed between glued cells (政府集中采购1个246900元): a cell ends there
_UNIT = r"(?:人次|万元|元|个|件|项|条|次)"
_RUN = re.compile(rf"^(?:[\s\d.,+\-]|{_UNIT})+$")
_TAIL_RUN = re.compile(rf"^\s*(?:[\d.,+\-]|{_UNIT}|\s(?=[\s\d+\-]))*[\d]\s*{_UNIT}?")
# words then a digit run: a label the exact patterns missed (a typo), the matcher decides
# (words without digits, but for an enumerator, or blank marks, ending in a character
# or a closing bracket)
_WORDS_RUN = Lazy(
    r"^(?P<lead>[\d\s.,+\-]*?)(?P<words>(?:\d[.、．])?[^\d/／\\—－\-]*[\u4e00-\u9fff)）”])"
    r"(?P<run>\s*\d[\d\s.,+\-]*)?$",
    re.S,
)
_PIECE = re.compile(rf"\s+|{_UNIT}")
# a sign starts a cell ("2648-18538"); a dash after digits and before no digit is a
# blank cell of its own ("204-16-": 204 | -16 | -)
_SIGN = re.compile(r"(?<=[\d.])(?=[+\-]\d)|(?<=\d)(?=-(?!\d))")
_NUMERAL_COMMA = re.compile("[一二三四五六]、")
_ENUMERATOR_AFTER = Lazy(r"[.、．][\u4e00-\u9fff]")
_FUZZY_HEADING = 0.8
_SQUEEZE = re.compile(r"(?<=[^\s\d.,+\-])\s+(?=[^\s\d.,+\-])")


def _squeeze(text: str) -> tuple[str, list[int]]:
    """The text without whitespace between two non-digits (``社会公益 组织``), and the
    position in ``text`` of every character kept (plus the end)."""
    keep: list[int] = []
    out: list[str] = []
    last = 0
    for m in _SQUEEZE.finditer(text):
        out.append(text[last : m.start()])
        keep.extend(range(last, m.start()))
        last = m.end()
    out.append(text[last:])
    keep.extend(range(last, len(text)))
    keep.append(len(text))
    return "".join(out), keep


def is_glued(text: str) -> bool:
    """Running text with at least three labels directly followed by digits."""
    if len(text) < 60 or not any(m in text for m in _TABLE_MARKS):
        return False
    text, _ = _squeeze(text)
    hits = 0
    for m in _label_pattern().finditer(_wide_free(text)):
        nxt = text[m.end() : m.end() + 1]
        if nxt.isdigit():
            hits += 1
            if hits >= 3:
                return True
    return False


def deglue(lines: list[Line]) -> list[Line]:
    """Cut glued paragraphs into a line per label (with its digit run) and text pieces."""
    out: list[Line] = []
    cut = False
    for line in lines:
        if not line.paragraph or not is_glued(line.text):
            out.append(line)
            continue
        out.extend(_cut(line))
        cut = True
    if not cut:
        return lines
    return [ln if ln.index == i else replace(ln, index=i) for i, ln in enumerate(out)]


@cache
def _signed_labels() -> frozenset[str]:
    """Labels of rows with a signed column (2019's 本年增/减): a sign starts a cell."""
    out: set[str] = set()
    for v in VERSIONS.values():
        for t in v.tables:
            for row in t.rows:
                if any(c.kind is Kind.SIGNED for c in row.columns):
                    out.update(_wide_free(x) for x in row.labels)
    return frozenset(out)


def run_pieces(run: str, signed: bool = False) -> list[str]:
    """The cells a printed run shows apart: cut at whitespace and at units
    (``1个246900元`` -> 1, 246900); in a row with a signed column also before a sign
    (``2648-18538`` -> 2648, -18538).  Digits glued without any mark stay one piece."""
    pieces = [p for p in _PIECE.split(run) if p]
    if signed:
        pieces = [q for p in pieces for q in _SIGN.split(p) if q]
    return pieces


@dataclass(frozen=True)
class _Cut:
    start: int
    end: int
    label: str
    heading: bool = False  # a section heading: the text after it is narrative


def _cut(line: Line) -> Iterator[Line]:
    raw = line.toks[0].text
    base = line.toks[0].where
    text, at = _squeeze(raw)

    def where(a: int, b: int) -> Where:
        start = base.start + at[a] if base.start is not None else None
        end = base.start + at[b] if base.start is not None else None
        return Where(page=base.page, line=base.line, start=start, end=end)

    def values(line: Line, run: str, a: int, b: int) -> None:
        signed = _wide_free(line.toks[0].text) in _signed_labels()
        for piece in run_pieces(run, signed):
            line.toks.append(Tok(piece, where(a, b), loose=True))

    pos = 0
    pending: Line | None = None
    heading = False  # the pending line is a section heading
    for c in _cuts(text):
        if c.start < pos:
            continue  # overlaps the cut before it
        gap = text[pos : c.start]
        if pending is not None and gap.strip() and _RUN.match(gap):
            values(pending, gap, pos, c.start)
            gap = ""
        m = _WORDS_RUN.match(gap) if gap.strip() else None
        words = m.group("words").strip() if m else ""
        # words (and digits) between two labels: a misspelled label (and its run); the
        # digits before the words close the row before
        lead = m is not None and len(words) >= 2 and bool(m.group("lead").strip())
        lead = lead and not heading  # "四、…情况2023年…": the year is the narrative's
        if m and lead and pending is not None:
            values(pending, m.group("lead"), pos, pos + m.end("lead"))
        if pending is not None:
            yield pending
        if gap.strip():
            span = (pos + m.start("words"), pos + m.end("words")) if m else (pos, pos)
            if m and m.group("run") and len(words) >= 4:
                found = Line(0, [Tok(words, where(*span))], paragraph=True)
                values(found, m.group("run"), pos + m.start("run"), c.start)
                yield found
            elif m and lead and pending is not None:
                yield Line(0, [Tok(words, where(*span))], paragraph=True)
            else:
                yield Line(0, [Tok(gap.strip(), where(pos, c.start))], paragraph=True)
        pending = Line(0, [Tok(c.label, where(c.start, c.end))], paragraph=True)
        heading = c.heading
        pos = c.end
    tail = text[pos:]
    if pending is not None:
        m2 = _TAIL_RUN.match(tail)
        run = m2.group(0) if m2 else ""
        if _ENUMERATOR_AFTER.match(tail, len(run)) and run.rstrip()[-1:].isdigit():
            run = run.rstrip()[:-1]  # 1.本… (a cut file): the last digit numbers a label
        if run.strip():
            values(pending, run, pos, pos + len(run))
            pos += len(run)
            tail = text[pos:]
        yield pending
    if tail.strip():
        yield Line(0, [Tok(tail.strip(), where(pos, len(text)))], paragraph=True)


def _cuts(text: str) -> list[_Cut]:
    """Label matches that stand in the glued table, not inside a narrative sentence:
    a heading (also misspelled), or a label directly followed by digits or touching
    another label."""
    found = list(_label_pattern().finditer(_wide_free(text)))
    keep: list[_Cut] = []
    headings = {s.heading for s in SECTIONS}
    for i, m in enumerate(found):
        after = text[m.end() : m.end() + 2].lstrip()
        prev_end = found[i - 1].end() if i else -1
        next_start = found[i + 1].start() if i + 1 < len(found) else -1
        touching = (text[prev_end : m.start()].strip() == "" if prev_end >= 0 else False) or (
            text[m.end() : next_start].strip() == "" if next_start >= 0 else False
        )
        if m.group(0) in headings or (after[:1].isdigit()) or touching:
            keep.append(_Cut(m.start(), m.end(), m.group(0), m.group(0) in headings))
    fuzzy = list(_fuzzy_headings(text, [(m.start(), m.end()) for m in found]))
    if fuzzy:  # labels inside a misspelled heading (行政复议) are part of it
        keep = [c for c in keep if not any(h.start <= c.start < h.end for h in fuzzy)]
        keep = sorted(keep + fuzzy, key=lambda c: c.start)
    return keep


def _fuzzy_headings(text: str, taken: list[tuple[int, int]]) -> Iterator[_Cut]:
    """Section headings printed with a typo (四、政府信息公开行政法复议、行政诉讼情况):
    the numeral, 、 and text close to that section's title."""
    for m in _NUMERAL_COMMA.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        section = SECTIONS["一二三四五六".index(m.group(0)[0])]
        title = section.title
        best: tuple[float, int] | None = None
        for size in (len(title) - 1, len(title), len(title) + 1, len(title) + 2):
            piece = text[m.end() : m.end() + size]
            ratio = SequenceMatcher(None, piece, title, autojunk=False).ratio()
            if ratio >= _FUZZY_HEADING and (best is None or ratio > best[0]):
                best = (ratio, size)
        if best is not None:
            end = min(len(text), m.end() + best[1])
            yield _Cut(m.start(), end, text[m.start() : end], True)


# ---------------------------------------------------------------- splitting


@dataclass
class Run:
    """A digit run standing for several cells."""

    cells: list[str]
    kinds: list[Kind]
    text: str
    tok: Tok
    candidates: list[tuple[Number, ...]] = field(default_factory=list)
    # a dash between digits may also be a blank cell ("24-11": 24 | - | 11): that reading
    alt: tuple[Number | None, ...] | None = None
    apart: bool = False  # the spaces of ``text`` stand between cells (see ``splits``)


_COUNT = re.compile(r"0|[1-9]\d*")
_SIGNED = re.compile(r"[+-]?(0|[1-9]\d*)")
_AMOUNT = re.compile(r"(0|[1-9]\d*)(\.\d+)?")


def splits(
    text: str,
    kinds: Sequence[Kind],
    limit: int = MAX_CANDIDATES,
    totals: Mapping[int, Sequence[int]] | None = None,
    apart: bool = False,
) -> list[tuple[Number, ...]] | None:
    """Every way to cut ``text`` into numbers of the given kinds (None past ``limit``).

    ``totals`` maps a cell to the earlier cells it is the sum of (a row's 总计): only
    the cuts where it prints that sum are made, so long runs of large numbers stay
    within the budget (the digits of a total are forced, and a total that ends the
    run bounds every part before it).  ``apart``: the whitespace of ``text`` stands
    between two cells (pieces a page printed apart): a cut is made at each, and no
    number spans one.
    """
    s = re.sub(r"[\s,]", "", text).removesuffix("元")
    breaks: list[int] = []  # positions in s where a cut must be made
    if apart:
        for piece in re.sub(",", "", text).removesuffix("元").split()[:-1]:
            breaks.append((breaks[-1] if breaks else 0) + len(piece))
    # stop[i]: the first break after i (a number starting at i ends there at the latest)
    stop = [next((b for b in breaks if b > i), len(s)) for i in range(len(s) + 1)]
    digits = DEFAULT_LIMITS.max_digits  # of one number: bounds every piece and the run
    if len(s) > len(kinds) * (digits + 12):
        return None  # longer than the cells can print: no cut is tried (bounded time)
    out: list[tuple[Number, ...]] = []
    pats = {Kind.COUNT: _COUNT, Kind.SIGNED: _SIGNED, Kind.AMOUNT: _AMOUNT}
    sums = dict(totals or {})
    n = len(kinds)
    last = n - 1
    bounded = set(sums.get(last, ()))  # the parts of a total that ends the run
    nodes = 0

    def go(i: int, k: int, acc: list[Number], end: int, cap: Number | None, psum: Number) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > MAX_SPLIT_NODES:
            return False
        if k == n or (cap is not None and k == last):
            if i == end and (cap is None or psum == cap):
                out.append((*acc, cap) if cap is not None else tuple(acc))
                if len(out) > limit:
                    return False
            return True
        if i >= end:
            return True
        pat = pats[kinds[k]]
        rest = (last if cap is not None else n) - k - 1
        if k in sums:  # a total: its digits must print the sum of its parts
            need = sum(acc[p] for p in sums[k])
            piece = str(need)
            j = i + len(piece)
            ok_cut = j <= stop[i]
            if ok_cut and s.startswith(piece, i) and end - j >= rest and pat.fullmatch(piece):
                acc.append(need)
                ok = go(j, k + 1, acc, end, cap, psum + (need if k in bounded else 0))
                acc.pop()
                return ok
            return True
        for j in range(i + 1, min(end - rest, i + digits + 12, stop[i]) + 1):
            piece = s[i:j]
            if not pat.fullmatch(piece):
                continue
            value: Number = float(piece) if "." in piece else int(piece)
            if cap is not None and k in bounded:
                if psum + value > cap:
                    break  # longer pieces are larger still
                left = cap - psum - value
                if psum + value + _most(end - j, last - k - 1) < cap:
                    continue  # the parts left cannot add up to the total
                if end - j > (last - k - 1) * len(str(left)):
                    continue  # … or they would each exceed what is left of it
            acc.append(value)
            ok = go(j, k + 1, acc, end, cap, psum + (value if k in bounded else 0))
            acc.pop()
            if not ok:
                return False
        return True

    if last in sums and kinds[last] is Kind.COUNT and n > 1:
        for cut in range(len(s) - 1, 0, -1):  # the total's digits end the run
            if breaks and cut < breaks[-1]:
                break  # (a total printed apart is the last piece, or within it)
            tail = s[cut:]
            if not _COUNT.fullmatch(tail) or len(tail) * (n - 1) < cut:
                continue  # (a total has at least the digits of its longest part)
            if not go(0, 0, [], cut, int(tail), 0):
                return None
        return out
    if not go(0, 0, [], len(s), None, 0):
        return None
    return out


def _most(chars: int, parts: int) -> int:
    """The largest sum ``parts`` counts printed in ``chars`` digits can have."""
    if parts <= 0:
        return 0
    return int(10 ** max(chars - parts + 1, 0)) + 9 * (parts - 1)


def _totals(cells: Sequence[str], local: Sequence[Identity]) -> dict[int, tuple[int, ...]]:
    """Cells of a run that are the sum of earlier cells of the same run."""
    where = {k: i for i, k in enumerate(cells)}
    out: dict[int, tuple[int, ...]] = {}
    for ident in local:
        if len(ident.left) != 1:
            continue
        total = where[ident.left[0]]
        parts = tuple(where[k] for k in ident.right)
        if parts and all(p < total for p in parts):
            out[total] = parts
    return out


def _holds(ident: Identity, values: dict[str, Number | None]) -> bool | None:
    """Whether an identity holds; None while one of its cells is unknown."""
    total_l = total_r = 0.0
    for k in ident.left:
        v = values.get(k)
        if v is None:
            return None
        total_l += v
    for k in ident.right:
        v = values.get(k)
        if v is None:
            return None
        total_r += v
    return abs(total_l - total_r) < 1e-9


def solve(
    runs: list[Run],
    version: Version,
    values: dict[str, Number | None],
    narrative: str,
    table_title: str,
) -> tuple[dict[str, CellSource], list[AnyAnomaly]]:
    """Split every run; fill ``values`` with what is certain. Returns sources and anomalies."""
    sources: dict[str, CellSource] = {}
    anomalies: list[AnyAnomaly] = []
    idents = list(version.identities)
    live: list[Run] = []
    for run in runs:
        cells = set(run.cells)
        local = [i for i in idents if i.cell_set <= cells]
        totals = _totals(run.cells, local)
        # the cuts that print each row total first; when none does, every cut
        found = (
            splits(run.text, run.kinds, totals=totals, apart=run.apart) if totals else None
        ) or splits(run.text, run.kinds, apart=run.apart)
        if found is None:
            _ambiguous(run, [], anomalies, "拆法过多")
            _source(run, sources)
            continue
        kept = [
            c for c in found if all(_holds(i, dict(zip(run.cells, c, strict=True))) for i in local)
        ]
        if local and not kept:
            # no cut meets the row's own total: a cell printed empty leaves no trace
            # (0001961 may be 0,0,_,1,_,9,61), so none of the digits is trusted
            _ambiguous(run, [], anomalies, "没有一种拆法与本行总计相符，可能有单元格空着")
            _source(run, sources)
            continue
        run.candidates = kept or found
        live.append(run)
    # narrative cues: keep splits whose cell equals a number the text states for it
    for run in live:
        run.candidates = _by_narrative(run, version, narrative) or run.candidates
    # the identities across rows: every combination of the runs' candidates that holds
    ambiguous = [r for r in live if len(r.candidates) > 1]
    for r in live:
        if len(r.candidates) == 1:
            values.update(zip(r.cells, r.candidates[0], strict=True))
    for group in _components(ambiguous, idents):
        combos = _search(group, idents, values)
        if combos is not None:
            for i, r in enumerate(group):
                r.candidates = sorted({c[i] for c in combos}) or r.candidates
    for r in live:
        _source(r, sources)
        if len(r.candidates) == 1:
            values.update(zip(r.cells, r.candidates[0], strict=True))
            anomalies.append(
                GluedSplit(
                    cells=r.cells,
                    raw=r.text,
                    values=",".join(str(v) for v in r.candidates[0]),
                    page=r.tok.where.page,
                    line=r.tok.where.line,
                )
            )
        else:
            for i, key in enumerate(r.cells):
                vals = {c[i] for c in r.candidates}
                values[key] = vals.pop() if len(vals) == 1 else None
            _ambiguous(r, r.candidates, anomalies, table_title)
    for r in live:
        if r.alt is not None and r.alt not in r.candidates:
            _dash_blank(r, values, anomalies)
    return sources, anomalies


def _dash_blank(run: Run, values: dict[str, Number | None], out: list[AnyAnomaly]) -> None:
    """The run also reads with its dash as a blank cell: the cells the two readings
    print differently stay null (a dash is a sign and a blank marker alike)."""
    alt = run.alt or ()
    differ = [k for k, a in zip(run.cells, alt, strict=True) if values.get(k) != a]
    if not differ:
        return
    for key in differ:
        values[key] = None
    shown = ",".join("空" if v is None else str(v) for v in alt)
    out[:] = [a for a in out if not (a.kind == "split" and a.cells == run.cells)]
    out.append(
        GluedAmbiguous(
            cells=differ,
            raw=run.text,
            candidates=f"减号也可能是空白单元格：{shown}",
            page=run.tok.where.page,
            line=run.tok.where.line,
        )
    )


def _source(run: Run, sources: dict[str, CellSource]) -> None:
    w = run.tok.where
    for key in run.cells:
        sources[key] = CellSource(raw=run.text, page=w.page, line=w.line, start=w.start, end=w.end)


def _ambiguous(
    run: Run, candidates: list[tuple[Number, ...]], out: list[AnyAnomaly], why: str
) -> None:
    shown = " | ".join(",".join(str(v) for v in c) for c in candidates[:6])
    more = f" 等{len(candidates)}种" if len(candidates) > 6 else ""
    out.append(
        GluedAmbiguous(
            cells=[k for i, k in enumerate(run.cells) if len({c[i] for c in candidates}) != 1]
            or run.cells,
            raw=run.text,
            candidates=f"{shown}{more}" if candidates else why,
            page=run.tok.where.page,
            line=run.tok.where.line,
        )
    )


def _by_narrative(run: Run, version: Version, narrative: str) -> list[tuple[Number, ...]]:
    if not narrative or len(run.candidates) < 2:
        return []
    kept = run.candidates
    for i, key in enumerate(run.cells):
        t, r, c = key.split(".")
        try:
            row = version.table(t).row(r)
            col = row.column(c)
        except KeyError:
            continue
        if not col.cues:
            continue
        stated = _stated(narrative, row.labels, col.cues)
        if not stated:
            continue
        narrowed = [cand for cand in kept if cand[i] in stated]
        if narrowed:
            kept = narrowed
    return kept if len(kept) < len(run.candidates) else []


# A whole digit run (never its tail: linear time on long runs) short enough for int().
_STATED_NUMBER = re.compile(rf"(?<!\d)(\d{{1,{DEFAULT_LIMITS.max_digits}}})(?!\d)\s*(件|个|项|部)")


def _stated(narrative: str, labels: tuple[str, ...], cues: tuple[str, ...]) -> set[Number]:
    """Numbers stated in a sentence naming the row (e.g. 规范性文件) and the column's cue."""
    names = {re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）.、]", "", x) for x in labels}
    names |= {n.removeprefix("行政") for n in names if n.startswith("行政") and len(n) > 4}
    out: set[Number] = set()
    for sentence in re.split(r"[。；;]", re.sub(r"\s+", "", narrative)):
        for clause in re.split(r"[，,]", sentence):
            if not any(n in clause for n in names) or not any(c in clause for c in cues):
                continue
            for m in _STATED_NUMBER.finditer(clause):
                out.add(int(m.group(1)))
    return out


def _components(runs: list[Run], idents: list[Identity]) -> list[list[Run]]:
    """Runs linked by an identity, searched together; a run no identity touches is left
    alone (nothing can narrow it)."""
    touched = [[i for i in idents if set(i.cells) & set(r.cells)] for r in runs]
    parent = list(range(len(runs)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a in range(len(runs)):
        for b in range(a + 1, len(runs)):
            if any(i in touched[b] for i in touched[a]):
                parent[root(a)] = root(b)
    groups: dict[int, list[Run]] = {}
    for i, r in enumerate(runs):
        if touched[i]:
            groups.setdefault(root(i), []).append(r)
    return list(groups.values())


def _search(
    runs: list[Run], idents: list[Identity], known: dict[str, Number | None]
) -> list[tuple[tuple[Number, ...], ...]] | None:
    """Combinations of the runs' candidates under which every identity that can be
    evaluated holds.  None when the search budget runs out (then nothing is narrowed)."""
    touch = [[i for i in idents if set(i.cells) & set(r.cells)] for r in runs]
    order = sorted(range(len(runs)), key=lambda i: len(runs[i].candidates))
    values = dict(known)
    for r in runs:
        for k in r.cells:
            values[k] = None
    results: list[tuple[tuple[Number, ...], ...]] = []
    chosen: list[tuple[Number, ...] | None] = [None] * len(runs)
    nodes = 0

    def consistent(idx: int) -> bool:
        return all(_holds(i, values) is not False for i in touch[idx])

    def go(depth: int) -> bool:
        nonlocal nodes
        if depth == len(order):
            results.append(tuple(c for c in chosen if c is not None))
            return len(results) <= MAX_CANDIDATES
        idx = order[depth]
        run = runs[idx]
        for cand in run.candidates:
            nodes += 1
            if nodes > MAX_NODES:
                return False
            for k, v in zip(run.cells, cand, strict=True):
                values[k] = v
            chosen[idx] = cand
            if consistent(idx) and not go(depth + 1):
                return False
        for k in run.cells:
            values[k] = None
        chosen[idx] = None
        return True

    if not go(0):
        return None
    return results
