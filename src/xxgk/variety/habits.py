"""What real reports do to the statutory layout, applied to a :class:`Printed` report.

Every habit edits only the text between cells, or a cell's printed text, so the place
of every cell stays known.  A habit returns a :class:`Case`: the cells it blanked and
the offset a truncation cut at (what a reader must then read as null).

Habits and where they do not apply (``APPLIES``):

* ``plain`` — as rendered;
* ``blank-empty`` / ``blank-slash`` / ``blank-dash`` — some cells printed empty, ``/``, ``-``;
* ``spaces`` — stray spaces inside labels (``社会公益 组织``, ``三、本年度办 理结果``);
* ``halfwidth`` — half-width brackets and colon (``第二十条第(一)项``, ``(一)予以公开``, ``:``);
* ``label-typo`` — one character changed in a few long or numbered labels (an enumerator
  such as （一） stays);
* ``heading-typo`` — a character added or changed in two section headings;
* ``footers`` — page footers (``- 3 -``, ``第 3 页``) between table rows; in HTML the
  table is split around a footer paragraph.  Not for glued dumps (a footer glued between
  digits cannot be told from them) and not for DOCX (a Word table has no page footer
  rows; a converter's split tables are an HTML case);
* ``traditional`` — the whole text in traditional characters (OpenCC s2t);
* ``placeholder`` — a converter's ``| - | - |`` row under each header row: Markdown and
  the ``| a | b |`` pipe layout only (other layouts have no such rows);
* ``truncation`` — the file cut at a random point inside the tables (not DOCX: a cut
  zip is no document);
* ``spam`` — ``新葡京博彩官网`` glued in front of the title;
* ``tight`` — PDF only: the tables typeset with no cell padding and single or exact
  line height (a Word/WPS table with 0 cell margins), so text touches the borders and
  rows stand as close as a cell's own wrapped lines (``publishing.tight``);
* the habits of :mod:`xxgk.variety.publishing` (``NEW_HABITS``): full-width digits,
  units, thousands separators, 〇 and 无, repeated header rows at a page break, Word's
  HTML, GBK bytes, vertical labels, other header merges, nested tables, ``<div>``
  tables, DOCX text boxes and tracked changes; where each exists is
  ``publishing.WHERE`` (told there).

The PDF layouts (slow to typeset) take only the habits of a typeset page (``PDF_HABITS``):
blank cells, spaces, half-width punctuation, label typos, traditional characters, spam,
tight tables, and of the new ones those in ``publishing.PDF_NEW``.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..format import SECTIONS, T3_GROUPS, VERSIONS
from . import markup, publishing
from .layouts import BROWSER_LAYOUTS, OFFICE_LAYOUTS, PDF_LAYOUTS, Printed

HABITS: tuple[str, ...] = (
    "plain",
    "blank-empty",
    "blank-slash",
    "blank-dash",
    "spaces",
    "halfwidth",
    "label-typo",
    "heading-typo",
    "footers",
    "traditional",
    "placeholder",
    "truncation",
    "spam",
    "tight",
)
NEW_HABITS: tuple[str, ...] = tuple(publishing.WHERE)
HABITS = (*HABITS, *NEW_HABITS)
SPAM = "新葡京博彩官网"
_TYPO_CHARS = "甲乙丙丁戊"
_BLANK_SHARE = 0.06


PDF_HABITS = (
    "plain",
    "blank-empty",
    "blank-slash",
    "blank-dash",
    "spaces",
    "halfwidth",
    "label-typo",
    "traditional",
    "spam",
    "tight",
)


def applies(layout: str, habit: str) -> bool:
    """Whether the habit exists in that layout (see the module docstring)."""
    if layout in OFFICE_LAYOUTS:  # the DOCX, printed by LibreOffice: the DOCX's habits
        layout = "docx"
    if layout in BROWSER_LAYOUTS:  # the web page, printed by Chromium: the HTML's habits
        layout = "html"
    if habit in publishing.WHERE:
        return publishing.exists(layout, habit)
    if layout in PDF_LAYOUTS:
        return habit in PDF_HABITS
    if habit == "tight":
        return False  # cell padding is a typeset page's: markup and text do not show it
    if habit == "footers":
        return layout not in ("glued", "docx")
    if habit == "placeholder":
        return layout in ("md", "pipes-outer")
    if habit == "truncation":
        return layout != "docx"
    return True


@dataclass
class Case:
    """A printed report after one habit, and what a reader must make of it."""

    printed: Printed
    habit: str
    blank: set[str] = field(default_factory=set)  # cells printed blank: must read null
    cut: int | None = None  # the text ends here: cells not wholly before it must be null

    def data(self) -> bytes:
        return self.printed.data(self.cut)


def apply(p: Printed, habit: str, rng: random.Random) -> Case:
    """A copy of ``p`` with the habit applied."""
    case = Case(p.copy(), habit)
    _HABITS[habit](case, rng)
    return case


# ---------------------------------------------------------------- helpers


def _text_parts(p: Printed) -> list[int]:
    return [i for i, k in enumerate(p.keys) if k is None]


def _edit_first(p: Printed, old: str, new: str) -> bool:
    """Replace the first occurrence of ``old`` in a text part (as printed, escaped)."""
    for i in _text_parts(p):
        at = p.parts[i].find(old)
        if at >= 0:
            p.parts[i] = p.parts[i][:at] + new + p.parts[i][at + len(old) :]
            return True
    return False


@cache
def _labels(version_key: str) -> tuple[str, ...]:
    """Row, column, group and caption labels of one version, longest first."""
    out = set(T3_GROUPS) | VERSIONS[version_key].printed_labels()
    return tuple(sorted(out, key=lambda s: (-len(s), s)))


def _version_of(p: Printed) -> str:
    keys = {k for k in p.keys if k}
    return "2019" if "t2.procurement.amount" in keys else "2021"


def _present(p: Printed, labels: tuple[str, ...]) -> list[str]:
    text = "".join(p.parts[i] for i in _text_parts(p))
    return [x for x in labels if x in text]


def _cjk_positions(text: str) -> list[int]:
    return [i for i, ch in enumerate(text) if "\u4e00" <= ch <= "\u9fff"]


# ---------------------------------------------------------------- the habits


def _plain(case: Case, rng: random.Random) -> None:
    return None


def _blank(marker: str) -> Any:
    def habit(case: Case, rng: random.Random) -> None:
        p = case.printed
        cells = [i for i, k in enumerate(p.keys) if k is not None]
        chosen = rng.sample(cells, max(1, round(len(cells) * _BLANK_SHARE)))
        for i in chosen:
            p.parts[i] = marker
            key = p.keys[i]
            assert key is not None
            case.blank.add(key)

    return habit


def _spaces(case: Case, rng: random.Random) -> None:
    p = case.printed
    labels = [x for x in _present(p, _labels(_version_of(p))) if len(_cjk_positions(x)) >= 4]
    for label in rng.sample(labels, min(4, len(labels))):
        at = rng.choice(_cjk_positions(label)[1:])
        if _edit_first(p, label, label[:at] + " " + label[at:]):
            p.notes.append(f"space: {label[:at]} {label[at:]}")


_HALF = str.maketrans({"（": "(", "）": ")", "：": ":"})


def _halfwidth(case: Case, rng: random.Random) -> None:
    p = case.printed
    for i in _text_parts(p):
        p.parts[i] = p.parts[i].translate(_HALF)


_ENUMERATED = re.compile(r"^(?:（[一二三四五六七八九十]+）|\d\.|[一二三四五六七八九十]+、)")


def _typo_prone(label: str) -> bool:
    """A long label, or a numbered one of four to six characters (（一）予以公开)."""
    n = len(_cjk_positions(label))
    m = _ENUMERATED.match(label)
    return n >= 8 or (m is not None and 4 <= len(_cjk_positions(label[m.end() :])) <= 6)


def _label_typo(case: Case, rng: random.Random) -> None:
    p = case.printed
    labels = [x for x in _present(p, _labels(_version_of(p))) if _typo_prone(x)]
    for label in rng.sample(labels, min(3, len(labels))):
        m = _ENUMERATED.match(label)
        at = rng.choice([i for i in _cjk_positions(label) if m is None or i >= m.end()])
        typo = label[:at] + rng.choice([c for c in _TYPO_CHARS if c != label[at]]) + label[at + 1 :]
        if _edit_first(p, label, typo):
            p.notes.append(f"typo: {typo}")


def _heading_typo(case: Case, rng: random.Random) -> None:
    p = case.printed
    for section in rng.sample(SECTIONS, 2):
        heading = section.heading
        title = section.title
        at = rng.randrange(1, len(title))
        if rng.random() < 0.5 or len(title) < 5:
            wrong = title[:at] + rng.choice("法的和之") + title[at:]
        else:
            wrong = title[:at] + rng.choice(_TYPO_CHARS) + title[at + 1 :]
        new = heading.replace(title, wrong, 1)
        if _edit_first(p, heading, new):
            p.notes.append(f"heading: {new}")


def _table_span(p: Printed, table: str) -> tuple[int, int] | None:
    idx = [i for i, k in enumerate(p.keys) if k is not None and k.startswith(table + ".")]
    return (idx[0], idx[-1]) if idx else None


def _footers(case: Case, rng: random.Random) -> None:
    p = case.printed
    for table in ("t2", "t3", "t4"):
        span = _table_span(p, table)
        if span is None:
            continue
        page = rng.randint(2, 9)
        footer = rng.choice([f"- {page} -", f"第 {page} 页", f"— {page} —", f"第{page}页 共9页"])
        if p.kind == "html":
            _split_html_table(p, table, f"<p>{footer}</p>", rng)
            p.notes.append(f"footer in {table}: {footer}")
            continue
        inside = [
            i for i in range(span[0] + 1, span[1]) if p.keys[i] is None and "\n" in p.parts[i]
        ]
        if not inside:
            continue
        i = rng.choice(inside)
        at = p.parts[i].find("\n")
        p.parts[i] = p.parts[i][:at] + f"\n{footer}\n" + p.parts[i][at + 1 :]
        p.notes.append(f"footer in {table}: {footer}")


_TOKEN = re.compile("\x00(\\d+)\x00")
_TR = re.compile(r"<tr>(.*?)</tr>", re.S)


def _split_html_table(p: Printed, table: str, between: str, rng: random.Random) -> None:
    """Split one HTML table in two between value rows, with ``between`` in the gap.

    A merged cell that spans the seam is split as a converter does: its first part keeps
    the text, the part in the second table is an empty cell spanning the rest.
    """
    # cells stand as tokens while the markup is edited, so the parts survive
    joined = "".join(
        part if key is None else f"\x00{i}\x00"
        for i, (part, key) in enumerate(zip(p.parts, p.keys, strict=True))
    )
    m = re.search(rf'<table class="{table}">.*?</table>', joined, re.S)
    if m is None:
        return
    html = m.group(0)
    rows = list(_TR.finditer(html))
    values = [i for i, r in enumerate(rows) if _TOKEN.search(r.group(1))]
    seams = [k for k in values[1:] if k - 1 in values]
    if not seams:
        return
    k = rng.choice(seams)
    first_rows, second_rows = markup.html_split([r.group(1) for r in rows], k)
    head = html[: rows[0].start()]
    first = "\n".join(first_rows)
    second = "\n".join(second_rows)
    tail = html[rows[-1].end() :]
    new = (
        f"{head}{first}\n</tbody>\n</table>\n{between}\n"
        f'<table class="{table}">\n<tbody>\n{second}{tail}'
    )
    joined = joined[: m.start()] + new + joined[m.end() :]
    pieces = _TOKEN.split(joined)
    parts: list[str] = []
    keys: list[str | None] = []
    for j, piece in enumerate(pieces):
        if j % 2:
            parts.append(p.parts[int(piece)])
            keys.append(p.keys[int(piece)])
        else:
            parts.append(piece)
            keys.append(None)
    p.parts, p.keys = parts, keys


@cache
def _s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def _traditional(case: Case, rng: random.Random) -> None:
    p = case.printed
    conv = _s2t().convert
    for i in _text_parts(p):
        p.parts[i] = conv(p.parts[i])


_HEADER_LINE = re.compile(r"^\|[^\d\n]*\|\s*$")


def _placeholder(case: Case, rng: random.Random) -> None:
    """``| - | - |`` after the last header line above a table's first value row."""
    p = case.printed
    for i in _text_parts(p):
        if i + 1 >= len(p.parts) or p.keys[i + 1] is None:
            continue
        part = p.parts[i]
        end = part.rfind("\n")
        if end < 0:
            continue
        start = part.rfind("\n", 0, end) + 1
        line = part[start:end]
        if not _HEADER_LINE.match(line):
            continue
        n = line.count("|") - 1
        placeholder = "| " + " | ".join(["-"] * n) + " |"
        p.parts[i] = part[:end] + "\n" + placeholder + part[end:]
        p.notes.append(f"placeholder after: {line[:30]}")


