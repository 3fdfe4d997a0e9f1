"""The ``xxgk`` command's entry point: start-up and exit tuned for a short process.

``xxgk check one.txt`` is a new process each time, and Python spends more of it
importing and tearing down than checking.  Two standard measures, neither of which
changes what a command does:

- the cyclic garbage collector runs less often (a generation-0 threshold of 100,000
  allocations instead of 700): importing creates many long-lived objects and no
  garbage worth collecting; long runs (many files, the web app) still collect;
- ``xxgk check FILE… [--json] [--no-tables]`` (the command a clerk runs most) goes
  straight to the check's own code (:mod:`xxgk.cli_check`), without building Typer's
  command tree: same code, same output, a third less start-up.  Any other option,
  ``-h``, or a name starting with ``-`` goes through Typer as usual;
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
from pathlib import Path

_GC_THRESHOLD = 100_000


_FAST_FLAGS = {"--json": "as_json", "--no-tables": "no_tables"}


def main() -> None:
    gc.set_threshold(_GC_THRESHOLD, 10, 10)
    fast = _fast_check(sys.argv[1:])
    try:
        if fast is not None:
            from .cli_check import run_check
            from .cli_out import guarded

            files, flags = fast

            def run() -> None:
                raise SystemExit(
                    run_check(
                        files,
                        as_json=flags.get("as_json", False),
                        no_tables=flags.get("no_tables", False),
                    )
                )

            guarded(run)
        else:
            from .cli import main as cli_main

            cli_main()
        code: str | int | None = 0
    except SystemExit as exc:
        code = exc.code
    _leave(code)


def _fast_check(args: list[str]) -> tuple[list[Path], dict[str, bool]] | None:
    """The files and flags of ``check FILE… [--json] [--no-tables]``; None for any
    other command line (Typer parses it)."""
    if len(args) < 2 or args[0] != "check":
        return None
    files: list[Path] = []
    flags: dict[str, bool] = {}
    for arg in args[1:]:
        if arg in _FAST_FLAGS:
            flags[_FAST_FLAGS[arg]] = True
        elif arg.startswith("-") or not arg:
            return None
        else:
            files.append(Path(arg))
    return (files, flags) if files else None


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
