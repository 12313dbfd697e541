"""Sources: files, directories, JSONL, feeds and URLs -> documents or per-item errors.

URLs are served by a real HTTP server on 127.0.0.1 (a free port, in a thread): nothing
here reaches the internet.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from counterclaim.actors import ActorIndex
from counterclaim.models import Actor, Document
from counterclaim.sources import MAX_REDIRECTS, SourceItem, iter_sources

# --- texts ------------------------------------------------------------------------------------

KUPIANSK_TXT = (
    "date: 2024-02-16\n"
    "outlet: TASS\n"
    "title: Gerasimov reports liberation of Kupyansk\n"
    "MOSCOW, February 16. Chief of the General Staff Valery Gerasimov said Russian troops "
    "had liberated Kupyansk and were fighting in Kucheryovka.\n"
)

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ukraine denies Russian claim to have taken Kupiansk | Frontline Wire</title>
<meta property="og:site_name" content="Frontline Wire">
<meta property="og:title" content="Ukraine denies Russian claim to have taken Kupiansk">
<meta property="article:published_time" content="2024-02-17T08:30:00+00:00">
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
<article>
<h1>Ukraine denies Russian claim to have taken Kupiansk</h1>
<p>KYIV (Frontline Wire) - Ukraine's military on Saturday rejected a claim by Russian Chief
of General Staff Valery Gerasimov that Russian forces had captured the town of Kupiansk in
the Kharkiv region, calling it "a lie that has nothing to do with reality".</p>
<p>"The town is under the control of the Defence Forces of Ukraine," the Khortytsia
operational-strategic group said in a statement, adding that fighting continued near the
villages of Kurylivka and Kucherivka east of the Oskil river.</p>
<p>Russia's defence ministry said its troops also held more than 80 per cent of Vovchansk,
a claim that could not be independently verified.</p>
</article>
<footer>Copyright Frontline Wire. All rights reserved.</footer>
</body></html>
"""


def news_page(title: str | None, body: str, *, published: str | None = None,
              sitename: str | None = None) -> str:
    head = ['<meta charset="utf-8">']
    if title:
        head.append(f"<title>{title}</title>")
    if published:
        head.append(f'<meta property="article:published_time" content="{published}">')
    if sitename:
        head.append(f'<meta property="og:site_name" content="{sitename}">')
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (f"<!DOCTYPE html><html><head>{''.join(head)}</head><body><main><article>"
            f"{'<h1>' + title + '</h1>' if title else ''}{paras}</article></main></body></html>")


NEWS_1 = news_page(
    "Russian troops advance near Avdiivka", published="2024-02-10", sitename="Frontline Wire",
    body="Russian forces advanced north of Avdiivka, the Russian Defence Ministry said, naming the "
         "village of Stepove as one of the places where its units had pushed forward.\n\n"
         "Ukraine's Tavria group said its troops repelled eleven assaults near Stepove and "
         "Berdychi and denied that the village had been lost.")
NEWS_2 = news_page(  # no title, no date, no site name: the feed entry supplies them
    None,
    body="Ukrainian forces withdrew from positions in Krynky on the left bank of the Dnipro, "
         "the Tavria group's spokesman Oleksandr Shtupun said, citing heavy shelling.\n\n"
         "Russia's defence ministry called the withdrawal a defeat and said it controlled the "
         "whole of the village.")

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Frontline Wire - War in Ukraine</title><link>http://example.invalid/</link>
<description>War reporting</description>
<item><title>Russian troops advance near Avdiivka (feed title)</title>
  <link>{base}/news/1.html</link><pubDate>Sat, 10 Feb 2024 09:00:00 GMT</pubDate>
  <description>Russian forces advanced north of Avdiivka.</description></item>
<item><title>A story that was taken down</title>
  <link>{base}/news/gone.html</link><pubDate>Sun, 11 Feb 2024 09:00:00 GMT</pubDate>
  <description>Removed.</description></item>
