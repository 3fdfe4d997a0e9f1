"""Matching printed labels to the format's rows and columns.

Real labels differ from the format's: full- or half-width brackets, spaces and line
breaks inside, group labels glued in front (三、本年度办理结果（一）予以公开), characters
lost or garbled (其他法律行政止公开).  Matching works on a normalised *core*: NFKC,
no whitespace or quotes, enumerators (（一）, 1., 一、) removed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache

from ..format import T3_GROUPS, VERSIONS, Table, Version

_SPACE_QUOTES = re.compile(r"[\s\"'“”‘’「」『』]+")
_ENUM = re.compile(r"^(?:\(?[一二三四五六七八九十]+[)、.．]|\(\d+\)|\d+[.、．)]|\d{1,2}(?=[^\d.]))")


@lru_cache(maxsize=16384)
def normalize(text: str) -> str:
    """NFKC, without whitespace and quotes; brackets and punctuation half-width."""
    return _SPACE_QUOTES.sub("", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=16384)
def core(text: str) -> tuple[str, bool]:
    """The label without its enumerators, and whether it carried one."""
    s = normalize(text).rstrip(":：")
    had = False
    while True:
        m = _ENUM.match(s)
        if not m or m.end() == len(s):
            break
        s = s[m.end() :]
        had = True
    return s, had


_NUMBERED = re.compile(r"(?:\(?[一二三四五六七八九十]+[)、]|\(\d+\)|\d{1,2}[.、．)])")


def _last_numbered(text: str) -> str | None:
    """The text from its last enumerator on (None when it has none)."""
    t = normalize(text)
    starts = [m.start() for m in _NUMBERED.finditer(t)]
    return t[starts[-1] :] if starts else None


_REMARK = re.compile(r"\([^()]{6,}\)$")  # a parenthesised remark of 6+ characters at the end


@dataclass(frozen=True)
class Target:
    key: str  # row key
    core: str
    needs_enum: bool  # short labels (规章 excepted) only count when numbered, e.g. 3.其他
    alien: bool = False  # a row of the other format version
    enum: str = ""  # the enumerator printed in front (（一）, 2.), as _enum_key gives it


@dataclass(frozen=True)
class Match:
    key: str
    alien: bool
    exact: bool


class Matcher:
    """Finds which row of one table a piece of text labels."""

    def __init__(self, table: Table, other: Table | None) -> None:
        targets: list[Target] = []
        own = {r.key for r in table.rows}
        for row in table.rows:
            for label in row.labels:
                c, enum = core(label)
                targets.append(Target(row.key, c, enum and len(c) <= 2, enum=_enumerator(label)))
        if other is not None:
            for row in other.rows:
                if row.key in own:
                    continue
                for label in row.labels:
                    c, enum = core(label)
                    targets.append(
                        Target(row.key, c, enum and len(c) <= 2, True, _enumerator(label))
                    )
        self.targets = tuple(sorted(targets, key=lambda t: -len(t.core)))
        self.groups = frozenset(core(g)[0] for g in T3_GROUPS) if table.key == "t3" else frozenset()

    def is_group(self, text: str) -> bool:
        c, _ = core(text)
        return c in self.groups

    @lru_cache(maxsize=4096)  # noqa: B019 - matchers live as long as the process
    def match(self, text: str) -> Match | None:
        got = self._match(text)
        if got is None:
            # a label followed by a long remark: 规章（设区的市、自治州应提供相关数据）
            bare = _REMARK.sub("", normalize(text))
            if bare and bare != normalize(text):
                got = self._match(bare)
        return got

    def _match(self, text: str) -> Match | None:
        c, enum = core(text)
        if not c or c.isdigit():
            return None
        for t in self.targets:
            if c == t.core and (enum or not t.needs_enum):
                return Match(t.key, t.alien, True)
        tail = _last_numbered(text)
        if tail is not None and tail != text:
            # a group label printed in front: "（六）其他处理 3.其他" -> "3.其他"
            tc, tenum = core(tail)
            for t in self.targets:
                if tc == t.core and (tenum or not t.needs_enum):
                    return Match(t.key, t.alien, True)
        for t in self.targets:  # longest first: a label glued after a group label
            if len(t.core) >= 3 and t.core in c and len(c) <= len(t.core) + 14:
                return Match(t.key, t.alien, False)
        short = self._short(tail if tail is not None else normalize(text))
        if short is not None:
            return short
        if len(c) < 4 or not any("\u4e00" <= ch <= "\u9fff" for ch in c):
            return None
        ratios: dict[tuple[str, bool], float] = {}
        # the whole text, and the part after its last enumerator ("三 2.其他法律行政止公开")
        forms = {c} | ({core(tail)[0]} if tail is not None and len(core(tail)[0]) >= 4 else set())
        for t in self.targets:
            if len(t.core) < 4:
                continue
            for form in forms:
                if len(form) >= 6 and t.core.startswith(form):
                    return Match(t.key, t.alien, False)
                if max(len(form), len(t.core)) >= 2 * min(len(form), len(t.core)):
                    continue  # ratio <= 2/3 < _FUZZY: skipped (and long text costs no time)
                ratio = SequenceMatcher(None, form, t.core, autojunk=False).ratio()
                ratios[(t.key, t.alien)] = max(ratio, ratios.get((t.key, t.alien), 0.0))
        return _unambiguous(ratios, _FUZZY)

    def _short(self, numbered: str) -> Match | None:
        """A short numbered label with one character wrong (（一）予以公幵, 2.重复申情):
        only the rows printed with the same enumerator compete."""
        m = _NUMBERED.match(numbered)
        if m is None:
            return None
        enum = _enum_key(m.group(0))
        rest, _ = core(numbered)
        if not 2 <= len(rest) <= _SHORT:
            return None
        ratios: dict[tuple[str, bool], float] = {}
        for t in self.targets:
            if t.enum == enum and 2 <= len(t.core) <= _SHORT:
                ratio = SequenceMatcher(None, rest, t.core, autojunk=False).ratio()
                ratios[(t.key, t.alien)] = max(ratio, ratios.get((t.key, t.alien), 0.0))
        return _unambiguous(ratios, _FUZZY_SHORT)


_FUZZY = 0.78  # similarity a misspelled label needs to its row's label
_FUZZY_SHORT = 0.7  # … a short numbered one (3 of 4 characters) among its enumerator's rows
_MARGIN = 0.05  # the runner-up must be this much less similar, or nothing matches
_SHORT = 6


def _enum_key(enum: str) -> str:
    """（一） and (一) alike, 2. and 2、 alike."""
    return re.sub(r"[.、．]", "", normalize(enum))


def _enumerator(label: str) -> str:
    m = _NUMBERED.match(normalize(label))
    return _enum_key(m.group(0)) if m else ""


def _unambiguous(ratios: dict[tuple[str, bool], float], need: float) -> Match | None:
    """The most similar row, when it is similar enough and no other row comes close."""
    ranked = sorted(ratios.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < need:
        return None
    if len(ranked) > 1 and ranked[1][1] > ranked[0][1] - _MARGIN:
        return None
    (key, alien), _ = ranked[0]
    return Match(key, alien, False)


@cache
def matcher(version_key: str, table_key: str) -> Matcher:
    version = VERSIONS[version_key]
    other = _other(version)
    return Matcher(version.table(table_key), other.table(table_key) if other else None)


def _other(version: Version) -> Version | None:
    for key, v in VERSIONS.items():
        if key != version.key:
            return v
    return None


@cache
def column_cores(version_key: str, table_key: str, row_key: str) -> tuple[tuple[str, str], ...]:
    """(core, column key) for every label of one row's columns."""
    row = VERSIONS[version_key].table(table_key).row(row_key)
    return tuple((core(label)[0], col.key) for col in row.columns for label in col.labels)
