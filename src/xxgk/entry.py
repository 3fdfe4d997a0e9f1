"""The ``xxgk`` command's entry point: start-up and exit tuned for a short process.

``xxgk check one.txt`` is a new process each time, and Python spends more of it
importing and tearing down than checking.  Two standard measures, neither of which
changes what a command does:

- the cyclic garbage collector runs less often (a generation-0 threshold of 20,000
  allocations instead of 700): importing creates many long-lived objects and no
  garbage worth collecting; long runs (many files, the web app) still collect;
- a command that returns with no other thread alive leaves through ``os._exit`` after
  the exit handlers have run and the output is flushed, skipping the teardown of
  every module (about 15 ms).  With threads alive (a process pool, a server) the
  interpreter exits the usual way.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading

_GC_THRESHOLD = 20_000


def main() -> None:
    gc.set_threshold(_GC_THRESHOLD, 10, 10)
    from .cli import main as cli_main

    try:
        cli_main()
        code: str | int | None = 0
    except SystemExit as exc:
        code = exc.code
    _leave(code)


def _leave(status: str | int | None) -> None:
    if threading.active_count() > 1:
        sys.exit(status)
    code = 0
    if isinstance(status, int):
        code = status
    elif status is not None:  # sys.exit("message"): printed, status 1
        sys.stderr.write(f"{status}\n")
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # the reader went away (| head), or closed
            code = code or 1
    os._exit(code)
