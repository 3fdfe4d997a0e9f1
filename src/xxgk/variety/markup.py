"""The markup habits of :mod:`xxgk.variety.publishing` (see its docstring): tables
split at a page break with their header repeated, Word's HTML, vertical labels, other
header merges, frame and ``<div>`` tables, DOCX text boxes and tracked changes.  Each
edits the printed markup with every cell standing as a token."""

from __future__ import annotations

import html as htmlmod
import random
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from .layouts import Printed
from .publishing import _TOKEN, _cells, _literal, joined, unjoin

if TYPE_CHECKING:
    from .habits import Case


# ---------------------------------------------------------------- header-repeat


def _t3_table(text: str, p: Printed, open_re: str, close: str) -> re.Match[str] | None:
    """The table (by its opening tag pattern) that holds table 3's cells."""
    first = next(i for i, k in enumerate(p.keys) if k and k.startswith("t3."))
    token = f"\x00{first}\x00"
    at = text.find(token)
    starts = [m for m in re.finditer(open_re, text[:at])]
    if not starts:
        return None
    start = starts[-1].start()
    end = text.find(close, at)
    return re.compile(re.escape(text[start : end + len(close)]), re.S).search(text, start)


_HTML_TR = re.compile(r"<tr\b[^>]*>.*?</tr>", re.S)
_HTML_CELL = re.compile(r"<(td|th)\b([^>]*)>(.*?)</\1>", re.S)
_ROWSPAN = re.compile(r"\s*rowspan=\"?(\d+)\"?")


def _html_rows(table: str) -> list[re.Match[str]]:
    return list(_HTML_TR.finditer(table))


def _seam(rows: list[str], rng: random.Random) -> tuple[int, int] | None:
    """(first value row, a row k>first+1 to start the second part at)."""
    values = [i for i, r in enumerate(rows) if _TOKEN.search(r)]
    if len(values) < 4:
        return None
    seams = [k for k in values[2:-1] if k - 1 in values]
    return (values[0], rng.choice(seams)) if seams else None


def html_split(
    rows_html: list[str], k: int
) -> tuple[list[str], list[str]]:  # first part, second part (rowspans cut at the seam)
    cells = [[list(c.groups()) for c in _HTML_CELL.finditer(r)] for r in rows_html]
    carried: list[str] = []
    for r in range(k):
        for c in cells[r]:
            m = _ROWSPAN.search(c[1])
            n = int(m.group(1)) if m else 1
            if r + n > k:
                c[1] = _ROWSPAN.sub(f' rowspan="{k - r}"' if k - r > 1 else "", c[1])
                rest = r + n - k
                attrs = _ROWSPAN.sub("", c[1]) + (f' rowspan="{rest}"' if rest > 1 else "")
                carried.append(f"<{c[0]}{attrs}></{c[0]}>")

    def tr(row: list[list[str]]) -> str:
        return "<tr>" + "".join(f"<{t}{a}>{x}</{t}>" for t, a, x in row) + "</tr>"

    first = [tr(r) for r in cells[:k]]
    second = ["<tr>" + "".join(carried) + tr(cells[k])[4:], *(tr(r) for r in cells[k + 1 :])]
    return first, second


def header_repeat(case: Case, rng: random.Random) -> None:
    p = case.printed
    if p.kind in ("html", "pdf"):
        _header_repeat_html(p, rng, pdf=p.kind == "pdf")
    elif p.kind == "docx":
        _header_repeat_docx(p, rng)
    else:
        _header_repeat_text(p, rng)


