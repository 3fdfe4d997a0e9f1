"""A report printed in one layout, with the place of every cell in the printed text.

Each layout renders the report once with a unique marker number in every cell; the
markers cut the output into *parts*: text between cells, and the cells themselves
(which then get their real printed value back).  Habits (:mod:`xxgk.variety.habits`)
edit the text parts (labels, headings, punctuation, footers) or the cell parts (blank
markers) and always know where each cell stands, so a truncation knows which rows it
left whole.

Layouts: the text dumps of :mod:`xxgk.render.text` (tabs, one cell per line with and
without indent, one cell per paragraph, pipes in four styles, glued), Markdown, HTML
(with the template's row and column spans; ``html-spans`` also wraps cell text in
``<p>``/``<span>`` and splits labels over two spans, as Word's HTML export does) and
DOCX (the XML of ``word/document.xml`` is the text; it is zipped back for reading) and
PDF: the HTML layout typeset by WeasyPrint, with its table borders (``pdf``) and without
(``pdf-unruled``, ``table,td,th{border:none}``: columns only by position); the HTML is
the text, the PDF is made from it when the file is read.  PDF needs a Chinese font
(:func:`pdf_skipped` says why a PDF layout cannot be measured).  ``pdf-office`` is the
DOCX layout as Word and WPS users publish it: its XML is the text (the habits edit it as
DOCX), the file read is the PDF LibreOffice prints from it (:mod:`.office_pdf`, cached).
``pdf-chromium`` is the HTML layout as a browser prints it: its HTML is the text (the
habits edit it as HTML), the file read is the PDF Chromium prints from it
(:mod:`.chromium_pdf`, cached).
"""

from __future__ import annotations

import copy
import io
import random
import re
import zipfile
from dataclasses import dataclass, field

from ..checks.base import fmt
from ..model import Report
from ..render.text import ALL_LAYOUTS, render_text

TEXT_LAYOUTS = ALL_LAYOUTS
PDF_LAYOUTS = ("pdf", "pdf-unruled")
OFFICE_LAYOUTS = ("pdf-office",)  # DOCX printed to PDF by LibreOffice
BROWSER_LAYOUTS = ("pdf-chromium",)  # HTML printed to PDF by Chromium
LAYOUTS: tuple[str, ...] = (
    *TEXT_LAYOUTS,
    "md",
    "html",
    "html-spans",
    "docx",
    *PDF_LAYOUTS,
    *OFFICE_LAYOUTS,
    *BROWSER_LAYOUTS,
)
_MARK_BASE = 7_300_000_000  # markers are ten digits: 73 and the cell's index
_MARK = re.compile(r"73\d{8}")
_DOCX_BODY = "word/document.xml"
_UNRULED = "<style>table,td,th{border:none !important}</style>"


def pdf_skipped() -> str | None:
    """Why the PDF layouts cannot be printed here (no Chinese font), or None."""
    from ..render.pdf import cjk_fonts

    return None if cjk_fonts() else "没有中文字体（fc-list :lang=zh 为空），PDF 版式未测"


def kind_of(layout: str) -> str:
    """txt, md, html, docx or pdf: the kind of the text the habits edit."""
    if layout in TEXT_LAYOUTS:
        return "txt"
    kinds = {"md": "md", "html": "html", "html-spans": "html", "docx": "docx", "pdf-office": "docx"}
    kinds["pdf-chromium"] = "html"
    return "pdf" if layout in PDF_LAYOUTS else kinds[layout]


