"""A folder of wheels to install xxgk on a machine without internet (make wheelhouse).

    python scripts/wheelhouse.py DIR [--platform TAG] [--python-version 3.11]

Writes xxgk's own wheel and the wheels of its run-time dependencies, the ``ocr`` extra
for scanned reports included — at the versions and hashes pinned in requirements.lock,
without the development tools — into DIR, plus DIR/requirements.txt (the pinned subset).
On the office machine:

    pip install --no-index --find-links DIR "xxgk[ocr]"
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


RUNTIME_EXTRAS = frozenset({"ocr"})  # xxgk's extras an office machine gets (not dev)


def runtime_closure() -> tuple[set[str], set[str]]:
    """xxgk's run-time dependencies (with RUNTIME_EXTRAS) and theirs, by installed
    metadata: (always needed, needed only on some platforms or Pythons)."""
    always: set[str] = set()
    conditional: set[str] = set()
    visited: set[tuple[str, frozenset[str]]] = set()
    todo: list[tuple[str, frozenset[str]]] = [("xxgk", RUNTIME_EXTRAS)]
    while todo:
        name, extras = todo.pop()
        if (_norm(name), extras) in visited:
            continue
        visited.add((_norm(name), extras))
        try:
            requires = distribution(name).requires or []
        except PackageNotFoundError:  # a dependency of another platform: not installed here
            continue
        for spec in requires:
            req = Requirement(spec)
            marker = req.marker
            if marker is not None and "extra" in str(marker):
                # an extra's dependency: needed when a dependent asked for that extra
                if not any(marker.evaluate({"extra": e}) for e in extras):
                    continue
                always.add(_norm(req.name))  # it holds here, as on the lock's platform
            else:
                (always if marker is None else conditional).add(_norm(req.name))
            todo.append((req.name, frozenset(req.extras)))
    return always, conditional - always


def lock_entries(lock: Path) -> dict[str, str]:
    """Each pinned package's lines (``name==version`` and its hashes) in the lock."""
    blocks: dict[str, list[str]] = {}
    name = None
    for line in lock.read_text(encoding="utf-8").splitlines():
        if re.match(r"^[A-Za-z0-9]", line):
            name = _norm(line.split("==")[0])
            blocks[name] = [line]
        elif line.startswith("    --hash") and name is not None:
            blocks[name].append(line)
        else:
            name = None
    return {n: "\n".join(lines) for n, lines in blocks.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dir", type=Path)
    ap.add_argument("--platform", default="")
    ap.add_argument("--python-version", default="3.11")
    args = ap.parse_args()
    out: Path = args.dir
    out.mkdir(parents=True, exist_ok=True)
    entries = lock_entries(ROOT / "requirements.lock")
    always, conditional = runtime_closure()
    missing = sorted(n for n in always if n not in entries)
    if missing:
        print(f"wheelhouse: not pinned in requirements.lock: {', '.join(missing)}")
        return 1
    needed = always | {n for n in conditional if n in entries}  # the lock's platform's
    pinned = out / "requirements.txt"
    pinned.write_text("\n".join(entries[n] for n in sorted(needed)) + "\n", encoding="utf-8")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    target = []
    if args.platform:
        target = ["--platform", args.platform, "--python-version", args.python_version]
        target += ["--implementation", "cp"]
    download = [*pip, "download", "--require-hashes", "--only-binary=:all:", "--no-deps"]
    subprocess.run([*download, *target, "-r", str(pinned), "-d", str(out)], check=True)
    build = [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)]
    # for another platform, xxgk's wheel without its compiled part (setup.py: the PDF
    # reader's bulk calls, which it then makes one by one): pure Python, any platform
    env = {**os.environ, "XXGK_PURE": "1"} if args.platform else None
    subprocess.run(build, check=True, env=env)
    wheels = sorted(p.name for p in out.glob("*.whl"))
    print(f"wheelhouse: {len(wheels)} wheels in {out} ({len(needed)} dependencies + xxgk)")
    print(f'  on the office machine: pip install --no-index --find-links {out} "xxgk[ocr]"')
    return 0


if __name__ == "__main__":
    sys.exit(main())