def _header_repeat_html(p: Printed, rng: random.Random, pdf: bool) -> None:
    text = joined(p)
    m = _t3_table(text, p, r"<table\b[^>]*>", "</table>")
    if m is None:
        return
    table = m.group(0)
    rows = _html_rows(table)
    seam = _seam([r.group(0) for r in rows], rng)
    if seam is None:
        return
    head_n, k = seam
    rows_html = [r.group(0) for r in rows]
    head = table[: rows[0].start()].replace("<tbody>", "")
    tail = table[rows[-1].end() :].replace("</tbody>", "")
    header = rows_html[:head_n]
    if pdf:
        # one table: the header in <thead> (WeasyPrint repeats it), a forced page break
        body = rows_html[head_n:]
        at = k - head_n
        body[at] = body[at].replace("<tr>", '<tr style="break-before: page">', 1)
        new = (
            f"{head}<thead>{''.join(header)}</thead>\n<tbody>\n"
            + "\n".join(body)
            + f"\n</tbody>{tail}"
        )
        new = (
            "<style>table.t3{break-inside:auto !important;page-break-inside:auto !important}"
            "</style>\n" + new
        )
        p.notes.append(f"t3 page break before row {k}")
    else:
        first, second = html_split(rows_html, k)
        new = (
            f"{head}<tbody>\n"
            + "\n".join(first)
            + f"\n</tbody>{tail}\n<p>- {rng.randint(2, 9)} -</p>\n"
            + f"{head}<tbody>\n"
            + "\n".join([*header, *second])
            + f"\n</tbody>{tail}"
        )
        p.notes.append(f"t3 split before row {k}, header repeated")
    unjoin(p, text[: m.start()] + new + text[m.end() :])


_W_TR = re.compile(r"<w:tr\b[^>]*>.*?</w:tr>", re.S)


def _header_repeat_docx(p: Printed, rng: random.Random) -> None:
    text = joined(p)
    m = _t3_table(text, p, r"<w:tbl>", "</w:tbl>")
    if m is None:
        return
    table = m.group(0)
    rows = list(_W_TR.finditer(table))
    seam = _seam([r.group(0) for r in rows], rng)
    if seam is None:
        return
    _, k = seam
    header = [r.group(0) for r in rows if "<w:tblHeader/>" in r.group(0)]
    head = table[: rows[0].start()]
    first = table[: rows[k].start()] + "</w:tbl>"
    # the continued merges of the seam row start afresh in the second table (empty)
    seam_row = rows[k].group(0).replace("<w:vMerge/>", '<w:vMerge w:val="restart"/>')
    second = head + "".join(header) + seam_row + table[rows[k].end() :]
    brk = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
    unjoin(p, text[: m.start()] + first + brk + second + text[m.end() :])
    p.notes.append(f"t3 split before row {k}, header rows repeated")


def _header_repeat_text(p: Printed, rng: random.Random) -> None:
    idx = [i for i, k in enumerate(p.keys) if k and k.startswith("t3.")]
    first = idx[0]
    before = p.parts[first - 1]
    # the header: from the line of the note (or 申请人情况) to the line of the first label
    note = max(before.rfind("勾稽"), -1)
    if note < 0:
        note = before.find("申请人情况")
    if note < 0:
        return
    hstart = before.rfind("\n", 0, note) + 1
    label = before.find("一、本年新收")
    if label < 0:
        return
    lstart = before.rfind("\n", 0, label) + 1
    header = before[hstart:lstart]
    # a seam: the text between two value rows, before the label of the next row
    seams = []
    for i in idx[8:-8]:
        part = p.parts[i + 1] if p.keys[i + 1] is None else ""
        cjk = [j for j, ch in enumerate(part) if "\u4e00" <= ch <= "\u9fff"]
        if cjk and "\n" in part[: cjk[0]]:
            seams.append((i + 1, part.rfind("\n", 0, cjk[0]) + 1))
    if not seams:
        return
    i, at = rng.choice(seams)
    part = p.parts[i]
    lead = part[:at]
    if p.layout.startswith("pipes") or p.layout in ("md",):
        footer = f"- {rng.randint(2, 9)} -\n"
    else:
        footer = f"第 {rng.randint(2, 9)} 页\n"
    p.parts[i] = lead + footer + header + part[at:]
    p.notes.append("t3 header repeated after a footer")


# ---------------------------------------------------------------- word-html

