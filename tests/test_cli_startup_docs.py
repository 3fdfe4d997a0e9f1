"""Start-up imports only what a command needs; the docs show commands that exist;
``make wheelhouse`` downloads the pinned wheels for an offline install."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xxgk.cli import app
from xxgk.examples import example_paths

ROOT = Path(__file__).resolve().parents[1]
GOOD = next(p for p in example_paths() if p.name == "bureau-2023-tabs.txt")
runner = CliRunner()

_PROBE = """
import sys
sys.argv = ["xxgk", *{args!r}]
try:
    from xxgk.cli import main
    main()
except SystemExit:
    pass
heavy = ("rich", "xxgk.api", "pydantic", "yaml", "openpyxl", "docx", "pdfplumber", "typer._adapters",
         "multiprocessing", "sqlalchemy", "fastapi", "pyarrow", "duckdb", "distributed",
         "xxgk.cli_ledger")
sys.stderr.write("LOADED " + " ".join(m for m in heavy if m in sys.modules) + "\\n")
"""


def _loaded(*args: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE.format(args=list(args))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    line = next(x for x in proc.stderr.splitlines() if x.startswith("LOADED"))
    return set(line.split()[1:])


def test_help_and_version_import_nothing_heavy() -> None:
    assert _loaded("--version") == set()
    assert _loaded("check", "-h") == set()


def test_the_ledger_group_is_built_when_named_and_listed_in_the_help() -> None:
    assert "ledger" in runner.invoke(app, ["-h"]).stdout
    assert "xxgk.cli_ledger" in _loaded("ledger", "-h")
    res = runner.invoke(app, ["ledger", "fee", "--per-piece", "--count", "35", "--json"])
    assert res.exit_code == 0 and '"fee": 3000' in res.stdout


def test_check_imports_what_checking_needs_and_no_more() -> None:
    as_json = _loaded("check", str(GOOD), "--json")
    assert "xxgk.api" in as_json
    assert not as_json & {"pydantic", "rich", "openpyxl", "docx", "pdfplumber", "typer._adapters"}
    # one file is checked in this process: no pool, no database, no dataset, no cluster
    assert not as_json & {"multiprocessing", "sqlalchemy", "fastapi", "pyarrow", "duckdb"}
    assert "distributed" not in as_json
    assert "xxgk.cli_ledger" not in as_json  # the ledger's commands are built when named
    human = _loaded("check", str(GOOD))
    assert "rich" in human and not human & {"pydantic", "openpyxl", "docx", "typer._adapters"}


def _doc_commands(path: Path) -> list[tuple[str, list[str]]]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        for m in re.finditer(r"xxgk ([a-z]+)((?: +[^\s#`,]+)*)", line):
            flags = re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", m.group(2))
            found.append((m.group(1), flags))
    return found


@pytest.mark.parametrize("doc", ["README.md", "docs/用户指南.md"])
def test_documented_commands_and_options_exist(doc: str) -> None:
    names = {"parse", "check", "new", "render", "fix", "rules", "schema", "demo"}
    documented = _doc_commands(ROOT / doc)
    assert len(documented) > 10
    helps: dict[str, str] = {}
    for command, flags in documented:
        if command not in names:
            continue  # prose such as "xxgk reads"
        helps.setdefault(command, runner.invoke(app, [command, "-h"]).stdout)
        for flag in flags:
            assert re.search(rf"(?<![\w-]){re.escape(flag)}\b", helps[command]), (
                doc,
                command,
                flag,
            )


def test_docs_tell_how_to_install_offline() -> None:
    for doc in ("README.md", "docs/用户指南.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        assert "make wheelhouse" in text
        assert "pip install --no-index --find-links" in text
        assert "PLATFORM=win_amd64" in text and "麒麟" in text and "PATH" in text
    guide = (ROOT / "docs/用户指南.md").read_text(encoding="utf-8")
    assert "“提示”只供参考" in guide


def test_make_wheelhouse_downloads_the_pinned_wheels() -> None:
    def dry(*extra: str) -> str:
        proc = subprocess.run(
            ["make", "-n", "-W", ".venv/.installed", "wheelhouse", *extra],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    plain = dry()
    assert "scripts/wheelhouse.py dist/wheelhouse" in plain and "--platform" not in plain
    windows = dry("PLATFORM=win_amd64")
    assert "--platform win_amd64 --python-version 3.11" in windows


def test_wheelhouse_pins_only_the_run_time_dependencies() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import wheelhouse
    finally:
        sys.path.pop(0)
    always, _ = wheelhouse.runtime_closure()
    entries = wheelhouse.lock_entries(ROOT / "requirements.lock")
    assert {"pydantic", "typer", "rich", "lxml", "openpyxl", "pydantic-core"} <= always
    # the ocr extra (scanned reports) and what it needs, for an office without internet
    assert {"rapidocr-onnxruntime", "onnxruntime", "opencv-python", "numpy"} <= always
    assert not always & {"pytest", "mypy", "ruff", "hypothesis"}
    assert all(n in entries for n in always)
    assert entries["typer"].startswith("typer==") and "--hash=sha256:" in entries["typer"]
