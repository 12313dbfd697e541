"""The web pages in a real browser: Debian's Chromium driven by Playwright, against a real
uvicorn server over a store filled by a real ingest of short articles
(tests/web_pages_fixtures.py). No request may leave 127.0.0.1: the map's base layer is drawn
offline. Each page's full-page screenshot goes to test-artifacts/web-*.png.

Chromium: `apt-get install chromium` (/usr/bin/chromium); Playwright never downloads a
browser. Without it the browser tests are skipped, except under CI, where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from web_pages_fixtures import fill_store

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LEAFLET = REPO / "src" / "counterclaim" / "web" / "static" / "vendor" / "leaflet" / "leaflet.js"

KUPIANSK, VUHLEDAR, CHASIV_YAR = "gn:703656", "gn:690823", "gn:710915"
COLOURS = {"agree-RU": "#d0312d", "agree-UA": "#1f5fbf", "disputed": "#8e3fb5", "fighting": "#e89a00",
           "one-sided": "#8a8f98", "none": "#ffffff"}
TOKEN = "test-token-0123456789"


def _need_browser() -> None:
    problems = []
    if not Path(CHROMIUM).exists():
        problems.append(f"{CHROMIUM} is missing: apt-get install chromium")
    try:
        import playwright  # noqa: F401
    except ImportError:
        problems.append("playwright is not installed: pip install -e '.[dev]'")
    if not LEAFLET.is_file():
        problems.append("Leaflet is not vendored: make vendor")
    if problems:
        if os.environ.get("CI"):
            pytest.fail("browser tests cannot run under CI: " + "; ".join(problems))
        pytest.skip("; ".join(problems))


# --------------------------------------------------------------------------- server
class _Server:
    """A uvicorn server in a thread on a free port of 127.0.0.1."""

    def __init__(self, db: str, token: str | None = None) -> None:
        import uvicorn

        from counterclaim.web import WebSettings, create_app

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        app = create_app(WebSettings(db=db, token=token, tiles=None))
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> _Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the web server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)

    def json(self, path: str):
        with urllib.request.urlopen(self.base + path, timeout=10) as resp:
            return json.loads(resp.read())


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    d = tmp_path_factory.mktemp("web_pages")
    path = d / "pages.db"
    fill_store(str(path), d / "articles")
    return str(path)


@pytest.fixture(scope="module")
def server(db) -> Iterator[_Server]:
    with _Server(db) as s:
        yield s


@pytest.fixture(scope="module")
def writing_server(db, tmp_path_factory) -> Iterator[_Server]:
    copy = tmp_path_factory.mktemp("web_pages_w") / "pages.db"
    shutil.copy(db, copy)
    with _Server(str(copy), token=TOKEN) as s:
        yield s


# --------------------------------------------------------------------------- browser
@pytest.fixture(scope="module")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class _Tab:
    """A page that may reach only 127.0.0.1, and records JS errors and blocked requests."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": 1280, "height": 860})
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.set_default_timeout(10_000)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1:", "data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def goto(self, path: str, ready: str = "body[data-loaded]"):
        self.page.goto(self.base + path)
        if ready:
            self.page.wait_for_selector(ready, state="attached")
        return self.page

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=True)

    def check_clean(self) -> None:
        assert self.blocked == [], f"requests left 127.0.0.1: {self.blocked}"
        assert self.errors == [], self.errors


@pytest.fixture
def tab(browser, server) -> Iterator[_Tab]:
    t = _Tab(browser, server.base)
    yield t
    try:
        t.check_clean()
    finally:
        t.context.close()


def _markers(page) -> dict[str, dict[str, str]]:
    return page.eval_on_selector_all(
        "path[data-place-id]",
        "els => Object.fromEntries(els.map(e => [e.dataset.placeId,"
        " {state: e.dataset.state, fill: e.getAttribute('fill')}]))")


def _slide_to(page, server, day: str) -> None:
    dates = server.json("/api/places")["dates"]
    value = (date.fromisoformat(day) - date.fromisoformat(dates["min"])).days
    page.locator("#date").fill(str(value))
    page.wait_for_function("d => document.getElementById('date-label').textContent === d", arg=day)
    page.wait_for_function("() => !document.body.hasAttribute('data-loading')")


# --------------------------------------------------------------------------- tests
def test_map_colours_places_by_state(tab):
    page = tab.goto("/")
    page.wait_for_function("() => document.querySelectorAll('path[data-place-id]').length >= 3")
    markers = _markers(page)
    assert markers[KUPIANSK]["state"] == "disputed"
    assert markers[VUHLEDAR]["state"] == "agree-RU"
    assert markers[CHASIV_YAR]["state"] == "fighting"
    for m in markers.values():
        assert m["fill"].lower() == COLOURS[m["state"]]
    # the legend names every state; the offline base layer: a 1° grid and oblast labels
    legend = page.locator("#legend li")
    assert legend.count() == 6
    assert page.locator(".grid-label").count() > 5
    assert page.locator(".region-name", has_text="Kharkiv Oblast").count() == 1
    assert page.locator("#places-table tbody tr").count() == 3
    tab.shot("map")


