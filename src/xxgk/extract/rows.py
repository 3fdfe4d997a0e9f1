"""What the row-reading strategies share: a row label with the value tokens read for it.

The strategies (:mod:`.grid`, :mod:`.stream`, :mod:`.position`) each turn a table
region into :class:`RowRead` items; :mod:`.tables` puts them into cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..format import Table
from .lines import Tok
from .values import parse_value

DIGITS = re.compile(r"^[+-]?[\d.,+]+(元)?$")


@dataclass
class RowRead:
    """A row label and the value tokens read for it."""

    key: str
    alien: bool  # a row of the other format version
    label: Tok
    values: list[Tok] = field(default_factory=list)
    positional: bool = False  # values stand at their grid positions (blanks included)
    final: bool = False  # the last row before the text breaks off: its values fill from the left
    # first pieces of numbers wrapped around the row (``17，`` on a line of its own, from
    # a table the reader could not cut into cells): which number each goes on in is not
    # known, so the row is left null (NUM-004)
    pieces: tuple[Tok, ...] = ()


@dataclass(frozen=True)
class StrayRow:
    """A row the format does not have: its printed text and the values beside it."""

    text: str
    label: Tok
    values: tuple[Tok, ...]


def valueish(t: Tok) -> bool:
    """A token that can stand in a value cell: a number, a blank marker or an empty cell
    (or a number a scan's recogniser read with doubt: its candidates in ``where.alts``)."""
    if t.merged:
        return False
    if t.where.alts is not None:
        return True
    v = parse_value(t.text)
    return v.blank or v.number is not None or (t.loose and bool(DIGITS.match(t.text)))


def real(vals: list[Tok] | tuple[Tok, ...]) -> bool:
    """Some token has text (not only empty cells)."""
    return any(t.text for t in vals)


def width(table: Table, key: str) -> int:
    """Number of columns of a row of the table (-1 for a row of the other version)."""
    try:
        return len(table.row(key).columns)
    except KeyError:
        return -1
