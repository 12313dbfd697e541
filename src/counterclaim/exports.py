"""Exports of stored claims, written row by row (never all rows in memory).

Formats (`FORMATS`):

- ``jsonl``: one `StoredClaim.to_dict()` per line.
- ``csv``: the same columns (`COLUMNS`); ``evidence_span`` as ``start-end``.
- ``geojson``: a FeatureCollection, one Point feature per claim at ``[lon, lat]`` of its
  place, properties = the JSONL row minus ``lat``/``lon``. Claims whose place has no
  coordinates are skipped and counted (`ExportResult.skipped`).
- ``acled``: ACLED-style event rows (`ACLED_COLUMNS`), one per claim, see `acled_row`.
- ``claims-json``: claims JSON v1 (../shared/eval/SCHEMA.md), one object per document
  per line. The claims of one document must arrive together (`iter_claims_by_document`
  reads them so from a store), else `ExportError`; only one document is held at a time.

ACLED conventions used (ACLED codebook):

- ``event_date`` YYYY-MM-DD; a claim dated to a month or year takes the first day, and
  ``time_precision`` says so: 1 day, 2 month (ACLED: week or month), 3 year.
- ``event_type`` / ``sub_event_type`` from the claim status:

  ============  =========================  ==================================================
  status        event_type                 sub_event_type
  ============  =========================  ==================================================
  fighting      Battles                    Armed clash
  encircled     Battles                    Armed clash
  controls,     Battles                    "Government regains territory" when the side that
  partial,                                 holds or gains the place is the state the place
  withdrew                                 lies in (UA in Ukraine, RU in Russia), else
                                           "Non-state actor overtakes territory" (ACLED's
                                           category for territory taken by a force other than
                                           the government, which it uses for foreign forces).
                                           For ``withdrew`` the gaining side is the other one.
  denies        Strategic developments     Other (a denial is a statement, not an event)
  ============  =========================  ==================================================

- ``actor1``: the forces of the side that holds or gains the place (for ``withdrew``, the
  side that did not withdraw; for ``encircled``, the side that surrounds), ``actor2`` the
  other side's forces; for fighting and denials they are empty (the claim names no
  belligerent). Names are ACLED's:
  "Military Forces of Russia (2000-)", "Military Forces of Ukraine (2019-)".
- ``geo_precision``: 1 a settlement with coordinates, 2 a place known only from the
  KATOTTG codifier (located at its raion) or a settlement without coordinates, 3 a region.
- ``source``: the outlet; ``notes``: ``claimant: evidence``; ``event_id_cnty``: ``CC-<claim id>``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from .errors import ExportError
from .models import StoredClaim

if TYPE_CHECKING:
    from .store import ClaimFilter, Store

FORMATS = ("jsonl", "csv", "geojson", "acled", "claims-json")

COLUMNS = (
    "id", "document_id", "outlet", "outlet_side", "published", "url", "claimant", "claimant_side",
    "place_id", "place", "geonameid", "admin1", "country", "lat", "lon", "status", "controller",
    "percent", "date", "date_precision", "evidence", "evidence_span", "cue", "confidence",
    "extractor", "extractor_version",
)

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
    "actor1", "actor2", "country", "admin1", "location", "latitude", "longitude", "geo_precision",
    "source", "notes", "status", "claimant_side",
)

ACTORS = {"RU": "Military Forces of Russia (2000-)", "UA": "Military Forces of Ukraine (2019-)"}
COUNTRIES = {"UA": "Ukraine", "RU": "Russia"}
TIME_PRECISION = {"day": 1, "month": 2, "year": 3}


@dataclass(slots=True)
class ExportResult:
    """What an export wrote: rows (claims, or documents for claims-json) and skipped claims."""

    written: int = 0
    skipped: int = 0


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    span = row.get("evidence_span")
    return {**row, "evidence_span": f"{span[0]}-{span[1]}" if span else ""}


def _other(side: str | None) -> str | None:
    return {"RU": "UA", "UA": "RU"}.get(side or "")


def acled_event(status: str, controller: str | None, country: str | None) -> tuple[str, str, str | None]:
    """(event_type, sub_event_type, gaining side) for a claim's status and controller."""
    if status in ("fighting", "encircled"):
        return "Battles", "Armed clash", controller if status == "encircled" else None
    if status == "denies":
        return "Strategic developments", "Other", None
    gainer = _other(controller) if status == "withdrew" else controller
    if gainer is not None and gainer == (country or "UA"):
        return "Battles", "Government regains territory", gainer
    return "Battles", "Non-state actor overtakes territory", gainer


def _precision(sc: StoredClaim) -> int:
    c = sc.claim
    if c.date_precision in TIME_PRECISION:
        return TIME_PRECISION[c.date_precision]
    when = sc.when or ""
    return {10: 1, 7: 2, 4: 3}.get(len(when), 1)


