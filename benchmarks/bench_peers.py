"""TXT-004 against peers: what comparing each of N reports of one year with the others
costs (run: ``.venv/bin/python benchmarks/bench_peers.py [--n 400] [--no-web]``).

The reports: N departments of one county for 2023, each with sections 一 and 五 made of
sentences of the real reports in ../shared/corpus (drawn at random, numbers changed;
without the corpus, sentences of random characters), and COPIES of them repeating
another's section 一 with a few words changed.  CPU time (process time, this process
and its children) throughout:

1. The index (``checks.copied``): N reports' sketches made, matched and added, per
   report and in all; the pairwise prefilter it replaces (``covered`` on every pair,
   timed on a sample and scaled to N·(N−1)); and how many exact comparisons
   (``repeated``) each way runs.
2. The command line: ``api.check_many`` (what ``xxgk check DIR`` runs, pairing on) in
   this process over the N files, with the peer comparison and with it switched off
   (no sketches); the second phase's re-checks.
3. The web app (``--no-web`` to skip): the N reports uploaded and checked by the worker
   on SQLite, with and without the peer search; then the search for one more report
   among N peers, with its sketches cached and not.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()
COPIES = 4
HANZI = "公开政务信息申请办理答复主动依法规范制度平台网站栏目解读回应关切监督考核培训队伍保障"


def cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


@contextmanager
def patched(obj: Any, name: str, value: Any) -> Iterator[None]:
    old = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, old)


def sentence_pool() -> list[str]:
    """Sentences of the real reports' narrative (sections 一 and 五)."""
    from xxgk import api
    from xxgk.checks.copied import flat

    pool: list[str] = []
    for path in sorted((CORPUS / "real").glob("*.*")) + sorted((CORPUS / "seeds").glob("*.txt")):
        try:
            report = api.parse(path)
        except Exception:
            continue
        for n in (1, 5):
            pool += [
                s
                for s in re.findall(r"[^。；]+[。；]", flat(report.sections.get(n, "")))
                if len(s) > 10
            ]
    return sorted(set(pool))  # a report read from two files (HTML and Word) once


