"""Sources: archive shards -- gzipped JSONL and WARC/ARC web archives -- read as a stream of
documents, one item per document, with per-record errors and one error for a broken file.

The archives are written here with warcio's own writer (and an ARC file by hand); every text
is made up for these tests.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from counterclaim.models import Document
from counterclaim.sources import ARCHIVE_SUFFIXES, SourceItem, is_archive, iter_sources

# --- texts ------------------------------------------------------------------------------------

VILLAGE_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ministry says its forces captured Dovhenke | Steppe Dispatch</title>
<meta property="og:site_name" content="Steppe Dispatch">
<meta property="og:title" content="Ministry says its forces captured Dovhenke">
<meta property="article:published_time" content="2024-05-20T07:45:00+00:00">
</head><body>
<nav><a href="/">Home</a> | <a href="/war">War</a> | <a href="/weather">Weather</a></nav>
<article>
<h1>Ministry says its forces captured Dovhenke</h1>
<p>The Russian defence ministry said on Monday that its forces had captured the village of
Dovhenke, south of Izium, after what it called two weeks of heavy fighting.</p>
<p>Ukraine's General Staff did not confirm the loss of the village and said in its evening
report that its troops had repelled nine assaults in the area over the past day.</p>
<p>Neither account could be independently verified by Steppe Dispatch.</p>
</article>
<footer>Steppe Dispatch. Subscribe to our newsletter.</footer>
</body></html>
"""

