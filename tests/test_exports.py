"""Every export format parses back."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from counterclaim.exports import (
    ACLED_COLUMNS,
    COLUMNS,
    ExportError,
    acled_event,
    export,
    iter_claims_by_document,
)
from counterclaim.models import Analysis, Claim, Document, Place, Span, StoredClaim
from counterclaim.store import ClaimFilter, Store

KUP = Place(id="gn:703656", name="Kupiansk", geonameid=703656, admin1="Kharkiv Oblast", country="UA",
            lat=49.71, lon=37.61)
SUDZHA = Place(id="gn:486816", name="Sudzha", geonameid=486816, admin1="Kursk Oblast", country="RU",
               lat=51.19, lon=35.27)
VILLAGE = Place(id="name:kurylivka", name="Kurylivka", country="UA")
OBLAST = Place(id="region:UA-63", name="Kharkiv Oblast", country="UA", feature_class="A")


def sc(i: int, status: str = "controls", controller: str | None = "RU", *, when: str | None = "2025-03-07",
       precision: str | None = "day", place: Place = KUP, side: str = "RU", doc: str = "d1",
       percent: float | None = None) -> StoredClaim:
    evidence = Span(10, 30, 'Kupiansk "liberated", it said')
    claim = Claim(claimant="Russian Defence Ministry", claimant_side=side, place=place,  # type: ignore[arg-type]
                  status=status, controller=controller, evidence=evidence,  # type: ignore[arg-type]
                  percent=percent, date=when, date_precision=precision, cue="said",  # type: ignore[arg-type]
                  confidence=0.9, extractor="rules", extractor_version="1")
    return StoredClaim(id=i, claim=claim, document_id=doc, outlet="TASS", outlet_side="RU",
                       published=date(2025, 3, 8), url="https://example.org/a")


CLAIMS = [
    sc(1),
    sc(2, "partial", "RU", percent=80, when="2025-03", precision="month"),
    sc(3, "denies", "RU", side="UA", doc="d2", place=VILLAGE),
    sc(4, "fighting", None, when="2025", precision="year", doc="d2", place=OBLAST),
    sc(5, "withdrew", "UA", side="UA", doc="d3", place=SUDZHA, when=None),
]


def run(fmt: str, claims=CLAIMS) -> tuple[str, object]:
    buf = io.StringIO()
    result = export(iter(claims), fmt, buf)
    return buf.getvalue(), result


def test_jsonl():
    text, result = run("jsonl")
    rows = [json.loads(line) for line in text.splitlines()]
    assert result.written == 5
    assert rows[0] == CLAIMS[0].to_dict()
    assert rows[1]["percent"] == 80


def test_csv():
    text, _ = run("csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 5
    assert rows[0]["place"] == "Kupiansk" and rows[0]["evidence"] == 'Kupiansk "liberated", it said'
    assert rows[0]["evidence_span"] == "10-30"
    assert rows[2]["lat"] == ""


def test_geojson_skips_places_without_coordinates():
    text, result = run("geojson")
    data = json.loads(text)
    assert data["type"] == "FeatureCollection"
    assert result.written == 3 and result.skipped == 2
    f = data["features"][0]
    assert f["type"] == "Feature"
    assert f["geometry"] == {"type": "Point", "coordinates": [37.61, 49.71]}
    assert "lat" not in f["properties"] and "lon" not in f["properties"]
    assert f["properties"]["status"] == "controls"


def test_geojson_empty():
    text, result = run("geojson", [])
    assert json.loads(text) == {"type": "FeatureCollection", "features": []}
    assert result.written == 0


def test_acled_columns_and_codes():
    text, _ = run("acled")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == ACLED_COLUMNS
    r = {row["event_id_cnty"]: row for row in rows}
    assert set(r) == {"CC-1", "CC-2", "CC-3", "CC-4", "CC-5"}
    one = r["CC-1"]
    assert (one["event_date"], one["year"], one["time_precision"]) == ("2025-03-07", "2025", "1")
    assert (one["event_type"], one["sub_event_type"]) == ("Battles", "Non-state actor overtakes territory")
    assert one["actor1"] == "Military Forces of Russia (2000-)"
    assert one["actor2"] == "Military Forces of Ukraine (2019-)"
    assert (one["country"], one["admin1"], one["location"]) == ("Ukraine", "Kharkiv Oblast", "Kupiansk")
    assert (one["latitude"], one["longitude"], one["geo_precision"]) == ("49.71", "37.61", "1")
    assert one["source"] == "TASS"
    assert one["notes"] == 'Russian Defence Ministry: Kupiansk "liberated", it said'
    assert (one["status"], one["claimant_side"]) == ("controls", "RU")
    assert (r["CC-2"]["event_date"], r["CC-2"]["time_precision"]) == ("2025-03-01", "2")
    assert (r["CC-3"]["event_type"], r["CC-3"]["sub_event_type"], r["CC-3"]["actor1"]) == \
        ("Strategic developments", "Other", "")
    assert r["CC-3"]["geo_precision"] == "2"
    assert (r["CC-4"]["event_date"], r["CC-4"]["time_precision"], r["CC-4"]["geo_precision"]) == \
        ("2025-01-01", "3", "3")
    assert (r["CC-4"]["sub_event_type"], r["CC-4"]["actor1"]) == ("Armed clash", "")
    # UA withdrew from Sudzha (in Russia): Russia's government regains it; date from publication
    five = r["CC-5"]
    assert (five["sub_event_type"], five["actor1"], five["country"]) == \
        ("Government regains territory", "Military Forces of Russia (2000-)", "Russia")
    assert five["event_date"] == "2025-03-08"


@pytest.mark.parametrize(("status", "controller", "country", "expected"), [
    ("fighting", None, "UA", ("Battles", "Armed clash", None)),
    ("encircled", "RU", "UA", ("Battles", "Armed clash", "RU")),
    ("controls", "UA", "UA", ("Battles", "Government regains territory", "UA")),
    ("controls", "RU", "UA", ("Battles", "Non-state actor overtakes territory", "RU")),
    ("partial", "RU", "UA", ("Battles", "Non-state actor overtakes territory", "RU")),
    ("withdrew", "RU", "UA", ("Battles", "Government regains territory", "UA")),
    ("controls", "UA", "RU", ("Battles", "Non-state actor overtakes territory", "UA")),
    ("denies", "RU", "UA", ("Strategic developments", "Other", None)),
])
def test_acled_event_mapping(status, controller, country, expected):
    assert acled_event(status, controller, country) == expected


def test_claims_json_one_object_per_document():
    text, result = run("claims-json")
    docs = [json.loads(line) for line in text.splitlines()]
    assert result.written == 3
    assert [d["id"] for d in docs] == ["d1", "d2", "d3"]
    d1 = docs[0]
    assert set(d1) >= {"id", "url", "outlet", "outlet_side", "published", "language", "places", "claims"}
    assert d1["published"] == "2025-03-08" and d1["outlet"] == "TASS"
    assert [p["name"] for p in d1["places"]] == ["Kupiansk"]
    assert len(d1["claims"]) == 2
    c = d1["claims"][1]
    assert (c["place"], c["geonameid"], c["status"], c["controller"], c["percent"], c["claimant_side"]) == \
        ("Kupiansk", 703656, "partial", "RU", 80, "RU")
    assert c["evidence"] == 'Kupiansk "liberated", it said'


def test_claims_json_refuses_scattered_documents():
    with pytest.raises(ExportError, match="not together"):
        run("claims-json", [CLAIMS[0], CLAIMS[2], CLAIMS[1]])


def test_unknown_format():
    with pytest.raises(ExportError, match="unknown export format"):
        run("xml")


def test_claims_by_document_from_a_store(tmp_path):
    store = Store(str(tmp_path / "cc.db"))
    items = []
    for n, when in enumerate(["2025-03-09", "2025-03-01"]):
        doc = Document(text=f"text {n}", id=f"doc{n}", outlet="TASS", published=date(2025, 3, 10))
        claims = tuple(
            Claim(claimant="MoD", claimant_side="RU", place=p, status="controls", controller="RU",
                  evidence=Span(0, 4, "text"), date=d)
            for p, d in ((KUP, when), (SUDZHA, "2025-03-05")))
        items.append((Analysis(document=doc, claims=claims, outlet="TASS", outlet_side="RU"), None))
    store.add_many(items)
    # in date order the two documents' claims interleave; by document they do not
    assert [c.document_id for c in store.iter_claims()] == ["doc1", "doc0", "doc1", "doc0"]
    grouped = list(iter_claims_by_document(store))
    assert sorted(c.document_id for c in grouped[:2]) == [grouped[0].document_id] * 2
    buf = io.StringIO()
    assert export(grouped, "claims-json", buf).written == 2
    only_kup = list(iter_claims_by_document(store, ClaimFilter(place=KUP.id)))
    assert len(only_kup) == 2 and {c.claim.place.name for c in only_kup} == {"Kupiansk"}
    store.close()