<item><title>Ukraine pulls back from Krynky</title>
  <link>{base}/news/2.html</link><pubDate>Sat, 17 Feb 2024 12:00:00 GMT</pubDate>
  <description>Ukrainian forces withdrew from Krynky.</description></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Ukrinform: War</title><id>urn:uuid:1</id><updated>2024-02-18T10:00:00Z</updated>
<entry><title>Ukrinform: General Staff reports fighting near Robotyne</title>
  <id>urn:uuid:2</id><link href="{base}/news/1.html"/>
  <published>2024-02-18T10:00:00Z</published><updated>2024-02-18T10:00:00Z</updated>
  <content type="html">&lt;p&gt;The General Staff of the Armed Forces of Ukraine said fighting
  continued near &lt;b&gt;Robotyne&lt;/b&gt; in Zaporizhzhia region.&lt;/p&gt;&lt;p&gt;Russian
  forces attacked eight times near Verbove.&lt;/p&gt;</content></entry>
</feed>
"""

CP1251_HTML = """<!DOCTYPE html><html lang="ru"><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">
<title>Минобороны России: освобождён Купянск</title>
<meta property="article:published_time" content="2024-02-16T12:00:00+03:00">
</head><body><article><h1>Минобороны России: освобождён Купянск</h1>
<p>Начальник Генерального штаба Валерий Герасимов заявил, что российские войска освободили
Купянск и продолжают наступление у Кучеровки и Куриловки.</p>
<p>ВСУ опровергли это заявление и сообщили, что город остаётся под их контролем.</p>
</article></body></html>
"""

HUGE = b"<html><body><p>" + b"Shelling reported near Bakhmut. " * 4000 + b"</p></body></html>"


# --- the server -------------------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    release: threading.Event  # set at teardown: the slow handler stops waiting

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def send(self, status: int, body: bytes | str, ctype: str = "text/html; charset=utf-8",
             length: bool = True, headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length:
            self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        with contextlib.suppress(OSError):  # the client may have given up (timeout, size limit)
            self.wfile.write(data)

    def redirect(self, to: str) -> None:
        self.send(302, b"", headers={"Location": to})

    def do_GET(self) -> None:  # noqa: C901 - one route table
        base = f"http://{self.headers['Host']}"
        path = self.path
        if path == "/article.html":
            self.send(200, ARTICLE_HTML)
        elif path == "/news/1.html":
            self.send(200, NEWS_1)
        elif path == "/news/2.html":
            self.send(200, NEWS_2)
        elif path == "/feed.rss":
            self.send(200, RSS.format(base=base), "application/rss+xml; charset=utf-8")
        elif path == "/atom":  # a generic XML type: the content says it is a feed
            self.send(200, ATOM.format(base=base), "application/xml")
        elif path == "/cp1251.html":  # charset declared in the page only
            self.send(200, CP1251_HTML.encode("windows-1251"), "text/html")
        elif path == "/cp1251-header":  # charset declared in the HTTP header only
            body = CP1251_HTML.replace('<meta http-equiv="Content-Type" content="text/html; '
                                       'charset=windows-1251">', "")
            self.send(200, body.encode("windows-1251"), "text/html; charset=windows-1251")
        elif path == "/latin1-undeclared.html":
            self.send(200, "<html><body><p>Caf\u00e9 near Kupiansk shelled.</p></body></html>"
                      .encode("latin-1"), "text/html")
        elif path == "/slow":
            self.release.wait(2.0)
            self.send(200, ARTICLE_HTML)
        elif path == "/huge":
            self.send(200, HUGE)
        elif path == "/huge-unannounced":  # no Content-Length: the reader must stop by itself
            self.send(200, HUGE, length=False)
        elif path == "/loop-a":
            self.redirect("/loop-b")
        elif path == "/loop-b":
            self.redirect(f"{base}/loop-a")
        elif path.startswith("/chain/"):
            n = int(path.rsplit("/", 1)[1])
            self.redirect(f"/chain/{n + 1}") if n < 10 else self.send(200, ARTICLE_HTML)
        elif path == "/moved":
            self.send(301, b"", headers={"Location": "/article.html"})
        elif path == "/binary":
            self.send(200, bytes(range(256)) * 8, "application/octet-stream")
        elif path == "/pdf":
            self.send(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "application/pdf")
        elif path == "/plain.txt":
            self.send(200, KUPIANSK_TXT, "text/plain; charset=utf-8")
        elif path == "/empty.html":
            self.send(200, b"", "text/html")
        elif path == "/error":
            self.send(500, "<h1>Internal Server Error</h1>")
        else:
            self.send(404, "<h1>Not Found</h1>")


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="module")
def server():
    release = threading.Event()
    handler = type("BoundHandler", (Handler,), {"release": release})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
        assert not thread.is_alive()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(specs, **kwargs) -> list[SourceItem]:
    return list(iter_sources([str(s) for s in specs], **kwargs))


def only(items: list[SourceItem]) -> Document:
    assert len(items) == 1, items
    assert items[0].error is None, items[0].error
    assert items[0].document is not None
    return items[0].document


# --- files ------------------------------------------------------------------------------------


def test_text_file_uses_header_and_actor_side(tmp_path: Path):
    p = tmp_path / "tass.txt"
    p.write_text(KUPIANSK_TXT, "utf-8")
    doc = only(run([p]))
    assert doc.text == KUPIANSK_TXT
    assert doc.outlet == "TASS" and doc.outlet_side == "RU"
    assert doc.published == date(2024, 2, 16)
    assert doc.title == "Gerasimov reports liberation of Kupyansk"
    assert doc.id == Document.content_id(doc.text)


def test_html_file_extracted(tmp_path: Path):
    p = tmp_path / "article.html"
    p.write_text(ARTICLE_HTML, "utf-8")
    doc = only(run([p]))
    assert isinstance(doc.text, str)
    assert "captured the town of Kupiansk" in doc.text
    assert "Kurylivka and Kucherivka" in doc.text
    assert "<p>" not in doc.text and "All rights reserved" not in doc.text and "Sport" not in doc.text
    assert doc.title == "Ukraine denies Russian claim to have taken Kupiansk"
    assert doc.published == date(2024, 2, 17)
    assert doc.outlet == "Frontline Wire" and doc.outlet_side == "UNKNOWN"
    assert doc.id == Document.content_id(doc.text)


def test_outlet_and_side_arguments_override(tmp_path: Path):
    p = tmp_path / "tass.txt"
    p.write_text(KUPIANSK_TXT, "utf-8")
    doc = only(run([p], outlet="Reuters"))
    assert doc.outlet == "Reuters" and doc.outlet_side == "OTHER"
    doc = only(run([p], outlet="My Monitor", outlet_side="UA"))
    assert doc.outlet == "My Monitor" and doc.outlet_side == "UA"
    with pytest.raises(ValueError, match="outlet_side"):
        iter_sources([str(p)], outlet_side="russia")


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty"),
    (b"   \n\t\n", "whitespace"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("Бахмут".encode("windows-1251") + b" shelling reported overnight", "UTF-8"),
])
def test_bad_text_files(tmp_path: Path, content: bytes, reason: str):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(KUPIANSK_TXT, "utf-8")
    items = run([bad, good])
    assert len(items) == 2
    assert items[0].document is None and items[0].name == str(bad)
    assert reason in items[0].error.reason
    assert items[1].document is not None


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty"),
    ("<html><body><p>Caf\u00e9 near Kupiansk shelled.</p></body></html>".encode("latin-1"),
     "not valid UTF-8 (no charset declared)"),
    (b"<html><head><meta charset='x-no-such'></head><body><p>Text</p></body></html>", "unknown charset"),
    (b"<html>\x00\x01\x02\x03</html>", "binary"),
    (b"<html><body><nav></nav></body></html>", "no article text"),
])
def test_bad_html_files(tmp_path: Path, content: bytes, reason: str):
    bad = tmp_path / "bad.html"
    bad.write_bytes(content)
    [item] = run([bad])
    assert item.document is None and item.error is not None
    assert item.error.item == str(bad)
    assert reason in item.error.reason


def test_html_file_with_declared_charset(tmp_path: Path):
    p = tmp_path / "mil.htm"
    p.write_bytes(CP1251_HTML.encode("windows-1251"))
    doc = only(run([p]))
    assert "освободили" in doc.text and doc.language == "ru"
    assert doc.title == "Минобороны России: освобождён Купянск"


def test_file_with_other_suffix_is_sniffed(tmp_path: Path):
    page, feed, text = tmp_path / "page", tmp_path / "feed.php", tmp_path / "README"
    page.write_text(ARTICLE_HTML, "utf-8")
    feed.write_text(ATOM.format(base="https://www.ukrinform.net"), "utf-8")
    text.write_text(KUPIANSK_TXT, "utf-8")
    items = run([page, feed, text], follow_feed_links=False)
    assert [i.document.title for i in items] == [
        "Ukraine denies Russian claim to have taken Kupiansk",
        "Ukrinform: General Staff reports fighting near Robotyne",
        "Gerasimov reports liberation of Kupyansk",
    ]


def test_missing_path_and_bad_scheme(tmp_path: Path):
    items = run([tmp_path / "nope.txt", "ftp://example.invalid/x", tmp_path])
    assert [i.error.reason for i in items] == [
        "no such file or directory",
        "unsupported URL scheme 'ftp' (use http, https or a file path)",
        items[2].error.reason,
    ]
    assert "no source files" in items[2].error.reason


def test_directory_recursive_sorted_known_suffixes(tmp_path: Path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Fighting near Chasiv Yar continued.", "utf-8")
    (tmp_path / "a" / "2.html").write_text(ARTICLE_HTML, "utf-8")
    (tmp_path / "a" / "1.txt").write_text(KUPIANSK_TXT, "utf-8")
    (tmp_path / "a" / "notes.md").write_text("not a source", "utf-8")
    (tmp_path / ".hidden" / "x.txt").write_text("hidden", "utf-8")
    (tmp_path / "0.jsonl").write_text(json.dumps({"text": "Shelling of Kherson."}) + "\n", "utf-8")
    items = run([tmp_path])
    names = [Path(i.name.split(":")[0]).relative_to(tmp_path).as_posix() for i in items]
    assert names == ["0.jsonl", "a/1.txt", "a/2.html", "b/z.txt"]
    assert all(i.document is not None for i in items)


# --- JSONL ------------------------------------------------------------------------------------


def test_jsonl_lines_and_bad_lines(tmp_path: Path):
    lines = [
        json.dumps({"text": "Russian troops liberated Krasnohorivka, the ministry said.",
                    "url": "https://tass.com/politics/1", "published": "2024-03-01T10:00:00Z",
                    "title": "Krasnohorivka"}),
        "{not json",
        json.dumps({"url": "https://example.invalid/x", "title": "no body"}),
        "",
        json.dumps({"text": "Ukraine said it held Robotyne.", "published": "yesterday"}),
        json.dumps({"html": ARTICLE_HTML, "outlet": "Kyiv Independent"}),
        json.dumps({"text": "  "}),
        json.dumps(["a", "list"]),
        json.dumps({"text": "Fighting near Vuhledar.", "outlet": "Ukrinform", "language": "uk"}),
    ]
    p = tmp_path / "archive.jsonl"
    p.write_bytes(("\n".join(lines) + "\n").encode("utf-8")
                  + b'{"text": "\xcf\xf0\xe8\xe2\xe5\xf2"}\n')  # line 10: windows-1251, not UTF-8
    items = run([p])
    assert [i.name for i in items] == [f"{p}:{n}" for n in (1, 2, 3, 5, 6, 7, 8, 9, 10)]
    ok = {i.name.rsplit(":", 1)[1]: i.document for i in items if i.document}
    bad = {i.name.rsplit(":", 1)[1]: i.error.reason for i in items if i.error}
    assert set(ok) == {"1", "6", "9"}
    assert "invalid JSON" in bad["2"]
    assert "no 'text' or 'html' field" in bad["3"]
    assert "invalid date 'yesterday'" in bad["5"]
    assert "whitespace" in bad["7"]
    assert "expected a JSON object" in bad["8"]
    assert "not valid UTF-8" in bad["10"]
    first = ok["1"]
    assert first.outlet == "TASS" and first.outlet_side == "RU"  # by the URL's domain
    assert first.published == date(2024, 3, 1) and first.title == "Krasnohorivka"
    assert first.url == "https://tass.com/politics/1"
    html = ok["6"]
    assert "Kurylivka and Kucherivka" in html.text and "<p>" not in html.text
    assert html.outlet == "Kyiv Independent" and html.outlet_side == "UA"
    assert html.published == date(2024, 2, 17)
    assert ok["9"].outlet_side == "UA" and ok["9"].language == "uk"


def test_jsonl_is_read_lazily(tmp_path: Path):
    p = tmp_path / "big.jsonl"
    with p.open("w", encoding="utf-8") as fh:
        for n in range(3):
            fh.write(json.dumps({"text": f"Report {n}: shelling near Nikopol."}) + "\n")
    it = iter_sources([str(p)])
    first = next(it)
    assert first.document is not None and first.name.endswith(":1")
    with p.open("a", encoding="utf-8") as fh:  # appended after reading began: still seen
        fh.write(json.dumps({"text": "Report 3: drones over Odesa."}) + "\n")
    assert len(list(it)) == 3


def test_jsonl_line_over_limit(tmp_path: Path):
    p = tmp_path / "long.jsonl"
    p.write_text(json.dumps({"text": "x " * 5000}) + "\n" + json.dumps({"text": "Short report."}) + "\n")
    items = run([p], max_bytes=1000)
    assert items[0].error is not None and "over the limit" in items[0].error.reason
    assert items[1].document is not None and items[1].name.endswith(":2")


# --- feed files -------------------------------------------------------------------------------


def test_feed_file_without_following_links(tmp_path: Path):
    p = tmp_path / "feed.atom"
    p.write_text(ATOM.format(base="https://www.ukrinform.net"), "utf-8")
    doc = only(run([p], follow_feed_links=False))
    assert doc.text.splitlines() == [
        "The General Staff of the Armed Forces of Ukraine said fighting continued near Robotyne in "
        "Zaporizhzhia region.",
        "Russian forces attacked eight times near Verbove.",
    ]
    assert doc.title == "Ukrinform: General Staff reports fighting near Robotyne"
    assert doc.published == date(2024, 2, 18)
    assert doc.url == "https://www.ukrinform.net/news/1.html"
    assert doc.outlet == "Ukrinform: War" and doc.outlet_side == "UA"  # side by the link's domain


def test_not_a_feed(tmp_path: Path):
    p = tmp_path / "data.xml"
    p.write_text("<?xml version='1.0'?><catalog><book>War and Peace</book></catalog>", "utf-8")
    [item] = run([p])
    assert item.error is not None and item.name == str(p)


# --- URLs -------------------------------------------------------------------------------------


def test_html_page(server: str):
    doc = only(run([f"{server}/article.html"]))
    assert "captured the town of Kupiansk" in doc.text and "<p>" not in doc.text
    assert doc.title == "Ukraine denies Russian claim to have taken Kupiansk"
    assert doc.published == date(2024, 2, 17)
    assert doc.outlet == "Frontline Wire"
    assert doc.url == f"{server}/article.html"


def test_redirect_followed_and_final_url_kept(server: str):
    doc = only(run([f"{server}/moved"]))
    assert doc.url == f"{server}/article.html"
    assert doc.title == "Ukraine denies Russian claim to have taken Kupiansk"


def test_rss_feed_follows_links_and_survives_a_404(server: str):
    items = run([f"{server}/feed.rss"], timeout=5)
    assert [i.name for i in items] == [f"{server}/news/1.html", f"{server}/news/gone.html",
                                       f"{server}/news/2.html"]
    one, gone, two = items
    assert gone.document is None and gone.error.reason == "HTTP 404 Not Found"
    d1 = one.document
    assert "Stepove" in d1.text and "<p>" not in d1.text
    assert d1.title == "Russian troops advance near Avdiivka"  # the page's own
    assert d1.published == date(2024, 2, 10) and d1.outlet == "Frontline Wire"
    d2 = two.document
    assert "withdrew from positions in Krynky" in d2.text
    assert d2.title == "Ukraine pulls back from Krynky"  # the page has none: the entry's
    assert d2.published == date(2024, 2, 17)
    assert d2.outlet == "Frontline Wire - War in Ukraine"  # the feed's title
    assert d2.url == f"{server}/news/2.html"


def test_atom_feed_detected_by_content(server: str):
    items = run([f"{server}/atom"], follow_feed_links=False)
    doc = only(items)
    assert "fighting continued near Robotyne" in doc.text
    assert doc.published == date(2024, 2, 18)
    items = run([f"{server}/atom"])  # following the link: the page's text
    assert "Stepove" in only(items).text


@pytest.mark.parametrize("path", ["/cp1251.html", "/cp1251-header"])
def test_declared_charset_honoured(server: str, path: str):
    doc = only(run([f"{server}{path}"]))
    assert "Купянск" in doc.text and "Кучеровки" in doc.text
    assert doc.title == "Минобороны России: освобождён Купянск"
    assert doc.published == date(2024, 2, 16)


def test_plain_text_url(server: str):
    doc = only(run([f"{server}/plain.txt"]))
    assert doc.text == KUPIANSK_TXT and doc.outlet == "TASS" and doc.outlet_side == "RU"
    assert doc.url == f"{server}/plain.txt"


def test_outlet_side_from_actor_domains(server: str):
    actors = ActorIndex([Actor("Loopback News", side="UA", kind="media", domains=("127.0.0.1",))])
    doc = only(run([f"{server}/news/2.html"], actors=actors))
    assert doc.outlet == "Loopback News" and doc.outlet_side == "UA"


def test_bad_urls_each_give_one_error_and_iteration_goes_on(server: str):
    port = closed_port()
    bad = {
        f"{server}/missing": "HTTP 404 Not Found",
        f"{server}/error": "HTTP 500 Internal Server Error",
        f"{server}/slow": "timed out after 0.5 s",
        f"{server}/huge": "response over 20,000 bytes",
        f"{server}/huge-unannounced": "response over 20,000 bytes",
        f"{server}/loop-a": "redirect loop",
        f"{server}/chain/0": f"more than {MAX_REDIRECTS} redirects",
        f"http://127.0.0.1:{port}/article.html": "connection refused",
        f"{server}/binary": "binary",
        f"{server}/pdf": "unsupported content type 'application/pdf'",
        f"{server}/latin1-undeclared.html": "not valid UTF-8",
        f"{server}/empty.html": "empty",
    }
    specs = []
    for url in bad:
        specs += [url, f"{server}/article.html"]
    t0 = time.monotonic()
    items = run(specs, timeout=0.5, max_bytes=20_000)
    assert time.monotonic() - t0 < 5
    assert len(items) == len(specs)
    for (url, reason), err, ok in zip(bad.items(), items[::2], items[1::2], strict=True):
        assert err.name == url and err.document is None
        assert err.error.item == url
        assert reason in err.error.reason, (url, err.error.reason)
        assert ok.document is not None and "Kupiansk" in ok.document.text


def test_redirect_loop_names_the_hops(server: str):
    [item] = run([f"{server}/loop-a"], timeout=2)
    assert item.error.reason == (f"redirect loop ({server}/loop-a -> {server}/loop-b -> "
                                 f"{server}/loop-a)")


def test_five_redirects_are_fine(server: str):
    doc = only(run([f"{server}/chain/5"]))
    assert doc.url == f"{server}/chain/10" and "Kupiansk" in doc.text


def test_dns_failure_is_an_error(monkeypatch):
    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    [item] = run(["http://news.example.invalid/story"])
    assert item.name == "http://news.example.invalid/story"
    assert item.error.reason.startswith("cannot resolve the host name (DNS")