# no date anywhere in the page (nor in its URL): only the WARC-Date could give one
UNDATED_HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Drone strike reported on fuel depot</title></head><body><main><article>
<h1>Drone strike reported on fuel depot</h1>
<p>A fuel depot in the border region caught fire after a drone attack overnight, the regional
governor said, adding that nobody had been hurt and that firefighters were at the scene.</p>
<p>Ukraine's military intelligence declined to comment on the strike.</p>
</article></main></body></html>
"""

# windows-1251 bytes whose charset only the HTTP header names
CP1251_HTML = """<!DOCTYPE html><html lang="ru"><head>
<title>Минобороны: взято село Довгенькое</title></head><body><article>
<h1>Минобороны: взято село Довгенькое</h1>
<p>Министерство обороны России сообщило, что подразделения группировки войск заняли село
Довгенькое к югу от Изюма.</p>
<p>Генеральный штаб ВСУ заявил, что бои в районе села продолжаются.</p>
</article></body></html>
"""

PLAIN_REPORT = (
    "Ukraine's General Staff said on Tuesday that its forces had repelled 14 attacks near "
    "Pokrovsk and that Russian troops had shelled the town of Myrnohrad overnight.\n"
)

WET_TEXT = (
    "Border guards report shelling near Vovchansk\n"
    "Ukraine's border guard service said Russian artillery had shelled the outskirts of "
    "Vovchansk three times during the night. The service said there were no casualties.\n"
)


def article(n: int) -> str:
    """A short, distinct article (distinct so that gzip members do not shrink to nothing)."""
    places = ["Robotyne", "Verbove", "Staromaiorske", "Urozhaine", "Krynky"]
    place = places[n % len(places)]
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Report {n}: "
            f"fighting near {place}</title></head><body><article><h1>Report {n}: fighting near {place}"
            f"</h1><p>The regional military administration said in report number {n} that shelling "
            f"near {place} had damaged {n + 3} houses and a school overnight.</p><p>The defence "
            f"ministry said its units had pushed back an attack on the approaches to {place} and "
            f"taken {n + 1} positions.</p></article></body></html>")


# --- writing archives -------------------------------------------------------------------------


@dataclass
class Rec:
    """One record to write: a response, resource, conversion, request, metadata or warcinfo."""

    kind: str
    url: str = "https://news.example/"
    body: bytes | str = b""
    ctype: str = "text/html; charset=utf-8"
    status: str = "200 OK"
    headers: list[tuple[str, str]] = field(default_factory=list)


def response(url: str, body: bytes | str, ctype: str = "text/html; charset=utf-8",
             status: str = "200 OK", **kw) -> Rec:
    return Rec("response", url, body, ctype, status, **kw)


def write_records(writer: WARCWriter, records: list[Rec]) -> list[int]:
    """Write ``records``; the offset after each."""
    ends = []
    for r in records:
        body = r.body.encode("utf-8") if isinstance(r.body, str) else r.body
        date_header = {"WARC-Date": "2025-01-02T03:04:05Z"}  # a capture date, never a publication date
        if r.kind == "warcinfo":
            rec = writer.create_warcinfo_record("crawl.warc.gz", {"software": "counterclaim-tests"})
        elif r.kind == "request":
            http = StatusAndHeaders(f"GET {r.url} HTTP/1.1", [("Host", "news.example")],
                                    is_http_request=True)
            rec = writer.create_warc_record(r.url, "request", payload=io.BytesIO(b""), http_headers=http,
                                            warc_headers_dict=date_header)
        elif r.kind == "response":
            http = StatusAndHeaders(r.status, [("Content-Type", r.ctype), *r.headers], protocol="HTTP/1.1")
            rec = writer.create_warc_record(r.url, "response", payload=io.BytesIO(body), http_headers=http,
                                            warc_headers_dict=date_header)
        else:  # resource, conversion, metadata: no HTTP headers, the WARC Content-Type says it
            rec = writer.create_warc_record(r.url, r.kind, payload=io.BytesIO(body),
                                            warc_content_type=r.ctype, warc_headers_dict=date_header)
        writer.write_record(rec)
        ends.append(writer.out.tell())
    return ends


def warc_bytes(records: list[Rec], *, gz: bool) -> tuple[bytes, list[int]]:
    buf = io.BytesIO()
    ends = write_records(WARCWriter(buf, gzip=gz), records)
    return buf.getvalue(), ends


def write_warc(path: Path, records: list[Rec]) -> list[int]:
    data, ends = warc_bytes(records, gz=path.name.lower().endswith(".gz"))
    path.write_bytes(data)
    return ends


def arc_bytes(pages: list[tuple[str, str]]) -> bytes:
    """An ARC v1 file: a filedesc record, then one HTTP response per (url, html)."""
    desc = b"1 0 counterclaim-tests\nURL IP-address Archive-date Content-type Archive-length\n"
    out = [b"filedesc://old-crawl.arc 0.0.0.0 20090301000000 text/plain %d\n" % len(desc), desc, b"\n"]
    for url, html in pages:
        body = html.encode("utf-8")
        http = (b"HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                b"Content-Length: %d\r\n\r\n" % len(body)) + body
        out += [f"{url} 192.0.2.7 20090301120000 text/html {len(http)}\n".encode(), http, b"\n"]
    return b"".join(out)


def run(specs, **kwargs) -> list[SourceItem]:
    return list(iter_sources([str(s) for s in specs], **kwargs))


def docs(items: list[SourceItem]) -> list[Document]:
    assert all(i.error is None for i in items), [i.error for i in items if i.error]
    return [i.document for i in items]


#: A crawl as a crawler writes it: documents among requests, redirects, errors and assets.
CRAWL = [
    Rec("warcinfo"),                                                                       # 1
    Rec("request", "https://www.steppe-dispatch.example/war/dovhenke"),                    # 2
    response("https://www.steppe-dispatch.example/war/dovhenke", VILLAGE_HTML),            # 3
    Rec("metadata", "https://www.steppe-dispatch.example/war/dovhenke", "outlinks: 3",
        "application/warc-fields"),                                                         # 4
    response("https://www.steppe-dispatch.example/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),  # 5
    response("https://www.steppe-dispatch.example/old", "<h1>Not Found</h1>", status="404 Not Found"),  # 6
    response("https://www.steppe-dispatch.example/moved", "", status="301 Moved Permanently",
             headers=[("Location", "/war/dovhenke")]),                                     # 7
    response("https://www.steppe-dispatch.example/site.css", "body { color: black }", "text/css"),  # 8
    response("https://www.steppe-dispatch.example/app.js", "console.log(1)", "application/javascript"),  # 9
    response("https://reports.example/genstaff/pokrovsk.txt", PLAIN_REPORT, "text/plain"),  # 10
    Rec("resource", "file:///saved/undated.html", UNDATED_HTML, "text/html; charset=utf-8"),  # 11
    response("https://ru-news.example/dovgenkoe", CP1251_HTML.encode("windows-1251"),
             "text/html; charset=windows-1251"),                                            # 12
]


# --- WARC: documents and names ------------------------------------------------------------------


@pytest.mark.parametrize("filename", ["crawl.warc", "crawl.warc.gz", "CRAWL.WARC.GZ"])
def test_warc_yields_one_item_per_document_record_named_by_record_number(tmp_path: Path, filename: str):
    p = tmp_path / filename
    write_warc(p, CRAWL)
    items = run([p])
    assert [i.name for i in items] == [f"{p}:{n}" for n in (3, 10, 11, 12)]
    village, plain, undated, russian = docs(items)
    assert village.url == "https://www.steppe-dispatch.example/war/dovhenke"
    assert plain.url == "https://reports.example/genstaff/pokrovsk.txt"
    assert undated.url == "file:///saved/undated.html"
    assert russian.url == "https://ru-news.example/dovgenkoe"
    assert all(d.id == Document.content_id(d.text) for d in (village, plain, undated, russian))


def test_warc_html_response_is_extracted_like_a_fetched_page(tmp_path: Path):
    p = tmp_path / "crawl.warc.gz"
    write_warc(p, CRAWL)
    village = run([p])[0].document
    assert "captured the village of Dovhenke" in village.text
    assert "repelled nine assaults" in village.text
    assert "<p>" not in village.text and "newsletter" not in village.text and "Weather" not in village.text
    assert village.title == "Ministry says its forces captured Dovhenke"
    assert village.outlet == "Steppe Dispatch" and village.outlet_side == "UNKNOWN"
    assert village.published == date(2024, 5, 20)  # the page's date, not the WARC-Date
    assert village.language == "en"


def test_warc_date_is_not_taken_for_the_publication_date(tmp_path: Path):
    p = tmp_path / "crawl.warc"
    write_warc(p, [response("https://border-news.example/depot", UNDATED_HTML)])
    doc = docs(run([p]))[0]
    assert "fuel depot" in doc.text
    assert doc.published is None


def test_warc_text_response_is_a_text_document(tmp_path: Path):
    p = tmp_path / "crawl.warc.gz"
    write_warc(p, CRAWL)
    plain = run([p])[1].document
    assert plain.text == PLAIN_REPORT
    assert plain.outlet == "reports.example"  # no outlet named: the URL's host


def test_warc_body_is_decoded_by_the_http_charset(tmp_path: Path):
    p = tmp_path / "crawl.warc.gz"
    write_warc(p, CRAWL)
    russian = run([p])[3].document
    assert "заняли село" in russian.text and russian.language == "ru"
    assert russian.title == "Минобороны: взято село Довгенькое"


def test_warc_response_with_gzip_content_encoding_is_decompressed(tmp_path: Path):
    p = tmp_path / "crawl.warc"
    write_warc(p, [response("https://www.steppe-dispatch.example/war/dovhenke",
                            gzip.compress(VILLAGE_HTML.encode("utf-8")),
                            headers=[("Content-Encoding", "gzip")])])
    [doc] = docs(run([p]))
    assert "captured the village of Dovhenke" in doc.text


def test_wet_conversion_records_are_text_documents(tmp_path: Path):
    wet = tmp_path / "crawl-wet.warc.gz"
    records = [Rec("warcinfo"),
               Rec("conversion", "https://border.example/vovchansk", WET_TEXT, "text/plain"),
               Rec("conversion", "https://border.example/pokrovsk", PLAIN_REPORT, "text/plain")]
    write_warc(wet, records)
    items = run([wet])
    assert [i.name for i in items] == [f"{wet}:2", f"{wet}:3"]
    first, second = docs(items)
    assert first.text == WET_TEXT and first.url == "https://border.example/vovchansk"
    assert second.text == PLAIN_REPORT and first.published is None


# --- WARC: what is not a document ----------------------------------------------------------------

NOT_DOCUMENTS = {
    "request": Rec("request", "https://news.example/a"),
    "404 response": response("https://news.example/gone", "<html><body><p>Page not found, sorry."
                             "</p></body></html>", status="404 Not Found"),
    "500 response": response("https://news.example/err", "<h1>Error</h1>", status="500 Server Error"),
    "redirect": response("https://news.example/r", "", status="302 Found", headers=[("Location", "/a")]),
    "image/png": response("https://news.example/map.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\r", "image/png"),
    "css": response("https://news.example/s.css", "p { margin: 0 }", "text/css"),
    "javascript": response("https://news.example/s.js", "var front = 1;", "application/javascript"),
    "json": response("https://news.example/api", '{"text": "Shelling near Kherson."}', "application/json"),
    "no content type": response("https://news.example/x", "Shelling near Kherson.", ""),
    "metadata": Rec("metadata", "https://news.example/a", "via: https://news.example/",
                    "application/warc-fields"),
    "warcinfo": Rec("warcinfo"),
    "resource image": Rec("resource", "file:///map.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
}


@pytest.mark.parametrize("record", NOT_DOCUMENTS.values(), ids=NOT_DOCUMENTS.keys())
def test_non_document_records_are_skipped_silently(tmp_path: Path, record: Rec):
    p = tmp_path / "crawl.warc.gz"
    write_warc(p, [record, response("https://news.example/a", article(1))])
    items = run([p])
    assert [i.name for i in items] == [f"{p}:2"]
    assert "fighting near Verbove" in docs(items)[0].text


@pytest.mark.parametrize("records", [[], [Rec("warcinfo")], list(NOT_DOCUMENTS.values())],
                         ids=["empty file", "warcinfo only", "no document records"])
def test_archive_without_documents_is_one_error(tmp_path: Path, records: list[Rec]):
    p = tmp_path / "crawl.warc.gz"
    write_warc(p, records)
    [item] = run([p])
    assert item.name == str(p) and item.document is None
    assert item.error.reason == "no documents (HTML or text records) in this archive"


# --- WARC: errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(("record", "reason"), [
    (response("https://news.example/empty", b""), "empty document"),
    (response("https://news.example/latin", "<p>Caf\u00e9 near Kupiansk shelled.</p>".encode("latin-1"),
              "text/html"), "not valid UTF-8 (no charset declared)"),
    (response("https://news.example/cs", "<p>Kupiansk</p>", "text/html; charset=x-nope"), "unknown charset"),
    (response("https://news.example/nav", "<html><body><nav></nav></body></html>"), "no article text"),
    (response("https://news.example/r.txt", b"\x00\x01\x02binary", "text/plain"), "binary"),
    (response("https://news.example/h.txt", "date: yesterday\nShelling.", "text/plain"), "not a date"),
])
def test_bad_document_record_is_an_error_item_and_the_archive_goes_on(tmp_path: Path, record, reason):
    p = tmp_path / "crawl.warc.gz"
    write_warc(p, [response("https://news.example/1", article(1)), record,
                   response("https://news.example/3", article(3))])
    items = run([p])
    assert [i.name for i in items] == [f"{p}:{n}" for n in (1, 2, 3)]
    assert items[0].ok and items[2].ok
    assert items[1].document is None and items[1].error.item == f"{p}:2"
    assert reason in items[1].error.reason


def test_record_over_max_bytes_is_an_error_and_is_not_read_whole(tmp_path: Path, monkeypatch):
    p = tmp_path / "crawl.warc.gz"
    huge = "<html><body><p>" + "Shelling reported near Bakhmut overnight. " * 400 + "</p></body></html>"
    write_warc(p, [response("https://news.example/huge", huge),
                   response("https://news.example/2", article(2))])
    reads: list[int | None] = []
    from warcio.limitreader import LimitReader

    original = LimitReader.read

    def spying_read(self, length=None):
        reads.append(length)
        return original(self, length)

    monkeypatch.setattr(LimitReader, "read", spying_read)
    items = run([p], max_bytes=4000)
    assert [i.name for i in items] == [f"{p}:1", f"{p}:2"]
    assert items[0].document is None
    assert items[0].error.reason == "record body over the limit of 4,000 bytes"
    assert items[1].ok
    assert None not in reads and all(n <= 64 * 1024 for n in reads)  # never "read it all"


def test_arc_file_is_read(tmp_path: Path):
    p = tmp_path / "old-crawl.arc.gz"
    data = arc_bytes([("http://www.steppe-dispatch.example/war/dovhenke", VILLAGE_HTML),
                      ("http://news.example/4", article(4))])
    p.write_bytes(gzip.compress(data))
    items = run([p])
    assert [i.name for i in items] == [f"{p}:2", f"{p}:3"]
    village, fourth = docs(items)
    assert village.url == "http://www.steppe-dispatch.example/war/dovhenke"
    assert village.published == date(2024, 5, 20) and "Report 4" in fourth.text


def test_warc_gzipped_as_one_stream_is_read(tmp_path: Path):
    p = tmp_path / "crawl.warc.gz"
    data, _ = warc_bytes([response(f"https://news.example/{n}", article(n)) for n in (1, 2, 3)], gz=False)
    p.write_bytes(gzip.compress(data))  # `gzip crawl.warc`, not one gzip member per record
    assert len(docs(run([p]))) == 3


def truncate_inside_last(data: bytes, ends: list[int]) -> bytes:
    return data[: (ends[-2] + ends[-1]) // 2]


def garble_second(data: bytes, ends: list[int]) -> bytes:
    middle = (ends[0] + ends[1]) // 2
    return data[:middle] + bytes(b ^ 0x5A for b in data[middle:middle + 40]) + data[middle + 40:]


def cut_before_second_header_ends(data: bytes, ends: list[int]) -> bytes:
    return data[: data.index(b"\r\n\r\n", ends[0]) + 2]


@pytest.mark.parametrize(("suffix", "damage", "read", "at", "reason"), [
    (".warc.gz", truncate_inside_last, 2, 3, "truncated gzip file"),
    (".warc.gz", lambda data, ends: data[:-4], 3, 4, "truncated gzip file"),  # the gzip trailer cut
    (".warc.gz", garble_second, 1, 2, "gzip"),
    (".warc", truncate_inside_last, 2, 3, "the file ends inside the record"),
    (".warc", cut_before_second_header_ends, 1, 2, "the file ends inside the record"),
    (".warc", lambda data, ends: data[: ends[0] + 30], 1, 2, "invalid record header (Content-Length None)"),
    (".warc", lambda data, ends: data[: ends[0]] + b"WARX/9.9" + data[ends[0] + 8:], 1, 2,
     "Unknown archive format"),
], ids=["gz cut in last record", "gz trailer cut", "gz garbled", "cut in last record",
        "cut in record header", "cut before Content-Length", "garbled record header"])
def test_broken_archive_gives_items_read_so_far_then_one_error(tmp_path: Path, suffix, damage, read, at,
                                                                reason):
    p = tmp_path / f"crawl{suffix}"
    data, ends = warc_bytes([response(f"https://news.example/{n}", article(n)) for n in (1, 2, 3)],
                            gz=suffix.endswith(".gz"))
    p.write_bytes(damage(data, ends))
    after = tmp_path / "after.txt"
    after.write_text(PLAIN_REPORT, "utf-8")
    items = run([p, after])
    assert [i.name for i in items[:read]] == [f"{p}:{n}" for n in range(1, read + 1)]
    assert all(i.ok for i in items[:read])
    error = items[read]
    assert error.name == str(p) and error.document is None
    assert f"corrupt or truncated archive at record {at} " in error.error.reason
    assert reason in error.error.reason
    assert [i.name for i in items[read + 1:]] == [str(after)] and items[-1].ok  # the next spec follows


def test_file_that_is_no_archive_is_one_error(tmp_path: Path):
    p = tmp_path / "notes.warc"
    p.write_text("These are my notes on the fighting near Kupiansk.\n", "utf-8")
    [item] = run([p])
    assert item.name == str(p)
    assert item.error.reason.startswith("corrupt or truncated archive at record 1 (0 documents before it): ")
    assert "invalid record header" in item.error.reason


def test_archive_is_read_lazily(tmp_path: Path):
    p = tmp_path / "crawl.warc.gz"
    data, ends = warc_bytes([response(f"https://news.example/{n}", article(n)) for n in (1, 2, 3)], gz=True)
    p.write_bytes(truncate_inside_last(data, ends))
    it = iter_sources([str(p)])
    first = next(it)
    assert first.ok and first.name == f"{p}:1"


def test_missing_warcio_is_one_error_per_archive(tmp_path: Path, monkeypatch):
    p = tmp_path / "crawl.warc.gz"
    write_warc(p, CRAWL)
    after = tmp_path / "after.txt"
    after.write_text(PLAIN_REPORT, "utf-8")
    monkeypatch.setitem(sys.modules, "warcio.archiveiterator", None)  # import fails
    items = run([p, after])
    assert [i.name for i in items] == [str(p), str(after)]
    assert items[0].error.reason == "reading WARC needs warcio: pip install 'counterclaim[warc]'"
    assert items[1].ok


# --- gzipped JSONL ----------------------------------------------------------------------------

JSONL_LINES = [
    json.dumps({"text": "Russian troops captured Dovhenke, the defence ministry said.",
                "url": "https://tass.com/politics/2", "published": "2024-05-20"}),
    "{not json",
    "",
    json.dumps({"html": VILLAGE_HTML, "outlet": "Steppe Dispatch"}),
    json.dumps({"text": "Fighting near Pokrovsk.", "outlet_side": "nobody"}),
]


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".JSONL.GZ"])
def test_gzipped_jsonl_is_read_like_jsonl(tmp_path: Path, suffix: str):
    p = tmp_path / f"shard{suffix}"
    data = ("\n".join(JSONL_LINES) + "\n").encode("utf-8")
    p.write_bytes(gzip.compress(data) if suffix.lower().endswith(".gz") else data)
    items = run([p])
    assert [i.name for i in items] == [f"{p}:{n}" for n in (1, 2, 4, 5)]
    assert [i.ok for i in items] == [True, False, True, False]
    assert items[0].document.outlet == "TASS" and items[0].document.published == date(2024, 5, 20)
    assert "invalid JSON" in items[1].error.reason
    assert items[2].document.outlet == "Steppe Dispatch" and "Dovhenke" in items[2].document.text
    assert "outlet_side 'nobody'" in items[3].error.reason


def gzip_with_flush(first: bytes, rest: bytes) -> tuple[bytes, int]:
    """``first`` then ``rest`` gzipped, flushed between them; the offset of the flush."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb") as gz:
        gz.write(first)
        gz.flush()
        flushed = buf.tell()
        gz.write(rest)
    return buf.getvalue(), flushed


