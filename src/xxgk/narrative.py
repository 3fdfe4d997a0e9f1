"""Figures the narrative states about the tables (收到申请21件, 行政复议3件 …).

Used by the XSEC-001 rule (narrative against tables) and by the repair ranking
(a correction that agrees with what the text says ranks higher).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .format import T4_PARTS, Version
from .model import Number, Report
from .readers.limits import DEFAULT_LIMITS

# A printed figure: a whole run of digits (never its tail: the match cannot start inside
# a run, so a pattern costs linear time on long digit runs) of at most ``max_digits``
# digits, so that it is a count and int() of it is cheap.
NUM = r"(?<!\d)(?<!\d,)(\d(?:,?\d){0," + f"{DEFAULT_LIMITS.max_digits - 1}" + r"})(?!\d)"
_NUM = NUM
_RECEIVED = re.compile(
    r"(?:共|全年|本年度?|今年|累计)?(?:收到|受理|接收|接到)([^。；;，,\d]{0,18}?)(?:申请|依申请)"
    r"[^。；;，,\d]{0,10}?" + _NUM + r"\s*(?:件|条|个|份)(?!工作日)"
)
_NONE_RECEIVED = re.compile(r"(?:未|没有)(?:收到|受理|接到)[^。；;，,\d]{0,12}?(?:公开申请|依申请)")
_REVIEW = re.compile(r"行政复议(?:案件)?(?:数量?|数)?(?:为|共)?\s*" + _NUM + r"\s*(?:件|起|宗|个)")
_LITIGATION = re.compile(
    r"行政诉讼(?:案件)?(?:数量?|数)?(?:为|共)?\s*" + _NUM + r"\s*(?:件|起|宗|个)"
)
_PARTS = T4_PARTS
# Words between 收到/受理 and 申请 that say nothing about the kind of application.
_GENERIC = re.compile(
    r"各类|各种|群众|公众|公民|申请人|社会|的|了|共|计|提交|提出|通过|网络|邮寄|当面|现场|、"
)
# A sentence about disclosure requests names them.
_ABOUT_REQUESTS = re.compile(r"依申请|信息公开|公开申请|公开政府信息")
_ABOUT_DISCLOSURE = re.compile(r"依申请|信息公开|公开申请|政府信息|政务公开")
_OUTCOME_CONTEXT = re.compile(r"申请")  # not 办理: 建议提案办理结果予以公开12件
# Words reports use for an outcome the format names otherwise (the format's word first).
_OUTCOME_ALIASES = {"予以公开": ("同意公开", "全部公开")}
_ORDINAL = re.compile(r"^（[一二三四五六七八九十]+）([^（(]+)")


@dataclass(frozen=True)
class Stated:
    """A number the text states, and the table sums it may stand for."""

    what: str  # received | review | litigation | an outcome word such as 不予公开
    value: int
    text: str  # the words as printed
    cells: tuple[str, ...]  # the sum it should equal
    alternatives: tuple[tuple[str, ...], ...] = ()  # other sums it may equal
    start: int = 0  # offset in the flattened narrative
    place: str = ""  # the sum ``cells`` in words, for messages
    notes: tuple[str, ...] = ()  # per alternative: why it is still worth a warning ("" = fine)

    def sums(self, report: Report) -> list[Number] | None:
        """The table's values for the sums this number may state; None if a cell is blank."""
        out: list[Number] = []
        for cells in (self.cells, *self.alternatives):
            values = [report.value(c) for c in cells]
            if any(v is None for v in values):
                if cells is self.cells:
                    return None
                continue
            out.append(sum(v for v in values if v is not None))
        return out

    def agrees(self, report: Report) -> bool | None:
        sums = self.sums(report)
        return None if sums is None else self.value in sums

    def note(self, report: Report) -> tuple[tuple[str, ...], str] | None:
        """The alternative sum the number equals and its note, when the number differs from
        the main sum but equals an alternative that deserves a word."""
        main = [report.value(c) for c in self.cells]
        if any(v is None for v in main) or sum(v for v in main if v is not None) == self.value:
            return None
        for cells, note in zip(self.alternatives, self.notes, strict=False):
            values = [report.value(c) for c in cells]
            if (
                note
                and None not in values
                and sum(v for v in values if v is not None) == self.value
            ):
                return cells, note
        return None


def narrative(report: Report) -> str:
    """The narrative sections (一、三、五、六) with whitespace removed."""
    text = "\n".join(v for k, v in sorted(report.sections.items()) if k in (1, 3, 5, 6))
    return re.sub(r"\s+", "", text)


def as_int(s: str) -> int:
    """A printed count such as "1,136" as an int."""
    return int(s.replace(",", ""))


def _sentence(text: str, start: int, stops: str = "。；;") -> str:
    """The text from the sentence's beginning up to ``start``."""
    cut = max(text.rfind(ch, 0, start) for ch in stops)
    return text[cut + 1 : start]


