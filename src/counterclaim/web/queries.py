"""Queries over a store for the web API and pages: plain functions returning dicts and lists
ready for JSON.

Both `api.py` (the JSON endpoints) and `pages.py` (the HTML pages) call these, so that a page
and its JSON twin show the same data. Functions take a `Store` and already-validated
arguments; they raise `NotFound` (with suggestions) for an unknown id, and `BadInput` for an
argument they cannot use. They never write, except `analyze_text` with ``store=True``.

The map (`map_places`) and the date range (`date_bounds`) read the claims table with a
lean query and are cached per store state (the highest claim id and the number of claims),
so that moving the map's date slider does not re-read 200,000 claims into objects.
"""

from __future__ import annotations

import difflib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from sqlalchemy import and_, func, select

from ..disputes import (
    context_claims,
    date_range,
    dispute_dict,
    find_agreements,
    find_disputes,
    snapshot,
    timeline,
)
from ..models import Agreement, Analysis, Dispute, Place, StoredClaim
from ..store import ClaimFilter, Store, claims, documents, outlets, places

#: Limits of list endpoints.
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
#: Claims returned by a search.
SEARCH_CLAIMS = 50


class NotFound(LookupError):
    """An id or name that the store does not know; `suggestions` are names that are close."""

    def __init__(self, message: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = list(suggestions)


class BadInput(ValueError):
    """An argument the query cannot use (the API answers 422)."""


# --------------------------------------------------------------------------- helpers
def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def page(items: list[Any], limit: int, offset: int, total: int | None) -> dict[str, Any]:
    """A list response: ``{"items", "limit", "offset", "total"}``."""
    return {"items": items, "limit": limit, "offset": offset, "total": total}


def place_dict(p: Place, **extra: Any) -> dict[str, Any]:
    out = {"id": p.id, "name": p.name, "geonameid": p.geonameid, "admin1": p.admin1,
           "country": p.country, "lat": p.lat, "lon": p.lon, "population": p.population,
           "feature_class": p.feature_class}
    out.update(extra)
    return out


def _when():
    """A claim's date (its own, else its document's publication date), as stored."""
    return claims.c.dated


def _generation(store: Store) -> int:
    """Changes whenever claims are written: claim ids only grow, and a re-analysis replaces a
    document's claims by new rows (an index lookup, not a count)."""
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.max(claims.c.id))).scalar() or 0)


