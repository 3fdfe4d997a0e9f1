"""The ``pdf-chromium`` layout's files: the HTML layout as a browser prints it to PDF
(agencies and crawlers publish web pages saved that way), printed by Debian's Chromium.

A ``chromium --headless --print-to-pdf`` process takes about a second a file, so
:func:`pdfs` prints every file it has not seen with one browser, driven by Playwright
(``/usr/bin/chromium`` with the command line's flags; each page printed as the command
line prints it: the page's CSS ``@page`` size, no header or footer) and keeps each PDF
under a cache folder by the SHA-256 of the HTML's bytes: a second run of the matrix
prints nothing.  Without Chromium or Playwright :func:`chromium_skipped` says why the
layout is not measured.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

GENERATOR = 1  # bump when the PDFs made from the same HTML bytes change: all reprinted
CHROMIUM = Path("/usr/bin/chromium")
_FLAGS = [  # as the command line the layout reproduces: chromium --headless --print-to-pdf
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_TIMEOUT_MS = 60_000  # a page's load or print (a cold start on a busy machine)


class ChromiumError(Exception):
    """Chromium could not print a file; ``reason`` says why (English, for the log)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def default_cache() -> Path:
    """Where the PDFs are kept when the caller names no folder."""
    return Path(tempfile.gettempdir()) / "xxgk-variety-chromium"


def chromium_skipped() -> str | None:
    """Why ``pdf-chromium`` cannot be made here (no Chromium, no Playwright), or None."""
    import importlib.util

    if not os.access(CHROMIUM, os.X_OK):
        return f"没有 Chromium（{CHROMIUM}，apt-get install chromium），pdf-chromium 版式未测"
    if importlib.util.find_spec("playwright") is None:
        return "没有 Playwright（pip install playwright），pdf-chromium 版式未测"
    return None


def key(html: bytes) -> str:
    """The cache name of the PDF printed from ``html``."""
    return hashlib.sha256(f"{GENERATOR}:".encode() + html).hexdigest()


def pdfs(htmls: list[bytes], cache: Path | None = None) -> list[bytes]:
    """Each HTML page of ``htmls`` as Chromium prints it to PDF (cached; the ones not
    cached printed by one browser).  Raises :class:`ChromiumError` when Chromium cannot
    start or print a page."""
    folder = cache or default_cache()
    names = [key(h) for h in htmls]
    todo = {n: h for n, h in zip(names, htmls, strict=True) if not (folder / f"{n}.pdf").is_file()}
    if todo:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="xxgk-chromium-pdf-") as tmp:
            _print_all(todo, Path(tmp), folder)
    return [(folder / f"{n}.pdf").read_bytes() for n in names]


def _print_all(todo: dict[str, bytes], tmp: Path, folder: Path) -> None:
    from playwright.sync_api import Error, PdfMargins, sync_playwright

    # the command line's margins (Chromium's default, 1 cm) where a page's CSS names none
    margin: PdfMargins = {"top": "1cm", "bottom": "1cm", "left": "1cm", "right": "1cm"}

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=str(CHROMIUM), args=_FLAGS, timeout=_TIMEOUT_MS
            )
            try:
                page = browser.new_page()
                for name, data in todo.items():
                    # a file:// page, as the command line prints it (its encoding
                    # sniffed the same way, relative links the same)
                    src = tmp / f"{name}.html"
                    src.write_bytes(data)
                    page.goto(src.as_uri(), timeout=_TIMEOUT_MS)
                    pdf = page.pdf(prefer_css_page_size=True, margin=margin)
                    # written beside and renamed: a test running alongside sees it whole
                    part = folder / f"{name}.pdf.{os.getpid()}.part"
                    part.write_bytes(pdf)
                    os.replace(part, folder / f"{name}.pdf")
            finally:
                browser.close()
    except Error as exc:
        raise ChromiumError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc
