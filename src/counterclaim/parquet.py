"""Claims as Parquet files: the output of a batch run that does not write to a store.

A run with ``--out DIR`` writes *parts*, each a pair of Parquet files and a manifest::

    DIR/documents/part-KEY.parquet   one row per document: its text and everything known of it
    DIR/claims/part-KEY.parquet      one row per claim, with its document's outlet, side and date
    DIR/_parts/KEY.json              the manifest: counts, failures, extractor version

The manifest is written last, after both files are complete (each is written under a temporary
name and renamed), so a part has a manifest exactly when it is whole: a run killed half-way
leaves at most ``*.tmp`` files, which nothing reads. :func:`read_parts` gives back the analyses
of every complete part (``counterclaim load`` stores them), and DuckDB, pandas or Spark read
``DIR/claims/*.parquet`` as they are.

Needs pyarrow (``pip install 'counterclaim[parquet]'``).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import CounterclaimError
from .models import Analysis, Claim, Document, Place, Span

__all__ = ["ParquetSink", "Part", "read_parts", "list_parts", "load_parts", "LoadSummary", "MANIFEST_DIR",
           "ParquetError"]

MANIFEST_DIR = "_parts"
#: Documents per Parquet row group (what a reader holds in memory at a time).
ROW_GROUP = 500


class ParquetError(CounterclaimError):
    """A Parquet output directory that cannot be written or read."""


def _pa():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ParquetError("Parquet output needs pyarrow: pip install 'counterclaim[parquet]'") from None
    return pa, pq


def _schemas():
    pa, _ = _pa()
    documents = pa.schema([
        ("id", pa.string()), ("source", pa.string()), ("url", pa.string()),
        ("outlet", pa.string()), ("outlet_side", pa.string()),
        ("document_outlet", pa.string()), ("document_outlet_side", pa.string()),
        ("published", pa.date32()), ("language", pa.string()), ("title", pa.string()),
        ("text", pa.string()), ("n_claims", pa.int32()), ("extractor_version", pa.string()),
    ])
    claims = pa.schema([
        ("document_id", pa.string()), ("seq", pa.int32()),
        ("outlet", pa.string()), ("outlet_side", pa.string()), ("published", pa.date32()),
        ("url", pa.string()),
        ("claimant", pa.string()), ("claimant_side", pa.string()),
        ("place_id", pa.string()), ("place", pa.string()), ("geonameid", pa.int64()),
        ("admin1", pa.string()), ("country", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()),
        ("population", pa.int64()), ("feature_class", pa.string()),
        ("status", pa.string()), ("controller", pa.string()), ("percent", pa.float64()),
        ("date", pa.string()), ("date_precision", pa.string()),
        ("evidence_start", pa.int32()), ("evidence_end", pa.int32()), ("evidence", pa.string()),
        ("cue", pa.string()), ("confidence", pa.float64()),
        ("extractor", pa.string()), ("extractor_version", pa.string()),
    ])
    return documents, claims


def _safe(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", key)[:150] or "part"


@dataclass(frozen=True)
class Part:
    """A complete part of an output directory, as its manifest describes it."""

    key: str
    manifest: dict[str, Any]
    documents: Path
    claims: Path

    @property
    def failures(self) -> list[tuple[str, str]]:
        return [(str(n), str(r)) for n, r in self.manifest.get("failures", [])]


def list_parts(out_dir: str | Path) -> list[Part]:
    """The complete parts of ``out_dir``, in key order (incomplete ones are not listed)."""
    root = Path(out_dir)
    mdir = root / MANIFEST_DIR
    if not root.is_dir():
        raise ParquetError(f"{root}: no such directory")
    parts = []
    for path in sorted(mdir.glob("*.json")) if mdir.is_dir() else []:
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ParquetError(f"{path}: unreadable manifest ({exc})") from None
        key = manifest.get("key") or path.stem
        parts.append(Part(key, manifest, root / "documents" / f"part-{_safe(key)}.parquet",
                          root / "claims" / f"part-{_safe(key)}.parquet"))
    return parts


def read_manifest(out_dir: str | Path, key: str) -> dict[str, Any] | None:
    """The manifest of part ``key`` if that part is complete, else None."""
    path = Path(out_dir) / MANIFEST_DIR / f"{_safe(key)}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return None  # a torn manifest is an incomplete part


def stored_ids(out_dir: str | Path) -> set[str]:
    """Ids of every document in the complete parts of ``out_dir`` (reads one column)."""
    _, pq = _pa()
    ids: set[str] = set()
    for part in list_parts(out_dir):
        ids.update(pq.read_table(part.documents, columns=["id"]).column("id").to_pylist())
    return ids


class ParquetSink:
    """Writes analyses as parts of an output directory; a drop-in for the store in `ingest`.

    One part is written per ``key``; with ``part_size`` the sink rolls over to a new part
    (``KEY-00002``, ...) every that many documents, so a kill loses at most one part's work.
    Documents whose id is in ``known`` (or that this sink wrote already) are duplicates.
    Call :meth:`commit` at the end: it completes the open part; :meth:`abort` drops it.
    """

    def __init__(self, out_dir: str | Path, key: str, *, known: Iterable[str] = (),
                 part_size: int | None = None, shard: Sequence[str] = (),
                 shard_stat: Sequence[Any] = ()) -> None:
        _pa()
        self.root = Path(out_dir)
        self.key = key
        self.part_size = part_size
        self.shard = list(shard)
        self.shard_stat = list(shard_stat)
        self._known = set(known)
        self._docs_schema, self._claims_schema = _schemas()
        self._n = 0  # parts started
        self._open: _OpenPart | None = None
        self.parts: list[str] = []  # keys of the parts completed
        try:
            for sub in ("documents", "claims", MANIFEST_DIR):
                (self.root / sub).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ParquetError(f"{self.root}: cannot create the output directory ({exc})") from None

    # --- the store protocol of `ingest` -----------------------------------------------

    def start_run(self, command: str, extractor: str = "", version: str = "") -> int:
        return 0

    def finish_run(self, run_id: int, *, new: int, duplicates: int, failed: int) -> None:
        if self._open is not None:
            self._open.counts.update(new=new, duplicates=duplicates, failed=failed)

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        return {i for i in ids if i in self._known}

    def record_failure(self, run_id: int | None, source: str, error: str) -> None:
        self._part().failures.append((source, error))

    def add_many(self, items: Sequence[tuple[Analysis, str | None]], *, run_id: int | None = None
                 ) -> list[bool]:
        out = []
        for analysis, source in items:
            doc_id = analysis.document.id or Document.content_id(analysis.document.text)
            if doc_id in self._known:
                out.append(False)
                continue
            part = self._part()
            part.add(analysis, doc_id, source)
            self._known.add(doc_id)
            out.append(True)
            if self.part_size and part.documents >= self.part_size:
                self._complete()
        return out

    # --- parts -------------------------------------------------------------------------

    def _part(self) -> _OpenPart:
        if self._open is None:
            self._n += 1
            key = self.key if self.part_size is None else f"{self.key}-{self._n:05d}"
            self._open = _OpenPart(self.root, key, self._docs_schema, self._claims_schema)
        return self._open

    def _complete(self) -> None:
        part, self._open = self._open, None
        if part is not None:
            part.commit(shard=self.shard, shard_stat=self.shard_stat)
            self.parts.append(part.key)

    def commit(self) -> list[str]:
        """Complete the open part (an empty one too: it records that the shard is done)."""
        if self._open is None and not self.parts:
            self._part()
        self._complete()
        return self.parts

    def abort(self) -> None:
        part, self._open = self._open, None
        if part is not None:
            part.abort()


@dataclass
class _OpenPart:
    root: Path
    key: str
    docs_schema: Any
    claims_schema: Any
    documents: int = 0
    claims: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _, pq = _pa()
        tag = f".{socket.gethostname()}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
        name = f"part-{_safe(self.key)}.parquet"
        self.final = (self.root / "documents" / name, self.root / "claims" / name)
        self.tmp = (self.final[0].with_name(name + tag), self.final[1].with_name(name + tag))
        self.writers = (pq.ParquetWriter(self.tmp[0], self.docs_schema, compression="zstd"),
                        pq.ParquetWriter(self.tmp[1], self.claims_schema, compression="zstd"))
        self.doc_rows: list[dict[str, Any]] = []
        self.claim_rows: list[dict[str, Any]] = []

    def add(self, analysis: Analysis, doc_id: str, source: str | None) -> None:
        doc = analysis.document
        from .claims import analysis_version

        outlet, side = analysis.stored_outlet
        version = analysis_version(analysis)
        self.doc_rows.append({
            "id": doc_id, "source": source, "url": doc.url, "outlet": analysis.outlet,
            "outlet_side": analysis.outlet_side, "document_outlet": doc.outlet,
            "document_outlet_side": doc.outlet_side, "published": doc.published,
            "language": doc.language, "title": doc.title, "text": doc.text,
            "n_claims": len(analysis.claims), "extractor_version": version,
        })
        for seq, c in enumerate(analysis.claims):
            p = c.place
            self.claim_rows.append({
                "document_id": doc_id, "seq": seq, "outlet": outlet, "outlet_side": side,
                "published": doc.published, "url": doc.url,
                "claimant": c.claimant, "claimant_side": c.claimant_side,
                "place_id": p.id, "place": p.name, "geonameid": p.geonameid, "admin1": p.admin1,
                "country": p.country, "lat": p.lat, "lon": p.lon, "population": p.population,
                "feature_class": p.feature_class, "status": c.status, "controller": c.controller,
                "percent": c.percent, "date": c.date, "date_precision": c.date_precision,
                "evidence_start": c.evidence.start, "evidence_end": c.evidence.end,
                "evidence": c.evidence.text, "cue": c.cue, "confidence": c.confidence,
                "extractor": c.extractor, "extractor_version": c.extractor_version,
            })
        self.documents += 1
        self.claims += len(analysis.claims)
        if len(self.doc_rows) >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        pa, _ = _pa()
        if self.doc_rows:
            self.writers[0].write_table(pa.Table.from_pylist(self.doc_rows, schema=self.docs_schema))
            self.doc_rows = []
        if self.claim_rows:
            self.writers[1].write_table(pa.Table.from_pylist(self.claim_rows, schema=self.claims_schema))
            self.claim_rows = []

    def commit(self, *, shard: Sequence[str], shard_stat: Sequence[Any]) -> None:
        from . import __version__
        from .claims import EXTRACTOR, EXTRACTOR_VERSION

        self._flush()
        for w in self.writers:
            w.close()
        for tmp, final in zip(self.tmp, self.final, strict=True):
            os.replace(tmp, final)
        manifest = {
            "key": self.key, "shard": list(shard), "shard_stat": list(shard_stat),
            "documents": self.documents, "claims": self.claims, "failures": self.failures,
            **self.counts, "extractor": EXTRACTOR, "extractor_version": EXTRACTOR_VERSION,
            "counterclaim": __version__, "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "host": socket.gethostname(),
        }
        path = self.root / MANIFEST_DIR / f"{_safe(self.key)}.json"
        tmp = path.with_name(path.name + f".{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)

    def abort(self) -> None:
        for w in self.writers:
            with contextlib.suppress(Exception):  # dropping the part anyway
                w.close()
        for tmp in self.tmp:
            tmp.unlink(missing_ok=True)


def read_parts(parts: Iterable[Part], *, batch_size: int = ROW_GROUP
               ) -> Iterator[tuple[Part, list[tuple[Analysis, str | None]]]]:
    """The analyses of each part, a batch at a time: ``(part, [(analysis, source), ...])``.

    Memory is bounded by one row group of each file: documents and claims are read side by
    side (both are in document order; ``n_claims`` says how many claims each document has).
    """
    _, pq = _pa()
    for part in parts:
        try:
            docs = pq.ParquetFile(part.documents)
            claim_rows = _rows(pq.ParquetFile(part.claims), batch_size)
            for batch in docs.iter_batches(batch_size=batch_size):
                out = []
                for row in batch.to_pylist():
                    claims = tuple(_claim(next(claim_rows)) for _ in range(row["n_claims"]))
                    doc = Document(text=row["text"], id=row["id"], url=row["url"],
                                   outlet=row["document_outlet"], outlet_side=row["document_outlet_side"],
                                   published=row["published"], language=row["language"] or "en",
                                   title=row["title"])
                    out.append((Analysis(document=doc, claims=claims, outlet=row["outlet"],
                                         outlet_side=row["outlet_side"]), row["source"]))
                yield part, out
        except (OSError, StopIteration, KeyError, ValueError) as exc:
            what = "claims do not match the documents" if isinstance(exc, StopIteration) else str(exc)
            raise ParquetError(f"part {part.key}: unreadable ({what})") from None
        except Exception as exc:  # pyarrow's own errors (ArrowInvalid, ...)
            if type(exc).__module__.startswith("pyarrow"):
                raise ParquetError(f"part {part.key}: unreadable ({exc})") from None
            raise


@dataclass
class LoadSummary:
    """What `load_parts` did."""

    run_id: int
    new: int = 0
    duplicates: int = 0
    claims: int = 0
    failures: int = 0

    def line(self) -> str:
        return (f"{self.new} new, {self.duplicates} duplicates, {self.claims} claims stored; "
                f"{self.failures} failures of the run recorded")


def load_parts(parts: Sequence[Part], store: Any, *, batch_size: int = 200, command: str = "load",
               progress: Callable[[int], None] | None = None) -> LoadSummary:
    """Store the analyses of ``parts`` (idempotent: stored documents are skipped) and record
    the failures their manifests list (each once, however often it is loaded)."""
    from .claims import EXTRACTOR, EXTRACTOR_VERSION

    run_id = store.start_run(command, EXTRACTOR, EXTRACTOR_VERSION)
    summary = LoadSummary(run_id)
    recorded = {(f["source"], f["error"]) for f in store.failures()}
    seen = 0
    try:
        for part in parts:
            for name, reason in part.failures:
                if (name, reason) not in recorded:
                    store.record_failure(run_id, name, reason)
                    recorded.add((name, reason))
                    summary.failures += 1
        for _part, batch in read_parts(parts, batch_size=batch_size):
            known = store.existing_ids(a.document.id for a, _ in batch)
            todo = [(a, src) for a, src in batch if a.document.id not in known]
            written = store.add_many(todo, run_id=run_id) if todo else []
            for (analysis, _), new in zip(todo, written, strict=True):
                if new:
                    summary.new += 1
                    summary.claims += len(analysis.claims)
            seen += len(batch)
            summary.duplicates = seen - summary.new
            if progress:
                progress(seen)
    finally:
        store.finish_run(run_id, new=summary.new, duplicates=summary.duplicates, failed=0)
    return summary


def _rows(pf: Any, batch_size: int) -> Iterator[dict[str, Any]]:
    for batch in pf.iter_batches(batch_size=batch_size * 4):
        yield from batch.to_pylist()


def _claim(row: dict[str, Any]) -> Claim:
    place = Place(id=row["place_id"], name=row["place"], geonameid=row["geonameid"], admin1=row["admin1"],
                  country=row["country"], lat=row["lat"], lon=row["lon"], population=row["population"] or 0,
                  feature_class=row["feature_class"] or "P")
    return Claim(
        claimant=row["claimant"], claimant_side=row["claimant_side"], place=place, status=row["status"],
        controller=row["controller"],
        evidence=Span(row["evidence_start"], row["evidence_end"], row["evidence"]),
        percent=row["percent"], date=row["date"], date_precision=row["date_precision"], cue=row["cue"],
        confidence=row["confidence"], extractor=row["extractor"], extractor_version=row["extractor_version"],
    )
