"""Rules on scans read by OCR: numbers the recogniser could not read with certainty."""

from __future__ import annotations

from collections.abc import Iterator

from ..anomalies import OcrDoubt
from ..model import Finding, Severity
from .base import Context, Rule


def _doubts(ctx: Context, decided: bool) -> Iterator[OcrDoubt]:
    for a in ctx.report.anomalies:
        if isinstance(a, OcrDoubt) and (a.value is not None) == decided:
            yield a


def _candidates(a: OcrDoubt) -> str:
    return "、".join(a.candidates) if a.candidates else "无"


def _page(a: OcrDoubt) -> str:
    return f"第 {a.page} 页" if a.page else "扫描件"


# what a PDF's number in doubt for its layout says (OcrDoubt.layout): message, suggestion
_LAYOUT = {
    "shifted": (
        "“{name}”所在的表格行，文字整体偏在各栏的右边，最后一栏的数字超出了表格右边线"
        "（如网页的首行缩进把窄栏里的数字挤到了下一栏），读作“{raw}”的数字属于哪一栏"
        "无法确定，表格算术关系也无法确定，记为空。",
        "对照原件核实该行的数字；网页打印前去掉表格里的首行缩进，或加宽各栏。",
    ),
    "clipped": (
        "“{name}”的数字在页面或单元格边界处被裁切，只印出了“{raw}”，后面可能还有没印出的"
        "数字，表格算术关系也无法确定，记为空。",
        "对照原件核实该单元格的数字；导出 PDF 时让表格完整落在页面之内。",
    ),
    "border": (
        "“{name}”的数字“{raw}”紧贴表格线，与相邻单元格的数字连在一起，无法确定是数字超出了"
        "本栏还是两栏各自的数字，表格算术关系也无法确定，记为空。",
        "对照原件核实该单元格的数字；排版时加宽该栏或留出单元格边距。",
    ),
}


class UnreadDigit(Rule):
    """扫描件（图片或没有文字层的 PDF）里的数字识别没有把握，记为空（null）。

    xxgk 用离线 OCR 读取扫描件，以及文字层读不出来的内容（文字转曲的页、文字层乱码的页、
    以图片插入的表格，横着或倒着扫描的页先转正）：每个数字都带有识别置信度。
    某个单元格的数字置信度低于阈值（如印章、污渍、模糊盖住了数字）时，xxgk 不取识别结果，而是把该单元格记为空，
    并列出识别出的候选值（如“5、6”）——只有表格自身的算术关系（各列之和等于总计、
    勾稽关系）能在候选值中唯一确定时才填入（见 OCR-002），从不猜测。
    修改：对照纸质原件或清晰的原始文件核实该单元格；发布时请附带文字版（可复制文字的 PDF）。

    文字版 PDF 中没有表格线的窄栏里，一个数字折成几行（如“504”在本行、“97”在下一行）
    而版面无法确定下一行是否属于它时，同样记为空，列出两种读法。表格里一个数字紧贴着
    表格线、与相邻单元格的数字连在一起（如“15869|1848”），无法确定是数字超出了本栏、
    还是两栏各自的数字时，两个单元格同样记为空（算术关系能确定时见 OCR-002）。
    数字超出页面的版心或单元格、在边界处被裁切（如“499742”只印出“49974”）时，
    该单元格同样记为空。一行的文字整体偏在各栏右边、最后一栏的数字挤出了表格右边线
    （网页的首行缩进把窄栏里的数字推到下一栏）时，该行各个数字同样记为空，除非表格
    算术关系能确认。
    """

    code = "OCR-001"
    severity = Severity.ERROR
    title = "数字无法可靠识别（扫描件或折行）"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for a in _doubts(ctx, decided=False):
            key = a.cells[0]
            said = _LAYOUT.get(a.layout)
            if said is not None:
                message, suggestion = said
                yield self.finding(
                    ctx,
                    _page(a) + message.format(name=ctx.name(key), raw=a.raw or "空"),
                    a.cells,
                    suggestion=suggestion,
                    page=a.page,
                )
                continue
            if a.wrapped:
                yield self.finding(
                    ctx,
                    f"{_page(a)}“{ctx.name(key)}”的数字在窄栏中折成了几行，无法确定是"
                    f"“{a.raw or '空'}”还是与下一行连读（候选：{_candidates(a)}），"
                    "表格算术关系也无法确定，记为空。",
                    a.cells,
                    suggestion="对照原件核实该单元格的数字；排版时加宽该栏，避免数字折行。",
                    page=a.page,
                )
                continue
            yield self.finding(
                ctx,
                f"{_page(a)}“{ctx.name(key)}”的数字识别没有把握（识别为“{a.raw or '空'}”，"
                f"候选：{_candidates(a)}），表格算术关系也无法确定，记为空。",
                a.cells,
                suggestion="对照纸质原件核实该单元格的数字。",
                page=a.page,
            )


class DecidedDigit(Rule):
    """扫描件里识别没有把握的数字（或文字版 PDF 窄栏里折行的数字），已由表格自身的算术关系在候选值中唯一确定。

    例：某单元格识别为“5”但也可能是“6”，而只有 6 能使该行各列之和等于总计、
    且满足勾稽关系，则填入 6，并在此说明，便于人工复核。
    """

    code = "OCR-002"
    severity = Severity.INFO
    title = "无把握的数字由算术关系确定"

    def check(self, ctx: Context) -> Iterator[Finding]:
        for a in _doubts(ctx, decided=True):
            key = a.cells[0]
            how = (
                "所在的行整体偏在各栏右边"
                if a.layout == "shifted"
                else "在页面或单元格边界处被裁切"
                if a.layout == "clipped"
                else "紧贴表格线、与相邻单元格的数字相连"
                if a.layout == "border"
                else "在窄栏中折成了几行"
                if a.wrapped
                else "识别没有把握"
            )
            yield self.finding(
                ctx,
                f"{_page(a)}“{ctx.name(key)}”的数字{how}（候选：{_candidates(a)}），"
                f"按表格算术关系唯一确定为 {a.value}。",
                a.cells,
                page=a.page,
            )


RULES = (UnreadDigit, DecidedDigit)
