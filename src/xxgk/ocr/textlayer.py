"""Whether a PDF page's text layer can be believed, and which pages OCR must read.

Pure Python (no numpy): the PDF reader asks it of every page.  A text layer is
*unusable* when the characters PDFium extracts are not the Chinese the page shows — a
font without a usable ToUnicode map gives private-use code points, U+FFFD, control
characters, or glyph numbers taken for code points (Latin, Greek, Cyrillic, Arabic …
in a row), or other ideographs than the page's (rare and traditional ones, or common
ones in no language: hardly any of the characters reports use most).  Real
report text is simplified Chinese in GB2312's 6763 characters with ASCII digits and
Chinese punctuation: a few rare names and symbols, never a third of the page.

A page is judged by its parts too (:func:`garbled_page`): one font without a usable
map is enough to lose a table's digits (dropped by the reader as unprintable, counted by
:func:`unprintable`) or its labels, while the rest of the page reads well.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

MIN_CHARS = 20  # fewer characters than this on a page: too few to judge
SPARSE_CHARS = 120  # a page with fewer characters is looked at for outlines of text
SAMPLE = 200  # characters of a page looked at (evenly spread): the PDF reader asks of each
MAX_BROKEN = 0.10  # share of private-use / U+FFFD / control characters
MAX_UNCOMMON = 0.30  # share of characters outside the report's usual repertoire
MAX_LATIN = 0.50  # share of Latin letters and ASCII marks on a page with (almost) no Chinese
MIN_CJK_FOR_LATIN = 0.05
MIN_FREQUENT = 0.25  # share of the frequent characters among 20 or more Chinese ones
# characters PDFium gives that the reader drops as unprintable (control characters and
# private-use code points: a font without a usable ToUnicode map, glyph numbers taken
# for characters): so many on a page, the text layer misses part of it (a table's
# digits set in such a font come out as empty cells).  Word's symbol fonts (bullets,
# ticks) use U+F000-U+F0FF and are not counted; PDFium's line-end hyphen is U+0002.
MIN_UNPRINTABLE = 4
_UNPRINTABLE = re.compile("[\x00\x01\x03-\x08\x0b\x0c\x0e-\x1f\ue000-\uefff\uf100-\uf8ff]")
# the 300 characters most frequent in reports (87 % of their Chinese characters; text
# taken at random from the ideographs holds ~1.5 % of them)
_FREQUENT = frozenset(
    "公政信息开府年的行作工条理项情和第一本务件发办区实关况进人结数要二其报请等申规量事处全度布动制文告法主平机他目及不合新计"
    "中有内容三性部果业时重管市复潭设局会总众于定强验求委对上类通提科民国收门范加推共网大策综以在建方保十题栏分生据下问审查化"
    "正专服议诉是体社安站确我为督决构四面资应相点用群监地例自日可组属成改金态企持知室了到效置展五六环并式未力做案统月户源外费"
    "增予录与完起需系位织整准格高形转号接单产施或答按采无期员落责程能许过经调好解境补现然维根领导各取场后核农集续海间讼电指贫"
    "切依益章步照纠回同华省任个止认善明微线购之注供技标见厅编列职扶读台商护围减示算意权尚存所联传常出品涉预质密律协原版流障多"
)
_SYMBOLS = frozenset("“”‘’—–…·•●○■□◆◇▲△★☆√×÷±≤≥°℃§№‰％※→←↑↓\u00a0")


@dataclass(slots=True)
class Pending:
    """The pages of one PDF that the text layer did not read (1-based numbers)."""

    scanned: list[int] = field(default_factory=list)  # no text, images
    drawn: list[int] = field(default_factory=list)  # no text, no images: outlines maybe
    garbled: list[int] = field(default_factory=list)  # a text layer that is not the text
    pictured: list[int] = field(default_factory=list)  # text and images: a table pasted?
    # (page, characters) of every page when all have little text: outlines under a header?
    sparse: list[tuple[int, int]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.scanned or self.drawn or self.garbled or self.pictured or self.sparse)


def _common(ch: str) -> bool:
    o = ord(ch)
    if 0x20 < o < 0x7F or ch in _SYMBOLS:
        return True
    if 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFF5E:  # CJK and full-width punctuation
        return True
    if 0x4E00 <= o <= 0x9FFF:  # an ideograph: the common ones (GB2312, Big5 level 1)
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            return ch in _traditional()
        return True
    return False


@cache
def _traditional() -> frozenset[str]:
    """The frequent traditional ideographs outside GB2312: Big5's level 1 (its 5401
    common characters, A440-C67E).  A report typed or converted in traditional script
    is still its own text (2 % of its characters fall outside GB2312 and this set, as a
    simplified one's rare names do); ideographs taken at random are 58 % outside both."""
    out: set[str] = set()
    for hi in range(0xA4, 0xC7):
        for lo in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            if (hi, lo) > (0xC6, 0x7E):
                break
            try:
                ch = bytes((hi, lo)).decode("big5")
            except UnicodeDecodeError:
                continue
            if 0x4E00 <= ord(ch) <= 0x9FFF:
                try:
                    ch.encode("gb2312")
                except UnicodeEncodeError:
                    out.add(ch)
    return frozenset(out)


def _broken(ch: str) -> bool:
    o = ord(ch)
    if 0xE000 <= o <= 0xF8FF or o >= 0xF0000 or ch == "\ufffd":
        return True
    return unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs")


@dataclass(slots=True, frozen=True)
class Measure:
    chars: int  # non-space characters
    broken: float  # shares of them
    uncommon: float
    latin: float
    cjk: float
    frequent: float = 1.0  # share of _FREQUENT among the Chinese characters

    @property
    def unusable(self) -> bool:
        if self.chars < MIN_CHARS:
            return False
        if self.broken >= MAX_BROKEN or self.uncommon >= MAX_UNCOMMON:
            return True
        if self.cjk * self.chars >= MIN_CHARS and self.frequent < MIN_FREQUENT:
            return True
        return self.latin >= MAX_LATIN and self.cjk < MIN_CJK_FOR_LATIN


def measure(texts: Iterable[str]) -> Measure:
    """The shares, over at most SAMPLE characters spread evenly over the page's text."""
    squeezed = "".join("".join(texts).split())
    sample = squeezed[:: max(1, len(squeezed) // SAMPLE)]
    n = len(sample)
    if not n:
        return Measure(0, 0.0, 0.0, 0.0, 0.0)
    # the common characters by a table lookup (their classes known in advance); only
    # the others, rare in real text, go through the per-character tests
    classes = _classes()
    tally = Counter(map(classes.get, sample))
    latin, cjk = tally[_LATIN], tally[_CJK] + tally[_FREQUENT_CJK]
    frequent = tally[_FREQUENT_CJK]
    uncommon = n - latin - cjk - tally[_OTHER]
    broken = 0
    if tally[None]:
        for ch in sample:
            if ch in classes:
                continue
            if _broken(ch):
                broken += 1
            elif 0x4E00 <= ord(ch) <= 0x9FFF:
                cjk += 1
    return Measure(n, broken / n, uncommon / n, latin / n, cjk / n, frequent / max(cjk, 1))


_OTHER, _LATIN, _CJK, _FREQUENT_CJK = range(4)


@cache
def _classes() -> dict[str, int]:
    """Every common character (see _common) and its class: Latin/ASCII mark, other, CJK."""
    table: dict[str, int] = {}
    for o in range(0x21, 0x7F):
        table[chr(o)] = _OTHER if chr(o).isdigit() else _LATIN
    for ch in _SYMBOLS:
        table[ch] = _OTHER
    for o in (*range(0x3000, 0x3040), *range(0xFF01, 0xFF5F)):
        table[chr(o)] = _OTHER
    for hi in range(0xB0, 0xF8):  # GB2312's ideographs, rows 16-87
        for lo in range(0xA1, 0xFF):
            try:
                ch = bytes((hi, lo)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            if 0x4E00 <= ord(ch) <= 0x9FFF:
                table[ch] = _FREQUENT_CJK if ch in _FREQUENT else _CJK
    for ch in _traditional():
        table[ch] = _CJK
    return table


def unusable(texts: Iterable[str]) -> bool:
    """Whether a page whose extracted text is ``texts`` shows other text than that."""
    return measure(texts).unusable


def unprintable(page_text: str, kept: int) -> int:
    """The characters of ``page_text`` (PDFium's, one per character) that the reader
    drops as garbage (:data:`_UNPRINTABLE`), counted only when more than
    MIN_UNPRINTABLE of them are neither kept (``kept``) nor spaces or line breaks (the
    usual page: three counts, no character looked at)."""
    rest = len(page_text) - kept
    if rest < MIN_UNPRINTABLE:
        return 0
    rest -= page_text.count(" ") + page_text.count("\r") + page_text.count("\n")
    if rest < MIN_UNPRINTABLE:
        return 0
    return len(_UNPRINTABLE.findall(page_text))


def garbled_page(lines: list[str], cells: list[str], dropped: int = 0) -> bool:
    """Whether a page's text layer is (partly) not the text it shows: many characters
    dropped as unprintable (``dropped``, :func:`unprintable`: one font without a usable
    ToUnicode map, as a table's digits); its text lines outside tables or its tables'
    cells, each judged alone or both together, unusable (a body font garbled under a
    good table, or the other way round); or a few of its lines or cells made of rare
    ideographs (a heading font mapped to other characters: :func:`_garbled_items`)."""
    if dropped >= MIN_UNPRINTABLE:
        return True
    a, b = measure(lines), measure(cells)
    both = _together(a, b)
    if both.unusable or (a.chars >= MIN_CHARS and a.unusable):
        return True
    if b.chars >= MIN_CHARS and b.unusable:
        return True
    # (the sample met a few uncommon characters: look at each line and cell)
    if a.uncommon * a.chars + b.uncommon * b.chars < MIN_UNCOMMON_SEEN - 0.5:
        return False
    return _garbled_items(lines) + _garbled_items(cells) >= MIN_GARBLED_ITEMS


MIN_UNCOMMON_SEEN = 2  # uncommon characters in a page's sample before its items are read
MIN_ITEM = 6  # characters of a line or cell judged alone …
MAX_ITEM_RARE = 0.4  # … garbled when this share of them is outside GB2312
MIN_GARBLED_ITEMS = 2


def _garbled_items(items: list[str]) -> int:
    """The lines or cells of at least MIN_ITEM characters of which MAX_ITEM_RARE or more
    are outside GB2312 and the frequent traditional characters (real text has a rare
    name's character or two; ideographs taken at random are 58 % outside them)."""
    found = 0
    for item in items:
        text = "".join(item.split())
        if len(text) < MIN_ITEM:
            continue
        rare = text.encode("gb2312", "replace").count(b"?") - text.count("?")
        if rare:  # (a traditional script's frequent characters are not rare)
            traditional = _traditional()
            rare -= sum(ch in traditional for ch in text)
        found += rare >= MAX_ITEM_RARE * len(text)
    return found


def _together(a: Measure, b: Measure) -> Measure:
    """The measure of two samples taken as one (their shares weighted by their sizes)."""
    n = a.chars + b.chars
    if not n:
        return a
    cjk = a.cjk * a.chars + b.cjk * b.chars
    frequent = a.frequent * a.cjk * a.chars + b.frequent * b.cjk * b.chars
    return Measure(
        n,
        (a.broken * a.chars + b.broken * b.chars) / n,
        (a.uncommon * a.chars + b.uncommon * b.chars) / n,
        (a.latin * a.chars + b.latin * b.chars) / n,
        cjk / n,
        frequent / max(cjk, 1e-9) if cjk else 1.0,
    )
