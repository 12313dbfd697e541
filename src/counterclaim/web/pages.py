"""The HTML pages: map, place, disputes board, documents, search and analyze.

Each page is a small Jinja2 template (autoescaped) over a shared layout; its data comes from
the JSON API (``/api/...``), fetched by the page's script in ``static/``. Article text is
never inserted as HTML: scripts build the DOM with ``textContent``, so markup in an article
is shown as text. Pages send a Content-Security-Policy that allows scripts only from this
server (the vendored Leaflet in ``static/vendor``, built by ``make vendor``) and images from
the online tile server only when ``COUNTERCLAIM_TILES`` is set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
LEAFLET = STATIC / "vendor" / "leaflet" / "leaflet.js"

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(TEMPLATES))  # autoescape is on for .html

NAV = (("map", "/", "Map"), ("disputes", "/disputes", "Disputes"), ("documents", "/documents", "Documents"),
       ("search", "/search", "Search"), ("analyze", "/analyze", "Analyze"))


def _tile_sources(tiles: str | None) -> str:
    """The img-src sources a tile URL template needs ('' when tiles are off)."""
    if not tiles:
        return ""
    parts = urlsplit(tiles.replace("{s}", "a"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.netloc
    if "{s}" in tiles:  # subdomains a, b, c ...
        host = "*." + host.split(".", 1)[1] if "." in host else host
    return f" {parts.scheme}://{host}"


def _headers(request: Request) -> dict[str, str]:
    tiles = _tile_sources(request.app.state.settings.tiles)
    csp = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
           f"img-src 'self' data:{tiles}; connect-src 'self'; object-src 'none'; base-uri 'none'; "
           "frame-ancestors 'none'; form-action 'self'")
    return {"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer"}


def _page(request: Request, template: str, active: str, title: str, status_code: int = 200,
          **context: Any) -> HTMLResponse:
    settings = request.app.state.settings
    config = {"page": active, "tiles": settings.tiles, "writing": bool(settings.token)}
    config.update(context.pop("config", {}))
    from .. import __version__

    return templates.TemplateResponse(
        request, template,
        {"nav": NAV, "active": active, "title": title, "config": config, "version": __version__,
         "leaflet": LEAFLET.is_file(), **context},
        status_code=status_code, headers=_headers(request))


@router.get("/", response_class=HTMLResponse)
def map_page(request: Request) -> HTMLResponse:
    """The map of places coloured by the state of their claims on a date."""
    return _page(request, "map.html", "map", "Map")


@router.get("/places/{place_id:path}", response_class=HTMLResponse)
def place_page(request: Request, place_id: str) -> HTMLResponse:
    """One place: its timeline, claims with their evidence, disputes and agreements."""
    return _page(request, "place.html", "map", "Place", config={"place_id": place_id})


@router.get("/disputes", response_class=HTMLResponse)
def disputes_page(request: Request) -> HTMLResponse:
    """The disputes board: contradictions between the sides, newest first."""
    return _page(request, "disputes.html", "disputes", "Disputes")


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request) -> HTMLResponse:
    """The stored documents, newest first."""
    return _page(request, "documents.html", "documents", "Documents")


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: str) -> HTMLResponse:
    """One document: its text with each claim's evidence highlighted, and its claims."""
    return _page(request, "document.html", "documents", "Document", config={"document_id": doc_id})


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = "") -> HTMLResponse:
    """Full-text search over documents and claims."""
    return _page(request, "search.html", "search", f"Search: {q}" if q else "Search", q=q, config={"q": q})


@router.get("/analyze", response_class=HTMLResponse)
def analyze_page(request: Request) -> HTMLResponse:
    """Paste a text or a URL and see its claims (only when writing is on)."""
    return _page(request, "analyze.html", "analyze", "Analyze")
