#!/usr/bin/env python3
"""Batch throughput and peak memory: one process, N local processes, a Dask cluster of N workers.

    python benchmarks/bench_distributed.py [--articles 20000] [--shards 40] [--workers 2]
                                           [--pg postgresql://...] [--json PATH]

Generates ``--articles`` reports (``counterclaim.synthetic``) as JSONL shards, then runs, each in
a fresh Python process so that no mode profits from another's warm caches, in one run:

- ``local-1``: ``ingest`` in one process into a fresh SQLite store (the baseline);
- ``local-N``: ``ingest --workers N`` (N analysing processes, one writer) into SQLite;
- ``dask-N``: a Dask ``LocalCluster`` of N worker processes, each shard a task whose worker
  writes to the store: SQLite (one file, writers take turns) and, with ``--pg``, PostgreSQL;
- ``dask-N-parquet``: the same cluster writing Parquet parts instead of a store;
- ``load-parquet`` (and ``load-parquet-pg``): ``counterclaim load`` of those parts into SQLite
  (PostgreSQL) -- writing alone, no analysis: the ceiling of one writer.

Each mode reports wall time (pipeline loading included), documents/s, its ratio to ``local-1``,
and the peak memory of its whole process tree (RSS summed over the processes, sampled every
50 ms) and of its largest process.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--shards", type=int, default=40)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--pg", metavar="URL", help="also run dask-N into this (emptied) PostgreSQL database")
    ap.add_argument("--modes", help="comma-separated subset of the modes")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    ap.add_argument("--run-mode", help=argparse.SUPPRESS)  # internal: run one mode in this process
    ap.add_argument("--src", help=argparse.SUPPRESS)
    ap.add_argument("--target", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.run_mode:
        return _run_mode(args)

    from counterclaim.synthetic import write_shards

    n = args.workers
    modes = ["local-1", f"local-{n}", f"dask-{n}", f"dask-{n}-parquet"]
    modes += [f"dask-{n}-pg"] if args.pg else []
    modes += ["load-parquet"] + (["load-parquet-pg"] if args.pg else [])
    if args.modes:
        modes = [m for m in modes if m in args.modes.split(",")]
    results = {"articles": args.articles, "shards": args.shards, "workers": n, "cores": os.cpu_count(),
               "modes": {}}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "shards"
        write_shards(src, args.articles, args.shards, seed=args.seed)
        print(f"{args.articles} articles in {args.shards} JSONL shards, {n} workers, "
              f"{os.cpu_count()} cores", flush=True)
        for mode in modes:
            if mode.endswith("-pg"):
                _empty_pg(args.pg)
                target = args.pg
            elif mode.startswith("load-parquet"):
                target = f"sqlite:///{Path(tmp) / 'loaded.db'}"
            elif mode.endswith("parquet"):
                target = str(Path(tmp) / f"{mode}.parquet")
            else:
                target = f"sqlite:///{Path(tmp) / (mode + '.db')}"
            source = Path(tmp) / f"dask-{n}-parquet.parquet" if mode.startswith("load-parquet") else src
            results["modes"][mode] = r = _measure(mode, source, target, n)
            print(f"  {mode:16} {r['seconds']:7.1f} s  {r['docs_per_s']:6.1f} docs/s  "
                  f"peak {r['peak_total_mb']:6.0f} MB total, {r['peak_process_mb']:5.0f} MB largest process",
                  flush=True)
    base = results["modes"].get("local-1")
    if base:
        print("\nthroughput relative to one process (same run):")
        for mode, r in results["modes"].items():
            r["ratio"] = round(r["docs_per_s"] / base["docs_per_s"], 2)
            print(f"  {mode:16} {r['ratio']:.2f}x   memory {r['peak_total_mb'] / base['peak_total_mb']:.2f}x")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


def _measure(mode: str, src: Path, target: str, workers: int) -> dict:
    import psutil

    cmd = [sys.executable, __file__, "--run-mode", mode, "--src", str(src), "--target", target,
           "--workers", str(workers)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    peak_total = peak_one = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak_total, peak_one
        root = psutil.Process(proc.pid)
        while not stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
                rss = []
                for p in procs:
                    with contextlib.suppress(psutil.Error):  # the process has just ended
                        rss.append(p.memory_info().rss)
                peak_total = max(peak_total, sum(rss))
                peak_one = max(peak_one, max(rss, default=0))
            except psutil.Error:
                pass
            stop.wait(0.05)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, _ = proc.communicate()
    seconds = time.perf_counter() - t0
    stop.set()
    th.join()
    if proc.returncode != 0:
        raise SystemExit(f"mode {mode} failed (exit {proc.returncode})")
    report = json.loads(out.strip().splitlines()[-1])
    return {"seconds": round(seconds, 2), "documents": report["documents"], "claims": report["claims"],
            "docs_per_s": round(report["documents"] / seconds, 1),
            "peak_total_mb": round(peak_total / 2**20), "peak_process_mb": round(peak_one / 2**20)}


def _run_mode(args) -> int:
    """One mode, in this (fresh) process; prints {"documents", "claims"} as its last line."""
    from counterclaim.shards import plan_shards, run_dask

    mode, src, target = args.run_mode, args.src, args.target
    if mode.startswith("load-parquet"):
        from counterclaim.parquet import list_parts, load_parts
        from counterclaim.store import Store

        with Store(target) as store:
            s = load_parts(list_parts(src), store)
        print(json.dumps({"documents": s.new, "claims": s.claims}))
        return 0
    if mode.startswith("local-"):
        from counterclaim.ingest import ingest
        from counterclaim.pipeline import Pipeline
        from counterclaim.sources import iter_sources
        from counterclaim.store import Store

        workers = int(mode.split("-")[1])
        with Store(target) as store:
            s = ingest(iter_sources([src]), store, Pipeline() if workers == 1 else None, batch_size=100,
                       workers=workers)
        print(json.dumps({"documents": s.new, "claims": s.claims}))
        return 0
    shards = plan_shards([src])
    if mode.endswith("parquet"):
        s = run_dask(shards, out_dir=target, workers=args.workers, batch_size=100)
    else:
        s = run_dask(shards, store_url=target, workers=args.workers, batch_size=100)
    print(json.dumps({"documents": s.new, "claims": s.claims}))
    return 0


def _empty_pg(url: str) -> None:
    from counterclaim.store import Store, metadata

    with Store(url) as store:
        metadata.drop_all(store.engine)


if __name__ == "__main__":
    raise SystemExit(main())
