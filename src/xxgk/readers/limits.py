"""Bounds on what xxgk accepts, so hostile input ends in a clear error.

Every limit that keeps time and memory bounded lives here, in one place: a reader,
a loader, a rule or the glued-row solver asks :data:`DEFAULT_LIMITS` (or the
``Limits`` it was given).  With these values no input of at most ``max_bytes`` takes
more than about 10 s or 1 GB on one core (``make fuzz`` measures it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 64 * 1024 * 1024  # size of the file as given
    max_unzipped: int = 256 * 1024 * 1024  # DOCX: total uncompressed size of its parts
    max_ratio: int = 200  # DOCX: largest compression ratio of one part
    max_pages: int = 500  # PDF pages
    max_cells: int = 200_000  # cells over all tables
    max_chars: int = 20_000_000  # decoded characters of text (HTML source, PDF text)
    max_text_chars: int = 2_000_000  # characters of a plain-text or Markdown report
    max_lines: int = 100_000  # lines of a plain-text or Markdown report
    max_structured_bytes: int = 16 * 1024 * 1024  # a JSON data file
    max_yaml_bytes: int = 4 * 1024 * 1024  # a YAML data file (slower to parse than JSON)
    max_depth: int = 64  # nesting of a YAML/JSON data file
    max_nodes: int = 200_000  # values of a YAML/JSON data file, YAML aliases expanded
    max_digits: int = 15  # digits of one number (a cell, a narrative figure)
    max_pattern_chars: int = 200_000  # narrative text a rule's patterns read
    max_sentence_chars: int = 2_000  # window a rule reads around one match


DEFAULT_LIMITS = Limits()
