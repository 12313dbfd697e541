"""Distributed batch analysis: the shards of an archive analysed on a Dask cluster.

The input is cut into *shards*: each JSONL or WARC file (``.jsonl``, ``.jsonl.gz``, ``.warc``,
``.warc.gz``, ``.arc``, ``.arc.gz``) is one shard; other files (text, HTML, feeds) are grouped,
``files_per_shard`` at a time, in the order a directory walk finds them; a URL is a shard of
its own. Each shard is one task, :func:`run_shard`, which a worker runs from end to end: it
reads the shard (streaming, a batch of documents at a time), analyses every document with the
pipeline the worker process loaded once, and writes the results itself -- to the store
(PostgreSQL takes many writers; each batch is one transaction and a document already stored
is skipped) or to a part of a Parquet output directory (``parquet.ParquetSink``; the part is
complete only when its manifest is written). Only a small :class:`ShardResult` goes back to
the client, so neither client nor scheduler ever holds documents, and a worker holds a batch.

Nothing is lost or written twice:

- a worker that dies mid-shard: the scheduler runs the shard again on another worker. Batches
  the dead worker committed to the store are skipped there (their document ids are stored);
  a Parquet part it had begun was never renamed into place and is written anew;
- a failed document is recorded (the store's ``failures`` table, or the part's manifest) and
  reported to the client with its error; a shard that fails as a whole (unreadable after the
  retries, or its worker killed again and again) is reported with its error;
- a rerun skips what is done: documents already in the store, and shards whose Parquet part
  is complete (for the same file size and modification time and the same extractor version).

Workers must see the shard paths (a shared or identical file system) and run the same
counterclaim version as the client (checked before anything is submitted).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CounterclaimError
from .ingest import IngestSummary, ingest

__all__ = ["Shard", "ShardResult", "Target", "ReadOptions", "RunSummary", "plan_shards", "run_shard",
           "run_dask", "DaskError"]

#: Errors of one shard sent back to the client in full; the rest are counted (and stored).
MAX_ERRORS_PER_SHARD = 200


class DaskError(CounterclaimError):
    """The Dask cluster cannot be used: not installed, unreachable, or out of step with us."""


@dataclass(frozen=True)
class Shard:
    """One unit of work: the sources one task reads, under a stable key."""

    key: str
    specs: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.specs[0] if len(self.specs) == 1 else f"{self.specs[0]} (+{len(self.specs) - 1} files)"


@dataclass(frozen=True)
class ReadOptions:
    """How sources are read (the arguments of `sources.iter_sources`)."""

    outlet: str | None = None
    outlet_side: str | None = None
    max_bytes: int = 5_000_000
    timeout: float = 20.0
    follow_feed_links: bool = True


@dataclass(frozen=True)
class Target:
    """Where a shard's results go: a store URL with the run they join, or a Parquet directory."""

    store_url: str | None = None
    run_id: int | None = None
    out_dir: str | None = None
    batch_size: int = 50

    def __post_init__(self) -> None:
        if (self.store_url is None) == (self.out_dir is None):
            raise ValueError("a target is a store URL or an output directory, not both or neither")


@dataclass
class ShardResult:
    """What one shard's task did (sent back to the client)."""

    key: str
    name: str
    new: int = 0
    duplicates: int = 0
    failed: int = 0
    claims: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    more_errors: int = 0
    seconds: float = 0.0
    worker: str = ""
    skipped: bool = False  # complete from an earlier run (Parquet output)


# ------------------------------------------------------------------------------ planning


def plan_shards(specs: Iterable[str], *, files_per_shard: int = 200) -> Iterator[Shard]:
    """The shards of ``specs`` (files, directories, URLs), in order; see the module docstring.

    Paths are made absolute, so that workers started elsewhere find them and keys stay the
    same whatever the client's working directory.
    """
    from .sources import is_archive, iter_source_files

    if files_per_shard < 1:
        raise ValueError("files_per_shard must be at least 1")
    group: list[str] = []
    for spec in specs:
        spec = str(spec)
        if "://" in spec or spec == "-":
            if spec == "-":
                raise ValueError("standard input cannot be read by the workers of a cluster")
            yield from _flush(group)
            yield _shard([spec])
            continue
        path = Path(spec).absolute()
        files = iter_source_files(path) if path.is_dir() else [path]
        for file in files:
            if is_archive(file):
                yield from _flush(group)
                yield _shard([str(file)])
            else:
                group.append(str(file))
                if len(group) >= files_per_shard:
                    yield from _flush(group)
    yield from _flush(group)