_WORD_HEAD = (
    '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:'
    'office" xmlns:w="urn:schemas-microsoft-com:office:word" '
    'xmlns="http://www.w3.org/TR/REC-html40">'
)
_WORD_META = (
    '<meta name=ProgId content=Word.Document>\n<meta name=Generator content="Microsoft Word 15">\n'
    "<!--[if gte mso 9]><xml><w:WordDocument><w:View>Print</w:View></w:WordDocument></xml>"
    "<![endif]-->\n<style>\n<!--\np.MsoNormal, li.MsoNormal {mso-style-unhide:no;"
    "mso-style-qformat:yes;margin:0cm;text-align:justify;font-size:10.5pt;"
    'font-family:"Times New Roman",serif;mso-fareast-font-family:宋体;}\n'
    "@page WordSection1 {size:595.3pt 841.9pt;mso-header-margin:42.55pt;}\n-->\n</style>\n"
)
_LABEL_BREAK = re.compile(r"([，（])")
_ENUM = re.compile(r"^(\d+\.|（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)")


def _word_label(text: str, rng: random.Random) -> str:
    plain = htmlmod.unescape(re.sub(r"<[^>]+>", "", text))
    if not plain:
        return "<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>"
    m = _ENUM.match(plain)
    spans = []
    rest = plain
    if m and m.group(1)[0].isdigit():
        spans.append(f"<span lang=EN-US style='font-size:10.5pt'>{m.group(1)}</span>")
        rest = plain[m.end() :]
    body = htmlmod.escape(rest, quote=False)
    if len(rest) > 12 and rng.random() < 0.7:
        cut = [mm.start() for mm in _LABEL_BREAK.finditer(body) if mm.start() > 2]
        at = rng.choice(cut) if cut else len(body) // 2
        body = body[:at] + "<br>\n" + body[at:]
    spans.append(f"<span style='font-size:10.5pt;font-family:仿宋_GB2312'>{body}</span>")
    return (
        "<p class=MsoNormal align=center style='text-align:center;mso-line-height-rule:"
        f"exactly'>{''.join(spans)}<span lang=EN-US><o:p></o:p></span></p>"
    )


def _word_grid(table: str) -> list[tuple[int, int]]:
    """The first grid column and colspan of each cell of ``table``, in order (the columns
    a rowspan above still holds are skipped, as a browser and Word lay them out)."""
    out: list[tuple[int, int]] = []
    held: dict[int, int] = {}  # grid column -> rows it is still held for
    for row in re.findall(r"<tr\b.*?</tr>", table, flags=re.S):
        col = 0
        below: dict[int, int] = {}
        for m in _HTML_CELL.finditer(row):
            while held.get(col, 0) > 0:
                col += 1
            cs = re.search(r'colspan="?(\d+)', m.group(2))
            rs = re.search(r'rowspan="?(\d+)', m.group(2))
            span = int(cs.group(1)) if cs else 1
            out.append((col, span))
            if rs and int(rs.group(1)) > 1:
                for c in range(col, col + span):
                    below[c] = int(rs.group(1)) - 1
            col += span
        held = {c: k - 1 for c, k in held.items() if k > 1} | below
    return out


