"""A report as a printable A4 PDF: the HTML page typeset by WeasyPrint.

WeasyPrint takes its fonts from the system (fontconfig).  Without a Chinese font every
character would print as an empty box, so :func:`render_pdf` first asks fontconfig for
one and raises :class:`FontMissing` with the install command when there is none.
"""

from __future__ import annotations

import shutil
import subprocess

from ..model import Report
from .html import render_html

FONT_HINT = (
    "未找到中文字体：请安装 fonts-noto-cjk（Debian: apt-get install fonts-noto-cjk，或 make fonts）"
)


class FontMissing(Exception):
    """No font with Chinese glyphs is installed (fontconfig lists none for :lang=zh)."""


def cjk_fonts() -> list[str]:
    """Font files fontconfig offers for Chinese; empty when none or no fontconfig."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        done = subprocess.run(
            [fc_list, ":lang=zh", "file"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip() for line in done.stdout.splitlines() if line.strip()]


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes; raises FontMissing when no Chinese font is installed."""
    if not cjk_fonts():
        raise FontMissing(FONT_HINT)
    from weasyprint import HTML  # type: ignore[import-untyped]

    data = HTML(string=render_html(report)).write_pdf()
    if not isinstance(data, bytes):  # write_pdf returns bytes when given no target
        raise TypeError("WeasyPrint returned no PDF data")
    return data
