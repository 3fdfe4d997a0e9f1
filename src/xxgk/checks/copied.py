"""Copied text (TXT-004): a section that repeats last year's report, or the same
section of another agency's report of the same year.

The text measures live here (the core), so the rule, the many-files engine, the web
app and the supervision pages (``xxgk.supervise.compare``) compare text the same way.
Three tiers, cheapest first: a :class:`PeerIndex` of small sketches finds, among many
reports, the few whose section may repeat another's (a few look-ups per report, never
pairwise); :func:`covered` (linear in two texts) is the rule's gate; :func:`repeated`
(difflib, quadratic) is the measure a finding states.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
import zlib
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from ..format import SECTIONS, VERSIONS
from ..model import Finding, Report, Severity
from .base import Context, Rule

if TYPE_CHECKING:
    from difflib import SequenceMatcher

# a section repeating at least this share of last year's (or a peer's) text is copied
THRESHOLD = 0.8
MIN_CHARS = 100  # shorter sections (a line saying 无) are not judged
MIN_RUN = 6  # a repeat counts from this many characters in a row (not a stray 的)

# the peer index (many reports of one year): see PeerIndex
SKETCH = 64  # hashes kept per section: the smallest of its runs' hashes
INDEXED = 16  # of them, the smallest, are looked up in a PeerIndex
PREFILTER = 0.5  # a peer whose estimated share is lower is not compared exactly
PEERS_CHECKED = 3  # the most similar peers of a report that are compared exactly
POSTING_CAP = 64  # reports listed per hash (a phrase every report uses tells nothing)

SENTENCE_END = "。；！？"
_SENTENCE = re.compile(rf"[^{SENTENCE_END}]*[{SENTENCE_END}]+|[^{SENTENCE_END}]+$")


def flat(text: str) -> str:
    """The text without white space (line breaks of a PDF or a crawler are not text)."""
    return "".join(text.split())


def sentences(text: str) -> list[str]:
    """The sentences of a Chinese text, cut after 。；！？ (kept), white space removed."""
    return [s for s in _SENTENCE.findall(flat(text)) if s]


def matcher(a: str, b: str) -> SequenceMatcher[str]:
    """difflib's matcher on characters (no junk heuristic: Chinese repeats characters)."""
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b, autojunk=False)


def sentence_matcher(a: Sequence[str], b: Sequence[str]) -> SequenceMatcher[str]:
    """difflib's matcher on sentences."""
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b, autojunk=False)


def repeated(current: str, other: str) -> float:
    """The share of ``current``'s characters (white space left out) that ``other``
    repeats in the same order: whole sentences in a stretch of equal sentences, and,
    inside the stretches that differ, runs of at least MIN_RUN characters; 0.0 for an
    empty text."""
    a, b = sentences(current), sentences(other)
    total = sum(map(len, a))
    if not total or not b:
        return 0.0
    same = 0
    for tag, i1, i2, j1, j2 in sentence_matcher(a, b).get_opcodes():
        if tag == "equal":
            size = sum(map(len, a[i1:i2]))
            same += size if size >= MIN_RUN else 0
        elif tag == "replace":
            blocks = matcher("".join(a[i1:i2]), "".join(b[j1:j2])).get_matching_blocks()
            same += sum(m.size for m in blocks if m.size >= MIN_RUN)
    return same / total


def covered(current: str, other: str) -> float:
    """The share of ``current``'s characters inside some MIN_RUN-character run that also
    occurs in ``other`` (in any order): an upper bound of ``repeated`` in linear time,
    so unrelated texts are passed over without the quadratic matcher."""
    a, b = flat(current), flat(other)
    n = MIN_RUN
    if len(a) < n or len(b) < n:
        return 0.0
    grams = {b[i : i + n] for i in range(len(b) - n + 1)}
    mark = bytearray(len(a))
    for i in range(len(a) - n + 1):
        if a[i : i + n] in grams:
            mark[i : i + n] = b"\x01" * n
    return sum(mark) / len(a)


# sections whose body is one of the format's tables: their words are the format's
# labels (the same in every report), not the agency's own text
TABLE_SECTIONS = frozenset(t.section for v in VERSIONS.values() for t in v.tables)


def judged_text(number: int, text: str) -> bool:
    """Whether TXT-004 judges section ``number`` holding ``text``: a narrative section
    (not one of the tables' sections 二、三、四) of at least MIN_CHARS characters."""
    return number not in TABLE_SECTIONS and len(flat(text)) >= MIN_CHARS


def judged(report: Report) -> dict[int, str]:
    """The sections of ``report`` TXT-004 judges, by number."""
    return {n: t for n, t in sorted(report.sections.items()) if judged_text(n, t)}


