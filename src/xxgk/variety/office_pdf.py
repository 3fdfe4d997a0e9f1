"""The ``pdf-office`` layout's files: the DOCX layout as Word and WPS users publish it,
exported to PDF by LibreOffice.

LibreOffice takes two to three seconds to start and about half a second a file after
that, so :func:`pdfs` converts every file it has not seen in one ``soffice --headless
--convert-to pdf`` run (:func:`xxgk.office.convert_all`: its own profile, the process
group ended on a timeout) and keeps each PDF under a cache folder by the SHA-256 of the
DOCX's bytes: a second run of the matrix converts nothing.  Without LibreOffice (or a
Chinese font to print with) :func:`office_skipped` says why the layout is not measured.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

GENERATOR = 1  # bump when the PDFs made from the same DOCX bytes change: all reconverted
_START = 60.0  # seconds for LibreOffice to start (a cold start on a busy machine) ...
_PER_FILE = 10.0  # ... and for each file of the run


def default_cache() -> Path:
    """Where the PDFs are kept when the caller names no folder."""
    return Path(tempfile.gettempdir()) / "xxgk-variety-office"


def office_skipped() -> str | None:
    """Why ``pdf-office`` cannot be made here (no LibreOffice, no Chinese font), or None."""
    from ..office import soffice
    from .layouts import pdf_skipped

    if soffice() is None:
        return "没有 LibreOffice（soffice，make office），pdf-office 版式未测"
    return pdf_skipped()


def key(docx: bytes) -> str:
    """The cache name of the PDF made from ``docx``."""
    return hashlib.sha256(f"{GENERATOR}:".encode() + docx).hexdigest()


def pdfs(docs: list[bytes], cache: Path | None = None) -> list[bytes]:
    """Each DOCX of ``docs`` as LibreOffice prints it to PDF (cached; the ones not cached
    converted together in one LibreOffice run).  Raises :class:`xxgk.office.OfficeError`
    when LibreOffice is missing, times out or leaves a file unconverted."""
    from ..office import OfficeError, convert_all

    folder = cache or default_cache()
    names = [key(d) for d in docs]
    todo = {n: d for n, d in zip(names, docs, strict=True) if not (folder / f"{n}.pdf").is_file()}
    if todo:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="xxgk-office-pdf-") as tmp:
            sources = []
            for name, data in todo.items():
                path = Path(tmp) / f"{name}.docx"
                path.write_bytes(data)
                sources.append(path)
            out = Path(tmp) / "out"
            made = convert_all(sources, "pdf", out, _START + _PER_FILE * len(sources))
            if len(made) < len(sources):
                raise OfficeError("failed")
            for path in made:
                # written beside and renamed: a test running alongside sees it whole or not
                part = folder / f"{path.name}.{os.getpid()}.part"
                part.write_bytes(path.read_bytes())
                os.replace(part, folder / path.name)
    return [(folder / f"{n}.pdf").read_bytes() for n in names]
