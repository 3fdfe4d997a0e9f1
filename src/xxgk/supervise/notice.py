"""年报审查意见 / 整改通知 as DOCX (and PDF through LibreOffice), from an editable template.

The template is an ordinary Word document: text placeholders in double braces anywhere
in its paragraphs, tables, headers and footers — {{机关}} {{年度}} {{报告}} {{期限}}
{{问题数}} {{错误数}} {{警告数}} {{发文单位}} {{日期}} — and one table row holding
{{序号}} {{类别}} {{问题}} {{位置}} {{整改要求}}, repeated once per finding.  An office
edits the shipped one (``xxgk notice --template-out``) in Word or WPS and puts it at
``XXGK_DATA/templates/审查意见模板.docx``, or names one with ``--template``.  python-docx
is imported when a notice is written, never on the way of ``xxgk check``.
"""

from __future__ import annotations

import copy
import io
import os
import re
import shutil
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..model import CheckResult, Finding, Location

HERE = Path(__file__).parent
SHIPPED = HERE / "templates" / "notice.docx"
OFFICE_TEMPLATE = Path("templates") / "审查意见模板.docx"  # inside XXGK_DATA
DEFAULT_DAYS = 30  # the correction deadline when none is given: this many days
DEFAULT_OFFICE = "政府信息公开工作主管部门"
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
ROW_FIELDS = ("序号", "类别", "问题", "位置", "整改要求")
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")


class NoticeError(Exception):
    """A notice that cannot be written: the message is the Chinese line a user reads."""


@dataclass
class Item:
    """One finding as the notice prints it."""

    severity: str  # error | warning | info
    code: str
    message: str
    where: str
    suggestion: str

    @classmethod
    def of(cls, finding: Finding | Mapping[str, Any]) -> Item:
        if isinstance(finding, Finding):
            return cls(
                finding.severity.value,
                finding.code,
                finding.message,
                where(finding.location),
                finding.suggestion,
            )
        loc = Location(
            **{
                k: v
                for k, v in (finding.get("location") or {}).items()
                if k in Location.__dataclass_fields__
            }
        )
        return cls(
            str(finding.get("severity", "")),
            str(finding.get("code", "")),
            str(finding.get("message", "")),
            where(loc),
            str(finding.get("suggestion") or ""),
        )


def where(loc: Location) -> str:
    """Where a finding stands, in words: the cell as printed, then page, line, table
    place and the words around it (``Location.describe``)."""
    bits = [loc.cell] if loc.cell else []
    described = loc.describe()
    if described:
        bits.append(described)
    return "；".join(bits) or "全文"


@dataclass
class Notice:
    agency: str
    year: int | None
    report: str  # the report as the notice names it: its title, else its file
    items: list[Item] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for i in self.items if i.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.items if i.severity == "warning")

    def filename(self, suffix: str = ".docx") -> str:
        year = f"{self.year}年度" if self.year else ""
        return _safe(f"{self.agency}{year}年报审查意见") + suffix


def _safe(name: str) -> str:
    return re.sub(r"[\x00-\x1f\\/:*?\"<>|\s]+", "_", name).strip("._") or "审查意见"


def notice_of(
    result: CheckResult | Mapping[str, Any],
    severities: Iterable[str] = ("error", "warning"),
    findings: Sequence[Finding | Mapping[str, Any]] | None = None,
    agency: str | None = None,
) -> Notice:
    """The notice of one checked report (a ``CheckResult`` or its stored JSON): the
    findings of ``severities`` (or exactly ``findings``, e.g. those a supervisor
    confirmed), errors first as the check lists them."""
    if isinstance(result, CheckResult):
        rep: Mapping[str, Any] = result.report.contract_dict()
        all_findings: Sequence[Finding | Mapping[str, Any]] = result.findings
    else:
        rep = result.get("report") or {}
        all_findings = result.get("findings") or []
    chosen = findings if findings is not None else all_findings
    wanted = set(severities)
    items = [Item.of(f) for f in chosen]
    if findings is None:
        items = [i for i in items if i.severity in wanted]
    name = agency or rep.get("agency") or "（报告未写明机关名称）"
    year = rep.get("year") if isinstance(rep.get("year"), int) else None
    title = rep.get("title") or Path(str(rep.get("source") or "")).name or "年度报告"
    return Notice(str(name), year, str(title), items)


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def template_path(template: Path | None = None) -> Path | None:
    """The template to fill: the one given, else the office's own in XXGK_DATA, else the
    one shipped (None when the package was installed without it: it is then built)."""
    if template is not None:
        if not template.is_file():
            raise NoticeError(f"{template}：模板文件不存在")
        return template
    data = Path(os.environ.get("XXGK_DATA") or "xxgk-data")
    own = data / OFFICE_TEMPLATE
    if own.is_file():
        return own
    return SHIPPED if SHIPPED.is_file() else None