def _flush(group: list[str]) -> Iterator[Shard]:
    if group:
        yield _shard(group)
        group.clear()


def _shard(specs: list[str]) -> Shard:
    digest = hashlib.sha1("\n".join(specs).encode("utf-8", "surrogatepass")).hexdigest()[:12]
    stem = os.path.basename(specs[0].rstrip("/")) or "shard"
    return Shard(f"{stem[:80]}-{digest}", tuple(specs))


def _stat(specs: Iterable[str]) -> list[list[int]]:
    """Size and modification time of each local file of a shard (a URL gives [-1, -1])."""
    out = []
    for spec in specs:
        try:
            st = os.stat(spec)
            out.append([st.st_size, st.st_mtime_ns])
        except OSError:
            out.append([-1, -1])
    return out


# ------------------------------------------------------------------------------ the task

_stores: dict[str, Any] = {}


def run_shard(shard: Shard, target: Target, options: ReadOptions) -> ShardResult:
    """Read, analyse and write one shard (runs on a worker); see the module docstring."""
    from .claims import EXTRACTOR_VERSION
    from .sources import iter_sources

    t0 = time.perf_counter()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    items = iter_sources(shard.specs, outlet=options.outlet, outlet_side=options.outlet_side,
                         max_bytes=options.max_bytes, timeout=options.timeout,
                         follow_feed_links=options.follow_feed_links)
    if target.out_dir is not None:
        from .parquet import ParquetSink, read_manifest

        stat = _stat(shard.specs)
        done = read_manifest(target.out_dir, shard.key)
        if done and done.get("shard_stat") == stat and done.get("extractor_version") == EXTRACTOR_VERSION:
            return ShardResult(shard.key, shard.name, duplicates=int(done.get("documents", 0)),
                               seconds=time.perf_counter() - t0, worker=worker, skipped=True)
        sink = ParquetSink(target.out_dir, shard.key, shard=shard.specs, shard_stat=stat)
        try:
            summary = ingest(items, sink, None, batch_size=target.batch_size, run_id=0,
                             progress=_Reporter(shard.key))
            sink.finish_run(0, new=summary.new, duplicates=summary.duplicates, failed=summary.failed)
            sink.commit()
        except BaseException:
            sink.abort()
            raise
    else:
        assert target.store_url is not None and target.run_id is not None
        summary = ingest(items, _store(target.store_url), None, batch_size=target.batch_size,
                         run_id=target.run_id, progress=_Reporter(shard.key))
    return _result(shard, summary, time.perf_counter() - t0, worker)


#: The topic on which shards in progress report how many documents they have read.
PROGRESS_TOPIC = "counterclaim-progress"