def word_html(case: Case, rng: random.Random) -> None:
    p = case.printed
    text = joined(p)
    text = re.sub(r"<html[^>]*>", _WORD_HEAD, text, count=1)
    text = text.replace("</head>", _WORD_META + "</head>", 1)
    cells = _cells(p)
    blanked = set(rng.sample(cells, max(1, round(len(cells) * 0.04))))
    widths = [48, 60, 196, 54, 54, 54, 54, 54, 54, 54]
    grid: list[int] = []  # the table's column widths (Word writes them per column)
    place: list[tuple[int, int]] = []  # each cell's first grid column and colspan, in order

    def cell(m: re.Match[str]) -> str:
        attrs, body = m.group(2), m.group(3)
        spans = " ".join(re.findall(r'(?:col|row)span="\d+"', attrs)).replace('"', "")
        col, span = place.pop(0)
        w = sum(grid[col : col + span])
        style = (
            f"width={w} {spans} valign=middle style='width:{w * 0.75:.1f}pt;border:solid "
            "windowtext 1.0pt;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt'"
        )
        tok = _TOKEN.fullmatch(re.sub(r"<[^>]+>", "", body).strip())
        if tok:
            i = int(tok.group(1))
            if i in blanked:
                key = p.keys[i]
                assert key is not None
                case.blank.add(key)
                p.parts[i] = ""
                inner = (
                    f"<p class=MsoNormal align=center><span lang=EN-US>&nbsp;\x00{i}\x00"
                    "<o:p></o:p></span></p>"
                )
            else:
                inner = (
                    "<p class=MsoNormal align=center style='text-align:center'><span lang=EN-US "
                    "style='font-size:10.5pt;mso-bidi-font-size:12.0pt'><span "
                    f"style='mso-spacerun:yes'></span>\x00{i}\x00<o:p></o:p></span></p>"
                )
        else:
            inner = _word_label(body, rng)
        return f"<td {style}>{inner}</td>"

    def table(m: re.Match[str]) -> str:
        t = m.group(0)
        t = re.sub(
            r"<table[^>]*>",
            "<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 width=614 "
            "style='width:460.6pt;border-collapse:collapse;border:none;mso-border-alt:solid "
            "windowtext .5pt;mso-yfti-tbllook:1184'>",
            t,
            count=1,
        )
        t = re.sub(r"<colgroup>.*?</colgroup>", "", t, flags=re.S)
        n = [0]

        def tr(mm: re.Match[str]) -> str:
            n[0] += 1
            return f"<tr style='mso-yfti-irow:{n[0]};height:19.85pt'>"

        t = re.sub(r"<tr>", tr, t)
        place[:] = _word_grid(t)
        ncols = max(c + s for c, s in place)
        raw = [rng.choice(widths) for _ in range(ncols)]
        grid[:] = [round(w * 614 / sum(raw)) for w in raw]  # the grid fills the table's width
        t = _HTML_CELL.sub(cell, t)
        spacer = "".join(f"<td width={w} style='border:none'></td>" for w in grid)
        t = t.replace(
            "</tbody>",
            f"<![if !supportMisalignedColumns]>\n<tr height=0>{spacer}</tr>\n<![endif]>\n</tbody>",
        )
        return t

    text = re.sub(r"<table\b.*?</table>", table, text, flags=re.S)
    text = re.sub(
        r"<p>([^<]*)</p>",
        lambda m: (
            f"<p class=MsoNormal style='text-indent:32.0pt'><span style='font-size:16.0pt;"
            f"font-family:仿宋_GB2312'>{m.group(1)}<span lang=EN-US><o:p></o:p></span></span></p>"
        ),
        text,
    )
    unjoin(p, text)


# ---------------------------------------------------------------- vertical-labels

_VERTICAL = str.maketrans({"（": "︵", "）": "︶"})


def _narrow(p: Printed) -> set[str]:
    from ..format import T3_GROUPS

    return {*T3_GROUPS, "申请人情况"}


def vertical_labels(case: Case, rng: random.Random) -> None:
    p = case.printed
    forms = rng.random() < 0.5
    labels = _narrow(p)

    def chars(label: str) -> list[str]:
        return list(label.translate(_VERTICAL) if forms else label)

    if p.kind == "txt":
        _vertical_tabs(p, chars)
        p.notes.append("vertical labels, a character a row")
        return
    text = joined(p)
    if p.kind == "docx":

        def tc(m: re.Match[str]) -> str:
            t = m.group(0)
            found = re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", t)
            label = "".join(found)
            if label not in labels or "\x00" in t:
                return t
            para = re.search(r"<w:p>.*</w:p>", t, re.S)
            if para is None:
                return t
            pp = para.group(0)
            lead = pp[: pp.find("<w:r>")]
            run = re.search(r"<w:r>(?:<w:rPr>.*?</w:rPr>)?", pp, re.S)
            rpr = run.group(0) if run else "<w:r>"
            new = "".join(f"{lead}{rpr}<w:t>{ch}</w:t></w:r></w:p>" for ch in chars(label))
            return t[: para.start()] + new + t[para.end() :]

        text = re.sub(r"<w:tc>.*?</w:tc>", tc, text, flags=re.S)
    else:

        def cell(m: re.Match[str]) -> str:
            tag, attrs, body = m.groups()
            label = htmlmod.unescape(re.sub(r"<[^>]+>", "", body)).strip()
            if label not in labels:
                return m.group(0)
            return f"<{tag}{attrs}>" + "<br>".join(chars(label)) + f"</{tag}>"

        text = _HTML_CELL.sub(cell, text)
    unjoin(p, text)
    p.notes.append("vertical labels" + (" with vertical brackets" if forms else ""))