TWO_LINES = (json.dumps({"text": "Report 1: shelling near Nikopol."}) + "\n"
             + json.dumps({"text": "Report 2: drones over Odesa."}) + "\n").encode("utf-8")
MORE_LINES = "".join(json.dumps({"text": f"Report {n}: fighting near Chasiv Yar, house {n}."}) + "\n"
                     for n in range(3, 40)).encode("utf-8")


# (damage, fewest and most whole lines read before the error, reason): how many lines come
# out of a damaged stream before the error depends on where zlib notices it
@pytest.mark.parametrize(("damage", "least", "most", "reason"), [
    (lambda data, flushed: data[: flushed + (len(data) - flushed) // 2], 2, 38, "truncated gzip file"),
    (lambda data, flushed: data[:-3], 39, 39, "truncated gzip file"),
    (lambda data, flushed: data[:-8] + b"\x00\x00\x00\x00" + data[-4:], 39, 39, "CRC check failed"),
    (lambda data, flushed: data[:flushed + 5] + b"\xff" * 30 + data[flushed + 35:], 0, 2, "gzip"),
    (lambda data, flushed: TWO_LINES, 0, 0, "not a valid gzip file"),
], ids=["cut in the middle", "trailer cut", "bad CRC", "garbled data", "not gzipped"])
def test_corrupt_gzipped_jsonl_gives_lines_read_so_far_then_one_error(tmp_path: Path, damage, least, most,
                                                                     reason):
    p = tmp_path / "shard.jsonl.gz"
    data, flushed = gzip_with_flush(TWO_LINES, MORE_LINES)
    p.write_bytes(damage(data, flushed))
    after = tmp_path / "after.jsonl.gz"
    after.write_bytes(gzip.compress(TWO_LINES))
    items = run([p, after])
    *lines, error = [i for i in items if not i.name.startswith(str(after))]
    assert least <= len(lines) <= most
    assert [i.name for i in lines] == [f"{p}:{n}" for n in range(1, len(lines) + 1)]
    assert all(i.ok for i in lines)
    assert error.name == str(p) and error.document is None and reason in error.error.reason
    if lines:
        assert error.error.reason.endswith(f"(after line {len(lines)})")
    assert [i.name for i in items[len(lines) + 1:]] == [f"{after}:1", f"{after}:2"]


def test_empty_gzipped_jsonl_is_an_error(tmp_path: Path):
    p = tmp_path / "empty.jsonl.gz"
    p.write_bytes(gzip.compress(b"\n\n"))
    [item] = run([p])
    assert item.name == str(p) and item.error.reason == "empty file (no JSON lines)"


# --- directories and suffixes -----------------------------------------------------------------


def test_directory_walk_finds_every_archive_kind(tmp_path: Path):
    (tmp_path / "crawls").mkdir()
    (tmp_path / ".cache").mkdir()
    page = [response("https://news.example/5", article(5))]
    write_warc(tmp_path / "crawls" / "b.warc", page)
    write_warc(tmp_path / "crawls" / "c.warc.gz", page)
    write_warc(tmp_path / "crawls" / "D.WARC.GZ", page)
    write_warc(tmp_path / ".cache" / "hidden.warc.gz", page)
    (tmp_path / "crawls" / "e.arc").write_bytes(arc_bytes([("http://news.example/6", article(6))]))
    (tmp_path / "crawls" / "f.arc.gz").write_bytes(gzip.compress(arc_bytes([("http://news.example/7",
                                                                             article(7))])))
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(TWO_LINES))
    (tmp_path / "a.jsonl").write_bytes(TWO_LINES)
    (tmp_path / "backup.tar.gz").write_bytes(gzip.compress(b"not a source"))
    (tmp_path / "notes.gz").write_bytes(gzip.compress(b"not a source"))
    (tmp_path / "crawls" / "x.cdx.gz").write_bytes(gzip.compress(b"not a source"))
    items = run([tmp_path])
    names = [Path(i.name).relative_to(tmp_path).as_posix() for i in items]
    assert names == ["a.jsonl:1", "a.jsonl:2", "a.jsonl.gz:1", "a.jsonl.gz:2", "crawls/D.WARC.GZ:1",
                     "crawls/b.warc:1", "crawls/c.warc.gz:1", "crawls/e.arc:2", "crawls/f.arc.gz:2"]
    assert all(i.ok for i in items)


def test_empty_directory_error_lists_the_archive_kinds(tmp_path: Path):
    [item] = run([tmp_path])
    assert "no source files" in item.error.reason
    for suffix in (".txt", ".html", ".jsonl", ".jsonl.gz", ".warc", ".warc.gz", ".arc", ".arc.gz", ".rss"):
        assert f"{suffix}," in item.error.reason or f"{suffix})" in item.error.reason


@pytest.mark.parametrize(("path", "expected"), [
    ("shard.jsonl", True),
    ("shard.jsonl.gz", True),
    ("SHARD.JSONL.GZ", True),
    ("crawl.warc", True),
    ("crawls/2024/crawl-00001.warc.gz", True),
    (Path("crawl.Warc.Gz"), True),
    ("old.arc", True),
    ("old.arc.gz", True),
    ("article.txt", False),
    ("page.html", False),
    ("feed.rss", False),
    ("backup.tar.gz", False),
    ("notes.gz", False),
    ("index.cdx.gz", False),
    ("warc.gz", False),
    ("jsonl", False),
    ("crawl.warc.gz.part", False),
    ("CC-MAIN-20250101-00000.warc.wet.gz", True),  # Common Crawl's extracted text
])
def test_is_archive_by_suffix(path, expected: bool):
    assert is_archive(path) is expected


def test_archive_suffixes():
    expected = {".jsonl", ".jsonl.gz", ".warc", ".warc.gz", ".arc", ".arc.gz", ".wet", ".wet.gz"}
    assert expected == ARCHIVE_SUFFIXES
    assert isinstance(ARCHIVE_SUFFIXES, frozenset)
