"""How sure the recogniser is of a number, and what else it may have read.

A character's doubt is the share of the recogniser's probability held by characters
that would change the number (another digit, a decimal point, a digit missed): a
letter O read for 0 changes nothing.  A numeric cell's confidence is its least sure
character's; below :data:`MIN_CONF` the cell carries its candidate readings, and
extract leaves it null unless the table's arithmetic decides (finding OCR-001).
"""

from __future__ import annotations

import itertools
import re

from .engine import Char, Reading

MIN_CONF = 0.9  # a numeric cell read with less confidence than this is not taken as read
MAX_CANDIDATES = 8
SURE_PROBABILITY = 0.7  # a digit read with this probability or more is not doubted for it
_MIN_OPTION = 0.02  # a reading of one character is a candidate from this share

# what a character in a number stands for (look-alikes and full-width forms)
_SAME = {
    **{chr(0xFF10 + i): str(i) for i in range(10)},
    "O": "0", "o": "0", "〇": "0", "Ｏ": "0",
    "l": "1", "I": "1", "|": "1", "丨": "1",
    "．": ".", "。": ".", "，": ",", "、": ",",
}  # fmt: skip
_NUMBER = re.compile(r"[+\-]?\d+(?:,\d{3})*(?:\.\d+)?")
_MEANING = set("0123456789.")


def meaning(ch: str) -> str:
    return _SAME.get(ch, ch)


def numeric(reading: Reading) -> bool:
    """Whether the text read is a number (look-alikes read as digits), but for stray
    points or commas before or after it (a speck; see :func:`edged`)."""
    text = "".join(meaning(c.text) for c in reading.chars).strip(".,")
    return bool(text) and _NUMBER.fullmatch(text) is not None


def edged(reading: Reading) -> Reading:
    """The reading with a point or comma at either end made a doubt: nothing, or that."""
    chars = list(reading.chars)
    for i in [*range(len(chars)), *range(len(chars) - 1, -1, -1)]:
        ch = chars[i]
        if meaning(ch.text) not in (".", ","):
            continue
        inner = [c for c in chars if c.text and meaning(c.text) not in (".", ",")]
        if inner and chars.index(inner[0]) < i < chars.index(inner[-1]):
            continue
        chars[i] = Char("", 0.5, ((ch.text, 0.5),))
    return Reading(tuple(chars))


_BLANK_MARKS = set("/／\\-－—–_~～·.。、 ")


def garbled(reading: Reading) -> bool:
    """A few marks that are no words and no blank mark ("/", "—"): a number the
    recogniser could not make out (part of a digit lost: "b" for 6, "x" for 8)."""
    text = reading.text.strip()
    if not text or len(text) > 4 or numeric(reading):
        return False
    if any(ch >= "\u2e80" for ch in text):  # CJK: words (无, 不适用)
        return False
    return not set(text) <= _BLANK_MARKS


def speckled(reading: Reading) -> Reading | None:
    """A number with specks read as characters beside it ("烧 0", "0 K": grain, dirt):
    the reading without them, when every character that is no digit, look-alike or mark
    was read unsurely and a number is left; else None.  Never taken as read."""
    kept: list[Char] = []
    dropped = False
    for ch in reading.chars:
        m = meaning(ch.text)
        if m in _MEANING or m in "+-,":
            kept.append(ch)
        elif ch.text.strip() and ch.text not in _BLANK_MARKS:
            if ch.conf >= MIN_CONF:
                return None  # a character read surely: words ("3 件")
            dropped = True
    if not dropped or len(reading.chars) > 8:
        return None
    clean = Reading(tuple(kept))
    return clean if numeric(clean) else None


def pieces_of_a_number(found: list[Reading]) -> bool:
    """Whether the pieces read in one cell are digits and marks only (no word), with a
    digit among them: a number, but which one is not told by any single reading."""
    if not any(numeric(r) for r in found):
        return False
    return all(numeric(r) or garbled(r) or speck(r) or not r.text.strip(".,·。 ") for r in found)


def speck(reading: Reading) -> bool:
    """A piece of a few characters, each read unsurely, none a digit: dirt or grain."""
    chars = [c for c in reading.chars if c.text.strip()]
    return 0 < len(chars) <= 3 and all(
        c.conf < MIN_CONF and meaning(c.text) not in _MEANING for c in chars
    )


def pieced_candidates(found: list[Reading]) -> tuple[str, ...]:
    """The numbers several pieces of one cell may be, in reading order: each piece one
    of its own candidates or nothing (a speck), the pieces together first (a number
    wrapped, or with a gap inside), then fewer pieces."""
    options = [candidates(edged(r)) if numeric(r) else candidates(r) for r in found]
    ranked: list[tuple[int, int, str]] = []  # (pieces left out, rank of the choices, text)
    choices = [[*((o, i) for i, o in enumerate(opts[:3])), ("", 0)] for opts in options]
    for combo in itertools.islice(itertools.product(*choices), 512):
        text = "".join(t for t, _ in combo).strip(".,")
        if not _NUMBER.fullmatch(text) or (len(text) > 1 and text[0] == "0" and text[1] != "."):
            continue
        ranked.append((sum(1 for t, _ in combo if not t), sum(i for _, i in combo), text))
    out: list[str] = []
    for _, _, text in sorted(ranked):
        if text not in out:
            out.append(text)
    return tuple(out[:MAX_CANDIDATES])


def number_text(reading: Reading) -> str:
    return "".join(meaning(c.text) for c in reading.chars)


def _options(ch: Char) -> list[tuple[str, float]]:
    """What the character may stand for in a number, with the share of each."""
    mass: dict[str, float] = {}
    for text, p in ((ch.text, ch.conf), *ch.alts):
        m = meaning(text)
        if m == "" or m in _MEANING or m in "+-,":
            mass[m] = mass.get(m, 0.0) + p
    total = sum(mass.values()) or 1.0
    own = meaning(ch.text)
    out = [(m, p / total) for m, p in mass.items()]
    out.sort(key=lambda o: (o[0] != own, -o[1]))
    return out


def confidence(reading: Reading) -> float:
    """The share of its least sure character that the reading holds (1.0: no doubt); a
    digit the recogniser itself gave less than SURE_PROBABILITY (its look-alikes added)
    is doubtful in proportion, whatever else it saw there (a speck read "2" at 2 %)."""
    least = 1.0
    for ch in reading.chars:
        opts = _options(ch)
        if opts:
            share = opts[0][1]
            own = meaning(ch.text)
            if own.isdigit():
                held = ch.conf + sum(p for t, p in ch.alts if meaning(t) == own)
                share = min(share, held / SURE_PROBABILITY)
            least = min(least, share)
    return round(least, 4)


def candidates(reading: Reading) -> tuple[str, ...]:
    """The numbers the reading may be, likeliest first (its own reading first)."""
    per_char: list[list[tuple[str, float]]] = []
    for ch in reading.chars:
        opts = [o for o in _options(ch) if o[1] >= _MIN_OPTION] or [(meaning(ch.text), 1.0)]
        per_char.append(opts[:3])
    scored: dict[str, float] = {}
    for combo in itertools.islice(itertools.product(*per_char), 512):
        text = "".join(m for m, _ in combo)
        if not _NUMBER.fullmatch(text) or (len(text) > 1 and text[0] == "0" and text[1] != "."):
            continue
        p = 1.0
        for _, share in combo:
            p *= share
        scored[text] = max(scored.get(text, 0.0), p)
    own = number_text(reading)
    ranked = sorted(scored, key=lambda t: (t != own, -scored[t]))
    return tuple(ranked[:MAX_CANDIDATES])
