"""The analysis of one document: a pure function from text to places and claims.

The order of the steps is explicit here and nowhere else:
header -> sentences and quotations -> place mentions (gazetteer) -> speech acts
(attribution) -> dates -> claims.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from functools import lru_cache
from pathlib import Path

from .actors import ActorIndex, default_actors, load_actors
from .attribution import Attributor, Speaker
from .claims import ClaimExtractor, keep_mention
from .dates import find_dates, infer_published
from .documents import parse_header
from .gazetteer import Gazetteer
from .lexicon import Lexicon, default_lexicon
from .models import Analysis, Document, PlaceMention
from .text import SpanIndex, quote_spans, sentences

#: Countries whose places the analysis reports (the war's two sides).
REPORTED_COUNTRIES = {"UA", "RU", None}


class Pipeline:
    """Loads the gazetteer and data files once; analyses any number of documents."""

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        *,
        actors: ActorIndex | None = None,
        actors_file: Path | None = None,
        lexicon: Lexicon | None = None,
    ) -> None:
        self.gazetteer = gazetteer or Gazetteer.load()
        if actors is None:
            actors = ActorIndex(load_actors(actors_file)) if actors_file else default_actors()
        self.actors = actors
        self.lexicon = lexicon or default_lexicon()
        self.attributor = Attributor(self.lexicon, self.actors)
        self.extractor = ClaimExtractor(self.lexicon)

    def analyze(
        self,
        text: str,
        *,
        published: date | str | None = None,
        outlet: str | None = None,
        url: str | None = None,
        title: str | None = None,
    ) -> Analysis:
        if isinstance(published, str):
            published = date.fromisoformat(published[:10])
        doc = Document(
            text=text, id=Document.content_id(text), url=url, outlet=outlet,
            published=published, title=title,
        )
        return self.analyze_document(doc)

    def analyze_document(self, doc: Document) -> Analysis:
        text = doc.text
        try:
            meta, body = parse_header(text)
        except ValueError:  # a malformed header line is read as text
            meta, body = {}, 0
        published = doc.published
        if published is None and "published" in meta:
            try:
                published = date.fromisoformat(meta["published"])
            except ValueError:  # "date: 2025-13-45" is no date
                published = None
        if published is None:
            published = infer_published(text[body:])
        outlet_name = doc.outlet or meta.get("outlet")
        url = doc.url or meta.get("url")

        sents = [s for s in sentences(text) if s.end > body]
        sents = [s if s.start >= body else type(s)(body, s.end, text[body:s.end], s.paragraph)
                 for s in sents]
        quotes = [q for q in quote_spans(text) if q[0] >= body]
        actor_hits = self.actors.find(text)
        actor_spans = SpanIndex([(s, e) for s, e, _ in actor_hits])
        starts = [s.start for s in sents]
        mentions: list[PlaceMention] = []
        for m in self.gazetteer.mentions(text):
            if m.start < body or m.place.country not in REPORTED_COUNTRIES:
                continue
            if actor_spans.covering(m.start):
                continue  # "Kyiv Independent", "Moscow Times"
            i = bisect_right(starts, m.start) - 1
            if keep_mention(text, m, starts[i] if i >= 0 else body):
                mentions.append(m)

        mentions = _one_sense_per_discourse(mentions)
        cands = self.attributor.candidates(text, sents, mentions)
        # a place inside a speaker's name is not a place mention ("the forces of Kyiv")
        cand_index = SpanIndex(cands)
        mentions = [m for m in mentions if not any(
            m.end <= b and b - a > m.end - m.start and spk.kind != "person"
            for a, b, spk in cand_index.covering(m.start))]
        outlet = self.attributor.outlet(text, body, outlet_name, url, actor_hits)
        acts = self.attributor.speech_acts(text, sents, mentions, quotes, cands)
        quote_speakers = _quote_speakers(text, quotes, acts)
        dates = find_dates(text, published, body)
        claims = self.extractor.extract(
            text, sents, mentions, acts, quotes, quote_speakers, outlet, dates, published,
            speaker_spans=[(a.cue_start, a.cue_end) for a in acts if a.cue == "according to"],
        )
        doc = Document(
            text=text, id=doc.id or Document.content_id(text), url=url, outlet=outlet_name,
            outlet_side=outlet.side if outlet else doc.outlet_side, published=published,
            language=doc.language, title=doc.title or meta.get("title"),
        )
        return Analysis(
            document=doc, places=tuple(mentions), claims=tuple(claims),
            outlet=outlet.name if outlet else outlet_name,
            outlet_side=outlet.side if outlet else "UNKNOWN",
        )


_PRECISION_RANK = {"settlement": 3, "region": 3, "raion": 2, "name": 1}


def _one_sense_per_discourse(mentions: list[PlaceMention]) -> list[PlaceMention]:
    """A spelling means one place throughout an article: weaker readings of a surface
    (a bare name, a lower confidence) take the best reading found elsewhere in the text."""
    best: dict[str, PlaceMention] = {}
    for m in mentions:
        key = m.surface.casefold()
        cur = best.get(key)
        if cur is None or (_PRECISION_RANK.get(m.precision, 0), m.confidence) > (
                _PRECISION_RANK.get(cur.precision, 0), cur.confidence):
            best[key] = m
    out = []
    for m in mentions:
        b = best[m.surface.casefold()]
        if b.place.id != m.place.id and _PRECISION_RANK.get(m.precision, 0) < _PRECISION_RANK.get(
                b.precision, 0):
            m = PlaceMention(m.start, m.end, m.surface, b.place, b.precision, b.confidence)
        out.append(m)
    return out


def _quote_speakers(text: str, quotes, acts) -> dict[tuple[int, int], Speaker]:
    """The speaker of each quotation: the cue right after it, else the cue right before it."""
    out: dict[tuple[int, int], Speaker] = {}
    by_cue = SpanIndex(acts, start=lambda a: a.cue_start, end=lambda a: a.cue_end)
    for q in quotes:
        after = [a for a in by_cue.within(q[1], q[1] + 46) if "\n\n" not in text[q[1]:a.cue_start]]
        before = [a for a in by_cue.within(q[0] - 120, q[0] + 1)
                  if 0 <= q[0] - a.cue_end <= 45 and "\n\n" not in text[a.cue_end:q[0]]]
        if after:
            out[q] = min(after, key=lambda a: a.cue_start).speaker
        elif before:
            out[q] = max(before, key=lambda a: a.cue_end).speaker
    return out


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    return Pipeline()


def analyze(
    text: str,
    *,
    published: date | str | None = None,
    outlet: str | None = None,
    url: str | None = None,
) -> Analysis:
    """Analyse one article with the default pipeline (loaded once per process)."""
    return default_pipeline().analyze(text, published=published, outlet=outlet, url=url)
