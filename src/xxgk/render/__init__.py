"""Writing reports in the statutory layout, one module per output format."""

from __future__ import annotations

from ..model import Report

FORMATS = ("docx", "html", "pdf", "md", "xlsx", "txt", "yaml", "json")


class RenderError(Exception):
    """The output cannot be made here (for example a missing font); one clear line."""


def render(report: Report, to: str) -> bytes:
    """The report in one of FORMATS, as bytes ready to write."""
    if to == "docx":
        from .docx import render_docx

        return render_docx(report)
    if to == "xlsx":
        from .xlsx import render_xlsx

        return render_xlsx(report)
    if to == "pdf":
        from .pdf import FontMissing, render_pdf

        try:
            return render_pdf(report)
        except FontMissing as exc:
            raise RenderError(str(exc)) from None
    if to == "html":
        from .html import render_html

        return render_html(report).encode("utf-8")
    if to == "md":
        from .markdown import render_markdown

        return render_markdown(report).encode("utf-8")
    if to == "txt":
        from .text import render_text

        return render_text(report).encode("utf-8")
    if to == "yaml":
        from .data import render_yaml

        return render_yaml(report).encode("utf-8")
    if to == "json":
        from .data import render_json

        return render_json(report).encode("utf-8")
    raise RenderError(f"不支持的输出格式 {to!r}（可选：{', '.join(FORMATS)}）")
