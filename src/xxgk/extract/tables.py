"""Locating the three statutory tables among the lines and reading their cells.

One implementation for every input type.  Grid tables (HTML, DOCX, PDF) give each
value a column position; text dumps give values in reading order, sometimes before
their label (PDF text) or on the lines after it (one cell per line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..format import APPLICANTS, REVIEW, Kind, Row, Table, Version
from ..model import Anomaly, CellSource, Number
from .glued import Run, solve
from .labels import Matcher, column_cores, core, matcher, normalize
from .lines import Line, Tok
from .values import parse_value

# what marks the start of each table in running text: its caption, note or first heading
_T2_ANCHOR = re.compile("第二十条")
_T3_ANCHOR = re.compile("|".join(re.escape(w) for w in ("勾稽", APPLICANTS, "本年新收")))
_T4_ANCHOR = re.compile(re.escape(REVIEW))
_SUBTOTAL = re.compile(r"小计")


@dataclass
class Tables:
    values: dict[str, dict[str, dict[str, Number | None]]] = field(default_factory=dict)
    cells: dict[str, CellSource] = field(default_factory=dict)
    anomalies: list[Anomaly] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)  # glued digit runs waiting to be split


@dataclass
class _Found:
    key: str
    alien: bool
    label: Tok
    values: list[Tok]
    positional: bool = False


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
    )


def regions(lines: list[Line], heads: dict[int, int]) -> dict[str, tuple[int, int]]:
    """[start, end) line ranges of t2, t3 and t4."""

    def first(pattern: re.Pattern[str], start: int, short: int) -> int | None:
        for ln in lines[start:]:
            text = ln.text
            if pattern.search(text) and (not ln.paragraph or len(normalize(text)) <= short):
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
    return out


def read_tables(
    lines: list[Line],
    version: Version,
    spans: dict[str, tuple[int, int]],
    narrative: str = "",
) -> Tables:
    """The three tables read from their regions (see :func:`regions`)."""
    out = Tables()
    for table in version.tables:
        out.values[table.key] = {r.key: {c.key: None for c in r.columns} for r in table.rows}
        span = spans.get(table.key)
        if span is None:
            out.anomalies.append(
                Anomaly(kind="missing_table", cells=table.cell_keys(), detail=table.title)
            )
            continue
        region = lines[span[0] : span[1]]
        if table.key == "t4":
            _read_t4(region, table, out)
        else:
            _read_rows(region, table, version, out)
        if out.runs:
            _split_runs(out, version, narrative, table.title)
    return out


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


_DIGITS = re.compile(r"^[+-]?[\d.,+]+(元)?$")


def _glued_run(vals: list[Tok], n: int, keys: list[str], kinds: list[Kind], out: Tables) -> bool:
    """Defer a row of loose digits that does not have one value per column."""
    if len(vals) == n or not vals or not all(t.loose and _DIGITS.match(t.text) for t in vals):
        return False
    text = "".join(t.text for t in vals)
    if len(re.sub(r"\D", "", text)) < n:
        return False  # fewer digits than cells: a value is missing, not glued
    out.runs.append(Run(keys, kinds, text, vals[0]))
    return True


# ---------------------------------------------------------------- t2 / t3


def _t3_positions(region: list[Line]) -> tuple[dict[str, int], int | None, int | None]:
    """Grid column of each t3 column from the header, of an extra 小计 column, and the
    table (block index) the header belongs to: positions hold only in that table."""
    cols = column_cores("2021", "t3", "new")
    pos: dict[str, int] = {}
    extra = None
    owner: int | None = None
    for ln in region[:8]:
        if ln.grid_width is None or (owner is not None and ln.table != owner):
            continue
        if any(c == core(t.text)[0] for t in ln.toks for c, _ in cols):
            owner = ln.table
        for t in ln.toks:
            if t.col is None or not t.text:
                continue
            c, _ = core(t.text)
            if _SUBTOTAL.search(c):
                extra = t.col
                continue
            for label, key in cols:
                if c == label and key not in pos and not t.merged:
                    pos[key] = t.col
    return pos, extra, owner


def _read_rows(region: list[Line], table: Table, version: Version, out: Tables) -> None:
    m = matcher(version.key, table.key)
    positions, extra_col, header_table = (
        _t3_positions(region) if table.key == "t3" else ({}, None, None)
    )
    use_positions = len(positions) == len(table.rows[0].columns)
    extra_seq: int | None = None
    if table.key == "t3" and extra_col is None:
        extra_seq = _sequential_extra(region)
    if extra_col is not None or extra_seq is not None:
        out.anomalies.append(
            Anomaly(
                kind="extra_column", detail="法人或其他组织小计", cells=[f"{table.key}.new.total"]
            )
        )
    if table.key == "t3" and not use_positions:
        by_order = _by_position(region, table, m)
        if by_order is not None:
            _assign(by_order, table, version, out, extra_seq)
            return
    found: list[_Found] = []
    pending: _Found | None = None  # a label still waiting for its values
    orphans: list[Tok] = []  # values that came before their label
    for raw_line in region:
        line = raw_line.split_values() if raw_line.paragraph else raw_line
        toks = line.toks
        label_i = None
        hit = None
        for i, t in enumerate(toks):
            if t.merged or not t.text:
                continue
            got = m.match(t.text)
            if got is not None and not (
                got.alien and m.is_group(t.text) and _has_label_after(toks, i, m)
            ):
                label_i, hit = i, got
        if hit is not None and label_i is not None:
            if (
                hit.alien
                and m.is_group(toks[label_i].text)
                and not _real([t for t in toks[label_i + 1 :] if _valueish(t)])
            ):
                continue  # （六）其他处理 printed as a group label only
            if line.grid_width is not None:
                vals = _grid_values(
                    line,
                    label_i,
                    table,
                    version,
                    hit.key,
                    positions if use_positions and line.table == header_table else None,
                )
                f = _Found(hit.key, hit.alien, toks[label_i], vals, True)
            else:
                after = [t for t in toks[label_i + 1 :] if t.text and not t.merged]
                if len(after) == _width(table, hit.key) and not line.paragraph:
                    vals = after  # every position filled: text stands where a number belongs
                else:
                    vals = [t for t in toks[label_i + 1 :] if _valueish(t)]
                f = _Found(hit.key, hit.alien, toks[label_i], vals)
                if not _real(vals):
                    before = [t for t in toks[:label_i] if t.text and _valueish(t)]
                    if before:
                        f.values = before
                    elif orphans:
                        f.values, orphans = orphans, []
                    else:
                        pending = f
            if _real(f.values):
                pending = None
            found.append(f)
            continue
        vals = [t for t in toks if _valueish(t)]
        if not vals or (
            not line.all_values and line.grid_width is None and len(vals) < len(toks) // 2
        ):
            continue
        if not any(t.text for t in vals):
            continue
        if pending is not None:
            pending.values = vals
            pending = None
        elif found and not found[-1].positional and _room(found[-1], table):
            found[-1].values.extend(vals)
        else:
            orphans = vals
    _assign(found, table, version, out, extra_seq)


def _by_position(region: list[Line], table: Table, m: Matcher) -> list[_Found] | None:
    """Rows assigned by their order, when labels were pushed out of the table.

    Converters sometimes move row labels into the surrounding text while every value
    row stays in order.  When the region holds exactly one value row per row of the
    format, and every row that kept its label sits at its own position, the rows are
    taken in the format's order.  Otherwise None (labels decide).
    """
    n = len(table.rows[0].columns)
    rows: list[tuple[Tok | None, list[Tok], Line]] = []
    for line in region:
        if line.grid_width is not None or line.paragraph:
            continue
        toks = [t for t in line.toks if not t.merged]
        last_text = max((i for i, t in enumerate(toks) if t.text and not _valueish(t)), default=-1)
        vals = toks[last_text + 1 :]
        while vals and not vals[0].text:
            vals.pop(0)
        while len(vals) > n and not vals[-1].text:
            vals.pop()
        if sum(1 for t in vals if t.text) < n - 1 or len(vals) != n:
            continue
        label = None
        for t in toks[: last_text + 1]:
            if t.text and m.match(t.text) is not None:
                label = t
        rows.append((label, vals, line))
    if len(rows) != len(table.rows) or all(label is not None for label, _, _ in rows):
        return None
    found: list[_Found] = []
    for row, (label, vals, _line) in zip(table.rows, rows, strict=True):
        if label is not None:
            hit = m.match(label.text)
            if hit is None or hit.key != row.key:
                return None
        anchor = label or vals[0]
        found.append(_Found(row.key, False, anchor, vals, True))
    return found


def _has_label_after(toks: list[Tok], i: int, m: Matcher) -> bool:
    return any(t.text and not t.merged and m.match(t.text) for t in toks[i + 1 :])


def _valueish(t: Tok) -> bool:
    if t.merged:
        return False
    v = parse_value(t.text)
    return v.blank or v.number is not None or (t.loose and bool(_DIGITS.match(t.text)))


def _real(vals: list[Tok]) -> bool:
    return any(t.text for t in vals)


def _width(table: Table, key: str) -> int:
    try:
        return len(table.row(key).columns)
    except KeyError:
        return -1


def _room(f: _Found, table: Table) -> bool:
    try:
        n = len(table.row(f.key).columns)
    except KeyError:
        return False
    return len([t for t in f.values if t.text]) < n


def _sequential_extra(region: list[Line]) -> int | None:
    """Index of a 小计 column among the header cells of a text table, if any."""
    column_labels = {label for label, _ in column_cores("2021", "t3", "new")}
    heads: list[str] = []
    for ln in region[:8]:
        for t in ln.toks:
            c, _ = core(t.text)
            if c in column_labels:
                heads.append(c)
            elif _SUBTOTAL.search(c):
                return len(heads)
    return None


def _grid_values(
    line: Line,
    label_i: int,
    table: Table,
    version: Version,
    key: str,
    positions: dict[str, int] | None,
) -> list[Tok]:
    width = line.grid_width or len(line.toks)
    try:
        row = table.row(key)
    except KeyError:
        row = None
    if table.key == "t3" and positions:
        cols = [c.key for c in table.rows[0].columns]
        return [line.toks[positions[c]] for c in cols if positions[c] < len(line.toks)]
    if table.key == "t3":
        n = len(table.rows[0].columns)
        start = max(label_i + 1, width - n)
        return list(line.toks[start:width])
    # t2: distinct cells after the label; a value spanning several columns counts once
    vals: list[Tok] = []
    for t in line.toks[label_i + 1 :]:
        if t.merged and vals and vals[-1].where == t.where:
            continue
        if t.merged and t.where == line.toks[label_i].where:
            continue
        vals.append(t)
    n = len(row.columns) if row is not None else len(vals)
    while len(vals) > n and not vals[-1].text:
        vals.pop()
    return vals


def _assign(
    found: list[_Found], table: Table, version: Version, out: Tables, extra_seq: int | None
) -> None:
    done: set[str] = set()
    for f in found:
        if f.alien:
            if _real(f.values):
                cols = table.rows[0].columns if table.key == "t3" else ()
                out.anomalies.append(
                    Anomaly(
                        kind="extra_row",
                        cells=[f"{table.key}.{f.key}.{c.key}" for c in cols],
                        raw=f.label.text,
                        detail=f"{table.key}.{f.key}",
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
    split_other = any(f.alien and f.key == "other" and _real(f.values) for f in found)
    for row in table.rows:
        if split_other and row.group == "（六）其他处理":
            continue  # the single 2019-style （六） row stands for them (FMT-005 says so)
        if row.key not in done:
            out.anomalies.append(
                Anomaly(
                    kind="missing_row",
                    cells=[f"{table.key}.{row.key}.{c.key}" for c in row.columns],
                    detail=row.label,
                )
            )


def _assign_row(
    f: _Found, row: Row, table: Table, version: Version, out: Tables, extra_seq: int | None
) -> None:
    keys = [f"{table.key}.{row.key}.{c.key}" for c in row.columns]
    n = len(keys)
    vals = list(f.values)
    if not f.positional:
        while vals and not vals[0].text:
            vals.pop(0)
        while len(vals) > n and not vals[-1].text:
            vals.pop()
        if extra_seq is not None and len(vals) == n + 1:
            vals.pop(extra_seq)
    _fill(keys, [c.kind for c in row.columns], vals, f.label, row.label, out)


def _fill(
    keys: list[str], kinds: list[Kind], vals: list[Tok], anchor: Tok, label: str, out: Tables
) -> None:
    """Put one row's value tokens into its cells, or say why they cannot go there."""
    n = len(keys)
    if vals and all(parse_value(t.text).blank for t in vals):
        # "/" across the row, or a row left empty: every cell blank
        for i, key in enumerate(keys):
            tok = vals[min(i, len(vals) - 1)]
            out.cells[key] = _source(tok)
            out.anomalies.append(_anomaly("blank", key, tok))
        return
    if _glued_run(vals, n, keys, kinds, out):
        return
    if len(vals) != n:
        for key in keys:
            out.cells[key] = CellSource(raw=None, page=anchor.where.page, line=anchor.where.line)
        out.anomalies.append(
            Anomaly(
                kind="row_shape",
                cells=keys,
                raw=" ".join(t.text for t in vals),
                detail=f"{label}|{len(vals)}|{n}",
                page=anchor.where.page,
                line=anchor.where.line,
            )
        )
        return
    for key, kind, tok in zip(keys, kinds, vals, strict=True):
        out.cells[key] = _source(tok)
        v = parse_value(tok.text)
        if v.blank:
            out.anomalies.append(_anomaly("blank", key, tok))
        elif v.number is None:
            out.anomalies.append(_anomaly("bad_value", key, tok, "text"))
        else:
            t, r, c = key.split(".")
            out.values[t][r][c] = v.number
            problem = _invalid(v.number, kind, v.decimal)
            if problem:
                out.anomalies.append(_anomaly("bad_value", key, tok, problem))