class _Cache:
    """A small LRU of results, per store state."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self.data: OrderedDict[Any, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                return self.data[key]
        return None

    def put(self, key: Any, value: Any) -> None:
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)


_cache = _Cache()


# --------------------------------------------------------------------------- health, documents
def health(store: Store) -> dict[str, Any]:
    from .. import __version__

    return {"status": "ok", "version": __version__, "documents": store.count("documents"),
            "claims": store.count("claims")}


def list_documents(store: Store, *, limit: int = DEFAULT_LIMIT, offset: int = 0) -> dict[str, Any]:
    """Documents, newest first, with their number of claims (no text)."""
    n_claims = select(func.count(claims.c.id)).where(claims.c.document_id == documents.c.id) \
        .correlate(documents).scalar_subquery()
    q = select(documents.c.id, documents.c.url, documents.c.published, documents.c.title,
               outlets.c.name.label("outlet"), documents.c.outlet_side, documents.c.source,
               documents.c.extractor_version, n_claims.label("claims")) \
        .select_from(documents.outerjoin(outlets, documents.c.outlet_id == outlets.c.id)) \
        .order_by(documents.c.published.desc(), documents.c.id).limit(limit).offset(offset)
    with store.engine.connect() as conn:
        rows = conn.execute(q).mappings().all()
        total = conn.execute(select(func.count()).select_from(documents)).scalar() or 0
    items = [{k: _iso(v) for k, v in r.items()} for r in rows]
    return page(items, limit, offset, int(total))


def document_detail(store: Store, doc_id: str) -> dict[str, Any]:
    doc = store.document(doc_id)
    if doc is None:
        raise NotFound(f"no document {doc_id!r}")
    items = store.claims(ClaimFilter(document_id=doc.id))
    return {
        "document": {"id": doc.id, "url": doc.url, "outlet": doc.outlet, "outlet_side": doc.outlet_side,
                     "published": _iso(doc.published), "title": doc.title, "language": doc.language,
                     "text": doc.text},
        "claims": [sc.to_dict() for sc in items],
    }


# --------------------------------------------------------------------------- claims
def count_claims(store: Store, flt: ClaimFilter) -> int:
    """How many claims `Store.claims(flt)` returns."""
    return store.count_claims(flt)


def check_date(value: str | None, name: str) -> None:
    """`BadInput` unless `value` is None or a real YYYY, YYYY-MM or YYYY-MM-DD date."""
    if value is not None and (len(value) not in (4, 7, 10) or date_range(value) is None):
        raise BadInput(f"{name}: not a date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")


def list_claims(store: Store, flt: ClaimFilter, *, limit: int = DEFAULT_LIMIT, offset: int = 0
                ) -> dict[str, Any]:
    """Claims matching the filter, in date order, a page at a time, with the total."""
    check_date(flt.since, "since")
    check_date(flt.until, "until")
    items = [sc.to_dict() for sc in store.claims(flt, limit=limit, offset=offset)]
    short = len(items) < limit and (items or offset == 0)  # the last page: no need to count
    total = offset + len(items) if short else count_claims(store, flt)
    return page(items, limit, offset, total)


# --------------------------------------------------------------------------- places
def _place_counts(store: Store, place_ids: Sequence[str] | None = None, *, side: str | None = None,
                  outlet: str | None = None) -> dict[str, tuple[Place, int, int]]:
    """Places with claims (matching side/outlet): place -> (place, claims, documents); all
    places are cached per store state (counting distinct documents reads every claim)."""
    key = None
    if place_ids is None:
        key = ("counts", store.url, _generation(store), (side or "").upper(), (outlet or "").lower())
        hit = _cache.get(key)
        if hit is not None:
            return hit
    j = places.join(claims, claims.c.place_id == places.c.id)
    conds = []
    if outlet:
        j = j.join(documents, claims.c.document_id == documents.c.id) \
            .join(outlets, documents.c.outlet_id == outlets.c.id)
        conds.append(func.lower(outlets.c.name) == outlet.lower())
    if side:
        conds.append(claims.c.claimant_side == side.upper())
    if place_ids is not None:
        conds.append(places.c.id.in_(list(place_ids) or ["-"]))
    q = select(places, func.count(claims.c.id).label("n_claims"),
               func.count(func.distinct(claims.c.document_id)).label("n_documents")) \
        .select_from(j).group_by(*places.c)
    if conds:
        q = q.where(and_(*conds))
    with store.engine.connect() as conn:
        rows = conn.execute(q).mappings().all()
    out = {}
    for r in rows:
        p = Place(id=r["id"], name=r["name"], geonameid=r["geonameid"], admin1=r["admin1"],
                  country=r["country"], lat=r["lat"], lon=r["lon"], population=r["population"] or 0,
                  feature_class=r["feature_class"] or "P")
        out[p.id] = (p, int(r["n_claims"]), int(r["n_documents"]))
    if key is not None:
        _cache.put(key, out)
    return out


def date_bounds(store: Store) -> dict[str, str | None]:
    """The first and last day claims are dated (their own date, else publication)."""
    key = ("bounds", store.url, _generation(store))
    hit = _cache.get(key)
    if hit is not None:
        return hit
    when = _when()
    q = select(func.min(when), func.max(when))
    with store.engine.connect() as conn:
        lo, hi = conn.execute(q).one()
    rlo, rhi = date_range(lo), date_range(hi)
    out = {"min": rlo[0].isoformat() if rlo else None, "max": rhi[0].isoformat() if rhi else None}
    _cache.put(key, out)
    return out


@lru_cache(maxsize=4096)
def _range_cached(when: str | None) -> tuple[date, date] | None:
    return date_range(when)


def _side_dict(row: dict[str, Any], side: str) -> dict[str, Any] | None:
    if row.get(f"{side}_claim_id") is None:
        return None
    return {k: row[f"{side}_{k}"] for k in ("status", "controller", "percent", "claimant", "date",
                                            "claim_id")}


def _latest_claim_ids(store: Store, as_of: date, *, side: str | None, outlet: str | None
                      ) -> list[int]:
    """For each place and side (RU, UA, third parties), the id of the claim `snapshot` would
    pick as the latest by `as_of` -- from lean queries, without building claim objects.

    A claim's date is its own, else its document's publication date; claims with their own
    date are read without joining the documents (unless an outlet is asked for)."""
    day = as_of.isoformat()
    q = select(claims.c.id, claims.c.place_id, claims.c.claimant_side, claims.c.status, claims.c.dated) \
        .where(claims.c.dated <= day + "~")
    if outlet:
        wanted = select(outlets.c.id).where(func.lower(outlets.c.name) == outlet.lower())
        q = q.where(claims.c.document_id.in_(select(documents.c.id).where(documents.c.outlet_id.in_(wanted))))
    if side:
        q = q.where(claims.c.claimant_side == side.upper())
    best: dict[tuple[str, str], tuple] = {}
    with store.engine.connect() as conn:
        for cid, pid, cside, status, w in conn.execute(q):
            r = _range_cached(w)
            if r is None or r[0] > as_of:
                continue
            group = cside if cside in ("RU", "UA") else "OTHER"
            key = (min(r[1], as_of), r[0], status != "fighting", cid)
            k = (pid, group)
            seen = best.get(k)
            if seen is None or key > seen:
                best[k] = key
    return [key[3] for key in best.values()]


def _claims_by_ids(store: Store, ids: Sequence[int]) -> list[StoredClaim]:
    return store.claims_by_id(ids)


def map_places(store: Store, as_of: date | None = None, *, side: str | None = None,
               outlet: str | None = None) -> dict[str, Any]:
    """The map: every place with claims (matching side/outlet), its counts and its state on
    `as_of` (default: the last claim date) from `disputes.snapshot`."""
    bounds = date_bounds(store)
    if as_of is None:
        as_of = date.fromisoformat(bounds["max"]) if bounds["max"] else date.today()
    key = ("map", store.url, _generation(store), as_of, (side or "").upper(), (outlet or "").lower())
    hit = _cache.get(key)
    if hit is not None:
        return hit
    counts = _place_counts(store, side=side, outlet=outlet)
    latest = _claims_by_ids(store, _latest_claim_ids(store, as_of, side=side, outlet=outlet))
    # snapshot over each side's latest claim gives the same rows as over all claims
    rows = {r.place.id: r.to_dict() for r in snapshot(latest, as_of=as_of)}
    items = []
    for pid, (p, n_claims, n_docs) in counts.items():
        row = rows.get(pid)
        items.append({
            "place_id": p.id, "place": p.name, "admin1": p.admin1, "country": p.country,
            "lat": p.lat, "lon": p.lon, "feature_class": p.feature_class,
            "claims": n_claims, "documents": n_docs,
            "state": row["state"] if row else "none",
            "ru": _side_dict(row, "ru") if row else None,
            "ua": _side_dict(row, "ua") if row else None,
            "other": _side_dict(row, "other") if row else None,
        })
    items.sort(key=lambda x: (-x["claims"], x["place"].lower(), x["place_id"]))
    out = {"date": as_of.isoformat(), "dates": bounds, "items": items, "limit": len(items),
           "offset": 0, "total": len(items)}
    _cache.put(key, out)
    return out


def resolve_place(store: Store, ref: str) -> Place:
    """A stored place by id (``gn:703656``), GeoNames id or name; the one with most claims when
    a name is ambiguous. `NotFound` with close names otherwise."""
    ref = ref.strip()
    found = store.resolve_place(ref) if ref else []
    if ":" in ref and not found:  # "703656" typed as "gn:703656" and the reverse are both fine
        tail = ref.split(":", 1)[1]
        if tail.isdigit():
            found = store.resolve_place(tail)
    if not found:
        raise NotFound(f"no place {ref!r} in the store", suggest_places(store, ref))
    if len(found) == 1:
        return found[0]
    counts = _place_counts(store, [p.id for p in found])
    return max(found, key=lambda p: (counts.get(p.id, (p, 0, 0))[1], -len(p.id)))


def suggest_places(store: Store, ref: str, n: int = 5) -> list[str]:
    with store.engine.connect() as conn:
        names = sorted(set(conn.execute(select(places.c.name)).scalars()))
    low = {name.lower(): name for name in names}
    close = difflib.get_close_matches(ref.lower(), list(low), n=n, cutoff=0.6)
    starts = [low[x] for x in low if ref and x.startswith(ref.lower()[:4])][:n]
    return list(dict.fromkeys([low[c] for c in close] + starts))[:n]


def _dispute_item(d: Dispute | Agreement, context: Sequence[StoredClaim] = ()) -> dict[str, Any]:
    dd = dispute_dict(d, context)
    p = dd.pop("place")
    return {"place_id": p["id"], "place": p["name"], "lat": p["lat"], "lon": p["lon"], **dd}


def place_detail(store: Store, ref: str) -> dict[str, Any]:
    p = resolve_place(store, ref)
    items = timeline(store.claims(ClaimFilter(place=p.id)))
    n_docs = len({sc.document_id for sc in items})
    disputes = find_disputes(items)
    agreements = find_agreements(items)
    return {
        "place": place_dict(p, claims=len(items), documents=n_docs),
        "claims": [sc.to_dict() for sc in items],
        "disputes": [_dispute_item(d, context_claims(d, items)) for d in disputes],
        "agreements": [_dispute_item(a, context_claims(a, items)) for a in agreements],
    }


def place_timeline(store: Store, ref: str) -> tuple[Place, list[StoredClaim]]:
    p = resolve_place(store, ref)
    return p, timeline(store.claims(ClaimFilter(place=p.id)))


_chart_lock = threading.Lock()


def timeline_svg(store: Store, ref: str) -> bytes:
    """The place's timeline chart (`disputes.render_timeline_chart`) as SVG bytes."""
    import tempfile
    from pathlib import Path

    from ..disputes import render_timeline_chart

    p, items = place_timeline(store, ref)
    with _chart_lock, tempfile.TemporaryDirectory() as tmp:  # pyplot is not thread-safe
        path = render_timeline_chart(p, items, Path(tmp) / "chart.svg", fmt="svg")
        return path.read_bytes()