def narratives(n: int, seed: int = 1) -> tuple[list[tuple[str, str]], list[tuple[int, int]]]:
    """(section 一, section 五) for each of ``n`` reports, and (copy, original) pairs."""
    rnd = random.Random(seed)
    pool = sentence_pool()
    if len(pool) < 50:  # no corpus: sentences of random characters
        pool = [
            "".join(rnd.choice(HANZI) for _ in range(rnd.randint(14, 30))) + "。"
            for _ in range(400)
        ]

    def said(k: int) -> str:
        picked = rnd.sample(pool, k)
        return "".join(re.sub(r"\d+", lambda m: str(rnd.randint(1, 999)), s) for s in picked)

    texts = [(said(rnd.randint(8, 16)), said(rnd.randint(3, 6))) for _ in range(n)]
    pairs = []
    for i in range(COPIES):
        copy, original = n - 1 - i, i * (n // COPIES)
        one = texts[original][0]
        texts[copy] = (one[:40] + "我单位" + one[43:], texts[copy][1])
        pairs.append((copy, original))
    return texts, pairs


def agencies(n: int) -> list[str]:
    return [f"某某县第{chr(0x4E00 + i * 7)}{chr(0x4E01 + i * 3)}局" for i in range(n)]


def report_files(folder: Path, n: int) -> tuple[list[Path], list[tuple[int, int]]]:
    from xxgk.render.text import render_text
    from xxgk.synth import consistent_report

    texts, pairs = narratives(n)
    paths = []
    for i, (name, (one, five)) in enumerate(zip(agencies(n), texts, strict=True)):
        report = consistent_report(
            agency=name, year=2023, published="2024-01-20", sections={1: one, 5: five, 6: "无。"}
        )
        path = folder / f"{i:04d}.txt"
        path.write_text(render_text(report, "tabs"), encoding="utf-8")
        paths.append(path)
    return paths, pairs


def bench_index(n: int) -> None:
    from xxgk.checks import copied

    texts, pairs = narratives(n)
    t0 = cpu()
    made = [copied.sketches({1: one, 5: five}) for one, five in texts]
    t1 = cpu()
    index = copied.PeerIndex()
    found: dict[int, set[int]] = {}
    for i, sk in enumerate(made):
        mine, theirs = index.match(f"机关{i}", 2023, sk)
        found.setdefault(i, set()).update(copied.most_similar(mine))
        for j in theirs:
            found.setdefault(j, set()).add(i)
        index.add(i, f"机关{i}", 2023, sk)
    t2 = cpu()
    compared = sum(len(v) for v in found.values())
    calls = 0
    exact = copied.repeated

    def counted(a: str, b: str) -> float:
        nonlocal calls
        calls += 1
        return exact(a, b)

    flagged = set()
    with patched(copied, "repeated", counted):
        t3 = cpu()
        for i, peers in found.items():
            for j in peers:
                for k in (0, 1):
                    if copied.copied_share(texts[i][k], texts[j][k]) is not None:
                        flagged.add((i, j))
        t4 = cpu()
    sample = [(random.Random(i).randrange(n), random.Random(-i).randrange(n)) for i in range(2000)]
    t5 = cpu()
    for i, j in sample:
        copied.covered(texts[i][0], texts[j][0])
        copied.covered(texts[i][1], texts[j][1])
    pairwise = (cpu() - t5) / len(sample) * n * (n - 1)
    found_pairs = {(a, b) for a, b in flagged} & {(c, o) for c, o in pairs}
    print(f"1. the index, {n} reports of one year ({COPIES} sections copied):")
    print(
        f"   sketches: {1000 * (t1 - t0) / n:.2f} ms per report; match + add: {1000 * (t2 - t1) / n:.2f} ms per report ({t2 - t0:.2f} s in all)"
    )
    print(
        f"   peers compared exactly: {compared} (of {n * (n - 1)} ordered pairs), repeated() called {calls} times, {t4 - t3:.2f} s"
    )
    print(f"   copies found: {len(found_pairs)} of {len(pairs)} (flagged pairs {len(flagged)})")
    print(f"   the pairwise prefilter instead (covered() on every pair): {pairwise:.1f} s")


def bench_cli(n: int) -> None:
    from xxgk import api
    from xxgk.batch import latest, worker

    with tempfile.TemporaryDirectory() as tmp:
        paths, pairs = report_files(Path(tmp), n)
        api.check(paths[0])  # imports done before timing
        t0 = cpu()
        batch = api.check_many(Path(tmp), jobs=1, pair=True)
        outcomes = latest(batch)
        with_peers = cpu() - t0
        hit = {
            o.order
            for o in outcomes
            if o.result and any(f.code == "TXT-004" for f in o.result.findings)
        }
        planted = {i for pair in pairs for i in pair}
        rechecks = batch.pairs
        with patched(worker, "sketches", lambda sections: {}):
            t0 = cpu()
            plain = latest(api.check_many(Path(tmp), jobs=1, pair=True))
            without = cpu() - t0
        assert len(plain) == n
    print(f"2. api.check_many over {n} files (pairing on, jobs=1, this process):")
    print(
        f"   with peers {with_peers:.1f} s ({1000 * with_peers / n:.1f} ms per file), "
        f"without {without:.1f} s ({1000 * without / n:.1f} ms per file): "
        f"+{100 * (with_peers - without) / without:.0f} %"
    )
    print(
        f"   reports flagged TXT-004: {len(hit)} ({len(planted & hit)} of the {len(planted)} "
        "planted copies and originals; the others repeat one another by chance); "
        f"second-phase re-checks: {rechecks}"
    )


def bench_web(n: int) -> None:
    from xxgk.store import accounts
    from xxgk.store import agencies as tree
    from xxgk.store.base import Store
    from xxgk.store.models import StoredReport
    from xxgk.supervise import peers
    from xxgk.web import history, service
    from xxgk.web.worker import run_pending

    def run(tmp: Path, search: bool) -> tuple[float, int]:
        store = Store(tmp / "data", f"sqlite:///{tmp / 'db.sqlite3'}")
        store.upgrade()
        names = agencies(n)
        with store.session() as s:
            tree.add(s, "某某县", "县")
            for name in names:
                tree.add(s, name, "部门", parent="某某县")
            admin = accounts.add_user(s, "管理员", "admin", "一个足够长的密码-1")
        paths, _ = report_files(tmp, n)
        with store.session() as s:
            user = s.get(type(admin), admin.id)
            assert user is not None
            for name, path in zip(names, paths, strict=True):
                service.upload(s, store, user, path.read_bytes(), path.name, name)
        peers._CACHE.clear()
        none: Callable[..., peers.Found] = lambda *a, **k: peers.Found()  # noqa: E731
        t0 = cpu()
        if search:
            run_pending(store)
        else:
            with patched(history.peer_store, "find", none):
                run_pending(store)
        spent = cpu() - t0
        with store.session() as s:
            flagged = sum(
                any(f["code"] == "TXT-004" for f in (r.result or {}).get("findings") or [])
                for r in s.query(StoredReport)
            )
            if search:
                last = s.get(StoredReport, n)
                assert last is not None and last.result is not None
                sections = last.result["report"]["sections"]
                t1 = cpu()
                peers.find(s, last.agency_id or 0, 2023, sections)
                warm = cpu() - t1
                peers._CACHE.clear()
                t1 = cpu()
                peers.find(s, last.agency_id or 0, 2023, sections)
                cold = cpu() - t1
                print(
                    f"   the search for one report among {n - 1} peers: {1000 * warm:.1f} ms with their sketches cached, {1000 * cold:.1f} ms without"
                )
        store.dispose()
        return spent, flagged

    print(
        f"3. the web app: {n} reports of one county's departments for 2023, uploaded and checked by the worker (SQLite):"
    )
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        with_peers, flagged = run(Path(a), True)
        without, _ = run(Path(b), False)
    print(
        f"   with the peer search {with_peers:.1f} s ({1000 * with_peers / n:.1f} ms per report), "
        f"without {without:.1f} s ({1000 * without / n:.1f} ms per report): +{100 * (with_peers - without) / without:.0f} %; "
        f"reports flagged TXT-004: {flagged}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--no-web", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    bench_index(args.n)
    bench_cli(args.n)
    if not args.no_web:
        bench_web(args.n)
    print(f"(wall {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