def render_docx(
    notice: Notice,
    deadline: date | None = None,
    office: str = DEFAULT_OFFICE,
    template: Path | None = None,
    issued: date | None = None,
) -> bytes:
    """The notice as DOCX bytes, filled into the template."""
    from docx import Document

    issued = issued or date.today()
    deadline = deadline or issued + timedelta(days=DEFAULT_DAYS)
    path = template_path(template)
    try:
        doc = Document(str(path)) if path is not None else _built()
    except Exception as exc:  # python-docx raises several types for a bad file
        raise NoticeError(f"{path}：不是可用的 Word（DOCX）模板（{type(exc).__name__}）") from exc
    values = {
        "机关": notice.agency,
        "年度": str(notice.year) if notice.year else "",
        "报告": notice.report,
        "期限": _cn(deadline),
        "问题数": str(len(notice.items)),
        "错误数": str(notice.errors),
        "警告数": str(notice.warnings),
        "发文单位": office,
        "日期": _cn(issued),
    }
    _fill_rows(doc, notice.items)
    for paragraph in _paragraphs(doc):
        _replace(paragraph, values)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _paragraphs(doc: Any) -> Iterable[Any]:
    """Every paragraph: body, table cells (nested too), headers and footers."""

    def of(container: Any) -> Iterable[Any]:
        yield from container.paragraphs
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    yield from of(cell)

    yield from of(doc)
    for section in doc.sections:
        for part in (section.header, section.footer):
            yield from of(part)


def _replace(paragraph: Any, values: Mapping[str, str]) -> None:
    """Placeholders replaced in a paragraph, also where Word split one over several runs
    (the text then goes to the first run of the stretch, keeping its formatting)."""
    runs = list(paragraph.runs)
    text = "".join(r.text for r in runs)
    if "{{" not in text:
        return
    for m in reversed(list(_PLACEHOLDER.finditer(text))):
        if m.group(1) not in values:
            continue
        start, end = m.span()
        pos, first = 0, None
        for run in runs:
            a, b = pos, pos + len(run.text)
            pos = b
            if b <= start or a >= end:
                continue
            lo, hi = max(start, a) - a, min(end, b) - a
            if first is None:
                first = run
                run.text = run.text[:lo] + values[m.group(1)] + run.text[hi:]
            else:
                run.text = run.text[:lo] + run.text[hi:]


def _fill_rows(doc: Any, items: Sequence[Item]) -> None:
    """The table row that holds {{序号}}: one copy per finding (a single row saying so
    when there is none)."""
    for table in doc.tables:
        for row in table.rows:
            if "{{序号}}" not in "".join(c.text for c in row.cells).replace(" ", ""):
                continue
            tr = row._tr
            rows = [_row_values(n, item) for n, item in enumerate(items, 1)] or [
                {
                    "序号": "—",
                    "类别": "",
                    "问题": "未发现需要整改的问题。",
                    "位置": "",
                    "整改要求": "",
                }
            ]
            for values in rows:
                clone = copy.deepcopy(tr)
                tr.addprevious(clone)
                from docx.table import _Row

                for cell in _Row(clone, table).cells:
                    for paragraph in cell.paragraphs:
                        _replace(paragraph, values)
            tr.getparent().remove(tr)
            return


def _row_values(n: int, item: Item) -> dict[str, str]:
    kind = SEVERITY_NAMES.get(item.severity, item.severity)
    return {
        "序号": str(n),
        "类别": f"{kind}\n{item.code}",
        "问题": item.message,
        "位置": item.where,
        "整改要求": item.suggestion or "核实后修改，或书面说明理由。",
    }


# ---------------------------------------------------------------- the shipped template


TITLE = "关于{{机关}}{{年度}}年度政府信息公开工作年度报告的审查意见"
BODY = (
    "你单位发布的《{{报告}}》经核查，发现以下{{问题数}}个问题（其中错误{{错误数}}个、"
    "需核实的警告{{警告数}}个），现将审查意见通知如下。请对照逐项核实、整改，于{{期限}}前"
    "将整改后的年度报告重新发布，并将整改情况书面报送我单位；经核实确无问题的，请书面说明理由。"
)
CLOSING = (
    "“错误”是违反年度报告格式或条例规定的问题，应当改正；“警告”是数据或表述可能"
    "有误之处，请核实。位置中的页码、行号和表格位置按报告原件计算。"
)
WIDTHS_CM = (1.4, 2.3, 5.4, 3.4, 3.1)  # 15.6 cm: the text width of the page


