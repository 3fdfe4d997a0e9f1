"""Locating the three statutory tables among the lines and reading their cells.

One implementation for every input type.  Grid tables (HTML, DOCX, PDF) give each
value a column position; text dumps give values in reading order, sometimes before
their label (PDF text) or on the lines after it (one cell per line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import combinations

from ..anomalies import (
    AnyAnomaly,
    BadValue,
    Blank,
    ExtraColumn,
    ExtraRow,
    MissingRow,
    MissingTable,
    Placed,
    Problem,
    RowShape,
    UnknownRow,
)
from ..format import APPLICANTS, REVIEW, T3_OTHER_GROUP, Kind, Row, Table, Version
from ..model import CellSource, Number
from ..readers.document import Where
from .doubt import Doubt, resolve
from .glued import Run, _stated, solve
from .grid import grid_rows, sequential_extra, t3_positions
from .labels import matcher, normalize
from .lines import Line, Tok
from .position import by_position
from .rows import DIGITS, RowRead, StrayRow, real, valueish
from .stream import gap_reading, read_stream
from .values import parse_value

# what marks the start of each table in running text: its caption, note or first heading
_T2_ANCHOR = re.compile("第二十条")
_T3_ANCHOR = re.compile("|".join(re.escape(w) for w in ("勾稽", APPLICANTS, "本年新收")))
_T4_ANCHOR = re.compile(re.escape(REVIEW))
_T3_HEADER = re.compile("|".join(re.escape(w) for w in ("勾稽", APPLICANTS)))
T3_MORE = "t3+"  # the regions' key of table 3's lines printed after table 4


@dataclass
class Tables:
    values: dict[str, dict[str, dict[str, Number | None]]] = field(default_factory=dict)
    cells: dict[str, CellSource] = field(default_factory=dict)
    anomalies: list[AnyAnomaly] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)  # glued digit runs waiting to be split
    doubts: list[Doubt] = field(default_factory=list)  # numbers a scan's OCR read with doubt
    cut_tok: Tok | None = None  # the token the text breaks off in: its number may be cut short
    narrative: str = ""  # sections 一, 五 and 六: figures that may place a short row's values
    gap_step: int = 1  # extra blank lines per empty cell in the document's text tables


def _source(tok: Tok | None) -> CellSource:
    if tok is None:
        return CellSource()
    w = tok.where
    return CellSource(
        raw=tok.text,
        page=w.page,
        line=w.line,
        start=w.start,
        end=w.end,
        table=w.table,
        row=w.row,
        col=w.col,
        bbox=list(w.bbox) if w.bbox else None,
        pixels=list(w.pixels) if w.pixels else None,
    )


def regions(lines: list[Line], heads: dict[int, int]) -> dict[str, tuple[int, int]]:
    """[start, end) line ranges of t2, t3 and t4 (and :data:`T3_MORE`)."""

    def first(pattern: re.Pattern[str], start: int, short: int) -> int | None:
        for ln in lines[start:]:
            text = ln.text
            flat = normalize(text)
            if pattern.search(flat) and (not ln.paragraph or len(flat) <= short):
                return ln.index
        return None

    n = len(lines)
    a2 = first(_T2_ANCHOR, heads.get(2, 0), 16)
    if a2 is None:
        a2 = heads.get(2)
    a3 = first(_T3_ANCHOR, a2 or heads.get(3, 0), 40)
    if a3 is None:
        a3 = heads.get(3)
    a4 = first(_T4_ANCHOR, a3 if a3 is not None else heads.get(4, 0), 24)
    if a4 is None:
        a4 = heads.get(4)
    out: dict[str, tuple[int, int]] = {}
    if a2 is not None:
        ends = [x for x in (a3, heads.get(3), a4) if x is not None and x > a2]
        out["t2"] = (a2, min(ends) if ends else n)
    if a3 is not None:
        ends = [x for x in (a4, heads.get(4), heads.get(5)) if x is not None and x > a3]
        out["t3"] = (a3, min(ends) if ends else n)
    if a4 is not None:
        ends = [x for x in (heads.get(5), heads.get(6)) if x is not None and x > a4]
        out["t4"] = (a4, min(ends) if ends else n)
        if a3 is not None and a3 < a4:
            _t3_after_t4(lines, heads, out)
    return out


def _t3_after_t4(lines: list[Line], heads: dict[int, int], out: dict[str, tuple[int, int]]) -> None:
    """Table 3 continued after table 4: its header printed again (a table line, not
    prose) inside t4's region, as LibreOffice prints a DOCX whose table 4 is in a text box
    floating to the top of the page table 3 runs on to.  The lines from that header on are
    t3's (``T3_MORE``), up to the next heading; t4's region ends there."""
    a4, b4 = out["t4"]
    for ln in lines[a4 + 1 : b4]:
        if not ln.paragraph and _T3_HEADER.search(normalize(ln.text)):
            ends = [x for x in (heads.get(4), heads.get(5), b4) if x is not None and x > ln.index]
            out["t4"] = (a4, ln.index)
            out[T3_MORE] = (ln.index, min(ends))
            return


def read_tables(
    lines: list[Line],
    version: Version,
    spans: dict[str, tuple[int, int]],
    narrative: str = "",
    cut: bool = False,
    cut_tok: Tok | None = None,
) -> Tables:
    """The three tables read from their regions (see :func:`regions`).

    ``cut``: the text breaks off (the later sections are missing), so the last row
    of the last table keeps the values it printed before the cut; ``cut_tok``: the
    token the text stops inside (its number may be cut short: never taken)."""
    out = Tables(
        cut_tok=cut_tok,
        narrative=narrative,
        gap_step=gap_reading([lines[a:b] for a, b in spans.values()])[1],
    )
    for table in version.tables:
        out.values[table.key] = {r.key: {c.key: None for c in r.columns} for r in table.rows}
        span = spans.get(table.key)
        if span is None:
            out.anomalies.append(MissingTable(cells=table.cell_keys(), title=table.title))
            continue
        region = lines[span[0] : span[1]]
        if table.key == "t3" and T3_MORE in spans:
            region += lines[slice(*spans[T3_MORE])]
        cells_as_paragraphs = sum(ln.paragraph for ln in region) > len(region) // 2
        if span[1] < len(lines) and lines[span[1]].paragraph and cells_as_paragraphs:
            # the blank lines after the table may hold its last, empty cells
            region = [*region, Line(span[1], [], paragraph=True, gap=lines[span[1]].gap)]
        if table.key == "t4":
            _read_t4(region, table, out)
        else:
            _read_rows(region, table, version, out, cut=span[1] == len(lines) and cut)
        if out.runs:
            _split_runs(out, version, narrative, table.title)
    if out.doubts:
        _resolve_doubts(out, version)
    return out


def _resolve_doubts(out: Tables, version: Version) -> None:
    flat = {
        f"{t}.{r}.{c}": v
        for t, rows in out.values.items()
        for r, cs in rows.items()
        for c, v in cs.items()
    }
    out.anomalies.extend(resolve(out.doubts, version, flat))
    for d in out.doubts:
        t, r, c = d.key.split(".")
        out.values[t][r][c] = flat[d.key]
    out.doubts = []


def _split_runs(out: Tables, version: Version, narrative: str, title: str) -> None:
    flat: dict[str, Number | None] = {
        f"{t}.{r}.{c}": v
        for t, rows in out.values.items()
        for r, cols in rows.items()
        for c, v in cols.items()
    }
    sources, anomalies = solve(out.runs, version, flat, narrative, title)
    for key in {k for run in out.runs for k in run.cells}:
        t, r, c = key.split(".")
        out.values[t][r][c] = flat[key]
    out.cells.update(sources)
    out.anomalies.extend(anomalies)
    out.runs = []


def _glued_run(vals: list[Tok], n: int, keys: list[str], kinds: list[Kind], out: Tables) -> bool:
    """Defer a row of loose digits that does not have one value per column.  With fewer
    pieces than cells, the pieces stay apart (a number never spans two: a page printed
    them apart) and only a piece may hold several cells; with more, the spaces are not
    trusted (a number may have been printed with one)."""
    if len(vals) == n or not vals or not all(t.loose and DIGITS.match(t.text) for t in vals):
        return False
    text = "".join(t.text for t in vals)
    if len(re.sub(r"\D", "", text)) < n:
        return False  # fewer digits than cells: a value is missing, not glued
    alt = _dash_as_blank(text, kinds)
    if len(vals) < n:
        out.runs.append(
            Run(keys, kinds, " ".join(t.text for t in vals), vals[0], alt=alt, apart=True)
        )
    else:
        out.runs.append(Run(keys, kinds, text, vals[0], alt=alt))
    return True


def _dash_as_blank(text: str, kinds: list[Kind]) -> tuple[Number | None, ...] | None:
    """Where a column may be negative, ``24-11`` also reads 24 | (blank) | 11: that
    reading when it gives every cell a valid value (None for the blank ones)."""
    if Kind.SIGNED not in kinds or not re.search(r"\d-\d", text):
        return None
    out: list[Number | None] = []
    for i, piece in enumerate(re.split(r"(?<=\d)-(?=\d)", text)):
        if i:
            out.append(None)
        v = parse_value(piece)
        if v.number is None or v.decimal:
            return None
        out.append(v.number)
    if len(out) != len(kinds) or any(
        v is not None and v < 0 and k is not Kind.SIGNED for v, k in zip(out, kinds, strict=True)
    ):
        return None
    return tuple(out)


# ---------------------------------------------------------------- t2 / t3


def _read_rows(
    region: list[Line], table: Table, version: Version, out: Tables, cut: bool = False
) -> None:
    m = matcher(version.key, table.key)
    positions, extra_col, header_table = (
        t3_positions(region) if table.key == "t3" else ({}, None, None)
    )
    use_positions = len(positions) == len(table.rows[0].columns)
    extra_seq: int | None = None
    if table.key == "t3" and extra_col is None:
        extra_seq = sequential_extra(region)
    if extra_col is not None or extra_seq is not None:
        out.anomalies.append(
            ExtraColumn(name="法人或其他组织小计", cells=[f"{table.key}.new.total"])
        )
    if table.key == "t3" and not use_positions:
        by_order = by_position(region, table, m)
        if by_order is not None:
            _assign(by_order, table, version, out, extra_seq)
            return
    grid = grid_rows(region, table, m, positions if use_positions else None, header_table)
    stream, unknown = read_stream(region, table, m, cut, out.gap_step)
    found = [r for _, r in grid] + stream if grid else stream
    if grid and stream:
        order = {id(r): i for i, r in grid}
        at = {id(t): ln.index for ln in region for t in ln.toks}
        found.sort(key=lambda r: order.get(id(r), at.get(id(r.label), 0)))
    _assign(found, table, version, out, extra_seq)
    for u in unknown:
        _unknown_row(u, out)


def _unknown_row(u: StrayRow, out: Tables) -> None:
    """A row the format does not have: said, and none of its values counted."""
    w = u.label.where
    out.anomalies.append(
        UnknownRow(
            raw=u.label.text,
            values=" ".join(t.text or "（空）" for t in u.values),
            page=w.page,
            line=w.line,
        )
    )


def _assign(
    found: list[RowRead], table: Table, version: Version, out: Tables, extra_seq: int | None
) -> None:
    done: set[str] = set()
    for f in found:
        if f.alien:
            if real(f.values):
                cols = table.rows[0].columns if table.key == "t3" else ()
                out.anomalies.append(
                    ExtraRow(
                        cells=[f"{table.key}.{f.key}.{c.key}" for c in cols],
                        raw=f.label.text,
                        row=f.key,
                        values=[t.text for t in f.values],
                        page=f.label.where.page,
                        line=f.label.where.line,
                    )
                )
            continue
        if f.key in done:
            continue
        if not f.values and any(g.key == f.key and g.values for g in found if g is not f):
            continue
        done.add(f.key)
        _assign_row(f, table.row(f.key), table, version, out, extra_seq)
    split_other = any(f.alien and f.key == "other" and real(f.values) for f in found)
    for row in table.rows:
        if split_other and row.group == T3_OTHER_GROUP:
            continue  # the single 2019-style （六） row stands for them (FMT-005 says so)
        if row.key not in done:
            out.anomalies.append(
                MissingRow(
                    cells=[f"{table.key}.{row.key}.{c.key}" for c in row.columns],
                    label=row.label,
                )
            )


def _assign_row(
    f: RowRead, row: Row, table: Table, version: Version, out: Tables, extra_seq: int | None
) -> None:
    keys = [f"{table.key}.{row.key}.{c.key}" for c in row.columns]
    n = len(keys)
    vals = list(f.values)
    if f.pieces:  # numbers wrapped around the row: which piece goes on which is not known
        _wrapped_row(keys, [*f.pieces, *vals], f.label, row.label, out)
        return
    if not f.positional:
        # empty cells beyond the row's width are fillers: trailing ones first
        while len(vals) > n and not vals[-1].text:
            vals.pop()
        if len(vals) > n:
            # still too many: leading empty cells are row marks, not blanks in place
            while vals and not vals[0].text:
                vals.pop(0)
        if extra_seq is not None and len(vals) == n + 1:
            vals.pop(extra_seq)
        if f.final and vals and _cut_last(vals, out):
            vals.pop()  # the text stops inside this number: it may be cut short
        if (
            f.final
            and real(vals)
            and len(vals) < n
            and (not any(t.loose for t in vals) or _own_lines(vals, f.label))
        ):
            keys = keys[: len(vals)]  # the text breaks off inside this row
        elif 0 < len(vals) < n and _place(vals, row, table, f.label, out):
            return
    _fill(keys, [c.kind for c in row.columns][: len(keys)], vals, f.label, row.label, out)


def _own_lines(vals: list[Tok], label: Tok) -> bool:
    """Whether each value stands on a line of its own, apart from the label's (one cell
    a line or paragraph): nothing is glued to it, so the last row of a text that breaks
    off fills from the left, its pieces never split (a cut ``行政强制 / 415`` is 415
    and two cells cut off, not 4, 1, 5)."""
    lines = [t.where.line for t in vals]
    return None not in lines and label.where.line not in lines and len(set(lines)) == len(lines)


def _wrapped_row(keys: list[str], toks: list[Tok], anchor: Tok, label: str, out: Tables) -> None:
    """A row whose numbers wrapped onto lines of their own (or two rows of values for
    one label): every cell null (NUM-004), the printed pieces in the message."""
    _null_row(keys, toks, sum(len(t.text.split()) for t in toks), anchor, label, out)


def _null_row(
    keys: list[str], toks: list[Tok], got: int, anchor: Tok, label: str, out: Tables
) -> None:
    """Every cell of a row null, and a RowShape (NUM-004): ``got`` values printed in
    ``toks`` where the row has ``len(keys)``."""
    for key in keys:
        out.cells[key] = CellSource(raw=None, page=anchor.where.page, line=anchor.where.line)
    out.anomalies.append(
        RowShape(
            cells=keys,
            raw=" ".join(t.text for t in toks),
            label=label,
            got=got,
            want=len(keys),
            page=anchor.where.page,
            line=anchor.where.line,
        )
    )


def _cut_last(vals: list[Tok], out: Tables) -> bool:
    """The last of these tokens is where the text breaks off (also when it is the last
    number split off the paragraph that the text stops in)."""
    cut, last = out.cut_tok, vals[-1]
    if cut is None:
        return False
    return last is cut or (last.where is cut.where and last.text == cut.text.split()[-1])


def _place(vals: list[Tok], row: Row, table: Table, anchor: Tok, out: Tables) -> bool:
    """A row printing fewer numbers than columns, placed by the narrative: when exactly
    one way of putting the numbers (in their order) into the columns has every number
    stated by the narrative for its column (制发规范性文件34件 → 本年制发件数), it is
    taken; the other columns stay null.  Otherwise nothing is placed."""
    nums = [parse_value(t.text).number for t in vals]
    if not out.narrative or any(v is None for v in nums):
        return False
    stated = [_stated(out.narrative, row.labels, c.cues) if c.cues else set() for c in row.columns]
    fits = [
        pos
        for pos in combinations(range(len(row.columns)), len(vals))
        if all(nums[i] in stated[p] for i, p in enumerate(pos))
    ]
    if len(fits) != 1:
        return False
    keys = [f"{table.key}.{row.key}.{c.key}" for c in row.columns]
    placed = dict(zip(fits[0], vals, strict=True))
    for p, tok in placed.items():
        t, r, c = keys[p].split(".")
        out.values[t][r][c] = parse_value(tok.text).number
        out.cells[keys[p]] = _source(tok)
    rest = [k for p, k in enumerate(keys) if p not in placed]
    for key in rest:
        out.cells[key] = CellSource(raw=None, page=anchor.where.page, line=anchor.where.line)
    out.anomalies.append(
        Placed(
            cells=rest,
            raw=" ".join(t.text for t in vals),
            label=row.label,
            got=len(vals),
            want=len(keys),
            placed="、".join(f"{row.columns[p].label} {tok.text}" for p, tok in placed.items()),
            page=anchor.where.page,
            line=anchor.where.line,
        )
    )
    return True


def _fill(
    keys: list[str], kinds: list[Kind], vals: list[Tok], anchor: Tok, label: str, out: Tables
) -> None:
    """Put one row's value tokens into its cells, or say why they cannot go there."""
    n = len(keys)
    if all(parse_value(t.text).blank for t in vals):
        # "/" across the row, or a label with nothing after it: every cell blank
        for i, key in enumerate(keys):
            tok = vals[min(i, len(vals) - 1)] if vals else anchor
            out.cells[key] = (
                _source(tok) if vals else CellSource(page=tok.where.page, line=tok.where.line)
            )
            out.anomalies.append(_blank(key, tok if vals else Tok("", tok.where)))
        return
    if _glued_run(vals, n, keys, kinds, out):
        return
    if len(vals) != n:
        _null_row(keys, vals, len(vals), anchor, label, out)
        return
    for key, kind, tok in zip(keys, kinds, vals, strict=True):
        out.cells[key] = _source(tok)
        if tok is out.cut_tok:
            continue  # the text stops inside this cell: null (FMT-002 says the rest is missing)
        if tok.where.alts is not None:  # read with doubt from a scan: arithmetic may decide
            out.doubts.append(Doubt(key, kind, tok))
            continue
        v = parse_value(tok.text)
        if v.blank:
            out.anomalies.append(_blank(key, tok))
        elif v.number is None:
            out.anomalies.append(_bad(key, tok, "text"))
        else:
            t, r, c = key.split(".")
            out.values[t][r][c] = v.number
            problem = _invalid(v.number, kind, v.decimal)
            if problem:
                out.anomalies.append(_bad(key, tok, problem))


