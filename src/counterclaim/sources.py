"""Sources: where documents come from.

:func:`iter_sources` turns source specifications -- the arguments of ``counterclaim ingest``
-- into a stream of :class:`SourceItem`, each a :class:`~counterclaim.models.Document` or the
:class:`~counterclaim.errors.InputError` that reading it gave. A spec is one of:

- a text file (``documents.read_document``: header lines, size limit, encoding checks);
- an HTML file (``.html``/``.htm``): main text, title, date and site name by trafilatura;
- a JSONL file (``.jsonl``, or gzipped ``.jsonl.gz``): one article per line, ``text`` or
  ``html`` plus optional ``url``, ``outlet``, ``outlet_side``, ``published``, ``title``,
  ``language``; items are named ``file.jsonl:LINE`` (``file.jsonl.gz:LINE``);
- a web archive (``.warc``, ``.warc.gz``, ``.arc``, ``.arc.gz``; needs warcio, the ``warc``
  extra): each document record is one item named ``file.warc.gz:N``, N the 1-based number of
  the record among all the file's records. Documents are ``response`` records with HTTP status
  200 and an HTML type (``text/html``, ``application/xhtml+xml``: extracted like a fetched
  page, decoded by the HTTP charset) or ``text/plain`` (a text, like a fetched text), and
  ``resource`` and ``conversion`` records (WET files) of those types; the URL is the record's
  ``WARC-Target-URI``. Other records (requests, metadata, warcinfo, revisits, other statuses,
  images, scripts ...) are skipped. ``WARC-Date`` is the capture time, not a publication
  date, and is not used. A corrupt or truncated archive ends with one error item naming the
  file and the record reached; an archive without document records is an error;
- an RSS/Atom feed file (``.xml``, ``.rss``, ``.atom``): each entry's link is fetched and
  extracted (``follow_feed_links``), else the entry's content or summary is used;
- a directory: the files above found in it (by suffix, compound ones such as ``.warc.gz``
  included), recursively, in sorted order (hidden files and folders are skipped);
- an ``http``/``https`` URL: an HTML page, a feed (by content type or content) or plain text;
- ``-``: standard input, as a text file.

Everything streams: a directory is walked one folder at a time, a JSONL file (gzipped or
not) is read a line at a time, an archive a record at a time (at most ``max_bytes`` + 1 bytes
of a record's body are held), a feed an entry at a time. Nothing stops the stream: a missing
file, a bad JSONL line, a corrupt gzip stream, a broken archive record, a 404, a timeout, a
redirect loop, a response or record over ``max_bytes``, binary or wrongly encoded content
each yield one item with an ``InputError(name, reason)``, and the next item (or, after a
corrupt file, the next spec) follows.

:data:`ARCHIVE_SUFFIXES` and :func:`is_archive` name the kinds of file that hold many
documents (shards): JSONL and web archives, gzipped or not.

Outlet and side: the ``outlet``/``outlet_side`` arguments win; else the outlet the source
names (JSONL ``outlet``, a text file's ``outlet:`` header, the page's site name, the feed's
title); else the actor whose web domain the URL is on (``actors.yaml``); else the URL's host
name. ``Document.outlet_side`` is the caller's ``outlet_side``, else a JSONL line's
``outlet_side``, else the side of the actor matched by the URL's domain or by the outlet's
name (the name first when the caller gave the outlet), else ``UNKNOWN``.

HTML bytes are decoded by a byte-order mark, else the HTTP charset, else the charset the page
declares (``<meta charset>``, ``<?xml encoding>``), else as UTF-8; bytes invalid in that
charset are an error, never a guess. Feeds are decoded by feedparser (XML declaration, HTTP
charset). A feed entry whose link fails to fetch is an error item (its summary is not used
instead); a link that leads to another feed is not followed further.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import http.client
import io
import json
import os
import re
import socket
import ssl
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse
from urllib.request import url2pathname

from .actors import ActorIndex, default_actors
from .documents import DEFAULT_MAX_BYTES, _decode, _parse_date, read_document, read_stdin, read_text_input
from .errors import InputError
from .models import SIDES, Actor, Document

__all__ = ["SourceItem", "iter_sources", "iter_source_files", "is_archive", "ARCHIVE_SUFFIXES",
           "MAX_REDIRECTS", "USER_AGENT"]

#: Redirects followed for one URL; one more is an error.
MAX_REDIRECTS = 5
USER_AGENT = "counterclaim/0.1 (+https://pypi.org/project/counterclaim/)"
TEXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".jsonl.gz"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
#: Web archives; WET files (Common Crawl's extracted text, *.warc.wet.gz) are WARC too.
WARC_SUFFIXES = frozenset({".warc", ".warc.gz", ".arc", ".arc.gz", ".wet", ".wet.gz"})
#: Suffixes of files that hold many documents ("shards"): JSONL and web archives.
ARCHIVE_SUFFIXES = JSONL_SUFFIXES | WARC_SUFFIXES
SOURCE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES | WARC_SUFFIXES
_KINDS = {**dict.fromkeys(TEXT_SUFFIXES, "text"), **dict.fromkeys(HTML_SUFFIXES, "html"),
          **dict.fromkeys(JSONL_SUFFIXES, "jsonl"), **dict.fromkeys(FEED_SUFFIXES, "feed"),
          **dict.fromkeys(WARC_SUFFIXES, "warc")}
_COMPOUND_SUFFIXES = tuple(sorted((s for s in SOURCE_SUFFIXES if s.count(".") > 1), key=len, reverse=True))
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
#: A document record's (kind, body, charset, url).
_Body = tuple[str, bytes, str | None, str | None]
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class SourceItem:
    """One item of a source: a document, or the error that reading it gave."""

    name: str  # what to call it in messages: a path, "file.jsonl:17", a URL
    document: Document | None  # the document, or None when it failed
    error: InputError | None = None

    @property
    def ok(self) -> bool:
        return self.document is not None


def iter_sources(
    specs: Iterable[str],
    *,
    outlet: str | None = None,
    outlet_side: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = 20.0,
    follow_feed_links: bool = True,
    actors: ActorIndex | None = None,
) -> Iterator[SourceItem]:
    """Every document of every source in ``specs``, in order; see the module docstring.

    ``timeout`` bounds each URL fetch as a whole (connecting, redirects and reading), in
    seconds. Raises ``ValueError`` at once for an ``outlet_side`` that is not a side.
    """
    if outlet_side is not None and outlet_side not in SIDES:
        raise ValueError(f"outlet_side must be one of {', '.join(SIDES)}, not {outlet_side!r}")
    if max_bytes <= 0:
        raise ValueError("max_bytes must be positive")
    reader = _Reader(outlet=outlet, outlet_side=outlet_side, max_bytes=max_bytes, timeout=timeout,
                     follow_feed_links=follow_feed_links, actors=actors)
    return reader.run(specs)


def is_archive(path: str | Path) -> bool:
    """Whether ``path`` names a file of many documents (a shard) by its suffix: one of
    :data:`ARCHIVE_SUFFIXES` (``.jsonl``, ``.warc.gz`` ...), in any letter case."""
    return _source_suffix(Path(path)) in ARCHIVE_SUFFIXES


# ------------------------------------------------------------------------------------------


class _Fetched:
    """A successful HTTP response, read whole (at most ``max_bytes``)."""

    __slots__ = ("url", "data", "content_type", "charset")

    def __init__(self, url: str, data: bytes, content_type: str, charset: str | None) -> None:
        self.url = url
        self.data = data
        self.content_type = content_type
        self.charset = charset


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by :meth:`_Reader.fetch`, which counts them and sees loops."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102
        return None


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_NoRedirect())


class _Reader:
    def __init__(self, *, outlet: str | None, outlet_side: str | None, max_bytes: int, timeout: float,
                 follow_feed_links: bool, actors: ActorIndex | None) -> None:
        self.outlet = outlet
        self.outlet_side = outlet_side
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.follow_feed_links = follow_feed_links
        self._actors = actors
        self._opener = _opener()

    # --- dispatch ----------------------------------------------------------------------

    def run(self, specs: Iterable[str]) -> Iterator[SourceItem]:
        for spec in specs:
            spec = str(spec)
            try:
                yield from self._spec(spec)
            except InputError as e:
                yield SourceItem(e.item, None, e)
            except Exception as e:  # a bug or a library failure must not stop a batch
                yield _fail(spec, f"unexpected error: {type(e).__name__}: {e}")

    def _spec(self, spec: str) -> Iterator[SourceItem]:
        scheme = urlparse(spec).scheme.lower() if "://" in spec else ""
        if scheme in ("http", "https"):
            yield from self._url(spec)
        elif scheme == "file":
            yield from self._path(Path(url2pathname(urlparse(spec).path)))
        elif scheme:
            yield _fail(spec, f"unsupported URL scheme {scheme!r} (use http, https or a file path)")
        elif spec == "-":
            yield self._item("<stdin>", lambda: read_stdin(max_bytes=self.max_bytes, outlet=self.outlet))
        else:
            yield from self._path(Path(spec))

    def _path(self, path: Path) -> Iterator[SourceItem]:
        name = str(path)
        if path.is_dir():
            found = False
            for file in iter_source_files(path):
                found = True
                yield from self._file(file, sniff=False)
            if not found:
                kinds = ", ".join(sorted(SOURCE_SUFFIXES, key=lambda s: (_KINDS[s], s)))
                yield _fail(name, f"no source files ({kinds}) in this directory")
        elif path.exists():
            yield from self._file(path, sniff=True)
        else:
            yield _fail(name, "no such file or directory")

    def _file(self, path: Path, *, sniff: bool) -> Iterator[SourceItem]:
        kind = _source_kind(path)
        name = str(path)
        if kind == "jsonl":
            yield from self._jsonl(path)
            return
        if kind == "warc":
            yield from self._warc(path)
            return
        if kind == "text" or (kind is None and not sniff):
            yield self._item(name, lambda: self._text_file(path))
            return
        try:
            data = _read_file(path, self.max_bytes)
        except InputError as e:
            yield SourceItem(name, None, e)
            return
        if kind is None:  # a file named on the command line with another suffix: look inside
            kind = _sniff(data) or "text"
        if kind == "feed":
            yield from self._feed(data, name, None)
        elif kind == "html":
            yield self._item(name, lambda: self._html_doc(data, name, url=None, charset=None))
        else:
            yield self._item(name, lambda: self._finish(
                read_text_input(data, name, max_bytes=self.max_bytes)))

    def _item(self, name: str, make) -> SourceItem:
        try:
            return SourceItem(name, make())
        except InputError as e:
            return SourceItem(name, None, e)

    # --- text files ----------------------------------------------------------------------

    def _text_file(self, path: Path) -> Document:
        return self._finish(read_document(path, max_bytes=self.max_bytes))

    # --- JSONL ---------------------------------------------------------------------------

    def _jsonl(self, path: Path) -> Iterator[SourceItem]:
        """A JSONL file a line at a time; a ``.gz`` one through :func:`gzip.open`, where a
        corrupt or truncated stream ends the file with one error item."""
        gzipped = path.name.lower().endswith(".gz")
        try:
            fh = gzip.open(path, "rb") if gzipped else path.open("rb")  # noqa: SIM115 (with below)
        except OSError as e:
            yield _fail(str(path), _os_reason(e))
            return
        with fh:
            lineno = 0
            any_line = False
            try:
                while True:
                    line = fh.readline(self.max_bytes + 1)
                    if not line:
                        break
                    lineno += 1
                    name = f"{path}:{lineno}"
                    if len(line) > self.max_bytes and not line.endswith(b"\n"):
                        while True:  # skip the rest of the over-long line without holding it
                            rest = fh.readline(_CHUNK)
                            if not rest or rest.endswith(b"\n"):
                                break
                        yield _fail(name, f"line over the limit of {self.max_bytes:,} bytes")
                        continue
                    if not line.strip():
                        continue
                    any_line = True
                    yield self._item(name, lambda line=line, name=name: self._jsonl_doc(line, name))
            except (OSError, EOFError, zlib.error) as e:
                if not gzipped:
                    raise
                where = f" (after line {lineno})" if lineno else ""
                yield _fail(str(path), _gzip_reason(e) + where)
                return
            if not any_line:
                yield _fail(str(path), "empty file (no JSON lines)")

    def _jsonl_doc(self, line: bytes, name: str) -> Document:
        try:
            record = json.loads(line)
        except UnicodeDecodeError as e:
            raise InputError(name, f"not valid UTF-8 (byte offset {e.start} in the line)") from None
        except json.JSONDecodeError as e:
            raise InputError(name, f"invalid JSON: {e.msg} (column {e.colno})") from None
        if not isinstance(record, dict):
            raise InputError(name, f"expected a JSON object, got {type(record).__name__}")
        fields = {}
        for key in ("url", "outlet", "outlet_side", "published", "title", "language", "text", "html"):
            value = record.get(key)
            if value is not None and not isinstance(value, str):
                raise InputError(name, f"field {key!r} must be a string, got {type(value).__name__}")
            fields[key] = value or None
        side = fields["outlet_side"]
        if side is not None and side not in SIDES:
            raise InputError(name, f"outlet_side {side!r} is not one of {', '.join(SIDES)}")
        published = _parse_date(fields["published"], name) if fields["published"] else None
        if fields["text"] is not None:
            text = _check_text(fields["text"], name)
            doc = Document(text=text, url=fields["url"], outlet=fields["outlet"], published=published,
                           title=fields["title"])
        elif fields["html"] is not None:
            doc = self._extract_html(fields["html"], name, url=fields["url"])
            doc = replace(doc, outlet=fields["outlet"] or doc.outlet, published=published or doc.published,
                          title=fields["title"] or doc.title)
        else:
            raise InputError(name, "no 'text' or 'html' field")
        if fields["language"]:
            doc = replace(doc, language=fields["language"])
        return self._finish(doc, side=side)

    # --- web archives (WARC, ARC) ---------------------------------------------------------

    def _warc(self, path: Path) -> Iterator[SourceItem]:
        """The document records of a WARC or ARC file, a record at a time."""
        name = str(path)
        try:
            from warcio.archiveiterator import ArchiveIterator
        except ImportError:
            yield _fail(name, "reading WARC needs warcio: pip install 'counterclaim[warc]'")
            return
        try:
            fh = path.open("rb")
        except OSError as e:
            yield _fail(name, _os_reason(e))
            return
        with fh:
            # gzip is undone here, not by warcio: warcio takes a truncated gzip member for the
            # end of the file, and cannot read a file gzipped as one stream
            stream: Any = _GzipStream(fh) if fh.peek(2)[:2] == b"\x1f\x8b" else fh
            archive = ArchiveIterator(stream, arc2warc=True)
            records = iter(archive)
            number = documents = 0
            while True:
                number += 1
                record_name = f"{name}:{number}"
                try:
                    record = next(records, None)
                    if record is None:
                        _check_end(archive, stream)
                        break
                    _check_length(record)
                    body = self._warc_body(record, record_name)
                    _drain(record)
                except Exception as e:  # warcio, gzip or the file: the rest cannot be read
                    yield _fail(name, f"corrupt or truncated archive at record {number} "
                                      f"({documents} document{'' if documents == 1 else 's'} before it): "
                                      f"{_archive_reason(e)}")
                    return
                if body is None:
                    continue
                documents += 1
                if isinstance(body, InputError):
                    yield SourceItem(record_name, None, body)
                    continue
                try:
                    item = self._item(record_name, lambda body=body, n=record_name: self._warc_doc(n, *body))
                except Exception as e:  # a bug or a library failure: the next record follows
                    item = _fail(record_name, f"unexpected error: {type(e).__name__}: {e}")
                yield item
            if not documents:
                yield _fail(name, "no documents (HTML or text records) in this archive")

    def _warc_body(self, record: Any, name: str) -> _Body | InputError | None:
        """``(kind, body, charset, url)`` of a document record, ``None`` for any other record,
        or the :class:`InputError` of a document record whose body cannot be read (too large)."""
        if record.rec_type == "response":
            http = record.http_headers
            if http is None or http.get_statuscode() != "200":
                return None
            content_type = http.get_header("Content-Type")
        elif record.rec_type in ("resource", "conversion"):
            content_type = record.rec_headers.get_header("Content-Type")
        else:
            return None
        mime, charset = _content_type(content_type)
        if mime in _HTML_TYPES:
            kind = "html"
        elif mime == "text/plain":
            kind = "text"
        else:
            return None
        url = record.rec_headers.get_header("WARC-Target-URI") or None
        stream = record.content_stream()
        chunks: list[bytes] = []
        total = 0
        try:
            while total <= self.max_bytes:  # at most max_bytes + 1 bytes are held
                chunk = stream.read(min(_CHUNK, self.max_bytes + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
        except (_BrokenArchive, OSError):
            raise
        except Exception as e:  # e.g. a Content-Encoding that does not decompress
            return InputError(name, f"cannot read the record's body ({type(e).__name__}: {e})")
        if total > self.max_bytes:
            return InputError(name, f"record body over the limit of {self.max_bytes:,} bytes")
        return kind, b"".join(chunks), charset, url

    def _warc_doc(self, name: str, kind: str, data: bytes, charset: str | None, url: str | None) -> Document:
        """A document record as a document: HTML like a fetched page, text like a fetched text
        (the WARC-Date is the capture time, not the publication date, and is not used)."""
        if kind == "html":
            return self._html_doc(data, name, url=url, charset=charset)
        return self._finish(read_text_input(_to_utf8(data, name, charset), name, max_bytes=self.max_bytes,
                                            url=url))

    # --- HTML ----------------------------------------------------------------------------

    def _html_doc(self, data: bytes, name: str, *, url: str | None, charset: str | None) -> Document:
        html = _decode_markup(data, name, charset)
        return self._finish(self._extract_html(html, name, url=url))

    def _extract_html(self, html: str, name: str, *, url: str | None) -> Document:
        try:
            import trafilatura
        except ImportError as e:  # e.g. lxml >= 5.2 without lxml_html_clean
            raise InputError(name, f"cannot extract HTML: trafilatura does not import ({e})") from None

        if not html.strip():
            raise InputError(name, "empty HTML")
        try:
            result = trafilatura.bare_extraction(
                html, url=url, with_metadata=True, include_comments=False, include_tables=True,
                date_extraction_params={"original_date": True, "extensive_search": True,
                                        "outputformat": "%Y-%m-%d"},
            )
        except Exception as e:  # trafilatura and lxml raise many kinds on broken markup
            raise InputError(name, f"HTML could not be parsed ({type(e).__name__}: {e})") from None
        if result is None:
            raise InputError(name, "no article text found in the HTML")
        meta = result.as_dict() if hasattr(result, "as_dict") else dict(result)
        text = meta.get("text") or ""
        if not isinstance(text, str):
            text = str(text)
        if not text.strip():
            raise InputError(name, "no article text found in the HTML")
        text = _check_text(text, name)
        published = None
        if meta.get("date"):
            try:
                published = date.fromisoformat(str(meta["date"])[:10])
            except ValueError:
                published = None
        sitename = meta.get("sitename") or None
        if sitename and url:
            # trafilatura names a site that names itself nowhere after its URL's host: that is no
            # outlet name (the actors data or, failing it, the host fill it in later)
            parts = urlparse(url)
            hosts = {h.lower().removeprefix("www.") for h in (parts.netloc, parts.hostname or "") if h}
            if sitename.lower().removeprefix("www.") in hosts:
                sitename = None
        language = meta.get("language") or _html_lang(html) or "en"
        return Document(text=text, url=url, outlet=sitename, published=published,
                        title=meta.get("title") or None, language=language)

    # --- feeds ---------------------------------------------------------------------------

    def _feed(self, data: bytes, name: str, content_type: str | None) -> Iterator[SourceItem]:
        import feedparser

        headers = {"content-type": content_type} if content_type else {}
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
        entries = parsed.get("entries") or []
        if not entries:
            if parsed.get("bozo") and not parsed.get("version"):
                exc = parsed.get("bozo_exception")
                raise InputError(name, f"not an RSS or Atom feed ({exc})" if exc
                                 else "not an RSS or Atom feed")
            raise InputError(name, "feed has no entries")
        feed_title = (parsed.get("feed") or {}).get("title") or None
        base = name if name.startswith(("http://", "https://")) else None
        for i, entry in enumerate(entries, 1):
            link = entry.get("link") or None
            if link and base:
                link = urljoin(base, link)
            web = bool(link) and urlparse(link).scheme in ("http", "https")
            item_name = link if web else f"{name}#{i}"
            yield self._item(item_name, lambda entry=entry, link=link, web=web, item_name=item_name:
                             self._feed_entry(entry, item_name, link, web, feed_title))

    def _feed_entry(self, entry: Any, name: str, link: str | None, web: bool,
                    feed_title: str | None) -> Document:
        published = _entry_date(entry)
        title = entry.get("title") or None
        if self.follow_feed_links and web:
            assert link is not None
            fetched = self.fetch(link)
            kind = _kind(fetched.content_type, fetched.data)
            if kind == "feed":
                raise InputError(name, "the entry links to a feed, not an article")
            if kind == "html":
                doc = self._extract_html(_decode_markup(fetched.data, name, fetched.charset), name,
                                         url=fetched.url)
            elif kind == "text":
                doc = read_text_input(_to_utf8(fetched.data, name, fetched.charset), name,
                                      max_bytes=self.max_bytes, url=fetched.url)
            else:
                raise InputError(name, f"unsupported content type {fetched.content_type!r}")
        else:
            body = _entry_body(entry)
            if not body.strip():
                raise InputError(name, "feed entry has no content or summary")
            doc = Document(text=_check_text(body, name), url=link)
        return self._finish(replace(doc, published=doc.published or published, title=doc.title or title,
                                    outlet=doc.outlet or feed_title))

    # --- URLs ----------------------------------------------------------------------------

    def _url(self, url: str) -> Iterator[SourceItem]:
        fetched = self.fetch(url)
        kind = _kind(fetched.content_type, fetched.data)
        if kind == "feed":
            yield from self._feed(fetched.data, url, fetched.content_type or None)
        elif kind == "html":
            yield self._item(url, lambda: self._html_doc(fetched.data, url, url=fetched.url,
                                                         charset=fetched.charset))
        elif kind == "text":
            yield self._item(url, lambda: self._finish(read_text_input(
                _to_utf8(fetched.data, url, fetched.charset), url, max_bytes=self.max_bytes,
                url=fetched.url)))
        elif b"\x00" in fetched.data[:8192]:
            yield _fail(url, f"binary content (content type {fetched.content_type or 'not given'!r}); "
                             "expected HTML, a feed or text")
        else:
            yield _fail(url, f"unsupported content type {fetched.content_type!r} "
                             "(expected HTML, a feed or text)")

    def fetch(self, url: str) -> _Fetched:
        """GET ``url``: redirects followed (at most :data:`MAX_REDIRECTS`, loops refused), the
        body read up to ``max_bytes``, the whole within ``timeout`` seconds. Raises
        :class:`InputError` named after ``url``."""
        deadline = time.monotonic() + self.timeout
        seen = [url]
        current = url
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise InputError(url, f"timed out after {self.timeout:g} s")
            req = urllib.request.Request(current, headers={
                "User-Agent": USER_AGENT,
                "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                          "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
            })
            try:
                resp = self._opener.open(req, timeout=remaining)
            except urllib.error.HTTPError as e:
                location = e.headers.get("Location") if e.headers else None
                e.close()
                if e.code in (301, 302, 303, 307, 308) and location:
                    target = urljoin(current, location)
                    if urlparse(target).scheme not in ("http", "https"):
                        raise InputError(url, f"redirect to a non-HTTP URL {target!r}") from None
                    if target in seen:
                        raise InputError(url, f"redirect loop ({' -> '.join([*seen, target])})") from None
                    if len(seen) > MAX_REDIRECTS:
                        raise InputError(url, f"more than {MAX_REDIRECTS} redirects") from None
                    seen.append(target)
                    current = target
                    continue
                reason = f"HTTP {e.code} {e.reason}".rstrip() if e.reason else f"HTTP {e.code}"
                raise InputError(url, reason) from None
            except Exception as e:
                raise InputError(url, _net_reason(e, self.timeout)) from None
            with resp:
                return self._read(resp, url, current, deadline)

    def _read(self, resp, url: str, final_url: str, deadline: float) -> _Fetched:
        status = getattr(resp, "status", 200) or 200
        if not 200 <= status < 300:
            raise InputError(url, f"HTTP {status}")
        length = resp.headers.get("Content-Length")
        if length and length.strip().isdigit() and int(length) > self.max_bytes:
            raise InputError(url, f"response over {self.max_bytes:,} bytes ({int(length):,} announced)")
        chunks: list[bytes] = []
        total = 0
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise InputError(url, f"timed out after {self.timeout:g} s")
                _set_timeout(resp, remaining)
                chunk = resp.read(min(_CHUNK, self.max_bytes + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
                if total > self.max_bytes:
                    raise InputError(url, f"response over {self.max_bytes:,} bytes")
        except InputError:
            raise
        except Exception as e:
            raise InputError(url, _net_reason(e, self.timeout)) from None
        content_type = resp.headers.get_content_type() if resp.headers.get("Content-Type") else ""
        charset = resp.headers.get_content_charset()
        return _Fetched(final_url, b"".join(chunks), content_type, charset)

    # --- outlet and side -----------------------------------------------------------------

    @property
    def actors(self) -> ActorIndex:
        if self._actors is None:
            self._actors = default_actors()
        return self._actors

    def _finish(self, doc: Document, *, side: str | None = None) -> Document:
        """Apply the caller's outlet and side, fill them from the actors data, set the id."""
        outlet = self.outlet or doc.outlet
        by_url: Actor | None = self.actors.by_url(doc.url) if doc.url else None
        if outlet is None and by_url is not None:
            outlet = by_url.name
        if outlet is None and doc.url:
            outlet = (urlparse(doc.url).hostname or "").removeprefix("www.") or None
        side = self.outlet_side or side
        if side is None:
            by_name = self.actors.get(outlet) if outlet else None
            first, second = (by_name, by_url) if self.outlet else (by_url, by_name)
            actor = first or second
            side = actor.side if actor else doc.outlet_side
        return replace(doc, outlet=outlet, outlet_side=side, id=Document.content_id(doc.text))