def _geo_precision(sc: StoredClaim) -> int:
    p = sc.claim.place
    if p.is_region or p.id.startswith("region:"):
        return 3
    if p.id.startswith("kt:") or p.lat is None:
        return 2
    return 1


def acled_row(sc: StoredClaim) -> dict[str, Any]:
    """One claim as an ACLED-style row (see the module docstring)."""
    c = sc.claim
    when = sc.when or ""
    parts = when.split("-") if when else []
    event_date = ""
    if parts:
        event_date = "-".join([parts[0], *(parts[1:] + ["01", "01"])[:2]])
    event_type, sub_event, gainer = acled_event(c.status, c.controller, c.place.country)
    actor1 = ACTORS.get(gainer or "", "")
    actor2 = ACTORS.get(_other(gainer) or "", "") if actor1 else ""
    return {
        "event_id_cnty": f"CC-{sc.id}",
        "event_date": event_date,
        "year": int(parts[0]) if parts else "",
        "time_precision": _precision(sc) if parts else "",
        "event_type": event_type,
        "sub_event_type": sub_event,
        "actor1": actor1,
        "actor2": actor2,
        "country": COUNTRIES.get(c.place.country or "", c.place.country or ""),
        "admin1": c.place.admin1 or "",
        "location": c.place.name,
        "latitude": c.place.lat if c.place.lat is not None else "",
        "longitude": c.place.lon if c.place.lon is not None else "",
        "geo_precision": _geo_precision(sc),
        "source": sc.outlet or "",
        "notes": f"{c.claimant}: {c.evidence.text}",
        "status": c.status,
        "claimant_side": c.claimant_side,
    }


def _gold_document(items: list[StoredClaim]) -> dict[str, Any]:
    first = items[0]
    places: dict[str, dict[str, Any]] = {}
    for sc in items:
        p = sc.claim.place
        if p.id not in places:
            places[p.id] = {"name": p.name, "geonameid": p.geonameid, "admin1": p.admin1,
                            "country": p.country, "surface": [], "lat": p.lat, "lon": p.lon}
    return {
        "id": first.document_id,
        "url": first.url,
        "outlet": first.outlet,
        "outlet_side": first.outlet_side,
        "published": first.published.isoformat() if first.published else None,
        "language": None,  # not carried by StoredClaim
        "places": list(places.values()),
        "claims": [sc.claim.to_gold() for sc in items],
    }


def export(claims: Iterable[StoredClaim], fmt: str, out: TextIO) -> ExportResult:
    """Write `claims` to `out` in format `fmt` (see `FORMATS`), one row at a time."""
    result = ExportResult()
    if fmt == "jsonl":
        for sc in claims:
            out.write(_json(sc.to_dict()) + "\n")
            result.written += 1
    elif fmt in ("csv", "acled"):
        columns = COLUMNS if fmt == "csv" else ACLED_COLUMNS
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for sc in claims:
            writer.writerow(_flat(sc.to_dict()) if fmt == "csv" else acled_row(sc))
            result.written += 1
    elif fmt == "geojson":
        out.write('{"type": "FeatureCollection", "features": [\n')
        for sc in claims:
            props = sc.to_dict()
            lat, lon = props.pop("lat"), props.pop("lon")
            if lat is None or lon is None:
                result.skipped += 1
                continue
            feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                       "properties": props}
            out.write((",\n" if result.written else "") + _json(feature))
            result.written += 1
        out.write("\n]}\n")
    elif fmt == "claims-json":
        current: list[StoredClaim] = []
        written: set[str] = set()
        for sc in claims:
            if current and sc.document_id != current[0].document_id:
                out.write(_json(_gold_document(current)) + "\n")
                written.add(current[0].document_id)
                result.written += 1
                current = []
            if sc.document_id in written:
                raise ExportError(
                    f"claims-json: the claims of document {sc.document_id} are not together; "
                    "read them with iter_claims_by_document")
            current.append(sc)
        if current:
            out.write(_json(_gold_document(current)) + "\n")
            result.written += 1
    else:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return result


def iter_claims_by_document(store: Store, flt: ClaimFilter | None = None, *, batch: int = 200
                            ) -> Iterator[StoredClaim]:
    """The claims matching `flt`, document after document (for the claims-json export): one
    query per document, so that only one document's claims are in memory at a time."""
    from dataclasses import replace

    from .store import ClaimFilter

    flt = flt or ClaimFilter()
    offset = 0
    while True:
        docs = store.documents(limit=batch, offset=offset)
        if not docs:
            return
        for d in docs:
            yield from store.iter_claims(replace(flt, document_id=d["id"]))
        offset += batch


__all__ = ["ACLED_COLUMNS", "COLUMNS", "FORMATS", "ExportError", "ExportResult", "acled_event", "acled_row",
           "export", "iter_claims_by_document"]