def _blank(key: str, tok: Tok) -> Blank:
    return Blank(cells=[key], raw=tok.text, page=tok.where.page, line=tok.where.line)


def _bad(key: str, tok: Tok, problem: Problem) -> BadValue:
    w = tok.where
    return BadValue(cells=[key], raw=tok.text, problem=problem, page=w.page, line=w.line)


def _invalid(number: Number, kind: Kind, decimal: bool) -> Problem | None:
    if kind is Kind.AMOUNT:
        return "negative" if number < 0 else None
    if decimal or isinstance(number, float):
        return "decimal"
    if kind is Kind.COUNT and number < 0:
        return "negative"
    return None


# ---------------------------------------------------------------- t4


def _read_t4(region: list[Line], table: Table, out: Tables) -> None:
    """t4 is one row of fifteen values: a grid's value row, or the values of the text
    lines after the header (one cell per line or paragraph, extra blank lines being
    empty cells).  A row of blank markers only, such as a converter's ``| - | - |``
    under the header, counts only when no row of numbers follows."""
    keys = table.cell_keys()
    n = len(keys)
    base, step = gap_reading([region])
    # an empty cell is one extra blank line, or two (an empty paragraph): the reading the
    # whole document supports first, the other when only it fills the fifteen cells
    order = (2, 1) if step == 2 and out.gap_step == 2 else (1, 2) if step == 2 else (1,)
    tries = [_t4_tokens(region, n, base, s) for s in order]
    vals = next((v for v in tries if len(v) == n), tries[0])
    if vals and _cut_last(vals, out):
        vals = vals[:-1]  # the text stops inside this number: it may be cut short
    if not vals:
        out.anomalies.append(MissingRow(cells=keys, label=table.title))
        return
    _fill(keys, [Kind.COUNT] * n, vals, vals[0], table.title, out)