def _truncation(case: Case, rng: random.Random) -> None:
    spans = case.printed.spans()
    first = min(a for a, _ in spans.values())
    last = max(b for _, b in spans.values())
    case.cut = rng.randint(first, last)
    case.printed.notes.append(f"cut at {case.cut}")


_FIRST_TEXT = {
    "md": re.compile(r"^# "),
    "html": re.compile(r"<h1[^>]*>"),
    "docx": re.compile(r"<w:t(?: [^>]*)?>"),
}


def _spam(case: Case, rng: random.Random) -> None:
    p = case.printed
    pat = _FIRST_TEXT.get(p.kind)
    if pat is None:
        p.parts[0] = SPAM + p.parts[0]
        return
    m = pat.search(p.parts[0])
    if m is not None:
        p.parts[0] = p.parts[0][: m.end()] + SPAM + p.parts[0][m.end() :]


_HABITS: dict[str, Any] = {
    "plain": _plain,
    "blank-empty": _blank(""),
    "blank-slash": _blank("/"),
    "blank-dash": _blank("-"),
    "spaces": _spaces,
    "halfwidth": _halfwidth,
    "label-typo": _label_typo,
    "heading-typo": _heading_typo,
    "footers": _footers,
    "traditional": _traditional,
    "placeholder": _placeholder,
    "truncation": _truncation,
    "spam": _spam,
    "tight": publishing.tight,
    "fullwidth": publishing.fullwidth,
    "units": publishing.units,
    "thousands": publishing.thousands,
    "zero-ling": publishing.zero_ling,
    "blank-wu": publishing.blank_wu,
    "header-repeat": markup.header_repeat,
    "word-html": markup.word_html,
    "gbk": publishing.gbk,
    "vertical-labels": markup.vertical_labels,
    "split-header": markup.split_header,
    "nested-table": markup.nested_table,
    "div-table": markup.div_table,
    "row-tables": markup.row_tables,
    "textbox": markup.textbox,
    "tracked": markup.tracked,
    "spaced": publishing.spaced,
}
