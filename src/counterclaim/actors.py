"""Actors: who makes claims, and which side they are on (data/actors.yaml)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlparse

import yaml

from .errors import DataFileError
from .models import Actor


def load_actors(path: Path | None = None) -> list[Actor]:
    """Read an actors file; each entry needs `name` and `side`."""
    where = str(path or "actors.yaml")
    try:
        if path is None:
            raw = resources.files("counterclaim").joinpath("data/actors.yaml").read_text("utf-8")
        else:
            raw = Path(path).read_text("utf-8")
        entries = yaml.safe_load(raw) or []
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{where}: {exc}") from exc
    actors = []
    for i, e in enumerate(entries, 1):
        if not isinstance(e, dict) or "name" not in e or e.get("side") not in (
            "RU", "UA", "OTHER", "UNKNOWN"
        ):
            raise DataFileError(f"{where}: entry {i}: needs a name and a side (RU|UA|OTHER|UNKNOWN)")
        actors.append(
            Actor(
                name=e["name"], side=e["side"], kind=e.get("kind", "unknown"),
                aliases=tuple(e.get("aliases") or ()), domains=tuple(e.get("domains") or ()),
            )
        )
    return actors


class ActorIndex:
    """Finds known actors in a text by name or alias (case-sensitive, whole words)."""

    def __init__(self, actors: list[Actor]) -> None:
        self.actors = actors
        self._by_name: dict[str, Actor] = {}
        for a in actors:
            for n in (a.name, *a.aliases):
                self._by_name.setdefault(n, a)
                # "the Ukrainian General Staff" and "Ukrainian General Staff" alike
        names = sorted(self._by_name, key=len, reverse=True)
        self._re = re.compile(
            r"(?<![\w])(?:" + "|".join(re.escape(n).replace("\\'", "['’]").replace("'", "['’]")
                                         for n in names) + r")(?![\w])"
            # a unit noun after a group's name belongs to it: "Tavria group", "Khortytsia grouping"
            r"(?:\s+(?:group\s+of\s+forces|group|grouping|battlegroup|command|operational\s+command))?"
        )
        self._domains = {d: a for a in actors for d in a.domains}

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, Actor]]:
        end = len(text) if end is None else end
        out = []
        for m in self._re.finditer(text, start, end):
            surface = re.sub(r"\s+(?:group\s+of\s+forces|group|grouping|battlegroup|command|"
                             r"operational\s+command)$", "", m.group(0))
            key = surface.replace("’", "'")
            actor = self._by_name.get(key) or self._by_name.get(surface) or self._by_name.get(m.group(0))
            if actor is not None:
                out.append((m.start(), m.end(), actor))
        return out

    def get(self, name: str) -> Actor | None:
        return self._by_name.get(name.replace("’", "'"))

    def by_url(self, url: str | None) -> Actor | None:
        if not url:
            return None
        host = (urlparse(url).hostname or "").lower()
        while host:
            if host in self._domains:
                return self._domains[host]
            host = host.partition(".")[2]
        return None


@lru_cache(maxsize=1)
def default_actors() -> ActorIndex:
    return ActorIndex(load_actors())
