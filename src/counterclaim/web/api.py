"""The REST API under /api/: thin handlers over `queries.py` (OpenAPI at /openapi.json).

Every answer is JSON (the timeline chart excepted); errors are ``{"error": "...",
"details"?: [...]}`` with a 4xx status. Lists are ``{"items", "limit", "offset", "total"}``.
Reading is open; writing (``POST /api/analyze`` with ``store: true``, and any analysis) is on
only when the server has a token (``COUNTERCLAIM_TOKEN``), and then needs
``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import json
import secrets
import threading
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlparse

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..models import SIDES, STATUSES
from ..store import ClaimFilter, Store
from . import queries
from .queries import BadInput, DisputeQuery, NotFound

router = APIRouter(prefix="/api", tags=["api"])

#: A date as the claim filters take it.
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
#: Seconds allowed to fetch a URL given to POST /api/analyze.
FETCH_TIMEOUT = 15.0

SideParam = Literal["RU", "UA", "OTHER", "UNKNOWN"]
StatusParam = Literal["controls", "partial", "denies", "fighting", "encircled", "withdrew"]
assert set(SideParam.__args__) == set(SIDES) and set(StatusParam.__args__) == set(STATUSES)  # type: ignore[attr-defined]


class Error(BaseModel):
    """An error: what went wrong, and for invalid requests each problem."""

    error: str
    details: list[str] | None = None
    did_you_mean: list[str] | None = None


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    text = {401: "missing or wrong bearer token", 403: "writing is disabled", 404: "not found",
            413: "request body too large", 422: "invalid request"}
    return {c: {"model": Error, "description": text[c]} for c in codes}


Limit = Annotated[int, Query(ge=1, le=queries.MAX_LIMIT, description="items per page")]
Offset = Annotated[int, Query(ge=0, le=2_000_000_000, description="items to skip")]
DateQ = Annotated[str | None, Query(pattern=DATE_PATTERN, description="YYYY, YYYY-MM or YYYY-MM-DD")]
Text = Annotated[str | None, Query(max_length=500)]
Day = Annotated[date | None, Query(alias="date", description="YYYY-MM-DD; default the last claim date")]


def _store(request: Request) -> Store:
    return request.app.state.store


def _call(fn, *args, **kwargs):
    """Run a query; its NotFound / BadInput become 404 / 422 JSON."""
    try:
        return fn(*args, **kwargs)
    except NotFound as exc:
        body: dict[str, Any] = {"error": exc.message}
        body["did_you_mean"] = exc.suggestions
        raise _JSONError(404, body) from None
    except BadInput as exc:
        raise _JSONError(422, {"error": "invalid request", "details": [str(exc)]}) from None


class _JSONError(HTTPException):
    """An HTTP error whose JSON body has more than the message (e.g. did_you_mean)."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        super().__init__(status_code=status, detail=body.get("error", ""), headers=headers)
        self.body = body


def _err_response(exc: _JSONError) -> JSONResponse:
    return JSONResponse(exc.body, status_code=exc.status_code, headers=exc.headers)


# --------------------------------------------------------------------------- reading
@router.get("/health", summary="Service status and store size")
def health(request: Request) -> dict[str, Any]:
    return queries.health(_store(request))


@router.get("/documents", summary="Stored documents, newest first", responses=_errors(422))
def documents(request: Request, limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0) -> dict[str, Any]:
    return queries.list_documents(_store(request), limit=limit, offset=offset)


@router.get("/documents/{doc_id}", summary="One document with its text and claims",
            responses=_errors(404, 422))
def document(request: Request, doc_id: Annotated[str, Path(max_length=200)]) -> Any:
    try:
        return _call(queries.document_detail, _store(request), doc_id)
    except _JSONError as exc:
        return _err_response(exc)


@router.get("/claims", summary="Stored claims matching filters, in date order", responses=_errors(422))
def claims(
    request: Request,
    place: Annotated[str | None, Query(max_length=300, description="place id, GeoNames id or name")] = None,
    side: Annotated[SideParam | None, Query(description="claimant side")] = None,
    status: StatusParam | None = None,
    outlet: Text = None,
    since: DateQ = None,
    until: DateQ = None,
    text: Annotated[str | None, Query(max_length=500, description="words in the evidence")] = None,
    limit: Limit = queries.DEFAULT_LIMIT,
    offset: Offset = 0,
) -> Any:
    flt = ClaimFilter(place=place, side=side, status=status, outlet=outlet, since=since, until=until,
                      text=text)
    try:
        return _call(queries.list_claims, _store(request), flt, limit=limit, offset=offset)
    except _JSONError as exc:
        return _err_response(exc)


