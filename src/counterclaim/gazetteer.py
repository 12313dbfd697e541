"""Place names -> places (STUB: being written; interface fixed)."""

from __future__ import annotations

from pathlib import Path

from .models import Place, PlaceMention


class Gazetteer:
    """Finds and resolves place names in a text."""

    @classmethod
    def load(cls, cache_dir: Path | None = None, *, rebuild: bool = False) -> Gazetteer:
        return cls()

    def mentions(self, text: str) -> list[PlaceMention]:
        return []

    def lookup(self, name: str) -> list[Place]:
        return []

    def get(self, place_id: str) -> Place | None:
        return None

    def names(self) -> list[str]:
        return []


def add_geonames_dump(path: Path, cache_dir: Path | None = None) -> int:
    raise NotImplementedError
