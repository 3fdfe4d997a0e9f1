"""What a worker runs: a file's contents in, an Outcome out, never an exception.

These functions take and return only picklable values (names, bytes, Outcomes) and
read no file, so the same task runs in this process, in a local process pool or on a
Dask worker of another machine.
"""

from __future__ import annotations

import hashlib
import signal
from dataclasses import dataclass

from ..model import Report
from .outcome import Outcome, json_text, safely
from .pairing import previous_mismatch


@dataclass(frozen=True, slots=True)
class Content:
    """A file as it travels to a worker: its place in the input, its name, its bytes."""

    order: int
    source: str
    data: bytes


_PREVIOUS: tuple[str, Report] | None = None  # the last --previous parsed in this worker


def quiet() -> None:
    """Initialiser of a local worker process: Ctrl-C is the parent's to handle (it
    cancels the batch); a worker does not print a traceback of its own.  Its
    collector runs every 100,000 allocations rather than 700: a report's objects live
    until it is sent back, and fewer collections are fewer pages copied after fork."""
    import gc

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(100_000, 10, 10)


def _parse(content: Content) -> tuple[Report | None, Outcome | None]:
    from .. import api

    report, failed = safely(content.source, api.parse_bytes, content.data, content.source)
    if failed is not None:
        failed.order = content.order
    return report, failed


def _previous(previous: Content) -> Report | None:
    """The --previous report, parsed once per worker (it comes with every task)."""
    global _PREVIOUS
    key = previous.source + "\0" + hashlib.sha256(previous.data).hexdigest()
    if _PREVIOUS is None or _PREVIOUS[0] != key:
        report, _ = _parse(previous)
        if report is None:
            return None
        _PREVIOUS = (key, report)
    return _PREVIOUS[1]


def _check(
    content: Content,
    report: Report,
    prev: Report | None,
    note: str | None,
    replaces: bool,
    lines: bool,
) -> Outcome:
    from .. import api

    result, failed = safely(content.source, api.check_report, report, prev)
    if failed is not None:
        failed.order, failed.replaces = content.order, replaces
        return failed
    o = Outcome(
        source=content.source,
        report=report,
        result=result,
        previous=prev.source if prev is not None else None,
        previous_year=prev.year if prev is not None else None,
        note=note,
        order=content.order,
        replaces=replaces,
    )
    if lines:  # the JSON line made here, where the work is spread, not by the caller
        o.text, _ = safely(content.source, lambda: json_text(o.as_dict()))
    return o


def check_one(content: Content, previous: Content | None = None, lines: bool = False) -> Outcome:
    """One file read and checked (against ``previous`` when it is last year's report
    of the same agency; otherwise the Outcome's ``note`` says why not); with
    ``lines``, the Outcome carries its JSON line (``Outcome.text``)."""
    report, failed = _parse(content)
    if report is None:
        assert failed is not None
        return failed
    prev = _previous(previous) if previous is not None else None
    note = None
    if prev is not None:
        note = previous_mismatch(report, prev)
        if note is not None:
            prev = None
    return _check(content, report, prev, note, replaces=False, lines=lines)


def check_several(
    contents: list[Content], previous: Content | None = None, lines: bool = False
) -> list[Outcome]:
    """A few small files in one task (``check_one`` each): fewer round trips."""
    return [check_one(c, previous, lines) for c in contents]


def check_pairs(
    contents: list[Content], pairs: list[tuple[int, int, str | None]], lines: bool = False
) -> list[Outcome]:
    """The second phase: each report of ``pairs`` (order, order of last year's, note)
    checked again with last year's report.  Every report of ``contents`` is parsed
    once, however many pairs it is in."""
    parsed: dict[int, tuple[Content, Report | None, Outcome | None]] = {}
    for c in contents:
        report, failed = _parse(c)
        parsed[c.order] = (c, report, failed)
    out: list[Outcome] = []
    for order, prev_order, note in pairs:
        content, report, failed = parsed[order]
        prev = parsed[prev_order][1]
        if report is None:
            assert failed is not None
            failed.replaces = True
            out.append(failed)
            continue
        out.append(_check(content, report, prev, note, replaces=True, lines=lines))
    return out
