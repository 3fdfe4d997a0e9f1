"""Publishing habits of real reports beyond the template: how numbers are written, how
tables break over pages, what Word, CMS pages and encodings do to the markup.

Registered in :mod:`xxgk.variety.habits` (``HABITS``, ``applies``); each function takes
a :class:`~xxgk.variety.habits.Case` and edits its printed parts.  The number habits,
``gbk`` and ``spaced`` are here, the markup habits in :mod:`xxgk.variety.markup`, which
edits the markup with every cell standing as a token (:func:`joined` / :func:`unjoin`),
so the place of each cell stays known.

Numbers (every layout but the glued dumps, where a digit-less mark between digits is
the only separator there is):

* ``fullwidth`` — digits (and the point and minus) typed full width: ``１２３``;
* ``units`` — counts printed with their unit (``12件``, ``3 件``, ``5项``; ``万元``);
* ``thousands`` — ``1,234`` or ``1，234`` (one report uses one of them);
* ``zero-ling`` — zeros of some tables printed ``〇``: read as 0 (〇 is the numeral zero);
* ``blank-wu`` — some cells printed ``无`` ("none"): the contract makes it a blank, so
  it must be read null (NUM-002), never 0.

Markup:

* ``header-repeat`` — table 3 split in two at a page break, its header rows repeated
  above the second part (Word's "repeat header row" as converters and PDF text keep it):
  two ``<table>``\\ s in HTML, two ``w:tbl`` with ``w:tblHeader`` in DOCX, the header
  lines again after a footer in text dumps, ``<thead>`` and a forced page break in PDF;
* ``word-html`` — Word's "Save as HTML": ``mso-`` styles, ``<o:p></o:p>``, cell text in
  ``<span lang=EN-US>``, ``<br>`` inside long labels, ``&nbsp;`` in empty cells and the
  ``<![if !supportMisalignedColumns]>`` spacer row of empty ``<td width=…>`` cells;
* ``gbk`` — the file in GBK/GB18030, an HTML page declaring ``gb2312``/``gbk``, nothing,
  or (wrongly) ``utf-8``;
* ``vertical-labels`` — table 3's narrow merged label cells printed one character per
  line (申/请/人/情/况; HTML ``<br>``, DOCX one paragraph per character), brackets
  sometimes in their vertical forms (︵三︶);
* ``split-header`` — table 3's header (申请人情况 / 自然人 / 法人或其他组织 / …) merged
  otherwise than the template: two rows only, empty cells for spans, or the
  sub-column labels split over two rows (商业 / 企业);
* ``nested-table`` — the tables inside a layout table's cell (a CMS page; a Word file
  made from one): the whole body in one cell, or each table in its own frame;
* ``row-tables`` — HTML: every row of the tables a ``<table>`` of its own;
* ``div-table`` — an HTML table written as ``<div>`` rows and cells (merges lost);
* ``textbox`` — DOCX: the title and table 4 inside a text box (``w:txbxContent``, with
  Word's ``mc:Fallback`` copy that must not be read twice);
* ``spaced`` — a tab-row dump with its tabs printed as runs of spaces, as
  ``pdftotext -layout`` and copies out of a PDF viewer give it;
* ``tracked`` — DOCX with tracked changes: values replaced (``w:del``/``w:delText`` then
  ``w:ins``), a deleted row of other numbers, deleted narrative: deleted text is not
  the report's.  In a web page and the PDFs typeset from it, ``<del>`` the old value and
  ``<ins>`` the new one (struck through and underlined when typeset; a number widened
  by its struck predecessor runs over its column's border), and a deleted sentence.
"""

from __future__ import annotations

import random
import re
from typing import TYPE_CHECKING

from .layouts import PDF_LAYOUTS, TEXT_LAYOUTS, Printed

if TYPE_CHECKING:
    from .habits import Case

HTML_LAYOUTS = ("html", "html-spans")
GRID_LAYOUTS = (*HTML_LAYOUTS, "docx", *PDF_LAYOUTS)

# habit -> the layouts it exists in
WHERE: dict[str, tuple[str, ...]] = {
    "fullwidth": (),  # () = every layout but glued
    "units": (),
    "thousands": (),
    "zero-ling": (),
    "blank-wu": (),
    "header-repeat": tuple(x for x in (*TEXT_LAYOUTS, "md", *GRID_LAYOUTS) if x != "glued"),
    "word-html": HTML_LAYOUTS,
    "gbk": (*TEXT_LAYOUTS, "md", *HTML_LAYOUTS),
    "vertical-labels": (*GRID_LAYOUTS, "tabs"),
    "split-header": GRID_LAYOUTS,
    "nested-table": (*HTML_LAYOUTS, "docx"),
    "div-table": HTML_LAYOUTS,
    "row-tables": HTML_LAYOUTS,
    "textbox": ("docx",),
    "tracked": ("docx", *HTML_LAYOUTS, *PDF_LAYOUTS),
    "spaced": ("tabs",),
}
PDF_NEW = (
    "fullwidth", "units", "thousands", "header-repeat", "vertical-labels", "split-header",
    "tracked",
)  # fmt: skip


def exists(layout: str, habit: str) -> bool:
    where = WHERE[habit]
    if layout in PDF_LAYOUTS and habit not in PDF_NEW:
        return False
    return layout != "glued" if not where else layout in where


# ---------------------------------------------------------------- tokens

_TOKEN = re.compile("\x00(\\d+)\x00")


def joined(p: Printed) -> str:
    """The text with each cell standing as ``\\x00i\\x00``."""
    return "".join(
        part if key is None else f"\x00{i}\x00"
        for i, (part, key) in enumerate(zip(p.parts, p.keys, strict=True))
    )