# --------------------------------------------------------------------------- regions
@lru_cache(maxsize=1)
def regions() -> list[dict[str, Any]]:
    """Region (oblast) labels for the offline base map, from ``data/regions.tsv``."""
    text = resources.files("counterclaim").joinpath("data", "regions.tsv").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        f = line.split("\t")
        if len(f) < 5:
            continue
        try:
            lat, lon = float(f[3]), float(f[4])
        except ValueError:
            continue
        out.append({"id": f[0], "name": f[1], "lat": lat, "lon": lon, "country": f[2]})
    return out


# --------------------------------------------------------------------------- disputes
@dataclass(frozen=True, slots=True)
class DisputeQuery:
    place: str | None = None
    since: str | None = None
    until: str | None = None
    window: int = 14


def _dispute_claims(store: Store, q: DisputeQuery) -> list[StoredClaim]:
    check_date(q.since, "since")
    check_date(q.until, "until")
    place = resolve_place(store, q.place).id if q.place else None
    return store.claims(ClaimFilter(place=place, since=q.since, until=q.until))


def list_disputes(store: Store, q: DisputeQuery, *, agreements: bool = False,
                  limit: int = DEFAULT_LIMIT, offset: int = 0) -> dict[str, Any]:
    """Disputes (or agreements) newest first, each with third-party context claims."""
    items = _dispute_claims(store, q)
    found: Sequence[Dispute | Agreement]
    if agreements:
        found = find_agreements(items, window_days=q.window)
    else:
        found = find_disputes(items, window_days=q.window)
    chosen = found[offset:offset + limit]
    by_place: dict[str, list[StoredClaim]] = {}
    for sc in items:
        by_place.setdefault(sc.claim.place.id, []).append(sc)
    out = [_dispute_item(d, context_claims(d, by_place.get(d.place.id, []), window_days=q.window))
           for d in chosen]
    return page(out, limit, offset, len(found))


