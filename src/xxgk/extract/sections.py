"""The six sections' headings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..format import NUMERALS, SECTIONS
from ..model import Heading
from .labels import normalize
from .lines import Line

_CN = NUMERALS
_HEAD = re.compile(
    r"^(?P<num>[一二三四五六七八九十]{1,2}|\d{1,2})\s*(?P<sep>[、.．,，:：)）\s])\s*(?P<rest>.+)$"
)
_MAX_HEADING = 40
_FUZZY_OWN = 0.75  # similarity to the title of the section its numeral names
_FUZZY_OTHER = 0.88  # … to another section's title


@dataclass(frozen=True)
class Found:
    number: int  # the section it opens
    line: int  # Line index
    heading: Heading
    numeral: int | None = None  # the number printed in front, if any


def _numeral(s: str) -> int:
    if s.isdigit():
        return int(s)
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN.index(s[1]) + 1
    return _CN.index(s[0]) + 1


def classify(text: str) -> tuple[int, bool, int | None] | None:
    """(section number, standard form, printed numeral) when the text is a heading."""
    t = " ".join(text.split())
    if len(t) > _MAX_HEADING + 6 or t.endswith(("。", "；", ";")):
        return None
    m = _HEAD.match(t)
    if m:
        rest = m.group("rest")
        standard = not m.group("num").isdigit() and m.group("sep") == "、"
    else:
        rest, standard = t, False
    key = normalize(rest)
    if len(key) > _MAX_HEADING:
        return None
    for section in SECTIONS:
        if any(k in key for k in section.keywords):
            if m is None and normalize(section.title) != key:
                return None  # an unnumbered line counts only when it is the exact title
            numeral = _numeral(m.group("num")) if m else None
            return section.number, standard and numeral == section.number, numeral
    if m is None:
        return None
    # misspelled (一、总休情况, 六、其它需要报告的事项): its numeral and most of its title
    numeral = _numeral(m.group("num"))
    best: tuple[float, int] | None = None
    for section in SECTIONS:
        ratio = SequenceMatcher(None, key, normalize(section.title), autojunk=False).ratio()
        need = _FUZZY_OWN if numeral == section.number else _FUZZY_OTHER
        if ratio >= need and (best is None or ratio > best[0]):
            best = (ratio, section.number)
    if best is None:
        return None
    return best[1], standard and numeral == best[1], numeral


def find_headings(lines: list[Line]) -> list[Found]:
    """The heading chosen for each section, in document order of the sections."""
    candidates: dict[int, list[Found]] = {}
    order = 0
    for line in lines:
        if not line.paragraph and len({t.text for t in line.toks if t.text}) != 1:
            continue
        text = line.text
        got = classify(text)
        if got is None:
            continue
        number, standard, numeral = got
        w = line.toks[0].where
        h = Heading(
            number=number,
            text=text,
            line=w.line,
            page=w.page,
            paragraph=w.para,
            standard=standard,
            order=order,
        )
        order += 1
        candidates.setdefault(number, []).append(Found(number, line.index, h, numeral))
    chosen: list[Found] = []
    last = -1
    for number in range(1, 7):
        options = candidates.get(number, [])
        after = [f for f in options if f.line > last]
        # "一、主动公开情况" as a sub-item of section 1 is not section 2's heading
        own = [f for f in after if f.numeral == number]
        ranked = own or after or options
        if not ranked:
            continue
        pick = ranked[0]
        chosen.append(pick)
        last = max(last, pick.line)
    return chosen
