"""Copied text (TXT-004): a section that repeats last year's report.

The text measures live here (the core), so the rule and the supervision pages
(``xxgk.supervise.compare``) compare text the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ..format import SECTIONS
from ..model import Finding, Severity
from .base import Context, Rule

if TYPE_CHECKING:
    from difflib import SequenceMatcher

# a section repeating at least this share of last year's (or a peer's) text is copied
THRESHOLD = 0.8
MIN_CHARS = 100  # shorter sections (a line saying 无) are not judged
MIN_RUN = 6  # a repeat counts from this many characters in a row (not a stray 的)

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


def _name(number: int) -> str:
    if 1 <= number <= len(SECTIONS):
        return f"“{SECTIONS[number - 1].heading}”"
    return f"第{number}部分"


class CopiedText(Rule):
    """某一部分的文字与上年度报告大段雷同（复制上年报告）。

    国办公开办函〔2021〕30号把年度报告“内容雷同”列为应当避免的问题；第三方评估
    （如中国社会科学院的政务公开评估）发现，有的报告“总体情况”“存在的主要问题及改进
    情况”逐年照抄，九成文字与上年相同。年度报告写的是本年度的工作，照抄上年的文字，
    读者看不到本年度做了什么、改进了什么。

    核对方法：同一机关上年度的报告（``xxgk check 本年.txt --previous 上年.txt``，或
    一次核查多个年度时自动配对）逐部分比较：去掉空白后，本年度某一部分有 80% 以上的
    文字（连续 6 个字以上相同的片段）按顺序出现在上年度报告的同一部分中，即提示。
    不足 100 字的部分（如“无”）不作判断。

    例：2023 年度报告“五、存在的主要问题及改进情况”与 2022 年度报告该部分 95% 相同。
    修改：按本年度的实际情况重写该部分，写明本年度的新情况、新问题和改进措施。
    """

    code = "TXT-004"
    severity = Severity.WARNING
    title = "内容与上年雷同"

    def check(self, ctx: Context) -> Iterator[Finding]:
        r, prev = ctx.report, ctx.previous
        if prev is None or (r.year is not None and r.year == prev.year):
            return
        last = f"{prev.year}年度" if prev.year else "上年度"
        for number, text in sorted(r.sections.items()):
            before = prev.sections.get(number, "")
            if len(flat(text)) < MIN_CHARS or not before:
                continue
            if covered(text, before) < THRESHOLD:
                continue  # cannot reach the threshold: the exact measure is not needed
            share = repeated(text, before)
            if share >= THRESHOLD:
                yield self.finding(
                    ctx,
                    f"{_name(number)}有{share:.0%}的文字与{last}报告的同一部分相同，内容雷同。",
                    suggestion="按本年度的实际情况重写该部分，写明本年度的工作、问题和改进措施。",
                    section=number,
                )


RULES = (CopiedText,)
