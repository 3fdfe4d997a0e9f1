"""Bounds on what a reader accepts, so hostile input ends in a clear error."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 64 * 1024 * 1024  # size of the file as given
    max_unzipped: int = 256 * 1024 * 1024  # DOCX: total uncompressed size of its parts
    max_ratio: int = 200  # DOCX: largest compression ratio of one part
    max_pages: int = 500  # PDF pages
    max_cells: int = 200_000  # cells over all tables
    max_chars: int = 20_000_000  # decoded characters of text


DEFAULT_LIMITS = Limits()
