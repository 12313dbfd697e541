#!/usr/bin/env python3
"""Ingest throughput into SQLite, storage overhead, and the time of store queries.

    python benchmarks/bench_ingest.py [--articles 100000] [--db PATH] [--json PATH]

Generates the corpus the way `bench_pipeline.py` does (the sample articles varied), then,
in one run:

- analysis alone (`Pipeline.analyze`) over the first `--analysis-sample` articles: docs/s;
- `counterclaim.ingest.ingest` of every article into a fresh SQLite store: docs/s, and the
  ratio of the two rates (what storing costs on top of analysing);
- over the resulting store: the disputes query (all claims -> `find_disputes`), a place
  timeline (claims of the most-claimed place, in date order) and a filtered claims query.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pipeline import make_corpus  # noqa: E402


@dataclass
class _Item:
    name: str
    document: object
    error: object = None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100_000, help="corpus size (default 100000)")
    ap.add_argument("--analysis-sample", type=int, default=5_000,
                    help="articles analysed alone to measure the analysis rate (default 5000)")
    ap.add_argument("--db", help="SQLite file to fill (default: a temporary file)")
    ap.add_argument("--batch", type=int, default=200, help="documents per transaction")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    ap.add_argument("--skip-ingest", action="store_true",
                    help="reuse the store of an earlier run (--db): take its ingest rate from the `runs` "
                         "table and time the queries only")
    args = ap.parse_args(argv)

    from counterclaim.disputes import find_disputes
    from counterclaim.ingest import ingest
    from counterclaim.models import Document
    from counterclaim.pipeline import Pipeline
    from counterclaim.store import ClaimFilter, Store

    corpus, _ = make_corpus(args.analysis_sample if args.skip_ingest else args.articles, args.seed)
    pipeline = Pipeline()
    pipeline.analyze(corpus[0])

    sample = corpus[: min(args.analysis_sample, len(corpus))]
    t0 = time.perf_counter()
    for text in sample:
        pipeline.analyze(text)
    analysis_rate = len(sample) / (time.perf_counter() - t0)

    tmp = None
    if args.db:
        path = Path(args.db)
    else:
        tmp = tempfile.TemporaryDirectory()
        path = Path(tmp.name) / "bench.db"
    store = Store(f"sqlite:///{path}")
    if args.skip_ingest:
        run = [r for r in store.runs() if r["command"] == "bench_ingest" and r["finished_at"]][-1]
        ingest_s = (run["finished_at"] - run["started_at"]).total_seconds()
        seen = run["new"] + run["duplicates"] + run["failed"]
        line = f"{run['new']} new, {run['duplicates']} duplicates, {run['failed']} failed (run {run['id']})"
    else:
        items = (_Item(f"gen{i}", Document(text=t, id=Document.content_id(t))) for i, t in enumerate(corpus))
        t0 = time.perf_counter()
        summary = ingest(items, store, pipeline, batch_size=args.batch, command="bench_ingest")
        ingest_s = time.perf_counter() - t0
        seen, line = summary.seen, summary.line()
    ingest_rate = seen / ingest_s

    t0 = time.perf_counter()
    disputes = find_disputes(store.iter_claims())
    disputes_s = time.perf_counter() - t0
    top = store.places_summary()[0]
    t0 = time.perf_counter()
    timeline = store.claims(ClaimFilter(place=top["id"]))
    timeline_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    filtered = store.claims(ClaimFilter(side="UA", status="denies", since="2024-01-01"), limit=1000)
    filtered_s = time.perf_counter() - t0
    size_mb = sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 1e6  # with the WAL

    rows = [
        ("corpus", f"{seen:,} articles"),
        ("analysis alone", f"{analysis_rate:,.0f} docs/s (first {len(sample):,} articles)"),
        ("ingest into SQLite", f"{ingest_rate:,.0f} docs/s ({ingest_s:.1f} s; {line})"),
        ("storage overhead", f"ingest is {analysis_rate / ingest_rate:.2f}x the time of analysis alone"),
        ("store", f"{store.count('documents'):,} documents, {store.count('claims'):,} claims, "
                  f"{size_mb:,.0f} MB"),
        ("disputes query", f"{disputes_s:.2f} s ({len(disputes):,} disputes over all claims)"),
        ("place timeline", f"{timeline_s * 1000:.0f} ms ({len(timeline):,} claims about {top['name']})"),
        ("filtered claims", f"{filtered_s * 1000:.0f} ms (UA denials since 2024, first {len(filtered)})"),
    ]
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "articles": seen, "analysis_docs_per_s": analysis_rate, "ingest_docs_per_s": ingest_rate,
            "ingest_s": ingest_s, "overhead": analysis_rate / ingest_rate,
            "documents": store.count("documents"), "claims": store.count("claims"), "db_mb": size_mb,
            "disputes_s": disputes_s, "disputes": len(disputes), "timeline_s": timeline_s,
            "timeline_claims": len(timeline), "filtered_s": filtered_s,
        }, indent=2) + "\n", encoding="utf-8")
    store.close()
    if tmp:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
