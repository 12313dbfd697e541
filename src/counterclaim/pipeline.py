"""The analysis of one document: a pure function from text to places and claims.

The order of the steps is explicit here and nowhere else:
document -> place mentions (gazetteer) -> attribution -> claims.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from .gazetteer import Gazetteer
from .models import Analysis, Document


class Pipeline:
    """Loads the gazetteer and data files once; analyses any number of documents."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or Gazetteer.load()

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
        mentions = self.gazetteer.mentions(doc.text)
        return Analysis(document=doc, places=tuple(mentions), claims=(), outlet=doc.outlet,
                        outlet_side=doc.outlet_side)


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
