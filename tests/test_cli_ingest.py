"""`counterclaim ingest` and `counterclaim reanalyze` through the CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from counterclaim.cli import cli
from counterclaim.store import Store

SAMPLES = Path(__file__).resolve().parent.parent / "samples"



def test_ingest_a_directory_then_again(tmp_path):
    db = f"sqlite:///{tmp_path / 'cc.db'}"
    runner = CliRunner()
    first = runner.invoke(cli, ["ingest", str(SAMPLES), "--db", db, "-q"])
    assert first.exit_code == 0, first.output
    n = len(list(SAMPLES.glob("*.txt")))
    assert f"{n} new, 0 duplicates, 0 failed" in first.output
    again = runner.invoke(cli, ["ingest", str(SAMPLES), "--db", db, "-q"])
    assert again.exit_code == 0 and f"0 new, {n} duplicates" in again.output
    with Store(db) as s:
        assert s.count("documents") == n and s.count("claims") > n


def test_ingest_reports_bad_files_and_goes_on(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLES / "tass.txt", src / "a.txt")
    (src / "b.txt").write_bytes(b"")
    (src / "c.txt").write_bytes(b"\x00\x01binary")
    db = f"sqlite:///{tmp_path / 'cc.db'}"
    result = CliRunner().invoke(cli, ["ingest", str(src), "--db", db, "-q"])
    assert result.exit_code == 1
    assert "b.txt: empty file" in result.output and "c.txt" in result.output
    assert "1 new, 0 duplicates, 2 failed" in result.output
    with Store(db) as s:
        assert s.count("documents") == 1 and len(s.failures()) == 2


def test_ingest_uses_the_environment_store(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTERCLAIM_DB", str(tmp_path / "env.db"))
    result = CliRunner().invoke(cli, ["ingest", str(SAMPLES / "wire.txt"), "-q"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env.db").exists()


def test_reanalyze(tmp_path):
    db = f"sqlite:///{tmp_path / 'cc.db'}"
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(SAMPLES), "--db", db, "-q"]).exit_code == 0
    nothing = runner.invoke(cli, ["reanalyze", "--db", db])
    assert nothing.exit_code == 0 and "re-analysed 0 documents" in nothing.output
    everything = runner.invoke(cli, ["reanalyze", "--all", "--db", db])
    n = len(list(SAMPLES.glob("*.txt")))
    assert everything.exit_code == 0 and f"re-analysed {n} documents" in everything.output


def test_bad_store_url_is_a_clean_error(tmp_path):
    bad = "postgresql://x@127.0.0.1:1/none"
    result = CliRunner().invoke(cli, ["ingest", str(SAMPLES), "--db", bad, "-q"])
    assert result.exit_code == 1 and "error: cannot" in result.output


def test_search_finds_stored_documents(tmp_path):
    db = f"sqlite:///{tmp_path / 'cc.db'}"
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(SAMPLES), "--db", db, "-q"]).exit_code == 0
    found = runner.invoke(cli, ["search", "Konstantinovka", "--db", db, "--format", "json"])
    assert found.exit_code == 0 and found.output.count("\n") == 1 and "TASS" in found.output
    none = runner.invoke(cli, ["search", "zzzyx", "--db", db])
    assert none.exit_code == 0 and "no documents match" in none.output


def _claims_of(db: str) -> list[tuple]:
    with Store(db) as s:
        return sorted((c.document_id, c.claim.place.id, c.claim.status, c.claim.controller,
                       c.claim.claimant, c.claim.evidence.start, c.claim.evidence.end) for c in s.claims())


def test_parallel_ingest_stores_the_same_claims(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for f in SAMPLES.glob("*.txt"):
        for i in range(3):  # 18 distinct texts
            text = f.read_text(encoding="utf-8") + f"\n({i})\n"
            (src / f"{f.stem}{i}.txt").write_text(text, encoding="utf-8")
    (src / "bad.txt").write_bytes(b"")
    one, two = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'two.db'}"
    runner = CliRunner()
    r1 = runner.invoke(cli, ["ingest", str(src), "--db", one, "-q"])
    r2 = runner.invoke(cli, ["ingest", str(src), "--db", two, "-q", "--workers", "2", "--batch", "4"])
    assert r1.exit_code == r2.exit_code == 1  # the empty file fails in both
    assert "18 new, 0 duplicates, 1 failed" in r2.output
    assert _claims_of(one) == _claims_of(two) != []


# ------------------------------------------------------------------ Parquet output, load, dask


def _shards(tmp_path, n=30, k=3):
    from counterclaim.synthetic import write_shards

    src = tmp_path / "shards"
    write_shards(src, n, k, seed=8, gzip_every=2)
    return src


def test_ingest_to_parquet_then_load_equals_a_direct_ingest(tmp_path):
    src = _shards(tmp_path)
    direct, loaded = f"sqlite:///{tmp_path / 'direct.db'}", f"sqlite:///{tmp_path / 'loaded.db'}"
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(src), "--db", direct, "-q"]).exit_code == 0
    out = tmp_path / "pq"
    first = runner.invoke(cli, ["ingest", str(src), "--out", str(out), "-q", "--workers", "2"])
    assert first.exit_code == 0, first.output
    assert "30 new, 0 duplicates, 0 failed" in first.output and f"counterclaim load {out}" in first.output
    again = runner.invoke(cli, ["ingest", str(src), "--out", str(out), "-q"])
    assert "0 new, 30 duplicates" in again.output  # the documents of complete parts are known
    load = runner.invoke(cli, ["load", str(out), "--db", loaded, "-q"])
    assert load.exit_code == 0 and "30 new, 0 duplicates" in load.output, load.output
    assert _claims_of(loaded) == _claims_of(direct) != []


def test_ingest_with_the_dask_engine_on_a_local_cluster(tmp_path):
    src = _shards(tmp_path)
    (src / "bad.jsonl").write_text('{"text": 3}\n', encoding="utf-8")
    direct, dask = f"sqlite:///{tmp_path / 'direct.db'}", f"sqlite:///{tmp_path / 'dask.db'}"
    runner = CliRunner()
    runner.invoke(cli, ["ingest", str(src), "--db", direct, "-q"])
    r = runner.invoke(cli, ["ingest", str(src), "--engine", "dask", "--workers", "2", "--db", dask, "-q"])
    assert r.exit_code == 1, r.output  # the bad line
    assert "30 new, 0 duplicates, 1 failed" in r.output and "4 shards on 2 workers" in r.output
    assert "bad.jsonl:1: field 'text' must be a string" in r.output
    assert _claims_of(dask) == _claims_of(direct) != []


@pytest.mark.parametrize("args, message", [
    (["ingest", "-", "--engine", "dask"], "standard input cannot be read by the workers"),
    (["load", "nowhere"], "no such directory"),
])
def test_distributed_usage_errors_are_clear(tmp_path, args, message):
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 1 and message in r.output
