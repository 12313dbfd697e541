"""The store: documents, outlets, actors, places, claims and runs (SQLAlchemy Core).

One schema for SQLite (the default, a plain file other tools open: datasette, DuckDB) and
PostgreSQL (for teams). The schema is versioned: `Store.migrate()` applies the pending
steps of `MIGRATIONS` in order and records the version in `schema_version`.

Writes are idempotent and transactional: a document's id is the hash of its text, a
document and all its rows are written in one transaction, and a document already stored
is skipped. A process killed at any point leaves either the whole document or nothing.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    create_engine,
    event,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from .claims import analysis_version
from .config import settings
from .errors import StoreError
from .models import Analysis, Claim, Document, Place, Span, StoredClaim

metadata = MetaData()

schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))

outlets = Table(
    "outlets", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(300), nullable=False, unique=True),
    Column("side", String(8), nullable=False, default="UNKNOWN"),
)

actors = Table(
    "actors", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(500), nullable=False),
    Column("side", String(8), nullable=False),
    UniqueConstraint("name", "side", name="uq_actors_name_side"),
)

places = Table(
    "places", metadata,
    Column("id", String(120), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("geonameid", Integer),
    Column("admin1", String(120)),
    Column("country", String(2)),
    Column("lat", Float),
    Column("lon", Float),
    Column("population", Integer),
    Column("feature_class", String(1)),
)

runs = Table(
    "runs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("command", Text),
    Column("started_at", DateTime),
    Column("finished_at", DateTime),
    Column("extractor", String(60)),
    Column("extractor_version", String(30)),
    Column("new", Integer, default=0),
    Column("duplicates", Integer, default=0),
    Column("failed", Integer, default=0),
)

documents = Table(
    "documents", metadata,
    Column("id", String(64), primary_key=True),
    Column("url", Text),
    Column("outlet_id", Integer, ForeignKey("outlets.id")),
    Column("outlet_side", String(8), nullable=False, default="UNKNOWN"),
    Column("published", Date),
    Column("language", String(8)),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("source", Text),
    Column("run_id", Integer, ForeignKey("runs.id")),
    Column("ingested_at", DateTime),
    Column("extractor_version", String(30)),
)
Index("ix_documents_published", documents.c.published)

claims = Table(
    "claims", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id")),
    Column("actor_id", Integer, ForeignKey("actors.id")),
    Column("claimant", Text, nullable=False),
    Column("claimant_side", String(8), nullable=False),
    Column("place_id", String(120), ForeignKey("places.id"), nullable=False),
    Column("status", String(12), nullable=False),
    Column("controller", String(8)),
    Column("percent", Float),
    Column("date", String(10)),
    Column("date_precision", String(5)),
    Column("dated", String(10)),  # the claim's date, else its document's publication date
    Column("evidence_start", Integer),
    Column("evidence_end", Integer),
    Column("evidence", Text),
    Column("cue", Text),
    Column("confidence", Float),
    Column("extractor", String(60)),
    Column("extractor_version", String(30)),
)
Index("ix_claims_document", claims.c.document_id)
Index("ix_claims_place_date", claims.c.place_id, claims.c.date)
Index("ix_claims_status", claims.c.status)

failures = Table(
    "failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id")),
    Column("source", Text, nullable=False),
    Column("error", Text, nullable=False),
    Column("at", DateTime),
)


def _v1(conn: Connection) -> None:
    metadata.create_all(conn, tables=[outlets, actors, places, runs, documents, claims, failures])
    if conn.dialect.name == "sqlite":
        conn.execute(text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(doc_id UNINDEXED, title, text)"))
    elif conn.dialect.name == "postgresql":
        conn.execute(text(
            "ALTER TABLE documents ADD COLUMN IF NOT EXISTS tsv tsvector GENERATED ALWAYS AS "
            "(to_tsvector('simple', coalesce(title, '') || ' ' || text)) STORED"))
        conn.execute(text("CREATE INDEX IF NOT EXISTS ix_documents_tsv ON documents USING gin (tsv)"))


def _v2(conn: Connection) -> None:
    """claims.dated (claim date, else publication date) with the indexes that date and place
    queries use."""
    from sqlalchemy import inspect

    if "dated" not in {c["name"] for c in inspect(conn).get_columns("claims")}:
        conn.execute(text("ALTER TABLE claims ADD COLUMN dated VARCHAR(10)"))
    conn.execute(text(
        "UPDATE claims SET dated = COALESCE(date, (SELECT SUBSTR(CAST(d.published AS VARCHAR(10)), 1, 10) "
        "FROM documents d WHERE d.id = claims.document_id)) WHERE dated IS NULL"))
    for name, cols in (("ix_claims_dated", "dated, id"), ("ix_claims_place_dated", "place_id, dated"),
                       ("ix_claims_place_document", "place_id, document_id")):
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON claims ({cols})"))


#: Schema steps in order; version N is MIGRATIONS[N - 1]. Append, never edit.
MIGRATIONS: list[Callable[[Connection], None]] = [_v1, _v2]
SCHEMA_VERSION = len(MIGRATIONS)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True, slots=True)
class ClaimFilter:
    """What `Store.claims` selects; every field is optional."""

    place: str | None = None  # place id, GeoNames id or name (any case)
    side: str | None = None  # claimant side
    status: str | None = None
    outlet: str | None = None
    since: str | None = None  # ISO date, inclusive (claim date, else publication date)
    until: str | None = None
    text: str | None = None  # words in the evidence
    document_id: str | None = None


class Store:
    """A connection to a counterclaim database (see module docstring)."""

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = normalise_url(url or settings().db)
        try:
            self.engine: Engine = create_engine(self.url, future=True)
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise StoreError(f"cannot open store {self.url!r}: {exc}") from exc
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._ids: dict[tuple[str, Any], int] = {}
        self._known_places: set[str] = set()
        if migrate:
            self.migrate()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- schema ---------------------------------------------------------------
    def version(self) -> int:
        with self.engine.connect() as conn:
            if not self.engine.dialect.has_table(conn, "schema_version"):
                return 0
            return conn.execute(select(func.max(schema_version.c.version))).scalar() or 0

    def migrate(self) -> int:
        """Apply pending schema steps; returns the version now in force."""
        try:
            with self.engine.begin() as conn:
                if self.dialect == "postgresql":  # one migrator at a time
                    conn.execute(text("SELECT pg_advisory_xact_lock(4242)"))
                metadata.create_all(conn, tables=[schema_version])
                current = conn.execute(select(func.max(schema_version.c.version))).scalar() or 0
                if current > SCHEMA_VERSION:
                    raise StoreError(
                        f"store {self.url!r} has schema version {current}, newer than this "
                        f"counterclaim ({SCHEMA_VERSION}); upgrade counterclaim")
                for version in range(current + 1, SCHEMA_VERSION + 1):
                    MIGRATIONS[version - 1](conn)
                    conn.execute(schema_version.insert().values(version=version))
            return SCHEMA_VERSION
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot migrate store {self.url!r}: {exc}") from exc

    # ---- runs -----------------------------------------------------------------
    def start_run(self, command: str, extractor: str = "", version: str = "") -> int:
        with self.engine.begin() as conn:
            res = conn.execute(runs.insert().values(
                command=command, started_at=_now(), extractor=extractor, extractor_version=version,
                new=0, duplicates=0, failed=0))
            return int(res.inserted_primary_key[0])

    def finish_run(self, run_id: int, *, new: int, duplicates: int, failed: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(runs.update().where(runs.c.id == run_id).values(
                finished_at=_now(), new=new, duplicates=duplicates, failed=failed))

    def record_failure(self, run_id: int | None, source: str, error: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(failures.insert().values(run_id=run_id, source=source, error=error, at=_now()))

    def runs(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(runs).order_by(runs.c.id)).mappings().all()
        return [dict(r) for r in rows]

    def failures(self, run_id: int | None = None) -> list[dict[str, Any]]:
        q = select(failures).order_by(failures.c.id)
        if run_id is not None:
            q = q.where(failures.c.run_id == run_id)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings().all()]

    # ---- writing ----------------------------------------------------------------
    def run_totals(self, run_id: int) -> tuple[int, int]:
        """(documents, claims) stored by run `run_id`, whichever process wrote them."""
        with self.engine.connect() as conn:
            docs = conn.execute(select(func.count()).select_from(documents)
                                .where(documents.c.run_id == run_id)).scalar()
            n = conn.execute(select(func.count()).select_from(claims)
                             .where(claims.c.run_id == run_id)).scalar()
        return int(docs or 0), int(n or 0)

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these document ids are stored already."""
        with self.engine.connect() as conn:
            return self._stored_ids(conn, list(ids))

    def add(self, analysis: Analysis, *, source: str | None = None, run_id: int | None = None) -> bool:
        """Store one analysed document; False when it was stored already."""
        return self.add_many([(analysis, source)], run_id=run_id)[0]

    def add_many(self, items: Sequence[tuple[Analysis, str | None]], *, run_id: int | None = None
                 ) -> list[bool]:
        """Store analysed documents in one transaction; for each, whether it was new."""
        for attempt in range(_WRITE_ATTEMPTS):
            out: list[bool] = []
            try:
                with self.engine.begin() as conn:
                    stored = self._stored_ids(conn, [_doc_id(a.document) for a, _ in items])
                    rows: list[dict[str, Any]] = []
                    for analysis, source in items:
                        doc_id = _doc_id(analysis.document)
                        new = doc_id not in stored and self._add(conn, analysis, doc_id, source, run_id)
                        if new:
                            stored.add(doc_id)
                            rows += self._claim_rows(conn, doc_id, analysis.claims, run_id,
                                                     analysis.document.published)
                        out.append(new)
                    if rows:  # one multi-row insert for the batch's claims
                        conn.execute(claims.insert(), rows)
                return out
            except SQLAlchemyError as exc:
                self._ids.clear()
                self._known_places.clear()
                if attempt + 1 < _WRITE_ATTEMPTS and _is_transient(exc):
                    time.sleep(0.05 * 2**attempt)  # another writer's transaction got in the way
                    continue
                raise StoreError(f"cannot write to store {self.url!r}: {exc}") from exc
        raise AssertionError("unreachable")

    @staticmethod
    def _stored_ids(conn: Connection, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            found.update(conn.execute(select(documents.c.id).where(documents.c.id.in_(chunk))).scalars())
        return found

    def _add(self, conn: Connection, analysis: Analysis, doc_id: str, source: str | None,
             run_id: int | None) -> bool:
        """Insert the document (not its claims); False when another writer stored it first."""
        doc = analysis.document
        outlet_name, outlet_side = analysis.stored_outlet
        outlet_id = self._outlet_id(conn, outlet_name, outlet_side) if outlet_name else None
        version = analysis_version(analysis)
        # another writer (a worker of a distributed run) may store the same text meanwhile:
        # the insert then does nothing and the document counts as a duplicate
        inserted = conn.execute(_insert_ignore(conn, documents).values(
            id=doc_id, url=doc.url, outlet_id=outlet_id, outlet_side=outlet_side,
            published=doc.published, language=doc.language, title=doc.title, text=doc.text,
            source=source, run_id=run_id, ingested_at=_now(), extractor_version=version))
        if inserted.rowcount == 0:
            return False
        if self.dialect == "sqlite":
            conn.execute(text("INSERT INTO documents_fts (doc_id, title, text) VALUES (:d, :t, :x)"),
                         {"d": doc_id, "t": doc.title or "", "x": doc.text})
        return True

    def _insert_claims(self, conn: Connection, doc_id: str, items: Sequence[Claim], run_id: int | None,
                       published: date | None) -> None:
        rows = self._claim_rows(conn, doc_id, items, run_id, published)
        if rows:
            conn.execute(claims.insert(), rows)

    def _claim_rows(self, conn: Connection, doc_id: str, items: Sequence[Claim], run_id: int | None,
                    published: date | None) -> list[dict[str, Any]]:
        """The rows of a document's claims (their places and actors are stored on the way)."""
        rows = []
        for c in items:
            self._place(conn, c.place)
            rows.append({
                "document_id": doc_id, "run_id": run_id,
                "actor_id": self._actor_id(conn, c.claimant, c.claimant_side),
                "claimant": c.claimant, "claimant_side": c.claimant_side, "place_id": c.place.id,
                "status": c.status, "controller": c.controller, "percent": c.percent,
                "date": c.date, "date_precision": c.date_precision,
                "dated": c.date or (published.isoformat() if published else None),
                "evidence_start": c.evidence.start, "evidence_end": c.evidence.end,
                "evidence": c.evidence.text, "cue": c.cue, "confidence": c.confidence,
                "extractor": c.extractor, "extractor_version": c.extractor_version,
            })
        return rows

    def replace_claims(self, analysis: Analysis, *, run_id: int | None = None) -> int:
        """Re-analysis: the document's claims become those of `analysis` (a newer extractor)."""
        doc_id = analysis.document.id
        try:
            with self.engine.begin() as conn:
                conn.execute(claims.delete().where(claims.c.document_id == doc_id))
                self._insert_claims(conn, doc_id, analysis.claims, run_id, analysis.document.published)
                version = analysis_version(analysis)
                conn.execute(documents.update().where(documents.c.id == doc_id).values(
                    extractor_version=version))
        except SQLAlchemyError as exc:
            self._ids.clear()
            self._known_places.clear()
            raise StoreError(f"cannot write to store {self.url!r}: {exc}") from exc
        return len(analysis.claims)

    def _get_or_create(self, conn: Connection, table: Table, key: dict[str, Any],
                       extra: dict[str, Any]) -> int:
        cache_key = (table.name, tuple(sorted(key.items())))
        if cache_key in self._ids:
            return self._ids[cache_key]
        where = and_(*(table.c[k] == v for k, v in key.items()))
        found = conn.execute(select(table.c.id).where(where)).scalar()
        if found is None:
            conn.execute(_insert_ignore(conn, table).values(**key, **extra))
            found = conn.execute(select(table.c.id).where(where)).scalar()
        self._ids[cache_key] = int(found)
        return int(found)

    def _outlet_id(self, conn: Connection, name: str, side: str) -> int:
        return self._get_or_create(conn, outlets, {"name": name[:300]}, {"side": side})

    def _actor_id(self, conn: Connection, name: str, side: str) -> int:
        return self._get_or_create(conn, actors, {"name": name[:500], "side": side}, {})

    def _place(self, conn: Connection, p: Place) -> None:
        if p.id in self._known_places:
            return
        conn.execute(_insert_ignore(conn, places).values(
            id=p.id, name=p.name, geonameid=p.geonameid, admin1=p.admin1, country=p.country,
            lat=p.lat, lon=p.lon, population=p.population, feature_class=p.feature_class))
        self._known_places.add(p.id)

    # ---- reading ------------------------------------------------------------------
    def count(self, table: str) -> int:
        t = metadata.tables[table]
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)

    def resolve_place(self, name: str) -> list[Place]:
        """Stored places matching an id, a GeoNames id or a name (case-insensitive)."""
        q = select(places)
        if name.isdigit():
            q = q.where(places.c.geonameid == int(name))
        elif ":" in name:
            q = q.where(places.c.id == name)
        else:
            q = q.where(func.lower(places.c.name) == name.lower())
        with self.engine.connect() as conn:
            return [_place(r) for r in conn.execute(q).mappings().all()]

    def claims(self, flt: ClaimFilter | None = None, *, limit: int | None = None, offset: int = 0
               ) -> list[StoredClaim]:
        """Stored claims matching the filter, oldest first (by claim date, then id)."""
        return list(self.iter_claims(flt, limit=limit, offset=offset))

    def claim_conditions(self, flt: ClaimFilter) -> list[Any]:
        """The WHERE conditions of a filter (over claims, documents and outlets)."""
        conds: list[Any] = []
        if flt.place:
            ids = [p.id for p in self.resolve_place(flt.place)]
            conds.append(claims.c.place_id.in_(ids or ["-"]))
        if flt.side:
            conds.append(claims.c.claimant_side == flt.side.upper())
        if flt.status:
            conds.append(claims.c.status == flt.status.lower())
        if flt.outlet:
            conds.append(func.lower(outlets.c.name) == flt.outlet.lower())
        if flt.since:
            # a claim dated only to the month (or year) overlaps a bound inside it
            conds.append(or_(claims.c.dated >= flt.since, claims.c.dated == flt.since[:7],
                             claims.c.dated == flt.since[:4]))
        if flt.until:
            # "2025-03" as an upper bound includes the whole of March
            conds.append(claims.c.dated <= flt.until + "~")
        if flt.text:
            for word in flt.text.split():
                conds.append(func.lower(claims.c.evidence).like(f"%{word.lower()}%"))
        if flt.document_id:
            conds.append(claims.c.document_id == flt.document_id)
        return conds

    def _claims_query(self):
        j = claims.join(documents, claims.c.document_id == documents.c.id) \
            .join(places, claims.c.place_id == places.c.id) \
            .outerjoin(outlets, documents.c.outlet_id == outlets.c.id)
        return select(claims, documents.c.published, documents.c.url, documents.c.outlet_side,
                      outlets.c.name.label("outlet_name"), places.c.name.label("place_name"),
                      places.c.geonameid, places.c.admin1, places.c.country, places.c.lat, places.c.lon,
                      places.c.population, places.c.feature_class).select_from(j)

    def iter_claims(self, flt: ClaimFilter | None = None, *, limit: int | None = None, offset: int = 0
                    ) -> Iterator[StoredClaim]:
        flt = flt or ClaimFilter()
        q = self._claims_query()
        conds = self.claim_conditions(flt)
        if conds:
            q = q.where(and_(*conds))
        q = q.order_by(claims.c.dated, claims.c.id).offset(offset)
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            for r in conn.execute(q).mappings():
                yield _stored_claim(r)

    def count_claims(self, flt: ClaimFilter | None = None) -> int:
        """How many claims `claims(flt)` returns."""
        flt = flt or ClaimFilter()
        j = claims
        if flt.outlet:
            j = claims.join(documents, claims.c.document_id == documents.c.id) \
                .outerjoin(outlets, documents.c.outlet_id == outlets.c.id)
        q = select(func.count(claims.c.id)).select_from(j)
        conds = self.claim_conditions(flt)
        if conds:
            q = q.where(and_(*conds))
        with self.engine.connect() as conn:
            return int(conn.execute(q).scalar() or 0)

    def claims_by_id(self, ids: Iterable[int]) -> list[StoredClaim]:
        """The stored claims with these ids (in id order)."""
        ids = sorted(set(ids))
        out: list[StoredClaim] = []
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):
                q = self._claims_query().where(claims.c.id.in_(ids[i : i + 500])).order_by(claims.c.id)
                out.extend(_stored_claim(r) for r in conn.execute(q).mappings())
        return out

    def documents(self, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Document metadata, newest first (no text)."""
        q = select(documents.c.id, documents.c.url, documents.c.published, documents.c.title,
                   documents.c.outlet_side, documents.c.source, documents.c.extractor_version,
                   outlets.c.name.label("outlet")) \
            .select_from(documents.outerjoin(outlets, documents.c.outlet_id == outlets.c.id)) \
            .order_by(documents.c.published.desc(), documents.c.id).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings().all()]

    def document(self, doc_id: str) -> Document | None:
        q = select(documents, outlets.c.name.label("outlet_name")) \
            .select_from(documents.outerjoin(outlets, documents.c.outlet_id == outlets.c.id)) \
            .where(documents.c.id == doc_id)
        with self.engine.connect() as conn:
            r = conn.execute(q).mappings().first()
        if r is None:
            return None
        return Document(text=r["text"], id=r["id"], url=r["url"], outlet=r["outlet_name"],
                        outlet_side=r["outlet_side"], published=r["published"],
                        language=r["language"] or "en", title=r["title"])

    def iter_documents(self, *, batch: int = 200, not_version: str | None = None) -> Iterator[Document]:
        """Every stored document, in id order, a batch at a time (for re-analysis); with
        `not_version`, only those whose claims another extractor version produced."""
        last = ""
        while True:
            q = select(documents, outlets.c.name.label("outlet_name")) \
                .select_from(documents.outerjoin(outlets, documents.c.outlet_id == outlets.c.id)) \
                .where(documents.c.id > last).order_by(documents.c.id).limit(batch)
            if not_version is not None:
                q = q.where(or_(documents.c.extractor_version.is_(None),
                                documents.c.extractor_version != not_version))
            with self.engine.connect() as conn:
                rows = conn.execute(q).mappings().all()
            if not rows:
                return
            for r in rows:
                yield Document(text=r["text"], id=r["id"], url=r["url"], outlet=r["outlet_name"],
                               outlet_side=r["outlet_side"], published=r["published"],
                               language=r["language"] or "en", title=r["title"])
            last = rows[-1]["id"]

    def document_versions(self) -> dict[str, int]:
        """How many documents each extractor version produced the claims of."""
        q = select(documents.c.extractor_version, func.count()).group_by(documents.c.extractor_version)
        with self.engine.connect() as conn:
            return {str(v): int(n) for v, n in conn.execute(q).all()}

    def places_summary(self) -> list[dict[str, Any]]:
        """Every place with claims, with its number of claims and documents."""
        q = select(places, func.count(claims.c.id).label("claims"),
                   func.count(func.distinct(claims.c.document_id)).label("documents")) \
            .select_from(places.join(claims, claims.c.place_id == places.c.id)) \
            .group_by(*places.c).order_by(func.count(claims.c.id).desc(), places.c.name)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings().all()]

    def search(self, query: str, *, limit: int = 20) -> list[dict[str, Any]]:
        """Full-text search over document titles and texts, best matches first."""
        words = re.findall(r"\w+", query)
        if not words:
            return []
        with self.engine.connect() as conn:
            if self.dialect == "sqlite":
                match = " ".join('"' + w.replace('"', "") + '"' for w in words)
                ids = conn.execute(text(
                    "SELECT doc_id FROM documents_fts WHERE documents_fts MATCH :q ORDER BY rank LIMIT :n"),
                    {"q": match, "n": limit}).scalars().all()
            else:
                ids = conn.execute(text(
                    "SELECT id FROM documents WHERE tsv @@ plainto_tsquery('simple', :q) "
                    "ORDER BY ts_rank(tsv, plainto_tsquery('simple', :q)) DESC LIMIT :n"),
                    {"q": " ".join(words), "n": limit}).scalars().all()
            if not ids:
                return []
            rows = conn.execute(
                select(documents.c.id, documents.c.title, documents.c.url, documents.c.published,
                       outlets.c.name.label("outlet"))
                .select_from(documents.outerjoin(outlets, documents.c.outlet_id == outlets.c.id))
                .where(documents.c.id.in_(ids))).mappings().all()
        order = {d: i for i, d in enumerate(ids)}
        return sorted((dict(r) for r in rows), key=lambda r: order[r["id"]])


def normalise_url(url: str) -> str:
    """A store URL from what users type: a path means a SQLite file; postgresql:// uses psycopg 3."""
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


#: Tries of one batch write when another writer's transaction deadlocks or locks it out.
_WRITE_ATTEMPTS = 4


def _is_transient(exc: SQLAlchemyError) -> bool:
    """A deadlock, serialisation failure or lock timeout: the same transaction may succeed again."""
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if code in ("40P01", "40001", "55P03"):
        return True
    return "database is locked" in str(orig or exc)


def _doc_id(doc: Document) -> str:
    return doc.id or Document.content_id(doc.text)


def _insert_ignore(conn: Connection, table: Table):
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).on_conflict_do_nothing()