@router.get("/places", summary="The map: every place with claims and its state on a date",
            responses=_errors(422))
def places(
    request: Request,
    date_: Day = None,
    side: Annotated[SideParam | None, Query(description="only claims of this side")] = None,
    outlet: Text = None,
) -> dict[str, Any]:
    return queries.map_places(_store(request), date_, side=side, outlet=outlet)


@router.get("/places/{place_id}", summary="One place: its claims, disputes and agreements",
            responses=_errors(404, 422))
def place(request: Request, place_id: Annotated[str, Path(max_length=300)]) -> Any:
    try:
        return _call(queries.place_detail, _store(request), place_id)
    except _JSONError as exc:
        return _err_response(exc)


@router.get("/regions", summary="Region (oblast) labels for the offline base map")
def regions() -> list[dict[str, Any]]:
    return queries.regions()


def _disputes(request: Request, agreements: bool, place: str | None, since: str | None,
              until: str | None, window: int, limit: int, offset: int) -> Any:
    q = DisputeQuery(place=place, since=since, until=until, window=window)
    try:
        return _call(queries.list_disputes, _store(request), q, agreements=agreements, limit=limit,
                     offset=offset)
    except _JSONError as exc:
        return _err_response(exc)


Window = Annotated[int, Query(ge=0, le=3650, description="days between claims of one dispute")]


@router.get("/disputes", summary="Contradicting RU and UA claims per place and period, newest first",
            responses=_errors(404, 422))
def disputes(request: Request, place: Annotated[str | None, Query(max_length=300)] = None,
             since: DateQ = None, until: DateQ = None, window: Window = 14,
             limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0) -> Any:
    return _disputes(request, False, place, since, until, window, limit, offset)


@router.get("/agreements", summary="Concurring RU and UA claims per place and period, newest first",
            responses=_errors(404, 422))
def agreements(request: Request, place: Annotated[str | None, Query(max_length=300)] = None,
               since: DateQ = None, until: DateQ = None, window: Window = 14,
               limit: Limit = queries.DEFAULT_LIMIT, offset: Offset = 0) -> Any:
    return _disputes(request, True, place, since, until, window, limit, offset)


@router.get("/timeline/{place}.svg", summary="A place's timeline chart (SVG)",
            responses={200: {"content": {"image/svg+xml": {}}}, **_errors(404)},
            response_class=Response)
def timeline_svg(request: Request, place: Annotated[str, Path(max_length=300)]) -> Response:
    try:
        svg = _call(queries.timeline_svg, _store(request), place)
    except _JSONError as exc:
        return _err_response(exc)
    return Response(svg, media_type="image/svg+xml")


@router.get("/timeline/{place}", summary="A place's claims in date order", responses=_errors(404))
def timeline(request: Request, place: Annotated[str, Path(max_length=300)]) -> Any:
    try:
        p, items = _call(queries.place_timeline, _store(request), place)
    except _JSONError as exc:
        return _err_response(exc)
    return {"place": queries.place_dict(p), "items": [sc.to_dict() for sc in items]}


@router.get("/snapshot", summary="Each place's latest claims per side and their state on a date",
            responses=_errors(422))
def snapshot(request: Request, date_: Day = None) -> dict[str, Any]:
    store = _store(request)
    if date_ is None:
        last = queries.date_bounds(store)["max"]
        date_ = date.fromisoformat(last) if last else date.today()
    return queries.snapshot_rows(store, date_)


@router.get("/search", summary="Documents (full text) and claims (evidence) with the words",
            responses=_errors(422))
def search(request: Request, q: Annotated[str, Query(max_length=500)] = "") -> dict[str, Any]:
    return queries.search(_store(request), q)