def _vertical_tabs(p: Printed, chars: Callable[[str], list[str]]) -> None:
    """A PDF's text dump of vertical group labels: a character of each merged group
    label in front of each of its rows (top-aligned), the characters left over each on
    a line of its own after the group's last row."""
    from ..format import T3_GROUPS, VERSIONS

    version = VERSIONS["2019" if "t2.procurement.amount" in p.keys else "2021"]
    rows = version.table("t3").rows
    first = {f"t3.{r.key}.{r.columns[0].key}": r for r in rows}
    outer = T3_GROUPS[0]
    spans: dict[str, list[str]] = {}  # group label -> its rows' keys, in order
    for r in rows:
        if r.key not in ("new", "carried_over", "carried_forward"):
            spans.setdefault(outer, []).append(r.key)
        if r.group and r.group != outer:
            spans.setdefault(r.group, []).append(r.key)
    left = {g: chars(g) for g in spans}
    for i, key in enumerate(p.keys):
        row = first.get(key or "")
        if row is None:
            continue
        before = p.parts[i - 1]
        start = before.rfind("\n") + 1
        fields = before[start:].split("\t")
        label = [f for f in fields[:-1] if f not in spans]
        prefix = []
        tail = ""
        for g, keys in spans.items():
            if row.key in keys and left[g]:
                prefix.append(left[g].pop(0))
                if row.key == keys[-1] and left[g]:
                    tail += "".join(f"\n{ch}" for ch in left[g])
                    left[g] = []
        p.parts[i - 1] = before[:start] + "\t".join([*prefix, *label, fields[-1]])
        if tail:  # after the row's last cell
            j = p.keys.index(f"t3.{row.key}.{row.columns[-1].key}") + 1
            p.parts[j] = tail + p.parts[j]


# ---------------------------------------------------------------- split-header

_SUBS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
_SUB_HALVES = (("商业", "企业"), ("科研", "机构"), ("社会公", "益组织"), ("法律服", "务机构"))


def _header_grid(note: str, variant: int) -> list[list[tuple[str, int, int]]]:
    """Rows of (text, colspan, rowspan) for t3's header (note first, 3 columns wide)."""
    if variant == 0:  # two rows, no 申请人情况
        return [
            [(note, 3, 2), ("自然人", 1, 2), ("法人或其他组织", 5, 1), ("总计", 1, 2)],
            [(s, 1, 1) for s in _SUBS],
        ]
    if variant == 1:  # three rows, spans as empty cells
        return [
            [(note, 3, 3), ("申请人情况", 7, 1)],
            [("自然人", 1, 1), ("法人或其他组织", 5, 1), ("总计", 1, 1)],
            [("", 1, 1), *((s, 1, 1) for s in _SUBS), ("", 1, 1)],
        ]
    # four rows: the sub-column labels over two rows
    return [
        [(note, 3, 4), ("申请人情况", 7, 1)],
        [("自然人", 1, 3), ("法人或其他组织", 5, 1), ("总计", 1, 3)],
        [*((a, 1, 1) for a, _ in _SUB_HALVES), ("其他", 1, 2)],
        [(b, 1, 1) for _, b in _SUB_HALVES],
    ]


