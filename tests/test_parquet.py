"""Parquet output: parts written whole or not at all, read back to the same analyses, loaded once."""

from __future__ import annotations

import json

import pytest

from counterclaim.ingest import ingest
from counterclaim.models import Document
from counterclaim.parquet import ParquetError, ParquetSink, list_parts, load_parts, read_parts, stored_ids
from counterclaim.pipeline import Pipeline
from counterclaim.store import Store
from counterclaim.synthetic import articles

pytest.importorskip("pyarrow", reason="pyarrow is part of the dev install")


@pytest.fixture(scope="module")
def analyses():
    pipeline = Pipeline()
    docs = [Document(text=a["text"], url=a["url"], outlet=a["outlet"], outlet_side=a["outlet_side"],
                     title=a["title"]) for a in articles(40, seed=5)]
    return [pipeline.analyze_document(Document(**{**_fields(d), "id": Document.content_id(d.text)}))
            for d in docs]


def _fields(doc):
    return {f: getattr(doc, f) for f in doc.__slots__}


def _stored(url):
    with Store(url) as s:
        return sorted((c.document_id, c.claim.evidence.start, c.claim.place.id, c.claim.status, repr(c.claim),
                       c.outlet, c.outlet_side, c.published, c.url) for c in s.claims())


@pytest.mark.parametrize("part_size", [None, 7])
def test_parts_read_back_to_the_same_analyses(tmp_path, analyses, part_size):
    sink = ParquetSink(tmp_path, "k", part_size=part_size)
    assert sink.add_many([(a, f"src{i}") for i, a in enumerate(analyses)]) == [True] * len(analyses)
    sink.commit()
    parts = list_parts(tmp_path)
    assert len(parts) == (1 if part_size is None else -(-len(analyses) // part_size))
    back = [(a, src) for _, batch in read_parts(parts, batch_size=6) for a, src in batch]
    assert [src for _, src in back] == [f"src{i}" for i in range(len(analyses))]
    for (got, _), want in zip(back, analyses, strict=True):
        assert got.document == want.document
        assert got.claims == want.claims
        assert (got.outlet, got.outlet_side) == (want.outlet, want.outlet_side)
    assert stored_ids(tmp_path) == {a.document.id for a in analyses}


def test_a_part_without_its_manifest_is_not_read(tmp_path, analyses):
    sink = ParquetSink(tmp_path, "done")
    sink.add_many([(a, None) for a in analyses[:5]])
    sink.commit()
    torn = ParquetSink(tmp_path, "killed")
    torn.add_many([(a, None) for a in analyses[5:]])  # never committed: the run "was killed"
    assert [p.key for p in list_parts(tmp_path)] == ["done"]
    assert stored_ids(tmp_path) == {a.document.id for a in analyses[:5]}
    torn.abort()
    assert not list((tmp_path / "documents").glob("*.tmp"))


def test_duplicates_within_a_sink_are_written_once(tmp_path, analyses):
    sink = ParquetSink(tmp_path, "k", known=[analyses[0].document.id])
    items = [(analyses[0], None), (analyses[1], None), (analyses[1], None)]
    assert sink.add_many(items) == [False, True, False]
    sink.commit()
    assert stored_ids(tmp_path) == {analyses[1].document.id}


def test_failures_go_into_the_manifest_and_are_recorded_once_by_load(tmp_path, analyses):
    out = tmp_path / "out"
    sink = ParquetSink(out, "k")
    sink.record_failure(0, "a.jsonl:3", "invalid JSON: Expecting value (column 1)")
    sink.add_many([(a, None) for a in analyses[:3]])
    sink.commit()
    manifest = json.loads((out / "_parts" / "k.json").read_text())
    assert manifest["failures"] == [["a.jsonl:3", "invalid JSON: Expecting value (column 1)"]]
    assert manifest["documents"] == 3
    url = f"sqlite:///{tmp_path / 'cc.db'}"
    with Store(url) as store:
        first = load_parts(list_parts(out), store)
        again = load_parts(list_parts(out), store)
        assert (first.new, first.failures) == (3, 1)
        assert (again.new, again.duplicates, again.failures) == (0, 3, 0)
        assert [f["source"] for f in store.failures()] == ["a.jsonl:3"]


def test_loading_parquet_stores_what_a_direct_ingest_stores(tmp_path, analyses, store_url):
    direct = f"sqlite:///{tmp_path / 'direct.db'}"
    items = [_Item(f"doc{i}", a.document) for i, a in enumerate(analyses)]
    with Store(direct) as store:
        ingest(items, store, Pipeline())
    sink = ParquetSink(tmp_path / "out", "k")
    ingest(items, sink, Pipeline(), run_id=0)
    sink.commit()
    with Store(store_url) as store:
        load_parts(list_parts(tmp_path / "out"), store)
    assert _stored(store_url) == _stored(direct)


class _Item:
    def __init__(self, name, document):
        self.name, self.document, self.error = name, document, None


@pytest.mark.parametrize("setup, message", [
    (lambda d: None, "no such directory"),
    (lambda d: (d.mkdir(), (d / "_parts").mkdir(), (d / "_parts" / "x.json").write_text("{")),
     "unreadable manifest"),
])
def test_bad_output_directories_are_named_in_the_error(tmp_path, setup, message):
    d = tmp_path / "out"
    setup(d)
    with pytest.raises(ParquetError, match=message):
        list_parts(d)


def test_a_part_whose_claims_file_is_damaged_is_an_error_naming_it(tmp_path, analyses):
    sink = ParquetSink(tmp_path, "k")
    sink.add_many([(a, None) for a in analyses[:4]])
    sink.commit()
    (tmp_path / "claims" / "part-k.parquet").write_bytes(b"not parquet")
    with pytest.raises(ParquetError, match="part k: unreadable"):
        list(read_parts(list_parts(tmp_path)))
