"""Reading documents: bytes from a file or stdin -> a checked, decoded :class:`Document`.

Every way a text can be unfit for analysis gives an :class:`InputError` naming the item
and the reason: missing or unreadable path, empty or whitespace-only, binary (NUL bytes or
mostly control characters), invalid UTF-8 (with the byte offset), larger than the limit.

A text may start with metadata lines, before the body::

    date: 2024-02-16            (also " date 2024-02-16", "published: 2024-02-16")
    outlet: TASS
    url: https://tass.com/...
    title: ...

Keys are case-insensitive. They fill ``Document.published/outlet/url/title``; the
document's ``text`` is the whole decoded file, header included, so that evidence offsets
index the file. A UTF-8 byte-order mark is accepted and dropped.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from .errors import InputError
from .models import Document

DEFAULT_MAX_BYTES = 20_000_000
#: Share of control characters above which a decoded text counts as binary.
BINARY_CONTROL_SHARE = 0.10
_BOM = b"\xef\xbb\xbf"
_CONTROL_OK = {"\t", "\n", "\r", "\f", "\v"}

_DATE_VALUE = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_HEADER = re.compile(
    r"[ \t]*(?P<key>date|published|url|outlet|title)(?P<colon>[ \t]*:)?[ \t]*(?P<value>[^\r\n]*)",
    re.I,
)


def parse_header(text: str) -> tuple[dict[str, str], int]:
    """Metadata lines at the top of ``text``: ``({key: value}, offset of the body)``.

    ``date``/``published`` take an ISO date, with or without a colon, and may share their
    line with the body (`` date 2024-02-16 MOSCOW, Feb 16 ...``); ``url``, ``outlet`` and
    ``title`` need a colon and take the rest of the line. The first line that is not a
    header line ends the header.
    """
    meta: dict[str, str] = {}
    pos = 0
    n = len(text)
    while pos < n:
        m = _HEADER.match(text, pos)
        if not m:
            break
        key, value = m.group("key").lower(), m.group("value")
        line_end = m.end()
        if key in ("date", "published"):
            d = _DATE_VALUE.match(value)
            if not d:
                if m.group("colon"):  # "date: yesterday" is a header line with a bad value
                    raise ValueError(f"{key}: {value.strip()!r} is not a date (YYYY-MM-DD)")
                break
            rest = value[d.end():]
            if rest.strip():  # the body starts on the header line
                if not rest[:1].isspace():
                    break
                meta.setdefault("published", d.group(1))
                pos = m.start("value") + d.end() + (len(rest) - len(rest.lstrip(" \t")))
                break
            meta.setdefault("published", d.group(1))
        else:
            if not m.group("colon") or not value.strip():
                break
            meta.setdefault(key, value.strip())
        pos = line_end
        if text.startswith("\r\n", pos):
            pos += 2
        elif pos < n:
            pos += 1
    return meta, pos


def _decode(data: bytes, item: str) -> str:
    if not data:
        raise InputError(item, "empty file")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(item, f"binary file (NUL byte at offset {nul}); expected UTF-8 text")
    start = len(_BOM) if data.startswith(_BOM) else 0
    try:
        text = data[start:].decode("utf-8")
    except UnicodeDecodeError as e:
        offset = e.start + start
        sample = data[:4096]
        controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
        high = sum(1 for b in sample if b >= 128)
        if controls > len(sample) * BINARY_CONTROL_SHARE or high > len(sample) * 0.3:
            raise InputError(item, "binary file (not UTF-8 text)") from None
        line = data[:offset].count(b"\n") + 1
        raise InputError(
            item,
            f"not valid UTF-8: byte 0x{data[offset]:02x} at offset {offset} (line {line}); "
            "convert the file to UTF-8 (e.g. iconv -f cp1252 -t utf-8)",
        ) from None
    if not text.strip():
        raise InputError(item, "only whitespace, no text")
    sample_text = text[:20_000]
    controls = sum(1 for c in sample_text if (c < " " and c not in _CONTROL_OK) or c == "\x7f")
    if controls > len(sample_text) * BINARY_CONTROL_SHARE:
        raise InputError(item, "binary file (mostly control characters)")
    return text


def _too_large(size: int, max_bytes: int) -> str:
    return (f"{size:,} bytes, over the limit of {max_bytes:,} bytes "
            "(raise it with --max-bytes, or max_bytes= in Python)")


def read_text_input(
    data: bytes,
    name: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    published: date | str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    title: str | None = None,
) -> Document:
    """A :class:`Document` from raw bytes (``name`` names it in errors).

    ``published``, ``outlet``, ``url`` and ``title`` override the text's header.
    """
    if len(data) > max_bytes:
        raise InputError(name, _too_large(len(data), max_bytes))
    text = _decode(data, name)
    try:
        meta, _ = parse_header(text)
    except ValueError as e:
        raise InputError(name, f"header: {e}") from None
    if isinstance(published, str):
        published = _parse_date(published, name)
    if published is None and "published" in meta:
        published = _parse_date(meta["published"], name)
    return Document(
        text=text,
        id=Document.content_id(text),
        url=url or meta.get("url"),
        outlet=outlet or meta.get("outlet"),
        published=published,
        title=title or meta.get("title"),
    )


def _parse_date(value: str, item: str) -> date:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise InputError(item, f"invalid date {value!r} (expected YYYY-MM-DD)") from None


def read_document(
    path: Path | str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    published: date | str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    title: str | None = None,
) -> Document:
    """Read one UTF-8 text file as a :class:`Document` (see the module docstring)."""
    path = Path(path)
    item = str(path)
    try:
        if path.is_dir():
            raise InputError(item, "is a directory")
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(item, _too_large(size, max_bytes))
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(item, "no such file") from None
    except PermissionError:
        raise InputError(item, "permission denied") from None
    except OSError as e:
        raise InputError(item, f"cannot read ({e.strerror or e})") from None
    return read_text_input(data, item, max_bytes=max_bytes, published=published, outlet=outlet,
                           url=url, title=title)


def read_stdin(*, max_bytes: int = DEFAULT_MAX_BYTES, **kwargs) -> Document:
    """Read a document from standard input (named ``<stdin>`` in errors)."""
    data = sys.stdin.buffer.read(max_bytes + 1)
    return read_text_input(data, "<stdin>", max_bytes=max_bytes, **kwargs)


def find_inputs(path: Path | str, pattern: str = "*.txt") -> list[Path]:
    """``path`` itself if it is a file, else the files in the directory matching
    ``pattern``, sorted by name."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.glob(pattern) if p.is_file())
        if not files:
            raise InputError(str(path), f"no {pattern.lstrip('*')} files in this directory")
        return files
    if not path.exists():
        raise InputError(str(path), "no such file or directory")
    return [path]


def iter_documents(
    paths: Iterable[Path], **kwargs
) -> Iterator[tuple[Path, Document | InputError]]:
    """Each path with its document, or with the :class:`InputError` that reading it gave:
    a bad file never stops a batch."""
    for p in paths:
        try:
            yield p, read_document(p, **kwargs)
        except InputError as e:
            yield p, e
