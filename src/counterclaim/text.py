"""Plain-text structure: sentences and quotations with character offsets.

Everything downstream works on offsets into the original text so that every claim's
evidence is an exact span of the source.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

_ABBREV = {
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "maj", "capt", "sgt", "sen", "rep",
    "gov", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "no", "vs", "etc", "approx", "km", "prof", "u.s", "u.k", "e.g", "i.e", "inc",
}
_BOUNDARY = re.compile(r"([.!?…]+)([\"'”’»)\]]*)(\s+)(?=[\"'“‘«(\[]?[A-ZА-ЯЁІЇЄҐ0-9])|\n\s*")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


def sentences(text: str) -> list[Sentence]:
    """Split text into sentences. A line break ends a sentence (headlines, datelines), except
    in hard-wrapped text, or before a lower-case word, where it is only a wrapped line."""
    out: list[Sentence] = []
    para = 0
    start = 0
    wrapped = _hard_wrapped(text)
    for m in _BOUNDARY.finditer(text):
        if m.group(0).startswith("\n") or not m.group(1):
            if m.group(0).count("\n") == 1 and m.end() < len(text) and (
                    wrapped or text[m.end()].islower()):
                continue  # a line wrapped inside a sentence, not the end of one
            end = m.start()
        else:
            word = re.search(r"([\w.]+)$", text[start : m.start()])
            token = (word.group(1) if word else "").lower()
            if m.group(1) == "." and (token in _ABBREV or re.fullmatch(r"[a-z]", token)):
                continue
            end = m.start(3)
        _emit(text, start, end, para, out)
        if "\n\n" in m.group(0) or m.group(0).count("\n") > 1 or m.group(0).startswith("\n"):
            para += 1
        start = m.end()
    _emit(text, start, len(text), para, out)
    return out


def _hard_wrapped(text: str) -> bool:
    """True for text wrapped at a fixed width: most lines long and followed by another line."""
    lines = text.split("\n")
    full = [ln for ln in lines if ln.strip()]
    if len(full) < 4:
        return False
    wraps = sum(1 for a, b in zip(lines, lines[1:], strict=False)
                if 50 <= len(a.rstrip()) <= 100 and b.strip())
    return wraps >= 3 and wraps >= 0.4 * len(full)


def _emit(text: str, start: int, end: int, para: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end], para))


_OPEN = {"“": "”", "«": "»", "„": "“"}


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of quoted passages, including the quote marks.

    Curly and guillemet quotes pair by direction; straight quotes pair in order.
    A quote left open at a paragraph end continues when the next paragraph opens
    with a quote mark (the news convention for multi-paragraph quotes).
    """
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _OPEN or ch == '"':
            close = _OPEN.get(ch, '"')
            j = text.find(close, i + 1)
            while j != -1:
                gap = text[i + 1 : j]
                if "\n" not in gap:
                    break
                # a paragraph break inside: the quote goes on only if the new paragraph opens
                # with a quote mark (the news convention for multi-paragraph quotes)
                line_start = text.rfind("\n", i, j)
                if text[line_start:j].strip() == "" and "\n" in text[i:j]:
                    j = text.find(close, j + 1)  # the mark opens the next paragraph
                    continue
                nl = gap.rfind("\n")
                rest = text[i + 1 + nl :].lstrip()
                if rest[:1] in (ch, close, '"'):
                    break
                j = -1
            if j == -1 or j - i > 6000:
                i += 1
                continue
            spans.append((i, j + 1))
            i = j + 1
        else:
            i += 1
    return spans


class SpanIndex:
    """Items with (start, end) offsets, for fast 'within' and 'covering' look-ups.

    Analysis must stay linear in the length of a text: every per-sentence or per-mention
    search goes through one of these instead of scanning every item.
    """

    def __init__(self, items, start=lambda x: x[0], end=lambda x: x[1]) -> None:
        self.items = sorted(items, key=start)
        self._starts = [start(x) for x in self.items]
        self._end = end
        self._maxlen = max((end(x) - start(x) for x in self.items), default=0)

    def within(self, lo: int, hi: int) -> list:
        """Items that start in [lo, hi)."""
        return self.items[bisect_left(self._starts, lo) : bisect_left(self._starts, hi)]

    def covering(self, pos: int) -> list:
        """Items with start <= pos < end."""
        lo = bisect_left(self._starts, pos - self._maxlen)
        hi = bisect_right(self._starts, pos)
        return [x for x in self.items[lo:hi] if pos < self._end(x)]

    def __len__(self) -> int:
        return len(self.items)
