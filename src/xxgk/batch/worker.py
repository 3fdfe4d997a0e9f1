"""What a worker runs: a file's contents in, an Outcome out, never an exception.

These functions take and return only picklable values (names, bytes, Outcomes).  A
file travels as its bytes (``Content``), so the same task runs in this process, in a
local process pool or on a Dask worker of another machine; to a local worker process,
which sees the same disk, a file on disk may travel as its ``Item`` instead, read by
the worker with the batch's limits and the same errors as the caller's reading.
Asked for ``lines`` without ``objects``, a worker sends back slim Outcomes (the JSON
line, status, counts and pairing key, not the Report and CheckResult).  A folder of
page images travels as its pages packed (``inputs.pack_pages``); the worker writes them
to a temporary folder of the same name and reads it as ``api.parse`` reads the folder.
"""

from __future__ import annotations

import hashlib
import signal
from collections.abc import Sequence
from dataclasses import dataclass

from ..checks.copied import sketches
from ..model import Report
from ..readers import ReadError
from ..readers.limits import DEFAULT_LIMITS, Limits
from .inputs import Item, load, unpack_pages
from .outcome import Outcome, json_text, os_problem, safely
from .pairing import previous_mismatch


@dataclass(frozen=True, slots=True)
class Content:
    """A file as it travels to a worker: its place in the input, its name, its bytes."""

    order: int
    source: str
    data: bytes
    pages: bool = False  # ``data``: a folder's page images packed (inputs.pack_pages)


Source = Content | Item  # a file's bytes, or (to a local worker) where to read them
GONE = "跨年核对时文件已无法读取（核查期间被移动或修改）"

_PREVIOUS: tuple[str, Report] | None = None  # the last --previous parsed in this worker


def quiet() -> None:
    """Initialiser of a local worker process: Ctrl-C is the parent's to handle (it
    cancels the batch); a worker does not print a traceback of its own.  Its
    collector runs every 100,000 allocations rather than 700: a report's objects live
    until it is sent back, and fewer collections are fewer pages copied after fork."""
    import gc

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(100_000, 10, 10)


def fetch(src: Source, limits: Limits = DEFAULT_LIMITS) -> tuple[Content | None, Outcome | None]:
    """A file's Content (read now when it is an Item), or the Outcome of why it cannot
    be read."""
    if isinstance(src, Content):
        return src, None
    try:
        return Content(src.order, src.source, load(src, limits), src.pages), None
    except ReadError as exc:
        return None, Outcome(source=src.source, error=exc.problem, order=src.order)
    except OSError as exc:
        return None, Outcome(source=src.source, error=os_problem(exc), order=src.order)


def parse_content(content: Content) -> tuple[Report | None, Outcome | None]:
    from .. import api

    if content.pages:
        report, failed = safely(content.source, _parse_pages, content)
    else:
        report, failed = safely(content.source, api.parse_bytes, content.data, content.source)
    if failed is not None:
        failed.order = content.order
    return report, failed


def _parse_pages(content: Content) -> Report:
    """A folder of page images: ``api.parse`` of a copy of it (the same names in a
    folder of the same name), the Report named as the folder it came from."""
    import tempfile
    from pathlib import Path

    from .. import api

    name = Path(content.source).name or "pages"
    with tempfile.TemporaryDirectory(prefix="xxgk-pages-") as tmp:
        folder = Path(tmp) / name
        folder.mkdir()
        for page, data in unpack_pages(content.data):
            (folder / page).write_bytes(data)
        report = api.parse(folder)
    report.source = content.source
    return report


def _previous(previous: Content) -> Report | None:
    """The --previous report, parsed once per worker (it comes with every task)."""
    global _PREVIOUS
    key = previous.source + "\0" + hashlib.sha256(previous.data).hexdigest()
    if _PREVIOUS is None or _PREVIOUS[0] != key:
        report, _ = parse_content(previous)
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
    objects: bool = True,
    peers: Sequence[Report] = (),
    sketch: bool = True,
) -> Outcome:
    from .. import api

    if peers:
        result, failed = safely(content.source, lambda: api.check_report(report, prev, peers=peers))
    else:  # the call as it was before peers (a test may stand in for check_report)
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
    if sketch and not replaces:  # what the engine matches peers by (TXT-004), made here too
        o.sketches = sketches(report.sections) or None
    if lines:  # the JSON line made here, where the work is spread, not by the caller
        o.text, _ = safely(content.source, lambda: json_text(o.as_dict()))
        if not objects:
            o.slim()
    return o


def check_one(
    content: Source,
    previous: Content | None = None,
    lines: bool = False,
    objects: bool = True,
    limits: Limits = DEFAULT_LIMITS,
    sketch: bool = True,
) -> Outcome:
    """One file read and checked (against ``previous`` when it is last year's report
    of the same agency; otherwise the Outcome's ``note`` says why not); with
    ``lines``, the Outcome carries its JSON line (``Outcome.text``), and without
    ``objects`` only that (``Outcome.slim``); ``sketch``: with the sketches the engine
    matches peers by (``Outcome.sketches``; only a batch that pairs needs them, and
    they cost about 0.3 ms a report)."""
    loaded, failed = fetch(content, limits)
    if loaded is None:
        assert failed is not None
        return failed
    content = loaded
    report, failed = parse_content(content)
    if report is None:
        assert failed is not None
        return failed
    prev = _previous(previous) if previous is not None else None
    note = None
    if prev is not None:
        note = previous_mismatch(report, prev)
        if note is not None:
            prev = None
    return _check(
        content, report, prev, note, replaces=False, lines=lines, objects=objects, sketch=sketch
    )


def check_several(
    contents: list[Source],
    previous: Content | None = None,
    lines: bool = False,
    objects: bool = True,
    limits: Limits = DEFAULT_LIMITS,
    sketch: bool = True,
) -> list[Outcome]:
    """A few small files in one task (``check_one`` each): fewer round trips."""
    return [check_one(c, previous, lines, objects, limits, sketch) for c in contents]


def check_pairs(
    contents: list[Source],
    pairs: list[tuple[int, int | None, str | None, tuple[int, ...]]],
    lines: bool = False,
    objects: bool = True,
    limits: Limits = DEFAULT_LIMITS,
) -> list[Outcome]:
    """The second phase: each report of ``pairs`` (order, order of last year's or None,
    note, orders of its peers) checked again with last year's report and its peers
    (TXT-004).  Every report of ``contents`` is parsed once, however many pairs it is
    in; a pair whose file can no longer be read (an Item read here) is an error
    Outcome, as when the caller reads it."""
    parsed: dict[int, tuple[Content, Report | None, Outcome | None]] = {}
    sources: dict[int, str] = {}
    for src in contents:
        sources[src.order] = src.source
        c, _ = fetch(src, limits)
        if c is not None:
            report, failed = parse_content(c)
            parsed[c.order] = (c, report, failed)
    out: list[Outcome] = []
    for order, prev_order, note, peer_orders in pairs:
        if order not in parsed or (prev_order is not None and prev_order not in parsed):
            out.append(Outcome(source=sources[order], error=GONE, order=order, replaces=True))
            continue  # changed since the first read
        content, report, failed = parsed[order]
        prev = parsed[prev_order][1] if prev_order is not None else None
        peers = [r for p in peer_orders if p in parsed and (r := parsed[p][1]) is not None]
        if report is None:
            assert failed is not None
            failed.replaces = True
            out.append(failed)
            continue
        out.append(_check(content, report, prev, note, True, lines, objects, peers))
    return out
