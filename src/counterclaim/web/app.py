"""The FastAPI application: settings, the store it reads, and the routers of the API and pages."""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from ..store import Store

STATIC = Path(__file__).resolve().parent / "static"

#: Environment variables of the web service.
ENV_TOKEN = "COUNTERCLAIM_TOKEN"  # writing (POST /api/analyze) is on only when this is set
ENV_TILES = "COUNTERCLAIM_TILES"  # an online tile URL template; none means the offline base layer


@dataclass(frozen=True, slots=True)
class WebSettings:
    """What the web service needs; `from_env` reads the environment."""

    db: str | None = None
    token: str | None = None  # bearer token that enables writing; None = read-only
    tiles: str | None = None  # e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png
    max_body: int = 1_000_000  # bytes accepted in a request body

    @classmethod
    def from_env(cls, **overrides) -> WebSettings:
        base = {"db": os.environ.get("COUNTERCLAIM_DB"), "token": os.environ.get(ENV_TOKEN) or None,
                "tiles": os.environ.get(ENV_TILES) or None}
        base.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**base)


def create_app(settings: WebSettings | None = None) -> FastAPI:
    """The application over one store; routers come from `api.py` and `pages.py`."""
    from .. import __version__
    from . import api, pages

    settings = settings or WebSettings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        app.state.store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="counterclaim",
        version=__version__,
        description="Source-attributed, geolocated claims from war reporting, and where the sources "
                    "contradict each other.",
    )
    app.state.settings = settings
    app.state.store = Store(settings.db)
    app.state.pipeline = None  # loaded on the first analysis request

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [f"{'.'.join(str(x) for x in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()]
        return JSONResponse({"error": "invalid request", "details": problems}, status_code=422)

    app.include_router(api.router)
    app.include_router(pages.router)
    if STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