def _about_requests(text: str, m: re.Match[str]) -> bool:
    """Whether a 收到/受理…申请N件 match counts disclosure requests: its qualifier says so
    (政府信息公开申请, 依申请公开), or it has none (受理申请) in a sentence that does."""
    qualifier = m.group(1)
    if _ABOUT_REQUESTS.search(m.group(0)) or "公开" in qualifier:
        return True
    if _GENERIC.sub("", qualifier):
        return False  # 行政许可申请, 行政复议申请, 信访申请 …
    return bool(_ABOUT_REQUESTS.search(_sentence(text, m.start(), "。")))


def outcomes(version: Version) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each outcome word of section 三 (予以公开, 不予公开 …) with its label and the
    total cells it stands for, read from the format: a （n） row is its own word, a row
    under a （n） group counts for the group's word."""
    out: dict[str, tuple[str, list[str]]] = {}
    for row in version.table("t3").rows:
        if row.role != "leaf":
            continue
        own = _ORDINAL.match(row.label)
        group = _ORDINAL.match(row.group or "")
        m, label = (own, row.name) if own else (group, row.group or "")
        if m is None:
            continue
        out.setdefault(m.group(1), (label, []))[1].append(f"t3.{row.key}.total")
    return {word: (label, tuple(cells)) for word, (label, cells) in out.items()}


def _outcome_pattern(words: list[str]) -> re.Pattern[str]:
    spelled = sorted(
        {w for word in words for w in (word, *_OUTCOME_ALIASES.get(word, ()))},
        key=len,
        reverse=True,
    )
    one = "|".join(map(re.escape, spelled))
    return re.compile(
        rf"((?:{one})(?:(?:及|和|与|、|或)(?:{one}))*)"
        r"(?:的|类|答复|申请|政府信息|信息|决定|处理){0,3}(?:为|共|计|有)?"
        + _NUM
        + r"\s*(?:件|个|条|项)"
    )


def _outcome_statements(text: str, report: Report) -> list[Stated]:
    table = outcomes(report.version)
    if not table:
        return []
    canonical = {a: w for w in table for a in (w, *_OUTCOME_ALIASES.get(w, ()))}
    pattern = _outcome_pattern(list(table))
    out: list[Stated] = []
    for m in pattern.finditer(text):
        if text[max(0, m.start() - 1) : m.start()] in ("不", "未"):
            continue
        if not _OUTCOME_CONTEXT.search(_sentence(text, m.start(), "。")):
            continue  # 予以公开 in a sentence that is not about requests
        words = [canonical[w] for w in re.split(r"及|和|与|、|或", m.group(1))]
        if len(set(words)) != len(words):
            continue
        cells = tuple(c for w in words for c in table[w][1])
        place = "与".join(f"“{table[w][0]}”" for w in words)
        out.append(
            Stated(
                "+".join(words),
                as_int(m.group(2)),
                m.group(0),
                cells,
                (),
                m.start(),
                f"第三部分表格{place}总计",
            )
        )
    return out


def statements(report: Report) -> list[Stated]:
    text = narrative(report)
    out: list[Stated] = []
    for m in _RECEIVED.finditer(text):
        if not _about_requests(text, m):
            continue
        # "23件（含上年结转2件）" says itself that it includes the carry-over
        says_so = "结转" in re.split(r"[。；;]", text[m.end() : m.end() + 20])[0]
        out.append(
            Stated(
                "received",
                as_int(m.group(2)),
                m.group(0),
                ("t3.new.total",),
                (("t3.new.total", "t3.carried_over.total"),),
                m.start(),
                "第三部分表格本年新收总计",
                ("" if says_so else "carried_over",),
            )
        )
    m0 = _NONE_RECEIVED.search(text)
    if m0:
        out.append(
            Stated(
                "received",
                0,
                m0.group(0),
                ("t3.new.total",),
                (),
                m0.start(),
                "第三部分表格本年新收总计",
            )
        )
    for pattern, what, groups, place in (
        (_REVIEW, "review", ("review",), "第四部分表格行政复议总计"),
        (_LITIGATION, "litigation", ("lit_direct", "lit_after_review"), "第四部分表格行政诉讼总计"),
    ):
        for m in pattern.finditer(text):
            if not _ABOUT_DISCLOSURE.search(_sentence(text, m.start(), "。") + m.group(0)):
                continue  # a 司法局's own 行政复议 cases are not about disclosure
            out.append(
                Stated(
                    what,
                    as_int(m.group(1)),
                    m.group(0),
                    tuple(f"t4.{g}.total" for g in groups),
                    (tuple(f"t4.{g}.{p}" for g in groups for p in _PARTS),),
                    m.start(),
                    place,
                )
            )
    out.extend(_outcome_statements(text, report))
    return out
