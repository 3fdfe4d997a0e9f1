"""Scoring a check result against a truth file, the way shared/tools/score_truth.py does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def flatten(tables: dict[str, Any]) -> dict[str, Any]:
    return {
        f"{t}.{r}.{c}": v
        for t, rows in (tables or {}).items()
        for r, cols in (rows or {}).items()
        for c, v in (cols or {}).items()
    }


def problems(result: dict[str, Any], truth: dict[str, Any]) -> list[str]:
    """Everything that differs from the truth; empty when the file is clean."""
    out: list[str] = []
    report = result["report"]
    got = flatten(report["tables"])
    for key, want in flatten(truth.get("tables", {})).items():
        if want is None:
            continue
        have = got.get(key)
        if isinstance(have, bool) or not isinstance(have, int | float) or abs(have - want) > 1e-9:
            out.append(f"cell {key}: want {want!r}, got {have!r}")
    if truth.get("format") != report.get("format"):
        out.append(f"format: want {truth.get('format')!r}, got {report.get('format')!r}")
    for field in ("year", "published"):
        if truth.get(field) is not None and truth[field] != report.get(field):
            out.append(f"{field}: want {truth[field]!r}, got {report.get(field)!r}")
    if truth.get("agency"):
        a = "".join(truth["agency"].split())
        b = "".join((report.get("agency") or "").split())
        if not b or (a not in b and b not in a):
            out.append(f"agency: want {truth['agency']!r}, got {report.get('agency')!r}")
    findings = result["findings"]
    for entry in truth.get("must_find", []):
        if not any(_matches(entry, f) for f in findings):
            out.append(f"missing finding {json.dumps(entry, ensure_ascii=False)}")
    for code in truth.get("must_not_find", []):
        if any(f["code"] == code for f in findings):
            out.append(f"finding {code} must not be raised")
    named = {e["code"] for e in truth.get("must_find", [])} | set(truth.get("may_find", []))
    for f in findings:
        if f["severity"] == "error" and f["code"] not in named:
            out.append(f"unexpected error {f['code']} on {f['cells']}: {f['message']}")
    return out


def _matches(entry: dict[str, Any], finding: dict[str, Any]) -> bool:
    if finding["code"] != entry["code"]:
        return False
    cells = finding.get("cells") or []
    if "cells" in entry and not all(c in cells for c in entry["cells"]):
        return False
    return not (
        "cells_prefix" in entry and not any(c.startswith(entry["cells_prefix"]) for c in cells)
    )


def cases(folder: Path) -> list[tuple[Path, Path]]:
    """(report, truth) pairs of a corpus folder."""
    out = []
    for truth in sorted((folder / "truth").glob("*.json")):
        reports = [p for p in folder.iterdir() if p.is_file() and p.stem == truth.stem]
        if reports:
            out.append((reports[0], truth))
    return out
