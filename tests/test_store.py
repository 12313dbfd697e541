"""The store on both backends: schema and migrations, idempotent and transactional writes,
filters, full-text search, re-analysis, and ingest runs."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace

import pytest

from counterclaim import Pipeline
from counterclaim.errors import InputError
from counterclaim.ingest import ingest, reanalyze
from counterclaim.models import Document
from counterclaim.store import SCHEMA_VERSION, ClaimFilter, Store, StoreError, normalise_url

ARTICLES = {
    "tass": ("date: 2025-02-07\noutlet: TASS\n\nMOSCOW, February 7. /TASS/. Russian troops have fully "
             "liberated Toretsk, the Russian Defence Ministry said on Friday."),
    "ukrinform": ("date: 2025-02-08\noutlet: Ukrinform\n\nThe General Staff of Ukraine's armed forces denied "
                  "that Toretsk had been captured. Fighting continues in the city, it said."),
    "isw": ("date: 2025-03-10\noutlet: Institute for the Study of War\n\nThe ISW said Russian forces control "
            "about 60 percent of Chasiv Yar."),
}


@pytest.fixture(scope="module")
def pipeline():
    return Pipeline()


@pytest.fixture(scope="module")
def analyses(pipeline):
    return {k: pipeline.analyze(v) for k, v in ARTICLES.items()}


@pytest.fixture
def store(store_url):
    s = Store(store_url)
    yield s
    s.close()


def test_migrate_creates_the_schema_once(store):
    assert store.version() == SCHEMA_VERSION
    assert store.migrate() == SCHEMA_VERSION  # a second run changes nothing
    for table in ("documents", "outlets", "actors", "places", "claims", "runs", "failures"):
        assert store.count(table) == 0


def test_a_newer_schema_is_refused(store):
    from counterclaim.store import schema_version

    with store.engine.begin() as conn:
        conn.execute(schema_version.insert().values(version=SCHEMA_VERSION + 1))
    with pytest.raises(StoreError, match="newer than this counterclaim"):
        store.migrate()


def test_adding_is_idempotent(store, analyses):
    items = [(a, k) for k, a in analyses.items()]
    assert store.add_many(items) == [True, True, True]
    assert store.add_many(items) == [False, False, False]
    assert store.count("documents") == 3
    assert store.count("claims") == sum(len(a.claims) for a in analyses.values())
    assert store.count("outlets") == 3


def test_claims_round_trip(store, analyses):
    store.add(analyses["isw"], source="isw.txt")
    (sc,) = [c for c in store.claims() if c.claim.status == "partial"]
    original = next(c for c in analyses["isw"].claims if c.status == "partial")
    assert sc.claim.place.id == original.place.id and sc.claim.place.lat == original.place.lat
    assert (sc.claim.percent, sc.claim.controller, sc.claim.claimant_side) == (60.0, "RU", "OTHER")
    assert sc.claim.evidence == original.evidence
    assert sc.claim.extractor_version == original.extractor_version
    assert sc.outlet == "Institute for the Study of War" and str(sc.published) == "2025-03-10"


@pytest.mark.parametrize(
    ("flt", "expect"),
    [
        (ClaimFilter(place="Toretsk"), {"tass", "ukrinform"}),
        (ClaimFilter(place="toretsk"), {"tass", "ukrinform"}),
        (ClaimFilter(place="709354"), {"tass", "ukrinform"}),  # GeoNames id
        (ClaimFilter(side="UA"), {"ukrinform"}),
        (ClaimFilter(status="denies"), {"ukrinform"}),
        (ClaimFilter(outlet="tass"), {"tass"}),
        (ClaimFilter(since="2025-03-01"), {"isw"}),
        (ClaimFilter(until="2025-02"), {"tass", "ukrinform"}),  # a month bound takes the whole month
        (ClaimFilter(text="percent"), {"isw"}),
        (ClaimFilter(place="Nowhere"), set()),
    ],
)
def test_claim_filters(store, analyses, flt, expect):
    store.add_many([(a, k) for k, a in analyses.items()])
    by_doc = {a.document.id: k for k, a in analyses.items()}
    assert {by_doc[c.document_id] for c in store.claims(flt)} == expect


def test_full_text_search(store, analyses):
    store.add_many([(a, k) for k, a in analyses.items()])
    found = store.search("Chasiv Yar")
    assert [r["id"] for r in found] == [analyses["isw"].document.id]
    assert store.search("liberated Toretsk")[0]["id"] == analyses["tass"].document.id
    assert store.search('"; DROP TABLE documents; --') == []  # query syntax is never interpreted
    assert store.count("documents") == 3


def test_a_failing_batch_leaves_nothing(store, analyses):
    good = analyses["tass"]
    bad_claim = replace(analyses["isw"].claims[0], status=None)  # violates NOT NULL
    bad = replace(analyses["isw"], claims=(bad_claim,))
    with pytest.raises(StoreError):
        store.add_many([(good, "tass"), (bad, "isw")])
    assert store.count("documents") == 0 and store.count("claims") == 0
    assert store.add(good) is True  # the store still works after the rollback


def test_reanalyze_replaces_claims_and_records_the_version(store, analyses, pipeline):
    store.add(analyses["tass"])
    with store.engine.begin() as conn:  # pretend an older extractor produced them
        from counterclaim.store import claims, documents

        conn.execute(documents.update().values(extractor_version="0.0.1"))
        conn.execute(claims.update().values(extractor_version="0.0.1"))
    docs, n = reanalyze(store, pipeline)
    assert docs == 1 and n == len(analyses["tass"].claims)
    versions = {c.claim.extractor_version for c in store.claims()}
    assert versions == {analyses["tass"].claims[0].extractor_version}
    assert reanalyze(store, pipeline) == (0, 0)  # nothing older is left


def test_sqlite_file_opens_in_other_tools(tmp_path, analyses):
    path = tmp_path / "cc.db"
    with Store(str(path)) as s:
        s.add(analyses["tass"])
    con = sqlite3.connect(path)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"documents", "claims", "places", "outlets", "actors", "runs"} <= tables
    joined = con.execute("SELECT count(*) FROM claims JOIN places ON places.id = claims.place_id")
    assert joined.fetchone()[0] > 0


@pytest.mark.parametrize(
    ("given", "url"),
    [
        ("counterclaim.db", "sqlite:///counterclaim.db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_store_urls(given, url):
    assert normalise_url(given) == url


def test_unreachable_store_is_a_clear_error():
    with pytest.raises(StoreError, match="cannot"):
        Store("postgresql://nobody@127.0.0.1:1/none")


@dataclass
class Item:
    name: str
    document: Document | None
    error: InputError | None = None


def test_ingest_counts_new_duplicates_and_failures(store, pipeline):
    docs = [Document(text=t) for t in ARTICLES.values()]
    items = [Item(f"doc{i}", replace(d, id=Document.content_id(d.text))) for i, d in enumerate(docs)]
    items.insert(1, Item("broken.txt", None, InputError("broken.txt", "empty file")))
    items.append(items[0])  # the same text twice in one run
    first = ingest(items, store, pipeline, batch_size=2)
    assert (first.new, first.duplicates, first.failed) == (3, 1, 1)
    assert first.errors == [("broken.txt", "empty file")]
    again = ingest(items, store, pipeline)
    assert (again.new, again.duplicates, again.failed) == (0, 4, 1)
    assert store.count("documents") == 3
    assert [f["source"] for f in store.failures(first.run_id)] == ["broken.txt"]
    runs = store.runs()
    assert [r["new"] for r in runs] == [3, 0] and all(r["finished_at"] for r in runs)


def test_a_version_1_store_is_migrated(tmp_path, analyses):
    """A store written before claims.dated existed gets the column, filled, and its indexes."""
    path = tmp_path / "v1.db"
    with Store(str(path)) as s:
        s.add_many([(a, k) for k, a in analyses.items()])
    con = sqlite3.connect(path)  # make it look like version 1
    for ix in ("ix_claims_dated", "ix_claims_place_dated", "ix_claims_place_document"):
        con.execute(f"DROP INDEX {ix}")
    con.execute("ALTER TABLE claims DROP COLUMN dated")
    con.execute("DELETE FROM schema_version WHERE version > 1")
    con.commit()
    con.close()
    with Store(str(path)) as s:
        assert s.version() == SCHEMA_VERSION
        assert len(s.claims(ClaimFilter(since="2025-03-01"))) == len(analyses["isw"].claims)
        with s.engine.connect() as conn:
            from sqlalchemy import text

            assert conn.execute(text("SELECT count(*) FROM claims WHERE dated IS NULL")).scalar() == 0
            names = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='index'"))}
    assert {"ix_claims_dated", "ix_claims_place_dated", "ix_claims_place_document"} <= names