# --- helpers ---------------------------------------------------------------------------------


def _set_timeout(resp, seconds: float) -> None:
    """Bound the next socket read by what is left of the deadline (best effort)."""
    sock = getattr(getattr(getattr(resp, "fp", None), "raw", None), "_sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.settimeout(seconds)


def _fail(name: str, reason: str) -> SourceItem:
    return SourceItem(name, None, InputError(name, reason))


def iter_source_files(top: Path) -> Iterator[Path]:
    """Source files under ``top``, depth first, in sorted order; hidden entries skipped."""
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            path = Path(root) / f
            if not f.startswith(".") and _source_kind(path) is not None:
                yield path


def _source_suffix(path: Path) -> str:
    """The suffix that says what ``path`` holds, in lower case: a compound one (``.warc.gz``,
    ``.jsonl.gz``) when the name ends with one, else the last (``.txt``); ``""`` for none."""
    name = path.name.lower()
    for suffix in _COMPOUND_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return suffix
    return path.suffix.lower()


def _source_kind(path: Path) -> str | None:
    """``text``, ``html``, ``jsonl``, ``feed`` or ``warc`` by the suffix of ``path``, else ``None``."""
    return _KINDS.get(_source_suffix(path))


class _BrokenArchive(Exception):
    """A web archive's gzip stream is corrupt or ends early (never an EOFError, which warcio
    would take for the end of the archive)."""


class _GzipStream:
    """The decompressed bytes of a gzip file (one member or many) for warcio, a piece at a
    time (so that the records before a damaged member are read); a corrupt or truncated
    stream raises :class:`_BrokenArchive`."""

    def __init__(self, fh) -> None:
        self._gz = gzip.GzipFile(fileobj=fh, mode="rb")
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._gz.read1(size)
        except (OSError, EOFError, zlib.error) as e:
            raise _BrokenArchive(_gzip_reason(e)) from None
        self._pos += len(data)
        return data

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._gz.close()


def _gzip_reason(e: BaseException) -> str:
    if isinstance(e, EOFError):
        return "truncated gzip file (it ends inside the compressed data)"
    if isinstance(e, gzip.BadGzipFile):
        return f"not a valid gzip file ({e})"
    if isinstance(e, zlib.error):
        return f"corrupt gzip data ({e})"
    if isinstance(e, OSError):
        return _os_reason(e)
    return f"{type(e).__name__}: {e}"


def _archive_reason(e: BaseException) -> str:
    if isinstance(e, _BrokenArchive):
        return str(e)
    if isinstance(e, OSError):
        return _os_reason(e)
    text = " ".join(str(e).split())  # warcio's messages span lines
    return f"{type(e).__name__}: {text}" if text else type(e).__name__


def _check_length(record: Any) -> None:
    """A record without a valid length is a damaged archive (warcio reads on with length 0)."""
    length = record.rec_headers.get_header("Content-Length")
    if not (length and length.strip().isdigit()):
        raise _BrokenArchive(f"invalid record header (Content-Length {length!r})")


def _check_end(archive: Any, stream: Any) -> None:
    """Bytes after the last whole record are an incomplete record (warcio ends quietly)."""
    offset = getattr(archive, "offset", None)  # where the record after the last one starts
    try:
        end = stream.tell()
    except (OSError, ValueError):
        return
    if isinstance(offset, int) and isinstance(end, int) and offset < end:
        raise _BrokenArchive(f"the file ends inside the record ({end - offset:,} bytes of it)")


def _drain(record: Any) -> None:
    """Read what is left of a record; a record that the file ends inside is a
    :class:`_BrokenArchive` (warcio would take the short record for a whole one)."""
    raw = record.raw_stream
    while raw.read(_CHUNK):
        pass
    left = getattr(raw, "limit", 0)
    if isinstance(left, int) and left > 0:
        raise _BrokenArchive(f"the file ends inside the record ({left:,} bytes missing)")


_CHARSET_PARAM = re.compile(r'(?:^|;)\s*charset\s*=\s*["\']?([^"\';\s]+)', re.I)


def _content_type(value: str | None) -> tuple[str, str | None]:
    """``("text/html", "utf-8")`` from ``"text/html; charset=UTF-8"``."""
    if not value:
        return "", None
    mime, _, params = value.partition(";")
    m = _CHARSET_PARAM.search(";" + params)
    return mime.strip().lower(), (m.group(1).lower() if m else None)


def _os_reason(e: OSError) -> str:
    if isinstance(e, FileNotFoundError):
        return "no such file"
    if isinstance(e, PermissionError):
        return "permission denied"
    return f"cannot read ({e.strerror or e})"


def _read_file(path: Path, max_bytes: int) -> bytes:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(name, f"{size:,} bytes, over the limit of {max_bytes:,} bytes")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as e:
        raise InputError(name, _os_reason(e)) from None
    if len(data) > max_bytes:
        raise InputError(name, f"over the limit of {max_bytes:,} bytes")
    return data


_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.I)
_HTML_ROOT = re.compile(rb"<(?:!doctype\s+html|html|head|body|article|p|div)[\s>]", re.I)