def copied_share(text: str, other: str) -> float | None:
    """``repeated(text, other)`` when it reaches THRESHOLD, else None; the quadratic
    measure runs only when the linear ``covered`` can reach the threshold."""
    if not other or covered(text, other) < THRESHOLD:
        return None
    share = repeated(text, other)
    return share if share >= THRESHOLD else None


# ---------------------------------------------------------------- many reports


def runs(text: str) -> set[int]:
    """The hashes of the distinct MIN_RUN-character runs of ``text`` (white space
    removed): CRC-32 of their UTF-8, the same in every process and on every machine,
    so a sketch made by one worker compares with another's."""
    a, n, crc = flat(text), MIN_RUN, zlib.crc32
    return {crc(a[i : i + n].encode()) for i in range(len(a) - n + 1)}


Sketch = tuple[int, ...]  # the SKETCH smallest run hashes of a section, ascending


def sketch(text: str) -> Sketch:
    """A section in a few numbers: the SKETCH smallest of its runs' hashes — a uniform
    sample of its runs, complete below its largest value."""
    return tuple(sorted(heapq.nsmallest(SKETCH, runs(text))))


def compact(sk: Sequence[int]) -> array[int]:
    """A sketch as it is kept: 4 bytes a hash."""
    return sk if isinstance(sk, array) else array("I", sk)


def sketches(sections: Mapping[int, str]) -> dict[int, Sketch]:
    """The sketch of each section TXT-004 judges (``judged_text``), by number."""
    return {n: sk for n, t in sorted(sections.items()) if judged_text(n, t) and (sk := sketch(t))}


def estimate(mine: Sequence[int], theirs: Sequence[int]) -> tuple[float, float]:
    """(share of my section's runs the other contains, share of the other's mine
    contains), from two sketches: below the smaller of their largest values both are
    complete samples, so the shares of the sample below it are estimates of the
    shares of the whole (Broder's containment from bottom-k sketches)."""
    if not mine or not theirs:
        return 0.0, 0.0
    bound = min(mine[-1], theirs[-1])
    a = mine[: bisect_right(mine, bound)]
    b = theirs[: bisect_right(theirs, bound)]
    shared = len(set(a).intersection(b))
    return shared / len(a), shared / len(b)


class PeerIndex:
    """The sketches of the judged sections of many reports, by year and section number,
    to find for one report the few others of that year (another agency) whose same
    section may repeat its text, or whose text it may repeat — without comparing
    pairs: a report is compared only with those whose sketch shares at least two of
    its INDEXED smallest hashes, found through an inverted index of those (a copy
    shares most of them: of 373 copies with up to 30 % of their characters changed,
    none shared fewer than 7 of 16).

    A hash lists at most POSTING_CAP reports (the first ones): a phrase every report
    uses costs little and a thousand identical sections are not a million pairs (the
    later ones find the first). The shares are ``estimate``s: a peer found is compared
    exactly (``covered``, then ``repeated``) before anything is reported.  A section
    much shorter than the one it copies (a tenth of its length or less) leaves few
    hashes below the other's largest, and may be missed.  Keys are integers (a file's
    input order, a stored report's id); ``agency`` is any string naming the agency
    (reports of the same agency are never peers)."""

    def __init__(self) -> None:
        self._postings: dict[tuple[int, int], dict[int, list[int]]] = {}
        self._entries: list[tuple[int, str, dict[int, array[int]]]] = []

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, key: int, agency: str, year: int, sketched: Mapping[int, Sequence[int]]) -> None:
        at = len(self._entries)
        self._entries.append((key, agency, {n: compact(sk) for n, sk in sketched.items()}))
        for number, sk in sketched.items():
            postings = self._postings.setdefault((year, number), {})
            for h in sk[:INDEXED]:
                reports = postings.setdefault(h, [])
                if len(reports) < POSTING_CAP:  # else: a phrase as common as that
                    reports.append(at)

    def match(
        self, agency: str, year: int, sketched: Mapping[int, Sequence[int]]
    ) -> tuple[dict[int, float], dict[int, float]]:
        """For a report of ``agency`` and ``year`` (its ``sketches``): ({key: estimated
        share of its text an indexed report's same section repeats}, {key: estimated
        share of an indexed report's text its same section repeats}), the highest over
        the sections, each at least PREFILTER."""
        mine: dict[int, float] = {}
        theirs: dict[int, float] = {}
        for number, sk in sketched.items():
            postings = self._postings.get((year, number))
            if not postings:
                continue
            hits: Counter[int] = Counter()
            for h in sk[:INDEXED]:
                reports = postings.get(h)
                if reports is not None:
                    hits.update(reports)
            for at, count in hits.items():
                key, other, sections = self._entries[at]
                if count < 2 or other == agency:
                    continue
                share, contained = estimate(sk, sections[number])
                if share >= PREFILTER and share > mine.get(key, 0.0):
                    mine[key] = share
                if contained >= PREFILTER and contained > theirs.get(key, 0.0):
                    theirs[key] = contained
        return mine, theirs