# --------------------------------------------------------------------------- snapshot, search
def snapshot_rows(store: Store, as_of: date) -> dict[str, Any]:
    """`disputes.snapshot` of the whole store on `as_of` (each side's latest claim per place)."""
    latest = _claims_by_ids(store, _latest_claim_ids(store, as_of, side=None, outlet=None))
    rows = [r.to_dict() for r in snapshot(latest, as_of=as_of)]
    return {"date": as_of.isoformat(), "items": rows}


def search(store: Store, q: str, *, limit: int = 20) -> dict[str, Any]:
    """Documents matching the words (full text), and claims whose evidence has them all."""
    q = q.strip()
    if not q.split():
        return {"q": q, "documents": [], "claims": []}
    docs = [{k: _iso(v) for k, v in d.items()} for d in store.search(q, limit=limit)]
    found = store.claims(ClaimFilter(text=q), limit=SEARCH_CLAIMS)
    return {"q": q, "documents": docs, "claims": [sc.to_dict() for sc in found]}


# --------------------------------------------------------------------------- analysis
def analysis_dict(analysis: Analysis) -> dict[str, Any]:
    """An analysis as JSON: the document, its places (each once) and its claims."""
    doc = analysis.document
    places_out = [
        place_dict(p, surfaces=surfaces, precision=precision)
        for p, surfaces, precision in analysis.distinct_places()
    ]
    claims_out = [
        StoredClaim(id=None, claim=c, document_id=doc.id, outlet=analysis.outlet,  # type: ignore[arg-type]
                    outlet_side=analysis.outlet_side, published=doc.published, url=doc.url).to_dict()
        for c in analysis.claims
    ]
    return {
        "document": {"id": doc.id, "url": doc.url, "outlet": analysis.outlet or doc.outlet,
                     "outlet_side": analysis.outlet_side, "published": _iso(doc.published),
                     "title": doc.title, "language": doc.language, "text": doc.text},
        "places": places_out,
        "claims": claims_out,
    }


def store_analysis(store: Store, analysis: Analysis, source: str | None) -> tuple[bool, list[dict]]:
    """Store an analysis; whether it was new, and its claims as stored (with ids)."""
    new = store.add(analysis, source=source)
    stored = store.claims(ClaimFilter(document_id=analysis.document.id))
    return new, [sc.to_dict() for sc in stored]


__all__ = [
    "BadInput",
    "DisputeQuery",
    "NotFound",
    "analysis_dict",
    "count_claims",
    "date_bounds",
    "document_detail",
    "health",
    "list_claims",
    "list_disputes",
    "list_documents",
    "map_places",
    "place_detail",
    "place_timeline",
    "regions",
    "resolve_place",
    "search",
    "snapshot_rows",
    "store_analysis",
    "timeline_svg",
]
