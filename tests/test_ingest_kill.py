"""A real `counterclaim ingest` process killed with SIGKILL mid-run, then run again, ends
with every document stored exactly once and no partial rows."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from counterclaim import Pipeline
from counterclaim.models import Document
from counterclaim.store import Store

TOWNS = ["Pokrovsk", "Kupiansk", "Toretsk", "Siversk", "Lyman", "Vovchansk", "Huliaipole", "Orikhiv"]
N = 240


def write_articles(folder: Path) -> dict[str, str]:
    folder.mkdir()
    texts = {}
    for i in range(N):
        town = TOWNS[i % len(TOWNS)]
        text = (f"date: 2025-03-{1 + i % 28:02d}\n\nRussian forces captured {town}, the Russian "
                f"Defence Ministry said in bulletin number {i}. Ukraine's General Staff denied "
                f"that {town} had fallen and said fighting continued near the town.\n")
        (folder / f"a{i:04d}.txt").write_text(text, encoding="utf-8")
        texts[Document.content_id(text)] = text
    return texts


def documents_in(url: str) -> int:
    try:
        with Store(url, migrate=False) as s:
            return s.count("documents")
    except Exception:  # the schema may not exist yet  # noqa: BLE001
        return 0


def start(folder: Path, url: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "counterclaim.cli", "ingest", str(folder), "--db", url, "--batch", "8", "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ},
    )


def kill_when(proc: subprocess.Popen, url: str, at_least: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if documents_in(url) >= at_least:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


def check_whole(url: str, texts: dict[str, str], expected_claims: dict[str, int]) -> int:
    with Store(url) as s:
        ids = [d["id"] for d in s.documents(limit=10 * N)]
        assert len(ids) == len(set(ids)), "a document is stored twice"
        assert set(ids) <= set(texts)
        per_doc: dict[str, int] = {}
        for c in s.claims():
            per_doc[c.document_id] = per_doc.get(c.document_id, 0) + 1
        for doc_id in ids:  # every stored document has all of its claims, none half-written
            assert per_doc.get(doc_id, 0) == expected_claims[doc_id]
        if s.dialect == "sqlite":
            with s.engine.connect() as conn:
                from sqlalchemy import text

                assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
                fts = conn.execute(text("SELECT count(*) FROM documents_fts")).scalar()
                assert fts == len(ids)
        return len(ids)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_killed_ingest_resumes_without_loss_or_duplicates(tmp_path, backend, request):
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'kill.db'}"
    else:
        url = request.getfixturevalue("store_url_postgres")
    folder = tmp_path / "articles"
    texts = write_articles(folder)
    pipeline = Pipeline()
    expected = {i: len(pipeline.analyze(t).claims) for i, t in texts.items()}

    for at_least in (20, 120):  # kill twice, at different points
        proc = start(folder, url)
        kill_when(proc, url, at_least)
        assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()[-2000:]
        check_whole(url, texts, expected)

    proc = start(folder, url)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()[-2000:]
    assert check_whole(url, texts, expected) == N
    assert b"0 failed" in out

    again = start(folder, url)  # and once more: nothing new
    out, _ = again.communicate(timeout=300)
    assert again.returncode == 0 and f"0 new, {N} duplicates".encode() in out
