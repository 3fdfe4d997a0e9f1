"""Run N seeded mutants of the examples and the shared corpus through parse + check
(issue 9) and print ok / clean error / crash / hang counts, worst time and memory.

    .venv/bin/python scripts/fuzz.py [N] [--seed S] [--jobs J] [--corpus DIR]
    .venv/bin/python scripts/fuzz.py --seed S --dump I   # write mutant #I to a file

Each mutant runs in a worker process under a watchdog: one that takes longer than
``--hang`` seconds is killed and counted as a hang; a worker's peak memory (RSS) is
sampled after each mutant (workers are recycled every 200 mutants, so the peak is
attributed to a small group).  Exit status 1 when there is any crash or hang.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fuzz.harness import cases, run_one, seeds  # noqa: E402

RECYCLE = 200


def _worker(conn: Connection, tmp: str) -> None:
    while True:
        job = conn.recv()
        if job is None:
            return
        i, suffix, data = job
        path = Path(tmp) / f"m{i}{suffix}"
        path.write_bytes(data)
        outcome = run_one(path)
        path.unlink()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        conn.send((outcome.status, outcome.detail, outcome.seconds, rss))


class Slot:
    def __init__(self, tmp: str) -> None:
        self.tmp = tmp
        self.start()

    def start(self) -> None:
        self.conn, child = mp.Pipe()
        self.proc = mp.Process(target=_worker, args=(child, self.tmp), daemon=True)
        self.proc.start()
        self.done = 0
        self.job: tuple[int, str] | None = None
        self.since = 0.0

    def restart(self) -> None:
        self.proc.kill()
        self.proc.join()
        self.start()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--hang", type=float, default=30.0)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--dump", type=int, default=None, help="write mutant #I and stop")
    args = ap.parse_args()
    seed_files = seeds(args.corpus if args.corpus.is_dir() else None)
    if args.dump is not None:
        for i, name, suffix, data in cases(seed_files, args.dump + 1, args.seed):
            if i == args.dump:
                out = Path(f"mutant-{args.seed}-{i}{suffix}")
                out.write_bytes(data)
                print(f"{out} (from {name}, {len(data)} bytes)")
        return 0
    print(f"{len(seed_files)} seeds, {args.n} mutants, seed {args.seed}, {args.jobs} workers")
    counts = {"ok": 0, "error": 0, "crash": 0, "hang": 0}
    bad: list[str] = []
    worst_t = (0.0, "")
    worst_m = (0, "")
    began = time.time()
    shown = 0
    with tempfile.TemporaryDirectory() as tmp:
        slots = [Slot(tmp) for _ in range(args.jobs)]
        todo = cases(seed_files, args.n, args.seed)
        pending = True
        while pending or any(s.job for s in slots):
            for s in slots:
                if s.job is None and pending:
                    try:
                        i, name, suffix, data = next(todo)
                    except StopIteration:
                        pending = False
                        continue
                    if s.done >= RECYCLE:
                        s.restart()
                    s.conn.send((i, suffix, data))
                    s.job, s.since = (i, name), time.time()
            busy = [s for s in slots if s.job]
            ready = mp.connection.wait([s.conn for s in busy], timeout=1.0)
            for s in busy:
                assert s.job is not None
                i, name = s.job
                if s.conn in ready:
                    try:
                        status, detail, secs, rss = s.conn.recv()
                    except EOFError:  # the worker died (out of memory, a signal)
                        status, detail, secs, rss = "crash", "worker died", 0.0, 0
                        s.restart()
                    counts[status] += 1
                    if status == "crash":
                        bad.append(f"crash #{i} ({name}): {detail}")
                    if secs > worst_t[0]:
                        worst_t = (secs, f"#{i} ({name})")
                    if rss > worst_m[0]:
                        worst_m = (rss, f"#{i} ({name})")
                    s.done += 1
                    s.job = None
                elif time.time() - s.since > args.hang:
                    counts["hang"] += 1
                    bad.append(f"hang #{i} ({name}): over {args.hang:.0f} s")
                    s.restart()
            total = sum(counts.values())
            if total // 2000 > shown:
                shown = total // 2000
                print(f"  {total} … {counts}", flush=True)
        for s in slots:
            if s.proc.is_alive():
                s.conn.send(None)
                s.proc.join(5)
    print(
        f"mutants {sum(counts.values())}: ok {counts['ok']}, clean error {counts['error']}, "
        f"crash {counts['crash']}, hang {counts['hang']}  ({time.time() - began:.0f} s)"
    )
    print(
        f"worst time {worst_t[0]:.2f} s {worst_t[1]}; worst peak memory {worst_m[0]} MB "
        f"{worst_m[1]} (worker peak RSS)"
    )
    for line in bad[:50]:
        print(" ", line)
    return 1 if counts["crash"] or counts["hang"] else 0


if __name__ == "__main__":
    sys.exit(main())
