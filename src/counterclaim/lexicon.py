"""The English lexicon of reporting grammar (data/lexicon_en.yaml), compiled once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .errors import DataFileError


def _alt(items: list[str]) -> str:
    """Alternation of regex items; top-level `a|b` items are split so longer words win."""
    parts: set[str] = set()
    for item in items:
        item = str(item)
        parts.update(_split_top(item))
    return "|".join(sorted(parts, key=len, reverse=True))


def _split_top(item: str) -> list[str]:
    out, depth, cur = [], 0, []
    for ch in item:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "|" and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return [p.strip() for p in out if p.strip()]


def _words(pattern: str, flags: int = re.I) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w])", flags)


@dataclass(frozen=True)
class Lexicon:
    cue: re.Pattern[str]
    source: re.Pattern[str]
    triggers: dict[str, re.Pattern[str]]
    side: dict[str, re.Pattern[str]]
    country_agents: dict[str, re.Pattern[str]]
    nationality: dict[str, re.Pattern[str]]
    anaphor: re.Pattern[str]
    framing: re.Pattern[str] | None = None  # triggers that are the narrator's own description

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Lexicon:
        return cls(
            cue=_words(_alt(data["cue_verbs"])),
            source=_words(_alt(data["source_phrases"])),
            triggers={k: _words(_alt(v)) for k, v in data["status_triggers"].items()},
            side={
                k: _words(_alt([x.replace("{FORCE}", data["force_nouns"]) for x in v]))
                for k, v in data["side_words"].items()
            },
            country_agents={k: _words(_alt(v)) for k, v in data["country_agents"].items()},
            nationality={
                k: re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, v)) + r")(?![\w-])")
                for k, v in data["nationality"].items()
            },
            anaphor=re.compile(
                r"\b(?:the|this|that)\s+(?:[A-Z][\w-]+\s+)?(?:(?:embattled|besieged|frontline|front-line|strategic|"
                r"key|small|ruined|whole|entire|same)\s+)?(" + "|".join(data["place_anaphors"])
                + r")(?:'s|’s)?\b(?!\s+of\b)"
                # "this area", "in this direction": only with a demonstrative
                + r"|\b(?:this|that)\s+(" + "|".join(data.get("demonstrative_anaphors", [])) + r")\b",
                re.I,
            ),
            framing=re.compile(rf"(?<![\w-])(?:{_alt(data['narrator_framing'])})$", re.I)
            if data.get("narrator_framing") else None,
        )


def load_lexicon(path: Path | None = None) -> Lexicon:
    """Load a lexicon file (the shipped English one by default)."""
    try:
        if path is None:
            raw = resources.files("counterclaim").joinpath("data/lexicon_en.yaml").read_text("utf-8")
        else:
            raw = Path(path).read_text("utf-8")
        return Lexicon.from_dict(yaml.safe_load(raw))
    except (OSError, yaml.YAMLError, KeyError, re.error) as exc:
        raise DataFileError(f"lexicon {path or 'lexicon_en.yaml'}: {exc}") from exc


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return load_lexicon()


@lru_cache(maxsize=1)
def name_words() -> dict[str, frozenset[str]]:
    """The word lists of data/name_words.yaml (capitalised words that are not names)."""
    try:
        raw = resources.files("counterclaim").joinpath("data/name_words.yaml").read_text("utf-8")
        data = yaml.safe_load(raw)
        return {k: frozenset(str(w) for w in v) for k, v in data.items()}
    except (OSError, yaml.YAMLError, AttributeError) as exc:
        raise DataFileError(f"name_words.yaml: {exc}") from exc
