"""Ingest: analyse documents from sources and store them, idempotently.

A document already in the store (same text, same id) is skipped before it is analysed,
so a run that was killed and started again only does the work that is left. Documents
are written a batch at a time, each batch in one transaction: a kill leaves whole batches
or nothing. A bad source item or a failing analysis is recorded (table `failures`) and the
run goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from .models import Analysis, Document
from .pipeline import Pipeline
from .store import Store


class Item(Protocol):
    """What a source yields (see `sources.SourceItem`)."""

    name: str
    document: Document | None
    error: Any


@dataclass
class IngestSummary:
    """What a run did."""

    run_id: int | None  # the store's run (None: a distributed run writing Parquet)
    new: int = 0
    duplicates: int = 0
    failed: int = 0
    claims: int = 0
    seconds: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return self.new + self.duplicates + self.failed

    def line(self) -> str:
        rate = self.seen / self.seconds if self.seconds else 0.0
        return (f"{self.new} new, {self.duplicates} duplicates, {self.failed} failed; "
                f"{self.claims} claims stored ({self.seconds:.1f} s, {rate:.1f} documents/s)")


class Sink(Protocol):
    """Where `ingest` writes: a `Store`, or a `parquet.ParquetSink` (files instead of a database)."""

    def start_run(self, command: str, extractor: str = "", version: str = "") -> int: ...

    def finish_run(self, run_id: int, *, new: int, duplicates: int, failed: int) -> None: ...

    def existing_ids(self, ids: Iterable[str]) -> set[str]: ...

    def record_failure(self, run_id: int | None, source: str, error: str) -> None: ...

    def add_many(self, items: Sequence[tuple[Analysis, str | None]], *, run_id: int | None = None
                 ) -> list[bool]: ...


#: Called after each item with the running summary (a progress bar hooks in here).
Progress = Callable[[IngestSummary], None]


def ingest(
    items: Iterable[Item],
    store: Sink,
    pipeline: Pipeline | None,
    *,
    batch_size: int = 50,
    command: str = "ingest",
    progress: Progress | None = None,
    on_error: Callable[[str, str], None] | None = None,
    workers: int = 1,
    run_id: int | None = None,
) -> IngestSummary:
    """Analyse and store every document of `items`; see the module docstring.

    With `workers` > 1 the analysis (a pure function) fans out over that many processes,
    each loading its own pipeline once, while this process stays the one writer; input is
    read a batch at a time, so memory stays bounded whatever the size of the archive.

    With `run_id` the documents join that run of the store (one shard of a distributed run),
    which the caller starts and finishes; else this call starts and finishes its own run.
    """
    from .claims import EXTRACTOR, EXTRACTOR_VERSION

    own_run = run_id is None
    if run_id is None:
        run_id = store.start_run(command, EXTRACTOR, EXTRACTOR_VERSION)
    summary = IngestSummary(run_id=run_id)
    t0 = time.perf_counter()
    batch: list[tuple[Document, str]] = []

    def fail(name: str, reason: str) -> None:
        summary.failed += 1
        summary.errors.append((name, reason))
        store.record_failure(run_id, name, reason)
        if on_error:
            on_error(name, reason)

    def flush() -> None:
        if not batch:
            return
        known = store.existing_ids(d.id for d, _ in batch)
        todo: list[tuple[Analysis, str]] = []
        seen_here: set[str] = set()
        fresh: list[tuple[Document, str]] = []
        for doc, name in batch:
            if doc.id in known or doc.id in seen_here:
                summary.duplicates += 1
                continue
            seen_here.add(doc.id)
            fresh.append((doc, name))
        docs = [d for d, _ in fresh]
        results = pool.map(_analyze, docs, chunksize=max(1, len(docs) // (4 * workers))) if pool \
            else map(lambda d: _analyze(d, pipeline), docs)
        for (_doc, name), (analysis, error) in zip(fresh, results, strict=True):
            if analysis is None:
                fail(name, f"analysis failed: {error}")
            else:
                todo.append((analysis, name))
        if todo:
            written = store.add_many(todo, run_id=run_id)
            for (analysis, _), new in zip(todo, written, strict=True):
                if new:
                    summary.new += 1
                    summary.claims += len(analysis.claims)
                else:
                    summary.duplicates += 1  # stored meanwhile by another writer
        batch.clear()
        summary.seconds = time.perf_counter() - t0
        if progress:
            progress(summary)

    pool = None
    if workers > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_worker)
        batch_size = batch_size * workers  # keep every worker busy
    try:
        for item in items:
            if item.document is None:
                err = item.error
                fail(item.name, getattr(err, "reason", None) or str(err) or "unreadable")
            else:
                doc = item.document
                if not doc.id:
                    doc = Document(**{**_fields(doc), "id": Document.content_id(doc.text)})
                batch.append((doc, item.name))
                if len(batch) >= batch_size:
                    flush()
                    continue
            summary.seconds = time.perf_counter() - t0
            if progress:
                progress(summary)
        flush()
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        summary.seconds = time.perf_counter() - t0
        if own_run:
            store.finish_run(run_id, new=summary.new, duplicates=summary.duplicates, failed=summary.failed)
    return summary


_worker_pipeline: Pipeline | None = None


def _init_worker() -> None:
    """Load the pipeline once per worker process."""
    global _worker_pipeline
    _worker_pipeline = Pipeline()


def _analyze(doc: Document, pipeline: Pipeline | None = None) -> tuple[Analysis | None, str | None]:
    """The analysis of one document, or the error that stopped it (in a worker or here)."""
    try:
        return (pipeline or _worker_pipeline or _local_pipeline()).analyze_document(doc), None
    except Exception as exc:  # an extractor bug must not stop the run  # noqa: BLE001
        return None, f"{type(exc).__name__}: {exc}"


def _local_pipeline() -> Pipeline:
    global _worker_pipeline
    _worker_pipeline = Pipeline()
    return _worker_pipeline


def reanalyze(
    store: Store,
    pipeline: Pipeline,
    *,
    everything: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Re-run the current extractor over stored documents whose claims an older version
    produced (all of them with `everything`); returns (documents, claims) redone."""
    from .claims import EXTRACTOR, EXTRACTOR_VERSION

    run_id = store.start_run("reanalyze", EXTRACTOR, EXTRACTOR_VERSION)
    docs = n_claims = 0
    try:
        for doc in store.iter_documents(not_version=None if everything else EXTRACTOR_VERSION):
            analysis = pipeline.analyze_document(doc)
            n_claims += store.replace_claims(analysis, run_id=run_id)
            docs += 1
            if progress:
                progress(docs, n_claims)
    finally:
        store.finish_run(run_id, new=0, duplicates=docs, failed=0)
    return docs, n_claims


def _fields(doc: Document) -> dict[str, Any]:
    return {f: getattr(doc, f) for f in doc.__slots__}  # type: ignore[attr-defined]


__all__ = ["IngestSummary", "Sink", "ingest", "reanalyze"]
