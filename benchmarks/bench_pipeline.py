#!/usr/bin/env python3
"""Throughput and cold start of the analysis.

    python benchmarks/bench_pipeline.py [--articles N] [--seed S] [--json PATH]

Builds a corpus in memory by varying the sample articles (place names swapped for
others from the gazetteer, body paragraphs shuffled, header dates changed), then measures:

- ``Pipeline.analyze`` on every article: articles/s and words/s;
- one scan of the same texts by a plain pyahocorasick automaton of every gazetteer name
  (lower-cased text): words/s, and how many times slower the pipeline is, in the same run;
- cold start: wall time of ``counterclaim analyze samples/<one>.txt`` in a fresh process
  (median of 3; the gazetteer index is already in the cache).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
_HEADER_DATE = re.compile(r"^(date|published)(\s*:?\s*)\d{4}-\d{2}-\d{2}", re.I | re.M)


def name_pool(gazetteer, rng: random.Random, size: int = 400) -> list[str]:
    """Names of Ukrainian settlements, drawn at random from the gazetteer's names."""
    keys = gazetteer.names()
    pool: set[str] = set()
    for _ in range(size * 200):
        if len(pool) >= size:
            break
        places = gazetteer.lookup(rng.choice(keys))
        if places and places[0].country == "UA" and places[0].feature_class == "P":
            name = places[0].name
            if name.replace("-", "").replace(" ", "").isalpha() and name.isascii():
                pool.add(name)
    return sorted(pool)


def make_corpus(n: int, seed: int = 7) -> tuple[list[str], list[str]]:
    """``n`` article texts varied from the samples, and the pool of names used."""
    from counterclaim.documents import parse_header
    from counterclaim.gazetteer import Gazetteer

    rng = random.Random(seed)
    gazetteer = Gazetteer.load()
    pool = name_pool(gazetteer, rng)
    bases = []
    for f in sorted(SAMPLES.glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        _, body = parse_header(text)
        found = {m.surface for m in gazetteer.mentions(text) if m.start >= body}
        surfaces = sorted(found, key=len, reverse=True)
        paragraphs = [p.strip("\n") for p in text[body:].split("\n\n") if p.strip()]
        bases.append((text[:body], paragraphs, surfaces))
    corpus = []
    for i in range(n):
        header, paragraphs, surfaces = bases[i % len(bases)]
        day = date(2023, 1, 1) + timedelta(days=rng.randrange(1000))
        header = _HEADER_DATE.sub(rf"\g<1>\g<2>{day.isoformat()}", header)
        paras = [paragraphs[0], *rng.sample(paragraphs[1:], len(paragraphs) - 1)]
        body = "\n\n".join(paras)
        swap = {s: rng.choice(pool) for s in surfaces if rng.random() < 0.6}
        if swap:
            body = re.sub("|".join(re.escape(s) for s in swap), lambda m, swap=swap: swap[m.group(0)], body)
        corpus.append(header.rstrip("\n") + "\n\n" + body + "\n")
    return corpus, pool


def bench_pipeline(corpus: list[str]) -> dict:
    from counterclaim.pipeline import Pipeline

    t0 = time.perf_counter()
    pipeline = Pipeline()
    load = time.perf_counter() - t0
    pipeline.analyze(corpus[0])  # warm caches
    claims = 0
    t0 = time.perf_counter()
    for text in corpus:
        claims += len(pipeline.analyze(text).claims)
    elapsed = time.perf_counter() - t0
    return {"load_s": load, "seconds": elapsed, "claims": claims}


def bench_automaton(corpus: list[str]) -> dict:
    import ahocorasick

    from counterclaim.gazetteer import Gazetteer

    names = Gazetteer.load().names()
    t0 = time.perf_counter()
    automaton = ahocorasick.Automaton()
    for i, name in enumerate(names):
        automaton.add_word(name, i)
    automaton.make_automaton()
    build = time.perf_counter() - t0
    hits = 0
    t0 = time.perf_counter()
    for text in corpus:
        for _ in automaton.iter(text.lower()):
            hits += 1
    elapsed = time.perf_counter() - t0
    return {"names": len(names), "build_s": build, "seconds": elapsed, "hits": hits}


def cold_start(runs: int = 3) -> dict:
    exe = Path(sys.executable).parent / "counterclaim"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-c", "from counterclaim.cli import main; main()"]
    sample = sorted(SAMPLES.glob("*.txt"))[0]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([*cmd, "analyze", str(sample)], check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return {"file": sample.name, "median_s": statistics.median(times), "runs": times}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=2000, help="corpus size (default 2000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    ap.add_argument("--no-cold-start", action="store_true", help="skip the subprocess timing")
    args = ap.parse_args(argv)

    corpus, pool = make_corpus(args.articles, args.seed)
    words = sum(len(t.split()) for t in corpus)
    chars = sum(len(t) for t in corpus)
    pipe = bench_pipeline(corpus)
    scan = bench_automaton(corpus)
    cold = None if args.no_cold_start else cold_start()

    pipe_wps = words / pipe["seconds"]
    scan_wps = words / scan["seconds"]
    rows = [
        ("corpus", f"{len(corpus):,} articles, {words:,} words, {chars / 1e6:.1f} M chars"),
        ("Pipeline.analyze", f"{len(corpus) / pipe['seconds']:,.0f} articles/s, {pipe_wps:,.0f} words/s "
                             f"({pipe['seconds']:.2f} s, {pipe['claims']:,} claims)"),
        ("Aho-Corasick scan", f"{scan_wps:,.0f} words/s ({scan['names']:,} names, "
                              f"build {scan['build_s']:.2f} s, {scan['hits']:,} hits)"),
        ("pipeline / scan", f"{scan_wps / pipe_wps:.1f}x slower"),
    ]
    if cold:
        rows.append(("cold start", f"{cold['median_s']:.2f} s median of 3 "
                                   f"(counterclaim analyze samples/{cold['file']})"))
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v}")

    if args.json:
        result = {
            "articles": len(corpus), "words": words, "chars": chars, "python": sys.version.split()[0],
            "pipeline": {"articles_per_s": len(corpus) / pipe["seconds"], "words_per_s": pipe_wps, **pipe},
            "automaton": {"words_per_s": scan_wps, **scan},
            "slowdown_vs_scan": scan_wps / pipe_wps,
            "cold_start": cold,
        }
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
