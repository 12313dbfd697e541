"""The data model, defined once and used by the pipeline, store, API and exports.

Every type is a frozen, slotted dataclass so that analyses are hashable, picklable
(batch runs fan out over processes) and cannot be changed behind a caller's back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Side = Literal["RU", "UA", "OTHER", "UNKNOWN"]
SIDES: tuple[str, ...] = ("RU", "UA", "OTHER", "UNKNOWN")
Status = Literal["controls", "partial", "denies", "fighting", "encircled", "withdrew"]
STATUSES: tuple[str, ...] = ("controls", "partial", "denies", "fighting", "encircled", "withdrew")
#: How precisely a mention was resolved: a settlement with coordinates, a raion or oblast
#: (coordinates of the area, if any), or only a name the text calls a settlement.
Precision = Literal["settlement", "raion", "region", "name"]


@dataclass(frozen=True, slots=True)
class Place:
    """A settlement or region.

    ``id`` is stable: ``gn:<geonameid>`` for GeoNames places, ``kt:<KATOTTG code>`` for
    settlements known only from Ukraine's codifier, ``region:<ISO 3166-2>`` (or
    ``region:<slug>``) for oblasts and historical regions, ``name:<slug>`` for a settlement
    the text names that no data source knows.
    """

    id: str
    name: str
    geonameid: int | None = None
    admin1: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    feature_class: str = "P"  # "P" populated place, "A" administrative area / region
    alternate_names: tuple[str, ...] = ()

    @property
    def is_region(self) -> bool:
        return self.feature_class == "A"


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """One occurrence of a place name in a text, resolved to a place."""

    start: int
    end: int
    surface: str
    place: Place
    precision: Precision = "settlement"
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Actor:
    """A person or body that makes claims, with the side it belongs to."""

    name: str
    side: Side = "UNKNOWN"
    kind: str = "unknown"  # official, military, state_media, media, wire, analyst, blogger
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Span:
    """A character span of the document text, with the text it covers."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Document:
    """A text to analyse, with what is known about where it came from."""

    text: str
    id: str = ""
    url: str | None = None
    outlet: str | None = None
    outlet_side: Side = "UNKNOWN"
    published: date | None = None
    language: str = "en"
    title: str | None = None

    @staticmethod
    def content_id(text: str) -> str:
        """Stable id of a text: the first 16 hex digits of its SHA-256."""
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Claim:
    """A statement, attributed to a claimant, about who holds a place or what happens there."""

    claimant: str
    claimant_side: Side
    place: Place
    status: Status
    controller: Side | None
    evidence: Span
    percent: float | None = None
    date: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY
    date_precision: Literal["day", "month", "year"] | None = None
    cue: str | None = None
    confidence: float = 0.5
    extractor: str = "rules"
    extractor_version: str = ""

    def key(self) -> tuple[str, str, str | None, str]:
        """One claim per (claimant side, place, status, controller), as the schema counts."""
        return (self.place.id, self.status, self.controller, self.claimant_side)

    def to_gold(self) -> dict[str, Any]:
        """This claim as an entry of claims JSON v1's ``claims`` (../shared/eval/SCHEMA.md)."""
        return {
            "claimant": self.claimant,
            "claimant_side": self.claimant_side,
            "place": self.place.name,
            "geonameid": self.place.geonameid,
            "status": self.status,
            "controller": self.controller,
            "percent": self.percent,
            "date": self.date,
            "evidence": self.evidence.text,
            "evidence_span": [self.evidence.start, self.evidence.end],
            "cue": self.cue,
            "confidence": round(self.confidence, 3),
        }


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the analysis of one document found."""

    document: Document
    places: tuple[PlaceMention, ...] = ()
    claims: tuple[Claim, ...] = ()
    outlet: str | None = None  # the outlet, as named in the document or given by the caller
    outlet_side: Side = "UNKNOWN"
    extras: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def stored_outlet(self) -> tuple[str | None, Side]:
        """The outlet and side a store keeps: as the analysis settled them, else the document's."""
        side = self.outlet_side if self.outlet_side != "UNKNOWN" else self.document.outlet_side
        return self.outlet or self.document.outlet, side

    def distinct_places(self) -> list[tuple[Place, list[str], str]]:
        """Each place once, in order of first mention, with its surfaces and precision."""
        seen: dict[str, tuple[Place, list[str], str]] = {}
        for m in self.places:
            entry = seen.get(m.place.id)
            if entry is None:
                seen[m.place.id] = (m.place, [m.surface], m.precision)
            elif m.surface not in entry[1]:
                entry[1].append(m.surface)
        return list(seen.values())

    def to_gold(self, doc_id: str | None = None) -> dict[str, Any]:
        """This analysis as claims JSON v1 (../shared/eval/SCHEMA.md)."""
        doc = self.document
        places = [
            {
                "name": p.name,
                "geonameid": p.geonameid,
                "admin1": p.admin1,
                "country": p.country,
                "surface": surfaces,
                "lat": p.lat,
                "lon": p.lon,
                "precision": precision,
            }
            for p, surfaces, precision in self.distinct_places()
        ]
        claims = [c.to_gold() for c in self.claims]
        return {
            "id": doc_id or doc.id,
            "url": doc.url,
            "outlet": self.outlet,
            "outlet_side": self.outlet_side,
            "published": doc.published.isoformat() if doc.published else None,
            "language": doc.language,
            "places": places,
            "claims": claims,
        }


@dataclass(frozen=True, slots=True)
class StoredClaim:
    """A claim as the store keeps it: with its row id and the document it comes from."""

    id: int
    claim: Claim
    document_id: str
    outlet: str | None = None
    outlet_side: Side = "UNKNOWN"
    published: date | None = None
    url: str | None = None

    @property
    def when(self) -> str | None:
        """The claim's date, else the document's publication date (ISO, as precise as known)."""
        if self.claim.date:
            return self.claim.date
        return self.published.isoformat() if self.published else None

    def to_dict(self) -> dict[str, Any]:
        c = self.claim
        return {
            "id": self.id,
            "document_id": self.document_id,
            "outlet": self.outlet,
            "outlet_side": self.outlet_side,
            "published": self.published.isoformat() if self.published else None,
            "url": self.url,
            "claimant": c.claimant,
            "claimant_side": c.claimant_side,
            "place_id": c.place.id,
            "place": c.place.name,
            "geonameid": c.place.geonameid,
            "admin1": c.place.admin1,
            "country": c.place.country,
            "lat": c.place.lat,
            "lon": c.place.lon,
            "status": c.status,
            "controller": c.controller,
            "percent": c.percent,
            "date": c.date,
            "date_precision": c.date_precision,
            "evidence": c.evidence.text,
            "evidence_span": [c.evidence.start, c.evidence.end],
            "cue": c.cue,
            "confidence": c.confidence,
            "extractor": c.extractor,
            "extractor_version": c.extractor_version,
        }


@dataclass(frozen=True, slots=True)
class Dispute:
    """Claims of the two sides about one place and period that contradict each other."""

    place: Place
    start: str  # ISO date (as precise as the claims allow)
    end: str
    kind: str  # control | share
    ru: tuple[StoredClaim, ...]  # claims made by the RU side
    ua: tuple[StoredClaim, ...]  # claims made by the UA side
    summary: str = ""


@dataclass(frozen=True, slots=True)
class Agreement:
    """Claims of the two sides about one place and period that concur."""

    place: Place
    start: str
    end: str
    kind: str  # same controller | capture and withdrawal
    ru: tuple[StoredClaim, ...]
    ua: tuple[StoredClaim, ...]
    summary: str = ""