_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def split_header(case: Case, rng: random.Random) -> None:
    p = case.printed
    variant = rng.randrange(3)
    text = joined(p)
    if p.kind == "docx":
        m = _t3_table(text, p, r"<w:tbl>", "</w:tbl>")
        if m is None:
            return
        table = m.group(0)
        rows = list(_W_TR.finditer(table))
        head = [r for r in rows if "<w:tblHeader/>" in r.group(0)]
        new = _docx_rows(_header_grid(_NOTE, variant))
        table = table[: head[0].start()] + new + table[head[-1].end() :]
    else:
        m = _t3_table(text, p, r"<table\b[^>]*>", "</table>")
        if m is None:
            return
        table = m.group(0)
        rows = _html_rows(table)
        n = next(i for i, r in enumerate(rows) if _TOKEN.search(r.group(0)))
        new = "\n".join(_html_row(r) for r in _header_grid(_NOTE, variant))
        table = table[: rows[0].start()] + new + table[rows[n - 1].end() :]
    unjoin(p, text[: m.start()] + table + text[m.end() :])
    p.notes.append(f"t3 header variant {variant}")


def _html_row(cells: list[tuple[str, int, int]]) -> str:
    out = []
    for text, cs, rs in cells:
        attrs = (f' colspan="{cs}"' if cs > 1 else "") + (f' rowspan="{rs}"' if rs > 1 else "")
        out.append(f"<th{attrs}>{text}</th>")
    return "<tr>" + "".join(out) + "</tr>"


def _w_tc(text: str, cs: int, vmerge: str | None) -> str:
    pr = (f'<w:gridSpan w:val="{cs}"/>' if cs > 1 else "") + (
        '<w:vMerge w:val="restart"/>'
        if vmerge == "restart"
        else "<w:vMerge/>"
        if vmerge == "continue"
        else ""
    )
    run = f"<w:r><w:t>{text}</w:t></w:r>" if text else ""
    return f"<w:tc><w:tcPr>{pr}</w:tcPr><w:p>{run}</w:p></w:tc>"


def _docx_rows(grid: list[list[tuple[str, int, int]]]) -> str:
    """The header rows with rowspans as vMerge (restart above, continue below)."""
    width = 10
    cover: list[list[tuple[str, int, int, bool] | None]] = [[None] * width for _ in grid]
    for r, cells in enumerate(grid):
        c = 0
        for text, cs, rs in cells:
            while cover[r][c] is not None:
                c += 1
            for rr in range(r, r + rs):
                cover[rr][c] = (text, cs, rs, rr == r)
                for cc in range(c + 1, c + cs):
                    cover[rr][cc] = ("", 0, 0, False)
            c += cs
    out = []
    for r in range(len(grid)):
        tcs = []
        for c in range(width):
            got = cover[r][c]
            if got is None or got[1] == 0:
                continue
            text, cs, rs, top = got
            vmerge = None if rs == 1 else "restart" if top else "continue"
            tcs.append(_w_tc(text if top else "", cs, vmerge))
        out.append("<w:tr><w:trPr><w:tblHeader/></w:trPr>" + "".join(tcs) + "</w:tr>")
    return "".join(out)


# ---------------------------------------------------------------- nested tables