def _sniff(data: bytes) -> str | None:
    """``feed``, ``html`` or ``None`` from the first bytes of a document."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if _FEED_ROOT.search(head[:2048]):
        return "feed"
    if head.startswith(b"<") and _HTML_ROOT.search(head):
        return "html"
    return None


def _kind(content_type: str, data: bytes) -> str:
    """What a fetched body is: ``feed``, ``html``, ``text`` or ``other``."""
    ct = (content_type or "").lower()
    if "rss" in ct or "atom" in ct or ct in ("application/rdf+xml",):
        return "feed"
    if ct in ("text/html", "application/xhtml+xml"):
        return "feed" if _sniff(data) == "feed" else "html"
    if ct in ("text/xml", "application/xml") or ct.endswith("+xml"):
        return _sniff(data) or "feed"
    if ct == "text/plain":
        return _sniff(data) or "text"
    if not ct or ct in ("application/octet-stream", "binary/octet-stream"):
        return _sniff(data) or ("other" if b"\x00" in data[:4096] else "text")
    return "other"


_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.I)


def _declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    m = _XML_ENCODING.match(head.lstrip()) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii").lower() if m else None


def _decode_markup(data: bytes, name: str, charset: str | None) -> str:
    """HTML bytes as text: a byte-order mark, else the HTTP charset, else the charset the
    page declares, else UTF-8. Invalid bytes for the charset are an error, not a guess."""
    if not data.strip():
        raise InputError(name, "empty document")
    if data.startswith(codecs.BOM_UTF8):
        charset, data = "utf-8", data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        charset = "utf-16"
    else:
        charset = charset or _declared_charset(data)
        nul = data.find(b"\x00", 0, 8192)
        if nul >= 0:
            raise InputError(name, f"binary content (NUL byte at offset {nul})")
    declared = charset is not None
    charset = charset or "utf-8"
    try:
        codecs.lookup(charset)
    except LookupError:
        raise InputError(name, f"unknown charset {charset!r} declared") from None
    try:
        return data.decode(charset)
    except UnicodeDecodeError as e:
        how = f"declared charset {charset}" if declared else "UTF-8 (no charset declared)"
        raise InputError(name, f"not valid {how}: byte 0x{data[e.start]:02x} at offset {e.start}") from None


def _to_utf8(data: bytes, name: str, charset: str | None) -> bytes:
    """Plain text fetched with a declared non-UTF-8 charset, re-encoded for read_text_input."""
    if not charset:
        return data
    try:
        if codecs.lookup(charset).name == "utf-8":
            return data
    except LookupError:
        raise InputError(name, f"unknown charset {charset!r} declared") from None
    try:
        return data.decode(charset).encode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(name, f"not valid {charset}: byte 0x{data[e.start]:02x} "
                               f"at offset {e.start}") from None


def _check_text(text: str, name: str) -> str:
    """Run a text that came as a str through the same checks as a file (empty, binary)."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise InputError(name, f"invalid text (lone surrogate at character {e.start})") from None
    return _decode(data, name).lstrip("\ufeff")


