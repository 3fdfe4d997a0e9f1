"""A regular expression compiled when it is first used.

Python compiles every pattern anew in every process, and a pattern with the range of
Chinese characters costs about a millisecond.  ``xxgk check`` of one file is a new
process each time: a pattern that only some inputs need (glued digits, a doubtful
encoding, traditional characters) is declared with :class:`Lazy` and costs nothing
until an input needs it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


class Lazy:
    """``re.compile(pattern, flags)``, done on first use; the methods xxgk uses."""

    __slots__ = ("_compiled", "_flags", "_pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self._pattern, self._flags)
        return self._compiled

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.match(text, pos)

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.search(text, pos)

    def findall(self, text: str) -> list[str]:
        return self.compiled.findall(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text)

    def sub(self, repl: str, text: str) -> str:
        return self.compiled.sub(repl, text)
