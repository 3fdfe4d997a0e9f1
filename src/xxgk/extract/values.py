"""Reading the text of a value cell: a number, a blank, or something else."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

BLANKS = frozenset(
    {"", "/", "-", "—", "——", "--", "－", "–", "无", "\\", "／", "空", "×", "x", "X", "*"}
)
# At most 15 digits before the point (readers.limits.max_digits) and 6 after: a longer
# run is text (NUM-001), never an int() that raises or a float that is inf.
_NUMBER = re.compile(
    r"^([+-]?)(\d{1,3}(?:,\d{3}){1,4}|\d{1,15})(\.\d{1,10})?(万元|元|件|条|个|项|次|人次|%)?$"
)
# A cell holding only the Chinese numeral zero (〇, often typed as the circle ○, or 零)
# reports 0 as surely as "0" does; "无" ("none") is a blank by the contract (NUM-002).
ZEROS = frozenset({"〇", "○", "零"})
_NUMBERS_RUN = re.compile(r"(?:(?<=\s)|^)([+-]?\d+(?:\.\d+)?|[/—-])(?=\s|$)")


@dataclass(frozen=True, slots=True)
class Value:
    """A parsed value cell."""

    number: int | float | None  # None for blanks and unreadable text
    blank: bool  # blank, "/", "-", "—", "无"
    unit: str = ""  # a unit printed inside the cell (元, 件 …)
    decimal: bool = False  # the text had a decimal point
    signed: bool = False  # the text had an explicit + or -

    @property
    def text_value(self) -> bool:
        """Neither a number nor a blank: text standing where a number belongs."""
        return self.number is None and not self.blank


@lru_cache(maxsize=8192)
def parse_value(text: str) -> Value:
    s = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if s in BLANKS:
        return Value(None, True)
    if s in ZEROS:
        return Value(0, False)
    m = _NUMBER.match(s)
    if not m:
        return Value(None, False)
    sign, whole, frac, unit = m.groups()
    digits = whole.replace(",", "")
    if frac:
        number: int | float = float(f"{sign}{digits}{frac}")
    else:
        number = int(f"{sign}{digits}")
    return Value(number, False, unit or "", bool(frac), bool(sign))


def is_value(text: str) -> bool:
    """True when the text can stand in a value cell (a number or a blank marker)."""
    v = parse_value(text)
    return v.blank or v.number is not None


def split_trailing_values(text: str) -> tuple[str, list[str]]:
    """Split ``label 0 0 1`` into the label and the whitespace-separated values after it.

    Only values separated by whitespace are split off; ``行政许可97`` stays whole.
    """
    parts = text.split()
    values: list[str] = []
    while parts and is_value(parts[-1]) and parts[-1] not in ("无", "空"):
        values.append(parts.pop())
    values.reverse()
    return " ".join(parts), values