def most_similar(shares: Mapping[int, float], n: int = PEERS_CHECKED) -> list[int]:
    """The ``n`` keys of the highest shares (the lowest key first among equals)."""
    return [k for k, _ in sorted(shares.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def _name(number: int) -> str:
    if 1 <= number <= len(SECTIONS):
        return f"“{SECTIONS[number - 1].heading}”"
    return f"第{number}部分"


class CopiedText(Rule):
    """某一部分的文字与上年度报告、或与其他机关同年度报告的同一部分大段雷同。

    国办公开办函〔2021〕30号把年度报告“内容雷同”列为应当避免的问题；第三方评估
    （如中国社会科学院的政务公开评估）发现，有的报告“总体情况”“存在的主要问题及改进
    情况”逐年照抄，九成文字与上年相同；也有部门照搬其他部门的报告，只改了机关名称。
    年度报告写的是本机关本年度的工作，照抄上年或别的机关的文字，读者看不到本机关本年度
    做了什么、改进了什么。

    核对方法：逐部分比较，去掉空白后，本报告某一部分有 80% 以上的文字（连续 6 个字
    以上相同的片段）按顺序出现在对方报告的同一部分中，即提示。比较的对象：

    - 同一机关上年度的报告（``xxgk check 本年.txt --previous 上年.txt``，或一次核查
      多个年度时自动配对）；
    - 其他机关同年度的报告：一次核查一个文件夹（或多个文件）时，其中其他机关同年度的
      报告；网页版中，同一地区（最近的省、市、县）其他机关同年度的报告（各取最新版本）。
      提示写明对方机关和报告，只写最相近的一份。

    不足 100 字的部分（如“无”）不作判断；第二、三、四部分是统计表格，其中的文字是
    格式规定的栏目名称，不作比较。

    例：2023 年度报告“五、存在的主要问题及改进情况”与 2022 年度报告该部分 95% 相同；
    或“一、总体情况”与《某某县农业农村局2023年度报告》的同一部分有 92% 的文字相同。
    修改：按本机关本年度的实际情况重写该部分，写明本年度的新情况、新问题和改进措施。
    """

    code = "TXT-004"
    severity = Severity.WARNING
    title = "内容与上年或其他机关雷同"

    def check(self, ctx: Context) -> Iterator[Finding]:
        r, prev = ctx.report, ctx.previous
        sections = judged(r)
        if not sections:
            return
        if prev is not None and not (r.year is not None and r.year == prev.year):
            last = f"{prev.year}年度" if prev.year else "上年度"
            for number, text in sections.items():
                share = copied_share(text, prev.sections.get(number, ""))
                if share is not None:
                    yield self.finding(
                        ctx,
                        f"{_name(number)}有{share:.0%}的文字与{last}报告的同一部分相同，内容雷同。",
                        suggestion="按本年度的实际情况重写该部分，写明本年度的工作、问题和改进措施。",
                        section=number,
                    )
        peers = [p for p in ctx.peers if _is_peer(r, p)]
        for number, text in sections.items():
            best: tuple[float, Report] | None = None
            for peer in peers:
                share = copied_share(text, peer.sections.get(number, ""))
                if share is not None and (best is None or share > best[0]):
                    best = (share, peer)
            if best is not None:
                yield self.finding(
                    ctx,
                    f"{_name(number)}与{report_name(best[1])}的同一部分有{best[0]:.0%}的文字"
                    "相同，内容雷同。",
                    suggestion="按本机关本年度的实际情况撰写该部分，不照搬其他机关的报告。",
                    section=number,
                )


def _agency(name: str | None) -> str | None:
    if not name:
        return None
    text = unicodedata.normalize("NFKC", name)
    return "".join(ch for ch in text if not ch.isspace() and ch not in "()（）") or None


def _is_peer(report: Report, peer: Report) -> bool:
    """Another agency's report (not the same agency by name) of the same year (when
    both say)."""
    mine, theirs = _agency(report.agency), _agency(peer.agency)
    if mine is not None and mine == theirs:
        return False
    return report.year is None or peer.year is None or report.year == peer.year


def report_name(report: Report) -> str:
    """A report as a finding names it: 《某某局2024年度报告》 (its file without an
    agency)."""
    if report.agency:
        year = f"{report.year}年度" if report.year else ""
        return f"《{report.agency}{year}报告》"
    name = report.source.replace("\\", "/").rsplit("/", 1)[-1]
    return f"《{name}》" if name else "另一机关的报告"


RULES = (CopiedText,)
