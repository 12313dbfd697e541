"""The REST API against a real uvicorn server over a real SQLite store (tests/web_fixtures.py)."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from web_fixtures import *  # noqa: F403
from web_fixtures import TOKEN

from counterclaim.disputes import find_disputes, snapshot
from counterclaim.store import ClaimFilter, Store

KUPIANSK = "gn:703656"


def get(server, path: str, **params) -> httpx.Response:
    return httpx.get(server.url + path, params=params, timeout=30)


def ok(server, path: str, **params):
    r = get(server, path, **params)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


def error(r: httpx.Response, status: int) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert isinstance(body["error"], str) and body["error"]
    return body


# --------------------------------------------------------------------------- reading
def test_health(server):
    body = ok(server, "/api/health")
    assert body["status"] == "ok"
    assert body["version"]
    assert body["documents"] == 6
    assert body["claims"] >= 7


def test_documents_newest_first_with_claim_counts(server):
    body = ok(server, "/api/documents")
    assert body["total"] == 6 and body["limit"] == 100 and body["offset"] == 0
    items = body["items"]
    assert [d["published"] for d in items] == sorted((d["published"] for d in items), reverse=True)
    first = items[0]
    assert set(first) >= {"id", "url", "published", "title", "outlet", "outlet_side", "source",
                          "extractor_version", "claims"}
    assert first["outlet"] == "TASS" and first["claims"] == 1


def test_documents_pagination(server):
    everything = [d["id"] for d in ok(server, "/api/documents")["items"]]
    a = ok(server, "/api/documents", limit=4)
    b = ok(server, "/api/documents", limit=4, offset=4)
    assert [d["id"] for d in a["items"] + b["items"]] == everything
    assert (a["limit"], b["offset"], b["total"]) == (4, 4, 6)
    assert ok(server, "/api/documents", offset=100)["items"] == []


def test_document_detail_keeps_script_as_data(server):
    docs = ok(server, "/api/documents")["items"]
    doc_id = next(d["id"] for d in docs if d["outlet"] == "Kyiv Independent")
    body = ok(server, f"/api/documents/{doc_id}")
    assert set(body["document"]) == {"id", "url", "outlet", "outlet_side", "published", "title",
                                     "language", "text"}
    assert "<script>alert(1)</script>" in body["document"]["text"]  # JSON carries it as text
    [claim] = body["claims"]
    assert claim["place"] == "Vovchansk" and claim["status"] == "withdrew"
    assert claim["document_id"] == doc_id


def test_unknown_document_is_404_json(server):
    error(get(server, "/api/documents/0123456789abcdef"), 404)


def test_claims_all_in_date_order(server, web_db):
    body = ok(server, "/api/claims")
    with Store(f"sqlite:///{web_db}") as store:
        expected = [sc.to_dict() for sc in store.claims()]
    assert body["items"] == expected
    assert body["total"] == len(expected)


@pytest.mark.parametrize(("params", "check"), [
    ({"place": "Kupiansk"}, lambda c: c["place_id"] == KUPIANSK),
    ({"place": KUPIANSK}, lambda c: c["place_id"] == KUPIANSK),
    ({"place": "703656"}, lambda c: c["place_id"] == KUPIANSK),
    ({"side": "UA"}, lambda c: c["claimant_side"] == "UA"),
    ({"status": "denies"}, lambda c: c["status"] == "denies"),
    ({"outlet": "tass"}, lambda c: c["outlet"] == "TASS"),
    ({"since": "2025-03-06"}, lambda c: (c["date"] or c["published"]) >= "2025-03"),
    ({"until": "2024"}, lambda c: (c["date"] or c["published"]).startswith("2024")),
    ({"text": "fighting"}, lambda c: "fighting" in c["evidence"].lower()),
])
def test_claims_filters(server, web_db, params, check):
    body = ok(server, "/api/claims", **params)
    assert body["items"], params
    assert all(check(c) for c in body["items"])
    with Store(f"sqlite:///{web_db}") as store:
        assert body["total"] == len(store.claims(ClaimFilter(**params)))


def test_claims_pagination_and_total(server):
    everything = ok(server, "/api/claims")["items"]
    pages = [ok(server, "/api/claims", limit=3, offset=o) for o in (0, 3, 6)]
    assert [c["id"] for p in pages for c in p["items"]] == [c["id"] for c in everything]
    assert all(p["total"] == len(everything) for p in pages)


@pytest.mark.parametrize("params", [
    {"side": "RUSSIA"}, {"status": "captured"}, {"since": "2025-13"}, {"since": "March"},
    {"until": "2025-02-30"}, {"limit": 0}, {"limit": 1001}, {"offset": -1}, {"limit": "ten"},
])
def test_claims_bad_parameters_are_422_with_details(server, params):
    body = error(get(server, "/api/claims", **params), 422)
    assert body["details"] and all(isinstance(d, str) for d in body["details"])


def test_places_map_default_date_is_the_last(server, web_db):
    body = ok(server, "/api/places")
    assert body["dates"] == {"min": "2024-11-19", "max": body["date"]}
    by_id = {p["place_id"]: p for p in body["items"]}
    k = by_id[KUPIANSK]
    assert set(k) == {"place_id", "place", "admin1", "country", "lat", "lon", "feature_class", "claims",
                      "documents", "state", "ru", "ua", "other"}
    assert k["state"] == "disputed" and k["claims"] >= 3 and k["documents"] == 3
    assert k["ru"]["status"] == "controls" and k["ru"]["controller"] == "RU"
    assert set(k["ru"]) == {"status", "controller", "percent", "claimant", "date", "claim_id"}
    assert k["other"]["percent"] == 30.0
    # the same states as disputes.snapshot over every claim
    with Store(f"sqlite:///{web_db}") as store:
        rows = {r.place.id: r for r in snapshot(store.claims(), date.fromisoformat(body["date"]))}
    for pid, item in by_id.items():
        assert item["state"] == rows[pid].state
        assert (item["ru"] or {}).get("claim_id") == (rows[pid].ru.id if rows[pid].ru else None)


def test_places_map_on_a_date_and_filters(server):
    early = ok(server, "/api/places", date="2024-12-01")
    states = {p["place"]: p["state"] for p in early["items"]}
    assert states["Pokrovsk"] == "one-sided"
    assert states["Kupiansk"] == "none"  # all its claims are later
    assert early["date"] == "2024-12-01"
    ua = ok(server, "/api/places", side="UA")
    assert {p["place"] for p in ua["items"]} == {"Kupiansk", "Vovchansk"}
    assert all(p["ru"] is None for p in ua["items"])
    tass = ok(server, "/api/places", outlet="TASS")
    assert "Pokrovsk" in {p["place"] for p in tass["items"]}
    assert all(p["ua"] is None for p in tass["items"])
    error(get(server, "/api/places", date="2025-02-30"), 422)
    error(get(server, "/api/places", side="NATO"), 422)


@pytest.mark.parametrize("ref", [KUPIANSK, "703656", "Kupiansk", "kupiansk"])
def test_place_detail(server, ref):
    body = ok(server, f"/api/places/{ref}")
    assert body["place"]["id"] == KUPIANSK and body["place"]["name"] == "Kupiansk"
    dates = [c["date"] or c["published"] for c in body["claims"]]
    assert len(dates) >= 3
    [d] = body["disputes"]
    assert d["kind"] == "control" and d["place_id"] == KUPIANSK
    assert d["ru"][0]["status"] == "controls" and {c["status"] for c in d["ua"]} >= {"denies"}
    assert [c["claimant"] for c in d["other"]] == ["Institute for the Study of War"]
    assert body["agreements"] == []


def test_unknown_place_suggests_names(server):
    body = error(get(server, "/api/places/Kupyansk"), 404)
    assert "Kupiansk" in body["did_you_mean"]
    error(get(server, "/api/places/gn:1"), 404)


def test_regions(server):
    body = ok(server, "/api/regions")
    names = {r["name"] for r in body}
    assert {"Kharkiv Oblast", "Donetsk Oblast", "Crimea"} <= names
    assert all(set(r) == {"id", "name", "lat", "lon", "country"} for r in body)
    kharkiv = next(r for r in body if r["name"] == "Kharkiv Oblast")
    assert kharkiv["id"] == "region:UA-63" and 49 < kharkiv["lat"] < 51


def test_disputes(server, web_db):
    body = ok(server, "/api/disputes")
    assert body["total"] == 1
    [d] = body["items"]
    assert set(d) == {"place_id", "place", "lat", "lon", "start", "end", "kind", "summary", "ru", "ua",
                      "other"}
    assert d["place"] == "Kupiansk" and d["summary"].startswith("RU: ")
    with Store(f"sqlite:///{web_db}") as store:
        [expected] = find_disputes(store.claims())
    assert (d["start"], d["end"]) == (expected.start, expected.end)
    assert ok(server, "/api/disputes", place="Vovchansk")["items"] == []
    assert ok(server, "/api/disputes", since="2025-04")["items"] == []
    assert ok(server, "/api/disputes", until="2025-03")["total"] == 1
    assert ok(server, "/api/disputes", offset=1)["items"] == []
    error(get(server, "/api/disputes", place="Atlantis"), 404)
    error(get(server, "/api/disputes", window=-1), 422)


def test_agreements(server):
    body = ok(server, "/api/agreements")
    [a] = body["items"]
    assert a["place"] == "Vovchansk" and a["kind"] == "capture and withdrawal"
    assert a["ru"][0]["claimant_side"] == "RU" and a["ua"][0]["status"] == "withdrew"


def test_timeline(server):
    body = ok(server, "/api/timeline/Kupiansk")
    assert body["place"]["id"] == KUPIANSK
    whens = [c["date"] or c["published"] for c in body["items"]]
    assert whens[0] == "2025-03"  # a month sorts before its days
    assert len(whens) >= 3
    error(get(server, "/api/timeline/Atlantis"), 404)


def test_timeline_svg(server):
    r = get(server, "/api/timeline/gn:703656.svg")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in r.content[:500] and b"Kupiansk" in r.content
    error(get(server, "/api/timeline/Atlantis.svg"), 404)


def test_snapshot(server):
    body = ok(server, "/api/snapshot", date="2025-03-05")
    assert body["date"] == "2025-03-05"
    rows = {r["place"]: r for r in body["items"]}
    assert rows["Kupiansk"]["state"] == "disputed"
    assert rows["Kupiansk"]["ua_status"] == "denies"
    assert "Vovchansk" not in rows  # claimed only later
    assert ok(server, "/api/snapshot")["date"] == ok(server, "/api/places")["date"]
    error(get(server, "/api/snapshot", date="yesterday"), 422)


def test_search(server):
    body = ok(server, "/api/search", q="Kupiansk")
    assert {d["outlet"] for d in body["documents"]} == {"TASS", "Ukrinform", "ISW"}
    assert body["claims"] and all("kupiansk" in c["evidence"].lower() for c in body["claims"])
    assert ok(server, "/api/search", q="   ")["documents"] == []
    assert ok(server, "/api/search", q='"*) OR (')["documents"] == []  # no FTS syntax error


# --------------------------------------------------------------------------- writing
def post(server, body=None, *, token: str | None = TOKEN, **kw) -> httpx.Response:
    headers = kw.pop("headers", {})
    if token == "":
        headers["Authorization"] = "Basic dXNlcjpwYXNz"  # not a bearer token at all
    elif token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.post(server.url + "/api/analyze", json=body, headers=headers, timeout=60, **kw)


def test_writing_disabled_without_token(server):
    body = error(post(server, {"text": "Russian forces took Kupiansk."}, token=None), 403)
    assert body["error"] == "writing is disabled: start the server with a token"
    error(post(server, {"text": "x"}, token="anything"), 403)


@pytest.mark.parametrize("token", [None, "wrong", ""])
def test_missing_or_wrong_token_is_401(write_server, token):
    r = post(write_server, {"text": "Russian forces took Kupiansk."}, token=token)
    error(r, 401)
    assert r.headers["www-authenticate"] == "Bearer"


def test_oversize_body_is_413(write_server):
    error(post(write_server, {"text": "x" * 30_000}), 413)


def test_oversize_streamed_body_without_length_is_413(write_server):
    def chunks():
        for _ in range(30):
            yield b"x" * 1000

    r = httpx.post(write_server.url + "/api/analyze", content=chunks(), timeout=30,
                   headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    error(r, 413)


@pytest.mark.parametrize("body", [
    {}, {"text": ""}, {"text": "   \n"}, {"text": 5}, {"texts": "Kupiansk"},
    {"published": "soon", "text": "a"},
    {"url": "file:///etc/passwd"}, {"url": "/etc/passwd"}, [1, 2],
])
def test_analyze_bad_body_is_422(write_server, body):
    assert error(post(write_server, body), 422)["details"]


def test_analyze_not_json_is_422(write_server):
    r = httpx.post(write_server.url + "/api/analyze", content=b"\xff{not json", timeout=30,
                   headers={"Authorization": f"Bearer {TOKEN}"})
    error(r, 422)


def test_analyze_text(write_server):
    before = ok(write_server, "/api/health")["documents"]
    r = post(write_server, {"text": "Russian forces have taken full control of Kupiansk, the Russian "
                                    "Defence Ministry said on March 20.",
                            "published": "2025-03-21", "outlet": "TASS"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["document"]["published"] == "2025-03-21" and body["document"]["outlet"] == "TASS"
    assert [p["name"] for p in body["places"]] == ["Kupiansk"]
    [c] = body["claims"]
    assert (c["claimant_side"], c["status"], c["controller"], c["date"]) == ("RU", "controls", "RU",
                                                                           "2025-03-20")
    assert "stored" not in body
    assert ok(write_server, "/api/health")["documents"] == before  # not stored


def test_analyze_url_and_store(write_server, article_site):
    url = article_site + "/article.html"
    r = post(write_server, {"url": url, "store": True})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["stored"] is True
    assert body["document"]["url"] == url
    assert "Kurakhove" in body["document"]["text"]
    assert any(c["place"] == "Kurakhove" and c["status"] == "controls" for c in body["claims"])
    assert all(isinstance(c["id"], int) for c in body["claims"])
    listed = ok(write_server, "/api/documents")["items"]
    assert body["document"]["id"] in [d["id"] for d in listed]
    detail = ok(write_server, f"/api/documents/{body['document']['id']}")
    assert detail["claims"] == body["claims"]
    # the map and the claims see it at once
    assert any(p["place"] == "Kurakhove" for p in ok(write_server, "/api/places")["items"])
    # a second time: already stored
    again = post(write_server, {"url": url, "store": True}).json()
    assert again["stored"] is False


def test_analyze_unreachable_url_is_422(write_server, article_site):
    body = error(post(write_server, {"url": article_site + "/missing.html"}), 422)
    assert "404" in body["error"]
    port = free_port()  # noqa: F405 - nothing listens there
    body = error(post(write_server, {"url": f"http://127.0.0.1:{port}/x"}), 422)
    assert "cannot read" in body["error"]


def test_openapi_describes_every_endpoint(server):
    spec = ok(server, "/openapi.json")
    paths = spec["paths"]
    for p in ["/api/health", "/api/documents", "/api/documents/{doc_id}", "/api/claims", "/api/places",
              "/api/places/{place_id}", "/api/regions", "/api/disputes", "/api/agreements",
              "/api/timeline/{place}", "/api/timeline/{place}.svg", "/api/snapshot", "/api/search",
              "/api/analyze"]:
        assert p in paths, p
    params = {x["name"]: x["schema"] for x in paths["/api/claims"]["get"]["parameters"]}
    side = params["side"]["anyOf"][0]
    assert set(side["enum"]) == {"RU", "UA", "OTHER", "UNKNOWN"}
    assert params["since"]["anyOf"][0]["pattern"]
    assert params["limit"]["maximum"] == 1000
    assert "requestBody" in paths["/api/analyze"]["post"]