def test_map_slider_goes_back_in_time(tab, server):
    page = tab.goto("/")
    page.wait_for_function("() => document.querySelectorAll('path[data-place-id]').length >= 3")
    assert page.locator("#date-label").inner_text() == "2025-03-06"
    _slide_to(page, server, "2025-03-05")  # the UA denial is a day later
    markers = _markers(page)
    assert markers[KUPIANSK]["state"] == "one-sided"
    assert markers[KUPIANSK]["fill"].lower() == COLOURS["one-sided"]
    assert markers[VUHLEDAR]["state"] == "agree-RU"
    _slide_to(page, server, "2025-02-20")  # only the RU capture of Vuhledar
    markers = _markers(page)
    assert markers[VUHLEDAR]["state"] == "one-sided"
    assert markers[KUPIANSK]["state"] == "none"
    assert markers[CHASIV_YAR]["state"] == "none"
    tab.shot("map-2025-02-20")
    # filters: only the UA side's claims
    _slide_to(page, server, "2025-03-06")
    page.select_option("#side", "UA")
    page.wait_for_function(
        "id => document.querySelector(`path[data-place-id='${id}']`).dataset.state === 'one-sided'",
        arg=KUPIANSK)
    page.wait_for_function("() => !document.body.hasAttribute('data-loading')")
    assert page.locator("#outlet option").count() >= 3


def test_marker_click_opens_the_place_page(tab):
    page = tab.goto("/")
    page.wait_for_function("() => document.querySelectorAll('path[data-place-id]').length >= 3")
    page.locator(f"path[data-place-id='{KUPIANSK}']").click()
    page.wait_for_url(f"**/places/{quote(KUPIANSK, safe='')}")
    page.wait_for_selector("body[data-loaded]", state="attached")
    assert page.locator("h1").inner_text() == "Kupiansk"
    page.wait_for_function("() => { const i = document.getElementById('timeline');"
                           " return i && i.complete && i.naturalWidth > 0 && !i.hidden; }")
    assert page.locator("#timeline").get_attribute("src").endswith(".svg")
    rows = page.locator("#claims tr.claim-row")
    assert rows.count() == 3  # RU says it holds it; UA denies that and says it holds it
    claims_text = page.locator("#claims").inner_text()
    assert "Russian Defense Ministry" in claims_text and "General Staff" in claims_text
    # evidence words are marked inside their sentence, and each claim links to its document
    assert page.locator("#claims mark", has_text="liberated Kupyansk").count() == 1
    assert page.locator("#claims a.doc-link").count() == 3
    assert page.locator("#disputes .dispute").count() == 1
    tab.shot("place-kupiansk")


def test_document_page_highlights_evidence(tab, server):
    docs = server.json("/api/documents?limit=50")["items"]
    doc = next(d for d in docs if d["title"] == "Kupiansk remains Ukrainian")
    body = server.json(f"/api/documents/{doc['id']}")
    page = tab.goto(f"/documents/{doc['id']}")
    marks = page.locator("#doc-text mark")
    assert marks.count() >= 1
    for claim in body["claims"]:
        # overlapping evidence shares marks that name every claim they belong to
        mark = page.locator(f"#doc-text mark[data-claim-ids~='{claim['id']}']")
        assert mark.count() >= 1
        assert "".join(mark.all_inner_texts()) == claim["evidence"]
    assert page.locator("#doc-text").inner_text().strip() == body["document"]["text"].strip()
    assert "🇺🇦" in body["document"]["text"]  # offsets are code points; JS strings count UTF-16 units
    assert page.locator("#claims .claim-row").count() == len(body["claims"])
    tab.shot("document")


def test_documents_list(tab, server):
    page = tab.goto("/documents")
    assert page.locator("#documents-table tbody tr").count() == 7
    tab.shot("documents")
    page.locator("a", has_text="Vuhledar liberated").click()
    page.wait_for_selector("body[data-loaded]", state="attached")
    assert page.locator("#doc-text mark").count() >= 1


def test_markup_in_an_article_stays_text(tab, server):
    docs = server.json("/api/documents?limit=50")["items"]
    doc = next(d for d in docs if d["outlet"] == "Institute for the Study of War")
    for path in (f"/documents/{doc['id']}", "/documents", "/search?q=pwned", "/search?q=Chasiv"):
        page = tab.goto(path)
        assert page.evaluate("typeof window.__pwned") == "undefined", path
        assert page.locator("img[src='x']").count() == 0, path
        assert page.locator("main script").count() == 0, path
    page = tab.goto(f"/documents/{doc['id']}")
    text = page.locator("#doc-text").inner_text()
    assert "<script>window.__pwned = 1</script>" in text
    assert '<img src=x onerror="window.__pwned=2">' in text
    assert page.locator("h1").inner_text() == "Note <script>x</script>"
    assert page.locator("#doc-text mark").count() >= 1  # its Chasiv Yar claim
    tab.shot("document-markup")