def _t4_tokens(region: list[Line], n: int, base: int, step: int) -> list[Tok]:
    """t4's value tokens; ``step`` extra blank lines before a paragraph are one empty cell."""
    vals: list[Tok] = []
    placeholder: list[Tok] = []
    for line in region:
        ln = line.split_values() if line.paragraph else line
        if ln.grid_width is not None:
            # its distinct cells: a value printed over two grid columns counts once (a
            # grid that holds another table too)
            cells = [t for t in ln.toks if not t.merged]
            filled = [t for t in cells if t.text]
            # the value row; it may carry a label in front ("数量", "件数")
            words = {id(t) for t in filled if not valueish(t)}
            if filled and len(words) < len(filled) and not any(id(t) in words for t in cells[-n:]):
                row_vals = cells[-n:]
                if not vals and not any(parse_value(t.text).number is not None for t in row_vals):
                    placeholder = placeholder or list(row_vals)
                    continue
                vals = list(row_vals)
                break
            continue
        got = [t for t in ln.toks if t.text and valueish(t)]
        if (vals or got) and line.paragraph and line.gap > base:
            # extra blank lines before a value paragraph (or after the last): empty cells
            vals.extend(Tok("", Where()) for _ in range((line.gap - base) // step))
        if not ln.paragraph:
            # a text table's row: the cells after its label ("行政复议 | 0 | | 0 …")
            last = max((i for i, t in enumerate(ln.toks) if t.text and not valueish(t)), default=-1)
            row = ln.toks[last + 1 :]
            got = row if real(row) else []
        if got and (
            not ln.paragraph
            or len(got) == len(ln.toks)
            or len(got) >= 3
            or any(t.loose for t in got)
        ):
            if (
                not vals
                and not ln.paragraph
                and not any(parse_value(t.text).number is not None for t in got)
            ):
                placeholder = placeholder or got
                continue
            inner = list(got)
            if len(inner) > n:
                while inner and not inner[0].text:
                    inner.pop(0)
            vals.extend(inner)
            if len([t for t in vals if t.text]) >= n or len(vals) >= n + 2:
                break
    vals = vals or placeholder
    while len(vals) > n and not vals[-1].text:
        vals.pop()
    return vals