def nested_table(case: Case, rng: random.Random) -> None:
    p = case.printed
    text = joined(p)
    whole = rng.random() < 0.5
    if p.kind == "docx":
        body = text.find("<w:body>") + len("<w:body>")
        sect = text.rfind("<w:sectPr")
        open_ = (
            '<w:tbl><w:tblPr><w:tblW w:type="pct" w:w="5000"/></w:tblPr><w:tblGrid>'
            '<w:gridCol w:w="9000"/></w:tblGrid><w:tr><w:tc><w:tcPr><w:tcW w:type="pct" '
            'w:w="5000"/></w:tcPr>'
        )
        close = "<w:p/></w:tc></w:tr></w:tbl>"
        if whole:
            text = text[:body] + open_ + text[body:sect] + close + text[sect:]
        else:
            text = re.sub(
                r"<w:tbl>.*?</w:tbl>", lambda m: open_ + m.group(0) + close, text, flags=re.S
            )
    else:
        open_ = '<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr><td class="content">'
        close = "</td></tr></table>"
        if whole:
            m = re.search(r"<body[^>]*>", text)
            assert m is not None
            end = text.rfind("</body>")
            text = text[: m.end()] + open_ + text[m.end() : end] + close + text[end:]
        else:
            text = re.sub(
                r"<table\b.*?</table>",
                lambda m: f'<table align="center"><tr><td>{m.group(0)}</td></tr></table>',
                text,
                flags=re.S,
            )
    unjoin(p, text)
    p.notes.append("body in a layout table" if whole else "each table in a frame")


# ---------------------------------------------------------------- div tables


def div_table(case: Case, rng: random.Random) -> None:
    p = case.printed
    text = joined(p)
    cls = rng.choice([("table", "tr", "td"), ("tb", "row", "cell")])

    def table(m: re.Match[str]) -> str:
        rows = []
        for tr in _html_rows(m.group(0)):
            cells = []
            for c in _HTML_CELL.finditer(tr.group(0)):
                body = c.group(3)
                cs = re.search(r'colspan="(\d+)"', c.group(2))
                w = 8 * (int(cs.group(1)) if cs else 1)
                cells.append(f'<div class="{cls[2]}" style="width:{w}%">{body}</div>')
            rows.append(f'<div class="{cls[1]}">' + "".join(cells) + "</div>")
        return f'<div class="{cls[0]}">\n' + "\n".join(rows) + "\n</div>"

    text = re.sub(r"<table\b.*?</table>", table, text, flags=re.S)
    unjoin(p, text)


# ---------------------------------------------------------------- DOCX text boxes