def unjoin(p: Printed, text: str) -> None:
    """Back to parts; every cell token must stand exactly once."""
    pieces = _TOKEN.split(text)
    parts: list[str] = []
    keys: list[str | None] = []
    seen: set[int] = set()
    for j, piece in enumerate(pieces):
        if j % 2:
            i = int(piece)
            assert i not in seen, "a cell printed twice"
            seen.add(i)
            parts.append(p.parts[i])
            keys.append(p.keys[i])
        else:
            parts.append(piece)
            keys.append(None)
    assert len(seen) == sum(k is not None for k in p.keys), "a cell lost"
    p.parts, p.keys = parts, keys


def _literal(p: Printed, text: str) -> str:
    """A copy of marked-up text with its cell tokens replaced by their printed values."""
    return _TOKEN.sub(lambda m: p.parts[int(m.group(1))], text)


def _cells(p: Printed, table: str | None = None) -> list[int]:
    return [
        i
        for i, k in enumerate(p.keys)
        if k is not None and (table is None or k.startswith(table + ".")) and p.parts[i]
    ]


# ---------------------------------------------------------------- numbers

_FULL = str.maketrans({**{str(d): chr(0xFF10 + d) for d in range(10)}, ".": "．", "-": "－"})
_NUMERIC = re.compile(r"^-?\d+(?:\.\d+)?$")


def _numeric(p: Printed, table: str | None = None) -> list[int]:
    return [i for i in _cells(p, table) if _NUMERIC.match(p.parts[i])]


def _some(rng: random.Random, cells: list[int]) -> list[int]:
    """All of a table's cells or about half of them (publishers do either)."""
    return cells if rng.random() < 0.5 else [i for i in cells if rng.random() < 0.5]


def fullwidth(case: Case, rng: random.Random) -> None:
    p = case.printed
    for t in ("t2", "t3", "t4"):
        for i in _some(rng, _numeric(p, t)):
            p.parts[i] = p.parts[i].translate(_FULL)


_UNITS = {"t2": ("件", "项", "个"), "t3": ("件",), "t4": ("件",)}


def units(case: Case, rng: random.Random) -> None:
    p = case.printed
    sep = rng.choice(["", " "])
    for t, names in _UNITS.items():
        unit = rng.choice(names)
        for i in _some(rng, _numeric(p, t)):
            key = p.keys[i]
            assert key is not None
            amount = key.endswith(".amount")
            p.parts[i] += sep + ("万元" if amount else unit)


def _group(digits: str, comma: str) -> str:
    out: list[str] = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    return comma.join([digits, *out])


def thousands(case: Case, rng: random.Random) -> None:
    p = case.printed
    comma = rng.choice([",", "，"])
    for i in _numeric(p):
        text = p.parts[i]
        sign = "-" if text.startswith("-") else ""
        whole, _, frac = text.lstrip("-").partition(".")
        if len(whole) > 3:
            p.parts[i] = sign + _group(whole, comma) + ("." + frac if frac else "")


def zero_ling(case: Case, rng: random.Random) -> None:
    p = case.printed
    tables = rng.sample(["t2", "t3", "t4"], rng.randint(1, 3))
    for t in tables:
        for i in _numeric(p, t):
            if p.parts[i] == "0":
                p.parts[i] = "〇"
    p.notes.append(f"〇 for 0 in {tables}")


def blank_wu(case: Case, rng: random.Random) -> None:
    p = case.printed
    cells = _cells(p)
    for i in rng.sample(cells, max(1, round(len(cells) * 0.06))):
        p.parts[i] = "无"
        key = p.keys[i]
        assert key is not None
        case.blank.add(key)


# ---------------------------------------------------------------- gbk


def gbk(case: Case, rng: random.Random) -> None:
    p = case.printed
    p.encoding = "gb18030"
    if p.kind != "html":
        return
    way = rng.choice(["gb2312", "http-equiv", "gbk", "none", "utf-8"])
    meta = {
        "gb2312": '<meta charset="gb2312">',
        "http-equiv": '<meta http-equiv=Content-Type content="text/html; charset=gb2312">',
        "gbk": "<meta charset=GBK>",
        "none": "",
        "utf-8": '<meta charset="utf-8">',  # wrongly declared: the bytes are GBK
    }[way]
    p.parts[0] = p.parts[0].replace('<meta charset="utf-8">', meta, 1)
    p.notes.append(f"GB18030 bytes, declared {way}")


# ---------------------------------------------------------------- spaced


def spaced(case: Case, rng: random.Random) -> None:
    p = case.printed
    for i, key in enumerate(p.keys):
        if key is None and "\t" in p.parts[i]:
            p.parts[i] = re.sub("\t", lambda m: " " * rng.randint(2, 8), p.parts[i])


# ---------------------------------------------------------------- tight (PDF)

# Word/WPS with the table's cell margins set to 0: text touches the borders; line
# spacing single, or "exactly" the font size (rows as close as a cell's own lines)
_TIGHT = (
    "<style>th,td{{padding:0 !important}}"
    "table{{line-height:{lh} !important;margin:0 !important}}</style>"
)


def tight(case: Case, rng: random.Random) -> None:
    p = case.printed
    lh = rng.choice(["1", "1.05", "1.15", "1.2"])
    at = p.parts[0].find("</head>")
    assert at >= 0, "the page has a head"
    p.parts[0] = p.parts[0][:at] + _TIGHT.format(lh=lh) + p.parts[0][at:]
    p.notes.append(f"tight: padding 0, line-height {lh}")
