"""`counterclaim ingest` and `counterclaim reanalyze` through the CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

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
