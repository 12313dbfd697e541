"""The ``counterclaim`` command line: parses arguments, calls the library, reports errors.

Exit codes: 0 success, 1 some input or data failed (each failure is reported on stderr
as ``error: <item>: <reason>``), 2 usage error.
Heavy modules are imported inside the commands so that ``--help`` is instant.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from .models import Analysis

WIDTH = 120
DEFAULT_MAX_BYTES = 20_000_000  # the same as documents.DEFAULT_MAX_BYTES


def _version() -> str:
    from . import __version__

    return __version__


def _error(item: str, reason: str | None = None) -> None:
    click.echo(f"error: {item}: {reason}" if reason is not None else f"error: {item}", err=True)


class _Fail(click.ClickException):
    """A library error, printed as ``error: ...`` with exit code 1."""

    def show(self, file=None) -> None:  # noqa: ARG002 - click's signature
        _error(self.message)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": WIDTH})
@click.version_option(package_name="counterclaim", message="counterclaim %(version)s")
def cli() -> None:
    """Turn war reporting into structured, attributed, geolocated claims.

    \b
    Examples:
      counterclaim analyze samples/tass.txt
      counterclaim analyze samples/ --format gold --out out/
      counterclaim eval ../shared/eval/dev
      counterclaim gazetteer lookup Kupyansk
    """


# --------------------------------------------------------------------------- analyze
@cli.command()
@click.argument("source", type=click.Path(path_type=Path, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "gold"]), default="table",
              show_default=True, help="table for reading; json: the full analysis; gold: claims JSON v1.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write one OUT/NAME.json per input NAME.txt (json and gold formats).")
@click.option("--published", metavar="YYYY-MM-DD", help="Publication date (overrides the text's header).")
@click.option("--outlet", metavar="NAME", help="Outlet name (overrides the text's header).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True,
              help="Refuse inputs larger than this.")
def analyze(source: Path, fmt: str, out_dir: Path | None, published: str | None, outlet: str | None,
            max_bytes: int) -> None:
    """Extract the claims of one article, every .txt in a directory, or stdin (-).

    \b
    Examples:
      counterclaim analyze samples/tass.txt
      counterclaim analyze samples/ --format gold --out out/
      python ../shared/eval/score.py score ../shared/eval/dev out/
      cat article.txt | counterclaim analyze - --published 2024-02-16 --format json

    A bad input is reported as "error: FILE: reason" and the others are still analysed;
    the exit code is 1 if any input failed.
    """
    from .documents import find_inputs, iter_documents, read_stdin
    from .errors import CounterclaimError, InputError

    if out_dir is not None and fmt == "table":
        raise click.UsageError("--out needs --format json or --format gold")
    if published is not None:
        from datetime import date

        try:
            date.fromisoformat(published)
        except ValueError:
            raise click.BadParameter(f"{published!r} is not YYYY-MM-DD", param_hint="--published") from None
    opts: dict[str, Any] = {"max_bytes": max_bytes, "published": published, "outlet": outlet}

    if str(source) == "-":
        try:
            items: list = [(Path("stdin.txt"), read_stdin(**opts))]
        except InputError as e:
            items = [(Path("stdin.txt"), e)]
    else:
        try:
            paths = find_inputs(source)
        except InputError as e:
            raise _Fail(str(e)) from None
        items = iter_documents(paths, **opts)  # type: ignore[assignment]

    pipeline = None
    failed = 0
    if out_dir is not None:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise _Fail(f"{out_dir}: cannot create ({e.strerror or e})") from None
    for path, doc in items:
        name = "<stdin>" if str(source) == "-" else str(path)
        if isinstance(doc, InputError):
            _error(str(doc))
            failed += 1
            continue
        try:
            if pipeline is None:
                from .pipeline import default_pipeline

                pipeline = default_pipeline()
            analysis = pipeline.analyze_document(doc)
        except CounterclaimError as e:
            _error(name, str(e))
            failed += 1
            continue
        except Exception as e:  # a bug in one document's analysis must not stop a batch
            _error(name, f"analysis failed ({type(e).__name__}: {e})")
            failed += 1
            continue
        stem = path.stem
        if fmt == "table":
            click.echo(format_table(analysis, name))
            continue
        data = analysis.to_gold(doc_id=stem) if fmt == "gold" else analysis_dict(analysis, name)
        if out_dir is None:
            click.echo(json.dumps(data, ensure_ascii=False))
        else:
            target = out_dir / f"{stem}.json"
            try:
                target.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            except OSError as e:
                _error(str(target), f"cannot write ({e.strerror or e})")
                failed += 1
    if failed:
        sys.exit(1)


def analysis_dict(a: Analysis, name: str) -> dict[str, Any]:
    """The full analysis as JSON: document metadata, every place mention, every claim."""
    doc = a.document
    gold = a.to_gold(doc_id=doc.id)
    return {
        "file": name,
        "id": doc.id,
        "title": doc.title,
        "url": doc.url,
        "outlet": a.outlet,
        "outlet_side": a.outlet_side,
        "published": doc.published.isoformat() if doc.published else None,
        "language": doc.language,
        "places": gold["places"],
        "mentions": [
            {"start": m.start, "end": m.end, "surface": m.surface, "place_id": m.place.id,
             "name": m.place.name, "precision": m.precision, "confidence": round(m.confidence, 3)}
            for m in a.places
        ],
        "claims": [
            {**g, "place_id": c.place.id, "date_precision": c.date_precision,
             "extractor": c.extractor, "extractor_version": c.extractor_version}
            for g, c in zip(gold["claims"], a.claims, strict=True)
        ],
    }


def _cut(s: str | None, width: int) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= width else s[: width - 1] + "…"


_COLUMNS = (("claimant [side]", 30), ("status", 9), ("ctrl", 4), ("%", 4), ("place (precision)", 24),
            ("date", 10))


def format_table(a: Analysis, name: str) -> str:
    """A plain-text table of the claims of one analysis, at most 120 columns wide."""
    doc = a.document
    info = [f"published {doc.published.isoformat()}" if doc.published else "published ?"]
    if a.outlet:
        info.append(f"outlet {a.outlet} [{a.outlet_side}]")
    info.append(f"{len(a.claims)} claim{'s' if len(a.claims) != 1 else ''}")
    lines = [_cut(f"== {name}  ({', '.join(info)})", WIDTH)]
    precision = {m.place.id: m.precision for m in a.places}
    evidence_width = WIDTH - sum(w + 1 for _, w in _COLUMNS)
    if a.claims:
        header = " ".join(f"{title:<{w}}" for title, w in _COLUMNS) + " evidence"
        lines.append(header)
        lines.append("-" * min(WIDTH, len(header) + evidence_width - len("evidence")))
        for c in a.claims:
            pct = "" if c.percent is None else f"{c.percent:g}"
            prec = precision.get(c.place.id, "")
            claimant_width = _COLUMNS[0][1] - len(c.claimant_side) - 3
            cells = (
                f"{_cut(c.claimant, claimant_width)} [{c.claimant_side}]",
                c.status, c.controller or "-", pct,
                f"{c.place.name} ({prec})" if prec else c.place.name,
                c.date or "-",
            )
            row = " ".join(f"{_cut(v, w):<{w}}" for v, (_, w) in zip(cells, _COLUMNS, strict=True))
            lines.append(f"{row} {_cut(c.evidence.text, evidence_width)}".rstrip())
    else:
        lines.append("(no claims)")
    # no break inside one place's entry: wrap on the "; " between entries only
    places = [f"{p.name} ({prec})".replace(" ", "\0") for p, _, prec in a.distinct_places()]
    wrapped = textwrap.wrap("places: " + ("; ".join(places) if places else "(none)"), WIDTH,
                            subsequent_indent="        ", break_on_hyphens=False, break_long_words=True)
    lines.extend(line.replace("\0", " ") for line in wrapped)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- eval
@cli.command("eval")
@click.argument("gold_dir", type=click.Path(path_type=Path))
@click.option("--pred", "pred_dir", type=click.Path(path_type=Path),
              help="Score prediction files in this directory instead of running the pipeline.")
@click.option("--per-article", is_flag=True, help="Also list each article's F1 and its missed/extra claims.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
def eval_(gold_dir: Path, pred_dir: Path | None, per_article: bool, as_json: bool) -> None:
    """Precision, recall and F1 of places and claims against gold annotations.

    Analyses each NAME.txt that has a NAME.json gold file beside it and prints the
    figures of score.py (claims JSON v1, see ../shared/eval/SCHEMA.md).

    \b
    Examples:
      counterclaim eval ../shared/eval/dev
      counterclaim eval ../shared/eval/dev --per-article
      counterclaim eval ../shared/eval/dev --pred out/ --json
    """
    from .errors import CounterclaimError
    from .evaluate import evaluate, score_dirs

    try:
        report = score_dirs(gold_dir, pred_dir) if pred_dir else evaluate(gold_dir)
    except CounterclaimError as e:
        raise _Fail(str(e)) from None
    for err in report.errors:
        _error(err)
    click.echo(json.dumps(report.to_dict()) if as_json else report.format(per_article))


# --------------------------------------------------------------------------- store: ingest
def _db_option(f):
    return click.option(
        "--db", "db", metavar="URL", envvar="COUNTERCLAIM_DB", default=None,
        help="Store: a SQLite path or URL, or postgresql://... "
             "[default: counterclaim.db, or $COUNTERCLAIM_DB]",
    )(f)


def _open_store(db: str | None):
    from .store import Store, StoreError

    try:
        return Store(db)
    except StoreError as exc:
        raise _Fail(str(exc)) from None


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@_db_option
@click.option("--outlet", metavar="NAME", help="Outlet of every document (overrides what the source says).")
@click.option("--side", type=click.Choice(["RU", "UA", "OTHER", "UNKNOWN"]), help="Side of that outlet.")
@click.option("--batch", type=click.IntRange(min=1), default=50, show_default=True,
              help="Documents written per transaction.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True,
              help="Largest document accepted.")
@click.option("--timeout", type=float, default=20.0, show_default=True, help="Seconds per network request.")
@click.option("--no-follow", is_flag=True, help="Do not fetch the pages a feed links to (use its summaries).")
@click.option("--workers", "-j", type=click.IntRange(min=1), default=None,
              help="Processes that analyse in parallel [default: 1; with --engine dask and no "
                   "--scheduler: the workers of a local cluster, one per core].")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: this machine, one writer; dask: shards run on a Dask cluster, each worker "
                   "writes.")
@click.option("--scheduler", metavar="ADDRESS", envvar="DASK_SCHEDULER_ADDRESS",
              help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (implies --engine dask) "
                   "[default: $DASK_SCHEDULER_ADDRESS, else a local cluster].")
@click.option("--out", "out_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Write Parquet files of documents and claims to DIR instead of the store "
                   "(load them with `counterclaim load DIR`).")
@click.option("--shard-files", type=click.IntRange(min=1), default=200, show_default=True,
              help="With --engine dask: text/HTML files per shard (each JSONL or WARC file is a shard).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def ingest(sources: tuple[str, ...], db: str | None, outlet: str | None, side: str | None, batch: int,
           max_bytes: int, timeout: float, no_follow: bool, workers: int | None, engine: str,
           scheduler: str | None, out_dir: Path | None, shard_files: int, quiet: bool) -> None:
    """Analyse documents and store them; running it again is a no-op for what is stored.

    A source is a text or HTML file, a directory, a JSONL file (one article per line:
    text or html, url, outlet, published, title; .jsonl.gz too), a WARC/ARC file (.warc,
    .warc.gz: every HTML or text record), a URL, or an RSS/Atom feed (URL or file).
    Each bad item is reported and the run goes on; the exit status is 1 if any failed.

    With --engine dask every JSONL/WARC file (and every --shard-files other files) is a
    shard that one worker reads, analyses and writes, so the workers must see the same
    paths and reach the store (use PostgreSQL when the workers are on several machines).

    \b
    Examples:
      counterclaim ingest samples/
      counterclaim ingest archive.jsonl --db postgresql://me@localhost/cc --workers 4
      counterclaim ingest https://example.org/feed.xml --outlet "Example News" --side OTHER
      counterclaim ingest /data/crawl/ --engine dask --scheduler tcp://10.0.0.5:8786 --db postgresql://me@db/cc
      counterclaim ingest /data/shards/ --engine dask --workers 2 --out claims-parquet/
    """
    read = {"outlet": outlet, "outlet_side": side, "max_bytes": max_bytes, "timeout": timeout,
            "follow_feed_links": not no_follow}
    if scheduler:
        engine = "dask"
    if engine == "dask":
        _ingest_dask(sources, db, out_dir, scheduler, workers, batch, shard_files, quiet, read)
    else:
        _ingest_local(sources, db, out_dir, workers or 1, batch, quiet, read)


def _progress_bar(quiet: bool, **kw):
    from tqdm import tqdm

    return tqdm(file=sys.stderr, disable=quiet, dynamic_ncols=True, mininterval=0.5, **kw)


def _error_above(bar):
    """An error reporter that prints `error: item: reason` above a progress bar."""

    def on_error(name: str, reason: str) -> None:
        bar.clear()
        _error(name, reason)

    return on_error


def _ingest_local(sources, db, out_dir, workers, batch, quiet, read: dict[str, Any]) -> None:
    from .ingest import ingest as run_ingest
    from .pipeline import Pipeline
    from .sources import iter_sources

    sink: Any
    if out_dir is not None:
        import time as _time

        from .parquet import ParquetError, ParquetSink, stored_ids

        try:
            sink = ParquetSink(out_dir, f"local-{_time.strftime('%Y%m%dT%H%M%S')}",
                               known=stored_ids(out_dir) if out_dir.is_dir() else (), part_size=10_000)
        except ParquetError as exc:
            raise _Fail(str(exc)) from None
    else:
        sink = _open_store(db)
    pipeline = Pipeline() if workers == 1 else None
    bar = _progress_bar(quiet, unit="doc")

    def progress(summary) -> None:
        if summary.seen > bar.n:
            bar.set_postfix(new=summary.new, dup=summary.duplicates, failed=summary.failed, refresh=False)
            bar.update(summary.seen - bar.n)  # tqdm redraws at most every mininterval

    items = iter_sources(sources, **read)
    try:
        summary = run_ingest(items, sink, pipeline, batch_size=batch, progress=progress,
                             on_error=_error_above(bar), command="ingest " + " ".join(sources),
                             workers=workers)
    finally:
        bar.close()
        if out_dir is not None:
            sink.commit()  # what was analysed before an interruption is kept, whole
    if out_dir is not None:
        click.echo(f"{summary.line().replace('stored', 'written')}; Parquet in {out_dir}/ "
                   f"(load it with: counterclaim load {out_dir})")
    else:
        click.echo(f"run {summary.run_id}: {summary.line()}")
        sink.close()
    if summary.failed:
        sys.exit(1)


def _ingest_dask(sources, db, out_dir, scheduler, workers, batch, shard_files, quiet,
                 read: dict[str, Any]) -> None:
    from .config import settings
    from .errors import CounterclaimError
    from .shards import ReadOptions, plan_shards, run_dask

    try:
        shards = list(plan_shards(sources, files_per_shard=shard_files))
    except ValueError as exc:
        raise _Fail(str(exc)) from None
    if not shards:
        raise _Fail("no sources to read")
    bar = _progress_bar(quiet, unit="shard", total=len(shards))

    def progress(summary) -> None:
        bar.set_postfix(docs=summary.seen_so_far, new=summary.new, failed=summary.failed, refresh=False)
        bar.update(summary.shards - bar.n)

    try:
        summary = run_dask(shards, ReadOptions(**read), out_dir=out_dir,
                           store_url=None if out_dir else db or settings().db, batch_size=batch,
                           scheduler=scheduler, workers=workers,
                           command="ingest --engine dask " + " ".join(sources), progress=progress,
                           on_error=_error_above(bar))
    except CounterclaimError as exc:
        raise _Fail(str(exc)) from None
    finally:
        bar.close()
    where = f"Parquet in {out_dir}/ (load it with: counterclaim load {out_dir})" if out_dir \
        else f"run {summary.run_id}"
    click.echo(f"{where}: {summary.line()}")
    if summary.failed or summary.failed_shards:
        sys.exit(1)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@_db_option
@click.option("--batch", type=click.IntRange(min=1), default=200, show_default=True,
              help="Documents written per transaction.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def load(directory: Path, db: str | None, batch: int, quiet: bool) -> None:
    """Store the Parquet output of `ingest --out DIR`; loading it again is a no-op.

    Only complete parts are read (those a killed run left half-written are not); a document
    already stored is skipped, and the failures the run recorded go to the failures table.

    \b
    Examples:
      counterclaim load claims-parquet/
      counterclaim load claims-parquet/ --db postgresql://me@localhost/cc
    """
    from .parquet import ParquetError, list_parts, load_parts

    try:
        parts = list_parts(directory)
    except ParquetError as exc:
        raise _Fail(str(exc)) from None
    if not parts:
        raise _Fail(f"{directory}: no complete parts (is it the --out directory of an ingest run?)")
    store = _open_store(db)
    bar = _progress_bar(quiet, unit="doc", total=sum(int(p.manifest.get("documents", 0)) for p in parts))
    try:
        summary = load_parts(parts, store, batch_size=batch, command=f"load {directory}",
                             progress=lambda seen: bar.update(seen - bar.n))
    except ParquetError as exc:
        raise _Fail(str(exc)) from None
    finally:
        bar.close()
    click.echo(f"run {summary.run_id}: loaded {len(parts)} parts: {summary.line()}")
    store.close()


@cli.command()
@_db_option
@click.option("--all", "everything", is_flag=True, help="Redo every document, not only older versions.")
def reanalyze(db: str | None, everything: bool) -> None:
    """Re-run the current extractor over stored documents analysed by an older version.

    Each claim keeps the extractor version that produced it.

    \b
    Examples:
      counterclaim reanalyze
      counterclaim reanalyze --all --db postgresql://me@localhost/cc
    """
    from .claims import EXTRACTOR_VERSION
    from .ingest import reanalyze as run_reanalyze
    from .pipeline import Pipeline

    store = _open_store(db)
    docs, n = run_reanalyze(store, Pipeline(), everything=everything)
    click.echo(f"re-analysed {docs} documents with extractor {EXTRACTOR_VERSION}: {n} claims")
    store.close()


# --------------------------------------------------------------------------- gazetteer
@cli.group()
def gazetteer() -> None:
    """Manage the place index (GeoNames, KATOTTG and your additions).

    \b
    Examples:
      counterclaim gazetteer lookup Kupyansk
      counterclaim gazetteer add UA.txt
      counterclaim gazetteer build
    """


@gazetteer.command("add")
@click.argument("file", type=click.Path(path_type=Path))
def gazetteer_add(file: Path) -> None:
    """Add the places of a GeoNames country dump (UA.txt format) to the gazetteer.

    The rows are kept in the cache directory (COUNTERCLAIM_CACHE_DIR) and survive rebuilds.

    \b
    Example:
      curl -O https://download.geonames.org/export/dump/UA.zip && unzip UA.zip
      counterclaim gazetteer add UA.txt
    """
    from .errors import CounterclaimError
    from .gazetteer import add_geonames_dump

    try:
        n = add_geonames_dump(file)
    except CounterclaimError as e:
        raise _Fail(str(e)) from None
    click.echo(f"added {n} place{'s' if n != 1 else ''} from {file}")


@gazetteer.command("build")
def gazetteer_build() -> None:
    """Rebuild the compact place index in the cache directory.

    \b
    Example:
      COUNTERCLAIM_CACHE_DIR=/tmp/cc counterclaim gazetteer build
    """
    import time

    from .config import settings
    from .errors import CounterclaimError
    from .gazetteer import Gazetteer

    t0 = time.perf_counter()
    try:
        g = Gazetteer.load(rebuild=True)
    except CounterclaimError as e:
        raise _Fail(str(e)) from None
    click.echo(f"gazetteer index rebuilt in {settings().cache_dir}: {len(g.names()):,} names "
               f"in {time.perf_counter() - t0:.1f} s")


@gazetteer.command("lookup")
@click.argument("name")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per candidate.")
def gazetteer_lookup(name: str, limit: int, as_json: bool) -> None:
    """The places a name may refer to, most likely first (any spelling or script).

    \b
    Examples:
      counterclaim gazetteer lookup Kupyansk
      counterclaim gazetteer lookup "Куп'янськ" --json
    """
    from .errors import CounterclaimError
    from .gazetteer import Gazetteer

    try:
        places = Gazetteer.load().lookup(name)
    except CounterclaimError as e:
        raise _Fail(str(e)) from None
    if not places:
        raise _Fail(f"{name}: no place of that name")
    for p in places[:limit]:
        if as_json:
            click.echo(json.dumps({"id": p.id, "name": p.name, "geonameid": p.geonameid, "admin1": p.admin1,
                                   "country": p.country, "lat": p.lat, "lon": p.lon,
                                   "population": p.population, "feature_class": p.feature_class},
                                  ensure_ascii=False))
        else:
            where = ", ".join(x for x in (p.admin1, p.country) if x)
            coords = f"{p.lat:.4f},{p.lon:.4f}" if p.lat is not None and p.lon is not None else "-"
            click.echo(f"{p.id:<18} {_cut(p.name, 30):<30} {_cut(where, 34):<34} {coords:<20} "
                       f"pop {p.population:,}")
    if len(places) > limit:
        click.echo(f"... {len(places) - limit} more (--limit)")


# =========================================================================== store: queries
# claims, disputes, agreements, timeline, snapshot, export (library: store, disputes, exports)
def _filter_options(f):
    """The claim filters shared by `claims` and `export`."""
    for opt in reversed([
        click.option("--place", metavar="PLACE", help="Place name (any spelling), place id or GeoNames id."),
        click.option("--side", type=click.Choice(["RU", "UA", "OTHER", "UNKNOWN"], case_sensitive=False),
                     help="Claimant side."),
        click.option("--status", type=click.Choice(
            ["controls", "partial", "denies", "fighting", "encircled", "withdrew"], case_sensitive=False)),
        click.option("--outlet", metavar="NAME", help="Outlet name (any case)."),
        click.option("--since", metavar="DATE", callback=_check_date, help="From this date: YYYY[-MM[-DD]]."),
        click.option("--until", metavar="DATE", callback=_check_date, help="Up to this date, inclusive."),
        click.option("--text", "words", metavar="WORDS", help="Words that the evidence contains."),
    ]):
        f = opt(f)
    return f


def _check_date(ctx, param, value: str | None) -> str | None:  # noqa: ARG001 - click's signature
    from .disputes import date_range

    if value is not None and date_range(value) is None:
        raise click.BadParameter(f"{value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _store_with_claims(db: str | None):
    """The store, or a friendly message and exit 0 when it holds no claims yet."""
    store = _open_store(db)
    if store.count("claims") == 0:
        click.echo(f"The store {store.url} has no claims yet. Add some with: counterclaim ingest samples/")
        store.close()
        sys.exit(0)
    return store


def _place_or_fail(store, name: str):
    """The stored place a user means (id, GeoNames id, or a name in any spelling the gazetteer
    knows); otherwise an error naming the stored places that look alike."""
    import difflib

    found = store.resolve_place(name)
    if not found and ":" not in name and not name.isdigit():
        stored = {p["id"] for p in store.places_summary()}
        try:
            from .gazetteer import Gazetteer

            found = [p for p in Gazetteer.load().lookup(name) if p.id in stored]
        except Exception:  # noqa: BLE001 - a missing gazetteer only loses spelling variants
            found = []
    if not found:
        names = sorted({p["name"] for p in store.places_summary()})
        lowered = {n.lower(): n for n in names}
        close = [lowered[n] for n in difflib.get_close_matches(name.lower(), list(lowered), n=6, cutoff=0.6)]
        hint = f"; did you mean: {', '.join(close)}?" if close else " (counterclaim claims lists them)"
        raise _Fail(f"{name}: no stored claims about a place of that name{hint}")
    return found[0]


def _claim_filter(store, place, side, status, outlet, since, until, words):
    from .store import ClaimFilter

    place_id = _place_or_fail(store, place).id if place else None
    return ClaimFilter(place=place_id, side=side, status=status, outlet=outlet, since=since, until=until,
                       text=words)


_CLAIM_COLUMNS = (("id", 5), ("date", 10), ("claimant [side]", 28), ("status", 9), ("ctrl", 4), ("%", 4),
                  ("place", 18), ("outlet", 14))


def _claim_line(sc, indent: str = "") -> str:
    c = sc.claim
    claimant_width = _CLAIM_COLUMNS[2][1] - len(c.claimant_side) - 3
    pct = "" if c.percent is None else f"{c.percent:g}"
    cells = (str(sc.id), sc.when or "-", f"{_cut(c.claimant, claimant_width)} [{c.claimant_side}]", c.status,
             c.controller or "-", pct, c.place.name, sc.outlet or "-")
    row = " ".join(f"{_cut(v, w):<{w}}" for v, (_, w) in zip(cells, _CLAIM_COLUMNS, strict=True))
    width = WIDTH - len(indent) - len(row) - 1
    return f"{indent}{row} {_cut(c.evidence.text, max(width, 20))}".rstrip()


def _claims_header(indent: str = "") -> str:
    header = indent + " ".join(f"{t:<{w}}" for t, w in _CLAIM_COLUMNS) + " evidence"
    return header + "\n" + indent + "-" * (WIDTH - len(indent))


@cli.command("claims")
@_db_option
@_filter_options
@click.option("--limit", type=click.IntRange(min=1), help="At most this many claims.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="json: one object per line.")
def claims_cmd(db, place, side, status, outlet, since, until, words, limit, fmt) -> None:
    """Stored claims, oldest first, filtered.

    \b
    Examples:
      counterclaim claims --place Kupyansk
      counterclaim claims --side RU --status controls --since 2025-03 --limit 20
      counterclaim claims --text liberated --format csv > claims.csv
    """
    from .exports import export

    store = _store_with_claims(db)
    flt = _claim_filter(store, place, side, status, outlet, since, until, words)
    rows = store.iter_claims(flt, limit=limit)
    if fmt in ("json", "csv"):
        export(rows, "jsonl" if fmt == "json" else "csv", sys.stdout)
    else:
        n = 0
        for sc in rows:
            if n == 0:
                click.echo(_claims_header())
            click.echo(_claim_line(sc))
            n += 1
        click.echo(f"({n} claim{'s' if n != 1 else ''})" if n else "(no claims match)")
    store.close()


def _print_pairs(items, context_of, fmt: str, what: str) -> None:
    from .disputes import dispute_dict

    if fmt == "json":
        for d in items:
            click.echo(json.dumps(dispute_dict(d, context_of(d)), ensure_ascii=False, default=str))
        return
    if not items:
        click.echo(f"(no {what} found)")
        return
    for d in items:
        p = d.place
        where = ", ".join(x for x in (p.admin1, p.country) if x)
        period = d.start if d.start == d.end else f"{d.start} .. {d.end}"
        click.echo(_cut(f"== {p.name}{f' ({where})' if where else ''}  {period}  [{d.kind}]", WIDTH))
        click.echo(textwrap.fill(d.summary, WIDTH, initial_indent="   ", subsequent_indent="     "))
        for label, claims in (("RU side", d.ru), ("UA side", d.ua), ("third parties", context_of(d))):
            if claims:
                click.echo(f"   {label}:")
                for sc in claims:
                    click.echo(_claim_line(sc, "     "))
        click.echo()
    click.echo(f"({len(items)} {what if len(items) != 1 else what[:-1]})")


def _pair_command(kind: str):
    def decorate(f):
        for opt in reversed([
            _db_option,
            click.option("--place", metavar="PLACE", help="Only this place (any spelling, id, GeoNames id)."),
            click.option("--since", metavar="DATE", callback=_check_date, help="Claims from this date."),
            click.option("--until", metavar="DATE", callback=_check_date, help="Claims up to this date."),
            click.option("--window", type=click.IntRange(min=0), default=14, show_default=True,
                         help="Days between two claims that can still contradict (or concur)."),
            click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
                         show_default=True, help="json: one object per line."),
        ]):
            f = opt(f)
        return f
    return decorate


@cli.command("disputes")
@_pair_command("disputes")
@click.option("--share-gap", type=click.FloatRange(min=0), default=25.0, show_default=True,
              help="Points apart two stated shares must be to contradict.")
def disputes_cmd(db, place, since, until, window, fmt, share_gap) -> None:
    """Where the RU and UA sides contradict each other, per place and period, newest first.

    Each dispute lists both sides' claims with their evidence, and the claims of third
    parties (wires, analysts) that contradict either side.

    \b
    Examples:
      counterclaim disputes
      counterclaim disputes --place Kupiansk --since 2025-01 --window 7
      counterclaim disputes --format json > disputes.jsonl
    """
    from .disputes import context_claims, find_disputes

    store = _store_with_claims(db)
    flt = _claim_filter(store, place, None, None, None, since, until, None)
    claims = store.claims(flt)
    found = find_disputes(claims, window_days=window, share_gap=share_gap)
    _print_pairs(found, lambda d: context_claims(d, claims, window_days=window, share_gap=share_gap), fmt,
                 "disputes")
    store.close()


@cli.command("agreements")
@_pair_command("agreements")
def agreements_cmd(db, place, since, until, window, fmt) -> None:
    """Where the RU and UA sides concur about who holds a place, newest first.

    Both claim the same controller, or one announces a capture and the other a withdrawal.

    \b
    Examples:
      counterclaim agreements
      counterclaim agreements --place Bakhmut --format json
    """
    from .disputes import find_agreements

    store = _store_with_claims(db)
    flt = _claim_filter(store, place, None, None, None, since, until, None)
    _print_pairs(find_agreements(store.claims(flt), window_days=window), lambda d: (), fmt, "agreements")
    store.close()


@cli.command("timeline")
@click.argument("place")
@_db_option
@click.option("--chart", type=click.Path(dir_okay=False, path_type=Path), metavar="PATH",
              help="Also draw the timeline as a chart: PATH.png or PATH.svg.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="json: one claim per line.")
def timeline_cmd(place: str, db, chart: Path | None, fmt: str) -> None:
    """Every claim about one place, in date order (undated claims last).

    \b
    Examples:
      counterclaim timeline Kupiansk
      counterclaim timeline Kupyansk --chart kupiansk.png
      counterclaim timeline gn:703656 --format json
    """
    from .disputes import render_timeline_chart, timeline
    from .store import ClaimFilter

    if chart is not None and chart.suffix.lower() not in (".png", ".svg"):
        raise click.BadParameter("the chart file must end in .png or .svg", param_hint="--chart")
    store = _store_with_claims(db)
    p = _place_or_fail(store, place)
    claims = timeline(store.claims(ClaimFilter(place=p.id)))
    if fmt == "json":
        for sc in claims:
            click.echo(json.dumps(sc.to_dict(), ensure_ascii=False, default=str))
    else:
        where = ", ".join(x for x in (p.admin1, p.country) if x)
        click.echo(_cut(f"== {p.name}{f' ({where})' if where else ''}: {len(claims)} claims", WIDTH))
        click.echo(_claims_header())
        for sc in claims:
            click.echo(_claim_line(sc))
    if chart is not None:
        try:
            render_timeline_chart(p, claims, chart, chart.suffix.lower().lstrip("."))
        except OSError as e:
            raise _Fail(f"{chart}: cannot write ({e.strerror or e})") from None
        click.echo(f"chart written to {chart}", err=True)
    store.close()


@cli.command("snapshot")
@_db_option
@click.option("--date", "as_of", required=True, metavar="YYYY-MM-DD", help="The date of the picture.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="json: one place per line.")
def snapshot_cmd(db, as_of: str, fmt: str) -> None:
    """The control picture on a date: per place, each side's latest claim and whether they agree.

    States: agree-RU, agree-UA, disputed, fighting, one-sided (only one side spoke).

    \b
    Examples:
      counterclaim snapshot --date 2025-03-10
      counterclaim snapshot --date 2024-02-20 --format json
    """
    from datetime import date

    from .disputes import snapshot
    from .store import ClaimFilter

    try:
        day = date.fromisoformat(as_of)
    except ValueError:
        raise click.BadParameter(f"{as_of!r} is not YYYY-MM-DD", param_hint="--date") from None
    store = _store_with_claims(db)
    rows = snapshot(store.iter_claims(ClaimFilter(until=as_of)), day)
    if fmt == "json":
        for r in rows:
            click.echo(json.dumps(r.to_dict(), ensure_ascii=False, default=str))
    elif not rows:
        click.echo(f"(no dated claims on or before {as_of})")
    else:
        def side(sc) -> str:
            if sc is None:
                return "-"
            c = sc.claim
            pct = f" {c.percent:g}%" if c.percent is not None else ""
            return f"{c.status} {c.controller or ''}{pct} ({sc.when})".replace("  ", " ")

        click.echo(f"{'place':<22} {'state':<10} {'RU side latest':<40} UA side latest")
        click.echo("-" * WIDTH)
        for r in rows:
            click.echo(f"{_cut(r.place.name, 22):<22} {r.state:<10} {_cut(side(r.ru), 40):<40} "
                       f"{_cut(side(r.ua), WIDTH - 75)}")
        counts: dict[str, int] = {}
        for r in rows:
            counts[r.state] = counts.get(r.state, 0) + 1
        states = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        click.echo(f"({len(rows)} places on {as_of}: {states})")
    store.close()


@cli.command("export")
@_db_option
@_filter_options
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "geojson", "acled", "claims-json"]),
              required=True, help="claims-json: claims JSON v1, one document per line.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write here instead of standard output.")
def export_cmd(db, place, side, status, outlet, since, until, words, fmt: str, out: Path | None) -> None:
    """Export stored claims (streamed): JSONL, CSV, GeoJSON, ACLED-style CSV or claims JSON v1.

    \b
    Examples:
      counterclaim export --format geojson --out claims.geojson
      counterclaim export --format acled --side RU --since 2025-01 --out acled.csv
      counterclaim export --format claims-json --place Kupiansk
    """
    from .exports import export, iter_claims_by_document

    store = _store_with_claims(db)
    flt = _claim_filter(store, place, side, status, outlet, since, until, words)
    claims = iter_claims_by_document(store, flt) if fmt == "claims-json" else store.iter_claims(flt)
    try:
        if out is None:
            result = export(claims, fmt, sys.stdout)
        else:
            with out.open("w", encoding="utf-8", newline="") as fh:
                result = export(claims, fmt, fh)
    except OSError as e:
        raise _Fail(f"{out}: cannot write ({e.strerror or e})") from None
    unit = "documents" if fmt == "claims-json" else "claims"
    msg = f"exported {result.written} {unit}" + (f" to {out}" if out else "")
    if result.skipped:
        msg += f"; skipped {result.skipped} claims whose place has no coordinates"
    click.echo(msg, err=True)
    store.close()
# =========================================================================== end of store: queries


@cli.command()
@click.argument("words", nargs=-1, required=True)
@_db_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def search(words: tuple[str, ...], db: str | None, limit: int, fmt: str) -> None:
    """Full-text search over the stored documents (titles and texts), best matches first.

    \b
    Examples:
      counterclaim search Vovchansk liberation
      counterclaim search "Chasiv Yar" --format json --db postgresql://me@localhost/cc
    """
    from .store import dumps_row

    store = _open_store(db)
    rows = store.search(" ".join(words), limit=limit)
    store.close()
    if fmt == "json":
        for r in rows:
            click.echo(dumps_row(r))
        return
    if not rows:
        click.echo("(no documents match)")
        return
    for r in rows:
        click.echo(f"{r['id']}  {str(r['published'] or '-'):<10}  {_cut(r['outlet'] or '-', 24):<24}  "
                   f"{_cut(r['title'] or r['url'] or '', 70)}")


@cli.command()
@_db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--token", envvar="COUNTERCLAIM_TOKEN", default=None,
              help="Bearer token that enables writing (POST /api/analyze) [env COUNTERCLAIM_TOKEN].")
@click.option("--tiles", envvar="COUNTERCLAIM_TILES", default=None, metavar="URL",
              help="Online map tiles, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png "
                   "[default: the offline base layer]")
def serve(db: str | None, host: str, port: int, token: str | None, tiles: str | None) -> None:
    """Serve the REST API (OpenAPI at /openapi.json) and the web pages over a store.

    \b
    Examples:
      counterclaim serve
      counterclaim serve --db postgresql://me@localhost/cc --host 0.0.0.0 --port 8080
      COUNTERCLAIM_TOKEN=secret counterclaim serve     # enables POST /api/analyze
    """
    try:
        import uvicorn

        from .web import WebSettings, create_app
    except ImportError as exc:
        raise _Fail(f"the web extra is not installed ({exc.name}): pip install 'counterclaim[web]'") from None
    from .store import StoreError

    try:
        app = create_app(WebSettings.from_env(db=db, token=token, tiles=tiles))
    except StoreError as exc:
        raise _Fail(str(exc)) from None
    click.echo(f"counterclaim on http://{host}:{port}/ (API docs at /docs)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="counterclaim")


if __name__ == "__main__":
    main()