_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3})\b""", re.I)


def _html_lang(html: str) -> str | None:
    """The language an HTML page declares (``<html lang="ru">`` -> ``ru``)."""
    m = _HTML_LANG.search(html, 0, 4096)
    return m.group(1).lower() if m else None


def _entry_date(entry: Any) -> date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            try:
                return date(t.tm_year, t.tm_mon, t.tm_mday)
            except (ValueError, AttributeError):
                continue
    return None


_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section",
          "article", "pre", "ul", "ol", "table", "figure", "header", "footer"}


def _entry_body(entry: Any) -> str:
    """The text of a feed entry's content (else summary), markup removed, paragraphs kept."""
    candidates = list(entry.get("content") or [])
    if entry.get("summary_detail"):
        candidates.append(entry["summary_detail"])
    elif entry.get("summary"):
        candidates.append({"value": entry["summary"], "type": "text/html"})
    for c in candidates:
        value = (c.get("value") or "").strip()
        if not value:
            continue
        if "html" in (c.get("type") or "text/html"):
            value = _fragment_text(value)
        if value.strip():
            return value
    return ""


def _fragment_text(fragment: str) -> str:
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", fragment)
    for bad in root.xpath(".//script|.//style"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK:
            el.tail = "\u2029" + (el.tail or "")  # a paragraph break; source newlines are spaces
    lines = (" ".join(line.split()) for line in root.text_content().split("\u2029"))
    return "\n".join(line for line in lines if line)


def _net_reason(e: BaseException, timeout: float) -> str:
    """A short, plain reason for a network failure."""
    if isinstance(e, urllib.error.URLError) and not isinstance(e, urllib.error.HTTPError):
        inner = e.reason
        if isinstance(inner, BaseException):
            return _net_reason(inner, timeout)
        return f"cannot connect ({inner})"
    if isinstance(e, TimeoutError | socket.timeout):
        return f"timed out after {timeout:g} s"
    if isinstance(e, ConnectionRefusedError):
        return "connection refused"
    if isinstance(e, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(e, socket.gaierror):
        return f"cannot resolve the host name (DNS: {e.strerror or e})"
    if isinstance(e, ssl.SSLError):
        return f"TLS error ({e.reason or e})"
    if isinstance(e, http.client.InvalidURL):
        return f"invalid URL ({e})"
    if isinstance(e, http.client.HTTPException):
        return f"bad HTTP response ({type(e).__name__}: {e})".replace(": )", ")")
    if isinstance(e, OSError):
        return f"network error ({e.strerror or e})"
    if isinstance(e, ValueError):
        return f"invalid URL ({e})"
    return f"{type(e).__name__}: {e}"