def _place(r: Any) -> Place:
    return Place(id=r["id"], name=r["name"], geonameid=r["geonameid"], admin1=r["admin1"],
                 country=r["country"], lat=r["lat"], lon=r["lon"], population=r["population"] or 0,
                 feature_class=r["feature_class"] or "P")


def _stored_claim(r: Any) -> StoredClaim:
    place = Place(id=r["place_id"], name=r["place_name"], geonameid=r["geonameid"], admin1=r["admin1"],
                  country=r["country"], lat=r["lat"], lon=r["lon"], population=r["population"] or 0,
                  feature_class=r["feature_class"] or "P")
    claim = Claim(
        claimant=r["claimant"], claimant_side=r["claimant_side"], place=place, status=r["status"],
        controller=r["controller"],
        evidence=Span(r["evidence_start"] or 0, r["evidence_end"] or 0, r["evidence"] or ""),
        percent=r["percent"], date=r["date"], date_precision=r["date_precision"], cue=r["cue"],
        confidence=r["confidence"] or 0.0, extractor=r["extractor"] or "",
        extractor_version=r["extractor_version"] or "",
    )
    published = r["published"]
    if isinstance(published, str):
        published = date.fromisoformat(published[:10])
    return StoredClaim(id=r["id"], claim=claim, document_id=r["document_id"], outlet=r["outlet_name"],
                       outlet_side=r["outlet_side"], published=published, url=r["url"])


def dumps_row(row: dict[str, Any]) -> str:
    """A row as JSON (dates as ISO strings)."""
    return json.dumps(row, default=lambda o: o.isoformat() if hasattr(o, "isoformat") else str(o),
                      ensure_ascii=False)


__all__ = ["ClaimFilter", "MIGRATIONS", "SCHEMA_VERSION", "Store", "StoreError", "normalise_url"]
