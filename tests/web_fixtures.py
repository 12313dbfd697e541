"""Fixtures of the web API tests: a real SQLite store built by analysing short articles, and
real uvicorn servers over it on 127.0.0.1 (one read-only, one with a write token).

Import the fixtures into a test module with ``from web_fixtures import *  # noqa: F403``.
"""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

TOKEN = "s3cret-token"

#: (outlet, published, text): a TASS-style capture of Kupiansk and the Ukrainian denial the
#: same week (a dispute), an analyst's share, a withdrawal with a script tag in its text and
#: the Russian capture of the same town (an agreement), fighting elsewhere.
ARTICLES = [
    ("TASS", "2025-03-05",
     "Russian forces have taken full control of Kupiansk, the Russian Defence Ministry said on "
     "March 4. The ministry also said its units were fighting in Kurylivka."),
    ("Ukrinform", "2025-03-06",
     "The General Staff of the Armed Forces of Ukraine denied on March 5 that Russian troops had "
     "captured Kupiansk. Ukrainian forces continue to hold the city, the General Staff said."),
    ("ISW", "2025-03-07",
     "The Institute for the Study of War assessed on March 6 that Russian forces control about "
     "30 percent of Kupiansk."),
    ("Kyiv Independent", "2025-03-08",
     "Ukrainian forces withdrew from Vovchansk, the General Staff said on March 7. "
     "<script>alert(1)</script>"),
    ("TASS", "2025-03-09",
     "Russian forces have taken full control of Vovchansk, the Russian Defence Ministry said on March 8."),
    ("TASS", "2024-11-20",
     "Russian units were fighting near Pokrovsk, the Russian Defence Ministry said on November 19."),
]

#: An article only the URL test serves (not in the store at the start).
SERVED_ARTICLE = ("<html><head><title>Front update</title></head><body><article><p>Russian forces "
                  "have taken full control of Kurakhove, the Russian Defence Ministry said on "
                  "March 10, 2025. The claim could not be verified independently, Reuters said.</p>"
                  "<p>Fighting continued in the area, according to local officials.</p></article>"
                  "</body></html>")


@dataclass
class Server:
    url: str
    db: Path
    token: str | None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_store(path: Path) -> Path:
    """A SQLite store of `ARTICLES`, analysed by the real pipeline."""
    from counterclaim.pipeline import default_pipeline
    from counterclaim.store import Store

    pipe = default_pipeline()
    with Store(f"sqlite:///{path}") as store:
        for outlet, published, text in ARTICLES:
            store.add(pipe.analyze(text, published=published, outlet=outlet), source=f"test:{outlet}")
    return path


def run_server(db: Path, token: str | None = None, max_body: int = 20_000) -> Iterator[Server]:
    """uvicorn on 127.0.0.1 in a thread, until the generator is closed."""
    import uvicorn

    from counterclaim.web import WebSettings, create_app

    app = create_app(WebSettings(db=f"sqlite:///{db}", token=token, max_body=max_body))
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="on", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield Server(url, db, token)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def web_db(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("web") / "web.db")


@pytest.fixture(scope="session")
def server(web_db) -> Iterator[Server]:
    """A read-only server (no token) over the shared store."""
    yield from run_server(web_db)


@pytest.fixture(scope="session")
def write_server(tmp_path_factory) -> Iterator[Server]:
    """A server with a token over its own copy of the store (the write tests change it)."""
    db = build_store(tmp_path_factory.mktemp("webw") / "write.db")
    yield from run_server(db, token=TOKEN)


@pytest.fixture(scope="session")
def article_site(tmp_path_factory) -> Iterator[str]:
    """A local http.server serving `SERVED_ARTICLE` at /article.html (and 404 elsewhere)."""
    root = tmp_path_factory.mktemp("site")
    (root / "article.html").write_text(SERVED_ARTICLE, encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=str(root), **kw)

        def log_message(self, *args):  # keep the test output clean
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


__all__ = ["ARTICLES", "TOKEN", "Server", "article_site", "build_store", "free_port", "run_server",
           "server", "web_db", "write_server"]