def _textbox(content: str, literal: str) -> str:
    """A paragraph anchoring a text box: Word's drawing with its VML fallback copy."""
    return (
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:extent cx="5400000" cy="1800000"/><wp:docPr id="1" name="文本框 1"/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx><wps:bodyPr/>"
        "</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        '<mc:Fallback><w:pict><v:shape style="width:425pt;height:142pt"><v:textbox>'
        f"<w:txbxContent>{literal}</w:txbxContent></v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )


def textbox(case: Case, rng: random.Random) -> None:
    p = case.printed
    text = joined(p)
    body = text.find("<w:body>") + len("<w:body>")
    first_end = text.find("</w:p>", body) + len("</w:p>")
    title = text[body:first_end]
    text = text[:body] + _textbox(title, _literal(p, title)) + text[first_end:]
    tables = list(re.finditer(r"<w:tbl>.*?</w:tbl>", text, re.S))
    t4 = tables[-1]
    box = _textbox(t4.group(0) + "<w:p/>", _literal(p, t4.group(0)) + "<w:p/>")
    text = text[: t4.start()] + box + text[t4.end() :]
    unjoin(p, text)


# ---------------------------------------------------------------- tracked changes

_RPR = r"((?:<w:rPr>(?:(?!</w:rPr>).)*</w:rPr>)?)"
_W_T = re.compile(r"<w:r>" + _RPR + r"<w:t>(\x00\d+\x00)</w:t></w:r>", re.S)


def tracked(case: Case, rng: random.Random) -> None:
    """Tracked changes: a DOCX's (w:del, w:ins, a deleted row, a deleted sentence), or a
    web page's and its typeset page's (:func:`tracked_html`)."""
    if case.printed.kind != "docx":
        tracked_html(case, rng)
        return
    p = case.printed
    text = joined(p)
    n = [0]

    def rid() -> str:
        n[0] += 1
        return f'w:id="{n[0]}" w:author="审核人" w:date="2024-01-15T10:00:00Z"'

    def change(m: re.Match[str]) -> str:
        if rng.random() > 0.15:
            return m.group(0)
        old = str(rng.randint(0, 99))
        rpr = m.group(1)
        return (
            f"<w:del {rid()}><w:r>{rpr}<w:delText>{old}</w:delText></w:r></w:del>"
            f"<w:ins {rid()}>{m.group(0)}</w:ins>"
        )

    text = _W_T.sub(change, text)
    # a deleted row of other numbers after some value row (a continuation of merges)
    m = _t3_table(text, p, r"<w:tbl>", "</w:tbl>")
    if m is not None:
        rows = [r for r in _W_TR.finditer(m.group(0)) if _TOKEN.search(r.group(0))]
        row = rng.choice(rows[2:])
        copy = _literal(p, row.group(0)).replace('<w:vMerge w:val="restart"/>', "<w:vMerge/>")
        copy = re.sub(r"<w:t>(\d+)</w:t>", lambda mm: f"<w:t>{int(mm.group(1)) + 7}</w:t>", copy)
        copy = re.sub(
            r"<w:r>" + _RPR + r"<w:t>([^<]*)</w:t></w:r>",
            lambda mm: (
                f"<w:del {rid()}><w:r>{mm.group(1)}<w:delText>{mm.group(2)}"
                "</w:delText></w:r></w:del>"
            ),
            copy,
            flags=re.S,
        )
        copy = copy.replace("<w:trPr>", f"<w:trPr><w:del {rid()}/>", 1)
        if "<w:trPr>" not in copy:
            copy = copy.replace("<w:tr>", f"<w:tr><w:trPr><w:del {rid()}/></w:trPr>", 1)
        at = m.start() + row.end()
        text = text[:at] + copy + text[at:]
    # a deleted sentence with a number in section 三's narrative
    at = text.find("本机关依法受理")
    if at > 0:
        text = (
            text[:at]
            + f"</w:t></w:r><w:del {rid()}><w:r><w:delText>收到申请{rng.randint(100, 999)}件。"
            "</w:delText></w:r></w:del><w:r><w:t>" + text[at:]
        )
    unjoin(p, text)


_TD_VALUE = re.compile(r"(<t[dh][^>]*>)(\x00\d+\x00)(</t[dh]>)")


def tracked_html(case: Case, rng: random.Random) -> None:
    """Tracked changes in a web page or a page typeset from it (Word's 另存为网页 with the
    changes shown, a CMS keeping them): some values replaced (``<del>`` the old number,
    ``<ins>`` the new, struck through and underlined when typeset), and a sentence with
    a number deleted in section 三's text."""
    p = case.printed
    text = joined(p)

    def change(m: re.Match[str]) -> str:
        if rng.random() > 0.15:
            return m.group(0)
        old = str(rng.randint(0, 99))
        return f"{m.group(1)}<del>{old}</del><ins>{m.group(2)}</ins>{m.group(3)}"

    text = _TD_VALUE.sub(change, text)
    at = text.find("本机关依法受理")
    if at > 0:
        text = text[:at] + f"<del>收到申请{rng.randint(100, 999)}件。</del>" + text[at:]
    unjoin(p, text)


# ---------------------------------------------------------------- a table per row


def row_tables(case: Case, rng: random.Random) -> None:
    """Every row of the three tables a table of its own (what some converters and
    editors leave of a pasted table); a merged cell is cut at each row as in
    :func:`html_split`."""
    p = case.printed
    text = joined(p)

    def table(m: re.Match[str]) -> str:
        t = m.group(0)
        rows = _html_rows(t)
        if len(rows) < 2:
            return t
        head = t[: rows[0].start()].replace("<tbody>", "")
        tail = t[rows[-1].end() :].replace("</tbody>", "")
        out = []
        cur = [r.group(0) for r in rows]
        while len(cur) > 1:
            first, cur = html_split(cur, 1)
            out.append(first[0])
        out.append(cur[0])
        return "\n".join(f"{head}<tbody>{row}</tbody>{tail}" for row in out)

    unjoin(p, re.sub(r"<table\b.*?</table>", table, text, flags=re.S))
