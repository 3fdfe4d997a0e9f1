"""The installed ``xxgk`` command (xxgk.entry): the same output and exit codes as the
CLI itself, a quiet exit when the reader of its output goes away."""

from __future__ import annotations

import subprocess
import sys

import pytest

from xxgk.examples import example_paths

ENTRY = "import sys; from xxgk.entry import main; sys.argv[0] = 'xxgk'; main()"
CLI = "import sys; from xxgk.cli import main; sys.argv[0] = 'xxgk'; main()"


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "name, args, status",
    [
        ("bureau-2023-tabs.txt", ["check"], 0),
        ("township-2023-errors.txt", ["check", "--json"], 1),
        ("no-such-file.txt", ["check"], 2),
    ],
)
def test_entry_prints_and_exits_as_the_cli(name: str, args: list[str], status: int) -> None:
    by_name = {p.name: str(p) for p in example_paths()}
    path = by_name.get(name, name)
    via_entry = _run(ENTRY, *args, path)
    via_cli = _run(CLI, *args, path)
    assert via_entry.returncode == via_cli.returncode == status
    assert via_entry.stdout == via_cli.stdout
    assert via_entry.stderr == via_cli.stderr
    if status != 2:
        assert via_entry.stdout.strip()


def test_entry_exits_quietly_when_the_output_is_cut_short() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", ENTRY, "check", str(example_paths()[0]), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader has gone (`xxgk check … | true`)
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 1
    assert err == ""


_PROBE = (
    "import sys, atexit\n"
    "atexit.register(lambda: sys.stderr.write('TYPER ' + str('typer' in sys.modules) + '\\n'))\n"
    + ENTRY
)


@pytest.mark.parametrize(
    "args, typer_loaded",
    [
        (["check", "{good}"], False),
        (["check", "{good}", "--json", "--no-tables"], False),
        (["check", "{good}", "--details"], True),  # any other option: Typer parses it
        (["check", "-h"], True),
    ],
)
def test_checking_files_needs_no_typer_and_other_lines_go_through_it(
    args: list[str], typer_loaded: bool
) -> None:
    good = str(next(p for p in example_paths() if p.name == "bureau-2023-tabs.txt"))
    proc = _run(_PROBE, *[a.format(good=good) for a in args])
    assert proc.returncode == 0, proc.stderr
    assert f"TYPER {typer_loaded}" in proc.stderr
