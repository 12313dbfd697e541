"""Shared, cheap fixtures: a fake pipeline for CLI logic, a tiny gold directory, a
private gazetteer cache."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from counterclaim.models import Analysis, Claim, Document, Place, PlaceMention, Span

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
SCORE_PY = REPO.parent / "shared" / "eval" / "score.py"
DEV_DIR = REPO.parent / "shared" / "eval" / "dev"

KUPIANSK = Place(id="gn:703656", name="Kupiansk", geonameid=703656, admin1="Kharkiv Oblast", country="UA",
                 lat=49.71, lon=37.61)


class FakePipeline:
    """Finds "Kupiansk" and claims RU control of it for every text that names it; raises on
    texts containing BOOM. Records the documents it saw."""

    def __init__(self) -> None:
        self.seen: list[Document] = []
        self.loads = 0  # how many times the CLI asked for the default pipeline

    def analyze_document(self, doc: Document) -> Analysis:
        self.seen.append(doc)
        if "BOOM" in doc.text:
            raise RuntimeError("kaboom")
        i = doc.text.find("Kupiansk")
        if i < 0:
            return Analysis(document=doc)
        span = Span(i, i + 8, "Kupiansk")
        mention = PlaceMention(i, i + 8, "Kupiansk", KUPIANSK)
        claim = Claim(claimant="Russian Defense Ministry", claimant_side="RU", place=KUPIANSK,
                      status="controls", controller="RU", evidence=span, date="2025-03-03",
                      date_precision="day", cue="said", confidence=0.9)
        return Analysis(document=doc, places=(mention,), claims=(claim,), outlet="TASS", outlet_side="RU")


@pytest.fixture
def fake_pipeline(monkeypatch):
    """Replace the default pipeline by a FakePipeline; yields the (single) instance."""
    import counterclaim.pipeline as pipeline_module

    fake = FakePipeline()

    def factory():
        fake.loads += 1
        return fake

    monkeypatch.setattr(pipeline_module, "default_pipeline", factory)
    return fake


@pytest.fixture
def gold_dir(tmp_path):
    """Two articles with gold annotations; FakePipeline gets a1 right and a2 half wrong."""
    d = tmp_path / "gold"
    d.mkdir()
    (d / "a1.txt").write_text("date: 2025-03-03\nThe ministry said Kupiansk was taken.\n", encoding="utf-8")
    (d / "a1.json").write_text(json.dumps({
        "id": "a1",
        "places": [{"name": "Kupiansk", "geonameid": 703656}],
        "claims": [{"claimant": "Russian Defence Ministry", "claimant_side": "RU", "place": "Kupiansk",
                    "geonameid": 703656, "status": "controls", "controller": "RU", "date": "2025-03"}],
    }), encoding="utf-8")
    (d / "a2.txt").write_text("Fighting near Kupiansk and Kucherivka, Kyiv said.\n", encoding="utf-8")
    (d / "a2.json").write_text(json.dumps({
        "id": "a2",
        "places": [{"name": "Kupiansk", "geonameid": 703656}, {"name": "Kucherivka", "geonameid": None}],
        "claims": [
            {"claimant": "Kyiv", "claimant_side": "UA", "place": "Kupiansk", "geonameid": 703656,
             "status": "fighting", "controller": None, "date": None},
            {"claimant": "Kyiv", "claimant_side": "UA", "place": "Kucherivka", "geonameid": None,
             "status": "fighting", "controller": None, "date": None},
        ],
    }), encoding="utf-8")
    return d


@pytest.fixture
def tmp_cache(tmp_path, monkeypatch):
    """A private gazetteer cache dir (COUNTERCLAIM_CACHE_DIR) seeded with the built index."""
    from counterclaim import gazetteer as gz
    from counterclaim.config import settings

    gz.Gazetteer.load()  # make sure the shared index exists
    src = settings().cache_dir / gz.INDEX_FILE
    cache = tmp_path / "cache"
    cache.mkdir()
    if src.exists():
        shutil.copy(src, cache / gz.INDEX_FILE)
    monkeypatch.setenv("COUNTERCLAIM_CACHE_DIR", str(cache))
    yield cache
    gz.Gazetteer._instances.pop(str(cache), None)


# --------------------------------------------------------------------------- stores
def _postgres_server() -> str | None:
    import os

    return os.environ.get("COUNTERCLAIM_TEST_PG")


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh database on the PostgreSQL server named by $COUNTERCLAIM_TEST_PG (which
    `.ci/start-postgres.sh` starts); dropped at the end. Skips, visibly, only off CI."""
    import os
    import uuid

    server = _postgres_server()
    if not server:
        if os.environ.get("CI"):
            pytest.fail("COUNTERCLAIM_TEST_PG is not set in CI: .ci/run must start PostgreSQL")
        pytest.skip("no PostgreSQL server: run `export COUNTERCLAIM_TEST_PG=$(bash .ci/start-postgres.sh)`")
    import psycopg

    name = f"cc_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = server.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def store_url_postgres(postgres_url):
    """The session's PostgreSQL database, emptied for this test."""
    from counterclaim.store import Store, metadata

    with Store(postgres_url, migrate=False) as s, s.engine.begin() as conn:
        metadata.drop_all(conn)
    return postgres_url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A store URL of each backend: a SQLite file, and a database on a real PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("store_url_postgres")