# --------------------------------------------------------------------------- writing
class AnalyzeRequest(BaseModel):
    """An article to analyse: its text, or a URL to fetch; `store` also stores it."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="the article text (wins over url)")
    url: str | None = Field(None, max_length=2000, description="http(s) URL to fetch, or the text's URL")
    published: date | None = None
    outlet: str | None = Field(None, max_length=300)
    title: str | None = Field(None, max_length=1000)
    store: bool = False


_pipeline_lock = threading.Lock()


def _pipeline(request: Request):
    state = request.app.state
    if state.pipeline is None:
        with _pipeline_lock:
            if state.pipeline is None:
                from ..pipeline import Pipeline

                state.pipeline = Pipeline()
    return state.pipeline


def _check_token(request: Request) -> None:
    token = request.app.state.settings.token
    if not token:
        raise _JSONError(403, {"error": "writing is disabled: start the server with a token"})
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip().encode(), token.encode()):
        raise _JSONError(401, {"error": "missing or wrong bearer token"},
                         headers={"WWW-Authenticate": "Bearer"})


async def _read_body(request: Request, limit: int) -> bytes:
    too_big = _JSONError(413, {"error": f"request body over {limit} bytes"})
    length = request.headers.get("content-length")
    if length is not None:
        try:
            if int(length) > limit:
                raise too_big
        except ValueError:
            raise _JSONError(400, {"error": "bad Content-Length"}) from None
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise too_big
    return bytes(data)


def _invalid(*details: str) -> _JSONError:
    return _JSONError(422, {"error": "invalid request", "details": list(details)})


def _analyze(request: Request, body: AnalyzeRequest) -> dict[str, Any]:
    """The analysis (sync, in a worker thread): fetch the URL if needed, analyse, store."""
    from ..models import Document

    text, url, title, outlet = body.text, body.url, body.title, body.outlet
    published = body.published
    outlet_side = "UNKNOWN"
    if url is not None and urlparse(url).scheme not in ("http", "https"):
        raise _invalid("url: must be an http or https URL")
    if text is None:
        if not url:
            raise _invalid("body: give text or url")
        from ..sources import iter_sources

        max_bytes = max(request.app.state.settings.max_body, 1)
        try:
            item = next(iter(iter_sources([url], outlet=outlet, timeout=FETCH_TIMEOUT,
                                          max_bytes=max_bytes, follow_feed_links=False)), None)
        except (ValueError, OSError) as exc:
            raise _invalid(f"url: {exc}") from None
        if item is None or item.document is None:
            reason = str(item.error) if item is not None and item.error else "nothing to read"
            raise _JSONError(422, {"error": f"cannot read {url}: {reason}", "details": [reason]})
        doc = item.document
        text, url = doc.text, doc.url or url
        title = title or doc.title
        outlet = outlet or doc.outlet
        outlet_side = doc.outlet_side
        published = published or doc.published
    if not text.strip():
        raise _invalid("text: empty")
    if "\x00" in text:
        raise _invalid("text: contains NUL characters")
    pipeline = _pipeline(request)
    doc = Document(text=text, id=Document.content_id(text), url=url, outlet=outlet,
                   outlet_side=outlet_side, published=published, title=title)  # type: ignore[arg-type]
    analysis = pipeline.analyze_document(doc)
    out = queries.analysis_dict(analysis)
    if body.store:
        new, stored_claims = queries.store_analysis(_store(request), analysis, url or "api")
        out["stored"] = new
        out["claims"] = stored_claims
    return out


@router.post(
    "/analyze",
    summary="Analyse an article (text or URL); with store: true also store it (needs the token)",
    responses=_errors(401, 403, 413, 422),
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": AnalyzeRequest.model_json_schema()}}}},
)
async def analyze(request: Request) -> Any:
    try:
        _check_token(request)
        raw = await _read_body(request, request.app.state.settings.max_body)
        try:
            data = json.loads(raw.decode("utf-8")) if raw.strip() else None
        except (UnicodeDecodeError, ValueError) as exc:
            raise _invalid(f"body: not JSON ({exc})") from None
        if not isinstance(data, dict):
            raise _invalid("body: expected a JSON object")
        try:
            body = AnalyzeRequest.model_validate(data)
        except ValidationError as exc:
            raise _invalid(*(f"body.{'.'.join(str(x) for x in e['loc'])}: {e['msg']}"
                             for e in exc.errors())) from None
        return await run_in_threadpool(_analyze, request, body)
    except _JSONError as exc:
        return _err_response(exc)


__all__ = ["AnalyzeRequest", "router"]
