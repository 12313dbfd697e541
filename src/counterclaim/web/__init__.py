"""The web service: a REST API (OpenAPI) and pages over the store (optional extra `web`).

`create_app` builds the FastAPI application; `counterclaim serve` runs it on uvicorn.
"""

from .app import WebSettings, create_app

__all__ = ["WebSettings", "create_app"]