@dataclass
class Printed:
    """A printed report as parts; ``keys[i]`` is the cell part ``i`` prints (else None)."""

    layout: str
    parts: list[str]
    keys: list[str | None]
    package: bytes | None = None  # docx: the zip the document XML goes back into
    notes: list[str] = field(default_factory=list)  # what the habits did, for a reader
    encoding: str = "utf-8"  # of the file's bytes (a habit may print GB18030)

    @property
    def kind(self) -> str:
        return kind_of(self.layout)

    def copy(self) -> Printed:
        return Printed(
            self.layout, list(self.parts), list(self.keys), self.package, encoding=self.encoding
        )

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def spans(self) -> dict[str, tuple[int, int]]:
        """[start, end) of every cell in :attr:`text`."""
        out: dict[str, tuple[int, int]] = {}
        pos = 0
        for part, key in zip(self.parts, self.keys, strict=True):
            if key is not None:
                out[key] = (pos, pos + len(part))
            pos += len(part)
        return out

    def source(self) -> str:
        pdf = self.layout in (*OFFICE_LAYOUTS, *BROWSER_LAYOUTS)
        return f"variety-{self.layout}.{'pdf' if pdf else self.kind}"

    def data(self, cut: int | None = None) -> bytes:
        """The file's bytes (the text cut at ``cut`` characters when given)."""
        if self.layout in OFFICE_LAYOUTS:
            from .office_pdf import pdfs

            return pdfs([self.docx(cut)])[0]
        if self.layout in BROWSER_LAYOUTS:
            from . import chromium_pdf

            return chromium_pdf.pdfs([self.html(cut)])[0]
        return self.docx(cut) if self.package is not None else self._data(cut)

    def docx(self, cut: int | None = None) -> bytes:
        """The DOCX zip with the text (cut at ``cut``) as its document XML: the same bytes
        for the same text (every member dated 1980-01-01, so PDFs cache by the hash)."""
        assert self.package is not None, f"{self.layout} is no DOCX"
        text = self.text if cut is None else self.text[:cut]
        src = zipfile.ZipFile(io.BytesIO(self.package))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
            for info in src.infolist():
                body = text.encode("utf-8") if info.filename == _DOCX_BODY else src.read(info)
                member = zipfile.ZipInfo(info.filename)
                member.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(member, body)
        return buf.getvalue()

    def html(self, cut: int | None = None) -> bytes:
        """The web page's bytes (the text cut at ``cut``): what ``pdf-chromium`` prints."""
        assert self.kind == "html", f"{self.layout} is no web page"
        return self._data(cut)

    def _data(self, cut: int | None) -> bytes:
        text = self.text if cut is None else self.text[:cut]
        if self.kind == "pdf":
            from weasyprint import HTML  # type: ignore[import-untyped]

            data = HTML(string=text).write_pdf()
            assert isinstance(data, bytes)
            return data
        return text.encode(self.encoding)


def _marked(report: Report) -> tuple[Report, dict[str, str]]:
    marked = copy.deepcopy(report)
    marks: dict[str, str] = {}
    for i, key in enumerate(report.version.cell_keys()):
        t, r, c = key.split(".")
        value = _MARK_BASE + i
        marked.tables[t][r][c] = value
        marks[str(value)] = key
    return marked, marks


def _spans_html(html: str, rng: random.Random) -> str:
    """Cell text wrapped in <p>/<span>; some labels split over two spans."""

    def wrap(m: re.Match[str]) -> str:
        tag, attrs, text = m.group(1), m.group(2), m.group(3)
        if not text:
            return m.group(0)
        if not _MARK.fullmatch(text) and len(text) >= 4 and rng.random() < 0.5:
            cut = rng.randint(1, len(text) - 1)
            text = f"<span>{text[:cut]}</span><span>{text[cut:]}</span>"
        else:
            text = f"<span>{text}</span>"
        if rng.random() < 0.5:
            text = f'<p class="MsoNormal" align="center">{text}</p>'
        return f"<{tag}{attrs}>{text}</{tag}>"

    return re.sub(r"<(td|th)([^>]*)>([^<]*)</\1>", wrap, html)


def _render(report: Report, layout: str, rng: random.Random) -> tuple[str, bytes | None]:
    if layout in TEXT_LAYOUTS:
        return render_text(report, layout), None
    if layout == "md":
        from ..render.markdown import render_markdown

        return render_markdown(report), None
    if layout in ("html", "html-spans", *PDF_LAYOUTS, *BROWSER_LAYOUTS):
        from ..render.html import render_html

        html = render_html(report)
        if layout == "pdf-unruled":
            html = html.replace("</head>", _UNRULED + "</head>", 1)
        return (_spans_html(html, rng) if layout == "html-spans" else html), None
    if layout in ("docx", *OFFICE_LAYOUTS):
        from ..render.docx import render_docx

        package = render_docx(report)
        with zipfile.ZipFile(io.BytesIO(package)) as z:
            return z.read(_DOCX_BODY).decode("utf-8"), package
    raise ValueError(f"unknown layout {layout!r}; one of {LAYOUTS}")


def printed(report: Report, layout: str, rng: random.Random | None = None) -> Printed:
    """The report in ``layout``, cut into parts at its cells."""
    marked, marks = _marked(report)
    raw, package = _render(marked, layout, rng or random.Random(0))
    parts: list[str] = []
    keys: list[str | None] = []
    pos = 0
    for m in _MARK.finditer(raw):
        key = marks.get(m.group(0))
        if key is None:
            continue
        parts.append(raw[pos : m.start()])
        keys.append(None)
        value = report.value(key)
        parts.append("" if value is None else fmt(value))
        keys.append(key)
        pos = m.end()
    parts.append(raw[pos:])
    keys.append(None)
    found = [k for k in keys if k is not None]
    if sorted(found) != sorted(marks.values()):
        raise AssertionError(f"{layout}: {len(found)} of {len(marks)} cells placed")
    return Printed(layout, parts, keys, package)
