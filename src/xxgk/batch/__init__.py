"""Many reports at once: one engine for the command line and the web app.

Inputs are a folder (searched recursively), a list of files, or a ``.zip`` (members
read from the archive, named ``archive.zip!dir/report.txt``; too many members, an
archive or a member that unpacks too large or too well, and unsafe member paths are
error results).  A folder, at any depth, holding page images only (a report scanned
page by page) is one input, read as ``api.parse`` reads that folder, on disk or in a
``.zip`` (``a.zip!报告``; ``a.zip`` itself when page images are at its top).  Output is an iterator of :class:`Outcome` in **completion order**;
``Outcome.order`` is the file's place in the input order (``latest`` restores it).

Execution is on a ``concurrent.futures.Executor``: this process for one file or
``jobs=1``, a ``ProcessPoolExecutor`` of ``jobs`` processes (default: the number of
cores), a Dask distributed cluster (``scheduler="tcp://host:8786"``), or any
Executor the caller gives.  The caller's process lists the files and reads their
bytes; a task carries the bytes and the name (``worker.Content``; small files up to
eight to a task, the last files one to a task), so a worker needs no shared disk.  A
local worker process, which sees the same disk, is sent a file on disk as its
``Item`` and reads it itself (the same limits and errors).  At most
``2 × workers + 2`` tasks (and about 256 MB of contents) are in flight, and a new task
is sent as soon as one comes back, so memory stays flat for any number of files and a
worker never waits for work.  Asked for JSON lines without objects
(``lines=True, objects=False``, what ``xxgk check DIR --jsonl`` does), the workers
send back slim Outcomes: the line as UTF-8, the status, counts and pairing key, not
the Report and CheckResult.

Guarantees:

- the Outcome of a file is the same whatever runs it (one process, N processes,
  Dask): the same ``parse`` of the same bytes and the same rules;
- a file that cannot be read, is not a report, or makes xxgk fail is an Outcome with
  an ``error`` (the line and the JSON object that exit code 2 gives today), never an
  abort of the batch; a local worker process that dies is replaced and the files
  lost with it run again one by one, so only the one that kills a worker fails;
- Ctrl-C (or closing the iterator) cancels pending tasks and ends the workers.

Cross-year pairing (XYR-* without ``--previous``), with ``pair=True``: the first
phase streams every file's Outcome (checked alone, or against ``--previous``) and
keeps only a small index per report — agency key, year, input order
(``pairing.YearIndex``, a few dozen bytes each) — never the reports.  When every
file is done, the second phase pairs each report with its agency's report of the
year before (the same rule as ``pair_years``), re-reads both files and checks the
report again with last year's, a few pairs of one agency per task so that each file
is parsed once per task.  That Outcome has ``replaces=True`` and ``previous`` set:
it supersedes the first-phase Outcome of the same ``order`` (a JSON-lines reader
keeps the last line of a source).  The price is a second parse of the paired
reports; the gain is that nothing grows with the number of files but the index.
"""

from .engine import (
    Batch,
    EngineError,
    InlineExecutor,
    check_many,
    check_paths,
    cores,
    latest,
)
from .inputs import Item, collect, gather, load
from .outcome import REPORT_SUFFIXES, Outcome, os_problem, probe, read_report, safely, worst
from .pairing import agency_key, pair_years, previous_mismatch, same_agency
from .worker import Content, check_one, check_pairs, check_several

__all__ = [
    "REPORT_SUFFIXES",
    "Batch",
    "Content",
    "EngineError",
    "InlineExecutor",
    "Item",
    "Outcome",
    "agency_key",
    "check_many",
    "check_one",
    "check_pairs",
    "check_paths",
    "check_several",
    "collect",
    "cores",
    "gather",
    "latest",
    "load",
    "os_problem",
    "pair_years",
    "previous_mismatch",
    "probe",
    "read_report",
    "safely",
    "same_agency",
    "worst",
]
