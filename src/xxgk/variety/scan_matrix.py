"""Scans × truth files: how many cells OCR reads exactly, and whether any number is wrong.

Every scan of :mod:`xxgk.variety.scans` is checked as a user checks it (``xxgk check FILE
--json`` in a process of its own, its CPU time measured) and scored against the truth
file of the report it was made from, as ``shared/tools/score_truth.py`` does:

* **exact** — a truth cell with a number, read as that number;
* **flagged** — read as null with an OCR-001 finding naming the cell: not wrong, not exact;
* **wrong** — a number where the truth has another number or none, with no OCR-001: must
  be 0 everywhere;
* **null** — a truth number read as null without OCR-001 (a silent gap; not a wrong number).

The *page form* row is the printed PDF itself (text layer, no OCR): what a perfect OCR
would give.  The findings of each scan are compared with the page form's (codes, with
multiplicity).  Targets (issue 14): ≥ 99.5 % of cells exact on every variant, 0 wrong.

``python -m xxgk.variety.scan_matrix CORPUS_REAL [--cache DIR] [--md FILE] [--only V,…]``
prints the table (and writes it with every wrong and missed cell to FILE).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from .scans import BY_NAME, SEED, VARIANTS, Built, Source, Variant, build, page_form_path

TARGET = 0.995
OCR_FLAG = "OCR-001"
PAGE_FORM = "page-form"
_PENDING = "暂不支持 OCR"  # what the reader says until OCR lands
_PACKAGE = Path(__file__).resolve().parents[1]


def unavailable() -> str | None:
    """Why the scans cannot be read here (the ocr extra or the OCR reader missing)."""
    missing = [m for m in ("numpy", "rapidocr_onnxruntime") if importlib.util.find_spec(m) is None]
    if missing:
        return (
            f"the ocr extra is not installed ({', '.join(missing)} missing): "
            'pip install -e ".[ocr]" (make test installs it)'
        )
    if ocr_pending():
        return "the OCR reader is not in this tree yet (xxgk.ocr still answers 暂不支持 OCR)"
    return None


def ocr_pending() -> bool:
    """True while xxgk.ocr is absent or still the placeholder that refuses scans."""
    if importlib.util.find_spec("xxgk.ocr") is None:
        return True
    files = sorted((_PACKAGE / "ocr").glob("*.py"))
    return any(_PENDING in f.read_text(encoding="utf-8") for f in files)


# --------------------------------------------------------------------------- checking one file


@dataclass
class Checked:
    result: dict[str, Any] | None  # the check object of --json, None on a failure
    error: str
    cpu: float  # seconds of CPU the check took (its process and threads)
    cached: bool = False
    trace: str = ""  # the end of the traceback of an internal error (XXGK_DEBUG=1)


def _xxgk() -> list[str]:
    exe = Path(sys.executable).with_name("xxgk")
    if exe.is_file():
        return [str(exe)]
    return [sys.executable, "-c", "from xxgk.entry import main; main()"]


def code_key() -> str:
    """A fingerprint of xxgk's code (but this harness): a cached check is valid while it
    is unchanged."""
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        if path.parent.name == "variety":
            continue
        h.update(str(path.relative_to(_PACKAGE)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def check(path: Path, cache: Path | None = None, code: str = "") -> Checked:
    """``xxgk check PATH --json`` (a result cached under ``cache`` per file and code)."""
    data = path.read_bytes()
    key = hashlib.sha256(data + code.encode()).hexdigest()[:24]
    stored = cache / "results" / f"{key}.json" if cache is not None and code else None
    if stored is not None and stored.is_file():
        body = json.loads(stored.read_text(encoding="utf-8"))
        return Checked(
            body["result"], body["error"], body["cpu"], cached=True, trace=body.get("trace", "")
        )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(
        [*_xxgk(), "check", str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=1800,
        env={**os.environ, "XXGK_DEBUG": "1"},
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result: dict[str, Any] | None = None
    error = ""
    try:
        out = json.loads(proc.stdout)
        out = out[0] if isinstance(out, list) else out
        if "report" in out:
            result = out
        else:
            error = str(out.get("error") or "no report")
    except (json.JSONDecodeError, AttributeError, IndexError):
        error = f"no JSON (exit {proc.returncode}): {proc.stderr.strip()[:200]}"
    trace = proc.stderr.strip()[-1500:] if "Traceback" in proc.stderr else ""
    if stored is not None:
        stored.parent.mkdir(parents=True, exist_ok=True)
        body = {"result": result, "error": error, "cpu": cpu, "trace": trace}
        stored.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return Checked(result, error, cpu, trace=trace)


# --------------------------------------------------------------------------- scoring


def flatten(tables: dict[str, Any]) -> dict[str, Any]:
    return {
        f"{t}.{r}.{c}": v
        for t, rows in (tables or {}).items()
        for r, cols in (rows or {}).items()
        for c, v in (cols or {}).items()
    }


def _number(v: object) -> TypeGuard[int | float]:
    return isinstance(v, int | float) and not isinstance(v, bool)


@dataclass
class Miss:
    key: str
    truth: Any
    read: Any
    raw: str | None = None  # the text the cell was read from, where the result says
    page: int | None = None
    note: str = ""  # OCR-001's message (the candidates)

    def line(self) -> str:
        where = ", ".join(x for x in (f"p. {self.page}" if self.page else "", _raw(self.raw)) if x)
        return (
            f"`{self.key}`" + (f" ({where})" if where else "") + f": {self.truth!r} → {self.read!r}"
        )


def _raw(raw: str | None) -> str:
    return "" if raw is None else f"raw {json.dumps(raw, ensure_ascii=False)}"


@dataclass
class Score:
    """One scan (or a variant's scans summed) against the truth."""

    source: str
    variant: str
    pages: int = 0
    total: int = 0
    exact: int = 0
    flagged: int = 0
    wrong: int = 0
    null: int = 0
    cpu: float = 0.0
    error: str = ""
    trace: str = ""
    codes: str = ""  # the findings' codes that differ from the page form's
    findings: list[str] = field(default_factory=list)  # those findings, in words
    cached: bool = False
    wrongs: list[Miss] = field(default_factory=list)
    nulls: list[Miss] = field(default_factory=list)
    flags: list[Miss] = field(default_factory=list)

    @property
    def share(self) -> float:
        return 1.0 if self.total == 0 else self.exact / self.total

    def add(self, other: Score) -> None:
        for name in ("pages", "total", "exact", "flagged", "wrong", "null", "cpu"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.cached = self.cached or other.cached


def score(result: dict[str, Any], truth: dict[str, Any], name: str, variant: str) -> Score:
    """Cells of ``result`` (a check object) against ``truth`` (a truth file's object)."""
    out = Score(name, variant)
    got = flatten(result["report"].get("tables", {}))
    flagged = {
        c: f.get("message", "")
        for f in result.get("findings", [])
        if f.get("code") == OCR_FLAG
        for c in f["cells"]
    }
    sources = result["report"].get("cells") or {}
    for key, want in flatten(truth.get("tables", {})).items():
        have = got.get(key)
        src = sources.get(key) or {}
        raw, page = src.get("raw"), src.get("page")
        if want is not None:
            out.total += 1
        if _number(have) and want is not None and abs(float(have) - float(want)) < 1e-9:
            out.exact += 1
        elif have is None and key in flagged:
            out.flagged += 1
            out.flags.append(Miss(key, want, None, raw, page, flagged[key]))
        elif _number(have):
            out.wrong += 1  # another number, or a number where the original is blank
            out.wrongs.append(Miss(key, want, have, raw, page))
        elif want is not None:
            out.null += 1
            out.nulls.append(Miss(key, want, have, raw, page))
    return out


def codes(result: dict[str, Any]) -> Counter[str]:
    return Counter(f["code"] for f in result.get("findings", []))


def code_diff(got: Counter[str], want: Counter[str]) -> str:
    """``+OCR-001×3 −SUM-004`` (what the scan raised more, and less, than the page form)."""
    parts = []
    for code in sorted(set(got) | set(want)):
        d = got[code] - want[code]
        if d:
            sign = "+" if d > 0 else "−"
            parts.append(f"{sign}{code}" + (f"×{abs(d)}" if abs(d) > 1 else ""))
    return " ".join(parts)


def finding_diff(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> list[str]:
    """The findings (code and cells) only the scan raised (+), or only the page form (−)."""

    def key(f: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
        return f["code"], tuple(sorted(f.get("cells") or []))

    more = Counter(map(key, got)) - Counter(map(key, want))
    less = Counter(map(key, want)) - Counter(map(key, got))
    out = []
    for sign, extra, pool in (("+", more, got), ("−", less, want)):
        for f in pool:
            if extra[key(f)] > 0 and f["code"] != OCR_FLAG:  # OCR-001: listed per cell
                extra[key(f)] -= 1
                out.append(
                    f"{sign}{f['code']} {_few(f.get('cells') or [])}: {' '.join(f['message'].split())[:200]}"
                )
    return out


def _few(cells: list[str], n: int = 6) -> str:
    return ", ".join(cells[:n]) + (f" … ({len(cells)} cells)" if len(cells) > n else "")


def failing_pages(path: Path, cache: Path | None, code: str) -> list[int]:
    """The pages (1-based) of a PDF that fail an xxgk check on their own with an
    internal error: where to look when a whole scan fails."""
    import tempfile

    import pypdfium2 as pdfium

    out = []
    src = pdfium.PdfDocument(str(path))
    try:
        with tempfile.TemporaryDirectory(prefix="xxgk-pages-") as tmp:
            for index in range(len(src)):
                one = pdfium.PdfDocument.new()
                one.import_pages(src, [index])
                page = Path(tmp) / f"page-{index + 1}.pdf"
                one.save(str(page))
                one.close()
                if check(page, cache, code).trace:
                    out.append(index + 1)
    finally:
        src.close()
    return out


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def score_built(
    items: Iterable[tuple[Source, str, Path]], cache: Path | None, code: str
) -> list[Score]:
    """Each (source, variant name, PDF) checked and scored; the page forms' codes are
    what each scan's findings are compared with."""
    rows: list[Score] = []
    forms: dict[str, dict[str, Any]] = {}
    for source, variant, path in items:
        truth = json.loads(source.truth.read_text(encoding="utf-8"))
        done = check(path, cache, code)
        if done.result is None:
            row = Score(source.name, variant, error=done.error, trace=done.trace)
            if done.trace:
                bad = failing_pages(path, cache, code)
                row.error += f" (pages failing alone: {', '.join(map(str, bad))})" if bad else ""
            row.total = sum(1 for v in flatten(truth.get("tables", {})).values() if v is not None)
        else:
            row = score(done.result, truth, source.name, variant)
            if variant == PAGE_FORM:
                forms[source.name] = done.result
                original = check(source.path, cache, code).result
                if original is not None and source.path != path:
                    diff = code_diff(codes(done.result), codes(original))
                    row.codes = f"vs the {source.kind.upper()}: {diff or 'same'}"
                    row.findings = finding_diff(done.result["findings"], original["findings"])
            elif source.name in forms:
                form = forms[source.name]
                row.codes = code_diff(codes(done.result), codes(form))
                row.findings = finding_diff(done.result["findings"], form["findings"])
        row.pages = _pages(path)
        row.cpu = done.cpu
        row.cached = done.cached
        rows.append(row)
    return rows


def by_variant(rows: list[Score]) -> list[Score]:
    """The rows summed per variant, in the order they first appear."""
    out: dict[str, Score] = {}
    errors: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        total = out.setdefault(row.variant, Score("all", row.variant))
        total.add(row)
        if row.codes:
            total.codes = "; ".join(x for x in (total.codes, f"{row.source}: {row.codes}") if x)
        if row.error:
            errors.setdefault(row.variant, {}).setdefault(row.error, []).append(row.source)
    for variant, messages in errors.items():
        out[variant].error = "; ".join(f"{e} ({', '.join(s)})" for e, s in messages.items())
    return list(out.values())


# --------------------------------------------------------------------------- output


HEAD = (
    "variant", "dpi", "pages", "exact/total", "% exact", "flagged", "wrong", "null",
    "CPU s/page", "findings vs page form",
)  # fmt: skip


def _dpi(variant: str) -> str:
    v = BY_NAME.get(variant)
    return "text" if variant == PAGE_FORM else str(v.dpi) if v else "?"


def _cells(s: Score) -> list[str]:
    per_page = f"{s.cpu / s.pages:.2f}" if s.pages else "-"
    findings = s.error or s.codes or ("same" if s.variant != PAGE_FORM else "-")
    return [
        s.variant,
        _dpi(s.variant),
        str(s.pages),
        f"{s.exact}/{s.total}",
        f"{100 * s.share:.2f}",
        str(s.flagged),
        str(s.wrong),
        str(s.null),
        per_page,
        findings,
    ]


def table(rows: list[Score]) -> str:
    """The rows as aligned text columns."""
    body = [list(HEAD), *(_cells(r) for r in rows)]
    widths = [max(len(line[i]) for line in body) for i in range(len(HEAD) - 1)]
    out = []
    for line in body:
        cols = [line[0].ljust(widths[0])]
        cols += [c.rjust(w) for c, w in zip(line[1:-1], widths[1:], strict=True)]
        out.append("  ".join([*cols, line[-1]]))
    return "\n".join(out)


def markdown(rows: list[Score], totals: list[Score], note: str) -> str:
    """The per-variant table, the per-report rows and every wrong, flagged and missed cell."""
    lines = [note, "", "## Per variant (all reports)", ""]
    lines += ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    lines += ["| " + " | ".join(_cells(s)) + " |" for s in totals]
    lines += ["", "## Per report", ""]
    lines += ["| report | " + " | ".join(HEAD) + " |", "|" + "---|" * (len(HEAD) + 1)]
    lines += ["| " + s.source + " | " + " | ".join(_cells(s)) + " |" for s in rows]
    lines += [
        "",
        "## Cells not read exactly (key: truth → read), findings unlike the page form's",
        "",
    ]
    for s in rows:
        if not (s.wrongs or s.nulls or s.flags or s.error or s.findings):
            continue
        lines.append(f"### {s.source} · {s.variant}")
        if s.error:
            lines.append(f"- error: {s.error}")
        if s.trace:
            lines += ["", "```", s.trace, "```", ""]
        for title, misses in (("wrong", s.wrongs), ("null, no OCR-001", s.nulls)):
            for m in misses:
                lines.append(f"- {title}: {m.line()}")
        for m in s.flags:
            lines.append(f"- flagged: {m.line()} — {m.note}")
        for f in s.findings:
            lines.append(f"- finding {f}")
        lines.append("")
    return "\n".join(lines) + "\n"


def run(
    real: Path,
    cache: Path,
    variants: tuple[Variant, ...] = VARIANTS,
    use_cache: bool = True,
    seed: int = SEED,
) -> tuple[list[Score], list[str]]:
    """Build (or reuse) the scans and score them with the page forms first."""
    built, skipped = build(real, cache, variants, seed)
    items: list[tuple[Source, str, Path]] = []
    seen: set[str] = set()
    for b in built:
        if b.source.name not in seen:
            seen.add(b.source.name)
            items.append((b.source, PAGE_FORM, page_form_path(cache, b.source)))
    items += [(b.source, b.variant.name, b.path) for b in _ordered(built)]
    return score_built(items, cache if use_cache else None, code_key()), skipped


def _ordered(built: list[Built]) -> list[Built]:
    order = {v.name: i for i, v in enumerate(VARIANTS)}
    return sorted(built, key=lambda b: order.get(b.variant.name, len(order)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("real", type=Path, help="the corpus folder of real reports")
    ap.add_argument("--cache", type=Path, default=Path("artifacts/scans"))
    ap.add_argument("--md", type=Path, help="also write the table and every miss here")
    ap.add_argument("--only", help="variant names, comma-separated")
    ap.add_argument("--no-cache", action="store_true", help="check every scan again")
    ap.add_argument(
        "--seed", type=int, default=SEED, help=f"other angles, noise and seals (default {SEED})"
    )
    args = ap.parse_args(argv)
    if args.seed != SEED:  # a held-out set of scans, beside the usual ones
        args.cache = args.cache / f"seed-{args.seed}"
    names = args.only.split(",") if args.only else [v.name for v in VARIANTS]
    variants = tuple(BY_NAME[n] for n in names)
    t0 = time.time()
    print(
        f"== 扫描件: the real reports with a page form, scanned in {len(variants)} variants "
        f"(cells exact, flagged = null with {OCR_FLAG}, wrong numbers, CPU per page; "
        f"seed {args.seed}, cache {args.cache})"
    )
    why = unavailable() or (None if args.real.is_dir() else f"{args.real} not found")
    if why:
        print(f"== 扫描件 skipped: {why}")
        return 0
    rows, skipped = run(args.real, args.cache, variants, not args.no_cache, args.seed)
    for reason in skipped:
        print(f"== 扫描件 skipped: {reason}")
    totals = by_variant(rows)
    print(table(totals))
    wrong = sum(s.wrong for s in totals if s.variant != PAGE_FORM)
    below = [s.variant for s in totals if s.variant != PAGE_FORM and s.share < TARGET]
    cached = (
        " (some results cached: code and scans unchanged)" if any(r.cached for r in rows) else ""
    )
    print(
        f"== 扫描件 total: {wrong} wrong numbers, variants below {100 * TARGET:.1f} %: "
        f"{', '.join(below) or 'none'} ({time.time() - t0:.0f} s){cached}"
    )
    for s in rows:
        for m in s.wrongs[:5]:
            print(f"   wrong: {s.source} {s.variant} {m.line()}")
    if args.md:
        stamp = time.strftime("%Y-%m-%d %H:%M")
        head = _ocr_state()
        note = (
            f"# OCR scores of the scanned real reports ({stamp}, seed {args.seed}, {head})\n\n"
            f"Made by `python -m xxgk.variety.scan_matrix` (`make accuracy`, 扫描件). "
            f"Target: ≥ {100 * TARGET:.1f} % exact per variant, 0 wrong. "
            f"Scans in `{args.cache}` (one PDF per report × variant; its .json says the "
            f"dpi, the angle of each page and the seal's circle in pixels)."
        )
        args.md.write_text(markdown(rows, totals, note), encoding="utf-8")
    return 1 if wrong or below else 0


def _git(*args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(_PACKAGE), *args], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


def _ocr_state() -> str:
    """The last commit of xxgk.ocr, and how many of its files differ from it."""
    last = _git("log", "-1", "--format=%h %s", "--", "ocr")[:100] or "no git"
    changed = len(_git("status", "--porcelain", "--", "ocr").splitlines())
    return f"xxgk.ocr at {last}" + (f"; {changed} of its files changed since" if changed else "")


if __name__ == "__main__":
    sys.exit(main())
