"""Rules that read the narrative against the tables and against itself."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Finding, Severity
from ..narrative import NUM, Stated, as_int, statements
from ..readers.limits import DEFAULT_LIMITS
from .base import Context, Rule, fmt


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


_ADVICE = {
    "received": "核对正文和表格，使申请数一致。",
    "review": "核对正文和表格，使案件数一致。",
    "litigation": "核对正文和表格，使案件数一致。",
}


class NarrativeVsTables(Rule):
    """正文叙述的数字与表格不一致。

    “总体情况”等部分写到的申请数、办理结果数、行政复议和行政诉讼案件数，应与第三、四
    部分表格一致。核对：收到（受理）政府信息公开申请 N 件 ↔ 第三部分本年新收总计；
    予以公开、部分公开、不予公开、无法提供、不予处理、其他处理 N 件 ↔ 第三部分相应
    一项（或一类各项）的总计；行政复议 N 件 ↔ 第四部分行政复议总计；行政诉讼 N 件 ↔
    两类行政诉讼总计之和。只核对说的是政府信息公开申请（依申请公开）的句子：“受理
    行政许可申请1325件”不算。

    正文的申请数等于本年新收加上年结转的，也提示：表格的“本年新收”不含上年结转，
    正文宜分别写明（正文自己注明“含上年结转”的不提示）。

    例：正文“今年收到依申请答复1条”，表格本年新收为 0。
    """

    code = "XSEC-001"
    severity = Severity.WARNING
    title = "正文与表格数字不一致"

    def check(self, ctx: Context) -> Iterator[Finding]:
        seen: set[str] = set()
        report = ctx.report
        for st in statements(report):
            if st.what in seen:
                continue
            noted = st.note(report)
            if noted is not None:
                seen.add(st.what)
                yield self._carried_over(ctx, st, noted[0])
                continue
            if st.agrees(report) is not False:
                continue
            seen.add(st.what)
            sums = st.sums(report) or [0]
            yield self.finding(
                ctx,
                f"正文写“{st.text}”，而{st.place}为 {fmt(sums[0])}。",
                list(st.cells),
                suggestion=_ADVICE.get(st.what, "核对正文和表格，使件数一致。"),
            )

    def _carried_over(self, ctx: Context, st: Stated, cells: tuple[str, ...]) -> Finding:
        new = ctx.value("t3.new.total")
        carried = ctx.value("t3.carried_over.total")
        return self.finding(
            ctx,
            f"正文写“{st.text}”，等于第三部分表格本年新收（{fmt(new)}）加上年结转"
            f"（{fmt(carried)}），似乎含上年结转的申请；表格的“本年新收”不含上年结转。",
            list(dict.fromkeys((*st.cells, *cells))),
            suggestion=f"正文分别写明本年新收申请 {fmt(new)} 件、上年结转 {fmt(carried)} 件。",
        )


_UNIT = r"(条|件|个|篇|项|次|期|场|份|家|人次|万人次)"
_ENUM_HEAD = re.compile(
    NUM + r"\s*" + _UNIT + r"[^。；;\d]{0,6}?[，,：:（(]?\s*(?:其中|包括|含)[：:，,]?"
)


class EnumerationSum(Rule):
    """正文列举的分项之和与所说的总数不符。

    例：“主动公开信息193条，其中：重要新闻65条，部门文件9条，概况类信息6条，政务动态64条，
    乡村振兴信息54条”，分项之和为198条。只核对单位相同、至少两项的列举；分项之和小于总数时，
    只在列举看来是完整的（含“其他”“其余”，或至少五项）时提示。分项取自列举所在的句子
    （到句号或下一个小标题为止）；上年结转、结转下年度的件数不是分项，也不是总数。
    """

    code = "XSEC-003"
    severity = Severity.WARNING
    title = "列举分项之和与总数不符"

    def check(self, ctx: Context) -> Iterator[Finding]:
        text = _flat(_end_at_headings("\n".join(v for _, v in sorted(ctx.report.sections.items()))))
        if not text:
            text = _flat(_end_at_headings(ctx.report.text))
        text = text[: DEFAULT_LIMITS.max_pattern_chars]  # bounded time on any input
        for m in _ENUM_HEAD.finditer(text):
            if _carried(text, m.start(1)):
                continue  # 上年结转2件，其中…: the parts that follow are not its parts
            stated = as_int(m.group(1))
            unit = m.group(2)
            items = _items(text, m.end(), unit, stated)
            if len(items) < 2:
                continue
            got = sum(items)
            # short of the total, a list may just name some parts ("其中政策文件12条、
            # 规划5条"); it claims to be complete when it has 其他/其余 or many items
            span = text[m.end() : m.end() + 400].split("。")[0]
            complete = len(items) >= 5 or any(w in span for w in ("其他", "其余", "另有"))
            if got > stated or (got < stated and complete):
                shown = "+".join(str(i) for i in items)
                yield self.finding(
                    ctx,
                    f"正文“{_sentence_start(text, m.start())}…”：分项 {shown} = {got}{unit}，"
                    f"与所说的 {stated}{unit} 不符。",
                    suggestion="核对总数和各分项。",
                )


# A line that opens with a heading numeral （二） or 二、 starts a new sentence, whether or
# not the line before it ended with 。.
_HEADING_LINE = re.compile(
    r"\n[ \t\u3000]*(?=（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)"
)
# Counts carried over from last year or deferred to next year are not parts of a total.
_CARRY = re.compile(r"结转|转下|下一?年度|上一?年度?")
_CLAUSE = "，,、；;：:（()）。"


# How far a rule reads around one match (a sentence, a clause).
_WINDOW = DEFAULT_LIMITS.max_sentence_chars


def _end_at_headings(text: str) -> str:
    return _HEADING_LINE.sub("。", text)


def _carried(text: str, i: int) -> bool:
    """Whether the number at ``i`` is said to be carried over or deferred (上年结转2件,
    结转下年度继续办理3件): the words of its clause before it say so."""
    lo = max(0, i - _WINDOW)
    start = max(lo - 1, *(text.rfind(ch, lo, i) for ch in _CLAUSE)) + 1
    return bool(_CARRY.search(text, start, i))


def _sentence_start(text: str, end: int) -> str:
    cut = max(text.rfind(ch, max(0, end - 40), end) for ch in "。；;\n")
    start = max(cut + 1, end - 40)
    return text[start:end] + text[end : end + 0]


def _items(text: str, start: int, unit: str, stated: int) -> list[int]:
    """Numbers with the unit after ``start`` up to the end of the sentence.

    The list ends where its items reach the stated total.  Parenthesised asides and
    nested breakdowns (``民生197条，其中教育32条、医疗165条``: items that add up to the
    item before them) are skipped.
    """
    depth = 0
    i = start
    opened_here = start > 0 and text[start - 1] in "（("
    items: list[int] = []
    end_chars = "。；;"
    item = re.compile(NUM + r"\s*" + re.escape(unit))
    stop = min(len(text), start + _WINDOW)  # a sentence is not longer
    while i < stop:
        ch = text[i]
        if ch in end_chars and depth == 0:
            break
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            if depth == 0:
                if opened_here:
                    break
            else:
                depth -= 1
        elif ch.isdigit() and depth == 0:
            m = item.match(text, i, stop)
            if m:
                if (i > 0 and text[i - 1] in "第.") or _carried(text, i):
                    i = m.end()
                    continue
                items.append(as_int(m.group(1)))
                i = m.end()
                if sum(items) == stated:
                    break
                continue
            while i < stop and (text[i].isdigit() or text[i] in ",."):
                i += 1
            continue
        elif text.startswith("其中", i) and depth == 0 and items:
            i = _skip_nested(text, i, item, items[-1], stop)
            continue
        i += 1
    return items


def _skip_nested(text: str, i: int, item: re.Pattern[str], parent: int, stop: int) -> int:
    """After ``其中`` inside a list: skip the items that add up to ``parent``."""
    j, acc = i, 0
    while j < stop and text[j] not in "。；;":
        m = item.search(text, j, stop)
        if m is None or any(ch in "。；;" for ch in text[j : m.start()]):
            break
        acc += as_int(m.group(1))
        j = m.end()
        if acc == parent:
            return j
        if acc > parent:
            break
    # not a breakdown of the last item: skip only the words up to the next separator
    while i < stop and text[i] not in "，,、；;。":
        i += 1
    return i


class FeeNotReported(Rule):
    """有申请因逾期未缴纳信息处理费而不再处理，但第六部分没有报告收费情况。

    第三部分“（六）2.申请人逾期未按收费通知要求缴纳费用”大于 0，说明本年度发出过收费通知；
    按《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）和各地要求，信息处理费的
    收取情况应在“六、其他需要报告的事项”中报告。
    """

    code = "XSEC-002"
    severity = Severity.WARNING
    title = "未报告信息处理费"

    def check(self, ctx: Context) -> Iterator[Finding]:
        unpaid = ctx.value("t3.other_no_fee.total")
        if not unpaid or ctx.report.format != "2021":
            return
        text = _flat(ctx.report.sections.get(6, ""))
        if re.search(r"收费|处理费|缴费|费用", text):
            return
        yield self.finding(
            ctx,
            f"第三部分有 {fmt(unpaid)} 件申请因逾期未缴费不再处理，但第六部分未报告信息处理费收取情况。",
            ["t3.other_no_fee.total"],
            suggestion="在“六、其他需要报告的事项”中写明发出收费通知和实际收取信息处理费的情况。",
        )


RULES = (NarrativeVsTables, FeeNotReported, EnumerationSum)