class _Reporter:
    """Reports a running shard's count to the client, at most once a second (when on a worker)."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.last = time.monotonic()
        try:
            from distributed import get_worker

            self.worker: Any = get_worker()
        except (ImportError, ValueError):  # not inside a Dask worker
            self.worker = None

    def __call__(self, summary: IngestSummary) -> None:
        now = time.monotonic()
        if self.worker is not None and now - self.last >= 1.0:
            self.last = now
            self.worker.log_event(PROGRESS_TOPIC, {"key": self.key, "seen": summary.seen})


def _store(url: str):
    """One store (connection pool) per worker process and URL."""
    from .store import Store

    store = _stores.get(url)
    if store is None:
        store = _stores[url] = Store(url)
    return store


def _result(shard: Shard, summary: IngestSummary, seconds: float, worker: str) -> ShardResult:
    errors = summary.errors[:MAX_ERRORS_PER_SHARD]
    return ShardResult(shard.key, shard.name, new=summary.new, duplicates=summary.duplicates,
                       failed=summary.failed, claims=summary.claims, errors=errors,
                       more_errors=len(summary.errors) - len(errors), seconds=seconds, worker=worker)


def worker_info() -> dict[str, str]:
    """What a worker runs (compared with the client's before a run)."""
    from . import __version__
    from .claims import EXTRACTOR_VERSION

    return {"counterclaim": __version__, "extractor": EXTRACTOR_VERSION}


def _worker_info() -> dict[str, str]:
    return worker_info()  # sent by reference: the worker answers with its own installed code


def warm_up() -> None:
    """Load the pipeline in a worker process before its first shard."""
    from .ingest import _local_pipeline

    _local_pipeline()


# ------------------------------------------------------------------------------ the client


@dataclass
class RunSummary(IngestSummary):
    """What a distributed run did, over all its shards (``run_id`` is None for Parquet output)."""

    shards: int = 0
    skipped: int = 0
    failed_shards: int = 0
    workers: int = 0
    #: documents read so far by shards still running (as their workers last reported)
    running: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def seen_so_far(self) -> int:
        """Documents read, counting the shards still running."""
        with self.lock:
            return self.seen + sum(self.running.values())

    def line(self) -> str:
        rate = self.seen / self.seconds if self.seconds else 0.0
        done = f"{self.shards} shards on {self.workers} workers"
        extra = [f"{self.skipped} done before"] if self.skipped else []
        extra += [f"{self.failed_shards} FAILED"] if self.failed_shards else []
        if extra:
            done += f" ({', '.join(extra)})"
        return (f"{self.new} new, {self.duplicates} duplicates, {self.failed} failed; "
                f"{self.claims} claims ({self.seconds:.1f} s, {rate:.1f} documents/s); {done}")


def run_dask(
    shards: Iterable[Shard],
    options: ReadOptions | None = None,
    *,
    store_url: str | None = None,
    out_dir: str | Path | None = None,
    batch_size: int = 50,
    scheduler: str | None = None,
    client: Any = None,
    workers: int | None = None,
    connect_timeout: float = 30.0,
    command: str = "ingest --engine dask",
    progress: Callable[[RunSummary], None] | None = None,
    on_error: Callable[[str, str], None] | None = None,
    on_shard: Callable[[ShardResult], None] | None = None,
) -> RunSummary:
    """Run every shard on a Dask cluster and gather what they did.

    The cluster is ``client`` (a ``distributed.Client``), else the scheduler at ``scheduler``
    (``tcp://host:8786``), else a local cluster of ``workers`` processes started for this
    run. The results go to the store at ``store_url`` (a run of it is started here and every
    shard joins it) or to Parquet parts under ``out_dir``. ``on_error(name, reason)`` hears of
    each failed document or shard, ``progress`` gets the running summary after each shard.
    """
    options = options or ReadOptions()
    if (store_url is None) == (out_dir is None):
        raise ValueError("give a store URL or an output directory")
    store = None
    if out_dir is not None:
        target = Target(out_dir=str(Path(out_dir).absolute()), batch_size=batch_size)
    else:
        from .claims import EXTRACTOR, EXTRACTOR_VERSION
        from .store import Store

        store = Store(_absolute_url(store_url))
        run_id = store.start_run(command, EXTRACTOR, EXTRACTOR_VERSION)
        target = Target(store_url=store.url, run_id=run_id, batch_size=batch_size)
    summary = RunSummary(run_id=target.run_id)
    t0 = time.perf_counter()
    own_client = own_cluster = None
    try:
        if client is None:
            own_client, own_cluster = _connect(scheduler, workers, connect_timeout)
            client = own_client
        _check_workers(client)
        summary.workers = len(client.scheduler_info().get("workers", {}))

        def on_event(event: Any) -> None:  # on the client's event loop: a shard's running count
            msg = event[1] if isinstance(event, tuple) else event
            if not isinstance(msg, dict):
                return
            with summary.lock:
                if msg.get("key") not in summary.running:
                    return  # finished meanwhile
                summary.running[msg["key"]] = int(msg.get("seen", 0))
            if progress:
                progress(summary)

        if progress:
            client.subscribe_topic(PROGRESS_TOPIC, on_event)
        for result in _guard(_submit_all(client, shards, target, options, summary)):
            summary.shards += 1
            if isinstance(result, ShardResult):
                summary.skipped += result.skipped
                summary.new += result.new
                summary.duplicates += result.duplicates
                summary.failed += result.failed
                summary.claims += result.claims
                summary.errors.extend(result.errors)
                if on_error:
                    for name, reason in result.errors:
                        on_error(name, reason)
                    if result.more_errors:
                        where = "the failures table" if store else "the part's manifest"
                        on_error(result.name, f"... and {result.more_errors} more failed documents "
                                              f"(listed in {where})")
                if on_shard:
                    on_shard(result)
            else:
                shard, reason = result
                summary.failed_shards += 1
                summary.errors.append((shard.name, reason))
                if store is not None:
                    store.record_failure(target.run_id, shard.name, reason)
                if on_error:
                    on_error(shard.name, reason)
            summary.seconds = time.perf_counter() - t0
            if progress:
                progress(summary)
    finally:
        if progress and client is not None:
            with contextlib.suppress(Exception):
                client.unsubscribe_topic(PROGRESS_TOPIC)
        if own_client is not None:  # a client (and maybe a local cluster) of this run's own
            own_client.close()
        if own_cluster is not None:
            own_cluster.close()
        summary.seconds = time.perf_counter() - t0
        if store is not None and target.run_id is not None:
            # count from the store: a shard retried after its worker died reports as
            # duplicates the documents its first attempt had committed
            docs, n_claims = store.run_totals(target.run_id)
            summary.duplicates += summary.new - docs
            summary.new, summary.claims = docs, n_claims
            failed = summary.failed + summary.failed_shards
            store.finish_run(target.run_id, new=summary.new, duplicates=summary.duplicates, failed=failed)
            store.close()
    return summary


def _absolute_url(url: str | None) -> str:
    """A store URL every worker can open: a SQLite path made absolute."""
    from .config import settings
    from .store import normalise_url

    url = normalise_url(url or settings().db)
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        return prefix + os.path.abspath(url[len(prefix):])
    return url


def _connect(scheduler: str | None, workers: int | None, timeout: float) -> tuple[Any, Any]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise DaskError("the dask engine needs dask.distributed: pip install 'counterclaim[dask]'") from None
    if scheduler:
        try:
            return Client(scheduler, timeout=f"{timeout}s"), None
        except (OSError, TimeoutError) as exc:
            raise DaskError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    return Client(cluster), cluster


def _check_workers(client: Any) -> None:
    try:
        client.wait_for_workers(1, timeout=60)
    except TimeoutError:
        raise DaskError("the Dask cluster has no workers (waited 60 s)") from None
    mine = worker_info()
    try:
        theirs = client.run(_worker_info)
    except Exception as exc:  # the workers cannot import counterclaim  # noqa: BLE001
        raise DaskError(f"the Dask workers cannot run counterclaim ({type(exc).__name__}: {exc}); "
                        "install the same version of counterclaim on every worker") from None
    wrong = {addr: info for addr, info in theirs.items() if info != mine}
    if wrong:
        addr, info = next(iter(wrong.items()))
        raise DaskError(f"worker {addr} runs counterclaim {info['counterclaim']} (extractor "
                        f"{info['extractor']}), this client {mine['counterclaim']} (extractor "
                        f"{mine['extractor']}); install the same version everywhere")
    client.run(warm_up)


def _submit_all(client: Any, shards: Iterable[Shard], target: Target, options: ReadOptions,
                summary: RunSummary) -> Iterator[ShardResult | tuple[Shard, str]]:
    """Results of every shard as they finish, with a bounded number in flight (listed, by
    key, in ``summary.running``)."""
    import uuid

    from distributed import as_completed

    token = uuid.uuid4().hex[:8]
    threads = sum(client.nthreads().values()) or 1
    window = max(4, 2 * threads)
    pending: dict[Any, Shard] = {}
    todo = iter(shards)
    ac = as_completed()

    def submit_next() -> bool:
        shard = next(todo, None)
        if shard is None:
            return False
        fut = client.submit(run_shard, shard, target, options, key=f"counterclaim-{token}-{shard.key}",
                            pure=False, retries=1)
        pending[fut] = shard
        with summary.lock:
            summary.running[shard.key] = 0
        ac.add(fut)
        return True

    while len(pending) < window and submit_next():
        pass
    for fut in ac:
        shard = pending.pop(fut)
        with summary.lock:
            summary.running.pop(shard.key, None)
        if fut.status == "finished":
            yield fut.result()
        else:
            exc = fut.exception()
            yield shard, _shard_reason(exc)
        fut.release()
        while len(pending) < window and submit_next():
            pass


def _guard(results: Iterator[Any]) -> Iterator[Any]:
    """The results, with a lost connection to the scheduler turned into a `DaskError`."""
    try:
        yield from results
    except (OSError, TimeoutError) as exc:
        raise DaskError(f"lost the Dask scheduler ({type(exc).__name__}: {exc}); what was written is "
                        "kept -- run the same command again to finish") from None


def _shard_reason(exc: BaseException | None) -> str:
    name = type(exc).__name__ if exc is not None else "cancelled"
    if name == "KilledWorker":
        return ("shard not done: the workers running it died (KilledWorker, out of memory or killed); "
                "run again to retry it")
    return f"shard not done: {name}: {exc}"