def test_disputes_board(tab):
    page = tab.goto("/disputes")
    cards = page.locator(f".dispute[data-place-id='{KUPIANSK}']")
    assert cards.count() == 1
    ru = cards.locator(".side-col[data-side='RU']")
    ua = cards.locator(".side-col[data-side='UA']")
    assert "Russian Defense Ministry" in ru.inner_text()
    assert "General Staff of the Armed Forces of Ukraine" in ua.inner_text()
    assert ru.locator("mark").count() == 1 and ua.locator("mark").count() == 2  # denies, holds
    assert ru.locator("a", has_text="source document").count() == 1
    assert page.locator(".dispute").count() == 1  # Vuhledar is an agreement, Chasiv Yar fighting
    tab.shot("disputes")


def test_search_finds_the_article(tab):
    page = tab.goto("/search?q=Kupiansk")
    rows = page.locator("#documents-table tbody tr[data-document-id]")
    assert rows.count() >= 1
    assert "Kupiansk remains Ukrainian" in page.locator("#documents-table").inner_text()
    assert page.locator("#claims tr.claim-row").count() >= 1
    page.locator("a", has_text="Kupiansk remains Ukrainian").click()
    page.wait_for_selector("body[data-loaded]", state="attached")
    assert page.locator("#doc-text mark").count() >= 1
    tab.goto("/search?q=Kupiansk")
    tab.shot("search")


def test_analyze_is_disabled_without_a_token(tab):
    page = tab.goto("/analyze", ready="main")
    assert "Writing is disabled" in page.locator("#writing-disabled").inner_text()
    assert page.locator("form#analyze-form").count() == 0
    tab.shot("analyze-disabled")


def test_analyze_with_a_token(browser, writing_server):
    t = _Tab(browser, writing_server.base)
    try:
        page = t.goto("/analyze", ready="form#analyze-form")
        page.fill("#text", "date: 2025-03-07\nThe Russian Defence Ministry said its forces had captured "
                           "Vovchansk. <b>bold</b>")
        page.fill("#token", "wrong")
        page.click("#analyze-submit")
        page.wait_for_function("() => /refused/.test(document.getElementById('analyze-status').textContent)")
        t.errors.clear()  # the browser logs the 401/403 response as a console error
        page.fill("#token", TOKEN)
        page.click("#analyze-submit")
        page.wait_for_selector("body[data-analyzed]", state="attached", timeout=30_000)
        assert page.locator("#claims .claim-row").count() >= 1
        assert "Vovchansk" in page.locator("#claims").inner_text()
        assert page.locator("#doc-text mark").count() >= 1
        assert "<b>bold</b>" in page.locator("#doc-text").inner_text()
        t.shot("analyze")
        t.check_clean()
    finally:
        t.context.close()


# --------------------------------------------------------------------------- no browser
def test_pages_are_html_with_a_strict_policy(db):
    from fastapi.testclient import TestClient

    from counterclaim.web import WebSettings, create_app

    with TestClient(create_app(WebSettings(db=db))) as client:
        for path in ("/", "/places/gn:703656", "/disputes", "/documents", "/documents/abc", "/search?q=x",
                     "/analyze"):
            r = client.get(path)
            assert r.status_code == 200, path
            assert r.headers["content-type"].startswith("text/html")
            csp = r.headers["content-security-policy"]
            assert "script-src 'self'" in csp and "default-src 'self'" in csp
            assert "cdn" not in r.text.lower() and "https://" not in r.text
        # what the URL carries is escaped into the page, never markup
        evil = "/places/" + quote("</script><script>alert(1)</script>", safe="")
        r = client.get(evil)
        assert "<script>alert(1)" not in r.text
        r = client.get("/search", params={"q": '"><img src=x onerror=alert(1)>'})
        assert "<img src=x" not in r.text
        assert "Writing is disabled" in client.get("/analyze").text

    with TestClient(create_app(WebSettings(db=db, token="t", tiles="https://{s}.tile.example.org/{z}/{x}/{y}.png"))
                    ) as client:
        r = client.get("/analyze")
        assert 'id="analyze-form"' in r.text and "Writing is disabled" not in r.text
        r = client.get("/")
        assert "https://*.tile.example.org" in r.headers["content-security-policy"]
        assert '"tiles": "https://{s}.tile.example.org/{z}/{x}/{y}.png"' in r.text