def _built() -> Any:
    """The default template, made in code (what ``templates/notice.docx`` holds)."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    from ..render.docx import BODY_FONT, HEADING_FONT, TITLE_FONT

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    def fonts(run: Any, name: str, size: float, bold: bool = False) -> None:
        run.font.size = Pt(size)
        run.font.bold = bold
        rfonts = run._element.get_or_add_rPr().get_or_add_rFonts()
        for slot in ("ascii", "hAnsi", "cs"):
            rfonts.set(qn(f"w:{slot}"), "Times New Roman")
        rfonts.set(qn("w:eastAsia"), name)

    def para(
        text: str,
        font: str = BODY_FONT,
        size: float = 16,
        indent: bool = True,
        align: Any = None,
        before: float = 0,
        after: float = 0,
    ) -> Any:
        p = doc.add_paragraph()
        p.paragraph_format.line_spacing = Pt(28)
        p.paragraph_format.space_before, p.paragraph_format.space_after = Pt(before), Pt(after)
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        if align is not None:
            p.alignment = align
        fonts(p.add_run(text), font, size)
        return p

    para(TITLE, TITLE_FONT, 20, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, after=18)
    para("{{机关}}：", indent=False)
    para(BODY)
    para(
        "一、发现的问题及整改要求", HEADING_FONT, 16, before=6, after=6
    ).paragraph_format.keep_with_next = True
    table = doc.add_table(rows=2, cols=len(ROW_FIELDS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, (cells, texts) in enumerate(
        (
            (table.rows[0].cells, ROW_FIELDS),
            (table.rows[1].cells, [f"{{{{{f}}}}}" for f in ROW_FIELDS]),
        )
    ):
        for j, (cell, text) in enumerate(zip(cells, texts, strict=True)):
            cell.width = Cm(WIDTHS_CM[j])
            p = cell.paragraphs[0]
            p.paragraph_format.line_spacing = Pt(18)
            if i == 0 or j < 2:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fonts(p.add_run(text), HEADING_FONT if i == 0 else BODY_FONT, 11 if i else 12)
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, WIDTHS_CM, strict=True):
        col.w = Cm(width)  # LibreOffice and WPS lay columns out by the grid
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(header.makeelement(qn("w:tblHeader"), {}))  # repeated on every page
    body = table.rows[1]._tr.get_or_add_trPr()
    body.append(body.makeelement(qn("w:cantSplit"), {}))  # a finding stays on one page
    para("二、说明", HEADING_FONT, 16, before=12, after=6).paragraph_format.keep_with_next = True
    para(CLOSING)
    para("{{发文单位}}", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT, before=30)
    para("{{日期}}", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    doc.core_properties.title = "年报审查意见（模板）"
    return doc


def write_template(path: Path) -> None:
    """Write the default template (to edit in Word or WPS)."""
    if SHIPPED.is_file():
        shutil.copyfile(SHIPPED, path)
    else:
        _built().save(str(path))


# ---------------------------------------------------------------- PDF, zip


def to_pdf(docx: bytes, timeout: float = 120) -> bytes:
    """The DOCX as PDF through LibreOffice (``soffice --headless --convert-to pdf``)."""
    from ..office import OfficeError, convert_bytes

    try:
        return convert_bytes(docx, ".docx", "pdf", timeout)
    except OfficeError as exc:
        if exc.reason == "missing":
            raise NoticeError(
                "未找到 LibreOffice（soffice），无法生成 PDF：请安装 LibreOffice，或只生成 DOCX"
            ) from None
        if exc.reason == "failed":
            raise NoticeError("LibreOffice 未能把审查意见转换为 PDF") from None
        raise NoticeError(f"LibreOffice 转换 PDF 失败（{exc.reason}）") from None


def zip_notices(files: Iterable[tuple[str, bytes]]) -> bytes:
    """Several notices in one zip (names made unique: 某局2023年度年报审查意见-2.docx)."""
    out = io.BytesIO()
    seen: dict[str, int] = {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files:
            n = seen.get(name, 0) + 1
            seen[name] = n
            stem, dot, ext = name.rpartition(".")
            z.writestr(name if n == 1 else f"{stem}-{n}{dot}{ext}", data)
    return out.getvalue()