def _anomaly(kind: str, key: str, tok: Tok, detail: str = "") -> Anomaly:
    w = tok.where
    return Anomaly(kind=kind, cells=[key], raw=tok.text, detail=detail, page=w.page, line=w.line)


def _invalid(number: Number, kind: Kind, decimal: bool) -> str:
    if kind is Kind.AMOUNT:
        return "negative" if number < 0 else ""
    if decimal or isinstance(number, float):
        return "decimal"
    if kind is Kind.COUNT and number < 0:
        return "negative"
    return ""


# ---------------------------------------------------------------- t4


def _read_t4(region: list[Line], table: Table, out: Tables) -> None:
    keys = table.cell_keys()
    n = len(keys)
    vals: list[Tok] = []
    for line in region[1:] if len(region) > 1 else region:
        ln = line.split_values() if line.paragraph else line
        if ln.grid_width is not None:
            cells = [t for t in ln.toks if not t.merged]
            filled = [t for t in cells if t.text]
            # the value row; it may carry a label in front ("数量", "件数")
            words = [t for t in filled if not _valueish(t)]
            if (
                filled
                and len(words) < len(filled)
                and all(t.col is not None and t.col < len(ln.toks) - n for t in words)
            ):
                row_vals = ln.toks[-n:] if len(ln.toks) >= n else cells
                vals = list(row_vals)
                break
            continue
        got = [t for t in ln.toks if t.text and _valueish(t)]
        if got and (len(got) == len(ln.toks) or len(got) >= 3 or any(t.loose for t in got)):
            vals.extend(got)
            if len(vals) >= n:
                break
    if not vals:
        out.anomalies.append(Anomaly(kind="missing_row", cells=keys, detail=table.title))
        return
    _fill(keys, [Kind.COUNT] * n, vals, vals[0], table.title, out)
